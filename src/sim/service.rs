//! Service: each team works its queue with the capacity its plan gives it,
//! so the share of transactions completed on time is measured. A contact
//! team answers each day's calls as they come, at the share its Erlang
//! staffing gives for the month. While a strategy's move is under way,
//! headquarters units keep the work that has not gone live yet.

use super::plan::TeamYear;
use std::collections::HashMap;

use super::queue::{AgedBacklog, DayResult};
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
    for queue in queues(strategy, plan) {
        serve(scenario, queue, arrivals, &mut years, |_, _| ());
    }
    years
}

/// Serves every strategy of the scenario on the replication's arrivals,
/// `plans[i]` being strategy `i`'s, as [`serve_strategy`] would one by one.
///
/// Strategies share many queues: a co-located centre's teams are the solo
/// centre's, with the same staff and go-lives, and the headquarters units
/// of strategies that move work on the same dates are the same. A queue
/// met more than once ([`queue_key`]) runs once, its daily results are
/// recorded, and later strategies add the recorded results to their totals
/// day by day, in the order their own run would have: the totals are the
/// same to the bit.
pub fn serve_strategies(
    scenario: &Scenario,
    plans: &[StrategyPlan],
    arrivals: &Arrivals,
    shared: &mut SharedQueues,
) -> Vec<Vec<ServiceTotals>> {
    shared.clear();
    let keys: Vec<Vec<Option<Vec<u64>>>> = scenario
        .strategies
        .iter()
        .zip(plans)
        .map(|(strategy, plan)| {
            queues(strategy, plan)
                .map(|q| queue_key(scenario, q))
                .collect()
        })
        .collect();
    let mut seen: HashMap<&[u64], usize> = HashMap::new();
    for key in keys.iter().flatten().flatten() {
        *seen.entry(key).or_default() += 1;
    }
    for (key, times) in seen {
        if times > 1 {
            shared.positions.insert(key.to_vec(), None);
        }
    }
    let days_per_year = scenario.settings.working_days_per_year as usize;
    scenario
        .strategies
        .iter()
        .zip(plans)
        .zip(&keys)
        .map(|((strategy, plan), keys)| {
            let mut years =
                vec![ServiceTotals::default(); scenario.settings.horizon_years as usize];
            for (queue, key) in queues(strategy, plan).zip(keys) {
                let Some(key) = key.as_ref().filter(|k| shared.positions.contains_key(*k))
                else {
                    serve(scenario, queue, arrivals, &mut years, |_, _| ());
                    continue;
                };
                match shared.positions[key] {
                    Some(recorded) => shared.records[recorded].replay(days_per_year, &mut years),
                    None => {
                        let recorded = shared.record(scenario, queue, arrivals, &mut years);
                        shared.positions.insert(key.clone(), Some(recorded));
                    }
                }
            }
            years
        })
        .collect()
}

/// Queues that several strategies of a replication share, and their daily
/// results. Kept from one replication to the next to reuse its buffers.
#[derive(Clone, Debug, Default)]
pub struct SharedQueues {
    /// Keys of the queues met more than once, and where their results are
    /// recorded once they have run.
    positions: HashMap<Vec<u64>, Option<usize>>,
    /// Recorded queues; the first `used` are this replication's.
    records: Vec<QueueRecord>,
    used: usize,
}

impl SharedQueues {
    fn clear(&mut self) {
        self.positions.clear();
        self.used = 0;
    }

    /// Runs `queue`, adding its results to `years` and recording them;
    /// returns the record's position.
    fn record(
        &mut self,
        scenario: &Scenario,
        queue: Queue,
        arrivals: &Arrivals,
        years: &mut [ServiceTotals],
    ) -> usize {
        if self.used == self.records.len() {
            self.records.push(QueueRecord::default());
        }
        let record = &mut self.records[self.used];
        record.days.clear();
        record.days.reserve(scenario.settings.horizon_days());
        record.first_day = match queue {
            Queue::Team(_, plan) => plan.go_live_day,
            Queue::Legacy(_) => 0,
        };
        record.overdue_at_end = serve(scenario, queue, arrivals, years, |new, done| {
            record.days.push([new, done.on_time, done.late]);
        });
        self.used += 1;
        self.used - 1
    }
}

/// A queue's results on each day it ran, and its overdue work at the end.
#[derive(Clone, Debug, Default)]
struct QueueRecord {
    /// The first day it ran.
    first_day: usize,
    /// What arrived, was completed on time and late, each day from `first_day`.
    days: Vec<[f64; 3]>,
    /// Waiting work past its target at the end of the horizon.
    overdue_at_end: f64,
}

impl QueueRecord {
    /// Adds the recorded results to `years` as running the queue would.
    fn replay(&self, days_per_year: usize, years: &mut [ServiceTotals]) {
        let days = self.first_day..self.first_day + self.days.len();
        for (year, totals) in years.iter_mut().enumerate() {
            let first = days.start.max(year * days_per_year);
            let end = days.end.min((year + 1) * days_per_year);
            for day in first..end {
                let [new, on_time, late] = self.days[day - self.first_day];
                totals.arrived += new;
                totals.on_time += on_time;
                totals.late += late;
            }
        }
        if let Some(last) = years.last_mut() {
            last.overdue_at_end += self.overdue_at_end;
        }
    }
}

/// One queue of a strategy: a centre's team or a headquarters unit.
#[derive(Clone, Copy)]
enum Queue<'a> {
    Team(&'a Team, &'a TeamPlan),
    Legacy(&'a LegacyUnit),
}

/// A strategy's queues in the order they are served: its centres' teams,
/// then its headquarters units.
fn queues<'a>(strategy: &'a Strategy, plan: &'a StrategyPlan) -> impl Iterator<Item = Queue<'a>> {
    let teams = strategy
        .centres
        .iter()
        .zip(&plan.teams)
        .flat_map(|(centre, plans)| centre.teams.iter().zip(plans))
        .map(|(team, plan)| Queue::Team(team, plan));
    teams.chain(plan.legacy.iter().map(Queue::Legacy))
}

/// Everything a queue's results depend on besides the scenario and the
/// arrivals, as bits: whose work of which line it takes, the days it
/// takes work and works, its capacity each year and its bad go-live. Equal
/// keys, equal results. Contact lines, cheap to serve, have none.
fn queue_key(scenario: &Scenario, queue: Queue) -> Option<Vec<u64>> {
    let service_line = match queue {
        Queue::Team(team, _) => team.service_line,
        Queue::Legacy(unit) => unit.service_line,
    };
    if !matches!(scenario.service_lines[service_line].work, Work::Queue(_)) {
        return None;
    }
    let mut bits = Vec::new();
    match queue {
        Queue::Team(team, plan) => {
            bits.extend([0, team.service_line as u64, team.members.len() as u64]);
            bits.extend(team.members.iter().map(|&a| a as u64));
            bits.push(plan.go_live_day as u64);
            match plan.disruption {
                None => bits.push(0),
                Some(d) => bits.extend([
                    1,
                    d.from_day as u64,
                    d.until_day as u64,
                    d.capacity_loss.to_bits(),
                    d.clearing_until_day as u64,
                    d.clearing_per_day.to_bits(),
                ]),
            }
            bits.extend(plan.years.iter().map(|y| y.capacity_per_day.to_bits()));
        }
        Queue::Legacy(unit) => {
            bits.extend([
                1,
                unit.service_line as u64,
                unit.agency as u64,
                unit.receives_until_day as u64,
                unit.works_until_day as u64,
            ]);
            bits.extend(unit.years.iter().map(|y| y.capacity_per_day.to_bits()));
        }
    }
    Some(bits)
}

/// Runs one queue over the horizon, adding its service to `years` and
/// handing each day's arrivals and completions to `on_day` (queue lines);
/// returns the work it leaves overdue at the end.
fn serve(
    scenario: &Scenario,
    queue: Queue,
    arrivals: &Arrivals,
    years: &mut [ServiceTotals],
    on_day: impl FnMut(f64, DayResult),
) -> f64 {
    match queue {
        Queue::Team(team, plan) => serve_team(scenario, team, plan, arrivals, years, on_day),
        Queue::Legacy(unit) => serve_legacy(scenario, unit, arrivals, years, on_day),
    }
}

/// One queue over the horizon: `arrived(day)` joins it each day of `days`
/// and `capacity(year, day)` works it, oldest first; on the `idle_days`
/// after them nothing arrives and nothing is done. Each day's arrivals and
/// completions go to `on_day`; returns the work overdue at the end.
fn serve_queue(
    target_days: u32,
    days_per_year: usize,
    (days, idle_days): (std::ops::Range<usize>, usize),
    arrived: impl Fn(usize) -> f64,
    capacity: impl Fn(usize, usize) -> f64,
    years: &mut [ServiceTotals],
    mut on_day: impl FnMut(f64, DayResult),
) -> f64 {
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
            on_day(new, done);
        }
    }
    // Idle days complete nothing: they only age the work left waiting.
    backlog.idle(idle_days);
    if let Some(last) = years.last_mut() {
        last.overdue_at_end += backlog.overdue();
    }
    backlog.overdue()
}

/// Contacts are answered the day they arrive, at the answered share the
/// desk's staffing gives in that month; none are left at the end.
fn serve_contacts(
    days_per_year: usize,
    days: std::ops::Range<usize>,
    arrived: impl Fn(usize) -> f64,
    plan_years: &[TeamYear],
    years: &mut [ServiceTotals],
) -> f64 {
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
    0.0
}

fn serve_team(
    scenario: &Scenario,
    team: &Team,
    plan: &TeamPlan,
    arrivals: &Arrivals,
    years: &mut [ServiceTotals],
    on_day: impl FnMut(f64, DayResult),
) -> f64 {
    let days_per_year = scenario.settings.working_days_per_year as usize;
    let series: Vec<&[f64]> = team
        .members
        .iter()
        .map(|&a| arrivals.series(a, team.service_line))
        .collect();
    let days = plan.go_live_day..scenario.settings.horizon_days();
    let capacity = |year, day| plan.capacity_in_year(year, day);
    match (&scenario.service_lines[team.service_line].work, &series[..]) {
        // The sum of one term is the term itself: the neutral element of
        // `Sum` for floats is -0.0.
        (Work::Queue(queue), [only]) => serve_queue(
            queue.target_days,
            days_per_year,
            (days, 0),
            |day| only[day],
            capacity,
            years,
            on_day,
        ),
        (Work::Queue(queue), all) => serve_queue(
            queue.target_days,
            days_per_year,
            (days, 0),
            |day| all.iter().map(|s| s[day]).sum(),
            capacity,
            years,
            on_day,
        ),
        (Work::Contact(_), all) => serve_contacts(
            days_per_year,
            days,
            |day| all.iter().map(|s| s[day]).sum(),
            &plan.years,
            years,
        ),
    }
}

fn serve_legacy(
    scenario: &Scenario,
    unit: &LegacyUnit,
    arrivals: &Arrivals,
    years: &mut [ServiceTotals],
    on_day: impl FnMut(f64, DayResult),
) -> f64 {
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
            on_day,
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
