//! Sensitivity of the key outputs to the inputs, against values derived by
//! hand for a scenario whose savings are linear in two inputs.

use assert_cmd::Command;

use crate::util::{column, fixture_text, read_csv};

/// The hand-computed scenario (see tests/model.rs) with the offshore GS cost
/// uniform on 300-500 and the P cost uniform on 700-900. Offshore NPV cost is
/// then `c + k·(GS + P)` with `k = 0.5/1.1 + 0.75/1.21` (half the FTE at
/// each grade: 1 in year 0, 1.5 in year 1, discounted at 10%), and the
/// status quo does not depend on them.
pub fn linear_scenario() -> String {
    fixture_text("hand-computed.toml").replace(
        "annual_cost_usd_per_fte = { GS = 400, P = 800 }",
        "annual_cost_usd_per_fte = { GS = { dist = \"uniform\", min = 300, max = 500 }, P = { dist = \"uniform\", min = 700, max = 900 } }",
    )
}

fn sensitivity_rows(text: &str, replications: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let dir = tempfile::tempdir().unwrap();
    let scenario = dir.path().join("linear.toml");
    std::fs::write(&scenario, text).unwrap();
    let out = dir.path().join("out");
    Command::cargo_bin("sscsim")
        .unwrap()
        .arg("run")
        .arg(&scenario)
        .args(["-n", replications, "-q", "-o"])
        .arg(&out)
        .assert()
        .success();
    let (header, rows) = read_csv(&out.join("sensitivity.csv"));
    assert_eq!(
        header,
        sscsim::results::columns::SENSITIVITY_HEADER.as_slice()
    );
    (header, rows)
}

#[test]
fn swings_and_rank_correlations_match_the_linear_model() {
    let (header, rows) = sensitivity_rows(&linear_scenario(), "400");
    let col = |name: &str| column(&header, name);
    assert_eq!(rows.len(), 2, "one output (offshore savings) × two inputs");
    let k = 0.5 / 1.1 + 0.75 / 1.21;
    for (grade, low, high) in [("GS", 320.0, 480.0), ("P", 720.0, 880.0)] {
        let row = rows
            .iter()
            .find(|r| {
                r[col("input")] == format!("location.offshore.annual_cost_usd_per_fte.{grade}")
            })
            .unwrap();
        assert_eq!(
            (row[col("output")].as_str(), row[col("strategy")].as_str()),
            ("npv_savings_usd", "offshore")
        );
        let number = |name: &str| row[col(name)].parse::<f64>().unwrap();
        // The 10th and 90th percentiles of the uniform.
        assert!(
            (number("input_p10") - low).abs() < 1e-9 && (number("input_p90") - high).abs() < 1e-9
        );
        // Savings fall by k per USD of cost, in every replication alike.
        let swing = -k * (high - low);
        assert!(
            (number("swing") - swing).abs() < 1e-9 * swing.abs(),
            "{row:?}"
        );
        assert!(
            (number("output_at_p90") - number("output_at_p10") - swing).abs() < 1e-9 * swing.abs()
        );
        // Savings = c − k·(GS + P): the rank correlation of U with U + V for
        // independent uniforms is 7/10, so each input's is −0.7. Bound: four
        // standard errors in Fisher's z, var ≈ (1 + ρ²/2)/(n − 3) (Bonett
        // and Wright, 2000).
        let rho = number("rank_correlation");
        let se = ((1.0 + 0.49 / 2.0) / (400.0 - 3.0_f64)).sqrt();
        assert!(
            (rho.atanh() - (-0.7f64).atanh()).abs() < 4.0 * se,
            "rank correlation {rho}"
        );
    }
}

#[test]
fn a_scenario_without_uncertainty_has_an_empty_sensitivity_table() {
    let (_, rows) = sensitivity_rows(&fixture_text("hand-computed.toml"), "3");
    assert!(rows.is_empty());
}

#[test]
fn a_swing_takes_along_the_inputs_correlated_with_it() {
    // The linear scenario with the GS and P costs at rank correlation 1:
    // fixing GS at its 10th (90th) percentile puts P at its own, 720 (880),
    // in every replication. Savings = c − k·(GS + P), so each input's swing
    // is −k·(160 + 160), twice what it would be with the partner left
    // where it was drawn (−k·160, the swing of an input moved alone).
    let text = linear_scenario()
        + "\n[[correlation]]\ninputs = [\"location.offshore.annual_cost_usd_per_fte.GS\", \"location.offshore.annual_cost_usd_per_fte.P\"]\nrank_correlation = 1\n";
    let (header, rows) = sensitivity_rows(&text, "50");
    let col = |name: &str| column(&header, name);
    assert_eq!(rows.len(), 2, "{rows:?}");
    let k = 0.5 / 1.1 + 0.75 / 1.21;
    let swing = -k * (160.0 + 160.0);
    for row in &rows {
        let number = |name: &str| row[col(name)].parse::<f64>().unwrap();
        assert!(
            (number("swing") - swing).abs() < 1e-6 * swing.abs(),
            "{row:?}, expected {swing}"
        );
    }
}

#[test]
fn every_input_that_varies_has_a_swing() {
    // Twelve independent uniform inputs, more than the ten that used to be
    // swung: every row has its swing, none an empty cell.
    let mut text = linear_scenario();
    for i in 0..10 {
        text.push_str(&format!(
            "\n[[location]]\nid = \"spare_{i}\"\nname = \"Spare {i}\"\nannual_cost_usd_per_fte = {{ GS = {{ dist = \"uniform\", min = 300, max = 500 }} }}\n"
        ));
    }
    let (header, rows) = sensitivity_rows(&text, "20");
    let swing = column(&header, "swing");
    assert!(rows.len() >= 2, "{rows:?}");
    for row in &rows {
        assert!(!row[swing].is_empty(), "{row:?}");
    }
}
