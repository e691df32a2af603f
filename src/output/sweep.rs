//! `sweep.csv`, `breakeven.csv` and `breakeven_points.csv`, and the tables `sweep` and `breakeven`
//! print: what [`crate::sweep`] found, as people read it.

use std::io::Write;

use super::cell::{optional_number, write_table};
use super::table::table_with_text as table;
use crate::format;
use crate::model::Scenario;
use crate::results::CsvDialect;
use crate::stats::{MetricCollector, Summary};
use crate::sweep::{Breakeven, SWEPT_METRICS};

/// The columns of `sweep.csv`.
pub const SWEEP_HEADER: [&str; 10] = [
    "key",
    "value",
    "strategy",
    "metric",
    "mean",
    "mean_half_width_95",
    "p05",
    "p50",
    "p95",
    "replications",
];

/// The columns of `breakeven.csv`.
pub const BREAKEVEN_HEADER: [&str; 13] = [
    "key",
    "strategy",
    "versus",
    "finding",
    "value",
    "ci_low",
    "ci_high",
    "mean_savings_at_value_usd",
    "half_width_at_value_usd",
    "savings_at_from_usd",
    "savings_at_to_usd",
    "evaluations",
    "replications",
];

/// The columns of `breakeven_points.csv`.
pub const BREAKEVEN_POINTS_HEADER: [&str; 6] = [
    "key",
    "strategy",
    "versus",
    "value",
    "mean_savings_usd",
    "half_width_usd",
];

/// One value of a sweep: the value and every strategy's summaries there.
pub struct SweptValue<'a> {
    /// The value the key was set to.
    pub value: f64,
    /// The summaries of the run at that value.
    pub metrics: &'a MetricCollector,
}

/// Every row of `sweep.csv`: per value, strategy and metric of
/// [`SWEPT_METRICS`] that the strategy has.
fn sweep_rows<'a>(
    scenario: &'a Scenario,
    key: &'a str,
    values: &'a [SweptValue<'a>],
) -> impl Iterator<Item = [String; 10]> + 'a {
    values.iter().flat_map(move |v| {
        scenario
            .strategies
            .iter()
            .enumerate()
            .flat_map(move |(s, strategy)| {
                SWEPT_METRICS.iter().filter_map(move |&metric| {
                    let summary: Summary = v.metrics.summary(s, metric)?;
                    Some([
                        key.to_owned(),
                        v.value.to_string(),
                        strategy.id.clone(),
                        metric.name().to_owned(),
                        summary.mean.to_string(),
                        optional_number(summary.half_width_95()),
                        summary.p05.to_string(),
                        summary.p50.to_string(),
                        summary.p95.to_string(),
                        summary.n.to_string(),
                    ])
                })
            })
    })
}

/// Writes `sweep.csv`.
///
/// # Errors
/// When writing fails.
pub(crate) fn write_sweep<W: Write>(
    out: W,
    dialect: CsvDialect,
    scenario: &Scenario,
    key: &str,
    values: &[SweptValue<'_>],
) -> csv::Result<W> {
    write_table(
        out,
        dialect,
        &SWEEP_HEADER,
        sweep_rows(scenario, key, values),
    )
}

/// What a break-even search found, named by strategies' ids.
pub struct BreakevenFound<'a> {
    /// The key varied.
    pub key: &'a str,
    /// The strategy whose savings are searched.
    pub strategy: &'a str,
    /// What it saves against.
    pub versus: &'a str,
    /// The search's result.
    pub breakeven: &'a Breakeven,
    /// Replications per evaluation.
    pub replications: u64,
}

impl BreakevenFound<'_> {
    /// What was found, in words: `crossing`, or which sign holds throughout.
    pub(crate) fn finding(&self) -> &'static str {
        match (
            &self.breakeven.crossing,
            self.breakeven.at_ends[0].mean_usd > 0.0,
        ) {
            (Some(_), _) => "crossing",
            (None, true) => "no crossing: saves throughout",
            (None, false) => "no crossing: costs more throughout",
        }
    }

    /// The interval's ends, lower first; `None` where it reaches past the
    /// range's end.
    fn interval(&self, from: f64, to: f64) -> [Option<f64>; 2] {
        let Some(c) = &self.breakeven.crossing else {
            return [None, None];
        };
        if from <= to {
            [c.ci_from_side, c.ci_to_side]
        } else {
            [c.ci_to_side, c.ci_from_side]
        }
    }
}

/// Writes `breakeven.csv`, one row: the crossing and its interval (empty
/// cells where there is none), the savings at the ends of the range, and
/// the cost of the search.
///
/// # Errors
/// When writing fails.
pub(crate) fn write_breakeven<W: Write>(
    out: W,
    dialect: CsvDialect,
    found: &BreakevenFound<'_>,
    (from, to): (f64, f64),
) -> csv::Result<W> {
    let b = found.breakeven;
    let [low, high] = found.interval(from, to);
    let c = b.crossing.as_ref();
    let row = [
        found.key.to_owned(),
        found.strategy.to_owned(),
        found.versus.to_owned(),
        found.finding().to_owned(),
        optional_number(c.map(|c| c.value)),
        optional_number(low),
        optional_number(high),
        optional_number(c.map(|c| c.at_value.mean_usd)),
        optional_number(c.map(|c| c.at_value.half_width_usd)),
        b.at_ends[0].mean_usd.to_string(),
        b.at_ends[1].mean_usd.to_string(),
        b.evaluations.len().to_string(),
        found.replications.to_string(),
    ];
    write_table(out, dialect, &BREAKEVEN_HEADER, [row])
}

/// Writes `breakeven_points.csv`: every value the search evaluated, in
/// increasing order, with the paired mean savings there and the half-width
/// of its 95% interval — the curve whose zero `breakeven.csv` gives.
///
/// # Errors
/// When writing fails.
pub(crate) fn write_breakeven_points<W: Write>(
    out: W,
    dialect: CsvDialect,
    found: &BreakevenFound<'_>,
) -> csv::Result<W> {
    let mut points: Vec<&(f64, crate::sweep::Paired)> =
        found.breakeven.evaluations.iter().collect();
    points.sort_by(|a, b| a.0.total_cmp(&b.0));
    let rows = points.into_iter().map(|(value, p)| {
        [
            found.key.to_owned(),
            found.strategy.to_owned(),
            found.versus.to_owned(),
            value.to_string(),
            p.mean_usd.to_string(),
            p.half_width_usd.to_string(),
        ]
    });
    write_table(out, dialect, &BREAKEVEN_POINTS_HEADER, rows)
}

/// The printed table of a sweep: each strategy's mean NPV savings (and the
/// fragmented strategy's economies of scale lost) at each value, with the
/// half-width of their 95% interval.
pub(crate) fn render_sweep(scenario: &Scenario, key: &str, values: &[SweptValue<'_>]) -> String {
    let strategies: Vec<usize> = (1..scenario.strategies.len()).collect();
    let mut headings = vec![key.to_owned()];
    headings.extend(
        strategies
            .iter()
            .map(|&s| format!("{} savings", scenario.strategies[s].id)),
    );
    let headings: Vec<&str> = headings.iter().map(String::as_str).collect();
    let mut t = table(&headings, 1);
    for v in values {
        let mut row = vec![format::tick(v.value)];
        row.extend(strategies.iter().map(|&s| {
            v.metrics
                .summary(s, crate::metrics::Metric::NpvSavingsUsd)
                .map_or_else(|| format::MISSING.to_owned(), |m| millions_pm(&m))
        }));
        t.add_row(row);
    }
    format!(
        "Mean NPV savings against the status quo (USD millions, ± 95% half-width), \
         by {key}:\n{t}\n"
    )
}

/// A mean in USD millions with the half-width of its 95% interval.
fn millions_pm(s: &Summary) -> String {
    match s.half_width_95() {
        Some(h) => format!(
            "{} ± {}",
            format::millions(s.mean, 1),
            format::millions(h, 1)
        ),
        None => format::millions(s.mean, 1),
    }
}

/// The printed result of a break-even search.
pub(crate) fn render_breakeven(found: &BreakevenFound<'_>, (from, to): (f64, f64)) -> String {
    let b = found.breakeven;
    let m = |usd: f64| format::millions(usd, 1);
    let whom = format!(
        "{}'s mean NPV savings against {}",
        found.strategy, found.versus
    );
    let ends = format!(
        "{} at {} = {}, {} at {} = {} (USD millions)",
        m(b.at_ends[0].mean_usd),
        found.key,
        format::tick(from),
        m(b.at_ends[1].mean_usd),
        found.key,
        format::tick(to),
    );
    let cost = format!(
        "{} evaluations × {} replications",
        b.evaluations.len(),
        found.replications
    );
    let Some(c) = &b.crossing else {
        let sign = if b.at_ends[0].mean_usd > 0.0 {
            "positive"
        } else {
            "negative"
        };
        return format!(
            "No break-even between {} and {}: {whom} are {sign} at both ends: {ends}. \
             ({cost})\n",
            format::tick(from),
            format::tick(to)
        );
    };
    let [low, high] = found.interval(from, to);
    let shown = |end: Option<f64>, beyond: f64| {
        end.map_or_else(|| format!("beyond {}", format::tick(beyond)), format::tick)
    };
    format!(
        "Break-even: {whom} cross zero at {} = {} (mean there {} ± {} million); \
         95% interval {} to {}.\n{ends}. ({cost})\n",
        found.key,
        format::tick(c.value),
        m(c.at_value.mean_usd),
        m(c.at_value.half_width_usd),
        shown(low, from.min(to)),
        shown(high, from.max(to)),
    )
}
