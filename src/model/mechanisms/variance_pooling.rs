//! Variance pooling: a team is planned on its members' combined demand,
//! whose relative spread is smaller than each member's unless their peaks
//! are correlated, so it needs less buffer (the square-root staffing
//! effect). Switched off, a team needs what its members would need alone.
//! The planning itself is `sim::plan::Requirement`'s; the correlation of
//! demand shocks is each service line's (this default unless it gives one).

use super::{About, Mechanisms};

/// How variance pooling is named in results.
pub const ABOUT: About = About {
    id: "variance_pooling",
    label: "variance pooling",
    heading: "Variance pooling",
};

/// Correlation between agencies' daily demand shocks in a service line: none
/// unless the scenario says otherwise.
pub const VOLUME_CORRELATION: f64 = 0.0;

/// The capacity a team plans on: its `pooled` requirement (planned on the
/// members' combined demand) with variance pooling on, otherwise the sum of
/// what each member needs alone, `separate`.
pub fn planned_on<T>(on: bool, pooled: T, separate: T) -> T {
    if on { pooled } else { separate }
}

/// Only for a team of several agencies: a one-member team's combined
/// demand is its own.
pub fn changes_team(_: &Mechanisms, member_count: usize) -> bool {
    member_count > 1
}
