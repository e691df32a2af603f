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
    pub fn new(target_days: u32) -> Self {
        AgedBacklog {
            arrived: 0.0,
            completed: 0.0,
            arrived_by_day: vec![0.0; target_days as usize + 1],
            oldest: 0,
            overdue_below: 0.0,
        }
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

    #[cfg(test)]
    /// Work still within its target and waiting.
    pub(crate) fn pending_on_time(&self) -> f64 {
        self.waiting_transactions() - self.overdue()
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
}
