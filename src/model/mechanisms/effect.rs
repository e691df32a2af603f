//! The one shape every mechanism has: what it is called ([`About`]), what
//! it acts on ([`Scope`]) and what it does there ([`Effect`]). It sits below
//! the registry and the mechanisms' files, which all use it, and needs
//! nothing of theirs: a mechanism is handed its own parameters.

use crate::model::{ByGrade, Centre, Draws, Team};

/// What the reader of a result sees of a mechanism: each mechanism's file
/// has one, `ABOUT`.
#[derive(Clone, Copy, Debug)]
pub struct About {
    /// Name in CSV files (`decomposition.csv`) and in `[mechanisms.<id>]`.
    pub id: &'static str,
    /// Name in printed tables.
    pub label: &'static str,
    /// Name in the report's headings and charts.
    pub heading: &'static str,
}

/// What a mechanism acts on: a centre as a whole (`team: None`: its
/// overhead and fixed costs), or one of its teams (its effort, staff and
/// yearly costs), in one replication.
#[derive(Clone, Copy)]
pub struct Scope<'a> {
    /// The replication's drawn inputs.
    pub draws: &'a Draws,
    /// The centre.
    pub centre: &'a Centre,
    /// The team planned, or `None` for the centre as a whole.
    pub team: Option<&'a Team>,
}

/// The year a team is planned for: what the planner knows of the team
/// that year besides its staffing (`sim::plan` fills it in). The default
/// is year 0 of a new team: no experience, no staff trained.
#[derive(Clone, Copy, Debug, Default)]
pub struct WorkingYear {
    /// Year of the horizon, from 0.
    pub year: u32,
    /// The team's experience at the middle of the year's working months,
    /// in FTE-years of standard work.
    pub experience_fte_years: f64,
    /// Share of the team's staff trained in its work before it starts: staff
    /// who moved with the work from headquarters, and a host agency's own
    /// staff already doing it where the team is. They bring their
    /// experience; the rest learn.
    pub trained_share: f64,
}

/// What a mechanism does to a centre or a team. Every hook defaults to no
/// effect (a factor of 1, no staff, no cost), so each mechanism implements
/// the few it changes. Multiplicative hooks are combined by multiplying in
/// registry order; additive ones return `None` for "nothing", so that one
/// mechanism's value is taken as it is, to the bit.
pub trait Effect {
    /// Whether the team is planned on its members' combined demand rather
    /// than on the sum of what each would need alone.
    fn pools_demand(&self) -> bool {
        false
    }

    /// Multiple of the standard effort per transaction in `year`.
    fn effort_factor(&self, _year: &WorkingYear) -> f64 {
        1.0
    }

    /// The team's spending on the mechanism in `year`, USD: a team year's
    /// `harmonisation_cost_usd`, the one kind of such spending results
    /// report today.
    fn year_cost_usd(&self, _year: &WorkingYear) -> Option<f64> {
        None
    }

    /// Processing FTE that deliver the work of `standard_fte` at the
    /// standard effort, when effort depends on the team's size.
    fn planned_fte(&self, standard_fte: f64) -> f64 {
        standard_fte
    }

    /// Multiple of the effort per transaction of a team of `processing_fte`.
    fn size_effort_factor(&self, _processing_fte: f64) -> f64 {
        1.0
    }

    /// Whether staff come in whole people only.
    fn whole_people(&self) -> bool {
        false
    }

    /// Supervisors of a team of `processing_fte`, and their grade shares.
    fn supervisors(&self, _processing_fte: f64) -> Option<(f64, &ByGrade<f64>)> {
        None
    }

    /// The centre's overhead staff by grade in a year when it has
    /// `staff_fte` processing and supervision staff.
    fn overhead_fte(&self, _staff_fte: f64) -> Option<ByGrade<f64>> {
        None
    }

    /// The centre's fixed costs per year, USD.
    fn fixed_cost_usd_per_year(&self) -> Option<f64> {
        None
    }

    /// Whether a migrating centre pays a dedicated project team.
    fn runs_project_team(&self) -> bool {
        false
    }

    /// Whether the strategy's new sites cost their set-up and running
    /// costs: asked of each centre's effects, as a site is its centres'.
    fn carries_site_costs(&self) -> bool {
        false
    }
}
