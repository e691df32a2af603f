//! The NumPy peer of the throughput benchmarks (`benches/peers/numpy_peer.py`)
//! simulates the same model as sscsim on `benches/peer.toml`: the same
//! staffing to 1e-9 and the same service (backlog, service level,
//! utilisation) and savings within standard errors, with its backlogs by
//! age and with sscsim's cumulative curves. A peer that drifted
//! from the model would make the README's comparison meaningless.
//!
//! Needs `python3` with NumPy, so it is ignored by a plain `cargo test`:
//! `.ci/run` installs NumPy and runs it (`cargo test -- --ignored`). Run
//! without them, it fails and says what is missing.

use std::process::Command;

use crate::util::crate_dir;

/// Replications of each side: enough for standard errors that catch a
/// different queue (a capacity off by 1% moves the backlog by many of
/// them), few enough for a debug build.
const REPLICATIONS: &str = "200";

/// Why the peer cannot run here, if it cannot.
fn numpy_missing() -> Option<String> {
    match Command::new("python3")
        .args(["-c", "import numpy, tomllib"])
        .output()
    {
        Err(e) => Some(format!("no python3 ({e})")),
        Ok(out) if !out.status.success() => Some(format!(
            "python3 lacks numpy or tomllib (Python 3.11+): {}",
            String::from_utf8_lossy(&out.stderr).trim()
        )),
        Ok(_) => None,
    }
}

#[test]
#[ignore = "needs python3 with NumPy: run by .ci/run, or by `cargo test -- --ignored`"]
fn the_numpy_peer_agrees_with_sscsim_on_the_peer_workload() {
    if let Some(why) = numpy_missing() {
        panic!("the NumPy peer cannot run: {why}; `pip install numpy` (benches/peers/README.md)");
    }
    let dir = tempfile::tempdir().unwrap();
    let scenario = crate_dir().join("benches/peer.toml");
    let run = Command::new(assert_cmd::cargo::cargo_bin("sscsim"))
        .arg("run")
        .arg(&scenario)
        .args(["-n", REPLICATIONS, "-q", "-o"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    // Both of the peer's queues: backlogs by age, and sscsim's curves.
    for queue in ["ages", "curves"] {
        let check = Command::new("python3")
            .arg(crate_dir().join("benches/peers/numpy_peer.py"))
            .args(["-n", REPLICATIONS, "--queue", queue, "--check"])
            .arg(dir.path())
            .env("OMP_NUM_THREADS", "1")
            .output()
            .unwrap();
        let report = String::from_utf8_lossy(&check.stdout);
        assert!(
            check.status.success(),
            "--queue {queue}: {report}{}",
            String::from_utf8_lossy(&check.stderr)
        );
        assert!(
            report.contains("84 of 84 figures agree"),
            "--queue {queue}: {report}"
        );
    }
}
