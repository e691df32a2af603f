//! The simulation: one replication of every strategy on the same draws.
//!
//! Knows nothing of files, terminals or CSV: it turns a scenario, a seed and
//! a replication index into outcomes. Each strategy is first planned (staff
//! and costs, from forecasts, including the move when it has a migration
//! plan), then its queues run with the planned capacity (service). Both are
//! built from one atom, a centre simulated in one replication
//! ([`CentreSimulator`]).

pub mod agencies;
mod apportion;
pub mod centre;
pub mod contact;
pub mod cost;
pub mod decompose;
pub mod erlang;
pub mod plan;
pub mod queue;
pub mod service;
mod slice_map;
mod solved;
pub mod staffing;
pub mod strategy;
pub mod transition;

pub use centre::{CentreOutcome, CentreSimulator, CentreYear, SimulatorMemo};
pub use cost::YearOutcome;
pub use decompose::Decomposition;
pub use service::{LineYear, ServiceTotals};
pub use strategy::StrategyPlan;

use crate::model::{Comparison, Draws, InputId, Scenario, Switches};
use crate::sample::Arrivals;

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
    /// The month the strategy's first work goes live in a centre, from the
    /// start of the horizon; 0 when none moves.
    pub first_go_live_month: f64,
    /// Each service line in the last year, in scenario order.
    pub lines: Vec<LineYear>,
    /// Each agency's share of the strategy's NPV cost, USD, in scenario
    /// order ([`agencies::ALLOCATION_RULE`]).
    pub agency_npv_cost_usd: Vec<f64>,
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
    service: service::Buffers,
    planning: centre::SimulatorMemo,
}

impl Workspace {
    /// Draws the inputs of replication `replication`, with input `fixed.0`,
    /// if given, at the value `fixed.1` instead of its draw and every other
    /// input, correlated with it or not, as drawn. Unlike a sensitivity
    /// swing ([`npv_costs_at_percentile`], whose correlated partners are
    /// drawn given the input's value), this isolates one input: the search
    /// for the input a value that is not finite comes from
    /// (`run::with_cause`) sets each in turn to its median, and moving the
    /// partners along would blame an input correlated with the culprit
    /// (tests/finite.rs).
    pub(crate) fn draw_inputs(
        &mut self,
        scenario: &Scenario,
        seed: u64,
        replication: u64,
        fixed: Option<(usize, f64)>,
    ) -> &Draws {
        self.draws.draw(scenario, seed, replication);
        if let Some((input, value)) = fixed {
            self.draws.set(InputId(input), value);
        }
        &self.draws
    }

    /// What `plan` makes of a simulator of the replication whose inputs were
    /// drawn last, which remembers in the workspace's memo.
    pub(crate) fn plan_with<R>(
        &mut self,
        scenario: &Scenario,
        plan: impl FnOnce(&mut CentreSimulator) -> R,
    ) -> R {
        self.planning.lend(scenario, &self.draws, plan)
    }

    /// [`Workspace::draw_inputs`], and the replication's arrivals on them.
    pub(crate) fn draw_all(
        &mut self,
        scenario: &Scenario,
        seed: u64,
        replication: u64,
        fixed: Option<(usize, f64)>,
    ) -> (&Draws, &Arrivals) {
        self.draw_inputs(scenario, seed, replication, fixed);
        self.arrivals.draw(scenario, &self.draws, seed, replication);
        (&self.draws, &self.arrivals)
    }
}

/// Plans every strategy under `switches`; the status quo (index 0) first,
/// because migrating strategies keep its headquarters units for a while.
pub(crate) fn plan_all(centres: &mut CentreSimulator, switches: Switches) -> Vec<StrategyPlan> {
    let strategies = &centres.scenario().strategies;
    let mut plans = Vec::with_capacity(strategies.len());
    for strategy in strategies {
        let plan = strategy::plan_strategy(centres, strategy, switches, plans.first());
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
pub(crate) fn simulate_replication_with_input(
    scenario: &Scenario,
    seed: u64,
    replication: u64,
    fixed: Option<(usize, f64)>,
    workspace: &mut Workspace,
) -> ReplicationOutcome {
    workspace.draw_all(scenario, seed, replication, fixed);
    let discount_rate_per_year = (workspace.draws).value(scenario.settings.discount_rate_per_year);
    let (plans, decomposition) = workspace.plan_with(scenario, |centres| {
        let plans = plan_all(centres, Switches::ALL_ON);
        let decomposition = (scenario.comparison)
            .map(|c| decompose::decompose(centres, c, discount_rate_per_year, Some(&plans)));
        (plans, decomposition)
    });
    let Workspace {
        draws,
        arrivals,
        service: buffers,
        ..
    } = workspace;
    let service = service::serve_strategies(scenario, &plans, arrivals, buffers);
    let strategies = plans
        .into_iter()
        .zip(service.years)
        .zip(service.lines)
        .zip(&scenario.strategies)
        .map(
            |(((plan, service_by_year), lines), strategy)| StrategyOutcome {
                agency_npv_cost_usd: agencies::agency_npv_costs_usd(
                    scenario,
                    draws,
                    strategy,
                    &plan,
                    discount_rate_per_year,
                ),
                service_by_year,
                bad_go_lives: plan.bad_go_lives,
                first_go_live_month: plan.first_go_live_month,
                years: plan.years,
                centres: plan.centres,
                lines,
            },
        )
        .collect();
    ReplicationOutcome {
        replication,
        discount_rate_per_year,
        strategies,
        decomposition,
        inputs: draws.values().collect(),
    }
}

/// Every strategy's NPV cost in replication `replication` with input
/// `at.0` fixed at its quantile `at.1` (a share), the inputs correlated with
/// it drawn given that value, and the others drawn as usual: plans alone,
/// since costs do not depend on the queues. One-at-a-time sensitivity runs
/// on these.
pub(crate) fn npv_costs_at_percentile(
    scenario: &Scenario,
    seed: u64,
    replication: u64,
    at: (usize, f64),
    workspace: &mut Workspace,
) -> Vec<f64> {
    let (input, percentile) = at;
    workspace
        .draws
        .draw_given(scenario, seed, replication, (InputId(input), percentile));
    // A replication's swings meet its demands and teams again, all but
    // those of one input.
    npv_costs_keeping(scenario, replication, workspace)
}

/// Every strategy's NPV cost with the inputs at `values`, a point of base
/// sample `sample` of a global sensitivity design: the design's points of
/// one sample differ in few inputs (a pick-freeze row's `A` and `A` with
/// one input from `B`), so they keep teams' staffings as a replication's
/// swings do.
pub(crate) fn npv_costs_of_design_point(
    scenario: &Scenario,
    values: Vec<f64>,
    sample: u64,
    workspace: &mut Workspace,
) -> Vec<f64> {
    workspace.draws.make(|drawn| *drawn = values);
    npv_costs_keeping(scenario, sample, workspace)
}

/// Every strategy's NPV cost with the workspace's draws, keeping teams'
/// staffings from the workspace's earlier plans of `group`
/// ([`centre::SimulatorMemo::keep_solutions_of`]).
fn npv_costs_keeping(scenario: &Scenario, group: u64, workspace: &mut Workspace) -> Vec<f64> {
    workspace.planning.keep_solutions_of(group);
    workspace.plan_with(scenario, npv_costs_with)
}

/// Every strategy's NPV cost with the inputs at `draws`, planned by a fresh
/// simulator: plans alone, since costs do not depend on the queues.
#[cfg(test)]
pub(crate) fn npv_costs_of(scenario: &Scenario, draws: &Draws) -> Vec<f64> {
    npv_costs_with(&mut CentreSimulator::new(scenario, draws))
}

/// Every strategy's NPV cost, planned by `centres`.
fn npv_costs_with(centres: &mut CentreSimulator) -> Vec<f64> {
    let discount_rate_per_year =
        (centres.draws()).value(centres.scenario().settings.discount_rate_per_year);
    plan_all(centres, Switches::ALL_ON)
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
    let draws = workspace.draw_inputs(scenario, seed, replication, None);
    let discount_rate_per_year = draws.value(scenario.settings.discount_rate_per_year);
    workspace.plan_with(scenario, |centres| {
        decompose::decompose(centres, comparison, discount_rate_per_year, None)
    })
}

/// Every bundled scenario, parsed: the simulation's unit tests run on them.
#[cfg(test)]
pub(crate) fn bundled_scenarios() -> Vec<Scenario> {
    let folder = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios");
    let mut paths: Vec<_> = std::fs::read_dir(folder)
        .expect("the scenarios folder")
        .map(|e| e.expect("a folder entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    paths.sort();
    paths
        .iter()
        .map(|p| {
            let text = std::fs::read_to_string(p).expect("a readable scenario");
            crate::scenario::parse(&p.display().to_string(), &text).expect("a valid scenario")
        })
        .collect()
}

/// The scenario of `tests/fixtures/hand-computed.toml`: one agency, one
/// line, no uncertainty, small enough to work out by hand.
#[cfg(test)]
pub(crate) fn hand_computed() -> Scenario {
    let text = include_str!("../../tests/fixtures/hand-computed.toml");
    crate::scenario::parse("hand-computed.toml", text).expect("a valid scenario")
}

/// A fixed xorshift stream of numbers below the `n` given each time: the
/// unit tests' varied cases, the same at every run.
#[cfg(test)]
pub(crate) fn below_from_xorshift() -> impl FnMut(u64) -> u64 {
    let mut next = crate::testing::xorshift(0x2545_f491_4f6c_dd1d);
    move |n: u64| next() % n
}
