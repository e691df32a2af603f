//! `sscsim merge`: the folders of a run's shards into the result folder one
//! process would have written.
//!
//! The shards must be of one run: the same sscsim version (this one), the
//! same scenario (by SHA-256), seed, replications and number of shards, and
//! together they must hold every replication exactly once. The merge then
//! replays their replications in global order through the collectors a
//! single run uses and recomputes the sensitivity swings from the scenario
//! and seed, so every data file is byte for byte the single run's. Only the
//! manifest differs: `command = "merge"`, `merged_shards`, the threads and
//! the times.
//!
//! Shards of a heuristic coalition search (`pool --shard`) are merged by
//! [`super::pool_merge`].
//!
//! A shard stopped by Ctrl-C or SIGTERM holds the replications it finished
//! from its first (`partial = true`). Merging it would leave a gap, so it is
//! refused unless `--allow-partial` is given; the merged folder then holds
//! every shard's replications, gaps and all, and its manifest says
//! `partial = true` and which shards were partial.

use std::fs::File;
use std::ops::Range;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use super::run::{ReplicationFiles, results_text, write_results};
use super::session::{RunFolder, Workers, check_apart};
use super::shard_folder::{
    check_version, load_scenario, merge_options, refuse_difference, shared_keys,
};
use super::{InvalidArgument, MergeArgs};
use super::{check_memory, print_results};
use crate::memory::run_estimate;
use crate::metrics::Metric;
use crate::model::Scenario;
use crate::results::replay::{ReplayError, ReplayReader, sha256_hex_of};
use crate::results::{Manifest, ResultFile};
use crate::run::{ReplicationMetrics, RunPlan, check_finite};
use crate::shard::{Shard, order_parts};
use crate::simulate::Collected;

/// One shard's folder and what its manifest says.
struct ShardFolder {
    dir: PathBuf,
    manifest: Manifest,
    shard: Shard,
    /// The replications it holds (global indices).
    first: u64,
    end: u64,
    /// The end of the block the split gives it: `end`, unless a stop cut
    /// the shard short (its manifest says `partial = true`).
    block_end: u64,
}

pub(crate) fn merge(args: MergeArgs) -> Result<()> {
    // Before anything is read: --force would clear a shard before its replay.
    check_apart(&args.out, &args.shards)?;
    if let Some(first) = args.shards.first()
        && Manifest::read(first)?.is_some_and(|m| m.pool.is_some())
    {
        return super::pool_merge::merge_pool(args);
    }
    let mut folders = args
        .shards
        .iter()
        .map(|dir| read_shard(dir))
        .collect::<Result<Vec<_>>>()?;
    check_same_run(&folders)?;
    let partial_shards = check_partial(&folders, args.allow_partial)?;
    // In replication order; then every shard's block must be there once.
    folders.sort_by_key(|f| (f.first, f.end));
    let reference = &folders[0];
    let (planned, count) = (reference.manifest.replications, reference.shard.count);
    let parts: Vec<(String, Range<u64>)> = folders
        .iter()
        .map(|f| (f.dir.display().to_string(), f.first..f.block_end))
        .collect();
    order_parts(&parts, planned, count).map_err(|e| InvalidArgument(e.to_string()))?;
    let replications: u64 = folders.iter().map(|f| f.end - f.first).sum();
    let loaded = load_scenario(&reference.dir, &reference.manifest)?;
    for shard in &folders {
        check_checksum(shard)?;
    }
    let plan = RunPlan {
        replications,
        seed: reference.manifest.seed,
    };
    let options = merge_options(&args);
    let workers = Workers::start(&options, replications)?;
    let workload = workers.workload(replications, false);
    check_memory(
        &run_estimate(&loaded.scenario, workload),
        args.common.memory_limit,
    )?;
    workers.announce(
        &format!("{}, {} shards merged", loaded.source_name, folders.len()),
        plan,
    );
    let mut folder = RunFolder::create(
        &args.out,
        args.common,
        &loaded,
        plan,
        workers.threads,
        "merge",
        loaded.scenario.comparison,
    )?;
    folder.set_merged_shards(count);
    let note = partial_merge_note(&partial_shards, replications);
    folder.set_partial_shards(partial_shards);
    folder.set_parquet(args.parquet || folders.iter().all(wrote_parquet));
    let mut files = ReplicationFiles::start(&folder, &loaded.scenario)?;
    let mut collected = Collected::new(&loaded.scenario);
    for shard in &folders {
        replay(shard, &loaded.scenario, |metrics| {
            files.write(metrics)?;
            collected.observe(metrics);
            workers.progress.inc(1);
            Ok(())
        })?;
    }
    collected.replications = replications;
    // With a partial shard the replications have gaps: marked partial,
    // the results get no sensitivity swings, as a stopped run's do — they
    // would run replications (0 to n − 1) other than those held.
    collected.partial = !note.is_empty();
    let pending = write_results(
        folder,
        &loaded.scenario,
        plan,
        &collected,
        None,
        files,
        &workers,
    )?;
    workers.report(&pending.commit()?);
    workers.progress.finish_and_clear();
    args.extras.write(Some(&args.out), &workers)?;
    print_results(&(note + &results_text(&loaded.scenario, &collected, plan.seed)))
}

/// Whether a shard wrote its replications as Parquet too (`--parquet`):
/// then so does the merge.
fn wrote_parquet(shard: &ShardFolder) -> bool {
    shard
        .dir
        .join(ResultFile::ReplicationsParquet.name())
        .is_file()
}

/// The line above the tables of a merge that let `partial_shards` through
/// (`--allow-partial`), holding `replications` in all; empty when every
/// shard was whole.
fn partial_merge_note(partial_shards: &[String], replications: u64) -> String {
    if partial_shards.is_empty() {
        return String::new();
    }
    format!(
        "PARTIAL: shard{} {} {} stopped; these results are of the {replications} replications \
         the shards hold, with a gap after each stopped shard's last, and have no \
         sensitivity swings.\n\n",
        if partial_shards.len() == 1 { "" } else { "s" },
        partial_shards.join(", "),
        if partial_shards.len() == 1 {
            "was"
        } else {
            "were"
        },
    )
}

/// Reads a shard folder's manifest.
fn read_shard(dir: &Path) -> Result<ShardFolder> {
    let Some(manifest) = Manifest::read(dir)? else {
        return Err(InvalidArgument(format!(
            "{} has no {}: it is not a finished shard (expected a folder \
             written by `sscsim run --shard`; the shard may have failed or still be running)",
            dir.display(),
            ResultFile::Manifest
        ))
        .into());
    };
    let path = Manifest::path_in(dir);
    let not_a_shard = || {
        InvalidArgument(format!(
            "{} is not a shard's manifest (it has no `shard`, `first_replication`, \
             `last_replication`, `replay_sha256`, `scenario_path` and `scenario_sha256`); \
             expected a folder written by `sscsim run --shard`",
            path.display()
        ))
    };
    let (Some(shard), Some(first), Some(last), Some(_), Some(_), Some(_)) = (
        manifest.shard.as_deref(),
        manifest.first_replication,
        manifest.last_replication,
        manifest.replay_sha256.as_ref(),
        manifest.scenario_path.as_ref(),
        manifest.scenario_sha256.as_ref(),
    ) else {
        return Err(not_a_shard().into());
    };
    let shard = Shard::parse(shard).map_err(|_| not_a_shard())?;
    // The manifest's block must be the one the split gives the shard, or
    // its start, for a shard cut short.
    let expected = shard.range(manifest.replications);
    let end = last.checked_add(1);
    let cut_short = manifest.is_partial() && end.is_some_and(|e| e > first && e < expected.end);
    if first != expected.start || (end != Some(expected.end) && !cut_short) {
        return Err(InvalidArgument(format!(
            "{} says shard {shard} of {} replications holds replications {first} to {last}; \
             expected {} to {}",
            path.display(),
            manifest.replications,
            expected.start,
            expected.end - 1
        ))
        .into());
    }
    Ok(ShardFolder {
        dir: dir.to_owned(),
        manifest,
        shard,
        first,
        end: last + 1,
        block_end: expected.end,
    })
}

/// The partial shards among `folders` (`I/N`), in the order given, which
/// only `--allow-partial` lets through: a merge of them holds fewer
/// replications than the run planned, with gaps.
///
/// # Errors
/// [`InvalidArgument`] naming the first partial shard, without the flag.
fn check_partial(folders: &[ShardFolder], allow_partial: bool) -> Result<Vec<String>> {
    let partial: Vec<&ShardFolder> = folders.iter().filter(|f| f.end < f.block_end).collect();
    match partial.first() {
        Some(f) if !allow_partial => Err(InvalidArgument(format!(
            "{} is a partial shard: it was stopped after replications {} to {} of its {} to {}; \
             expected whole shards (run it again), or --allow-partial to merge what the shards \
             hold (the merged folder is then marked partial)",
            f.dir.display(),
            f.first,
            f.end - 1,
            f.first,
            f.block_end - 1
        ))
        .into()),
        _ => Ok(partial.iter().map(|f| f.shard.to_string()).collect()),
    }
}

/// Checks that every shard is of the run of the first, and of this version.
fn check_same_run(folders: &[ShardFolder]) -> Result<()> {
    let first = &folders[0];
    check_version(
        &first.dir,
        &first.manifest,
        "merging replays the replications through this version's summaries",
    )?;
    for other in &folders[1..] {
        let differences = shared_keys(
            &first.manifest,
            &other.manifest,
            first.shard.count,
            other.shard.count,
        );
        refuse_difference("run", &first.dir, &other.dir, differences)?;
    }
    Ok(())
}

/// Hands every replication of a shard's replay file to `each`, in order,
/// once [`check_checksum`] has passed, checking each record's length
/// against the bytes left, each replication's index against the shard's
/// block, and every value read back against what a run can write
/// ([`check_replayed`]): a shard folder is input like any other.
fn replay(
    shard: &ShardFolder,
    scenario: &Scenario,
    mut each: impl FnMut(&ReplicationMetrics) -> Result<()>,
) -> Result<()> {
    let path = shard.dir.join(ResultFile::Replay.name());
    let context = || format!("cannot replay {}", path.display());
    let expected = shard.manifest.replay_sha256.as_deref().unwrap_or_default();
    let file = File::open(&path).with_context(context)?;
    let length = file.metadata().with_context(context)?.len();
    let invalid = |message: String| InvalidArgument(format!("{}: {message}", path.display()));
    let mut reader = ReplayReader::new(file, length).map_err(|e| invalid(e.to_string()))?;
    let mut shape = None;
    let mut next = shard.first;
    for metrics in reader.by_ref() {
        let metrics = metrics.map_err(|e| match e {
            ReplayError::Io(io) => anyhow::Error::new(io).context(context()),
            other => invalid(other.to_string()).into(),
        })?;
        if metrics.replication != next || next >= shard.end {
            return Err(invalid(format!(
                "holds replication {} where replication {next} was expected \
                 (the shard holds {} to {})",
                metrics.replication,
                shard.first,
                shard.end - 1
            ))
            .into());
        }
        let shape = shape.get_or_insert_with(|| Shape::of(&metrics));
        check_replayed(scenario, shape, &metrics).map_err(|what| {
            invalid(format!(
                "replication {next}: {what}; the file is not one sscsim wrote"
            ))
        })?;
        each(&metrics)?;
        next += 1;
    }
    if next != shard.end {
        let held = if next == shard.first {
            "no replication".to_owned()
        } else {
            format!("replications {} to {} only", shard.first, next - 1)
        };
        return Err(invalid(format!(
            "holds {held}; the shard's manifest says {} to {}",
            shard.first,
            shard.end - 1
        ))
        .into());
    }
    // The file may have changed since [`check_checksum`] hashed it.
    if reader.sha256_hex() != expected {
        return Err(changed_after_writing(&path, &reader.sha256_hex(), expected).into());
    }
    Ok(())
}

/// Checks a shard's replay file against its manifest's SHA-256, reading it
/// in blocks: before anything of it is decoded or the merge writes anything.
fn check_checksum(shard: &ShardFolder) -> Result<()> {
    let path = shard.dir.join(ResultFile::Replay.name());
    let context = || format!("cannot read {}", path.display());
    let sha256 = sha256_hex_of(File::open(&path).with_context(context)?).with_context(context)?;
    let expected = shard.manifest.replay_sha256.as_deref().unwrap_or_default();
    if sha256 != expected {
        return Err(changed_after_writing(&path, &sha256, expected).into());
    }
    Ok(())
}

fn changed_after_writing(path: &Path, sha256: &str, expected: &str) -> InvalidArgument {
    InvalidArgument(format!(
        "{} has SHA-256 {sha256}, but its manifest says {expected}: the file was changed \
         after the shard wrote it",
        path.display(),
    ))
}

/// The number of years and centres a replication has per strategy: the
/// same in every replication of a run.
#[derive(PartialEq)]
struct Shape {
    years: Vec<usize>,
    centres: Vec<usize>,
}

impl Shape {
    fn of(metrics: &ReplicationMetrics) -> Shape {
        Shape {
            years: metrics.years.iter().map(Vec::len).collect(),
            centres: metrics.centres.iter().map(Vec::len).collect(),
        }
    }
}

/// Checks a replication read back from a replay file against what a run
/// of `scenario` writes: one row per strategy, the horizon's years, the
/// centres of the file's first replication, every uncertain input, a
/// decomposition exactly when the scenario compares, and every value
/// finite (but where a metric may be missing), indicators 0 or 1, counts,
/// FTE and transactions not negative, service levels shares.
fn check_replayed(
    scenario: &Scenario,
    shape: &Shape,
    metrics: &ReplicationMetrics,
) -> Result<(), String> {
    let count = |what: &str, found: usize, expected: usize| {
        if found == expected {
            Ok(())
        } else {
            Err(format!("it has {found} {what}; expected {expected}"))
        }
    };
    let strategies = scenario.strategies.len();
    count("strategies", metrics.strategies.len(), strategies)?;
    count("strategies' years", metrics.years.len(), strategies)?;
    count("strategies' centres", metrics.centres.len(), strategies)?;
    count("strategies' service lines", metrics.lines.len(), strategies)?;
    for lines in &metrics.lines {
        count("service lines", lines.len(), scenario.service_lines.len())?;
    }
    count("strategies' agencies", metrics.agencies.len(), strategies)?;
    for agencies in &metrics.agencies {
        count("agencies", agencies.len(), scenario.agencies.len())?;
    }
    count(
        "uncertain inputs",
        metrics.inputs.len(),
        scenario.inputs.len(),
    )?;
    let horizon = scenario.settings.horizon_years as usize;
    for years in &metrics.years {
        count("years", years.len(), horizon)?;
    }
    if Shape::of(metrics) != *shape {
        return Err("its centres differ in number from the first replication's".to_owned());
    }
    if metrics.decomposition.is_some() != scenario.comparison.is_some() {
        return Err(if scenario.comparison.is_some() {
            "it has no decomposition; expected one, as the scenario compares strategies"
        } else {
            "it has a decomposition; expected none, as the scenario compares no strategies"
        }
        .to_owned());
    }
    for (strategy, row) in scenario.strategies.iter().zip(&metrics.strategies) {
        for metric in Metric::ALL {
            // Only a metric that may be missing is read back as missing.
            let Some(value) = row[metric] else { continue };
            if let Some(expected) = metric.quantity().out_of_range(value) {
                return Err(format!(
                    "{} of strategy `{}` is {value}; expected {expected}",
                    metric.name(),
                    strategy.id
                ));
            }
        }
    }
    if let Some(value) = metrics.inputs.iter().find(|v| !v.is_finite()) {
        return Err(format!(
            "an uncertain input is {value}; expected a finite number"
        ));
    }
    check_finite(scenario, metrics).map_err(|e| e.to_string())
}
