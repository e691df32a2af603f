//! Where commands read and write: no command writes into a folder that
//! holds its own inputs, an `--out` that names the wrong kind of path is
//! refused before anything runs, and an error is said once.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::prelude::*;

use crate::util::{bundled_path, files_under, fixture_text, twins};

fn sscsim() -> Command {
    let mut command = Command::cargo_bin("sscsim").unwrap();
    for variable in [
        "SLURM_ARRAY_TASK_ID",
        "JOB_COMPLETION_INDEX",
        "AWS_BATCH_JOB_ARRAY_INDEX",
    ] {
        command.env_remove(variable);
    }
    command
}

/// Every file under `dir` with its bytes, to show that nothing changed.
fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files: Vec<_> = files_under(dir)
        .into_iter()
        .map(|f| {
            let bytes = std::fs::read(&f).unwrap();
            (f, bytes)
        })
        .collect();
    files.sort();
    files
}

/// Three shards of 6 replications of the small scenario in `root/s1..s3`.
fn shards(root: &Path) -> Vec<PathBuf> {
    let scenario = root.join("twins.toml");
    std::fs::write(&scenario, twins("\"poisson\"", "")).unwrap();
    (1..=3)
        .map(|i| {
            let dir = root.join(format!("s{i}"));
            sscsim()
                .args(["run", "-q", "-n", "6", "--shard", &format!("{i}/3"), "-o"])
                .arg(&dir)
                .arg(&scenario)
                .assert()
                .success();
            dir
        })
        .collect()
}

#[test]
fn merge_into_one_of_its_shards_is_refused_and_the_shard_is_kept() {
    let root = tempfile::tempdir().unwrap();
    let shards = shards(root.path());
    let before = snapshot(root.path());
    // The command of the report: the output is the first shard, with --force.
    sscsim()
        .current_dir(root.path())
        .args(["merge", "s1", "s2", "s3", "-o", "s1", "--force", "-q"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "--out s1 is the input s1; expected an output folder apart from the inputs",
        ));
    assert_eq!(snapshot(root.path()), before, "a shard was changed");
    // The same folder spelt otherwise, and a folder holding a shard, also
    // as a new folder's parent.
    let spellings = [
        root.path().join("s2/../s1/."),
        PathBuf::from(format!("{}/", shards[0].display())),
        root.path().to_owned(),
        root.path().join("new/.."),
    ];
    for out in spellings {
        sscsim()
            .args(["merge", "-q", "--force"])
            .args(&shards)
            .arg("-o")
            .arg(&out)
            .assert()
            .code(2)
            .stderr(predicate::str::contains(
                "expected an output folder apart from the inputs",
            ));
        assert_eq!(snapshot(root.path()), before, "{}", out.display());
    }
}

#[cfg(unix)]
#[test]
fn merge_into_a_link_to_a_shard_is_refused() {
    let root = tempfile::tempdir().unwrap();
    let shards = shards(root.path());
    let link = root.path().join("link");
    std::os::unix::fs::symlink(&shards[1], &link).unwrap();
    let before = snapshot(&shards[1]);
    sscsim()
        .args(["merge", "-q", "--force"])
        .args(&shards)
        .arg("-o")
        .arg(&link)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("is the input"));
    assert_eq!(snapshot(&shards[1]), before);
}

#[test]
fn batch_into_an_input_folder_or_one_holding_it_is_refused_before_anything_runs() {
    let root = tempfile::tempdir().unwrap();
    let inputs = root.path().join("inputs");
    std::fs::create_dir(&inputs).unwrap();
    std::fs::write(inputs.join("a.toml"), fixture_text("hand-computed.toml")).unwrap();
    let before = snapshot(root.path());
    for out in [inputs.clone(), root.path().to_owned()] {
        sscsim()
            .args(["batch", "-q", "-n", "2", "--force"])
            .arg(&inputs)
            .arg("-o")
            .arg(&out)
            .assert()
            .code(2)
            .stderr(predicate::str::contains(
                "expected an output folder apart from the inputs",
            ));
        assert_eq!(snapshot(root.path()), before, "{}", out.display());
    }
    // A scenario file given by name inside the output folder.
    sscsim()
        .args(["batch", "-q", "-n", "2", "--force"])
        .arg(inputs.join("a.toml"))
        .arg("-o")
        .arg(&inputs)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("a.toml"));
    assert_eq!(snapshot(root.path()), before);
}

#[test]
fn an_out_that_is_a_file_is_refused_by_every_command_that_writes_a_folder() {
    let root = tempfile::tempdir().unwrap();
    let shards = shards(root.path());
    let file = root.path().join("results.txt");
    std::fs::write(&file, "mine").unwrap();
    let scenario = root.path().join("twins.toml");
    let commands: Vec<Vec<std::ffi::OsString>> = vec![
        vec!["run".into(), scenario.clone().into()],
        vec!["explain".into(), scenario.clone().into()],
        vec!["batch".into(), scenario.clone().into()],
        vec!["pool".into()],
        vec![
            "merge".into(),
            shards[0].clone().into(),
            shards[1].clone().into(),
            shards[2].clone().into(),
        ],
    ];
    let expected = format!("--out {} is a file; expected a folder", file.display());
    for args in commands {
        for force in [false, true] {
            let mut command = sscsim();
            command
                .args(&args)
                .args(["-q", "-n", "2"])
                .arg("-o")
                .arg(&file);
            if args[0] == "merge" {
                // merge takes no -n.
                command = sscsim();
                command.args(&args).arg("-q").arg("-o").arg(&file);
            }
            if force {
                command.arg("--force");
            }
            command
                .assert()
                .code(2)
                .stderr(predicate::str::contains(expected.as_str()));
            assert_eq!(std::fs::read_to_string(&file).unwrap(), "mine");
        }
    }
}

#[test]
fn report_out_that_is_a_folder_is_refused() {
    let root = tempfile::tempdir().unwrap();
    let results = root.path().join("results");
    sscsim()
        .args(["run", "-q", "-n", "3", "-o"])
        .arg(&results)
        .assert()
        .success();
    sscsim()
        .arg("report")
        .arg(&results)
        .arg("--out")
        .arg(root.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains(format!(
            "--out {} is a folder; expected a file",
            root.path().display()
        )));
}

#[test]
fn a_malformed_csv_row_is_reported_once() {
    let root = tempfile::tempdir().unwrap();
    let results = root.path().join("results");
    sscsim()
        .args(["run", "-q", "-n", "3", "-o"])
        .arg(&results)
        .assert()
        .success();
    let summary = results.join("summary.csv");
    let mut text = std::fs::read_to_string(&summary).unwrap();
    text.push_str("x,y\n");
    std::fs::write(&summary, text).unwrap();
    let output = sscsim().arg("report").arg(&results).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains("summary.csv"), "{stderr}");
    assert_eq!(
        stderr.matches("found record with 2 fields").count(),
        1,
        "{stderr}"
    );
    assert_eq!(stderr.matches("CSV error").count(), 1, "{stderr}");
}

/// Two small scenarios, `a.toml` and `b.toml`, in `root`.
fn two_scenarios(root: &Path) -> [PathBuf; 2] {
    ["a", "b"].map(|name| {
        let path = root.join(format!("{name}.toml"));
        std::fs::write(&path, twins("\"poisson\"", "")).unwrap();
        path
    })
}

#[cfg(unix)]
#[test]
fn a_batch_failing_at_its_second_scenario_writes_nothing_and_says_so() {
    let root = tempfile::tempdir().unwrap();
    let [a, b] = two_scenarios(root.path());
    let out = root.path().join("out");
    std::fs::create_dir(&out).unwrap();
    // `b`'s folder cannot be made: a link to nowhere takes its name. The
    // batch finds out only when it gets to `b`, after `a` has run.
    std::os::unix::fs::symlink(root.path().join("nowhere/at/all"), out.join("b")).unwrap();
    let output = sscsim()
        .args(["batch", "-n", "3", "--force"])
        .args([&a, &b])
        .arg("-o")
        .arg(&out)
        .output()
        .unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("no results of the batch were written"),
        "{stderr}"
    );
    // Only the link is there: `a`'s complete files were not kept.
    assert_eq!(files_under(&out), [out.join("b")]);
}

#[test]
fn a_batch_whose_sub_folder_is_a_file_is_refused_before_anything_runs() {
    let root = tempfile::tempdir().unwrap();
    let [a, b] = two_scenarios(root.path());
    let out = root.path().join("out");
    std::fs::create_dir(&out).unwrap();
    std::fs::write(out.join("b"), "mine").unwrap();
    sscsim()
        .args(["batch", "-q", "-n", "3", "--force"])
        .args([&a, &b])
        .arg("-o")
        .arg(&out)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("is a file; expected a folder"));
    assert!(!out.join("a").exists(), "a ran before b was checked");
    assert_eq!(std::fs::read_to_string(out.join("b")).unwrap(), "mine");
}

#[cfg(unix)]
#[test]
fn a_batch_stopped_by_sigterm_keeps_its_finished_scenario_whole() {
    use std::io::BufRead;
    let root = tempfile::tempdir().unwrap();
    let [a, b] = two_scenarios(root.path());
    let large = bundled_path("large");
    let out = root.path().join("out");
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("sscsim"))
        .args(["batch", "-n", "400", "-j", "1", "--report"])
        .arg(&a)
        .arg(&large)
        .arg(&b)
        .arg("-o")
        .arg(&out)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = std::io::BufReader::new(child.stderr.take().unwrap());
    let mut seen = String::new();
    // The second scenario is announced once the first is done.
    while !seen.contains("large.toml") {
        let mut line = String::new();
        assert!(stderr.read_line(&mut line).unwrap() > 0, "{seen}");
        seen += &line;
    }
    let kill = std::process::Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(kill.success());
    std::io::Read::read_to_string(&mut stderr, &mut seen).unwrap();
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(130), "{seen}");
    // The finished scenario is kept whole, the one under way partial (or
    // not at all, when none of its replications had finished), and the
    // comparison says which is which.
    assert!(seen.contains("interrupted; the results in"), "{seen}");
    let manifest = |name: &str| sscsim::results::Manifest::read(&out.join(name)).unwrap();
    let a_manifest = manifest("a").expect("the first scenario is complete");
    assert_eq!(a_manifest.partial, None);
    assert_eq!(a_manifest.replications, 400);
    let large_partial = manifest("large").map(|m| m.partial);
    assert!(
        matches!(large_partial, None | Some(Some(true))),
        "{large_partial:?}"
    );
    let (header, rows) = crate::util::read_csv(&out.join("comparison.csv"));
    let col = |name: &str| crate::util::column(&header, name);
    for row in &rows {
        let expected = if row[col("scenario")] == "a" {
            "false"
        } else {
            "true"
        };
        assert_eq!(row[col("partial")], expected, "{row:?}");
    }
    assert!(rows.iter().any(|r| r[col("scenario")] == "a"));
    // `b`, never started, is one row of its own: no strategy, metric or
    // values, no replications; and it has no folder.
    let b_rows: Vec<_> = rows.iter().filter(|r| r[col("scenario")] == "b").collect();
    assert_eq!(b_rows.len(), 1, "{rows:?}");
    let b_row = b_rows[0];
    for empty in ["strategy", "metric", "mean", "p05", "p50", "p95"] {
        assert_eq!(b_row[col(empty)], "", "{empty} of {b_row:?}");
    }
    assert_eq!(b_row[col("replications")], "0");
    assert_eq!(b_row[col("horizon_years")], "2");
    assert!(!out.join("b").exists());
    // The batch's page says so too, and does not link to a report of `b`.
    let page = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(page.contains("Not run"), "{page}");
    assert!(!page.contains("href=\"b/report.html\""), "{page}");
    assert!(page.contains("href=\"a/report.html\""), "{page}");
    assert!(
        files_under(&out)
            .iter()
            .all(|p| !p.to_string_lossy().ends_with(".partial")),
        "{:?}",
        files_under(&out)
    );
}
