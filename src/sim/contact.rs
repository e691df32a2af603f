//! Contact lines (service desks, call centres): calls are answered as they
//! come, so a desk is staffed hour by hour for "a share answered within so
//! many seconds" with the Erlang formulas of [`super::erlang`] — Erlang C,
//! or Erlang A when callers hang up. The pooling gain of a shared desk
//! follows from those formulas: agents grow less than proportionally with
//! calls. Callers call in their own business hours, so a desk serving
//! several time zones sees a flatter day.

use super::erlang::{
    agents_for_service_level_a, agents_for_service_level_c, service_level_a, service_level_c,
};
use super::plan::largest_remainder;
use crate::model::{Agency, AgencyLine, ContactWork, HOURS_PER_DAY, MONTHS_PER_YEAR, Scenario};

/// Calls arriving in each UTC hour of a working day, for each month of a year.
pub type HourlyRates = [[f64; HOURS_PER_DAY]; MONTHS_PER_YEAR];

/// The calls a contact team plans for, each year: the members' combined
/// hourly rates, and each member's own (for staffing members apart).
#[derive(Clone, Debug, PartialEq)]
pub struct ContactRequirement {
    /// Combined rates, `[year]`.
    pub pooled: Vec<HourlyRates>,
    /// Each member's rates, `[member][year]`.
    pub members: Vec<Vec<HourlyRates>>,
}

/// One agency's calls per UTC hour in each month of `year`: each month's
/// daily mean spread over the callers' local day (the line's hourly
/// profile), shifted by the agency's headquarters time zone.
pub fn agency_rates(
    scenario: &Scenario,
    agency: &Agency,
    demand: &AgencyLine,
    work: &ContactWork,
    inputs: &[f64],
    year: u32,
) -> HourlyRates {
    // Validation requires the time zone of every agency with contact work.
    let offset = scenario.locations[agency.hq_location]
        .utc_offset_hours
        .unwrap_or(0.0)
        .round() as i64;
    let days = scenario.settings.working_days_per_year;
    std::array::from_fn(|month| {
        let daily = demand.daily_mean(inputs, year, month, days);
        std::array::from_fn(|utc_hour| {
            let local = (utc_hour as i64 + offset).rem_euclid(HOURS_PER_DAY as i64) as usize;
            daily * work.hourly_profile[local]
        })
    })
}

/// Adds two sets of hourly rates.
pub fn add_rates(a: &HourlyRates, b: &HourlyRates) -> HourlyRates {
    std::array::from_fn(|m| std::array::from_fn(|h| a[m][h] + b[m][h]))
}

/// Agents needed in each UTC hour: enough for the busiest month of that
/// hour to meet the target (the answered share grows with agents, so the
/// busiest month decides).
pub fn agents_per_hour(
    work: &ContactWork,
    inputs: &[f64],
    handle_time_seconds: f64,
    rates: &HourlyRates,
) -> [u32; HOURS_PER_DAY] {
    std::array::from_fn(|hour| {
        let peak = (0..MONTHS_PER_YEAR)
            .map(|m| rates[m][hour])
            .fold(0.0, f64::max);
        match work.patience_seconds {
            None => agents_for_service_level_c(
                peak,
                handle_time_seconds,
                work.answer_within_seconds,
                work.answer_share,
            ),
            Some(patience) => agents_for_service_level_a(
                peak,
                handle_time_seconds,
                patience.value(inputs),
                work.answer_within_seconds,
                work.answer_share,
            ),
        }
    })
}

/// The share of each month's calls answered in time by `agents`.
pub fn answered_share_by_month(
    work: &ContactWork,
    inputs: &[f64],
    handle_time_seconds: f64,
    agents: &[u32; HOURS_PER_DAY],
    rates: &HourlyRates,
) -> [f64; MONTHS_PER_YEAR] {
    std::array::from_fn(|month| {
        let (mut calls, mut answered) = (0.0, 0.0);
        for (hour, &rate) in rates[month].iter().enumerate() {
            if rate <= 0.0 {
                continue;
            }
            let share = match work.patience_seconds {
                None => service_level_c(
                    agents[hour],
                    rate,
                    handle_time_seconds,
                    work.answer_within_seconds,
                ),
                Some(patience) => service_level_a(
                    agents[hour],
                    rate,
                    handle_time_seconds,
                    patience.value(inputs),
                    work.answer_within_seconds,
                ),
            };
            calls += rate;
            answered += rate * share;
        }
        if calls > 0.0 { answered / calls } else { 1.0 }
    })
}

/// FTE who deliver `agent_hours` on the phones each working day: paid
/// minutes per day less shrinkage.
pub fn fte_for_agent_hours(
    agent_hours: f64,
    working_minutes_per_day: f64,
    shrinkage_share: f64,
) -> f64 {
    agent_hours * 60.0 / (working_minutes_per_day * (1.0 - shrinkage_share))
}

/// Agent-hours on the phones that `fte` deliver each working day: the
/// inverse of [`fte_for_agent_hours`].
pub fn agent_hours_of_fte(fte: f64, working_minutes_per_day: f64, shrinkage_share: f64) -> f64 {
    fte * working_minutes_per_day * (1.0 - shrinkage_share) / 60.0
}

/// Agents in each UTC hour when a desk has `agent_hours` a day: whole
/// agent-hours spread over the hours in proportion to the year's calls in
/// each (largest remainders), as a roster follows the calls.
pub fn roster(agent_hours: f64, rates: &HourlyRates) -> [u32; HOURS_PER_DAY] {
    let by_hour: [f64; HOURS_PER_DAY] =
        std::array::from_fn(|h| rates.iter().map(|month| month[h]).sum());
    let calls: f64 = by_hour.iter().sum();
    if calls <= 0.0 {
        return [0; HOURS_PER_DAY];
    }
    // Floating-point dust must not cost a whole agent-hour.
    let whole = (agent_hours + 1e-9).floor().max(0.0);
    let exact = by_hour.map(|c| whole * c / calls);
    let agents = largest_remainder(&exact);
    std::array::from_fn(|h| agents[h])
}

#[cfg(test)]
mod tests {
    use super::*;

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

    #[test]
    fn hourly_rates_add_up() {
        let a: HourlyRates = [[1.0; HOURS_PER_DAY]; MONTHS_PER_YEAR];
        let b: HourlyRates = [[2.0; HOURS_PER_DAY]; MONTHS_PER_YEAR];
        assert_eq!(add_rates(&a, &b)[5][7], 3.0);
    }
}
