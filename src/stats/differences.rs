//! Paired differences between strategies: the rows of `differences.csv`.
//!
//! Every strategy runs on the same draws in a replication (common random
//! numbers), so what one strategy saves against another is known
//! replication by replication. The spread of that difference is what a
//! business case needs — the difference of two spreads says nothing of it,
//! since both strategies move together with the shared draws. Each
//! replication's difference is taken first, and the series of differences
//! is then summarised like any other, in replication order (a merge of
//! shards replays them in the same order, so it writes the same bytes).

use super::{Series, Summary};
use crate::metrics::{Metric, MetricValues, YearMetric, YearValues};

/// The span a difference covers: one year of the horizon, or the whole
/// horizon.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Span {
    /// Year `0`-based index: the year's cost of `versus` minus that of
    /// `strategy`, undiscounted, USD (`savings_usd`).
    Year(usize),
    /// The horizon: NPV cost of `versus` minus that of `strategy`, USD
    /// (`npv_savings_usd`).
    Horizon,
}

/// One ordered pair of strategies: what `strategy` saves against `versus`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Pair {
    /// The strategy whose savings these are (scenario index).
    pub strategy: usize,
    /// The strategy it is compared with (scenario index).
    pub versus: usize,
}

/// The ordered pairs of `strategies` strategies: each strategy in scenario
/// order against every other one in scenario order (the status quo first).
pub(crate) fn pairs(strategies: usize) -> impl Iterator<Item = Pair> {
    (0..strategies).flat_map(move |strategy| {
        (0..strategies)
            .filter(move |&versus| versus != strategy)
            .map(move |versus| Pair { strategy, versus })
    })
}

/// The series of one pair over one span, and how many of its values were
/// above 0.
#[derive(Clone, Debug, Default)]
struct Differences {
    series: Series,
    positive: u64,
}

impl Differences {
    fn observe(&mut self, difference: f64) {
        self.series.observe(difference);
        self.positive += u64::from(difference > 0.0);
    }
}

/// The summary of one pair's differences over one span.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct DifferenceSummary {
    /// Mean, percentiles and spread of the per-replication differences.
    pub summary: Summary,
    /// The share of replications in which the difference is above 0:
    /// `strategy` is cheaper than `versus`.
    pub probability_positive: f64,
}

/// Summarises every ordered pair's savings, by year and over the horizon,
/// replication by replication.
#[derive(Clone, Debug, Default)]
pub struct DifferenceCollector {
    strategies: usize,
    years: usize,
    /// `[pair][span]`: pairs in [`pairs`] order, spans the years then the
    /// horizon.
    differences: Vec<Vec<Differences>>,
}

impl DifferenceCollector {
    /// Records one replication: every strategy's metrics and yearly
    /// figures, in scenario order.
    pub fn observe(&mut self, metrics: &[MetricValues], years: &[Vec<YearValues>]) {
        if self.differences.is_empty() {
            self.strategies = metrics.len();
            self.years = years.first().map_or(0, Vec::len);
            let pair_count = self.strategies * self.strategies.saturating_sub(1);
            self.differences = vec![vec![Differences::default(); self.years + 1]; pair_count];
        }
        let npv_cost = |s: usize| metrics[s][Metric::NpvCostUsd];
        let year_cost = |s: usize, y: usize| years[s].get(y)?[YearMetric::AnnualCostUsd];
        for (pair, spans) in pairs(self.strategies).zip(&mut self.differences) {
            let (yearly, horizon) = spans.split_at_mut(self.years);
            for (y, differences) in yearly.iter_mut().enumerate() {
                if let (Some(own), Some(other)) =
                    (year_cost(pair.strategy, y), year_cost(pair.versus, y))
                {
                    differences.observe(other - own);
                }
            }
            if let (Some(own), Some(other)) = (npv_cost(pair.strategy), npv_cost(pair.versus)) {
                horizon[0].observe(other - own);
            }
        }
    }

    /// The summary of `pair`'s savings over `span`, if any replication
    /// gave one.
    pub fn summary(&self, pair: Pair, span: Span) -> Option<DifferenceSummary> {
        let n = self.strategies;
        if pair.strategy >= n || pair.versus >= n || pair.strategy == pair.versus {
            return None;
        }
        // Position of `pair` in `pairs` order: the strategy's n − 1 rivals,
        // the versus index less one past the strategy itself.
        let versus = pair.versus - usize::from(pair.versus > pair.strategy);
        let spans = self.differences.get(pair.strategy * (n - 1) + versus)?;
        let d = match span {
            Span::Year(y) if y < self.years => &spans[y],
            Span::Year(_) => return None,
            Span::Horizon => spans.last()?,
        };
        let summary = d.series.summary()?;
        Some(DifferenceSummary {
            summary,
            probability_positive: d.positive as f64 / summary.n as f64,
        })
    }
}

/// Series a [`DifferenceCollector`] keeps for `strategies` strategies over
/// `years` years: one per ordered pair and span.
pub(crate) fn series_count(strategies: u64, years: u64) -> u64 {
    strategies
        .saturating_mul(strategies.saturating_sub(1))
        .saturating_mul(years + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A strategy's metrics with NPV cost `npv`, and its yearly costs.
    fn strategy(npv: f64, yearly: &[f64]) -> (MetricValues, Vec<YearValues>) {
        let metrics = MetricValues::only(&[(Metric::NpvCostUsd, npv)]);
        let years = yearly
            .iter()
            .map(|&c| YearValues::only(&[(YearMetric::AnnualCostUsd, c)]))
            .collect();
        (metrics, years)
    }

    fn observe(c: &mut DifferenceCollector, strategies: &[(f64, [f64; 2])]) {
        let (metrics, years): (Vec<_>, Vec<_>) =
            strategies.iter().map(|(n, y)| strategy(*n, y)).unzip();
        c.observe(&metrics, &years);
    }

    #[test]
    fn pairs_are_every_strategy_against_every_other_status_quo_first() {
        let got: Vec<(usize, usize)> = pairs(3).map(|p| (p.strategy, p.versus)).collect();
        assert_eq!(got, [(0, 1), (0, 2), (1, 0), (1, 2), (2, 0), (2, 1)]);
        assert_eq!(series_count(3, 2), 6 * 3);
    }

    #[test]
    fn differences_are_paired_per_replication_not_differences_of_summaries() {
        // Two replications of two strategies that move together: status
        // quo NPV 100 then 200, the other 90 then 190. Their own spreads
        // are wide; the difference is 10 in both, so its spread is nil.
        let mut c = DifferenceCollector::default();
        observe(&mut c, &[(100.0, [50.0, 50.0]), (90.0, [40.0, 52.0])]);
        observe(&mut c, &[(200.0, [100.0, 100.0]), (190.0, [95.0, 101.0])]);
        let saves = Pair {
            strategy: 1,
            versus: 0,
        };
        let npv = c.summary(saves, Span::Horizon).unwrap();
        assert_eq!((npv.summary.mean, npv.summary.sd), (10.0, 0.0));
        assert_eq!((npv.summary.p05, npv.summary.p95), (10.0, 10.0));
        assert_eq!(npv.probability_positive, 1.0);
        // Year 1: 50 − 40 = 10 and 100 − 95 = 5; year 2: −2 and −1.
        let year_1 = c.summary(saves, Span::Year(0)).unwrap();
        assert_eq!((year_1.summary.mean, year_1.summary.min), (7.5, 5.0));
        let year_2 = c.summary(saves, Span::Year(1)).unwrap();
        assert_eq!(year_2.summary.mean, -1.5);
        assert_eq!(year_2.probability_positive, 0.0);
        // The other way round: the negatives.
        let back = Pair {
            strategy: 0,
            versus: 1,
        };
        assert_eq!(c.summary(back, Span::Horizon).unwrap().summary.mean, -10.0);
        assert_eq!(
            c.summary(back, Span::Year(1)).unwrap().probability_positive,
            1.0
        );
        assert!(c.summary(back, Span::Year(2)).is_none());
        assert!(
            c.summary(
                Pair {
                    strategy: 1,
                    versus: 1
                },
                Span::Horizon
            )
            .is_none()
        );
    }

    #[test]
    fn probability_positive_counts_strict_savings_over_replications() {
        // Savings of 3, 0, −1, 5 over four replications: 2 of 4 above 0
        // (a tie is not a saving).
        let mut c = DifferenceCollector::default();
        for own in [7.0, 10.0, 11.0, 5.0] {
            observe(&mut c, &[(10.0, [0.0, 0.0]), (own, [0.0, 0.0])]);
        }
        let d = c
            .summary(
                Pair {
                    strategy: 1,
                    versus: 0,
                },
                Span::Horizon,
            )
            .unwrap();
        assert_eq!(d.probability_positive, 0.5);
        assert_eq!(d.summary.mean, 7.0 / 4.0);
    }
}
