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
//! aged queue, staffing, costs) → [`metrics`] and [`stats`] → [`results`]
//! (the result folder: names, manifest, atomic writes, reading back) →
//! [`output`] and [`report`] → [`cli`]. [`report`] reads a result folder's
//! files back and draws them into one HTML page.
//!
//! ```
//! use sscsim::{run, scenario};
//! use indicatif::ProgressBar;
//!
//! let scenario = scenario::default_scenario();
//! let plan = run::RunPlan { replications: 4, seed: 7 };
//! let mut rows = Vec::new();
//! run::run::<sscsim::run::RunError>(&scenario, plan, &ProgressBar::hidden(), |m| {
//!     rows.push(m);
//!     Ok(())
//! })
//! .unwrap();
//! assert_eq!(rows.len(), 4);
//! assert_eq!(rows[0].strategies.len(), scenario.strategies.len());
//! ```
#![warn(missing_docs)]

pub mod cli;
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
pub mod shard;
pub mod sim;
pub mod stats;
pub mod text;
