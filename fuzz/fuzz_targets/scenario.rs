//! Any bytes as a scenario file: reading and validating must never panic,
//! and a scenario that validates must simulate one replication without a
//! panic and without a NaN or infinity in its results.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sscsim::run::replication_metrics;
use sscsim::scenario::parse;
use sscsim::sim::{Workspace, simulate_replication};

/// Replications holding more daily arrival counts than this are only
/// validated, so that each input stays quick.
const MAX_SIMULATED_CELLS: usize = 2_000_000;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(scenario) = parse("fuzz.toml", text) else {
        return;
    };
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
        if let Some(d) = &metrics.decomposition {
            assert!(d.parts().iter().all(|v| v.is_finite()));
        }
    }
});
