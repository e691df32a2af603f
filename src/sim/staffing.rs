//! How many processing staff a team needs.
//!
//! A team planned for a service level "share `s` of transactions within `T`
//! working days" needs capacity above its mean daily demand `μ`, because
//! demand varies from day to day. Work arriving on one day can be completed
//! on that day or any of the `T` following ones, so over that window of
//! `T + 1` days the team must absorb the window's demand, whose standard
//! deviation is `σ·√(T+1)` for independent days of standard deviation `σ`.
//! Requiring the window's capacity to cover its demand with probability `s`
//! gives the daily capacity
//!
//! `c = μ + z_s · σ / √(T+1)`, with `z_s` the standard normal quantile of `s`.
//!
//! The buffer grows with `σ`, not with `μ`: a pooled team, whose combined
//! demand has a smaller relative spread, needs a smaller buffer per
//! transaction — the square-root staffing effect. The plan is made each year
//! for the busiest month, so the service level holds through the peak.

use statrs::distribution::{ContinuousCDF, Normal};

/// Standard normal quantile of the target share (e.g. 1.645 for 0.95).
pub fn service_level_z(target_share: f64) -> f64 {
    Normal::standard().inverse_cdf(target_share)
}

/// Daily capacity, in transactions, that meets the service level for demand
/// with this daily mean and standard deviation.
pub fn planned_capacity_per_day(
    mean_per_day: f64,
    sd_per_day: f64,
    target_days: u32,
    z: f64,
) -> f64 {
    mean_per_day + z * sd_per_day / f64::from(target_days + 1).sqrt()
}

/// FTE needed to deliver `capacity_per_day` transactions a day.
pub fn fte_for_capacity(
    capacity_per_day: f64,
    effort_minutes: f64,
    productive_minutes_per_fte_day: f64,
) -> f64 {
    capacity_per_day * effort_minutes / productive_minutes_per_fte_day
}

/// Transactions a day that `fte` staff deliver.
pub fn capacity_of_fte(fte: f64, effort_minutes: f64, productive_minutes_per_fte_day: f64) -> f64 {
    fte * productive_minutes_per_fte_day / effort_minutes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn z_matches_the_normal_table() {
        assert!((service_level_z(0.95) - 1.644_853_6).abs() < 1e-6);
        assert!((service_level_z(0.5)).abs() < 1e-12);
    }

    #[test]
    fn capacity_is_mean_plus_buffer_shrunk_by_the_window() {
        // μ = 100, σ = 10, T = 3 → window of 4 days, buffer = z · 10 / 2.
        let c = planned_capacity_per_day(100.0, 10.0, 3, 2.0);
        assert_eq!(c, 110.0);
    }

    #[test]
    fn fte_and_capacity_are_inverse() {
        // 360 productive minutes, 30 minutes a transaction → 12 a day per FTE.
        assert_eq!(capacity_of_fte(2.5, 30.0, 360.0), 30.0);
        assert_eq!(fte_for_capacity(30.0, 30.0, 360.0), 2.5);
    }
}
