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
