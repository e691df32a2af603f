//! What `sscsim run` does, for any program: run a scenario's replications
//! (to a precision target, when given one), collect every summary the
//! result files are written from, and analyse the sensitivity of the key
//! outputs to the inputs.
//!
//! It sits above [`crate::run`] (one pass over replications) and
//! [`crate::sensitivity`], and knows no file or terminal: the caller sees
//! each replication as it comes (to stream it to a file, say), and watches
//! and stops the run through a [`RunControl`].

use crate::metrics::MetricError;
use crate::model::Scenario;
use crate::run::{Interrupted, ReplicationMetrics, RunControl, RunPlan, Work, run_range};
use crate::sensitivity::{self, InputCollector, Sensitivity};
use crate::stats::precision::Precision;
use crate::stats::{
    CentreCollector, DecompositionCollector, DifferenceCollector, LineCollector, MetricCollector,
    YearCollector,
};

/// Everything collected over a scenario's replications.
pub struct Collected {
    /// Every strategy's metrics.
    pub metrics: MetricCollector,
    /// The fragmented–pooled gap and its parts.
    pub decomposition: DecompositionCollector,
    /// Every strategy's yearly figures.
    pub years: YearCollector,
    /// What every strategy saves against every other, paired by replication.
    pub differences: DifferenceCollector,
    /// Every centre's last year.
    pub centres: CentreCollector,
    /// Every strategy's service lines in the last year.
    pub lines: LineCollector,
    /// Every input's draws and the key outputs, in the first replications.
    pub inputs: InputCollector,
    /// Replications run.
    pub replications: u64,
}

impl Collected {
    /// Nothing collected yet, for `scenario`.
    pub fn new(scenario: &Scenario) -> Self {
        Collected {
            metrics: MetricCollector::new(scenario.strategies.len()),
            decomposition: DecompositionCollector::default(),
            years: YearCollector::default(),
            differences: DifferenceCollector::default(),
            centres: CentreCollector::default(),
            lines: LineCollector::default(),
            inputs: InputCollector::new(scenario),
            replications: 0,
        }
    }

    /// Records one replication.
    pub fn observe(&mut self, metrics: &ReplicationMetrics) {
        self.metrics.observe(&metrics.strategies);
        if let Some(d) = &metrics.decomposition {
            self.decomposition.observe(&d.parts(), d.total_usd);
        }
        self.years.observe(&metrics.years);
        self.differences
            .observe(&metrics.strategies, &metrics.years);
        self.centres.observe(&metrics.centres);
        self.lines.observe(&metrics.lines);
        self.inputs.observe(metrics);
    }

    /// The sensitivity of the key outputs to the inputs over the
    /// replications collected, which ran under `seed` (see
    /// [`sensitivity::analyse`]): runs the swings on the current rayon pool.
    ///
    /// # Errors
    /// [`Interrupted`] when `control` is cancelled during the swings.
    pub fn sensitivity(
        &self,
        scenario: &Scenario,
        seed: u64,
        control: &RunControl,
    ) -> Result<Vec<Sensitivity>, Interrupted> {
        sensitivity::analyse(scenario, seed, 0..self.replications, &self.inputs, control)
    }
}

/// Runs `plan`'s replications on the current rayon pool and collects
/// them, handing each one's metrics to `each` first, in replication order.
/// With a `precision` target, keeps adding replications until the mean of
/// its metric meets it for every strategy it targets, or its maximum has run, announcing each
/// step to `control` ([`Work::Replications`]); the decision depends only on
/// the replications already run, so it is the same at any thread count.
///
/// # Errors
/// The first metric error, the first error `each` returns, or
/// [`Interrupted`] when `control` is cancelled.
pub fn collect<E: From<MetricError> + From<Interrupted>>(
    scenario: &Scenario,
    plan: RunPlan,
    precision: Option<Precision>,
    control: &RunControl,
    mut each: impl FnMut(&ReplicationMetrics) -> Result<(), E>,
) -> Result<Collected, E> {
    let mut collected = Collected::new(scenario);
    let mut done = 0;
    let mut next = plan.replications;
    loop {
        run_range(
            scenario,
            plan.seed,
            done..next,
            control,
            |metrics| -> Result<(), E> {
                each(&metrics)?;
                collected.observe(&metrics);
                Ok(())
            },
        )?;
        done = next;
        let next_total = precision.and_then(|p| {
            let widest = Precision::widest(&p.reached(scenario, &collected.metrics));
            p.next_total(done, widest)
        });
        match next_total {
            Some(total) => {
                control.progress.planned(total - done, Work::Replications);
                next = total;
            }
            None => break,
        }
    }
    collected.replications = done;
    Ok(collected)
}
