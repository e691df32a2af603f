use std::collections::HashSet;

use rand::rngs::Xoshiro256PlusPlus;
use rand::{RngExt, SeedableRng};

use super::*;
use crate::pool::partition::best_structures;

/// A game given by a function of the coalition and option, which records
/// every batch it is asked for.
struct Function<F: Fn(Coalition, usize) -> f64> {
    players: usize,
    options: usize,
    cost: F,
    batches: Vec<Vec<Coalition>>,
}

fn game<F: Fn(Coalition, usize) -> f64>(players: usize, options: usize, cost: F) -> Function<F> {
    Function {
        players,
        options,
        cost,
        batches: Vec::new(),
    }
}

impl<F: Fn(Coalition, usize) -> f64> CoalitionCosts for Function<F> {
    fn players(&self) -> usize {
        self.players
    }
    fn options(&self) -> usize {
        self.options
    }
    fn mean_costs(&mut self, coalitions: &[Coalition]) -> Vec<f64> {
        self.batches.push(coalitions.to_vec());
        coalitions
            .iter()
            .flat_map(|&c| (0..self.options).map(move |o| (c, o)))
            .map(|(c, o)| (self.cost)(c, o))
            .collect()
    }
}

impl<F: Fn(Coalition, usize) -> f64> Function<F> {
    /// Distinct coalitions asked for; panics if one was asked twice.
    fn distinct_asked(&self) -> usize {
        let mut seen = HashSet::new();
        for &c in self.batches.iter().flatten() {
            assert!(seen.insert(c), "coalition {c:#b} asked for twice");
        }
        seen.len()
    }
}

fn block(coalition: Coalition, option: usize) -> Block {
    Block { coalition, option }
}

#[test]
fn a_fixed_cost_per_centre_merges_everyone_at_the_cheaper_option() {
    // c(S, o) = 10 + |S| at option 0, 12 + |S| at option 1: one centre
    // of 4 at option 0 costs 14, four alone 44.
    let cost = |s: Coalition, o| 10.0 + 2.0 * o as f64 + f64::from(s.count_ones());
    let s = greedy_merging(&mut game(4, 2, cost));
    assert_eq!(s.blocks, vec![block(0b1111, 0)]);
    assert_eq!(s.cost, 14.0);
    let best = heuristic_structures(&mut game(4, 2, cost), 1, 0..DEFAULT_RESTARTS, 1);
    assert_eq!(best, vec![s]);
}

#[test]
fn a_penalty_for_mixing_two_kinds_keeps_them_apart() {
    // Agencies 0, 1 are of one kind, 2, 3 of another: a centre costs
    // 10 + |S|, plus 20 if it mixes kinds. Best: {0,1} and {2,3}, 24.
    let cost = |s: Coalition, _| {
        let mixed = s & 0b0011 != 0 && s & 0b1100 != 0;
        10.0 + f64::from(s.count_ones()) + if mixed { 20.0 } else { 0.0 }
    };
    let s = greedy_merging(&mut game(4, 1, cost));
    assert_eq!(s.blocks, vec![block(0b0011, 0), block(0b1100, 0)]);
    assert_eq!(s.cost, 24.0);
    let best = heuristic_structures(&mut game(4, 1, cost), 1, 0..DEFAULT_RESTARTS, 1);
    assert_eq!(best, vec![s]);
}

/// Alone, an agency costs 10; {0,1} 11, {0,2} and {1,3} 12 each, {2,3}
/// 14; every other coalition 100. Greedy merges the best pair {0,1}
/// (saving 9), then {2,3} (saving 6): 25. A swap of 1 and 2 gives
/// {0,2}, {1,3}: 24, the optimum. The next: {0,1}, {2}, {3} = 31.
fn greedy_trap(s: Coalition, _: usize) -> f64 {
    match s {
        0b0001 | 0b0010 | 0b0100 | 0b1000 => 10.0,
        0b0011 => 11.0,
        0b0101 | 0b1010 => 12.0,
        0b1100 => 14.0,
        _ => 100.0,
    }
}

#[test]
fn local_search_escapes_the_greedy_trap_and_ranks_the_three_best() {
    assert_eq!(greedy_merging(&mut game(4, 1, greedy_trap)).cost, 25.0);
    let best = heuristic_structures(&mut game(4, 1, greedy_trap), 7, 0..1, 3);
    let costs: Vec<f64> = best.iter().map(|s| s.cost).collect();
    assert_eq!(costs, vec![24.0, 25.0, 31.0]);
    assert_eq!(best[0].blocks, vec![block(0b0101, 0), block(0b1010, 0)]);
    // The exact search agrees.
    let exact = best_structures(4, 1, 3, greedy_trap);
    let exact_costs: Vec<f64> = exact.iter().map(|s| s.cost).collect();
    assert_eq!(exact_costs, costs);
}

/// Random games shaped like sscsim's, in USD millions.
struct Synthetic {
    options: usize,
    workload_fte: Vec<f64>,
    platform: Vec<u32>,
    /// A preferred option, and what being elsewhere costs.
    preference: Vec<Option<(usize, f64)>>,
    fixed_per_centre: Vec<f64>,
    price_factor: Vec<f64>,
    cost_per_fte: f64,
    buffer_z: f64,
    /// Harmonisation per pair of platforms a centre mixes: a fixed part,
    /// and a part growing with the centre's workload.
    harmonisation: f64,
    harmonisation_per_sqrt_fte: f64,
}

impl Synthetic {
    fn draw(rng: &mut Xoshiro256PlusPlus, players: usize, options: usize) -> Self {
        // Scales drawn per game, so that some games pool everyone, some
        // keep everyone alone, and most lie between.
        let fixed_scale = 10f64.powf(rng.random_range(-0.5..1.0));
        Synthetic {
            options,
            workload_fte: (0..players)
                .map(|_| 10f64.powf(rng.random_range(1.3..2.6)))
                .collect(),
            platform: {
                let kinds = rng.random_range(2..7);
                (0..players).map(|_| rng.random_range(0..kinds)).collect()
            },
            preference: (0..players)
                .map(|_| {
                    (rng.random::<f64>() < 0.2)
                        .then(|| (rng.random_range(0..options), rng.random_range(0.5..5.0)))
                })
                .collect(),
            fixed_per_centre: (0..options)
                .map(|_| fixed_scale * rng.random_range(1.0..3.0))
                .collect(),
            price_factor: (0..options).map(|_| rng.random_range(0.5..1.2)).collect(),
            cost_per_fte: rng.random_range(0.05..0.12),
            buffer_z: rng.random_range(1.0..3.0),
            harmonisation: 10f64.powf(rng.random_range(-0.5..1.0)),
            harmonisation_per_sqrt_fte: rng.random_range(0.0..0.3),
        }
    }

    fn cost(&self, coalition: Coalition, option: usize) -> f64 {
        let members: Vec<usize> = (0..self.workload_fte.len())
            .filter(|&i| coalition & (1 << i) != 0)
            .collect();
        let workload: f64 = members.iter().map(|&i| self.workload_fte[i]).sum();
        let staff = workload + self.buffer_z * workload.sqrt();
        let mut platforms: Vec<u32> = members.iter().map(|&i| self.platform[i]).collect();
        platforms.sort_unstable();
        platforms.dedup();
        let extra_platforms = (platforms.len() - 1) as f64;
        let preferences: f64 = members
            .iter()
            .filter_map(|&i| self.preference[i])
            .filter(|&(preferred, _)| preferred != option)
            .map(|(_, penalty)| penalty)
            .sum();
        self.fixed_per_centre[option]
            + self.price_factor[option] * self.cost_per_fte * staff
            + (self.harmonisation + self.harmonisation_per_sqrt_fte * workload.sqrt())
                * extra_platforms
                * (1.0 + extra_platforms)
                / 2.0
            + preferences
    }

    /// Every coalition's cost at every option, `[c · options + o]`.
    fn table(&self) -> Vec<f64> {
        let players = self.workload_fte.len();
        (0..1u64 << players)
            .flat_map(|c| (0..self.options).map(move |o| (c, o)))
            .map(|(c, o)| if c == 0 { 0.0 } else { self.cost(c, o) })
            .collect()
    }
}

#[test]
fn the_heuristic_finds_the_exact_optimum() {
    const GAMES: u64 = 500;
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(19);
    let (mut optimal, mut worst_gap) = (0u64, 0f64);
    // Greedy merging alone, for comparison: how hard the games are.
    let (mut greedy_optimal, mut greedy_worst_gap) = (0u64, 0f64);
    // The optimum's number of centres: 1, 2, 3, 4 or more.
    let mut centres = [0u64; 4];
    for g in 0..GAMES {
        let players = 4 + (g % 9) as usize;
        let options = 1 + (g / 9 % 5) as usize;
        let synthetic = Synthetic::draw(&mut rng, players, options);
        let table = synthetic.table();
        let cost = |c: Coalition, o: usize| table[c as usize * options + o];
        let exact = &best_structures(players as u32, options, 1, cost)[0];
        centres[exact.blocks.len().min(4) - 1] += 1;
        let mut costs = game(players, options, cost);
        let found = heuristic_structures(&mut costs, g, 0..DEFAULT_RESTARTS, 1)[0].cost;
        costs.distinct_asked();
        let gap = found / exact.cost - 1.0;
        assert!(
            gap > -1e-9,
            "game {g}: found {found} below the optimum {}",
            exact.cost
        );
        if gap < 1e-9 {
            optimal += 1;
        }
        worst_gap = worst_gap.max(gap);
        let greedy_gap = greedy_merging(&mut game(players, options, cost)).cost / exact.cost - 1.0;
        if greedy_gap < 1e-9 {
            greedy_optimal += 1;
        }
        greedy_worst_gap = greedy_worst_gap.max(greedy_gap);
    }
    let rate = optimal as f64 / GAMES as f64;
    println!(
        "{GAMES} games (optimum in 1, 2, 3, 4+ centres: {centres:?}): optimum found in {optimal} ({:.1}%), worst gap {:.4}%; greedy merging alone: {greedy_optimal} ({:.1}%), worst gap {:.2}%",
        100.0 * rate,
        100.0 * worst_gap,
        100.0 * greedy_optimal as f64 / GAMES as f64,
        100.0 * greedy_worst_gap
    );
    assert!(rate >= 0.95, "optimum rate {rate}");
    assert!(worst_gap <= 0.01, "worst gap {worst_gap}");
}

#[test]
fn a_thirty_agency_search_stays_within_its_coalition_budget() {
    // ~140 us of CPU per coalition and replication, 100 replications, two
    // cores, two minutes: 2 × 120 s / (140e-6 s × 100) ≈ 17 000; the
    // budget keeps half of it for the rest of the command.
    const BUDGET: usize = 8_000;
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(30);
    for g in 0..5 {
        let synthetic = Synthetic::draw(&mut rng, 30, 5);
        let mut costs = game(30, 5, |c, o| synthetic.cost(c, o));
        let best = heuristic_structures(&mut costs, g, 0..DEFAULT_RESTARTS, 10);
        let distinct = costs.distinct_asked();
        println!(
            "30 agencies, 5 options, {DEFAULT_RESTARTS} restarts: {distinct} distinct coalitions in {} batches; best {:.3} in {} centres",
            costs.batches.len(),
            best[0].cost,
            best[0].blocks.len()
        );
        assert!(distinct <= BUDGET, "{distinct} coalitions");
        assert_eq!(best.len(), 10);
    }
}

#[test]
fn restarts_split_in_two_and_merged_find_what_the_whole_range_finds() {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(5);
    let synthetic = Synthetic::draw(&mut rng, 11, 3);
    let run = |restarts: Range<u64>| {
        heuristic_structures(
            &mut game(11, 3, |c, o| synthetic.cost(c, o)),
            9,
            restarts,
            6,
        )
    };
    let whole = run(0..8);
    let mut halves = run(0..3);
    halves.extend(run(3..8));
    assert_eq!(merge_found(halves, 6), whole);
    assert_eq!(whole.len(), 6);
    assert!(whole.windows(2).all(|w| w[0].cost <= w[1].cost));
}

#[test]
fn the_same_seed_finds_the_same_structures() {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(6);
    let synthetic = Synthetic::draw(&mut rng, 12, 4);
    let run =
        |seed| heuristic_structures(&mut game(12, 4, |c, o| synthetic.cost(c, o)), seed, 0..6, 5);
    assert_eq!(run(3), run(3));
}

#[test]
fn a_cache_emptied_when_full_changes_no_result() {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(8);
    let synthetic = Synthetic::draw(&mut rng, 10, 3);
    let cost = |c, o| synthetic.cost(c, o);
    let whole = heuristic_structures(&mut game(10, 3, cost), 2, 0..4, 5);
    let mut small = game(10, 3, cost);
    // Room for 50 coalitions: the search asks for more than three times
    // as many, so the cache is emptied, and some are asked for again.
    let found = search(&mut Cache::with_limit(&mut small, 50), 2, 0..4, 5);
    assert_eq!(found, whole);
    let asked: Vec<Coalition> = small.batches.concat();
    let distinct: HashSet<Coalition> = asked.iter().copied().collect();
    assert!(distinct.len() > 150, "{} coalitions", distinct.len());
    assert!(asked.len() > distinct.len(), "the cache was never emptied");
}

#[test]
fn every_coalition_is_asked_for_once_and_in_few_batches() {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(7);
    let synthetic = Synthetic::draw(&mut rng, 10, 2);
    let mut costs = game(10, 2, |c, o| synthetic.cost(c, o));
    heuristic_structures(&mut costs, 1, 0..DEFAULT_RESTARTS, 3);
    let distinct = costs.distinct_asked();
    let batches = costs.batches.len();
    // Batches: one per step of each merging start (at most 10 players, so
    // ≤ 10 each) and one per neighbourhood scanned; far fewer than the
    // coalitions, which come many to a batch.
    assert!(costs.batches.iter().all(|b| !b.is_empty()));
    assert!(
        batches * 4 < distinct,
        "{batches} batches for {distinct} coalitions"
    );
}

#[test]
fn merging_found_lists_keeps_each_structure_once_in_rank_order() {
    let s = |cost: f64, blocks: Vec<Block>| Structure { cost, blocks };
    let a = s(5.0, vec![block(0b11, 0)]);
    let b = s(4.0, vec![block(0b01, 0), block(0b10, 1)]);
    let c = s(5.0, vec![block(0b11, 1)]);
    let merged = merge_found(vec![c.clone(), a.clone(), b.clone(), a.clone()], 10);
    // Ties at 5.0 by blocks: option 0 before option 1.
    assert_eq!(merged, vec![b.clone(), a, c]);
    assert_eq!(merge_found(vec![b.clone()], 0), vec![]);
}
