//! The centre atom: one location serving some agencies for some service lines,
//! simulated for one replication. Strategies, and everything built on them,
//! are sums of centres.

use super::cost::staff_cost_usd;
use super::queue::AgedBacklog;
use super::staffing::{capacity_of_fte, fte_for_capacity, planned_capacity_per_day};
use crate::model::{ByGrade, Centre, MONTHS_PER_YEAR, Scenario, Staffing, Team};
use crate::sample::Arrivals;

/// One year of a centre (or of a whole strategy).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct YearOutcome {
    /// Processing staff by grade.
    pub fte: ByGrade<f64>,
    /// Staff cost, USD.
    pub staff_cost_usd: f64,
    /// Premises cost, USD.
    pub premises_cost_usd: f64,
    /// Fixed running costs of centres and sites, USD.
    pub fixed_cost_usd: f64,
}

impl YearOutcome {
    /// Everything the year cost, USD.
    pub fn total_cost_usd(&self) -> f64 {
        self.staff_cost_usd + self.premises_cost_usd + self.fixed_cost_usd
    }

    /// Adds another centre's year to this one.
    pub fn add(&mut self, other: &YearOutcome) {
        for (grade, fte) in other.fte.iter() {
            self.fte[grade] += fte;
        }
        self.staff_cost_usd += other.staff_cost_usd;
        self.premises_cost_usd += other.premises_cost_usd;
        self.fixed_cost_usd += other.fixed_cost_usd;
    }
}

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

/// A centre's outcome in one replication.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CentreOutcome {
    /// One entry per year of the horizon.
    pub years: Vec<YearOutcome>,
    /// Service over the whole horizon.
    pub service: ServiceTotals,
}

/// Simulates one centre over the horizon on one replication's draws.
pub fn simulate_centre(
    scenario: &Scenario,
    centre: &Centre,
    inputs: &[f64],
    arrivals: &Arrivals,
) -> CentreOutcome {
    let settings = &scenario.settings;
    let location = &scenario.locations[centre.location];
    let mut outcome = CentreOutcome {
        years: vec![YearOutcome::default(); settings.horizon_years as usize],
        service: ServiceTotals::default(),
    };
    for team in &centre.teams {
        outcome.service.add(&simulate_team(
            scenario,
            team,
            inputs,
            arrivals,
            &mut outcome.years,
        ));
    }
    let premises = location.premises_usd_per_fte_per_year.value(inputs);
    let fixed = centre.fixed_cost_usd_per_year.value(inputs);
    for (year, y) in outcome.years.iter_mut().enumerate() {
        y.staff_cost_usd = staff_cost_usd(location, &y.fte, inputs, year as u32);
        y.premises_cost_usd = y.fte.total() * premises;
        y.fixed_cost_usd = fixed;
    }
    outcome
}

/// Runs one team's queue over the horizon, adding its staff to `years`.
fn simulate_team(
    scenario: &Scenario,
    team: &Team,
    inputs: &[f64],
    arrivals: &Arrivals,
    years: &mut [YearOutcome],
) -> ServiceTotals {
    let settings = &scenario.settings;
    let line = &scenario.service_lines[team.service_line];
    let effort = line.effort_minutes_per_transaction.value(inputs);
    let productive_minutes = settings.productive_minutes_per_fte_day(inputs);
    let days_per_year = settings.working_days_per_year as usize;
    let series: Vec<&[f64]> = team
        .members
        .iter()
        .map(|&a| arrivals.series(a, team.service_line))
        .collect();

    let mut backlog = AgedBacklog::new(line.target_days);
    let mut service = ServiceTotals::default();
    for (year, outcome) in years.iter_mut().enumerate() {
        let fte = match &team.staffing {
            Staffing::Planned { grade_mix } => {
                let capacity = peak_month_capacity(scenario, team, inputs, year as u32);
                let total = fte_for_capacity(capacity, effort, productive_minutes);
                ByGrade::from_fn(|g| total * grade_mix[g])
            }
            Staffing::Fixed { fte } => ByGrade::from_fn(|g| fte[g].value(inputs)),
        };
        let capacity = capacity_of_fte(fte.total(), effort, productive_minutes);
        for (grade, f) in fte.iter() {
            outcome.fte[grade] += f;
        }
        for day in year * days_per_year..(year + 1) * days_per_year {
            let arrived: f64 = series.iter().map(|s| s[day]).sum();
            let done = backlog.work_day(arrived, capacity);
            service.arrived += arrived;
            service.on_time += done.on_time;
            service.late += done.late;
        }
    }
    service.overdue_at_end = backlog.overdue();
    service
}

/// The capacity a planned team needs in `year`: the planning rule applied to
/// the team's combined demand in each month, taking the busiest month.
fn peak_month_capacity(scenario: &Scenario, team: &Team, inputs: &[f64], year: u32) -> f64 {
    let line = &scenario.service_lines[team.service_line];
    let days = scenario.settings.working_days_per_year;
    // Months with the same demand (equal seasonal weights) share one solution.
    let mut solved: [(f64, f64, f64); MONTHS_PER_YEAR] = [(0.0, 0.0, 0.0); MONTHS_PER_YEAR];
    let mut distinct = 0;
    let mut peak: f64 = 0.0;
    // Every month has working days: a year has at least 12 of them (validated).
    for month in 0..MONTHS_PER_YEAR {
        let (mut mean, mut variance) = (0.0, 0.0);
        for &a in &team.members {
            let demand = scenario.agencies[a].lines[team.service_line]
                .as_ref()
                .expect("teams only hold members with work in their line");
            let m = demand.daily_mean(inputs, year, month, days);
            mean += m;
            variance += demand.daily_variance(inputs, m);
        }
        let capacity = match solved[..distinct]
            .iter()
            .find(|s| s.0 == mean && s.1 == variance)
        {
            Some(s) => s.2,
            None => {
                let c =
                    planned_capacity_per_day(mean, variance, line.target_days, line.target_share);
                solved[distinct] = (mean, variance, c);
                distinct += 1;
                c
            }
        };
        peak = peak.max(capacity);
    }
    peak
}
