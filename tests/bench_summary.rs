//! The benchmarks' summary (`benches/simulation/summary.rs`): times per
//! iteration become times per agency·line·day, what a run did not measure
//! is a dash, and only the estimates a run wrote are read.

use std::time::SystemTime;

#[allow(dead_code)]
#[path = "../benches/simulation/summary.rs"]
mod summary;

use summary::{Row, Workload, filename_safe, median_ns, table};

fn workload() -> Workload {
    Workload {
        name: "w",
        days_per_replication: 1000,
        simulate: "agency_line_days/w/simulate".to_owned(),
        floor: "floor/w/draw".to_owned(),
        threads: Some(("t/1".to_owned(), "t/2".to_owned(), 4)),
    }
}

/// 20 µs a replication of 1 000 days is 20 ns a day; a block of 4
/// replications in 100 µs on one thread is 25 ns a day.
#[test]
fn times_per_iteration_become_times_per_day() {
    let times = |id: &str| match id {
        "agency_line_days/w/simulate" => Some(20_000.0),
        "floor/w/draw" => Some(8_000.0),
        "t/1" => Some(100_000.0),
        "t/2" => Some(50_000.0),
        _ => None,
    };
    let row = Row::of(&workload(), times);
    assert_eq!(
        row,
        Row {
            simulate_ns: Some(20.0),
            floor_ns: Some(8.0),
            one_thread_ns: Some(25.0),
            two_threads_ns: Some(12.5),
        }
    );
    let printed = table(&[("w", row)]);
    let line = printed.lines().nth(2).expect("a row under the header");
    let cells: Vec<_> = line.split_whitespace().collect();
    assert_eq!(
        cells,
        ["w", "20.0", "50.0", "8.0", "2.50", "25.0", "12.5", "2.00"]
    );
}

#[test]
fn what_was_not_measured_is_a_dash_and_a_workload_without_any_is_left_out() {
    let floor_only = |id: &str| (id == "floor/w/draw").then_some(4_000.0);
    let rows = [
        ("w", Row::of(&workload(), floor_only)),
        ("none", Row::of(&workload(), |_| None)),
    ];
    let printed = table(&rows);
    assert_eq!(printed.lines().count(), 3, "{printed}");
    let cells: Vec<_> = printed.lines().nth(2).unwrap().split_whitespace().collect();
    assert_eq!(cells, ["w", "–", "–", "4.0", "–", "–", "–", "–"]);
    assert_eq!(table(&[("none", Row::of(&workload(), |_| None))]), "");
}

#[test]
fn folder_names_are_criterion_s() {
    assert_eq!(
        filename_safe("agency_line_days/large"),
        "agency_line_days_large"
    );
    assert_eq!(filename_safe("peer"), "peer");
}

/// An estimate older than the run is not read as this run's.
#[test]
fn only_estimates_written_since_the_run_began_are_read() {
    let home = std::env::temp_dir().join(format!("sscsim-summary-{}", std::process::id()));
    let folder = home.join("g_x/f/new");
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(
        folder.join("estimates.json"),
        r#"{"mean":{"point_estimate":2.0},"median":{"point_estimate":1.5}}"#,
    )
    .unwrap();
    let before = SystemTime::now() - std::time::Duration::from_secs(60);
    let after = SystemTime::now() + std::time::Duration::from_secs(60);
    assert_eq!(median_ns(&home, "g/x/f", before), Some(1.5));
    assert_eq!(median_ns(&home, "g/x/f", after), None);
    assert_eq!(median_ns(&home, "g/x/missing", before), None);
    std::fs::remove_dir_all(&home).unwrap();
}
