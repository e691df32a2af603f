//! The business case's own tables: `differences.csv` (paired savings of
//! every strategy against every other) and `lines.csv` (productivity by
//! service line), checked against values computed independently.

use assert_cmd::Command;
use sscsim::metrics::YearMetric;
use sscsim::run::{ReplicationMetrics, RunControl, RunError, RunPlan, run};
use sscsim::stats::{DifferenceCollector, Pair, Span, Summary};

use crate::util::{bundled, column, read_csv};

fn sscsim() -> Command {
    Command::cargo_bin("sscsim").unwrap()
}

/// Runs `args` into a new folder under `root` and returns it.
fn run_into(root: &std::path::Path, name: &str, args: &[&str]) -> std::path::PathBuf {
    let dir = root.join(name);
    sscsim()
        .args(["run", "-q", "-o"])
        .arg(&dir)
        .args(args)
        .assert()
        .success();
    dir
}

/// The mean, percentiles and share above 0 of `values`, as
/// `differences.csv` writes them.
fn expected_cells(values: &[f64]) -> [String; 5] {
    let s = Summary::of(values).unwrap();
    let positive = values.iter().filter(|&&v| v > 0.0).count() as f64 / values.len() as f64;
    [s.mean, s.p05, s.p50, s.p95, positive].map(|v| v.to_string())
}

#[test]
fn npv_differences_are_the_per_replication_differences_of_replications_csv() {
    let root = tempfile::tempdir().unwrap();
    let dir = run_into(root.path(), "run", &["-n", "30", "-s", "5"]);
    let (header, rows) = read_csv(&dir.join("replications.csv"));
    let (strategy_col, cost_col) = (column(&header, "strategy"), column(&header, "npv_cost_usd"));
    // `costs[strategy]`: its NPV cost in each replication, in order.
    let mut ids: Vec<String> = Vec::new();
    let mut costs: Vec<Vec<f64>> = Vec::new();
    for row in &rows {
        let id = &row[strategy_col];
        let s = ids.iter().position(|x| x == id).unwrap_or_else(|| {
            ids.push(id.clone());
            costs.push(Vec::new());
            ids.len() - 1
        });
        costs[s].push(row[cost_col].parse().unwrap());
    }
    assert!(ids.len() >= 3, "{ids:?}");
    let (header, rows) = read_csv(&dir.join("differences.csv"));
    let at = |name: &str| column(&header, name);
    let horizon: Vec<&Vec<String>> = rows.iter().filter(|r| r[at("year")] == "all").collect();
    // Every ordered pair once.
    assert_eq!(horizon.len(), ids.len() * (ids.len() - 1));
    for row in horizon {
        assert_eq!(row[at("metric")], "npv_savings_usd");
        let s = ids.iter().position(|x| *x == row[at("strategy")]).unwrap();
        let v = ids.iter().position(|x| *x == row[at("versus")]).unwrap();
        // What `s` saves against `v`: v's cost minus s's, replication by replication.
        let savings: Vec<f64> = costs[v].iter().zip(&costs[s]).map(|(v, s)| v - s).collect();
        let got: Vec<&str> = ["mean", "p05", "p50", "p95", "probability_positive"]
            .iter()
            .map(|c| row[at(c)].as_str())
            .collect();
        assert_eq!(got, expected_cells(&savings), "{row:?}");
    }
}

#[test]
fn yearly_differences_are_the_per_replication_differences_of_yearly_costs() {
    let scenario = bundled("unhcr-budapest-2007");
    let plan = RunPlan {
        replications: 25,
        seed: 9,
    };
    let mut rows: Vec<ReplicationMetrics> = Vec::new();
    let mut collector = DifferenceCollector::default();
    run::<RunError>(&scenario, plan, &RunControl::default(), |m| {
        collector.observe(&m.strategies, &m.years);
        rows.push(m);
        Ok(())
    })
    .unwrap();
    let n = scenario.strategies.len();
    let cost = |r: &ReplicationMetrics, s: usize, y: usize| {
        r.years[s][y][YearMetric::AnnualCostUsd].unwrap()
    };
    for strategy in 0..n {
        for versus in (0..n).filter(|&v| v != strategy) {
            for year in 0..scenario.settings.horizon_years as usize {
                let savings: Vec<f64> = rows
                    .iter()
                    .map(|r| cost(r, versus, year) - cost(r, strategy, year))
                    .collect();
                let d = collector
                    .summary(Pair { strategy, versus }, Span::Year(year))
                    .unwrap();
                let s = d.summary;
                let got = [s.mean, s.p05, s.p50, s.p95, d.probability_positive];
                assert_eq!(got.map(|v| v.to_string()), expected_cells(&savings));
            }
        }
    }
}

/// `lines.csv` of the hand-computed scenario with `replace` applied, run
/// once: its `offshore` row, by column name.
fn offshore_line(replace: &[(&str, &str)]) -> std::collections::HashMap<String, String> {
    let mut text = crate::util::fixture_text("hand-computed.toml");
    for (from, to) in replace {
        assert!(text.contains(from), "{from}");
        text = text.replace(from, to);
    }
    let root = tempfile::tempdir().unwrap();
    let scenario = root.path().join("hand.toml");
    std::fs::write(&scenario, text).unwrap();
    let dir = run_into(root.path(), "run", &[scenario.to_str().unwrap(), "-n", "2"]);
    let (header, rows) = read_csv(&dir.join("lines.csv"));
    let row = rows
        .iter()
        .find(|r| r[column(&header, "strategy")] == "offshore")
        .unwrap();
    header.into_iter().zip(row.iter().cloned()).collect()
}

fn number(row: &std::collections::HashMap<String, String>, name: &str) -> f64 {
    row[name]
        .parse()
        .unwrap_or_else(|_| panic!("{name}: {:?}", row[name]))
}

#[test]
fn a_team_staffed_for_its_demand_works_at_full_utilisation_without_backlog() {
    // Year 2 of the hand-computed scenario: 180 transactions, 15 a day,
    // 10 minutes each over 100 minutes an FTE-day: 1.5 FTE, capacity 15 a
    // day, all of it used, nothing left overnight.
    let row = offshore_line(&[]);
    assert_eq!(number(&row, "fte"), 1.5);
    assert_eq!(number(&row, "transactions_per_year"), 180.0);
    assert_eq!(number(&row, "transactions_per_fte_year"), 180.0 / 1.5);
    assert_eq!(number(&row, "utilisation_share"), 1.0);
    assert_eq!(number(&row, "service_level"), 1.0);
    assert_eq!(number(&row, "backlog_probability"), 0.0);
    assert_eq!(number(&row, "mean_backlog_transactions"), 0.0);
    // A queue line: no contact figures.
    assert_eq!(row["average_speed_of_answer_seconds"], "");
    assert_eq!(row["abandon_share"], "");
}

#[test]
fn a_team_with_huge_capacity_has_no_backlog_and_uses_work_over_capacity() {
    // 10 FTE: capacity 10 × 100 / 10 = 100 a day for 15 a day of work.
    let row = offshore_line(&[(
        "grade_mix = { GS = 0.5, P = 0.5 }",
        "fixed_staff_fte = { claims = { GS = 10 } }",
    )]);
    assert_eq!(number(&row, "fte"), 10.0);
    assert_eq!(number(&row, "transactions_per_fte_year"), 18.0);
    assert_eq!(number(&row, "utilisation_share"), 0.15);
    assert_eq!(number(&row, "backlog_probability"), 0.0);
    assert_eq!(number(&row, "mean_backlog_transactions"), 0.0);
}

#[test]
fn a_team_short_of_capacity_ends_every_day_with_a_growing_backlog() {
    // 0.8 FTE: capacity 8 a day for 10 arriving (no growth). After day d
    // (from 0), 2(d + 1) wait; year 2 is days 12-23, so every day ends
    // with work waiting, 2 × 18.5 = 37 on average, and all capacity is used.
    let row = offshore_line(&[
        (
            "volume_growth_rate_per_year = 0.5",
            "volume_growth_rate_per_year = 0",
        ),
        (
            "grade_mix = { GS = 0.5, P = 0.5 }",
            "fixed_staff_fte = { claims = { GS = 0.8 } }",
        ),
    ]);
    assert_eq!(number(&row, "transactions_per_year"), 120.0);
    assert!((number(&row, "transactions_per_fte_year") - 150.0).abs() < 1e-9);
    assert!((number(&row, "utilisation_share") - 1.0).abs() < 1e-12);
    assert_eq!(number(&row, "backlog_probability"), 1.0);
    assert!((number(&row, "mean_backlog_transactions") - 37.0).abs() < 1e-9);
}

#[test]
fn transactions_per_fte_year_is_transactions_over_fte_in_every_bundled_row() {
    let root = tempfile::tempdir().unwrap();
    let dir = run_into(root.path(), "run", &["-n", "5"]);
    let (header, rows) = read_csv(&dir.join("lines.csv"));
    assert!(!rows.is_empty());
    let at = |r: &Vec<String>, name: &str| r[column(&header, name)].parse::<f64>().unwrap();
    for r in &rows {
        let ratio = at(r, "transactions_per_year") / at(r, "fte");
        assert_eq!(at(r, "transactions_per_fte_year"), ratio, "{r:?}");
        let share = at(r, "backlog_probability");
        assert!((0.0..=1.0).contains(&share), "{r:?}");
    }
}
