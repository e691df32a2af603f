//! `global_sensitivity.csv`: every key output's first-order index of every
//! input from the run's replications, and the design's total-order index
//! or Shapley effect when `--global-sensitivity` ran one, each with its
//! bootstrap interval and its convergence check; then, with `kind` `group`
//! instead of `input`, the output's first-order index of every group of
//! inputs (the design's cells empty: no design freezes a group).

use std::io::Write;

use super::cell::{optional_number, write_table};
use crate::global_sensitivity::{Analysis, Indexed};
use crate::model::Scenario;
use crate::results::CsvDialect;
use crate::results::columns::{GLOBAL_SENSITIVITY_DESIGN_SUFFIXES, GLOBAL_SENSITIVITY_HEADER};
use crate::sensitivity::{KeyOutput, input_label};
use crate::voi::VoiKind;

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
    let row_of = |output: KeyOutput,
                  (input, kind, label): (&str, VoiKind, String),
                  first_order: Option<Indexed>,
                  design: Option<Indexed>| {
        let mut cells = vec![
            output.metric().name().to_owned(),
            scenario.strategies[output.strategy()].id.clone(),
            input.to_owned(),
            kind.name().to_owned(),
            label,
        ];
        cells.extend(index_cells(first_order));
        cells.push(analysis.replications.to_string());
        if analysis.design.is_some() {
            cells.extend(index_cells(design));
        }
        cells
    };
    let inputs = analysis.rows.iter().map(|row| {
        let name = &scenario.inputs[row.input].name;
        let what = (name.as_str(), VoiKind::Input, input_label(scenario, name));
        row_of(row.output, what, row.first_order, row.design)
    });
    let groups = analysis.groups.iter().map(|row| {
        let what = (
            row.group.name.as_str(),
            VoiKind::Group,
            row.group.label.clone(),
        );
        row_of(row.output, what, row.first_order, None)
    });
    write_table(out, dialect, &header, inputs.chain(groups))
}
