//! Integration tests, compiled into one binary.

mod arrivals;
mod cli;
mod determinism;
mod model;
mod util;
mod validation;
