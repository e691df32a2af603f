//! What a strategy is made of: its centres on their sites, and each
//! centre's teams, one per service line, with how each team is staffed.
//! Indices point into the [`Scenario`](super::Scenario)'s lists.

use super::{ByGrade, Migration, Param};

/// Which centre processes what, and how those centres are set up.
#[derive(Clone, Debug)]
pub struct Strategy {
    /// Identifier used in files and CSV.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Its centres.
    pub centres: Vec<Centre>,
    /// Its sites: centres on one site share site costs.
    pub sites: Vec<Site>,
    /// How its work moves from headquarters; `None` for a strategy evaluated
    /// as already in place (and for the status quo).
    pub migration: Option<Migration>,
}

/// A physical processing site: one or more centres in one building.
#[derive(Clone, Debug, PartialEq)]
pub struct Site {
    /// Index in [`Scenario::locations`](super::Scenario::locations).
    pub location: usize,
    /// An existing site (a headquarters) carries no set-up cost.
    pub existing: bool,
}

/// One location serving some agencies for some service lines: the atom
/// every strategy is built from.
#[derive(Clone, Debug)]
pub struct Centre {
    /// Identifier, unique within its strategy.
    pub id: String,
    /// Index in [`Scenario::locations`](super::Scenario::locations).
    pub location: usize,
    /// Index in its strategy's [`Strategy::sites`].
    pub site: usize,
    /// One team per service line the centre processes.
    pub teams: Vec<Team>,
    /// Yearly cost of the centre's own management and running, in USD.
    pub fixed_cost_usd_per_year: Param,
    /// Director, management and support staff of the centre, by grade: its
    /// own known table, or the floor of its overhead if `overhead_scales`.
    pub overhead_staff_fte: ByGrade<Param>,
    /// Whether the centre's management and support grow with its staff
    /// from `overhead_staff_fte` (the scenario's table), rather than being
    /// the centre's own table.
    pub overhead_scales: bool,
    /// Whether the centre already runs (its site exists): its teams are
    /// experienced from the start.
    pub existing: bool,
    /// Grades of this centre's supervisors, when they differ from
    /// `[mechanisms.span_of_control]`'s.
    pub supervisor_grade_mix: Option<ByGrade<f64>>,
    /// What a providing agency charges for running the service (agreement,
    /// billing, governance), as a share of the centre's staff costs: the
    /// price of insourcing from another agency's existing centre
    /// (recommendation 16).
    pub service_charge_share: Param,
    /// How its planned teams meet their busiest months, when it differs
    /// from the scenario's `staffing_policy` (`None`: the scenario's).
    pub staffing_policy: Option<StaffingPolicy>,
}

/// A centre's team for one service line, serving its member agencies from one
/// shared queue.
#[derive(Clone, Debug)]
pub struct Team {
    /// Index in [`Scenario::service_lines`](super::Scenario::service_lines).
    pub service_line: usize,
    /// Indices in [`Scenario::agencies`](super::Scenario::agencies) whose work of this line the team processes.
    pub members: Vec<usize>,
    /// How the team is staffed.
    pub staffing: Staffing,
    /// Whether the team's work moves here from its members' headquarters
    /// (false for the status quo, for strategies without a migration plan,
    /// and for work that stays at headquarters).
    pub moves: bool,
    /// Planned go-live month (0 when the work does not move).
    pub go_live_month: u32,
    /// 1 if the team's go-live goes badly in a replication, 0 if not: shared
    /// by the teams of a centre that go live together.
    pub bad_go_live: Param,
}

/// How a team's processing staff is set.
#[derive(Clone, Debug)]
pub enum Staffing {
    /// Planned each year from forecast volume plus a variability buffer sized
    /// for the service level; the FTE are split by this grade mix (shares
    /// summing to 1).
    Planned {
        /// Share of FTE by grade.
        grade_mix: ByGrade<f64>,
    },
    /// A known staffing table, the same every year.
    Fixed {
        /// FTE by grade.
        fte: ByGrade<Param>,
    },
}

/// How a planned queue team meets the months of the year whose demand is
/// above the rest (contact desks and fixed staffing tables are not
/// affected).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum StaffingPolicy {
    /// Staffed all year for its busiest month.
    #[default]
    Peak,
    /// A core staffed for a percentile of the year's monthly requirements,
    /// temporary capacity (overtime, temporary staff) in the months above
    /// it, capped and paid at a premium ([`FlexStaffing`]).
    Flex,
}

/// The parameters of the [`StaffingPolicy::Flex`] policy, the same for
/// every centre that uses it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct FlexStaffing {
    /// Percentile (0 to 1) of the year's twelve monthly capacity
    /// requirements the core staff is planned on, interpolated linearly
    /// between the sorted months: 0 the quietest month, 0.5 the median, 1
    /// the busiest (the `peak` capacity).
    pub core_percentile: f64,
    /// Most temporary capacity a month may add, as a share of the core's.
    pub temporary_cap_share: Param,
    /// What temporary capacity costs above the core staff's cost for the
    /// same work, as a share of it.
    pub temporary_premium_share: Param,
}
