//! `sscsim pool`: search coalition structures and share the pooled cost.

use anyhow::Result;

use super::session::{Workers, plan_for};
use super::{InvalidArgument, PoolArgs, SearchArg, check_memory};
use crate::memory::{Search, lazy_pool_estimate, pool_estimate};
use crate::output::pool::{SearchRun, render, write_allocation, write_coalitions};
use crate::pool::analysis::{
    RankedStructure, Share, distinct_blocks, rank, rank_structures, shares, structure_costs,
};
use crate::pool::lazy::{DEFAULT_CACHE_COALITIONS, LazyGame};
use crate::pool::partition::Block;
use crate::pool::stratified_shapley::{
    DEFAULT_PILOT_PER_STRATUM, DEFAULT_SAMPLES_PER_BLOCK, Stratified,
};
use crate::pool::{
    Game, MAX_PLAYERS, PoolError, Replication, SearchMethod, Workspace, evaluate,
    search_structures, serve_blocks,
};
use crate::results::ResultFile;
use crate::run::in_blocks;
use crate::sim::ServiceTotals;
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
    if method == SearchMethod::Exact && players.len() > MAX_PLAYERS {
        return Err(invalid(PoolError::TooManyForExact(players.len())).into());
    }
    let search = Search {
        players: players.len() as u32,
        locations: locations.len(),
        top: args.top as usize,
    };
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
            "= {} per replication",
            counted(
                (game.coalitions() * game.locations.len()) as u64,
                "centre",
                "centres"
            )
        ),
        SearchMethod::Heuristic => format!(
            ", heuristic search, {}",
            counted(args.restarts, "restart", "restarts")
        ),
    };
    workers.announce(
        &format!(
            "{}, {} × {} {per_replication}",
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
            let (ranked, sharing, evaluated) = workers.install(|_| {
                heuristic_ranking(scenario, &game, plan.seed, plan.replications, &args)
            })?;
            let run = SearchRun::Heuristic {
                restarts: args.restarts,
                coalitions: evaluated,
                shapley_relative_se: args.shapley_se / 100.0,
            };
            (ranked, sharing, run)
        }
    };

    workers
        .progress
        .set_message("queues of the best structures");
    let blocks = distinct_blocks(&ranked);
    let mut served: Vec<Vec<ServiceTotals>> = Vec::with_capacity(plan.replications as usize);
    workers.install(|control| {
        in_blocks(
            0..plan.replications,
            control,
            |w: &mut Workspace, r| serve_blocks(scenario, &game, &blocks, plan.seed, r, w),
            |s| {
                served.push(s);
                Ok::<_, anyhow::Error>(())
            },
        )
    })?;
    workers.progress.finish_and_clear();
    let service_levels = service_levels(&ranked, &blocks, &served);

    if let Some(folder) = folder {
        let mut files = vec![(
            write_coalitions(
                folder.temporary()?,
                folder.dialect(),
                scenario,
                &game,
                &ranked,
                &service_levels,
            )?,
            ResultFile::Coalitions.name(),
        )];
        let allocation = write_allocation(
            folder.temporary()?,
            folder.dialect(),
            scenario,
            &game,
            &sharing,
        )?;
        files.push((allocation, ResultFile::Allocation.name()));
        workers.report(&folder.commit(files)?);
    }
    let table = render(scenario, &game, &ranked, &service_levels, &sharing, run);
    args.simulate.finish(&workers, scenario, &table)
}

/// The heuristic search on a game built on demand, its structures ranked
/// replication by replication as the exact search's are; every method's
/// shares of one centre for all; and how many coalitions it evaluated.
fn heuristic_ranking(
    scenario: &crate::model::Scenario,
    game: &Game,
    seed: u64,
    replications: u64,
    args: &PoolArgs,
) -> Result<(Vec<RankedStructure>, Vec<Share>, u64)> {
    let mut lazy = LazyGame::new(
        scenario,
        game,
        seed,
        0..replications,
        DEFAULT_CACHE_COALITIONS,
    );
    let structures = search_structures(&mut lazy, seed, args.restarts, args.top as usize);
    let mut blocks: Vec<Block> = structures
        .iter()
        .flat_map(|s| s.blocks.iter().copied())
        .collect();
    blocks.sort();
    blocks.dedup();
    let block_costs = lazy.block_costs(&blocks);
    let per_replication = structure_costs(
        &structures,
        |block, r| block_costs[blocks.binary_search(block).expect("every block was priced")][r],
        lazy.replications(),
    );
    let ranked = rank(structures, &per_replication);
    let sharing = lazy.fair_shares(Stratified {
        seed,
        pilot_per_stratum: DEFAULT_PILOT_PER_STRATUM,
        samples_per_block: DEFAULT_SAMPLES_PER_BLOCK,
        relative_se: args.shapley_se / 100.0,
        max_coalitions: args.shapley_budget,
    })?;
    Ok((ranked, sharing, lazy.evaluated()))
}

/// Each ranked structure's mean service level: on-time share of the
/// resolved work of its blocks, averaged over replications.
fn service_levels(
    ranked: &[RankedStructure],
    blocks: &[Block],
    served: &[Vec<ServiceTotals>],
) -> Vec<f64> {
    ranked
        .iter()
        .map(|r| {
            let per_replication = served.iter().map(|totals| {
                let mut sum = ServiceTotals::default();
                for block in &r.structure.blocks {
                    sum.add(&totals[blocks.binary_search(block).expect("every block was served")]);
                }
                if sum.resolved() > 0.0 {
                    sum.on_time / sum.resolved()
                } else {
                    1.0
                }
            });
            per_replication.sum::<f64>() / served.len() as f64
        })
        .collect()
}
