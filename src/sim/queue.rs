//! A team's backlog, tracked by age, so that the share of transactions
//! completed within the service-level target is measured rather than assumed.
//!
//! The team works oldest first, so its queue is first in, first out, and
//! two cumulative curves describe it whole (Newell, "Applications of
//! Queueing Theory", 2nd ed., 1982, ch. 2): `A`, the transactions arrived
//! so far, and `C`, those completed so far. A day of capacity `c` takes
//! the queue to `C' = min(C + c, A)`. The work it completes is the stretch
//! of the arrivals curve between `C` and `C'`; the part of it below `A` of
//! `target_days + 1` days back arrived too long ago, and is late. A day is
//! thus a few additions and minima, whatever lies waiting, with no branch
//! on how the work is spread over its ages.

use wide::f64x4;

/// Work waiting in a team's queue, as cumulative arrivals and completions.
///
/// A transaction arriving on day `d` has age 0 that day; it is on time if it
/// is completed by day `d + target_days`. Each day the team works oldest
/// first: overdue work, then the oldest work still on time, down to today's
/// arrivals. Amounts are in transactions and may be fractional, because a
/// team's daily capacity is.
#[derive(Clone, Debug)]
pub(crate) struct AgedBacklog {
    /// Transactions arrived since the queue opened: `A`.
    arrived: f64,
    /// Transactions completed since the queue opened: `C`, at most `A`.
    completed: f64,
    /// `A` at the end of each of the last `target_days + 1` days, as a
    /// ring whose slot `oldest` holds the earliest of them.
    arrived_by_day: Vec<f64>,
    /// The slot of `arrived_by_day` read and then replaced today.
    oldest: usize,
    /// `A` at the end of the last day whose work was overdue on the last
    /// day worked: what arrived up to it and waits is certain to be late.
    overdue_below: f64,
}

/// What a team completed in one day.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub(crate) struct DayResult {
    /// Transactions completed within the target.
    pub on_time: f64,
    /// Transactions completed after the target.
    pub late: f64,
}

impl AgedBacklog {
    /// An empty backlog for a service level of `target_days` working days.
    #[cfg(test)]
    pub fn new(target_days: u32) -> Self {
        Self::in_room(target_days, Vec::new())
    }

    /// An empty backlog for a service level of `target_days` working days,
    /// remembering its days in `room` (a backlog's, given back by
    /// [`AgedBacklog::into_room`]): no allocation once the room is large
    /// enough.
    pub(crate) fn in_room(target_days: u32, mut room: Vec<f64>) -> Self {
        room.clear();
        room.resize(target_days as usize + 1, 0.0);
        AgedBacklog {
            arrived: 0.0,
            completed: 0.0,
            arrived_by_day: room,
            oldest: 0,
            overdue_below: 0.0,
        }
    }

    /// The room the backlog remembers its days in, for another backlog.
    pub(crate) fn into_room(self) -> Vec<f64> {
        self.arrived_by_day
    }

    /// Advances one working day: yesterday's work ages, `arrivals` join the
    /// queue, and up to `capacity` transactions are completed, oldest first.
    #[inline(always)]
    pub(crate) fn work_day(&mut self, arrivals: f64, capacity: f64) -> DayResult {
        // What arrived up to `target_days + 1` days ago is overdue today.
        let overdue_below = self.arrived_by_day[self.oldest];
        self.overdue_below = overdue_below;
        self.arrived += arrivals;
        self.arrived_by_day[self.oldest] = self.arrived;
        self.oldest = if self.oldest + 1 == self.arrived_by_day.len() {
            0
        } else {
            self.oldest + 1
        };
        let before = self.completed;
        // Minima written as comparisons: one instruction each on the chain
        // from one day's `C` to the next. A NaN capacity completes all the
        // work, as `f64::min`, which ignores a NaN, would.
        let reachable = before + capacity;
        let after = if reachable < self.arrived {
            reachable
        } else {
            self.arrived
        };
        self.completed = after;
        let late_until = if after < overdue_below {
            after
        } else {
            overdue_below
        };
        let late = (late_until - before).max(0.0);
        DayResult {
            on_time: (after - before) - late,
            late,
        }
    }

    /// Advances `days` working days on which nothing arrives and nothing is
    /// done: the waiting work only ages. Each such day completes nothing,
    /// and once every age has passed the target, further days change
    /// nothing at all, so at most `target_days + 1` of them are stepped.
    pub fn idle(&mut self, days: usize) {
        for _ in 0..days.min(self.arrived_by_day.len()) {
            self.work_day(0.0, 0.0);
        }
    }

    /// Work already past its target and still waiting: certain to be late.
    pub fn overdue(&self) -> f64 {
        (self.overdue_below - self.completed).max(0.0)
    }

    /// Whether any work is waiting at the end of the day.
    pub(crate) fn has_waiting(&self) -> bool {
        self.arrived > self.completed
    }

    /// All work waiting, on time or overdue, in transactions.
    pub(crate) fn waiting_transactions(&self) -> f64 {
        self.arrived - self.completed
    }

    /// The days of `target_days + 1` the backlog remembers.
    pub(crate) fn remembered_days(&self) -> usize {
        self.arrived_by_day.len()
    }

    #[cfg(test)]
    /// Work still within its target and waiting.
    pub(crate) fn pending_on_time(&self) -> f64 {
        self.waiting_transactions() - self.overdue()
    }
}

/// How many backlogs [`Lanes`] works side by side.
pub(crate) const LANES: usize = 4;

/// One number for each backlog of [`Lanes`].
pub(crate) type Lane = [f64; LANES];

/// [`LANES`] backlogs of the same target worked side by side over the same
/// days: each lane's day is [`AgedBacklog::work_day`]'s additions and
/// minima, in the same order, so its results are the same to the bit (on
/// x86-64 for every input; elsewhere for every input but a NaN, whose
/// minimum `wide` leaves to the processor).
///
/// Why: one backlog's day waits on the day before (`C' = min(C + c, A)`,
/// an addition and a minimum, about 8 cycles), and its few dozen
/// instructions fill those cycles. Side by side, the processor does each
/// operation for two or four lanes at once (SSE2 on every x86-64, through
/// `wide`), and the lanes' chains overlap. The arrivals curve `A` does not
/// depend on the work done, so it is summed first, leaving the day loop
/// only the completions.
#[derive(Clone, Debug, Default)]
pub(crate) struct Lanes {
    /// `A` at the end of each day: the backlogs' remembered days, oldest
    /// first, then each day to work. Day `d`'s work arrived up to row `d`
    /// is overdue; row `remembered + d` is `A` at its end.
    history: Vec<Lane>,
    /// Each day's capacities.
    capacity: Vec<Lane>,
}

/// What [`Lanes::work`] sums over the days, each lane's in day order.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct LaneSums {
    /// Transactions that arrived.
    pub arrived: Lane,
    /// Completed within the target.
    pub on_time: Lane,
    /// Completed after the target.
    pub late: Lane,
    /// Capacity offered (when watched).
    pub capacity: Lane,
    /// Days ending with work waiting (when watched).
    pub waiting_days: Lane,
    /// Work waiting at the end of each day, in transaction-days (when
    /// watched).
    pub waiting_transactions: Lane,
}

/// Each lane's capacity over the days [`Lanes::work`] works: every day's,
/// or one for every day.
#[derive(Clone, Copy, Debug)]
pub(crate) enum LaneCapacity<'a> {
    Daily([&'a [f64]; LANES]),
    Steady(Lane),
}

impl Lanes {
    /// Works `backlogs`, which remember as many days (same target), through
    /// as many days: on day `d`, lane `l` receives `arrived[l][d]` and works
    /// its `capacity` of that day. Each lane's sums go on from `sums`;
    /// capacity and waiting work are summed only when `WATCHED`.
    pub(crate) fn work<const WATCHED: bool>(
        &mut self,
        backlogs: &mut [&mut AgedBacklog; LANES],
        arrived: [&[f64]; LANES],
        capacity: LaneCapacity,
        sums: LaneSums,
    ) -> LaneSums {
        let remembered = backlogs[0].remembered_days();
        debug_assert!(backlogs.iter().all(|b| b.remembered_days() == remembered));
        let days = arrived[0].len();
        debug_assert!(arrived.iter().all(|s| s.len() == days));
        // Not cleared first: every lane writes its whole column below.
        self.history.resize(remembered + days, [0.0; LANES]);
        // The lanes' days side by side: the days each remembers, oldest
        // first, then what arrives each day to work, and the capacities.
        for (lane, backlog) in backlogs.iter().enumerate() {
            let (newer, older) = backlog.arrived_by_day.split_at(backlog.oldest);
            let (remembered_rows, new_rows) = self.history.split_at_mut(remembered);
            for (row, &value) in remembered_rows.iter_mut().zip(older.iter().chain(newer)) {
                row[lane] = value;
            }
            for (row, &new) in new_rows.iter_mut().zip(arrived[lane]) {
                row[lane] = new;
            }
        }
        if let LaneCapacity::Daily(capacity) = capacity {
            debug_assert!(capacity.iter().all(|s| s.len() == days));
            self.capacity.resize(days, [0.0; LANES]);
            for (lane, series) in capacity.iter().enumerate() {
                for (row, &can) in self.capacity.iter_mut().zip(*series) {
                    row[lane] = can;
                }
            }
        }
        // The arrivals curve, in place of what arrived, and the sums that
        // depend on nothing else.
        let mut curve = f64x4::from(std::array::from_fn(|l| backlogs[l].arrived));
        let mut arrived_sum = f64x4::from(sums.arrived);
        for row in &mut self.history[remembered..] {
            let new = f64x4::from(*row);
            arrived_sum += new;
            curve += new;
            *row = curve.to_array();
        }
        let mut capacity_sum = f64x4::from(sums.capacity);
        if WATCHED {
            match capacity {
                LaneCapacity::Daily(_) => {
                    for &can in &self.capacity[..days] {
                        capacity_sum += f64x4::from(can);
                    }
                }
                LaneCapacity::Steady(can) => {
                    for _ in 0..days {
                        capacity_sum += f64x4::from(can);
                    }
                }
            }
        }
        // The completions, day by day.
        let mut completions = Completions {
            completed: f64x4::from(std::array::from_fn(|l| backlogs[l].completed)),
            on_time: f64x4::from(sums.on_time),
            late: f64x4::from(sums.late),
            waiting_days: f64x4::from(sums.waiting_days),
            waiting: f64x4::from(sums.waiting_transactions),
        };
        let overdue_rows = &self.history[..days];
        let arrived_rows = &self.history[remembered..];
        match capacity {
            LaneCapacity::Daily(_) => completions.work::<WATCHED>(
                self.capacity[..days].iter().copied(),
                overdue_rows,
                arrived_rows,
            ),
            LaneCapacity::Steady(can) => completions.work::<WATCHED>(
                std::iter::repeat_n(can, days),
                overdue_rows,
                arrived_rows,
            ),
        }
        // Each backlog as if it had worked the days alone: the same curves,
        // remembered days and overdue work.
        let worked = days;
        let completed = completions.completed.to_array();
        for (lane, backlog) in backlogs.iter_mut().enumerate() {
            backlog.completed = completed[lane];
            let Some(last) = arrived_rows.last() else {
                continue;
            };
            backlog.arrived = last[lane];
            // Row `j` of the history belongs in slot `(oldest + j) % len`:
            // the last `len` rows, from row `worked` on, are the ring now.
            backlog.oldest = (backlog.oldest + worked) % remembered;
            let latest = &self.history[worked..];
            let (newer, older) = backlog.arrived_by_day.split_at_mut(backlog.oldest);
            for (slot, row) in older.iter_mut().chain(newer).zip(latest) {
                *slot = row[lane];
            }
            backlog.overdue_below = self.history[worked - 1][lane];
        }
        LaneSums {
            arrived: arrived_sum.to_array(),
            on_time: completions.on_time.to_array(),
            late: completions.late.to_array(),
            capacity: capacity_sum.to_array(),
            waiting_days: completions.waiting_days.to_array(),
            waiting_transactions: completions.waiting.to_array(),
        }
    }
}

/// What the day loop of [`Lanes::work`] carries from day to day.
#[derive(Clone, Copy)]
struct Completions {
    completed: f64x4,
    on_time: f64x4,
    late: f64x4,
    waiting_days: f64x4,
    waiting: f64x4,
}

impl Completions {
    /// The days, each with its capacities, the arrivals curve `target_days
    /// + 1` days back (`overdue_rows`) and at its end (`arrived_rows`).
    #[inline(always)]
    fn work<const WATCHED: bool>(
        &mut self,
        capacities: impl Iterator<Item = Lane>,
        overdue_rows: &[Lane],
        arrived_rows: &[Lane],
    ) {
        let Completions {
            mut completed,
            mut on_time,
            mut late,
            mut waiting_days,
            mut waiting,
        } = *self;
        for ((capacity, &overdue_below), &arrived) in capacities.zip(overdue_rows).zip(arrived_rows)
        {
            let arrived = f64x4::from(arrived);
            let before = completed;
            // `fast_min(a, b)` is `if a < b { a } else { b }` and
            // `fast_max(x, 0)` is `if x > 0 { x } else { 0 }`, as in
            // `AgedBacklog::work_day` (SSE2's `minpd` and `maxpd`).
            let after = (before + f64x4::from(capacity)).fast_min(arrived);
            completed = after;
            let late_until = after.fast_min(f64x4::from(overdue_below));
            let late_today = (late_until - before).fast_max(f64x4::ZERO);
            on_time += (after - before) - late_today;
            late += late_today;
            if WATCHED {
                // 1 or 0, as `f64::from(u8::from(..))` in one lane.
                waiting_days += arrived.simd_gt(completed) & f64x4::ONE;
                waiting += arrived - completed;
            }
        }
        *self = Completions {
            completed,
            on_time,
            late,
            waiting_days,
            waiting,
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What a day completed: `on_time` within the target, `late` after it.
    fn day(on_time: f64, late: f64) -> DayResult {
        DayResult { on_time, late }
    }

    #[test]
    fn capacity_above_arrivals_completes_everything_the_same_day() {
        let mut q = AgedBacklog::new(2);
        for _ in 0..10 {
            assert_eq!(q.work_day(5.0, 6.0), day(5.0, 0.0));
        }
        assert_eq!(q.pending_on_time() + q.overdue(), 0.0);
    }

    #[test]
    fn work_becomes_overdue_after_the_target_and_is_then_done_first() {
        // Target 1 day: work arriving on day 0 is on time if done on day 0 or 1.
        let mut q = AgedBacklog::new(1);
        // Day 0: 10 arrive, capacity 4 → 4 on time, 6 waiting (age 0).
        assert_eq!(q.work_day(10.0, 4.0), day(4.0, 0.0));
        // Day 1: the 6 are age 1 (still on time); 10 more arrive; capacity 4
        // takes 4 of the oldest → 2 of day 0's and 10 of day 1's wait.
        assert_eq!(q.work_day(10.0, 4.0), day(4.0, 0.0));
        assert_eq!(q.pending_on_time(), 12.0);
        // Day 2: day 0's 2 are overdue and go first (late), then 3 of day 1's.
        assert_eq!(q.work_day(0.0, 5.0), day(3.0, 2.0));
        // Day 3: day 1's remaining 7 are overdue.
        assert_eq!(q.overdue(), 0.0);
        assert_eq!(q.work_day(0.0, 0.0), day(0.0, 0.0));
        assert_eq!(q.overdue(), 7.0);
        assert_eq!(q.work_day(0.0, 100.0), day(0.0, 7.0));
    }

    #[test]
    fn a_same_day_target_makes_anything_left_overnight_late() {
        let mut q = AgedBacklog::new(0);
        assert_eq!(q.work_day(3.0, 2.0), day(2.0, 0.0));
        assert_eq!(q.work_day(3.0, 2.0), day(1.0, 1.0));
        assert_eq!(q.overdue() + q.pending_on_time(), 2.0);
    }

    /// Completes up to `capacity` from `slots` in order; returns what was done.
    fn drain(slots: &mut [f64], capacity: &mut f64) -> f64 {
        let mut done = 0.0;
        for slot in slots {
            if *capacity <= 0.0 {
                break;
            }
            let take = capacity.min(*slot);
            *slot -= take;
            *capacity -= take;
            done += take;
        }
        done
    }

    /// The backlog worked age by age, as first written: every age's work
    /// in a slot of a ring, every slot scanned every day, oldest first. The
    /// cumulative curves must give the same numbers.
    struct FullScan {
        by_age: Vec<f64>,
        newest: usize,
        overdue: f64,
    }

    impl FullScan {
        fn new(target_days: u32) -> Self {
            FullScan {
                by_age: vec![0.0; target_days as usize + 1],
                newest: 0,
                overdue: 0.0,
            }
        }

        fn work_day(&mut self, arrivals: f64, capacity: f64) -> DayResult {
            let slots = self.by_age.len();
            let oldest = (self.newest + 1) % slots;
            self.overdue += self.by_age[oldest];
            self.by_age[oldest] = arrivals;
            self.newest = oldest;
            let mut left = capacity;
            let late = left.min(self.overdue);
            self.overdue -= late;
            left -= late;
            let (up_to_newest, older) = self.by_age.split_at_mut(oldest + 1);
            let on_time = drain(older, &mut left) + drain(up_to_newest, &mut left);
            DayResult { on_time, late }
        }

        fn waiting(&self) -> f64 {
            self.by_age.iter().sum::<f64>() + self.overdue
        }
    }

    /// 20 000 days of runs of busy and quiet days, so that the backlog
    /// fills, overflows into overdue work and empties again, worked by
    /// both backlogs; calls `check` with the day, both backlogs' results
    /// and both backlogs, and checks that both regimes were met (days with
    /// late work, days ending with nothing waiting). With `in_eighths`,
    /// arrivals are whole and capacities multiples of 1/8.
    fn against_full_scan(
        target_days: u32,
        in_eighths: bool,
        mut check: impl FnMut(usize, DayResult, DayResult, &AgedBacklog, &FullScan),
    ) {
        let mut bits = crate::testing::xorshift(0x9e37_79b9_7f4a_7c15);
        let mut uniform = move || (bits() >> 11) as f64 / (1u64 << 53) as f64;
        let round = |x: f64, step: f64| {
            if in_eighths {
                (x / step).floor() * step
            } else {
                x
            }
        };
        let mut curves = AgedBacklog::new(target_days);
        let mut full = FullScan::new(target_days);
        let (mut late_days, mut emptied_days) = (0, 0);
        for d in 0..20_000 {
            let busy = (d / 50) % 3 == 0;
            let arrivals = if uniform() < 0.1 {
                0.0
            } else {
                round(100.0 * uniform(), 1.0)
            };
            let full_capacity = if busy { 40.0 } else { 70.0 };
            let capacity = if uniform() < 0.05 {
                0.0
            } else {
                round(full_capacity * (0.5 + uniform()), 0.125)
            };
            let (a, b) = (
                curves.work_day(arrivals, capacity),
                full.work_day(arrivals, capacity),
            );
            check(d, a, b, &curves, &full);
            late_days += usize::from(b.late > 0.0);
            emptied_days += usize::from(full.waiting() == 0.0);
        }
        assert!(
            late_days > 100 && emptied_days > 100,
            "{late_days} {emptied_days}"
        );
    }

    /// Whole arrivals and capacities in eighths: every sum either backlog
    /// forms is a multiple of 1/8 far below 2^50, so both compute exactly,
    /// and must agree to the bit.
    #[test]
    fn the_curves_give_the_full_scan_s_results_to_the_bit_when_sums_are_exact() {
        for target_days in [0, 1, 3, 10] {
            against_full_scan(target_days, true, |d, a, b, curves, full| {
                assert_eq!(a.on_time.to_bits(), b.on_time.to_bits(), "day {d}");
                assert_eq!(a.late.to_bits(), b.late.to_bits(), "day {d}");
                assert_eq!(curves.overdue().to_bits(), full.overdue.to_bits());
                assert_eq!(curves.waiting_transactions(), full.waiting(), "day {d}");
                assert_eq!(curves.has_waiting(), full.waiting() > 0.0, "day {d}");
            });
        }
    }

    /// Arrivals and capacities of any value: the two backlogs round
    /// differently, the curves' sums at the scale of everything arrived
    /// so far. Each of `n` roundings of a sum errs by at most `ε/2` of a
    /// value no larger than the arrivals to date `A`, so neither backlog
    /// is further than `n·ε·A` from exact arithmetic (Higham, "Accuracy
    /// and Stability of Numerical Algorithms", 2nd ed., 2002, §4.2), and
    /// a day's results, differences of at most two such sums, agree within
    /// `4·n·ε·A`.
    #[test]
    fn the_curves_give_the_full_scan_s_results_within_rounding() {
        for target_days in [0, 1, 3, 10] {
            against_full_scan(target_days, false, |d, a, b, curves, full| {
                let bound = 4.0 * (d + 1) as f64 * f64::EPSILON * curves.arrived;
                for (x, y) in [
                    (a.on_time, b.on_time),
                    (a.late, b.late),
                    (curves.overdue(), full.overdue),
                    (curves.waiting_transactions(), full.waiting()),
                ] {
                    assert!((x - y).abs() <= bound, "day {d}: {x} against {y}");
                }
            });
        }
    }

    #[test]
    fn idle_days_complete_nothing_and_leave_the_same_overdue_work() {
        for idle_days in [0, 1, 2, 3, 4, 5, 9, 50] {
            let mut stepped = AgedBacklog::new(3);
            let mut skipped = AgedBacklog::new(3);
            for q in [&mut stepped, &mut skipped] {
                q.work_day(10.0, 1.0);
                q.work_day(7.5, 2.0);
                q.work_day(0.0, 0.25);
            }
            for _ in 0..idle_days {
                assert_eq!(stepped.work_day(0.0, 0.0), DayResult::default());
            }
            skipped.idle(idle_days);
            assert_eq!(stepped.overdue().to_bits(), skipped.overdue().to_bits());
            assert_eq!(stepped.pending_on_time(), skipped.pending_on_time());
        }
    }

    #[test]
    fn work_is_conserved() {
        let mut q = AgedBacklog::new(3);
        let arrivals = [7.0, 0.0, 12.5, 3.0, 9.0, 0.0, 0.0, 4.0, 20.0, 1.0];
        let mut done = 0.0;
        for (i, &a) in arrivals.iter().enumerate() {
            let r = q.work_day(a, 2.0 + i as f64 % 4.0);
            done += r.on_time + r.late;
        }
        let total: f64 = arrivals.iter().sum();
        assert!((done + q.pending_on_time() + q.overdue() - total).abs() < 1e-12);
    }

    /// The bits of everything a backlog carries to its next day.
    fn state(q: &AgedBacklog) -> (u64, u64, usize, Vec<u64>, u64) {
        let ring = q.arrived_by_day.iter().map(|a| a.to_bits()).collect();
        (
            q.arrived.to_bits(),
            q.completed.to_bits(),
            q.oldest,
            ring,
            q.overdue_below.to_bits(),
        )
    }

    /// Four backlogs worked side by side give each what working it alone
    /// gives, to the bit: the sums of its days (going on from given
    /// starts), what a measured year watches, and everything it carries
    /// to the next day. Over runs of 250, 1, 7, 250, 3, 250 and 250 days,
    /// for targets of 0, 3 and 5 days, on days busy enough to leave late
    /// work, with each day's capacity or (the last two runs) one capacity
    /// for every day.
    #[test]
    fn lanes_work_each_backlog_as_it_works_alone() {
        let mut bits = crate::testing::xorshift(0x51ed_27a3_93c1_4f0b);
        let mut uniform = move || (bits() >> 11) as f64 / (1u64 << 53) as f64;
        let mut lanes = Lanes::default();
        let mut late_days = 0;
        for target_days in [0, 3, 5] {
            let mut alone: Vec<AgedBacklog> =
                (0..LANES).map(|_| AgedBacklog::new(target_days)).collect();
            let mut side = alone.clone();
            for (run, days) in [250, 1, 7, 250, 3, 250, 250].into_iter().enumerate() {
                let mut series = |mean: f64| -> Vec<Vec<f64>> {
                    (0..LANES)
                        .map(|_| {
                            (0..days)
                                .map(|_| {
                                    if uniform() < 0.1 {
                                        0.0
                                    } else {
                                        2.0 * mean * uniform()
                                    }
                                })
                                .collect()
                        })
                        .collect()
                };
                let arrived = series(50.0);
                let mut capacity = series(52.0);
                // The last two runs (one watched), each lane's capacity is
                // one number for all its days, given to the lanes as that
                // number.
                let steady = run >= 5;
                if steady {
                    for lane in &mut capacity {
                        let one = lane.first().copied().unwrap_or(0.0);
                        lane.fill(one);
                    }
                }
                let start = LaneSums {
                    arrived: [0.0, 1.5, 0.0, 1e6],
                    on_time: [0.0, 0.25, 3.0, 0.0],
                    late: [2.0, 0.0, 0.0, 0.125],
                    capacity: [0.0, 7.0, 0.0, 0.5],
                    waiting_days: [0.0, 1.0, 2.0, 0.0],
                    waiting_transactions: [0.1, 0.0, 0.0, 9.0],
                };
                let watched = run % 2 == 0;
                let mut expected = start;
                for (l, q) in alone.iter_mut().enumerate() {
                    for (&new, &can) in arrived[l].iter().zip(&capacity[l]) {
                        let done = q.work_day(new, can);
                        late_days += usize::from(done.late > 0.0);
                        expected.arrived[l] += new;
                        expected.on_time[l] += done.on_time;
                        expected.late[l] += done.late;
                        if watched {
                            expected.capacity[l] += can;
                            expected.waiting_days[l] += f64::from(u8::from(q.has_waiting()));
                            expected.waiting_transactions[l] += q.waiting_transactions();
                        }
                    }
                }
                let mut backlogs: [&mut AgedBacklog; LANES] = side
                    .iter_mut()
                    .collect::<Vec<_>>()
                    .try_into()
                    .expect("four backlogs");
                let arrived: [&[f64]; LANES] = std::array::from_fn(|l| &arrived[l][..]);
                let capacity = if steady {
                    LaneCapacity::Steady(std::array::from_fn(|l| capacity[l][0]))
                } else {
                    LaneCapacity::Daily(std::array::from_fn(|l| &capacity[l][..]))
                };
                let sums = if watched {
                    lanes.work::<true>(&mut backlogs, arrived, capacity, start)
                } else {
                    lanes.work::<false>(&mut backlogs, arrived, capacity, start)
                };
                let case = format!("target {target_days}, run {run}");
                let pairs = [
                    (sums.arrived, expected.arrived),
                    (sums.on_time, expected.on_time),
                    (sums.late, expected.late),
                    (sums.capacity, expected.capacity),
                    (sums.waiting_days, expected.waiting_days),
                    (sums.waiting_transactions, expected.waiting_transactions),
                ];
                for (got, want) in pairs {
                    assert_eq!(got.map(f64::to_bits), want.map(f64::to_bits), "{case}");
                }
                for (l, (q, p)) in side.iter().zip(&alone).enumerate() {
                    assert_eq!(state(q), state(p), "{case}, lane {l}");
                }
            }
        }
        assert!(late_days > 100, "late work on only {late_days} days");
    }
}
