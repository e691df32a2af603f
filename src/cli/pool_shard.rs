//! `sscsim pool --search heuristic --shard I/N`: one block of a heuristic
//! coalition search's restarts, into a folder that `sscsim merge` reads:
//! `pool_shard.toml` (the structures found and the coalitions evaluated,
//! [`crate::results::pool_shard`]), a copy of the scenario
//! (`shard-scenario.toml`), and the manifest, whose `[pool]` table says
//! which restarts the shard ran and the options every shard of the search
//! shares.
//!
//! Every shard evaluates coalitions over all the replications, so the
//! costs a restart sees, and the structures it finds, do not depend on the
//! shard it runs in.

use std::io::Write;

use anyhow::Result;

use super::session::{RunFolder, Workers};
use super::{InvalidArgument, LoadedScenario, PoolArgs, check_memory, print_results};
use crate::memory::{Search, lazy_pool_estimate};
use crate::pool::lazy::{DEFAULT_CACHE_COALITIONS, LazyGame};
use crate::pool::search::{CoalitionCosts, heuristic_structures};
use crate::pool::{Game, SearchMethod};
use crate::results::pool_shard::{POOL_SHARD_FORMAT, PoolShardFile, PoolShardFound};
use crate::results::{PoolShardRecord, ResultFile};
use crate::run::{Interrupted, RunPlan};
use crate::shard::Shard;
use crate::text::counted;

/// The shard `--shard` or `--shards` asks for, if any, checked against the
/// search `method` and the other options.
///
/// # Errors
/// [`InvalidArgument`] when no array-job index says which shard `--shards`
/// runs, with the exact search, with more shards than restarts, or with
/// `--xlsx` or `--report`.
pub(super) fn shard_of(args: &PoolArgs, method: SearchMethod) -> Result<Option<Shard>> {
    let shard = match (args.shard, args.shards) {
        (Some(shard), _) => shard,
        (None, Some(count)) => Shard::from_env(count, |name| std::env::var(name).ok())
            .map_err(|e| InvalidArgument(e.to_string()))?,
        (None, None) => return Ok(None),
    };
    if method == SearchMethod::Exact {
        return Err(InvalidArgument(
            "the exact search cannot be split into shards: it runs on one machine (up to 14 \
             agencies); pass --search heuristic to split the heuristic search's restarts"
                .to_owned(),
        )
        .into());
    }
    if shard.count > args.restarts {
        return Err(InvalidArgument(format!(
            "{} shards for {}: every shard needs at least one restart; expected at most {} \
             shards, or more --restarts",
            shard.count,
            counted(args.restarts, "restart", "restarts"),
            args.restarts
        ))
        .into());
    }
    let extras = &args.simulate.extras;
    if extras.xlsx || extras.report {
        return Err(InvalidArgument(format!(
            "{} cannot be used with a shard: a shard's folder holds its part of the search for \
             `sscsim merge`, not results; give the option to `sscsim merge` instead",
            if extras.xlsx { "--xlsx" } else { "--report" }
        ))
        .into());
    }
    Ok(Some(shard))
}

/// Runs shard `shard` of the heuristic search of `args` on `loaded` and
/// writes its folder.
pub(super) fn pool_shard(
    loaded: &LoadedScenario,
    plan: RunPlan,
    shard: Shard,
    args: &PoolArgs,
    search: Search,
) -> Result<()> {
    let scenario = &loaded.scenario;
    let out = args
        .simulate
        .out
        .as_deref()
        .expect("clap requires --out with --shard and --shards");
    let restarts = shard.range(args.restarts);
    let workers = Workers::start(&args.simulate.options, 0)?;
    let work = workers.workload(plan.replications, true);
    check_memory(
        &lazy_pool_estimate(scenario, search, work, DEFAULT_CACHE_COALITIONS),
        args.simulate.options.common.memory_limit,
    )?;
    let game = Game::on_demand(scenario, args.locations.as_deref())
        .map_err(|e| InvalidArgument(e.to_string()))?;
    workers.announce(
        &format!(
            "{}, shard {shard} of the heuristic search, restarts {} to {} of {}",
            loaded.source_name,
            restarts.start,
            restarts.end - 1,
            args.restarts
        ),
        plan,
    );
    let mut folder = RunFolder::create(
        out,
        args.simulate.options.common,
        loaded,
        plan,
        workers.threads,
        "pool",
        None,
    )?;
    workers
        .progress
        .set_message("searching coalition structures");
    let found = workers.install(|control| {
        let mut lazy = LazyGame::for_plan(scenario, &game, plan);
        // Ctrl-C ends the search at its next batch; nothing is written.
        lazy.stop_on(control.cancel.clone());
        let structures =
            heuristic_structures(&mut lazy, plan.seed, restarts.clone(), args.top as usize);
        if lazy.stopped() {
            return Err(Interrupted);
        }
        Ok(PoolShardFound {
            structures,
            coalitions: lazy.known(),
        })
    })?;
    workers.progress.finish_and_clear();
    let mut found_file = folder.temporary()?;
    found_file.write_all(
        PoolShardFile::new(scenario, &game, &found)
            .to_toml()
            .as_bytes(),
    )?;
    let mut scenario_copy = folder.temporary()?;
    scenario_copy.write_all(loaded.text.as_bytes())?;
    folder.set_pool_shard(
        shard,
        PoolShardRecord {
            search: "heuristic".to_owned(),
            restarts: args.restarts,
            top: args.top,
            locations: args.locations.clone(),
            first_restart: restarts.start,
            last_restart: restarts.end - 1,
            shapley_se_percent: args.shapley_se,
            shapley_budget_coalitions: args.shapley_budget,
            format: POOL_SHARD_FORMAT,
        },
    );
    let files = vec![
        (found_file, ResultFile::PoolShard.name()),
        (scenario_copy, ResultFile::ScenarioCopy.name()),
    ];
    workers.report(&folder.commit(files)?);
    print_results(&format!(
        "{}: shard {shard} of the heuristic search, restarts {} to {} of {} over {} (seed {}), \
         {} found, {} evaluated, in {}.\n\
         Merge the {} shards' folders with `sscsim merge SHARD_DIR... --out DIR`.\n",
        scenario.name,
        restarts.start,
        restarts.end - 1,
        args.restarts,
        counted(plan.replications, "replication", "replications"),
        plan.seed,
        counted(found.structures.len() as u64, "structure", "structures"),
        counted(found.coalitions.len() as u64, "coalition", "coalitions"),
        out.display(),
        shard.count
    ))
}
