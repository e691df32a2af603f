//! The simulation's atom: one centre, for its members, in one replication.
//!
//! Everything sscsim computes is built from this: a strategy is a list of
//! centres (plus the sites they share and the headquarters units a move
//! keeps for a while, [`super::strategy`]), a coalition of `sscsim pool` is
//! a centre on a site of its own, and the decomposition simulates the same
//! centres with mechanisms switched off. [`CentreSimulator::simulate`]
//! plans a centre's teams (staff by grade, capacity, go-live, a bad
//! go-live), its overhead and, when its strategy moves work, the move's
//! costs, and costs it all year by year. The queues then run on the plan
//! ([`super::service`]).
//!
//! The simulator remembers, for the replication it belongs to, what the
//! centres it is asked about share: the capacity a team with the same
//! members in the same line needs (whatever its centre, location or
//! switches), and the staffing of a team that is the same in everything its
//! staffing depends on — a co-located centre's team and the solo centre's,
//! a coalition's team at every candidate location, a strategy's team under
//! switches that differ only in mechanisms it is not subject to. Solving
//! those is the expensive part of planning; what is remembered is the same
//! to the bit as what would be computed again.

use std::sync::Arc;

use super::cost::{YearOutcome, staff_cost_usd};
use super::plan::{Requirements, TeamContext, TeamYear, plan_team, year_staff_cost_usd};
use super::slice_map::SliceMap;
use super::transition::{Disruption, MoveRules, Timeline};
use crate::model::Reads;
use crate::model::mechanisms::{Effects, Scope};
use crate::model::{
    ByGrade, Centre, Draws, Grade, Mechanism, OneOff, Param, Scenario, Staffing, Switches, Team,
    Work,
};

/// The most team staffings a simulator remembers; when full it starts
/// afresh. Far above what one replication of a `run` meets (its strategies'
/// teams under the mechanisms they are subject to: about 13 000 for 200
/// agencies in eight lines), it bounds what a coalition search keeps — the
/// search needs a coalition's staffing only at that coalition's locations.
const REMEMBERED_STAFFINGS: usize = 1 << 14;

/// Simulates centres in one replication: the atom every strategy, coalition
/// and decomposition is built from.
pub struct CentreSimulator<'a> {
    scenario: &'a Scenario,
    draws: &'a Draws,
    memo: SimulatorMemo,
}

/// What a [`CentreSimulator`] remembers in a replication. It is kept from
/// one replication to the next for its room ([`SimulatorMemo::lend`]):
/// built and dropped each time, a replication of the peer workload's
/// memos spent a seventh of its time in `malloc` and `free`.
#[derive(Clone, Debug, Default)]
pub struct SimulatorMemo {
    /// The capacity each team needs, by members and line.
    requirements: Requirements,
    /// Teams' staffing by everything it depends on but the draws
    /// ([`staffing_key`]).
    staffing: SliceMap<u64, KnownStaffing>,
    /// The group of plans whose staffings are kept from one plan to the
    /// next, once asked ([`SimulatorMemo::keep_solutions_of`]).
    keeping_for: Option<u64>,
    /// Kept staffings taken in a later plan, and those planned again
    /// because an input they read had changed.
    #[cfg(test)]
    kept: (usize, usize),
    /// The key of the staffing looked up last, reused so that a lookup
    /// allocates nothing.
    staffing_key: Vec<u64>,
    /// The context of the team looked up last, likewise.
    context: TeamContext,
}

/// A team's staffing, and the inputs it was planned from where it is kept
/// from one plan to the next ([`Reads::NONE`] otherwise: the draws do not
/// change under a plan).
#[derive(Clone, Debug, Default)]
struct KnownStaffing {
    years: Arc<[TeamYear]>,
    reads: Reads,
}

/// A centre in one replication: its teams' plans, and its staff and costs
/// year by year. Site costs are not in it: a site may be shared by several
/// centres ([`super::strategy`]).
#[derive(Clone, Debug, PartialEq)]
pub struct CentreOutcome {
    /// Staff and costs of each year: teams, overhead and, for a centre
    /// whose strategy moves work, the project team and the clearing of a
    /// bad go-live's backlog. Recruitment is its strategy's to cost: staff
    /// who move with the work fill some of the posts.
    pub years: Vec<YearOutcome>,
    /// New staff the centre needs each year, when its strategy moves work
    /// (empty otherwise).
    pub hires_by_year: Vec<f64>,
    /// Each team's plan, in the centre's team order.
    pub teams: Vec<TeamPlan>,
    /// The month its first staff are paid (the horizon's end if never).
    pub start_month: f64,
    /// The last year of the horizon (without a share of its site's costs).
    pub last_year: CentreYear,
    /// Go-lives that went badly: teams going live together share one.
    pub bad_go_lives: u32,
}

/// A team's plan: its staffing by year and when it works.
#[derive(Clone, Debug, PartialEq)]
pub struct TeamPlan {
    /// Staffing and capacity of each year, as if working the whole year.
    pub years: Arc<[TeamYear]>,
    /// When its staff are paid and its work goes live.
    pub timeline: Timeline,
    /// First day the team processes its members' work.
    pub go_live_day: usize,
    /// A bad go-live, if it happens in this replication.
    pub disruption: Option<Disruption>,
}

impl TeamPlan {
    /// The team's capacity on `day` of the horizon.
    pub fn capacity(&self, day: usize, working_days_per_year: usize) -> f64 {
        self.capacity_in_year(day / working_days_per_year, day, working_days_per_year)
    }

    /// The team's capacity on `day` of the horizon, which falls in `year`
    /// of `working_days_per_year`: with `flex` staffing, the month's.
    pub(crate) fn capacity_in_year(
        &self,
        year: usize,
        day: usize,
        working_days_per_year: usize,
    ) -> f64 {
        if day < self.go_live_day {
            return 0.0;
        }
        let day_of_year = day - year * working_days_per_year;
        let normal = self.years[year].capacity_on(day_of_year, working_days_per_year);
        self.disruption.map_or(normal, |d| d.capacity(day, normal))
    }
}

/// A centre in the last year of the horizon, when every move is over: a
/// point on the economies-of-scale curve.
#[derive(Clone, Copy, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct CentreYear {
    /// Expected transactions of its member agencies in its service lines.
    pub transactions: f64,
    /// Staff, premises, fixed and harmonisation costs, and an equal share of
    /// its new site's running costs, USD (no set-up or transition costs).
    pub running_cost_usd: f64,
    /// All its staff.
    pub fte: f64,
}

impl SimulatorMemo {
    /// Keeps, from one plan of `group` to the next, the capacities solved
    /// for one agency's demand ([`Requirements::keep_solved_capacities`])
    /// and teams' staffings: the sensitivity swings plan a replication
    /// (their group) again and again with one input changed, a global
    /// sensitivity design a base sample's points, and most teams do not
    /// read the inputs that change. A kept staffing is taken only where
    /// every input it read holds the same value ([`Reads::hold_in`]), so it
    /// is the staffing planning would make again, to the bit. The
    /// staffings are forgotten when the group changes, which bounds them by
    /// one replication's.
    pub(crate) fn keep_solutions_of(&mut self, group: u64) {
        self.requirements.keep_solved_capacities();
        if self.keeping_for != Some(group) {
            self.staffing.clear();
            self.keeping_for = Some(group);
        }
    }

    /// What `plan` makes of a simulator of the replication whose inputs
    /// are `draws`, which remembers in this memo's room (what an earlier
    /// replication remembered there is forgotten).
    pub fn lend<R>(
        &mut self,
        scenario: &Scenario,
        draws: &Draws,
        plan: impl FnOnce(&mut CentreSimulator) -> R,
    ) -> R {
        let mut centres = CentreSimulator::reusing(scenario, draws, std::mem::take(self));
        let planned = plan(&mut centres);
        *self = centres.memo;
        planned
    }
}

impl<'a> CentreSimulator<'a> {
    /// A simulator for the replication whose inputs are `draws`.
    pub fn new(scenario: &'a Scenario, draws: &'a Draws) -> Self {
        Self::reusing(scenario, draws, SimulatorMemo::default())
    }

    /// A simulator for the replication whose inputs are `draws`, which
    /// remembers in the room of `memo`, emptied first.
    fn reusing(scenario: &'a Scenario, draws: &'a Draws, mut memo: SimulatorMemo) -> Self {
        memo.requirements.reset(scenario);
        if memo.keeping_for.is_none() {
            memo.staffing.clear();
        }
        CentreSimulator {
            scenario,
            draws,
            memo,
        }
    }

    /// The scenario the centres are of.
    pub fn scenario(&self) -> &'a Scenario {
        self.scenario
    }

    /// The replication's drawn inputs.
    pub fn draws(&self) -> &'a Draws {
        self.draws
    }

    /// Plans and costs `centre` under `switches`. `migrating`: its strategy
    /// moves work from headquarters, so moving teams are recruited and go
    /// live on their timelines, and the move's costs are the centre's;
    /// otherwise the centre is in place from the start.
    pub fn simulate(
        &mut self,
        centre: &Centre,
        migrating: bool,
        switches: Switches,
    ) -> CentreOutcome {
        let horizon_months = self.scenario.calendar().horizon_months();
        let timelines: Vec<Timeline> = centre
            .teams
            .iter()
            .map(|t| {
                if migrating {
                    MoveRules::new(&self.scenario.transition, self.draws).timeline(t)
                } else {
                    Timeline::IN_PLACE
                }
            })
            .collect();
        let start_month = timelines
            .iter()
            .map(|t| t.payroll_from_month)
            .fold(f64::INFINITY, f64::min)
            .min(horizon_months);
        let teams: Vec<TeamPlan> = centre
            .teams
            .iter()
            .zip(&timelines)
            .map(|(team, timeline)| self.team_plan(centre, team, *timeline, switches))
            .collect();
        let scope = Scope {
            draws: self.draws,
            centre,
            team: None,
        };
        let effects = Effects::of(&self.scenario.mechanisms, &scope, switches);
        let horizon_years = self.scenario.settings.horizon_years as usize;
        let overhead: Vec<ByGrade<f64>> = (staff_by_year(&teams, horizon_years).into_iter())
            .map(|staff| effects.overhead_fte(staff))
            .collect();
        let mut years = self.running_years(centre, &teams, &overhead, start_month, &effects);
        let mut hires = Vec::new();
        if migrating {
            self.add_move(centre, &teams, &effects, &mut years);
            hires = hires_by_year(&teams, &overhead);
        }
        CentreOutcome {
            hires_by_year: hires,
            last_year: self.last_year(centre, &years),
            bad_go_lives: bad_go_lives(&teams),
            years,
            teams,
            start_month,
        }
    }

    /// A team's plan: its staffing, go-live and bad go-live.
    fn team_plan(
        &mut self,
        centre: &Centre,
        team: &Team,
        timeline: Timeline,
        switches: Switches,
    ) -> TeamPlan {
        let calendar = self.scenario.calendar();
        let years = self.staffing(centre, team, &timeline, switches);
        // A contact desk answers calls as they come: a bad go-live's
        // backlog is a queue line's notion.
        let bad = team.moves
            && matches!(
                self.scenario.service_lines[team.service_line].work,
                Work::Queue(_)
            )
            && self.draws.value(team.bad_go_live) >= 0.5
            && timeline.go_live_month < calendar.horizon_months();
        let disruption = bad.then(|| {
            let capacity: Vec<f64> = years.iter().map(|y| y.capacity_per_day).collect();
            MoveRules::new(&self.scenario.transition, self.draws).disruption(
                &calendar,
                timeline.go_live_month,
                &capacity,
            )
        });
        TeamPlan {
            years,
            timeline,
            go_live_day: calendar.day_at_month(timeline.go_live_month),
            disruption,
        }
    }

    /// A team's staffing under `switches`, planned unless remembered. It is
    /// planned under the switches of the mechanisms it is subject to alone
    /// ([`team_mechanisms`]), which give the same staffing to the bit.
    fn staffing(
        &mut self,
        centre: &Centre,
        team: &Team,
        timeline: &Timeline,
        switches: Switches,
    ) -> Arc<[TeamYear]> {
        let switches = switches.and(team_mechanisms(self.scenario, team));
        let (scenario, draws, memo) = (self.scenario, self.draws, &mut self.memo);
        (memo.context).fill(scenario, centre, team, draws, timeline);
        staffing_key(
            centre,
            team,
            &memo.context,
            switches,
            &mut memo.staffing_key,
        );
        let known = memo.staffing.get(&memo.staffing_key);
        if let Some(known) = known
            && known.reads.hold_in(draws)
        {
            #[cfg(test)]
            if memo.keeping_for.is_some() {
                memo.kept.0 += 1;
            }
            return known.years.clone();
        }
        #[cfg(test)]
        if known.is_some() {
            memo.kept.1 += 1;
        }
        let keeping = memo.keeping_for.is_some();
        if keeping {
            // The requirements remembered in this plan were computed
            // within other teams' readings: computed afresh, every input
            // this staffing depends on is read within its own.
            memo.requirements.forget_known();
        }
        let (requirements, context) = (&mut memo.requirements, &memo.context);
        let mut plan = |draws: &Draws| {
            let needs = requirements.get(scenario, draws, team.service_line, &team.members);
            plan_team(scenario, centre, team, draws, needs, switches, context)
        };
        let (years, reads) = if keeping {
            draws.reading(|| plan(draws))
        } else {
            (plan(draws), Reads::NONE)
        };
        let known = KnownStaffing {
            years: years.clone(),
            reads,
        };
        // A staffing planned again because an input it read changed
        // replaces the one kept under its key.
        if let Some(kept) = memo.staffing.get_mut(&memo.staffing_key) {
            *kept = known;
        } else {
            if memo.staffing.len() >= REMEMBERED_STAFFINGS {
                memo.staffing.clear();
            }
            memo.staffing.insert(&memo.staffing_key, known);
        }
        years
    }

    /// Each year's staff and running costs: the year's `overhead` from the
    /// month the centre opens, its teams' staff while on payroll, premises, fixed
    /// costs (from the centre's `effects`) and the service charge.
    fn running_years(
        &self,
        centre: &Centre,
        teams: &[TeamPlan],
        overhead: &[ByGrade<f64>],
        start_month: f64,
        effects: &Effects,
    ) -> Vec<YearOutcome> {
        let calendar = self.scenario.calendar();
        let location = &self.scenario.locations[centre.location];
        let premises = self.draws.value(location.premises_usd_per_fte_per_year);
        let service_charge = self.draws.value(centre.service_charge_share);
        let fixed = effects.fixed_cost_usd_per_year();
        (0..self.scenario.settings.horizon_years)
            .map(|year| {
                let open = calendar.share_of_year(year, start_month, f64::INFINITY);
                let overhead = &overhead[year as usize];
                let mut y = YearOutcome {
                    fte: ByGrade::from_fn(|g| overhead[g] * open),
                    overhead_fte: overhead.total() * open,
                    fixed_cost_usd: fixed * open,
                    ..YearOutcome::default()
                };
                let team_years = teams.iter().map(|team| &team.years[year as usize]);
                for t in team_years.clone() {
                    t.add_staff(t.payroll_share, &mut y);
                    y.harmonisation_cost_usd += t.harmonisation_cost_usd;
                }
                y.staff_cost_usd =
                    year_staff_cost_usd(location, &y.fte, team_years, self.draws, year);
                y.premises_cost_usd = y.fte.total() * premises;
                y.fixed_cost_usd += y.staff_cost_usd * service_charge;
                y
            })
            .collect()
    }

    /// The move's costs that are the centre's: its dedicated project team
    /// (an overhead), the optimism bias on it and on the centre's
    /// harmonisation projects, and clearing the backlog of each bad go-live.
    fn add_move(
        &self,
        centre: &Centre,
        teams: &[TeamPlan],
        effects: &Effects,
        years: &mut [YearOutcome],
    ) {
        let rules = MoveRules::new(&self.scenario.transition, self.draws);
        if effects.runs_project_team() {
            self.add_project_team(&rules, centre, teams, years);
        }
        for y in years.iter_mut() {
            let estimate_usd = y.move_cost_usd[OneOff::ProjectTeam] + y.harmonisation_cost_usd;
            y.move_cost_usd += rules.estimated(estimate_usd);
        }
        for plan in teams {
            if let Some(disruption) = plan.disruption {
                self.add_clearing(&rules, centre, &plan.years, &disruption, years);
            }
        }
    }

    /// The centre's project team works from the start until some months
    /// after its last go-live.
    fn add_project_team(
        &self,
        rules: &MoveRules,
        centre: &Centre,
        teams: &[TeamPlan],
        years: &mut [YearOutcome],
    ) {
        let calendar = self.scenario.calendar();
        let moving = centre
            .teams
            .iter()
            .zip(teams)
            .filter(|(team, _)| team.moves);
        let Some(last_go_live) = moving
            .map(|(_, t)| t.timeline.go_live_month)
            .reduce(f64::max)
        else {
            return;
        };
        let until = last_go_live + rules.project_tail_months();
        for (year, y) in years.iter_mut().enumerate() {
            y.move_cost_usd += rules.project_team(calendar.share_of_year(year as u32, 0.0, until));
        }
    }

    /// Temporary staff clear a bad go-live's backlog at the team's own cost
    /// per transaction times the premium.
    fn add_clearing(
        &self,
        rules: &MoveRules,
        centre: &Centre,
        team: &[TeamYear],
        disruption: &Disruption,
        years: &mut [YearOutcome],
    ) {
        let calendar = self.scenario.calendar();
        let location = &self.scenario.locations[centre.location];
        let cleared = disruption.cleared_by_year(calendar.working_days_per_year, years.len());
        for (year, cleared) in cleared.into_iter().enumerate() {
            let t = &team[year];
            if cleared <= 0.0 || t.capacity_per_day <= 0.0 {
                continue;
            }
            let yearly = staff_cost_usd(location, &t.processing_fte, self.draws, year as u32);
            let per_transaction =
                yearly / (t.capacity_per_day * calendar.working_days_per_year as f64);
            years[year].move_cost_usd += rules.clearing(cleared, per_transaction);
        }
    }

    /// A centre's last year: its expected transactions and running costs.
    fn last_year(&self, centre: &Centre, years: &[YearOutcome]) -> CentreYear {
        let Some(last) = years.last() else {
            return CentreYear::default();
        };
        let year = years.len() as u32 - 1;
        let agencies = &self.scenario.agencies;
        let transactions = centre
            .teams
            .iter()
            .flat_map(|t| {
                t.members
                    .iter()
                    .filter_map(|&a| agencies[a].lines[t.service_line].as_ref())
            })
            .map(|line| line.annual_mean(self.draws, year))
            .sum();
        CentreYear {
            transactions,
            running_cost_usd: last.staff_cost_usd
                + last.premises_cost_usd
                + last.fixed_cost_usd
                + last.harmonisation_cost_usd,
            fte: last.fte.total(),
        }
    }
}

/// The mechanisms whose switches can change a team's staffing, as each
/// mechanism says ([`Mechanism::changes_team`]): under switches that agree
/// on these, its staffing is the same to the bit.
pub(super) fn team_mechanisms(scenario: &Scenario, team: &Team) -> Switches {
    Mechanism::ALL
        .into_iter()
        .filter(|m| m.changes_team(&scenario.mechanisms, team.members.len()))
        .fold(Switches::ALL_OFF, Switches::with)
}

/// Everything a team's staffing depends on besides the scenario and the
/// draws, as bits: its line, members and staffing rule, whether its work
/// moves (a moving team's transferred staff come trained), its centre's
/// settings that staffing reads ([`Centre::staffing_settings_key`]), its
/// context (its timeline and what its members bring, [`TeamContext`]) and
/// the switches. Not the location: staffing is the same wherever it is
/// paid. Written into `bits`, which is cleared first.
fn staffing_key(
    centre: &Centre,
    team: &Team,
    context: &TeamContext,
    switches: Switches,
    bits: &mut Vec<u64>,
) {
    let grades = |mix: &ByGrade<f64>| Grade::ALL.map(|g| mix[g].to_bits());
    let param = |p: Param| match p {
        Param::Fixed(v) => [0, v.to_bits()],
        Param::Input(input) => [1, input.0 as u64],
    };
    bits.clear();
    bits.extend([
        team.service_line as u64,
        u64::from(team.moves),
        team.members.len() as u64,
    ]);
    bits.extend(team.members.iter().map(|&a| a as u64));
    match &team.staffing {
        Staffing::Planned { grade_mix } => {
            bits.push(0);
            bits.extend(grades(grade_mix));
        }
        Staffing::Fixed { fte } => {
            bits.push(1);
            bits.extend(Grade::ALL.into_iter().flat_map(|g| param(fte[g])));
        }
    }
    centre.staffing_settings_key(bits);
    context.key(bits);
    bits.push(switches.subset() as u64);
}

/// Go-lives that went badly: teams going live together share one.
fn bad_go_lives(teams: &[TeamPlan]) -> u32 {
    let mut months: Vec<f64> = teams
        .iter()
        .filter(|t| t.disruption.is_some())
        .map(|t| t.timeline.go_live_month)
        .collect();
    months.sort_by(f64::total_cmp);
    months.dedup();
    months.len() as u32
}

/// Whether `team`'s staff are on payroll by the end of `year`.
fn started_by_end_of(team: &TeamPlan, year: usize) -> bool {
    team.timeline.payroll_from_month < 12.0 * (year + 1) as f64
}

/// The centre's processing and supervision staff each year of the first
/// `years`, as planned for the whole year, of the teams whose staff have
/// started by the year's end: the size its management and support serve.
fn staff_by_year(teams: &[TeamPlan], years: usize) -> Vec<f64> {
    (0..years)
        .map(|year| {
            teams
                .iter()
                .filter(|t| started_by_end_of(t, year))
                .map(|t| {
                    t.years[year].processing_fte.total() + t.years[year].supervision_fte.total()
                })
                .sum()
        })
        .collect()
}

/// New staff each year: the growth of the staff on payroll by the year's end
/// (teams whose staff have started, and the centre's `overhead` staff of the
/// year once any has).
fn hires_by_year(teams: &[TeamPlan], overhead: &[ByGrade<f64>]) -> Vec<f64> {
    let years = teams.first().map_or(0, |t| t.years.len());
    let mut previous: f64 = 0.0;
    (staff_by_year(teams, years).into_iter().enumerate())
        .map(|(year, mut staff)| {
            if teams.iter().any(|t| started_by_end_of(t, year)) {
                staff += overhead[year].total();
            }
            let hired = (staff - previous).max(0.0);
            previous = previous.max(staff);
            hired
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{InputId, Overhead};
    use crate::sim::{bundled_scenarios, hand_computed};
    use crate::testing::assert_same_bits;

    /// The offshore centre of `hand_computed`: agency A's claims, 120
    /// transactions in year 0 and 180 in year 1 (growth 50%), 12 working
    /// days, 10 minutes each, 100 productive minutes per FTE-day, no
    /// variance (so no buffer), grades half GS at 400 USD and half P at 800,
    /// a fixed cost of 10 USD a year, no overhead staff, no premises.
    #[test]
    fn a_one_agency_centre_costs_what_its_staff_and_fixed_costs_add_up_to() {
        let scenario = hand_computed();
        let draws = Draws::default();
        let centre = &scenario.strategies[1].centres[0];
        let outcome =
            CentreSimulator::new(&scenario, &draws).simulate(centre, false, Switches::ALL_ON);
        // Year 0: 10 a day × 10 min / 100 min = 1 FTE: 0.5 × 400 + 0.5 × 800 = 600.
        // Year 1: 15 a day → 1.5 FTE: 0.75 × 400 + 0.75 × 800 = 900.
        let staff: Vec<f64> = outcome.years.iter().map(|y| y.staff_cost_usd).collect();
        let fte: Vec<f64> = outcome.years.iter().map(|y| y.fte.total()).collect();
        let fixed: Vec<f64> = outcome.years.iter().map(|y| y.fixed_cost_usd).collect();
        let total: Vec<f64> = outcome.years.iter().map(|y| y.total_cost_usd()).collect();
        assert_eq!(staff, [600.0, 900.0]);
        assert_eq!(fte, [1.0, 1.5]);
        assert_eq!(fixed, [10.0, 10.0]);
        assert_eq!(total, [610.0, 910.0]);
        // 1 FTE × 100 min / 10 min = 10 transactions a day; 1.5 FTE: 15.
        let capacity: Vec<f64> = outcome.teams[0]
            .years
            .iter()
            .map(|y| y.capacity_per_day)
            .collect();
        assert_eq!(capacity, [10.0, 15.0]);
        assert_eq!(
            (outcome.teams[0].go_live_day, outcome.start_month),
            (0, 0.0)
        );
        assert_eq!(outcome.bad_go_lives, 0);
        // The last year: 180 transactions, 900 + 10 USD, 1.5 FTE.
        assert_eq!(
            outcome.last_year,
            CentreYear {
                transactions: 180.0,
                running_cost_usd: 910.0,
                fte: 1.5,
            }
        );
    }

    #[test]
    fn without_fixed_overhead_a_centre_has_no_fixed_cost() {
        let scenario = hand_computed();
        let draws = Draws::default();
        let centre = &scenario.strategies[1].centres[0];
        let switches = Switches::ALL_ON.without(Mechanism::FixedOverhead);
        let outcome = CentreSimulator::new(&scenario, &draws).simulate(centre, false, switches);
        let total: Vec<f64> = outcome.years.iter().map(|y| y.total_cost_usd()).collect();
        assert_eq!(total, [600.0, 900.0]);
    }

    /// The hand-computed centre with 0.01 GS of overhead staff: its own
    /// table is kept whatever its size; as the scenario's floor, its support
    /// staff grow at one per 44 staff (`fixed_overhead::STAFF_PER_SUPPORT_FTE`).
    #[test]
    fn a_centre_s_own_overhead_table_is_kept_and_the_scenario_s_scales() {
        let scenario = hand_computed();
        let draws = Draws::default();
        let mut centre = scenario.strategies[1].centres[0].clone();
        let table = ByGrade([
            Param::Fixed(0.01),
            Param::Fixed(0.0),
            Param::Fixed(0.0),
            Param::Fixed(0.0),
            Param::Fixed(0.0),
        ]);
        let overhead = |centre: &Centre| -> Vec<f64> {
            let outcome =
                CentreSimulator::new(&scenario, &draws).simulate(centre, false, Switches::ALL_ON);
            outcome.years.iter().map(|y| y.overhead_fte).collect()
        };
        centre.overhead = Overhead::Own(table);
        assert_eq!(overhead(&centre), [0.01, 0.01]);
        // Staff 1 FTE in year 0, 1.5 in year 1: max(0.01, 1 / 44), max(0.01, 1.5 / 44).
        centre.overhead = Overhead::Floor(table);
        assert_eq!(overhead(&centre), [1.0 / 44.0, 1.5 / 44.0]);
    }

    /// Every centre of every bundled scenario under every combination of
    /// switches, simulated by one simulator that remembers what it met
    /// before (in an order that makes it reuse teams across strategies and
    /// switches), and by a fresh simulator for each: the same to the bit.
    #[test]
    fn a_remembering_simulator_gives_what_a_fresh_one_gives() {
        for scenario in bundled_scenarios() {
            let mut draws = Draws::default();
            draws.draw(&scenario, 7, 2);
            let mut shared = CentreSimulator::new(&scenario, &draws);
            for subset in (0..32).rev() {
                let switches = Switches::from_subset(subset);
                for strategy in &scenario.strategies {
                    let migrating = strategy.migration.is_some();
                    for centre in &strategy.centres {
                        let remembered = shared.simulate(centre, migrating, switches);
                        let fresh = CentreSimulator::new(&scenario, &draws)
                            .simulate(centre, migrating, switches);
                        let case = format!("{}, {}, {switches:?}", scenario.name, centre.id);
                        assert_same_bits(&remembered, &fresh, &case);
                    }
                }
            }
        }
    }

    /// Two centres alike but for whether their team's work moves: the
    /// moving team's staff come from headquarters trained (transfer share
    /// 1: all of them), so it starts at the standard effort, 10 a day ×
    /// 10 min / 100 min = 1 FTE in year 0; the team in place starts new,
    /// at twice the effort, so more (no scale effect). With recruitment and training taking
    /// no time and a go-live in month 0, both are planned on the same
    /// timeline, and a key without `moves` gave the moving team the other's
    /// staffing.
    #[test]
    fn a_moving_team_does_not_reuse_the_staffing_of_one_in_place() {
        let text = format!(
            "{}{}",
            include_str!("../../tests/fixtures/hand-computed.toml"),
            "[strategy.migration]\napproach = \"big_bang\"\ngo_live_month = 0\n\
             [transition]\nstaff_transfer_share = 1\ntime_to_fill_months = 0\n\
             onboarding_months = 0\noptimism_bias_cost_uplift = 0\n\
             optimism_bias_duration_uplift = 0\n\
             [mechanisms.learning_and_scale]\ninitial_effort_factor = 2\nscale_elasticity = 0\n"
        );
        let scenario = crate::scenario::parse("moving.toml", &text).expect("a valid scenario");
        let mut draws = Draws::default();
        draws.draw(&scenario, 7, 2);
        let moving = scenario.strategies[1].centres[0].clone();
        assert!(moving.teams[0].moves);
        let mut in_place = moving.clone();
        in_place.teams[0].moves = false;
        let mut centres = CentreSimulator::new(&scenario, &draws);
        let first = centres.simulate(&in_place, false, Switches::ALL_ON);
        let remembered = centres.simulate(&moving, true, Switches::ALL_ON);
        let fresh =
            CentreSimulator::new(&scenario, &draws).simulate(&moving, true, Switches::ALL_ON);
        assert_eq!(fresh.teams[0].timeline, first.teams[0].timeline);
        assert_eq!(fresh.teams[0].years[0].processing_fte.total(), 1.0);
        assert!(first.teams[0].years[0].processing_fte.total() > 1.0);
        assert_same_bits(&remembered, &fresh, "a moving team after one in place");
    }

    /// The sensitivity swings' plans, as one thread makes them: replication
    /// by replication, inputs in turn at each end of their range, with
    /// staffings kept from one plan to the next; and each planned by a
    /// fresh simulator from the same draws. The same to the bit, in every
    /// bundled scenario, for about eight inputs of each (every one of the
    /// smaller scenarios'), and in `budapest-joint.toml` with an uncertain
    /// dispersion: read by a team's capacity requirement alone, which
    /// other teams of the same members share, it is what a staffing that
    /// found its requirement computed would miss. Kept staffings are
    /// taken, and some planned again because an input they read changed.
    #[test]
    fn staffings_kept_across_the_swings_are_those_planned_afresh() {
        let text = include_str!("../../scenarios/budapest-joint.toml");
        let uncertain = r#"dispersion = { dist = "uniform", min = 10, max = 40 } }"#;
        let dispersed = text.replacen("dispersion = 20 }", uncertain, 1);
        assert_ne!(dispersed, text);
        let dispersed = crate::scenario::parse("dispersed.toml", &dispersed).expect("valid");
        let (mut taken, mut stale) = (0, 0);
        for scenario in bundled_scenarios().into_iter().chain([dispersed]) {
            let mut workspace = crate::sim::Workspace::default();
            let inputs = scenario.inputs.len();
            let swung: Vec<usize> = (0..inputs)
                .filter(|&i| {
                    i % inputs.div_ceil(8).max(1) == 0
                        || scenario.inputs[i].name.ends_with("dispersion")
                })
                .collect();
            for replication in [3, 4] {
                for &input in &swung {
                    for percentile in [0.1, 0.9] {
                        let at = (input, percentile);
                        let kept = crate::sim::npv_costs_at_percentile(
                            &scenario,
                            7,
                            replication,
                            at,
                            &mut workspace,
                        );
                        let mut draws = Draws::default();
                        draws.draw_given(&scenario, 7, replication, (InputId(input), percentile));
                        let fresh = crate::sim::npv_costs_of(&scenario, &draws);
                        let case = format!(
                            "{}, replication {replication}, {} at {percentile}",
                            scenario.name, scenario.inputs[input].name
                        );
                        assert_same_bits(&kept, &fresh, &case);
                    }
                }
            }
            taken += workspace.planning.kept.0;
            stale += workspace.planning.kept.1;
        }
        assert!(
            taken > 0 && stale > 0,
            "{taken} taken, {stale} planned again"
        );
    }

    #[test]
    fn a_team_at_another_location_reuses_its_staffing() {
        let scenario = hand_computed();
        let draws = Draws::default();
        let mut centres = CentreSimulator::new(&scenario, &draws);
        let offshore = scenario.strategies[1].centres[0].clone();
        let at_hq = Centre {
            location: 0,
            ..offshore.clone()
        };
        let a = centres.simulate(&offshore, false, Switches::ALL_ON);
        let b = centres.simulate(&at_hq, false, Switches::ALL_ON);
        assert!(Arc::ptr_eq(&a.teams[0].years, &b.teams[0].years));
        // Staffing is the same; what it costs is the location's: at HQ,
        // GS costs 1000 × 1.5 (exchange rate) and P has no cost there.
        assert_eq!(b.years[0].staff_cost_usd, 0.5 * 1000.0 * 1.5);
    }
}
