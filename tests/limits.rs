//! Validate ⇔ run: whatever a run would reject, or turn into nonsense, on
//! input grounds, `validate` rejects first — at the value, with what is
//! expected — judged on every value an uncertain input can take.

use std::time::Duration;

use assert_cmd::Command;
use proptest::prelude::*;
use sscsim::run::{RunControl, RunError, RunPlan, run};

use crate::util::{assert_problem_at, fixture_text};

fn base() -> String {
    fixture_text("hand-computed.toml")
}

fn assert_problem(text: &str, needle: &str, message: &str) {
    assert_problem_at(text, needle, 0, message);
}

/// Runs `sscsim validate` on `text` and returns its exit code and stderr.
fn validate(text: &str) -> (i32, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.toml");
    std::fs::write(&path, text).unwrap();
    let output = Command::cargo_bin("sscsim")
        .unwrap()
        .arg("validate")
        .arg(&path)
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    (output.status.code().unwrap_or(-1), stderr)
}

#[test]
fn a_lognormal_whose_log_parameters_are_not_finite_is_refused_by_validate() {
    let text = base().replace(
        "effort_minutes_per_transaction = 10",
        "effort_minutes_per_transaction = { dist = \"lognormal\", mean = 10, sd = 1e161, min = 1, max = 100 }",
    );
    assert_problem(&text, "{ dist = \"lognormal\"", "sd/mean is 1e160");
    let (code, stderr) = validate(&text);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("s.toml:18:34: effort_minutes_per_transaction: lognormal with mean 10 and sd 1e161: sd/mean is 1e160; expected sd/mean from"), "{stderr}");

    let text = base().replace(
        "annual_volume = 120",
        "annual_volume = { dist = \"lognormal\", mean = 5e-324, sd = 1, min = 0, max = 100 }",
    );
    assert_problem(
        &text,
        "{ dist = \"lognormal\"",
        "lognormal with mean 5e-324 and sd 1",
    );
    assert_eq!(validate(&text).0, 2);
}

#[test]
fn a_pert_shape_that_would_never_converge_is_refused() {
    for (mode, shape) in [("0", "1e8"), ("1", "1e8"), ("0.5", "1e300")] {
        let text = base().replace(
            "availability_share = 1.0",
            &format!(
                "availability_share = {{ dist = \"pert\", min = 0.5, mode = {}, max = 1, shape = {shape} }}",
                if mode == "0" { "0.5" } else if mode == "1" { "1" } else { "0.75" }
            ),
        );
        assert_problem(
            &text,
            "{ dist = \"pert\"",
            "expected a shape greater than 0 and at most 1000",
        );
    }
}

#[test]
fn a_scenario_in_which_no_work_can_arrive_is_refused() {
    let text = base().replace("annual_volume = 120", "annual_volume = 0");
    assert_problem(
        &text,
        "0\nvolume_growth",
        "at their lowest, the scenario's volumes bring 0 transactions over the horizon",
    );
    // Uncertain volumes are judged at their lowest value.
    let text = base().replace(
        "annual_volume = 120",
        "annual_volume = { dist = \"uniform\", min = 0, max = 1000 }",
    );
    assert_problem(
        &text,
        "{ dist = \"uniform\"",
        "at their lowest, the scenario's volumes bring 2.77",
    );
}

#[test]
fn values_that_make_capacity_or_discounting_degenerate_are_refused() {
    let text = base().replace("availability_share = 1.0", "availability_share = 5e-324");
    assert_problem(
        &text,
        "5e-324",
        "availability_share is 5e-324; expected a share from 0.01 to 1",
    );
    let text = base()
        .replace("horizon_years = 2", "horizon_years = 100")
        .replace(
            "discount_rate_per_year = 0.1",
            "discount_rate_per_year = -0.999999",
        );
    assert_problem(
        &text,
        "-0.999999",
        "discount_rate_per_year is -0.999999; expected a yearly rate greater than -0.5",
    );
    let text = base().replace(
        "effort_minutes_per_transaction = 10",
        "effort_minutes_per_transaction = 5e-324",
    );
    assert_problem(
        &text,
        "5e-324",
        "effort_minutes_per_transaction is 5e-324; expected minutes per transaction from 0.01",
    );
}

#[test]
fn staff_that_cost_nothing_or_do_nothing_are_refused() {
    let text = base().replace(
        "annual_cost_usd_per_fte = { GS = 1000 }",
        "annual_cost_usd_per_fte = { GS = 0 }",
    );
    assert_problem(
        &text,
        "0 }",
        "GS is 0; expected a yearly cost of at least 1 USD per FTE",
    );
    let text = base()
        .replace(
            "availability_share = 1.0",
            "availability_share = 1.0\nstatus_quo_staffing = \"current\"",
        )
        .replace("hq_staff_fte = { GS = 1 }", "hq_staff_fte = { GS = 0 }");
    assert_problem(
        &text,
        "{ GS = 0 }",
        "hq_staff_fte of `agency_a` in `claims` is all 0, so with status_quo_staffing = \"current\" its work is never done",
    );
}

#[test]
fn texts_longer_than_their_limit_are_refused_by_validate() {
    let name = "x".repeat(3 << 20);
    let text = base().replace("name = \"Hand-computed\"", &format!("name = \"{name}\""));
    let (code, stderr) = validate(&text);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("name has 3145728 characters; expected at most 200"),
        "{}",
        &stderr[..stderr.len().min(500)]
    );
    assert!(stderr.len() < 10_000, "the name is not echoed whole");
}

#[test]
fn a_duplicate_key_is_named() {
    let text = base().replace("seed = 1", "seed = 1\nseed = 2");
    assert_problem_at(&text, "seed", 1, "duplicate key `seed`");
}

#[test]
fn huge_and_tiny_numbers_are_echoed_in_scientific_notation() {
    let text = base().replace("annual_volume = 120", "annual_volume = 1e308");
    assert_problem(
        &text,
        "1e308",
        "annual_volume is 1e308; expected a yearly volume",
    );
    let text = base().replace("annual_volume = 120", "annual_volume = -1e-7");
    assert_problem(&text, "-1e-7", "annual_volume is -1e-7;");
    let text = base().replace("annual_volume = 120", "annual_volume = 1e15");
    assert_problem(&text, "1e15", "annual_volume is 1e15;");
}

/// A scenario of the fixture's shape with one value of each kind drawn
/// from a wide range, extremes included, each fixed or uncertain.
fn generated(values: &[(f64, u8)]) -> String {
    let number = |(v, kind): (f64, u8)| -> String {
        let v = format!("{v:e}");
        match kind % 4 {
            0 => v,
            1 => format!("{{ dist = \"uniform\", min = 0, max = {v} }}"),
            2 => format!("{{ dist = \"pert\", min = 0, mode = {v}, max = {v}, shape = 1000 }}"),
            _ => format!("{{ dist = \"lognormal\", mean = {v}, sd = {v}, max = {v} }}"),
        }
    };
    let keys = [
        ("discount_rate_per_year = 0.1", "discount_rate_per_year"),
        ("working_minutes_per_day = 100", "working_minutes_per_day"),
        ("availability_share = 1.0", "availability_share"),
        (
            "effort_minutes_per_transaction = 10",
            "effort_minutes_per_transaction",
        ),
        (
            "annual_cost_usd_per_fte = { GS = 1000 }",
            "annual_cost_usd_per_fte",
        ),
        ("annual_volume = 120", "annual_volume"),
        (
            "volume_growth_rate_per_year = 0.5",
            "volume_growth_rate_per_year",
        ),
        ("exchange_rate_factor = 1.5", "exchange_rate_factor"),
    ];
    let mut text = base();
    for ((old, key), &value) in keys.iter().zip(values) {
        let new = if *key == "annual_cost_usd_per_fte" {
            format!("{key} = {{ GS = {} }}", number(value))
        } else {
            format!("{key} = {}", number(value))
        };
        text = text.replace(old, &new);
    }
    text
}

fn extreme() -> impl Strategy<Value = f64> {
    prop_oneof![
        Just(0.0),
        Just(-0.0),
        Just(5e-324),
        Just(1e-300),
        Just(1e300),
        Just(1e-6),
        Just(0.01),
        Just(1.0),
        0.0..2.0f64,
        1.0..1e6f64,
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// Whatever validates runs: two replications end without an error,
    /// within a time limit.
    #[test]
    fn a_scenario_that_validates_runs(values in proptest::collection::vec((extreme(), 0..4u8), 8)) {
        let text = generated(&values);
        let Ok(scenario) = sscsim::scenario::parse("s.toml", &text) else {
            return Ok(());
        };
        let (send, receive) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let plan = RunPlan { replications: 2, seed: 1 };
            let result = run::<RunError>(&scenario, plan, &RunControl::default(), |_| Ok(()));
            let _ = send.send(result.map_err(|e| e.to_string()));
        });
        let result = receive
            .recv_timeout(Duration::from_secs(30))
            .unwrap_or_else(|_| panic!("the run did not end within 30 seconds:\n{text}"));
        prop_assert!(result.is_ok(), "{:?}\n{}", result, text);
    }
}
