//! Service: each team works its queue with the capacity its plan gives it,
//! so the share of transactions completed on time is measured. A contact
//! team answers each day's calls as they come, at the share its Erlang
//! staffing gives for the month. While a strategy's move is under way,
//! headquarters units keep the work that has not gone live yet.

use super::plan::TeamYear;
use super::queue::AgedBacklog;
use super::strategy::{LegacyUnit, StrategyPlan, TeamPlan};
use crate::model::{Scenario, Strategy, Team, Work, month_of_day};
use crate::sample::Arrivals;

/// How well work was served, in transactions.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct ServiceTotals {
    /// Transactions that arrived.
    pub arrived: f64,
    /// Completed within the service-level target.
    pub on_time: f64,
    /// Completed after the target.
    pub late: f64,
    /// Still waiting at the end of the horizon, already past the target.
    pub overdue_at_end: f64,
}

impl ServiceTotals {
    /// Transactions whose outcome is known: completed, or certain to be late.
    pub fn resolved(&self) -> f64 {
        self.on_time + self.late + self.overdue_at_end
    }

    /// Adds another team's totals.
    pub fn add(&mut self, other: &ServiceTotals) {
        self.arrived += other.arrived;
        self.on_time += other.on_time;
        self.late += other.late;
        self.overdue_at_end += other.overdue_at_end;
    }

    /// The sum of yearly totals.
    pub fn sum(years: &[ServiceTotals]) -> ServiceTotals {
        let mut total = ServiceTotals::default();
        years.iter().for_each(|y| total.add(y));
        total
    }
}

/// Runs every queue of a strategy over the horizon: its centres' teams from
/// their go-live, and the headquarters units before it. Returns the service
/// of each year (arrivals by the day they arrive, completions by the day
/// they are completed).
pub fn serve_strategy(
    scenario: &Scenario,
    strategy: &Strategy,
    plan: &StrategyPlan,
    arrivals: &Arrivals,
) -> Vec<ServiceTotals> {
    let mut years = vec![ServiceTotals::default(); scenario.settings.horizon_years as usize];
    for (centre, teams) in strategy.centres.iter().zip(&plan.teams) {
        for (team, team_plan) in centre.teams.iter().zip(teams) {
            serve_team(scenario, team, team_plan, arrivals, &mut years);
        }
    }
    for unit in &plan.legacy {
        serve_legacy(scenario, unit, arrivals, &mut years);
    }
    years
}

/// One queue over the horizon: `arrived(day)` joins it each day of `days`
/// and `capacity(year, day)` works it, oldest first; on the `idle_days`
/// after them nothing arrives and nothing is done.
fn serve_queue(
    target_days: u32,
    days_per_year: usize,
    (days, idle_days): (std::ops::Range<usize>, usize),
    arrived: impl Fn(usize) -> f64,
    capacity: impl Fn(usize, usize) -> f64,
    years: &mut [ServiceTotals],
) {
    let mut backlog = AgedBacklog::new(target_days);
    // Year by year, so that each day's year is known without a division.
    for (year, totals) in years.iter_mut().enumerate() {
        let first = days.start.max(year * days_per_year);
        let end = days.end.min((year + 1) * days_per_year);
        for day in first..end {
            let new = arrived(day);
            let done = backlog.work_day(new, capacity(year, day));
            totals.arrived += new;
            totals.on_time += done.on_time;
            totals.late += done.late;
        }
    }
    // Idle days complete nothing: they only age the work left waiting.
    backlog.idle(idle_days);
    if let Some(last) = years.last_mut() {
        last.overdue_at_end += backlog.overdue();
    }
}

/// Contacts are answered the day they arrive, at the answered share the
/// desk's staffing gives in that month; none are left at the end.
fn serve_contacts(
    days_per_year: usize,
    days: std::ops::Range<usize>,
    arrived: impl Fn(usize) -> f64,
    plan_years: &[TeamYear],
    years: &mut [ServiceTotals],
) {
    for day in days {
        let year = day / days_per_year;
        let new = arrived(day);
        let share = plan_years[year]
            .answered_share_by_month
            .map_or(0.0, |s| s[month_of_day(day % days_per_year, days_per_year)]);
        let totals = &mut years[year];
        totals.arrived += new;
        totals.on_time += new * share;
        totals.late += new * (1.0 - share);
    }
}

fn serve_team(
    scenario: &Scenario,
    team: &Team,
    plan: &TeamPlan,
    arrivals: &Arrivals,
    years: &mut [ServiceTotals],
) {
    let days_per_year = scenario.settings.working_days_per_year as usize;
    let series: Vec<&[f64]> = team
        .members
        .iter()
        .map(|&a| arrivals.series(a, team.service_line))
        .collect();
    let days = plan.go_live_day..scenario.settings.horizon_days();
    let arrived = |day: usize| series.iter().map(|s| s[day]).sum();
    match &scenario.service_lines[team.service_line].work {
        Work::Queue(queue) => serve_queue(
            queue.target_days,
            days_per_year,
            (days, 0),
            arrived,
            |year, day| plan.capacity_in_year(year, day),
            years,
        ),
        Work::Contact(_) => serve_contacts(days_per_year, days, arrived, &plan.years, years),
    }
}

fn serve_legacy(
    scenario: &Scenario,
    unit: &LegacyUnit,
    arrivals: &Arrivals,
    years: &mut [ServiceTotals],
) {
    let days_per_year = scenario.settings.working_days_per_year as usize;
    let series = arrivals.series(unit.agency, unit.service_line);
    // Once the unit neither receives work nor works, its days are idle.
    let horizon_days = scenario.settings.horizon_days();
    let active_until = unit
        .receives_until_day
        .max(unit.works_until_day)
        .min(horizon_days);
    match &scenario.service_lines[unit.service_line].work {
        Work::Queue(queue) => serve_queue(
            queue.target_days,
            days_per_year,
            (0..active_until, horizon_days - active_until),
            |day| {
                if day < unit.receives_until_day {
                    series[day]
                } else {
                    0.0
                }
            },
            |year, day| {
                if day < unit.works_until_day {
                    unit.years[year].capacity_per_day
                } else {
                    0.0
                }
            },
            years,
        ),
        Work::Contact(_) => serve_contacts(
            days_per_year,
            0..unit.receives_until_day,
            |day| series[day],
            &unit.years,
            years,
        ),
    }
}
