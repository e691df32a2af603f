//! Service: each team works its queue with the capacity its plan gives it,
//! so the share of transactions completed on time is measured. A contact
//! team answers each day's calls as they come, at the share its Erlang
//! staffing gives for the month. While a strategy's move is under way,
//! headquarters units keep the work that has not gone live yet.

use super::plan::TeamYear;
use std::collections::HashMap;

use super::centre::TeamPlan;
use super::queue::AgedBacklog;
use super::strategy::{LegacyUnit, StrategyPlan};
use crate::model::{Centre, Scenario, Strategy, Team, Work, month_of_day};
use crate::sample::Arrivals;

/// One service line's queues (or contact desks) of a strategy in the last
/// year of the horizon, summed over its teams and headquarters units: the
/// raw figures of `lines.csv`.
#[derive(Clone, Copy, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct LineYear {
    /// Processing and supervision staff on payroll, FTE.
    pub fte: f64,
    /// Transactions that arrived.
    pub arrived: f64,
    /// Transactions completed within the target (contacts: answered in time).
    pub on_time: f64,
    /// Transactions completed after the target (contacts: not answered in
    /// time).
    pub late: f64,
    /// Work still waiting at the end of the horizon, already past the target.
    pub overdue_at_end: f64,
    /// Transactions the queues could have completed (0 for contact lines).
    pub capacity: f64,
    /// Working days the queues were live, summed over the queues.
    pub queue_days: f64,
    /// Of those, the days that ended with work waiting.
    pub backlog_days: f64,
    /// Work waiting at the end of each day, summed over days and queues,
    /// in transaction-days.
    pub backlog_transaction_days: f64,
    /// Calls that arrived at contact desks (0 for queue lines).
    pub calls: f64,
    /// Of those, the calls that hung up before an agent answered.
    pub abandoned: f64,
    /// The answered calls' waits, summed, seconds.
    pub answer_wait_seconds: f64,
}

impl LineYear {
    /// Adds another queue's figures.
    pub fn add(&mut self, other: &LineYear) {
        self.fte += other.fte;
        self.arrived += other.arrived;
        self.on_time += other.on_time;
        self.late += other.late;
        self.overdue_at_end += other.overdue_at_end;
        self.capacity += other.capacity;
        self.queue_days += other.queue_days;
        self.backlog_days += other.backlog_days;
        self.backlog_transaction_days += other.backlog_transaction_days;
        self.calls += other.calls;
        self.abandoned += other.abandoned;
        self.answer_wait_seconds += other.answer_wait_seconds;
    }
}

/// Every strategy's service: `years[strategy][year]`, and the last year of
/// each service line, `lines[strategy][line]`.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct Served {
    pub years: Vec<Vec<ServiceTotals>>,
    pub lines: Vec<Vec<LineYear>>,
}

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
    pub(crate) fn resolved(&self) -> f64 {
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

#[cfg(test)]
/// Runs every queue of a strategy over the horizon: its centres' teams from
/// their go-live, and the headquarters units before it. Returns the service
/// of each year (arrivals by the day they arrive, completions by the day
/// they are completed).
pub(crate) fn serve_strategy(
    scenario: &Scenario,
    strategy: &Strategy,
    plan: &StrategyPlan,
    arrivals: &Arrivals,
) -> Vec<ServiceTotals> {
    serve_alone(scenario, queues(strategy, plan), arrivals)
}

/// Runs the queues of one centre's teams, `teams` being their plans
/// ([`super::CentreOutcome::teams`]), over the horizon: the service of
/// each year, as [`serve_strategy`] for a strategy of that one centre.
pub(crate) fn serve_centre(
    scenario: &Scenario,
    centre: &Centre,
    teams: &[TeamPlan],
    arrivals: &Arrivals,
) -> Vec<ServiceTotals> {
    serve_alone(scenario, centre_queues(centre, teams), arrivals)
}

/// Runs `queues` one after the other into one set of yearly totals.
fn serve_alone<'a>(
    scenario: &Scenario,
    queues: impl Iterator<Item = Queue<'a>>,
    arrivals: &Arrivals,
) -> Vec<ServiceTotals> {
    let mut served = Served {
        years: vec![vec![
            ServiceTotals::default();
            scenario.settings.horizon_years as usize
        ]],
        lines: vec![vec![LineYear::default(); scenario.service_lines.len()]],
    };
    for queue in queues {
        serve(scenario, queue, arrivals, &mut served, &[0]);
    }
    served.years.pop().expect("one strategy's years")
}

/// Serves every strategy of the scenario on the replication's arrivals,
/// `plans[i]` being strategy `i`'s, with the same results as
/// [`serve_strategy`] one by one, and each strategy's service lines in
/// the last year.
///
/// Strategies share many queues: a co-located centre's teams are the solo
/// centre's, with the same staff and go-lives, and strategies that move
/// work on the same dates keep the same headquarters units. A queue met in
/// several strategies (same `queue_key`) runs once, and each day's results go
/// to the totals of all of them. Each strategy's totals still receive its
/// queues in its own order, day by day: they are the same to the bit. When
/// no single order of the queues keeps every strategy's (two strategies
/// listing the same queues in different orders), each strategy runs alone.
pub(crate) fn serve_strategies(
    scenario: &Scenario,
    plans: &[StrategyPlan],
    arrivals: &Arrivals,
) -> Served {
    let strategies: Vec<Vec<Queue>> = scenario
        .strategies
        .iter()
        .zip(plans)
        .map(|(strategy, plan)| queues(strategy, plan).collect())
        .collect();
    let horizon_years = scenario.settings.horizon_years as usize;
    let lines = scenario.service_lines.len();
    let mut served = Served {
        years: vec![vec![ServiceTotals::default(); horizon_years]; strategies.len()],
        lines: vec![vec![LineYear::default(); lines]; strategies.len()],
    };
    match SharedOrder::of(scenario, &strategies) {
        Some(order) => {
            for (queue, holders) in order.queues.iter().zip(&order.holders) {
                serve(scenario, *queue, arrivals, &mut served, holders);
            }
        }
        None => {
            for (s, queues) in strategies.iter().enumerate() {
                for queue in queues {
                    serve(scenario, *queue, arrivals, &mut served, &[s]);
                }
            }
        }
    }
    served
}

/// The distinct queues of a replication's strategies, in an order that
/// keeps every strategy's own, each with the strategies that have it.
struct SharedOrder<'a> {
    queues: Vec<Queue<'a>>,
    /// The strategies holding each queue, in strategy order.
    holders: Vec<Vec<usize>>,
}

impl<'a> SharedOrder<'a> {
    /// Merges the strategies' queue lists; `None` when no order keeps them
    /// all, or a strategy has the same queue twice.
    fn of(scenario: &Scenario, strategies: &[Vec<Queue<'a>>]) -> Option<Self> {
        // Each queue's id: equal keys share one; a queue without a key is its own.
        let mut ids_of_keys: HashMap<Vec<u64>, usize> = HashMap::new();
        let mut distinct: Vec<Queue<'a>> = Vec::new();
        let mut holders: Vec<Vec<usize>> = Vec::new();
        let ids: Vec<Vec<usize>> = strategies
            .iter()
            .enumerate()
            .map(|(s, queues)| {
                queues
                    .iter()
                    .map(|&queue| {
                        let known = queue_key(scenario, queue)
                            .map(|key| *ids_of_keys.entry(key).or_insert(distinct.len()));
                        let id = known.unwrap_or(distinct.len());
                        if id == distinct.len() {
                            distinct.push(queue);
                            holders.push(Vec::new());
                        }
                        holders[id].push(s);
                        id
                    })
                    .collect()
            })
            .collect();
        if holders.iter().any(|h| h.windows(2).any(|w| w[0] == w[1])) {
            return None;
        }
        // Take next a queue that is next in every strategy holding it.
        let mut next = vec![0; strategies.len()];
        let mut order = Vec::with_capacity(distinct.len());
        while order.len() < distinct.len() {
            let ready = (0..strategies.len())
                .filter_map(|s| ids[s].get(next[s]).copied())
                .find(|&id| holders[id].iter().all(|&h| ids[h][next[h]] == id))?;
            for &h in &holders[ready] {
                next[h] += 1;
            }
            order.push(ready);
        }
        Some(SharedOrder {
            queues: order.iter().map(|&id| distinct[id]).collect(),
            holders: order
                .iter()
                .map(|&id| std::mem::take(&mut holders[id]))
                .collect(),
        })
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
        .flat_map(|(centre, plans)| centre_queues(centre, plans));
    teams.chain(plan.legacy.iter().map(Queue::Legacy))
}

/// A centre's queues, one for each team, in the centre's order.
fn centre_queues<'a>(centre: &'a Centre, plans: &'a [TeamPlan]) -> impl Iterator<Item = Queue<'a>> {
    centre
        .teams
        .iter()
        .zip(plans)
        .map(|(team, plan)| Queue::Team(team, plan))
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
            capacity_bits(&plan.years, &mut bits);
        }
        Queue::Legacy(unit) => {
            bits.extend([
                1,
                unit.service_line as u64,
                unit.agency as u64,
                unit.receives_until_day as u64,
                unit.works_until_day as u64,
            ]);
            capacity_bits(&unit.years, &mut bits);
        }
    }
    Some(bits)
}

/// A plan's capacity each year, with its months' temporary capacity
/// (`flex` staffing), as bits.
fn capacity_bits(years: &[TeamYear], bits: &mut Vec<u64>) {
    bits.extend(years.iter().map(|y| y.capacity_per_day.to_bits()));
    for y in years {
        if let Some(months) = &y.temporary_per_day_by_month {
            bits.extend(months.iter().map(|c| c.to_bits()));
        }
    }
}

/// Runs one queue over the horizon and adds its service to the years and
/// the line of each strategy in `holders` (indices in `served`).
fn serve(
    scenario: &Scenario,
    queue: Queue,
    arrivals: &Arrivals,
    served: &mut Served,
    holders: &[usize],
) {
    let mut line = LineYear::default();
    let years = &mut served.years;
    let overdue = match holders {
        // Most queues are one strategy's.
        &[only] => serve_into(
            scenario,
            queue,
            arrivals,
            &mut OneStrategy::new(&mut years[only]),
            &mut line,
        ),
        _ => serve_into(
            scenario,
            queue,
            arrivals,
            &mut Strategies {
                years,
                holders,
                year: 0,
            },
            &mut line,
        ),
    };
    if let Some(overdue) = overdue {
        line.overdue_at_end = overdue;
        for &h in holders {
            if let Some(last) = years[h].last_mut() {
                last.overdue_at_end += overdue;
            }
        }
    }
    let service_line = match queue {
        Queue::Team(team, _) => team.service_line,
        Queue::Legacy(unit) => unit.service_line,
    };
    for &h in holders {
        served.lines[h][service_line].add(&line);
    }
}

fn serve_into(
    scenario: &Scenario,
    queue: Queue,
    arrivals: &Arrivals,
    sink: &mut impl Sink,
    line: &mut LineYear,
) -> Option<f64> {
    match queue {
        Queue::Team(team, plan) => serve_team(scenario, team, plan, arrivals, sink, line),
        Queue::Legacy(unit) => serve_legacy(scenario, unit, arrivals, sink, line),
    }
}

/// Where a queue's daily service goes, a year at a time.
trait Sink {
    /// The days that follow are of `year`.
    fn start_year(&mut self, year: usize);
    /// One day: what arrived, and what was completed on time and late.
    fn add(&mut self, arrived: f64, on_time: f64, late: f64);
    /// The year's days are over.
    fn end_year(&mut self);
}

/// One strategy's years. The year's running totals are kept apart while
/// its days are added, so that they stay in registers instead of making a
/// round trip through memory every day; the sums are the same, added in
/// the same order.
struct OneStrategy<'a> {
    years: &'a mut [ServiceTotals],
    year: usize,
    sums: [f64; 3],
}

impl<'a> OneStrategy<'a> {
    fn new(years: &'a mut [ServiceTotals]) -> Self {
        OneStrategy {
            years,
            year: 0,
            sums: [0.0; 3],
        }
    }
}

impl Sink for OneStrategy<'_> {
    fn start_year(&mut self, year: usize) {
        let totals = &self.years[year];
        self.year = year;
        self.sums = [totals.arrived, totals.on_time, totals.late];
    }

    fn add(&mut self, arrived: f64, on_time: f64, late: f64) {
        self.sums[0] += arrived;
        self.sums[1] += on_time;
        self.sums[2] += late;
    }

    fn end_year(&mut self) {
        let totals = &mut self.years[self.year];
        [totals.arrived, totals.on_time, totals.late] = self.sums;
    }
}

/// The years of several strategies that share a queue.
struct Strategies<'a> {
    years: &'a mut [Vec<ServiceTotals>],
    holders: &'a [usize],
    year: usize,
}

impl Sink for Strategies<'_> {
    fn start_year(&mut self, year: usize) {
        self.year = year;
    }

    fn add(&mut self, arrived: f64, on_time: f64, late: f64) {
        for &h in self.holders {
            let totals = &mut self.years[h][self.year];
            totals.arrived += arrived;
            totals.on_time += on_time;
            totals.late += late;
        }
    }

    fn end_year(&mut self) {}
}

/// One queue over the horizon: `arrived(day)` joins it each day of `days`
/// and `capacity(year, day)` works it, oldest first; on the `idle_days`
/// after them nothing arrives and nothing is done. Returns the work overdue
/// at the end; measures `measured.0`, the horizon's last year, into
/// `measured.1`.
fn serve_queue(
    target_days: u32,
    days_per_year: usize,
    (days, idle_days): (std::ops::Range<usize>, usize),
    arrived: impl Fn(usize) -> f64,
    capacity: impl Fn(usize, usize) -> f64,
    sink: &mut impl Sink,
    measured: (usize, &mut LineYear),
) -> f64 {
    let mut backlog = AgedBacklog::new(target_days);
    // Year by year, so that each day's year is known without a division.
    for year in 0..days.end.div_ceil(days_per_year) {
        let first = days.start.max(year * days_per_year);
        let end = days.end.min((year + 1) * days_per_year);
        sink.start_year(year);
        if year == measured.0 {
            // The measured year alone pays for watching the backlog.
            let line = &mut *measured.1;
            let mut waiting = backlog.waiting_transactions();
            for day in first..end {
                let new = arrived(day);
                let can = capacity(year, day);
                let done = backlog.work_day(new, can);
                sink.add(new, done.on_time, done.late);
                line.arrived += new;
                line.on_time += done.on_time;
                line.late += done.late;
                line.capacity += can;
                // Kept by difference, and set to 0 when nothing waits, so
                // rounding does not accumulate.
                waiting = if backlog.has_waiting() {
                    waiting + new - done.on_time - done.late
                } else {
                    0.0
                };
                line.backlog_days += f64::from(u8::from(backlog.has_waiting()));
                line.backlog_transaction_days += waiting;
            }
            line.queue_days += end.saturating_sub(first) as f64;
        } else {
            for day in first..end {
                let new = arrived(day);
                let done = backlog.work_day(new, capacity(year, day));
                sink.add(new, done.on_time, done.late);
            }
        }
        sink.end_year();
    }
    // Idle days complete nothing: they only age the work left waiting.
    backlog.idle(idle_days);
    backlog.overdue()
}

/// Contacts are answered the day they arrive, at the answered share the
/// desk's staffing gives in that month; none are left at the end. Measures
/// `measured.0`, the horizon's last year, into `measured.1`, with the
/// calls that hung up and the answered calls' waits at that staffing.
fn serve_contacts(
    days_per_year: usize,
    days: std::ops::Range<usize>,
    arrived: impl Fn(usize) -> f64,
    plan_years: &[TeamYear],
    sink: &mut impl Sink,
    measured: (usize, &mut LineYear),
) {
    let years = days.end.div_ceil(days_per_year);
    for (year, plan_year) in plan_years.iter().enumerate().take(years) {
        let first = days.start.max(year * days_per_year);
        let end = days.end.min((year + 1) * days_per_year);
        sink.start_year(year);
        for day in first..end {
            let new = arrived(day);
            let callers = plan_year
                .callers_by_month
                .map(|c| c[month_of_day(day % days_per_year, days_per_year)]);
            let share = callers.map_or(0.0, |c| c.answered_in_time_share);
            let (on_time, late) = (new * share, new * (1.0 - share));
            sink.add(new, on_time, late);
            if year == measured.0 {
                let line = &mut *measured.1;
                line.arrived += new;
                line.on_time += on_time;
                line.late += late;
                line.calls += new;
                // Without a desk, nobody answers.
                let (abandon, wait) = callers.map_or((1.0, 0.0), |c| {
                    (c.abandon_share, c.answer_wait_seconds_per_call)
                });
                line.abandoned += new * abandon;
                line.answer_wait_seconds += new * wait;
            }
        }
        if year == measured.0 {
            measured.1.queue_days += end.saturating_sub(first) as f64;
        }
        sink.end_year();
    }
}

/// The days a line is served on: a queue's working days and the idle days
/// after them, or the days contacts arrive; and the plan's years, whose
/// answered shares serve contacts.
struct LineDays<'a> {
    queue: (std::ops::Range<usize>, usize),
    contacts: std::ops::Range<usize>,
    plan_years: &'a [TeamYear],
}

/// A line's work over its days: a queue (`Some` of the work overdue at the
/// end), or contacts, of which none are left over (`None`); its last year
/// is measured into `measured.1` (`measured.0` is that year).
fn serve_line(
    work: &Work,
    days_per_year: usize,
    days: LineDays,
    arrived: impl Fn(usize) -> f64,
    capacity: impl Fn(usize, usize) -> f64,
    sink: &mut impl Sink,
    measured: (usize, &mut LineYear),
) -> Option<f64> {
    match work {
        Work::Queue(queue) => Some(serve_queue(
            queue.target_days,
            days_per_year,
            days.queue,
            arrived,
            capacity,
            sink,
            measured,
        )),
        Work::Contact(_) => {
            serve_contacts(
                days_per_year,
                days.contacts,
                arrived,
                days.plan_years,
                sink,
                measured,
            );
            None
        }
    }
}

/// The staff of a team's year on payroll: processing and supervision, for
/// the share of the year they are paid.
fn payroll_fte(year: &TeamYear) -> f64 {
    (year.processing_fte.total() + year.supervision_fte.total()) * year.payroll_share
}

/// A centre's team from its go-live; `None` for a contact line (no work is
/// left over), or the queue's overdue work at the end.
fn serve_team(
    scenario: &Scenario,
    team: &Team,
    plan: &TeamPlan,
    arrivals: &Arrivals,
    sink: &mut impl Sink,
    line: &mut LineYear,
) -> Option<f64> {
    let days_per_year = scenario.settings.working_days_per_year as usize;
    let last_year = scenario.settings.horizon_years as usize - 1;
    line.fte = plan.years.get(last_year).map_or(0.0, payroll_fte);
    let series: Vec<&[f64]> = team
        .members
        .iter()
        .map(|&a| arrivals.series(a, team.service_line))
        .collect();
    let days = plan.go_live_day..scenario.calendar().horizon_days();
    let line_days = LineDays {
        queue: (days.clone(), 0),
        contacts: days,
        plan_years: &plan.years,
    };
    let work = &scenario.service_lines[team.service_line].work;
    let capacity = |year, day| plan.capacity_in_year(year, day, days_per_year);
    let arrived = |day: usize| match &series[..] {
        // The sum of one term is the term itself: the neutral element of
        // `Sum` for floats is -0.0.
        [only] => only[day],
        all => all.iter().map(|s| s[day]).sum(),
    };
    let measured = (last_year, line);
    serve_line(
        work,
        days_per_year,
        line_days,
        arrived,
        capacity,
        sink,
        measured,
    )
}

/// A headquarters unit until its work has gone live and its overlap is
/// over; `None` for a contact line, or the queue's overdue work at the end.
fn serve_legacy(
    scenario: &Scenario,
    unit: &LegacyUnit,
    arrivals: &Arrivals,
    sink: &mut impl Sink,
    line: &mut LineYear,
) -> Option<f64> {
    let days_per_year = scenario.settings.working_days_per_year as usize;
    let series = arrivals.series(unit.agency, unit.service_line);
    // Once the unit neither receives work nor works, its days are idle.
    let horizon_days = scenario.calendar().horizon_days();
    // Its staff count in the last year for the days it still works.
    let last_year = scenario.settings.horizon_years as usize - 1;
    let last_year_start = last_year * days_per_year;
    let worked_days = unit
        .works_until_day
        .min(horizon_days)
        .saturating_sub(last_year_start);
    line.fte = unit.years.get(last_year).map_or(0.0, payroll_fte) * worked_days as f64
        / days_per_year as f64;
    let active_until = unit
        .receives_until_day
        .max(unit.works_until_day)
        .min(horizon_days);
    let line_days = LineDays {
        queue: (0..active_until, horizon_days - active_until),
        contacts: 0..unit.receives_until_day,
        plan_years: &unit.years,
    };
    serve_line(
        &scenario.service_lines[unit.service_line].work,
        days_per_year,
        line_days,
        |day| {
            if day < unit.receives_until_day {
                series[day]
            } else {
                0.0
            }
        },
        |year, day| {
            if day < unit.works_until_day {
                unit.years[year].capacity_on(day - year * days_per_year, days_per_year)
            } else {
                0.0
            }
        },
        sink,
        (last_year, line),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Draws, Switches};
    use crate::sim::{CentreSimulator, bundled_scenarios, hand_computed, plan_all};
    use crate::testing::assert_same_bits;

    /// Serving every strategy at once, sharing the queues several of them
    /// hold, gives each strategy what serving it alone gives, to the bit.
    #[test]
    fn serving_all_strategies_at_once_is_serving_each_alone() {
        for scenario in bundled_scenarios() {
            for replication in 0..2 {
                let mut draws = Draws::default();
                draws.draw(&scenario, 3, replication);
                let mut arrivals = Arrivals::default();
                arrivals.draw(&scenario, &draws, 3, replication);
                let plans = plan_all(
                    &mut CentreSimulator::new(&scenario, &draws),
                    Switches::ALL_ON,
                );
                let together = serve_strategies(&scenario, &plans, &arrivals).years;
                for (i, (strategy, plan)) in scenario.strategies.iter().zip(&plans).enumerate() {
                    let alone = serve_strategy(&scenario, strategy, plan, &arrivals);
                    let case = format!("{}, {}", scenario.name, strategy.id);
                    assert_same_bits(&together[i], &alone, &case);
                }
            }
        }
    }

    /// The hand-computed centre: 10 transactions a day in year 0 and 15 in
    /// year 1 (12 days each), deterministic, and capacity for exactly that:
    /// everything is done the day it arrives.
    #[test]
    fn a_centre_with_capacity_for_its_demand_serves_everything_on_time() {
        let scenario = hand_computed();
        let draws = Draws::default();
        let mut arrivals = Arrivals::default();
        arrivals.draw(&scenario, &draws, 1, 0);
        let centre = &scenario.strategies[1].centres[0];
        let outcome =
            CentreSimulator::new(&scenario, &draws).simulate(centre, false, Switches::ALL_ON);
        let years = serve_centre(&scenario, centre, &outcome.teams, &arrivals);
        let expected = |n: f64| ServiceTotals {
            arrived: n,
            on_time: n,
            late: 0.0,
            overdue_at_end: 0.0,
        };
        assert_eq!(years, [expected(120.0), expected(180.0)]);
    }
}
