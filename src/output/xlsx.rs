//! `results.xlsx`: a result folder's tables in one workbook, for people who
//! live in spreadsheets. It is built from the folder's files after they are
//! written — never from the simulation — so it always matches the CSVs, and
//! it leaves out the raw replications, which can outgrow a worksheet.
//!
//! Sheets: `About` (the manifest), then one per table that the folder has,
//! then `One-off costs` (the kinds of one-off cost side by side, from
//! `summary.csv`), with native charts on `Years`, `Decomposition` and
//! `One-off costs`. Numbers are numbers in
//! the format of their unit; text is always text, never a formula.

mod about;
mod charts;
mod formats;
mod one_off;
mod sheet;
mod table;

use std::io::ErrorKind;
use std::path::Path;

use anyhow::{Context, Result};
use rust_xlsxwriter::{DocProperties, Workbook, Worksheet};

use self::about::{about_sheet, finished_at};
use self::charts::{add_decomposition_chart, add_savings_chart};
use self::formats::Formats;
use self::one_off::{ONE_OFF_SHEET, one_off_sheet, one_off_table};
use self::sheet::{SHEETS, SheetSpec, fit_columns, table_sheet};
use self::table::CsvTable;
use crate::results::{Manifest, ResultFile, ResultFolder};

/// Writes `results.xlsx` into `dir` from the CSV files and manifest there.
/// The workbook is written under a temporary name and renamed into place.
///
/// # Examples
/// ```
/// let dir = tempfile::tempdir()?;
/// std::fs::write(dir.path().join("summary.csv"), "strategy,metric,mean\nsolo,npv_cost_usd,1.5e6\n")?;
/// sscsim::output::xlsx::write_workbook(dir.path())?;
/// assert!(dir.path().join("results.xlsx").is_file());
/// # Ok::<(), anyhow::Error>(())
/// ```
///
/// # Errors
/// When a file of the folder cannot be read, is not valid CSV (or TOML for
/// the manifest), or does not fit in a worksheet, or the workbook cannot be
/// written; the message names the file. A workbook left from an earlier run
/// is then removed, so none is there that does not match the CSVs.
pub fn write_workbook(dir: &Path) -> Result<()> {
    let path = dir.join(ResultFile::Workbook.name());
    build(dir)
        .and_then(|mut workbook| save(dir, &mut workbook))
        .map_err(|e| match remove_stale(&path) {
            Ok(()) => e,
            Err(removal) => e.context(format!(
                "and the earlier workbook is still there: {removal}"
            )),
        })
        .with_context(|| format!("cannot write {}", path.display()))
}

/// Builds the workbook from the files of `dir`.
fn build(dir: &Path) -> Result<Workbook> {
    let formats = Formats::new();
    let manifest = Manifest::read(dir)?;
    let mut tables: Vec<(&SheetSpec, CsvTable)> = Vec::new();
    for spec in &SHEETS {
        if let Some(table) = CsvTable::read(dir, spec.file.name())? {
            tables.push((spec, table));
        }
    }

    let mut workbook = Workbook::new();
    if let Some(finished_at) = manifest.as_ref().and_then(finished_at) {
        workbook.set_properties(&DocProperties::new().set_creation_datetime(&finished_at));
    }
    let one_off = match tables.iter().find(|(s, _)| s.file == ResultFile::Summary) {
        Some((_, summary)) => one_off_table(summary)?,
        None => None,
    };
    let mut contents: Vec<(&str, &str)> = tables
        .iter()
        .map(|(s, _)| (s.name, s.file.name()))
        .collect();
    if one_off.is_some() {
        contents.push((ONE_OFF_SHEET.name, ONE_OFF_SHEET.file.name()));
    }
    workbook.push_worksheet(about_sheet(manifest.as_ref(), &contents, &formats)?);
    for (spec, table) in &tables {
        workbook.push_worksheet(sheet_with_chart(spec, table, &formats)?);
    }
    if let Some(table) = &one_off {
        workbook.push_worksheet(one_off_sheet(table, &formats)?);
    }
    Ok(workbook)
}

/// A table's worksheet, with its chart if it has one.
fn sheet_with_chart(spec: &SheetSpec, table: &CsvTable, formats: &Formats) -> Result<Worksheet> {
    let mut sheet = table_sheet(spec, table, formats)?;
    match spec.file {
        ResultFile::Years => add_savings_chart(&mut sheet, spec.name, table, formats)?,
        ResultFile::DecompositionSummary => add_decomposition_chart(&mut sheet, spec.name, table)?,
        _ => {}
    }
    fit_columns(&mut sheet);
    Ok(sheet)
}

/// Saves the workbook atomically into `dir`.
fn save(dir: &Path, workbook: &mut Workbook) -> Result<()> {
    let folder = ResultFolder::create(dir)?;
    let mut file = folder.temporary()?;
    workbook.save_to_writer(file.as_file_mut())?;
    folder.commit(vec![(file, ResultFile::Workbook.name())])?;
    Ok(())
}

/// Removes a workbook of an earlier run, if there is one.
fn remove_stale(path: &Path) -> std::io::Result<()> {
    match std::fs::remove_file(path) {
        Err(e) if e.kind() != ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
}
