//! The cheapest ways to split a set of agencies into centres: dynamic
//! programming over subsets, keeping the `k` best structures of every subset.
//!
//! Agencies are bits of a mask. A block is a coalition (a mask) at one of
//! `options` candidate locations, with a known cost; a structure is a set of
//! disjoint blocks covering all agencies. Every structure of a set `U` puts
//! `U`'s lowest agency in exactly one block, so the `k` best structures of
//! `U` are the `k` best of "a block containing that agency, plus one of the
//! `k` best structures of what is left" — each structure counted once.

/// A set of agencies, as bits over a game's players (player `i` is bit
/// `i`): up to 64 players.
pub type Coalition = u64;

/// The coalition of all `players` players (at most 64): `2^players − 1`,
/// written so that 64 players do not overflow the shift.
pub fn grand_coalition(players: usize) -> Coalition {
    if players == 0 {
        0
    } else {
        Coalition::MAX >> (Coalition::BITS as usize - players)
    }
}

/// A block of a structure: a coalition (agency bit mask) at a location option.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Block {
    /// The agencies, as bits.
    pub coalition: Coalition,
    /// Index of the location option.
    pub option: usize,
}

/// A way to serve every agency: blocks, and their total cost.
#[derive(Clone, Debug, PartialEq)]
pub struct Structure {
    /// Total cost of the blocks.
    pub cost: f64,
    /// The blocks, in order of their lowest agency.
    pub blocks: Vec<Block>,
}

/// One of the `k` best structures of a subset, stored as a block and a link
/// to a structure of the rest.
#[derive(Clone, Copy, Debug)]
struct Entry {
    cost: f64,
    block: Block,
    /// Index into the rest's list (unused when the block is the whole subset).
    rest: usize,
}

/// The `k` cheapest structures covering all `players` agencies, cheapest
/// first, given `cost(coalition, option)` for every non-empty coalition and
/// each of `options` locations. Ties keep the order in which structures are
/// found (deterministic).
pub(crate) fn best_structures(
    players: u32,
    options: usize,
    k: usize,
    cost: impl Fn(Coalition, usize) -> f64,
) -> Vec<Structure> {
    assert!(
        players <= 20,
        "the search is exponential in the number of agencies"
    );
    let full: Coalition = (1 << players) - 1;
    let mut lists: Vec<Vec<Entry>> = vec![Vec::new(); full as usize + 1];
    for subset in 1..=full {
        let lowest = subset & subset.wrapping_neg();
        let mut candidates: Vec<Entry> = Vec::new();
        // Every block containing the lowest agency: `lowest` plus any part of the others.
        let others = subset ^ lowest;
        let mut part = others;
        loop {
            let coalition = lowest | part;
            let rest = subset ^ coalition;
            for option in 0..options {
                let block_cost = cost(coalition, option);
                let block = Block { coalition, option };
                if rest == 0 {
                    candidates.push(Entry {
                        cost: block_cost,
                        block,
                        rest: 0,
                    });
                } else {
                    for (i, entry) in lists[rest as usize].iter().enumerate() {
                        candidates.push(Entry {
                            cost: block_cost + entry.cost,
                            block,
                            rest: i,
                        });
                    }
                }
            }
            if part == 0 {
                break;
            }
            part = (part - 1) & others;
        }
        keep_cheapest(&mut candidates, k);
        // The list keeps at most `k` entries: without this, it would keep
        // the capacity of every candidate it was chosen from.
        candidates.shrink_to_fit();
        lists[subset as usize] = candidates;
    }
    (0..lists[full as usize].len())
        .map(|i| unfold(&lists, full, i))
        .collect()
}

/// The most memory [`best_structures`] holds at once, in bytes: the `k`
/// best structures of every subset of `players`, and the candidates of the
/// largest subset with the copy `keep_cheapest` ranks (a growing vector
/// may hold twice its length). The count of candidates depends only on a
/// subset's size, so the same recurrence as the search gives it exactly:
/// a subset of `m` agencies has `Σⱼ C(m−1, j) · options · kept(m−1−j)`
/// candidates and keeps `min(k, that)` of them.
pub(crate) fn search_peak_bytes(players: u32, options: usize, k: usize) -> u64 {
    let entry = std::mem::size_of::<Entry>() as u64;
    let ranked = std::mem::size_of::<(usize, Entry)>() as u64;
    let candidates = candidates_by_size(players, options, k);
    let lists_bytes = (1..=u64::from(players)).fold(0u64, |sum, m| {
        let kept = candidates[m as usize - 1].min(k as u64);
        sum.saturating_add(binomial(u64::from(players), m).saturating_mul(kept * entry))
    });
    let most_candidates = candidates.iter().copied().max().unwrap_or(0);
    most_candidates
        .saturating_mul(2 * entry + ranked)
        .saturating_add(lists_bytes)
}

/// The candidates [`best_structures`] ranks for a subset of `m` agencies,
/// for `m` from 1 to `players` (saturating).
fn candidates_by_size(players: u32, options: usize, k: usize) -> Vec<u64> {
    let (options, k) = (options as u64, k as u64);
    // `kept[m]`: structures kept for a subset of `m` agencies (1 for none).
    let mut kept = vec![1u64];
    let mut candidates = Vec::new();
    for m in 1..=u64::from(players) {
        let count = (0..m).fold(0u64, |sum, j| {
            let rest = kept[(m - 1 - j) as usize];
            sum.saturating_add(
                binomial(m - 1, j)
                    .saturating_mul(options)
                    .saturating_mul(rest),
            )
        });
        kept.push(count.min(k));
        candidates.push(count);
    }
    candidates
}

/// `C(n, r)`, saturating.
fn binomial(n: u64, r: u64) -> u64 {
    (0..r.min(n - r)).fold(1u64, |c, i| c.saturating_mul(n - i) / (i + 1))
}

/// Keeps the `k` cheapest candidates, cheapest first, ties in the order
/// they were found: what a stable sort by cost keeps, without sorting the
/// many that are dropped. Cost and position together order the candidates
/// with no ties, so selecting the `k` first and sorting only those gives
/// the stable sort's first `k`.
fn keep_cheapest(candidates: &mut Vec<Entry>, k: usize) {
    let mut ranked: Vec<(usize, Entry)> = candidates.drain(..).enumerate().collect();
    let order =
        |a: &(usize, Entry), b: &(usize, Entry)| a.1.cost.total_cmp(&b.1.cost).then(a.0.cmp(&b.0));
    if k < ranked.len() {
        if k == 0 {
            ranked.clear();
        } else {
            ranked.select_nth_unstable_by(k - 1, order);
            ranked.truncate(k);
        }
    }
    ranked.sort_unstable_by(order);
    candidates.extend(ranked.into_iter().map(|(_, entry)| entry));
}

/// The structure behind entry `i` of `subset`'s list.
fn unfold(lists: &[Vec<Entry>], subset: Coalition, i: usize) -> Structure {
    let cost = lists[subset as usize][i].cost;
    let mut blocks = Vec::new();
    let (mut subset, mut i) = (subset, i);
    while subset != 0 {
        let entry = lists[subset as usize][i];
        blocks.push(entry.block);
        subset ^= entry.block.coalition;
        i = entry.rest;
    }
    Structure { cost, blocks }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every structure by brute force: all set partitions of the players,
    /// with every combination of options for their blocks.
    fn brute_force(
        players: u32,
        options: usize,
        cost: &impl Fn(Coalition, usize) -> f64,
    ) -> Vec<f64> {
        fn partitions(remaining: Coalition) -> Vec<Vec<Coalition>> {
            if remaining == 0 {
                return vec![Vec::new()];
            }
            let lowest = remaining & remaining.wrapping_neg();
            let others = remaining ^ lowest;
            let mut all = Vec::new();
            let mut part = others;
            loop {
                let block = lowest | part;
                for mut rest in partitions(remaining ^ block) {
                    rest.insert(0, block);
                    all.push(rest);
                }
                if part == 0 {
                    break;
                }
                part = (part - 1) & others;
            }
            all
        }
        let mut costs = Vec::new();
        for partition in partitions((1 << players) - 1) {
            let combos = options.pow(partition.len() as u32);
            for combo in 0..combos {
                let mut c = 0.0;
                let mut code = combo;
                for &block in &partition {
                    c += cost(block, code % options);
                    code /= options;
                }
                costs.push(c);
            }
        }
        costs.sort_by(f64::total_cmp);
        costs
    }

    /// A cost with fixed parts per block and option, pairwise synergies and
    /// penalties: irregular enough that the best structures are not trivial.
    fn irregular(coalition: Coalition, option: usize) -> f64 {
        let members: Vec<u32> = (0..8).filter(|i| coalition & (1 << i) != 0).collect();
        let size = members.len() as f64;
        let mut c = 10.0 + 3.0 * option as f64 + 7.0 * size - 0.8 * size * size.sqrt();
        for &a in &members {
            for &b in &members {
                if a < b {
                    c += (((a * 7 + b * 13 + option as u32) % 5) as f64 - 2.0) * 0.9;
                }
            }
        }
        c
    }

    /// Untruncated, a subset's candidates are all its structures: the Bell
    /// numbers with one option (1, 2, 5, 15, 52, 203), and
    /// `Σⱼ S(m, j)·2ʲ` with two (2, 6, 22, 94).
    #[test]
    fn candidates_untruncated_count_every_structure() {
        assert_eq!(
            candidates_by_size(6, 1, usize::MAX),
            vec![1, 2, 5, 15, 52, 203]
        );
        assert_eq!(candidates_by_size(4, 2, usize::MAX), vec![2, 6, 22, 94]);
    }

    /// Truncated at `k`, the count for all players is how many structures
    /// the search returns (when fewer than `k` exist, all of them).
    #[test]
    fn candidates_truncated_match_what_the_search_returns() {
        for (players, options, k) in [(5, 2, 7), (6, 3, 40), (4, 1, 100)] {
            let found = best_structures(players, options, k, irregular).len() as u64;
            let counted = candidates_by_size(players, options, k)[players as usize - 1];
            assert_eq!(found, counted.min(k as u64), "{players} {options} {k}");
        }
    }

    #[test]
    fn keeping_the_cheapest_keeps_what_a_stable_sort_keeps() {
        let mut next = crate::sim::below_from_xorshift();
        for _ in 0..2_000 {
            let n = next(40) as usize;
            // Few distinct costs: many ties.
            let candidates: Vec<Entry> = (0..n)
                .map(|i| Entry {
                    cost: next(6) as f64,
                    block: Block {
                        coalition: i as Coalition,
                        option: 0,
                    },
                    rest: 0,
                })
                .collect();
            for k in [0, 1, 3, 10, 50] {
                let mut sorted = candidates.clone();
                sorted.sort_by(|a, b| a.cost.total_cmp(&b.cost));
                sorted.truncate(k);
                let mut kept = candidates.clone();
                keep_cheapest(&mut kept, k);
                let ids = |v: &[Entry]| v.iter().map(|e| e.block.coalition).collect::<Vec<_>>();
                assert_eq!(ids(&kept), ids(&sorted));
            }
        }
    }

    #[test]
    fn the_k_best_structures_match_brute_force() {
        for (players, options) in [(1, 1), (3, 2), (4, 3), (5, 2), (6, 2)] {
            let all = brute_force(players, options, &irregular);
            let k = 12.min(all.len());
            let best = best_structures(players, options, k, irregular);
            assert_eq!(best.len(), k, "{players} players, {options} options");
            for (found, expected) in best.iter().zip(&all) {
                assert!(
                    (found.cost - expected).abs() < 1e-9,
                    "{players}/{options}: {} vs {expected}",
                    found.cost
                );
                let recomputed: f64 = found
                    .blocks
                    .iter()
                    .map(|b| irregular(b.coalition, b.option))
                    .sum();
                assert!((recomputed - found.cost).abs() < 1e-9);
                let union = found.blocks.iter().fold(0, |u, b| {
                    assert_eq!(u & b.coalition, 0, "blocks overlap");
                    u | b.coalition
                });
                assert_eq!(union, (1 << players) - 1, "blocks cover everyone");
            }
        }
    }

    #[test]
    fn the_number_of_structures_is_the_bell_number_times_options() {
        // 4 agencies, 1 option: Bell(4) = 15 partitions.
        assert_eq!(best_structures(4, 1, 100, |_, _| 1.0).len(), 15);
        assert_eq!(brute_force(4, 1, &|_, _| 1.0).len(), 15);
    }

    #[test]
    fn economies_of_scale_make_the_grand_coalition_best() {
        let best = best_structures(5, 1, 1, |c, _| 10.0 + c.count_ones() as f64);
        assert_eq!(
            best[0].blocks,
            vec![Block {
                coalition: 0b11111,
                option: 0
            }]
        );
        assert_eq!(best[0].cost, 15.0);
    }
}
