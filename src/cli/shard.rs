//! `sscsim run --shard I/N`: one block of a run's replications, into a
//! folder that `sscsim merge` reads: the replay file `replications.bin`, a
//! copy of the scenario (`shard-scenario.toml`), and the manifest, which says
//! which shard it is and which replications it holds; with `--parquet`, its
//! replications as `replications.parquet` too, under their global indices.

use std::io::Write;

use anyhow::Result;

use super::session::{RunFolder, ShardRecord, Workers, parquet_error, undefined_result};
use super::{InvalidArgument, LoadedScenario, SimulateArgs, check_memory, print_results};
use crate::memory::run_estimate;
use crate::output::parquet::ReplicationsParquet;
use crate::results::ResultFile;
use crate::results::replay::ReplayWriter;
use crate::run::{Interrupted, RunPlan, run_range};
use crate::shard::Shard;

/// Runs shard `shard` of `plan` and writes its folder, with its
/// replications as Parquet too when `parquet` (`--parquet`).
pub(crate) fn run_shard(
    loaded: &LoadedScenario,
    plan: RunPlan,
    shard: Shard,
    args: &SimulateArgs,
    parquet: bool,
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
    // Rows under their global replication index: the shards' files
    // together are the single run's replications.parquet.
    let mut table = parquet
        .then(|| {
            ReplicationsParquet::new(folder.temporary()?, &loaded.scenario).map_err(parquet_error)
        })
        .transpose()?;
    let ran = workers.install(|control| {
        run_range(
            &loaded.scenario,
            plan.seed,
            replications.clone(),
            control,
            |metrics| -> Result<()> {
                replay.write(&metrics)?;
                if let Some(table) = table.as_mut() {
                    table.write(&metrics).map_err(parquet_error)?;
                }
                Ok(())
            },
        )
    });
    // A stop keeps the replications finished from the shard's first.
    let partial = match ran {
        Ok(()) => false,
        Err(e) if e.is::<Interrupted>() => true,
        Err(e) => return Err(undefined_result(e)),
    };
    if partial {
        super::keep_finished();
    }
    workers.progress.finish_and_clear();
    let (replay, written, replay_sha256) = replay.finish()?;
    if written == 0 {
        return Err(Interrupted.into());
    }
    let held = replications.start..replications.start + written;
    let mut scenario_copy = folder.temporary()?;
    scenario_copy.write_all(loaded.text.as_bytes())?;
    folder.set_shard(ShardRecord {
        shard,
        replications: held.clone(),
        replay_sha256,
    });
    if partial {
        folder.set_partial();
    }
    let mut files = vec![
        (replay, ResultFile::Replay.name()),
        (scenario_copy, ResultFile::ScenarioCopy.name()),
    ];
    if let Some(table) = table {
        let file = table.finish().map_err(parquet_error)?;
        files.push((file, ResultFile::ReplicationsParquet.name()));
    }
    let message = folder.commit(files)?;
    workers.report(&message);
    let stopped = if partial {
        format!(
            "PARTIAL: the shard was stopped; it holds replications {} to {} of its {} to {}, \
             which `sscsim merge` takes only with --allow-partial.\n",
            held.start,
            held.end - 1,
            replications.start,
            replications.end - 1
        )
    } else {
        String::new()
    };
    print_results(&format!(
        "{stopped}{}: shard {shard}, replications {} to {} of {} (seed {}), in {}.\n\
         Merge the {} shards' folders with `sscsim merge SHARD_DIR... --out DIR`.\n",
        loaded.scenario.name,
        held.start,
        held.end - 1,
        plan.replications,
        plan.seed,
        out.display(),
        shard.count
    ))?;
    if partial {
        return Err(Interrupted.into());
    }
    Ok(())
}
