//! The CSV files: `replications.csv` (one row per replication and strategy)
//! and `summary.csv` (one tidy row per strategy and metric).
//!
//! Numbers are written in plain decimal (Rust's shortest round-trip form,
//! never scientific notation), so spreadsheets read them exactly.

use std::io::Write;

use crate::metrics::Metric;
use crate::model::Scenario;
use crate::run::ReplicationMetrics;
use crate::stats::MetricCollector;

/// Streams `replications.csv` rows as replications complete.
pub struct ReplicationsCsv<W: Write> {
    writer: csv::Writer<W>,
    strategy_ids: Vec<String>,
}

impl<W: Write> ReplicationsCsv<W> {
    /// Starts the file: writes the header.
    ///
    /// # Errors
    /// When writing fails.
    pub fn new(out: W, scenario: &Scenario) -> csv::Result<Self> {
        let mut writer = csv::Writer::from_writer(out);
        let header = ["replication", "strategy"]
            .into_iter()
            .chain(Metric::ALL.iter().map(|m| m.name()));
        writer.write_record(header)?;
        let strategy_ids = scenario.strategies.iter().map(|s| s.id.clone()).collect();
        Ok(ReplicationsCsv {
            writer,
            strategy_ids,
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
                .chain(values.iter().map(f64::to_string));
            self.writer.write_record(row)?;
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

/// The columns of `summary.csv`.
pub const SUMMARY_HEADER: [&str; 11] = [
    "strategy", "metric", "mean", "sd", "se", "p05", "p50", "p95", "min", "max", "n",
];

/// Writes `summary.csv`: for each strategy (scenario order) and metric
/// (column order of `replications.csv`), its summary over replications.
///
/// # Errors
/// When writing fails.
pub fn write_summary<W: Write>(
    out: W,
    scenario: &Scenario,
    collected: &MetricCollector,
) -> csv::Result<W> {
    let mut writer = csv::Writer::from_writer(out);
    writer.write_record(SUMMARY_HEADER)?;
    for (s, strategy) in scenario.strategies.iter().enumerate() {
        for metric in Metric::ALL {
            let Some(x) = collected.summary(s, metric.index()) else {
                continue;
            };
            let numbers =
                [x.mean, x.sd, x.se, x.p05, x.p50, x.p95, x.min, x.max].map(|v| v.to_string());
            let row = [strategy.id.clone(), metric.name().to_owned()]
                .into_iter()
                .chain(numbers)
                .chain([x.n.to_string()]);
            writer.write_record(row)?;
        }
    }
    writer.into_inner().map_err(|e| e.into_error().into())
}
