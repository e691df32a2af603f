//! The workbook's first sheet: what produced the results (every field of
//! `manifest.toml`, in file order), which files the workbook was built
//! from, and where the raw replications are.

use anyhow::Result;
use rust_xlsxwriter::{ExcelDateTime, Format, FormatAlign, RowNum, Worksheet};

use super::formats::Formats;
use super::sheet::fit_columns;
use crate::output::cell::neutralised;
use crate::results::{Manifest, ResultFile};

/// The sheet's name.
const ABOUT: &str = "About";

/// Integers beyond 2^53 lose digits as spreadsheet numbers (seeds can be
/// that large): they are shown as text.
const EXACT_INTEGER_LIMIT: u64 = 1 << 53;

/// A field of the manifest as the workbook shows it.
#[derive(Debug, PartialEq)]
pub(crate) enum Value {
    /// Text, as written.
    Text(String),
    /// An integer that a spreadsheet holds exactly.
    Integer(f64),
}

/// The manifest's fields and values as its file has them, in order: a
/// seed above `i64::MAX`, which TOML's integers cannot hold, is text there
/// and here.
pub(crate) fn fields(manifest: &Manifest) -> Vec<(String, Value)> {
    let table = toml::Table::try_from(manifest)
        .expect("a manifest of strings and integers always serialises");
    table
        .into_iter()
        .map(|(key, value)| {
            let value = match value {
                toml::Value::Integer(n) if n.unsigned_abs() <= EXACT_INTEGER_LIMIT => {
                    Value::Integer(n as f64)
                }
                toml::Value::String(text) => Value::Text(text),
                other => Value::Text(other.to_string()),
            };
            (key, value)
        })
        .collect()
}

/// When the run finished (else started), for the workbook's creation
/// date: the same folder then gives the same bytes.
pub(crate) fn finished_at(manifest: &Manifest) -> Option<ExcelDateTime> {
    [&manifest.finished_at, &manifest.started_at]
        .into_iter()
        .find_map(|time| {
            let seconds = time.as_ref()?.parse::<jiff::Timestamp>().ok()?.as_second();
            ExcelDateTime::from_timestamp(seconds).ok()
        })
}

/// The About sheet: the manifest's fields, then notes on where everything is.
///
/// # Errors
/// When a field is too long for a cell.
pub(crate) fn about_sheet(
    manifest: Option<&Manifest>,
    sheets: &[(&str, &str)],
    formats: &Formats,
) -> Result<Worksheet> {
    let left = Format::new().set_align(FormatAlign::Left);
    let mut sheet = Worksheet::new();
    sheet.set_name(ABOUT)?;
    sheet.write_string_with_format(0, 0, "field", &formats.header)?;
    sheet.write_string_with_format(0, 1, "value", &formats.header)?;
    let mut row: RowNum = 1;
    for (key, value) in manifest.map(fields).unwrap_or_default() {
        sheet.write_string(row, 0, &key)?;
        match value {
            Value::Text(text) => sheet.write_string(row, 1, neutralised(&text))?,
            // Left, like the text above and below it.
            Value::Integer(n) => sheet.write_number_with_format(row, 1, n, &left)?,
        };
        row += 1;
    }
    // Fitted before the notes, which may run across empty columns.
    fit_columns(&mut sheet);

    row += 1;
    let built_from: Vec<String> = sheets
        .iter()
        .map(|(name, file)| format!("{name} ({file})"))
        .collect();
    let notes = [
        if built_from.is_empty() {
            "No result tables were found in this folder.".to_owned()
        } else {
            format!(
                "Sheets built from the CSV files of this folder: {}.",
                built_from.join(", ")
            )
        },
        format!(
            "Raw replications stay in {} (and {}): Excel stops at 1 048 576 rows.",
            ResultFile::Replications,
            ResultFile::Decomposition
        ),
        format!(
            "{} has what produced these results; its fields are above.",
            ResultFile::Manifest
        ),
    ];
    for note in notes {
        sheet.write_string(row, 0, note)?;
        row += 1;
    }
    Ok(sheet)
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    #[test]
    fn manifest_fields_keep_their_order_and_large_seeds_stay_exact() {
        let manifest = Manifest::parse(
            Path::new("manifest.toml"),
            "sscsim_version = \"0.1.0\"\nscenario_name = \"x\"\nseed = 18446744073709551615\n\
             replications = 20\nfinished_at = \"2026-11-27T03:02:57.592441535Z\"\n",
        )
        .unwrap();
        assert_eq!(
            fields(&manifest),
            [
                ("sscsim_version".to_owned(), Value::Text("0.1.0".into())),
                ("scenario_name".to_owned(), Value::Text("x".into())),
                (
                    "seed".to_owned(),
                    Value::Text("18446744073709551615".into())
                ),
                ("replications".to_owned(), Value::Integer(20.0)),
                (
                    "finished_at".to_owned(),
                    Value::Text("2026-11-27T03:02:57.592441535Z".into())
                ),
            ]
        );
        // 2026-11-27T03:02:57Z is 1 795 748 577 s after the Unix epoch,
        // which is day 25 569 of Excel's calendar.
        let serial = finished_at(&manifest).unwrap().to_excel();
        assert!((serial - (25_569.0 + 1_795_748_577.0 / 86_400.0)).abs() < 1e-9);
    }
}
