//! Where commands read and write: no command writes into a folder that
//! holds its own inputs, an `--out` that names the wrong kind of path is
//! refused before anything runs, and an error is said once.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::prelude::*;

use crate::util::{files_under, fixture_text, twins};

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
    // The same folder spelt otherwise, a folder holding a shard, and one
    // inside a shard that does not exist yet.
    let spellings = [
        root.path().join("s2/../s1/."),
        root.path().to_owned(),
        shards[0].join("merged/new"),
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
fn batch_into_or_around_an_input_folder_is_refused_before_anything_runs() {
    let root = tempfile::tempdir().unwrap();
    let inputs = root.path().join("inputs");
    std::fs::create_dir(&inputs).unwrap();
    std::fs::write(inputs.join("a.toml"), fixture_text("hand-computed.toml")).unwrap();
    let before = snapshot(root.path());
    for out in [
        inputs.clone(),
        inputs.join("results"),
        root.path().to_owned(),
    ] {
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
        assert!(!inputs.join("results").exists());
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
