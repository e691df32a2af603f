//! The neighbourhoods of the local search, and the descent through them.
//!
//! A neighbour replaces one or two blocks of the current structure with one
//! or two new ones. Each neighbourhood's new coalitions are asked for in
//! one batch; the best improving neighbour is taken (ties to the first
//! generated), and the descent goes back to the first neighbourhood.

use super::{Cache, CoalitionCosts, Found, agglomerate, structure_of};
use crate::pool::partition::Coalition;

/// Blocks up to this size are split every possible way (`2^(m−1) − 1`
/// splits); larger ones only into the two groups that merging their
/// agencies greedily leaves.
const SPLIT_EVERY_WAY_MAX: u32 = 8;

/// An improvement smaller than this fraction of the cost is ignored: it
/// would be rounding, and could make the descent cycle.
const RELATIVE_TOLERANCE: f64 = 1e-12;

/// A neighbour: the blocks (indices) it removes and the coalitions it adds
/// (0 for none).
#[derive(Clone, Copy)]
struct Change {
    remove: [Option<usize>; 2],
    add: [Coalition; 2],
}

/// Descends from `blocks` to a local optimum of every neighbourhood,
/// offering the start and every neighbour seen to `found`.
pub(super) fn descend<C: CoalitionCosts>(
    cache: &mut Cache<'_, C>,
    mut blocks: Vec<Coalition>,
    found: &mut Found,
) {
    cache.ask(&blocks);
    found.offer(structure_of(cache, &blocks));
    // The neighbourhoods in order: moves, swaps, merges, splits.
    const NEIGHBOURHOODS: usize = 4;
    let mut n = 0;
    while n < NEIGHBOURHOODS && !cache.game.stopped() {
        let changes = match n {
            0 => moves(&blocks),
            1 => swaps(&blocks),
            2 => merges(&blocks),
            _ => splits(&blocks, cache),
        };
        if improve(cache, &mut blocks, &changes, found) {
            n = 0;
        } else {
            n += 1;
        }
    }
}

/// Evaluates `changes` (one batch), offers them to `found`, and applies
/// the best if it improves.
fn improve<C: CoalitionCosts>(
    cache: &mut Cache<'_, C>,
    blocks: &mut Vec<Coalition>,
    changes: &[Change],
    found: &mut Found,
) -> bool {
    // The current blocks too, which the cache may have forgotten.
    let added: Vec<Coalition> = changes
        .iter()
        .flat_map(|c| c.add)
        .filter(|&c| c != 0)
        .chain(blocks.iter().copied())
        .collect();
    cache.ask(&added);
    let current = structure_of(cache, blocks).cost;
    let mut best: Option<(f64, Change)> = None;
    for &change in changes {
        let removed: f64 = change
            .remove
            .iter()
            .flatten()
            .map(|&i| cache.get(blocks[i]).1)
            .sum();
        let new: f64 = change
            .add
            .iter()
            .filter(|&&c| c != 0)
            .map(|&c| cache.get(c).1)
            .sum();
        let delta = new - removed;
        if found.could_enter(current + delta) {
            found.offer(structure_of(cache, &applied(blocks, change)));
        }
        if best.is_none_or(|(d, _)| delta < d) {
            best = Some((delta, change));
        }
    }
    match best {
        Some((delta, change)) if delta < -RELATIVE_TOLERANCE * current.abs().max(1.0) => {
            *blocks = applied(blocks, change);
            true
        }
        _ => false,
    }
}

/// The blocks after a change, in order of their lowest agency.
fn applied(blocks: &[Coalition], change: Change) -> Vec<Coalition> {
    let mut next: Vec<Coalition> = blocks
        .iter()
        .enumerate()
        .filter(|(i, _)| !change.remove.contains(&Some(*i)))
        .map(|(_, &b)| b)
        .chain(change.add.into_iter().filter(|&c| c != 0))
        .collect();
    next.sort_unstable_by_key(|c| c.trailing_zeros());
    next
}

/// The agencies of a coalition, as single bits.
fn members(coalition: Coalition) -> impl Iterator<Item = Coalition> {
    (0..64)
        .map(|i| 1 << i)
        .filter(move |bit| coalition & bit != 0)
}

/// One agency moves to another block, or alone.
fn moves(blocks: &[Coalition]) -> Vec<Change> {
    let mut changes = Vec::new();
    for (a, &from) in blocks.iter().enumerate() {
        for agency in members(from) {
            let left = from ^ agency;
            if left != 0 {
                changes.push(Change {
                    remove: [Some(a), None],
                    add: [left, agency],
                });
            }
            for (b, &to) in blocks.iter().enumerate() {
                if b != a {
                    changes.push(Change {
                        remove: [Some(a), Some(b)],
                        add: [left, to | agency],
                    });
                }
            }
        }
    }
    changes
}

/// Two agencies of different blocks change places.
fn swaps(blocks: &[Coalition]) -> Vec<Change> {
    let mut changes = Vec::new();
    for (a, &one) in blocks.iter().enumerate() {
        for (b, &other) in blocks.iter().enumerate().skip(a + 1) {
            if one.count_ones() == 1 && other.count_ones() == 1 {
                continue;
            }
            for x in members(one) {
                for y in members(other) {
                    changes.push(Change {
                        remove: [Some(a), Some(b)],
                        add: [one ^ x | y, other ^ y | x],
                    });
                }
            }
        }
    }
    changes
}

/// Two blocks become one.
fn merges(blocks: &[Coalition]) -> Vec<Change> {
    let mut changes = Vec::new();
    for (a, &one) in blocks.iter().enumerate() {
        for (b, &other) in blocks.iter().enumerate().skip(a + 1) {
            changes.push(Change {
                remove: [Some(a), Some(b)],
                add: [one | other, 0],
            });
        }
    }
    changes
}

/// A block becomes two: every way for a block of at most
/// [`SPLIT_EVERY_WAY_MAX`] agencies, the greedy bisection for a larger one.
fn splits<C: CoalitionCosts>(blocks: &[Coalition], cache: &mut Cache<'_, C>) -> Vec<Change> {
    let mut changes = Vec::new();
    for (a, &block) in blocks.iter().enumerate() {
        let size = block.count_ones();
        if size < 2 {
            continue;
        }
        if size <= SPLIT_EVERY_WAY_MAX {
            // Every part holding the lowest agency, but the whole block.
            let lowest = block & block.wrapping_neg();
            let others = block ^ lowest;
            let mut part = (others - 1) & others;
            loop {
                let side = lowest | part;
                changes.push(Change {
                    remove: [Some(a), None],
                    add: [side, block ^ side],
                });
                if part == 0 {
                    break;
                }
                part = (part - 1) & others;
            }
        } else {
            let halves = agglomerate(cache, members(block).collect(), |savings, left| {
                (left > 2).then(|| savings[0].0)
            });
            if let [one, other] = halves[..] {
                changes.push(Change {
                    remove: [Some(a), None],
                    add: [one, other],
                });
            }
        }
    }
    changes
}
