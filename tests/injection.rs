//! Spreadsheet formula injection: text from a scenario (its name, an
//! agency's name, its file name) never reaches a CSV file or the workbook
//! as a cell a spreadsheet would evaluate.

use std::path::Path;

use assert_cmd::Command;
use calamine::{Data, Reader, Xlsx, open_workbook};

use crate::util::{files_under, fixture_text};

/// The first characters that make a spreadsheet evaluate a cell.
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

fn sscsim() -> Command {
    Command::cargo_bin("sscsim").unwrap()
}

/// Whether a spreadsheet would evaluate `cell` as a formula: text (not a
/// number) that starts with a formula character.
fn evaluated(cell: &str) -> bool {
    cell.starts_with(FORMULA_STARTS) && !cell.parse::<f64>().is_ok_and(f64::is_finite)
}

/// The fixture renamed with hostile text.
fn hostile_scenario() -> String {
    fixture_text("hand-computed.toml")
        .replace(
            "name = \"Hand-computed\"",
            "name = \"=HYPERLINK(\\\"http://example.com\\\",\\\"x\\\")\"",
        )
        .replace(
            "hq_location = \"hq\"",
            "hq_location = \"hq\"\nname = \"@SUM(1+1)\"",
        )
}

/// Every cell of every CSV file under `dir`, with its file.
fn csv_cells(dir: &Path) -> Vec<(String, String)> {
    let mut cells = Vec::new();
    for entry in files_under(dir) {
        if entry.extension().is_some_and(|e| e == "csv") {
            let mut reader = csv::ReaderBuilder::new()
                .has_headers(false)
                .from_path(&entry)
                .unwrap();
            for record in reader.records() {
                for field in &record.unwrap() {
                    cells.push((entry.display().to_string(), field.to_owned()));
                }
            }
        }
    }
    cells
}

/// Every text cell of every sheet of the workbook.
fn workbook_text(path: &Path) -> Vec<(String, String)> {
    let mut workbook: Xlsx<_> = open_workbook(path).unwrap();
    let mut cells = Vec::new();
    for name in workbook.sheet_names() {
        let range = workbook.worksheet_range(&name).unwrap();
        for cell in range.used_cells() {
            if let (_, _, Data::String(text)) = cell {
                cells.push((name.clone(), text.clone()));
            }
        }
    }
    cells
}

#[test]
fn hostile_names_reach_no_csv_cell_or_workbook_cell_as_a_formula() {
    let dir = tempfile::tempdir().unwrap();
    let text = hostile_scenario();
    // Files whose names a batch writes into its `scenario` column.
    for stem in ["=1+1", "-2+3", "@cmd"] {
        std::fs::write(dir.path().join(format!("{stem}.toml")), &text).unwrap();
    }
    let run = dir.path().join("run");
    sscsim()
        .arg("run")
        .arg(dir.path().join("=1+1.toml"))
        .args(["-n", "5", "-q", "--xlsx", "-o"])
        .arg(&run)
        .assert()
        .success();
    let batch = dir.path().join("batch");
    sscsim()
        .arg("batch")
        .arg(dir.path())
        .args(["-n", "3", "-q", "-o"])
        .arg(&batch)
        .assert()
        .success();

    let mut cells = csv_cells(&run);
    cells.extend(csv_cells(&batch));
    cells.extend(workbook_text(&run.join("results.xlsx")));
    let evaluated_cells: Vec<_> = cells.iter().filter(|(_, c)| evaluated(c)).collect();
    assert!(
        evaluated_cells.is_empty(),
        "cells a spreadsheet would evaluate: {evaluated_cells:?}"
    );
    // The hostile text is there, neutralised, not dropped.
    let has = |text: &str| cells.iter().any(|(_, c)| c == text);
    assert!(has("'=HYPERLINK(\"http://example.com\",\"x\")"));
    for stem in ["'=1+1", "'-2+3", "'@cmd"] {
        assert!(has(stem), "{stem} missing from batch-summary.csv");
    }
    // Numbers, negative ones included, are never quoted into text.
    let quoted_numbers: Vec<_> = cells
        .iter()
        .filter(|(_, c)| {
            c.strip_prefix('\'')
                .is_some_and(|n| n.parse::<f64>().is_ok())
        })
        .collect();
    assert!(quoted_numbers.is_empty(), "{quoted_numbers:?}");
}
