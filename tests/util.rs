//! Helpers shared by the integration tests.

use sscsim::model::Scenario;
use sscsim::sim::{ReplicationOutcome, Workspace, simulate_replication};

/// The header and rows of a CSV file, as text.
pub fn read_csv(path: &std::path::Path) -> (Vec<String>, Vec<Vec<String>>) {
    let mut reader = csv::Reader::from_path(path).unwrap();
    let header = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect();
    let rows = reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect();
    (header, rows)
}

/// The position of the column named `name` in a CSV file's `header`:
/// tests find columns by name, never by number.
pub fn column(header: &[String], name: &str) -> usize {
    header
        .iter()
        .position(|h| h == name)
        .unwrap_or_else(|| panic!("no column `{name}` in {header:?}"))
}

/// Every file under `dir`, in its sub-folders too.
pub fn files_under(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(files_under(&path));
        } else {
            files.push(path);
        }
    }
    files
}

/// The crate's folder: the root of `scenarios/` and `tests/`.
pub fn crate_dir() -> &'static std::path::Path {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Path of a file in `tests/fixtures`.
pub fn fixture(name: &str) -> std::path::PathBuf {
    crate_dir().join("tests/fixtures").join(name)
}

/// Text of a file in `tests/fixtures`.
pub fn fixture_text(name: &str) -> String {
    std::fs::read_to_string(fixture(name)).expect("fixture exists")
}

/// Path of the bundled scenario `scenarios/{stem}.toml`.
pub fn bundled_path(stem: &str) -> std::path::PathBuf {
    crate_dir().join("scenarios").join(format!("{stem}.toml"))
}

/// The stems of every bundled scenario (`scenarios/*.toml`), sorted.
pub fn bundled_stems() -> Vec<String> {
    let mut stems: Vec<String> = std::fs::read_dir(crate_dir().join("scenarios"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == "toml"))
        .map(|path| path.file_stem().unwrap().to_string_lossy().into_owned())
        .collect();
    stems.sort();
    stems
}

/// Text of the bundled scenario `scenarios/{stem}.toml`.
pub fn bundled_text(stem: &str) -> String {
    std::fs::read_to_string(bundled_path(stem)).expect("bundled scenario exists")
}

/// The bundled scenario `scenarios/{stem}.toml`, panicking with the
/// diagnostics if it is invalid.
pub fn bundled(stem: &str) -> Scenario {
    let path = format!("scenarios/{stem}.toml");
    sscsim::scenario::parse(&path, &bundled_text(stem))
        .unwrap_or_else(|d| panic!("bundled scenario {path} is invalid:\n{d}"))
}

/// Asserts that `actual` is `expected` within a relative 1e-9 (absolute
/// below 1): equal but for floating-point rounding.
pub fn assert_close(actual: f64, expected: f64, what: &str) {
    assert!(
        (actual - expected).abs() <= 1e-9 * expected.abs().max(1.0),
        "{what}: got {actual}, expected {expected}"
    );
}

/// Parses scenario text, panicking with the diagnostics if it is invalid.
pub fn parse(text: &str) -> Scenario {
    sscsim::scenario::parse("test.toml", text)
        .unwrap_or_else(|d| panic!("invalid test scenario:\n{d}"))
}

/// Line and column (1-based) of the `occurrence`-th (0-based) match of `needle`.
fn position(text: &str, needle: &str, occurrence: usize) -> (usize, usize) {
    let offset = text
        .match_indices(needle)
        .nth(occurrence)
        .unwrap_or_else(|| panic!("no {needle}"))
        .0;
    let line = text[..offset].matches('\n').count() + 1;
    let column = text[..offset]
        .chars()
        .rev()
        .take_while(|&c| c != '\n')
        .count()
        + 1;
    (line, column)
}

/// Asserts that parsing `text` reports `message` at the given occurrence of `needle`.
pub fn assert_problem_at(text: &str, needle: &str, occurrence: usize, message: &str) {
    let diagnostics =
        sscsim::scenario::parse("s.toml", text).expect_err("the scenario should be invalid");
    let (line, column) = position(text, needle, occurrence);
    assert!(
        diagnostics
            .problems
            .iter()
            .any(|p| p.line == line && p.column == column && p.message.contains(message)),
        "expected `{message}` at {line}:{column}, got:\n{diagnostics}"
    );
}

/// Simulates one replication.
pub fn replicate(scenario: &Scenario, seed: u64, replication: u64) -> ReplicationOutcome {
    simulate_replication(scenario, seed, replication, &mut Workspace::default())
}

/// Index of a strategy by id.
pub fn strategy(scenario: &Scenario, id: &str) -> usize {
    scenario
        .strategies
        .iter()
        .position(|s| s.id == id)
        .expect("strategy exists")
}

/// Two identical agencies of 25 000 transactions a year in one line, 30
/// minutes each, 360 productive minutes per FTE-day, 250 days: 100 a day,
/// 8⅓ FTE per agency at no variance. GS at 50 000, P at 100 000, D at
/// 150 000 USD; no discounting, no escalation, two years. `solo`: a centre
/// each; `pooled`: one joint centre. `extra` is appended (mechanism tables).
pub fn twins(arrivals: &str, extra: &str) -> String {
    let mut text = String::from(
        r#"
[scenario]
name = "Twins"
[settings]
horizon_years = 2
working_days_per_year = 250
discount_rate_per_year = 0.0
replications = 1
seed = 5
working_minutes_per_day = 480
availability_share = 0.75
[[service_line]]
id = "ap"
effort_minutes_per_transaction = 30
service_level_target_days = 3
service_level_target_share = 0.95
[[location]]
id = "city"
annual_cost_usd_per_fte = { GS = 50000, P = 100000, D = 150000 }
"#,
    );
    for id in ["a", "b"] {
        text.push_str(&format!(
            "[[agency]]\nid = \"{id}\"\nhq_location = \"city\"\n[agency.service_line.ap]\n\
             annual_volume = 25000\narrivals = {arrivals}\nhq_staff_fte = {{ GS = 10 }}\n"
        ));
    }
    text.push_str(
        r#"
[[strategy]]
id = "solo"
[[strategy.centre]]
id = "a_centre"
location = "city"
agencies = ["a"]
service_lines = ["ap"]
grade_mix = { GS = 1 }
[[strategy.centre]]
id = "b_centre"
location = "city"
agencies = ["b"]
service_lines = ["ap"]
grade_mix = { GS = 1 }
[[strategy]]
id = "pooled"
[[strategy.centre]]
id = "joint"
location = "city"
agencies = ["a", "b"]
service_lines = ["ap"]
grade_mix = { GS = 1 }
"#,
    );
    text.push_str(extra);
    text
}

/// The capacity at which the planning condition of `sim::staffing` holds:
/// exp(−θcT)/(θμ) = 1 − s with θ = 2(c − μ)/σ², found by bisection on c.
pub fn capacity_by_bisection(mean: f64, variance: f64, target_days: f64, share: f64) -> f64 {
    let late = |c: f64| {
        let theta = 2.0 * (c - mean) / variance;
        (-theta * c * target_days).exp() / (theta * mean)
    };
    let (mut lo, mut hi) = (mean, mean + variance);
    for _ in 0..200 {
        let mid = (lo + hi) / 2.0;
        if late(mid) > 1.0 - share {
            lo = mid
        } else {
            hi = mid
        }
    }
    hi
}

/// Waits until `path` exists (a command has started writing), failing
/// after a minute.
pub fn wait_until_exists(path: &std::path::Path) {
    let start = std::time::Instant::now();
    while !path.exists() {
        assert!(
            start.elapsed() < std::time::Duration::from_secs(60),
            "the run did not start"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

/// The manifest's lines but those that may differ between a merge and a
/// single run: the command, the threads, the times and `merged_shards`.
pub fn comparable_manifest(dir: &std::path::Path) -> Vec<String> {
    std::fs::read_to_string(dir.join("manifest.toml"))
        .unwrap()
        .lines()
        .filter(|l| {
            ![
                "command",
                "threads",
                "started_at",
                "finished_at",
                "merged_shards",
            ]
            .iter()
            .any(|key| l.starts_with(&format!("{key} =")))
        })
        .map(str::to_owned)
        .collect()
}
