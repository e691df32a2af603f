//! Shapley values of games too large to enumerate, by sampling marginal
//! costs stratified by the position at which a player joins, with the
//! samples allocated where the marginal costs vary (Castro, Gómez, Molina
//! and Tejada 2017, "Improving polynomial estimation of the Shapley value
//! by stratified random sampling with optimum allocation", Computers &
//! Operations Research 82:180-188).
//!
//! A player's Shapley value is the average over positions `k = 0 … n−1` of
//! its mean marginal cost `c(S ∪ {i}) − c(S)` over the coalitions `S` of
//! the other players of size `k`. Each (player, position) is a stratum:
//! its mean is estimated from coalitions `S` drawn uniformly among those of
//! size `k`, and the estimate of the value is the average of the strata's
//! means, with variance `Σ_k σ²_ik / m_ik / n²`. Positions `0` (`S = ∅`)
//! and `n − 1` (`S = N∖{i}`) hold a single coalition: they are computed
//! exactly, with no variance.
//!
//! Why it beats sampling orders ([`super::shapley_sampling`]) on a shared
//! centre's game: a centre's fixed cost (its site, its overhead) falls on
//! whoever joins first, so in a random order a player's marginal cost is
//! large with probability `1/n` and small otherwise, and that jump is most
//! of its variance. Stratifying by position removes it: position 0 is
//! computed once, exactly, and the other positions' marginals vary little.
//! Each sample costs two coalitions (an order gives a marginal per
//! coalition), which the variance removed repays many times over.
//!
//! Allocation (Neyman's optimum allocation, as Castro et al. 2017): a pilot
//! block draws [`Stratified::pilot_per_stratum`] coalitions in every
//! sampled stratum; from its standard deviations `σ_ik` each player `i`
//! needs `M_i = (Σ_k σ_ik)² / (n · r · |φ_i|)²` samples in all to reach a
//! standard error `r·|φ_i|`, spread over its strata in proportion to
//! `σ_ik`. Those counts are divided into blocks of about
//! [`Stratified::samples_per_block`]; every later block draws the same
//! fixed counts from its own stream (`sample::stream(seed, b,
//! Permutations, 1, 0)`), and blocks merge in block order
//! ([`StratumSums::merge`]): shards running fixed block ranges after the
//! same pilot (the allocation is a function of the pilot's bits) give the
//! bits of one process. A stratum whose pilot showed no spread gets no
//! further samples: its spread is taken as zero, which a pilot of a few
//! coalitions can get wrong on a game that is flat almost everywhere.
//!
//! The stopping rule ([`sample_stratified`]) adds blocks until every
//! player's standard error is at most the target share of its estimate, or
//! the next block would pass the budget of coalitions; then the result says
//! the target was not met, with the standard errors reached.
//!
//! A fixed count ([`Stratified::blocks`], `pool --shapley-blocks B`) draws
//! blocks `1 … B` after the pilot whatever their standard errors, with no
//! budget: which blocks are drawn then depends on `B` alone, not on the
//! samples, so shards of a search can each draw a contiguous range of them
//! ([`sample_blocks`]) and a merge can add them in block order
//! ([`merge_blocks`]) to the bits of one process. The exact strata and the
//! pilot ([`pilot`]) come first in every shard (the allocation of the later
//! blocks is a function of the pilot's bits) and again in the merge, from
//! the coalitions the shards evaluated. The result still says whether the
//! target was met after the `B` blocks.
//!
//! Measured on the 30-agency centre-shaped game of this module's tests
//! (`measure_thirty_agencies_stratified`, `--ignored --nocapture`): the
//! exact strata and the pilot, 5 101 coalitions, already give every share
//! within 0.22% (the 1% target met with no further block), where orders
//! with their reverses needed 464 100 coalitions for 1%
//! (`shapley_sampling`'s measurement). On `scenarios/un-system-ceb.toml`
//! (30 organisations, 5 locations, 2 replications) the largest standard
//! error was 0.8% of a share, also within the pilot; the whole `pool` run
//! (search, Shapley values, least core, nucleolus and each method's group
//! of largest excess) evaluated 31 029 coalitions; at 100 replications it
//! evaluated 27 494 in 267 s of CPU (README, "Commands").

use std::ops::Range;

use rand::RngExt;

use super::partition::{Coalition, grand_coalition};
use super::shapley_sampling::precise_enough;
use crate::sample::{StreamKind, stream};

/// Coalitions drawn in each sampled stratum by the pilot block, unless told
/// otherwise: the fewest that give every stratum a spread (two), and one
/// more so that a stratum's spread is seldom zero by chance (assumption).
pub const DEFAULT_PILOT_PER_STRATUM: u32 = 3;

/// Samples per block after the pilot, unless told otherwise: the step of
/// the stopping rule (two coalitions each; assumption).
pub const DEFAULT_SAMPLES_PER_BLOCK: u64 = 2_000;

/// The most coalitions sampled unless told otherwise: at 30 agencies and
/// 5 locations a coalition takes about 5 ms of two cores over 100
/// replications (267 s of CPU for 27 494 coalitions), so the budget is
/// about a minute and a half (assumption: what a user waits for).
pub const DEFAULT_BUDGET_COALITIONS: u64 = 20_000;

/// How the stratified sample is drawn.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Stratified {
    /// The seed of the blocks' streams.
    pub seed: u64,
    /// Coalitions per sampled stratum in the pilot block (at least 2).
    pub pilot_per_stratum: u32,
    /// About how many samples each block after the pilot draws.
    pub samples_per_block: u64,
    /// The stopping rule's target: standard error over |estimate|.
    pub relative_se: f64,
    /// The most coalitions asked of the cost function, pilot included
    /// (the stopping rule's budget; not used with a fixed count).
    pub max_coalitions: u64,
    /// A fixed number of blocks after the pilot, drawn whatever their
    /// standard errors and with no budget; `None`: the stopping rule.
    pub blocks: Option<u64>,
}

/// Per stratum (player `i`, position `k`, at `i · n + k`): the samples, their
/// mean marginal cost and its sum of squared deviations. Mergeable in block
/// order (Chan, Golub and LeVeque 1979's pairwise update).
#[derive(Clone, Debug, PartialEq)]
pub struct StratumSums {
    players: usize,
    count: Vec<u64>,
    mean: Vec<f64>,
    squared_deviations: Vec<f64>,
    /// Coalitions asked of the cost function.
    pub coalitions_evaluated: u64,
}

impl StratumSums {
    /// No samples yet, for `players` players.
    pub fn empty(players: usize) -> StratumSums {
        let strata = players * players;
        StratumSums {
            players,
            count: vec![0; strata],
            mean: vec![0.0; strata],
            squared_deviations: vec![0.0; strata],
            coalitions_evaluated: 0,
        }
    }

    /// Adds one marginal cost to stratum `at` (Welford's update).
    fn add(&mut self, at: usize, marginal: f64) {
        self.count[at] += 1;
        let delta = marginal - self.mean[at];
        self.mean[at] += delta / self.count[at] as f64;
        self.squared_deviations[at] += delta * (marginal - self.mean[at]);
    }

    /// Adds `other`'s samples to these, stratum by stratum.
    pub fn merge(&mut self, other: &StratumSums) {
        for at in 0..self.count.len() {
            let b = other.count[at];
            if b == 0 {
                continue;
            }
            let a = self.count[at];
            let n = (a + b) as f64;
            let delta = other.mean[at] - self.mean[at];
            self.mean[at] += delta * b as f64 / n;
            self.squared_deviations[at] +=
                other.squared_deviations[at] + delta * delta * a as f64 * b as f64 / n;
            self.count[at] = a + b;
        }
        self.coalitions_evaluated += other.coalitions_evaluated;
    }

    /// The sums of one block read back (from a shard's file): `count`,
    /// `mean` and `squared_deviations` per stratum, `i · players + k`; a
    /// block asks two coalitions per sample.
    ///
    /// # Errors
    /// When a list does not have one entry per stratum (`players²`), or a
    /// number is not finite.
    pub fn from_block(
        players: usize,
        count: Vec<u64>,
        mean: Vec<f64>,
        squared_deviations: Vec<f64>,
    ) -> Result<StratumSums, String> {
        let strata = players * players;
        for (what, len) in [
            ("count", count.len()),
            ("mean", mean.len()),
            ("squared_deviations", squared_deviations.len()),
        ] {
            if len != strata {
                return Err(format!(
                    "its {what} has {len} strata; expected {strata} ({players} players squared)"
                ));
            }
        }
        if !mean
            .iter()
            .chain(&squared_deviations)
            .all(|x| x.is_finite())
        {
            return Err("a mean or squared deviation is not a finite number".to_owned());
        }
        let coalitions_evaluated = 2 * count.iter().sum::<u64>();
        Ok(StratumSums {
            players,
            count,
            mean,
            squared_deviations,
            coalitions_evaluated,
        })
    }

    /// Samples per stratum, `i · players + k`.
    pub fn count(&self) -> &[u64] {
        &self.count
    }

    /// Mean marginal cost per stratum.
    pub fn mean(&self) -> &[f64] {
        &self.mean
    }

    /// Sum of squared deviations from the mean per stratum.
    pub fn squared_deviations(&self) -> &[f64] {
        &self.squared_deviations
    }

    /// Each player's estimate: the average over positions of its strata's
    /// means.
    pub fn values(&self) -> Vec<f64> {
        let n = self.players;
        (0..n)
            .map(|i| self.mean[i * n..(i + 1) * n].iter().sum::<f64>() / n as f64)
            .collect()
    }

    /// The sample variance of stratum `at`; `None` below two samples.
    fn variance(&self, at: usize) -> Option<f64> {
        (self.count[at] >= 2).then(|| self.squared_deviations[at] / (self.count[at] - 1) as f64)
    }

    /// Each player's standard error, `√(Σ_k s²_ik / m_ik) / n` over its
    /// sampled strata; infinite while one of them has fewer than two
    /// samples.
    pub fn standard_errors(&self) -> Vec<f64> {
        let n = self.players;
        (0..n)
            .map(|i| {
                sampled_positions(n)
                    .map(|k| {
                        let at = i * n + k;
                        self.variance(at)
                            .map_or(f64::INFINITY, |v| v / self.count[at] as f64)
                    })
                    .sum::<f64>()
                    .sqrt()
                    / n as f64
            })
            .collect()
    }
}

/// The positions sampled: all but the first and last, which hold one
/// coalition each.
fn sampled_positions(players: usize) -> std::ops::Range<usize> {
    1..players.saturating_sub(1).max(1)
}

/// The strata of one position computed exactly: position 0, `c({i})`, and
/// position `n − 1`, `c(N) − c(N∖{i})` (with two players or more).
pub fn exact_strata(
    players: usize,
    cost: &mut impl FnMut(&[Coalition]) -> Vec<f64>,
) -> StratumSums {
    let full = grand_coalition(players);
    let mut asked: Vec<Coalition> = (0..players).map(|i| 1 << i).collect();
    if players >= 2 {
        asked.extend((0..players).map(|i| full & !(1 << i)));
        asked.push(full);
    }
    let costs = cost(&asked);
    let mut sums = StratumSums::empty(players);
    sums.coalitions_evaluated = asked.len() as u64;
    for i in 0..players {
        sums.add(i * players, costs[i]);
        if players >= 2 {
            let total = costs[2 * players];
            sums.add(i * players + players - 1, total - costs[players + i]);
        }
    }
    sums
}

/// A uniformly random coalition of `size` players other than `player`
/// (a partial Fisher-Yates shuffle of the others).
fn random_coalition(
    players: usize,
    player: usize,
    size: usize,
    rng: &mut impl rand::Rng,
) -> Coalition {
    let mut others: Vec<usize> = (0..players).filter(|&j| j != player).collect();
    let mut s: Coalition = 0;
    for t in 0..size {
        let pick = rng.random_range(t..others.len());
        others.swap(t, pick);
        s |= 1 << others[t];
    }
    s
}

/// Draws block `block`: `counts[i · n + k]` coalitions in each stratum, in
/// stratum order, from the block's own stream; `cost` is asked once for
/// all of them, each sample's `S ∪ {i}` then `S`.
pub fn sample_stratified_block(
    seed: u64,
    block: u64,
    counts: &[u32],
    players: usize,
    cost: &mut impl FnMut(&[Coalition]) -> Vec<f64>,
) -> StratumSums {
    let mut rng = stream(seed, block, StreamKind::Permutations, 1, 0);
    let mut draws: Vec<(usize, Coalition)> = Vec::new();
    for i in 0..players {
        for k in sampled_positions(players) {
            for _ in 0..counts[i * players + k] {
                draws.push((i * players + k, random_coalition(players, i, k, &mut rng)));
            }
        }
    }
    let coalitions: Vec<Coalition> = draws
        .iter()
        .flat_map(|&(at, s)| [s | (1 << (at / players)), s])
        .collect();
    let costs = cost(&coalitions);
    let mut sums = StratumSums::empty(players);
    sums.coalitions_evaluated = coalitions.len() as u64;
    for (d, &(at, _)) in draws.iter().enumerate() {
        sums.add(at, costs[2 * d] - costs[2 * d + 1]);
    }
    sums
}

/// The pilot's counts: `per_stratum` in every sampled stratum.
pub fn pilot_counts(players: usize, per_stratum: u32) -> Vec<u32> {
    let mut counts = vec![0; players * players];
    for i in 0..players {
        for k in sampled_positions(players) {
            counts[i * players + k] = per_stratum;
        }
    }
    counts
}

/// Neyman's allocation from the `pilot`'s spreads: the samples each
/// stratum needs in all for every player's standard error to reach
/// `relative_se` of its estimate, divided into blocks of about
/// `samples_per_block`; the counts of one block.
pub fn neyman_counts(pilot: &StratumSums, relative_se: f64, samples_per_block: u64) -> Vec<u32> {
    let n = pilot.players;
    let values = pilot.values();
    let sigma = |at: usize| pilot.variance(at).unwrap_or(0.0).sqrt();
    let spread = |i: usize| sampled_positions(n).map(|k| sigma(i * n + k)).sum::<f64>();
    // M_i = (Σ_k σ_ik)² / (n r |φ_i|)², stratum k's part σ_ik / Σ_k σ_ik.
    let wanted_for = |target: &dyn Fn(usize) -> f64| -> Vec<f64> {
        let mut wanted = vec![0.0; n * n];
        for i in 0..n {
            for k in sampled_positions(n) {
                wanted[i * n + k] = spread(i) * sigma(i * n + k) / target(i).powi(2);
            }
        }
        wanted
    };
    let mut wanted = wanted_for(&|i| relative_se * values[i].abs() * n as f64);
    if !wanted.iter().all(|w| w.is_finite()) {
        // A target of zero (an estimate of zero, or no target) is out of
        // reach: blocks are spread by the spreads alone, as if every
        // player's target were the same.
        wanted = wanted_for(&|_| 1.0);
    }
    let total: f64 = wanted.iter().sum();
    let blocks = (total / samples_per_block.max(1) as f64).ceil().max(1.0);
    wanted
        .iter()
        .map(|w| (w / blocks).ceil().min(f64::from(u32::MAX)) as u32)
        .collect()
}

/// Sampled Shapley values with their standard errors.
#[derive(Clone, Debug, PartialEq)]
pub struct StratifiedShapley {
    /// Each player's estimated Shapley value.
    pub values: Vec<f64>,
    /// Each player's standard error.
    pub standard_errors: Vec<f64>,
    /// Blocks drawn after the pilot.
    pub blocks: u64,
    /// Coalitions asked of the cost function (repeats counted).
    pub coalitions_evaluated: u64,
    /// Whether every standard error reached the target share of its
    /// estimate within the budget.
    pub target_met: bool,
}

/// The exact strata and the pilot (block 0) merged, and the counts of
/// every later block: what every shard of a fixed-count sample and its
/// merge compute first.
#[derive(Clone, Debug, PartialEq)]
pub struct Pilot {
    /// The exact strata and the pilot's samples.
    pub sums: StratumSums,
    /// Neyman's counts of one later block, per stratum.
    pub counts: Vec<u32>,
}

impl Pilot {
    /// Coalitions each block after the pilot asks (two per sample).
    pub fn block_coalitions(&self) -> u64 {
        2 * self.counts.iter().map(|&c| u64::from(c)).sum::<u64>()
    }
}

/// The exact strata, the pilot (block 0) and, from them, Neyman's counts
/// for the later blocks. The pilot always runs: without it there is no
/// standard error.
pub fn pilot(
    players: usize,
    sampling: Stratified,
    cost: &mut impl FnMut(&[Coalition]) -> Vec<f64>,
) -> Pilot {
    let mut sums = exact_strata(players, cost);
    sums.merge(&sample_stratified_block(
        sampling.seed,
        0,
        &pilot_counts(players, sampling.pilot_per_stratum.max(2)),
        players,
        cost,
    ));
    let counts = neyman_counts(&sums, sampling.relative_se, sampling.samples_per_block);
    Pilot { sums, counts }
}

/// Blocks `blocks` (numbered from 1 after the pilot) of the `pilot`'s
/// counts, each from its own stream, in block order and unmerged: a
/// shard's part of a fixed-count sample.
pub fn sample_blocks(
    players: usize,
    sampling: Stratified,
    pilot: &Pilot,
    blocks: Range<u64>,
    cost: &mut impl FnMut(&[Coalition]) -> Vec<f64>,
) -> Vec<StratumSums> {
    blocks
        .map(|b| sample_stratified_block(sampling.seed, b, &pilot.counts, players, cost))
        .collect()
}

/// The estimate from the `pilot` and `blocks`, blocks `1 … B` of a fixed
/// count `B` drawn elsewhere (by shards), merged in block order: the bits
/// of [`sample_stratified`] with [`Stratified::blocks`] `Some(B)`.
///
/// # Errors
/// When `blocks` is not `sampling.blocks` long, or a block's samples per
/// stratum are not the counts this pilot allocates (a block of another
/// pilot, seed or target).
pub fn merge_blocks(
    sampling: Stratified,
    pilot: Pilot,
    blocks: &[StratumSums],
) -> Result<StratifiedShapley, String> {
    let expected = sampling.blocks.unwrap_or(0);
    if blocks.len() as u64 != expected {
        return Err(format!(
            "{} Shapley blocks given; expected the {expected} of --shapley-blocks",
            blocks.len()
        ));
    }
    let Pilot { mut sums, counts } = pilot;
    for (b, block) in blocks.iter().enumerate() {
        let allocated = counts.iter().map(|&c| u64::from(c));
        if block.players != sums.players || !block.count.iter().copied().eq(allocated) {
            return Err(format!(
                "Shapley block {} does not have the samples per stratum this pilot allocates; \
                 expected blocks drawn after the same pilot (same scenario, seed and --shapley-se)",
                b + 1
            ));
        }
        sums.merge(block);
    }
    Ok(finish(&sums, expected, sampling))
}

/// The estimate of `sums`, drawn in `blocks` blocks after the pilot,
/// with whether it meets `sampling`'s target.
fn finish(sums: &StratumSums, blocks: u64, sampling: Stratified) -> StratifiedShapley {
    let (values, standard_errors) = (sums.values(), sums.standard_errors());
    let target_met = precise_enough(&values, &standard_errors, sampling.relative_se);
    StratifiedShapley {
        values,
        standard_errors,
        blocks,
        coalitions_evaluated: sums.coalitions_evaluated,
        target_met,
    }
}

/// The exact strata, the pilot (block 0), then blocks 1, 2, … of Neyman's
/// counts: with a fixed count ([`Stratified::blocks`]) exactly that many;
/// otherwise until every player's standard error is at most the target
/// share of its estimate, or the next block would pass `max_coalitions`
/// (then `target_met` is false).
pub fn sample_stratified(
    players: usize,
    sampling: Stratified,
    cost: &mut impl FnMut(&[Coalition]) -> Vec<f64>,
) -> StratifiedShapley {
    let pilot = pilot(players, sampling, cost);
    let block_coalitions = pilot.block_coalitions();
    let Pilot { mut sums, counts } = pilot;
    if let Some(fixed) = sampling.blocks {
        for b in 1..=fixed {
            sums.merge(&sample_stratified_block(
                sampling.seed,
                b,
                &counts,
                players,
                cost,
            ));
        }
        return finish(&sums, fixed, sampling);
    }
    let mut blocks = 0;
    let mut target_met = precise_enough(
        &sums.values(),
        &sums.standard_errors(),
        sampling.relative_se,
    );
    while !target_met
        && block_coalitions > 0
        && sums.coalitions_evaluated + block_coalitions <= sampling.max_coalitions
    {
        blocks += 1;
        sums.merge(&sample_stratified_block(
            sampling.seed,
            blocks,
            &counts,
            players,
            cost,
        ));
        target_met = precise_enough(
            &sums.values(),
            &sums.standard_errors(),
            sampling.relative_se,
        );
    }
    finish(&sums, blocks, sampling)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shapley::shapley_values;

    /// A pooled centre's shape: a fixed cost, a cost per unit of work and a
    /// square-root buffer (as in `shapley_sampling`'s tests).
    fn centre_cost(s: Coalition, workloads: &[f64]) -> f64 {
        let work: f64 = (0..workloads.len())
            .filter(|i| s & (1 << i) != 0)
            .map(|i| workloads[i])
            .sum();
        if work == 0.0 {
            0.0
        } else {
            10.0 + 2.0 * work + 3.0 * work.sqrt()
        }
    }

    fn batch(workloads: &[f64]) -> impl FnMut(&[Coalition]) -> Vec<f64> + '_ {
        |coalitions: &[Coalition]| {
            coalitions
                .iter()
                .map(|&s| centre_cost(s, workloads))
                .collect()
        }
    }

    fn sampling(seed: u64, relative_se: f64, max_coalitions: u64) -> Stratified {
        Stratified {
            seed,
            pilot_per_stratum: DEFAULT_PILOT_PER_STRATUM,
            samples_per_block: 200,
            relative_se,
            max_coalitions,
            blocks: None,
        }
    }

    #[test]
    fn three_players_have_one_sampled_position_and_the_others_exact() {
        // n = 3: positions 0 and 2 exact, position 1 sampled: S = {j} for
        // one of the two others, equally likely.
        let workloads = [1.0, 2.0, 3.0];
        let sums = exact_strata(3, &mut batch(&workloads));
        // Player 0 at position 0: c({0}) = 10 + 2 + 3 = 15; at position 2:
        // c(N) − c({1, 2}) = (10 + 12 + 3√6) − (10 + 10 + 3√5).
        assert_eq!(sums.mean[0], 15.0);
        let last = 2.0 + 3.0 * (6f64.sqrt() - 5f64.sqrt());
        assert!((sums.mean[2] - last).abs() < 1e-12);
        assert_eq!(sums.count[1], 0);
        assert_eq!(sums.coalitions_evaluated, 3 + 3 + 1);
    }

    #[test]
    fn estimates_fall_within_their_standard_errors_of_the_exact_values() {
        let workloads = [1.0, 2.0, 3.0, 5.0, 8.0, 0.5, 13.0, 4.0, 0.8, 6.0];
        let n = workloads.len();
        let exact = shapley_values(n, |s| centre_cost(Coalition::from(s), &workloads));
        let estimate = sample_stratified(n, sampling(1, 0.002, 200_000), &mut batch(&workloads));
        for (i, e) in exact.iter().enumerate() {
            let z = (estimate.values[i] - e) / estimate.standard_errors[i];
            // |z| > 4 has probability 6e-5 per player under normality.
            assert!(z.abs() < 4.0, "player {i}: z = {z}");
        }
        // The estimates split c(N) up to the sampling error: Σ φ_i = c(N)
        // (efficiency) holds for the exact values only.
        let total: f64 = estimate.values.iter().sum();
        let se_total: f64 = estimate
            .standard_errors
            .iter()
            .map(|s| s * s)
            .sum::<f64>()
            .sqrt();
        let full = centre_cost((1 << n) - 1, &workloads);
        assert!((total - full).abs() < 4.0 * se_total.max(1e-12) * n as f64);
    }

    #[test]
    fn about_95_percent_of_estimates_fall_within_two_standard_errors() {
        // 200 seeds × 6 players, a pilot of 10 per stratum (4 sampled
        // positions: 36 degrees of freedom per player, whose Student's t
        // makes the normal 95% about 94.2%). Players of one seed are
        // correlated, so the coverage's standard deviation is at most that
        // of one indicator over 200 seeds, √(0.95 · 0.05 / 200) = 0.0154;
        // 4 of them is 0.062.
        let workloads = [1.0, 2.0, 3.0, 5.0, 8.0, 0.5];
        let n = workloads.len();
        let exact = shapley_values(n, |s| centre_cost(Coalition::from(s), &workloads));
        let mut inside = 0usize;
        let seeds = 200u64;
        for seed in 0..seeds {
            let mut sums = exact_strata(n, &mut batch(&workloads));
            sums.merge(&sample_stratified_block(
                seed,
                0,
                &pilot_counts(n, 10),
                n,
                &mut batch(&workloads),
            ));
            let (values, se) = (sums.values(), sums.standard_errors());
            inside += (0..n)
                .filter(|&i| (values[i] - exact[i]).abs() <= 1.96 * se[i])
                .count();
        }
        let coverage = inside as f64 / (seeds as usize * n) as f64;
        assert!((coverage - 0.95).abs() < 0.062, "coverage {coverage}");
    }

    #[test]
    fn blocks_merged_in_order_give_the_bits_of_one_process() {
        let workloads = [1.0, 2.0, 3.0, 5.0, 8.0, 0.5, 13.0];
        let n = workloads.len();
        let whole = sample_stratified(n, sampling(3, 0.0, 20_000), &mut batch(&workloads));
        assert!(!whole.target_met, "a zero target is never met");
        assert!(whole.blocks > 1);
        assert!(whole.coalitions_evaluated <= 20_000);
        // A shard's view: the exact strata and pilot, the allocation from
        // them, then its own blocks; merged in block order.
        let mut merged = exact_strata(n, &mut batch(&workloads));
        merged.merge(&sample_stratified_block(
            3,
            0,
            &pilot_counts(n, DEFAULT_PILOT_PER_STRATUM),
            n,
            &mut batch(&workloads),
        ));
        let counts = neyman_counts(&merged, 0.0, 200);
        let shards: Vec<StratumSums> = (1..=whole.blocks)
            .rev()
            .map(|b| sample_stratified_block(3, b, &counts, n, &mut batch(&workloads)))
            .collect();
        for shard in shards.iter().rev() {
            merged.merge(shard);
        }
        assert_eq!(merged.values(), whole.values);
        assert_eq!(merged.standard_errors(), whole.standard_errors);
        assert_eq!(merged.coalitions_evaluated, whole.coalitions_evaluated);
    }

    /// The 7-agency game of the tests above with a fixed count of 4
    /// blocks and a budget that would stop the rule at the pilot (225
    /// coalitions, `a_budget_too_small_for_the_target_stops_and_says_so`):
    /// the fixed count ignores the budget.
    fn fixed(blocks: u64, relative_se: f64) -> Stratified {
        Stratified {
            blocks: Some(blocks),
            ..sampling(6, relative_se, 300)
        }
    }

    #[test]
    fn a_fixed_count_split_over_shards_gives_the_bits_of_one_process() {
        let workloads = [1.0, 2.0, 3.0, 5.0, 8.0, 0.5, 13.0];
        let n = workloads.len();
        let whole = sample_stratified(n, fixed(4, 0.0), &mut batch(&workloads));
        assert_eq!(whole.blocks, 4);
        assert!(
            whole.coalitions_evaluated > 300,
            "the budget is not applied"
        );
        // 1, 2, 3 shards, and 6 shards for 4 blocks (two draw none); each
        // shard computes the pilot itself, and so does the merge.
        for count in [1, 2, 3, 6] {
            let mut drawn = Vec::new();
            for index in 1..=count {
                let own = crate::shard::Shard { index, count }.range(4);
                let pilot = pilot(n, fixed(4, 0.0), &mut batch(&workloads));
                drawn.extend(sample_blocks(
                    n,
                    fixed(4, 0.0),
                    &pilot,
                    own.start + 1..own.end + 1,
                    &mut batch(&workloads),
                ));
            }
            let merged = merge_blocks(
                fixed(4, 0.0),
                pilot(n, fixed(4, 0.0), &mut batch(&workloads)),
                &drawn,
            )
            .expect("every block once, of this pilot");
            assert_eq!(merged, whole, "{count} shards");
        }
    }

    #[test]
    fn a_merge_refuses_blocks_missing_or_of_another_allocation() {
        let workloads = [1.0, 2.0, 3.0, 5.0, 8.0, 0.5, 13.0];
        let n = workloads.len();
        let pilot_of = |seed: u64| {
            pilot(
                n,
                Stratified {
                    seed,
                    ..fixed(2, 0.01)
                },
                &mut batch(&workloads),
            )
        };
        let own = pilot_of(6);
        let blocks = sample_blocks(n, fixed(2, 0.01), &own, 1..3, &mut batch(&workloads));
        let missing = merge_blocks(fixed(2, 0.01), own.clone(), &blocks[..1]);
        assert_eq!(
            missing.unwrap_err(),
            "1 Shapley blocks given; expected the 2 of --shapley-blocks"
        );
        // One more sample in the first sampled stratum of block 2.
        let mut count = blocks[1].count().to_vec();
        count[1] += 1;
        let altered = StratumSums::from_block(
            n,
            count,
            blocks[1].mean().to_vec(),
            blocks[1].squared_deviations().to_vec(),
        )
        .expect("one entry per stratum");
        let refused = merge_blocks(fixed(2, 0.01), own, &[blocks[0].clone(), altered]);
        assert!(
            refused
                .unwrap_err()
                .starts_with("Shapley block 2 does not have the samples per stratum"),
        );
    }

    #[test]
    fn a_block_read_back_needs_one_finite_entry_per_stratum() {
        // Two players: 4 strata.
        let short = StratumSums::from_block(2, vec![0; 3], vec![0.0; 4], vec![0.0; 4]);
        assert_eq!(
            short.unwrap_err(),
            "its count has 3 strata; expected 4 (2 players squared)"
        );
        let nan = StratumSums::from_block(2, vec![0; 4], vec![f64::NAN; 4], vec![0.0; 4]);
        assert!(nan.is_err());
        let read = StratumSums::from_block(2, vec![0, 3, 2, 0], vec![0.0; 4], vec![0.0; 4])
            .expect("well formed");
        // Two coalitions per sample: 2 × (3 + 2).
        assert_eq!(read.coalitions_evaluated, 10);
    }

    #[test]
    fn a_fixed_count_draws_every_block_and_says_whether_the_target_was_met() {
        let workloads = [1.0, 2.0, 3.0, 5.0, 8.0, 0.5, 13.0];
        let n = workloads.len();
        // Exact strata 7 + 7 + 1 = 15 coalitions, the pilot 7 × 5 × 3 × 2
        // = 210; a target of 50% gives each block the fewest samples
        // Neyman's allocation rounds up to.
        for (relative_se, blocks) in [(0.5, 0), (0.5, 3), (1e-6, 2)] {
            let estimate = sample_stratified(n, fixed(blocks, relative_se), &mut batch(&workloads));
            let per_block =
                pilot(n, fixed(blocks, relative_se), &mut batch(&workloads)).block_coalitions();
            assert_eq!(estimate.blocks, blocks);
            assert_eq!(estimate.coalitions_evaluated, 225 + blocks * per_block);
            // Met when every standard error is within the target share of
            // its estimate, whatever the count.
            let met = estimate
                .values
                .iter()
                .zip(&estimate.standard_errors)
                .all(|(v, se)| se.is_finite() && *se <= relative_se * v.abs());
            assert_eq!(estimate.target_met, met, "{relative_se} in {blocks} blocks");
            assert_eq!(met, relative_se == 0.5, "{estimate:?}");
        }
    }

    #[test]
    fn a_budget_too_small_for_the_target_stops_and_says_so() {
        let workloads = [1.0, 2.0, 3.0, 5.0, 8.0, 0.5, 13.0];
        // Exact strata 7 + 7 + 1 = 15 coalitions; the pilot 7 players × 5
        // positions × 3 × 2 = 210: a budget of 300 leaves no room for a
        // block of 200 samples (about 400 coalitions).
        let estimate = sample_stratified(7, sampling(4, 1e-6, 300), &mut batch(&workloads));
        assert!(!estimate.target_met);
        assert_eq!(estimate.blocks, 0);
        assert_eq!(estimate.coalitions_evaluated, 225);
        assert!(estimate.standard_errors.iter().all(|s| s.is_finite()));
    }

    #[test]
    fn two_players_are_exact_without_sampling() {
        let workloads = [1.0, 4.0];
        let estimate = sample_stratified(2, sampling(5, 0.01, 100), &mut batch(&workloads));
        let exact = shapley_values(2, |s| centre_cost(Coalition::from(s), &workloads));
        for (v, e) in estimate.values.iter().zip(&exact) {
            assert!((v - e).abs() < 1e-12);
        }
        assert!(estimate.target_met);
        assert_eq!(estimate.standard_errors, vec![0.0, 0.0]);
    }

    /// A measurement, not a check (run with `--ignored --nocapture`): the
    /// 30-agency game of `shapley_sampling::measure_thirty_agencies`,
    /// sampled by position until every standard error is at most 1% of its
    /// share.
    #[test]
    #[ignore = "a measurement; prints what the stopping rule needed"]
    fn measure_thirty_agencies_stratified() {
        let workloads: Vec<f64> = (0..30)
            .map(|i| 0.5 + f64::from((i * 17) % 31) * 1.3)
            .collect();
        let mut distinct = std::collections::HashSet::new();
        let mut cost = |coalitions: &[Coalition]| {
            distinct.extend(coalitions.iter().copied());
            coalitions
                .iter()
                .map(|&s| centre_cost(s, &workloads))
                .collect::<Vec<_>>()
        };
        let started = std::time::Instant::now();
        let estimate = sample_stratified(
            30,
            Stratified {
                seed: 2026,
                pilot_per_stratum: DEFAULT_PILOT_PER_STRATUM,
                samples_per_block: DEFAULT_SAMPLES_PER_BLOCK,
                relative_se: 0.01,
                max_coalitions: 1_000_000,
                blocks: None,
            },
            &mut cost,
        );
        let worst = estimate
            .values
            .iter()
            .zip(&estimate.standard_errors)
            .map(|(v, se)| se / v.abs())
            .fold(0.0, f64::max);
        println!(
            "30 agencies, stratified: target met {}, {} blocks after the pilot, {} coalitions asked ({} distinct), largest se/|share| {:.4}, {:?}",
            estimate.target_met,
            estimate.blocks,
            estimate.coalitions_evaluated,
            distinct.len(),
            worst,
            started.elapsed()
        );
        assert!(estimate.target_met);
    }
}
