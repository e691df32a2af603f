//! What can go wrong when a report is made. Every error names the file it
//! is about, so a user knows which file of the folder to look at. All are
//! fatal for the report; the result files themselves are never touched.

use std::path::PathBuf;

use crate::results::ReadError;

/// An error while reading a result folder or writing its report.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ReportError {
    /// The folder does not exist or is not a folder.
    #[error("{} is not a folder", .0.display())]
    NotAFolder(PathBuf),
    /// The folder has no `manifest.toml`: it is not a complete result folder.
    #[error(
        "{} not found: {} is not a complete sscsim result folder \
         (expected the output of `sscsim run`, `explain` or `pool` with --out)",
        .manifest.display(),
        .folder.display()
    )]
    NoManifest {
        /// The folder.
        folder: PathBuf,
        /// Where the manifest was expected.
        manifest: PathBuf,
    },
    /// The folder has a manifest but none of the files a report shows.
    #[error(
        "{} has no result files to report on (expected at least one of {})",
        .folder.display(),
        .expected
    )]
    NothingToReport {
        /// The folder.
        folder: PathBuf,
        /// The files looked for, comma-separated.
        expected: String,
    },
    /// A file of the folder could not be read: it cannot be opened, the
    /// manifest is not valid, or a CSV file lacks a column or is malformed.
    #[error(transparent)]
    Read(#[from] ReadError),
    /// A chart could not be drawn.
    #[error("cannot draw the {chart} chart: {message}")]
    Chart {
        /// Which chart.
        chart: &'static str,
        /// The drawing library's error.
        message: String,
    },
    /// The report could not be written.
    #[error("cannot write {}: {source}", .path.display())]
    Write {
        /// The report's path.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
}
