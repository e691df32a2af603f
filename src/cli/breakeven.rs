//! `sscsim breakeven`: where a strategy's mean savings against another
//! cross zero as one number of the scenario varies, into `breakeven.csv`.

use anyhow::Result;
use clap::Args;

use super::session::{Workers, plan_for, undefined_result};
use super::sweep::{out_folder, parse_vary, varied};
use super::{InvalidArgument, InvalidScenario, SimulateArgs, check_memory, print_results};
use crate::memory::run_estimate;
use crate::model::Scenario;
use crate::output::sweep::{
    BreakevenFound, render_breakeven, write_breakeven, write_breakeven_points,
};
use crate::results::{ResultFile, VaryRecord};
use crate::run::RunError;
use crate::sweep::{Vary, find_breakeven, paired_point};

/// Arguments of `breakeven`.
#[derive(Debug, Args)]
pub(crate) struct BreakevenArgs {
    /// The number to vary and the range to search: a dotted KEY as --set
    /// takes it (the ids of sensitivity.csv's inputs), then =FROM..TO.
    #[arg(long, value_name = "KEY=FROM..TO", value_parser = parse_vary)]
    vary: Vary,
    /// The strategy whose savings are searched [default: the pooled
    /// strategy of the scenario's `[comparison]`, or its one strategy besides
    /// the status quo].
    #[arg(long, value_name = "STRATEGY")]
    strategy: Option<String>,
    /// The strategy it saves against [default: the status quo].
    #[arg(long, value_name = "STRATEGY")]
    versus: Option<String>,
    /// The scenario, options and result folder, as `run` takes them (the
    /// command's `--out` help names its files).
    #[command(flatten)]
    simulate: SimulateArgs,
}

/// The index of the strategy named `id`.
fn strategy_named(scenario: &Scenario, id: &str, option: &str) -> Result<usize, InvalidArgument> {
    scenario
        .strategies
        .iter()
        .position(|s| s.id == id)
        .ok_or_else(|| {
            let ids: Vec<&str> = scenario.strategies.iter().map(|s| s.id.as_str()).collect();
            InvalidArgument(format!(
                "{option} `{id}` is not a strategy of the scenario; expected one of {}",
                ids.join(", ")
            ))
        })
}

/// The strategies compared: `--strategy` and `--versus`, or their defaults.
fn strategies(
    scenario: &Scenario,
    args: &BreakevenArgs,
) -> Result<(usize, usize), InvalidArgument> {
    let strategy = match (&args.strategy, scenario.comparison) {
        (Some(id), _) => strategy_named(scenario, id, "--strategy")?,
        (None, Some(c)) => c.pooled,
        (None, None) if scenario.strategies.len() == 2 => 1,
        (None, None) => {
            return Err(InvalidArgument(
                "the scenario has no [comparison] and several strategies; \
                 expected --strategy to name the one whose savings to search"
                    .to_owned(),
            ));
        }
    };
    let versus = match &args.versus {
        Some(id) => strategy_named(scenario, id, "--versus")?,
        None => 0,
    };
    if strategy == versus {
        return Err(InvalidArgument(format!(
            "--strategy and --versus are both `{}`; expected two different strategies",
            scenario.strategies[strategy].id
        )));
    }
    Ok((strategy, versus))
}

pub(crate) fn breakeven(args: BreakevenArgs) -> Result<()> {
    let loaded = args.simulate.load()?;
    let scenario = &loaded.scenario;
    let pair = strategies(scenario, &args)?;
    let varied = varied(&loaded, &args.vary.key);
    let range = (args.vary.from, args.vary.to);
    // Both ends are checked before anything runs; a value between two
    // valid ends is valid.
    for end in [range.0, range.1] {
        varied.scenario_at(end).map_err(InvalidScenario)?;
    }
    let plan = plan_for(&loaded, &args.simulate.options);
    let workers = Workers::start(&args.simulate.options, 2 * plan.replications)?;
    check_memory(
        &run_estimate(scenario, workers.workload(plan.replications, true)),
        args.simulate.options.common.memory_limit,
    )?;
    workers.announce(
        &format!("{}, break-even in {}", loaded.source_name, args.vary.key),
        plan,
    );
    let mut folder = out_folder(
        args.simulate.out.as_deref(),
        &args.simulate.options,
        &loaded,
        &workers,
        "breakeven",
    )?;
    if let Some(folder) = folder.as_mut() {
        folder.set_vary(VaryRecord {
            key: args.vary.key.clone(),
            from: args.vary.from,
            to: args.vary.to,
            steps: None,
            strategy: Some(scenario.strategies[pair.0].id.clone()),
            versus: Some(scenario.strategies[pair.1].id.clone()),
        });
    }
    let mut evaluated = 0_u64;
    let found = find_breakeven(range.0, range.1, |value| {
        evaluated += 1;
        if evaluated > 2 {
            // The search's length is known only as it goes.
            workers.progress.inc_length(plan.replications);
        }
        let at = varied.scenario_at(value).map_err(InvalidScenario)?;
        workers
            .install(|control| paired_point(&at, plan, control, pair))
            .map_err(|e| match e {
                RunError::Interrupted(i) => anyhow::Error::from(i),
                RunError::Metric(m) => undefined_result(m.into()),
            })
    })?;
    workers.progress.finish_and_clear();
    let id = |s: usize| scenario.strategies[s].id.as_str();
    let found = BreakevenFound {
        key: &args.vary.key,
        strategy: id(pair.0),
        versus: id(pair.1),
        breakeven: &found,
        replications: plan.replications,
    };
    if let Some(folder) = folder {
        let file = write_breakeven(folder.temporary()?, folder.dialect(), &found, range)?;
        let points = write_breakeven_points(folder.temporary()?, folder.dialect(), &found)?;
        workers.report(&folder.commit(vec![
            (file, ResultFile::Breakeven.name()),
            (points, ResultFile::BreakevenPoints.name()),
        ])?);
        args.simulate
            .extras
            .write(args.simulate.out.as_deref(), &workers)?;
    }
    print_results(&format!(
        "{}\n\n{}",
        scenario.name,
        render_breakeven(&found, range)
    ))
}
