//! What a program using sscsim as a crate sees of a run: progress reported
//! to an observer of its own, a run stopped through a cancellation token,
//! and the collected results of a run to a precision, with its sensitivity.

use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use assert_cmd::Command;
use sscsim::results::{Manifest, ResultFile};

use sscsim::metrics::Metric;
use sscsim::run::{Cancel, Progress, RunControl, RunError, RunPlan, Work, run};
use sscsim::scenario::default_scenario;
use sscsim::simulate::{Collected, collect, collect_finished};
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
    // thread; of the interrupted block, only the unbroken run of finished
    // replications from its first is handed back, never more than ran.
    let ran = counter.advanced();
    assert!((5..=6).contains(&ran), "{ran} replications ran");
    assert!(handed <= ran, "{handed} handed of {ran} run");
}

#[test]
fn a_stopped_collection_keeps_the_first_replications_and_equals_a_shorter_run() {
    let scenario = default_scenario();
    let cancel = Cancel::new();
    let counter = Counter {
        cancel: Some((cancel.clone(), 40)),
        ..Counter::default()
    };
    let control = RunControl::new(&counter, cancel);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(2)
        .build()
        .unwrap();
    let mut handed = Vec::new();
    let stopped = pool
        .install(|| {
            collect_finished::<RunError>(&scenario, plan(2000, 7), None, &control, |m| {
                handed.push(m.replication);
                Ok(())
            })
        })
        .unwrap();
    assert!(stopped.partial);
    let k = stopped.replications;
    assert!((1..=41).contains(&k), "{k} replications kept");
    assert_eq!(
        handed,
        (0..k).collect::<Vec<u64>>(),
        "the first k, in order"
    );
    // `collect` keeps its contract: a stop is an error.
    let stopped_again = RunControl::new(&counter, {
        let c = Cancel::new();
        c.cancel();
        c
    });
    assert!(matches!(
        collect::<RunError>(&scenario, plan(10, 7), None, &stopped_again, |_| Ok(())),
        Err(RunError::Interrupted(_))
    ));
    // The same summaries as an uninterrupted run of k replications.
    let whole = collect::<RunError>(&scenario, plan(k, 7), None, &RunControl::default(), |_| {
        Ok(())
    })
    .unwrap();
    assert!(!whole.partial);
    for s in 0..scenario.strategies.len() {
        for metric in Metric::ALL {
            let (a, b) = (
                stopped.metrics.summary(s, metric),
                whole.metrics.summary(s, metric),
            );
            assert_eq!(
                a.map(|x| (x.mean, x.p05, x.p95)),
                b.map(|x| (x.mean, x.p05, x.p95)),
                "{metric:?}"
            );
        }
    }
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

/// Starts `sscsim ARGS` with every replication stalled for `stall_seconds`,
/// waits until `out` appears and `wait` more, then sends SIGINT; returns
/// its exit code and stderr.
#[cfg(unix)]
pub(crate) fn interrupted(
    args: &[&std::ffi::OsStr],
    out: &Path,
    stall_seconds: f64,
    wait: Duration,
) -> (Option<i32>, String) {
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("sscsim"))
        .args(args)
        .env(sscsim::cli::STALL_VARIABLE, stall_seconds.to_string())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    crate::util::wait_until_exists(out);
    std::thread::sleep(wait);
    let kill = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(kill.success());
    let mut stderr = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut stderr).unwrap();
    let status = child.wait().unwrap();
    (status.code(), stderr)
}

fn manifest(dir: &Path) -> Manifest {
    Manifest::read(dir).unwrap().expect("a manifest")
}

#[cfg(unix)]
#[test]
fn a_stopped_run_writes_its_first_finished_replications_as_a_shorter_run_would() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("stopped");
    let (code, stderr) = interrupted(
        &[
            "run".as_ref(),
            "-n".as_ref(),
            "5000".as_ref(),
            "-j".as_ref(),
            "2".as_ref(),
            "-q".as_ref(),
            "-o".as_ref(),
            out.as_os_str(),
        ],
        &out,
        0.02,
        Duration::from_millis(1500),
    );
    assert_eq!(code, Some(130), "{stderr}");
    assert!(stderr.contains("are partial"), "{stderr}");
    let m = manifest(&out);
    assert_eq!(m.partial, Some(true));
    let k = m.replications;
    assert!((1..5000).contains(&k), "{k} replications kept");
    // The same seed, k replications, uninterrupted.
    let whole = dir.path().join("whole");
    Command::cargo_bin("sscsim")
        .unwrap()
        .args(["run", "-n", &k.to_string(), "-q", "-o"])
        .arg(&whole)
        .assert()
        .success();
    assert_eq!(manifest(&whole).partial, None);
    // A run's first k replications are the same in any longer run of the
    // seed (tests/determinism.rs), so the whole run of k is the reference.
    let (_, rows) = crate::util::read_csv(&out.join(ResultFile::Replications.name()));
    let last = rows.iter().map(|r| r[0].parse::<u64>().unwrap()).max();
    assert_eq!(last, Some(k - 1), "replications 0 to k - 1");
    for file in [
        ResultFile::Replications,
        ResultFile::Summary,
        ResultFile::Years,
    ] {
        assert_eq!(
            std::fs::read_to_string(out.join(file.name())).unwrap(),
            std::fs::read_to_string(whole.join(file.name())).unwrap(),
            "{file:?}"
        );
    }
    // The report says so in its header.
    Command::cargo_bin("sscsim")
        .unwrap()
        .arg("report")
        .arg(&out)
        .assert()
        .success();
    let html = std::fs::read_to_string(out.join(ResultFile::Report.name())).unwrap();
    assert!(
        html.contains("partial: the run was stopped"),
        "the report's header"
    );
}

#[cfg(unix)]
#[test]
fn merge_refuses_a_partial_shard_unless_allowed_and_says_so_in_its_manifest() {
    let dir = tempfile::tempdir().unwrap();
    let first = dir.path().join("1");
    let (code, stderr) = interrupted(
        &[
            "run".as_ref(),
            "-n".as_ref(),
            "4000".as_ref(),
            "--shard".as_ref(),
            "1/2".as_ref(),
            "-j".as_ref(),
            "2".as_ref(),
            "-q".as_ref(),
            "-o".as_ref(),
            first.as_os_str(),
        ],
        &first,
        0.02,
        Duration::from_millis(1500),
    );
    assert_eq!(code, Some(130), "{stderr}");
    let m = manifest(&first);
    assert_eq!(m.partial, Some(true));
    let held = m.last_replication.unwrap() + 1;
    assert!((1..2000).contains(&held), "{held}");
    let second = dir.path().join("2");
    Command::cargo_bin("sscsim")
        .unwrap()
        .args(["run", "-n", "4000", "--shard", "2/2", "-q", "-o"])
        .arg(&second)
        .assert()
        .success();
    let merged = dir.path().join("merged");
    Command::cargo_bin("sscsim")
        .unwrap()
        .args(["merge", "-q", "-o"])
        .arg(&merged)
        .arg(&first)
        .arg(&second)
        .assert()
        .code(2)
        .stderr(predicates::str::contains("is a partial shard"))
        .stderr(predicates::str::contains("--allow-partial"));
    assert!(!merged.join(ResultFile::Manifest.name()).exists());
    let output = Command::cargo_bin("sscsim")
        .unwrap()
        .args(["merge", "-q", "--allow-partial", "--report", "-o"])
        .arg(&merged)
        .arg(&first)
        .arg(&second)
        .assert()
        .success();
    let stdout = String::from_utf8_lossy(&output.get_output().stdout).into_owned();
    assert!(
        stdout.starts_with("PARTIAL: shard 1/2 was stopped;"),
        "{stdout}"
    );
    // As a stopped run's: rank correlations, no swings (they would be of
    // replications 0 to n - 1, not of those held).
    let (header, rows) = crate::util::read_csv(&merged.join(ResultFile::Sensitivity.name()));
    let col = |name: &str| crate::util::column(&header, name);
    assert!(!rows.is_empty());
    for row in &rows {
        for swing in ["output_at_p10", "output_at_p90", "swing"] {
            assert_eq!(row[col(swing)], "", "{swing} of {row:?}");
        }
    }
    assert!(rows.iter().any(|r| !r[col("rank_correlation")].is_empty()));
    let html = std::fs::read_to_string(merged.join(ResultFile::Report.name())).unwrap();
    assert!(
        html.contains("partial: merged from shards of which 1/2 had been stopped"),
        "the report's header"
    );
    let m = manifest(&merged);
    assert_eq!(m.partial, Some(true));
    assert_eq!(m.partial_shards, Some(vec!["1/2".to_owned()]));
    assert_eq!(m.replications, held + 2000);
    let (_, rows) = crate::util::read_csv(&merged.join(ResultFile::Replications.name()));
    let mut merged_replications: Vec<u64> = rows.iter().map(|r| r[0].parse().unwrap()).collect();
    merged_replications.dedup();
    let expected: Vec<u64> = (0..held).chain(2000..4000).collect();
    assert_eq!(
        merged_replications, expected,
        "the shards' replications, gap and all"
    );
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
