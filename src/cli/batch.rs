//! `sscsim batch`: run every scenario of some folders and files, each into
//! its own sub-folder, with one progress bar, and compare them: the
//! headline printed, `comparison.csv`, and on request a workbook and a
//! report page of the scenarios side by side.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use super::run::simulate;
use super::session::{
    Pending, RunFolder, Workers, check_apart, check_not_a_file, output_folder, plan_for,
};
use super::{
    BatchArgs, InvalidArgument, InvalidScenario, LoadedScenario, Overrides, WarningOptions,
    check_memory, load, print_results,
};
use crate::memory::run_estimate;
use crate::output::csv::{BatchScenario, NotRunScenario, write_comparison};
use crate::output::table;
use crate::results::ResultFile;
use crate::run::{Interrupted, RunPlan};
use crate::simulate::Collected;

pub(crate) fn batch(args: BatchArgs) -> Result<()> {
    check_apart(&args.out, &args.inputs)?;
    let files = scenario_files(&args.inputs)?;
    let scenarios = load_all(&files, &args.options.overrides, args.options.warnings)?;
    for (name, _) in &scenarios {
        check_not_a_file(&args.out.join(name), "the result folder")?;
    }
    let plans: Vec<_> = scenarios
        .iter()
        .map(|(_, s)| plan_for(s, &args.options))
        .collect();
    let workers = Workers::start(&args.options, plans.iter().map(|p| p.replications).sum())?;
    for ((_, loaded), plan) in scenarios.iter().zip(&plans) {
        let workload = workers.workload(plan.replications, true);
        check_memory(
            &run_estimate(&loaded.scenario, workload),
            args.options.common.memory_limit,
        )?;
    }
    let out = output_folder(&args.out, args.options.common.force)?;

    // Every scenario's files stay under temporary names until all have
    // run: a batch that fails leaves no folder that looks complete beside
    // others that are missing. A batch that is stopped keeps the scenarios
    // it finished whole and the one it was running partial.
    let mut results: Vec<(String, &LoadedScenario, Collected)> = Vec::new();
    let mut pending = Vec::new();
    let mut not_run = Vec::new();
    for ((name, loaded), plan) in scenarios.iter().zip(&plans) {
        if workers.stopped() {
            not_run.push(name.as_str());
            continue;
        }
        let ran = run_one(name, loaded, *plan, &args, &workers);
        let (collected, files) = match ran {
            Err(e) if workers.stopped() && e.is::<Interrupted>() => {
                not_run.push(name.as_str());
                continue;
            }
            ran => ran.with_context(|| {
                format!(
                    "{} failed; no results of the batch were written",
                    loaded.source_name
                )
            })?,
        };
        results.push((name.clone(), loaded, collected));
        pending.extend(files);
    }
    workers.progress.finish_and_clear();
    if results.is_empty() {
        return Err(Interrupted.into());
    }

    let rows: Vec<_> = results
        .iter()
        .map(|(name, loaded, c)| BatchScenario {
            name,
            scenario: &loaded.scenario,
            metrics: &c.metrics,
            replications: c.replications,
            partial: c.partial,
        })
        .collect();
    let not_run_rows: Vec<_> = scenarios
        .iter()
        .filter(|(name, _)| not_run.contains(&name.as_str()))
        .map(|(name, loaded)| NotRunScenario {
            name,
            horizon_years: loaded.scenario.settings.horizon_years,
        })
        .collect();
    let comparison = write_comparison(
        out.temporary()?,
        args.options.common.dialect(),
        &rows,
        &not_run_rows,
    )?;
    for files in pending {
        workers.report(&files.commit()?);
    }
    let name = ResultFile::Comparison.name();
    out.commit(vec![(comparison, name)])
        .with_context(|| format!("cannot write {name}"))?;
    workers.report(&format!("wrote {name} to {}", args.out.display()));
    args.extras.write(Some(&args.out), &workers)?;
    print_results(&(table::render_batch(&rows) + &stopped_note(&rows, &not_run)))?;
    if workers.stopped() {
        return Err(Interrupted.into());
    }
    Ok(())
}

/// What a stopped batch says under its headline: which scenarios are
/// partial and which did not run; empty for a batch that ran whole.
fn stopped_note(rows: &[BatchScenario], not_run: &[&str]) -> String {
    let partial: Vec<&str> = rows.iter().filter(|b| b.partial).map(|b| b.name).collect();
    let mut note = String::new();
    if !partial.is_empty() {
        note += &format!(
            "\nStopped: {} partial (the replications finished from the first); \
             the other scenarios above ran whole.\n",
            partial.join(", ")
        );
    }
    if !not_run.is_empty() {
        note += &format!("Not run (stopped before): {}.\n", not_run.join(", "));
    }
    note
}

/// Runs one scenario of the batch into its sub-folder `name`, leaving its
/// files pending.
fn run_one(
    name: &str,
    loaded: &LoadedScenario,
    plan: RunPlan,
    args: &BatchArgs,
    workers: &Workers,
) -> Result<(Collected, Option<Pending>)> {
    workers.announce(&loaded.source_name, plan);
    // The batch's folder was empty, or --force was given.
    let out = args.out.join(name);
    let folder = RunFolder::for_run(&out, args.options.common, loaded, plan, workers)?;
    simulate(loaded, plan, None, None, workers, Some(folder))
}

/// The scenario files named, with each folder's `.toml` files in name order.
fn scenario_files(inputs: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for input in inputs {
        if input.is_dir() {
            let mut found: Vec<PathBuf> = std::fs::read_dir(input)
                .with_context(|| format!("cannot read folder {}", input.display()))?
                .filter_map(|entry| entry.ok().map(|e| e.path()))
                .filter(|p| p.is_file() && p.extension().is_some_and(|e| e == "toml"))
                .collect();
            if found.is_empty() {
                return Err(InvalidArgument(format!(
                    "folder {} has no .toml scenario files",
                    input.display()
                ))
                .into());
            }
            found.sort();
            files.extend(found);
        } else {
            files.push(input.clone());
        }
    }
    Ok(files)
}

/// Loads every file, reporting every invalid one before anything runs. Each
/// scenario is named by its file stem, made unique with a number.
fn load_all(
    files: &[PathBuf],
    overrides: &Overrides,
    warnings: WarningOptions,
) -> Result<Vec<(String, LoadedScenario)>> {
    let mut loaded = Vec::new();
    let mut invalid = Vec::new();
    let mut names = HashSet::new();
    for file in files {
        match load(Some(file), overrides, warnings) {
            Ok(scenario) => loaded.push((unique_name(file, &mut names), scenario)),
            Err(e) => match e.downcast::<InvalidScenario>() {
                Ok(InvalidScenario(diagnostics)) => invalid.extend(diagnostics),
                Err(other) => return Err(other),
            },
        }
    }
    if invalid.is_empty() {
        Ok(loaded)
    } else {
        Err(InvalidScenario(invalid).into())
    }
}

fn unique_name(file: &Path, taken: &mut HashSet<String>) -> String {
    let stem = file.file_stem().map_or_else(
        || "scenario".to_owned(),
        |s| s.to_string_lossy().into_owned(),
    );
    let mut name = stem.clone();
    let mut n = 2;
    while !taken.insert(name.clone()) {
        name = format!("{stem}-{n}");
        n += 1;
    }
    name
}
