//! The Parquet copies of the tables that outgrow spreadsheets:
//! `replications.parquet` (one row per replication and strategy) and
//! `years.parquet` (the yearly figures), beside their CSV files, with the
//! same columns in the same order and the same rows.
//!
//! Types are those of the values, not of their text: the replication and
//! the year as UInt64, labels as Utf8, figures as Float64 — a metric
//! without a value (an empty CSV cell) is null. Every row of a shard's
//! `replications.parquet` carries its global replication index, so the
//! shards' files together are the single run's table: a folder of shards
//! is a dataset a Parquet reader (DuckDB, Polars, Spark) reads as one.
//!
//! Files are written through Apache Arrow's Rust crates (`arrow-array`,
//! `parquet`), Snappy-compressed, rows buffered a batch at a time and cut
//! into row groups of [`ROWS_PER_GROUP`], so memory stays bounded however
//! many replications a run has.

use std::io::Write;
use std::sync::Arc;

use arrow_array::builder::{Float64Builder, StringBuilder, UInt64Builder};
use arrow_array::{ArrayRef, Float64Array, RecordBatch, StringArray, UInt64Array};
use arrow_schema::{DataType, Field, Schema, SchemaRef};
use parquet::arrow::ArrowWriter;
use parquet::basic::Compression;
use parquet::errors::Result;
use parquet::file::properties::WriterProperties;

use super::csv::{YEARS_HEADER, year_rows};
use crate::metrics::Metric;
use crate::model::Scenario;
use crate::run::ReplicationMetrics;
use crate::stats::YearCollector;

/// Rows held in memory before they are handed to the writer as one batch.
const ROWS_PER_BATCH: usize = 8_192;

/// Rows of a row group: the unit a reader skips or reads in parallel. The
/// writer holds one row group encoded in memory until it is full; at
/// 65,536 rows of a few dozen 8-byte columns that is some megabytes, where
/// the library's default (1,048,576 rows) would be hundreds.
pub const ROWS_PER_GROUP: usize = 65_536;

/// The properties of every Parquet file sscsim writes.
fn properties() -> WriterProperties {
    WriterProperties::builder()
        .set_compression(Compression::SNAPPY)
        .set_max_row_group_row_count(Some(ROWS_PER_GROUP))
        .build()
}

/// Streams `replications.parquet` rows as replications complete: the
/// columns of `replications.csv` — `replication` (UInt64), `strategy`
/// (Utf8), then every reported metric (Float64, null without a value).
pub struct ReplicationsParquet<W: Write + Send> {
    writer: ArrowWriter<W>,
    schema: SchemaRef,
    strategy_ids: Vec<String>,
    metrics: Vec<Metric>,
    replication: UInt64Builder,
    strategy: StringBuilder,
    values: Vec<Float64Builder>,
    rows: usize,
}

impl<W: Write + Send> ReplicationsParquet<W> {
    /// Starts the file: writes its magic number.
    ///
    /// # Errors
    /// When writing fails.
    pub fn new(out: W, scenario: &Scenario) -> Result<Self> {
        let metrics = Metric::reported(scenario);
        let fields = [
            Field::new("replication", DataType::UInt64, false),
            Field::new("strategy", DataType::Utf8, false),
        ]
        .into_iter()
        .chain(
            metrics
                .iter()
                .map(|m| Field::new(m.name(), DataType::Float64, true)),
        );
        let schema = Arc::new(Schema::new(fields.collect::<Vec<_>>()));
        let writer = ArrowWriter::try_new(out, schema.clone(), Some(properties()))?;
        Ok(ReplicationsParquet {
            writer,
            schema,
            strategy_ids: scenario.strategies.iter().map(|s| s.id.clone()).collect(),
            values: metrics.iter().map(|_| Float64Builder::new()).collect(),
            metrics,
            replication: UInt64Builder::new(),
            strategy: StringBuilder::new(),
            rows: 0,
        })
    }

    /// Adds one row per strategy for one replication.
    ///
    /// # Errors
    /// When writing a full batch fails.
    pub fn write(&mut self, metrics: &ReplicationMetrics) -> Result<()> {
        for (id, values) in self.strategy_ids.iter().zip(&metrics.strategies) {
            self.replication.append_value(metrics.replication);
            self.strategy.append_value(id);
            for (column, &metric) in self.values.iter_mut().zip(&self.metrics) {
                column.append_option(values[metric]);
            }
            self.rows += 1;
        }
        if self.rows >= ROWS_PER_BATCH {
            self.write_batch()?;
        }
        Ok(())
    }

    /// Hands the rows held to the writer.
    fn write_batch(&mut self) -> Result<()> {
        if self.rows == 0 {
            return Ok(());
        }
        let columns: Vec<ArrayRef> = [
            Arc::new(self.replication.finish()) as ArrayRef,
            Arc::new(self.strategy.finish()),
        ]
        .into_iter()
        .chain(
            self.values
                .iter_mut()
                .map(|c| Arc::new(c.finish()) as ArrayRef),
        )
        .collect();
        self.rows = 0;
        let batch = RecordBatch::try_new(self.schema.clone(), columns)?;
        self.writer.write(&batch)
    }

    /// Writes the rows still held and the footer, and returns the
    /// underlying writer.
    ///
    /// # Errors
    /// When writing fails.
    pub(crate) fn finish(mut self) -> Result<W> {
        self.write_batch()?;
        self.writer.into_inner()
    }
}

/// Writes `years.parquet`: the rows of `years.csv` — `strategy` (Utf8),
/// `year` (UInt64, 1 = the first), `metric` (Utf8), `mean`, `p05`, `p50`,
/// `p95` (Float64).
///
/// # Errors
/// When writing fails.
pub(crate) fn write_years_parquet<W: Write + Send>(
    out: W,
    scenario: &Scenario,
    collected: &YearCollector,
) -> Result<W> {
    let [strategy, year, metric, mean, p05, p50, p95] = YEARS_HEADER;
    let schema = Arc::new(Schema::new(vec![
        Field::new(strategy, DataType::Utf8, false),
        Field::new(year, DataType::UInt64, false),
        Field::new(metric, DataType::Utf8, false),
        Field::new(mean, DataType::Float64, false),
        Field::new(p05, DataType::Float64, false),
        Field::new(p50, DataType::Float64, false),
        Field::new(p95, DataType::Float64, false),
    ]));
    // A summary table: a few rows per strategy and year, one batch.
    let rows: Vec<_> = year_rows(scenario, collected).collect();
    let numbers = |f: fn(&crate::stats::Summary) -> f64| -> ArrayRef {
        Arc::new(Float64Array::from_iter_values(
            rows.iter().map(|r| f(&r.summary)),
        ))
    };
    let columns: Vec<ArrayRef> = vec![
        Arc::new(StringArray::from_iter_values(
            rows.iter().map(|r| r.strategy),
        )),
        Arc::new(UInt64Array::from_iter_values(rows.iter().map(|r| r.year))),
        Arc::new(StringArray::from_iter_values(rows.iter().map(|r| r.metric))),
        numbers(|s| s.mean),
        numbers(|s| s.p05),
        numbers(|s| s.p50),
        numbers(|s| s.p95),
    ];
    let batch = RecordBatch::try_new(schema.clone(), columns)?;
    let mut writer = ArrowWriter::try_new(out, schema, Some(properties()))?;
    writer.write(&batch)?;
    writer.into_inner()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A disk that is full: every write fails, as the system says it.
    struct FullDisk;

    impl Write for FullDisk {
        fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
            Err(std::io::Error::new(
                std::io::ErrorKind::StorageFull,
                "No space left on device (os error 28)",
            ))
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_full_disk_is_an_error_that_says_so() {
        let scenario = crate::scenario::default_scenario();
        let error = match ReplicationsParquet::new(FullDisk, &scenario) {
            Err(e) => e,
            Ok(writer) => writer.finish().err().expect("a full disk fails"),
        };
        let message = error.to_string();
        assert!(message.contains("No space left on device"), "{message}");
    }
}
