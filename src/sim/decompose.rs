//! Where the gap between a fragmented and a pooled strategy comes from.
//!
//! The gap is evaluated with every combination of the five mechanisms on or
//! off, on the same draws, and attributed by Shapley values: each
//! mechanism's share is its marginal effect averaged over every order in
//! which the mechanisms could be switched on. The attribution depends on no
//! order, and the shares plus the gap with every mechanism off (differences
//! of location, grade mix and the like: `other`) add up to the gap.

use super::cost::npv_parts;
use super::plan::StrategyRequirements;
use super::plan_all;
use crate::model::{Comparison, Mechanism, Scenario, Switches};

/// Number of mechanisms.
const MECHANISMS: usize = Mechanism::ALL.len();

/// The gap `NPV cost(fragmented) − NPV cost(pooled)` of one replication and its parts.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Decomposition {
    /// The gap with every mechanism on, USD.
    pub total_usd: f64,
    /// Each mechanism's Shapley share, in [`Mechanism::ALL`] order, USD.
    pub mechanisms_usd: [f64; MECHANISMS],
    /// The gap with every mechanism off, USD.
    pub other_usd: f64,
}

impl Decomposition {
    /// The parts in reporting order: the mechanisms, then `other`. They add
    /// up to [`Decomposition::total_usd`] up to floating-point rounding.
    pub fn parts(&self) -> [f64; MECHANISMS + 1] {
        let mut parts = [0.0; MECHANISMS + 1];
        parts[..MECHANISMS].copy_from_slice(&self.mechanisms_usd);
        parts[MECHANISMS] = self.other_usd;
        parts
    }
}

/// Decomposes the gap of `comparison` on one replication's draws, given
/// the capacity requirements of every strategy.
pub fn decompose(
    scenario: &Scenario,
    comparison: Comparison,
    inputs: &[f64],
    discount_rate_per_year: f64,
    requirements: &[StrategyRequirements],
) -> Decomposition {
    let compared = |i: usize| i == comparison.fragmented || i == comparison.pooled;
    let gaps: Vec<f64> = (0..1 << MECHANISMS)
        .map(|subset| {
            let plans = plan_all(
                scenario,
                inputs,
                requirements,
                Switches::from_subset(subset),
                compared,
            );
            let npv = |i: usize| {
                let plan = plans[i]
                    .as_ref()
                    .expect("the compared strategies are planned");
                npv_parts(discount_rate_per_year, &plan.years).total_usd
            };
            npv(comparison.fragmented) - npv(comparison.pooled)
        })
        .collect();
    Decomposition {
        total_usd: gaps[(1 << MECHANISMS) - 1],
        mechanisms_usd: shapley(&gaps),
        other_usd: gaps[0],
    }
}

/// Shapley values of the game whose worth for the coalition with bit set
/// `s` is `worth[s]` (bit `i` = player `i`): φᵢ = Σ over coalitions S without
/// i of |S|!·(n − |S| − 1)!/n! · (worth(S ∪ {i}) − worth(S)).
pub fn shapley(worth: &[f64]) -> [f64; MECHANISMS] {
    let n = MECHANISMS;
    let factorial = |k: usize| (1..=k).product::<usize>() as f64;
    let mut values = [0.0; MECHANISMS];
    for (i, value) in values.iter_mut().enumerate() {
        for coalition in 0..1usize << n {
            if coalition & (1 << i) != 0 {
                continue;
            }
            let size = coalition.count_ones() as usize;
            let weight = factorial(size) * factorial(n - size - 1) / factorial(n);
            *value += weight * (worth[coalition | (1 << i)] - worth[coalition]);
        }
    }
    values
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapley_of_an_additive_game_is_each_players_own_worth() {
        let own = [1.0, 2.0, 4.0, 8.0, 16.0];
        let worth: Vec<f64> = (0..32usize)
            .map(|s| (0..5).filter(|i| s & (1 << i) != 0).map(|i| own[i]).sum())
            .collect();
        assert_eq!(shapley(&worth), own);
    }

    #[test]
    fn shapley_splits_a_pure_interaction_equally_and_ignores_dummies() {
        // Worth 6 only when players 0 and 1 are both in: each gets 3; the
        // others are dummies and get 0.
        let worth: Vec<f64> = (0..32usize)
            .map(|s| if s & 0b11 == 0b11 { 6.0 } else { 0.0 })
            .collect();
        let values = shapley(&worth);
        assert!((values[0] - 3.0).abs() < 1e-12 && (values[1] - 3.0).abs() < 1e-12);
        assert_eq!(&values[2..], &[0.0, 0.0, 0.0]);
    }

    #[test]
    fn shapley_values_sum_to_the_grand_coalition_minus_the_empty_one() {
        let worth: Vec<f64> = (0..32usize)
            .map(|s| ((s * 37 % 11) as f64).powi(2) - 3.0)
            .collect();
        let sum: f64 = shapley(&worth).iter().sum();
        assert!((sum - (worth[31] - worth[0])).abs() < 1e-9);
    }
}
