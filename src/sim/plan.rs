//! Planning a team: the capacity it needs, and the staff of which grades it
//! has each year, under a given set of mechanism switches.
//!
//! Planning uses forecasts (the replication's drawn inputs), never the
//! realised arrivals, so a strategy's cost is known before its queue runs.
//! The expensive part — the capacity each team needs for its service level —
//! depends only on whether variance pooling is on, and is computed once per
//! replication as a `Requirement`; everything else is cheap arithmetic,
//! which is what lets the decomposition evaluate all 32 combinations of
//! mechanisms.

use std::sync::Arc;

use super::contact::{
    Callers, ContactRequirement, HourlyRates, SolvedHours, add_rates, agency_rates,
    agent_hours_of_fte, callers_by_month, fte_for_agent_hours, roster,
};

use super::apportion::largest_remainder;
use super::cost::{YearOutcome, staff_cost_usd};
use super::slice_map::SliceMap;
use super::solved::Solved;
use super::staffing::planned_capacity_per_day;
use super::transition::{MoveRules, Timeline};
use crate::model::mechanisms::{Effects, Scope, WorkingYear};
use crate::model::{
    AgencyLine, ByGrade, Centre, Grade, MONTHS_PER_YEAR, Scenario, Staffing, StaffingRule,
    Switches, Team, Temporary,
};
use crate::model::{Calendar, ContactWork, Draws, Location, Work, month_of_day};

/// What a team must be able to handle each year, with and without variance
/// pooling.
#[derive(Clone, Debug)]
pub(crate) enum Requirement {
    /// A queue line's daily capacity.
    Queue {
        /// Each year's, in order.
        by_year: Box<[QueueRequirement<f64>]>,
        /// Each month's requirement in each year, kept when the staffing
        /// policy of a centre of the scenario reads them.
        by_month: Option<Box<[QueueRequirement<[f64; MONTHS_PER_YEAR]>]>>,
    },
    /// A contact line's calls per hour.
    Contact(ContactRequirement),
}

/// A team's requirement, and the contact desks' hours solved so far,
/// which staffing it may read and add to ([`SolvedHours`]).
pub(crate) struct Needs<'r> {
    pub(crate) requirement: &'r Requirement,
    pub(crate) hours: &'r mut SolvedHours,
}

/// A queue line's daily capacity, for a year or for each month of a year
/// (the busiest month of a year is its `peak` requirement), with and
/// without variance pooling.
#[derive(Clone, Copy, Debug)]
pub(crate) struct QueueRequirement<T> {
    /// Planned on the team's combined demand (variance pooling on).
    pub(crate) pooled: T,
    /// The sum of what each member would need alone (variance pooling off).
    pub(crate) separate: T,
}

impl<T: Copy> QueueRequirement<T> {
    /// A one-agency team's: with one member, pooled and separate are the same.
    fn alone(needed: T) -> Self {
        QueueRequirement {
            pooled: needed,
            separate: needed,
        }
    }
}

/// One team's staffing in one year.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TeamYear {
    /// Processing staff by grade.
    pub processing_fte: ByGrade<f64>,
    /// Supervisors and team leads by grade.
    pub supervision_fte: ByGrade<f64>,
    /// Transactions the processing staff complete in a working day (queue
    /// lines; 0 for contact lines).
    pub capacity_per_day: f64,
    /// What each month's callers met: answered in time, hung up, waited
    /// (contact lines).
    pub callers_by_month: Option<Box<[Callers; MONTHS_PER_YEAR]>>,
    /// Spending on the team's harmonisation project this year, USD.
    pub harmonisation_cost_usd: f64,
    /// Share of the year its staff are on payroll (1 for a team in place).
    pub payroll_share: f64,
    /// Temporary capacity added in each month above the core's
    /// `capacity_per_day`, transactions a working day (`flex` staffing;
    /// `None` under `peak`).
    pub temporary_per_day_by_month: Option<Box<[f64; MONTHS_PER_YEAR]>>,
    /// The temporary capacity used in the year's working months, as
    /// FTE-years of processing staff by grade at the core's productivity.
    /// Not in `processing_fte`: the team's staff are its core.
    pub temporary_fte_years: ByGrade<f64>,
    /// What temporary capacity costs per FTE-year, as a multiple of the
    /// staff cost: 1 + the premium.
    pub temporary_cost_factor: f64,
}

impl TeamYear {
    /// Transactions the team can complete on `day_of_year` (0-based, of
    /// `working_days_per_year`): its core's capacity plus the month's
    /// temporary capacity.
    #[inline(always)]
    pub(crate) fn capacity_on(&self, day_of_year: usize, working_days_per_year: usize) -> f64 {
        match &self.temporary_per_day_by_month {
            None => self.capacity_per_day,
            Some(extra) => {
                self.capacity_per_day + extra[month_of_day(day_of_year, working_days_per_year)]
            }
        }
    }

    /// The year's temporary capacity's cost at `location`, USD: its
    /// FTE-years at the location's staff cost of `year`, times 1 + the
    /// premium.
    fn temporary_cost_usd(&self, location: &Location, draws: &Draws, year: u32) -> f64 {
        if self.temporary_per_day_by_month.is_none() {
            return 0.0;
        }
        staff_cost_usd(location, &self.temporary_fte_years, draws, year)
            * self.temporary_cost_factor
    }

    /// The team's staff by grade: processing and supervision (its core;
    /// temporary capacity is not staff).
    pub(crate) fn staff(&self) -> ByGrade<f64> {
        ByGrade::from_fn(|g| self.processing_fte[g] + self.supervision_fte[g])
    }

    /// Counts the team's staff in `y` for the `share` of the year they
    /// work.
    pub(crate) fn add_staff(&self, share: f64, y: &mut YearOutcome) {
        let staff = self.staff();
        for grade in Grade::ALL {
            y.fte[grade] += staff[grade] * share;
        }
        y.processing_fte += self.processing_fte.total() * share;
        y.supervision_fte += self.supervision_fte.total() * share;
    }
}

/// The staff cost of a year at `location`, USD, for a centre and a
/// headquarters unit alike: `core_fte` by grade, on payroll all year, at
/// the location's cost of `year` ([`staff_cost_usd`]), plus the temporary
/// capacity each of `teams` adds at its premium (what its staffing policy
/// gives, [`TeamYear::temporary_fte_years`]), added in order.
pub(crate) fn year_staff_cost_usd<'t>(
    location: &Location,
    core_fte: &ByGrade<f64>,
    teams: impl IntoIterator<Item = &'t TeamYear>,
    draws: &Draws,
    year: u32,
) -> f64 {
    let mut cost_usd = staff_cost_usd(location, core_fte, draws, year);
    for team in teams {
        cost_usd += team.temporary_cost_usd(location, draws, year);
    }
    cost_usd
}

/// The capacity requirements of one replication's teams, each computed
/// once. Teams with the same members in the same line need the same
/// capacity — a status quo unit and the solo centre's team that takes its
/// work over, a coalition's team at every candidate location — and what a
/// member needs alone (the requirement without variance pooling) is the
/// requirement of its own one-member team. Solving the planning rule is the
/// expensive part of planning; this makes it once per distinct team.
///
/// What a team needs each year: for a queue line, the planning rule of
/// [`super::staffing`] applied to each month's demand, taking the busiest
/// month — on the team's combined demand, and for each member alone; for a
/// contact line, its calls per hour.
///
/// The room is kept from one replication to the next
/// ([`Requirements::reset`]), so that planning a replication's teams
/// allocates little beyond their requirements themselves.
#[derive(Clone, Debug, Default)]
pub(crate) struct Requirements {
    /// Whether queue requirements keep each month's (`by_month` of
    /// [`Requirement::Queue`]): only a team whose staffing policy reads
    /// them needs them.
    keep_months: bool,
    /// The requirements computed so far.
    known: Vec<Requirement>,
    /// The position in `known` of each agency's own requirement,
    /// `[service_line][agency]`: most teams are one agency's, and finding
    /// theirs needs neither a hash nor a key.
    alone: Vec<Vec<Option<usize>>>,
    /// For each service line, the position in `known` of each set of
    /// several members' requirement.
    positions: Vec<SliceMap<usize, usize>>,
    /// Each member's daily demand in each month of each year,
    /// `[service_line][agency][year]`, worked out the first time a team
    /// holds the member (empty until then): a coalition search plans
    /// thousands of teams from the same few dozen members, and summing
    /// their months is then additions alone (the profile of a 30-agency
    /// pool had the per-member divisions at a third of its time).
    member_months: Vec<Vec<Vec<MemberMonths>>>,
    /// The daily capacities planned for one agency's demand: agencies with
    /// the same demand in a line (the peer workload's twelve, or a
    /// scenario's fixed volumes) share one solution of the planning
    /// condition instead of solving it each, and in the sensitivity swings
    /// the plans of later runs find the same demands solved. Teams of
    /// several agencies, whose demands are sums and seldom met twice (a
    /// coalition search plans thousands), solve theirs without it
    /// (remembering them made `sscsim pool` 6% slower), except in the
    /// swings, which meet them again as they meet one agency's (a whole
    /// run of `scenarios/large.toml` took 0.97 of the time). A solution
    /// depends on its key alone, not on the replication, so these are kept
    /// from one to the next.
    capacities: SolvedCapacities,
    /// The contact desks' hours solved, kept likewise.
    hours: SolvedHours,
}

impl Requirements {
    /// Keeps the capacities solved for one agency's demand from now on,
    /// beyond the last few ([`SolvedCapacities`]), for plans that meet the
    /// same demands again and again.
    pub(crate) fn keep_solved_capacities(&mut self) {
        self.capacities.keeping = true;
    }

    /// None known, for a replication of `scenario`: forgets the
    /// requirements and members' months of the last replication, keeping
    /// their room.
    pub(crate) fn reset(&mut self, scenario: &Scenario) {
        let (lines, agencies) = (scenario.service_lines.len(), scenario.agencies.len());
        self.keep_months = reads_months(scenario);
        self.alone.resize_with(lines, Vec::new);
        for alone in &mut self.alone {
            alone.resize(agencies, None);
        }
        self.positions.resize_with(lines, SliceMap::default);
        self.member_months.resize_with(lines, Vec::new);
        for months in &mut self.member_months {
            months.resize_with(agencies, Vec::new);
        }
        self.forget_known();
    }

    /// None known, for the replication [`Requirements::reset`] was last
    /// given: forgets the requirements and members' months computed since,
    /// keeping their room (and the solved capacities and hours, which
    /// depend on their keys alone).
    pub(crate) fn forget_known(&mut self) {
        self.known.clear();
        self.alone.iter_mut().for_each(|alone| alone.fill(None));
        self.positions.iter_mut().for_each(SliceMap::clear);
        (self.member_months.iter_mut())
            .flatten()
            .for_each(Vec::clear);
    }
}

/// The last [`RecentCapacities::KEPT`] capacities found, by the bits of
/// `(mean, variance, target_days, target_share)`: equal demands come
/// together (one service line's agencies after another), and finding them
/// here needs no hash of their key.
#[derive(Clone, Debug, Default)]
struct RecentCapacities {
    solved: [([u64; 4], f64); RecentCapacities::KEPT],
    /// Slots of `solved` filled so far, at most `KEPT`.
    filled: usize,
    /// The slot the next solution replaces once all are filled.
    next: usize,
}

impl RecentCapacities {
    /// Solutions kept: more than the distinct service levels of any
    /// bundled scenario (the peer workload has 3). Assumption (a speed
    /// trade-off of this implementation).
    const KEPT: usize = 16;

    /// The capacity remembered under `key`, or `solve`'s, then remembered.
    fn get_or_solve(&mut self, key: [u64; 4], solve: impl FnOnce() -> f64) -> f64 {
        if let Some(&(_, capacity)) = self.solved[..self.filled].iter().find(|s| s.0 == key) {
            return capacity;
        }
        let capacity = solve();
        let slot = if self.filled < Self::KEPT {
            self.filled += 1;
            self.filled - 1
        } else {
            let slot = self.next;
            self.next = (slot + 1) % Self::KEPT;
            slot
        };
        self.solved[slot] = (key, capacity);
        capacity
    }
}

/// Capacities solved for one agency's demand, by the bits of `(mean,
/// variance, target_days, target_share)`: the last few at hand
/// ([`RecentCapacities`]), and, once asked to keep them
/// ([`Requirements::keep_solved_capacities`]), up to
/// [`CAPACITIES_KEPT`] in a map, then all forgotten and gathered
/// again. The sensitivity analysis asks: its runs of one replication (each
/// with one input at an end of its range) share every demand but the
/// swung input's, and `scenarios/large.toml` has thousands of distinct
/// monthly demands a replication. Elsewhere demands are seldom met again
/// beyond the last few. A solution depends on its key alone, so what is
/// kept changes how often the planning condition is solved, never a
/// result.
#[derive(Clone, Debug, Default)]
struct SolvedCapacities {
    recent: RecentCapacities,
    solved: Solved<[u64; 4], f64, CAPACITIES_KEPT>,
    /// Whether to keep solutions in `solved`.
    keeping: bool,
}

/// Solutions [`SolvedCapacities`] keeps in its map: a few replications'
/// worth of `scenarios/large.toml` (its one-agency teams have up to 11 520
/// distinct monthly demands a replication), in at most
/// [`SOLVED_CAPACITIES_BYTES`]. Assumption (a memory and speed trade-off of
/// this implementation).
const CAPACITIES_KEPT: usize = 1 << 16;

impl SolvedCapacities {
    /// The capacity remembered under `key`, or `solve`'s, then remembered.
    fn get_or_solve(&mut self, key: [u64; 4], solve: impl FnOnce() -> f64) -> f64 {
        if !self.keeping {
            return self.recent.get_or_solve(key, solve);
        }
        let solved = &mut self.solved;
        self.recent
            .get_or_solve(key, || solved.get_or_solve(key, solve))
    }
}

/// The most bytes [`SolvedCapacities`] holds.
pub(crate) const SOLVED_CAPACITIES_BYTES: u64 =
    Solved::<[u64; 4], f64, CAPACITIES_KEPT>::MOST_BYTES;

/// Bytes a replication's planner keeps per agency, service line and year
/// of demand (`memory` counts them).
pub(crate) const MEMBER_MONTHS_BYTES_PER_YEAR: u64 = std::mem::size_of::<MemberMonths>() as u64;

/// One member's daily demand in each month of one year: the terms
/// [`month_capacities`] adds up over a team's members.
#[derive(Clone, Copy, Debug)]
struct MemberMonths {
    /// Mean arrivals per working day.
    mean: [f64; MONTHS_PER_YEAR],
    /// Their variance.
    variance: [f64; MONTHS_PER_YEAR],
    /// For negative binomial arrivals, `μ/r` and its square: the member's
    /// terms of the covariance the line's shared shock adds.
    shock: Option<([f64; MONTHS_PER_YEAR], [f64; MONTHS_PER_YEAR])>,
}

impl MemberMonths {
    /// Every year of the horizon for `demand`, under one replication's
    /// `draws`, written over `by_year`.
    fn work_out(
        by_year: &mut Vec<Self>,
        demand: &AgencyLine,
        draws: &Draws,
        years: u32,
        working_days_per_year: u32,
    ) {
        let dispersion = demand.dispersion(draws);
        by_year.clear();
        by_year.extend((0..years).map(|year| {
            let annual_mean = demand.annual_mean(draws, year);
            let mean: [f64; MONTHS_PER_YEAR] = std::array::from_fn(|month| {
                demand.daily_mean_of(annual_mean, month, working_days_per_year)
            });
            MemberMonths {
                mean,
                variance: mean.map(|m| demand.daily_variance(draws, m)),
                shock: dispersion.map(|r| (mean.map(|m| m / r), mean.map(|m| (m / r) * (m / r)))),
            }
        }));
    }
}

impl Requirements {
    /// None known yet, for a replication of `scenario`.
    #[cfg(test)]
    pub(super) fn new(scenario: &Scenario) -> Self {
        let mut requirements = Requirements::default();
        requirements.reset(scenario);
        requirements
    }

    /// What the team of `members` in `service_line` needs each year, in
    /// the replication whose inputs are `draws`.
    pub(super) fn get(
        &mut self,
        scenario: &Scenario,
        draws: &Draws,
        service_line: usize,
        members: &[usize],
    ) -> Needs<'_> {
        let i = self.index(scenario, draws, service_line, members);
        Needs {
            requirement: &self.known[i],
            hours: &mut self.hours,
        }
    }

    /// Position in `known` of the requirement of `members` in `service_line`,
    /// computed if it is not known yet.
    fn index(
        &mut self,
        scenario: &Scenario,
        draws: &Draws,
        service_line: usize,
        members: &[usize],
    ) -> usize {
        let known = match *members {
            [agency] => self.alone[service_line][agency],
            _ => self.positions[service_line].get(members).copied(),
        };
        if let Some(i) = known {
            return i;
        }
        let requirement = self.compute(scenario, draws, service_line, members);
        self.known.push(requirement);
        let i = self.known.len() - 1;
        match *members {
            [agency] => self.alone[service_line][agency] = Some(i),
            _ => self.positions[service_line].insert(members, i),
        }
        i
    }

    fn compute(
        &mut self,
        scenario: &Scenario,
        draws: &Draws,
        service_line: usize,
        members: &[usize],
    ) -> Requirement {
        let years = scenario.settings.horizon_years;
        let line = &scenario.service_lines[service_line];
        let demand = |a: usize| {
            scenario.agencies[a].lines[service_line]
                .as_ref()
                .expect("teams only hold members with work in their line")
        };
        let queue = match &line.work {
            Work::Queue(queue) => queue,
            Work::Contact(work) => {
                let members: Vec<Vec<HourlyRates>> = members
                    .iter()
                    .map(|&a| {
                        (0..years)
                            .map(|y| {
                                agency_rates(
                                    scenario,
                                    &scenario.agencies[a],
                                    demand(a),
                                    work,
                                    draws,
                                    y,
                                )
                            })
                            .collect()
                    })
                    .collect();
                let pooled = (0..years as usize)
                    .map(|y| {
                        members
                            .iter()
                            .skip(1)
                            .fold(members[0][y], |sum, m| add_rates(&sum, &m[y]))
                    })
                    .collect();
                return Requirement::Contact(ContactRequirement::new(pooled, members));
            }
        };
        let common_shape = scenario.common_shock_shape(service_line, draws);
        let known_months = &mut self.member_months[service_line];
        for &a in members {
            if known_months[a].is_empty() {
                MemberMonths::work_out(
                    &mut known_months[a],
                    demand(a),
                    draws,
                    years,
                    scenario.settings.working_days_per_year,
                );
            }
        }
        let known_months = &self.member_months[service_line];
        let capacities = &mut self.capacities;
        let (target_days, target_share) = (queue.target_days, queue.target_share);
        let one_agency = members.len() == 1;
        // Several agencies' demands are met again only in the swings.
        let remembered = one_agency || capacities.keeping;
        let mut planned = |m: f64, v: f64| {
            if !remembered {
                return planned_capacity_per_day(m, v, target_days, target_share);
            }
            let key = [
                m.to_bits(),
                v.to_bits(),
                u64::from(target_days),
                target_share.to_bits(),
            ];
            capacities.get_or_solve(key, || {
                planned_capacity_per_day(m, v, target_days, target_share)
            })
        };
        let pooled_by_month = (0..years as usize).map(|year| {
            month_capacities(
                members.iter().map(|&a| &known_months[a][year]),
                !one_agency,
                common_shape,
                &mut planned,
            )
        });
        if one_agency {
            let mut by_month = self.keep_months.then(|| Vec::with_capacity(years as usize));
            let by_year = pooled_by_month
                .map(|months| {
                    if let Some(kept) = &mut by_month {
                        kept.push(QueueRequirement::alone(months));
                    }
                    QueueRequirement::alone(peak_of(&months))
                })
                .collect();
            let by_month = by_month.map(Vec::into_boxed_slice);
            return Requirement::Queue { by_year, by_month };
        }
        let pooled_by_month: Vec<[f64; MONTHS_PER_YEAR]> = pooled_by_month.collect();
        // Each member alone: its own one-member team's requirement.
        let each_alone: Vec<usize> = members
            .iter()
            .map(|&a| self.index(scenario, draws, service_line, &[a]))
            .collect();
        let alone_of = |i: usize| match &self.known[i] {
            Requirement::Queue { by_year, by_month } => (by_year, by_month),
            Requirement::Contact(_) => unreachable!("a queue line's member is a queue"),
        };
        let by_year = pooled_by_month
            .iter()
            .enumerate()
            .map(|(y, months)| QueueRequirement {
                pooled: peak_of(months),
                separate: each_alone.iter().map(|&i| alone_of(i).0[y].pooled).sum(),
            })
            .collect();
        let by_month = self.keep_months.then(|| {
            let alone_by_month =
                |i: usize| alone_of(i).1.as_deref().expect("kept for every queue team");
            (pooled_by_month.iter().enumerate())
                .map(|(y, &pooled)| QueueRequirement {
                    pooled,
                    separate: std::array::from_fn(|m| {
                        each_alone
                            .iter()
                            .map(|&i| alone_by_month(i)[y].pooled[m])
                            .sum()
                    }),
                })
                .collect()
        });
        Requirement::Queue { by_year, by_month }
    }
}

/// Whether the staffing policy of any centre of the scenario, or the
/// scenario's own, reads each month's requirement.
fn reads_months(scenario: &Scenario) -> bool {
    scenario.settings.staffing_policy.reads_months()
        || (scenario.strategies.iter())
            .flat_map(|s| &s.centres)
            .any(|c| c.staffing_policy.reads_months())
}

/// The largest of a year's monthly capacities (0 if none is above it).
fn peak_of(months: &[f64; MONTHS_PER_YEAR]) -> f64 {
    months.iter().fold(0.0, |peak: f64, &c| peak.max(c))
}

/// The capacity `rule(mean, variance)` of each month of a year, for the
/// combined demand of `members` in that year (`several` when there is more
/// than one). Daily counts of two negative binomial members covary through
/// the line's shared shock: `cov = μ_a·μ_b·k / (r_a·r_b)`.
fn month_capacities<'m>(
    members: impl Iterator<Item = &'m MemberMonths>,
    several: bool,
    common_shape: f64,
    mut rule: impl FnMut(f64, f64) -> f64,
) -> [f64; MONTHS_PER_YEAR] {
    let (mean, variance) = month_demands(members, several, common_shape);
    // Months with the same demand (equal seasonal weights) share one solution.
    let mut solved = [(0.0, 0.0, 0.0); MONTHS_PER_YEAR];
    let mut distinct = 0;
    // Every month has working days: a year has at least 12 of them (validated).
    std::array::from_fn(|month| {
        let (mean, variance) = (mean[month], variance[month]);
        match solved[..distinct]
            .iter()
            .find(|s| s.0 == mean && s.1 == variance)
        {
            Some(s) => s.2,
            None => {
                let c = rule(mean, variance);
                solved[distinct] = (mean, variance, c);
                distinct += 1;
                c
            }
        }
    })
}

/// The mean and variance of each month's daily demand, for the combined
/// demand of `members` (see [`month_capacities`]). Apart from the rule
/// that solves them, so that how the compiler lays out these sums does
/// not depend on the rule (inlined together, a change to the rule's
/// memo made `sscsim pool scenarios/un-system-ssc.toml` run 3.7% more
/// instructions, counted in `month_capacities`).
#[inline(never)]
fn month_demands<'m>(
    members: impl Iterator<Item = &'m MemberMonths>,
    several: bool,
    common_shape: f64,
) -> ([f64; MONTHS_PER_YEAR], [f64; MONTHS_PER_YEAR]) {
    let (mut mean, mut variance) = ([0.0; MONTHS_PER_YEAR], [0.0; MONTHS_PER_YEAR]);
    // Σ μ_a/r_a and Σ (μ_a/r_a)²: k·((Σ)² − Σ²) is the sum of the cross terms.
    let (mut shock, mut shock_squares) = ([0.0; MONTHS_PER_YEAR], [0.0; MONTHS_PER_YEAR]);
    // Member by member, in the team's order: each month's sums are added
    // in the same order whatever the layout.
    for member in members {
        for month in 0..MONTHS_PER_YEAR {
            mean[month] += member.mean[month];
            variance[month] += member.variance[month];
        }
        if let Some((ratio, square)) = &member.shock {
            for month in 0..MONTHS_PER_YEAR {
                shock[month] += ratio[month];
                shock_squares[month] += square[month];
            }
        }
    }
    if several && common_shape > 0.0 {
        for month in 0..MONTHS_PER_YEAR {
            variance[month] += common_shape * (shock[month] * shock[month] - shock_squares[month]);
        }
    }
    (mean, variance)
}

/// Staffs one team each year under `switches`. The staffing of a year is
/// what the team needs when it works the whole year; `payroll_share` says
/// how much of the year it is paid, and experience only grows while it works.
pub(crate) fn plan_team(
    scenario: &Scenario,
    centre: &Centre,
    team: &Team,
    draws: &Draws,
    needs: Needs,
    switches: Switches,
    context: &TeamContext,
) -> Arc<[TeamYear]> {
    let staffer = TeamStaffer::new(scenario, centre, team, draws, switches);
    plan_years(scenario, team, needs, &staffer, context)
}

/// What planning a team reads beyond the team itself, its centre's
/// settings (`Centre::staffing_settings_key`), the switches and the
/// replication's draws: when the team works, and what each of its members
/// brings to it. The simulator remembers a staffing under these values
/// ([`TeamContext::key`]), not under what they are computed from, so a new
/// quantity of this kind that a mechanism reads in [`WorkingYear`] is a
/// field here, set in [`TeamContext::fill`], written in `key` and handed on
/// in `working_year`: this file and `WorkingYear`'s, and nothing in the
/// simulator.
#[derive(Clone, Debug, Default)]
pub(crate) struct TeamContext {
    /// When the team's staff are paid and its work goes live.
    timeline: Timeline,
    /// The share of each member's staff, in the team's member order,
    /// trained in the team's work before it starts: a host agency's
    /// (headquarters where an existing centre is) own staff, all of it;
    /// another member's, the share of its headquarters staff who move with
    /// the work. Empty for a team whose work does not move: it is trained
    /// or new as its centre is.
    trained_share_by_member: Vec<f64>,
}

impl TeamContext {
    /// The context of `team` of `centre` on `timeline`, written over this
    /// one so that a lookup allocates nothing.
    pub(crate) fn fill(
        &mut self,
        scenario: &Scenario,
        centre: &Centre,
        team: &Team,
        draws: &Draws,
        timeline: &Timeline,
    ) {
        self.timeline = *timeline;
        self.trained_share_by_member.clear();
        if !team.moves {
            return;
        }
        let transferred = MoveRules::new(&scenario.transition, draws).staff_transfer_share();
        self.trained_share_by_member
            .extend(team.members.iter().map(|&a| {
                if centre.absorbs_units_at(scenario.agencies[a].hq_location) {
                    1.0
                } else {
                    transferred
                }
            }));
    }

    /// Appends the context to a staffing's key, as bits.
    pub(crate) fn key(&self, bits: &mut Vec<u64>) {
        bits.extend([
            self.timeline.payroll_from_month.to_bits(),
            self.timeline.go_live_month.to_bits(),
            self.trained_share_by_member.len() as u64,
        ]);
        bits.extend(self.trained_share_by_member.iter().map(|s| s.to_bits()));
    }

    /// `year` as the team's mechanisms see it, with `experience_fte_years`.
    fn working_year(
        &self,
        scenario: &Scenario,
        team: &Team,
        draws: &Draws,
        year: u32,
        experience_fte_years: f64,
    ) -> WorkingYear {
        let of_staff = |by_member: &[f64]| share_of_staff(by_member, scenario, team, draws, year);
        WorkingYear {
            year,
            experience_fte_years,
            trained_share: of_staff(&self.trained_share_by_member),
        }
    }
}

/// A team's share of staff in `year` from each member's share
/// (`by_member`, in member order, or empty where no member has any): the
/// members' shares weighted by their transactions that year, as its staff
/// are. 0 for a team without transactions.
fn share_of_staff(
    by_member: &[f64],
    scenario: &Scenario,
    team: &Team,
    draws: &Draws,
    year: u32,
) -> f64 {
    let (mut weighted, mut total) = (0.0, 0.0);
    for (&a, &share) in team.members.iter().zip(by_member) {
        let Some(line) = scenario.agencies[a].lines[team.service_line].as_ref() else {
            continue;
        };
        let volume = line.annual_mean(draws, year);
        weighted += volume * share;
        total += volume;
    }
    if total > 0.0 { weighted / total } else { 0.0 }
}

/// Staffs one team each year with `staffer`, which holds its mechanisms'
/// effects.
fn plan_years(
    scenario: &Scenario,
    team: &Team,
    needs: Needs,
    staffer: &TeamStaffer,
    context: &TeamContext,
) -> Arc<[TeamYear]> {
    let Needs { requirement, hours } = needs;
    let calendar = scenario.calendar();
    let timeline = &context.timeline;
    let draws = staffer.draws;
    let mut experience_fte_years = 0.0;
    (0..scenario.settings.horizon_years)
        .map(|year| {
            let volume: f64 = team
                .members
                .iter()
                .filter_map(|&a| scenario.agencies[a].lines[team.service_line].as_ref())
                .map(|d| d.annual_mean(draws, year))
                .sum();
            let working_share = calendar.share_of_year(year, timeline.go_live_month, f64::INFINITY);
            let year_experience = volume * working_share * staffer.fte_years_per_transaction;
            // The year's learning factor is taken at the middle of its working months.
            let working_year = context.working_year(
                scenario,
                team,
                draws,
                year,
                experience_fte_years + year_experience / 2.0,
            );
            let (effort, harmonisation_cost_usd) = staffer.effort(&working_year);
            experience_fte_years += year_experience;
            let pooling = staffer.effects.pools_demand();
            let mut temporary: Option<Temporary> = None;
            let (processing_total, processing_fte, capacity_per_day, callers_by_month) =
                match (&team.staffing, requirement) {
                    (Staffing::Planned { grade_mix }, Requirement::Queue { by_year, by_month }) => {
                        let year = year as usize;
                        let months = (by_month.as_deref()).map(|m| {
                            staffer
                                .effects
                                .planned_on(&m[year].pooled, &m[year].separate)
                        });
                        let busiest = staffer
                            .effects
                            .planned_on(by_year[year].pooled, by_year[year].separate);
                        let needed = staffer.rule.core_per_day(busiest, months);
                        let total = staffer.planned_fte(needed, effort);
                        let capacity = staffer.capacity_per_day(total, effort);
                        temporary = staffer.rule.temporary(months, total, capacity);
                        (
                            total,
                            split(total, grade_mix, staffer.integer),
                            capacity,
                            None,
                        )
                    }
                    (Staffing::Planned { grade_mix }, Requirement::Contact(calls)) => {
                        let line = &scenario.service_lines[team.service_line];
                        let Work::Contact(work) = &line.work else {
                            unreachable!("a contact requirement is of a contact line")
                        };
                        let desk = staffer.desk(work, calls, year as usize, effort, pooling, hours);
                        (
                            desk.fte,
                            split(desk.fte, grade_mix, staffer.integer),
                            0.0,
                            Some(Box::new(desk.callers_by_month)),
                        )
                    }
                    (Staffing::Fixed { fte }, requirement) => {
                        let table = ByGrade::from_fn(|g| draws.value(fte[g]));
                        let answered =
                            match (requirement, &scenario.service_lines[team.service_line].work) {
                                (Requirement::Contact(calls), Work::Contact(work)) => {
                                    Some(Box::new(staffer.fixed_desk(
                                        work,
                                        calls,
                                        year as usize,
                                        effort,
                                        table.total(),
                                        hours,
                                    )))
                                }
                                _ => None,
                            };
                        let capacity = if answered.is_some() {
                            0.0
                        } else {
                            staffer.capacity_per_day(table.total(), effort)
                        };
                        (table.total(), table, capacity, answered)
                    }
                };
            let mut plan = TeamYear {
                processing_fte,
                supervision_fte: staffer.supervision(processing_total),
                capacity_per_day,
                callers_by_month,
                harmonisation_cost_usd,
                payroll_share: calendar.share_of_year(
                    year,
                    timeline.payroll_from_month,
                    f64::INFINITY,
                ),
                ..TeamYear::default()
            };
            if let (Some(t), Staffing::Planned { grade_mix }) = (temporary, &team.staffing) {
                let worked = worked_share_by_month(&calendar, year, timeline.go_live_month);
                let fte_years = (t.fte_by_month.iter().zip(worked))
                    .map(|(f, w)| f * w)
                    .sum();
                plan.temporary_fte_years = split(fte_years, grade_mix, false);
                plan.temporary_per_day_by_month = Some(Box::new(t.per_day_by_month));
                plan.temporary_cost_factor = t.cost_factor;
            }
            plan
        })
        .collect()
}

/// The share of year `year` that each of its months is worked by a team
/// going live in `go_live_month`: 1/12 for a whole month.
fn worked_share_by_month(
    calendar: &Calendar,
    year: u32,
    go_live_month: f64,
) -> [f64; MONTHS_PER_YEAR] {
    std::array::from_fn(|m| {
        let start = f64::from(year) * 12.0 + m as f64;
        calendar.share_of_year(year, go_live_month.max(start), start + 1.0)
    })
}

/// A contact desk's staffing in one year.
struct Desk {
    fte: f64,
    callers_by_month: [Callers; MONTHS_PER_YEAR],
}

/// What stays the same for a team across the years of a plan.
struct TeamStaffer<'a> {
    draws: &'a Draws,
    standard_effort: f64,
    productive_minutes: f64,
    working_minutes: f64,
    fte_years_per_transaction: f64,
    /// The mechanisms switched on for the team, in registry order.
    effects: Effects<'a>,
    /// Whole people only.
    integer: bool,
    /// The centre's staffing policy, drawn: it turns a planned queue
    /// team's monthly requirements into its core and temporary capacity.
    rule: StaffingRule,
}

impl<'a> TeamStaffer<'a> {
    fn new(
        scenario: &'a Scenario,
        centre: &'a Centre,
        team: &'a Team,
        draws: &'a Draws,
        switches: Switches,
    ) -> Self {
        let scope = Scope {
            draws,
            centre,
            team: Some(team),
        };
        let effects = Effects::of(&scenario.mechanisms, &scope, switches);
        TeamStaffer {
            rule: (centre.staffing_policy).rule(&scenario.settings.staffing, draws),
            ..TeamStaffer::with_effects(scenario, team, draws, effects)
        }
    }

    /// A staffer of `team` under `effects`.
    fn with_effects(
        scenario: &Scenario,
        team: &Team,
        draws: &'a Draws,
        effects: Effects<'a>,
    ) -> Self {
        let settings = &scenario.settings;
        let standard_effort = scenario.service_lines[team.service_line].effort_minutes(draws);
        let productive_minutes = settings.productive_minutes_per_fte_day(draws);
        TeamStaffer {
            draws,
            standard_effort,
            productive_minutes,
            working_minutes: draws.value(settings.working_minutes_per_day),
            fte_years_per_transaction: standard_effort
                / (productive_minutes * f64::from(settings.working_days_per_year)),
            integer: effects.whole_people(),
            effects,
            rule: StaffingRule::default(),
        }
    }

    /// Minutes per transaction in `year` (every effect's factor included),
    /// and the year's spending on the team's mechanisms.
    fn effort(&self, year: &WorkingYear) -> (f64, f64) {
        (
            self.effects.effort_minutes(self.standard_effort, year),
            self.effects.year_cost_usd(year),
        )
    }

    /// Processing FTE for a capacity requirement; with a size effect, the
    /// effort itself depends on the team's size ([`Effects::planned_fte`]).
    fn planned_fte(&self, capacity_per_day: f64, effort: f64) -> f64 {
        let needed = capacity_per_day * effort / self.productive_minutes;
        self.effects.planned_fte(needed)
    }

    /// Transactions a day that `processing_fte` deliver at this effort.
    fn capacity_per_day(&self, processing_fte: f64, effort: f64) -> f64 {
        if processing_fte <= 0.0 {
            return 0.0;
        }
        let size_factor = self.effects.size_effort_factor(processing_fte);
        processing_fte * self.productive_minutes / (effort * size_factor)
    }

    /// A contact desk's agents, FTE and answered share in `year`, with the
    /// handle time at `effort_minutes` (every effect's factor included).
    /// Pooled, one desk takes all members' calls; apart, each member's calls
    /// get their own agents, and the answered share is that of all desks. A
    /// size effect does not apply: the Erlang formulas carry a desk's
    /// economies of scale.
    fn desk(
        &self,
        work: &ContactWork,
        calls: &ContactRequirement,
        year: usize,
        effort_minutes: f64,
        pooling: bool,
        hours: &mut SolvedHours,
    ) -> Desk {
        let desk = calls.staff(
            work,
            self.draws,
            year,
            effort_minutes * 60.0,
            pooling,
            hours,
        );
        let fte = fte_for_agent_hours(
            desk.agent_hours,
            self.working_minutes,
            self.draws.value(work.shrinkage_share),
        );
        Desk {
            fte: self.effects.rounded(fte),
            callers_by_month: desk.callers_by_month,
        }
    }

    /// What each month's callers meet at a desk with a fixed `fte`: its
    /// agents' hours on the phones are rostered over the day in proportion
    /// to the year's calls in each hour, in whole agent-hours.
    fn fixed_desk(
        &self,
        work: &ContactWork,
        calls: &ContactRequirement,
        year: usize,
        effort_minutes: f64,
        fte: f64,
        hours: &mut SolvedHours,
    ) -> [Callers; MONTHS_PER_YEAR] {
        let rates = &calls.pooled[year];
        let agent_hours = agent_hours_of_fte(
            fte,
            self.working_minutes,
            self.draws.value(work.shrinkage_share),
        );
        let staffed = roster(agent_hours, rates);
        callers_by_month(
            work,
            self.draws,
            effort_minutes * 60.0,
            &staffed,
            rates,
            hours,
        )
    }

    /// Supervisors and team leads for `processing_fte`, by grade.
    fn supervision(&self, processing_fte: f64) -> ByGrade<f64> {
        (self.effects.supervisors(processing_fte))
            .map(|(supervisors, mix)| split(supervisors, mix, self.integer))
            .reduce(|a, b| ByGrade::from_fn(|g| a[g] + b[g]))
            .unwrap_or_default()
    }
}

/// Splits `total` FTE by grade shares; with `integer`, into whole people by
/// the largest-remainder method (ties to the earlier grade).
fn split(total: f64, shares: &ByGrade<f64>, integer: bool) -> ByGrade<f64> {
    let exact = ByGrade::from_fn(|g| total * shares[g]);
    if !integer {
        return exact;
    }
    let whole = largest_remainder(&Grade::ALL.map(|g| exact[g]));
    ByGrade::from_fn(|g| f64::from(whole[g as usize]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::mechanisms::Effect;
    use crate::sim::hand_computed;

    /// A mechanism written after the planner: twice the effort, a yearly
    /// cost, and one GS supervisor per two processing staff.
    struct Doubling {
        supervisor_mix: ByGrade<f64>,
    }

    impl Effect for Doubling {
        fn effort_factor(&self, _year: &WorkingYear) -> f64 {
            2.0
        }

        fn year_cost_usd(&self, year: &WorkingYear) -> Option<f64> {
            Some(100.0 * f64::from(year.year + 1))
        }

        fn supervisors(&self, processing_fte: f64) -> Option<(f64, &ByGrade<f64>)> {
            Some((processing_fte / 2.0, &self.supervisor_mix))
        }
    }

    /// The offshore team of `hand_computed` (10 then 15 transactions a day
    /// of 10 minutes, 100 productive minutes per FTE-day, half GS, half P),
    /// planned in place with `effects`.
    fn plan_offshore_team(effects: Effects) -> Arc<[TeamYear]> {
        let scenario = hand_computed();
        let draws = Draws::default();
        let team = &scenario.strategies[1].centres[0].teams[0];
        let mut requirements = Requirements::new(&scenario);
        let needs = requirements.get(&scenario, &draws, team.service_line, &team.members);
        let staffer = TeamStaffer::with_effects(&scenario, team, &draws, effects);
        plan_years(&scenario, team, needs, &staffer, &TeamContext::default())
    }

    /// A solution remembered is returned without solving; once more keys
    /// than are kept have come, the oldest is solved again.
    #[test]
    fn recent_capacities_solve_each_key_once_while_it_is_kept() {
        let mut recent = RecentCapacities::default();
        let solves = std::cell::Cell::new(0);
        let mut get = |k: u64| {
            recent.get_or_solve([k, 0, 0, 0], || {
                solves.set(solves.get() + 1);
                10.0 * k as f64
            })
        };
        for k in 0..RecentCapacities::KEPT as u64 {
            assert_eq!(get(k), 10.0 * k as f64);
            assert_eq!(get(k), 10.0 * k as f64);
        }
        assert_eq!(solves.get(), RecentCapacities::KEPT);
        // One more key replaces key 0, the oldest; key 1 is still kept.
        let extra = RecentCapacities::KEPT as u64;
        assert_eq!(get(extra), 10.0 * extra as f64);
        assert_eq!(get(1), 10.0);
        assert_eq!(solves.get(), RecentCapacities::KEPT + 1);
        assert_eq!(get(0), 0.0);
        assert_eq!(solves.get(), RecentCapacities::KEPT + 2);
    }

    /// A solution remembered is returned without solving; once more keys
    /// than are kept have come, all are forgotten and solved again.
    #[test]
    fn solved_capacities_solve_each_key_once_while_it_is_kept() {
        let mut kept = SolvedCapacities {
            keeping: true,
            ..SolvedCapacities::default()
        };
        let solves = std::cell::Cell::new(0);
        let mut get = |k: u64| {
            kept.get_or_solve([k, 0, 0, 0], || {
                solves.set(solves.get() + 1);
                10.0 * k as f64
            })
        };
        let all = CAPACITIES_KEPT as u64;
        for k in 0..all {
            assert_eq!(get(k), 10.0 * k as f64);
        }
        for k in (0..all).rev() {
            assert_eq!(get(k), 10.0 * k as f64);
        }
        assert_eq!(solves.get(), CAPACITIES_KEPT);
        // One more key: every other is forgotten, and solved when met again.
        assert_eq!(get(all), 10.0 * all as f64);
        assert_eq!(get(all), 10.0 * all as f64);
        assert_eq!(solves.get(), CAPACITIES_KEPT + 1);
        // Not among the last few found either.
        let middle = all / 2;
        assert_eq!(get(middle), 10.0 * middle as f64);
        assert_eq!(solves.get(), CAPACITIES_KEPT + 2);
        assert!(kept.solved.capacity() as u64 * 40 <= SOLVED_CAPACITIES_BYTES);
    }

    /// `benches/peer.toml`'s twelve agencies have the same Poisson demand
    /// in every line: their one-agency requirements share one solution per
    /// service level, each what solving the planning condition gives, to
    /// the bit; a pooled team's is solved for its own demand.
    #[test]
    fn agencies_with_the_same_demand_share_one_solved_capacity() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/benches/peer.toml");
        let text = std::fs::read_to_string(path).expect("the peer workload");
        let scenario = crate::scenario::parse(path, &text).expect("a valid scenario");
        let mut draws = Draws::default();
        draws.draw(&scenario, 1, 0);
        let mut requirements = Requirements::new(&scenario);
        let mut check = |line: usize, members: &[usize], volume_per_day: f64| {
            let Work::Queue(queue) = &scenario.service_lines[line].work else {
                unreachable!("the peer's lines are queues")
            };
            let solved = planned_capacity_per_day(
                volume_per_day,
                volume_per_day,
                queue.target_days,
                queue.target_share,
            );
            let Requirement::Queue { by_year, .. } = requirements
                .get(&scenario, &draws, line, members)
                .requirement
            else {
                unreachable!("a queue line's requirement")
            };
            assert_eq!(by_year[0].pooled.to_bits(), solved.to_bits(), "{members:?}");
        };
        let agencies = scenario.agencies.len();
        for line in 0..scenario.service_lines.len() {
            for agency in 0..agencies {
                check(line, &[agency], 200.0);
            }
            let all: Vec<usize> = (0..agencies).collect();
            check(line, &all, 200.0 * agencies as f64);
        }
        // One solution for each distinct service level (its demand is the
        // same in every line): 5 days at 95%, 3 at 98% and 10 at 90%.
        let mut targets: Vec<(u32, u64)> = (scenario.service_lines.iter())
            .map(|line| match &line.work {
                Work::Queue(queue) => (queue.target_days, queue.target_share.to_bits()),
                Work::Contact(_) => unreachable!("the peer's lines are queues"),
            })
            .collect();
        targets.sort_unstable();
        targets.dedup();
        assert_eq!(targets.len(), 3);
        assert_eq!(requirements.capacities.recent.filled, targets.len());
    }

    /// A host agency's own staff are trained in the work, another member's
    /// as far as they move with it (the scenario's staff transfer share),
    /// and a team whose work does not move brings nobody: contexts that
    /// differ in what the members bring key apart, so the simulator never
    /// hands one team the staffing planned for another's trained staff.
    #[test]
    fn a_team_s_context_keys_what_its_members_bring() {
        let scenario = hand_computed();
        let draws = Draws::default();
        let transferred = MoveRules::new(&scenario.transition, &draws).staff_transfer_share();
        assert!(transferred < 1.0, "{transferred}");
        let new_centre = &scenario.strategies[1].centres[0];
        let moving = Team {
            moves: true,
            ..new_centre.teams[0].clone()
        };
        // agency_a's headquarters is location 0.
        let host = Centre {
            location: 0,
            existing: true,
            ..new_centre.clone()
        };
        let context = |centre: &Centre, team: &Team| {
            let mut context = TeamContext::default();
            context.fill(&scenario, centre, team, &draws, &Timeline::IN_PLACE);
            context
        };
        let key = |context: &TeamContext| {
            let mut bits = Vec::new();
            context.key(&mut bits);
            bits
        };
        let (new, hosted) = (context(new_centre, &moving), context(&host, &moving));
        let in_place = context(new_centre, &new_centre.teams[0]);
        assert_eq!(new.trained_share_by_member, [transferred]);
        assert_eq!(hosted.trained_share_by_member, [1.0]);
        assert!(in_place.trained_share_by_member.is_empty());
        assert_ne!(key(&new), key(&hosted));
        assert_ne!(key(&new), key(&in_place));
        // One member: the team's share is its own, every year.
        let shares = |c: &TeamContext| -> Vec<f64> {
            (0..2)
                .map(|year| {
                    c.working_year(&scenario, &moving, &draws, year, 0.0)
                        .trained_share
                })
                .collect()
        };
        assert_eq!(shares(&new), [transferred; 2]);
        assert_eq!(shares(&hosted), [1.0; 2]);
        assert_eq!(shares(&in_place), [0.0; 2]);
    }

    #[test]
    fn a_mechanism_added_as_an_effect_changes_the_plan_as_its_hooks_say() {
        let plain = plan_offshore_team(Effects::from_list(Vec::new()));
        let processing: Vec<f64> = plain.iter().map(|y| y.processing_fte.total()).collect();
        assert_eq!(processing, [1.0, 1.5]);

        let supervisor_mix = ByGrade([1.0, 0.0, 0.0, 0.0, 0.0]);
        let doubled = plan_offshore_team(Effects::from_list(vec![Box::new(Doubling {
            supervisor_mix,
        })]));
        // 10 a day × 20 min / 100 min = 2 FTE, then 15 a day: 3 FTE, half
        // GS and half P; they deliver what is needed, 10 and 15 a day.
        for (y, (fte, capacity)) in doubled.iter().zip([(2.0, 10.0), (3.0, 15.0)]) {
            assert_eq!(y.processing_fte[Grade::Gs], fte / 2.0);
            assert_eq!(y.processing_fte[Grade::P], fte / 2.0);
            assert_eq!(y.capacity_per_day, capacity);
            assert_eq!(y.supervision_fte[Grade::Gs], fte / 2.0);
            assert_eq!(y.supervision_fte.total(), fte / 2.0);
        }
        let cost: Vec<f64> = doubled.iter().map(|y| y.harmonisation_cost_usd).collect();
        assert_eq!(cost, [100.0, 200.0]);
    }

    /// A team-year of 1 GS and 0.5 P processing and 0.5 GS supervising,
    /// with `temporary` FTE-years of GS temporary capacity at a premium of
    /// 0.5 (`None`: a policy that adds none).
    fn team_year(temporary: Option<f64>) -> TeamYear {
        TeamYear {
            processing_fte: ByGrade([1.0, 0.0, 0.5, 0.0, 0.0]),
            supervision_fte: ByGrade([0.5, 0.0, 0.0, 0.0, 0.0]),
            temporary_per_day_by_month: temporary.map(|_| Box::new([1.0; MONTHS_PER_YEAR])),
            temporary_fte_years: ByGrade([temporary.unwrap_or(0.0), 0.0, 0.0, 0.0, 0.0]),
            temporary_cost_factor: 1.5,
            ..TeamYear::default()
        }
    }

    /// At the offshore location of `hand_computed`, GS costs 400 and P
    /// 800 a year, without escalation.
    #[test]
    fn a_year_s_staff_cost_is_its_core_plus_temporary_capacity_at_its_premium() {
        let scenario = hand_computed();
        let draws = Draws::default();
        let location = &scenario.locations[1];
        let flex = team_year(Some(0.25));
        let peak = team_year(None);
        // Core: 1.5 GS × 400 + 0.5 P × 800 = 1 000.
        assert_eq!(flex.staff(), ByGrade([1.5, 0.0, 0.5, 0.0, 0.0]));
        let core = flex.staff();
        assert_eq!(
            year_staff_cost_usd(location, &core, [&peak], &draws, 0),
            1000.0
        );
        // Temporary: 0.25 GS × 400 × 1.5 = 150.
        assert_eq!(
            year_staff_cost_usd(location, &core, [&flex], &draws, 0),
            1150.0
        );
        // A centre's year: both teams' staff and 2 GS of overhead, 1 000 +
        // 1 000 + 800, and the flex team's temporary capacity, 150.
        let centre = ByGrade([5.0, 0.0, 1.0, 0.0, 0.0]);
        let cost = year_staff_cost_usd(location, &centre, [&peak, &flex], &draws, 0);
        assert_eq!(cost, 2950.0);
    }

    #[test]
    fn a_team_s_staff_count_for_the_share_of_the_year_they_work() {
        let mut y = YearOutcome::default();
        team_year(Some(0.25)).add_staff(0.5, &mut y);
        // Half of 1.5 GS and 0.5 P; temporary capacity is not staff.
        assert_eq!(y.fte, ByGrade([0.75, 0.0, 0.25, 0.0, 0.0]));
        assert_eq!((y.processing_fte, y.supervision_fte), (0.75, 0.25));
    }

    #[test]
    fn integer_split_keeps_the_total_and_follows_the_largest_remainders() {
        let mut shares = ByGrade::default();
        shares[Grade::Gs] = 0.7;
        shares[Grade::Npo] = 0.2;
        shares[Grade::P] = 0.1;
        // 7 people: exact 4.9 / 1.4 / 0.7 → floors 4 / 1 / 0, two left for the
        // largest remainders 0.9 (GS) and 0.7 (P).
        let s = split(7.0, &shares, true);
        assert_eq!((s[Grade::Gs], s[Grade::Npo], s[Grade::P]), (5.0, 1.0, 1.0));
        assert_eq!(split(7.0, &shares, false)[Grade::Gs], 7.0 * 0.7);
    }
}
