//! What `sscsim run` does, for any program: run a scenario's replications
//! (to a precision target, when given one), collect every summary the
//! result files are written from, and analyse the sensitivity of the key
//! outputs to the inputs.
//!
//! It sits above [`crate::run`] (one pass over replications) and
//! [`crate::sensitivity`], and knows no file or terminal: the caller sees
//! each replication as it comes (to stream it to a file, say), and watches
//! and stops the run through a [`RunControl`].

use std::sync::OnceLock;

use crate::agencies::RiskCollector;
use crate::metrics::MetricError;
use crate::model::Scenario;
use crate::run::{Interrupted, ReplicationMetrics, RunControl, RunPlan, Work, run_range};
use crate::sensitivity::{self, InputCollector, Sensitivity};
use crate::stats::precision::Precision;
use crate::stats::{
    CentreCollector, DecompositionCollector, DifferenceCollector, LineCollector, MetricCollector,
    YearCollector,
};
use crate::voi::{Voi, VoiCollector};

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
    /// Every agency's cost and every strategy's, in the first replications.
    pub risk: RiskCollector,
    /// Every input's draws and every strategy's savings, in the first
    /// replications, for the value of information.
    pub voi: VoiCollector,
    /// The value of information once computed, with the seed and the
    /// replications it was computed from: the file and the printed summary
    /// share it.
    voi_computed: OnceLock<((u64, u64), Option<Voi>)>,
    /// Replications run.
    pub replications: u64,
    /// Whether a stop cut the run short ([`collect_finished`]): then it
    /// holds the replications from the first that had finished when it
    /// stopped, `0..replications`, fewer than were asked for.
    pub partial: bool,
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
            risk: RiskCollector::default(),
            voi: VoiCollector::new(scenario),
            voi_computed: OnceLock::new(),
            replications: 0,
            partial: false,
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
        self.risk.observe(metrics);
        self.voi.observe(metrics);
    }

    /// The value of information about the inputs over the replications
    /// collected, which ran under `seed` (see [`crate::voi`]); `None` when
    /// the scenario has one strategy. Computed on the current rayon pool
    /// the first time it is asked for, then kept; asked again after the
    /// replications changed or with another seed, it is computed afresh.
    pub(crate) fn value_of_information(&self, scenario: &Scenario, seed: u64) -> Option<Voi> {
        let key = (seed, self.voi.seen());
        let analyse = || self.voi.analyse(scenario, seed);
        let (kept_key, kept) = self.voi_computed.get_or_init(|| (key, analyse()));
        if *kept_key == key {
            kept.clone()
        } else {
            analyse()
        }
    }

    /// The sensitivity of the key outputs to the inputs over the
    /// replications collected, which ran under `seed` (see
    /// [`sensitivity::analyse`]): runs the swings on the current rayon pool,
    /// except for a partial run, which has none.
    ///
    /// # Errors
    /// [`Interrupted`] when `control` is cancelled during the swings.
    pub fn sensitivity(
        &self,
        scenario: &Scenario,
        seed: u64,
        control: &RunControl,
    ) -> Result<Vec<Sensitivity>, Interrupted> {
        // A run cut short gets its rank correlations but no swings: they
        // would run more replications after the stop.
        let swung = if self.partial { 0 } else { self.replications };
        sensitivity::analyse(scenario, seed, 0..swung, &self.inputs, control)
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
    each: impl FnMut(&ReplicationMetrics) -> Result<(), E>,
) -> Result<Collected, E> {
    let collected = collect_finished(scenario, plan, precision, control, each)?;
    if collected.partial {
        return Err(Interrupted.into());
    }
    Ok(collected)
}

/// As [`collect`], but a run stopped through `control` keeps the work
/// done: it returns what it collected of the unbroken run of replications
/// finished from the first, marked [`Collected::partial`] (none, when the
/// stop came before the first finished). Those are the same replications
/// at any number of threads, so a partial result is the first rows of the
/// full run's.
///
/// # Errors
/// The first metric error, or the first error `each` returns.
pub fn collect_finished<E: From<MetricError> + From<Interrupted>>(
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
        let mut handed = done;
        let ran = run_range(
            scenario,
            plan.seed,
            done..next,
            control,
            |metrics| -> Result<(), Stop<E>> {
                each(&metrics).map_err(Stop::Failed)?;
                collected.observe(&metrics);
                handed += 1;
                Ok(())
            },
        );
        match ran {
            Ok(()) => {}
            Err(Stop::Failed(e)) => return Err(e),
            Err(Stop::Interrupted) => {
                collected.replications = handed;
                collected.partial = true;
                return Ok(collected);
            }
        }
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

/// Why [`collect_finished`]'s pass over replications ended early: a stop,
/// which keeps the work done, or an error, which does not.
enum Stop<E> {
    Interrupted,
    Failed(E),
}

impl<E: From<MetricError>> From<MetricError> for Stop<E> {
    fn from(e: MetricError) -> Self {
        Stop::Failed(e.into())
    }
}

impl<E> From<Interrupted> for Stop<E> {
    fn from(_: Interrupted) -> Self {
        Stop::Interrupted
    }
}
