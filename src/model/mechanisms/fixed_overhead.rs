//! Fixed overhead: every centre carries a director, management and support
//! staff, a site and fixed running costs, whatever its size. Fragmentation
//! duplicates them; co-location shares the site. Its staff are the centre's
//! (`model::Centre::overhead_staff_fte`, this default unless the centre
//! says otherwise); switched off, a centre has no overhead staff, fixed
//! costs, site costs or project team.

use super::{About, Effect, Scope};
use crate::model::{ByGrade, Centre, Draws};

/// How the fixed overhead is named in results.
pub(crate) const ABOUT: About = About {
    id: "fixed_overhead",
    label: "fixed overhead",
    heading: "Fixed overhead",
};

/// Director, management and support staff of a centre, by grade:
/// `(GS, NPO, P, D, FS)`. One director, as UNHCR's (2 D-1) and WHO's (1 D-2)
/// centres have (JIU/REP/2009/6 Table 5); an operations manager and an
/// administration officer (P); three support staff for administration, HR and
/// IT (GS). Assumption.
pub(crate) const CENTRE_STAFF_FTE: [f64; 5] = [3.0, 0.0, 2.0, 1.0, 0.0];

/// A centre's overhead staff, fixed costs and project team.
struct Overhead<'a> {
    centre: &'a Centre,
    draws: &'a Draws,
}

impl Effect for Overhead<'_> {
    fn overhead_fte(&self) -> Option<ByGrade<f64>> {
        Some(ByGrade::from_fn(|g| {
            self.draws.value(self.centre.overhead_staff_fte[g])
        }))
    }

    fn fixed_cost_usd_per_year(&self) -> Option<f64> {
        Some(self.draws.value(self.centre.fixed_cost_usd_per_year))
    }

    fn runs_project_team(&self) -> bool {
        true
    }
}

/// The overhead of a centre as a whole; none on its teams.
pub fn effect<'a>(scope: &Scope<'a>) -> Option<Box<dyn Effect + 'a>> {
    let overhead = Overhead {
        centre: scope.centre,
        draws: scope.draws,
    };
    scope
        .team
        .is_none()
        .then(|| Box::new(overhead) as Box<dyn Effect>)
}

/// Never: the fixed overhead is the centre's, not a team's.
pub fn changes_team(_member_count: usize) -> bool {
    false
}
