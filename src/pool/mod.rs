//! `sscsim pool`: who should pool with whom, where, and how to share the
//! bill.
//!
//! Every coalition of agencies (a non-empty subset) is evaluated at every
//! candidate location in each replication, on the same draws as everything
//! else (common random numbers). A coalition's centre is built from the
//! scenario's `[pool]` table: one planned team per relocatable service line,
//! the mechanisms' overhead, a site of its own, in place from the start (a
//! steady-state comparison: no migration). The capacity a coalition's teams
//! need and the staff that meet it do not depend on the location, so they
//! are computed once per coalition and replication (memoised) and priced at
//! each location; what each agency needs alone is computed once per
//! replication, not once for every coalition it is in.
//!
//! The exact search's cost grows as `2^A · L` centre evaluations per
//! replication for `A` agencies and `L` locations, plus `3^A · L · K` steps
//! of the search for the `K` best structures: it stops at [`MAX_PLAYERS`].
//! Above it, a heuristic search asks a [`lazy::LazyGame`] for only the
//! coalitions it visits.

pub mod analysis;
pub mod fair_shares;
pub mod lazy;
pub mod least_core;
pub mod outcome;
pub mod partition;
pub mod search;
pub mod separation;
pub mod shapley_sampling;
pub mod sharing;
pub mod stratified_shapley;

use std::borrow::Cow;

use thiserror::Error;

use partition::Structure;
use search::CoalitionCosts;

use crate::model::{Centre, CentreDefaults, Draws, Param, Scenario, Staffing, Switches, Team};
use crate::sim::cost::{YearOutcome, npv_parts};
use crate::sim::service::{ServiceTotals, serve_centre};
use crate::sim::strategy::add_new_site;
use crate::sim::{CentreOutcome, CentreSimulator};

/// Buffers reused from one replication to the next.
pub use crate::sim::Workspace;

pub use partition::Coalition;

/// The most agencies the exact coalition search takes: `2^14` coalitions
/// per location and replication.
pub const MAX_PLAYERS: usize = 14;

/// The most agencies any coalition search takes: a [`Coalition`] has 64
/// bits.
pub const MAX_SEARCH_PLAYERS: usize = Coalition::BITS as usize;

/// Why a coalition search cannot run.
#[derive(Clone, Debug, PartialEq, Error)]
pub enum PoolError {
    /// The scenario has no `[pool]` table.
    #[error(
        "the scenario has no [pool] table; expected [pool] with at least grade_mix = {{ GS = ..., ... }}"
    )]
    NoPoolTable,
    /// Too many agencies for any search.
    #[error(
        "{0} agencies have relocatable work; expected at most {MAX_SEARCH_PLAYERS} for a coalition search"
    )]
    TooManyAgencies(usize),
    /// Too many agencies to enumerate every coalition.
    #[error(
        "{0} agencies have relocatable work; the exact search takes at most {MAX_PLAYERS} (use --search heuristic)"
    )]
    TooManyForExact(usize),
    /// No agency has relocatable work.
    #[error("no agency has relocatable work to pool")]
    NothingToPool,
    /// A location named on the command line is unknown.
    #[error("unknown location `{0}`; expected one of {1}")]
    UnknownLocation(String, String),
}

/// The coalition game of a scenario: its players, candidate locations, and
/// a centre for every coalition at every location, built in advance
/// ([`Game::new`]) or when asked for ([`Game::on_demand`]).
pub struct Game {
    /// Indices of the agencies that play (those with relocatable work).
    pub players: Vec<usize>,
    /// Candidate locations, indices in [`Scenario::locations`].
    pub locations: Vec<usize>,
    /// A centre per coalition and location:
    /// `[(coalition − 1) · L + location option]`; empty for a game whose
    /// centres are built on demand.
    centres: Vec<Centre>,
}

impl Game {
    /// Builds the game: `locations` (by id) replace the scenario's candidates
    /// when given.
    ///
    /// # Errors
    /// When the scenario cannot be searched (see [`PoolError`]).
    pub fn new(scenario: &Scenario, locations: Option<&[String]>) -> Result<Game, PoolError> {
        let (players, locations) = Game::players_and_locations(scenario, locations)?;
        if players.len() > MAX_PLAYERS {
            return Err(PoolError::TooManyForExact(players.len()));
        }
        let mut centres = Vec::new();
        for coalition in 1..1 << players.len() {
            for &location in &locations {
                centres.push(coalition_centre(scenario, &players, coalition, location));
            }
        }
        Ok(Game {
            players,
            locations,
            centres,
        })
    }

    /// The game of up to [`MAX_SEARCH_PLAYERS`] agencies, whose centres
    /// are built when asked for ([`Game::centre`]): for a search that
    /// visits few of its `2^A` coalitions.
    ///
    /// # Errors
    /// As [`Game::players_and_locations`].
    pub fn on_demand(scenario: &Scenario, locations: Option<&[String]>) -> Result<Game, PoolError> {
        let (players, locations) = Game::players_and_locations(scenario, locations)?;
        Ok(Game {
            players,
            locations,
            centres: Vec::new(),
        })
    }

    /// The players and candidate locations (indices) a game of `scenario`
    /// would have, without building its centres: enough to know its size.
    ///
    /// # Errors
    /// As [`Game::new`].
    pub fn players_and_locations(
        scenario: &Scenario,
        locations: Option<&[String]>,
    ) -> Result<(Vec<usize>, Vec<usize>), PoolError> {
        let pool = scenario.pool.as_ref().ok_or(PoolError::NoPoolTable)?;
        let locations = match locations {
            None => pool.locations.clone(),
            Some(ids) => ids
                .iter()
                .map(|id| {
                    scenario
                        .locations
                        .iter()
                        .position(|l| l.id == *id)
                        .ok_or_else(|| {
                            let known: Vec<&str> =
                                scenario.locations.iter().map(|l| l.id.as_str()).collect();
                            PoolError::UnknownLocation(id.clone(), known.join(", "))
                        })
                })
                .collect::<Result<_, _>>()?,
        };
        let relocatable = |a: usize| {
            scenario.agencies[a]
                .lines
                .iter()
                .zip(&scenario.service_lines)
                .any(|(l, s)| l.is_some() && s.relocatable)
        };
        let players: Vec<usize> = (0..scenario.agencies.len())
            .filter(|&a| relocatable(a))
            .collect();
        if players.is_empty() {
            return Err(PoolError::NothingToPool);
        }
        if players.len() > MAX_SEARCH_PLAYERS {
            return Err(PoolError::TooManyAgencies(players.len()));
        }
        Ok((players, locations))
    }

    /// Number of non-empty coalitions, `2^A − 1` (saturating at
    /// `usize::MAX` where `usize` is narrower than a coalition).
    pub fn coalitions(&self) -> usize {
        let all = Coalition::MAX >> (MAX_SEARCH_PLAYERS - self.players.len());
        usize::try_from(all).unwrap_or(usize::MAX)
    }

    /// The centre of `coalition` at location option `option`: the one
    /// built in advance, or a new one for a game built on demand.
    pub fn centre(
        &self,
        scenario: &Scenario,
        coalition: Coalition,
        option: usize,
    ) -> Cow<'_, Centre> {
        if self.centres.is_empty() {
            Cow::Owned(coalition_centre(
                scenario,
                &self.players,
                coalition,
                self.locations[option],
            ))
        } else {
            Cow::Borrowed(&self.centres[(coalition as usize - 1) * self.locations.len() + option])
        }
    }

    /// The agency ids of a coalition, joined by `+`.
    pub fn label(&self, scenario: &Scenario, coalition: Coalition) -> String {
        let ids: Vec<&str> = (0..self.players.len())
            .filter(|i| coalition & (1 << i) != 0)
            .map(|i| scenario.agencies[self.players[i]].id.as_str())
            .collect();
        ids.join("+")
    }
}

/// The centre of `coalition` (bits over `players`) at `location`, on a new
/// site of its own.
fn coalition_centre(
    scenario: &Scenario,
    players: &[usize],
    coalition: Coalition,
    location: usize,
) -> Centre {
    let pool = scenario
        .pool
        .as_ref()
        .expect("a game is built from a [pool] table");
    let members: Vec<usize> = (0..players.len())
        .filter(|i| coalition & (1 << i) != 0)
        .map(|i| players[i])
        .collect();
    let teams = scenario
        .service_lines
        .iter()
        .enumerate()
        .filter(|(_, line)| line.relocatable)
        .filter_map(|(l, _)| {
            let team_members: Vec<usize> = members
                .iter()
                .copied()
                .filter(|&a| scenario.agencies[a].lines[l].is_some())
                .collect();
            (!team_members.is_empty()).then_some(Team {
                service_line: l,
                members: team_members,
                staffing: Staffing::Planned {
                    grade_mix: pool.grade_mix,
                },
                moves: false,
                go_live_month: 0,
                bad_go_live: Param::Fixed(0.0),
            })
        })
        .collect();
    let defaults = CentreDefaults::new(Some(&scenario.settings), &scenario.mechanisms);
    let id = format!("coalition_{coalition}");
    Centre {
        fixed_cost_usd_per_year: pool.fixed_cost_usd_per_year,
        supervisor_grade_mix: pool.supervisor_grade_mix,
        ..Centre::new(id, location, 0, false, teams, &defaults)
    }
}

/// A coalition's centre in one replication, in place from the start.
fn simulate_coalition(centres: &mut CentreSimulator, centre: &Centre) -> CentreOutcome {
    centres.simulate(centre, false, Switches::ALL_ON)
}

/// A coalition's staff and costs, with those of its new site, year by year.
fn coalition_years(centres: &mut CentreSimulator, centre: &Centre) -> Vec<YearOutcome> {
    let outcome = simulate_coalition(centres, centre);
    let mut years = vec![YearOutcome::default(); outcome.years.len()];
    YearOutcome::add_each(&mut years, &outcome.years);
    let (scenario, draws) = (centres.scenario(), centres.draws());
    add_new_site(
        scenario,
        draws,
        centre.location,
        outcome.start_month,
        &mut years,
    );
    years
}

/// One replication of the game: the NPV cost of every coalition at every
/// location (`[(coalition − 1) · L + option]`), and each player's workload
/// (year-0 volume × standard effort, for volume-based sharing).
#[derive(Clone, Debug, PartialEq)]
pub struct Replication {
    /// NPV costs, USD.
    pub costs: Vec<f64>,
    /// Workload of each player, in standard minutes a year.
    pub workloads: Vec<f64>,
}

/// Evaluates every coalition at every location in replication `replication`.
pub fn evaluate(
    scenario: &Scenario,
    game: &Game,
    seed: u64,
    replication: u64,
    workspace: &mut Workspace,
) -> Replication {
    let draws = workspace.draw_inputs(scenario, seed, replication, None);
    let rate = draws.value(scenario.settings.discount_rate_per_year);
    let options = game.locations.len();
    // One simulator for every coalition: each agency's capacity need alone
    // is solved once, not once for every coalition it is in, and a
    // coalition's staffing once for all its locations. It remembers in the
    // workspace's memo, whose room (large for a game of many coalitions) is
    // then allocated once, not for every replication.
    workspace.plan_with(scenario, |centres| {
        let mut costs = Vec::with_capacity(game.coalitions() * options);
        for coalition in 1..=game.coalitions() as Coalition {
            for option in 0..options {
                let centre = game.centre(scenario, coalition, option);
                let years = coalition_years(centres, &centre);
                costs.push(npv_parts(rate, &years).total_usd);
            }
        }
        let workloads = workloads(scenario, &game.players, centres.draws());
        Replication { costs, workloads }
    })
}

/// Each player's workload in a replication: year-0 volume × standard
/// effort of its relocatable lines, in standard minutes a year.
fn workloads(scenario: &Scenario, players: &[usize], draws: &Draws) -> Vec<f64> {
    players
        .iter()
        .map(|&a| {
            scenario.agencies[a]
                .lines
                .iter()
                .zip(&scenario.service_lines)
                .filter(|(_, s)| s.relocatable)
                .filter_map(|(line, s)| {
                    Some(line.as_ref()?.annual_mean(draws, 0) * s.effort_minutes(draws))
                })
                .sum()
        })
        .collect()
}

/// The service of each given block in replication `replication`: the queues
/// of its centre (at its location; capacity does not depend on it) on the
/// replication's arrivals.
pub fn serve_blocks(
    scenario: &Scenario,
    game: &Game,
    blocks: &[partition::Block],
    seed: u64,
    replication: u64,
    workspace: &mut Workspace,
) -> Vec<ServiceTotals> {
    let (draws, arrivals) = workspace.draw_all(scenario, seed, replication, None);
    let mut centres = CentreSimulator::new(scenario, draws);
    blocks
        .iter()
        .map(|block| {
            let centre = game.centre(scenario, block.coalition, block.option);
            let outcome = simulate_coalition(&mut centres, &centre);
            ServiceTotals::sum(&serve_centre(scenario, &centre, &outcome.teams, arrivals))
        })
        .collect()
}

/// Which search finds the best coalition structures.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SearchMethod {
    /// Every coalition evaluated, the `k` best structures by dynamic
    /// programming (`partition::best_structures`).
    Exact,
    /// Only the coalitions a heuristic visits ([`search_structures`]).
    Heuristic,
}

impl SearchMethod {
    /// Exact up to [`MAX_PLAYERS`] agencies, heuristic above.
    pub fn default_for(players: usize) -> SearchMethod {
        if players <= MAX_PLAYERS {
            SearchMethod::Exact
        } else {
            SearchMethod::Heuristic
        }
    }
}

/// The best coalition structures a heuristic search finds, cheapest first:
/// at most `k`, from restarts `0..restarts`, each seeded from `seed` and
/// its index (see [`search::heuristic_structures`]).
pub fn search_structures(
    costs: &mut impl CoalitionCosts,
    seed: u64,
    restarts: u64,
    k: usize,
) -> Vec<Structure> {
    search::heuristic_structures(costs, seed, 0..restarts, k)
}
