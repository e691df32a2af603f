//! Nothing a person reads presents noise or an artefact as a finding: a
//! gap that means nothing is left empty, shares of a gap that may be zero
//! are not shown, percentiles have one definition, probabilities are not
//! rounded to certainty, and tables fit the terminal.

use assert_cmd::Command;

use crate::util::{bundled_path, column, fixture_text, read_csv};

fn sscsim() -> Command {
    Command::cargo_bin("sscsim").unwrap()
}

/// `sscsim run` of the bundled un-system-ssc, `replications` of them,
/// into `dir/out`; returns the folder.
fn run_un_system_ssc(dir: &std::path::Path, replications: &str) -> std::path::PathBuf {
    let out = dir.join("out");
    sscsim()
        .arg("run")
        .arg(bundled_path("un-system-ssc"))
        .args(["-q", "-n", replications, "-o"])
        .arg(&out)
        .assert()
        .success();
    out
}

#[test]
fn economies_of_scale_lost_is_empty_for_the_status_quo_and_the_pooled_strategy() {
    let dir = tempfile::tempdir().unwrap();
    let out = run_un_system_ssc(dir.path(), "2");
    let (header, rows) = read_csv(&out.join("replications.csv"));
    let (strategy, lost, cheaper) = (
        column(&header, "strategy"),
        column(&header, "economies_of_scale_lost_usd"),
        column(&header, "pooled_cheaper"),
    );
    // un-system-ssc compares `fragmented` with `inter_agency`.
    for row in &rows {
        let empty = matches!(row[strategy].as_str(), "status_quo" | "inter_agency");
        assert_eq!(row[lost].is_empty(), empty, "{row:?}");
        assert_eq!(row[cheaper].is_empty(), empty, "{row:?}");
    }
    let (header, rows) = read_csv(&out.join("summary.csv"));
    let (strategy, metric) = (column(&header, "strategy"), column(&header, "metric"));
    assert!(!rows.iter().any(|r| {
        matches!(r[strategy].as_str(), "status_quo" | "inter_agency")
            && r[metric] == "economies_of_scale_lost_usd"
    }));
}

/// `sscsim ARGS` on a scenario text; stdout.
fn stdout_of(scenario_text: &str, args: &[&str]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("s.toml");
    std::fs::write(&file, scenario_text).unwrap();
    let output = sscsim()
        .arg(args[0])
        .arg(&file)
        .args(&args[1..])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn shares_of_a_gap_whose_interval_includes_zero_are_not_shown_anywhere() {
    // hub_network against inter_agency over 2 replications: a gap of a few
    // USD million whose 95% interval (−6.3 to 18.7) includes zero.
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let output = sscsim()
        .arg("explain")
        .arg(bundled_path("un-system-ssc"))
        .args([
            "-q",
            "-n",
            "2",
            "--fragmented",
            "hub_network",
            "--pooled",
            "inter_agency",
            "-o",
        ])
        .arg(&out)
        .output()
        .unwrap();
    assert!(output.status.success());
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(!text.contains("share of gap"), "{text}");
    assert!(text.contains("includes zero"), "{text}");
    let (header, rows) = read_csv(&out.join("decomposition_summary.csv"));
    let share = column(&header, "share_of_gap");
    assert!(rows.iter().all(|r| r[share].is_empty()), "{rows:?}");
    sscsim().arg("report").arg(&out).assert().success();
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(!html.contains("Share of the gap"));
    assert!(html.contains("includes zero"));
    // Four replications tell: the interval excludes zero, shares are back.
    let output = sscsim()
        .arg("explain")
        .arg(bundled_path("un-system-ssc"))
        .args([
            "-q",
            "-n",
            "4",
            "--fragmented",
            "hub_network",
            "--pooled",
            "inter_agency",
        ])
        .output()
        .unwrap();
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(
        text.contains("share of gap") && text.contains("100%"),
        "{text}"
    );
}

#[test]
fn the_report_takes_the_percentiles_of_summary_csv() {
    let dir = tempfile::tempdir().unwrap();
    let out = run_un_system_ssc(dir.path(), "3");
    // Percentiles that summarising replications.csv again cannot give (as a
    // sketch or a merged sketch may not): the report must show these.
    let path = out.join("summary.csv");
    let (header, rows) = read_csv(&path);
    let (strategy, metric) = (column(&header, "strategy"), column(&header, "metric"));
    let (p05, p50, p95) = (
        column(&header, "p05"),
        column(&header, "p50"),
        column(&header, "p95"),
    );
    let mut text = header.join(",") + "\n";
    for mut row in rows {
        if row[strategy] == "fragmented" && row[metric] == "npv_savings_usd" {
            row[p05] = "111110000".into();
            row[p50] = "222220000".into();
            row[p95] = "333330000".into();
        }
        text += &(row.join(",") + "\n");
    }
    std::fs::write(&path, text).unwrap();
    sscsim().arg("report").arg(&out).assert().success();
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    for figure in ["111.11", "222.22", "333.33"] {
        assert!(html.contains(figure), "{figure} not in the report");
    }
}

#[test]
fn the_half_width_is_named_and_a_single_replication_has_none() {
    let text = stdout_of(
        &fixture_text("hand-computed.toml"),
        &["run", "-q", "-n", "1"],
    );
    assert!(text.contains("± 95% CI"), "{text}");
    assert!(
        text.contains("half-width of the 95% confidence interval of the mean"),
        "{text}"
    );
    let offshore = text.lines().find(|l| l.contains("offshore")).unwrap();
    // strategy, NPV cost, savings mean, then the half-width: a dash.
    assert_eq!(offshore.split_whitespace().nth(3), Some("–"), "{offshore}");
}

#[test]
fn a_discount_rate_prints_as_its_decimal_not_its_float() {
    let scenario = fixture_text("hand-computed.toml").replace(
        "discount_rate_per_year = 0.1",
        "discount_rate_per_year = 0.035",
    );
    let text = stdout_of(&scenario, &["run", "-q", "-n", "1"]);
    assert!(text.contains("NPV at 3.5% a year"), "{text}");
}

#[test]
fn printed_tables_fit_80_columns() {
    for args in [
        vec!["run", "-q", "-n", "2"],
        vec!["explain", "-q", "-n", "2"],
    ] {
        let output = sscsim()
            .arg(args[0])
            .arg(bundled_path("large"))
            .args(&args[1..])
            .output()
            .unwrap();
        assert!(output.status.success());
        let text = String::from_utf8(output.stdout).unwrap();
        for line in text.lines() {
            assert!(line.chars().count() <= 80, "{args:?}: {line}");
        }
    }
}

#[test]
fn probabilities_are_never_rounded_to_certainty_and_no_minus_zero_shows() {
    use sscsim::format::{decimal, probability};
    assert_eq!(probability(0.9996), ">99%");
    assert_eq!(probability(0.004), "<1%");
    assert_eq!(probability(0.0), "0%");
    assert_eq!(probability(1.0), "100%");
    assert_eq!(decimal(-0.04, 1), "0.0");
    // The printed tables: a tiny negative amount is 0.0, not −0.0.
    let text = stdout_of(
        &fixture_text("hand-computed.toml"),
        &["run", "-q", "-n", "2"],
    );
    assert!(!text.contains("-0.0") && !text.contains("−0.0"), "{text}");
}
