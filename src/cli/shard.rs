//! `sscsim run --shard I/N`: one block of a run's replications, into a
//! folder that `sscsim merge` reads: the replay file `replications.bin`, a
//! copy of the scenario (`shard-scenario.toml`), and the manifest, which says
//! which shard it is and which replications it holds.

use std::io::Write;

use anyhow::Result;

use super::session::{RunFolder, ShardRecord, Workers, undefined_result};
use super::{InvalidArgument, LoadedScenario, SimulateArgs, check_memory, print_results};
use crate::memory::run_estimate;
use crate::results::ResultFile;
use crate::results::replay::ReplayWriter;
use crate::run::{RunPlan, run_range};
use crate::shard::Shard;

/// Runs shard `shard` of `plan` and writes its folder.
pub(crate) fn run_shard(
    loaded: &LoadedScenario,
    plan: RunPlan,
    shard: Shard,
    args: &SimulateArgs,
) -> Result<()> {
    shard
        .check_replications(plan.replications)
        .map_err(|e| InvalidArgument(e.to_string()))?;
    let out = args
        .out
        .as_deref()
        .expect("clap requires --out with --shard and --shards");
    let replications = shard.range(plan.replications);
    let workers = Workers::start(&args.options, replications.end - replications.start)?;
    let workload = workers.workload(replications.end - replications.start, true);
    check_memory(
        &run_estimate(&loaded.scenario, workload),
        args.options.common.memory_limit,
    )?;
    workers.announce(
        &format!("{}, shard {shard}", loaded.source_name),
        RunPlan {
            replications: replications.end - replications.start,
            ..plan
        },
    );
    let mut folder = RunFolder::for_run(out, args.options.common, loaded, plan, &workers)?;
    let mut replay = ReplayWriter::new(folder.temporary()?)?;
    workers
        .install(|control| {
            run_range(
                &loaded.scenario,
                plan.seed,
                replications.clone(),
                control,
                |metrics| -> Result<()> { Ok(replay.write(&metrics)?) },
            )
        })
        .map_err(undefined_result)?;
    workers.progress.finish_and_clear();
    let (replay, written, replay_sha256) = replay.finish()?;
    debug_assert_eq!(written, replications.end - replications.start);
    let mut scenario_copy = folder.temporary()?;
    scenario_copy.write_all(loaded.text.as_bytes())?;
    folder.set_shard(ShardRecord {
        shard,
        replications: replications.clone(),
        replay_sha256,
    });
    let message = folder.commit(vec![
        (replay, ResultFile::Replay.name()),
        (scenario_copy, ResultFile::ScenarioCopy.name()),
    ])?;
    workers.report(&message);
    print_results(&format!(
        "{}: shard {shard}, replications {} to {} of {} (seed {}), in {}.\n\
         Merge the {} shards' folders with `sscsim merge SHARD_DIR... --out DIR`.\n",
        loaded.scenario.name,
        replications.start,
        replications.end - 1,
        plan.replications,
        plan.seed,
        out.display(),
        shard.count
    ))
}
