//! `sscsim run`: simulate one scenario, print its tables, write its files.

use anyhow::Result;

use super::session::{Pending, RunFolder, Workers, plan_for, undefined_result};
use super::{InvalidArgument, LoadedScenario, RunArgs, check_memory, load, print_results};
use crate::memory::run_estimate;
use crate::model::Scenario;
use crate::output::csv::{
    ReplicationsCsv, write_centres, write_decomposition_summary, write_differences, write_lines,
    write_sensitivity, write_summary, write_years,
};
use crate::output::table;
use crate::results::ResultFile;
use crate::run::RunPlan;
use crate::shard::Shard;
use crate::simulate::Collected;
use crate::simulate::collect;
use crate::stats::precision::{Precision, savings_half_widths};
use tempfile::NamedTempFile;

pub(crate) fn run(args: RunArgs) -> Result<()> {
    let precision = args.precision.map(|percent| Precision {
        percent,
        max_replications: args.max_replications,
    });
    let shard = shard_of(&args)?;
    let args = args.simulate;
    let loaded = load(args.scenario.as_deref(), &args.options.overrides)?;
    let plan = plan_for(&loaded, &args.options);
    if let Some(shard) = shard {
        return super::shard::run_shard(&loaded, plan, shard, &args);
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
    let workers = Workers::start(&args.options, plan.replications)?;
    let most = precision.map_or(plan.replications, |p| p.max_replications);
    check_memory(
        &run_estimate(&loaded.scenario, workers.workload(most, true)),
        args.options.common.memory_limit,
    )?;
    workers.announce(&loaded.source_name, plan);
    let common = args.options.common;
    let folder = args
        .out
        .as_ref()
        .map(|out| RunFolder::for_run(out, common, &loaded, plan, &workers))
        .transpose()?;
    let (collected, pending) = simulate(&loaded, plan, precision, &workers, folder)?;
    if let Some(pending) = pending {
        workers.report(&pending.commit()?);
    }
    workers.progress.finish_and_clear();
    args.extras.write(args.out.as_deref(), &workers)?;
    let mut text = results_text(&loaded.scenario, &collected);
    if let Some(precision) = precision {
        text += "\n";
        text += &precision_report(&loaded.scenario, &collected, precision);
    }
    print_results(&text)
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

/// The tables of a scenario's results, as printed to stdout.
pub(crate) fn results_text(scenario: &Scenario, collected: &Collected) -> String {
    let mut text = format!(
        "{}\n\n{}",
        scenario.name,
        table::render(scenario, &collected.metrics)
    );
    if let Some(comparison) = scenario.comparison {
        text += "\n";
        text += &table::render_decomposition(scenario, comparison, &collected.decomposition);
    }
    text
}

/// What a precision target led to: the replications it took, and the widest
/// half-width of mean savings.
fn precision_report(scenario: &Scenario, collected: &Collected, precision: Precision) -> String {
    let widths = savings_half_widths(&collected.metrics, scenario.strategies.len());
    let (widest, strategy) = widths
        .iter()
        .zip(&scenario.strategies[1..])
        .map(|(w, s)| (*w, s.id.as_str()))
        .fold((0.0, ""), |a, b| if b.0 > a.0 { b } else { a });
    let n = collected.replications;
    if widest <= precision.percent {
        format!(
            "Precision: every strategy's mean savings is known within ±{widest:.2}% (95% confidence; target ±{}%) after {n} replications.\n",
            precision.percent
        )
    } else {
        format!(
            "Precision NOT reached: after {n} replications (--max-replications) the mean savings of `{strategy}` is known within ±{widest:.2}% only (target ±{}%).\n",
            precision.percent
        )
    }
}

/// Runs a scenario's replications — with a precision target, until it is
/// met — and with a folder, streams `replications.csv` into it and writes
/// `summary.csv`, `years.csv`, `centres.csv`, `differences.csv`, `lines.csv`,
/// `sensitivity.csv`, `decomposition_summary.csv` (with a comparison) and the manifest at the
/// end, all under temporary names until the caller commits them.
pub(crate) fn simulate(
    loaded: &LoadedScenario,
    plan: RunPlan,
    precision: Option<Precision>,
    workers: &Workers,
    mut folder: Option<RunFolder>,
) -> Result<(Collected, Option<Pending>)> {
    let scenario = &loaded.scenario;
    let mut replications_csv = folder
        .as_ref()
        .map(|f| {
            Ok::<_, anyhow::Error>(ReplicationsCsv::new(f.temporary()?, f.dialect(), scenario)?)
        })
        .transpose()?;
    let collected = workers
        .install(|control| {
            collect(
                scenario,
                plan,
                precision,
                control,
                |metrics| -> Result<()> {
                    if let Some(csv) = replications_csv.as_mut() {
                        csv.write(metrics)?;
                    }
                    Ok(())
                },
            )
        })
        .map_err(undefined_result)?;
    let done = collected.replications;
    let plan = RunPlan {
        replications: done,
        ..plan
    };
    if let Some(folder) = folder.as_mut() {
        folder.set_replications(done);
    }

    let pending = match (folder, replications_csv) {
        (Some(folder), Some(csv)) => Some(write_results(
            folder, scenario, plan, &collected, csv, workers,
        )?),
        _ => None,
    };
    Ok((collected, pending))
}

/// Writes the results of `plan`'s replications, `collected`, into `folder`
/// after their `replications.csv`: `summary.csv`, `years.csv`,
/// `centres.csv`, `differences.csv`, `lines.csv`, `sensitivity.csv` (whose swings this runs),
/// `decomposition_summary.csv` (with a comparison), and the manifest, all
/// under temporary names until the returned [`Pending`] is committed.
pub(crate) fn write_results(
    folder: RunFolder,
    scenario: &Scenario,
    plan: RunPlan,
    collected: &Collected,
    csv: ReplicationsCsv<NamedTempFile>,
    workers: &Workers,
) -> Result<Pending> {
    let sensitivity =
        workers.install(|control| collected.sensitivity(scenario, plan.seed, control))?;
    let dialect = folder.dialect();
    {
        let mut files = vec![
            (csv.finish()?, ResultFile::Replications.name()),
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
        ];
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
