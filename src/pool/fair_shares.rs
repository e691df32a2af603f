//! Fair shares of a game known only through a batch cost function: the
//! path for games too large to enumerate (more agencies than
//! [`super::MAX_PLAYERS`]). Shapley values by sampling stratified by
//! position ([`super::stratified_shapley`]), the least core and the nucleolus by
//! linear programming with constraint generation ([`super::least_core`]),
//! and for each split the group that would do best by leaving
//! ([`super::separation`]). Nothing here enumerates `2^n` coalitions above
//! [`EXACT_SEPARATION_PLAYERS`](super::separation::EXACT_SEPARATION_PLAYERS).

use super::least_core::{LpError, least_core, nucleolus};
use super::partition::Coalition;
use super::separation::{Separation, largest_excess};
use super::sharing::Method;
use super::stratified_shapley::{Stratified, StratifiedShapley, sample_stratified};

/// Where the Shapley values come from.
#[derive(Clone, Debug, PartialEq)]
pub enum ShapleySource {
    /// Sampled here, as the settings say.
    Sample(Stratified),
    /// Sampled already: the merge of a sharded search, whose shards drew
    /// the blocks ([`super::stratified_shapley::merge_blocks`]).
    Sampled(StratifiedShapley),
}

/// One method's split of the grand coalition's cost.
#[derive(Clone, Debug, PartialEq)]
pub struct FairShare {
    /// The method.
    pub method: Method,
    /// Each player's share, in the cost function's units.
    pub allocation: Vec<f64>,
    /// Each player's standard error (sampled Shapley values only).
    pub standard_errors: Option<Vec<f64>>,
    /// Whether the method's own answer is proven: the sampling target met,
    /// or the programmes' separation exact.
    pub proven: bool,
    /// Coalitions the method asked of the cost function (repeats counted;
    /// its group of largest excess not included).
    pub coalitions: u64,
    /// The group whose charge most exceeds its own cost (exact up to
    /// [`EXACT_SEPARATION_PLAYERS`](super::separation::EXACT_SEPARATION_PLAYERS), by search above).
    pub largest_excess: Option<Separation>,
}

/// Sampled Shapley values (sampled here, or given by `shapley`), the least
/// core and the nucleolus of the game of `players` players whose
/// coalitions cost `cost(&[S, …])` (one value per coalition, each at its
/// best location), each with its group of largest excess. The linear
/// programmes always run here: in a sharded search, on the merging
/// machine.
///
/// # Errors
/// When a linear programme fails.
pub fn fair_shares(
    players: usize,
    shapley: ShapleySource,
    cost: &mut impl FnMut(&[Coalition]) -> Vec<f64>,
) -> Result<Vec<FairShare>, LpError> {
    let shapley = match shapley {
        ShapleySource::Sample(sampling) => sample_stratified(players, sampling, cost),
        ShapleySource::Sampled(shapley) => shapley,
    };
    let asked = std::cell::Cell::new(0u64);
    let mut counted = |coalitions: &[Coalition]| {
        asked.set(asked.get() + coalitions.len() as u64);
        cost(coalitions)
    };
    let least = least_core(players, &mut counted)?;
    let least_coalitions = asked.replace(0);
    let nucleolus = nucleolus(players, &mut counted)?;
    let nucleolus_coalitions = asked.get();
    let mut out = vec![
        FairShare {
            method: Method::Shapley,
            allocation: shapley.values,
            standard_errors: Some(shapley.standard_errors),
            proven: shapley.target_met,
            coalitions: shapley.coalitions_evaluated,
            largest_excess: None,
        },
        FairShare {
            method: Method::LeastCore,
            allocation: least.allocation,
            standard_errors: None,
            proven: least.exact,
            coalitions: least_coalitions,
            largest_excess: None,
        },
        FairShare {
            method: Method::Nucleolus,
            allocation: nucleolus.allocation,
            standard_errors: None,
            proven: nucleolus.exact,
            coalitions: nucleolus_coalitions,
            largest_excess: None,
        },
    ];
    for share in &mut out {
        share.largest_excess = largest_excess(players, &share.allocation, cost);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shapley::shapley_values;

    #[test]
    fn a_game_given_only_in_batches_gets_every_split_with_its_stability() {
        // An additive game, c(S) = Σ_{i∈S} a_i with a = (1, 2, 3, 4, 5):
        // every order gives each agency its own a_i, so even sampled
        // Shapley values are exact, with no spread; the least core is the
        // single point x = a (the singletons' excesses sum to 0, so none
        // can be negative), and so is the nucleolus. Every group's excess
        // is 0.
        let own = [1.0, 2.0, 3.0, 4.0, 5.0];
        let additive = |s: u64| {
            (0..5)
                .filter(|i| s & (1 << i) != 0)
                .map(|i| own[i])
                .sum::<f64>()
        };
        let mut cost = |c: &[Coalition]| c.iter().map(|&s| additive(s)).collect::<Vec<_>>();
        let sampling = Stratified {
            seed: 1,
            pilot_per_stratum: 3,
            samples_per_block: 100,
            relative_se: 0.01,
            max_coalitions: 10_000,
            blocks: None,
        };
        let shares = fair_shares(5, ShapleySource::Sample(sampling), &mut cost).expect("solvable");
        // The simplex solves to about 1e-10 of c(N) = 15 (seen: 2.3e-9):
        // checked to 1e-8 of c(N).
        let tolerance = 1e-8 * 15.0;
        let exact = shapley_values(5, |s| additive(u64::from(s)));
        assert_eq!(shares.len(), 3);
        for share in &shares {
            for ((x, e), a) in share.allocation.iter().zip(&exact).zip(own) {
                assert!(
                    (x - e).abs() < tolerance && (x - a).abs() < tolerance,
                    "{share:?}"
                );
            }
            let excess = share.largest_excess.expect("proper coalitions").excess;
            assert!(excess.abs() < tolerance, "{share:?}");
            assert!(share.proven);
        }
    }
}
