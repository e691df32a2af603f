//! `sscsim run`: simulate one scenario, print its tables, write its files.

use anyhow::Result;

use super::report;
use super::session::{RunFolder, Workers, plan_for, undefined_result};
use super::{LoadedScenario, SimulateArgs, load};
use crate::metrics::METRIC_COUNT;
use crate::output::csv::{ReplicationsCsv, write_summary, write_years};
use crate::output::table;
use crate::run::{self as engine, RunPlan};
use crate::stats::{DecompositionCollector, MetricCollector, YearCollector};

/// Everything collected over a scenario's replications.
pub struct Collected {
    /// Every strategy's metrics.
    pub metrics: MetricCollector,
    /// The fragmented–pooled gap and its parts.
    pub decomposition: DecompositionCollector,
    /// Every strategy's yearly figures.
    pub years: YearCollector,
}

pub fn run(args: SimulateArgs) -> Result<()> {
    let loaded = load(args.scenario.as_deref())?;
    let plan = plan_for(&loaded, &args.options);
    let workers = Workers::start(&args.options, plan.replications)?;
    workers.announce(&loaded.source_name, plan);
    let folder = args
        .out
        .as_ref()
        .map(|out| RunFolder::create(out, &loaded, plan, workers.threads))
        .transpose()?;
    let collected = simulate(&loaded, plan, &workers, folder)?;
    workers.progress.finish_and_clear();

    let scenario = &loaded.scenario;
    println!("{}\n", scenario.name);
    print!("{}", table::render(scenario, &collected.metrics));
    if let Some(comparison) = scenario.comparison {
        print!(
            "\n{}",
            table::render_decomposition(scenario, comparison, &collected.decomposition)
        );
    }
    if let (true, Some(out)) = (args.report, &args.out) {
        report::after_results(out, &workers)?;
    }
    Ok(())
}

/// Runs a scenario's replications; with a folder, streams
/// `replications.csv` into it and writes `summary.csv`, `years.csv` and the
/// manifest at the end.
pub fn simulate(
    loaded: &LoadedScenario,
    plan: RunPlan,
    workers: &Workers,
    folder: Option<RunFolder>,
) -> Result<Collected> {
    let scenario = &loaded.scenario;
    let mut replications_csv = folder
        .as_ref()
        .map(|f| Ok::<_, anyhow::Error>(ReplicationsCsv::new(f.temporary()?, scenario)?))
        .transpose()?;
    let mut collected = Collected {
        metrics: MetricCollector::new(scenario.strategies.len(), METRIC_COUNT),
        decomposition: DecompositionCollector::default(),
        years: YearCollector::default(),
    };
    workers
        .pool
        .install(|| {
            engine::run(scenario, plan, &workers.progress, |metrics| -> Result<()> {
                if let Some(csv) = replications_csv.as_mut() {
                    csv.write(&metrics)?;
                }
                collected
                    .metrics
                    .observe(metrics.strategies.iter().map(|row| row.as_slice()));
                if let Some(d) = &metrics.decomposition {
                    collected.decomposition.observe(&d.parts(), d.total_usd);
                }
                collected.years.observe(&metrics.years);
                Ok(())
            })
        })
        .map_err(undefined_result)?;

    if let (Some(folder), Some(csv)) = (folder, replications_csv) {
        let files = vec![
            (csv.finish()?, "replications.csv"),
            (
                write_summary(folder.temporary()?, scenario, &collected.metrics)?,
                "summary.csv",
            ),
            (
                write_years(folder.temporary()?, scenario, &collected.years)?,
                "years.csv",
            ),
        ];
        let message = folder.commit(files)?;
        workers.report(&message);
    }
    Ok(collected)
}
