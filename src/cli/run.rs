//! `sscsim run`: simulate one scenario, print its tables, write its files.

use anyhow::Result;

use super::session::{Pending, RunFolder, Workers, parquet_error, plan_for, undefined_result};
use super::{InvalidArgument, LoadedScenario, RunArgs, check_memory, print_results};
use crate::format;
use crate::global_sensitivity;
use crate::memory::run_estimate;
use crate::model::Scenario;
use crate::output::csv::{
    ReplicationsCsv, write_centres, write_decomposition_summary, write_differences, write_lines,
    write_sensitivity, write_summary, write_years,
};
use crate::output::global_sensitivity::write_global_sensitivity;
use crate::output::parquet::{ReplicationsParquet, write_years_parquet};
use crate::output::risk::{write_agencies, write_dominance};
use crate::output::table;
use crate::output::voi::{voi_line, write_voi};
use crate::results::ResultFile;
use crate::results::{PrecisionReached, PrecisionRecord};
use crate::run::Interrupted;
use crate::run::{ReplicationMetrics, RunPlan};
use crate::shard::Shard;
use crate::simulate::Collected;
use crate::simulate::collect_finished;
use crate::stats::precision::{Precision, PrecisionMetric};
use tempfile::NamedTempFile;

pub(crate) fn run(args: RunArgs) -> Result<()> {
    let precision = args.precision.map(|percent| Precision {
        percent,
        max_replications: args.max_replications,
        metric: args
            .precision_metric
            .map_or(PrecisionMetric::Headline, PrecisionMetric::Named),
    });
    let shard = shard_of(&args)?;
    let design = args.global_sensitivity;
    let parquet = args.parquet;
    let args = args.simulate;
    let loaded = args.load()?;
    let plan = plan_for(&loaded, &args.options);
    if let Some(shard) = shard {
        return super::shard::run_shard(&loaded, plan, shard, &args, parquet);
    }
    if let Some(p) = precision
        && p.max_replications < plan.replications
    {
        return Err(InvalidArgument(format!(
            "--max-replications {} is below the {} replications to start from; expected at least {}",
            p.max_replications, plan.replications, plan.replications
        ))
        .into());
    }
    if let Some(p) = precision {
        p.metric.check(&loaded.scenario).map_err(InvalidArgument)?;
    }
    let workers = Workers::start(&args.options, plan.replications)?;
    let most = precision.map_or(plan.replications, |p| p.max_replications);
    check_memory(
        &run_estimate(&loaded.scenario, workers.workload(most, true)),
        args.options.common.memory_limit,
    )?;
    match precision {
        Some(p) => workers.announce_replications(
            &loaded.source_name,
            &precision_banner(&loaded.scenario, plan, p),
            plan,
        ),
        None => workers.announce(&loaded.source_name, plan),
    }
    let comparison = loaded.scenario.comparison;
    let mut folder = args.folder(&loaded, plan, &workers, "run", comparison)?;
    if let Some(folder) = folder.as_mut() {
        folder.set_parquet(parquet);
    }
    let (collected, pending) = simulate(&loaded, plan, precision, design, &workers, folder)?;
    if let Some(pending) = pending {
        workers.report(&pending.commit()?);
    }
    workers.progress.finish_and_clear();
    args.extras.write(args.out.as_deref(), &workers)?;
    let mut text = partial_note(&collected);
    text += &results_text(&loaded.scenario, &collected, plan.seed);
    if let Some(precision) = precision.filter(|_| !collected.partial) {
        let record = precision_record(&loaded.scenario, &collected, precision);
        text += "\n";
        text += &precision_report(&record, collected.replications);
    }
    print_results(&text)?;
    if collected.partial {
        // Exit 130, naming what was kept.
        return Err(Interrupted.into());
    }
    Ok(())
}

/// The line above the tables of a run cut short; empty for a whole run.
pub(crate) fn partial_note(collected: &Collected) -> String {
    if collected.partial {
        format!(
            "PARTIAL: the run was stopped; these results are of the {} replications \
             finished from the first.\n\n",
            collected.replications
        )
    } else {
        String::new()
    }
}

/// The shard `--shard` or `--shards` asks for, if any, checked against the
/// other options: a shard runs a fixed block of replications into a folder
/// that only `merge` reads.
fn shard_of(args: &RunArgs) -> Result<Option<Shard>> {
    let shard = match (args.shard, args.shards) {
        (Some(shard), _) => shard,
        (None, Some(count)) => Shard::from_env(count, |name| std::env::var(name).ok())
            .map_err(|e| InvalidArgument(e.to_string()))?,
        (None, None) => return Ok(None),
    };
    let refuse = |option: &str, why: &str| -> Result<Option<Shard>> {
        Err(InvalidArgument(format!("{option} cannot be used with a shard: {why}")).into())
    };
    if args.precision.is_some() {
        return refuse(
            "--precision",
            "a precision target decides the number of replications as results come in, \
             so the run cannot be split in advance; run with a fixed -n, or without shards",
        );
    }
    if args.global_sensitivity.is_some() {
        return refuse(
            "--global-sensitivity",
            "its design runs once on the whole run's seed after the replications, \
             not per shard; run it without shards",
        );
    }
    let extras = &args.simulate.extras;
    if extras.xlsx || extras.report {
        return refuse(
            if extras.xlsx { "--xlsx" } else { "--report" },
            "a shard's folder holds its replications for `sscsim merge`, not results; \
             give the option to `sscsim merge` instead",
        );
    }
    Ok(Some(shard))
}

/// The tables of a scenario's results, as printed to stdout, and the
/// value of information of its replications, which ran under `seed`.
pub(crate) fn results_text(scenario: &Scenario, collected: &Collected, seed: u64) -> String {
    let mut text = format!(
        "{}\n\n{}",
        scenario.name,
        table::render(scenario, &collected.metrics)
    );
    if let Some(comparison) = scenario.comparison {
        text += "\n";
        text += &table::render_decomposition(scenario, comparison, &collected.decomposition);
    }
    if let Some(risk) = collected.risk.most_at_risk() {
        text += &format!(
            "\nUnder `{}`, `{}` is the agency most often worse off than in the status quo: \
             in {} of {} replications (agencies.csv)\n",
            scenario.strategies[risk.strategy].id,
            scenario.agencies[risk.agency].id,
            format::probability(risk.probability_worse_off),
            risk.savings.n,
        );
    }
    if let Some(voi) = collected.value_of_information(scenario, seed) {
        text += "\n";
        text += &voi_line(&voi);
    }
    text
}

/// How many replications a run to `precision` takes, for the banner: it
/// starts from the plan's and goes on until the target is met.
fn precision_banner(scenario: &Scenario, plan: RunPlan, precision: Precision) -> String {
    let strategies: Vec<String> = (precision.metric.strategies(scenario).iter())
        .map(|&s| format!("`{}`", scenario.strategies[s].id))
        .collect();
    format!(
        "{} replications, then more until the mean {} of {} is known within ±{}% \
         (95% confidence), up to {} replications",
        plan.replications,
        precision.metric.metric(scenario).name(),
        strategies.join(", "),
        precision.percent,
        precision.max_replications
    )
}

/// What a precision target reached after the replications `collected`
/// ran: for `manifest.toml`, and the last lines printed.
fn precision_record(
    scenario: &Scenario,
    collected: &Collected,
    precision: Precision,
) -> PrecisionRecord {
    let strategy: Vec<PrecisionReached> = (precision.reached(scenario, &collected.metrics))
        .into_iter()
        .map(|r| PrecisionReached {
            id: scenario.strategies[r.strategy].id.clone(),
            half_width_percent: r.half_width_percent,
            reached: precision.meets(r.half_width_percent),
        })
        .collect();
    PrecisionRecord {
        metric: precision.metric.metric(scenario).name().to_owned(),
        target_half_width_percent: precision.percent,
        max_replications: precision.max_replications,
        reached: strategy.iter().all(|s| s.reached),
        strategy,
    }
}

/// What a precision target led to: the replications it took, and for each
/// targeted strategy the half-width its mean reached against the target.
fn precision_report(record: &PrecisionRecord, replications: u64) -> String {
    let target = record.target_half_width_percent;
    let mut text = if record.reached {
        format!(
            "Precision reached after {replications} replications: the mean {} is known within ±{target}% (half-width of its 95% confidence interval, relative to the mean):\n",
            record.metric
        )
    } else {
        format!(
            "Precision NOT reached: after {replications} replications (--max-replications) the mean {} is not known within ±{target}% (half-width of its 95% confidence interval, relative to the mean) for every strategy:\n",
            record.metric
        )
    };
    let width = (record.strategy.iter())
        .map(|s| s.id.chars().count())
        .max()
        .unwrap_or(0);
    for s in &record.strategy {
        let reached = if s.reached { "reached" } else { "NOT reached" };
        let half_width = if s.half_width_percent.is_finite() {
            format!("±{:.2}%", s.half_width_percent)
        } else {
            "unbounded (a mean of 0, or no values)".to_owned()
        };
        text += &format!(
            "  {:width$}  {half_width} (target ±{target}%): {reached}\n",
            s.id
        );
    }
    text
}

/// Runs a scenario's replications — with a precision target, until it is
/// met; when stopped, those finished from the first ([`Collected::partial`];
/// none is an [`Interrupted`] error) — and with a folder, streams `replications.csv` into it and writes
/// `summary.csv`, `years.csv`, `centres.csv`, `differences.csv`, `lines.csv`,
/// `sensitivity.csv`, `global_sensitivity.csv` (with a design of
/// `design` base samples, if given), `decomposition_summary.csv` (with a
/// comparison) and the manifest at the end, all under temporary names
/// until the caller commits them.
pub(crate) fn simulate(
    loaded: &LoadedScenario,
    plan: RunPlan,
    precision: Option<Precision>,
    design: Option<u64>,
    workers: &Workers,
    mut folder: Option<RunFolder>,
) -> Result<(Collected, Option<Pending>)> {
    let scenario = &loaded.scenario;
    let mut replication_files = folder
        .as_ref()
        .map(|f| ReplicationFiles::start(f, scenario))
        .transpose()?;
    let collected = workers
        .install(|control| {
            collect_finished(
                scenario,
                plan,
                precision,
                control,
                |metrics| -> Result<()> {
                    if let Some(files) = replication_files.as_mut() {
                        files.write(metrics)?;
                    }
                    Ok(())
                },
            )
        })
        .map_err(undefined_result)?;
    if collected.partial {
        super::keep_finished();
        if collected.replications == 0 {
            return Err(Interrupted.into());
        }
    }
    let done = collected.replications;
    let plan = RunPlan {
        replications: done,
        ..plan
    };
    if let Some(folder) = folder.as_mut() {
        folder.set_replications(done);
        if collected.partial {
            folder.set_partial();
        }
        if let Some(precision) = precision {
            folder.set_precision(precision_record(scenario, &collected, precision));
        }
    }

    let pending = match (folder, replication_files) {
        (Some(folder), Some(files)) => Some(write_results(
            folder, scenario, plan, &collected, design, files, workers,
        )?),
        _ => None,
    };
    Ok((collected, pending))
}

/// The per-replication tables a run streams into its folder as
/// replications complete: `replications.csv`, and with `--parquet`
/// ([`RunFolder::parquet`]) `replications.parquet`.
pub(crate) struct ReplicationFiles {
    csv: ReplicationsCsv<NamedTempFile>,
    parquet: Option<ReplicationsParquet<NamedTempFile>>,
}

impl ReplicationFiles {
    /// Starts the files under temporary names in `folder`.
    pub(crate) fn start(folder: &RunFolder, scenario: &Scenario) -> Result<Self> {
        let csv = ReplicationsCsv::new(folder.temporary()?, folder.dialect(), scenario)?;
        let parquet = folder
            .parquet()
            .then(|| ReplicationsParquet::new(folder.temporary()?, scenario).map_err(parquet_error))
            .transpose()?;
        Ok(ReplicationFiles { csv, parquet })
    }

    /// Writes one replication's rows.
    pub(crate) fn write(&mut self, metrics: &ReplicationMetrics) -> Result<()> {
        self.csv.write(metrics)?;
        if let Some(parquet) = self.parquet.as_mut() {
            parquet.write(metrics).map_err(parquet_error)?;
        }
        Ok(())
    }

    /// The finished files, under temporary names, with the names to commit
    /// them under.
    pub(crate) fn finish(self) -> Result<Vec<(NamedTempFile, &'static str)>> {
        let mut files = vec![(self.csv.finish()?, ResultFile::Replications.name())];
        if let Some(parquet) = self.parquet {
            let file = parquet.finish().map_err(parquet_error)?;
            files.push((file, ResultFile::ReplicationsParquet.name()));
        }
        Ok(files)
    }
}

/// Writes the results of `plan`'s replications, `collected`, into `folder`
/// after their `replications` files: `summary.csv`, `years.csv` (and
/// `years.parquet` with `--parquet`),
/// `centres.csv`, `differences.csv`, `lines.csv`, `sensitivity.csv` (whose swings this runs),
/// `agencies.csv`, `dominance.csv`, `voi.csv` (with more than one strategy),
/// `global_sensitivity.csv` (whose design of `design` base samples this
/// runs, if given and the run is whole),
/// `decomposition_summary.csv` (with a comparison), and the manifest, all
/// under temporary names until the returned [`Pending`] is committed.
pub(crate) fn write_results(
    folder: RunFolder,
    scenario: &Scenario,
    plan: RunPlan,
    collected: &Collected,
    design: Option<u64>,
    replications: ReplicationFiles,
    workers: &Workers,
) -> Result<Pending> {
    let sensitivity =
        workers.install(|control| collected.sensitivity(scenario, plan.seed, control))?;
    // A run cut short gets no design: it would run more after the stop.
    let design = design.filter(|_| !collected.partial);
    let global = workers.install(|control| {
        global_sensitivity::analyse(scenario, plan.seed, &collected.inputs, design, control)
    })?;
    let dialect = folder.dialect();
    {
        let mut files = replications.finish()?;
        files.extend([
            (
                write_summary(folder.temporary()?, dialect, scenario, &collected.metrics)?,
                ResultFile::Summary.name(),
            ),
            (
                write_years(folder.temporary()?, dialect, scenario, &collected.years)?,
                ResultFile::Years.name(),
            ),
            (
                write_centres(folder.temporary()?, dialect, scenario, &collected.centres)?,
                ResultFile::Centres.name(),
            ),
            (
                write_differences(
                    folder.temporary()?,
                    dialect,
                    scenario,
                    &collected.differences,
                )?,
                ResultFile::Differences.name(),
            ),
            (
                write_lines(folder.temporary()?, dialect, scenario, &collected.lines)?,
                ResultFile::Lines.name(),
            ),
            (
                write_sensitivity(folder.temporary()?, dialect, scenario, &sensitivity)?,
                ResultFile::Sensitivity.name(),
            ),
            (
                write_agencies(folder.temporary()?, dialect, scenario, &collected.risk)?,
                ResultFile::Agencies.name(),
            ),
            (
                write_dominance(folder.temporary()?, dialect, scenario, &collected.risk)?,
                ResultFile::Dominance.name(),
            ),
            (
                write_global_sensitivity(folder.temporary()?, dialect, scenario, &global)?,
                ResultFile::GlobalSensitivity.name(),
            ),
        ]);
        if folder.parquet() {
            let years = write_years_parquet(folder.temporary()?, scenario, &collected.years)
                .map_err(parquet_error)?;
            files.push((years, ResultFile::YearsParquet.name()));
        }
        if let Some(voi) = collected.value_of_information(scenario, plan.seed) {
            files.push((
                write_voi(folder.temporary()?, dialect, &voi)?,
                ResultFile::Voi.name(),
            ));
        }
        if scenario.comparison.is_some() {
            files.push((
                write_decomposition_summary(
                    folder.temporary()?,
                    dialect,
                    &collected.decomposition,
                )?,
                ResultFile::DecompositionSummary.name(),
            ));
        }
        folder.prepare(files)
    }
}
