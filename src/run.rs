//! The Monte Carlo driver: replications in parallel, results in order.
//!
//! Replications run on rayon's thread pool in blocks; each block is collected
//! in replication order and handed to the caller sequentially, so the output
//! and every reduction over it are the same at any number of threads.

use std::ops::Range;

use indicatif::{ParallelProgressIterator, ProgressBar};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::metrics::{
    MetricError, MetricValues, Subject, YEAR_METRICS, strategy_metrics, year_metrics,
};
use crate::model::{Comparison, Scenario};
use crate::sim::{
    CentreYear, Decomposition, ReplicationOutcome, decompose_replication, simulate_replication,
};

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

/// The metrics of every strategy in one replication: everything every
/// collector and output file needs of it, so a replication replayed from a
/// shard's replay file is summarised exactly as it was when it ran.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReplicationMetrics {
    /// Global replication index.
    pub replication: u64,
    /// One row per strategy, in scenario order.
    pub strategies: Vec<MetricValues>,
    /// Where the fragmented–pooled gap comes from, when the scenario compares them.
    pub decomposition: Option<Decomposition>,
    /// Each strategy's yearly figures (see [`YEAR_METRICS`]): `[strategy][year]`.
    pub years: Vec<Vec<[f64; YEAR_METRICS.len()]>>,
    /// Each strategy's centres in the last year: `[strategy][centre]`.
    pub centres: Vec<Vec<CentreYear>>,
    /// The uncertain inputs drawn, in [`Scenario::inputs`] order.
    pub inputs: Vec<f64>,
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
    let pooled = scenario.comparison.map(|c| &outcome.strategies[c.pooled]);
    let strategies = scenario
        .strategies
        .iter()
        .zip(&outcome.strategies)
        .enumerate()
        .map(|(i, (s, o))| {
            let subject = Subject {
                strategy_id: &s.id,
                replication: outcome.replication,
                is_status_quo: i == 0,
            };
            strategy_metrics(
                outcome.discount_rate_per_year,
                subject,
                o,
                status_quo,
                pooled,
            )
        })
        .collect::<Result<_, _>>()?;
    Ok(ReplicationMetrics {
        replication: outcome.replication,
        decomposition: outcome.decomposition,
        strategies,
        years: outcome
            .strategies
            .iter()
            .map(|o| year_metrics(o, status_quo))
            .collect(),
        centres: outcome
            .strategies
            .iter()
            .map(|o| o.centres.clone())
            .collect(),
        inputs: outcome.inputs.clone(),
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
    sink: impl FnMut(ReplicationMetrics) -> Result<(), E>,
) -> Result<(), E> {
    run_range(scenario, plan.seed, 0..plan.replications, progress, sink)
}

/// Runs replications `replications` (global indices) under `seed`, handing
/// each one's metrics to `sink` in order: a run can be extended where it
/// stopped, with the same results as one long run.
///
/// # Errors
/// As [`run`].
pub fn run_range<E: From<MetricError>>(
    scenario: &Scenario,
    seed: u64,
    replications: Range<u64>,
    progress: &ProgressBar,
    mut sink: impl FnMut(ReplicationMetrics) -> Result<(), E>,
) -> Result<(), E> {
    in_blocks(
        replications,
        progress,
        |workspace, replication| {
            let outcome = simulate_replication(scenario, seed, replication, workspace);
            replication_metrics(scenario, &outcome)
        },
        |metrics| sink(metrics?),
    )
}

/// Decomposes the gap of `comparison` in every replication of the plan,
/// handing each replication's decomposition to `sink` in order. Runs no
/// queues: the decomposition is of costs, which plans alone decide.
///
/// # Errors
/// The first error `sink` returns.
pub fn decompose<E>(
    scenario: &Scenario,
    comparison: Comparison,
    plan: RunPlan,
    progress: &ProgressBar,
    mut sink: impl FnMut(u64, Decomposition) -> Result<(), E>,
) -> Result<(), E> {
    in_blocks(
        0..plan.replications,
        progress,
        |workspace, r| {
            (
                r,
                decompose_replication(scenario, comparison, plan.seed, r, workspace),
            )
        },
        |(r, d)| sink(r, d),
    )
}

/// Computes `replicate` for every replication of `replications` in parallel
/// blocks and hands the results to `sink` sequentially, in replication
/// order. Each worker reuses a workspace `W` from one replication to the
/// next.
pub fn in_blocks<W: Default, T: Send, E>(
    replications: Range<u64>,
    progress: &ProgressBar,
    replicate: impl Fn(&mut W, u64) -> T + Sync,
    mut sink: impl FnMut(T) -> Result<(), E>,
) -> Result<(), E> {
    let mut start = replications.start;
    while start < replications.end {
        let end = (start + BLOCK_REPLICATIONS).min(replications.end);
        let block: Vec<T> = (start..end)
            .into_par_iter()
            .progress_with(progress.clone())
            .map_init(W::default, |workspace, replication| {
                replicate(workspace, replication)
            })
            .collect();
        for result in block {
            sink(result)?;
        }
        start = end;
    }
    Ok(())
}
