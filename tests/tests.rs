//! Integration tests, compiled into one binary.

mod arrivals;
mod calibration;
mod cli;
mod contact;
mod correlation;
mod determinism;
mod finite;
mod folders;
mod fuzz;
mod golden;
mod injection;
mod limits;
mod mechanisms;
mod memory;
mod model;
mod output_folder;
mod pool;
mod properties;
mod report;
mod sensitivity;
mod shard;
mod terminal;
mod transition;
mod util;
mod validation;
mod xlsx;
