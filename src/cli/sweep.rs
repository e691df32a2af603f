//! `sscsim sweep`: the scenario run at evenly spaced values of one of its
//! numbers, on common random numbers, into `sweep.csv`.

use std::path::Path;

use anyhow::Result;
use clap::Args;

use super::session::{RunFolder, Workers, plan_for, undefined_result};
use super::{
    InvalidScenario, LoadedScenario, SimulateArgs, SimulationOptions, check_memory, print_results,
};
use crate::memory::run_estimate;
use crate::output::sweep::{SweptValue, render_sweep, write_sweep};
use crate::results::{ResultFile, VaryRecord};
use crate::run::{Interrupted, RunError};
use crate::stats::MetricCollector;
use crate::sweep::{MAX_STEPS, Varied, Vary, sweep_point};
use crate::text::counted;

/// Arguments of `sweep`.
#[derive(Debug, Args)]
pub(crate) struct SweepArgs {
    /// The number to vary and its range: a dotted KEY as --set takes it
    /// (the ids of sensitivity.csv's inputs), then =FROM..TO, e.g.
    /// location.budapest.annual_cost_usd_per_fte.GS=20000..40000.
    #[arg(long, value_name = "KEY=FROM..TO", value_parser = parse_vary)]
    pub(crate) vary: Vary,
    /// How many evenly spaced values, both ends included.
    #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u64).range(1..=MAX_STEPS))]
    steps: u64,
    /// The scenario, options and result folder, as `run` takes them (the
    /// command's `--out` help names its files).
    #[command(flatten)]
    simulate: SimulateArgs,
}

/// `--vary` as clap reads it.
pub(crate) fn parse_vary(text: &str) -> Result<Vary, String> {
    Vary::parse(text)
}

/// The scenario's text and overrides with `key` to set.
pub(crate) fn varied<'a>(loaded: &'a LoadedScenario, key: &'a str) -> Varied<'a> {
    Varied {
        source_name: &loaded.source_name,
        text: &loaded.text,
        overrides: &loaded.overrides,
        key,
    }
}

/// The `--out` folder of `command` (a sweep or a break-even search), when
/// one is asked for; its manifest records the scenario's own comparison.
pub(crate) fn out_folder<'a>(
    out: Option<&Path>,
    options: &SimulationOptions,
    loaded: &'a LoadedScenario,
    workers: &Workers,
    command: &'static str,
) -> Result<Option<RunFolder<'a>>> {
    out.map(|out| {
        RunFolder::create(
            out,
            options.common,
            loaded,
            plan_for(loaded, options),
            workers.threads,
            command,
            loaded.scenario.comparison,
        )
    })
    .transpose()
}

pub(crate) fn sweep(args: SweepArgs) -> Result<()> {
    let loaded = args.simulate.load()?;
    let varied = varied(&loaded, &args.vary.key);
    let values = args.vary.values(args.steps);
    // Every value is checked before anything runs or is written.
    let scenarios = values
        .iter()
        .map(|&v| varied.scenario_at(v).map_err(InvalidScenario))
        .collect::<Result<Vec<_>, _>>()?;
    let plan = plan_for(&loaded, &args.simulate.options);
    let workers = Workers::start(&args.simulate.options, plan.replications * args.steps)?;
    check_memory(
        &run_estimate(&loaded.scenario, workers.workload(plan.replications, true)),
        args.simulate.options.common.memory_limit,
    )?;
    workers.announce(
        &format!(
            "{}, {} of {}",
            loaded.source_name,
            counted(args.steps, "value", "values"),
            args.vary.key
        ),
        plan,
    );
    let mut folder = out_folder(
        args.simulate.out.as_deref(),
        &args.simulate.options,
        &loaded,
        &workers,
        "sweep",
    )?;
    let mut finished: Vec<(f64, MetricCollector)> = Vec::new();
    for (&value, scenario) in values.iter().zip(&scenarios) {
        match workers.install(|control| sweep_point(scenario, plan, control, |_| {})) {
            Ok(collected) => finished.push((value, collected)),
            Err(RunError::Interrupted(_)) => break,
            Err(RunError::Metric(e)) => return Err(undefined_result(e.into())),
        }
    }
    workers.progress.finish_and_clear();
    let partial = finished.len() < values.len();
    if partial {
        // The values finished are whole; the one under way is dropped.
        super::keep_finished();
        if finished.is_empty() {
            return Err(Interrupted.into());
        }
    }
    let swept: Vec<SweptValue> = finished
        .iter()
        .map(|(value, metrics)| SweptValue {
            value: *value,
            metrics,
        })
        .collect();
    if let Some(folder) = folder.as_mut() {
        folder.set_vary(VaryRecord {
            key: args.vary.key.clone(),
            from: args.vary.from,
            to: args.vary.to,
            steps: Some(args.steps),
            strategy: None,
            versus: None,
        });
        if partial {
            folder.set_partial();
        }
    }
    if let Some(folder) = folder {
        let file = write_sweep(
            folder.temporary()?,
            folder.dialect(),
            &loaded.scenario,
            &args.vary.key,
            &swept,
        )?;
        workers.report(&folder.commit(vec![(file, ResultFile::Sweep.name())])?);
        args.simulate
            .extras
            .write(args.simulate.out.as_deref(), &workers)?;
    }
    let mut text = String::new();
    if partial {
        text += &format!(
            "PARTIAL: the sweep was stopped; these are the {} values finished, \
             each over all its replications.\n\n",
            swept.len()
        );
    }
    text += &render_sweep(&loaded.scenario, &args.vary.key, &swept);
    print_results(&format!("{}\n\n{text}", loaded.scenario.name))?;
    if partial {
        return Err(Interrupted.into());
    }
    Ok(())
}
