//! The Monte Carlo driver: replications in parallel, results in order.
//!
//! Replications run on rayon's thread pool in blocks; each block is collected
//! in replication order and handed to the caller sequentially, so the output
//! and every reduction over it are the same at any number of threads. The
//! caller watches and stops a run through a [`RunControl`].

mod control;

use std::ops::Range;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::metrics::{
    MetricError, MetricValues, Subject, YearValues, strategy_metrics, year_metrics,
};
use crate::model::{Comparison, Scenario, readable};
use crate::sim::{
    CentreYear, Decomposition, LineYear, ReplicationOutcome, Workspace, decompose_replication,
    simulate_replication, simulate_replication_with_input,
};

pub use control::{Cancel, NoProgress, Progress, RunControl, Work};

/// Replications per block handed to the thread pool: large enough to keep
/// every thread busy, small enough that memory does not grow with the run.
pub(crate) const BLOCK_REPLICATIONS: u64 = 512;

/// A run stopped through its [`Cancel`] token before its last replication.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("interrupted before the last replication")]
pub struct Interrupted;

/// Why a run returned no results: what callers with no error type of their
/// own use with [`run`] and [`run_range`].
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    /// A metric was undefined or not finite.
    #[error(transparent)]
    Metric(#[from] MetricError),
    /// A stop was requested.
    #[error(transparent)]
    Interrupted(#[from] Interrupted),
}

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
    /// Each strategy's yearly figures: `[strategy][year]`.
    pub years: Vec<Vec<YearValues>>,
    /// Each strategy's centres in the last year: `[strategy][centre]`.
    pub centres: Vec<Vec<CentreYear>>,
    /// Each strategy's service lines in the last year: `[strategy][line]`.
    pub lines: Vec<Vec<LineYear>>,
    /// The uncertain inputs drawn, in [`Scenario::inputs`] order.
    pub inputs: Vec<f64>,
    /// Each agency's share of each strategy's NPV cost, USD:
    /// `[strategy][agency]` ([`crate::sim::agencies`]).
    pub agencies: Vec<Vec<f64>>,
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
    // The status quo and the pooled strategy lose nothing to the pooled
    // strategy: their gap is left missing, not 0.
    let compared_with_pooled =
        |i: usize| pooled.filter(|_| i != 0 && scenario.comparison.is_some_and(|c| c.pooled != i));
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
                compared_with_pooled(i),
            )
        })
        .collect::<Result<_, _>>()?;
    let metrics = ReplicationMetrics {
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
        lines: outcome.strategies.iter().map(|o| o.lines.clone()).collect(),
        inputs: outcome.inputs.clone(),
        agencies: (outcome.strategies.iter())
            .map(|o| o.agency_npv_cost_usd.clone())
            .collect(),
    };
    check_finite(scenario, &metrics)?;
    Ok(metrics)
}

/// `error`, a value that is not finite in `replication` (whose inputs were
/// drawn at `drawn`), with the uncertain
/// input it comes from: the first one that, set to its median instead of
/// its draw, makes the replication finite. Runs the replication again once
/// per input, which only a failing run pays for.
fn with_cause(
    mut error: MetricError,
    scenario: &Scenario,
    seed: u64,
    (replication, drawn): (u64, &[f64]),
    workspace: &mut Workspace,
) -> MetricError {
    let MetricError::NotFinite { cause, .. } = &mut error else {
        return error;
    };
    let culprit = scenario.inputs.iter().enumerate().find_map(|(i, input)| {
        let median = input.dist.quantile(0.5);
        let outcome = simulate_replication_with_input(
            scenario,
            seed,
            replication,
            Some((i, median)),
            workspace,
        );
        replication_metrics(scenario, &outcome)
            .is_ok()
            .then_some((&input.name, drawn[i], median))
    });
    *cause = match culprit {
        Some((name, value, median)) => format!(
            "; it comes from input `{name}`, drawn at {}: at its median, {}, the replication \
             is finite, so check that input's distribution",
            readable(value),
            readable(median)
        ),
        None if scenario.inputs.is_empty() => {
            "; the scenario has no uncertain input, so check its fixed values".to_owned()
        }
        None => "; no single uncertain input at its median makes it finite, so check the \
                 scenario's fixed values"
            .to_owned(),
    };
    error
}

/// Checks the figures [`strategy_metrics`] does not: yearly figures,
/// centres and the decomposition, so that no NaN or infinity reaches an
/// output (also of replications read back from a shard's replay file).
///
/// # Errors
/// The first figure that is not finite.
pub(crate) fn check_finite(
    scenario: &Scenario,
    metrics: &ReplicationMetrics,
) -> Result<(), MetricError> {
    let not_finite = |metric: &'static str, strategy: usize, value: f64| MetricError::NotFinite {
        metric,
        strategy: scenario.strategies[strategy].id.clone(),
        replication: metrics.replication,
        value,
        cause: String::new(),
    };
    for (s, years) in metrics.years.iter().enumerate() {
        if let Some((figure, value)) = years.iter().find_map(YearValues::first_invalid) {
            return Err(not_finite(figure.id(), s, value));
        }
    }
    for (s, centres) in metrics.centres.iter().enumerate() {
        for c in centres {
            let figures = [
                ("a centre's transactions_per_year", c.transactions),
                ("a centre's running_cost_usd_per_year", c.running_cost_usd),
                ("a centre's fte", c.fte),
            ];
            if let Some((name, value)) = figures.into_iter().find(|(_, v)| !v.is_finite()) {
                return Err(not_finite(name, s, value));
            }
        }
    }
    for (s, lines) in metrics.lines.iter().enumerate() {
        for line in lines {
            let figures = [
                line.fte,
                line.arrived,
                line.on_time,
                line.late,
                line.overdue_at_end,
                line.capacity,
                line.queue_days,
                line.backlog_days,
                line.backlog_transaction_days,
            ];
            if let Some(value) = figures.into_iter().find(|v| !v.is_finite()) {
                return Err(not_finite("a service line's figure", s, value));
            }
        }
    }
    for (s, agencies) in metrics.agencies.iter().enumerate() {
        if let Some(&value) = agencies.iter().find(|v| !v.is_finite()) {
            return Err(not_finite("an agency's npv_cost_usd", s, value));
        }
    }
    if let (Some(d), Some(comparison)) = (&metrics.decomposition, scenario.comparison)
        && let Some(value) = d.parts().into_iter().find(|v| !v.is_finite())
    {
        return Err(not_finite(
            "a part of the decomposition",
            comparison.fragmented,
            value,
        ));
    }
    Ok(())
}

/// Runs the plan on the current rayon pool, handing each replication's
/// metrics to `sink` in replication order.
///
/// # Errors
/// The first metric error, the first error `sink` returns, or
/// [`Interrupted`] when `control` is cancelled; no further replications are
/// handed to `sink` after an error.
pub fn run<E: From<MetricError> + From<Interrupted>>(
    scenario: &Scenario,
    plan: RunPlan,
    control: &RunControl,
    sink: impl FnMut(ReplicationMetrics) -> Result<(), E>,
) -> Result<(), E> {
    run_range(scenario, plan.seed, 0..plan.replications, control, sink)
}

/// Runs replications `replications` (global indices) under `seed`, handing
/// each one's metrics to `sink` in order: a run can be extended where it
/// stopped, with the same results as one long run.
///
/// # Errors
/// As [`run`].
pub fn run_range<E: From<MetricError> + From<Interrupted>>(
    scenario: &Scenario,
    seed: u64,
    replications: Range<u64>,
    control: &RunControl,
    mut sink: impl FnMut(ReplicationMetrics) -> Result<(), E>,
) -> Result<(), E> {
    in_blocks(
        replications,
        control,
        |workspace, replication| {
            let outcome = simulate_replication(scenario, seed, replication, workspace);
            replication_metrics(scenario, &outcome).map_err(|e| match e {
                MetricError::NotFinite { .. } => {
                    with_cause(e, scenario, seed, (replication, &outcome.inputs), workspace)
                }
                other => other,
            })
        },
        |metrics| sink(metrics?),
    )
}

/// Decomposes the gap of `comparison` in every replication of the plan,
/// handing each replication's decomposition to `sink` in order. Runs no
/// queues: the decomposition is of costs, which plans alone decide.
///
/// # Errors
/// The first error `sink` returns, or [`Interrupted`].
pub(crate) fn decompose<E: From<Interrupted>>(
    scenario: &Scenario,
    comparison: Comparison,
    plan: RunPlan,
    control: &RunControl,
    mut sink: impl FnMut(u64, Decomposition) -> Result<(), E>,
) -> Result<(), E> {
    in_blocks(
        0..plan.replications,
        control,
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
/// next, and reports each replication it finishes to `control`.
///
/// # Errors
/// The first error `sink` returns, or [`Interrupted`] when `control` is
/// cancelled: the replications not yet started are skipped, and of the
/// block under way only the unbroken run of finished replications from its
/// start is handed to `sink` before [`Interrupted`] is returned. So what
/// `sink` received of a stopped run is always its first replications,
/// whatever the number of threads.
pub(crate) fn in_blocks<W: Default, T: Send, E: From<Interrupted>>(
    replications: Range<u64>,
    control: &RunControl,
    replicate: impl Fn(&mut W, u64) -> T + Sync,
    mut sink: impl FnMut(T) -> Result<(), E>,
) -> Result<(), E> {
    let mut start = replications.start;
    while start < replications.end {
        let end = (start + BLOCK_REPLICATIONS).min(replications.end);
        let block: Vec<Option<T>> = (start..end)
            .into_par_iter()
            .map_init(W::default, |workspace, replication| {
                (!control.cancel.is_cancelled()).then(|| {
                    let result = replicate(workspace, replication);
                    control.progress.advanced(1);
                    result
                })
            })
            .collect();
        // A replication of the block not run is a gap: those after it,
        // though finished, depend on which thread took what.
        let mut handed = start;
        for result in block.into_iter().map_while(|result| result) {
            sink(result)?;
            handed += 1;
        }
        if handed < end {
            return Err(Interrupted.into());
        }
        start = end;
    }
    Ok(())
}
