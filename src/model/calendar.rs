//! Months and working days of the horizon. Transition events happen at month
//! boundaries (or fractions of months, for durations drawn from
//! distributions); costs are kept by year and the queues step in days.

/// Months in a year: seasonality is given per calendar month.
pub(crate) const MONTHS_PER_YEAR: usize = 12;

/// The horizon in years, months and working days.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Calendar {
    /// Years simulated.
    pub horizon_years: u32,
    /// Working days in a year.
    pub working_days_per_year: usize,
}

impl Calendar {
    /// Months in the horizon.
    pub(crate) fn horizon_months(&self) -> f64 {
        12.0 * f64::from(self.horizon_years)
    }

    /// Working days in the horizon.
    pub fn horizon_days(&self) -> usize {
        self.horizon_years as usize * self.working_days_per_year
    }

    /// The share of year `year` (0-based) between months `from` and `to`.
    pub(crate) fn share_of_year(&self, year: u32, from_month: f64, to_month: f64) -> f64 {
        let (start, end) = (12.0 * f64::from(year), 12.0 * f64::from(year + 1));
        ((to_month.min(end) - from_month.max(start)) / 12.0).max(0.0)
    }

    /// The first working day at or after `month`, as a day index of the
    /// horizon (the horizon's length if the month is past its end). A
    /// month's days are those that [`crate::model::month_of_day`] puts in it.
    pub(crate) fn day_at_month(&self, month: f64) -> usize {
        let day = (month * self.working_days_per_year as f64 / 12.0 - 1e-9)
            .ceil()
            .max(0.0);
        (day as usize).min(self.horizon_days())
    }

    /// The year (0-based) in which `month` falls, capped at the last year.
    pub(crate) fn year_of_month(&self, month: f64) -> u32 {
        ((month / 12.0).floor().max(0.0) as u32).min(self.horizon_years.saturating_sub(1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::month_of_day;

    const CALENDAR: Calendar = Calendar {
        horizon_years: 3,
        working_days_per_year: 250,
    };

    #[test]
    fn shares_of_a_year_follow_the_months_it_contains() {
        assert_eq!(CALENDAR.share_of_year(0, 6.0, 100.0), 0.5);
        assert_eq!(CALENDAR.share_of_year(1, 6.0, 100.0), 1.0);
        assert_eq!(CALENDAR.share_of_year(1, 0.0, 15.0), 0.25);
        assert_eq!(CALENDAR.share_of_year(2, 0.0, 15.0), 0.0);
        assert_eq!(CALENDAR.share_of_year(0, 1.5, 3.0), 0.125);
    }

    #[test]
    fn a_month_starts_on_its_first_working_day() {
        for month in 0..36 {
            let day = CALENDAR.day_at_month(f64::from(month));
            assert_eq!(
                day / 250 * 12 + month_of_day(day % 250, 250),
                month as usize,
                "month {month}"
            );
            if !day.is_multiple_of(250) {
                assert_ne!(month_of_day(day % 250 - 1, 250), month as usize % 12);
            }
        }
        assert_eq!(CALENDAR.day_at_month(36.0), 750);
        assert_eq!(CALENDAR.day_at_month(99.0), 750);
        assert_eq!(CALENDAR.year_of_month(13.0), 1);
        assert_eq!(CALENDAR.year_of_month(400.0), 2);
    }
}
