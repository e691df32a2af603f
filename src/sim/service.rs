//! Service: each team works its queue with the capacity its plan gives it,
//! so the share of transactions completed on time is measured. A contact
//! team answers each day's calls as they come, at the share its Erlang
//! staffing gives for the month. While a strategy's move is under way,
//! headquarters units keep the work that has not gone live yet.

use super::plan::TeamYear;
use std::ops::Range;

use super::centre::TeamPlan;
use super::queue::{AgedBacklog, LANES, LaneCapacity, LaneSums, Lanes};
use super::slice_map::SliceMap;
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
    serve_alone(scenario, queues(strategy, plan).collect(), arrivals)
}

/// Runs the queues of one centre's teams, `teams` being their plans
/// ([`super::CentreOutcome::teams`]), over the horizon: the service of
/// each year, as `serve_strategy` (the tests') for a strategy of that one centre.
pub(crate) fn serve_centre(
    scenario: &Scenario,
    centre: &Centre,
    teams: &[TeamPlan],
    arrivals: &Arrivals,
) -> Vec<ServiceTotals> {
    serve_alone(scenario, centre_queues(centre, teams).collect(), arrivals)
}

/// Runs `queues` one after the other into one set of yearly totals.
fn serve_alone(scenario: &Scenario, queues: Vec<Queue>, arrivals: &Arrivals) -> Vec<ServiceTotals> {
    let mut buffers = Buffers::default();
    let mut served = serve_lists(scenario, &[queues], arrivals, &mut buffers);
    served.years.pop().expect("one strategy's years")
}

/// Serves every strategy of the scenario on the replication's arrivals,
/// `plans[i]` being strategy `i`'s, with the same results as
/// `serve_strategy` (the tests') one by one, and each strategy's service lines in
/// the last year. `buffers` are reused from one replication to the next.
pub(crate) fn serve_strategies(
    scenario: &Scenario,
    plans: &[StrategyPlan],
    arrivals: &Arrivals,
    buffers: &mut Buffers,
) -> Served {
    let strategies: Vec<Vec<Queue>> = scenario
        .strategies
        .iter()
        .zip(plans)
        .map(|(strategy, plan)| queues(strategy, plan).collect())
        .collect();
    serve_lists(scenario, &strategies, arrivals, buffers)
}

/// Buffers the service reuses from one replication to the next, so that
/// its daily loop does not allocate.
#[derive(Clone, Debug, Default)]
pub(crate) struct Buffers {
    /// One year of a team's arrivals, when they are the sum of several
    /// members' series, for each of the queues run side by side.
    arrived: [Vec<f64>; LANES],
    /// One year of a queue's capacity, day by day, for each of them.
    capacity: [Vec<f64>; LANES],
    /// The backlogs of queues run side by side.
    lanes: Lanes,
    /// Each distinct queue's year: what arrived, what was completed on time
    /// and late; `None` in a year without days.
    years: Vec<Option<QueueYear>>,
    /// The queues that can run side by side this year, `(key, id)`.
    alike: Vec<(LaneKey, usize)>,
    /// The distinct queues' positions by their keys ([`queue_key`]).
    queue_ids: SliceMap<u64, usize>,
    /// The key of the queue looked up last.
    queue_key: Vec<u64>,
    /// The rooms of the last replication's backlogs (see
    /// [`AgedBacklog::in_room`]).
    backlog_rooms: Vec<Vec<f64>>,
}

/// Serves `lists[i]`, the queues of strategy `i`, into `years[i]` and
/// `lines[i]`.
///
/// Strategies share many queues: a co-located centre's teams are the solo
/// centre's, with the same staff and go-lives, and strategies that move
/// work on the same dates keep the same headquarters units. A queue met
/// more than once (same `queue_key`) runs once. The horizon is served a
/// year at a time (every queue's state carried over): each distinct queue
/// runs its year (see [`run_queues`]), and each strategy's year then adds
/// its queues' years, in its own order, to its totals. So a strategy's
/// totals are the same to the bit as serving it alone gives.
///
/// A strategy's year is thus summed queue by queue, each queue's year
/// from its days: for `q` queues of `d` days, sums of `d` and then `q`
/// terms rather than one running sum of `q·d` terms, whose bound on the
/// rounding error is about `q·d` units of roundoff against `d + q`
/// (Higham, "Accuracy and Stability of Numerical Algorithms", 2nd ed.,
/// 2002, §4.2). And each queue's year is summed apart from the others',
/// which is what lets four queues run side by side ([`run_queues`]).
fn serve_lists(
    scenario: &Scenario,
    lists: &[Vec<Queue>],
    arrivals: &Arrivals,
    buffers: &mut Buffers,
) -> Served {
    let horizon_years = scenario.settings.horizon_years as usize;
    let mut served = Served {
        years: vec![vec![ServiceTotals::default(); horizon_years]; lists.len()],
        lines: vec![vec![LineYear::default(); scenario.service_lines.len()]; lists.len()],
    };
    let distinct = Distinct::of(
        scenario,
        lists,
        &mut buffers.queue_ids,
        &mut buffers.queue_key,
    );
    let mut runs: Vec<QueueRun> = distinct
        .queues
        .iter()
        .map(|&queue| QueueRun::new(scenario, queue, &mut buffers.backlog_rooms))
        .collect();
    for year in 0..horizon_years {
        run_queues(&mut runs, arrivals, year, buffers);
        for (ids, years) in distinct.ids.iter().zip(&mut served.years) {
            let totals = &mut years[year];
            for queue_year in ids.iter().filter_map(|&id| buffers.years[id]) {
                totals.arrived += queue_year.arrived;
                totals.on_time += queue_year.on_time;
                totals.late += queue_year.late;
            }
        }
    }
    let ends: Vec<Option<f64>> = runs.iter_mut().map(QueueRun::finish).collect();
    for (s, ids) in distinct.ids.iter().enumerate() {
        for &id in ids {
            if let (Some(overdue), Some(last)) = (ends[id], served.years[s].last_mut()) {
                last.overdue_at_end += overdue;
            }
            let run = &runs[id];
            served.lines[s][run.service_line].add(&run.line);
        }
    }
    let rooms = runs.into_iter().filter_map(|run| run.backlog);
    buffers
        .backlog_rooms
        .extend(rooms.map(AgedBacklog::into_room));
    served
}

/// Runs every queue of `runs` through `year`, into `buffers.years`: four
/// queues of one [`LaneKey`] side by side (see [`Lanes`]), the others one
/// by one. A queue's year is the same to the bit either way.
fn run_queues(runs: &mut [QueueRun], arrivals: &Arrivals, year: usize, buffers: &mut Buffers) {
    let Buffers {
        arrived,
        capacity,
        lanes,
        years,
        alike,
        ..
    } = buffers;
    let mut scratch = Scratch {
        arrived,
        capacity,
        lanes,
    };
    years.clear();
    years.resize(runs.len(), None);
    alike.clear();
    for (id, run) in runs.iter_mut().enumerate() {
        match run.lane_key(year) {
            Some(key) => alike.push((key, id)),
            None => years[id] = run.run_year(arrivals, year, &mut scratch),
        }
    }
    alike.sort_unstable();
    for group in alike.chunk_by(|a, b| a.0 == b.0) {
        let mut fours = group.chunks_exact(LANES);
        for four in &mut fours {
            let ids: [usize; LANES] = std::array::from_fn(|l| four[l].1);
            let Ok(four_runs) = runs.get_disjoint_mut(ids) else {
                unreachable!("distinct queues have distinct ids")
            };
            let four_years = run_side_by_side(four_runs, arrivals, year, &mut scratch);
            for (id, queue_year) in ids.into_iter().zip(four_years) {
                years[id] = Some(queue_year);
            }
        }
        for &(_, id) in fours.remainder() {
            years[id] = runs[id].run_year(arrivals, year, &mut scratch);
        }
    }
}

/// The per-year buffers queues' years are laid out in before they run.
struct Scratch<'b> {
    arrived: &'b mut [Vec<f64>; LANES],
    capacity: &'b mut [Vec<f64>; LANES],
    lanes: &'b mut Lanes,
}

/// Runs four queues of one [`LaneKey`] side by side through `year`, their
/// days laid out in `scratch`: each one's year, as [`QueueRun::run_year`]
/// gives it.
fn run_side_by_side(
    mut four: [&mut QueueRun; LANES],
    arrivals: &Arrivals,
    year: usize,
    scratch: &mut Scratch,
) -> [QueueYear; LANES] {
    let days = four[0].year_days(year);
    let measured = year == four[0].measured_year;
    let Scratch {
        arrived,
        capacity,
        lanes,
    } = scratch;
    let mut arrived = arrived.each_mut().into_iter();
    let arrived: [&[f64]; LANES] = std::array::from_fn(|l| {
        let buffer = arrived.next().expect("a buffer for each lane");
        four[l].arrived(arrivals, days.clone(), buffer)
    });
    // Most years' capacity is one number from the first day to the last:
    // then no day's is laid out.
    let steady: [Option<f64>; LANES] =
        std::array::from_fn(|l| steady_capacity(four[l].queue, year, days.clone()));
    let capacity = if let [Some(a), Some(b), Some(c), Some(d)] = steady {
        LaneCapacity::Steady([a, b, c, d])
    } else {
        let mut capacity = capacity.each_mut().into_iter();
        LaneCapacity::Daily(std::array::from_fn(|l| {
            let buffer = capacity.next().expect("a buffer for each lane");
            capacity_in(
                four[l].queue,
                year,
                days.clone(),
                four[l].days_per_year,
                buffer,
            )
        }))
    };
    // Each queue's watched figures go on from its line's, as in
    // `measure_queue`.
    let watched: [Watched; LANES] = std::array::from_fn(|l| Watched::of(&four[l].line));
    let start = LaneSums {
        capacity: watched.map(|w| w.capacity),
        waiting_days: watched.map(|w| w.backlog_days),
        waiting_transactions: watched.map(|w| w.backlog_transaction_days),
        ..LaneSums::default()
    };
    let mut backlogs = four.each_mut().map(|run| {
        run.backlog
            .as_mut()
            .expect("a queue with a lane key has a backlog")
    });
    let sums = if measured {
        lanes.work::<true>(&mut backlogs, arrived, capacity, start)
    } else {
        lanes.work::<false>(&mut backlogs, arrived, capacity, start)
    };
    std::array::from_fn(|l| {
        let queue_year = QueueYear {
            arrived: sums.arrived[l],
            on_time: sums.on_time[l],
            late: sums.late[l],
        };
        if measured {
            let watched = Watched {
                capacity: sums.capacity[l],
                backlog_days: sums.waiting_days[l],
                backlog_transaction_days: sums.waiting_transactions[l],
            };
            watched.record(&queue_year, days.len(), &mut four[l].line);
        }
        queue_year
    })
}

/// What the measured year watches of a queue's backlog, summed over its
/// days from its line's figures: the capacity offered, the days ending
/// with work waiting, and the work waiting at the end of each day.
#[derive(Clone, Copy, Debug)]
struct Watched {
    capacity: f64,
    backlog_days: f64,
    backlog_transaction_days: f64,
}

impl Watched {
    /// The sums as `line` holds them, to go on from.
    fn of(line: &LineYear) -> Self {
        Watched {
            capacity: line.capacity,
            backlog_days: line.backlog_days,
            backlog_transaction_days: line.backlog_transaction_days,
        }
    }

    /// Writes the measured year of a queue of `days` days, its `year` and
    /// these sums, into `line`.
    fn record(self, year: &QueueYear, days: usize, line: &mut LineYear) {
        year.measure_into(line);
        line.capacity = self.capacity;
        line.backlog_days = self.backlog_days;
        line.backlog_transaction_days = self.backlog_transaction_days;
        line.queue_days += days as f64;
    }
}

/// What queues must share to run side by side: their days this year
/// (first, end) and the days their backlog remembers (their target).
type LaneKey = (usize, usize, usize);

/// One queue's year: what arrived, and was completed on time and late,
/// each summed over its days.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
struct QueueYear {
    arrived: f64,
    on_time: f64,
    late: f64,
}

impl QueueYear {
    /// Adds one day.
    #[inline(always)]
    fn add(&mut self, arrived: f64, on_time: f64, late: f64) {
        self.arrived += arrived;
        self.on_time += on_time;
        self.late += late;
    }

    /// Adds the year to the measured year's figures of its queue.
    fn measure_into(&self, line: &mut LineYear) {
        line.arrived += self.arrived;
        line.on_time += self.on_time;
        line.late += self.late;
    }
}

/// The distinct queues of a replication's strategies.
struct Distinct<'a> {
    queues: Vec<Queue<'a>>,
    /// Each strategy's queues, as indices in `queues`, in its order.
    ids: Vec<Vec<usize>>,
}

impl<'a> Distinct<'a> {
    /// Equal keys are one queue; a queue without a key is its own. `memo`
    /// and `key` are room to find them in, kept from one replication to
    /// the next.
    fn of(
        scenario: &Scenario,
        lists: &[Vec<Queue<'a>>],
        memo: &mut SliceMap<u64, usize>,
        key: &mut Vec<u64>,
    ) -> Self {
        memo.clear();
        let mut queues: Vec<Queue<'a>> = Vec::new();
        let ids = lists
            .iter()
            .map(|list| {
                list.iter()
                    .map(|&queue| {
                        let known = queue_key(scenario, queue, key).then(|| {
                            memo.get(key).copied().unwrap_or_else(|| {
                                memo.insert(key, queues.len());
                                queues.len()
                            })
                        });
                        let id = known.unwrap_or(queues.len());
                        if id == queues.len() {
                            queues.push(queue);
                        }
                        id
                    })
                    .collect()
            })
            .collect();
        Distinct { queues, ids }
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
/// keys, equal results. Written into `bits`, which is cleared first; false,
/// with no key, for a contact line, cheap to serve.
fn queue_key(scenario: &Scenario, queue: Queue, bits: &mut Vec<u64>) -> bool {
    let service_line = match queue {
        Queue::Team(team, _) => team.service_line,
        Queue::Legacy(unit) => unit.service_line,
    };
    if !matches!(scenario.service_lines[service_line].work, Work::Queue(_)) {
        return false;
    }
    bits.clear();
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
            capacity_bits(&plan.years, bits);
        }
        Queue::Legacy(unit) => {
            bits.extend([
                1,
                unit.service_line as u64,
                unit.agency as u64,
                unit.receives_until_day as u64,
                unit.works_until_day as u64,
            ]);
            capacity_bits(&unit.years, bits);
        }
    }
    true
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

/// One distinct queue over the horizon, run a year at a time: what it
/// carries from one year to the next.
struct QueueRun<'a> {
    queue: Queue<'a>,
    service_line: usize,
    /// The work waiting, by age; `None` for a contact line, whose calls are
    /// answered (or not) the day they come, none left over.
    backlog: Option<AgedBacklog>,
    /// The days the queue takes work and works (a contact desk: the days
    /// calls come); on the `idle_days` after them nothing arrives and
    /// nothing is done.
    days: Range<usize>,
    idle_days: usize,
    /// The queue's plan each year: its capacity, or its callers' service.
    plan_years: &'a [TeamYear],
    days_per_year: usize,
    /// The horizon's last year, measured into `line`.
    measured_year: usize,
    line: LineYear,
}

impl<'a> QueueRun<'a> {
    /// A queue before its first day: a centre's team from its go-live, or
    /// a headquarters unit until its work has gone live and its overlap is
    /// over. A backlog's room is taken from `rooms` while it has some.
    fn new(scenario: &Scenario, queue: Queue<'a>, rooms: &mut Vec<Vec<f64>>) -> Self {
        let days_per_year = scenario.settings.working_days_per_year as usize;
        let horizon_days = scenario.calendar().horizon_days();
        let measured_year = scenario.settings.horizon_years as usize - 1;
        let (service_line, plan_years, fte, queue_days, contact_days) = match queue {
            Queue::Team(team, plan) => {
                let fte = plan.years.get(measured_year).map_or(0.0, payroll_fte);
                let days = plan.go_live_day..horizon_days;
                (team.service_line, &plan.years[..], fte, days.clone(), days)
            }
            Queue::Legacy(unit) => {
                // Its staff count in the last year for the days it still works.
                let worked_days = unit
                    .works_until_day
                    .min(horizon_days)
                    .saturating_sub(measured_year * days_per_year);
                let fte = unit.years.get(measured_year).map_or(0.0, payroll_fte)
                    * worked_days as f64
                    / days_per_year as f64;
                // Once the unit neither receives work nor works, its days are idle.
                let active_until = unit
                    .receives_until_day
                    .max(unit.works_until_day)
                    .min(horizon_days);
                let contacts = 0..unit.receives_until_day;
                (
                    unit.service_line,
                    &unit.years[..],
                    fte,
                    0..active_until,
                    contacts,
                )
            }
        };
        let (backlog, days) = match &scenario.service_lines[service_line].work {
            Work::Queue(work) => {
                let room = rooms.pop().unwrap_or_default();
                (
                    Some(AgedBacklog::in_room(work.target_days, room)),
                    queue_days,
                )
            }
            Work::Contact(_) => (None, contact_days),
        };
        let idle_days = if backlog.is_some() {
            horizon_days - days.end
        } else {
            0
        };
        QueueRun {
            queue,
            service_line,
            backlog,
            days,
            idle_days,
            plan_years,
            days_per_year,
            measured_year,
            line: LineYear {
                fte,
                ..LineYear::default()
            },
        }
    }

    /// The queue's days in `year`.
    fn year_days(&self, year: usize) -> Range<usize> {
        let days_per_year = self.days_per_year;
        self.days.start.max(year * days_per_year)..self.days.end.min((year + 1) * days_per_year)
    }

    /// What the queue must share with others to run side by side with
    /// them in `year` ([`Lanes`]); `None` for a contact line, or a year
    /// without days.
    fn lane_key(&self, year: usize) -> Option<LaneKey> {
        let backlog = self.backlog.as_ref()?;
        let days = self.year_days(year);
        (!days.is_empty()).then(|| (days.start, days.end, backlog.remembered_days()))
    }

    /// Runs the queue's days of `year`, laid out in `scratch`: its year,
    /// or `None` in a year without days (before a go-live, after the
    /// queue's last day, or all of them for a go-live after the horizon).
    fn run_year(
        &mut self,
        arrivals: &Arrivals,
        year: usize,
        scratch: &mut Scratch,
    ) -> Option<QueueYear> {
        let days_per_year = self.days_per_year;
        let days = self.year_days(year);
        if days.is_empty() {
            return None;
        }
        let arrived = self.arrived(arrivals, days.clone(), &mut scratch.arrived[0]);
        let measured = year == self.measured_year;
        let queue_year = match &mut self.backlog {
            Some(backlog) => {
                let capacity = capacity_in(
                    self.queue,
                    year,
                    days,
                    days_per_year,
                    &mut scratch.capacity[0],
                );
                if measured {
                    measure_queue(backlog, arrived, capacity, &mut self.line)
                } else {
                    work_queue(backlog, arrived, capacity)
                }
            }
            None => {
                let plan_year = self.plan_years.get(year)?;
                let line = measured.then_some(&mut self.line);
                serve_contacts(days, days_per_year, arrived, plan_year, line)
            }
        };
        Some(queue_year)
    }

    /// What arrives on `days`: the sum of a team's members' series, or a
    /// headquarters unit's series until it stops receiving work.
    fn arrived<'b>(
        &self,
        arrivals: &'b Arrivals,
        days: Range<usize>,
        buffer: &'b mut Vec<f64>,
    ) -> &'b [f64] {
        buffer.clear();
        match self.queue {
            Queue::Team(team, _) => match team.members[..] {
                [only] => &arrivals.series(only, team.service_line)[days],
                ref members => {
                    // Summed as `Iterator::sum` sums each day: from -0.0,
                    // its neutral element, member by member.
                    buffer.resize(days.len(), -0.0);
                    for &member in members {
                        let series = &arrivals.series(member, team.service_line)[days.clone()];
                        buffer
                            .iter_mut()
                            .zip(series)
                            .for_each(|(sum, &n)| *sum += n);
                    }
                    buffer
                }
            },
            Queue::Legacy(unit) => {
                let series = arrivals.series(unit.agency, unit.service_line);
                if days.end <= unit.receives_until_day {
                    return &series[days];
                }
                let received = days.start..unit.receives_until_day.max(days.start);
                buffer.extend_from_slice(&series[received]);
                buffer.resize(days.len(), 0.0);
                buffer
            }
        }
    }

    /// After the horizon: idle days complete nothing, they only age the
    /// work left waiting. The queue's overdue work at the end; `None` for
    /// a contact line.
    fn finish(&mut self) -> Option<f64> {
        let backlog = self.backlog.as_mut()?;
        backlog.idle(self.idle_days);
        self.line.overdue_at_end = backlog.overdue();
        Some(backlog.overdue())
    }
}

/// A queue's capacity on each of `days`, in `year`.
fn capacity_in<'b>(
    queue: Queue,
    year: usize,
    days: Range<usize>,
    days_per_year: usize,
    buffer: &'b mut Vec<f64>,
) -> &'b [f64] {
    buffer.clear();
    match queue {
        Queue::Team(_, plan) => match constant_capacity(&plan.years, year) {
            // No bad go-live: the same every day from the go-live on.
            Some(per_day) if plan.disruption.is_none() => {
                fill_until(buffer, days, plan.go_live_day, 0.0, per_day);
            }
            _ => buffer.extend(days.map(|day| plan.capacity_in_year(year, day, days_per_year))),
        },
        Queue::Legacy(unit) => match constant_capacity(&unit.years, year) {
            Some(per_day) => fill_until(buffer, days, unit.works_until_day, per_day, 0.0),
            None => buffer.extend(days.map(|day| {
                if day < unit.works_until_day {
                    unit.years[year].capacity_on(day - year * days_per_year, days_per_year)
                } else {
                    0.0
                }
            })),
        },
    }
    buffer
}

/// A queue's capacity on `days` of `year` when it is the same every one of
/// them: what [`capacity_in`] would fill them with.
fn steady_capacity(queue: Queue, year: usize, days: Range<usize>) -> Option<f64> {
    match queue {
        Queue::Team(_, plan) => {
            let per_day = constant_capacity(&plan.years, year)?;
            (plan.disruption.is_none() && plan.go_live_day <= days.start).then_some(per_day)
        }
        Queue::Legacy(unit) => {
            let per_day = constant_capacity(&unit.years, year)?;
            if days.end <= unit.works_until_day {
                Some(per_day)
            } else {
                (unit.works_until_day <= days.start).then_some(0.0)
            }
        }
    }
}

/// A plan's capacity every day of `year`, when it is the same every day:
/// without temporary capacity, whose months differ.
fn constant_capacity(years: &[TeamYear], year: usize) -> Option<f64> {
    let plan_year = years.get(year)?;
    plan_year
        .temporary_per_day_by_month
        .is_none()
        .then_some(plan_year.capacity_per_day)
}

/// Fills `buffer` with `before` for the days of `days` before `day` and
/// `from` for the others: a year's capacity a month or more at a time
/// instead of day by day.
fn fill_until(buffer: &mut Vec<f64>, days: Range<usize>, day: usize, before: f64, from: f64) {
    let split = day.clamp(days.start, days.end);
    buffer.resize(split - days.start, before);
    buffer.resize(days.len(), from);
}

/// Works a queue's days: `arrived[i]` joins it on the i-th and
/// `capacity[i]` works it, oldest first. Returns the queue's year.
fn work_queue(backlog: &mut AgedBacklog, arrived: &[f64], capacity: &[f64]) -> QueueYear {
    let mut queue_year = QueueYear::default();
    for (&new, &can) in arrived.iter().zip(capacity) {
        let done = backlog.work_day(new, can);
        queue_year.add(new, done.on_time, done.late);
    }
    queue_year
}

/// [`work_queue`] in the measured year, which alone pays for watching the
/// backlog, into `line`.
fn measure_queue(
    backlog: &mut AgedBacklog,
    arrived: &[f64],
    capacity: &[f64],
    line: &mut LineYear,
) -> QueueYear {
    // Summed in copies, which stay in registers: the same sums, in the
    // same order, as adding to `line` day by day through memory.
    let mut queue_year = QueueYear::default();
    let mut watched = Watched::of(line);
    for (&new, &can) in arrived.iter().zip(capacity) {
        let done = backlog.work_day(new, can);
        queue_year.add(new, done.on_time, done.late);
        watched.capacity += can;
        watched.backlog_days += f64::from(u8::from(backlog.has_waiting()));
        watched.backlog_transaction_days += backlog.waiting_transactions();
    }
    watched.record(&queue_year, arrived.len(), line);
    queue_year
}

/// Contacts are answered the day they arrive, at the answered share the
/// desk's staffing gives in that month; none are left at the end. Returns
/// the desk's year; measures the horizon's last year into `measured`, with
/// the calls that hung up and the answered calls' waits at that staffing.
fn serve_contacts(
    days: Range<usize>,
    days_per_year: usize,
    arrived: &[f64],
    plan_year: &TeamYear,
    measured: Option<&mut LineYear>,
) -> QueueYear {
    let mut queue_year = QueueYear::default();
    let mut abandoned = 0.0;
    let mut answer_wait_seconds = 0.0;
    for (day, &new) in days.zip(arrived) {
        let callers = plan_year
            .callers_by_month
            .as_ref()
            .map(|c| c[month_of_day(day % days_per_year, days_per_year)]);
        let share = callers.map_or(0.0, |c| c.answered_in_time_share);
        queue_year.add(new, new * share, new * (1.0 - share));
        // Without a desk, nobody answers.
        let (abandon, wait) = callers.map_or((1.0, 0.0), |c| {
            (c.abandon_share, c.answer_wait_seconds_per_call)
        });
        abandoned += new * abandon;
        answer_wait_seconds += new * wait;
    }
    if let Some(line) = measured {
        queue_year.measure_into(line);
        line.calls += queue_year.arrived;
        line.abandoned += abandoned;
        line.answer_wait_seconds += answer_wait_seconds;
        line.queue_days += arrived.len() as f64;
    }
    queue_year
}

/// The staff of a team's year on payroll: processing and supervision, for
/// the share of the year they are paid.
fn payroll_fte(year: &TeamYear) -> f64 {
    (year.processing_fte.total() + year.supervision_fte.total()) * year.payroll_share
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Draws, Switches};
    use crate::sim::{CentreSimulator, bundled_scenarios, hand_computed, plan_all};
    use crate::testing::assert_same_bits;

    /// Serving every strategy at once, sharing the queues several of them
    /// hold, gives each strategy what serving it alone gives, to the bit,
    /// with buffers reused from one replication (and scenario) to the next.
    #[test]
    fn serving_all_strategies_at_once_is_serving_each_alone() {
        let mut buffers = Buffers::default();
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
                let together = serve_strategies(&scenario, &plans, &arrivals, &mut buffers).years;
                for (i, (strategy, plan)) in scenario.strategies.iter().zip(&plans).enumerate() {
                    let alone = serve_strategy(&scenario, strategy, plan, &arrivals);
                    let case = format!("{}, {}", scenario.name, strategy.id);
                    assert_same_bits(&together[i], &alone, &case);
                }
            }
        }
    }

    /// A queue's capacity on `day` of `year`, worked out day by day: what
    /// [`capacity`] fills a month or more at a time.
    fn capacity_on_day(queue: Queue, year: usize, day: usize, days_per_year: usize) -> f64 {
        match queue {
            Queue::Team(_, plan) => plan.capacity_in_year(year, day, days_per_year),
            Queue::Legacy(unit) if day < unit.works_until_day => {
                unit.years[year].capacity_on(day - year * days_per_year, days_per_year)
            }
            Queue::Legacy(_) => 0.0,
        }
    }

    /// A headquarters unit that stops working on day 100 of a year of 250
    /// has a steady capacity on days wholly before (its capacity) or wholly
    /// after (none), and none to speak of on days across the stop: what
    /// `capacity_in` fills those days with.
    #[test]
    fn a_unit_s_capacity_is_steady_only_on_days_on_one_side_of_its_stop() {
        let unit = LegacyUnit {
            agency: 0,
            service_line: 0,
            years: vec![TeamYear {
                capacity_per_day: 7.5,
                ..TeamYear::default()
            }]
            .into(),
            receives_until_day: 180,
            works_until_day: 100,
            cost_usd_by_year: vec![0.0],
        };
        let queue = Queue::Legacy(&unit);
        let mut buffer = Vec::new();
        for (days, steady) in [
            (0..50, Some(7.5)),
            (20..100, Some(7.5)),
            (100..180, Some(0.0)),
            (150..250, Some(0.0)),
            (50..150, None),
            (99..101, None),
        ] {
            assert_eq!(steady_capacity(queue, 0, days.clone()), steady, "{days:?}");
            let filled = capacity_in(queue, 0, days.clone(), 250, &mut buffer);
            let all_one = filled.iter().all(|&c| c == filled[0]);
            assert_eq!(all_one, steady.is_some(), "{days:?}");
            if let Some(steady) = steady {
                assert_eq!(filled[0], steady, "{days:?}");
            }
        }
    }

    /// Every queue of every bundled scenario's strategies, every whole
    /// year: the capacity filled at once is the day-by-day capacity, to
    /// the bit, across go-lives, the days a unit stops working, bad
    /// go-lives and temporary capacity's months.
    #[test]
    fn a_year_s_capacity_filled_at_once_is_its_capacity_day_by_day() {
        let mut buffer = Vec::new();
        let (mut constant, mut day_by_day, mut zero_and_not, mut steadies) = (0, 0, 0, 0);
        for scenario in bundled_scenarios() {
            let days_per_year = scenario.settings.working_days_per_year as usize;
            let mut draws = Draws::default();
            draws.draw(&scenario, 3, 0);
            let plans = plan_all(
                &mut CentreSimulator::new(&scenario, &draws),
                Switches::ALL_ON,
            );
            for (strategy, plan) in scenario.strategies.iter().zip(&plans) {
                for queue in queues(strategy, plan) {
                    for year in 0..scenario.settings.horizon_years as usize {
                        let days = year * days_per_year..(year + 1) * days_per_year;
                        let filled =
                            capacity_in(queue, year, days.clone(), days_per_year, &mut buffer);
                        let expected: Vec<f64> = days
                            .map(|day| capacity_on_day(queue, year, day, days_per_year))
                            .collect();
                        let case = format!("{}, {}, year {year}", scenario.name, strategy.id);
                        assert_same_bits(&filled, &expected, &case);
                        // And on the days the queue works that year (if
                        // any), what `steady_capacity` says of them, when
                        // it says.
                        let run = QueueRun::new(&scenario, queue, &mut Vec::new());
                        let worked = run.year_days(year);
                        if !worked.is_empty()
                            && let Some(steady) = steady_capacity(queue, year, worked.clone())
                        {
                            steadies += 1;
                            let from = worked.start - year * days_per_year;
                            let on_worked = &expected[from..from + worked.len()];
                            let want = vec![steady; worked.len()];
                            assert_same_bits(&on_worked.to_vec(), &want, &case);
                        }
                        let first = expected.first().copied().unwrap_or_default();
                        let same = expected.iter().all(|&c| c.to_bits() == first.to_bits());
                        constant += usize::from(same);
                        day_by_day += usize::from(!same);
                        let zero = expected.iter().filter(|&&c| c == 0.0).count();
                        zero_and_not += usize::from(zero > 0 && zero < expected.len());
                    }
                }
            }
        }
        // Each kind of year was met.
        assert!(
            constant > 0 && day_by_day > 0 && zero_and_not > 0 && steadies > 0,
            "{constant} {day_by_day} {zero_and_not} {steadies}"
        );
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
