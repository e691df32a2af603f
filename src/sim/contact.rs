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
    let offset = scenario.locations[agency.hq_location]
        .utc_offset_hours
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agent_hours_become_fte_after_shrinkage() {
        // 64 agent-hours a day, 8-hour days, 20% shrinkage: 64 / 6.4 = 10 FTE.
        assert!((fte_for_agent_hours(64.0, 480.0, 0.2) - 10.0).abs() < 1e-12);
    }

    #[test]
    fn hourly_rates_add_up() {
        let a: HourlyRates = [[1.0; HOURS_PER_DAY]; MONTHS_PER_YEAR];
        let b: HourlyRates = [[2.0; HOURS_PER_DAY]; MONTHS_PER_YEAR];
        assert_eq!(add_rates(&a, &b)[5][7], 3.0);
    }
}
