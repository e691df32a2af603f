//! `sscsim sweep` and `sscsim breakeven`, as a user runs them.

use std::path::Path;
use std::time::Duration;

use assert_cmd::Command;
use predicates::prelude::*;

use crate::util::{column, read_csv};

/// Budapest's GS staff cost: a fixed number in the default scenario that
/// every strategy with a Budapest centre pays, and the status quo does not.
const GS_COST: &str = "location.budapest.annual_cost_usd_per_fte.GS";

fn sscsim() -> Command {
    let mut c = Command::cargo_bin("sscsim").unwrap();
    c.current_dir(env!("CARGO_MANIFEST_DIR"));
    c
}

/// `metric`'s value in `column_name` for `strategy` in the rows of a CSV
/// file with `strategy` and `metric` columns, and `value` when given.
fn cell(dir: &Path, file: &str, find: (&str, &str, Option<&str>), column_name: &str) -> f64 {
    let (header, rows) = read_csv(&dir.join(file));
    let (s, m, c) = (
        column(&header, "strategy"),
        column(&header, "metric"),
        column(&header, column_name),
    );
    let (strategy, metric, value) = find;
    let row = rows
        .iter()
        .find(|r| {
            r[s] == strategy
                && r[m] == metric
                && value.is_none_or(|v| r[column(&header, "value")] == v)
        })
        .unwrap_or_else(|| panic!("no row {find:?} in {file}"));
    row[c].parse().unwrap()
}

#[test]
fn a_sweep_at_one_value_is_run_with_that_value_set() {
    let dir = tempfile::tempdir().unwrap();
    let (swept, ran) = (dir.path().join("sweep"), dir.path().join("run"));
    sscsim()
        .args(["sweep", "--vary", &format!("{GS_COST}=25000..40000")])
        .args(["--steps", "1", "-n", "12", "-q", "-o"])
        .arg(&swept)
        .assert()
        .success();
    sscsim()
        .args([
            "run",
            "--set",
            &format!("{GS_COST}=25000"),
            "-n",
            "12",
            "-q",
            "-o",
        ])
        .arg(&ran)
        .assert()
        .success();
    let mut compared = 0;
    for strategy in ["status_quo", "solo", "co_located", "pooled"] {
        for metric in ["npv_cost_usd", "npv_savings_usd"] {
            for column_name in ["mean", "p05", "p50", "p95"] {
                let at = (strategy, metric, Some("25000"));
                assert_eq!(
                    cell(&swept, "sweep.csv", at, column_name),
                    cell(&ran, "summary.csv", (strategy, metric, None), column_name),
                    "{strategy} {metric} {column_name}"
                );
                compared += 1;
            }
        }
    }
    assert_eq!(compared, 32);
    // The folder says how it was made.
    let manifest = std::fs::read_to_string(swept.join("manifest.toml")).unwrap();
    assert!(
        manifest.contains(&format!(
            "[vary]\nkey = \"{GS_COST}\"\nfrom = 25000.0\nto = 40000.0\nsteps = 1\n"
        )),
        "{manifest}"
    );
    let ran = std::fs::read_to_string(ran.join("manifest.toml")).unwrap();
    assert!(!ran.contains("[vary]"), "{ran}");
}

#[test]
fn a_dearer_gs_staff_costs_every_budapest_strategy_more_and_the_status_quo_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("sweep");
    sscsim()
        .args(["sweep", "--vary", &format!("{GS_COST}=20000..50000")])
        .args(["--steps", "4", "-n", "6", "-q", "-o"])
        .arg(&out)
        .assert()
        .success();
    let values = ["20000", "30000", "40000", "50000"];
    let at = |strategy: &str, metric: &str, v: &str| {
        cell(&out, "sweep.csv", (strategy, metric, Some(v)), "mean")
    };
    for strategy in ["solo", "co_located", "pooled"] {
        let costs: Vec<f64> = values
            .iter()
            .map(|v| at(strategy, "npv_cost_usd", v))
            .collect();
        assert!(
            costs.windows(2).all(|w| w[0] < w[1]),
            "{strategy}: {costs:?}"
        );
        let savings: Vec<f64> = values
            .iter()
            .map(|v| at(strategy, "npv_savings_usd", v))
            .collect();
        assert!(
            savings.windows(2).all(|w| w[0] > w[1]),
            "{strategy}: {savings:?}"
        );
    }
    // The status quo has no Budapest centre: common random numbers give it
    // the same cost, to the bit, at every value.
    let status_quo: Vec<f64> = values
        .iter()
        .map(|v| at("status_quo", "npv_cost_usd", v))
        .collect();
    assert!(
        status_quo.iter().all(|c| *c == status_quo[0]),
        "{status_quo:?}"
    );
}

#[test]
fn the_break_even_set_back_gives_savings_within_their_interval_of_zero() {
    let dir = tempfile::tempdir().unwrap();
    let (found, ran) = (dir.path().join("breakeven"), dir.path().join("run"));
    // About 80 million USD saved at 20 000 and 107 million lost at 200 000.
    sscsim()
        .args(["breakeven", "--vary", &format!("{GS_COST}=20000..200000")])
        .args(["-n", "10", "-q", "-o"])
        .arg(&found)
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "Break-even: pooled's mean NPV savings",
        ));
    let (header, rows) = read_csv(&found.join("breakeven.csv"));
    let row = &rows[0];
    let number = |name: &str| row[column(&header, name)].parse::<f64>().unwrap();
    assert_eq!(row[column(&header, "finding")], "crossing");
    assert_eq!(row[column(&header, "strategy")], "pooled");
    assert_eq!(row[column(&header, "versus")], "status_quo");
    let value = number("value");
    let (low, high) = (number("ci_low"), number("ci_high"));
    assert!(low < value && value < high, "{low} {value} {high}");
    sscsim()
        .args([
            "run",
            "--set",
            &format!("{GS_COST}={value:?}"),
            "-n",
            "10",
            "-q",
            "-o",
        ])
        .arg(&ran)
        .assert()
        .success();
    let (summary, _) = (
        cell(
            &ran,
            "summary.csv",
            ("pooled", "npv_savings_usd", None),
            "mean",
        ),
        (),
    );
    let se = cell(
        &ran,
        "summary.csv",
        ("pooled", "npv_savings_usd", None),
        "se",
    );
    assert_eq!(summary, number("mean_savings_at_value_usd"));
    assert!(
        summary.abs() <= 1.959_963_984_540_054 * se,
        "{summary} ± {se}"
    );
    assert!(summary.abs() <= number("half_width_at_value_usd"));
    // The strategies the search took by default are recorded with its range.
    let manifest = std::fs::read_to_string(found.join("manifest.toml")).unwrap();
    assert!(
        manifest.contains(&format!(
            "[vary]\nkey = \"{GS_COST}\"\nfrom = 20000.0\nto = 200000.0\n\
             strategy = \"pooled\"\nversus = \"status_quo\"\n"
        )),
        "{manifest}"
    );
}

#[test]
fn a_range_without_a_crossing_says_which_sign_holds() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("breakeven");
    sscsim()
        .args(["breakeven", "--vary", &format!("{GS_COST}=20000..40000")])
        .args(["--strategy", "solo", "-n", "6", "-q", "-o"])
        .arg(&out)
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "No break-even between 20,000 and 40,000",
        ))
        .stdout(predicate::str::contains("positive at both ends"));
    let (header, rows) = read_csv(&out.join("breakeven.csv"));
    let row = &rows[0];
    assert_eq!(
        row[column(&header, "finding")],
        "no crossing: saves throughout"
    );
    assert_eq!(row[column(&header, "value")], "");
    assert_eq!(row[column(&header, "evaluations")], "2");
    assert_eq!(row[column(&header, "strategy")], "solo");
}

#[test]
fn bad_keys_ranges_steps_and_strategies_exit_2_with_nothing_written() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("never");
    let cases: [(&[&str], &str); 8] = [
        (
            &["sweep", "--vary", "location.budapest.no_such=1..2"],
            "--vary:1:19: unknown field `no_such`",
        ),
        (
            &["sweep", "--vary", &format!("{GS_COST}=-5..2")],
            "GS is -5; expected a yearly cost",
        ),
        (
            &["sweep", "--vary", "settings.x=1..1"],
            "the range 1..1 is empty",
        ),
        (
            &["sweep", "--vary", "settings.x=a..1"],
            "`a` is not a finite number",
        ),
        (&["sweep", "--vary", "nokey"], "has no `=`"),
        (
            &[
                "sweep",
                "--vary",
                &format!("{GS_COST}=1..2"),
                "--steps",
                "0",
            ],
            "0 is not in 1..=1000",
        ),
        (
            &[
                "breakeven",
                "--vary",
                &format!("{GS_COST}=1..2"),
                "--strategy",
                "nope",
            ],
            "--strategy `nope` is not a strategy",
        ),
        (
            &[
                "breakeven",
                "--vary",
                &format!("{GS_COST}=1..2"),
                "--versus",
                "pooled",
            ],
            "both `pooled`",
        ),
    ];
    for (args, message) in cases {
        sscsim()
            .args(args)
            .args(["-n", "2", "-q", "-o"])
            .arg(&out)
            .assert()
            .code(2)
            .stdout(predicate::str::is_empty())
            .stderr(predicate::str::contains(message));
        assert!(!out.exists(), "{args:?} wrote {}", out.display());
    }
}

#[test]
fn a_sweep_is_the_same_at_any_thread_count() {
    let dir = tempfile::tempdir().unwrap();
    let files: Vec<Vec<u8>> = ["1", "2", "3"]
        .iter()
        .map(|threads| {
            let out = dir.path().join(threads);
            sscsim()
                .args([
                    "sweep",
                    "--vary",
                    "mechanisms.harmonisation.adoption_share=0.2..0.9",
                ])
                .args(["--steps", "3", "-n", "5", "-q", "-j", threads, "-o"])
                .arg(&out)
                .assert()
                .success();
            std::fs::read(out.join("sweep.csv")).unwrap()
        })
        .collect();
    assert_eq!(files[0], files[1]);
    assert_eq!(files[0], files[2]);
}

#[cfg(unix)]
#[test]
fn a_stopped_sweep_keeps_the_values_it_finished_whole() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("stopped");
    let vary = format!("{GS_COST}=20000..50000");
    let (code, stderr) = crate::control::interrupted(
        &[
            "sweep".as_ref(),
            "--vary".as_ref(),
            vary.as_ref(),
            "--steps".as_ref(),
            "200".as_ref(),
            "-n".as_ref(),
            "4".as_ref(),
            "-j".as_ref(),
            "2".as_ref(),
            "-q".as_ref(),
            "-o".as_ref(),
            out.as_os_str(),
        ],
        &out,
        0.05,
        Duration::from_millis(1500),
    );
    assert_eq!(code, Some(130), "{stderr}");
    assert!(stderr.contains("partial"), "{stderr}");
    let manifest = std::fs::read_to_string(out.join("manifest.toml")).unwrap();
    assert!(manifest.contains("partial = true"), "{manifest}");
    let (header, rows) = read_csv(&out.join("sweep.csv"));
    let n = column(&header, "replications");
    assert!(!rows.is_empty() && rows.iter().all(|r| r[n] == "4"));
    let mut values: Vec<&str> = rows
        .iter()
        .map(|r| r[column(&header, "value")].as_str())
        .collect();
    values.dedup();
    assert!(values.len() < 200, "{}", values.len());
    assert_eq!(values[0], "20000");
}

#[test]
fn sweep_and_breakeven_help_names_the_files_out_gets() {
    // Both commands take `run`'s scenario, options and --out; each names
    // its own files in --out's help, which ends, like every help line
    // clap derives, without a full stop.
    for (command, files) in [
        (
            "sweep",
            "Write sweep.csv and manifest.toml into this folder (created if needed)\n",
        ),
        (
            "breakeven",
            "Write breakeven.csv, breakeven_points.csv and manifest.toml into this folder (created if needed)\n",
        ),
    ] {
        sscsim()
            .args([command, "--help"])
            .assert()
            .success()
            .stdout(predicate::str::contains(files))
            .stdout(predicate::str::contains("Write the results into").not())
            .stdout(predicate::str::contains("[SCENARIO]"))
            .stdout(predicate::str::contains("--vary <KEY=FROM..TO>"));
    }
}
