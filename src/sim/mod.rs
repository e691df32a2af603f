//! The simulation: one replication of every strategy on the same draws.
//!
//! Knows nothing of files, terminals or CSV: it turns a scenario, a seed and
//! a replication index into outcomes. Each strategy is first planned (staff
//! and costs, from forecasts), then each of its teams works its queue with
//! the planned capacity (service).

pub mod cost;
pub mod decompose;
pub mod plan;
pub mod queue;
pub mod service;
pub mod staffing;

pub use decompose::Decomposition;
pub use plan::{StrategyPlan, YearOutcome};
pub use service::ServiceTotals;

use crate::model::{Comparison, Scenario, Switches};
use crate::sample::{Arrivals, draw_inputs};

/// A strategy's outcome in one replication.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct StrategyOutcome {
    /// Staff and costs of each year, summed over the strategy's centres and sites.
    pub years: Vec<YearOutcome>,
    /// One-off cost of opening new sites, USD, at the start of year 0.
    pub setup_cost_usd: f64,
    /// Service over the horizon, summed over all teams.
    pub service: ServiceTotals,
}

/// Every strategy's outcome in one replication, in scenario order (status quo first).
#[derive(Clone, Debug, PartialEq)]
pub struct ReplicationOutcome {
    /// The replication's global index.
    pub replication: u64,
    /// The discount rate drawn for this replication.
    pub discount_rate_per_year: f64,
    /// One outcome per strategy.
    pub strategies: Vec<StrategyOutcome>,
    /// Where the fragmented–pooled gap comes from, when the scenario compares them.
    pub decomposition: Option<Decomposition>,
}

/// Buffers reused from one replication to the next, so the simulation loop
/// does not allocate per day.
#[derive(Clone, Debug, Default)]
pub struct Workspace {
    inputs: Vec<f64>,
    arrivals: Arrivals,
}

/// Simulates replication `replication` of `scenario` under `seed`: draws the
/// inputs and arrivals once, then plans and serves every strategy on them,
/// and decomposes the fragmented–pooled gap.
pub fn simulate_replication(
    scenario: &Scenario,
    seed: u64,
    replication: u64,
    workspace: &mut Workspace,
) -> ReplicationOutcome {
    draw_inputs(scenario, seed, replication, &mut workspace.inputs);
    workspace
        .arrivals
        .draw(scenario, &workspace.inputs, seed, replication);
    let inputs = &workspace.inputs;
    let discount_rate_per_year = scenario.settings.discount_rate_per_year.value(inputs);
    let requirements: Vec<_> = scenario
        .strategies
        .iter()
        .map(|s| plan::strategy_requirements(scenario, s, inputs))
        .collect();
    let strategies = scenario
        .strategies
        .iter()
        .zip(&requirements)
        .map(|(strategy, requirements)| {
            let plan =
                plan::plan_strategy(scenario, strategy, inputs, requirements, Switches::ALL_ON);
            let mut service = ServiceTotals::default();
            for (centre, teams) in strategy.centres.iter().zip(&plan.teams) {
                service.add(&service::serve_centre(
                    scenario,
                    centre,
                    teams,
                    &workspace.arrivals,
                ));
            }
            StrategyOutcome {
                years: plan.years,
                setup_cost_usd: plan.setup_cost_usd,
                service,
            }
        })
        .collect();
    let decomposition = scenario.comparison.map(|c| {
        decompose::decompose(
            scenario,
            c,
            inputs,
            discount_rate_per_year,
            &requirements[c.fragmented],
            &requirements[c.pooled],
        )
    });
    ReplicationOutcome {
        replication,
        discount_rate_per_year,
        strategies,
        decomposition,
    }
}

/// Decomposes the gap between the strategies of `comparison` in replication
/// `replication`: the same draws as [`simulate_replication`], without the
/// queues, which do not change costs.
pub fn decompose_replication(
    scenario: &Scenario,
    comparison: Comparison,
    seed: u64,
    replication: u64,
    workspace: &mut Workspace,
) -> Decomposition {
    draw_inputs(scenario, seed, replication, &mut workspace.inputs);
    let inputs = &workspace.inputs;
    let requirements =
        |s: usize| plan::strategy_requirements(scenario, &scenario.strategies[s], inputs);
    decompose::decompose(
        scenario,
        comparison,
        inputs,
        scenario.settings.discount_rate_per_year.value(inputs),
        &requirements(comparison.fragmented),
        &requirements(comparison.pooled),
    )
}
