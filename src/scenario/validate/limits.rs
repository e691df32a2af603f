//! Hard limits of a scenario's inputs, in one place, each with its reason.
//!
//! A value outside its limit is rejected by `validate` (and so before any
//! replication runs): beyond these the model stops meaning anything — staff
//! that cost nothing, work that takes no time, discount factors past the
//! range of a double — or a replication would fail on a NaN. The limits are
//! checked against every value an uncertain input can take (its
//! distribution's support), not against a sample, so a scenario that
//! validates runs. The README's "Input limits" table lists them.

/// The range of values a number may take, and how to say so.
#[derive(Clone, Copy)]
pub(in crate::scenario) struct Domain {
    pub min: f64,
    pub min_inclusive: bool,
    pub max: f64,
    pub expected: &'static str,
}

impl Domain {
    /// From `min` to `max`, both included.
    pub const fn closed(min: f64, max: f64, expected: &'static str) -> Domain {
        Domain {
            min,
            min_inclusive: true,
            max,
            expected,
        }
    }

    /// Greater than `min`, at most `max`.
    pub const fn above(min: f64, max: f64, expected: &'static str) -> Domain {
        Domain {
            min,
            min_inclusive: false,
            max,
            expected,
        }
    }

    pub fn contains(&self, v: f64) -> bool {
        let above = if self.min_inclusive {
            v >= self.min
        } else {
            v > self.min
        };
        above && v <= self.max
    }
}

/// Amounts in USD and other non-negative quantities: 1e12 is a thousand
/// times the UN system's yearly budget, and keeps every sum of costs over
/// agencies, years and replications far from overflow.
pub(in crate::scenario) const NON_NEGATIVE: Domain =
    Domain::closed(0.0, 1e12, "a number of at least 0 (at most 1e12)");

/// A standard cost per FTE: staff that cost nothing make every strategy's
/// staff cost 0 and its comparison meaningless, so at least 1 USD a year.
pub(in crate::scenario) const COST_PER_FTE: Domain = Domain::closed(
    1.0,
    1e12,
    "a yearly cost of at least 1 USD per FTE (at most 1e12)",
);

/// Yearly transactions of one agency in one line: up to a billion (far
/// beyond any back office; see also [`MAX_DAILY_MEAN`]).
pub(in crate::scenario) const VOLUME: Domain = Domain::closed(
    0.0,
    1e9,
    "a yearly volume of at least 0 and at most 1e9 transactions",
);

/// Minutes of work per transaction: at least 0.01 minutes (0.6 seconds);
/// less is no back-office work, and staff needs would round to 0 FTE with
/// service levels that mean nothing.
pub(in crate::scenario) const EFFORT: Domain =
    Domain::closed(0.01, 1e5, "minutes per transaction from 0.01 to 100000");

/// Seconds a contact takes or a caller waits: at least one second, at most
/// a day.
pub(in crate::scenario) const CONTACT_SECONDS: Domain =
    Domain::closed(1.0, 86_400.0, "seconds from 1 to 86400 (a day)");

/// Yearly growth and escalation rates: above −100% (a quantity cannot fall
/// below nothing) and at most +100% a year.
pub(in crate::scenario) const RATE: Domain = Domain::above(
    -1.0,
    1.0,
    "a yearly rate greater than -1 and at most 1 (0.03 means 3%)",
);

/// The discount rate: above −50%, so that the discount factor
/// `1/(1+r)^(year+1)` stays below 2^101 over 100 years (at −0.999999 it
/// overflows and the NPV is NaN), and at most 100%.
pub(in crate::scenario) const DISCOUNT_RATE: Domain = Domain::above(
    -0.5,
    1.0,
    "a yearly rate greater than -0.5 and at most 1 (0.03 means 3%)",
);

/// Paid minutes of an FTE's working day: at least a minute, at most the 1440
/// of a day.
pub(in crate::scenario) const WORKING_MINUTES: Domain =
    Domain::closed(1.0, 1440.0, "minutes from 1 to 1440");

/// Share of paid time spent processing: at least 1%; near 0, capacity
/// vanishes and staff needs grow past any meaning (at 5e-324, to infinity).
pub(in crate::scenario) const AVAILABILITY_SHARE: Domain =
    Domain::closed(0.01, 1.0, "a share from 0.01 to 1");

/// Multipliers such as the exchange-rate factor: positive, at most 100.
pub(in crate::scenario) const FACTOR: Domain = Domain::above(
    0.0,
    100.0,
    "a multiplier greater than 0 and at most 100 (1 means no change)",
);

/// Negative binomial dispersion: below 0.01 a day's arrivals are almost all
/// 0 or a flood, which no back office sees.
pub(in crate::scenario) const DISPERSION: Domain = Domain::closed(
    0.01,
    1e9,
    "a dispersion of at least 0.01 (smaller is burstier)",
);

/// Shares and probabilities.
pub(in crate::scenario) const SHARE: Domain = Domain::closed(0.0, 1.0, "a share from 0 to 1");

/// Staff counts: a million FTE is more than the whole UN system employs.
pub(in crate::scenario) const FTE: Domain =
    Domain::closed(0.0, 1e6, "an FTE count of at least 0 (at most 1e6)");

/// The most transactions an agency's service line may expect on one working
/// day, in any year of the horizon: far beyond any real workload, and low
/// enough that counts, FTE and costs stay well within floating-point range.
pub(in crate::scenario) const MAX_DAILY_MEAN: f64 = 1e9;

/// The fewest transactions the whole scenario may expect over its horizon
/// at the lowest volumes and growth its inputs can draw. With none, cost
/// per transaction and service level are undefined and a run would stop;
/// with 20 expected, Poisson arrivals bring none with probability
/// e⁻²⁰ ≈ 2e-9 — and only in a replication that draws the lowest volumes.
pub(in crate::scenario) const MIN_EXPECTED_TRANSACTIONS: f64 = 20.0;

/// The most agencies, service lines, locations and strategies a scenario may
/// have: far above the UN system's few dozen organizations and duty
/// stations, and low enough that a replication's plans stay small.
pub(in crate::scenario) const MAX_AGENCIES: usize = 500;
pub(in crate::scenario) const MAX_SERVICE_LINES: usize = 100;
pub(in crate::scenario) const MAX_LOCATIONS: usize = 1_000;
pub(in crate::scenario) const MAX_STRATEGIES: usize = 200;

/// The most daily arrival counts a replication may hold (agencies × service
/// lines × working days of the horizon): each worker keeps one replication's
/// counts in memory, 8 bytes each, so this bounds that at 400 MB.
pub(in crate::scenario) const MAX_ARRIVAL_CELLS: u64 = 50_000_000;

/// The longest id: ids name files' rows and columns and are typed by hand.
pub(in crate::scenario) const MAX_ID_CHARS: usize = 64;

/// The longest name (of the scenario, a line, a location, an agency, a
/// strategy): a name is a label in tables, charts and
/// spreadsheet cells, and 200 characters is a long title.
pub(in crate::scenario) const MAX_NAME_CHARS: usize = 200;

/// The longest description: a paragraph or two. Far below the 32 767
/// characters of a spreadsheet cell, which the workbook's about sheet must
/// hold.
pub(in crate::scenario) const MAX_DESCRIPTION_CHARS: usize = 4_000;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_closed_domain_holds_both_bounds_and_an_open_one_only_its_maximum() {
        let closed = Domain::closed(0.0, 1.0, "");
        let above = Domain::above(0.0, 1.0, "");
        assert!(closed.contains(0.0) && closed.contains(1.0));
        assert!(!above.contains(0.0) && above.contains(1.0));
        assert!(above.contains(f64::MIN_POSITIVE));
        for domain in [closed, above] {
            assert!(!domain.contains(1.0 + f64::EPSILON));
            assert!(!domain.contains(-f64::MIN_POSITIVE));
        }
    }
}
