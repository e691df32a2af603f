//! `report.html`: one self-contained page that shows a result folder —
//! distributions, fan chart, waterfall, tornado, the value of information,
//! global sensitivity, the economies-of-scale curve, sweeps, break-even
//! curves and the tables — with charts drawn by plotters as inline SVG.
//!
//! The report reads only the files of the folder, never the simulation:
//! it works on folders written by older versions, and a section appears
//! when its file is there (the page says which are absent, and why). The
//! page needs nothing else: no scripts, no network, its font embedded.
//!
//! A batch's folder gets its own page, [`batch`]: the scenarios side by
//! side, with links to their reports.
//!
//! One file per section: [`costs`], [`savings`], [`fan`], [`differences`],
//! [`one_off`], [`productivity`], [`risk`], [`waterfall`], [`tornado`],
//! [`global_sensitivity`], [`voi`], [`scale`], [`sweep`] (a sweep's and a
//! break-even search's folders) and [`pool`]; [`files`] reads the folder,
//! [`chart`] holds what the charts share, [`section`] what every section is,
//! and [`page`] puts them together.

pub mod batch;
pub mod chart;
pub mod costs;
pub mod differences;
mod error;
pub mod fan;
pub mod files;
pub mod font;
pub mod global_sensitivity;
pub use crate::format;
pub mod one_off;
pub mod page;
pub mod pool;
pub mod productivity;
pub mod risk;
pub mod savings;
pub mod scale;
pub mod section;
pub mod sweep;
pub mod tornado;
pub mod voi;
pub mod waterfall;

use std::borrow::Cow;
use std::io::Write;
use std::path::{Path, PathBuf};

pub use error::ReportError;
pub use files::ResultFiles;

use crate::results::{ResultFile, ResultFolder};
use crate::text::visible_lines;

/// The report of the result folder `dir`, as HTML. maud escapes the
/// folder's text for HTML, which leaves control characters as they are; no
/// page has them but those of a name or id, so they are made visible
/// (`\u{1b}`) over the whole page, charts included.
///
/// # Errors
/// When the folder has no manifest or no data file, when a file that is
/// there cannot be read or lacks a column, or when a chart fails to draw.
pub fn render(dir: &Path) -> Result<String, ReportError> {
    let files = ResultFiles::read(dir)?;
    page::render(&files).map(|html| match visible_lines(&html) {
        Cow::Borrowed(_) => html,
        Cow::Owned(escaped) => escaped,
    })
}

/// The page of a batch's folder `dir` ([`batch::is_batch`]), after
/// writing each of its scenarios' reports into their sub-folders, which
/// the page links to.
///
/// # Errors
/// As [`render`], for the batch's `comparison.csv` and for each scenario.
fn render_batch(dir: &Path) -> Result<String, ReportError> {
    let rows = batch::read(dir)?;
    // Only the batch's own sub-folders: a name is one plain folder name.
    let sub_folders = batch::scenarios(&rows).into_iter().filter(|name| {
        let mut parts = Path::new(name).components();
        matches!(
            (parts.next(), parts.next()),
            (Some(std::path::Component::Normal(_)), None)
        )
    });
    for name in sub_folders {
        write(&dir.join(name), None)?;
    }
    let fragmented = |name: &str| {
        crate::results::Manifest::read(&dir.join(name))
            .ok()
            .flatten()
            .and_then(|m| m.fragmented)
    };
    let html = batch::render(&rows, &fragmented)?;
    Ok(match visible_lines(&html) {
        Cow::Borrowed(_) => html,
        Cow::Owned(escaped) => escaped,
    })
}

/// Writes the report of `dir` to `out` (by default `dir/report.html`),
/// under a temporary name renamed into place when complete. Returns the
/// path written. For a batch's folder ([`batch::is_batch`]) the page
/// compares its scenarios, and each scenario's own report is written into
/// its sub-folder first.
///
/// # Errors
/// As [`render`], and when the file cannot be written.
pub fn write(dir: &Path, out: Option<&Path>) -> Result<PathBuf, ReportError> {
    let html = if batch::is_batch(dir) {
        render_batch(dir)?
    } else {
        render(dir)?
    };
    let out = out.map_or_else(|| dir.join(ResultFile::Report.name()), Path::to_owned);
    let write_error = |source| ReportError::Write {
        path: out.clone(),
        source,
    };
    let name = out
        .file_name()
        .and_then(|n| n.to_str())
        .ok_or_else(|| {
            write_error(std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                "expected a file name in UTF-8",
            ))
        })?
        .to_owned();
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let folder = ResultFolder::create(parent).map_err(write_error)?;
    let mut file = folder.temporary().map_err(write_error)?;
    file.write_all(html.as_bytes()).map_err(write_error)?;
    folder
        .commit(vec![(file, name.as_str())])
        .map_err(write_error)?;
    Ok(out)
}
