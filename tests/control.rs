//! What a program using sscsim as a crate sees of a run: progress reported
//! to an observer of its own, a run stopped through a cancellation token,
//! and the collected results of a run to a precision, with its sensitivity.

use std::sync::atomic::{AtomicU64, Ordering};

use sscsim::metrics::Metric;
use sscsim::run::{Cancel, Progress, RunControl, RunError, RunPlan, Work, run};
use sscsim::scenario::default_scenario;
use sscsim::simulate::{Collected, collect};
use sscsim::stats::precision::{Precision, PrecisionMetric};

use crate::sensitivity::linear_scenario;
use crate::util::parse;

/// Counts the runs reported, and those announced beyond the plan, by kind.
#[derive(Default)]
struct Counter {
    advanced: AtomicU64,
    planned_replications: AtomicU64,
    planned_sensitivity_runs: AtomicU64,
    /// Cancels this token once `cancel_after` runs are reported.
    cancel: Option<(Cancel, u64)>,
}

impl Progress for Counter {
    fn planned(&self, runs: u64, work: Work) {
        let count = match work {
            Work::Replications => &self.planned_replications,
            Work::SensitivityRuns => &self.planned_sensitivity_runs,
        };
        count.fetch_add(runs, Ordering::Relaxed);
    }

    fn advanced(&self, runs: u64) {
        let total = self.advanced.fetch_add(runs, Ordering::Relaxed) + runs;
        if let Some((cancel, after)) = &self.cancel
            && total >= *after
        {
            cancel.cancel();
        }
    }
}

impl Counter {
    fn advanced(&self) -> u64 {
        self.advanced.load(Ordering::Relaxed)
    }
}

fn plan(replications: u64, seed: u64) -> RunPlan {
    RunPlan { replications, seed }
}

#[test]
fn progress_reports_sum_to_the_replications_run() {
    let scenario = default_scenario();
    let counter = Counter::default();
    let control = RunControl::new(&counter, Cancel::new());
    let plan = plan(40, 7);
    let mut handed = 0;
    run::<RunError>(&scenario, plan, &control, |_| {
        handed += 1;
        Ok(())
    })
    .unwrap();
    assert_eq!(handed, 40);
    assert_eq!(counter.advanced(), 40);
    assert_eq!(counter.planned_replications.load(Ordering::Relaxed), 0);
}

#[test]
fn a_cancelled_run_stops_early_with_the_interrupted_error() {
    let scenario = default_scenario();
    let cancel = Cancel::new();
    let counter = Counter {
        cancel: Some((cancel.clone(), 5)),
        ..Counter::default()
    };
    let control = RunControl::new(&counter, cancel.clone());
    // Four blocks of replications: the cancellation comes in the first.
    let plan = plan(2000, 7);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(2)
        .build()
        .unwrap();
    let mut handed = 0;
    let result = pool.install(|| {
        run::<RunError>(&scenario, plan, &control, |_| {
            handed += 1;
            Ok(())
        })
    });
    assert!(
        matches!(result, Err(RunError::Interrupted(_))),
        "{result:?}"
    );
    assert!(cancel.is_cancelled());
    // The 5 that cancelled, and at most the one more under way on the other
    // thread; none of an interrupted block is handed back.
    let ran = counter.advanced();
    assert!((5..=6).contains(&ran), "{ran} replications ran");
    assert_eq!(handed, 0);
}

#[test]
fn a_run_cancelled_before_it_starts_runs_nothing() {
    let scenario = default_scenario();
    let counter = Counter::default();
    let cancel = Cancel::new();
    cancel.cancel();
    let control = RunControl::new(&counter, cancel);
    let plan = plan(10, 7);
    let result = run::<RunError>(&scenario, plan, &control, |_| Ok(()));
    assert!(
        matches!(result, Err(RunError::Interrupted(_))),
        "{result:?}"
    );
    assert_eq!(counter.advanced(), 0);
}

#[test]
fn a_run_to_an_unreachable_precision_stops_at_the_maximum_it_is_given() {
    let scenario = default_scenario();
    let counter = Counter::default();
    let control = RunControl::new(&counter, Cancel::new());
    let plan = plan(100, 7);
    // No run of 300 knows the mean savings within ±0.0001%.
    let precision = Precision {
        percent: 1e-4,
        max_replications: 300,
        metric: PrecisionMetric::Named(Metric::NpvSavingsUsd),
    };
    let mut handed = Vec::new();
    let collected: Collected =
        collect::<RunError>(&scenario, plan, Some(precision), &control, |m| {
            handed.push(m.replication);
            Ok(())
        })
        .unwrap();
    assert_eq!(collected.replications, 300);
    assert_eq!(handed, (0..300).collect::<Vec<u64>>());
    assert_eq!(counter.advanced(), 300);
    // The 100 of the plan, then 200 more announced.
    assert_eq!(counter.planned_replications.load(Ordering::Relaxed), 200);
}

#[test]
fn the_collected_sensitivity_swings_match_the_linear_model() {
    // See tests/sensitivity.rs: savings fall by k per USD of either cost.
    let scenario = parse(&linear_scenario());
    let counter = Counter::default();
    let control = RunControl::new(&counter, Cancel::new());
    let plan = plan(150, 3);
    let collected = collect::<RunError>(&scenario, plan, None, &control, |_| Ok(())).unwrap();
    assert_eq!(counter.advanced(), 150);
    let rows = collected
        .sensitivity(&scenario, plan.seed, &control)
        .unwrap();
    let k = 0.5 / 1.1 + 0.75 / 1.21;
    assert_eq!(rows.len(), 2, "one output (offshore savings) × two inputs");
    for row in &rows {
        let swing = row.swing.expect("both inputs are swung");
        let expected = -k * (row.input_high - row.input_low);
        assert!(
            (swing.size() - expected).abs() < 1e-9 * expected.abs(),
            "{row:?}"
        );
    }
    // Two inputs, two ends each, over the first 100 replications.
    let swing_runs = 2 * 2 * 100;
    assert_eq!(
        counter.planned_sensitivity_runs.load(Ordering::Relaxed),
        swing_runs
    );
    assert_eq!(counter.advanced(), 150 + swing_runs);
}

/// The headline target is the fragmented strategy's economies of scale
/// lost; a run to it stops once that mean's 95% half-width, recomputed here
/// from the replications handed out, is within the target.
#[test]
fn a_run_to_the_headline_precision_stops_once_the_gap_is_known_well_enough() {
    let scenario = default_scenario();
    let comparison = scenario.comparison.unwrap();
    let headline = PrecisionMetric::Headline;
    assert_eq!(headline.metric(&scenario), Metric::EconomiesOfScaleLostUsd);
    assert_eq!(headline.strategies(&scenario), [comparison.fragmented]);
    // A metric of the comparison: every strategy but the status quo and
    // the pooled one; another metric: every strategy but the status quo.
    let lost = PrecisionMetric::Named(Metric::EconomiesOfScaleLostUsd);
    let others: Vec<usize> = (1..scenario.strategies.len())
        .filter(|&s| s != comparison.pooled)
        .collect();
    assert_eq!(lost.strategies(&scenario), others);
    let cost = PrecisionMetric::Named(Metric::NpvCostUsd);
    assert_eq!(
        cost.strategies(&scenario),
        (1..scenario.strategies.len()).collect::<Vec<_>>()
    );

    let counter = Counter::default();
    let control = RunControl::new(&counter, Cancel::new());
    let precision = Precision {
        percent: 4.0,
        max_replications: 5000,
        metric: headline,
    };
    let mut gaps = Vec::new();
    let collected: Collected =
        collect::<RunError>(&scenario, plan(40, 7), Some(precision), &control, |m| {
            gaps.push(
                m.strategies[comparison.fragmented][Metric::EconomiesOfScaleLostUsd].unwrap(),
            );
            Ok(())
        })
        .unwrap();
    let half_width = |values: &[f64]| {
        let n = values.len() as f64;
        let mean = values.iter().sum::<f64>() / n;
        let var = values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0);
        100.0 * 1.959_963_984_540_054 * (var / n).sqrt() / mean.abs()
    };
    let n = collected.replications as usize;
    assert!(n > 40 && n < 5000, "{n}");
    assert_eq!(gaps.len(), n);
    let reached = precision.reached(&scenario, &collected.metrics);
    assert_eq!(reached.len(), 1);
    assert!((reached[0].half_width_percent - half_width(&gaps)).abs() < 1e-9);
    assert!(half_width(&gaps) <= 4.0, "{}", half_width(&gaps));
    // Not met at 40: the run went on because the target asked for it.
    assert!(half_width(&gaps[..40]) > 4.0, "{}", half_width(&gaps[..40]));
}

/// A metric the scenario does not report is refused, with the reason.
#[test]
fn a_comparison_metric_needs_a_comparison() {
    let scenario = parse(&crate::util::fixture_text("hand-computed.toml"));
    assert!(scenario.comparison.is_none());
    let lost = PrecisionMetric::Named(Metric::PooledCheaper);
    let e = lost.check(&scenario).unwrap_err();
    assert!(e.contains("this scenario has no [comparison]"), "{e}");
    assert!(
        PrecisionMetric::Named(Metric::NpvCostUsd)
            .check(&scenario)
            .is_ok()
    );
    // The headline falls back to the savings of every strategy.
    assert_eq!(
        PrecisionMetric::Headline.metric(&scenario),
        Metric::NpvSavingsUsd
    );
    assert!(PrecisionMetric::Headline.check(&scenario).is_ok());
    assert!(
        sscsim::stats::precision::parse_metric("npv_savngs_usd")
            .unwrap_err()
            .contains("did you mean `npv_savings_usd`")
    );
}
