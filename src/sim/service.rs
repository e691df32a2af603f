//! Service: each team works its queue with the capacity its plan gives it,
//! so the share of transactions completed on time is measured.

use super::plan::TeamYear;
use super::queue::AgedBacklog;
use crate::model::{Centre, Scenario, Team};
use crate::sample::Arrivals;

/// How well work was served over the horizon, in transactions.
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
}

/// Runs every team of a centre over the horizon with its planned capacity.
pub fn serve_centre(
    scenario: &Scenario,
    centre: &Centre,
    plans: &[Vec<TeamYear>],
    arrivals: &Arrivals,
) -> ServiceTotals {
    let mut totals = ServiceTotals::default();
    for (team, plan) in centre.teams.iter().zip(plans) {
        totals.add(&serve_team(scenario, team, plan, arrivals));
    }
    totals
}

/// Runs one team's queue: each working day its members' arrivals join the
/// queue and the year's capacity works it, oldest first.
fn serve_team(
    scenario: &Scenario,
    team: &Team,
    plan: &[TeamYear],
    arrivals: &Arrivals,
) -> ServiceTotals {
    let line = &scenario.service_lines[team.service_line];
    let days_per_year = scenario.settings.working_days_per_year as usize;
    let series: Vec<&[f64]> = team
        .members
        .iter()
        .map(|&a| arrivals.series(a, team.service_line))
        .collect();
    let mut backlog = AgedBacklog::new(line.target_days);
    let mut service = ServiceTotals::default();
    for (year, staffing) in plan.iter().enumerate() {
        for day in year * days_per_year..(year + 1) * days_per_year {
            let arrived: f64 = series.iter().map(|s| s[day]).sum();
            let done = backlog.work_day(arrived, staffing.capacity_per_day);
            service.arrived += arrived;
            service.on_time += done.on_time;
            service.late += done.late;
        }
    }
    service.overdue_at_end = backlog.overdue();
    service
}
