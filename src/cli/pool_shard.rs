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
//!
//! After its restarts a shard samples its part of the Shapley values of
//! the grand coalition's game, which do not depend on the search: the
//! exact strata and the pilot (every shard computes them: the later
//! blocks' allocation is a function of the pilot's bits), then its
//! contiguous range of the `--shapley-blocks B` blocks after the pilot,
//! each from its own stream. A stopping rule cannot be split this way
//! (whether to draw block `b` would depend on blocks drawn by other
//! shards), so a shard needs `--shapley-blocks`. The least core and the
//! nucleolus are left to the merge.

use std::io::Write;
use std::ops::Range;

use anyhow::Result;

use super::session::{RunFolder, Workers};
use super::{InvalidArgument, LoadedScenario, PoolArgs, check_memory, print_results};
use crate::memory::{Estimate, Part, Search, lazy_pool_estimate};
use crate::pool::lazy::{DEFAULT_CACHE_COALITIONS, LazyGame};
use crate::pool::search::{CoalitionCosts, heuristic_structures};
use crate::pool::stratified_shapley::{Stratified, pilot, sample_blocks};
use crate::pool::{Coalition, Game, SearchMethod};
use crate::results::pool_shard::{POOL_SHARD_FORMAT, PoolShardFile, PoolShardFound};
use crate::results::{PoolShardRecord, ResultFile};
use crate::run::{Interrupted, RunPlan};
use crate::shard::Shard;
use crate::text::counted;

/// A shard of a heuristic search: which, and the fixed number of Shapley
/// blocks after the pilot the whole search draws.
#[derive(Clone, Copy, Debug)]
pub(super) struct PoolShard {
    pub(super) shard: Shard,
    pub(super) shapley_blocks: u64,
}

/// The shard `--shard` or `--shards` asks for, if any, checked against the
/// search `method` and the other options.
///
/// # Errors
/// [`InvalidArgument`] when no array-job index says which shard `--shards`
/// runs, with the exact search, with more shards than restarts, without
/// `--shapley-blocks`, or with `--xlsx` or `--report`.
pub(super) fn shard_of(args: &PoolArgs, method: SearchMethod) -> Result<Option<PoolShard>> {
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
    if shard.count > args.restarts() {
        return Err(InvalidArgument(format!(
            "{} shards for {}: every shard needs at least one restart; expected at most {} \
             shards, or more --restarts",
            shard.count,
            counted(args.restarts(), "restart", "restarts"),
            args.restarts()
        ))
        .into());
    }
    let Some(shapley_blocks) = args.shapley_blocks else {
        return Err(InvalidArgument(
            "a shard needs --shapley-blocks B: the shards split the Shapley sampling into B \
             blocks after the pilot, fixed in advance, since a stopping rule (--shapley-se \
             and --shapley-budget) would need the blocks of every shard to decide; a single \
             run with the same --shapley-blocks gives the merge's results (B = 0 keeps the \
             pilot alone)"
                .to_owned(),
        )
        .into());
    };
    let extras = &args.simulate.extras;
    if extras.xlsx || extras.report {
        return Err(InvalidArgument(format!(
            "{} cannot be used with a shard: a shard's folder holds its part of the search for \
             `sscsim merge`, not results; give the option to `sscsim merge` instead",
            if extras.xlsx { "--xlsx" } else { "--report" }
        ))
        .into());
    }
    Ok(Some(PoolShard {
        shard,
        shapley_blocks,
    }))
}

/// Runs shard `shard` of the heuristic search of `args` on `loaded` and
/// writes its folder; `sampling` is the search's Shapley sampling, the
/// same in every shard and in a single run.
pub(super) fn pool_shard(
    loaded: &LoadedScenario,
    plan: RunPlan,
    part: PoolShard,
    args: &PoolArgs,
    search: Search,
    sampling: Stratified,
) -> Result<()> {
    let PoolShard {
        shard,
        shapley_blocks,
    } = part;
    let scenario = &loaded.scenario;
    let out = args
        .simulate
        .out
        .as_deref()
        .expect("clap requires --out with --shard and --shards");
    let restarts = shard.range(args.restarts());
    let own_blocks = shapley_blocks_of(shard, shapley_blocks);
    let workers = Workers::start(&args.simulate.options, 0)?;
    let work = workers.workload(plan.replications, true);
    let mut estimate = lazy_pool_estimate(scenario, search, work, DEFAULT_CACHE_COALITIONS);
    add_shapley_blocks(
        &mut estimate,
        search.players,
        own_blocks.end - own_blocks.start,
    );
    check_memory(&estimate, args.simulate.options.common.memory_limit)?;
    let game = Game::on_demand(scenario, args.locations.as_deref())
        .map_err(|e| InvalidArgument(e.to_string()))?;
    workers.announce(
        &format!(
            "{}, shard {shard} of the heuristic search, restarts {} to {} of {}",
            loaded.source_name,
            restarts.start,
            restarts.end - 1,
            args.restarts()
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
        .set_message("searching coalition structures, then sampling Shapley blocks");
    let found = workers.install(|control| {
        let mut lazy = LazyGame::for_plan(scenario, &game, plan);
        // Ctrl-C ends the search at its next batch; nothing is written.
        lazy.stop_on(control.cancel.clone());
        let structures =
            heuristic_structures(&mut lazy, plan.seed, restarts.clone(), args.top as usize);
        let players = lazy.players();
        let mut mean_game = |coalitions: &[Coalition]| lazy.mean_game(coalitions);
        let pilot = pilot(players, sampling, &mut mean_game);
        let blocks = sample_blocks(
            players,
            sampling,
            &pilot,
            own_blocks.clone(),
            &mut mean_game,
        );
        if lazy.stopped() {
            return Err(Interrupted);
        }
        Ok((
            PoolShardFound {
                structures,
                coalitions: lazy.known(),
                shapley_blocks: own_blocks.clone().zip(blocks).collect(),
            },
            pilot.sums.coalitions_evaluated,
        ))
    })?;
    let (found, pilot_coalitions) = found;
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
            restarts: args.restarts(),
            top: args.top,
            locations: args.locations.clone(),
            first_restart: restarts.start,
            last_restart: restarts.end - 1,
            shapley_se_percent: args.shapley_se_percent(),
            shapley_budget_coalitions: args.shapley_budget(),
            shapley_blocks: Some(shapley_blocks),
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
         {} found; Shapley values: the pilot ({} asked, as every shard asks) and {}; \
         {} evaluated in all, in {}.\n\
         Merge the {} shards' folders with `sscsim merge SHARD_DIR... --out DIR`.\n",
        scenario.name,
        restarts.start,
        restarts.end - 1,
        args.restarts(),
        counted(plan.replications, "replication", "replications"),
        plan.seed,
        counted(found.structures.len() as u64, "structure", "structures"),
        counted(pilot_coalitions, "coalition", "coalitions"),
        blocks_drawn(own_blocks, shapley_blocks),
        counted(found.coalitions.len() as u64, "coalition", "coalitions"),
        out.display(),
        shard.count
    ))
}

/// The Shapley blocks `shard` draws of the search's `blocks`: its
/// contiguous part of them, numbered from 1 after the pilot (block 0).
pub(super) fn shapley_blocks_of(shard: Shard, blocks: u64) -> Range<u64> {
    let own = shard.range(blocks);
    own.start + 1..own.end + 1
}

/// Bytes of one stratum of a Shapley block held for a shard's file or
/// read back from it: its sums (a count and two floats, 24 bytes), their
/// copy in the file's structures (24) and their text (three numbers of up
/// to 25 characters and separators, 80).
const SHAPLEY_BLOCK_BYTES_PER_STRATUM: u64 = 128;

/// Adds to `estimate` the `blocks` Shapley blocks of a game of `players`
/// that a shard writes, or a merge reads, all at once.
pub(super) fn add_shapley_blocks(estimate: &mut Estimate, players: u32, blocks: u64) {
    let strata = u64::from(players) * u64::from(players);
    estimate.parts.push(Part {
        what: format!("{blocks} Shapley blocks of {strata} strata"),
        bytes: blocks
            .saturating_mul(strata)
            .saturating_mul(SHAPLEY_BLOCK_BYTES_PER_STRATUM),
        knob: "fewer Shapley blocks (--shapley-blocks)",
    });
}

/// What a shard says of the Shapley blocks `own` it drew, of `total`.
fn blocks_drawn(own: Range<u64>, total: u64) -> String {
    match own.end - own.start {
        0 => format!("none of the {} after it", counted(total, "block", "blocks")),
        1 => format!("block {} of {total} after it", own.start),
        _ => format!(
            "blocks {} to {} of {total} after it",
            own.start,
            own.end - 1
        ),
    }
}
