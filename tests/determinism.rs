//! Same scenario and seed ⇒ bit-identical results at any thread count, and
//! every strategy sees the same draws.

use sscsim::metrics::Metric;
use sscsim::run::{ReplicationMetrics, RunControl, RunError, RunPlan, run};
use sscsim::scenario::default_scenario;

fn run_with_threads(threads: usize, plan: RunPlan) -> Vec<ReplicationMetrics> {
    let scenario = default_scenario();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .unwrap();
    let mut rows = Vec::new();
    pool.install(|| {
        run::<RunError>(&scenario, plan, &RunControl::default(), |m| {
            rows.push(m);
            Ok(())
        })
    })
    .unwrap();
    rows
}

fn bits(rows: &[ReplicationMetrics]) -> Vec<(u64, Vec<Option<u64>>)> {
    rows.iter()
        .map(|r| {
            (
                r.replication,
                r.strategies
                    .iter()
                    .flat_map(|s| s.values().map(|v| v.map(f64::to_bits)))
                    .collect(),
            )
        })
        .collect()
}

#[test]
fn results_are_bit_identical_at_1_2_and_8_threads() {
    // More replications than one block, so blocks and thread scheduling both vary.
    let plan = RunPlan {
        replications: 600,
        seed: 42,
    };
    let one = bits(&run_with_threads(1, plan));
    assert_eq!(one.len(), 600);
    assert!(
        one.iter().enumerate().all(|(i, r)| r.0 == i as u64),
        "replications arrive in order"
    );
    assert_eq!(one, bits(&run_with_threads(2, plan)));
    assert_eq!(one, bits(&run_with_threads(8, plan)));
}

#[test]
fn a_different_seed_gives_different_results() {
    let a = bits(&run_with_threads(
        2,
        RunPlan {
            replications: 3,
            seed: 1,
        },
    ));
    let b = bits(&run_with_threads(
        2,
        RunPlan {
            replications: 3,
            seed: 2,
        },
    ));
    assert_ne!(a, b);
}

#[test]
fn every_strategy_sees_the_same_transactions_in_a_replication() {
    for row in run_with_threads(
        2,
        RunPlan {
            replications: 20,
            seed: 9,
        },
    ) {
        let first = row.strategies[0][Metric::Transactions].unwrap();
        assert!(first > 0.0);
        for s in &row.strategies {
            assert_eq!(s[Metric::Transactions].unwrap().to_bits(), first.to_bits());
        }
    }
}

/// The golden value: the embedded default scenario at seed 2026 gives these
/// exact bytes of `replications.csv`. Any change of results, however small,
/// shows here; when a change is meant, update the checksum in the same
/// commit and say why.
#[test]
fn the_default_scenario_gives_its_golden_replications_csv() {
    let dir = tempfile::tempdir().unwrap();
    assert_cmd::Command::cargo_bin("sscsim")
        .unwrap()
        .args(["-n", "20", "-s", "2026", "-q", "-o"])
        .arg(dir.path())
        .assert()
        .success();
    let bytes = std::fs::read(dir.path().join("replications.csv")).unwrap();
    assert_eq!(
        sscsim::results::manifest::sha256_hex(&bytes),
        "4cb0c68cf4ff46c7c31f0f04b0002e90430cd661f3c90be2c3e2e7080ece9c67"
    );
}
