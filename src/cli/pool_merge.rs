//! `sscsim merge` of the shards of a heuristic coalition search
//! (`pool --search heuristic --shard I/N`): the folder one process running
//! every restart would have written.
//!
//! The shards must be of one search: the same sscsim version (this one),
//! scenario (by SHA-256), overrides, seed, replications, number of shards
//! and `[pool]` options (restarts, top, locations), and every shard from 1
//! to N exactly once, each with the block of restarts the split gives it.
//! The structures the shards found are merged in shard order
//! ([`merge_found`]), which is what one process finds over all the
//! restarts; the coalitions the shards evaluated are taken as evaluated.
//! The shards must agree on `--shapley-blocks B`, and every block from 1
//! to B must be in the shard the split gives it, exactly once: the merge
//! computes the exact strata and the pilot again from the shards'
//! coalitions (nothing is evaluated again), checks that every block has
//! the pilot's allocation, and adds the blocks in block order
//! ([`merge_blocks`]) instead of sampling. Then the merge ranks, serves,
//! shares (the least core and the nucleolus are solved here) and writes
//! exactly as `sscsim pool --shapley-blocks B` does after its search,
//! through the same functions ([`super::pool::rank_and_share`],
//! [`super::pool::conclude`]). So
//! `coalitions.csv`, `allocation.csv` and the printed table are byte for
//! byte the single run's; the manifest says `command = "merge"` and
//! `merged_shards`.

use std::path::{Path, PathBuf};

use anyhow::Result;

use super::pool::{Searched, conclude, rank_and_share, stratified};
use super::pool_shard::{add_shapley_blocks, shapley_blocks_of};
use super::session::{RunFolder, Workers};
use super::shard_folder::{
    check_version, load_scenario, merge_options, refuse_difference, shared_keys,
};
use super::{InvalidArgument, MergeArgs, check_memory, print_results};
use crate::memory::{Search, lazy_pool_estimate};
use crate::output::pool::SearchRun;
use crate::pool::fair_shares::ShapleySource;
use crate::pool::lazy::{DEFAULT_CACHE_COALITIONS, LazyGame};
use crate::pool::search::{CoalitionCosts, merge_found};
use crate::pool::stratified_shapley::{StratumSums, merge_blocks, pilot};
use crate::pool::{Coalition, Game};
use crate::results::pool_shard::{POOL_SHARD_FORMAT, PoolShardFile, format_refusal};
use crate::results::{Manifest, PoolShardRecord, ResultFile};
use crate::run::RunPlan;
use crate::shard::Shard;

/// One pool shard's folder and what its manifest says.
struct PoolShardDir {
    dir: PathBuf,
    manifest: Manifest,
    shard: Shard,
    record: PoolShardRecord,
    /// `--shapley-blocks` of the search (format 2's record always has it).
    shapley_blocks: u64,
}

/// Merges the pool shards of `args` (the first is one: see
/// [`super::merge::merge`]).
pub(super) fn merge_pool(args: MergeArgs) -> Result<()> {
    if args.parquet {
        return Err(InvalidArgument(
            "--parquet writes a run's per-replication tables; the shards of a coalition \
             search have none: merge them without --parquet"
                .to_owned(),
        )
        .into());
    }
    let mut shards = args
        .shards
        .iter()
        .map(|dir| read_pool_shard(dir))
        .collect::<Result<Vec<_>>>()?;
    check_same_search(&shards)?;
    shards.sort_by_key(|s| s.shard.index);
    check_every_shard_once(&shards)?;
    let reference = &shards[0];
    let record = &reference.record;
    let loaded = load_scenario(&reference.dir, &reference.manifest)?;
    let scenario = &loaded.scenario;
    let invalid = |e: crate::pool::PoolError| InvalidArgument(e.to_string());
    let game = Game::on_demand(scenario, record.locations.as_deref()).map_err(invalid)?;
    let plan = RunPlan {
        replications: reference.manifest.replications,
        seed: reference.manifest.seed,
    };
    let options = merge_options(&args);
    let workers = Workers::start(&options, plan.replications)?;
    let search = Search {
        players: game.players.len() as u32,
        locations: game.locations.len(),
        top: record.top as usize,
    };
    let mut estimate = lazy_pool_estimate(
        scenario,
        search,
        workers.workload(plan.replications, true),
        DEFAULT_CACHE_COALITIONS,
    );
    add_shapley_blocks(&mut estimate, search.players, reference.shapley_blocks);
    check_memory(&estimate, args.common.memory_limit)?;
    let mut found = shards
        .iter()
        .map(|s| {
            let path = s.dir.join(ResultFile::PoolShard.name());
            PoolShardFile::read(&path, scenario, &game).map_err(InvalidArgument)
        })
        .collect::<Result<Vec<_>, _>>()?;
    let shapley_blocks = every_block_once(&shards, &mut found)?;
    workers.announce(
        &format!(
            "{}, {} shards of the heuristic search merged",
            loaded.source_name,
            shards.len()
        ),
        plan,
    );
    let mut folder = RunFolder::create(
        &args.out,
        args.common,
        &loaded,
        plan,
        workers.threads,
        "merge",
        None,
    )?;
    folder.set_merged_shards(reference.shard.count);
    workers.progress.set_message("ranking the structures found");
    let (ranked, sharing, evaluated) = workers.install(|_| {
        let mut lazy = LazyGame::for_plan(scenario, &game, plan);
        for shard in &found {
            for (coalition, costs) in &shard.coalitions {
                lazy.remember(*coalition, costs);
            }
        }
        let structures = merge_found(
            found.into_iter().flat_map(|shard| shard.structures),
            record.top as usize,
        );
        let sampling = stratified(
            plan.seed,
            record.shapley_se_percent,
            record.shapley_budget_coalitions,
            Some(reference.shapley_blocks),
        );
        let players = lazy.players();
        let pilot = pilot(players, sampling, &mut |coalitions: &[Coalition]| {
            lazy.mean_game(coalitions)
        });
        let shapley = merge_blocks(sampling, pilot, &shapley_blocks).map_err(InvalidArgument)?;
        let (ranked, sharing) =
            rank_and_share(&mut lazy, structures, ShapleySource::Sampled(shapley))?;
        Ok::<_, anyhow::Error>((ranked, sharing, lazy.evaluated()))
    })?;
    let run = SearchRun::Heuristic {
        restarts: record.restarts,
        coalitions: evaluated,
        shapley_relative_se: record.shapley_se_percent / 100.0,
        shapley_blocks: Some(reference.shapley_blocks),
    };
    let table = conclude(
        scenario,
        &game,
        plan,
        &workers,
        Some(folder),
        Searched {
            ranked,
            sharing,
            run,
        },
    )?;
    args.extras.write(Some(&args.out), &workers)?;
    print_results(&format!("{}\n\n{table}", scenario.name))
}

/// Reads a pool shard folder's manifest and checks that its restarts are
/// the block the split gives its shard.
fn read_pool_shard(dir: &Path) -> Result<PoolShardDir> {
    let Some(manifest) = Manifest::read(dir)? else {
        return Err(InvalidArgument(format!(
            "{} has no {}: it is not a finished shard (expected a folder written by \
             `sscsim pool --shard`; the shard may have failed or still be running)",
            dir.display(),
            ResultFile::Manifest
        ))
        .into());
    };
    let path = Manifest::path_in(dir);
    let not_a_pool_shard = || {
        InvalidArgument(format!(
            "{} is not the manifest of a shard of a coalition search (it has no `shard`, \
             `[pool]`, `scenario_path` and `scenario_sha256`); expected a folder written by \
             `sscsim pool --search heuristic --shard`, and not mixed with shards of `run`",
            path.display()
        ))
    };
    let (Some(shard), Some(record), Some(_), Some(_)) = (
        manifest.shard.as_deref(),
        manifest.pool.clone(),
        manifest.scenario_path.as_ref(),
        manifest.scenario_sha256.as_ref(),
    ) else {
        return Err(not_a_pool_shard().into());
    };
    let shard = Shard::parse(shard).map_err(|_| not_a_pool_shard())?;
    let shapley_blocks = match record.shapley_blocks {
        Some(blocks) if record.format == POOL_SHARD_FORMAT => blocks,
        _ => {
            return Err(InvalidArgument(format!(
                "{}: {}",
                path.display(),
                format_refusal(record.format)
            ))
            .into());
        }
    };
    let expected = shard.range(record.restarts);
    if expected.is_empty()
        || record.first_restart != expected.start
        || record.last_restart != expected.end - 1
    {
        return Err(InvalidArgument(format!(
            "{} says shard {shard} of {} restarts ran restarts {} to {}; expected {}",
            path.display(),
            record.restarts,
            record.first_restart,
            record.last_restart,
            if expected.is_empty() {
                "at least one restart per shard".to_owned()
            } else {
                format!("{} to {}", expected.start, expected.end - 1)
            }
        ))
        .into());
    }
    Ok(PoolShardDir {
        dir: dir.to_owned(),
        manifest,
        shard,
        record,
        shapley_blocks,
    })
}

/// Checks that every shard is of the search of the first, and of this
/// version.
fn check_same_search(shards: &[PoolShardDir]) -> Result<()> {
    let first = &shards[0];
    check_version(
        &first.dir,
        &first.manifest,
        "the merge evaluates coalitions again with this version",
    )?;
    for other in &shards[1..] {
        let (p, q) = (&first.record, &other.record);
        let pool_keys = [
            ("search", p.search.clone(), q.search.clone()),
            ("restarts", p.restarts.to_string(), q.restarts.to_string()),
            ("top", p.top.to_string(), q.top.to_string()),
            (
                "Shapley target (--shapley-se)",
                p.shapley_se_percent.to_string(),
                q.shapley_se_percent.to_string(),
            ),
            (
                "Shapley budget (--shapley-budget)",
                p.shapley_budget_coalitions.to_string(),
                q.shapley_budget_coalitions.to_string(),
            ),
            (
                "Shapley blocks (--shapley-blocks)",
                first.shapley_blocks.to_string(),
                other.shapley_blocks.to_string(),
            ),
            (
                "locations",
                format!("{:?}", p.locations),
                format!("{:?}", q.locations),
            ),
            (
                "pool_shard.toml format",
                p.format.to_string(),
                q.format.to_string(),
            ),
        ];
        let differences = shared_keys(
            &first.manifest,
            &other.manifest,
            first.shard.count,
            other.shard.count,
        )
        .into_iter()
        .chain(pool_keys);
        refuse_difference("search", &first.dir, &other.dir, differences)?;
    }
    Ok(())
}

/// Checks that `shards`, in order of their index, are every shard from 1
/// to N exactly once.
fn check_every_shard_once(shards: &[PoolShardDir]) -> Result<()> {
    for pair in shards.windows(2) {
        if pair[0].shard == pair[1].shard {
            return Err(InvalidArgument(format!(
                "shard {} is given twice, in {} and {}; expected every shard once",
                pair[0].shard,
                pair[0].dir.display(),
                pair[1].dir.display()
            ))
            .into());
        }
    }
    let count = shards[0].shard.count;
    let missing: Vec<String> = (1..=count)
        .filter(|&index| shards.iter().all(|s| s.shard.index != index))
        .map(|index| Shard { index, count }.to_string())
        .collect();
    if !missing.is_empty() {
        return Err(InvalidArgument(format!(
            "shard{} {} {} missing; expected every shard from 1/{count} to {count}/{count} once",
            if missing.len() == 1 { "" } else { "s" },
            missing.join(", "),
            if missing.len() == 1 { "is" } else { "are" },
        ))
        .into());
    }
    Ok(())
}

/// Checks that every shard's `pool_shard.toml` (in `found`, in the order of
/// `shards`, which is shard order) holds the Shapley blocks the split of
/// `--shapley-blocks` gives its shard, each once, and takes them out in
/// block order: every block from 1 to B, exactly once.
fn every_block_once(
    shards: &[PoolShardDir],
    found: &mut [crate::results::pool_shard::PoolShardFound],
) -> Result<Vec<StratumSums>> {
    let mut blocks = Vec::new();
    for (shard, found) in shards.iter().zip(found.iter_mut()) {
        let own = shapley_blocks_of(shard.shard, shard.shapley_blocks);
        let (first, last) = (own.start, own.end - 1);
        let path = shard.dir.join(ResultFile::PoolShard.name());
        let expected = match own.end - own.start {
            0 => "none".to_owned(),
            1 => format!("block {first}"),
            _ => format!("blocks {first} to {last}"),
        };
        let refuse = |what: String| -> anyhow::Error {
            InvalidArgument(format!(
                "{} {what}; shard {} of {} Shapley blocks draws {expected}, each once",
                path.display(),
                shard.shard,
                shard.shapley_blocks
            ))
            .into()
        };
        let mut own_blocks = std::mem::take(&mut found.shapley_blocks);
        own_blocks.sort_by_key(|(index, _)| *index);
        for pair in own_blocks.windows(2) {
            if pair[0].0 == pair[1].0 {
                return Err(refuse(format!("has Shapley block {} twice", pair[0].0)));
            }
        }
        if let Some((index, _)) = own_blocks
            .iter()
            .find(|(index, _)| !(first..=last).contains(index))
        {
            return Err(refuse(format!("has Shapley block {index}, not its own")));
        }
        if let Some(index) = (first..=last).find(|b| own_blocks.iter().all(|(i, _)| i != b)) {
            return Err(refuse(format!("lacks Shapley block {index}")));
        }
        blocks.extend(own_blocks.into_iter().map(|(_, sums)| sums));
    }
    Ok(blocks)
}
