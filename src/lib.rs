//! # sscsim
//!
//! A parallel Monte Carlo engine for the offshore service centres of UN
//! system organizations. It compares the *status quo* (each agency processes
//! its own transactions at headquarters) with *solo* offshore centres,
//! *co-located* centres sharing a site, and a *pooled* inter-agency shared
//! service centre, on common random numbers, and reports the cost, staff and
//! service level of each — the evidence asked for by recommendations 17 and
//! 18 of JIU/REP/2009/6.
//!
//! The code reads in one direction:
//!
//! [`scenario`] (parse and validate TOML) → [`model`] (typed, no I/O) →
//! [`sample`] (per-replication random draws) → [`sim`] (the centre atom, the
//! aged queue, staffing, costs) → [`metrics`] and [`stats`] → [`run`] and
//! [`simulate`] (replications in parallel, watched and stopped by the
//! caller) → [`results`] (the result folder: names, manifest, atomic writes,
//! reading back) → [`output`] and [`report`] → [`cli`] (the only part that
//! knows the terminal). Beneath them all, [`shapley`] is pure mathematics
//! that both [`sim`] and [`pool`] use.
//!
//! One pass over a scenario's replications hands each one's metrics to the
//! caller, in replication order, whatever the number of threads:
//!
//! ```
//! use sscsim::{run, scenario};
//!
//! let scenario = scenario::default_scenario();
//! let plan = run::RunPlan { replications: 4, seed: 7 };
//! let mut rows = Vec::new();
//! run::run::<run::RunError>(&scenario, plan, &run::RunControl::default(), |m| {
//!     rows.push(m);
//!     Ok(())
//! })
//! .unwrap();
//! assert_eq!(rows.len(), 4);
//! assert_eq!(rows[0].strategies.len(), scenario.strategies.len());
//! ```
//!
//! [`simulate::collect`] does what `sscsim run` does: it runs to a
//! precision target if given one and collects every summary the result
//! files are written from. A run reports its progress to an observer of the
//! caller's ([`run::Progress`]) and stops when its [`run::Cancel`] token is
//! cancelled — by a signal handler, another thread, or, here, the observer:
//!
//! ```
//! use std::sync::atomic::{AtomicU64, Ordering};
//! use sscsim::run::{Cancel, Progress, RunControl, RunError, RunPlan};
//! use sscsim::{scenario, simulate};
//!
//! /// Counts the replications finished; gives up after `limit`.
//! struct Budget { finished: AtomicU64, limit: u64, cancel: Cancel }
//!
//! impl Progress for Budget {
//!     fn advanced(&self, runs: u64) {
//!         if self.finished.fetch_add(runs, Ordering::Relaxed) + runs >= self.limit {
//!             self.cancel.cancel();
//!         }
//!     }
//! }
//!
//! let scenario = scenario::default_scenario();
//! let cancel = Cancel::new();
//! let budget = Budget { finished: AtomicU64::new(0), limit: 3, cancel: cancel.clone() };
//! let control = RunControl::new(&budget, cancel);
//! let plan = RunPlan { replications: 1000, seed: 7 };
//! let result = simulate::collect::<RunError>(&scenario, plan, None, &control, |_| Ok(()));
//! assert!(matches!(result, Err(RunError::Interrupted(_))));
//! assert!(budget.finished.load(Ordering::Relaxed) < 1000);
//! ```
#![warn(missing_docs)]

pub mod agencies;
pub mod cli;
pub mod format;
pub mod global_sensitivity;
pub mod memory;
pub mod metrics;
pub mod model;
pub mod output;
pub mod pool;
pub mod report;
pub mod results;
pub mod run;
pub mod sample;
pub mod scenario;
pub mod sensitivity;
pub mod shapley;
pub mod shard;
pub mod sim;
pub mod simulate;
pub mod stats;
pub mod sweep;
#[cfg(test)]
mod testing;
pub(crate) mod text;
pub mod voi;
