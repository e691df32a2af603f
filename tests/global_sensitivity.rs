//! `global_sensitivity.csv` end to end, against the linear model of
//! tests/sensitivity.rs, and its option's bad values.

use assert_cmd::Command;

use crate::sensitivity::linear_scenario;
use crate::util::{column, read_csv};

/// Runs the linear scenario with `args` into a folder; its
/// `global_sensitivity.csv`.
fn global_rows(args: &[&str]) -> (Vec<String>, Vec<Vec<String>>) {
    let dir = tempfile::tempdir().unwrap();
    let scenario = dir.path().join("linear.toml");
    std::fs::write(&scenario, linear_scenario()).unwrap();
    let out = dir.path().join("out");
    Command::cargo_bin("sscsim")
        .unwrap()
        .arg("run")
        .arg(&scenario)
        .args(args)
        .args(["-q", "-o"])
        .arg(&out)
        .assert()
        .success();
    read_csv(&out.join("global_sensitivity.csv"))
}

#[test]
fn the_linear_models_two_equal_inputs_each_explain_half_first_and_total_order() {
    // Savings are c − k·(GS + P), GS uniform on 300–500 and P on 700–900,
    // independent: equal variances, no interaction, so S = ST = 1/2 each.
    let (header, rows) = global_rows(&["-n", "400", "--global-sensitivity=200"]);
    let expected: Vec<String> = (sscsim::results::columns::GLOBAL_SENSITIVITY_HEADER.iter())
        .map(|c| c.to_string())
        .chain(
            ["", "_ci_low", "_ci_high", "_first_half", "_converged"]
                .iter()
                .map(|s| format!("total_order{s}")),
        )
        .collect();
    assert_eq!(header, expected);
    let col = |name: &str| column(&header, name);
    let kinds: Vec<&str> = rows.iter().map(|r| r[col("kind")].as_str()).collect();
    // One output × two inputs, then its one built-in group of two or
    // more: location.offshore, both inputs.
    assert_eq!(kinds, ["input", "input", "group"]);
    let group = &rows[2];
    assert_eq!(group[col("input")], "location.offshore");
    // Savings are a function of GS + P alone, so the pair explains all of
    // their variance, S = 1; the nearest-neighbour estimate can only read
    // lower (a variance over neighbours is never negative), by about the
    // spread of GS + P over 3 neighbours among 400 points, under 1%.
    let group_index: f64 = group[col("first_order")].parse().unwrap();
    assert!((0.97..=1.0).contains(&group_index), "{group_index}");
    // No design freezes a group: its design cells are empty.
    assert_eq!(group[col("total_order")], "");
    for row in &rows[..2] {
        let number = |name: &str| row[col(name)].parse::<f64>().unwrap();
        for index in ["first_order", "total_order"] {
            let (low, high) = (
                number(&format!("{index}_ci_low")),
                number(&format!("{index}_ci_high")),
            );
            assert!(
                low <= 0.5 && 0.5 <= high,
                "{index} of {}: [{low}, {high}]",
                row[col("input")]
            );
            assert!(
                high - low < 0.3,
                "{index}: [{low}, {high}] too wide to mean anything"
            );
        }
        assert_eq!(row[col("first_order_replications")], "400");
    }
}

#[test]
fn without_the_option_only_the_first_order_columns_are_written() {
    let (header, rows) = global_rows(&["-n", "50"]);
    assert_eq!(
        header,
        sscsim::results::columns::GLOBAL_SENSITIVITY_HEADER.as_slice()
    );
    assert_eq!(rows.len(), 3, "two inputs and their group");
}

#[test]
fn a_design_of_fewer_than_two_samples_or_on_a_shard_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let run = |extra: &[&str]| {
        Command::cargo_bin("sscsim")
            .unwrap()
            .args(["run", "-n", "4", "-q", "-o"])
            .arg(&out)
            .args(extra)
            .assert()
            .code(2)
    };
    run(&["--global-sensitivity=1"]).stderr(predicates::str::contains("--global-sensitivity"));
    run(&["--global-sensitivity", "--shard", "1/2"]).stderr(predicates::str::contains(
        "--global-sensitivity cannot be used with a shard",
    ));
    assert!(!out.exists(), "nothing written");
}
