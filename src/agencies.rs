//! Who bears the risk: each agency's cost and savings under every strategy
//! (`agencies.csv`), and whether one strategy's cost stochastically
//! dominates another's (`dominance.csv`).
//!
//! A strategy that saves on average can still leave one member worse off
//! in the bad cases. Every replication carries each agency's share of each
//! strategy's NPV cost ([`crate::sim::agencies`], allocated by workload
//! share); the [`RiskCollector`] keeps them, and every strategy's NPV
//! cost, for the first [`RISK_REPLICATIONS`] replications, and summarises
//! them at the end with the same percentile rule as `summary.csv`. An
//! agency's savings in a replication are its cost under the status quo
//! (its own baseline) less its cost under the strategy, on the same draws.
//! `sscsim merge` replays the shards' replications through the same
//! collector, so both files come out of it byte for byte.

use crate::metrics::Metric;
use crate::run::ReplicationMetrics;
use crate::stats::dominance::{self, Dominance};
use crate::stats::series::EXACT_VALUES;
use crate::stats::{Summary, differences::pairs};

/// Replications the risk files are computed over, the first ones of a run:
/// as many as a summary keeps exactly, so their percentiles are those of
/// `summary.csv`. Memory: 8 bytes × (agencies + 1) × strategies each.
pub const RISK_REPLICATIONS: usize = EXACT_VALUES;

/// The share of worst replications whose mean savings are the CVaR.
pub const CVAR_SHARE: f64 = 0.05;

/// Each agency's cost under each strategy, and each strategy's NPV cost,
/// in the first [`RISK_REPLICATIONS`] replications.
#[derive(Clone, Debug, Default)]
pub struct RiskCollector {
    /// `[strategy][agency]` → cost in replication order, USD.
    agencies: Vec<Vec<Vec<f64>>>,
    /// `[strategy]` → NPV cost in replication order, USD; a replication
    /// missing any strategy's is not kept, so the costs stay paired.
    npv_costs: Vec<Vec<f64>>,
}

/// One agency under one strategy, over the replications kept.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct AgencyRisk {
    /// Index of the agency.
    pub agency: usize,
    /// Index of the strategy.
    pub strategy: usize,
    /// Mean of the agency's share of the strategy's NPV cost, USD.
    pub npv_cost_usd_mean: f64,
    /// Its savings against its own status quo, USD.
    pub savings: Summary,
    /// Share of replications in which it saves less than nothing.
    pub probability_worse_off: f64,
    /// Mean of its savings in the worst [`CVAR_SHARE`] of replications
    /// (at least one), USD.
    pub cvar05_savings_usd: f64,
}

/// How strategy `a`'s NPV cost compares with strategy `b`'s.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PairDominance {
    /// Index of A.
    pub a: usize,
    /// Index of B.
    pub b: usize,
    /// The tests and the share of replications A is cheaper in.
    pub dominance: Dominance,
}

impl RiskCollector {
    /// Records one replication, if fewer than [`RISK_REPLICATIONS`] are kept.
    pub fn observe(&mut self, metrics: &ReplicationMetrics) {
        if self.kept() >= RISK_REPLICATIONS {
            return;
        }
        let costs: Option<Vec<f64>> = (metrics.strategies.iter())
            .map(|row| row[Metric::NpvCostUsd])
            .collect();
        let Some(costs) = costs else { return };
        if self.npv_costs.is_empty() {
            self.npv_costs = vec![Vec::new(); costs.len()];
            self.agencies = (metrics.agencies.iter())
                .map(|a| vec![Vec::new(); a.len()])
                .collect();
        }
        for (kept, cost) in self.npv_costs.iter_mut().zip(costs) {
            kept.push(cost);
        }
        for (kept, costs) in self.agencies.iter_mut().zip(&metrics.agencies) {
            for (kept, &cost) in kept.iter_mut().zip(costs) {
                kept.push(cost);
            }
        }
    }

    /// Replications kept.
    pub(crate) fn kept(&self) -> usize {
        self.npv_costs.first().map_or(0, Vec::len)
    }

    /// Every agency under every strategy, agencies within strategies, both
    /// in scenario order; the status quo first, where each saves nothing.
    pub(crate) fn agencies(&self) -> Vec<AgencyRisk> {
        let Some(status_quo) = self.agencies.first() else {
            return Vec::new();
        };
        let mut rows = Vec::new();
        for (strategy, agencies) in self.agencies.iter().enumerate() {
            for (agency, costs) in agencies.iter().enumerate() {
                let savings: Vec<f64> = (status_quo[agency].iter().zip(costs))
                    .map(|(base, cost)| base - cost)
                    .collect();
                let (Some(cost), Some(summary)) = (Summary::of(costs), Summary::of(&savings))
                else {
                    continue;
                };
                rows.push(AgencyRisk {
                    agency,
                    strategy,
                    npv_cost_usd_mean: cost.mean,
                    savings: summary,
                    probability_worse_off: share_below_zero(&savings),
                    cvar05_savings_usd: worst_mean(&savings, CVAR_SHARE),
                });
            }
        }
        rows
    }

    /// Under the strategy other than the status quo with the largest mean
    /// NPV cost savings, the agency most often worse off, when any is
    /// worse off in some replication (the first such agency on ties).
    pub(crate) fn most_at_risk(&self) -> Option<AgencyRisk> {
        let rows = self.agencies();
        let savings = |s: usize| -> f64 {
            (rows.iter().filter(|r| r.strategy == s))
                .map(|r| r.savings.mean)
                .sum()
        };
        let headline = (1..self.agencies.len())
            .reduce(|best, s| if savings(s) > savings(best) { s } else { best })?;
        (rows.iter().filter(|r| r.strategy == headline))
            .filter(|r| r.probability_worse_off > 0.0)
            .reduce(|most, r| {
                if r.probability_worse_off > most.probability_worse_off {
                    r
                } else {
                    most
                }
            })
            .copied()
    }

    /// Every ordered pair of strategies (A, B), A ≠ B, in the order of
    /// `differences.csv`.
    pub(crate) fn dominance(&self) -> Vec<PairDominance> {
        if self.kept() == 0 {
            return Vec::new();
        }
        pairs(self.npv_costs.len())
            .map(|pair| PairDominance {
                a: pair.strategy,
                b: pair.versus,
                dominance: dominance::compare(
                    &self.npv_costs[pair.strategy],
                    &self.npv_costs[pair.versus],
                ),
            })
            .collect()
    }
}

/// Share of `values` below zero.
fn share_below_zero(values: &[f64]) -> f64 {
    values.iter().filter(|&&v| v < 0.0).count() as f64 / values.len() as f64
}

/// Mean of the lowest `share` of `values` (at least one value): the
/// conditional value at risk of savings, lower tail.
fn worst_mean(values: &[f64], share: f64) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let count = ((share * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    sorted[..count].iter().sum::<f64>() / count as f64
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::MetricValues;

    /// A replication of two strategies and two agencies: the status quo
    /// costs 100 (60 + 40), the other strategy `[a, b]`.
    fn replication(r: u64, a: f64, b: f64) -> ReplicationMetrics {
        let cost = |usd: f64| MetricValues::only(&[(Metric::NpvCostUsd, usd)]);
        ReplicationMetrics {
            replication: r,
            strategies: vec![cost(100.0), cost(a + b)],
            decomposition: None,
            years: vec![vec![]; 2],
            centres: vec![vec![]; 2],
            lines: vec![vec![]; 2],
            inputs: vec![],
            agencies: vec![vec![60.0, 40.0], vec![a, b]],
        }
    }

    #[test]
    fn agencies_savings_are_against_their_own_status_quo() {
        let mut collector = RiskCollector::default();
        // Agency 0 costs 50, 55, …, 145 under the strategy in 20
        // replications: it saves 10, 5, 0, −5, …, −85 against its 60.
        for r in 0..20 {
            collector.observe(&replication(r, 50.0 + 5.0 * r as f64, 30.0));
        }
        let rows = collector.agencies();
        assert_eq!(rows.len(), 4);
        let status_quo = rows[0];
        assert_eq!(
            (status_quo.savings.mean, status_quo.probability_worse_off),
            (0.0, 0.0)
        );
        let a = rows[2];
        assert_eq!((a.agency, a.strategy), (0, 1));
        // Mean cost 50 + 5 × 9.5 = 97.5; savings 60 − 97.5 = −37.5.
        assert_eq!(a.npv_cost_usd_mean, 97.5);
        assert_eq!(a.savings.mean, -37.5);
        // 17 of 20 save less than nothing (from −5 on).
        assert_eq!(a.probability_worse_off, 17.0 / 20.0);
        // The worst 5% of 20 is one replication: −85.
        assert_eq!(a.cvar05_savings_usd, -85.0);
        // Agency 1 saves 10 in every replication.
        let b = rows[3];
        assert_eq!(
            (b.savings.p05, b.savings.p95, b.probability_worse_off),
            (10.0, 10.0, 0.0)
        );
    }

    #[test]
    fn the_agency_most_at_risk_is_under_the_strategy_that_saves_most() {
        let mut collector = RiskCollector::default();
        // The strategy saves 100 − (a + b) in all: 20 on average; agency 0
        // is worse off in 17 of 20 replications (see above), agency 1 never.
        for r in 0..20 {
            collector.observe(&replication(r, 50.0 + 5.0 * r as f64, 30.0));
        }
        let most = collector.most_at_risk().unwrap();
        assert_eq!((most.agency, most.strategy), (0, 1));
        // Nobody worse off: nothing to say.
        let mut safe = RiskCollector::default();
        safe.observe(&replication(0, 10.0, 10.0));
        assert_eq!(safe.most_at_risk(), None);
    }

    #[test]
    fn the_worst_share_is_at_least_one_replication() {
        // ⌈0.05 × 3⌉ = 1: the lowest alone; ⌈0.05 × 41⌉ = 3: the three lowest.
        assert_eq!(worst_mean(&[3.0, -1.0, 2.0], 0.05), -1.0);
        let values: Vec<f64> = (0..41).map(f64::from).collect();
        assert_eq!(worst_mean(&values, 0.05), 1.0);
    }

    #[test]
    fn only_the_first_replications_are_kept() {
        let mut collector = RiskCollector::default();
        for r in 0..(RISK_REPLICATIONS as u64 + 5) {
            collector.observe(&replication(r, 10.0, 10.0));
        }
        assert_eq!(collector.kept(), RISK_REPLICATIONS);
        // The strategy costs 20 against 100 every time: it dominates.
        let pairs = collector.dominance();
        assert_eq!((pairs[0].a, pairs[0].b), (0, 1));
        assert_eq!(
            pairs[0].dominance.first_order,
            dominance::Verdict::Dominated
        );
        assert_eq!(pairs[1].dominance.share_a_cheaper, 1.0);
    }
}
