//! Running until the mean savings are known to a given precision.
//!
//! The decision to go on depends only on the replications already run,
//! whose results do not depend on threads, so a run with a precision target
//! stops at the same replication at any number of threads.

use super::{MetricCollector, Summary, Z_95};
use crate::metrics::Metric;

/// Extra replications on an estimate of what the target needs, so a run
/// rarely needs a further step.
const HEADROOM: f64 = 1.1;

/// The fewest replications a further step adds.
const MIN_STEP: u64 = 100;

/// Run until every strategy's mean savings has a 95% confidence half-width
/// below `percent` of its absolute value, or `max_replications` have run.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Precision {
    /// Target half-width, percent of the mean.
    pub percent: f64,
    /// The most replications to run.
    pub max_replications: u64,
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

/// The relative half-width of each strategy's mean savings (all but the
/// status quo, index 0), in strategy order.
pub(crate) fn savings_half_widths(metrics: &MetricCollector, strategies: usize) -> Vec<f64> {
    (1..strategies)
        .map(|s| {
            metrics
                .summary(s, Metric::NpvSavingsUsd)
                .map_or(f64::INFINITY, |x| relative_half_width_percent(&x))
        })
        .collect()
}

impl Precision {
    /// After `done` replications with the widest half-width `widest`
    /// (percent): `None` when the target is met or the maximum reached,
    /// else how many replications to have run after the next step. A
    /// half-width shrinks as 1/√n, so the target needs about
    /// `n·(widest/target)²`; the step runs that (plus 10%), at least 100
    /// more, and never beyond the maximum.
    pub(crate) fn next_total(&self, done: u64, widest: f64) -> Option<u64> {
        if widest <= self.percent || done >= self.max_replications {
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
