//! What a strategy is made of: its centres on their sites, and each
//! centre's teams, one per service line, with how each team is staffed.
//! Indices point into the [`Scenario`](super::Scenario)'s lists.

use super::{ByGrade, Migration, Param, StaffingPolicy};

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
    /// Director, management and support staff of the centre: none, the
    /// default sized for the centre, the scenario's table as a floor, or
    /// its own table.
    pub overhead: Overhead,
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
    /// How its planned teams meet their busiest months: its own
    /// `staffing_policy`, or the scenario's.
    pub staffing_policy: StaffingPolicy,
}

/// Whose management and support staff a centre has, decided once where
/// the scenario is read: the fixed overhead
/// (`model::mechanisms::fixed_overhead`, which sizes them with
/// `Overhead::fte`) never looks at a table's values to tell which rule
/// applies.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub enum Overhead {
    /// None: an existing centre (its management is there whatever the
    /// strategy), a headquarters' processing units, a scenario without
    /// `[mechanisms.fixed_overhead]`.
    #[default]
    None,
    /// The documented default sized for the centre: a manager and a
    /// support post growing with its staff, a director from its size
    /// (`[mechanisms.fixed_overhead]` names no table, or writes the default
    /// out as it is, so that writing a default out changes nothing).
    SizedDefault,
    /// The scenario's own table as the floor of management and support
    /// that grow with the centre's staff.
    Floor(ByGrade<Param>),
    /// The centre's own table (`overhead_staff_fte` of its
    /// `[[strategy.centre]]`), a known staffing kept as it is.
    Own(ByGrade<Param>),
}

/// What a centre is given when nothing about it says otherwise: the
/// scenario-wide settings every centre starts from. A new per-centre
/// setting with a scenario-wide default is a field here, set in
/// `CentreDefaults::new` (beside the scenario's `Settings`), and read by
/// [`Centre::new`]; every place that
/// builds a centre (the scenario's centres, the status quo's
/// headquarters, the pool's coalitions) then has it.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct CentreDefaults {
    /// The management and support of a new centre
    /// (`[mechanisms.fixed_overhead]`).
    pub overhead: Overhead,
    /// How planned queue teams meet their busiest months
    /// (`[settings] staffing_policy`).
    pub staffing_policy: StaffingPolicy,
}

impl Centre {
    /// Whether the headquarters unit of an agency at `hq_location` joins
    /// this centre's team rather than being separated: the centre already
    /// runs where the unit is. The one rule for absorbing, which the
    /// one-off costs, the transfer of staff, the trained share and the
    /// staffing cache all follow.
    pub(crate) fn absorbs_units_at(&self, hq_location: usize) -> bool {
        self.existing && hq_location == self.location
    }

    /// A centre named `id` at `location`, on its strategy's site `site`,
    /// with its `teams` and the scenario's `defaults`: no fixed cost, no
    /// service charge, the span of control's supervisor grades, and the
    /// default overhead unless it is `existing` (an existing centre's
    /// management is there whatever the strategy). What a centre says for
    /// itself is set on the result, `Centre { field, ..Centre::new(…) }`.
    pub fn new(
        id: String,
        location: usize,
        site: usize,
        existing: bool,
        teams: Vec<Team>,
        defaults: &CentreDefaults,
    ) -> Centre {
        Centre {
            id,
            location,
            site,
            teams,
            fixed_cost_usd_per_year: Param::Fixed(0.0),
            overhead: if existing {
                Overhead::None
            } else {
                defaults.overhead
            },
            existing,
            supervisor_grade_mix: None,
            service_charge_share: Param::Fixed(0.0),
            staffing_policy: defaults.staffing_policy,
        }
    }

    /// Appends, as bits, every setting of the centre a team's staffing
    /// depends on beyond the team itself (not its location: staffing is
    /// the same wherever it is paid): the key under which the simulator
    /// remembers staffings. A new setting that changes staffing adds
    /// itself here.
    pub(crate) fn staffing_settings_key(&self, bits: &mut Vec<u64>) {
        bits.push(u64::from(self.existing));
        bits.push(self.staffing_policy.key());
        match &self.supervisor_grade_mix {
            None => bits.push(0),
            Some(mix) => {
                bits.push(1);
                bits.extend(mix.0.map(f64::to_bits));
            }
        }
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn team() -> Team {
        Team {
            service_line: 0,
            members: vec![0, 1],
            staffing: Staffing::Planned {
                grade_mix: ByGrade([1.0, 0.0, 0.0, 0.0, 0.0]),
            },
            moves: true,
            go_live_month: 6,
            bad_go_live: Param::Fixed(0.0),
        }
    }

    fn defaults() -> CentreDefaults {
        CentreDefaults {
            overhead: Overhead::SizedDefault,
            staffing_policy: StaffingPolicy::Flex,
        }
    }

    #[test]
    fn a_new_centre_has_the_scenario_s_defaults_and_nothing_of_its_own() {
        let centre = Centre::new("c".to_owned(), 2, 1, false, vec![team()], &defaults());
        assert_eq!(
            (centre.id.as_str(), centre.location, centre.site),
            ("c", 2, 1)
        );
        assert_eq!(centre.teams.len(), 1);
        assert_eq!(centre.overhead, Overhead::SizedDefault);
        assert_eq!(centre.staffing_policy, StaffingPolicy::Flex);
        assert!(!centre.existing);
        assert_eq!(centre.fixed_cost_usd_per_year, Param::Fixed(0.0));
        assert_eq!(centre.service_charge_share, Param::Fixed(0.0));
        assert_eq!(centre.supervisor_grade_mix, None);
    }

    #[test]
    fn an_existing_centre_has_no_default_overhead_but_the_scenario_s_policy() {
        let centre = Centre::new("hq".to_owned(), 0, 0, true, vec![team()], &defaults());
        assert!(centre.existing);
        assert_eq!(centre.overhead, Overhead::None);
        assert_eq!(centre.staffing_policy, StaffingPolicy::Flex);
    }

    #[test]
    fn the_defaults_come_from_the_settings_and_the_mechanisms() {
        let table = ByGrade([2.0, 0.0, 1.0, 0.0, 0.0].map(Param::Fixed));
        let mechanisms = crate::model::Mechanisms {
            centre_overhead: Overhead::Floor(table),
            ..crate::model::Mechanisms::default()
        };
        let unread = CentreDefaults::new(None, &mechanisms);
        assert_eq!(unread.overhead, Overhead::Floor(table));
        assert_eq!(unread.staffing_policy, StaffingPolicy::Peak);
        let none = CentreDefaults::new(None, &crate::model::Mechanisms::default());
        assert_eq!(none.overhead, Overhead::None);
    }
}
