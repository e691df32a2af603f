//! Integration tests, compiled into one binary.

mod arrivals;
mod calibration;
mod cli;
mod contact;
mod correlation;
mod determinism;
mod mechanisms;
mod model;
mod pool;
mod report;
mod sensitivity;
mod shard;
mod transition;
mod util;
mod validation;
mod xlsx;
