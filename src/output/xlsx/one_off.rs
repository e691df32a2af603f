//! The `One-off costs` sheet: the table a business case shows for its move.
//! `summary.csv` holds each kind of one-off cost as a metric of its own,
//! `one_off_<kind>_usd`, one row per strategy and metric; a reader wants the
//! kinds side by side. This sheet lays out their means as one row per
//! strategy that moves work (a mean `transition_cost_usd` other than zero)
//! and one column per kind, then that total, with a stacked column chart of
//! the kinds. The cells are the text of `summary.csv`'s `mean` column, so
//! they are exactly its numbers.

use std::collections::HashMap;

use anyhow::Result;
use rust_xlsxwriter::Worksheet;

use super::charts::add_one_off_chart;
use super::formats::{Formats, Unit};
use super::sheet::{SheetSpec, UnitFrom, fit_columns, table_sheet};
use super::table::CsvTable;
use crate::metrics::Metric;
use crate::model::OneOff;
use crate::results::ResultFile;

/// How the sheet is laid out: every number in it is money.
pub(crate) const ONE_OFF_SHEET: SheetSpec = SheetSpec {
    name: "One-off costs",
    file: ResultFile::Summary,
    text_columns: &["strategy"],
    units: &[],
    otherwise: UnitFrom::Fixed(Unit::Usd),
};

/// The heading of the total's column, the mean `transition_cost_usd`.
pub(crate) const TOTAL_HEADING: &str = "Total (USD)";

/// The heading of a kind's column: its label, capitalised, with the unit.
pub(crate) fn heading(kind: OneOff) -> String {
    let mut chars = kind.label().chars();
    let first: String = chars
        .next()
        .into_iter()
        .flat_map(char::to_uppercase)
        .collect();
    format!("{first}{} (USD)", chars.as_str())
}

/// The one-off costs of the strategies of `summary` that move work, in the
/// order the file first names them; `None` when none does.
///
/// # Errors
/// When `summary.csv` lacks the `strategy`, `metric` or `mean` column.
pub(crate) fn one_off_table(summary: &CsvTable) -> Result<Option<CsvTable>> {
    let (strategy, metric, mean) = (
        summary.require("strategy")?,
        summary.require("metric")?,
        summary.require("mean")?,
    );
    let mut strategies: Vec<&str> = Vec::new();
    let mut means: HashMap<(&str, &str), &str> = HashMap::new();
    for row in &summary.rows {
        let cell = |c: usize| row.get(c).map_or("", String::as_str);
        if !strategies.contains(&cell(strategy)) {
            strategies.push(cell(strategy));
        }
        means.insert((cell(strategy), cell(metric)), cell(mean));
    }

    let rows: Vec<Vec<String>> = strategies
        .into_iter()
        .filter_map(|id| {
            let total = *means.get(&(id, Metric::TransitionCostUsd.name()))?;
            // A strategy that moves nothing has no one-off costs to show.
            if total.is_empty() || total.parse::<f64>() == Ok(0.0) {
                return None;
            }
            let kinds = OneOff::ALL.iter().map(|&kind| {
                let metric = Metric::one_off(kind).name();
                means.get(&(id, metric)).copied().unwrap_or_default()
            });
            let cells = std::iter::once(id).chain(kinds).chain([total]);
            Some(cells.map(str::to_owned).collect())
        })
        .collect();
    if rows.is_empty() {
        return Ok(None);
    }

    let header = std::iter::once("strategy".to_owned())
        .chain(OneOff::ALL.into_iter().map(heading))
        .chain([TOTAL_HEADING.to_owned()])
        .collect();
    Ok(Some(CsvTable {
        file: ResultFile::Summary.name(),
        header,
        rows,
    }))
}

/// The sheet of `table` (from [`one_off_table`]), with its chart.
///
/// # Errors
/// When a cell cannot be held or the chart cannot be placed.
pub(crate) fn one_off_sheet(table: &CsvTable, formats: &Formats) -> Result<Worksheet> {
    let mut sheet = table_sheet(&ONE_OFF_SHEET, table, formats)?;
    add_one_off_chart(&mut sheet, ONE_OFF_SHEET.name, table)?;
    fit_columns(&mut sheet);
    Ok(sheet)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn summary(text: &str) -> CsvTable {
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        CsvTable {
            file: "summary.csv",
            header: reader
                .headers()
                .unwrap()
                .iter()
                .map(str::to_owned)
                .collect(),
            rows: reader
                .records()
                .map(|r| r.unwrap().iter().map(str::to_owned).collect())
                .collect(),
        }
    }

    #[test]
    fn headings_are_capitalised_labels_with_the_unit() {
        assert_eq!(heading(OneOff::Separation), "Separation (USD)");
        assert_eq!(heading(OneOff::OptimismBias), "Optimism-bias uplift (USD)");
    }

    #[test]
    fn only_strategies_that_move_work_get_a_row_with_the_means_as_written() {
        let table = summary(
            "strategy,metric,mean\n\
             status_quo,transition_cost_usd,0\n\
             status_quo,one_off_separation_usd,0\n\
             pooled,npv_cost_usd,9\n\
             pooled,one_off_separation_usd,1.5e6\n\
             pooled,transition_cost_usd,2500000.25\n\
             pooled,one_off_site_setup_usd,1000000.25\n",
        );
        let one_off = one_off_table(&table).unwrap().unwrap();
        assert_eq!(one_off.header.len(), 1 + OneOff::ALL.len() + 1);
        assert_eq!(one_off.header[1], "Separation (USD)");
        assert_eq!(one_off.header.last().unwrap(), TOTAL_HEADING);
        assert_eq!(one_off.rows.len(), 1, "the status quo moves nothing");
        let row = &one_off.rows[0];
        let site_setup = 1 + OneOff::ALL
            .iter()
            .position(|&k| k == OneOff::SiteSetup)
            .unwrap();
        assert_eq!(row[0], "pooled");
        assert_eq!(row[1], "1.5e6");
        assert_eq!(row[site_setup], "1000000.25");
        assert_eq!(row[2], "", "a kind the file lacks stays blank");
        assert_eq!(row.last().unwrap(), "2500000.25");
    }

    #[test]
    fn no_strategy_that_moves_work_means_no_sheet() {
        let table =
            summary("strategy,metric,mean\nsolo,transition_cost_usd,0.0\nsolo,npv_cost_usd,3\n");
        assert!(one_off_table(&table).unwrap().is_none());
    }
}
