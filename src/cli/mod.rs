//! The command line: arguments are parsed by clap, then checked against
//! the scenario before anything runs; errors print once and set the exit
//! code. One file per command that simulates.

mod batch;
mod breakeven;
mod explain;
mod install;
mod merge;
mod pool;
mod pool_merge;
mod pool_shard;
mod report;
mod run;
mod session;
mod shard;
mod shard_folder;
mod suggest;
mod sweep;

use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use anyhow::{Context, Result};
use clap::{Args, CommandFactory, Parser, Subcommand};

use crate::memory;
use crate::model::Scenario;
use crate::results;
use crate::run::{Cancel, Interrupted};
use crate::scenario::{self, DEFAULT_SCENARIO_NAME, DEFAULT_SCENARIO_TOML, Diagnostics, Severity};
use crate::shard::Shard;
use crate::text::{counted, visible_lines};

/// Exit code for an invalid scenario or invalid arguments.
pub const EXIT_INVALID_INPUT: u8 = 2;
/// Exit code for a failure while running (I/O, undefined results).
pub const EXIT_FAILURE: u8 = 1;
/// Exit code for a run stopped by Ctrl-C or SIGTERM: 128 + SIGINT, as shells report it.
pub const EXIT_INTERRUPTED: u8 = 130;

/// The environment variable that makes every replication, once finished,
/// wait this many seconds before it reports its progress (and so before
/// its results are handed on): how the tests of stopping get a run still
/// under way when the signal comes, without a scenario that takes minutes.
pub const STALL_VARIABLE: &str = "SSCSIM_TEST_STALL_SECONDS";

#[derive(Debug, Parser)]
#[command(
    name = "sscsim",
    version,
    about = "Monte Carlo engine for UN offshore service centres: solo, co-located or pooled",
    long_about = "Monte Carlo engine for UN offshore service centres: solo, co-located or pooled.\n\n\
                  With no command, does what `sscsim run` does: with no scenario, it runs the\n\
                  embedded default (UNHCR and FAO in Budapest).",
    args_conflicts_with_subcommands = true
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    run: RunArgs,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Simulate a scenario and print (and optionally write) the results.
    Run(RunArgs),
    /// Decompose the economies of scale lost by a fragmented strategy into
    /// its mechanisms (Shapley values), and write decomposition.csv.
    Explain(ExplainArgs),
    /// Run every scenario of folders or files, one result folder each, and
    /// compare them: a headline table and comparison.csv.
    Batch(BatchArgs),
    /// Search who should pool with whom, where, and how to share the cost:
    /// every coalition at every candidate location. The scenario needs a
    /// [pool] table; --out gets coalitions.csv, allocation.csv and
    /// manifest.toml.
    Pool(PoolArgs),
    /// Merge the folders of a run's shards (run --shard, or pool --shard)
    /// into the result folder one process would have written.
    Merge(MergeArgs),
    /// Run the scenario at evenly spaced values of one number (--vary
    /// KEY=FROM..TO --steps N), on common random numbers; --out gets
    /// sweep.csv.
    #[command(mut_arg("out", |out| out.help(
        "Write sweep.csv and manifest.toml into this folder (created if needed)",
    )))]
    Sweep(sweep::SweepArgs),
    /// Find the value of one number (--vary KEY=FROM..TO) where a
    /// strategy's mean savings cross zero, with a 95% interval; --out gets
    /// breakeven.csv.
    #[command(mut_arg("out", |out| out.help(
        "Write breakeven.csv, breakeven_points.csv and manifest.toml into this folder (created if needed)",
    )))]
    Breakeven(breakeven::BreakevenArgs),
    /// Draw a result folder into one self-contained report.html: charts
    /// and tables of whatever files the folder has.
    Report(ReportArgs),
    /// Check a scenario file and report every problem as file:line:column,
    /// and every implausible value as a warning.
    Validate {
        /// The scenario file to check.
        scenario: PathBuf,
        #[command(flatten)]
        overrides: Overrides,
        #[command(flatten)]
        warnings: WarningOptions,
    },
    /// Print the completion script of a shell, to install where the shell
    /// looks for completions.
    Completions(install::CompletionsArgs),
    /// Print the manual page (roff), or write one page per command into a
    /// folder.
    Man(install::ManArgs),
}

/// What to do with the warnings about a scenario's implausible values.
#[derive(Clone, Copy, Debug, Default, Args)]
struct WarningOptions {
    /// Treat warnings about implausible values as errors: print them and
    /// exit with status 2 before anything runs or is written (for CI).
    #[arg(long)]
    deny_warnings: bool,
}

/// How to simulate: the options every simulating command shares.
#[derive(Debug, Args)]
struct SimulationOptions {
    /// Number of replications [default: the scenario's `settings.replications`].
    #[arg(short = 'n', long, value_parser = clap::value_parser!(u64).range(1..=1_000_000_000))]
    replications: Option<u64>,
    /// Master seed [default: the scenario's `settings.seed`].
    #[arg(short, long)]
    seed: Option<u64>,
    /// Worker threads [default: one per core]; results do not depend on it.
    #[arg(short = 'j', long, value_parser = clap::value_parser!(u64).range(1..=1024))]
    threads: Option<u64>,
    #[command(flatten)]
    overrides: Overrides,
    #[command(flatten)]
    common: CommonOptions,
    #[command(flatten)]
    warnings: WarningOptions,
}

/// Changes to the scenario for one command, without editing its file.
#[derive(Debug, Default, Args)]
struct Overrides {
    /// Set a value of the scenario, as if its file said so: a dotted KEY
    /// (an array of tables takes the `id` of one of its tables:
    /// location.budapest.annual_cost_usd_per_fte.GS) and a TOML VALUE
    /// (0.05, "text", { dist = "pert", min = 1, mode = 2, max = 3 }; a bare
    /// word is a string). Repeatable; recorded in manifest.toml.
    #[arg(long = "set", value_name = "KEY=VALUE")]
    set: Vec<String>,
}

/// What every command that simulates or merges shares: how it talks, how
/// it treats a folder with files, how much memory it may use.
#[derive(Clone, Copy, Debug, Args)]
struct CommonOptions {
    /// No progress bar or status messages (results still print to stdout).
    #[arg(short, long)]
    quiet: bool,
    /// Write into an --out folder that already has files: sscsim's earlier
    /// results there are removed first; other files are left alone.
    #[arg(long)]
    force: bool,
    /// The most memory the command may use, e.g. 8GiB or 500MB [default:
    /// 75% of physical memory]; a command estimated to need more is refused
    /// before it starts.
    #[arg(long, value_name = "SIZE", value_parser = crate::memory::parse_size)]
    memory_limit: Option<u64>,
    /// Write the CSV files for a spreadsheet in a locale with a decimal
    /// comma (German, French, Spanish, …): `;` between fields, `,` before
    /// decimals, a UTF-8 byte-order mark, as R's write.csv2 does.
    #[arg(long)]
    decimal_comma: bool,
}

impl CommonOptions {
    /// The dialect of the CSV files the command writes.
    fn dialect(&self) -> results::CsvDialect {
        if self.decimal_comma {
            results::CsvDialect::DecimalComma
        } else {
            results::CsvDialect::Tidy
        }
    }
}

/// Arguments of `run` (and of `sscsim` without a command).
#[derive(Debug, Args)]
struct SimulateArgs {
    /// Scenario file (TOML); the embedded default scenario when omitted.
    scenario: Option<PathBuf>,
    #[command(flatten)]
    options: SimulationOptions,
    /// Write the results into this folder (created if needed).
    #[arg(short, long, value_name = "DIR")]
    out: Option<PathBuf>,
    #[command(flatten)]
    extras: ExtraOutputs,
}

impl SimulateArgs {
    /// The scenario of the arguments (or the embedded default), with the
    /// `--set` overrides applied; see [`load`].
    fn load(&self) -> Result<LoadedScenario> {
        load(
            self.scenario.as_deref(),
            &self.options.overrides,
            self.options.warnings,
        )
    }

    /// The `--out` folder `command` writes into, when one is asked for.
    fn folder<'a>(
        &self,
        loaded: &'a LoadedScenario,
        plan: crate::run::RunPlan,
        workers: &session::Workers,
        command: &'static str,
        comparison: Option<crate::model::Comparison>,
    ) -> Result<Option<session::RunFolder<'a>>> {
        self.out
            .as_ref()
            .map(|out| {
                session::RunFolder::create(
                    out,
                    self.options.common,
                    loaded,
                    plan,
                    workers.threads,
                    command,
                    comparison,
                )
            })
            .transpose()
    }

    /// Writes the extra outputs into the `--out` folder, once its tables
    /// are written, and prints the scenario's name over `table`.
    fn finish(&self, workers: &session::Workers, scenario: &Scenario, table: &str) -> Result<()> {
        self.extras.write(self.out.as_deref(), workers)?;
        print_results(&format!("{}\n\n{table}", scenario.name))
    }
}

/// Files drawn from a result folder's tables once they are written.
#[derive(Debug, Args)]
struct ExtraOutputs {
    /// Also write results.xlsx, a workbook of the tables, into the --out folder.
    #[arg(long, requires = "out")]
    xlsx: bool,
    /// Also write report.html into the --out folder, after the results.
    #[arg(long, requires = "out")]
    report: bool,
}

/// Arguments of `run` (and of `sscsim` without a command).
#[derive(Debug, Args)]
struct RunArgs {
    #[command(flatten)]
    simulate: SimulateArgs,
    /// Keep adding replications until the mean of --precision-metric is
    /// known within ±PERCENT of itself (half-width of its 95% confidence
    /// interval), starting from --replications.
    #[arg(long, value_name = "PERCENT", value_parser = parse_precision)]
    precision: Option<f64>,
    /// The most replications --precision may run.
    #[arg(long, requires = "precision", default_value_t = 100_000,
          value_parser = clap::value_parser!(u64).range(1..=1_000_000_000))]
    max_replications: u64,
    /// The metric --precision targets, any metric id of summary.csv, for
    /// every strategy but the status quo [default: the headline,
    /// economies_of_scale_lost_usd of the comparison's fragmented strategy;
    /// without a comparison, npv_savings_usd].
    #[arg(long, value_name = "METRIC", requires = "precision",
          value_parser = crate::stats::precision::parse_metric)]
    precision_metric: Option<crate::metrics::Metric>,
    /// Also run a design for total-order indices (independent inputs) or
    /// Shapley effects (correlated inputs) into global_sensitivity.csv, of N
    /// base samples: N·(k + 2) or N·(k − 1)·3 plan runs for k inputs.
    #[arg(long, value_name = "N", num_args = 0..=1,
          default_missing_value = "100",
          value_parser = clap::value_parser!(u64).range(2..=100_000))]
    global_sensitivity: Option<u64>,
    /// Run only shard I of N (1-based, e.g. 2/3): one contiguous block of
    /// the replications, under the indices they have in the whole run, into
    /// a folder for `sscsim merge`.
    #[arg(long, value_name = "I/N", value_parser = parse_shard, requires = "out",
          conflicts_with = "shards")]
    shard: Option<Shard>,
    /// Split the run into N shards and run the one the array job's task
    /// index picks: SLURM_ARRAY_TASK_ID (from SLURM_ARRAY_TASK_MIN),
    /// JOB_COMPLETION_INDEX or AWS_BATCH_JOB_ARRAY_INDEX (0-based).
    #[arg(long, value_name = "N", requires = "out",
          value_parser = clap::value_parser!(u64).range(1..=1_000_000_000))]
    shards: Option<u64>,
    /// Also write replications.csv and years.csv as Parquet
    /// (replications.parquet, years.parquet), same columns, into the --out
    /// folder; a shard writes its replications.parquet.
    #[arg(long, requires = "out")]
    parquet: bool,
}

/// A shard `I/N`, as `--shard` takes it.
fn parse_shard(text: &str) -> Result<Shard, String> {
    Shard::parse(text).map_err(|e| e.to_string())
}

/// Arguments of `merge`.
#[derive(Debug, Args)]
struct MergeArgs {
    /// The shards' folders (written by `run --shard` or `pool --shard`), in
    /// any order.
    #[arg(required = true, value_name = "SHARD_DIR")]
    shards: Vec<PathBuf>,
    /// Write the merged results into this folder (created if needed).
    #[arg(short, long, value_name = "DIR", required = true)]
    out: PathBuf,
    /// Worker threads for the sensitivity swings [default: one per core];
    /// results do not depend on it.
    #[arg(short = 'j', long, value_parser = clap::value_parser!(u64).range(1..=1024))]
    threads: Option<u64>,
    /// Merge shards that a stop cut short (`partial = true`) too: the merged
    /// folder holds what they finished, has gaps, and is marked partial.
    #[arg(long)]
    allow_partial: bool,
    /// Also write replications.parquet and years.parquet [default: when
    /// every shard wrote its replications.parquet].
    #[arg(long)]
    parquet: bool,
    #[command(flatten)]
    common: CommonOptions,
    #[command(flatten)]
    extras: ExtraOutputs,
}

/// A precision in percent: a finite number above 0.
fn parse_precision(text: &str) -> Result<f64, String> {
    match text.trim_end_matches('%').parse::<f64>() {
        Ok(p) if p.is_finite() && p > 0.0 => Ok(p),
        _ => Err(format!(
            "`{text}` is not a percentage above 0 (e.g. 1 for ±1%)"
        )),
    }
}

/// Arguments of `explain`.
#[derive(Debug, Args)]
struct ExplainArgs {
    #[command(flatten)]
    simulate: SimulateArgs,
    /// The fragmented strategy [default: the scenario's `[comparison]`, or `solo`].
    #[arg(long, value_name = "STRATEGY")]
    fragmented: Option<String>,
    /// The pooled strategy [default: the scenario's `[comparison]`, or `pooled`].
    #[arg(long, value_name = "STRATEGY")]
    pooled: Option<String>,
}

/// Arguments of `batch`.
#[derive(Debug, Args)]
struct BatchArgs {
    /// Scenario files, and folders whose `.toml` files are all run.
    #[arg(required = true, value_name = "DIR_OR_FILE")]
    inputs: Vec<PathBuf>,
    #[command(flatten)]
    options: SimulationOptions,
    /// Folder for the results: one sub-folder per scenario, and comparison.csv.
    #[arg(short, long, value_name = "DIR", required = true)]
    out: PathBuf,
    /// A batch's workbook is its comparison; its report shows the scenarios
    /// side by side and links to each scenario's own report, written too.
    #[command(flatten)]
    extras: ExtraOutputs,
}

/// Arguments of `pool`.
#[derive(Debug, Args)]
struct PoolArgs {
    #[command(flatten)]
    simulate: SimulateArgs,
    /// Candidate locations (ids, comma-separated) [default: the scenario's [pool] locations].
    #[arg(long, value_delimiter = ',', value_name = "LOCATION")]
    locations: Option<Vec<String>>,
    /// How many of the best coalition structures to rank.
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=1000))]
    top: u64,
    /// How to search coalition structures [default: exact up to 14 agencies, heuristic above].
    #[arg(long, value_enum)]
    search: Option<SearchArg>,
    /// Restarts of the heuristic search, each seeded from its index [default: 8].
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..=100_000))]
    restarts: Option<u64>,
    /// Run only shard I of N (1-based, e.g. 2/3) of the heuristic search:
    /// one contiguous block of the restarts, seeded from the indices they
    /// have in the whole search, and of the --shapley-blocks Shapley
    /// blocks (after the pilot, which every shard computes), into a folder
    /// for `sscsim merge`.
    #[arg(long, value_name = "I/N", value_parser = parse_shard, requires = "out",
          conflicts_with = "shards")]
    shard: Option<Shard>,
    /// Split the heuristic search's restarts and Shapley blocks into N
    /// shards and run the one the array job's task index picks (as `run
    /// --shards` does).
    #[arg(long, value_name = "N", requires = "out",
          value_parser = clap::value_parser!(u64).range(1..=100_000))]
    shards: Option<u64>,
    /// Heuristic search: sample Shapley values until each one's standard
    /// error is within PERCENT of it (or --shapley-budget is spent); with
    /// --shapley-blocks, the target the samples are allocated for
    /// [default: 1].
    #[arg(long, value_name = "PERCENT", value_parser = parse_precision)]
    shapley_se: Option<f64>,
    /// Heuristic search: the most coalitions the Shapley sampling
    /// evaluates (each at every location, in every replication) [default:
    /// 20000].
    #[arg(long, value_name = "COALITIONS",
          value_parser = clap::value_parser!(u64).range(1..=1_000_000_000))]
    shapley_budget: Option<u64>,
    /// Heuristic search: draw exactly B blocks of Shapley samples
    /// after the pilot (no stopping rule, no budget; the result says
    /// whether --shapley-se was met). Needed with --shard and --shards:
    /// each shard draws its part of the B blocks.
    #[arg(long, value_name = "B", conflicts_with = "shapley_budget",
          value_parser = clap::value_parser!(u64).range(0..=100_000))]
    shapley_blocks: Option<u64>,
}

impl PoolArgs {
    /// `--restarts`, or its default.
    fn restarts(&self) -> u64 {
        self.restarts
            .unwrap_or(crate::pool::search::DEFAULT_RESTARTS)
    }

    /// `--shapley-se`, percent, or its default.
    fn shapley_se_percent(&self) -> f64 {
        self.shapley_se
            .unwrap_or(100.0 * crate::pool::shapley_sampling::DEFAULT_RELATIVE_SE)
    }

    /// `--shapley-budget`, or its default.
    fn shapley_budget(&self) -> u64 {
        self.shapley_budget
            .unwrap_or(crate::pool::stratified_shapley::DEFAULT_BUDGET_COALITIONS)
    }

    /// The options given that only the heuristic search reads: the exact
    /// search tries every structure and computes every Shapley value from
    /// every coalition, so it has no restarts and samples nothing.
    fn heuristic_only_options(&self) -> Vec<&'static str> {
        [
            ("--restarts", self.restarts.is_some()),
            ("--shapley-se", self.shapley_se.is_some()),
            ("--shapley-budget", self.shapley_budget.is_some()),
            ("--shapley-blocks", self.shapley_blocks.is_some()),
        ]
        .into_iter()
        .filter_map(|(name, given)| given.then_some(name))
        .collect()
    }
}

/// `--search`.
#[derive(Clone, Copy, Debug, clap::ValueEnum)]
enum SearchArg {
    /// Every coalition at every location (at most 14 agencies).
    Exact,
    /// Greedy merging and local search, evaluating only the coalitions visited (up to 64 agencies).
    Heuristic,
}

/// Arguments of `report`.
#[derive(Debug, Args)]
struct ReportArgs {
    /// A result folder (written with --out by run, explain or pool).
    dir: PathBuf,
    /// Where to write the report [default: DIR/report.html].
    #[arg(short, long, value_name = "FILE")]
    out: Option<PathBuf>,
}

/// A scenario, where it came from, and the `--set` overrides applied to
/// its text.
struct LoadedScenario {
    scenario: Scenario,
    source_name: String,
    text: String,
    overrides: Vec<String>,
}

/// Scenarios that failed validation; their diagnostics are the message.
#[derive(Debug)]
struct InvalidScenario(Vec<Diagnostics>);

impl InvalidScenario {
    /// Every problem with its snippet, then a count per file; with ANSI
    /// colours when `colour` is set. Warnings are here because
    /// `--deny-warnings` made them errors.
    fn render(&self, colour: bool) -> String {
        let mut out = String::new();
        for diagnostics in &self.0 {
            out += &diagnostics.render(colour);
            let n = diagnostics.problems.len();
            let s = if n == 1 { "" } else { "s" };
            out += &match diagnostics.severity {
                Severity::Error => {
                    format!(
                        "error: {} has {n} problem{s}\n",
                        visible_lines(&diagnostics.source_name)
                    )
                }
                Severity::Warning => format!(
                    "error: {} has {n} implausible value{s}, denied by --deny-warnings\n",
                    visible_lines(&diagnostics.source_name)
                ),
            };
        }
        out
    }
}

/// The warnings about a scenario's implausible values, each with its
/// snippet, then their count; with ANSI colours when `colour` is set.
fn render_warnings(warnings: &Diagnostics, colour: bool) -> String {
    let n = warnings.problems.len();
    format!(
        "{}warning: {} has {n} implausible value{} (--deny-warnings makes {})\n",
        warnings.render(colour),
        visible_lines(&warnings.source_name),
        if n == 1 { "" } else { "s" },
        if n == 1 { "it an error" } else { "them errors" },
    )
}

impl std::fmt::Display for InvalidScenario {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.render(false))
    }
}

impl std::error::Error for InvalidScenario {}

/// An argument that is well formed but does not fit the scenario.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
struct InvalidArgument(String);

/// Refuses a command whose estimated peak memory is above the limit
/// (`--memory-limit`, or the default of [`memory::MemoryLimit::new`]),
/// before it allocates.
fn check_memory(estimate: &memory::Estimate, limit: Option<u64>) -> Result<(), InvalidArgument> {
    estimate
        .check(memory::MemoryLimit::new(limit))
        .map_err(|e| InvalidArgument(e.to_string()))
}

/// Runs the command line of this process and returns its exit code.
pub fn main() -> ExitCode {
    ExitCode::from(run_command_line(std::env::args_os()))
}

/// Runs one command line (`args` starts with the program's name, as
/// `std::env::args_os` does) in this process and returns the exit code it
/// would have: 0, or [`EXIT_INVALID_INPUT`], [`EXIT_FAILURE`],
/// [`EXIT_INTERRUPTED`]. Results and messages go to this process's stdout
/// and stderr. The fuzz campaign drives every command through it.
pub fn run_command_line<I, T>(args: I) -> u8
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    let args: Vec<std::ffi::OsString> = args.into_iter().map(Into::into).collect();
    if let Some(message) = suggest::unknown_first_argument(&args, &subcommand_names()) {
        eprintln!("error: {message}");
        return EXIT_INVALID_INPUT;
    }
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            // Help and version print to stdout and succeed; usage errors
            // print to stderr with clap's own exit code (2), with the
            // arguments they echo made visible.
            if e.use_stderr() {
                eprint!("{}", visible_lines(&e.render().to_string()));
            } else {
                let _ = e.print();
            }
            return u8::try_from(e.exit_code()).unwrap_or(EXIT_INVALID_INPUT);
        }
    };
    stop_on_interrupt();
    results::start_results();
    match dispatch(cli) {
        Ok(()) => 0,
        Err(e) => {
            if is_broken_pipe(&e) {
                // The reader has what it wanted (`sscsim run | head`);
                // results files, if any, were complete before printing.
                0
            } else if is_interrupted(&e) {
                if let Some(committed) = results::close_results() {
                    eprintln!("error: {}", interrupted_message(&committed));
                }
                EXIT_INTERRUPTED
            } else if let Some(invalid) = e.downcast_ref::<InvalidScenario>() {
                eprint!("{}", invalid.render(std::io::stderr().is_terminal()));
                EXIT_INVALID_INPUT
            } else if let Some(InvalidArgument(message)) = e.downcast_ref() {
                // Messages may echo file names, ids and values as given.
                eprintln!("error: {}", visible_lines(message));
                EXIT_INVALID_INPUT
            } else {
                eprintln!("error: {}", visible_lines(&chain_text(&e)));
                EXIT_FAILURE
            }
        }
    }
}

/// The names of the subcommands, `help` included, in the order of `--help`.
fn subcommand_names() -> Vec<String> {
    let mut command = Cli::command();
    command.build();
    command
        .get_subcommands()
        .map(|s| s.get_name().to_owned())
        .collect()
}

/// How long the replications under way get, after Ctrl-C or SIGTERM, to
/// finish before the process removes its temporary files and exits by
/// itself. Replications take milliseconds; one that takes far longer (or
/// never ends) must not make a scheduler's SIGTERM useless, as schedulers
/// kill the job after a grace period of their own (30 s on Kubernetes).
const STOP_GRACE: Duration = Duration::from_secs(1);

/// The token Ctrl-C and SIGTERM cancel. Signals go to the whole process,
/// so there is one for the process, shared by every command it runs.
fn interrupt() -> &'static Cancel {
    static INTERRUPT: OnceLock<Cancel> = OnceLock::new();
    INTERRUPT.get_or_init(Cancel::new)
}

/// Set once a stopped run has returned with the replications it finished,
/// which the command is now writing: no replication is under way any more,
/// so the grace period of [`stop_on_interrupt`] does not cut the writing
/// short. A second Ctrl-C still quits at once.
fn keeping_finished() -> &'static AtomicBool {
    static KEEPING: AtomicBool = AtomicBool::new(false);
    &KEEPING
}

/// Says that a stopped run has returned and its finished replications are
/// being written (see [`keeping_finished`]).
fn keep_finished() {
    keeping_finished().store(true, Ordering::Relaxed);
}

/// On the first Ctrl-C (or SIGTERM, as schedulers send before a kill), no
/// replication starts any more; a run writes the replications finished
/// from the first, marked partial, and every other file still under its
/// temporary name is removed.
/// If the replications under way have not finished within [`STOP_GRACE`],
/// the process exits anyway, removing its temporary files first. A second
/// Ctrl-C exits at once, in the same way.
fn stop_on_interrupt() {
    let handler = || {
        if interrupt().is_cancelled() {
            exit_interrupted();
        }
        interrupt().cancel();
        eprintln!("\nstopping (Ctrl-C again to quit at once)");
        std::thread::spawn(|| {
            std::thread::sleep(STOP_GRACE);
            if !keeping_finished().load(Ordering::Relaxed) {
                exit_interrupted();
            }
        });
    };
    // Without a handler (e.g. one is already set), a signal ends the
    // process at once, which still leaves no file that looks complete.
    let _ = ctrlc::set_handler(handler);
}

/// Removes the process's temporary files, says what is complete, and exits
/// with [`EXIT_INTERRUPTED`]; says nothing when another thread already did.
fn exit_interrupted() -> ! {
    if let Some(committed) = results::close_results() {
        eprintln!("error: {}", interrupted_message(&committed));
    }
    std::process::exit(i32::from(EXIT_INTERRUPTED))
}

/// What an interrupted command leaves: nothing, or the folders whose
/// results it had completed, those of a run cut short (their manifest says
/// `partial = true`) named apart.
fn interrupted_message(committed: &[PathBuf]) -> String {
    if committed.is_empty() {
        return "interrupted; no results were written".to_owned();
    }
    let shown = |d: &PathBuf| visible_lines(&d.display().to_string()).into_owned();
    let is_partial =
        |d: &&PathBuf| results::Manifest::read(d).is_ok_and(|m| m.is_some_and(|m| m.is_partial()));
    let (partial, complete): (Vec<&PathBuf>, Vec<&PathBuf>) =
        committed.iter().partition(is_partial);
    let list = |dirs: &[&PathBuf]| dirs.iter().map(|d| shown(d)).collect::<Vec<_>>().join(", ");
    let mut parts = Vec::new();
    if !complete.is_empty() {
        parts.push(format!("the results in {} are complete", list(&complete)));
    }
    if !partial.is_empty() {
        parts.push(format!(
            "those in {} are partial (the replications finished from the first; \
             `partial = true` in their manifest.toml)",
            list(&partial)
        ));
    }
    format!(
        "interrupted; {}, nothing else was written",
        parts.join("; ")
    )
}

/// Whether `e` comes from a stop that was asked for: a run that returned
/// [`Interrupted`], or a result folder that refused a file once closing.
fn is_interrupted(e: &anyhow::Error) -> bool {
    e.chain().any(|cause| {
        cause.is::<Interrupted>()
            || cause
                .downcast_ref::<std::io::Error>()
                .and_then(|io| io.get_ref())
                .is_some_and(|inner| inner.is::<Interrupted>())
    })
}

fn dispatch(cli: Cli) -> Result<()> {
    match cli.command {
        None => run::run(cli.run),
        Some(Command::Run(args)) => run::run(args),
        Some(Command::Explain(args)) => explain::explain(args),
        Some(Command::Batch(args)) => batch::batch(args),
        Some(Command::Pool(args)) => pool::pool(args),
        Some(Command::Merge(args)) => merge::merge(args),
        Some(Command::Sweep(args)) => sweep::sweep(args),
        Some(Command::Breakeven(args)) => breakeven::breakeven(args),
        Some(Command::Completions(args)) => install::completions(&args),
        Some(Command::Man(args)) => install::man(&args),
        Some(Command::Report(args)) => report::report(args),
        Some(Command::Validate {
            scenario,
            overrides,
            warnings,
        }) => validate(&scenario, &overrides, warnings),
    }
}

fn validate(path: &Path, overrides: &Overrides, warnings: WarningOptions) -> Result<()> {
    let loaded = load(Some(path), overrides, warnings)?;
    let s = &loaded.scenario;
    let correlated: usize = s
        .correlations
        .groups()
        .iter()
        .map(|g| g.inputs().len())
        .sum();
    let correlated = match correlated {
        0 => String::new(),
        n => format!(" ({n} rank-correlated)"),
    };
    let n = |count: usize, singular, plural| counted(count as u64, singular, plural);
    print_results(&format!(
        "{}: ok — {}, {}, {}, {} (with the status quo), {}{correlated}\n",
        loaded.source_name,
        n(s.agencies.len(), "agency", "agencies"),
        n(s.service_lines.len(), "service line", "service lines"),
        n(s.locations.len(), "location", "locations"),
        n(s.strategies.len(), "strategy", "strategies"),
        n(s.inputs.len(), "uncertain input", "uncertain inputs")
    ))
}

/// The largest scenario file read: the largest bundled one is under 50 KiB,
/// and a file of this size is already far beyond the size limits of
/// [`scenario::parse`].
const MAX_SCENARIO_BYTES: u64 = 4 << 20;

/// The text of the scenario file at `path`: refused if it is larger than
/// [`MAX_SCENARIO_BYTES`] or not UTF-8 (with the position of the first bad
/// byte).
fn read_scenario_text(path: &Path, source_name: &str) -> Result<String> {
    let cannot_read = || format!("cannot read scenario file {}", path.display());
    if let Some(problem) = suggest::not_a_scenario_file(path) {
        return Err(InvalidArgument(format!("{}: {problem}", cannot_read())).into());
    }
    let file = std::fs::File::open(path).with_context(cannot_read)?;
    let mut bytes = Vec::new();
    // One byte more than the limit tells a file at the limit from a larger one.
    file.take(MAX_SCENARIO_BYTES + 1)
        .read_to_end(&mut bytes)
        .with_context(cannot_read)?;
    if bytes.len() as u64 > MAX_SCENARIO_BYTES {
        return Err(InvalidArgument(format!(
            "scenario file {} is larger than {} MiB; expected a scenario of at most that size",
            path.display(),
            MAX_SCENARIO_BYTES >> 20
        ))
        .into());
    }
    String::from_utf8(bytes).map_err(|e| {
        let offset = e.utf8_error().valid_up_to();
        let text = String::from_utf8_lossy(e.as_bytes()).into_owned();
        let diagnostic = scenario::Diagnostic::new(
            offset..offset + 1,
            "the file is not valid UTF-8 text",
            "a TOML file encoded in UTF-8",
        );
        InvalidScenario(vec![Diagnostics::new(source_name, &text, vec![diagnostic])]).into()
    })
}

/// Writes a command's results to stdout. A reader that stops early
/// (`sscsim run | head`) is not an error: see [`main`].
fn print_results(text: &str) -> Result<()> {
    let mut stdout = std::io::stdout().lock();
    // Names and ids from the scenario are in the tables.
    stdout.write_all(visible_lines(text).as_bytes())?;
    stdout.flush()?;
    Ok(())
}

/// The error and its causes joined by `: `, each said once: a cause that
/// the message before it already ends with (an error that both shows its
/// source and reports it as its source, as `cannot read X: CSV error: …`
/// does) is not repeated.
fn chain_text(e: &anyhow::Error) -> String {
    let mut text = String::new();
    for cause in e.chain() {
        let message = cause.to_string();
        if text.ends_with(&message) {
            continue;
        }
        if !text.is_empty() {
            text += ": ";
        }
        text += &message;
    }
    text
}

/// Whether `e` is a write to a pipe whose reader has gone.
fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// Reads and validates a scenario file, or the embedded default, with
/// `overrides` applied. Its warnings print to stderr, or are its errors
/// under `--deny-warnings`.
fn load(
    path: Option<&Path>,
    overrides: &Overrides,
    warnings: WarningOptions,
) -> Result<LoadedScenario> {
    let (source_name, text) = match path {
        None => (
            DEFAULT_SCENARIO_NAME.to_owned(),
            DEFAULT_SCENARIO_TOML.to_owned(),
        ),
        Some(path) => {
            let source_name = path.display().to_string();
            let text = read_scenario_text(path, &source_name)?;
            (source_name, text)
        }
    };
    let (scenario, found) = scenario::parse_with_overrides(&source_name, &text, &overrides.set)
        .map_err(InvalidScenario)?;
    if !found.is_empty() {
        if warnings.deny_warnings {
            return Err(InvalidScenario(found).into());
        }
        for w in &found {
            eprint!("{}", render_warnings(w, std::io::stderr().is_terminal()));
        }
    }
    Ok(LoadedScenario {
        scenario,
        source_name,
        text,
        overrides: overrides.set.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::FromArgMatches;

    /// `pool`'s heuristic-only options have no clap default (so that the
    /// exact search can tell whether they were given), so their help
    /// states the default in words: it must be the default they take.
    #[test]
    fn pool_help_states_the_defaults_the_heuristic_options_take() {
        let args = PoolArgs::augment_args(clap::Command::new("pool"))
            .try_get_matches_from(["pool"])
            .and_then(|matches| PoolArgs::from_arg_matches(&matches))
            .expect("no argument is required");
        let mut command = Cli::command();
        let help = command
            .find_subcommand_mut("pool")
            .expect("pool is a command")
            .render_long_help()
            .to_string();
        let stated = |option: &str| -> String {
            let at = help.find(&format!("--{option} <")).expect(option);
            let rest = &help[at..];
            let start = rest.find("[default: ").expect("a stated default") + "[default: ".len();
            rest[start..start + rest[start..].find(']').unwrap()].to_owned()
        };
        assert_eq!(stated("restarts"), args.restarts().to_string());
        assert_eq!(stated("shapley-se"), args.shapley_se_percent().to_string());
        assert_eq!(stated("shapley-budget"), args.shapley_budget().to_string());
        assert!(args.heuristic_only_options().is_empty());
    }
}
