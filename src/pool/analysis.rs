//! From replications of the coalition game to answers: the best coalition
//! structures with their spread, and fair shares of the pooled centre's cost.

use super::least_core::LpError;
use super::partition::Coalition;
use super::partition::{Block, Structure, best_structures};
use super::separation::{Separation, largest_excess};
use super::sharing::{Method, allocate, in_core};
use super::{Game, Replication};
use crate::stats::Summary;
use crate::stats::Z_95;

/// A coalition structure ranked by mean NPV cost.
#[derive(Clone, Debug, PartialEq)]
pub struct RankedStructure {
    /// The blocks (coalition at a location option) and their mean total cost.
    pub structure: Structure,
    /// The structure's NPV cost over replications.
    pub cost: Summary,
    /// Share of replications in which it is cheaper than the next structure
    /// (`None` for the last).
    pub beats_next: Option<f64>,
    /// Its cost minus the best structure's, replication by replication
    /// (paired: both on the same draws); `None` for the best.
    pub above_best: Option<Summary>,
    /// Whether the best structure is not significantly cheaper (see
    /// [`ties_best`]); the best ties itself.
    pub tied_with_best: bool,
}

/// Whether a structure whose paired cost differences from the best are
/// `above_best` cannot be told apart from it: the 95% confidence interval
/// of the mean difference, mean ± 1.96 standard errors, includes zero. One
/// replication says nothing about the difference's spread: a tie.
pub fn ties_best(above_best: &Summary) -> bool {
    above_best.n < 2 || above_best.mean - Z_95 * above_best.se <= 0.0
}

/// The mean cost of every coalition at every location.
fn mean_costs(replications: &[Replication]) -> Vec<f64> {
    let n = replications.len() as f64;
    let size = replications.first().map_or(0, |r| r.costs.len());
    (0..size)
        .map(|i| replications.iter().map(|r| r.costs[i]).sum::<f64>() / n)
        .collect()
}

/// The `k` structures of lowest mean NPV cost, with their spread over
/// replications and the share of replications in which each beats the next.
pub fn rank_structures(
    game: &Game,
    replications: &[Replication],
    k: usize,
) -> Vec<RankedStructure> {
    let options = game.locations.len();
    let means = mean_costs(replications);
    let index = |block: &Block| (block.coalition as usize - 1) * options + block.option;
    let structures = best_structures(game.players.len() as u32, options, k, |c, o| {
        means[index(&Block {
            coalition: c,
            option: o,
        })]
    });
    let per_replication = structure_costs(
        &structures,
        |block, r| replications[r].costs[index(block)],
        replications.len(),
    );
    rank(structures, &per_replication)
}

/// Each structure's NPV cost in each replication, `[structure][replication]`:
/// the sum of its blocks' costs (`block_cost(block, replication)`), in the
/// order of its blocks.
pub fn structure_costs(
    structures: &[Structure],
    block_cost: impl Fn(&Block, usize) -> f64,
    replications: usize,
) -> Vec<Vec<f64>> {
    structures
        .iter()
        .map(|s| {
            (0..replications)
                .map(|r| s.blocks.iter().map(|b| block_cost(b, r)).sum())
                .collect()
        })
        .collect()
}

/// Structures, cheapest first, ranked on their costs replication by
/// replication (`per_replication[structure][replication]`, the same draws
/// for all): each one's spread, its paired difference from the first (the
/// best), whether it ties the best, and the share of replications in which
/// it beats the next.
pub fn rank(structures: Vec<Structure>, per_replication: &[Vec<f64>]) -> Vec<RankedStructure> {
    structures
        .into_iter()
        .enumerate()
        .map(|(i, structure)| {
            let costs = &per_replication[i];
            let beats_next = per_replication.get(i + 1).map(|next| {
                costs.iter().zip(next).filter(|(a, b)| a < b).count() as f64 / costs.len() as f64
            });
            let above_best = (i > 0).then(|| paired_difference(costs, &per_replication[0]));
            RankedStructure {
                structure,
                cost: Summary::of(costs).expect("at least one replication"),
                beats_next,
                tied_with_best: above_best.as_ref().is_none_or(ties_best),
                above_best,
            }
        })
        .collect()
}

/// `costs` minus `best`, replication by replication, summarised.
fn paired_difference(costs: &[f64], best: &[f64]) -> Summary {
    let differences: Vec<f64> = costs.iter().zip(best).map(|(c, b)| c - b).collect();
    Summary::of(&differences).expect("at least one replication")
}

/// Every centre (coalition at a location) of the `ranked` structures, once
/// each and in order: the centres whose queues are run.
pub fn distinct_blocks(ranked: &[RankedStructure]) -> Vec<Block> {
    let mut blocks: Vec<Block> = ranked
        .iter()
        .flat_map(|r| r.structure.blocks.iter().copied())
        .collect();
    blocks.sort();
    blocks.dedup();
    blocks
}

/// How one agency fares under one way of sharing the pooled centre's cost.
#[derive(Clone, Debug, PartialEq)]
pub struct Share {
    /// How the cost is shared.
    pub method: Method,
    /// Index of the player.
    pub player: usize,
    /// Its share of the pooled centre's NPV cost, USD.
    pub share: Summary,
    /// Its mean share as a fraction of the centre's mean cost.
    pub share_of_cost: f64,
    /// Its NPV cost alone (its best solo centre), USD.
    pub solo: Summary,
    /// Solo cost minus share, USD.
    pub saving: Summary,
    /// Share of replications in which it pays less than alone.
    pub better_off: f64,
    /// Share of replications in which the method's split is in the core;
    /// `None` when not computed (above the exact search's limit the core
    /// check would need every coalition).
    pub in_core: Option<f64>,
    /// On the mean game, under the method's mean split: the group of
    /// agencies whose charge most exceeds its own centre's cost, and by how
    /// much (USD; positive: it would do better alone). The same on every
    /// row of a method; `None` with one agency.
    pub largest_excess: Option<Separation>,
    /// The standard error of a sampled share (Shapley values above the
    /// exact search's limit), USD; `None` for a share computed exactly.
    pub share_se: Option<f64>,
    /// Whether the share is the method's exact answer: false for sampled
    /// Shapley values short of their precision target, and for a least
    /// core or nucleolus whose constraint generation ended on a search
    /// that found no violated coalition rather than on a proof.
    pub proven: bool,
}

/// Shares of the grand coalition's cost by each method. The game: every
/// coalition's cost at its best location by mean, in each replication.
///
/// Shapley, volume and equal splits are made on each replication's game,
/// giving a spread. The least core and the nucleolus are made once, on the
/// mean game, and that one split is then checked against each
/// replication's game: a split by linear programming is an agreement made
/// before the costs are known, on their expected values; the nucleolus is
/// not linear in the game, so an average of per-replication nucleoli would
/// be the nucleolus of no game; and one sequence of programmes, not one per
/// replication, keeps the run's time where it was.
///
/// # Errors
/// When a linear programme fails.
pub fn shares(game: &Game, replications: &[Replication]) -> Result<Vec<Share>, LpError> {
    let players = game.players.len();
    let options = game.locations.len();
    let means = mean_costs(replications);
    let best_option: Vec<usize> = (1..=game.coalitions())
        .map(|c| {
            (0..options)
                .min_by(|&a, &b| {
                    means[(c - 1) * options + a].total_cmp(&means[(c - 1) * options + b])
                })
                .unwrap_or(0)
        })
        .collect();
    let full: Coalition = (1 << players) - 1;
    let mean_cost = |s: Coalition| means[(s as usize - 1) * options + best_option[s as usize - 1]];
    let n = replications.len() as f64;
    let mean_workloads: Vec<f64> = (0..players)
        .map(|i| replications.iter().map(|r| r.workloads[i]).sum::<f64>() / n)
        .collect();
    let mut rows = Vec::new();
    for method in Method::ALL {
        let on_mean_game = method
            .is_linear_programme()
            .then(|| allocate(method, players, &mean_cost, &mean_workloads))
            .transpose()?;
        let mut allocations: Vec<Vec<f64>> = Vec::with_capacity(replications.len());
        let mut stable = 0usize;
        for r in replications {
            let cost =
                |s: Coalition| r.costs[(s as usize - 1) * options + best_option[s as usize - 1]];
            let x = match &on_mean_game {
                Some(x) => x.clone(),
                None => allocate(method, players, &cost, &r.workloads)?,
            };
            if in_core(players, &cost, &x, 1e-9 * cost(full).abs().max(1.0)) {
                stable += 1;
            }
            allocations.push(x);
        }
        let mean_split: Vec<f64> = (0..players)
            .map(|i| allocations.iter().map(|x| x[i]).sum::<f64>() / n)
            .collect();
        let mut batch =
            |coalitions: &[Coalition]| coalitions.iter().map(|&s| mean_cost(s)).collect();
        let largest = largest_excess(players, &mean_split, &mut batch);
        let total_mean = mean_cost(full);
        for player in 0..players {
            let solo_index = |r: &Replication| {
                let s = 1usize << player;
                r.costs[(s - 1) * options + best_option[s - 1]]
            };
            let share: Vec<f64> = allocations.iter().map(|x| x[player]).collect();
            let solo: Vec<f64> = replications.iter().map(solo_index).collect();
            rows.push(agency_share(
                (method, player),
                &share,
                &solo,
                total_mean,
                Some(stable as f64 / n),
                largest,
            ));
        }
    }
    Ok(rows)
}

/// Volume and equal shares of the grand coalition's cost, replication by
/// replication: `grand[r]` its cost, `solo[i][r]` player `i`'s cost alone,
/// `workloads[r][i]` its workload (volume shares fall back to equal ones
/// when every workload is zero). Neither the core check nor the group of
/// largest excess: both need every coalition.
pub fn simple_shares(grand: &[f64], solo: &[Vec<f64>], workloads: &[Vec<f64>]) -> Vec<Share> {
    let players = solo.len();
    let n = grand.len() as f64;
    let grand_mean = grand.iter().sum::<f64>() / n;
    let mut rows = Vec::new();
    for method in [Method::Volume, Method::Equal] {
        for player in 0..players {
            let share: Vec<f64> = grand
                .iter()
                .zip(workloads)
                .map(|(&total, w)| {
                    let sum: f64 = w.iter().sum();
                    if method == Method::Volume && sum > 0.0 {
                        total * w[player] / sum
                    } else {
                        total / players as f64
                    }
                })
                .collect();
            rows.push(agency_share(
                (method, player),
                &share,
                &solo[player],
                grand_mean,
                None,
                None,
            ));
        }
    }
    rows
}

/// One agency's row under one method: its `share` and its cost `solo`,
/// replication by replication, against the grand coalition's mean cost.
pub(crate) fn agency_share(
    (method, player): (Method, usize),
    share: &[f64],
    solo: &[f64],
    grand_mean: f64,
    in_core: Option<f64>,
    largest_excess: Option<Separation>,
) -> Share {
    let saving: Vec<f64> = solo.iter().zip(share).map(|(s, x)| s - x).collect();
    let share = Summary::of(share).expect("at least one replication");
    Share {
        method,
        player,
        share_of_cost: if grand_mean != 0.0 {
            share.mean / grand_mean
        } else {
            0.0
        },
        share,
        solo: Summary::of(solo).expect("at least one replication"),
        better_off: saving.iter().filter(|&&v| v > 0.0).count() as f64 / saving.len() as f64,
        saving: Summary::of(&saving).expect("at least one replication"),
        in_core,
        largest_excess,
        share_se: None,
        proven: true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn volume_and_equal_shares_split_the_grand_coalitions_cost_by_replication() {
        // Two players, two replications: the grand coalition costs 100 then
        // 200, workloads 3:1 then 1:1, alone 90 and 40 then 120 and 110.
        // Volume: 75, 25 then 100, 100; equal: 50, 50 then 100, 100.
        let rows = simple_shares(
            &[100.0, 200.0],
            &[vec![90.0, 120.0], vec![40.0, 110.0]],
            &[vec![3.0, 1.0], vec![1.0, 1.0]],
        );
        assert_eq!(rows.len(), 4);
        let volume_a = &rows[0];
        assert_eq!((volume_a.method, volume_a.player), (Method::Volume, 0));
        assert_eq!(volume_a.share.mean, 87.5);
        assert_eq!(volume_a.share_of_cost, 87.5 / 150.0);
        // Savings 15 and 20: better off in both.
        assert_eq!((volume_a.saving.mean, volume_a.better_off), (17.5, 1.0));
        let equal_b = &rows[3];
        assert_eq!((equal_b.method, equal_b.player), (Method::Equal, 1));
        assert_eq!(equal_b.share.mean, 75.0);
        // Savings −10 and 10: better off in one replication of two.
        assert_eq!((equal_b.saving.mean, equal_b.better_off), (0.0, 0.5));
        assert_eq!(equal_b.solo.mean, 75.0);
    }

    #[test]
    fn mean_costs_average_each_coalition_location_over_replications() {
        let reps = vec![
            Replication {
                costs: vec![1.0, 2.0, 3.0],
                workloads: vec![],
            },
            Replication {
                costs: vec![3.0, 4.0, 5.0],
                workloads: vec![],
            },
        ];
        assert_eq!(mean_costs(&reps), vec![2.0, 3.0, 4.0]);
    }

    #[test]
    fn a_structure_ties_the_best_when_the_interval_of_its_paired_difference_includes_zero() {
        // Differences 1, 3, 2, 2: mean 2, sd √(2/3) = 0.8165, se 0.4082;
        // 2 − 1.96 · 0.4082 = 1.20 > 0: significantly dearer.
        let dearer = paired_difference(&[11.0, 13.0, 12.0, 12.0], &[10.0; 4]);
        assert!((dearer.mean - 2.0).abs() < 1e-12);
        assert!(!ties_best(&dearer));
        // Differences 3, −1, 2, 0: mean 1, sd √(10/3) = 1.826, se 0.913;
        // 1 − 1.96 · 0.913 = −0.79 < 0: within noise of the best.
        let noisy = paired_difference(&[13.0, 9.0, 12.0, 10.0], &[10.0; 4]);
        assert!((noisy.mean - 1.0).abs() < 1e-12);
        assert!(ties_best(&noisy));
        // One replication gives no spread: a tie.
        assert!(ties_best(&paired_difference(&[15.0], &[10.0])));
        // The same large difference in every replication: se 0, not a tie.
        assert!(!ties_best(&paired_difference(&[10.5; 3], &[10.0; 3])));
    }
}
