//! The year-by-year difference fan, from `differences.csv`: each
//! strategy's savings against the status quo in each year (paired over
//! replications, undiscounted), its mean and its 5th-95th percentile band —
//! when a move costs money and when it returns it, and how sure that is.

use maud::html;

use super::ReportError;
use super::chart::{Palette, STATUS_QUO};
use super::fan::{self, Fan, FanChart, FanPoint};
use super::files::{DifferenceRow, ResultFiles};
use super::section::{RunFileSection, Section};
use crate::results::ResultFile;

/// The metric of `differences.csv` the fan shows, by year.
const METRIC: &str = "savings_usd";

/// The fans of every strategy against the status quo, in file order, the
/// line at the mean; rows with a missing number, or for the horizon
/// (`all`), are left out.
pub(crate) fn fans(rows: &[DifferenceRow]) -> Vec<Fan> {
    fan::grouped(
        rows.iter()
            .filter(|r| r.metric == METRIC && r.versus == STATUS_QUO && r.strategy != STATUS_QUO)
            .filter_map(|row| {
                let point = FanPoint {
                    year: row.year.parse().ok()?,
                    p05: row.p05?,
                    p50: row.mean?,
                    p95: row.p95?,
                };
                Some((row.strategy.as_str(), point))
            }),
    )
}

/// Where the difference fan comes from.
const SOURCE: RunFileSection = RunFileSection {
    id: "differences",
    title: "Savings year by year",
    file: ResultFile::Differences,
};

/// The difference-fan section.
///
/// # Errors
/// When the chart fails to draw.
pub(crate) fn section(files: &ResultFiles, palette: &Palette) -> Result<Section, ReportError> {
    let has = format!("no yearly {METRIC} of a strategy against the status quo");
    let chart = FanChart {
        id: "chart-differences",
        kind: "difference fan",
        title: "Savings against the status quo in each year",
        when: "in year",
        caption: "Savings against the status quo in each year (USD million)",
        line: "mean",
        y_desc: "savings in the year, USD million",
    };
    let note = html! {
        "Each year's cost of the status quo minus that of the strategy, undiscounted, USD "
        "million, paired replication by replication (common random numbers). The line is the "
        "mean, the band runs from the 5th to the 95th percentile of the difference — the "
        "spread of the saving itself, not the difference of the two costs' spreads. Below "
        "zero, the strategy costs more than the status quo that year."
    };
    let fans = files.differences.as_deref().map(fans);
    SOURCE.of(fans, &has, |fans| chart.figure(fans, palette, note))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(strategy: &str, versus: &str, year: &str, mean: Option<f64>) -> DifferenceRow {
        DifferenceRow {
            strategy: strategy.into(),
            versus: versus.into(),
            metric: METRIC.into(),
            year: year.into(),
            mean,
            p05: Some(-1.0),
            p95: Some(9.0),
        }
    }

    #[test]
    fn fans_keep_yearly_savings_against_the_status_quo_at_the_mean() {
        let mut npv = row("solo", STATUS_QUO, "all", Some(7.0));
        npv.metric = "npv_savings_usd".into();
        let rows = vec![
            row("solo", STATUS_QUO, "2", Some(5.0)),
            row("solo", STATUS_QUO, "1", Some(-2.0)),
            row("solo", "pooled", "1", Some(3.0)),
            row("pooled", STATUS_QUO, "1", None),
            npv,
        ];
        let f = fans(&rows);
        assert_eq!(f.len(), 1);
        let points: Vec<(u32, f64)> = f[0].points.iter().map(|p| (p.year, p.p50)).collect();
        assert_eq!(points, vec![(1, -2.0), (2, 5.0)]);
    }
}
