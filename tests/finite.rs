//! No NaN or infinity reaches an output: a replication that would produce
//! one stops the run with an error that names the input it comes from.

use sscsim::metrics::{MetricError, MetricValues};
use sscsim::model::Dist;
use sscsim::run::{RunControl, RunError, RunPlan, run};
use sscsim::scenario::default_scenario;

#[test]
fn an_input_that_overflows_a_cost_is_named_in_the_error() {
    let mut scenario = default_scenario();
    let name = "location.budapest.annual_cost_usd_per_fte.GS";
    let input = scenario.inputs.iter().position(|i| i.name == name).unwrap();
    // Usually 45 000 USD a year; one draw in ten overflows every cost.
    scenario.inputs[input].dist = Dist::discrete(&[45_000.0, 1e306], &[0.9, 0.1]).unwrap();
    let plan = RunPlan {
        replications: 100,
        seed: 1,
    };
    let mut written = 0;
    let result = run::<RunError>(&scenario, plan, &RunControl::default(), |m| {
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
    let message = error.to_string();
    assert!(
        message.contains(&format!(
            "it comes from input `{name}`, drawn at 1e306: at its median, 45000, the replication is finite"
        )),
        "{message}"
    );
    assert!(written < 100, "the run stops at the first such replication");
}

#[test]
fn a_fixed_value_that_overflows_is_blamed_on_no_uncertain_input() {
    let mut scenario = default_scenario();
    let name = "location.budapest.annual_cost_usd_per_fte.GS";
    let input = scenario.inputs.iter().position(|i| i.name == name).unwrap();
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
