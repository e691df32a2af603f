//! Planning a team: the capacity it needs, and the staff of which grades it
//! has each year, under a given set of mechanism switches.
//!
//! Planning uses forecasts (the replication's drawn inputs), never the
//! realised arrivals, so a strategy's cost is known before its queue runs.
//! The expensive part — the capacity each team needs for its service level —
//! depends only on whether variance pooling is on, and is computed once per
//! replication as a [`Requirement`]; everything else is cheap arithmetic,
//! which is what lets the decomposition evaluate all 32 combinations of
//! mechanisms.

use super::contact::{
    ContactRequirement, HourlyRates, add_rates, agency_rates, agent_hours_of_fte,
    answered_share_by_month, fte_for_agent_hours, roster,
};
use std::collections::HashMap;

use super::apportion::largest_remainder;
use super::staffing::planned_capacity_per_day;
use super::transition::Timeline;
use crate::model::{
    AgencyLine, ByGrade, Centre, Grade, Harmonisation, Learning, MONTHS_PER_YEAR, Mechanism,
    Scenario, SpanOfControl, Staffing, Switches, Team,
};
use crate::model::{ContactWork, Draws, Work};

/// What a team must be able to handle each year, with and without variance
/// pooling.
#[derive(Clone, Debug)]
pub enum Requirement {
    /// A queue line's daily capacity.
    Queue {
        /// Planned on the team's combined demand (variance pooling on).
        pooled_per_day: Vec<f64>,
        /// The sum of what each member agency would need alone (variance pooling off).
        separate_per_day: Vec<f64>,
    },
    /// A contact line's calls per hour.
    Contact(ContactRequirement),
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
    /// Share of each month's contacts answered in time (contact lines).
    pub answered_share_by_month: Option<[f64; MONTHS_PER_YEAR]>,
    /// Spending on the team's harmonisation project this year, USD.
    pub harmonisation_cost_usd: f64,
    /// Share of the year its staff are on payroll (1 for a team in place).
    pub payroll_share: f64,
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
pub(super) struct Requirements<'a> {
    scenario: &'a Scenario,
    draws: &'a Draws,
    /// The requirements computed so far.
    known: Vec<Requirement>,
    /// For each service line, the position in `known` of each member set's.
    positions: Vec<HashMap<Vec<usize>, usize>>,
}

impl<'a> Requirements<'a> {
    /// None known yet, for one replication's draws.
    pub(super) fn new(scenario: &'a Scenario, draws: &'a Draws) -> Self {
        Requirements {
            scenario,
            draws,
            known: Vec::new(),
            positions: vec![HashMap::new(); scenario.service_lines.len()],
        }
    }

    /// What the team of `members` in `service_line` needs each year.
    pub(super) fn get(&mut self, service_line: usize, members: &[usize]) -> &Requirement {
        let i = self.index(service_line, members);
        &self.known[i]
    }

    /// Position in `known` of the requirement of `members` in `service_line`,
    /// computed if it is not known yet.
    fn index(&mut self, service_line: usize, members: &[usize]) -> usize {
        if let Some(&i) = self.positions[service_line].get(members) {
            return i;
        }
        let requirement = self.compute(service_line, members);
        self.known.push(requirement);
        let i = self.known.len() - 1;
        self.positions[service_line].insert(members.to_vec(), i);
        i
    }

    fn compute(&mut self, service_line: usize, members: &[usize]) -> Requirement {
        let scenario = self.scenario;
        let draws = self.draws;
        let years = scenario.settings.horizon_years;
        let line = &scenario.service_lines[service_line];
        let demand: Vec<&AgencyLine> = members
            .iter()
            .map(|&a| {
                scenario.agencies[a].lines[service_line]
                    .as_ref()
                    .expect("teams only hold members with work in their line")
            })
            .collect();
        let queue = match &line.work {
            Work::Queue(queue) => queue,
            Work::Contact(work) => {
                let members: Vec<Vec<HourlyRates>> = members
                    .iter()
                    .zip(&demand)
                    .map(|(&a, d)| {
                        (0..years)
                            .map(|y| {
                                agency_rates(scenario, &scenario.agencies[a], d, work, draws, y)
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
        let pooled_per_day: Vec<f64> = (0..years)
            .map(|year| {
                peak_month_capacity(
                    &demand,
                    draws,
                    year,
                    scenario.settings.working_days_per_year,
                    common_shape,
                    |m, v| planned_capacity_per_day(m, v, queue.target_days, queue.target_share),
                )
            })
            .collect();
        let separate_per_day = if members.len() == 1 {
            pooled_per_day.clone()
        } else {
            // Each member alone: its own one-member team's requirement.
            let alone: Vec<usize> = members
                .iter()
                .map(|&a| self.index(service_line, &[a]))
                .collect();
            let alone: Vec<&[f64]> = alone
                .iter()
                .map(|&i| match &self.known[i] {
                    Requirement::Queue { pooled_per_day, .. } => pooled_per_day.as_slice(),
                    Requirement::Contact(_) => unreachable!("a queue line's member is a queue"),
                })
                .collect();
            (0..years as usize)
                .map(|y| alone.iter().map(|a| a[y]).sum())
                .collect()
        };
        Requirement::Queue {
            pooled_per_day,
            separate_per_day,
        }
    }
}

/// The largest monthly capacity `rule(mean, variance)` over the months of
/// `year`, for the combined demand of `members`. Daily counts of two
/// negative binomial members covary through the line's shared shock:
/// `cov = μ_a·μ_b·k / (r_a·r_b)`.
fn peak_month_capacity(
    members: &[&AgencyLine],
    draws: &Draws,
    year: u32,
    working_days_per_year: u32,
    common_shape: f64,
    rule: impl Fn(f64, f64) -> f64,
) -> f64 {
    // Months with the same demand (equal seasonal weights) share one solution.
    let mut solved = [(0.0, 0.0, 0.0); MONTHS_PER_YEAR];
    let mut distinct = 0;
    let mut peak: f64 = 0.0;
    // What does not change from month to month, once per member.
    let members: Vec<(&AgencyLine, f64, Option<f64>)> = members
        .iter()
        .map(|d| (*d, d.annual_mean(draws, year), d.dispersion(draws)))
        .collect();
    // Every month has working days: a year has at least 12 of them (validated).
    for month in 0..MONTHS_PER_YEAR {
        let (mut mean, mut variance) = (0.0, 0.0);
        // Σ μ_a/r_a and Σ (μ_a/r_a)²: k·((Σ)² − Σ²) is the sum of the cross terms.
        let (mut shock, mut shock_squares) = (0.0, 0.0);
        for &(demand, annual_mean, dispersion) in &members {
            let m = demand.daily_mean_of(annual_mean, month, working_days_per_year);
            mean += m;
            variance += demand.daily_variance(draws, m);
            if let Some(r) = dispersion {
                shock += m / r;
                shock_squares += (m / r) * (m / r);
            }
        }
        if members.len() > 1 && common_shape > 0.0 {
            variance += common_shape * (shock * shock - shock_squares);
        }
        let capacity = match solved[..distinct]
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
        };
        peak = peak.max(capacity);
    }
    peak
}

/// Staffs one team each year under `switches`. The staffing of a year is
/// what the team needs when it works the whole year; `payroll_share` says
/// how much of the year it is paid, and experience only grows while it works.
pub fn plan_team(
    scenario: &Scenario,
    centre: &Centre,
    team: &Team,
    draws: &Draws,
    requirement: &Requirement,
    switches: Switches,
    timeline: &Timeline,
) -> Vec<TeamYear> {
    let calendar = scenario.calendar();
    let staffer = TeamStaffer::new(scenario, centre, team, draws, switches);
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
            let (effort, harmonisation_cost_usd) =
                staffer.effort(year, experience_fte_years + year_experience / 2.0);
            experience_fte_years += year_experience;
            let pooling = switches.is_on(Mechanism::VariancePooling);
            let (processing_total, processing_fte, capacity_per_day, answered_share_by_month) =
                match (&team.staffing, requirement) {
                    (
                        Staffing::Planned { grade_mix },
                        Requirement::Queue {
                            pooled_per_day,
                            separate_per_day,
                        },
                    ) => {
                        let needed = if pooling {
                            pooled_per_day
                        } else {
                            separate_per_day
                        }[year as usize];
                        let total = staffer.planned_fte(needed, effort);
                        (
                            total,
                            split(total, grade_mix, staffer.integer),
                            staffer.capacity_per_day(total, effort),
                            None,
                        )
                    }
                    (Staffing::Planned { grade_mix }, Requirement::Contact(calls)) => {
                        let line = &scenario.service_lines[team.service_line];
                        let Work::Contact(work) = &line.work else {
                            unreachable!("a contact requirement is of a contact line")
                        };
                        let desk = staffer.desk(work, calls, year as usize, effort, pooling);
                        (
                            desk.fte,
                            split(desk.fte, grade_mix, staffer.integer),
                            0.0,
                            Some(desk.answered_share_by_month),
                        )
                    }
                    (Staffing::Fixed { fte }, requirement) => {
                        let table = ByGrade::from_fn(|g| draws.value(fte[g]));
                        let answered =
                            match (requirement, &scenario.service_lines[team.service_line].work) {
                                (Requirement::Contact(calls), Work::Contact(work)) => {
                                    Some(staffer.fixed_desk(
                                        work,
                                        calls,
                                        year as usize,
                                        effort,
                                        table.total(),
                                    ))
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
            TeamYear {
                processing_fte,
                supervision_fte: staffer.supervision(processing_total),
                capacity_per_day,
                answered_share_by_month,
                harmonisation_cost_usd,
                payroll_share: calendar.share_of_year(
                    year,
                    timeline.payroll_from_month,
                    f64::INFINITY,
                ),
            }
        })
        .collect()
}

/// A contact desk's staffing in one year.
struct Desk {
    fte: f64,
    answered_share_by_month: [f64; MONTHS_PER_YEAR],
}

/// What stays the same for a team across the years of a plan.
struct TeamStaffer<'a> {
    draws: &'a Draws,
    experienced: bool,
    standard_effort: f64,
    productive_minutes: f64,
    working_minutes: f64,
    fte_years_per_transaction: f64,
    learning: Option<&'a Learning>,
    /// Scale elasticity and reference team size, with learning and scale on.
    scale: Option<(f64, f64)>,
    span: Option<&'a SpanOfControl>,
    supervisor_grade_mix: Option<&'a ByGrade<f64>>,
    integer: bool,
    harmonisation: Option<&'a Harmonisation>,
    additional_agencies: f64,
}

impl<'a> TeamStaffer<'a> {
    fn new(
        scenario: &'a Scenario,
        centre: &'a Centre,
        team: &Team,
        draws: &'a Draws,
        switches: Switches,
    ) -> Self {
        let settings = &scenario.settings;
        let mechanisms = &scenario.mechanisms;
        let standard_effort = scenario.service_lines[team.service_line].effort_minutes(draws);
        let productive_minutes = settings.productive_minutes_per_fte_day(draws);
        let learning = mechanisms
            .learning
            .as_ref()
            .filter(|_| switches.is_on(Mechanism::LearningAndScale));
        let span = mechanisms
            .span_of_control
            .as_ref()
            .filter(|_| switches.is_on(Mechanism::SpanOfControl));
        let additional_agencies = team.members.len() as f64 - 1.0;
        TeamStaffer {
            draws,
            experienced: centre.existing,
            standard_effort,
            productive_minutes,
            working_minutes: draws.value(settings.working_minutes_per_day),
            fte_years_per_transaction: standard_effort
                / (productive_minutes * f64::from(settings.working_days_per_year)),
            learning,
            scale: learning.map(|l| {
                (
                    draws.value(l.scale_elasticity),
                    draws.value(l.reference_team_fte),
                )
            }),
            span,
            supervisor_grade_mix: centre.supervisor_grade_mix.as_ref(),
            integer: span.is_some_and(|s| s.integer_staffing),
            harmonisation: mechanisms
                .harmonisation
                .as_ref()
                .filter(|_| switches.is_on(Mechanism::Harmonisation) && additional_agencies > 0.0),
            additional_agencies,
        }
    }

    /// Minutes per transaction in `year` (learning and harmonisation
    /// included), and the year's harmonisation spending.
    fn effort(&self, year: u32, experience_fte_years: f64) -> (f64, f64) {
        let learning = match self.learning {
            Some(l) if !self.experienced => learning_factor(l, self.draws, experience_fte_years),
            _ => 1.0,
        };
        let (harmonisation, cost) = match self.harmonisation {
            Some(h) => harmonisation_effect(h, self.draws, year, self.additional_agencies),
            None => (1.0, 0.0),
        };
        (self.standard_effort * learning * harmonisation, cost)
    }

    /// Processing FTE for a capacity requirement. With a scale elasticity ε
    /// the effort itself depends on the team's size, `(FTE/ref)^(−ε)`, and
    /// the FTE delivering the requirement solve `FTE = ref·(FTE₀/ref)^(1/(1+ε))`.
    fn planned_fte(&self, capacity_per_day: f64, effort: f64) -> f64 {
        let needed = capacity_per_day * effort / self.productive_minutes;
        let total = match self.scale {
            Some((elasticity, reference)) if needed > 0.0 => {
                reference * (needed / reference).powf(1.0 / (1.0 + elasticity))
            }
            _ => needed,
        };
        if self.integer {
            whole_people(total)
        } else {
            total
        }
    }

    /// Transactions a day that `processing_fte` deliver at this effort.
    fn capacity_per_day(&self, processing_fte: f64, effort: f64) -> f64 {
        if processing_fte <= 0.0 {
            return 0.0;
        }
        let scale_factor = self.scale.map_or(1.0, |(elasticity, reference)| {
            (processing_fte / reference).powf(-elasticity)
        });
        processing_fte * self.productive_minutes / (effort * scale_factor)
    }

    /// A contact desk's agents, FTE and answered share in `year`, with the
    /// handle time at `effort_minutes` (learning and harmonisation included).
    /// Pooled, one desk takes all members' calls; apart, each member's calls
    /// get their own agents, and the answered share is that of all desks. The scale elasticity does not apply: the Erlang
    /// formulas carry a desk's economies of scale.
    fn desk(
        &self,
        work: &ContactWork,
        calls: &ContactRequirement,
        year: usize,
        effort_minutes: f64,
        pooling: bool,
    ) -> Desk {
        let desk = calls.staff(work, self.draws, year, effort_minutes * 60.0, pooling);
        let mut fte = fte_for_agent_hours(
            desk.agent_hours,
            self.working_minutes,
            self.draws.value(work.shrinkage_share),
        );
        if self.integer {
            fte = whole_people(fte);
        }
        Desk {
            fte,
            answered_share_by_month: desk.answered_share_by_month,
        }
    }

    /// The answered share of each month of a desk with a fixed `fte`: its
    /// agents' hours on the phones are rostered over the day in proportion
    /// to the year's calls in each hour, in whole agent-hours.
    fn fixed_desk(
        &self,
        work: &ContactWork,
        calls: &ContactRequirement,
        year: usize,
        effort_minutes: f64,
        fte: f64,
    ) -> [f64; MONTHS_PER_YEAR] {
        let rates = &calls.pooled[year];
        let agent_hours = agent_hours_of_fte(
            fte,
            self.working_minutes,
            self.draws.value(work.shrinkage_share),
        );
        let staffed = roster(agent_hours, rates);
        answered_share_by_month(work, self.draws, effort_minutes * 60.0, &staffed, rates)
    }

    /// Supervisors and team leads for `processing_fte`, by grade.
    fn supervision(&self, processing_fte: f64) -> ByGrade<f64> {
        match self.span {
            Some(s) if processing_fte > 0.0 => {
                let mut supervisors = (processing_fte / self.draws.value(s.staff_per_supervisor))
                    .max(s.minimum_supervisors_per_team);
                if self.integer {
                    supervisors = whole_people(supervisors);
                }
                split(
                    supervisors,
                    self.supervisor_grade_mix.unwrap_or(&s.supervisor_grade_mix),
                    self.integer,
                )
            }
            _ => ByGrade::default(),
        }
    }
}

/// Effort multiple of a new team with `experience` FTE-years of standard work
/// behind it: `max(1, f0 · rate^log2(1 + experience / reference))` — the
/// initial multiple falls by the learning rate with each doubling of
/// experience, down to the trained standard.
pub fn learning_factor(learning: &Learning, draws: &Draws, experience_fte_years: f64) -> f64 {
    let initial = draws.value(learning.initial_effort_factor);
    let rate = draws.value(learning.learning_rate);
    let reference = draws.value(learning.reference_experience_fte_years);
    let doublings = (1.0 + experience_fte_years / reference).log2();
    (initial * rate.powf(doublings)).max(1.0)
}

/// The effort multiple of a team serving `additional_agencies + 1` rule sets
/// in `year`, and its harmonisation spending that year. The penalty
/// `1 + p·(k − 1)` applies in full until the project ends, then only its
/// remaining share; the project's cost is spread evenly over its years.
pub fn harmonisation_effect(
    h: &Harmonisation,
    draws: &Draws,
    year: u32,
    additional_agencies: f64,
) -> (f64, f64) {
    let penalty = draws.value(h.penalty_per_additional_agency) * additional_agencies;
    let remaining = if year >= h.project_years {
        draws.value(h.remaining_penalty_share)
    } else {
        1.0
    };
    let project_years = h.project_years.max(1);
    let cost = if year < project_years {
        draws.value(h.project_cost_usd_per_additional_agency) * additional_agencies
            / f64::from(project_years)
    } else {
        0.0
    };
    (1.0 + penalty * remaining, cost)
}

/// Whole people: rounds up, ignoring floating-point dust above a whole number.
fn whole_people(fte: f64) -> f64 {
    (fte - 1e-9).ceil().max(0.0)
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
    use crate::model::{Harmonisation, Learning, Param};

    fn learning(initial: f64, rate: f64, reference: f64) -> Learning {
        Learning {
            initial_effort_factor: Param::Fixed(initial),
            learning_rate: Param::Fixed(rate),
            reference_experience_fte_years: Param::Fixed(reference),
            scale_elasticity: Param::Fixed(0.0),
            reference_team_fte: Param::Fixed(1.0),
        }
    }

    #[test]
    fn learning_falls_by_the_rate_per_doubling_down_to_the_standard() {
        let l = learning(1.6, 0.8, 10.0);
        assert_eq!(learning_factor(&l, &Draws::default(), 0.0), 1.6);
        // 10 FTE-years: one doubling → 1.6 × 0.8.
        assert!((learning_factor(&l, &Draws::default(), 10.0) - 1.28).abs() < 1e-12);
        // 30: two doublings → 1.6 × 0.64 = 1.024.
        assert!((learning_factor(&l, &Draws::default(), 30.0) - 1.024).abs() < 1e-12);
        // 70: three doublings → 0.8192, floored at 1.
        assert_eq!(learning_factor(&l, &Draws::default(), 70.0), 1.0);
    }

    #[test]
    fn harmonisation_penalty_drops_when_the_project_ends() {
        let h = Harmonisation {
            penalty_per_additional_agency: Param::Fixed(0.1),
            project_cost_usd_per_additional_agency: Param::Fixed(300.0),
            project_years: 2,
            remaining_penalty_share: Param::Fixed(0.25),
        };
        // Three agencies: penalty 0.2, cost 600 over two years.
        assert_eq!(
            harmonisation_effect(&h, &Draws::default(), 0, 2.0),
            (1.2, 300.0)
        );
        assert_eq!(
            harmonisation_effect(&h, &Draws::default(), 1, 2.0),
            (1.2, 300.0)
        );
        assert_eq!(
            harmonisation_effect(&h, &Draws::default(), 2, 2.0),
            (1.05, 0.0)
        );
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

    #[test]
    fn whole_people_round_up_but_not_for_rounding_dust() {
        assert_eq!(whole_people(2.3), 3.0);
        assert_eq!(whole_people(3.000_000_000_01), 3.0);
        assert_eq!(whole_people(0.0), 0.0);
    }
}
