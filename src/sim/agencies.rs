//! Who pays for a strategy: its NPV cost allocated to the member agencies.
//!
//! A governing body asks whether *its* organisation is better off, so each
//! strategy's cost is split among the agencies, in every replication, by
//! one stated rule (`workload_share`):
//!
//! - a centre's own costs (staff, premises, fixed running costs, its teams'
//!   harmonisation and go-live costs) go to its members in proportion to
//!   the effort-weighted workload each sends to its teams that year —
//!   transactions × the line's minutes per transaction — rather than raw
//!   transactions, because a minute-long and an hour-long transaction do
//!   not cost the centre the same;
//! - a headquarters unit's costs while the move happens (running, double
//!   running, the relocation or separation of its staff) are its agency's
//!   own;
//! - what is shared by the strategy as a whole (new sites, recruitment and
//!   training, the project team, the optimism-bias estimate) goes to the
//!   agencies by their effort-weighted workload in all the strategy's
//!   centres over the horizon. It is taken as the rest of the strategy's NPV
//!   cost, so the agencies' costs add up to it to rounding.
//!
//! This is a cost-accounting rule, not a fair share: `sscsim pool` computes
//! Shapley values (what each agency adds to every coalition), which also
//! credit an agency with the economies of scale it brings.

use super::cost::{YearOutcome, discount_factor, npv_parts};
use super::strategy::StrategyPlan;
use crate::model::{Centre, Draws, Scenario, Strategy, powi};

/// The name of the rule, as `agencies.csv` states it.
pub const ALLOCATION_RULE: &str = "workload_share";

/// Each agency's share of `plan`'s NPV cost at `discount_rate_per_year`,
/// USD, indexed like [`Scenario::agencies`] (see the module doc).
pub(crate) fn agency_npv_costs_usd(
    scenario: &Scenario,
    draws: &Draws,
    strategy: &Strategy,
    plan: &StrategyPlan,
    discount_rate_per_year: f64,
) -> Vec<f64> {
    let agencies = scenario.agencies.len();
    let mut costs = vec![0.0; agencies];
    let mut strategy_workload = vec![0.0; agencies];
    for (centre, years) in strategy.centres.iter().zip(&plan.centre_years) {
        for (year, y) in years.iter().enumerate() {
            let workload = centre_workload(scenario, draws, centre, year as u32);
            let cost = discounted_usd(discount_rate_per_year, year as u32, y);
            share_out(cost, &workload, &mut costs);
            for (total, w) in strategy_workload.iter_mut().zip(&workload) {
                *total += w;
            }
        }
    }
    for unit in &plan.legacy {
        for (year, usd) in unit.cost_usd_by_year.iter().enumerate() {
            costs[unit.agency] += usd * discount_factor(discount_rate_per_year, year as u32);
        }
    }
    let total = npv_parts(discount_rate_per_year, &plan.years).total_usd;
    let rest = total - costs.iter().sum::<f64>();
    share_out(rest, &strategy_workload, &mut costs);
    costs
}

/// What `y`, a year of costs, is worth today: set-up from the start of the
/// year, the rest from its end, as [`npv_parts`] discounts them.
fn discounted_usd(discount_rate_per_year: f64, year: u32, y: &YearOutcome) -> f64 {
    let setup = y.setup_cost_usd * powi(1.0 + discount_rate_per_year, -(year as i32));
    (y.total_cost_usd() - y.setup_cost_usd) * discount_factor(discount_rate_per_year, year) + setup
}

/// Each agency's effort-weighted workload in `centre`'s teams in `year`:
/// expected transactions × minutes per transaction.
fn centre_workload(scenario: &Scenario, draws: &Draws, centre: &Centre, year: u32) -> Vec<f64> {
    let mut workload = vec![0.0; scenario.agencies.len()];
    for team in &centre.teams {
        let line = &scenario.service_lines[team.service_line];
        let minutes = line.effort_minutes(draws);
        for &agency in &team.members {
            if let Some(work) = &scenario.agencies[agency].lines[team.service_line] {
                workload[agency] += work.annual_mean(draws, year) * minutes;
            }
        }
    }
    workload
}

/// Adds `usd` to `costs` in proportion to `weights`; equally among all
/// agencies when no agency has any weight (nothing to tell them apart).
fn share_out(usd: f64, weights: &[f64], costs: &mut [f64]) {
    let total: f64 = weights.iter().sum();
    if total > 0.0 {
        for (cost, w) in costs.iter_mut().zip(weights) {
            *cost += usd * w / total;
        }
    } else if usd != 0.0 {
        let each = usd / costs.len() as f64;
        for cost in costs.iter_mut() {
            *cost += each;
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::model::Switches;
    use crate::sim::strategy::LegacyUnit;
    use crate::sim::{CentreSimulator, bundled_scenarios, plan_all};

    /// Two agencies of one line at 10 minutes a transaction: `a` sends 120
    /// transactions growing by half a year, `b` 60, flat; one centre serves
    /// both.
    fn two_agencies() -> Scenario {
        let text = include_str!("../../tests/fixtures/hand-computed.toml")
            .replace(
                "agencies = [\"agency_a\"]",
                "agencies = [\"agency_a\", \"agency_b\"]",
            )
            .replace(
                "[[strategy]]",
                "[[agency]]\nid = \"agency_b\"\nhq_location = \"hq\"\n\n\
                 [agency.service_line.claims]\nannual_volume = 60\n\
                 volume_growth_rate_per_year = 0\narrivals = \"deterministic\"\n\
                 hq_staff_fte = { GS = 1 }\n\n[[strategy]]",
            );
        crate::scenario::parse("two-agencies.toml", &text).expect("a valid scenario")
    }

    fn year(staff_cost_usd: f64, fixed_cost_usd: f64, setup_cost_usd: f64) -> YearOutcome {
        YearOutcome {
            staff_cost_usd,
            fixed_cost_usd,
            setup_cost_usd,
            ..YearOutcome::default()
        }
    }

    #[test]
    fn a_centre_is_shared_by_workload_and_a_unit_is_its_agency_s_own() {
        let scenario = two_agencies();
        let strategy = &scenario.strategies[1];
        // The centre costs 300 in year 0 and 400 in year 1; a new site adds
        // 90 of set-up in year 0 and 20 to run in year 1; b's headquarters
        // unit costs 55 in year 0.
        let plan = StrategyPlan {
            centre_years: vec![vec![year(300.0, 0.0, 0.0), year(400.0, 0.0, 0.0)]],
            years: vec![year(355.0, 0.0, 90.0), year(400.0, 20.0, 0.0)],
            legacy: vec![LegacyUnit {
                agency: 1,
                service_line: 0,
                years: Arc::from(Vec::new()),
                receives_until_day: 0,
                works_until_day: 0,
                cost_usd_by_year: vec![55.0, 0.0],
            }],
            ..StrategyPlan::default()
        };
        let costs = agency_npv_costs_usd(&scenario, &Draws::default(), strategy, &plan, 0.1);
        // Workload (transactions × 10 minutes): year 0, a 1 200 and b 600
        // (2/3, 1/3); year 1, a 1 800 and b 600 (3/4, 1/4); over both,
        // a 3 000 and b 1 200 (5/7, 2/7).
        // The centre at 10%: 300 / 1.1 and 400 / 1.21.
        let centre_a = 300.0 / 1.1 * 2.0 / 3.0 + 400.0 / 1.21 * 0.75;
        let centre_b = 300.0 / 1.1 / 3.0 + 400.0 / 1.21 * 0.25;
        // b's unit: 55 / 1.1 = 50.
        let unit_b = 50.0;
        // The rest: set-up 90 from the start of year 0, 20 / 1.21 running.
        let rest = 90.0 + 20.0 / 1.21;
        let expected = [
            centre_a + rest * 5.0 / 7.0,
            centre_b + unit_b + rest * 2.0 / 7.0,
        ];
        for (got, want) in costs.iter().zip(expected) {
            assert!((got - want).abs() < 1e-9, "{costs:?} against {expected:?}");
        }
        // They add up to the strategy's NPV cost: 355 / 1.1 + 90 + 420 / 1.21.
        let total = 355.0 / 1.1 + 90.0 + 420.0 / 1.21;
        assert!((costs.iter().sum::<f64>() - total).abs() < 1e-9);
    }

    #[test]
    fn agencies_costs_add_up_to_each_strategy_s_npv_cost() {
        for scenario in bundled_scenarios() {
            let mut draws = Draws::default();
            draws.draw(&scenario, 7, 3);
            let rate = draws.value(scenario.settings.discount_rate_per_year);
            let plans = plan_all(
                &mut CentreSimulator::new(&scenario, &draws),
                Switches::ALL_ON,
            );
            for (strategy, plan) in scenario.strategies.iter().zip(&plans) {
                let costs = agency_npv_costs_usd(&scenario, &draws, strategy, plan, rate);
                let total = npv_parts(rate, &plan.years).total_usd;
                let sum: f64 = costs.iter().sum();
                assert!(
                    (sum - total).abs() <= 1e-9 * total.abs(),
                    "{}: {} adds to {sum}, not {total}",
                    scenario.name,
                    strategy.id
                );
                // Each agency pays something of every strategy.
                assert!(costs.iter().all(|&c| c > 0.0), "{}: {costs:?}", strategy.id);
            }
        }
    }

    #[test]
    fn shares_follow_the_weights_and_fall_back_to_equal_parts() {
        let mut costs = vec![0.0; 3];
        // 90 by 1:2:0 → 30, 60, 0.
        share_out(90.0, &[1.0, 2.0, 0.0], &mut costs);
        assert_eq!(costs, [30.0, 60.0, 0.0]);
        // 30 with no weight at all → 10 each.
        share_out(30.0, &[0.0; 3], &mut costs);
        assert_eq!(costs, [40.0, 70.0, 10.0]);
    }

    #[test]
    fn set_up_is_discounted_from_the_start_of_its_year() {
        let y = YearOutcome {
            staff_cost_usd: 110.0,
            setup_cost_usd: 100.0,
            ..YearOutcome::default()
        };
        // At 10%: 110 / 1.1² + 100 / 1.1 = 90.909… + 90.909….
        let v = discounted_usd(0.1, 1, &y);
        assert!((v - (110.0 / 1.21 + 100.0 / 1.1)).abs() < 1e-9, "{v}");
    }
}
