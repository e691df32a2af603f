//! The command line: arguments are parsed by clap, then checked into a
//! [`RunConfig`] before anything runs; errors print once and set the exit code.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context, Result};
use clap::{Args, Parser, Subcommand};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressState, ProgressStyle};
use tempfile::NamedTempFile;

use crate::metrics::{METRIC_COUNT, MetricError};
use crate::model::{Comparison, Scenario};
use crate::output::csv::{
    DecompositionCsv, ReplicationsCsv, write_decomposition_summary, write_summary, write_years,
};
use crate::output::manifest::{Manifest, sha256_hex};
use crate::output::{ResultFolder, table};
use crate::run::{self, RunPlan, run};
use crate::scenario::{self, DEFAULT_SCENARIO_NAME, DEFAULT_SCENARIO_TOML, Diagnostics};
use crate::stats::{DecompositionCollector, MetricCollector, YearCollector};

/// Exit code for an invalid scenario or invalid arguments.
pub const EXIT_INVALID_INPUT: u8 = 2;
/// Exit code for a failure while running (I/O, undefined results).
pub const EXIT_FAILURE: u8 = 1;

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
    run: SimulateArgs,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Simulate a scenario and print (and optionally write) the results.
    Run(SimulateArgs),
    /// Decompose the economies of scale lost by a fragmented strategy into
    /// its mechanisms (Shapley values), and write decomposition.csv.
    Explain(ExplainArgs),
    /// Check a scenario file and report every problem as file:line:column.
    Validate {
        /// The scenario file to check.
        scenario: PathBuf,
    },
}

/// Arguments shared by every command that simulates.
#[derive(Debug, Args)]
struct SimulateArgs {
    /// Scenario file (TOML); the embedded default scenario when omitted.
    scenario: Option<PathBuf>,
    /// Number of replications [default: the scenario's `settings.replications`].
    #[arg(short = 'n', long, value_parser = clap::value_parser!(u64).range(1..=1_000_000_000))]
    replications: Option<u64>,
    /// Master seed [default: the scenario's `settings.seed`].
    #[arg(short, long)]
    seed: Option<u64>,
    /// Worker threads [default: one per core]; results do not depend on it.
    #[arg(short = 'j', long, value_parser = clap::value_parser!(u64).range(1..=1024))]
    threads: Option<u64>,
    /// Write the results into this folder (created if needed).
    #[arg(short, long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// No progress bar or status messages (results still print to stdout).
    #[arg(short, long)]
    quiet: bool,
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

/// A scenario and where it came from.
struct LoadedScenario {
    scenario: Scenario,
    source_name: String,
    text: String,
}

/// Everything a simulating command needs, checked.
struct RunConfig {
    loaded: LoadedScenario,
    plan: RunPlan,
    threads: usize,
    out: Option<PathBuf>,
    quiet: bool,
}

/// A scenario that failed validation; its diagnostics are the message.
#[derive(Debug)]
struct InvalidScenario(Diagnostics);

impl std::fmt::Display for InvalidScenario {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl std::error::Error for InvalidScenario {}

/// An argument that is well formed but does not fit the scenario.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
struct InvalidArgument(String);

/// Runs the command line and returns the process exit code.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match dispatch(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            if let Some(InvalidScenario(diagnostics)) = e.downcast_ref() {
                eprintln!("{diagnostics}");
                let n = diagnostics.problems.len();
                eprintln!(
                    "error: {} has {n} problem{}",
                    diagnostics.source_name,
                    if n == 1 { "" } else { "s" }
                );
                ExitCode::from(EXIT_INVALID_INPUT)
            } else if let Some(InvalidArgument(message)) = e.downcast_ref() {
                eprintln!("error: {message}");
                ExitCode::from(EXIT_INVALID_INPUT)
            } else {
                eprintln!("error: {e:#}");
                ExitCode::from(EXIT_FAILURE)
            }
        }
    }
}

fn dispatch(cli: Cli) -> Result<()> {
    match cli.command {
        None => simulate(cli.run),
        Some(Command::Run(args)) => simulate(args),
        Some(Command::Explain(args)) => explain(args),
        Some(Command::Validate { scenario }) => {
            let loaded = load(Some(&scenario))?;
            let s = &loaded.scenario;
            println!(
                "{}: ok — {} agencies, {} service lines, {} locations, {} strategies (with the status quo), {} uncertain inputs",
                loaded.source_name,
                s.agencies.len(),
                s.service_lines.len(),
                s.locations.len(),
                s.strategies.len(),
                s.inputs.len()
            );
            Ok(())
        }
    }
}

fn load(path: Option<&Path>) -> Result<LoadedScenario> {
    let (source_name, text) = match path {
        None => (
            DEFAULT_SCENARIO_NAME.to_owned(),
            DEFAULT_SCENARIO_TOML.to_owned(),
        ),
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read scenario file {}", path.display()))?;
            (path.display().to_string(), text)
        }
    };
    let scenario = scenario::parse(&source_name, &text).map_err(InvalidScenario)?;
    Ok(LoadedScenario {
        scenario,
        source_name,
        text,
    })
}

fn configure(args: SimulateArgs) -> Result<RunConfig> {
    let loaded = load(args.scenario.as_deref())?;
    let settings = &loaded.scenario.settings;
    let plan = RunPlan {
        replications: args.replications.unwrap_or(settings.replications),
        seed: args.seed.unwrap_or(settings.seed),
    };
    let threads = match args.threads {
        Some(t) => t as usize,
        None => std::thread::available_parallelism().map_or(1, |n| n.get()),
    };
    Ok(RunConfig {
        loaded,
        plan,
        threads,
        out: args.out,
        quiet: args.quiet,
    })
}

/// The parts every simulating command shares: the checked configuration, the
/// result folder, the thread pool and the progress bar.
struct Session {
    config: RunConfig,
    folder: Option<ResultFolder>,
    pool: rayon::ThreadPool,
    progress: ProgressBar,
    started_at: jiff::Timestamp,
}

impl Session {
    fn start(config: RunConfig) -> Result<Session> {
        if !config.quiet {
            eprintln!(
                "sscsim {}: {} — {} replications, seed {}, {} thread{}",
                env!("CARGO_PKG_VERSION"),
                config.loaded.source_name,
                config.plan.replications,
                config.plan.seed,
                config.threads,
                if config.threads == 1 { "" } else { "s" }
            );
        }
        let folder = config
            .out
            .as_deref()
            .map(ResultFolder::create)
            .transpose()
            .context("cannot create the output folder")?;
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(config.threads)
            .build()?;
        let progress = progress_bar(config.plan.replications, config.quiet);
        Ok(Session {
            config,
            folder,
            pool,
            progress,
            started_at: jiff::Timestamp::now(),
        })
    }

    fn scenario(&self) -> &Scenario {
        &self.config.loaded.scenario
    }

    /// A new temporary file in the result folder, if there is one.
    fn temporary(&self) -> Result<Option<NamedTempFile>> {
        Ok(self
            .folder
            .as_ref()
            .map(ResultFolder::temporary)
            .transpose()?)
    }

    /// Writes the manifest and renames the finished files into place,
    /// manifest last: a folder with a manifest is complete.
    fn commit(&self, mut files: Vec<(NamedTempFile, &str)>) -> Result<()> {
        let Some(folder) = &self.folder else {
            return Ok(());
        };
        let loaded = &self.config.loaded;
        let manifest = Manifest {
            sscsim_version: env!("CARGO_PKG_VERSION").to_owned(),
            scenario_name: loaded.scenario.name.clone(),
            scenario_path: loaded.source_name.clone(),
            scenario_sha256: sha256_hex(loaded.text.as_bytes()),
            seed: self.config.plan.seed,
            replications: self.config.plan.replications,
            threads: self.config.threads,
            started_at: self.started_at.to_string(),
            finished_at: jiff::Timestamp::now().to_string(),
        };
        let mut manifest_file = folder.temporary()?;
        manifest_file.write_all(manifest.to_toml().as_bytes())?;
        files.push((manifest_file, "manifest.toml"));
        let names: Vec<&str> = files.iter().map(|f| f.1).collect();
        let names = names.join(", ");
        folder
            .commit(files)
            .with_context(|| format!("cannot write results into {}", folder.path().display()))?;
        if !self.config.quiet {
            eprintln!("wrote {names} to {}", folder.path().display());
        }
        Ok(())
    }
}

fn undefined_result(e: anyhow::Error) -> anyhow::Error {
    match e.downcast::<MetricError>() {
        Ok(metric) => {
            anyhow::Error::new(metric).context("the simulation produced an undefined result")
        }
        Err(other) => other,
    }
}

fn simulate(args: SimulateArgs) -> Result<()> {
    let session = Session::start(configure(args)?)?;
    let scenario = session.scenario();
    let mut replications_csv = session
        .temporary()?
        .map(|f| ReplicationsCsv::new(f, scenario))
        .transpose()?;
    let mut collected = MetricCollector::new(scenario.strategies.len(), METRIC_COUNT);
    let mut decomposition = DecompositionCollector::default();
    let mut years = YearCollector::default();
    session
        .pool
        .install(|| {
            run(
                scenario,
                session.config.plan,
                &session.progress,
                |metrics| -> Result<()> {
                    if let Some(csv) = replications_csv.as_mut() {
                        csv.write(&metrics)?;
                    }
                    collected.observe(metrics.strategies.iter().map(|row| row.as_slice()));
                    if let Some(d) = &metrics.decomposition {
                        decomposition.observe(&d.parts(), d.total_usd);
                    }
                    years.observe(&metrics.years);
                    Ok(())
                },
            )
        })
        .map_err(undefined_result)?;
    session.progress.finish_and_clear();

    let mut files = Vec::new();
    if let Some(csv) = replications_csv {
        files.push((csv.finish()?, "replications.csv"));
        let summary = write_summary(
            session.temporary()?.expect("a folder exists"),
            scenario,
            &collected,
        )?;
        files.push((summary, "summary.csv"));
        let yearly = write_years(
            session.temporary()?.expect("a folder exists"),
            scenario,
            &years,
        )?;
        files.push((yearly, "years.csv"));
    }
    session.commit(files)?;

    println!("{}\n", scenario.name);
    print!("{}", table::render(scenario, &collected));
    if let Some(comparison) = scenario.comparison {
        print!(
            "\n{}",
            table::render_decomposition(scenario, comparison, &decomposition)
        );
    }
    Ok(())
}

/// The comparison `explain` decomposes: the options, else the scenario's.
fn explain_comparison(
    scenario: &Scenario,
    fragmented: Option<&str>,
    pooled: Option<&str>,
) -> Result<Comparison> {
    let find = |id: &str| {
        scenario
            .strategies
            .iter()
            .position(|s| s.id == id)
            .ok_or_else(|| {
                let known: Vec<&str> = scenario.strategies.iter().map(|s| s.id.as_str()).collect();
                InvalidArgument(format!(
                    "unknown strategy `{id}`; expected one of {}",
                    known.join(", ")
                ))
            })
    };
    let default = scenario.comparison;
    let fragmented = match (fragmented, default) {
        (Some(id), _) => find(id)?,
        (None, Some(c)) => c.fragmented,
        (None, None) => find("solo")?,
    };
    let pooled = match (pooled, default) {
        (Some(id), _) => find(id)?,
        (None, Some(c)) => c.pooled,
        (None, None) => find("pooled")?,
    };
    if fragmented == pooled {
        return Err(InvalidArgument(
            "the fragmented and pooled strategies are the same; expected two different strategies"
                .into(),
        )
        .into());
    }
    Ok(Comparison { fragmented, pooled })
}

fn explain(args: ExplainArgs) -> Result<()> {
    let config = configure(args.simulate)?;
    let comparison = explain_comparison(
        &config.loaded.scenario,
        args.fragmented.as_deref(),
        args.pooled.as_deref(),
    )?;
    let session = Session::start(config)?;
    let scenario = session.scenario();
    let mut decomposition_csv = session
        .temporary()?
        .map(DecompositionCsv::new)
        .transpose()?;
    let mut collected = DecompositionCollector::default();
    session.pool.install(|| {
        run::decompose(
            scenario,
            comparison,
            session.config.plan,
            &session.progress,
            |replication, d| -> Result<()> {
                if let Some(csv) = decomposition_csv.as_mut() {
                    csv.write(replication, &d.parts())?;
                }
                collected.observe(&d.parts(), d.total_usd);
                Ok(())
            },
        )
    })?;
    session.progress.finish_and_clear();

    let mut files = Vec::new();
    if let Some(csv) = decomposition_csv {
        files.push((csv.finish()?, "decomposition.csv"));
        let summary = write_decomposition_summary(
            session.temporary()?.expect("a folder exists"),
            &collected,
        )?;
        files.push((summary, "decomposition_summary.csv"));
    }
    session.commit(files)?;

    println!("{}\n", scenario.name);
    print!(
        "{}",
        table::render_decomposition(scenario, comparison, &collected)
    );
    Ok(())
}

fn progress_bar(replications: u64, quiet: bool) -> ProgressBar {
    if quiet || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(replications), ProgressDrawTarget::stderr());
    bar.set_style(
        ProgressStyle::with_template(
            "{elapsed_precise} [{bar:40}] {pos}/{len} replications, {rate}, eta {eta}",
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
    bar.enable_steady_tick(Duration::from_millis(200));
    bar
}
