//! What every simulating command shares: the checked configuration, the
//! thread pool, the progress bar the library reports to, and result
//! folders that get a manifest.

use std::io::{IsTerminal, Write};
use std::ops::Range;
use std::path::{Component, Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, Result};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressState, ProgressStyle};
use tempfile::NamedTempFile;

use super::{
    CommonOptions, ExtraOutputs, InvalidArgument, LoadedScenario, STALL_VARIABLE, SimulationOptions,
};
use crate::memory::Workload;
use crate::metrics::MetricError;
use crate::model::Comparison;
use crate::output::xlsx;
use crate::report;
use crate::results::manifest::sha256_hex;
use crate::results::{
    CsvDialect, Manifest, PoolShardRecord, PrecisionRecord, ResultFile, ResultFolder, VaryRecord,
};
use crate::run::{Cancel, Progress, RunControl, RunPlan, Work};
use crate::shard::Shard;
use crate::text::{counted, visible};

/// The replications and seed of a scenario: the options, else its settings.
pub(crate) fn plan_for(loaded: &LoadedScenario, options: &SimulationOptions) -> RunPlan {
    let settings = &loaded.scenario.settings;
    RunPlan {
        replications: options.replications.unwrap_or(settings.replications),
        seed: options.seed.unwrap_or(settings.seed),
    }
}

/// The thread pool and progress bar of one command.
pub(crate) struct Workers {
    /// Runs the replications.
    pub(crate) pool: rayon::ThreadPool,
    /// Shows progress over all the command's replications.
    pub(crate) progress: ProgressBar,
    /// Worker threads.
    pub(crate) threads: usize,
    /// No progress bar or status messages.
    pub(crate) quiet: bool,
    /// What the library reports its progress to: `progress`.
    observer: BarProgress,
    /// Cancelled by Ctrl-C or SIGTERM.
    cancel: Cancel,
}

impl Workers {
    /// A pool of the requested threads (one per core by default) and a
    /// progress bar for `replications`, shown on a terminal unless quiet.
    pub(crate) fn start(options: &SimulationOptions, replications: u64) -> Result<Workers> {
        let threads = match options.threads {
            Some(t) => t as usize,
            None => std::thread::available_parallelism().map_or(1, |n| n.get()),
        };
        let progress = progress_bar(replications, options.common.quiet);
        Ok(Workers {
            pool: rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()?,
            observer: BarProgress {
                bar: progress.clone(),
                stall: stall_for_tests(),
            },
            progress,
            threads,
            quiet: options.common.quiet,
            cancel: super::interrupt().clone(),
        })
    }

    /// Runs `op` on the pool, with the control that reports to the
    /// progress bar and is cancelled by Ctrl-C or SIGTERM.
    pub(crate) fn install<T: Send>(&self, op: impl FnOnce(&RunControl) -> T + Send) -> T {
        let control = RunControl::new(&self.observer, self.cancel.clone());
        self.pool.install(|| op(&control))
    }

    /// What these workers hold while they run `replications`, drawing
    /// daily arrivals or not, for a memory estimate.
    pub(crate) fn workload(&self, replications: u64, draws_arrivals: bool) -> Workload {
        Workload {
            threads: self.threads,
            replications,
            draws_arrivals,
        }
    }

    /// Says what is about to run, unless quiet.
    pub(crate) fn announce(&self, what: &str, plan: RunPlan) {
        let replications = counted(plan.replications, "replication", "replications");
        self.announce_replications(what, &replications, plan);
    }

    /// Says what is about to run, unless quiet, with `replications` saying
    /// how many replications (a precision target decides as it goes).
    pub(crate) fn announce_replications(&self, what: &str, replications: &str, plan: RunPlan) {
        if !self.quiet {
            self.progress.suspend(|| {
                eprintln!(
                    "sscsim {}: {} — {replications}, seed {}, {}",
                    env!("CARGO_PKG_VERSION"),
                    visible(what),
                    plan.seed,
                    counted(self.threads as u64, "thread", "threads"),
                );
            });
        }
    }

    /// Whether Ctrl-C or SIGTERM asked the command to stop.
    pub(crate) fn stopped(&self) -> bool {
        self.cancel.is_cancelled()
    }

    /// Says where results went, unless quiet.
    pub(crate) fn report(&self, message: &str) {
        if !self.quiet {
            self.progress.suspend(|| eprintln!("{}", visible(message)));
        }
    }
}

/// The output folder at `path`, created if needed. A folder that already
/// has files is refused, so no earlier result is silently replaced or left
/// beside new ones, unless `force` is set: then the earlier results are
/// removed now, manifest first, and nothing there looks complete until the
/// run finishes.
///
/// # Errors
/// [`InvalidArgument`] for a folder with files and no `force`; an I/O error
/// when the folder cannot be created or cleared.
pub(crate) fn output_folder(path: &Path, force: bool) -> Result<ResultFolder> {
    check_not_a_file(path, "--out")?;
    let entries = match std::fs::read_dir(path) {
        Ok(entries) => entries
            .map(|e| e.map(|e| e.file_name().to_string_lossy().into_owned()))
            .collect::<std::io::Result<Vec<_>>>()
            .with_context(|| format!("cannot read the output folder {}", path.display()))?,
        Err(_) => Vec::new(),
    };
    if !entries.is_empty() && !force {
        let mut shown = entries;
        shown.sort();
        let more = shown.len().saturating_sub(3);
        shown.truncate(3);
        let more = if more > 0 {
            format!(" and {more} more")
        } else {
            String::new()
        };
        return Err(InvalidArgument(format!(
            "the output folder {} is not empty (it has {}{more}); expected a new or empty folder, \
             or --force to replace the results in it",
            path.display(),
            shown.join(", ")
        ))
        .into());
    }
    let folder = ResultFolder::create(path)
        .with_context(|| format!("cannot create the output folder {}", path.display()))?;
    if force {
        folder
            .remove_previous_results()
            .with_context(|| format!("cannot remove the earlier results in {}", path.display()))?;
    }
    Ok(folder)
}

/// Refuses a folder to write into, `path`, that is a file; `what` names
/// it in the message (`--out`).
///
/// # Errors
/// [`InvalidArgument`] naming the path.
pub(crate) fn check_not_a_file(path: &Path, what: &str) -> Result<()> {
    if path.exists() && !path.is_dir() {
        return Err(InvalidArgument(format!(
            "{what} {} is a file; expected a folder",
            path.display()
        ))
        .into());
    }
    Ok(())
}

/// Refuses an output folder `out` that is one of `inputs` or holds one:
/// `--force` would clear an input before it is read, or results would mix
/// with what they were computed from. A folder inside an input is allowed
/// (`batch scenarios -o scenarios/results`): the commands read only an
/// input's own files, which are never in it. Paths are compared resolved
/// (symbolic links, `.`, `..`), an `out` that does not exist yet by its
/// nearest existing parent; an input that does not exist is left to the
/// command to report.
///
/// # Errors
/// [`InvalidArgument`] naming `out` and the input.
pub(crate) fn check_apart(out: &Path, inputs: &[PathBuf]) -> Result<()> {
    let resolved_out = resolved(out)?;
    for input in inputs {
        let Ok(resolved_input) = input.canonicalize() else {
            continue;
        };
        let relation = if resolved_out == resolved_input {
            "is"
        } else if resolved_input.starts_with(&resolved_out) {
            "holds"
        } else {
            continue;
        };
        return Err(InvalidArgument(format!(
            "--out {} {relation} the input {}; expected an output folder apart from the inputs",
            out.display(),
            input.display()
        ))
        .into());
    }
    Ok(())
}

/// `path` made absolute with its links resolved, as far as it exists; the
/// rest, which does not exist yet, appended with `.` and `..` applied.
fn resolved(path: &Path) -> Result<PathBuf> {
    let absolute = std::path::absolute(path)
        .with_context(|| format!("cannot resolve the path {}", path.display()))?;
    let mut existing = absolute.as_path();
    let mut rest = Vec::new();
    let mut base = loop {
        if let Ok(base) = existing.canonicalize() {
            break base;
        }
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_owned());
                existing = parent;
            }
            // `..` or the root: resolve what remains lexically.
            _ => break PathBuf::from(existing),
        }
    };
    for component in rest.iter().rev() {
        base.push(component);
    }
    let mut normal = PathBuf::new();
    for component in base.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                normal.pop();
            }
            other => normal.push(other),
        }
    }
    Ok(normal)
}

/// A result folder for one scenario's run.
pub(crate) struct RunFolder<'a> {
    folder: ResultFolder,
    loaded: &'a LoadedScenario,
    plan: RunPlan,
    threads: usize,
    command: &'static str,
    comparison: Option<Comparison>,
    started_at: jiff::Timestamp,
    shard: Option<ShardRecord>,
    merged_shards: Option<u64>,
    partial: bool,
    partial_shards: Option<Vec<String>>,
    precision: Option<PrecisionRecord>,
    dialect: CsvDialect,
    parquet: bool,
    vary: Option<VaryRecord>,
    pool_shard: Option<(Shard, PoolShardRecord)>,
}

/// What a shard's manifest says of it.
#[derive(Clone, Debug)]
pub(crate) struct ShardRecord {
    /// Which shard.
    pub(crate) shard: Shard,
    /// The replications it ran (global indices).
    pub(crate) replications: Range<u64>,
    /// SHA-256 of its replay file, hex.
    pub(crate) replay_sha256: String,
}

impl<'a> RunFolder<'a> {
    /// Creates (if needed) the folder at `path` for `command`'s run of
    /// `loaded`, which compares `comparison`'s strategies if given, with
    /// `common`'s `--force` (see [`output_folder`] for a folder that already
    /// has files) and CSV dialect.
    pub(crate) fn create(
        path: &Path,
        common: CommonOptions,
        loaded: &'a LoadedScenario,
        plan: RunPlan,
        threads: usize,
        command: &'static str,
        comparison: Option<Comparison>,
    ) -> Result<Self> {
        let folder = output_folder(path, common.force)?;
        Ok(RunFolder {
            folder,
            loaded,
            plan,
            threads,
            command,
            comparison,
            started_at: jiff::Timestamp::now(),
            shard: None,
            merged_shards: None,
            partial: false,
            partial_shards: None,
            vary: None,
            precision: None,
            dialect: common.dialect(),
            parquet: false,
            pool_shard: None,
        })
    }

    /// The folder at `path` for a `run` of `loaded` on `workers`, which
    /// compares the scenario's own comparison (see [`RunFolder::create`]).
    pub(crate) fn for_run(
        path: &Path,
        common: CommonOptions,
        loaded: &'a LoadedScenario,
        plan: RunPlan,
        workers: &Workers,
    ) -> Result<Self> {
        let comparison = loaded.scenario.comparison;
        Self::create(
            path,
            common,
            loaded,
            plan,
            workers.threads,
            "run",
            comparison,
        )
    }

    /// Records, for the manifest, that the folder holds one shard.
    pub(crate) fn set_shard(&mut self, shard: ShardRecord) {
        self.shard = Some(shard);
    }

    /// Records, for the manifest, that the folder holds one shard of a
    /// heuristic coalition search.
    pub(crate) fn set_pool_shard(&mut self, shard: Shard, record: PoolShardRecord) {
        self.pool_shard = Some((shard, record));
    }

    /// Records, for the manifest, that the folder merges `shards` shards.
    pub(crate) fn set_merged_shards(&mut self, shards: u64) {
        self.merged_shards = Some(shards);
    }

    /// Records how many replications ran, when a precision target decided.
    pub(crate) fn set_replications(&mut self, replications: u64) {
        self.plan.replications = replications;
    }

    /// Records, for the manifest, how a sweep or a break-even search
    /// varied its number.
    pub(crate) fn set_vary(&mut self, vary: VaryRecord) {
        self.vary = Some(vary);
    }

    /// Records, for the manifest, that a stop cut the run short.
    pub(crate) fn set_partial(&mut self) {
        self.partial = true;
    }

    /// Records, for the manifest, the partial shards a merge let through
    /// (none: the key is left out).
    pub(crate) fn set_partial_shards(&mut self, shards: Vec<String>) {
        if !shards.is_empty() {
            self.partial = true;
            self.partial_shards = Some(shards);
        }
    }

    /// Records, for the manifest, the precision target and what it reached.
    pub(crate) fn set_precision(&mut self, precision: PrecisionRecord) {
        self.precision = Some(precision);
    }

    /// Asks for Parquet copies of the per-replication and per-year tables
    /// (`--parquet`).
    pub(crate) fn set_parquet(&mut self, parquet: bool) {
        self.parquet = parquet;
    }

    /// Whether the folder gets Parquet copies of its per-replication and
    /// per-year tables.
    pub(crate) fn parquet(&self) -> bool {
        self.parquet
    }

    /// The dialect of the folder's CSV files.
    pub(crate) fn dialect(&self) -> CsvDialect {
        self.dialect
    }

    /// A new temporary file in the folder.
    pub(crate) fn temporary(&self) -> Result<NamedTempFile> {
        Ok(self.folder.temporary()?)
    }

    /// Writes the manifest and renames the finished files into place,
    /// manifest last: a folder with a manifest is complete. Returns a line
    /// saying what was written where.
    pub(crate) fn commit(self, files: Vec<(NamedTempFile, &'static str)>) -> Result<String> {
        self.prepare(files)?.commit()
    }

    /// Writes the manifest beside the finished `files`, all still under
    /// temporary names, for [`Pending::commit`] to rename into place later:
    /// a batch completes its folders only once every scenario has run.
    pub(crate) fn prepare(self, mut files: Vec<(NamedTempFile, &'static str)>) -> Result<Pending> {
        let strategy_id = |s: usize| self.loaded.scenario.strategies[s].id.clone();
        let manifest = Manifest {
            sscsim_version: env!("CARGO_PKG_VERSION").to_owned(),
            scenario_name: self.loaded.scenario.name.clone(),
            scenario_path: Some(self.loaded.source_name.clone()),
            scenario_sha256: Some(sha256_hex(self.loaded.text.as_bytes())),
            seed: self.plan.seed,
            replications: self.plan.replications,
            threads: Some(self.threads),
            started_at: Some(self.started_at.to_string()),
            finished_at: Some(jiff::Timestamp::now().to_string()),
            command: Some(self.command.to_owned()),
            fragmented: self.comparison.map(|c| strategy_id(c.fragmented)),
            pooled: self.comparison.map(|c| strategy_id(c.pooled)),
            shard: (self.shard.as_ref().map(|s| s.shard))
                .or(self.pool_shard.as_ref().map(|s| s.0))
                .map(|s| s.to_string()),
            first_replication: self.shard.as_ref().map(|s| s.replications.start),
            last_replication: self.shard.as_ref().map(|s| s.replications.end - 1),
            replay_sha256: self.shard.as_ref().map(|s| s.replay_sha256.clone()),
            merged_shards: self.merged_shards,
            partial: self.partial.then_some(true),
            partial_shards: self.partial_shards,
            precision: self.precision,
            csv_dialect: self.dialect,
            overrides: self.loaded.overrides.clone(),
            vary: self.vary,
            pool: self.pool_shard.map(|s| s.1),
        };
        let mut manifest_file = self.folder.temporary()?;
        manifest_file.write_all(manifest.to_toml().as_bytes())?;
        files.push((manifest_file, ResultFile::Manifest.name()));
        Ok(Pending {
            folder: self.folder,
            files,
        })
    }
}

/// A result folder's finished files, manifest last, still under temporary
/// names: nothing of them looks complete until [`Pending::commit`].
pub(crate) struct Pending {
    folder: ResultFolder,
    files: Vec<(NamedTempFile, &'static str)>,
}

impl Pending {
    /// Renames the files into place, manifest last. Returns a line saying
    /// what was written where.
    pub(crate) fn commit(self) -> Result<String> {
        let names: Vec<&str> = self.files.iter().map(|f| f.1).collect();
        let message = format!(
            "wrote {} to {}",
            names.join(", "),
            self.folder.path().display()
        );
        self.folder.commit(self.files).with_context(|| {
            format!("cannot write results into {}", self.folder.path().display())
        })?;
        Ok(message)
    }
}

impl ExtraOutputs {
    /// Writes the workbook and the report asked for into the finished
    /// result folder `out`, from its files.
    pub(crate) fn write(&self, out: Option<&Path>, workers: &Workers) -> Result<()> {
        let Some(dir) = out else {
            return Ok(());
        };
        if self.xlsx {
            xlsx::write_workbook(dir)?;
            workers.report(&format!(
                "wrote {} to {}",
                ResultFile::Workbook,
                dir.display()
            ));
        }
        if self.report {
            let written = report::write(dir, None)?;
            workers.report(&format!("wrote {}", written.display()));
        }
        Ok(())
    }
}

/// A Parquet writer's error, as the command reports it: its I/O cause
/// (a full disk, a folder removed) says what went wrong.
pub(crate) fn parquet_error(e: parquet::errors::ParquetError) -> anyhow::Error {
    anyhow::Error::new(e).context("cannot write the Parquet files")
}

/// Adds context to an undefined result of the simulation.
pub(crate) fn undefined_result(e: anyhow::Error) -> anyhow::Error {
    match e.downcast::<MetricError>() {
        Ok(metric) => {
            anyhow::Error::new(metric).context("the simulation produced an undefined result")
        }
        Err(other) => other,
    }
}

/// The library's progress, shown on a command's progress bar.
struct BarProgress {
    bar: ProgressBar,
    /// How long each report waits first (see [`STALL_VARIABLE`]).
    stall: Option<Duration>,
}

impl Progress for BarProgress {
    fn planned(&self, runs: u64, work: Work) {
        self.bar.inc_length(runs);
        if work == Work::SensitivityRuns {
            self.bar.set_message("replications and sensitivity runs");
        }
    }

    fn advanced(&self, runs: u64) {
        if let Some(stall) = self.stall {
            std::thread::sleep(stall);
        }
        self.bar.inc(runs);
    }
}

/// How long [`STALL_VARIABLE`] asks each replication to wait; `None` when
/// it is unset or not a number of seconds.
fn stall_for_tests() -> Option<Duration> {
    std::env::var(STALL_VARIABLE)
        .ok()
        .and_then(|s| s.parse::<f64>().ok())
        .and_then(|s| Duration::try_from_secs_f64(s).ok())
}

fn progress_bar(replications: u64, quiet: bool) -> ProgressBar {
    if quiet || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(replications), ProgressDrawTarget::stderr());
    bar.set_style(
        ProgressStyle::with_template(
            "{elapsed_precise} [{bar:40}] {pos}/{len} {msg}, {rate}, eta {eta}",
        )
        .expect("the progress template is valid")
        .with_key(
            "rate",
            |state: &ProgressState, out: &mut dyn std::fmt::Write| {
                let _ = write!(out, "{:.0}/s", state.per_sec());
            },
        )
        .progress_chars("=> "),
    );
    bar.set_message("replications");
    bar.enable_steady_tick(Duration::from_millis(200));
    bar
}
