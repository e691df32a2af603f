//! Coalition structures beyond exact enumeration: a search over ways to
//! split the agencies into centres, asking the game only for the coalitions
//! it visits.
//!
//! The search asks for the mean NPV cost of coalitions in batches (so that
//! the caller can evaluate a batch's centres in parallel) through
//! [`CoalitionCosts`]. Each restart is independent of the others and seeded
//! from its own index, so a set of restarts split across shards finds the
//! same structures as one process running them all ([`merge_found`]).
//!
//! # Method
//!
//! Multi-start local search, the family of anytime heuristics that Rahwan,
//! Michalak, Wooldridge and Jennings (2015, "Coalition structure generation:
//! A survey", Artificial Intelligence 229, 139–174) survey for games too
//! large for dynamic programming. Restart 0 starts from greedy merging (the
//! agglomerative C-Link scheme of Farinelli et al. 2013, IJCAI); restart
//! `i ≥ 1` from a semi-greedy merging that picks at random among the few
//! best mergers at each step (Hart and Shogan 1987, "Semi-greedy
//! heuristics: an empirical study", Operations Research Letters 6,
//! 107–114), drawn from `stream(seed, i, StreamKind::Search, 0, 0)`. Each
//! start then descends by variable neighbourhood descent (Mladenović and
//! Hansen 1997, "Variable neighborhood search", Computers & Operations
//! Research 24, 1097–1100): the best improvement among moving one agency
//! to another block or alone, then swapping two agencies of different
//! blocks, then merging two blocks, then splitting one in two (every way
//! for a block of up to 8 agencies, the two groups that greedy merging of
//! its agencies leaves for a larger one), back to the
//! first neighbourhood after every improvement, until none improves. Every
//! block sits at its cheapest location option, so re-choosing locations is
//! part of every step.
//!
//! # Proof on games the exact search solves
//!
//! On 500 random games shaped like sscsim's (fixed cost per centre by
//! location, workloads with a square-root pooling buffer, a harmonisation
//! penalty growing with the platforms a centre mixes, location price
//! factors, a few agencies preferring a location), 4 to 12 agencies and 1
//! to 5 options, with the default [`DEFAULT_RESTARTS`], the best structure
//! found is the optimum of the exact search (`partition::best_structures`)
//! in 494 (98.8%) and at most 0.62% above it; greedy merging alone finds
//! 477 (95.4%), up to 2.23% above
//! (`cargo test --lib pool::search::tests::the_heuristic_finds_the_exact_optimum -- --nocapture`).
//!
//! # What it asks for, and the memory it keeps
//!
//! Every coalition's cheapest option and cost are kept in a cache, so no
//! coalition is asked for twice, and each neighbourhood's new coalitions go
//! in one call of [`CoalitionCosts::mean_costs`]. The cache holds at most
//! [`CACHE_MAX_COALITIONS`] entries (a mask, an option and a cost: 24 bytes
//! and a control byte each; 2^20 entries fill at most 2^21 slots of the
//! hash table, about 52 MB); a search that would
//! exceed it empties it and goes on (the values never change, so neither do
//! the results; only coalitions may then be asked for again). On a
//! 30-agency synthetic game with 5 options and the default restarts the
//! search asks for 2 177 to 5 798 distinct coalitions (five games, in about
//! 150 batches each; `cargo test --lib
//! pool::search::tests::a_thirty_agency -- --nocapture`), within the ~8 000
//! that two minutes of two cores allow at 100 replications.

mod moves;
#[cfg(test)]
mod tests;

use std::cmp::Ordering;
use std::ops::Range;

use rand::RngExt;
use rand::rngs::Xoshiro256PlusPlus;

use super::partition::Coalition;
use super::partition::{Block, Structure};
use crate::sample::{StreamKind, stream};

/// The restarts a search runs by default: restart 0 (greedy) and seven
/// semi-greedy ones (chosen so that the proof on exact games holds with a
/// margin, see the module documentation).
pub const DEFAULT_RESTARTS: u64 = 8;

/// The most coalitions the cache keeps before it is emptied.
pub const CACHE_MAX_COALITIONS: usize = 1 << 20;

/// How many of the best mergers a semi-greedy step picks from.
const SEMI_GREEDY_CHOICES: usize = 3;

/// The mean NPV cost of coalitions at each candidate location.
pub trait CoalitionCosts {
    /// Number of players (agencies), at most 64.
    fn players(&self) -> usize;
    /// Number of candidate location options.
    fn options(&self) -> usize;
    /// The mean costs of `coalitions` (non-empty masks over the players):
    /// element `i · options + o` is coalition `i`'s cost at option `o`.
    fn mean_costs(&mut self, coalitions: &[Coalition]) -> Vec<f64>;
    /// Whether the search was asked to stop (Ctrl-C): it then asks for
    /// nothing more and returns what it has, which the caller discards.
    /// Costs asked for once stopped may be anything (`inf`, say).
    fn stopped(&self) -> bool {
        false
    }
}

/// The cheapest option of each coalition, and its cost (ties to the lowest
/// option).
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

/// The game's costs, asked for in batches and remembered.
struct Cache<'a, C: CoalitionCosts> {
    game: &'a mut C,
    known: foldhash::HashMap<Coalition, (usize, f64)>,
    /// The most coalitions kept.
    limit: usize,
}

impl<'a, C: CoalitionCosts> Cache<'a, C> {
    fn new(game: &'a mut C) -> Self {
        Self::with_limit(game, CACHE_MAX_COALITIONS)
    }

    fn with_limit(game: &'a mut C, limit: usize) -> Self {
        Cache {
            game,
            known: foldhash::HashMap::default(),
            limit,
        }
    }

    /// Asks the game, in one call, for those of `coalitions` not yet known.
    /// Every coalition read after it must be in the call: to make room, the
    /// cache may forget the others.
    fn ask(&mut self, coalitions: &[Coalition]) {
        let mut new: Vec<Coalition> = coalitions
            .iter()
            .copied()
            .filter(|c| !self.known.contains_key(c))
            .collect();
        if new.is_empty() {
            return;
        }
        new.sort_unstable();
        new.dedup();
        if self.known.len() + new.len() > self.limit {
            self.known.clear();
            // Those just filtered out as known must be asked for again.
            new = coalitions.to_vec();
            new.sort_unstable();
            new.dedup();
        }
        let best = cheapest(self.game, &new);
        self.known.extend(new.into_iter().zip(best));
    }

    /// The cheapest option and cost of a coalition already asked for.
    fn get(&self, coalition: Coalition) -> (usize, f64) {
        self.known[&coalition]
    }
}

/// The order of structures: cheapest first, then by their blocks.
fn rank(a: &Structure, b: &Structure) -> Ordering {
    a.cost
        .total_cmp(&b.cost)
        .then_with(|| a.blocks.cmp(&b.blocks))
}

/// A structure of known blocks, in canonical form: blocks in order of
/// their lowest agency, each at its cheapest option, the cost summed in
/// that order (so the same blocks give the same bits wherever found).
fn structure_of(cache: &Cache<'_, impl CoalitionCosts>, coalitions: &[Coalition]) -> Structure {
    let mut sorted = coalitions.to_vec();
    sorted.sort_unstable_by_key(|c| c.trailing_zeros());
    let mut cost = 0.0;
    let blocks = sorted
        .iter()
        .map(|&coalition| {
            let (option, c) = cache.get(coalition);
            cost += c;
            Block { coalition, option }
        })
        .collect();
    Structure { cost, blocks }
}

/// The `k` best distinct structures seen, cheapest first.
struct Found {
    k: usize,
    list: Vec<Structure>,
}

impl Found {
    /// Whether a structure costing about `cost` could enter the list.
    fn could_enter(&self, cost: f64) -> bool {
        self.k > 0
            && (self.list.len() < self.k
                || self
                    .list
                    .last()
                    .is_some_and(|worst| cost <= worst.cost + 1e-9 * worst.cost.abs().max(1.0)))
    }

    fn offer(&mut self, s: Structure) {
        if self.list.iter().any(|f| f.blocks == s.blocks) {
            return;
        }
        let at = self.list.partition_point(|f| rank(f, &s) == Ordering::Less);
        if at < self.k {
            self.list.insert(at, s);
            self.list.truncate(self.k);
        }
    }
}

/// Merges blocks two at a time, each step asking for every pair's merger
/// in one batch. `choose` gets the mergers (pair index, saving), best
/// first, and picks one, or none to stop.
fn agglomerate<C: CoalitionCosts>(
    cache: &mut Cache<'_, C>,
    mut blocks: Vec<Coalition>,
    mut choose: impl FnMut(&[(usize, f64)], usize) -> Option<usize>,
) -> Vec<Coalition> {
    cache.ask(&blocks);
    while blocks.len() > 1 && !cache.game.stopped() {
        let pairs: Vec<(usize, usize)> = (0..blocks.len())
            .flat_map(|a| (a + 1..blocks.len()).map(move |b| (a, b)))
            .collect();
        let merged: Vec<Coalition> = pairs.iter().map(|&(a, b)| blocks[a] | blocks[b]).collect();
        // The blocks too: if the cache is emptied to make room, what this
        // step reads must still be there.
        cache.ask(&[&blocks[..], &merged[..]].concat());
        let mut savings: Vec<(usize, f64)> = pairs
            .iter()
            .zip(&merged)
            .enumerate()
            .map(|(i, (&(a, b), &m))| {
                (
                    i,
                    cache.get(blocks[a]).1 + cache.get(blocks[b]).1 - cache.get(m).1,
                )
            })
            .collect();
        // Best saving first, ties to the lowest pair (a stable sort).
        savings.sort_by(|x, y| y.1.total_cmp(&x.1));
        let Some(i) = choose(&savings, blocks.len()) else {
            break;
        };
        let (a, b) = pairs[i];
        blocks[a] = merged[i];
        blocks.remove(b);
    }
    blocks
}

/// Greedy choice: the best merger, if it saves anything.
fn greedy(savings: &[(usize, f64)], _blocks: usize) -> Option<usize> {
    savings.first().filter(|s| s.1 > 0.0).map(|s| s.0)
}

/// Greedy merging: start from every agency alone and merge, at each step,
/// the two blocks whose merger saves most, until no merger saves anything
/// (the agglomerative scheme of Farinelli et al. 2013, "C-Link: a
/// hierarchical clustering approach to large-scale near-optimal coalition
/// formation", IJCAI). Deterministic: ties go to the lowest pair.
pub fn greedy_merging(costs: &mut impl CoalitionCosts) -> Structure {
    let players = costs.players();
    let mut cache = Cache::new(costs);
    let singles = (0..players).map(|i| 1 << i).collect();
    let blocks = agglomerate(&mut cache, singles, greedy);
    structure_of(&cache, &blocks)
}

/// The start of restart `restart`: greedy merging for 0, semi-greedy
/// merging (uniformly among the [`SEMI_GREEDY_CHOICES`] best mergers that
/// save anything) from the restart's own stream otherwise.
fn start<C: CoalitionCosts>(cache: &mut Cache<'_, C>, seed: u64, restart: u64) -> Vec<Coalition> {
    let players = cache.game.players();
    let singles = (0..players).map(|i| 1 << i).collect();
    if restart == 0 {
        return agglomerate(cache, singles, greedy);
    }
    let mut rng: Xoshiro256PlusPlus = stream(seed, restart, StreamKind::Search, 0, 0);
    agglomerate(cache, singles, |savings, _| {
        let saving = savings.iter().take_while(|s| s.1 > 0.0).count();
        let choices = saving.min(SEMI_GREEDY_CHOICES);
        (choices > 0).then(|| savings[rng.random_range(0..choices)].0)
    })
}

/// The `k` best distinct structures found by the given restarts, cheapest
/// first (ties in the order of their blocks): see the module documentation
/// for the method. Restarts are independent: the structures of a range
/// are [`merge_found`] of those of any split of it.
pub fn heuristic_structures(
    costs: &mut impl CoalitionCosts,
    seed: u64,
    restarts: Range<u64>,
    k: usize,
) -> Vec<Structure> {
    if costs.players() == 0 || costs.options() == 0 {
        return Vec::new();
    }
    search(&mut Cache::new(costs), seed, restarts, k)
}

/// [`heuristic_structures`] with a given cache.
fn search<C: CoalitionCosts>(
    cache: &mut Cache<'_, C>,
    seed: u64,
    restarts: Range<u64>,
    k: usize,
) -> Vec<Structure> {
    let mut found: Vec<Structure> = Vec::new();
    for restart in restarts {
        if cache.game.stopped() {
            break;
        }
        let mut kept = Found {
            k,
            list: Vec::new(),
        };
        let blocks = start(cache, seed, restart);
        moves::descend(cache, blocks, &mut kept);
        found.extend(kept.list);
    }
    merge_found(found, k)
}

/// The `k` best distinct structures of several lists (restarts, or shards
/// of restarts): their union, each structure once, cheapest first, ties in
/// the order of their blocks.
pub fn merge_found(found: impl IntoIterator<Item = Structure>, k: usize) -> Vec<Structure> {
    let mut all: Vec<Structure> = found.into_iter().collect();
    all.sort_by(rank);
    // Equal blocks have equal costs (summed in one order), so they are
    // next to each other.
    all.dedup_by(|a, b| a.blocks == b.blocks);
    all.truncate(k);
    all
}
