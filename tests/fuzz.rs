//! A bounded fuzz run inside the test suite, on stable Rust: no input may
//! make the reader, the validator, a replication or any command panic or
//! hang, and a scenario that validates must simulate without a NaN or
//! infinity in its results and pass through every command. The inputs are
//! made by the harness in `fuzz/harness.rs`, which the long campaign
//! (`examples/fuzz_campaign.rs`) shares; the open-ended coverage-guided run
//! is the cargo-fuzz target in `fuzz/`.

use std::ffi::OsString;
use std::sync::mpsc::RecvTimeoutError;
use std::time::Duration;

use proptest::prelude::*;
use sscsim::metrics::YearMetric;
use sscsim::run::replication_metrics;
use sscsim::scenario::parse;
use sscsim::sim::{Workspace, simulate_replication};

mod harness;

/// A replication is simulated only when it holds at most this many daily
/// arrival counts, so a mutation that makes the horizon long stays quick.
const MAX_SIMULATED_CELLS: usize = 2_000_000;

/// A case that takes longer than this is a hang, and fails.
const CASE_TIME_LIMIT: Duration = Duration::from_secs(60);

/// Runs `check` on its own thread and fails if it takes longer than
/// [`CASE_TIME_LIMIT`] (the thread is left behind: a hang cannot be
/// stopped, only reported).
fn within_time_limit(text: String) -> Result<(), TestCaseError> {
    let (sender, receiver) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = sender.send(check(&text));
    });
    match receiver.recv_timeout(CASE_TIME_LIMIT) {
        Ok(outcome) => outcome,
        Err(RecvTimeoutError::Timeout) => Err(TestCaseError::fail(format!(
            "a case ran longer than {CASE_TIME_LIMIT:?} (a hang)"
        ))),
        Err(RecvTimeoutError::Disconnected) => Err(TestCaseError::fail("the case panicked")),
    }
}

/// Parses `text`; when it validates and is small enough, simulates one
/// replication and checks every result is a number.
fn check(text: &str) -> Result<(), TestCaseError> {
    let Ok(scenario) = parse("fuzz.toml", text) else {
        return Ok(());
    };
    let s = &scenario.settings;
    let cells = scenario.agencies.len()
        * scenario.service_lines.len()
        * s.working_days_per_year as usize
        * s.horizon_years as usize;
    if cells > MAX_SIMULATED_CELLS {
        return Ok(());
    }
    let outcome = simulate_replication(&scenario, 1, 0, &mut Workspace::default());
    let Ok(metrics) = replication_metrics(&scenario, &outcome) else {
        // An undefined result is reported as an error: that is allowed.
        return Ok(());
    };
    for (s, years) in metrics.years.iter().enumerate() {
        for (y, year) in years.iter().enumerate() {
            let number = |(figure, v): (YearMetric, &Option<f64>)| match v {
                Some(v) => v.is_finite(),
                None => figure == YearMetric::ServiceLevel,
            };
            prop_assert!(year.iter().all(number), "strategy {s}, year {y}: {year:?}");
        }
    }
    for centres in &metrics.centres {
        for c in centres {
            let values = [c.transactions, c.running_cost_usd, c.fte];
            prop_assert!(values.iter().all(|v| v.is_finite()), "{c:?}");
        }
    }
    if let Some(d) = &metrics.decomposition {
        prop_assert!(d.parts().iter().all(|v| v.is_finite()), "{:?}", d.parts());
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn any_text_is_read_without_a_panic(text in any::<String>()) {
        let _ = parse("fuzz.toml", &text);
    }

    #[test]
    fn toml_like_text_is_read_without_a_panic(
        text in "(\\[\\[?[a-z_.]{1,12}\\]\\]?\n|[a-z_]{1,12} = ([0-9.e+-]{1,8}|\"[a-z]{0,6}\"|\\{ [a-z]{1,4} = [0-9]{1,3} \\})\n){0,30}"
    ) {
        let _ = parse("fuzz.toml", &text);
    }

    #[test]
    fn edited_scenarios_never_panic_hang_or_give_a_nan(
        base in 0usize..64,
        seed in any::<u64>(),
    ) {
        let bases = harness::bases();
        within_time_limit(harness::input(&bases[base % bases.len()], seed, 0))?;
    }
}

/// The sscsim binary on `args` (without the program name), as a child
/// process: its exit code, or 255 if a signal ended it.
fn sscsim_binary(args: &[OsString]) -> u8 {
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_sscsim"))
        .args(&args[1..])
        .stdin(std::process::Stdio::null())
        .output()
        .expect("sscsim starts")
        .status;
    status
        .code()
        .and_then(|c| u8::try_from(c).ok())
        .unwrap_or(255)
}

#[test]
fn every_command_takes_edited_scenarios_without_a_panic_a_hang_or_a_failure() {
    let scratch = tempfile::tempdir().unwrap();
    let config = harness::Config {
        inputs: 300,
        runs: 6,
        seed: 2009,
        case_time_limit: CASE_TIME_LIMIT,
        workers: 2,
        scratch: scratch.path().to_owned(),
        report_every: 0,
    };
    let counts = harness::campaign(&config, &sscsim_binary);
    assert!(counts.failures.is_empty(), "{:#?}", counts.failures);
    assert_eq!(counts.inputs, 300);
    assert_eq!(counts.runs, 6);
    // Each run is at least two shards, a merge and a pool.
    assert!(counts.commands >= 4 * 6, "{counts:?}");
    // The edits leave a good share of inputs valid, so that the run paths
    // are reached at all.
    assert!(counts.valid * 5 >= counts.inputs, "{counts:?}");
}
