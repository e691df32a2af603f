//! Numbers that may be uncertain.
//!
//! Wherever a scenario expects a number it may give a distribution instead.
//! The model stores a [`Param`]: either the fixed value itself, or a handle to
//! one of the scenario's [`UncertainInput`]s, whose value is drawn once per
//! replication and shared by every strategy (common random numbers).

use super::Dist;

/// Index of an uncertain input in [`crate::model::Scenario::inputs`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct InputId(pub usize);

/// A number of the model: known, or drawn once per replication. The default
/// is a fixed 0.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Param {
    /// Known for certain.
    Fixed(f64),
    /// Drawn from the scenario input with this index.
    Input(InputId),
}

impl Default for Param {
    fn default() -> Self {
        Param::Fixed(0.0)
    }
}

/// An uncertain input: where it sits in the scenario and how it is distributed.
#[derive(Clone, Debug)]
pub struct UncertainInput {
    /// A stable, readable path such as `agency.unhcr.service_line.hr.annual_volume`.
    pub name: String,
    /// Its distribution.
    pub dist: Dist,
}
