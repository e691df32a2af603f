//! Coalition structures beyond exact enumeration: a search over ways to
//! split the agencies into centres, asking the game only for the coalitions
//! it visits.
//!
//! The search asks for the mean NPV cost of coalitions in batches (so that
//! the caller can evaluate a batch's centres in parallel) through
//! [`CoalitionCosts`]. Each restart is independent of the others and seeded
//! from its own index, so a set of restarts split across shards finds the
//! same structures as one process running them all.

use super::Coalition;
use super::partition::{Block, Structure};

/// The mean NPV cost of coalitions at each candidate location.
pub trait CoalitionCosts {
    /// Number of players (agencies), at most 64.
    fn players(&self) -> usize;
    /// Number of candidate location options.
    fn options(&self) -> usize;
    /// The mean costs of `coalitions` (non-empty masks over the players):
    /// element `i · options + o` is coalition `i`'s cost at option `o`.
    fn mean_costs(&mut self, coalitions: &[Coalition]) -> Vec<f64>;
}

/// The cheapest option of each coalition, and its cost.
fn cheapest(costs: &mut impl CoalitionCosts, coalitions: &[Coalition]) -> Vec<(usize, f64)> {
    let options = costs.options();
    let all = costs.mean_costs(coalitions);
    all.chunks(options)
        .map(|row| {
            row.iter()
                .copied()
                .enumerate()
                .fold(
                    (0, f64::INFINITY),
                    |best, (o, c)| if c < best.1 { (o, c) } else { best },
                )
        })
        .collect()
}

/// Greedy merging: start from every agency alone and merge, at each step,
/// the two blocks whose merger saves most, until no merger saves anything
/// (the agglomerative scheme of Farinelli et al. 2013, "C-Link: a
/// hierarchical clustering approach to large-scale near-optimal coalition
/// formation", IJCAI). Deterministic: ties go to the lowest pair.
pub fn greedy_merging(costs: &mut impl CoalitionCosts) -> Structure {
    let players = costs.players();
    let mut blocks: Vec<Coalition> = (0..players).map(|i| 1 << i).collect();
    let mut best = cheapest(costs, &blocks);
    loop {
        let pairs: Vec<(usize, usize)> = (0..blocks.len())
            .flat_map(|a| (a + 1..blocks.len()).map(move |b| (a, b)))
            .collect();
        let merged: Vec<Coalition> = pairs.iter().map(|&(a, b)| blocks[a] | blocks[b]).collect();
        let merged_best = cheapest(costs, &merged);
        let saving = |i: usize| {
            let (a, b) = pairs[i];
            best[a].1 + best[b].1 - merged_best[i].1
        };
        let chosen =
            (0..pairs.len())
                .filter(|&i| saving(i) > 0.0)
                .fold(None, |chosen: Option<usize>, i| match chosen {
                    Some(c) if saving(c) >= saving(i) => Some(c),
                    _ => Some(i),
                });
        let Some(i) = chosen else { break };
        let (a, b) = pairs[i];
        blocks[a] = merged[i];
        best[a] = merged_best[i];
        blocks.remove(b);
        best.remove(b);
    }
    let mut structure: Vec<Block> = blocks
        .iter()
        .zip(&best)
        .map(|(&coalition, &(option, _))| Block { coalition, option })
        .collect();
    structure.sort_by_key(|b| b.coalition.trailing_zeros());
    Structure {
        cost: best.iter().map(|b| b.1).sum(),
        blocks: structure,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A game given by a function of the coalition and option.
    struct Function<F: Fn(Coalition, usize) -> f64> {
        players: usize,
        options: usize,
        cost: F,
    }

    impl<F: Fn(Coalition, usize) -> f64> CoalitionCosts for Function<F> {
        fn players(&self) -> usize {
            self.players
        }
        fn options(&self) -> usize {
            self.options
        }
        fn mean_costs(&mut self, coalitions: &[Coalition]) -> Vec<f64> {
            coalitions
                .iter()
                .flat_map(|&c| (0..self.options).map(move |o| (c, o)))
                .map(|(c, o)| (self.cost)(c, o))
                .collect()
        }
    }

    #[test]
    fn a_fixed_cost_per_centre_merges_everyone_at_the_cheaper_option() {
        // c(S, o) = 10 + |S| at option 0, 12 + |S| at option 1: one centre
        // of 4 at option 0 costs 14, four alone 44.
        let mut game = Function {
            players: 4,
            options: 2,
            cost: |s: Coalition, o| 10.0 + 2.0 * o as f64 + f64::from(s.count_ones()),
        };
        let s = greedy_merging(&mut game);
        assert_eq!(
            s.blocks,
            vec![Block {
                coalition: 0b1111,
                option: 0
            }]
        );
        assert_eq!(s.cost, 14.0);
    }

    #[test]
    fn a_penalty_for_mixing_two_kinds_keeps_them_apart() {
        // Agencies 0, 1 are of one kind, 2, 3 of another: a centre costs
        // 10 + |S|, plus 20 if it mixes kinds. Best: {0,1} and {2,3}, 24.
        let mut game = Function {
            players: 4,
            options: 1,
            cost: |s: Coalition, _| {
                let mixed = s & 0b0011 != 0 && s & 0b1100 != 0;
                10.0 + f64::from(s.count_ones()) + if mixed { 20.0 } else { 0.0 }
            },
        };
        let s = greedy_merging(&mut game);
        assert_eq!(
            s.blocks,
            vec![
                Block {
                    coalition: 0b0011,
                    option: 0
                },
                Block {
                    coalition: 0b1100,
                    option: 0
                }
            ]
        );
        assert_eq!(s.cost, 24.0);
    }
}
