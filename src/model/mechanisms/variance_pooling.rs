//! Variance pooling: a team is planned on its members' combined demand,
//! whose relative spread is smaller than each member's unless their peaks
//! are correlated, so it needs less buffer (the square-root staffing
//! effect). Switched off, a team needs what its members would need alone.
//! The planning itself is `sim::plan::Requirement`'s; the correlation of
//! demand shocks is each service line's (this default unless it gives one).

use super::{About, Effect, Scope};

/// How variance pooling is named in results.
pub(crate) const ABOUT: About = About {
    id: "variance_pooling",
    label: "variance pooling",
    heading: "Variance pooling",
};

/// Correlation between agencies' daily demand shocks in a service line: none
/// unless the scenario says otherwise.
pub(crate) const VOLUME_CORRELATION: f64 = 0.0;

/// A team planned on its members' combined demand.
struct Pooled;

impl Effect for Pooled {
    fn pools_demand(&self) -> bool {
        true
    }
}

/// Every team plans on its combined demand; the centre as a whole has none.
pub(crate) fn effect<'a>(scope: &Scope<'a>) -> Option<Box<dyn Effect + 'a>> {
    scope.team.map(|_| Box::new(Pooled) as Box<dyn Effect>)
}

/// Only for a team of several agencies: a one-member team's combined
/// demand is its own.
pub(crate) fn changes_team(member_count: usize) -> bool {
    member_count > 1
}
