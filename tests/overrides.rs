//! `--set KEY=VALUE` from the command line: a run with overrides gives the
//! results of the edited file, records them in its manifest and report,
//! reaches shards and their merge, and a bad override exits 2 with its
//! problem shown under the argument, writing nothing.

use std::path::Path;

use assert_cmd::Command;
use predicates::prelude::*;

use crate::util::bundled_path;

const RATE: &str = "settings.discount_rate_per_year=0.05";
const GS: &str = "location.budapest.annual_cost_usd_per_fte.GS=50000";

fn sscsim() -> Command {
    let mut command = Command::cargo_bin("sscsim").unwrap();
    command.env_remove("SLURM_ARRAY_TASK_ID");
    command
}

/// The default scenario's text with both overrides written into it.
fn edited_text() -> String {
    let text = std::fs::read_to_string(bundled_path("budapest-joint")).unwrap();
    let gs = r#"GS = { dist = "triangular", min = 36000, mode = 45000, max = 54000 }"#;
    let rate = "discount_rate_per_year = 0.03";
    assert!(text.contains(gs) && text.contains(rate));
    text.replacen(gs, "GS = 50000", 1)
        .replacen(rate, "discount_rate_per_year = 0.05", 1)
}

/// The CSV files of a result folder, by name, with their bytes.
fn csv_files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "csv"))
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read(&p).unwrap())
        })
        .collect();
    files.sort();
    files
}

#[test]
fn a_run_with_overrides_gives_the_edited_files_results_and_records_them() {
    let root = tempfile::tempdir().unwrap();
    let edited = root.path().join("edited.toml");
    std::fs::write(&edited, edited_text()).unwrap();
    let run = |scenario: &Path, sets: &[&str], out: &str| {
        let mut command = sscsim();
        command
            .arg("run")
            .arg(scenario)
            .args(["-n", "10", "-q", "--report", "-o"]);
        command.arg(root.path().join(out));
        for set in sets {
            command.args(["--set", set]);
        }
        command.assert().success();
    };
    run(&bundled_path("budapest-joint"), &[RATE, GS], "set");
    run(&edited, &[], "edited");
    run(&bundled_path("budapest-joint"), &[], "plain");
    let set = csv_files(&root.path().join("set"));
    assert!(set.len() >= 7);
    assert!(
        set == csv_files(&root.path().join("edited")),
        "results differ"
    );
    assert!(
        set != csv_files(&root.path().join("plain")),
        "overrides ignored"
    );

    let manifest = std::fs::read_to_string(root.path().join("set/manifest.toml")).unwrap();
    assert!(
        manifest.contains(&format!("overrides = [\"{RATE}\", \"{GS}\"]\n")),
        "{manifest}"
    );
    let plain = std::fs::read_to_string(root.path().join("plain/manifest.toml")).unwrap();
    assert!(!plain.contains("overrides"), "{plain}");
    let report = std::fs::read_to_string(root.path().join("set/report.html")).unwrap();
    assert!(
        report.contains(&format!(
            "<dt>Changed with --set</dt><dd><code>{RATE}</code> <code>{GS}</code>"
        )),
        "the report's header does not show the overrides"
    );
}

#[test]
fn a_misspelt_override_exits_2_with_a_suggestion_and_writes_nothing() {
    let root = tempfile::tempdir().unwrap();
    let out = root.path().join("out");
    for command in ["run", "pool", "explain"] {
        sscsim()
            .arg(command)
            .args(["-n", "4", "-o"])
            .arg(&out)
            .args(["--set", "location.budapst.annual_cost_usd_per_fte.GS=1"])
            .assert()
            .code(2)
            .stderr(predicate::str::contains(
                "--set:1:10: no [[location]] has the id `budapst`",
            ))
            .stderr(predicate::str::contains("did you mean `budapest`?"))
            .stderr(predicate::str::contains("1 | location.budapst."))
            .stderr(predicate::str::contains("  |          ^^^^^^^\n"));
        assert!(!out.exists(), "{command} wrote {}", out.display());
    }
    sscsim()
        .arg("validate")
        .arg(bundled_path("budapest-joint"))
        .args(["--set", "settings.discount_rate_per_yaer=0.05"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "did you mean `discount_rate_per_year`?",
        ));
    sscsim()
        .arg("batch")
        .arg(bundled_path("budapest-joint"))
        .args(["-n", "4", "-o"])
        .arg(&out)
        .args(["--set", "settings.horizon_years=ten"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "--set:1:24: invalid type: string \"ten\"",
        ));
    assert!(!out.exists());
}

#[test]
fn validate_checks_the_scenario_with_its_overrides() {
    sscsim()
        .arg("validate")
        .arg(bundled_path("budapest-joint"))
        .args(["--set", RATE, "--set", GS])
        .assert()
        .success()
        .stdout(predicate::str::contains(": ok"));
}

/// An implausible value given with `--set` is warned of under its `--set`
/// (column 33 is the value after `settings.discount_rate_per_year=`), not
/// at a line of the file; `--deny-warnings` makes it an error.
#[test]
fn an_implausible_override_is_warned_of_under_its_set() {
    let implausible = "settings.discount_rate_per_year=0.5";
    sscsim()
        .arg("validate")
        .arg(bundled_path("budapest-joint"))
        .args(["--set", implausible])
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "--set:1:33: warning: settings.discount_rate_per_year is 0.5",
        ))
        .stderr(predicate::str::contains("budapest-joint.toml:").not());
    sscsim()
        .arg("validate")
        .arg(bundled_path("budapest-joint"))
        .args(["--set", implausible, "--deny-warnings"])
        .assert()
        .code(2);
}

#[test]
fn shards_run_with_overrides_merge_into_the_run_with_them() {
    let root = tempfile::tempdir().unwrap();
    for shard in ["1/2", "2/2"] {
        sscsim()
            .args([
                "run", "-n", "8", "-q", "--set", RATE, "--shard", shard, "-o",
            ])
            .arg(root.path().join(shard.replace('/', "-")))
            .assert()
            .success();
    }
    sscsim()
        .args(["merge", "-q", "-o"])
        .arg(root.path().join("merged"))
        .arg(root.path().join("1-2"))
        .arg(root.path().join("2-2"))
        .assert()
        .success();
    sscsim()
        .args(["run", "-n", "8", "-q", "--set", RATE, "-o"])
        .arg(root.path().join("whole"))
        .assert()
        .success();
    let merged = csv_files(&root.path().join("merged"));
    assert!(
        merged == csv_files(&root.path().join("whole")),
        "merge lost the overrides"
    );
    let manifest = std::fs::read_to_string(root.path().join("merged/manifest.toml")).unwrap();
    assert!(manifest.contains(RATE), "{manifest}");
}
