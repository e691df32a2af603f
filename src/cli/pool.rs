//! `sscsim pool`: search coalition structures and share the pooled cost.

use anyhow::Result;

use super::session::{RunFolder, Workers, plan_for};
use super::{InvalidArgument, PoolArgs, SearchArg, check_memory};
use crate::memory::{Search, lazy_pool_estimate, pool_estimate};
use crate::model::Scenario;
use crate::output::pool::{SearchRun, render, write_allocation, write_coalitions};
use crate::pool::analysis::{RankedStructure, Share, rank_structures, shares};
use crate::pool::fair_shares::ShapleySource;
use crate::pool::lazy::{DEFAULT_CACHE_COALITIONS, LazyGame};
use crate::pool::least_core::LpError;
use crate::pool::outcome::{rank_found, serve_ranked};
use crate::pool::partition::Structure;
use crate::pool::search::CoalitionCosts;
use crate::pool::stratified_shapley::{
    DEFAULT_PILOT_PER_STRATUM, DEFAULT_SAMPLES_PER_BLOCK, Stratified,
};
use crate::pool::{
    Game, MAX_PLAYERS, PoolError, Replication, SearchMethod, Workspace, evaluate, search_structures,
};
use crate::results::ResultFile;
use crate::run::{Interrupted, RunPlan, in_blocks};
use crate::text::counted;

pub(crate) fn pool(args: PoolArgs) -> Result<()> {
    let loaded = args.simulate.load()?;
    let scenario = &loaded.scenario;
    let plan = plan_for(&loaded, &args.simulate.options);
    let invalid = |e: PoolError| InvalidArgument(e.to_string());
    // The size of the game is known before its centres are built.
    let (players, locations) =
        Game::players_and_locations(scenario, args.locations.as_deref()).map_err(invalid)?;
    let method = match args.search {
        Some(SearchArg::Exact) => SearchMethod::Exact,
        Some(SearchArg::Heuristic) => SearchMethod::Heuristic,
        None => SearchMethod::default_for(players.len()),
    };
    let shard = super::pool_shard::shard_of(&args, method)?;
    if method == SearchMethod::Exact && players.len() > MAX_PLAYERS {
        return Err(invalid(PoolError::TooManyForExact(players.len())).into());
    }
    if method == SearchMethod::Exact {
        refuse_heuristic_options(&args, players.len())?;
    }
    let search = Search {
        players: players.len() as u32,
        locations: locations.len(),
        top: args.top as usize,
    };
    if let Some(part) = shard {
        let sampling = shapley_sampling(plan.seed, &args);
        return super::pool_shard::pool_shard(&loaded, plan, part, &args, search, sampling);
    }
    // The exact search passes twice over the replications (costs of every
    // coalition, then the queues of the best structures' centres); the
    // heuristic's progress counts the second pass only.
    let passes = if method == SearchMethod::Exact { 2 } else { 1 };
    let workers = Workers::start(&args.simulate.options, passes * plan.replications)?;
    let work = workers.workload(plan.replications, true);
    let estimate = match method {
        SearchMethod::Exact => pool_estimate(scenario, search, work),
        SearchMethod::Heuristic => {
            lazy_pool_estimate(scenario, search, work, DEFAULT_CACHE_COALITIONS)
        }
    };
    check_memory(&estimate, args.simulate.options.common.memory_limit)?;
    let game = match method {
        SearchMethod::Exact => Game::new(scenario, args.locations.as_deref()),
        SearchMethod::Heuristic => Game::on_demand(scenario, args.locations.as_deref()),
    }
    .map_err(invalid)?;
    let per_replication = match method {
        SearchMethod::Exact => format!(
            " = {} per replication",
            counted(
                (game.coalitions() * game.locations.len()) as u64,
                "centre",
                "centres"
            )
        ),
        SearchMethod::Heuristic => format!(
            ", heuristic search, {}",
            counted(args.restarts(), "restart", "restarts")
        ),
    };
    workers.announce(
        &format!(
            "{}, {} × {}{per_replication}",
            loaded.source_name,
            counted(game.players.len() as u64, "agency", "agencies"),
            counted(game.locations.len() as u64, "location", "locations"),
        ),
        plan,
    );
    let folder = args
        .simulate
        .folder(&loaded, plan, &workers, "pool", None)?;

    let (ranked, sharing, run) = match method {
        SearchMethod::Exact => {
            workers
                .progress
                .set_message("runs (two passes over the replications)");
            let mut replications: Vec<Replication> = Vec::with_capacity(plan.replications as usize);
            workers.install(|control| {
                in_blocks(
                    0..plan.replications,
                    control,
                    |w: &mut Workspace, r| evaluate(scenario, &game, plan.seed, r, w),
                    |rep| {
                        replications.push(rep);
                        Ok::<_, anyhow::Error>(())
                    },
                )
            })?;
            let ranked = rank_structures(&game, &replications, args.top as usize);
            let sharing = shares(&game, &replications)?;
            let run = SearchRun::Exact {
                coalitions: game.coalitions() as u64,
            };
            (ranked, sharing, run)
        }
        SearchMethod::Heuristic => {
            workers
                .progress
                .set_message("searching coalition structures");
            let progress = &workers.progress;
            let (ranked, sharing, evaluated) = workers.install(|control| {
                let mut lazy = LazyGame::for_plan(scenario, &game, plan);
                // Ctrl-C ends the search at its next batch of coalitions.
                lazy.stop_on(control.cancel.clone());
                let structures =
                    search_structures(&mut lazy, plan.seed, args.restarts(), args.top as usize);
                // The fair shares can take longer than the search at thirty
                // agencies: say which phase the wait is in.
                progress.set_message("sharing the cost of one centre for all");
                let (ranked, sharing) = rank_and_share(
                    &mut lazy,
                    structures,
                    ShapleySource::Sample(shapley_sampling(plan.seed, &args)),
                )?;
                if lazy.stopped() {
                    return Err(Interrupted.into());
                }
                Ok::<_, anyhow::Error>((ranked, sharing, lazy.evaluated()))
            })?;
            let run = SearchRun::Heuristic {
                restarts: args.restarts(),
                coalitions: evaluated,
                shapley_relative_se: args.shapley_se_percent() / 100.0,
                shapley_blocks: args.shapley_blocks,
            };
            (ranked, sharing, run)
        }
    };
    let table = conclude(
        scenario,
        &game,
        plan,
        &workers,
        folder,
        Searched {
            ranked,
            sharing,
            run,
        },
    )?;
    args.simulate.finish(&workers, scenario, &table)
}

/// What a search leaves: the structures ranked, the sharing of the grand
/// coalition's cost, and how the search went.
pub(super) struct Searched {
    pub(super) ranked: Vec<RankedStructure>,
    pub(super) sharing: Vec<Share>,
    pub(super) run: SearchRun,
}

/// Serves the queues of the best structures' centres, writes
/// `coalitions.csv` and `allocation.csv` into `folder` (when there is one)
/// and returns the table to print: the same for a single run and for the
/// merge of a heuristic search's shards.
pub(super) fn conclude(
    scenario: &Scenario,
    game: &Game,
    plan: RunPlan,
    workers: &Workers,
    folder: Option<RunFolder<'_>>,
    searched: Searched,
) -> Result<String> {
    let Searched {
        ranked,
        sharing,
        run,
    } = searched;
    workers
        .progress
        .set_message("queues of the best structures");
    let service_levels = workers.install(|control| {
        serve_ranked(
            scenario,
            game,
            &ranked,
            plan.seed,
            plan.replications,
            control,
        )
    })?;
    workers.progress.finish_and_clear();

    if let Some(folder) = folder {
        let mut files = vec![(
            write_coalitions(
                folder.temporary()?,
                folder.dialect(),
                scenario,
                game,
                &ranked,
                &service_levels,
            )?,
            ResultFile::Coalitions.name(),
        )];
        let allocation = write_allocation(
            folder.temporary()?,
            folder.dialect(),
            scenario,
            game,
            &sharing,
        )?;
        files.push((allocation, ResultFile::Allocation.name()));
        workers.report(&folder.commit(files)?);
    }
    Ok(render(
        scenario,
        game,
        &ranked,
        &service_levels,
        &sharing,
        run,
    ))
}

/// Refuses the options only the heuristic search reads when the search is
/// exact: run anyway, they would be ignored without a word, and a user who
/// asked for a Shapley budget or precision would read exact values as the
/// sampled ones asked for.
fn refuse_heuristic_options(args: &PoolArgs, agencies: usize) -> Result<()> {
    let given = args.heuristic_only_options();
    let Some((last, rest)) = given.split_last() else {
        return Ok(());
    };
    let why = if args.search.is_some() {
        "the search asked for is exact (--search exact)".to_owned()
    } else {
        format!(
            "the search is exact, the default for {} (up to {MAX_PLAYERS})",
            counted(agencies as u64, "agency", "agencies")
        )
    };
    let (these, apply, them) = if rest.is_empty() {
        (last.to_string(), "applies", "it")
    } else {
        (format!("{} and {last}", rest.join(", ")), "apply", "them")
    };
    Err(InvalidArgument(format!(
        "{these} {apply} to the heuristic search only, and {why}: it tries every coalition \
         structure and computes the Shapley values exactly, from every coalition; drop \
         {them}, or pass --search heuristic to search and sample as asked"
    ))
    .into())
}

/// The structures a heuristic search found on `lazy` ranked replication by
/// replication as the exact search's are, and every method's shares of one
/// centre for all, the Shapley values from `shapley`.
pub(super) fn rank_and_share(
    lazy: &mut LazyGame<'_>,
    structures: Vec<Structure>,
    shapley: ShapleySource,
) -> Result<(Vec<RankedStructure>, Vec<Share>), LpError> {
    let ranked = rank_found(lazy, structures);
    let sharing = lazy.fair_shares(shapley)?;
    Ok((ranked, sharing))
}

/// How the heuristic path samples Shapley values, from the run's seed:
/// to `--shapley-se` of each value, within `--shapley-budget` coalitions,
/// or in exactly `--shapley-blocks` blocks; the shards of a search and
/// their merge sample with the same settings.
pub(super) fn shapley_sampling(seed: u64, args: &PoolArgs) -> Stratified {
    stratified(
        seed,
        args.shapley_se_percent(),
        args.shapley_budget(),
        args.shapley_blocks,
    )
}

/// The Shapley sampling of `seed` to `shapley_se_percent` of each value,
/// within `budget_coalitions` or in `blocks` fixed blocks: as a search's
/// arguments or a shard's record give them.
pub(super) fn stratified(
    seed: u64,
    shapley_se_percent: f64,
    budget_coalitions: u64,
    blocks: Option<u64>,
) -> Stratified {
    Stratified {
        seed,
        pilot_per_stratum: DEFAULT_PILOT_PER_STRATUM,
        samples_per_block: DEFAULT_SAMPLES_PER_BLOCK,
        relative_se: shapley_se_percent / 100.0,
        max_coalitions: budget_coalitions,
        blocks,
    }
}
