//! The CSV files: `replications.csv` (one row per replication and strategy),
//! `summary.csv` (one tidy row per strategy and metric), and the
//! decomposition of the economies-of-scale gap.
//!
//! Numbers are written in plain decimal (Rust's shortest round-trip form,
//! never scientific notation), so spreadsheets read them exactly. Every
//! writer takes the folder's [`CsvDialect`]: tidy CSV, or `;` and decimal
//! commas for spreadsheets in comma-decimal locales.

use std::io::Write;

use super::cell::{CsvWriter, optional_number, write_table};

use crate::metrics::{Metric, YearMetric};
use crate::model::{Centre, Mechanism, Scenario, Strategy};
use crate::results::CsvDialect;
use crate::results::columns::{
    CENTRES_HEADER, COMPARISON_HEADER, DIFFERENCES_HEADER, LINES_HEADER, SENSITIVITY_HEADER,
};
use crate::run::ReplicationMetrics;
use crate::sensitivity::{Sensitivity, input_label};
use crate::stats::differences::pairs;
use crate::stats::{
    CentreCollector, DecompositionCollector, DifferenceCollector, LineCollector, MetricCollector,
    Span, Summary, YearCollector,
};

/// Streams `replications.csv` rows as replications complete.
pub struct ReplicationsCsv<W: Write> {
    writer: CsvWriter<W>,
    strategy_ids: Vec<String>,
    metrics: Vec<Metric>,
}

impl<W: Write> ReplicationsCsv<W> {
    /// Starts the file in `dialect`: writes the header.
    ///
    /// # Errors
    /// When writing fails.
    pub fn new(out: W, dialect: CsvDialect, scenario: &Scenario) -> csv::Result<Self> {
        let metrics = Metric::reported(scenario);
        let header: Vec<&str> = ["replication", "strategy"]
            .into_iter()
            .chain(metrics.iter().map(|m| m.name()))
            .collect();
        let writer = CsvWriter::new(out, dialect, &header)?;
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
                .chain(self.metrics.iter().map(|&m| optional_number(values[m])));
            self.writer.row(row)?;
        }
        Ok(())
    }

    /// Flushes and returns the underlying writer.
    ///
    /// # Errors
    /// When flushing fails.
    pub(crate) fn finish(self) -> std::io::Result<W> {
        self.writer.finish()
    }
}

/// The columns of `summary.csv`.
const SUMMARY_HEADER: [&str; 14] = [
    "strategy", "metric", "mean", "sd", "se", "p05", "p50", "p95", "min", "max", "n", "p05_se",
    "p50_se", "p95_se",
];

/// The columns of a summary after its labels (those of `SUMMARY_HEADER`
/// after `strategy` and `metric`).
const SUMMARY_COLUMNS: [&str; 12] = [
    "mean", "sd", "se", "p05", "p50", "p95", "min", "max", "n", "p05_se", "p50_se", "p95_se",
];

fn summary_numbers(x: Summary) -> impl Iterator<Item = String> {
    let [p05_se, p50_se, p95_se] = x.percentile_se;
    [x.mean, x.sd, x.se, x.p05, x.p50, x.p95, x.min, x.max]
        .map(|v| v.to_string())
        .into_iter()
        .chain([x.n.to_string()])
        .chain([p05_se, p50_se, p95_se].map(|v| v.to_string()))
}

/// Every strategy's summary of every reported metric, strategies in
/// scenario order and metrics in column order of `replications.csv`,
/// leaving out those without a value.
fn metric_summaries<'a>(
    scenario: &'a Scenario,
    collected: &'a MetricCollector,
) -> impl Iterator<Item = (&'a str, Metric, Summary)> + 'a {
    let metrics = Metric::reported(scenario);
    scenario
        .strategies
        .iter()
        .enumerate()
        .flat_map(move |(s, strategy)| {
            metrics.clone().into_iter().filter_map(move |metric| {
                let x = collected.summary(s, metric)?;
                Some((strategy.id.as_str(), metric, x))
            })
        })
}

/// Writes `summary.csv`: for each strategy (scenario order) and reported
/// metric (column order of `replications.csv`), its summary over replications.
///
/// # Errors
/// When writing fails.
pub(crate) fn write_summary<W: Write>(
    out: W,
    dialect: CsvDialect,
    scenario: &Scenario,
    collected: &MetricCollector,
) -> csv::Result<W> {
    let rows = metric_summaries(scenario, collected).map(|(strategy, metric, x)| {
        [strategy.to_owned(), metric.name().to_owned()]
            .into_iter()
            .chain(summary_numbers(x))
    });
    write_table(out, dialect, &SUMMARY_HEADER, rows)
}

/// The parts of the decomposition, in CSV order: the registered mechanisms, then
/// `other` (the gap with every mechanism off).
pub(crate) fn decomposition_parts() -> impl Iterator<Item = &'static str> {
    Mechanism::ALL.iter().map(|m| m.id()).chain(["other"])
}

/// Streams `decomposition.csv`: for each replication, one row per part
/// (`replication`, `mechanism`, `usd`); a replication's rows add up to its
/// `economies_of_scale_lost_usd` for the fragmented strategy.
pub struct DecompositionCsv<W: Write> {
    writer: CsvWriter<W>,
}

impl<W: Write> DecompositionCsv<W> {
    /// Starts the file in `dialect`: writes the header.
    ///
    /// # Errors
    /// When writing fails.
    pub fn new(out: W, dialect: CsvDialect) -> csv::Result<Self> {
        let writer = CsvWriter::new(out, dialect, &["replication", "mechanism", "usd"])?;
        Ok(DecompositionCsv { writer })
    }

    /// Writes one replication's parts.
    ///
    /// # Errors
    /// When writing fails.
    pub fn write(&mut self, replication: u64, parts: &[f64]) -> csv::Result<()> {
        let replication = replication.to_string();
        for (name, value) in decomposition_parts().zip(parts) {
            self.writer
                .row([replication.as_str(), name, &value.to_string()])?;
        }
        Ok(())
    }

    /// Flushes and returns the underlying writer.
    ///
    /// # Errors
    /// When flushing fails.
    pub(crate) fn finish(self) -> std::io::Result<W> {
        self.writer.finish()
    }
}

/// Writes `decomposition_summary.csv`: one row per part and one for the
/// `total`, with the part's mean share of the mean gap — empty when the
/// gap's 95% confidence interval includes zero (see
/// [`Summary::mean_differs_from_zero`]).
///
/// # Errors
/// When writing fails.
pub(crate) fn write_decomposition_summary<W: Write>(
    out: W,
    dialect: CsvDialect,
    collected: &DecompositionCollector,
) -> csv::Result<W> {
    let header: Vec<&str> = ["mechanism", "share_of_gap"]
        .into_iter()
        .chain(SUMMARY_COLUMNS)
        .collect();
    let total = collected.total();
    let rows = decomposition_parts()
        .chain(["total"])
        .enumerate()
        .filter_map(|(i, name)| {
            let x = if name == "total" {
                total
            } else {
                collected.part(i)
            }?;
            // A share of a gap not known to differ from zero is noise over
            // noise: the cell is left empty.
            let share = total
                .filter(Summary::mean_differs_from_zero)
                .map_or_else(String::new, |t| (x.mean / t.mean).to_string());
            Some(
                [name.to_owned(), share]
                    .into_iter()
                    .chain(summary_numbers(x)),
            )
        });
    write_table(out, dialect, &header, rows)
}

/// The columns of `years.csv`.
pub(crate) const YEARS_HEADER: [&str; 7] =
    ["strategy", "year", "metric", "mean", "p05", "p50", "p95"];

/// One row of `years.csv`: a strategy's yearly figure over replications.
pub(crate) struct YearRow<'a> {
    /// The strategy's id.
    pub(crate) strategy: &'a str,
    /// The year, 1 = the first.
    pub(crate) year: u64,
    /// The figure's id.
    pub(crate) metric: &'static str,
    /// The figure over replications.
    pub(crate) summary: Summary,
}

/// The rows of `years.csv`, in its order: for each strategy (scenario
/// order), year and yearly figure with values.
pub(crate) fn year_rows<'a>(
    scenario: &'a Scenario,
    collected: &'a YearCollector,
) -> impl Iterator<Item = YearRow<'a>> + 'a {
    let years = 0..scenario.settings.horizon_years as usize;
    let figures = move |_: &Strategy| {
        let years = years.clone();
        years.flat_map(|year| YearMetric::ALL.map(|figure| (year, figure)))
    };
    strategy_rows(scenario, figures, |s, strategy, (year, figure)| {
        Some(YearRow {
            strategy: &strategy.id,
            year: year as u64 + 1,
            metric: figure.id(),
            summary: collected.summary(s, year, figure)?,
        })
    })
}

/// Writes `years.csv`: for each strategy, year (1 = the first year) and
/// yearly figure, its mean and percentiles over replications — the bands of
/// a fan chart.
///
/// # Errors
/// When writing fails.
pub(crate) fn write_years<W: Write>(
    out: W,
    dialect: CsvDialect,
    scenario: &Scenario,
    collected: &YearCollector,
) -> csv::Result<W> {
    let rows = year_rows(scenario, collected).map(|row| {
        let id = [
            row.strategy.to_owned(),
            row.year.to_string(),
            row.metric.to_owned(),
        ];
        id.into_iter().chain(mean_and_percentiles(&row.summary))
    });
    write_table(out, dialect, &YEARS_HEADER, rows)
}

/// Writes `differences.csv`: for each strategy against every other one
/// (both in scenario order), its savings in each year (`savings_usd`, year
/// 1 = the first) and over the horizon (`npv_savings_usd`, year `all`):
/// the mean and percentiles of the per-replication differences, and the
/// share of replications in which they are above 0.
///
/// # Errors
/// When writing fails.
pub(crate) fn write_differences<W: Write>(
    out: W,
    dialect: CsvDialect,
    scenario: &Scenario,
    collected: &DifferenceCollector,
) -> csv::Result<W> {
    let years = scenario.settings.horizon_years as usize;
    let spans = (0..years)
        .map(|y| (Span::Year(y), "savings_usd", (y + 1).to_string()))
        .chain([(Span::Horizon, "npv_savings_usd", "all".to_owned())]);
    let spans: Vec<(Span, &str, String)> = spans.collect();
    let rows = pairs(scenario.strategies.len()).flat_map(|pair| {
        let ids = [
            &scenario.strategies[pair.strategy].id,
            &scenario.strategies[pair.versus].id,
        ];
        spans.iter().filter_map(move |(span, metric, year)| {
            let d = collected.summary(pair, *span)?;
            Some(
                [
                    ids[0].clone(),
                    ids[1].clone(),
                    (*metric).to_owned(),
                    year.clone(),
                ]
                .into_iter()
                .chain(mean_and_percentiles(&d.summary))
                .chain([d.probability_positive.to_string()]),
            )
        })
    });
    write_table(out, dialect, &DIFFERENCES_HEADER, rows)
}

/// Writes `lines.csv`: every service line of every strategy (both in
/// scenario order) in the last year of the horizon, over replications.
/// The contact figures (speed of answer, abandonment) are not measured
/// yet: their cells are empty.
///
/// # Errors
/// When writing fails.
pub(crate) fn write_lines<W: Write>(
    out: W,
    dialect: CsvDialect,
    scenario: &Scenario,
    collected: &LineCollector,
) -> csv::Result<W> {
    let days = f64::from(scenario.settings.working_days_per_year);
    let lines = |_: &Strategy| scenario.service_lines.iter().enumerate();
    let rows = strategy_rows(scenario, lines, |s, strategy, (l, line)| {
        let f = collected.figures(s, l, days)?;
        Some([
            strategy.id.clone(),
            line.id.clone(),
            f.fte.to_string(),
            f.transactions_per_year.to_string(),
            optional_number(f.transactions_per_fte_year),
            optional_number(f.utilisation_share),
            optional_number(f.service_level),
            optional_number(f.backlog_probability),
            f.mean_backlog_transactions.to_string(),
            optional_number(f.average_speed_of_answer_seconds),
            optional_number(f.abandon_share),
        ])
    });
    write_table(out, dialect, &LINES_HEADER, rows)
}

/// A summary's mean and 5th, 50th and 95th percentiles, as cells.
fn mean_and_percentiles(x: &Summary) -> [String; 4] {
    [x.mean, x.p05, x.p50, x.p95].map(|v| v.to_string())
}

/// Writes `centres.csv`: every centre of every strategy in the last year of
/// the horizon, averaged over replications.
///
/// # Errors
/// When writing fails.
pub(crate) fn write_centres<'a, W: Write>(
    out: W,
    dialect: CsvDialect,
    scenario: &'a Scenario,
    collected: &'a CentreCollector,
) -> csv::Result<W> {
    let centres = |strategy: &'a Strategy| strategy.centres.iter().enumerate();
    let rows = strategy_rows(scenario, centres, |s, strategy, (c, centre)| {
        let means = collected.means(s, c)?;
        let agencies: Vec<&str> = centre_agencies(centre)
            .map(|a| scenario.agencies[a].id.as_str())
            .collect();
        Some([
            strategy.id.clone(),
            centre.id.clone(),
            scenario.locations[centre.location].id.clone(),
            agencies.join("+"),
            means.transactions.to_string(),
            means.running_cost_usd.to_string(),
            optional_number(means.cost_per_transaction_usd()),
            means.fte.to_string(),
        ])
    });
    write_table(out, dialect, &CENTRES_HEADER, rows)
}

/// One row for each strategy and each of its `items(strategy)` (both in
/// order), `row(s, strategy, item)` for the strategy at index `s`; items
/// without figures (`None`) have no row.
fn strategy_rows<'a, I: IntoIterator + 'a, R: 'a>(
    scenario: &'a Scenario,
    items: impl Fn(&'a Strategy) -> I + 'a,
    row: impl Fn(usize, &'a Strategy, I::Item) -> Option<R> + Copy + 'a,
) -> impl Iterator<Item = R> + 'a {
    let strategies = scenario.strategies.iter().enumerate();
    strategies.flat_map(move |(s, strategy)| {
        items(strategy)
            .into_iter()
            .filter_map(move |item| row(s, strategy, item))
    })
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
/// correlation with it and, for the inputs that rank highest, its swing;
/// each input by its path and by its label for a reader.
///
/// # Errors
/// When writing fails.
pub(crate) fn write_sensitivity<W: Write>(
    out: W,
    dialect: CsvDialect,
    scenario: &Scenario,
    rows: &[Sensitivity],
) -> csv::Result<W> {
    let rows = rows.iter().map(|row| {
        [
            row.output.metric().name().to_owned(),
            scenario.strategies[row.output.strategy()].id.clone(),
            scenario.inputs[row.input].name.clone(),
            optional_number(row.rank_correlation),
            row.input_low.to_string(),
            row.input_high.to_string(),
            optional_number(row.swing.map(|s| s.at_low)),
            optional_number(row.swing.map(|s| s.at_high)),
            optional_number(row.swing.map(|s| s.size())),
            input_label(scenario, &scenario.inputs[row.input].name),
        ]
    });
    write_table(out, dialect, &SENSITIVITY_HEADER, rows)
}

/// One scenario of a batch, as `comparison.csv` and the headline table
/// show it.
pub struct BatchScenario<'a> {
    /// Its result sub-folder's name.
    pub name: &'a str,
    /// The scenario.
    pub scenario: &'a Scenario,
    /// Every strategy's metrics over its replications.
    pub metrics: &'a MetricCollector,
    /// Replications run.
    pub replications: u64,
    /// Whether a stop cut its run short.
    pub partial: bool,
}

/// A scenario of a batch that a stop prevented from starting.
pub struct NotRunScenario<'a> {
    /// The result sub-folder's name it would have had.
    pub name: &'a str,
    /// Its horizon.
    pub horizon_years: u32,
}

/// Writes `comparison.csv`, tidy: for each scenario of a batch, each
/// strategy and reported metric, its mean and percentiles (the values of
/// the scenario's `summary.csv`), with the scenario's horizon, its
/// replications and whether a stop cut its run short. Each scenario that
/// a stop prevented from starting (`not_run`) follows as one row with no
/// strategy, metric or values, 0 replications and `partial` true, so the
/// file itself says which scenarios of the batch are missing.
///
/// # Errors
/// When writing fails.
pub(crate) fn write_comparison<W: Write>(
    out: W,
    dialect: CsvDialect,
    scenarios: &[BatchScenario],
    not_run: &[NotRunScenario],
) -> csv::Result<W> {
    let rows = scenarios.iter().flat_map(|b| {
        let context = [
            b.scenario.settings.horizon_years.to_string(),
            b.replications.to_string(),
            b.partial.to_string(),
        ];
        metric_summaries(b.scenario, b.metrics).map(move |(strategy, metric, x)| {
            [
                b.name.to_owned(),
                strategy.to_owned(),
                metric.name().to_owned(),
            ]
            .into_iter()
            .chain(mean_and_percentiles(&x))
            .chain(context.clone())
            .collect::<Vec<_>>()
        })
    });
    let not_run_rows = not_run.iter().map(|n| {
        COMPARISON_HEADER
            .map(|column| match column {
                "scenario" => n.name.to_owned(),
                "horizon_years" => n.horizon_years.to_string(),
                "replications" => "0".to_owned(),
                "partial" => true.to_string(),
                _ => String::new(),
            })
            .to_vec()
    });
    write_table(out, dialect, &COMPARISON_HEADER, rows.chain(not_run_rows))
}
