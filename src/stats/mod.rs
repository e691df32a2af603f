//! Summary statistics of a metric over replications.
//!
//! Values arrive in replication order and are reduced sequentially, so a
//! summary never depends on how the replications were scheduled. The
//! collectors keep each series in a [`Series`]: exact up to
//! [`series::EXACT_VALUES`] values, then in memory that does not grow with
//! the number of replications.

pub mod correlation;
pub mod differences;
pub mod dominance;
pub(crate) mod least_squares;
pub mod lines;
pub mod precision;
pub mod series;
pub mod sobol;
mod summary;

pub use differences::{DifferenceCollector, DifferenceSummary, Pair, Span};
pub use lines::{LineCollector, LineFigures};
pub use series::Series;
pub(crate) use summary::sample_variance;
pub use summary::{Summary, Z_95, percentile_of_sorted, percentile_se};

use crate::metrics::{Metric, MetricValues, PerMetric, PerYearMetric, YearMetric, YearValues};
use crate::sim::CentreYear;

/// Summarises every strategy's metrics, replication by replication.
#[derive(Clone, Debug)]
pub struct MetricCollector {
    /// `[strategy][metric]`.
    series: Vec<PerMetric<Series>>,
}

impl MetricCollector {
    /// A collector for `strategies` strategies.
    pub fn new(strategies: usize) -> Self {
        MetricCollector {
            series: vec![PerMetric::from_fn(|_| Series::default()); strategies],
        }
    }

    /// Records one replication: one row of metric values per strategy.
    pub fn observe<'a>(&mut self, rows: impl IntoIterator<Item = &'a MetricValues>) {
        for (series, row) in self.series.iter_mut().zip(rows) {
            for (series, &value) in series.values_mut().zip(row.values()) {
                series.observe_if_present(value);
            }
        }
    }

    /// The summary of `metric` of strategy `strategy`, if any value was recorded.
    pub fn summary(&self, strategy: usize, metric: Metric) -> Option<Summary> {
        self.series[strategy][metric].summary()
    }
}

#[cfg(test)]
mod collector_tests {
    use super::*;

    /// A row of two metrics' values, the others missing.
    fn row(npv_cost_usd: f64, npv_savings_usd: f64) -> MetricValues {
        MetricValues::only(&[
            (Metric::NpvCostUsd, npv_cost_usd),
            (Metric::NpvSavingsUsd, npv_savings_usd),
        ])
    }

    #[test]
    fn values_are_kept_per_strategy_and_metric() {
        let (cost, savings) = (Metric::NpvCostUsd, Metric::NpvSavingsUsd);
        let mut c = MetricCollector::new(2);
        c.observe(&[row(1.0, 10.0), row(2.0, 20.0)]);
        c.observe(&[row(3.0, 30.0), row(4.0, 40.0)]);
        assert_eq!(c.summary(0, cost).unwrap().mean, 2.0);
        assert_eq!(c.summary(0, savings).unwrap().mean, 20.0);
        assert_eq!(c.summary(1, cost).unwrap().mean, 3.0);
        assert_eq!(c.summary(1, savings).unwrap().max, 40.0);
    }
}

/// Summarises the decomposition of the fragmented–pooled gap, replication
/// by replication: each registered mechanism, `other`, and the total.
#[derive(Clone, Debug, Default)]
pub struct DecompositionCollector {
    /// `[part]`: parts as in `output::csv::decomposition_parts`, then the total.
    series: Vec<Series>,
    /// Replications whose total gap is above 0.
    positive_totals: u64,
}

impl DecompositionCollector {
    /// Records one replication's parts (mechanisms then `other`) and total.
    pub fn observe(&mut self, parts: &[f64], total: f64) {
        if self.series.is_empty() {
            self.series = vec![Series::default(); parts.len() + 1];
        }
        for (series, &v) in self.series.iter_mut().zip(parts.iter().chain([&total])) {
            series.observe(v);
        }
        self.positive_totals += u64::from(total > 0.0);
    }

    /// The summary of part `i`.
    pub(crate) fn part(&self, i: usize) -> Option<Summary> {
        self.series.get(i).and_then(Series::summary)
    }

    /// The summary of the total gap.
    pub fn total(&self) -> Option<Summary> {
        self.series.last().and_then(Series::summary)
    }

    /// The share of replications in which the total gap is above 0: the
    /// probability that pooling is cheaper.
    pub(crate) fn share_total_positive(&self) -> Option<f64> {
        let totals = self.series.last().map(Series::count).filter(|&n| n > 0)?;
        Some(self.positive_totals as f64 / totals as f64)
    }
}

/// Summarises each strategy's yearly figures, replication by replication.
#[derive(Clone, Debug, Default)]
pub struct YearCollector {
    /// `[strategy][year][figure]`.
    series: Vec<Vec<PerYearMetric<Series>>>,
}

impl YearCollector {
    /// Records one replication's yearly figures: `[strategy][year]`.
    pub fn observe(&mut self, strategies: &[Vec<YearValues>]) {
        if self.series.is_empty() {
            self.series = strategies
                .iter()
                .map(|years| vec![PerYearMetric::from_fn(|_| Series::default()); years.len()])
                .collect();
        }
        for (collected, years) in self.series.iter_mut().zip(strategies) {
            for (cells, year) in collected.iter_mut().zip(years) {
                for (cell, &value) in cells.values_mut().zip(year.values()) {
                    cell.observe_if_present(value);
                }
            }
        }
    }

    /// The summary of `figure` of `strategy` in `year`.
    pub fn summary(&self, strategy: usize, year: usize, figure: YearMetric) -> Option<Summary> {
        self.series.get(strategy)?.get(year)?[figure].summary()
    }
}

#[cfg(test)]
mod missing_tests {
    use super::*;

    #[test]
    fn missing_values_are_left_out_of_summaries() {
        let mut s = Series::default();
        for v in [Some(1.0), None, Some(3.0)] {
            s.observe_if_present(v);
        }
        let s = s.summary().unwrap();
        assert_eq!((s.mean, s.n), (2.0, 2));
        let mut only_missing = Series::default();
        only_missing.observe_if_present(None);
        assert!(only_missing.summary().is_none());
    }

    /// A year of two figures' values, the others missing.
    fn year(cost_usd: f64, savings_usd: f64) -> YearValues {
        YearValues::only(&[
            (YearMetric::AnnualCostUsd, cost_usd),
            (YearMetric::AnnualSavingsUsd, savings_usd),
        ])
    }

    #[test]
    fn yearly_figures_are_kept_per_strategy_year_and_metric() {
        let (cost, savings) = (YearMetric::AnnualCostUsd, YearMetric::AnnualSavingsUsd);
        let mut c = YearCollector::default();
        c.observe(&[vec![year(1.0, 10.0), year(2.0, 20.0)]]);
        c.observe(&[vec![year(3.0, 30.0), year(4.0, 40.0)]]);
        assert_eq!(c.summary(0, 1, savings).unwrap().mean, 30.0);
        assert_eq!(c.summary(0, 0, cost).unwrap().max, 3.0);
        assert!(c.summary(1, 0, cost).is_none());
    }
}

/// Running means of every centre's last year, over replications: the
/// points of the economies-of-scale curve. Sums are added in replication
/// order, so the means do not depend on scheduling.
#[derive(Clone, Debug, Default)]
pub struct CentreCollector {
    /// `[strategy][centre]` → sums of transactions, running cost and FTE.
    sums: Vec<Vec<[f64; 3]>>,
    replications: u64,
}

/// A centre's mean last year over replications.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CentreMeans {
    /// Expected transactions in the year.
    pub transactions: f64,
    /// Running cost in the year, USD.
    pub running_cost_usd: f64,
    /// Staff.
    pub fte: f64,
}

impl CentreMeans {
    /// Mean cost over mean transactions: what a transaction costs the centre
    /// on average; `None` for a centre without work.
    pub(crate) fn cost_per_transaction_usd(&self) -> Option<f64> {
        (self.transactions > 0.0).then(|| self.running_cost_usd / self.transactions)
    }
}

impl CentreCollector {
    /// Records one replication's centres: `[strategy][centre]`.
    pub fn observe(&mut self, strategies: &[Vec<CentreYear>]) {
        if self.sums.is_empty() {
            self.sums = strategies
                .iter()
                .map(|centres| vec![[0.0; 3]; centres.len()])
                .collect();
        }
        for (sums, centres) in self.sums.iter_mut().zip(strategies) {
            for (sum, c) in sums.iter_mut().zip(centres) {
                sum[0] += c.transactions;
                sum[1] += c.running_cost_usd;
                sum[2] += c.fte;
            }
        }
        self.replications += 1;
    }

    /// The means of centre `centre` of strategy `strategy`.
    pub(crate) fn means(&self, strategy: usize, centre: usize) -> Option<CentreMeans> {
        let sum = self.sums.get(strategy)?.get(centre)?;
        let n = self.replications as f64;
        Some(CentreMeans {
            transactions: sum[0] / n,
            running_cost_usd: sum[1] / n,
            fte: sum[2] / n,
        })
    }
}

#[cfg(test)]
mod centre_tests {
    use super::*;

    #[test]
    fn centre_means_average_replications_and_divide_cost_by_transactions() {
        let year = |transactions, running_cost_usd, fte| CentreYear {
            transactions,
            running_cost_usd,
            fte,
        };
        let mut c = CentreCollector::default();
        c.observe(&[vec![year(100.0, 1000.0, 2.0)], vec![]]);
        c.observe(&[vec![year(300.0, 1000.0, 4.0)], vec![]]);
        let m = c.means(0, 0).unwrap();
        assert_eq!(
            (m.transactions, m.running_cost_usd, m.fte),
            (200.0, 1000.0, 3.0)
        );
        // 1 000 USD for 200 transactions on average: 5 USD each.
        assert_eq!(m.cost_per_transaction_usd(), Some(5.0));
        assert!(c.means(1, 0).is_none());
        let idle = CentreMeans {
            transactions: 0.0,
            running_cost_usd: 10.0,
            fte: 1.0,
        };
        assert_eq!(idle.cost_per_transaction_usd(), None);
    }
}
