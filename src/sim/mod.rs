//! The simulation: one replication of every strategy on the same draws.
//!
//! Knows nothing of files, terminals or CSV: it turns a scenario, a seed and
//! a replication index into outcomes.

mod centre;
pub mod cost;
pub mod queue;
pub mod staffing;

pub use centre::{CentreOutcome, ServiceTotals, YearOutcome, simulate_centre};

use crate::model::{Scenario, Strategy};
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
}

/// Buffers reused from one replication to the next, so the simulation loop
/// does not allocate per day.
#[derive(Clone, Debug, Default)]
pub struct Workspace {
    inputs: Vec<f64>,
    arrivals: Arrivals,
}

/// Simulates replication `replication` of `scenario` under `seed`: draws the
/// inputs and arrivals once, then evaluates every strategy on them.
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
    let strategies = scenario
        .strategies
        .iter()
        .map(|s| simulate_strategy(scenario, s, &workspace.inputs, &workspace.arrivals))
        .collect();
    let discount_rate_per_year = scenario
        .settings
        .discount_rate_per_year
        .value(&workspace.inputs);
    ReplicationOutcome {
        replication,
        discount_rate_per_year,
        strategies,
    }
}

/// Simulates a strategy: the sum of its centres, plus the costs of its sites.
pub fn simulate_strategy(
    scenario: &Scenario,
    strategy: &Strategy,
    inputs: &[f64],
    arrivals: &Arrivals,
) -> StrategyOutcome {
    let mut outcome = StrategyOutcome {
        years: vec![YearOutcome::default(); scenario.settings.horizon_years as usize],
        ..StrategyOutcome::default()
    };
    for centre in &strategy.centres {
        let c = simulate_centre(scenario, centre, inputs, arrivals);
        for (total, year) in outcome.years.iter_mut().zip(&c.years) {
            total.add(year);
        }
        outcome.service.add(&c.service);
    }
    for site in &strategy.sites {
        let location = &scenario.locations[site.location];
        if !site.existing {
            outcome.setup_cost_usd += location.site_setup_cost_usd.value(inputs);
        }
        let fixed = location.site_fixed_cost_usd_per_year.value(inputs);
        for year in &mut outcome.years {
            year.fixed_cost_usd += fixed;
        }
    }
    outcome
}
