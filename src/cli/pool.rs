//! `sscsim pool`: search coalition structures and share the pooled cost.

use anyhow::Result;

use super::session::{Workers, plan_for};
use super::{InvalidArgument, PoolArgs, check_memory};
use crate::memory::{Search, pool_estimate};
use crate::output::pool::{render, write_allocation, write_coalitions};
use crate::pool::analysis::{distinct_blocks, rank_structures, shares};
use crate::pool::{Game, Replication, Workspace, evaluate, serve_blocks};
use crate::results::ResultFile;
use crate::run::in_blocks;
use crate::sim::ServiceTotals;
use crate::text::counted;

pub(crate) fn pool(args: PoolArgs) -> Result<()> {
    let loaded = args.simulate.load()?;
    let scenario = &loaded.scenario;
    let plan = plan_for(&loaded, &args.simulate.options);
    // Two passes over the replications: costs of every coalition, then the
    // queues of the best structures' centres.
    let workers = Workers::start(&args.simulate.options, 2 * plan.replications)?;
    // The size of the game is known before its centres are built.
    let (players, locations) = Game::players_and_locations(scenario, args.locations.as_deref())
        .map_err(|e| InvalidArgument(e.to_string()))?;
    let search = Search {
        players: players.len() as u32,
        locations: locations.len(),
        top: args.top as usize,
    };
    check_memory(
        &pool_estimate(scenario, search, workers.workload(plan.replications, true)),
        args.simulate.options.common.memory_limit,
    )?;
    let game = Game::new(scenario, args.locations.as_deref())
        .map_err(|e| InvalidArgument(e.to_string()))?;
    workers
        .progress
        .set_message("runs (two passes over the replications)");
    workers.announce(
        &format!(
            "{}, {} × {} = {} per replication",
            loaded.source_name,
            counted(game.players.len() as u64, "agency", "agencies"),
            counted(game.locations.len() as u64, "location", "locations"),
            counted(
                (game.coalitions() * game.locations.len()) as u64,
                "centre",
                "centres"
            )
        ),
        plan,
    );
    let folder = args
        .simulate
        .folder(&loaded, plan, &workers, "pool", None)?;

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
    let service_levels: Vec<f64> = ranked
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
        .collect();
    let sharing = shares(&game, &replications)?;

    if let Some(folder) = folder {
        let files = vec![
            (
                write_coalitions(
                    folder.temporary()?,
                    folder.dialect(),
                    scenario,
                    &game,
                    &ranked,
                    &service_levels,
                )?,
                ResultFile::Coalitions.name(),
            ),
            (
                write_allocation(
                    folder.temporary()?,
                    folder.dialect(),
                    scenario,
                    &game,
                    &sharing,
                )?,
                ResultFile::Allocation.name(),
            ),
        ];
        workers.report(&folder.commit(files)?);
    }
    let table = render(scenario, &game, &ranked, &service_levels, &sharing);
    args.simulate.finish(&workers, scenario, &table)
}
