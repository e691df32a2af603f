//! `sscsim explain`: decompose the economies of scale lost into mechanisms.

use anyhow::Result;

use super::session::{Workers, plan_for};
use super::{ExplainArgs, InvalidArgument, check_memory};
use crate::memory::run_estimate;
use crate::model::{Comparison, Scenario};
use crate::output::csv::{DecompositionCsv, write_decomposition_summary};
use crate::output::table;
use crate::results::ResultFile;
use crate::run::decompose;
use crate::stats::DecompositionCollector;

pub(crate) fn explain(args: ExplainArgs) -> Result<()> {
    let loaded = args.simulate.load()?;
    let scenario = &loaded.scenario;
    let comparison = comparison(scenario, args.fragmented.as_deref(), args.pooled.as_deref())?;
    let plan = plan_for(&loaded, &args.simulate.options);
    let workers = Workers::start(&args.simulate.options, plan.replications)?;
    let workload = workers.workload(plan.replications, false);
    check_memory(
        &run_estimate(scenario, workload),
        args.simulate.options.common.memory_limit,
    )?;
    workers.announce(&loaded.source_name, plan);
    let folder = args
        .simulate
        .folder(&loaded, plan, &workers, "explain", Some(comparison))?;
    let mut csv = folder
        .as_ref()
        .map(|f| Ok::<_, anyhow::Error>(DecompositionCsv::new(f.temporary()?, f.dialect())?))
        .transpose()?;
    let mut collected = DecompositionCollector::default();
    workers.install(|control| {
        decompose(
            scenario,
            comparison,
            plan,
            control,
            |replication, d| -> Result<()> {
                if let Some(csv) = csv.as_mut() {
                    csv.write(replication, &d.parts())?;
                }
                collected.observe(&d.parts(), d.total_usd);
                Ok(())
            },
        )
    })?;
    workers.progress.finish_and_clear();

    if let (Some(folder), Some(csv)) = (folder, csv) {
        let files = vec![
            (csv.finish()?, ResultFile::Decomposition.name()),
            (
                write_decomposition_summary(folder.temporary()?, folder.dialect(), &collected)?,
                ResultFile::DecompositionSummary.name(),
            ),
        ];
        workers.report(&folder.commit(files)?);
    }
    let table = table::render_decomposition(scenario, comparison, &collected);
    args.simulate.finish(&workers, scenario, &table)
}

/// The comparison to decompose: the options, else the scenario's, else
/// strategies named `solo` and `pooled`.
fn comparison(
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
    // Without the options or a [comparison], the strategies named `solo`
    // and `pooled`; a scenario without them is told to name its own.
    let by_convention = |id: &str, option: &str| {
        find(id).map_err(|_| {
            let known: Vec<&str> = scenario.strategies.iter().map(|s| s.id.as_str()).collect();
            InvalidArgument(format!(
                "the scenario compares no strategies: it has no [comparison] table and no \
                 strategy `{id}`; expected {option} ID, one of {}",
                known.join(", ")
            ))
        })
    };
    let default = scenario.comparison;
    let fragmented = match (fragmented, default) {
        (Some(id), _) => find(id)?,
        (None, Some(c)) => c.fragmented,
        (None, None) => by_convention("solo", "--fragmented")?,
    };
    let pooled = match (pooled, default) {
        (Some(id), _) => find(id)?,
        (None, Some(c)) => c.pooled,
        (None, None) => by_convention("pooled", "--pooled")?,
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
