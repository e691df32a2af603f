//! A team's backlog, tracked by age, so that the share of transactions
//! completed within the service-level target is measured rather than assumed.

/// Work waiting in a team's queue, by age in working days.
///
/// A transaction arriving on day `d` has age 0 that day; it is on time if it
/// is completed by day `d + target_days`. Each day the team works oldest
/// first: overdue work, then the oldest work still on time, down to today's
/// arrivals. Amounts are in transactions and may be fractional, because a
/// team's daily capacity is.
#[derive(Clone, Debug)]
pub(crate) struct AgedBacklog {
    /// Waiting work of ages 0 ..= target_days, as a ring.
    by_age: Vec<f64>,
    /// Slot of `by_age` holding today's arrivals (age 0).
    newest: usize,
    /// Work of ages `waiting` and older has all been completed: those slots
    /// hold exactly 0. A team that keeps up has only a day or two waiting,
    /// so the daily work skips the empty slots instead of scanning them all.
    waiting: usize,
    /// Waiting work older than the target: it can only be completed late.
    overdue: f64,
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
            by_age: vec![0.0; target_days as usize + 1],
            newest: 0,
            waiting: 0,
            overdue: 0.0,
        }
    }

    /// Advances one working day: yesterday's work ages, `arrivals` join the
    /// queue, and up to `capacity` transactions are completed, oldest first.
    #[inline(always)]
    pub(crate) fn work_day(&mut self, arrivals: f64, capacity: f64) -> DayResult {
        // The slot holding the oldest on-time work becomes overdue today, and
        // is reused for today's arrivals. (It holds 0 unless every age waits.)
        let oldest = self.slot_after(self.newest, 1);
        self.newest = oldest;
        // Most days a team that keeps up starts with an empty queue and
        // completes all of today's arrivals (or has neither work nor staff,
        // like a headquarters unit after the move): the general case would
        // come to the same numbers, adding nothing but zeros.
        if self.waiting == 0 && self.overdue == 0.0 && arrivals <= capacity {
            return DayResult {
                on_time: 0.0 + arrivals,
                late: 0.0,
            };
        }
        self.work_backlog(oldest, arrivals, capacity)
    }

    /// [`AgedBacklog::work_day`] when work is waiting or today's is more
    /// than the team can do; `oldest` is the slot for today's arrivals.
    #[inline(always)]
    fn work_backlog(&mut self, oldest: usize, arrivals: f64, capacity: f64) -> DayResult {
        let by_age = self.by_age.as_mut_slice();
        let slots = by_age.len();
        if self.waiting == slots {
            self.overdue += by_age[oldest];
        }
        by_age[oldest] = arrivals;
        let mut waiting = (self.waiting + 1).min(slots);

        let mut left = capacity;
        let late = left.min(self.overdue);
        self.overdue -= late;
        left -= late;
        // Oldest first, from the oldest waiting slot up the ring to today's.
        // Work in slots after today's (before the ring's end) and up to it
        // is summed apart, as a full scan of the ring would sum it:
        // skipping empty slots adds and subtracts nothing but zeros.
        let mut slot = if waiting <= oldest + 1 {
            oldest + 1 - waiting
        } else {
            oldest + 1 + slots - waiting
        };
        let (mut before_end, mut up_to_today) = (0.0, 0.0);
        let mut visited = 0;
        // (As a scan that stops once `left <= 0.0`: NaN capacity goes on.)
        while visited < waiting && (left > 0.0 || left.is_nan()) {
            let work = &mut by_age[slot];
            let take = left.min(*work);
            *work -= take;
            left -= take;
            if slot > oldest {
                before_end += take;
            } else {
                up_to_today += take;
            }
            visited += 1;
            slot = if slot + 1 == slots { 0 } else { slot + 1 };
        }
        // Completed ages at the old end no longer wait. Every slot visited
        // was completed, except perhaps the last, where the capacity ran out.
        let last = if slot == 0 { slots - 1 } else { slot - 1 };
        waiting -= visited;
        if visited > 0 && by_age[last] != 0.0 {
            waiting += 1;
        } else {
            while waiting > 0 && by_age[slot] == 0.0 {
                waiting -= 1;
                slot = if slot + 1 == slots { 0 } else { slot + 1 };
            }
        }
        self.waiting = waiting;
        DayResult {
            on_time: before_end + up_to_today,
            late,
        }
    }

    /// The slot `steps` (at most one turn) after `slot` in the ring.
    fn slot_after(&self, slot: usize, steps: usize) -> usize {
        let next = slot + steps;
        if next >= self.by_age.len() {
            next - self.by_age.len()
        } else {
            next
        }
    }

    /// Advances `days` working days on which nothing arrives and nothing is
    /// done: the waiting work only ages. Each such day completes nothing,
    /// and once every age has passed the target, further days change
    /// nothing at all, so at most `target_days + 1` of them are stepped.
    pub fn idle(&mut self, days: usize) {
        for _ in 0..days.min(self.by_age.len()) {
            self.work_day(0.0, 0.0);
        }
    }

    /// Work already past its target and still waiting: certain to be late.
    pub fn overdue(&self) -> f64 {
        self.overdue
    }

    /// Whether any work is waiting at the end of the day.
    pub(crate) fn has_waiting(&self) -> bool {
        self.waiting > 0 || self.overdue > 0.0
    }

    /// All work waiting, on time or overdue, in transactions.
    pub(crate) fn waiting_transactions(&self) -> f64 {
        self.by_age.iter().sum::<f64>() + self.overdue
    }

    #[cfg(test)]
    /// Work still within its target and waiting.
    pub(crate) fn pending_on_time(&self) -> f64 {
        self.by_age.iter().sum()
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

    /// The backlog as first written: every slot of the ring scanned every
    /// day. The optimised one must give exactly the same numbers.
    struct FullScan {
        by_age: Vec<f64>,
        newest: usize,
        overdue: f64,
    }

    impl FullScan {
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
    }

    #[test]
    fn skipping_empty_slots_gives_bit_identical_results() {
        // A small deterministic generator: runs of busy and quiet days, so
        // the backlog fills, overflows into overdue work, and empties again.
        let mut bits = crate::testing::xorshift(0x9e37_79b9_7f4a_7c15);
        let mut next = move || (bits() >> 11) as f64 / (1u64 << 53) as f64;
        for target_days in [0, 1, 3, 10] {
            let mut fast = AgedBacklog::new(target_days);
            let mut full = FullScan {
                by_age: vec![0.0; target_days as usize + 1],
                newest: 0,
                overdue: 0.0,
            };
            let (mut late_days, mut emptied_days) = (0, 0);
            for day in 0..20_000 {
                let busy = (day / 50) % 3 == 0;
                let arrivals = if next() < 0.1 { 0.0 } else { 100.0 * next() };
                let full_capacity = if busy { 40.0 } else { 70.0 };
                let capacity = if next() < 0.05 {
                    0.0
                } else {
                    full_capacity * (0.5 + next())
                };
                let (a, b) = (
                    fast.work_day(arrivals, capacity),
                    full.work_day(arrivals, capacity),
                );
                assert_eq!(a.on_time.to_bits(), b.on_time.to_bits(), "day {day}");
                assert_eq!(a.late.to_bits(), b.late.to_bits(), "day {day}");
                assert_eq!(fast.overdue().to_bits(), full.overdue.to_bits());
                late_days += usize::from(a.late > 0.0);
                emptied_days += usize::from(fast.overdue() + fast.pending_on_time() == 0.0);
            }
            assert_eq!(fast.by_age, full.by_age);
            // Both regimes were exercised.
            assert!(
                late_days > 100 && emptied_days > 100,
                "{late_days} {emptied_days}"
            );
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
