//! Contact lines (service desks, call centres): calls are answered as they
//! come, so a desk is staffed hour by hour for "a share answered within so
//! many seconds" with the Erlang formulas of [`super::erlang`] — Erlang C,
//! or Erlang A when callers hang up. The pooling gain of a shared desk
//! follows from those formulas: agents grow less than proportionally with
//! calls. Callers call in their own business hours, so a desk serving
//! several time zones sees a flatter day.

use std::cell::RefCell;

use super::apportion::largest_remainder;
use super::erlang::{
    agents_for_service_level_a, agents_for_service_level_c, average_speed_of_answer_c, measures_a,
    service_level_c,
};
use super::solved::Solved;
use crate::model::{
    Agency, AgencyLine, ContactWork, Draws, HOURS_PER_DAY, MONTHS_PER_YEAR, Scenario,
};

/// Calls arriving in each UTC hour of a working day, for each month of a year.
pub(crate) type HourlyRates = [[f64; HOURS_PER_DAY]; MONTHS_PER_YEAR];

/// The calls a contact team plans for, each year: the members' combined
/// hourly rates, and each member's own (for staffing members apart).
#[derive(Clone, Debug)]
pub(crate) struct ContactRequirement {
    /// Combined rates, `[year]`.
    pub pooled: Vec<HourlyRates>,
    /// Each member's rates, `[member][year]`.
    pub members: Vec<Vec<HourlyRates>>,
    /// Desks already staffed for these calls. A replication's decomposition
    /// staffs the same calls at the same handle time under many
    /// combinations of mechanisms, and the Erlang searches dominate its cost.
    staffed: RefCell<Vec<(DeskKey, StaffedDesk)>>,
}

/// What a desk's staffing depends on besides the calls: the year, the
/// handle time (its bits) and whether members share one desk.
type DeskKey = (usize, u64, bool);

/// A desk's (or several separate desks') agents and service in one year.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct StaffedDesk {
    /// Agent-hours on the phones each working day.
    pub agent_hours: f64,
    /// What each month's callers met.
    pub callers_by_month: [Callers; MONTHS_PER_YEAR],
}

/// What a month's callers met at a desk, as shares of (or means over) the
/// calls that arrived: the figures benchmark studies of contact centres
/// publish besides the service level.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Callers {
    /// Share answered within the target.
    pub answered_in_time_share: f64,
    /// Share that hung up before an agent answered (Erlang A; `0` under
    /// Erlang C, where nobody does).
    pub abandon_share: f64,
    /// The wait of the answered calls, seconds, over every call arrived:
    /// the average speed of answer times the answered share, so that it
    /// adds up over hours and desks weighted by calls. Infinite when a
    /// queue that never hangs up grows without bound.
    pub answer_wait_seconds_per_call: f64,
}

impl Callers {
    /// A month without calls: nobody waits, nobody is late.
    pub const NO_CALLS: Callers = Callers {
        answered_in_time_share: 1.0,
        abandon_share: 0.0,
        answer_wait_seconds_per_call: 0.0,
    };

    /// The callers of an hour with `agents` and `rate` calls.
    fn of_hour(
        work: &ContactWork,
        patience: Option<f64>,
        handle: f64,
        agents: u32,
        rate: f64,
    ) -> Self {
        let within = work.answer_within_seconds;
        match patience {
            None => Callers {
                answered_in_time_share: service_level_c(agents, rate, handle, within),
                abandon_share: 0.0,
                answer_wait_seconds_per_call: average_speed_of_answer_c(agents, rate, handle),
            },
            Some(patience) => {
                let desk = measures_a(agents, rate, handle, patience, within);
                Callers {
                    answered_in_time_share: desk.answered_within_share,
                    abandon_share: desk.abandonment_share,
                    answer_wait_seconds_per_call: desk.answered_wait_seconds
                        * (1.0 - desk.abandonment_share),
                }
            }
        }
    }

    /// Sums of `calls` callers meeting `self`.
    fn times(self, calls: f64) -> [f64; 3] {
        [
            calls * self.answered_in_time_share,
            calls * self.abandon_share,
            calls * self.answer_wait_seconds_per_call,
        ]
    }

    /// The callers of `sums` ([`Callers::times`], added up) over `calls`.
    fn per_call(sums: [f64; 3], calls: f64) -> Self {
        if calls > 0.0 {
            Callers {
                answered_in_time_share: sums[0] / calls,
                abandon_share: sums[1] / calls,
                answer_wait_seconds_per_call: sums[2] / calls,
            }
        } else {
            Callers::NO_CALLS
        }
    }
}

impl ContactRequirement {
    /// The requirement of a team with these combined and members' rates.
    pub fn new(pooled: Vec<HourlyRates>, members: Vec<Vec<HourlyRates>>) -> Self {
        ContactRequirement {
            pooled,
            members,
            staffed: RefCell::new(Vec::new()),
        }
    }

    /// Staffs the desk for `year`'s calls at `handle_time_seconds` a call:
    /// shared, one desk takes all members' calls; apart, each member's calls
    /// get their own agents, and the answered share is that of all desks.
    pub fn staff(
        &self,
        work: &ContactWork,
        draws: &Draws,
        year: usize,
        handle_time_seconds: f64,
        shared: bool,
        hours: &mut SolvedHours,
    ) -> StaffedDesk {
        let shared = shared || self.members.len() == 1;
        let key = (year, handle_time_seconds.to_bits(), shared);
        if let Some((_, desk)) = self.staffed.borrow().iter().find(|(k, _)| *k == key) {
            return *desk;
        }
        let desks: Vec<&HourlyRates> = if shared {
            vec![&self.pooled[year]]
        } else {
            self.members.iter().map(|m| &m[year]).collect()
        };
        let mut agent_hours = 0.0;
        let (mut calls, mut sums) = ([0.0; MONTHS_PER_YEAR], [[0.0; 3]; MONTHS_PER_YEAR]);
        for rates in desks {
            let agents = agents_per_hour(work, draws, handle_time_seconds, rates, hours);
            agent_hours += agents.iter().map(|&a| f64::from(a)).sum::<f64>();
            let callers = callers_by_month(work, draws, handle_time_seconds, &agents, rates, hours);
            for month in 0..MONTHS_PER_YEAR {
                let month_calls: f64 = rates[month].iter().sum();
                calls[month] += month_calls;
                add(&mut sums[month], callers[month].times(month_calls));
            }
        }
        let desk = StaffedDesk {
            agent_hours,
            callers_by_month: std::array::from_fn(|m| Callers::per_call(sums[m], calls[m])),
        };
        self.staffed.borrow_mut().push((key, desk));
        desk
    }
}

/// Erlang solutions of single hours, by the bits of everything each
/// depends on: the agents an hour's busiest month needs
/// ([`agents_per_hour`]) and what an hour's callers meet
/// ([`callers_by_month`]). The same hour comes again and again: in the
/// sensitivity swings, whose runs of one replication staff the same calls
/// at the same handle time for every input that changes neither; in a
/// replication, the years whose calls do not grow, and a team's members
/// staffed apart at the handle time of their own desks. The Erlang A
/// searches took nine tenths of `scenarios/service-desk.toml`'s run. Up to
/// [`HOURS_KEPT`] of each kind are kept, then all forgotten at once.
/// A solution depends on its key alone, so what is kept changes how often
/// the formulas are evaluated, never a result.
#[derive(Clone, Debug, Default)]
pub(crate) struct SolvedHours {
    /// Agents for an hour's busiest month, by its calls and the target's share.
    agents: Solved<HourKey, u32, HOURS_KEPT>,
    /// What an hour's callers meet, by its calls and agents.
    callers: Solved<HourKey, Callers, HOURS_KEPT>,
}

/// Solutions kept of each kind: kept for the sensitivity swings alone, a
/// whole run of `scenarios/service-desk.toml` took the same time with 8 192
/// as with 16 384 (which filled up about sixteen times in it). Assumption
/// (a memory and speed trade-off of this implementation).
const HOURS_KEPT: usize = 1 << 13;

/// The most bytes [`SolvedHours`] holds.
pub(crate) const SOLVED_HOURS_BYTES: u64 = Solved::<HourKey, u32, HOURS_KEPT>::MOST_BYTES
    + Solved::<HourKey, Callers, HOURS_KEPT>::MOST_BYTES;

/// An hour's Erlang arguments as bits: the answer-within target, the
/// callers' patience (none: Erlang C), the handle time, the calls per
/// hour, and the agents or the target's share (each kind of solution has
/// a table of its own).
type HourKey = [u64; 6];

fn hour_key(
    work: &ContactWork,
    patience: Option<f64>,
    handle_time_seconds: f64,
    calls_per_hour: f64,
    agents_or_share_bits: u64,
) -> HourKey {
    [
        work.answer_within_seconds.to_bits(),
        u64::from(patience.is_some()),
        patience.unwrap_or(0.0).to_bits(),
        handle_time_seconds.to_bits(),
        calls_per_hour.to_bits(),
        agents_or_share_bits,
    ]
}

/// One agency's calls per UTC hour in each month of `year`: each month's
/// daily mean spread over the callers' local day (the line's hourly
/// profile), shifted by the agency's headquarters time zone.
pub(crate) fn agency_rates(
    scenario: &Scenario,
    agency: &Agency,
    demand: &AgencyLine,
    work: &ContactWork,
    draws: &Draws,
    year: u32,
) -> HourlyRates {
    // Validation requires the time zone of every agency with contact work.
    let offset = scenario.locations[agency.hq_location]
        .utc_offset_hours
        .unwrap_or(0.0)
        .round() as i64;
    let days = scenario.settings.working_days_per_year;
    std::array::from_fn(|month| {
        let daily = demand.daily_mean(draws, year, month, days);
        std::array::from_fn(|utc_hour| {
            let local = (utc_hour as i64 + offset).rem_euclid(HOURS_PER_DAY as i64) as usize;
            daily * work.hourly_profile[local]
        })
    })
}

/// Adds two sets of hourly rates.
pub(crate) fn add_rates(a: &HourlyRates, b: &HourlyRates) -> HourlyRates {
    std::array::from_fn(|m| std::array::from_fn(|h| a[m][h] + b[m][h]))
}

/// Agents needed in each UTC hour: enough for the busiest month of that
/// hour to meet the target (the answered share grows with agents, so the
/// busiest month decides).
pub(crate) fn agents_per_hour(
    work: &ContactWork,
    draws: &Draws,
    handle_time_seconds: f64,
    rates: &HourlyRates,
    hours: &mut SolvedHours,
) -> [u32; HOURS_PER_DAY] {
    let patience = work.patience_seconds.map(|p| draws.value(p));
    let share = work.answer_share.to_bits();
    std::array::from_fn(|hour| {
        let peak = (0..MONTHS_PER_YEAR)
            .map(|m| rates[m][hour])
            .fold(0.0, f64::max);
        let key = hour_key(work, patience, handle_time_seconds, peak, share);
        hours.agents.get_or_solve(key, || match patience {
            None => agents_for_service_level_c(
                peak,
                handle_time_seconds,
                work.answer_within_seconds,
                work.answer_share,
            ),
            Some(patience) => agents_for_service_level_a(
                peak,
                handle_time_seconds,
                patience,
                work.answer_within_seconds,
                work.answer_share,
            ),
        })
    })
}

/// What each month's callers met with `agents` in each hour.
pub(crate) fn callers_by_month(
    work: &ContactWork,
    draws: &Draws,
    handle_time_seconds: f64,
    agents: &[u32; HOURS_PER_DAY],
    rates: &HourlyRates,
    hours: &mut SolvedHours,
) -> [Callers; MONTHS_PER_YEAR] {
    let patience = work.patience_seconds.map(|p| draws.value(p));
    let (mut calls, mut sums) = ([0.0; MONTHS_PER_YEAR], [[0.0; 3]; MONTHS_PER_YEAR]);
    for (hour, &staffed) in agents.iter().enumerate() {
        // Months with the same rate in this hour (no seasonality) share one
        // evaluation, found here by a scan: looking each month up among the
        // kept hours instead made `scenarios/service-desk.toml`'s run 8%
        // slower.
        let mut solved = [(0.0, Callers::NO_CALLS); MONTHS_PER_YEAR];
        let mut distinct = 0;
        for month in 0..MONTHS_PER_YEAR {
            let rate = rates[month][hour];
            if rate <= 0.0 {
                continue;
            }
            let callers = match solved[..distinct].iter().find(|(r, _)| *r == rate) {
                Some(&(_, callers)) => callers,
                None => {
                    let key = hour_key(
                        work,
                        patience,
                        handle_time_seconds,
                        rate,
                        u64::from(staffed),
                    );
                    let callers = hours.callers.get_or_solve(key, || {
                        Callers::of_hour(work, patience, handle_time_seconds, staffed, rate)
                    });
                    solved[distinct] = (rate, callers);
                    distinct += 1;
                    callers
                }
            };
            calls[month] += rate;
            add(&mut sums[month], callers.times(rate));
        }
    }
    std::array::from_fn(|m| Callers::per_call(sums[m], calls[m]))
}

/// Adds `more` to `sums`, element by element.
fn add(sums: &mut [f64; 3], more: [f64; 3]) {
    for (sum, x) in sums.iter_mut().zip(more) {
        *sum += x;
    }
}

/// FTE who deliver `agent_hours` on the phones each working day: paid
/// minutes per day less shrinkage.
pub(crate) fn fte_for_agent_hours(
    agent_hours: f64,
    working_minutes_per_day: f64,
    shrinkage_share: f64,
) -> f64 {
    agent_hours * 60.0 / (working_minutes_per_day * (1.0 - shrinkage_share))
}

/// Agent-hours on the phones that `fte` deliver each working day: the
/// inverse of [`fte_for_agent_hours`].
pub(crate) fn agent_hours_of_fte(
    fte: f64,
    working_minutes_per_day: f64,
    shrinkage_share: f64,
) -> f64 {
    fte * working_minutes_per_day * (1.0 - shrinkage_share) / 60.0
}

/// Agents in each UTC hour when a desk has `agent_hours` a day: whole
/// agent-hours spread over the hours in proportion to the year's calls in
/// each (largest remainders), as a roster follows the calls.
pub(crate) fn roster(agent_hours: f64, rates: &HourlyRates) -> [u32; HOURS_PER_DAY] {
    let by_hour: [f64; HOURS_PER_DAY] =
        std::array::from_fn(|h| rates.iter().map(|month| month[h]).sum());
    let calls: f64 = by_hour.iter().sum();
    if calls <= 0.0 {
        return [0; HOURS_PER_DAY];
    }
    // Floating-point dust must not cost a whole agent-hour.
    let whole = (agent_hours + 1e-9).floor().max(0.0);
    let exact = by_hour.map(|c| whole * c / calls);
    largest_remainder(&exact)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Param;

    #[test]
    fn agent_hours_become_fte_after_shrinkage() {
        // 64 agent-hours a day, 8-hour days, 20% shrinkage: 64 / 6.4 = 10 FTE.
        assert!((fte_for_agent_hours(64.0, 480.0, 0.2) - 10.0).abs() < 1e-12);
    }

    #[test]
    fn a_roster_follows_the_calls_in_whole_agent_hours() {
        // Calls in three hours in the ratio 1 : 2 : 1; 10.4 agent-hours are
        // 10 whole ones: exact 2.5 / 5 / 2.5, floors 2 / 5 / 2, and the one
        // left goes to the first of the tied remainders.
        let mut rates: HourlyRates = [[0.0; HOURS_PER_DAY]; MONTHS_PER_YEAR];
        for month in rates.iter_mut() {
            month[8] = 10.0;
            month[9] = 20.0;
            month[10] = 10.0;
        }
        let agents = roster(10.4, &rates);
        assert_eq!(&agents[8..11], &[3, 5, 2]);
        assert_eq!(agents.iter().sum::<u32>(), 10);
        assert_eq!(
            roster(10.4, &[[0.0; HOURS_PER_DAY]; MONTHS_PER_YEAR]),
            [0; HOURS_PER_DAY]
        );
    }

    #[test]
    fn agent_hours_and_fte_are_inverse() {
        let hours = agent_hours_of_fte(10.0, 480.0, 0.2);
        assert!((hours - 64.0).abs() < 1e-12);
        assert!((fte_for_agent_hours(hours, 480.0, 0.2) - 10.0).abs() < 1e-12);
    }

    fn work() -> ContactWork {
        ContactWork {
            handle_time_seconds: Param::Fixed(180.0),
            answer_within_seconds: 20.0,
            answer_share: 0.8,
            patience_seconds: None,
            shrinkage_share: Param::Fixed(0.0),
            hourly_profile: [1.0 / 24.0; HOURS_PER_DAY],
        }
    }

    #[test]
    fn a_remembered_desk_is_the_one_staffed_for_the_same_handle_time() {
        // 100 calls an hour in every hour of the day, for the desk and for
        // each of two members (the rates need not add up to test the memo).
        let rates: HourlyRates = [[100.0; HOURS_PER_DAY]; MONTHS_PER_YEAR];
        let calls = ContactRequirement::new(vec![rates], vec![vec![rates], vec![rates]]);
        let fresh = || ContactRequirement::new(vec![rates], vec![vec![rates], vec![rates]]);
        let staff = |calls: &ContactRequirement, handle_time_seconds, shared| {
            let hours = &mut SolvedHours::default();
            calls.staff(
                &work(),
                &Draws::default(),
                0,
                handle_time_seconds,
                shared,
                hours,
            )
        };
        let short = staff(&calls, 180.0, true);
        let long = staff(&calls, 360.0, true);
        let apart = staff(&calls, 180.0, false);
        // 5 erlangs need 8 agents for 80/20 (Erlang C), 10 erlangs 14 (the
        // published 200-calls example); two separate desks of 100 calls an
        // hour need 8 each.
        assert_eq!(short.agent_hours, 24.0 * 8.0);
        assert_eq!(long.agent_hours, 24.0 * 14.0);
        assert_eq!(apart.agent_hours, 24.0 * 16.0);
        assert_eq!(staff(&calls, 180.0, true), short);
        assert_eq!(staff(&fresh(), 360.0, true), long);
        assert_eq!(staff(&fresh(), 180.0, false), apart);
    }

    /// A desk staffed from kept hours is the desk staffed afresh, to the
    /// bit, under Erlang C and Erlang A; staffing it again solves no hour
    /// anew, and another handle time solves its own.
    #[test]
    fn a_desk_staffed_from_kept_hours_is_the_desk_staffed_afresh() {
        // Calls from 08:00 to 17:59 UTC, a different rate in every hour
        // and month: 10 busiest hours and a zero one (11 distinct peaks),
        // 120 hours with calls.
        let mut rates: HourlyRates = [[0.0; HOURS_PER_DAY]; MONTHS_PER_YEAR];
        for (month, hours) in rates.iter_mut().enumerate() {
            for (hour, rate) in hours.iter_mut().enumerate().take(18).skip(8) {
                *rate = 40.0 + 12.0 * hour as f64 + month as f64;
            }
        }
        let calls = || ContactRequirement::new(vec![rates], vec![vec![rates]]);
        let draws = Draws::default();
        let staff = |patience, handle_time_seconds, kept: &mut SolvedHours| {
            let work = ContactWork {
                patience_seconds: patience,
                ..work()
            };
            calls().staff(&work, &draws, 0, handle_time_seconds, true, kept)
        };
        // One store for both formulas: an Erlang A hour must not be taken
        // for the Erlang C hour of the same calls.
        let mut kept = SolvedHours::default();
        let sizes = |kept: &SolvedHours| (kept.agents.len(), kept.callers.len());
        for (patience, solved_before) in [(None, 0), (Some(Param::Fixed(150.0)), 2)] {
            let solved = |handle_times: usize| (11 * handle_times, 120 * handle_times);
            // Solved afresh: nothing kept.
            let afresh = staff(patience, 300.0, &mut SolvedHours::default());
            assert_eq!(staff(patience, 300.0, &mut kept), afresh);
            assert_eq!(sizes(&kept), solved(solved_before + 1));
            assert_eq!(staff(patience, 300.0, &mut kept), afresh);
            assert_eq!(sizes(&kept), solved(solved_before + 1));
            let longer = staff(patience, 360.0, &mut SolvedHours::default());
            assert_eq!(staff(patience, 360.0, &mut kept), longer);
            assert_eq!(sizes(&kept), solved(solved_before + 2));
            assert!(longer.agent_hours > afresh.agent_hours, "{patience:?}");
        }
        let impatient = staff(Some(Param::Fixed(150.0)), 300.0, &mut kept);
        assert_ne!(impatient, staff(None, 300.0, &mut kept));
    }

    #[test]
    fn hourly_rates_add_up() {
        let a: HourlyRates = [[1.0; HOURS_PER_DAY]; MONTHS_PER_YEAR];
        let b: HourlyRates = [[2.0; HOURS_PER_DAY]; MONTHS_PER_YEAR];
        assert_eq!(add_rates(&a, &b)[5][7], 3.0);
    }
}
