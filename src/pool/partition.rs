//! The cheapest ways to split a set of agencies into centres: dynamic
//! programming over subsets, keeping the `k` best structures of every subset.
//!
//! Agencies are bits of a mask. A block is a coalition (a mask) at one of
//! `options` candidate locations, with a known cost; a structure is a set of
//! disjoint blocks covering all agencies. Every structure of a set `U` puts
//! `U`'s lowest agency in exactly one block, so the `k` best structures of
//! `U` are the `k` best of "a block containing that agency, plus one of the
//! `k` best structures of what is left" — each structure counted once.

/// A block of a structure: a coalition (agency bit mask) at a location option.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Block {
    /// The agencies, as bits.
    pub coalition: u32,
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
pub fn best_structures(
    players: u32,
    options: usize,
    k: usize,
    cost: impl Fn(u32, usize) -> f64,
) -> Vec<Structure> {
    assert!(
        players <= 20,
        "the search is exponential in the number of agencies"
    );
    let full = (1u32 << players) - 1;
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
        lists[subset as usize] = candidates;
    }
    (0..lists[full as usize].len())
        .map(|i| unfold(&lists, full, i))
        .collect()
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
fn unfold(lists: &[Vec<Entry>], subset: u32, i: usize) -> Structure {
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
    fn brute_force(players: u32, options: usize, cost: &impl Fn(u32, usize) -> f64) -> Vec<f64> {
        fn partitions(remaining: u32) -> Vec<Vec<u32>> {
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
    fn irregular(coalition: u32, option: usize) -> f64 {
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

    #[test]
    fn keeping_the_cheapest_keeps_what_a_stable_sort_keeps() {
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        let mut next = move |n: u64| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state % n
        };
        for _ in 0..2_000 {
            let n = next(40) as usize;
            // Few distinct costs: many ties.
            let candidates: Vec<Entry> = (0..n)
                .map(|i| Entry {
                    cost: next(6) as f64,
                    block: Block {
                        coalition: i as u32,
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
