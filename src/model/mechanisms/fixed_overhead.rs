//! Fixed overhead: every centre carries management and support staff, a
//! site and fixed running costs. Fragmentation duplicates them; co-location
//! shares the site. Its staff are the centre's
//! (`model::Centre::overhead`, an [`Overhead`]): a centre's own table is a
//! known staffing and is kept as it is; otherwise the scenario's table is the
//! floor of a centre whose management and support grow with its staff
//! (`scaled_fte`): managers and support staff by ratio above the table,
//! the director one post whatever the size. The default table
//! (`CENTRE_STAFF_FTE`, when `[mechanisms.fixed_overhead]` names none) is
//! sized for the centre instead (`default_fte`): a manager and a support
//! post for a small centre, and a director only from the size at which
//! the report's centres had one — a fixed team of director, managers and
//! support staff would weigh on a centre of fourteen as on one of two
//! hundred. Switched off, a centre has no overhead staff, fixed costs,
//! site costs or project team.

use super::{About, Effect, Scope};
use crate::model::{ByGrade, Centre, Draws, Grade, Overhead, Param};

/// How the fixed overhead is named in results.
pub(crate) const ABOUT: About = About {
    id: "fixed_overhead",
    label: "fixed overhead",
    heading: "Fixed overhead",
};

/// The default management and support of a centre, by grade
/// `(GS, NPO, P, D, FS)`: a centre manager (P) and one support post (GS)
/// whatever the size, and a director (D) from `DIRECTOR_FROM_STAFF_FTE`
/// staff (`default_fte`). A centre needs someone in charge and someone to
/// keep its administration, HR and IT requests moving, however small:
/// assumption (no published staffing of a centre below the report's 95
/// posts). This table is what the scenario checks costs against: a centre
/// under the default may employ a director, so its location prices D.
pub(crate) const CENTRE_STAFF_FTE: [f64; 5] = [1.0, 0.0, 1.0, 1.0, 0.0];

/// Processing and supervision staff from which a centre under the default
/// table has a director. JIU/REP/2009/6 Table 5 (paras 12-13, 16, 19): FAO's
/// Budapest centre of 95 posts (9 P, 86 GS) had no director; UNHCR's centre
/// of 194 posts had two D-1 and WHO's of 191 staff one D-2. The threshold
/// lies between 95 and about 185 (the larger centres less their director,
/// managers and support); 150, near the middle, is an assumption within
/// that bracket.
pub(crate) const DIRECTOR_FROM_STAFF_FTE: f64 = 150.0;

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

/// The default management and support of a centre of `staff_fte`
/// processing and supervision staff: `CENTRE_STAFF_FTE`'s manager and
/// support post as a floor growing by their ratios (`scaled_fte`), and its
/// director only from `DIRECTOR_FROM_STAFF_FTE` staff.
pub(crate) fn default_fte(staff_fte: f64) -> ByGrade<f64> {
    let mut fte = scaled_fte(&ByGrade(CENTRE_STAFF_FTE), staff_fte);
    if staff_fte < DIRECTOR_FROM_STAFF_FTE {
        fte[Grade::D] = 0.0;
    }
    fte
}

/// How the overhead a centre has (decided where the scenario is read) is
/// sized, here beside the rules it follows.
impl Overhead {
    /// The management and support of a centre of `staff_fte` processing
    /// and supervision staff, with the replication's `draws`.
    pub(crate) fn fte(&self, draws: &Draws, staff_fte: f64) -> ByGrade<f64> {
        let drawn = |table: &ByGrade<Param>| ByGrade::from_fn(|g| draws.value(table[g]));
        match self {
            Overhead::None => ByGrade::default(),
            Overhead::SizedDefault => default_fte(staff_fte),
            Overhead::Floor(floor) => scaled_fte(&drawn(floor), staff_fte),
            Overhead::Own(table) => drawn(table),
        }
    }

    /// The table a scenario's locations must price, by grade: the
    /// default's (which may employ a director), or the one written.
    pub(crate) fn priced_fte(&self) -> ByGrade<Param> {
        match self {
            Overhead::None => ByGrade::default(),
            Overhead::SizedDefault => ByGrade(CENTRE_STAFF_FTE.map(Param::Fixed)),
            Overhead::Floor(table) | Overhead::Own(table) => *table,
        }
    }
}

/// A centre's overhead staff, fixed costs and project team.
struct CentreOverhead<'a> {
    centre: &'a Centre,
    draws: &'a Draws,
}

impl Effect for CentreOverhead<'_> {
    fn overhead_fte(&self, staff_fte: f64) -> Option<ByGrade<f64>> {
        Some(self.centre.overhead.fte(self.draws, staff_fte))
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
pub(crate) fn effect<'a>(scope: &Scope<'a>) -> Option<Box<dyn Effect + 'a>> {
    let overhead = CentreOverhead {
        centre: scope.centre,
        draws: scope.draws,
    };
    scope
        .team
        .is_none()
        .then(|| Box::new(overhead) as Box<dyn Effect>)
}

/// Never: the fixed overhead is the centre's, not a team's.
pub(crate) fn changes_team(_member_count: usize) -> bool {
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A floor a scenario names (the old default, which several bundled
    /// scenarios write out): 3 GS, 2 P, 1 D.
    fn floor() -> ByGrade<f64> {
        ByGrade([3.0, 0.0, 2.0, 1.0, 0.0])
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

    #[test]
    fn the_default_sizes_management_and_support_to_the_centre() {
        // (GS, NPO, P, D, FS): GS max(1, S / 44), P max(1, S / 80), D 1 from 150.
        // 14 staff: 14 / 44 = 0.32 < 1 GS, 14 / 80 = 0.18 < 1 P, no director.
        assert_eq!(default_fte(14.0), ByGrade([1.0, 0.0, 1.0, 0.0, 0.0]));
        // 60 staff: 60 / 44 = 1.36 GS, 60 / 80 = 0.75 < 1 P.
        assert_eq!(
            default_fte(60.0),
            ByGrade([60.0 / 44.0, 0.0, 1.0, 0.0, 0.0])
        );
        // 100 staff: 100 / 44 = 2.27 GS, 100 / 80 = 1.25 P, still no director.
        let at_100 = ByGrade([100.0 / 44.0, 0.0, 1.25, 0.0, 0.0]);
        assert_eq!(default_fte(100.0), at_100);
        // Just below and at 150 staff: the director comes at 150.
        assert_eq!(default_fte(149.0)[Grade::D], 0.0);
        assert_eq!(default_fte(150.0)[Grade::D], 1.0);
        // 200 staff: 200 / 44 = 4.55 GS, 200 / 80 = 2.5 P, one director.
        let at_200 = ByGrade([200.0 / 44.0, 0.0, 2.5, 1.0, 0.0]);
        assert_eq!(default_fte(200.0), at_200);
        // 500 staff: 500 / 44 = 11.36 GS, 500 / 80 = 6.25 P, one director.
        let at_500 = ByGrade([500.0 / 44.0, 0.0, 6.25, 1.0, 0.0]);
        assert_eq!(default_fte(500.0), at_500);
        // Totals: 2 at 14 staff (the old fixed team was 6), 3.36 at 60, 3.52 at 100.
        assert_eq!(default_fte(14.0).total(), 2.0);
    }

    #[test]
    fn the_default_never_falls_as_the_centre_grows() {
        let mut previous = ByGrade::default();
        for step in 0..=2000 {
            let fte = default_fte(f64::from(step) * 0.5);
            for g in Grade::ALL {
                assert!(fte[g] >= previous[g], "{g:?} at {step}");
            }
            previous = fte;
        }
        assert_eq!(previous[Grade::D], 1.0);
    }

    /// The overhead of a fixed table as a floor or as a centre's own, at
    /// `staff_fte` staff.
    fn floor_of(table: [f64; 5], staff_fte: f64) -> ByGrade<f64> {
        Overhead::Floor(ByGrade(table.map(Param::Fixed))).fte(&Draws::default(), staff_fte)
    }

    #[test]
    fn a_named_floor_is_kept_and_the_default_is_sized() {
        // A director alone, as hand-computed cases name it: kept at 14 staff.
        let director = [0.0, 0.0, 0.0, 1.0, 0.0];
        assert_eq!(floor_of(director, 14.0), ByGrade(director));
        // 3 GS, 2 P, 1 D named: the director and the floor at 14 staff.
        assert_eq!(floor_of([3.0, 0.0, 2.0, 1.0, 0.0], 14.0), floor());
        // The default at 14 staff: a manager and a support post, no director.
        let draws = Draws::default();
        let small = ByGrade([1.0, 0.0, 1.0, 0.0, 0.0]);
        assert_eq!(Overhead::SizedDefault.fte(&draws, 14.0), small);
        assert_eq!(
            Overhead::SizedDefault.fte(&draws, 200.0),
            default_fte(200.0)
        );
        // The default's table as a floor (a table that only looks like the
        // default once drawn) keeps its director at 14 staff.
        assert_eq!(floor_of(CENTRE_STAFF_FTE, 14.0), ByGrade(CENTRE_STAFF_FTE));
    }

    #[test]
    fn a_centre_s_own_table_is_kept_whatever_its_size() {
        // 0.01 GS and a director: as its own table, the same at 14 and 1000
        // staff; as a floor, GS grows to 1000 / 44 = 22.7.
        let table = ByGrade([0.01, 0.0, 0.0, 1.0, 0.0].map(Param::Fixed));
        let draws = Draws::default();
        let own = Overhead::Own(table);
        assert_eq!(own.fte(&draws, 14.0), ByGrade([0.01, 0.0, 0.0, 1.0, 0.0]));
        assert_eq!(own.fte(&draws, 1000.0), ByGrade([0.01, 0.0, 0.0, 1.0, 0.0]));
        let floor = Overhead::Floor(table).fte(&draws, 1000.0);
        assert_eq!(floor, ByGrade([1000.0 / 44.0, 0.0, 0.0, 1.0, 0.0]));
        assert_eq!(Overhead::None.fte(&draws, 1000.0), ByGrade::default());
    }

    #[test]
    fn the_default_prices_a_director_and_a_written_table_its_own_grades() {
        let default = Overhead::SizedDefault.priced_fte();
        assert_eq!(default, ByGrade(CENTRE_STAFF_FTE.map(Param::Fixed)));
        assert_eq!(default[Grade::D], Param::Fixed(1.0));
        let table = ByGrade([0.0, 2.0, 0.0, 0.0, 0.0].map(Param::Fixed));
        assert_eq!(Overhead::Own(table).priced_fte(), table);
        assert_eq!(Overhead::Floor(table).priced_fte(), table);
        assert_eq!(Overhead::None.priced_fte(), ByGrade::default());
    }
}
