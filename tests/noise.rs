//! Nothing a person reads presents noise or an artefact as a finding: a
//! gap that means nothing is left empty, shares of a gap that may be zero
//! are not shown, percentiles have one definition, probabilities are not
//! rounded to certainty, and tables fit the terminal.

use assert_cmd::Command;

use crate::util::{bundled_path, column, read_csv};

fn sscsim() -> Command {
    Command::cargo_bin("sscsim").unwrap()
}

#[test]
fn economies_of_scale_lost_is_empty_for_the_status_quo_and_the_pooled_strategy() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    sscsim()
        .arg("run")
        .arg(bundled_path("un-system-ssc"))
        .args(["-q", "-n", "2", "-o"])
        .arg(&out)
        .assert()
        .success();
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
