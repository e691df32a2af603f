//! No NaN or infinity reaches an output: a replication that would produce
//! one stops the run with an error that names the input it comes from.

use sscsim::metrics::{MetricError, MetricValues};
use sscsim::model::Dist;
use sscsim::model::Scenario;
use sscsim::run::{RunControl, RunError, RunPlan, run};
use sscsim::scenario::default_scenario;

use crate::util::{bundled_text, parse};

const BUDAPEST_GS: &str = "location.budapest.annual_cost_usd_per_fte.GS";

/// The error of a 100-replication run of `scenario` that stops at a value
/// that is not finite, and how many replications it wrote first (none of
/// them with an infinite metric).
fn first_not_finite(scenario: &Scenario) -> (String, u64) {
    let plan = RunPlan {
        replications: 100,
        seed: 1,
    };
    let mut written = 0;
    let result = run::<RunError>(scenario, plan, &RunControl::default(), |m| {
        assert!(
            m.strategies
                .iter()
                .flat_map(MetricValues::values)
                .flatten()
                .all(|v| !v.is_infinite())
        );
        written += 1;
        Ok(())
    });
    let Err(RunError::Metric(error @ MetricError::NotFinite { .. })) = result else {
        panic!("expected a value that is not finite, got {result:?}");
    };
    (error.to_string(), written)
}

/// `scenario` with the Budapest GS cost usually 45 000 USD a year, and in
/// one draw in ten large enough to overflow every cost.
fn overflowing_in_one_draw_in_ten(mut scenario: Scenario) -> Scenario {
    let input = scenario
        .inputs
        .iter()
        .position(|i| i.name == BUDAPEST_GS)
        .unwrap();
    scenario.inputs[input].dist = Dist::discrete(&[45_000.0, 1e306], &[0.9, 0.1]).unwrap();
    scenario
}

#[test]
fn an_input_that_overflows_a_cost_is_named_in_the_error() {
    let (message, written) = first_not_finite(&overflowing_in_one_draw_in_ten(default_scenario()));
    assert!(
        message.contains(&format!(
            "it comes from input `{BUDAPEST_GS}`, drawn at 1e306: at its median, 45000, the replication is finite"
        )),
        "{message}"
    );
    assert!(written < 100, "the run stops at the first such replication");
}

/// The search for the culprit sets one input at a time to its median and
/// leaves the others, correlated or not, as drawn: an input declared before
/// the culprit and perfectly correlated with it (Geneva's escalation) would
/// otherwise carry the culprit to its median too and take the blame.
#[test]
fn the_culprit_is_named_and_not_an_input_correlated_with_it() {
    let text = format!(
        "{}\n[[correlation]]\ninputs = [\"location.geneva.salary_escalation_rate_per_year\", \"{BUDAPEST_GS}\"]\nrank_correlation = 1\n",
        bundled_text("budapest-joint")
    );
    let (message, _) = first_not_finite(&overflowing_in_one_draw_in_ten(parse(&text)));
    assert!(
        message.contains(&format!(
            "it comes from input `{BUDAPEST_GS}`, drawn at 1e306"
        )),
        "{message}"
    );
}

#[test]
fn a_fixed_value_that_overflows_is_blamed_on_no_uncertain_input() {
    let mut scenario = default_scenario();
    let input = scenario
        .inputs
        .iter()
        .position(|i| i.name == BUDAPEST_GS)
        .unwrap();
    // The same overflow in every replication: no input at its median helps.
    scenario.inputs[input].dist = Dist::fixed(1e306).unwrap();
    let plan = RunPlan {
        replications: 1,
        seed: 1,
    };
    let result = run::<RunError>(&scenario, plan, &RunControl::default(), |_| Ok(()));
    let Err(RunError::Metric(error)) = result else {
        panic!("expected an error, got {result:?}");
    };
    assert!(
        error
            .to_string()
            .contains("no single uncertain input at its median makes it finite"),
        "{error}"
    );
}
