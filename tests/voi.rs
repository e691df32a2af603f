//! The value of information: `[[input_group]]` tables and their errors,
//! and `voi.csv` as `sscsim run` writes it.

use assert_cmd::Command;

use crate::util::{assert_problem_at, bundled_text, column, parse, read_csv};

fn with_groups(groups: &str) -> String {
    format!("{}\n{groups}", bundled_text("budapest-joint"))
}

fn group(name: &str, patterns: &[&str]) -> String {
    let quoted: Vec<String> = patterns.iter().map(|p| format!("\"{p}\"")).collect();
    format!(
        "[[input_group]]\nname = \"{name}\"\ninputs = [{}]\n",
        quoted.join(", ")
    )
}

#[test]
fn a_group_holds_every_input_its_patterns_match_once() {
    let scenario = parse(&with_groups(&group(
        "budapest_and_harmonisation",
        &[
            "location.budapest.*",
            "mechanisms.harmonisation.*",
            "location.budapest.exchange_rate_factor",
        ],
    )));
    let [g] = scenario.input_groups.as_slice() else {
        panic!("one group")
    };
    assert_eq!(g.name, "budapest_and_harmonisation");
    let names: Vec<&str> = g
        .inputs
        .iter()
        .map(|&i| scenario.inputs[i].name.as_str())
        .collect();
    let expected: Vec<&str> = (scenario.inputs.iter())
        .map(|i| i.name.as_str())
        .filter(|n| {
            n.starts_with("location.budapest.") || n.starts_with("mechanisms.harmonisation.")
        })
        .collect();
    assert!(expected.len() >= 5, "{expected:?}");
    assert_eq!(names, expected);
}

#[test]
fn a_pattern_that_matches_nothing_is_reported_at_its_place_with_the_closest_ids() {
    let text = with_groups(&group("g", &["location.budapest.*", "location.budapset.*"]));
    assert_problem_at(
        &text,
        "\"location.budapset.*\"",
        0,
        "the pattern `location.budapset.*` matches no uncertain input",
    );
    assert_problem_at(
        &text,
        "\"location.budapset.*\"",
        0,
        "the closest here: `location.budapest.",
    );
}

#[test]
fn a_group_name_must_be_new_short_and_not_all() {
    let twice = with_groups(&format!(
        "{}{}",
        group("costs", &["location.budapest.*"]),
        group("costs", &["location.geneva.*"])
    ));
    assert_problem_at(
        &twice,
        "\"costs\"",
        1,
        "the group name `costs` is already the name of an earlier [[input_group]]",
    );
    let all = with_groups(&group("all", &["location.budapest.*"]));
    assert_problem_at(&all, "\"all\"", 0, "is already the EVPI's row in voi.csv");
    let id = "location.budapest.exchange_rate_factor";
    let input = with_groups(&group(id, &["location.budapest.*"]));
    assert_problem_at(
        &input,
        &format!("\"{id}\"\ninputs"),
        0,
        "is already an uncertain input's id",
    );
    let spaced = with_groups(&group("two words", &["location.budapest.*"]));
    assert_problem_at(
        &spaced,
        "\"two words\"",
        0,
        "the group name `two words` is not a short id",
    );
}

#[test]
fn a_group_lists_at_least_one_pattern_and_no_unknown_key() {
    let empty = with_groups(&group("g", &[]));
    assert_problem_at(&empty, "[]", 0, "[[input_group]] lists 0 patterns");
    let unknown = with_groups("[[input_group]]\nname = \"g\"\ninputs = [\"*\"]\nmembers = 1\n");
    assert!(sscsim::scenario::parse("s.toml", &unknown).is_err());
}

#[test]
fn voi_csv_holds_the_evpi_first_then_groups_and_inputs_by_decreasing_evppi() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let scenario = dir.path().join("s.toml");
    std::fs::write(
        &scenario,
        with_groups(&group("budapest", &["location.budapest.*"])),
    )
    .unwrap();
    Command::cargo_bin("sscsim")
        .unwrap()
        .args(["run", "-n", "200", "--threads", "2", "--out"])
        .arg(&out)
        .arg(&scenario)
        .assert()
        .success()
        .stdout(predicates::str::contains(
            "Value of information (200 replications",
        ));
    let (header, rows) = read_csv(&out.join("voi.csv"));
    assert_eq!(
        header,
        [
            "input",
            "kind",
            "input_label",
            "evppi_usd",
            "se_usd",
            "share_of_evpi",
            "inputs",
            "replications"
        ]
    );
    let at = |row: &[String], name: &str| row[column(&header, name)].clone();
    assert_eq!(
        (at(&rows[0], "input"), at(&rows[0], "kind")),
        ("all".into(), "all".into())
    );
    assert_eq!(at(&rows[0], "share_of_evpi"), "1");
    let evpi: f64 = at(&rows[0], "evppi_usd").parse().unwrap();
    let values: Vec<f64> = (rows[1..].iter())
        .filter_map(|r| at(r, "evppi_usd").parse().ok())
        .collect();
    assert!(values.windows(2).all(|w| w[0] >= w[1]), "{values:?}");
    for row in &rows[1..] {
        let (Ok(value), Ok(se)) = (
            at(row, "evppi_usd").parse::<f64>(),
            at(row, "se_usd").parse::<f64>(),
        ) else {
            continue;
        };
        assert!(
            value >= 0.0 && value <= evpi + 3.0 * se + 1e-9,
            "{row:?} against an EVPI of {evpi}"
        );
    }
    let kinds: Vec<String> = rows.iter().map(|r| at(r, "kind")).collect();
    assert!(kinds.contains(&"group".to_owned()) && kinds.contains(&"input".to_owned()));
    assert!(rows.iter().any(|r| at(r, "input") == "budapest"));
    assert!(rows.iter().all(|r| at(r, "replications") == "200"));
}
