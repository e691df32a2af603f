//! `global_sensitivity.csv`: every key output's first-order index of every
//! input from the run's replications, and the design's total-order index
//! or Shapley effect when `--global-sensitivity` ran one, each with its
//! bootstrap interval and its convergence check.

use std::io::Write;

use super::cell::{optional_number, write_table};
use crate::global_sensitivity::{Analysis, Indexed};
use crate::model::Scenario;
use crate::results::CsvDialect;
use crate::results::columns::{GLOBAL_SENSITIVITY_DESIGN_SUFFIXES, GLOBAL_SENSITIVITY_HEADER};
use crate::sensitivity::input_label;

/// The five cells of an index: estimate, interval, first half's estimate,
/// converged; empty when there is none.
fn index_cells(index: Option<Indexed>) -> [String; 5] {
    match index {
        None => Default::default(),
        Some(i) => [
            i.estimate.value.to_string(),
            i.estimate.ci_low.to_string(),
            i.estimate.ci_high.to_string(),
            optional_number(i.first_half),
            i.converged().to_string(),
        ],
    }
}

/// Writes `global_sensitivity.csv` from `analysis`, one row per key output
/// and input in the analysis's order; the design's columns only when a
/// design ran.
///
/// # Errors
/// When writing fails.
pub(crate) fn write_global_sensitivity<W: Write>(
    out: W,
    dialect: CsvDialect,
    scenario: &Scenario,
    analysis: &Analysis,
) -> csv::Result<W> {
    let design_columns: Vec<String> = analysis.design.map_or_else(Vec::new, |kind| {
        (GLOBAL_SENSITIVITY_DESIGN_SUFFIXES.iter())
            .map(|suffix| format!("{}{suffix}", kind.column()))
            .collect()
    });
    let header: Vec<&str> = (GLOBAL_SENSITIVITY_HEADER.iter().copied())
        .chain(design_columns.iter().map(String::as_str))
        .collect();
    let rows = analysis.rows.iter().map(|row| {
        let name = &scenario.inputs[row.input].name;
        let mut cells = vec![
            row.output.metric().name().to_owned(),
            scenario.strategies[row.output.strategy()].id.clone(),
            name.clone(),
            input_label(scenario, name),
        ];
        cells.extend(index_cells(row.first_order));
        cells.push(analysis.replications.to_string());
        if analysis.design.is_some() {
            cells.extend(index_cells(row.design));
        }
        cells
    });
    write_table(out, dialect, &header, rows)
}
