//! The simulation: one replication of every strategy on the same draws.
//!
//! Knows nothing of files, terminals or CSV: it turns a scenario, a seed and
//! a replication index into outcomes. Each strategy is first planned (staff
//! and costs, from forecasts, including the move when it has a migration
//! plan), then its queues run with the planned capacity (service).

pub mod contact;
pub mod cost;
pub mod decompose;
pub mod erlang;
pub mod plan;
pub mod queue;
pub mod service;
pub mod staffing;
pub mod strategy;
pub mod transition;

pub use decompose::{AllOn, Decomposition};
pub use service::ServiceTotals;
pub use strategy::{CentreYear, StrategyPlan, TeamYearsCache, YearOutcome};

use crate::model::{Comparison, Draws, InputId, Scenario, Switches};
use crate::sample::Arrivals;
use plan::{RequirementCache, StrategyRequirements};

/// A strategy's outcome in one replication.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct StrategyOutcome {
    /// Staff and costs of each year, summed over the strategy's centres, sites
    /// and headquarters units.
    pub years: Vec<YearOutcome>,
    /// Service in each year, summed over all queues.
    pub service_by_year: Vec<ServiceTotals>,
    /// Go-lives that went badly.
    pub bad_go_lives: u32,
    /// Each centre in the last year.
    pub centres: Vec<CentreYear>,
}

impl StrategyOutcome {
    /// Service over the whole horizon.
    pub fn service(&self) -> ServiceTotals {
        ServiceTotals::sum(&self.service_by_year)
    }
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
    /// The uncertain inputs drawn, in [`Scenario::inputs`] order.
    pub inputs: Vec<f64>,
}

/// Buffers reused from one replication to the next, so the simulation loop
/// does not allocate per day.
#[derive(Clone, Debug, Default)]
pub struct Workspace {
    draws: Draws,
    arrivals: Arrivals,
}

/// Capacity requirements of every strategy of the scenario; teams that
/// several strategies share are solved once.
pub(crate) fn requirements(scenario: &Scenario, draws: &Draws) -> Vec<StrategyRequirements> {
    let mut cache = RequirementCache::new(scenario, draws);
    scenario
        .strategies
        .iter()
        .map(|s| strategy::strategy_requirements(s, &mut cache))
        .collect()
}

/// Plans every strategy under `switches`; the status quo (index 0) first,
/// because migrating strategies keep its headquarters units for a while.
pub fn plan_all(
    scenario: &Scenario,
    draws: &Draws,
    requirements: &[StrategyRequirements],
    switches: Switches,
) -> Vec<StrategyPlan> {
    let mut teams = team_caches(scenario);
    plan_all_with(scenario, draws, requirements, switches, &mut teams)
}

/// An empty cache of teams' staffing for each strategy.
pub fn team_caches(scenario: &Scenario) -> Vec<TeamYearsCache> {
    scenario
        .strategies
        .iter()
        .map(|s| TeamYearsCache::new(scenario, s))
        .collect()
}

/// [`plan_all`], keeping each strategy's teams' staffing in its cache in
/// `teams` (see [`TeamYearsCache`]).
pub fn plan_all_with(
    scenario: &Scenario,
    draws: &Draws,
    requirements: &[StrategyRequirements],
    switches: Switches,
    teams: &mut [TeamYearsCache],
) -> Vec<StrategyPlan> {
    let mut plans = Vec::with_capacity(scenario.strategies.len());
    for (i, (s, teams)) in scenario.strategies.iter().zip(teams).enumerate() {
        let plan = strategy::plan_strategy_with(
            scenario,
            s,
            draws,
            &requirements[i],
            switches,
            plans.first(),
            teams,
        );
        plans.push(plan);
    }
    plans
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
    simulate_replication_with_input(scenario, seed, replication, None, workspace)
}

/// [`simulate_replication`] with input `fixed.0`, if given, at the value
/// `fixed.1` instead of its draw, and the rest as drawn.
pub fn simulate_replication_with_input(
    scenario: &Scenario,
    seed: u64,
    replication: u64,
    fixed: Option<(usize, f64)>,
    workspace: &mut Workspace,
) -> ReplicationOutcome {
    workspace.draws.draw(scenario, seed, replication);
    if let Some((input, value)) = fixed {
        workspace.draws.set(InputId(input), value);
    }
    workspace
        .arrivals
        .draw(scenario, &workspace.draws, seed, replication);
    let draws = &workspace.draws;
    let discount_rate_per_year = draws.value(scenario.settings.discount_rate_per_year);
    let requirements = requirements(scenario, draws);
    let mut teams = team_caches(scenario);
    let plans = plan_all_with(scenario, draws, &requirements, Switches::ALL_ON, &mut teams);
    let decomposition = scenario.comparison.map(|c| {
        let all_on = AllOn {
            plans: &plans,
            teams,
        };
        decompose::decompose(
            scenario,
            c,
            draws,
            discount_rate_per_year,
            &requirements,
            Some(all_on),
        )
    });
    let service = service::serve_strategies(scenario, &plans, &workspace.arrivals);
    let strategies = plans
        .into_iter()
        .zip(service)
        .map(|(plan, service_by_year)| StrategyOutcome {
            service_by_year,
            bad_go_lives: plan.bad_go_lives,
            years: plan.years,
            centres: plan.centres,
        })
        .collect();
    ReplicationOutcome {
        replication,
        discount_rate_per_year,
        strategies,
        decomposition,
        inputs: workspace.draws.as_slice().to_vec(),
    }
}

/// Every strategy's NPV cost in replication `replication` with input
/// `input` fixed at `value` and the others drawn as usual: plans alone,
/// since costs do not depend on the queues. One-at-a-time sensitivity runs
/// on these.
pub fn npv_costs_with_input(
    scenario: &Scenario,
    seed: u64,
    replication: u64,
    (input, value): (usize, f64),
    workspace: &mut Workspace,
) -> Vec<f64> {
    workspace.draws.draw(scenario, seed, replication);
    workspace.draws.set(InputId(input), value);
    let draws = &workspace.draws;
    let discount_rate_per_year = draws.value(scenario.settings.discount_rate_per_year);
    let requirements = requirements(scenario, draws);
    plan_all(scenario, draws, &requirements, Switches::ALL_ON)
        .into_iter()
        .map(|plan| cost::npv_parts(discount_rate_per_year, &plan.years).total_usd)
        .collect()
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
    workspace.draws.draw(scenario, seed, replication);
    let draws = &workspace.draws;
    decompose::decompose(
        scenario,
        comparison,
        draws,
        draws.value(scenario.settings.discount_rate_per_year),
        &requirements(scenario, draws),
        None,
    )
}
