//! Which group of agencies would do best by leaving: the coalition of
//! largest excess `x(S) − c(S)` under an allocation `x` (what it is charged
//! minus what it would pay alone). An allocation is in the core when the
//! largest excess is at most zero.
//!
//! Up to [`EXACT_SEPARATION_PLAYERS`] players every proper coalition is
//! enumerated: the answer is exact. Above, a local search climbs from each
//! singleton and each "everyone but one" by adding or removing one player
//! at a time while the excess grows (first improvement over the players in
//! index order). It can miss the largest excess: its answer is labelled
//! [`Separation::exact`]` == false`, "no violating coalition found by search",
//! never a proof of stability.

use super::partition::{Coalition, grand_coalition};

/// The most players whose coalitions are enumerated: `2^16 − 2` coalitions,
/// about a millisecond per pass over a table of their costs (the costs are
/// asked for once, in one batch).
pub const EXACT_SEPARATION_PLAYERS: usize = 16;

/// The coalition of largest excess found.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Separation {
    /// The coalition (bit mask over the players).
    pub coalition: Coalition,
    /// Its excess `x(S) − c(S)`: positive means it would pay less alone.
    pub excess: f64,
    /// Whether every coalition was enumerated (the excess is the largest),
    /// or a search found it (a larger one may exist).
    pub exact: bool,
}

/// The sum of `x` over the members of `s`.
pub(crate) fn charged(s: Coalition, x: &[f64]) -> f64 {
    (0..x.len())
        .filter(|i| s & (1 << i) != 0)
        .map(|i| x[i])
        .sum()
}

/// The costs of every coalition, indexed by bit mask (entry 0, the empty
/// coalition, costs nothing): enumeration's table, asked for in one batch.
pub(crate) fn cost_table(
    players: usize,
    cost: &mut impl FnMut(&[Coalition]) -> Vec<f64>,
) -> Vec<f64> {
    let coalitions: Vec<Coalition> = (1..1 << players).collect();
    let mut table = Vec::with_capacity(1 << players);
    table.push(0.0);
    table.extend(cost(&coalitions));
    table
}

/// The proper, non-empty coalition of largest excess among those `allowed`,
/// by enumeration over a full cost `table` (from [`cost_table`]). Ties go to
/// the lowest mask. `None` when none is allowed.
pub(crate) fn largest_excess_in_table(
    table: &[f64],
    x: &[f64],
    allowed: impl Fn(Coalition) -> bool,
) -> Option<Separation> {
    let full = table.len() - 1;
    // x(S) for every mask: x(S) = x(S without its lowest member) + x_lowest.
    let mut sums = vec![0.0; table.len()];
    let mut best: Option<Separation> = None;
    for s in 1..full {
        sums[s] = sums[s & (s - 1)] + x[s.trailing_zeros() as usize];
        let coalition = s as Coalition;
        if !allowed(coalition) {
            continue;
        }
        let excess = sums[s] - table[s];
        if best.is_none_or(|b| excess > b.excess) {
            best = Some(Separation {
                coalition,
                excess,
                exact: true,
            });
        }
    }
    best
}

/// The proper, non-empty coalition of largest excess among those `allowed`,
/// found by local search (see the module's documentation); `cost` is asked
/// for the neighbours of each step in one batch.
pub(crate) fn largest_excess_by_search(
    players: usize,
    x: &[f64],
    allowed: &impl Fn(Coalition) -> bool,
    cost: &mut impl FnMut(&[Coalition]) -> Vec<f64>,
) -> Option<Separation> {
    let full = grand_coalition(players);
    let proper = |s: Coalition| s != 0 && s != full;
    let starts: Vec<Coalition> = (0..players)
        .flat_map(|i| [1 << i, full & !(1 << i)])
        .filter(|&s| proper(s))
        .collect();
    let start_costs = cost(&starts);
    let mut best: Option<Separation> = None;
    for (&start, &start_cost) in starts.iter().zip(&start_costs) {
        let mut current = start;
        let mut excess = charged(start, x) - start_cost;
        loop {
            let neighbours: Vec<Coalition> = (0..players)
                .map(|i| current ^ (1 << i))
                .filter(|&s| proper(s))
                .collect();
            let costs = cost(&neighbours);
            let better = neighbours
                .iter()
                .zip(&costs)
                .map(|(&s, &c)| (s, charged(s, x) - c))
                .find(|&(_, e)| e > excess);
            match better {
                Some((s, e)) => {
                    current = s;
                    excess = e;
                }
                None => break,
            }
        }
        if allowed(current) && best.is_none_or(|b| excess > b.excess) {
            best = Some(Separation {
                coalition: current,
                excess,
                exact: false,
            });
        }
    }
    best
}

/// The coalition of largest excess under allocation `x` of a game of
/// `players` players: exact up to [`EXACT_SEPARATION_PLAYERS`], by search
/// above. `None` with fewer than two players (no proper coalition).
pub fn largest_excess(
    players: usize,
    x: &[f64],
    cost: &mut impl FnMut(&[Coalition]) -> Vec<f64>,
) -> Option<Separation> {
    if players <= EXACT_SEPARATION_PLAYERS {
        let table = cost_table(players, cost);
        largest_excess_in_table(&table, x, |_| true)
    } else {
        largest_excess_by_search(players, x, &|_| true, cost)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A random game: c(S) = Σ_i a_i − savings, with a pseudo-random
    /// subadditivity-breaking term per mask.
    fn random_game(players: usize, seed: u64) -> Vec<f64> {
        let mut next = crate::testing::uniforms(seed);
        let own: Vec<f64> = (0..players).map(|_| 1.0 + 9.0 * next()).collect();
        let mut table = vec![0.0];
        for s in 1u64..1 << players {
            let alone: f64 = charged(s, &own);
            table.push(alone * (0.6 + 0.4 * next()));
        }
        table
    }

    #[test]
    fn enumeration_finds_the_brute_force_largest_excess_and_core_membership() {
        for seed in 0..40 {
            let players = 3 + (seed as usize % 5);
            let table = random_game(players, seed);
            let full = (1usize << players) - 1;
            // An allocation: equal split of c(N), perturbed by the seed.
            let x: Vec<f64> = (0..players)
                .map(|i| table[full] / players as f64 + (i as f64 - 1.0) * 0.1 * (seed % 3) as f64)
                .collect();
            let x_total: f64 = x.iter().sum();
            let x: Vec<f64> = x.iter().map(|v| v * table[full] / x_total).collect();
            let mut brute = (0, f64::NEG_INFINITY);
            #[allow(clippy::needless_range_loop)] // s is the mask, not only an index
            for s in 1..full {
                let paid: f64 = (0..players)
                    .filter(|i| s & (1 << i) != 0)
                    .map(|i| x[i])
                    .sum();
                if paid - table[s] > brute.1 {
                    brute = (s, paid - table[s]);
                }
            }
            let mut cost =
                |c: &[Coalition]| c.iter().map(|&s| table[s as usize]).collect::<Vec<_>>();
            let found = largest_excess(players, &x, &mut cost).expect("proper coalitions exist");
            assert_eq!(found.coalition as usize, brute.0);
            assert!((found.excess - brute.1).abs() < 1e-12);
            assert!(found.exact);
            // In the core exactly when no coalition has a positive excess.
            let in_core = (1..full).all(|s| {
                let paid: f64 = (0..players)
                    .filter(|i| s & (1 << i) != 0)
                    .map(|i| x[i])
                    .sum();
                paid <= table[s]
            });
            assert_eq!(in_core, found.excess <= 0.0);
        }
    }

    #[test]
    fn the_search_never_reports_more_than_the_largest_excess_and_often_finds_it() {
        let mut found_exactly = 0;
        let trials = 40;
        for seed in 0..trials {
            let players = 8;
            let table = random_game(players, 100 + seed);
            let full = (1usize << players) - 1;
            let x = vec![table[full] / players as f64; players];
            let mut cost =
                |c: &[Coalition]| c.iter().map(|&s| table[s as usize]).collect::<Vec<_>>();
            let exact = largest_excess(players, &x, &mut cost).expect("proper coalitions");
            let searched = largest_excess_by_search(players, &x, &|_| true, &mut cost)
                .expect("proper coalitions");
            assert!(!searched.exact);
            // The search reports a real coalition's excess: never above the
            // maximum, and exactly that coalition's.
            assert!(searched.excess <= exact.excess + 1e-12);
            let s = searched.coalition as usize;
            assert!((searched.excess - (charged(searched.coalition, &x) - table[s])).abs() < 1e-12);
            if (searched.excess - exact.excess).abs() < 1e-12 {
                found_exactly += 1;
            }
        }
        // Not a guarantee, a sanity check that the search climbs: it finds
        // the maximum in most of these small games.
        assert!(
            found_exactly * 2 > trials,
            "found {found_exactly} of {trials}"
        );
    }
}
