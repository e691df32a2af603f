//! Running until a mean is known to a given precision.
//!
//! The target is one metric of some strategies — by default the headline,
//! the economies of scale the comparison's fragmented strategy loses — and
//! the run goes on until each of their means has a 95% confidence
//! half-width within the target, relative to the mean, or the maximum has
//! run. The decision to go on depends only on the replications already
//! run, whose results do not depend on threads, so a run with a precision
//! target stops at the same replication at any number of threads.

use super::{MetricCollector, Summary, Z_95};
use crate::metrics::Metric;
use crate::model::Scenario;

/// Extra replications on an estimate of what the target needs, so a run
/// rarely needs a further step.
const HEADROOM: f64 = 1.1;

/// The fewest replications a further step adds.
const MIN_STEP: u64 = 100;

/// How many metric ids a misspelt one is offered.
const SUGGESTIONS: usize = 3;

/// Run until the mean of `metric` of every strategy it targets has a 95%
/// confidence half-width below `percent` of its absolute value, or
/// `max_replications` have run.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Precision {
    /// Target half-width, percent of the mean.
    pub percent: f64,
    /// The most replications to run.
    pub max_replications: u64,
    /// Whose mean must be known so well.
    pub metric: PrecisionMetric,
}

/// The metric a precision target is measured on.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum PrecisionMetric {
    /// The headline: `economies_of_scale_lost_usd` of the comparison's
    /// fragmented strategy — the figure the decomposition explains; in a
    /// scenario without a comparison, `npv_savings_usd` of every strategy
    /// but the status quo.
    #[default]
    Headline,
    /// A metric of `summary.csv`, of every strategy but the status quo (and
    /// but the pooled strategy, for a metric of the comparison with it,
    /// which is 0 there).
    Named(Metric),
}

/// Where a targeted strategy's mean stands.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Reached {
    /// Index of the strategy.
    pub strategy: usize,
    /// The 95% confidence half-width of its mean, in percent of the mean;
    /// infinite for a mean of 0 or one without values.
    pub half_width_percent: f64,
}

/// The metric whose id is `text`, for `--precision-metric`: any id of
/// `summary.csv`.
///
/// # Errors
/// A message naming the closest ids when `text` is none.
pub fn parse_metric(text: &str) -> Result<Metric, String> {
    if let Some(metric) = Metric::ALL.into_iter().find(|m| m.name() == text) {
        return Ok(metric);
    }
    let mut scored: Vec<(f64, &str)> = Metric::ALL
        .iter()
        .map(|m| {
            (
                strsim::normalized_damerau_levenshtein(text, m.name()),
                m.name(),
            )
        })
        .collect();
    scored.sort_by(|x, y| y.0.total_cmp(&x.0).then(x.1.cmp(y.1)));
    let closest: Vec<String> = (scored.iter().take(SUGGESTIONS))
        .map(|(_, name)| format!("`{name}`"))
        .collect();
    Err(format!(
        "`{text}` is not a metric of summary.csv; did you mean {}?",
        closest.join(", ")
    ))
}

impl PrecisionMetric {
    /// The metric targeted in `scenario`.
    pub fn metric(self, scenario: &Scenario) -> Metric {
        match (self, scenario.comparison) {
            (PrecisionMetric::Named(metric), _) => metric,
            (PrecisionMetric::Headline, Some(_)) => Metric::EconomiesOfScaleLostUsd,
            (PrecisionMetric::Headline, None) => Metric::NpvSavingsUsd,
        }
    }

    /// The strategies targeted in `scenario`, in strategy order.
    pub fn strategies(self, scenario: &Scenario) -> Vec<usize> {
        if let (PrecisionMetric::Headline, Some(c)) = (self, scenario.comparison) {
            return vec![c.fragmented];
        }
        let pooled = (self.metric(scenario).needs_comparison())
            .then(|| scenario.comparison.map(|c| c.pooled))
            .flatten();
        (1..scenario.strategies.len())
            .filter(|&s| Some(s) != pooled)
            .collect()
    }

    /// Whether `scenario` reports the metric.
    ///
    /// # Errors
    /// A message saying why not: a comparison metric in a scenario without
    /// a comparison.
    pub fn check(self, scenario: &Scenario) -> Result<(), String> {
        let metric = self.metric(scenario);
        if Metric::reported(scenario).contains(&metric) {
            Ok(())
        } else {
            Err(format!(
                "--precision-metric {}: this scenario has no [comparison] of a fragmented and a \
                 pooled strategy, so its summary.csv has no {}; expected another metric, e.g. \
                 npv_savings_usd",
                metric.name(),
                metric.name()
            ))
        }
    }
}

/// The 95% confidence half-width of a mean, in percent of its absolute
/// value; infinite for a mean of 0.
pub(crate) fn relative_half_width_percent(summary: &Summary) -> f64 {
    let half_width = Z_95 * summary.se;
    if half_width == 0.0 {
        0.0
    } else {
        100.0 * half_width / summary.mean.abs()
    }
}

impl Precision {
    /// Where each targeted strategy's mean stands after the replications
    /// in `metrics`, in strategy order.
    pub fn reached(&self, scenario: &Scenario, metrics: &MetricCollector) -> Vec<Reached> {
        let metric = self.metric.metric(scenario);
        (self.metric.strategies(scenario).into_iter())
            .map(|strategy| Reached {
                strategy,
                half_width_percent: metrics
                    .summary(strategy, metric)
                    .map_or(f64::INFINITY, |x| relative_half_width_percent(&x)),
            })
            .collect()
    }

    /// The widest of the half-widths `reached` (0 when none is targeted).
    pub(crate) fn widest(reached: &[Reached]) -> f64 {
        reached
            .iter()
            .map(|r| r.half_width_percent)
            .fold(0.0, f64::max)
    }

    /// Whether a half-width meets the target.
    pub(crate) fn meets(&self, half_width_percent: f64) -> bool {
        half_width_percent <= self.percent
    }

    /// After `done` replications with the widest half-width `widest`
    /// (percent): `None` when the target is met or the maximum reached,
    /// else how many replications to have run after the next step. A
    /// half-width shrinks as 1/√n, so the target needs about
    /// `n·(widest/target)²`; the step runs that (plus 10%), at least 100
    /// more, and never beyond the maximum.
    pub(crate) fn next_total(&self, done: u64, widest: f64) -> Option<u64> {
        if self.meets(widest) || done >= self.max_replications {
            return None;
        }
        let estimate = if widest.is_finite() {
            (done as f64 * (widest / self.percent).powi(2) * HEADROOM).ceil()
        } else {
            f64::INFINITY
        };
        let wanted = estimate.min(self.max_replications as f64) as u64;
        Some(wanted.max(done + MIN_STEP).min(self.max_replications))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TARGET: Precision = Precision {
        percent: 1.0,
        max_replications: 10_000,
        metric: PrecisionMetric::Headline,
    };

    #[test]
    fn a_met_target_or_the_maximum_stops_the_run() {
        assert_eq!(TARGET.next_total(1000, 0.9), None);
        assert_eq!(TARGET.next_total(1000, 1.0), None);
        assert_eq!(TARGET.next_total(10_000, 5.0), None);
    }

    #[test]
    fn the_next_step_aims_at_the_replications_the_target_needs() {
        // ±2% after 1 000: 1 000 × 2² × 1.1 = 4 400.
        assert_eq!(TARGET.next_total(1000, 2.0), Some(4400));
        // Nearly there after 200 (an estimate of 225): at least 100 more.
        assert_eq!(TARGET.next_total(200, 1.01), Some(300));
        // Far off, or a mean of zero: up to the maximum.
        assert_eq!(TARGET.next_total(1000, 50.0), Some(10_000));
        assert_eq!(TARGET.next_total(1000, f64::INFINITY), Some(10_000));
        assert_eq!(TARGET.next_total(9950, 1.2), Some(10_000));
    }

    #[test]
    fn half_widths_are_relative_to_the_mean() {
        // Mean 10, sd √(4/3), se √(4/3)/2: half-width 1.96·se over 10.
        let mut summary = Summary::of(&[9.0, 11.0, 9.0, 11.0]).unwrap();
        let expected = 100.0 * Z_95 * (4.0f64 / 3.0).sqrt() / 2.0 / 10.0;
        assert!((relative_half_width_percent(&summary) - expected).abs() < 1e-12);
        summary.mean = 0.0;
        assert_eq!(relative_half_width_percent(&summary), f64::INFINITY);
    }
}
