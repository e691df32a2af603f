//! The CSV files: `replications.csv` (one row per replication and strategy),
//! `summary.csv` (one tidy row per strategy and metric), and the
//! decomposition of the economies-of-scale gap.
//!
//! Numbers are written in plain decimal (Rust's shortest round-trip form,
//! never scientific notation), so spreadsheets read them exactly.

use std::io::Write;

use super::cell::write_row;

use crate::metrics::{Metric, YEAR_METRICS};
use crate::model::{Centre, Mechanism, Scenario};
use crate::results::columns::{CENTRES_HEADER, SENSITIVITY_HEADER};
use crate::run::ReplicationMetrics;
use crate::sensitivity::Sensitivity;
use crate::stats::{
    CentreCollector, DecompositionCollector, MetricCollector, Summary, YearCollector,
};

/// Streams `replications.csv` rows as replications complete.
pub struct ReplicationsCsv<W: Write> {
    writer: csv::Writer<W>,
    strategy_ids: Vec<String>,
    metrics: Vec<Metric>,
}

impl<W: Write> ReplicationsCsv<W> {
    /// Starts the file: writes the header.
    ///
    /// # Errors
    /// When writing fails.
    pub fn new(out: W, scenario: &Scenario) -> csv::Result<Self> {
        let mut writer = csv::Writer::from_writer(out);
        let metrics = Metric::reported(scenario);
        let header = ["replication", "strategy"]
            .into_iter()
            .chain(metrics.iter().map(|m| m.name()));
        write_row(&mut writer, header)?;
        let strategy_ids = scenario.strategies.iter().map(|s| s.id.clone()).collect();
        Ok(ReplicationsCsv {
            writer,
            strategy_ids,
            metrics,
        })
    }

    /// Writes one row per strategy for one replication.
    ///
    /// # Errors
    /// When writing fails.
    pub fn write(&mut self, metrics: &ReplicationMetrics) -> csv::Result<()> {
        let replication = metrics.replication.to_string();
        for (id, values) in self.strategy_ids.iter().zip(&metrics.strategies) {
            let row = [replication.clone(), id.clone()]
                .into_iter()
                .chain(self.metrics.iter().map(|m| number(values[m.index()])));
            write_row(&mut self.writer, row)?;
        }
        Ok(())
    }

    /// Flushes and returns the underlying writer.
    ///
    /// # Errors
    /// When flushing fails.
    pub fn finish(self) -> std::io::Result<W> {
        self.writer.into_inner().map_err(|e| e.into_error())
    }
}

/// A number as written in CSV: plain decimal, or an empty cell for a
/// missing value.
fn number(value: f64) -> String {
    if value.is_nan() {
        String::new()
    } else {
        value.to_string()
    }
}

/// The columns of `summary.csv`.
pub const SUMMARY_HEADER: [&str; 14] = [
    "strategy", "metric", "mean", "sd", "se", "p05", "p50", "p95", "min", "max", "n", "p05_se",
    "p50_se", "p95_se",
];

/// The columns of a summary after its labels (those of `SUMMARY_HEADER`
/// after `strategy` and `metric`).
const SUMMARY_COLUMNS: [&str; 12] = [
    "mean", "sd", "se", "p05", "p50", "p95", "min", "max", "n", "p05_se", "p50_se", "p95_se",
];

fn summary_numbers(x: &Summary) -> impl Iterator<Item = String> {
    let [p05_se, p50_se, p95_se] = x.percentile_se;
    [x.mean, x.sd, x.se, x.p05, x.p50, x.p95, x.min, x.max]
        .map(|v| v.to_string())
        .into_iter()
        .chain([x.n.to_string()])
        .chain([p05_se, p50_se, p95_se].map(|v| v.to_string()))
}

/// Writes `summary.csv`: for each strategy (scenario order) and reported
/// metric (column order of `replications.csv`), its summary over replications.
///
/// # Errors
/// When writing fails.
pub fn write_summary<W: Write>(
    out: W,
    scenario: &Scenario,
    collected: &MetricCollector,
) -> csv::Result<W> {
    let mut writer = csv::Writer::from_writer(out);
    write_row(&mut writer, SUMMARY_HEADER)?;
    for (s, strategy) in scenario.strategies.iter().enumerate() {
        for metric in Metric::reported(scenario) {
            let Some(x) = collected.summary(s, metric.index()) else {
                continue;
            };
            write_row(
                &mut writer,
                [strategy.id.clone(), metric.name().to_owned()]
                    .into_iter()
                    .chain(summary_numbers(&x)),
            )?;
        }
    }
    writer.into_inner().map_err(|e| e.into_error().into())
}

/// The parts of the decomposition, in CSV order: the five mechanisms, then
/// `other` (the gap with every mechanism off).
pub fn decomposition_parts() -> impl Iterator<Item = &'static str> {
    Mechanism::ALL.iter().map(|m| m.id()).chain(["other"])
}

/// Streams `decomposition.csv`: for each replication, one row per part
/// (`replication`, `mechanism`, `usd`); a replication's rows add up to its
/// `economies_of_scale_lost_usd` for the fragmented strategy.
pub struct DecompositionCsv<W: Write> {
    writer: csv::Writer<W>,
}

impl<W: Write> DecompositionCsv<W> {
    /// Starts the file: writes the header.
    ///
    /// # Errors
    /// When writing fails.
    pub fn new(out: W) -> csv::Result<Self> {
        let mut writer = csv::Writer::from_writer(out);
        write_row(&mut writer, ["replication", "mechanism", "usd"])?;
        Ok(DecompositionCsv { writer })
    }

    /// Writes one replication's parts.
    ///
    /// # Errors
    /// When writing fails.
    pub fn write(&mut self, replication: u64, parts: &[f64]) -> csv::Result<()> {
        let replication = replication.to_string();
        for (name, value) in decomposition_parts().zip(parts) {
            write_row(
                &mut self.writer,
                [replication.as_str(), name, &value.to_string()],
            )?;
        }
        Ok(())
    }

    /// Flushes and returns the underlying writer.
    ///
    /// # Errors
    /// When flushing fails.
    pub fn finish(self) -> std::io::Result<W> {
        self.writer.into_inner().map_err(|e| e.into_error())
    }
}

/// Writes `decomposition_summary.csv`: one row per part and one for the
/// `total`, with the part's mean share of the mean gap.
///
/// # Errors
/// When writing fails.
pub fn write_decomposition_summary<W: Write>(
    out: W,
    collected: &DecompositionCollector,
) -> csv::Result<W> {
    let mut writer = csv::Writer::from_writer(out);
    write_row(
        &mut writer,
        ["mechanism", "share_of_gap"]
            .into_iter()
            .chain(SUMMARY_COLUMNS),
    )?;
    let total = collected.total();
    for (i, name) in decomposition_parts().chain(["total"]).enumerate() {
        let Some(x) = (if name == "total" {
            total
        } else {
            collected.part(i)
        }) else {
            continue;
        };
        let share = total.map_or(0.0, |t| if t.mean != 0.0 { x.mean / t.mean } else { 0.0 });
        write_row(
            &mut writer,
            [name.to_owned(), share.to_string()]
                .into_iter()
                .chain(summary_numbers(&x)),
        )?;
    }
    writer.into_inner().map_err(|e| e.into_error().into())
}

/// The columns of `years.csv`.
pub const YEARS_HEADER: [&str; 7] = ["strategy", "year", "metric", "mean", "p05", "p50", "p95"];

/// Writes `years.csv`: for each strategy, year (1 = the first year) and
/// yearly figure, its mean and percentiles over replications — the bands of
/// a fan chart.
///
/// # Errors
/// When writing fails.
pub fn write_years<W: Write>(
    out: W,
    scenario: &Scenario,
    collected: &YearCollector,
) -> csv::Result<W> {
    let mut writer = csv::Writer::from_writer(out);
    write_row(&mut writer, YEARS_HEADER)?;
    for (s, strategy) in scenario.strategies.iter().enumerate() {
        for year in 0..scenario.settings.horizon_years as usize {
            for (m, metric) in YEAR_METRICS.iter().enumerate() {
                let Some(x) = collected.summary(s, year, m) else {
                    continue;
                };
                let numbers = [x.mean, x.p05, x.p50, x.p95].map(|v| v.to_string());
                write_row(
                    &mut writer,
                    [
                        strategy.id.clone(),
                        (year + 1).to_string(),
                        (*metric).to_owned(),
                    ]
                    .into_iter()
                    .chain(numbers),
                )?;
            }
        }
    }
    writer.into_inner().map_err(|e| e.into_error().into())
}

/// Writes `centres.csv`: every centre of every strategy in the last year of
/// the horizon, averaged over replications.
///
/// # Errors
/// When writing fails.
pub fn write_centres<W: Write>(
    out: W,
    scenario: &Scenario,
    collected: &CentreCollector,
) -> csv::Result<W> {
    let mut writer = csv::Writer::from_writer(out);
    write_row(&mut writer, CENTRES_HEADER)?;
    for (s, strategy) in scenario.strategies.iter().enumerate() {
        for (c, centre) in strategy.centres.iter().enumerate() {
            let Some(means) = collected.means(s, c) else {
                continue;
            };
            let agencies: Vec<&str> = centre_agencies(centre)
                .map(|a| scenario.agencies[a].id.as_str())
                .collect();
            write_row(
                &mut writer,
                [
                    strategy.id.clone(),
                    centre.id.clone(),
                    scenario.locations[centre.location].id.clone(),
                    agencies.join("+"),
                    means.transactions.to_string(),
                    means.running_cost_usd.to_string(),
                    means
                        .cost_per_transaction_usd()
                        .map_or(String::new(), |c| c.to_string()),
                    means.fte.to_string(),
                ],
            )?;
        }
    }
    writer.into_inner().map_err(|e| e.into_error().into())
}

/// The agencies a centre serves in any line, in scenario order.
fn centre_agencies(centre: &Centre) -> impl Iterator<Item = usize> {
    let mut agencies: Vec<usize> = centre
        .teams
        .iter()
        .flat_map(|t| t.members.iter().copied())
        .collect();
    agencies.sort_unstable();
    agencies.dedup();
    agencies.into_iter()
}

/// Writes `sensitivity.csv`: for each key output, every input's rank
/// correlation with it and, for the inputs that rank highest, its swing.
///
/// # Errors
/// When writing fails.
pub fn write_sensitivity<W: Write>(
    out: W,
    scenario: &Scenario,
    rows: &[Sensitivity],
) -> csv::Result<W> {
    let mut writer = csv::Writer::from_writer(out);
    write_row(&mut writer, SENSITIVITY_HEADER)?;
    let cell = |v: Option<f64>| v.map_or(String::new(), |v| v.to_string());
    for row in rows {
        write_row(
            &mut writer,
            [
                row.output.metric().name().to_owned(),
                scenario.strategies[row.output.strategy()].id.clone(),
                scenario.inputs[row.input].name.clone(),
                cell(row.rank_correlation),
                row.input_low.to_string(),
                row.input_high.to_string(),
                cell(row.swing.map(|s| s.at_low)),
                cell(row.swing.map(|s| s.at_high)),
                cell(row.swing.map(|s| s.size())),
            ],
        )?;
    }
    writer.into_inner().map_err(|e| e.into_error().into())
}

/// The columns of `batch-summary.csv`.
pub const BATCH_HEADER: [&str; 7] = [
    "scenario", "strategy", "metric", "mean", "p05", "p50", "p95",
];

/// Writes `batch-summary.csv`: for each scenario of a batch (named by its
/// result sub-folder), each strategy and reported metric, its mean and
/// percentiles.
///
/// # Errors
/// When writing fails.
pub fn write_batch_summary<W: Write>(
    out: W,
    scenarios: &[(&str, &Scenario, &MetricCollector)],
) -> csv::Result<W> {
    let mut writer = csv::Writer::from_writer(out);
    write_row(&mut writer, BATCH_HEADER)?;
    for (name, scenario, collected) in scenarios {
        for (s, strategy) in scenario.strategies.iter().enumerate() {
            for metric in Metric::reported(scenario) {
                let Some(x) = collected.summary(s, metric.index()) else {
                    continue;
                };
                let numbers = [x.mean, x.p05, x.p50, x.p95].map(|v| v.to_string());
                write_row(
                    &mut writer,
                    [
                        name.to_string(),
                        strategy.id.clone(),
                        metric.name().to_owned(),
                    ]
                    .into_iter()
                    .chain(numbers),
                )?;
            }
        }
    }
    writer.into_inner().map_err(|e| e.into_error().into())
}
