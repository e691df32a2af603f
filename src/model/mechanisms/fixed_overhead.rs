//! Fixed overhead: every centre carries a director, management and support
//! staff, a site and fixed running costs, whatever its size. Fragmentation
//! duplicates them; co-location shares the site. Its staff are the centre's
//! (`model::Centre::overhead_staff_fte`, this default unless the centre
//! says otherwise); switched off, a centre has no overhead staff, fixed
//! costs, site costs or project team.

use super::{About, Mechanisms};

/// How the fixed overhead is named in results.
pub const ABOUT: About = About {
    id: "fixed_overhead",
    label: "fixed overhead",
    heading: "Fixed overhead",
};

/// Director, management and support staff of a centre, by grade:
/// `(GS, NPO, P, D, FS)`. One director, as UNHCR's (2 D-1) and WHO's (1 D-2)
/// centres have (JIU/REP/2009/6 Table 5); an operations manager and an
/// administration officer (P); three support staff for administration, HR and
/// IT (GS). Assumption.
pub const CENTRE_STAFF_FTE: [f64; 5] = [3.0, 0.0, 2.0, 1.0, 0.0];

/// Never: the fixed overhead is the centre's, not a team's.
pub fn changes_team(_: &Mechanisms, _member_count: usize) -> bool {
    false
}
