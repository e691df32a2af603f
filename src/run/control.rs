//! How the caller of a run watches it and stops it.
//!
//! The engine draws no progress bar and handles no signal: a command line
//! shows a bar and stops on Ctrl-C, a service may log or stop on a
//! deadline, a test counts. So a run reports to a [`Progress`] observer of
//! the caller's and checks a [`Cancel`] token the caller holds, both handed
//! in as one [`RunControl`]. Neither can change a result: progress is only
//! reported, and a cancelled run hands on only the unbroken run of its
//! replications finished from the first, then returns
//! [`super::Interrupted`] (see [`crate::simulate::collect_finished`] to
//! keep them).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// What the runs announced by [`Progress::planned`] are.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Work {
    /// More replications of the scenario (a precision target not yet met).
    Replications,
    /// The sensitivity analysis's runs with one input fixed at a swing's end.
    SensitivityRuns,
}

/// Observes a run. Called from the worker threads, so implementations
/// must be cheap and thread-safe (atomics, or a progress bar that is).
///
/// Both methods do nothing by default.
pub trait Progress: Sync {
    /// `runs` more runs of `work` are planned, beyond the replications the
    /// caller asked for.
    fn planned(&self, runs: u64, work: Work) {
        let _ = (runs, work);
    }

    /// `runs` more runs finished. Over a run that is not cancelled, the
    /// reports sum to the replications asked for plus the runs
    /// [`Progress::planned`] announced.
    fn advanced(&self, runs: u64) {
        let _ = runs;
    }
}

/// An observer that ignores every report.
#[derive(Clone, Copy, Debug, Default)]
pub struct NoProgress;

impl Progress for NoProgress {}

/// A cancellation token: clones share one flag, so whoever holds a clone
/// (a signal handler, another thread, an observer) can stop the runs that
/// check it. Once cancelled, it stays cancelled.
#[derive(Clone, Debug, Default)]
pub struct Cancel(Arc<AtomicBool>);

impl Cancel {
    /// A token not cancelled yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Asks every run checking this token to stop as soon as the runs
    /// under way finish.
    pub fn cancel(&self) {
        self.0.store(true, Ordering::Relaxed);
    }

    /// Whether [`Cancel::cancel`] was called on this token or a clone.
    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }
}

/// The observer and the token of a run, handed to every function that runs
/// replications. [`RunControl::default`] reports nowhere and is never
/// cancelled.
#[derive(Clone)]
pub struct RunControl<'a> {
    /// Told of the runs planned and finished.
    pub progress: &'a dyn Progress,
    /// Checked before each run starts.
    pub cancel: Cancel,
}

impl<'a> RunControl<'a> {
    /// Reports to `progress`, stops when `cancel` is cancelled.
    pub fn new(progress: &'a dyn Progress, cancel: Cancel) -> Self {
        RunControl { progress, cancel }
    }
}

impl Default for RunControl<'_> {
    fn default() -> Self {
        RunControl::new(&NoProgress, Cancel::new())
    }
}

impl std::fmt::Debug for RunControl<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RunControl")
            .field("cancel", &self.cancel)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_clone_of_a_token_cancels_the_original() {
        let token = Cancel::new();
        let held_elsewhere = token.clone();
        assert!(!token.is_cancelled());
        held_elsewhere.cancel();
        assert!(token.is_cancelled());
        assert!(!Cancel::new().is_cancelled(), "a new token is independent");
    }
}
