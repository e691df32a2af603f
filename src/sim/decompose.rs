//! Where the gap between a fragmented and a pooled strategy comes from.
//!
//! The gap is evaluated with every combination of the registered mechanisms
//! ([`crate::model::Mechanism::ALL`]) on or off, on the same draws, and attributed by Shapley values: each
//! mechanism's share is its marginal effect averaged over every order in
//! which the mechanisms could be switched on. The attribution depends on no
//! order, and the shares plus the gap with every mechanism off (differences
//! of location, grade mix and the like: `other`) add up to the gap.

use std::borrow::Cow;

use super::centre::CentreSimulator;
use super::cost::npv_parts;
use super::strategy::{StrategyPlan, mechanisms_in_play, plan_strategy};
use crate::model::mechanisms::{MECHANISM_COUNT, SWITCH_SUBSETS};
use crate::model::{Comparison, Switches};
use crate::shapley::shapley_values;

/// The gap `NPV cost(fragmented) − NPV cost(pooled)` of one replication and its parts.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Decomposition {
    /// The gap with every mechanism on, USD.
    pub total_usd: f64,
    /// Each mechanism's Shapley share, in [`crate::model::Mechanism::ALL`] order, USD.
    pub mechanisms_usd: [f64; MECHANISM_COUNT],
    /// The gap with every mechanism off, USD.
    pub other_usd: f64,
}

impl Decomposition {
    /// The parts in reporting order: the mechanisms, then `other`. They add
    /// up to [`Decomposition::total_usd`] up to floating-point rounding.
    pub fn parts(&self) -> [f64; MECHANISM_COUNT + 1] {
        let mut parts = [0.0; MECHANISM_COUNT + 1];
        parts[..MECHANISM_COUNT].copy_from_slice(&self.mechanisms_usd);
        parts[MECHANISM_COUNT] = self.other_usd;
        parts
    }
}

/// Decomposes the gap of `comparison` on the replication of `centres`.
/// `all_on`, when given, is every strategy's plan with every mechanism on,
/// made by `centres` already, so it is not made again.
pub fn decompose(
    centres: &mut CentreSimulator,
    comparison: Comparison,
    discount_rate_per_year: f64,
    all_on: Option<&[StrategyPlan]>,
) -> Decomposition {
    let mut plans = SwitchedPlans::new(centres, discount_rate_per_year, all_on);
    let gaps: Vec<f64> = (0..SWITCH_SUBSETS)
        .map(|subset| {
            let switches = Switches::from_subset(subset);
            plans.npv(comparison.fragmented, switches) - plans.npv(comparison.pooled, switches)
        })
        .collect();
    Decomposition {
        total_usd: gaps[SWITCH_SUBSETS - 1],
        mechanisms_usd: shapley(&gaps),
        other_usd: gaps[0],
    }
}

/// Strategies' plans and NPV costs under combinations of switches, each
/// made once. A strategy's plan depends only on the switches of the
/// mechanisms in play for it ([`mechanisms_in_play`]): a solo centre has no
/// pooled demand and no rule sets to harmonise, so the 32 combinations of
/// today's five mechanisms come to 8 plans for it, and the status quo's plans are shared by every
/// migrating strategy. Teams' staffing shared by several of these plans is
/// made once by the simulator.
struct SwitchedPlans<'p, 'a> {
    centres: &'p mut CentreSimulator<'a>,
    discount_rate_per_year: f64,
    /// Mechanisms in play for each strategy.
    in_play: Vec<Switches>,
    /// The status quo's plan by switches (only those in play for it).
    status_quo: Vec<Option<Cow<'p, StrategyPlan>>>,
    /// Each strategy's NPV cost by switches (only those in play for it), USD.
    npv: Vec<[Option<f64>; SWITCH_SUBSETS]>,
}

impl<'p, 'a> SwitchedPlans<'p, 'a> {
    fn new(
        centres: &'p mut CentreSimulator<'a>,
        discount_rate_per_year: f64,
        all_on: Option<&'p [StrategyPlan]>,
    ) -> Self {
        let scenario = centres.scenario();
        let in_play: Vec<Switches> = scenario
            .strategies
            .iter()
            .map(|s| mechanisms_in_play(scenario, s))
            .collect();
        let mut plans = SwitchedPlans {
            centres,
            discount_rate_per_year,
            status_quo: vec![None; SWITCH_SUBSETS],
            npv: vec![[None; SWITCH_SUBSETS]; in_play.len()],
            in_play,
        };
        for (i, plan) in all_on.unwrap_or_default().iter().enumerate() {
            let key = Switches::ALL_ON.and(plans.in_play[i]).subset();
            plans.npv[i][key] = Some(npv_parts(discount_rate_per_year, &plan.years).total_usd);
            if i == 0 {
                plans.status_quo[key] = Some(Cow::Borrowed(plan));
            }
        }
        plans
    }

    /// The NPV cost of strategy `i` under `switches`, USD.
    fn npv(&mut self, i: usize, switches: Switches) -> f64 {
        let switches = switches.and(self.in_play[i]);
        if let Some(npv) = self.npv[i][switches.subset()] {
            return npv;
        }
        let strategy = &self.centres.scenario().strategies[i];
        let status_quo =
            (i == 0 || strategy.migration.is_some()).then(|| self.status_quo(switches));
        let npv = if i == 0 {
            let plan = status_quo.and_then(|s| self.status_quo[s].as_deref());
            let plan = plan.expect("the status quo is planned");
            npv_parts(self.discount_rate_per_year, &plan.years).total_usd
        } else {
            let plan = plan_strategy(
                self.centres,
                strategy,
                switches,
                status_quo.and_then(|s| self.status_quo[s].as_deref()),
            );
            npv_parts(self.discount_rate_per_year, &plan.years).total_usd
        };
        self.npv[i][switches.subset()] = Some(npv);
        npv
    }

    /// Plans the status quo under `switches` unless it is planned already;
    /// returns where in `status_quo` its plan is.
    fn status_quo(&mut self, switches: Switches) -> usize {
        let key = switches.and(self.in_play[0]).subset();
        if self.status_quo[key].is_none() {
            let status_quo = &self.centres.scenario().strategies[0];
            let plan = plan_strategy(
                self.centres,
                status_quo,
                switches.and(self.in_play[0]),
                None,
            );
            self.status_quo[key] = Some(Cow::Owned(plan));
        }
        key
    }
}

/// Shapley values of the mechanisms in the game whose worth for the
/// coalition with bit set `s` is `worth[s]` (bit `i` = mechanism `i`).
pub fn shapley(worth: &[f64]) -> [f64; MECHANISM_COUNT] {
    shapley_values(MECHANISM_COUNT, |s| worth[s as usize])
        .try_into()
        .expect("one value a mechanism")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Draws, Scenario};
    use crate::sim::bundled_scenarios;

    /// Plans every strategy under `switches`, as the simulation does, with
    /// a simulator of its own (nothing remembered from other switches).
    fn plans_under(scenario: &Scenario, draws: &Draws, switches: Switches) -> Vec<String> {
        crate::sim::plan_all(&mut CentreSimulator::new(scenario, draws), switches)
            .iter()
            .map(|plan| format!("{plan:?}"))
            .collect()
    }

    #[test]
    fn switches_of_mechanisms_not_in_play_leave_every_plan_unchanged_to_the_bit() {
        for scenario in bundled_scenarios() {
            let mut draws = Draws::default();
            draws.draw(&scenario, 11, 3);
            let in_play: Vec<Switches> = scenario
                .strategies
                .iter()
                .map(|s| mechanisms_in_play(&scenario, s))
                .collect();
            for subset in 0..SWITCH_SUBSETS {
                let switches = Switches::from_subset(subset);
                let plans = plans_under(&scenario, &draws, switches);
                for (i, in_play) in in_play.iter().enumerate() {
                    let masked = plans_under(&scenario, &draws, switches.and(*in_play));
                    // Debug output shows -0.0 and every digit: equal text, equal bits.
                    assert_eq!(plans[i], masked[i], "{}, strategy {i}", scenario.name);
                }
            }
        }
    }

    /// Each bundled scenario with a comparison, with the draws of `seed`'s
    /// `replication` and its discount rate.
    fn drawn_comparisons(
        seed: u64,
        replication: u64,
    ) -> impl Iterator<Item = (Scenario, Draws, Comparison, f64)> {
        bundled_scenarios().into_iter().filter_map(move |scenario| {
            let comparison = scenario.comparison?;
            let mut draws = Draws::default();
            draws.draw(&scenario, seed, replication);
            let rate = draws.value(scenario.settings.discount_rate_per_year);
            Some((scenario, draws, comparison, rate))
        })
    }

    #[test]
    fn every_registered_mechanism_has_a_csv_part_and_a_shapley_share_adding_up_to_the_gap() {
        let ids: Vec<&str> = crate::output::csv::decomposition_parts().collect();
        let registered = crate::model::Mechanism::ALL.map(|m| m.id());
        assert_eq!(ids[..MECHANISM_COUNT], registered);
        assert_eq!(ids[MECHANISM_COUNT..], ["other"]);
        let mut decomposed = 0;
        for (scenario, draws, comparison, rate) in drawn_comparisons(3, 0) {
            let mut centres = CentreSimulator::new(&scenario, &draws);
            let d = decompose(&mut centres, comparison, rate, None);
            assert_eq!(d.parts().len(), ids.len());
            let sum: f64 = d.parts().iter().sum();
            let tolerance = 1e-9 * d.parts().iter().map(|p| p.abs()).sum::<f64>().max(1.0);
            assert!(
                (sum - d.total_usd).abs() <= tolerance,
                "{}: {d:?}",
                scenario.name
            );
            decomposed += 1;
        }
        assert!(decomposed > 0, "a bundled scenario has a comparison");
    }

    #[test]
    fn the_decomposition_is_the_same_with_or_without_the_plans_already_made() {
        for (scenario, draws, comparison, rate) in drawn_comparisons(5, 1) {
            let alone = decompose(
                &mut CentreSimulator::new(&scenario, &draws),
                comparison,
                rate,
                None,
            );
            let mut centres = CentreSimulator::new(&scenario, &draws);
            let plans = crate::sim::plan_all(&mut centres, Switches::ALL_ON);
            let seeded = decompose(&mut centres, comparison, rate, Some(&plans));
            assert_eq!(format!("{alone:?}"), format!("{seeded:?}"));
        }
    }
}
