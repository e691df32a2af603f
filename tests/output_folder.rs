//! Result folders: a run refuses a folder that has files unless `--force`,
//! `--force` leaves none of the earlier results behind, and an interrupted
//! run leaves no file that looks complete.

use std::collections::BTreeSet;
use std::path::Path;
use std::time::{Duration, Instant};

use assert_cmd::Command;
use predicates::prelude::*;
use sscsim::results::ResultFile;

use crate::util::files_under;

fn sscsim() -> Command {
    Command::cargo_bin("sscsim").unwrap()
}

fn names(dir: &Path) -> BTreeSet<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect()
}

#[test]
fn a_run_refuses_a_folder_with_files_and_touches_nothing_in_it() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("notes.txt"), "mine").unwrap();
    for command in ["run", "explain", "batch"] {
        let mut cmd = sscsim();
        cmd.arg(command);
        if command == "batch" {
            cmd.arg(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/scenarios/budapest-joint.toml"
            ));
        }
        cmd.args(["-n", "2", "-q", "-o"])
            .arg(dir.path())
            .assert()
            .code(2)
            .stdout(predicate::str::is_empty())
            .stderr(predicate::str::contains("is not empty (it has notes.txt)"))
            .stderr(predicate::str::contains("--force"));
    }
    assert_eq!(names(dir.path()), BTreeSet::from(["notes.txt".to_owned()]));
}

#[test]
fn force_removes_every_earlier_result_and_keeps_other_files() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("results");
    sscsim()
        .args(["run", "-n", "3", "-q", "--xlsx", "--report", "-o"])
        .arg(&out)
        .assert()
        .success();
    std::fs::write(out.join("notes.txt"), "mine").unwrap();
    // What a killed run leaves: a temporary file.
    std::fs::write(out.join(".sscsim-AbC123.partial"), "half").unwrap();
    sscsim()
        .args(["explain", "-n", "3", "-q", "--force", "-o"])
        .arg(&out)
        .assert()
        .success();
    let expected = [
        "decomposition.csv",
        "decomposition_summary.csv",
        "manifest.toml",
        "notes.txt",
    ];
    assert_eq!(names(&out), expected.map(String::from).into());
    let manifest = std::fs::read_to_string(out.join("manifest.toml")).unwrap();
    assert!(manifest.contains("command = \"explain\""), "{manifest}");
}

#[test]
fn every_file_a_command_writes_is_one_force_removes() {
    let dir = tempfile::tempdir().unwrap();
    let scenarios = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios");
    let gs_cost = "location.budapest.annual_cost_usd_per_fte.GS";
    let runs: [&[&str]; 8] = [
        &["run", "-n", "3", "--xlsx", "--report", "--parquet"],
        &["explain", "-n", "3", "--xlsx"],
        &["pool", "-n", "2", "--top", "2", "--xlsx", "--report"],
        &["batch", &format!("{scenarios}/fao-budapest-2008.toml")],
        &["run", "-n", "4", "--shard", "1/2", "--parquet"],
        &[
            "pool",
            "-n",
            "2",
            "--search",
            "heuristic",
            "--restarts",
            "2",
            "--shapley-blocks",
            "1",
            "--shard",
            "1/2",
        ],
        &[
            "sweep",
            "--vary",
            &format!("{gs_cost}=25000..40000"),
            "--steps",
            "2",
            "-n",
            "3",
        ],
        &[
            "breakeven",
            "--vary",
            &format!("{gs_cost}=20000..200000"),
            "-n",
            "3",
        ],
    ];
    let mut written = BTreeSet::new();
    for (i, args) in runs.iter().enumerate() {
        let out = dir.path().join(i.to_string());
        sscsim()
            .args(*args)
            .args(["-q", "-o"])
            .arg(&out)
            .assert()
            .success();
        for path in files_under(&out) {
            written.insert(path.file_name().unwrap().to_string_lossy().into_owned());
        }
    }
    let known: BTreeSet<String> = ResultFile::ALL.map(|f| f.name().to_owned()).into();
    let unknown: Vec<_> = written.difference(&known).collect();
    assert!(unknown.is_empty(), "not in ResultFile::ALL: {unknown:?}");
    assert_eq!(
        written, known,
        "every name in ResultFile::ALL is written by some command"
    );
}

#[cfg(unix)]
#[test]
fn an_interrupted_run_stops_with_code_130_and_leaves_only_whole_files() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("results");
    for signal in ["INT", "TERM"] {
        let child = std::process::Command::new(assert_cmd::cargo::cargo_bin("sscsim"))
            .args(["run", "-n", "100000000", "-q", "--force", "-o"])
            .arg(&out)
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        // The folder is created after the handler is set, before the first replication.
        crate::util::wait_until_exists(&out);
        std::thread::sleep(Duration::from_millis(300));
        let kill = std::process::Command::new("kill")
            .args([&format!("-{signal}"), &child.id().to_string()])
            .status()
            .unwrap();
        assert!(kill.success());
        let output = child.wait_with_output().unwrap();
        assert_eq!(output.status.code(), Some(130), "{signal}");
        let stderr = String::from_utf8(output.stderr).unwrap();
        // Replications take milliseconds: some had finished, and are kept
        // (tests/control.rs checks them); no temporary file is left.
        assert!(stderr.contains("are partial"), "{stderr}");
        let left = names(&out);
        assert!(
            left.iter().all(|n| !n.ends_with(".partial")),
            "{signal}: {left:?}"
        );
        let manifest = std::fs::read_to_string(out.join("manifest.toml")).unwrap();
        assert!(manifest.contains("partial = true"), "{manifest}");
    }
}

/// Starts `sscsim ARGS` with stderr piped and every replication stalled
/// for `stall_seconds`.
#[cfg(unix)]
fn spawn_stalled(args: &[&std::ffi::OsStr], stall_seconds: u64) -> std::process::Child {
    std::process::Command::new(assert_cmd::cargo::cargo_bin("sscsim"))
        .args(args)
        .env(sscsim::cli::STALL_VARIABLE, stall_seconds.to_string())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap()
}

#[cfg(unix)]
fn send(signal: &str, child: &std::process::Child) {
    let kill = std::process::Command::new("kill")
        .args([&format!("-{signal}"), &child.id().to_string()])
        .status()
        .unwrap();
    assert!(kill.success());
}

/// Waits for `child` at most `limit`; kills it and fails when it runs on.
#[cfg(unix)]
fn wait_at_most(mut child: std::process::Child, limit: Duration) -> (Option<i32>, String) {
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            let mut stderr = String::new();
            std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut stderr).unwrap();
            return (status.code(), stderr);
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!("still running {limit:?} after the signal");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[cfg(unix)]
#[test]
fn sigterm_stops_a_run_within_seconds_while_a_replication_is_still_running() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("results");
    // One replication on one thread that takes 60 s: the stop flag alone
    // would wait for it.
    let child = spawn_stalled(
        &[
            "run".as_ref(),
            "-n".as_ref(),
            "1".as_ref(),
            "-j".as_ref(),
            "1".as_ref(),
            "-q".as_ref(),
            "-o".as_ref(),
            out.as_os_str(),
        ],
        60,
    );
    crate::util::wait_until_exists(&out);
    std::thread::sleep(Duration::from_millis(300));
    assert!(
        !names(&out).is_empty(),
        "the run's temporary files are there while it runs"
    );
    send("TERM", &child);
    let signalled = Instant::now();
    let (code, stderr) = wait_at_most(child, Duration::from_secs(10));
    assert!(
        signalled.elapsed() < Duration::from_secs(5),
        "{:?}",
        signalled.elapsed()
    );
    assert_eq!(code, Some(130), "{stderr}");
    assert!(
        stderr.contains("interrupted; no results were written"),
        "{stderr}"
    );
    assert_eq!(stderr.matches("interrupted").count(), 1, "{stderr}");
    assert!(names(&out).is_empty(), "{:?}", names(&out));
}

/// The source files under `src/<layer>`, each with its code before its
/// unit tests, without comments (tests and examples may spell what they
/// check).
fn sources_of(layer: &str) -> Vec<(std::path::PathBuf, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("src")
        .join(layer);
    files_under(&root)
        .into_iter()
        .filter(|path| path.extension().is_some_and(|e| e == "rs"))
        .map(|path| {
            let text = std::fs::read_to_string(&path).unwrap();
            let before_tests = text.split("#[cfg(test)]").next().unwrap();
            let code: Vec<&str> = before_tests
                .lines()
                .filter(|line| !line.trim_start().starts_with("//"))
                .collect();
            (path, code.join("\n"))
        })
        .collect()
}

#[test]
fn output_and_report_do_not_import_each_other() {
    for (layer, other) in [("output", "crate::report"), ("report", "crate::output")] {
        for (path, code) in sources_of(layer) {
            assert!(!code.contains(other), "{} imports {other}", path.display());
        }
    }
}

#[test]
fn result_file_names_are_spelled_only_in_the_results_module() {
    for (path, code) in sources_of("") {
        if path.ends_with("results/names.rs") {
            continue;
        }
        for file in ResultFile::ALL {
            let literal = format!("\"{}\"", file.name());
            assert!(
                !code.contains(&literal),
                "{} spells {literal}; expected ResultFile::{file:?}",
                path.display()
            );
        }
    }
}
