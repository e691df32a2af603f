//! Helpers shared by the integration tests.

use sscsim::model::Scenario;
use sscsim::sim::{ReplicationOutcome, Workspace, simulate_replication};

/// Path of a file in `tests/fixtures`.
pub fn fixture(name: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// Text of a file in `tests/fixtures`.
pub fn fixture_text(name: &str) -> String {
    std::fs::read_to_string(fixture(name)).expect("fixture exists")
}

/// Parses scenario text, panicking with the diagnostics if it is invalid.
pub fn parse(text: &str) -> Scenario {
    sscsim::scenario::parse("test.toml", text)
        .unwrap_or_else(|d| panic!("invalid test scenario:\n{d}"))
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
