//! Any lines as `--set KEY=VALUE` overrides of the default scenario: reading
//! and validating must never panic; overrides that are refused are refused
//! with at least one message, and a scenario that validates with them
//! simulates one replication with finite results.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sscsim::run::replication_metrics;
use sscsim::scenario::{DEFAULT_SCENARIO_TOML, parse_with_overrides};
use sscsim::sim::{Workspace, simulate_replication};

/// Overrides one input gives, at most.
const MAX_OVERRIDES: usize = 8;

/// Replications holding more daily arrival counts than this are only
/// validated, so that each input stays quick.
const MAX_SIMULATED_CELLS: usize = 2_000_000;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let overrides: Vec<String> = text
        .split('\n')
        .take(MAX_OVERRIDES)
        .map(str::to_owned)
        .collect();
    match parse_with_overrides("default.toml", DEFAULT_SCENARIO_TOML, &overrides) {
        Err(problems) => assert!(problems.iter().any(|d| !d.is_empty())),
        Ok((scenario, _warnings)) => {
            let s = &scenario.settings;
            let cells = scenario.agencies.len()
                * scenario.service_lines.len()
                * s.working_days_per_year as usize
                * s.horizon_years as usize;
            if cells > MAX_SIMULATED_CELLS {
                return;
            }
            let outcome = simulate_replication(&scenario, 1, 0, &mut Workspace::default());
            if let Ok(metrics) = replication_metrics(&scenario, &outcome) {
                for year in metrics.years.iter().flatten() {
                    for (metric, v) in year.iter() {
                        assert!(v.map_or(metric.may_be_missing(), f64::is_finite));
                    }
                }
            }
        }
    }
});
