//! The coalition game evaluated on demand: for more agencies than every
//! coalition can be (`2^A`), a search asks for the coalitions it visits and
//! only those are built and simulated.
//!
//! Each replication's draws are made once, when the game is made; a batch
//! of coalitions is evaluated at every location in all replications in
//! parallel (a replication per task, one `CentreSimulator` per replication
//! and batch, so that an agency's capacity need alone and a coalition's
//! staffing are solved once for all its locations) and the replications'
//! costs are summed in replication order: the means are the same bits at
//! any number of threads, and the same as the exact game's
//! ([`super::evaluate`]) mean over the same replications.

use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::ops::Range;

use rayon::prelude::*;

use super::analysis::{Share, agency_share, simple_shares};
use super::fair_shares::{ShapleySource, fair_shares};
use super::least_core::LpError;
use super::partition::Block;
use super::partition::{Coalition, grand_coalition};
use super::search::CoalitionCosts;
use super::separation::largest_excess;
use super::sharing::Method;
use super::{Game, coalition_years, workloads};
use crate::model::{Centre, Draws, Scenario};
use crate::run::{Cancel, RunPlan};
use crate::sim::SimulatorMemo;
use crate::sim::Workspace;
use crate::sim::cost::npv_parts;

/// The most coalitions evaluated in one pass over the replications: bounds
/// the staffing a replication's simulator caches (about
/// `COALITION_BYTES_PER_TEAM_YEAR` per team-year, `crate::memory`) and the
/// centres built for a pass.
pub const BATCH_COALITIONS: usize = 512;

/// How many coalitions' mean costs are kept by default: 2^18 coalitions,
/// a few tens of MB at 5 locations, far more than a search over thirty
/// agencies visits (thousands).
pub const DEFAULT_CACHE_COALITIONS: usize = 1 << 18;

/// Bytes a cached coalition takes beyond its costs: the key, the boxed
/// slice's pointer and length, and the hash table's slack (rounded up).
pub const CACHE_OVERHEAD_BYTES: u64 = 64;

/// A coalition game whose centres are built, simulated and priced when a
/// search asks for them, with the mean cost of each coalition it has
/// evaluated kept (up to a bound).
pub struct LazyGame<'a> {
    scenario: &'a Scenario,
    game: &'a Game,
    /// Each replication's draws, in replication order.
    draws: Vec<Draws>,
    /// Each replication's discount rate per year.
    rates: Vec<f64>,
    /// Each replication's workload of each player (volume shares).
    workloads: Vec<Vec<f64>>,
    /// Mean NPV cost of each evaluated coalition at each location option.
    cache: HashMap<Coalition, Box<[f64]>>,
    /// The most coalitions `cache` holds; past it, coalitions are
    /// evaluated each time they are asked for (slower, same values).
    cache_coalitions: usize,
    /// Coalitions evaluated (each over all replications and locations),
    /// counting a coalition evaluated again once the cache was full.
    evaluated: u64,
    /// Cancelled by Ctrl-C or SIGTERM: no batch is evaluated after it.
    cancel: Option<Cancel>,
}

impl<'a> LazyGame<'a> {
    /// The game of `game` over every replication of `plan`, with the
    /// default cache: as the heuristic search, its shards and their merge
    /// all price it.
    pub fn for_plan(scenario: &'a Scenario, game: &'a Game, plan: RunPlan) -> LazyGame<'a> {
        LazyGame::new(
            scenario,
            game,
            plan.seed,
            0..plan.replications,
            DEFAULT_CACHE_COALITIONS,
        )
    }

    /// The game of `game`'s players and locations over `replications`,
    /// their draws made from `seed`; at most `cache_coalitions` coalitions'
    /// means are kept.
    pub fn new(
        scenario: &'a Scenario,
        game: &'a Game,
        seed: u64,
        replications: Range<u64>,
        cache_coalitions: usize,
    ) -> LazyGame<'a> {
        let mut workspace = Workspace::default();
        let draws: Vec<Draws> = replications
            .map(|r| workspace.draw_inputs(scenario, seed, r, None).clone())
            .collect();
        let rates = draws
            .iter()
            .map(|d| d.value(scenario.settings.discount_rate_per_year))
            .collect();
        let workloads = draws
            .iter()
            .map(|d| workloads(scenario, &game.players, d))
            .collect();
        LazyGame {
            scenario,
            game,
            draws,
            rates,
            workloads,
            cache: HashMap::new(),
            cache_coalitions,
            evaluated: 0,
            cancel: None,
        }
    }

    /// How many coalitions have been evaluated so far.
    pub fn evaluated(&self) -> u64 {
        self.evaluated
    }

    /// Stops evaluating once `cancel` is cancelled: from then on
    /// [`CoalitionCosts::stopped`] is true, and the costs of coalitions
    /// not yet known are infinite, so a search ends at its next batch.
    pub fn stop_on(&mut self, cancel: Cancel) {
        self.cancel = Some(cancel);
    }

    /// Every coalition whose mean costs are kept, with its mean cost at
    /// each location option: what a shard of a search hands to its merge.
    pub fn known(&self) -> Vec<(Coalition, Vec<f64>)> {
        self.cache
            .iter()
            .map(|(&c, row)| (c, row.to_vec()))
            .collect()
    }

    /// Takes `mean_costs` (one per location option) as coalition
    /// `coalition`'s, evaluated elsewhere over the same replications (by a
    /// shard of the search): it is counted as evaluated and not evaluated
    /// again. Nothing is done for a coalition already known, or when the
    /// cache is full.
    pub fn remember(&mut self, coalition: Coalition, mean_costs: &[f64]) {
        if self.cache.len() < self.cache_coalitions
            && let Entry::Vacant(entry) = self.cache.entry(coalition)
        {
            entry.insert(mean_costs.into());
            self.evaluated += 1;
        }
    }

    /// Number of replications.
    pub fn replications(&self) -> usize {
        self.draws.len()
    }

    /// The centres of `coalitions` at every location option, in the order
    /// of [`CoalitionCosts::mean_costs`].
    fn centres(&self, coalitions: &[Coalition]) -> Vec<Centre> {
        let options = self.game.locations.len();
        coalitions
            .iter()
            .flat_map(|&c| (0..options).map(move |o| (c, o)))
            .map(|(c, o)| self.game.centre(self.scenario, c, o).into_owned())
            .collect()
    }

    /// The NPV cost of each centre in each replication:
    /// `[replication][centre]`.
    fn replication_costs(&self, centres: &[Centre]) -> Vec<Vec<f64>> {
        (0..self.draws.len())
            .into_par_iter()
            .map_init(SimulatorMemo::default, |memo, r| {
                // The memo's room is reused from one replication to the next.
                memo.lend(self.scenario, &self.draws[r], |simulator| {
                    centres
                        .iter()
                        .map(|centre| {
                            npv_parts(self.rates[r], &coalition_years(simulator, centre)).total_usd
                        })
                        .collect()
                })
            })
            .collect()
    }

    /// The NPV cost of each block in each replication: `[block][replication]`,
    /// for ranking structures replication by replication.
    pub fn block_costs(&self, blocks: &[Block]) -> Vec<Vec<f64>> {
        let centres: Vec<Centre> = blocks
            .iter()
            .map(|b| {
                self.game
                    .centre(self.scenario, b.coalition, b.option)
                    .into_owned()
            })
            .collect();
        let by_replication = self.replication_costs(&centres);
        (0..blocks.len())
            .map(|b| by_replication.iter().map(|costs| costs[b]).collect())
            .collect()
    }

    /// The grand coalition's cost and each agency's alone, replication by
    /// replication (`grand[r]`, `solo[i][r]`); each coalition at its
    /// location of least mean cost, as [`super::analysis::shares`] prices
    /// them.
    fn grand_and_solo(&mut self) -> (Vec<f64>, Vec<Vec<f64>>) {
        let players = self.game.players.len();
        let full = grand_coalition(players);
        let coalitions: Vec<Coalition> = (0..players).map(|i| 1 << i).chain([full]).collect();
        let options = self.options();
        let means = self.mean_costs(&coalitions);
        let blocks: Vec<Block> = coalitions
            .iter()
            .zip(means.chunks(options))
            .map(|(&coalition, row)| Block {
                coalition,
                option: cheapest(row),
            })
            .collect();
        let mut costs = self.block_costs(&blocks);
        let grand = costs.pop().expect("the grand coalition was priced");
        (grand, costs)
    }

    /// Volume and equal shares of the grand coalition's cost, against each
    /// agency alone, replication by replication.
    pub fn simple_shares(&mut self) -> Vec<Share> {
        let (grand, solo) = self.grand_and_solo();
        simple_shares(&grand, &solo, &self.workloads)
    }

    /// Every method's split of the grand coalition's cost
    /// ([`Method::ALL`], in its order), against each agency alone: volume
    /// and equal shares replication by replication; sampled Shapley values
    /// (with their standard errors), the least core and the nucleolus on
    /// the mean game ([`fair_shares`]), that one split in every
    /// replication, as the exact search makes the least core's. The mean
    /// game prices each coalition at its location of least mean cost. For
    /// every method, the group of largest excess under its mean split:
    /// exact up to
    /// [`EXACT_SEPARATION_PLAYERS`](super::separation::EXACT_SEPARATION_PLAYERS)
    /// agencies, by search above. The core is not checked replication by
    /// replication (`in_core` is `None`): that needs every coalition.
    ///
    /// # Errors
    /// When a linear programme fails.
    pub fn fair_shares(&mut self, shapley: ShapleySource) -> Result<Vec<Share>, LpError> {
        let players = self.game.players.len();
        let (grand, solo) = self.grand_and_solo();
        let mut simple = simple_shares(&grand, &solo, &self.workloads);
        let replications = grand.len();
        let grand_mean = grand.iter().sum::<f64>() / replications as f64;
        let mut mean_game = |coalitions: &[Coalition]| self.mean_game(coalitions);
        let fair = fair_shares(players, shapley, &mut mean_game)?;
        for method in [Method::Volume, Method::Equal] {
            let split: Vec<f64> = simple
                .iter()
                .filter(|s| s.method == method)
                .map(|s| s.share.mean)
                .collect();
            let largest = largest_excess(players, &split, &mut mean_game);
            for row in simple.iter_mut().filter(|s| s.method == method) {
                row.largest_excess = largest;
            }
        }
        let mut rows = Vec::with_capacity(Method::ALL.len() * players);
        for method in Method::ALL {
            let Some(f) = fair.iter().find(|f| f.method == method) else {
                rows.extend(simple.iter().filter(|s| s.method == method).cloned());
                continue;
            };
            for (player, solo) in solo.iter().enumerate() {
                let mut row = agency_share(
                    (method, player),
                    &vec![f.allocation[player]; replications],
                    solo,
                    grand_mean,
                    None,
                    f.largest_excess,
                );
                row.share_se = f.standard_errors.as_ref().map(|se| se[player]);
                row.proven = f.proven;
                rows.push(row);
            }
        }
        Ok(rows)
    }

    /// The mean game the fair shares split: each coalition's mean cost at
    /// its location of least mean cost.
    pub fn mean_game(&mut self, coalitions: &[Coalition]) -> Vec<f64> {
        let options = self.options();
        self.mean_costs(coalitions)
            .chunks(options)
            .map(|row| row[cheapest(row)])
            .collect()
    }

    /// Evaluates `coalitions` (at most [`BATCH_COALITIONS`], no repeats)
    /// and returns their mean costs, `[i · options + o]`.
    fn evaluate(&mut self, coalitions: &[Coalition]) -> Vec<f64> {
        let centres = self.centres(coalitions);
        let by_replication = self.replication_costs(&centres);
        self.evaluated += coalitions.len() as u64;
        let n = by_replication.len() as f64;
        // Summed in replication order, as the exact game's means are.
        (0..centres.len())
            .map(|i| by_replication.iter().map(|costs| costs[i]).sum::<f64>() / n)
            .collect()
    }
}

/// The option of least cost in a coalition's row of costs by option (the
/// first of equals).
fn cheapest(row: &[f64]) -> usize {
    (0..row.len())
        .min_by(|&a, &b| row[a].total_cmp(&row[b]))
        .unwrap_or(0)
}

impl CoalitionCosts for LazyGame<'_> {
    fn players(&self) -> usize {
        self.game.players.len()
    }

    fn options(&self) -> usize {
        self.game.locations.len()
    }

    fn stopped(&self) -> bool {
        self.cancel.as_ref().is_some_and(Cancel::is_cancelled)
    }

    fn mean_costs(&mut self, coalitions: &[Coalition]) -> Vec<f64> {
        let options = self.options();
        let mut missing: Vec<Coalition> = coalitions
            .iter()
            .copied()
            .filter(|c| !self.cache.contains_key(c))
            .collect();
        missing.sort_unstable();
        missing.dedup();
        // Those the cache has no room for, for this call only.
        let mut uncached: HashMap<Coalition, Box<[f64]>> = HashMap::new();
        for batch in missing.chunks(BATCH_COALITIONS) {
            if self.stopped() {
                return vec![f64::INFINITY; coalitions.len() * options];
            }
            let means = self.evaluate(batch);
            for (&c, row) in batch.iter().zip(means.chunks(options)) {
                let room = self.cache.len() < self.cache_coalitions;
                let table = if room { &mut self.cache } else { &mut uncached };
                if let Entry::Vacant(entry) = table.entry(c) {
                    entry.insert(row.into());
                }
            }
        }
        coalitions
            .iter()
            .flat_map(|c| {
                let row = self.cache.get(c).or_else(|| uncached.get(c));
                row.expect("every coalition asked for was evaluated")
                    .iter()
                    .copied()
            })
            .collect()
    }
}
