//! Fixed overhead: every centre carries management and support staff, a
//! site and fixed running costs. Fragmentation duplicates them; co-location
//! shares the site. Its staff are the centre's
//! (`model::Centre::overhead_staff_fte`): a centre's own table is a known
//! staffing and is kept as it is; otherwise the scenario's table (this
//! default unless `[mechanisms.fixed_overhead]` says otherwise) is the
//! floor of a centre whose management and support grow with its staff
//! (`scaled_fte`): managers and support staff by ratio above the table,
//! the director one post whatever the size. Switched off, a
//! centre has no overhead staff, fixed costs, site costs or project team.

use super::{About, Effect, Scope};
use crate::model::{ByGrade, Centre, Draws};

/// How the fixed overhead is named in results.
pub(crate) const ABOUT: About = About {
    id: "fixed_overhead",
    label: "fixed overhead",
    heading: "Fixed overhead",
};

/// Director, management and support staff of a centre, by grade:
/// `(GS, NPO, P, D, FS)`: the floor of a centre's overhead. One director, as
/// UNHCR's (2 D-1) and WHO's (1 D-2) centres have (JIU/REP/2009/6 Table 5); an
/// operations manager and an administration officer (P); three support
/// staff for administration, HR and IT (GS). Assumption.
pub(crate) const CENTRE_STAFF_FTE: [f64; 5] = [3.0, 0.0, 2.0, 1.0, 0.0];

/// Processing and supervision staff per management FTE (P and NPO) above
/// the floor. Supervisors are planned in the teams (span of control); the
/// centre's managers manage the supervisors. Australia's National Commission
/// of Audit, *Towards Responsible Government*, Phase Two report (2014),
/// section 3.2, "Improving organisational structures within agencies", puts
/// best-practice spans of management at 5 to 10 staff per manager (as
/// quoted by the Australian Public Service Commission, "Effective management
/// structures"); a manager of 8 supervisors, each of 10 staff
/// (`span_of_control::STAFF_PER_SUPERVISOR`), manages 80.
pub(crate) const STAFF_PER_MANAGER_FTE: f64 = 80.0;

/// Processing and supervision staff per support FTE (GS and FS: the centre's
/// own administration, HR and IT support) above the floor. UK Cabinet
/// Office, *Putting the Frontline First: Smarter Government* (December 2009),
/// its back-office benchmarking: the median ratio of HR staff to full-time
/// employees in central government was 1:44 (as reported by Personnel Today,
/// "Whitehall HR could do better, says government report", 2009). The
/// Institute for Corporate Productivity's *Future of HR* survey (2010) found
/// 1.24 to 2.51 HR FTE per 100 workers by organisation size: 1:44 (2.3 per
/// 100) lies within it. The other support functions are taken to be served
/// by the agencies' own (ICT, premises): assumption.
pub(crate) const STAFF_PER_SUPPORT_FTE: f64 = 44.0;

/// Staff per overhead FTE above the floor, by grade; infinite for the
/// director, who is one post whatever the size.
const STAFF_PER_OVERHEAD_FTE: [f64; 5] = [
    STAFF_PER_SUPPORT_FTE,
    STAFF_PER_MANAGER_FTE,
    STAFF_PER_MANAGER_FTE,
    f64::INFINITY,
    STAFF_PER_SUPPORT_FTE,
];

/// The management and support staff of a centre of `staff_fte` processing
/// and supervision staff, whose floor is `floor_fte`: each grade the floor
/// uses grows by its ratio above the floor (never below it; the director
/// not at all); grades the floor does not use stay empty (their costs are
/// the ones the scenario checked).
pub(crate) fn scaled_fte(floor_fte: &ByGrade<f64>, staff_fte: f64) -> ByGrade<f64> {
    ByGrade::from_fn(|g| {
        let floor = floor_fte[g];
        if floor <= 0.0 {
            floor
        } else {
            floor.max(staff_fte / STAFF_PER_OVERHEAD_FTE[g as usize])
        }
    })
}

/// A centre's overhead staff, fixed costs and project team.
struct Overhead<'a> {
    centre: &'a Centre,
    draws: &'a Draws,
}

impl Effect for Overhead<'_> {
    fn overhead_fte(&self, staff_fte: f64) -> Option<ByGrade<f64>> {
        let table = ByGrade::from_fn(|g| self.draws.value(self.centre.overhead_staff_fte[g]));
        Some(if self.centre.overhead_scales {
            scaled_fte(&table, staff_fte)
        } else {
            table
        })
    }

    fn fixed_cost_usd_per_year(&self) -> Option<f64> {
        Some(self.draws.value(self.centre.fixed_cost_usd_per_year))
    }

    fn runs_project_team(&self) -> bool {
        true
    }

    fn carries_site_costs(&self) -> bool {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Grade;

    /// The default floor: 3 GS, 2 P, 1 D.
    fn floor() -> ByGrade<f64> {
        ByGrade(CENTRE_STAFF_FTE)
    }

    #[test]
    fn a_small_centre_has_the_floor() {
        // 14 staff: 14 / 44 = 0.32 GS < 3 and 14 / 80 = 0.18 P < 2.
        assert_eq!(
            scaled_fte(&floor(), 14.0),
            ByGrade([3.0, 0.0, 2.0, 1.0, 0.0])
        );
    }

    #[test]
    fn each_grade_leaves_its_floor_where_its_ratio_passes_it() {
        // GS: 3 × 44 = 132 staff; P: 2 × 80 = 160 staff.
        assert_eq!(
            scaled_fte(&floor(), 132.0),
            ByGrade([3.0, 0.0, 2.0, 1.0, 0.0])
        );
        assert_eq!(
            scaled_fte(&floor(), 154.0),
            ByGrade([3.5, 0.0, 2.0, 1.0, 0.0])
        );
        let at_160 = ByGrade([160.0 / 44.0, 0.0, 2.0, 1.0, 0.0]);
        assert_eq!(scaled_fte(&floor(), 160.0), at_160);
        let at_168 = ByGrade([168.0 / 44.0, 0.0, 2.1, 1.0, 0.0]);
        assert_eq!(scaled_fte(&floor(), 168.0), at_168);
    }

    #[test]
    fn a_large_centre_has_managers_and_support_staff_by_ratio() {
        // 440 staff: 440 / 44 = 10 GS, 440 / 80 = 5.5 P, one D whatever the size.
        assert_eq!(
            scaled_fte(&floor(), 440.0),
            ByGrade([10.0, 0.0, 5.5, 1.0, 0.0])
        );
        // 176 staff: GS 176 / 44 = 4 above its floor of 3; P 176 / 80 = 2.2.
        let fte = scaled_fte(&floor(), 176.0);
        assert_eq!(fte, ByGrade([4.0, 0.0, 2.2, 1.0, 0.0]));
        // NPO and FS managers and support grow as P and GS do: 160 / 80, 132 / 44.
        let fte = scaled_fte(&ByGrade([0.0, 1.0, 0.0, 0.0, 1.0]), 160.0);
        assert_eq!(fte, ByGrade([0.0, 2.0, 0.0, 0.0, 160.0 / 44.0]));
    }

    #[test]
    fn grades_the_floor_does_not_use_stay_empty() {
        let fte = scaled_fte(&ByGrade([1.0, 0.0, 0.0, 0.0, 0.0]), 1000.0);
        assert_eq!(fte, ByGrade([1000.0 / 44.0, 0.0, 0.0, 0.0, 0.0]));
        assert_eq!(scaled_fte(&ByGrade::default(), 1000.0), ByGrade::default());
    }

    #[test]
    fn the_overhead_never_falls_as_the_centre_grows() {
        let mut previous = ByGrade::default();
        for step in 0..=2000 {
            let fte = scaled_fte(&floor(), f64::from(step) * 0.5);
            for g in Grade::ALL {
                assert!(fte[g] >= previous[g], "{g:?} at {step}");
                assert!(fte[g] >= floor()[g]);
            }
            previous = fte;
        }
    }
}
