//! The Monte Carlo driver: replications in parallel, results in order.
//!
//! Replications run on rayon's thread pool in blocks; each block is collected
//! in replication order and handed to the caller sequentially, so the output
//! and every reduction over it are the same at any number of threads.

use indicatif::{ParallelProgressIterator, ProgressBar};
use rayon::prelude::*;

use crate::metrics::{MetricError, MetricValues, strategy_metrics};
use crate::model::Scenario;
use crate::sim::{ReplicationOutcome, Workspace, simulate_replication};

/// Replications per block handed to the thread pool: large enough to keep
/// every thread busy, small enough that memory does not grow with the run.
const BLOCK_REPLICATIONS: u64 = 512;

/// Which replications to run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RunPlan {
    /// Number of replications.
    pub replications: u64,
    /// Master seed.
    pub seed: u64,
}

/// The metrics of every strategy in one replication.
#[derive(Clone, Debug, PartialEq)]
pub struct ReplicationMetrics {
    /// Global replication index.
    pub replication: u64,
    /// One row per strategy, in scenario order.
    pub strategies: Vec<MetricValues>,
}

/// Computes the metrics of every strategy in one replication.
///
/// # Errors
/// When a metric is undefined or not finite.
pub fn replication_metrics(
    scenario: &Scenario,
    outcome: &ReplicationOutcome,
) -> Result<ReplicationMetrics, MetricError> {
    let status_quo = &outcome.strategies[0];
    let strategies = scenario
        .strategies
        .iter()
        .zip(&outcome.strategies)
        .map(|(s, o)| {
            strategy_metrics(
                outcome.discount_rate_per_year,
                &s.id,
                outcome.replication,
                o,
                status_quo,
            )
        })
        .collect::<Result<_, _>>()?;
    Ok(ReplicationMetrics {
        replication: outcome.replication,
        strategies,
    })
}

/// Runs the plan on the current rayon pool, handing each replication's
/// metrics to `sink` in replication order.
///
/// # Errors
/// The first metric error, or the first error `sink` returns; no further
/// replications are handed to `sink` after an error.
pub fn run<E: From<MetricError>>(
    scenario: &Scenario,
    plan: RunPlan,
    progress: &ProgressBar,
    mut sink: impl FnMut(ReplicationMetrics) -> Result<(), E>,
) -> Result<(), E> {
    let mut start = 0;
    while start < plan.replications {
        let end = (start + BLOCK_REPLICATIONS).min(plan.replications);
        let block: Vec<Result<ReplicationMetrics, MetricError>> = (start..end)
            .into_par_iter()
            .progress_with(progress.clone())
            .map_init(Workspace::default, |workspace, replication| {
                let outcome = simulate_replication(scenario, plan.seed, replication, workspace);
                replication_metrics(scenario, &outcome)
            })
            .collect();
        for metrics in block {
            sink(metrics?)?;
        }
        start = end;
    }
    Ok(())
}
