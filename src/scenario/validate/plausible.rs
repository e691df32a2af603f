//! Plausible ranges of a scenario's inputs, in one place, each with its
//! reason: the warnings, not the errors.
//!
//! A value outside its hard limit (`limits.rs`) is rejected: the model
//! stops meaning anything there. A value inside the limit but outside its
//! plausible range runs, yet is most likely a slip — a cost typed in
//! thousands, a rate written as a percentage, an effort in hours — and
//! would give results that look like findings. Such a value gets a warning
//! with its position (`--deny-warnings` makes it an error, for pipelines
//! that must not run on a slip).
//!
//! A fixed value is judged as it is. A distribution is judged on its
//! central 90%, from its 5th to its 95th percentile: it warns when more
//! than 5% of its draws lie below the plausible range, or more than 5%
//! above it. Its extreme tails may reach past the range (a wide triangular
//! around a plausible mode is a fair way to say "we do not know"); its
//! body may not.
//!
//! Only the inputs of [`RANGES`] are judged; the defaults sscsim fills in
//! for keys a scenario leaves out are sourced where they are defined and
//! are not judged again. The README's "Input limits" table lists each
//! range beside its hard limit.

use crate::model::{Dist, readable};

/// The values of one input that real scenarios hold, and why.
pub(in crate::scenario) struct Plausible {
    /// The input's path, `*` standing for any one id, e.g.
    /// `location.*.annual_cost_usd_per_fte.GS`.
    pub path: &'static str,
    /// The lowest plausible value.
    pub low: f64,
    /// The highest plausible value.
    pub high: f64,
    /// The unit the range is read in, e.g. "USD a year".
    pub unit: &'static str,
    /// Why: the published figures the range brackets, or "assumption" and
    /// the judgement.
    pub reason: &'static str,
}

/// The cumulative probabilities of the central range a distribution is
/// judged on: its 5th and 95th percentiles.
pub(in crate::scenario) const CENTRAL_RANGE: (f64, f64) = (0.05, 0.95);

/// Why a standard cost per FTE has the range it has, for every grade.
const STANDARD_COST_REASON: &str = "a standard cost per FTE-year (salary, post adjustment, common staff costs); \
     assumption: bounds around the bundled scenarios' costs, which span offshore centres and \
     headquarters (JIU/REP/2009/6: Budapest saves 66% of FAO's staff costs against Rome, para 48; an \
     NPO in Kuala Lumpur costs a quarter of a P-3 in Geneva, para 74); a cost outside is most likely \
     in the wrong unit";

/// Every judged input with its plausible range.
pub(in crate::scenario) const RANGES: &[Plausible] = &[
    Plausible {
        path: "settings.discount_rate_per_year",
        low: 0.0,
        high: 0.1,
        unit: "a year (0.035 means 3.5%)",
        reason: "public appraisal discounts at 3.5% a year in real terms (HM Treasury, The Green Book, \
                 social time preference rate; Review of discounting in the Green Book: terms of \
                 reference, 16 December 2025, section 1) and at 7% (US OMB Circular A-94, 29 October \
                 1992; 10% under its 1972 version); the bounds around them are an assumption",
    },
    Plausible {
        path: "settings.working_minutes_per_day",
        low: 360.0,
        high: 540.0,
        unit: "minutes",
        reason: "paid minutes of a working day; the UN common system's 40-hour week is 480 a day; \
                 assumption: 6 to 9 paid hours bound any office's day",
    },
    Plausible {
        path: "settings.availability_share",
        low: 0.5,
        high: 0.9,
        unit: "of paid time",
        reason: "the share of paid time spent processing, after leave, breaks, training and other work: \
                 contact centres lose 15% to almost 50% of it (ICMI, \"Industry standard call center \
                 shrinkage\", 2002-2003) and 24% on average (Knowlagent Contact Center Shrinkage Survey, \
                 in B. Read, TMCnet, April 2011); assumption: a back office is within the same bounds",
    },
    Plausible {
        path: "location.*.annual_cost_usd_per_fte.GS",
        low: 10_000.0,
        high: 250_000.0,
        unit: "USD a year",
        reason: STANDARD_COST_REASON,
    },
    Plausible {
        path: "location.*.annual_cost_usd_per_fte.NPO",
        low: 15_000.0,
        high: 250_000.0,
        unit: "USD a year",
        reason: STANDARD_COST_REASON,
    },
    Plausible {
        path: "location.*.annual_cost_usd_per_fte.P",
        low: 60_000.0,
        high: 400_000.0,
        unit: "USD a year",
        reason: STANDARD_COST_REASON,
    },
    Plausible {
        path: "location.*.annual_cost_usd_per_fte.D",
        low: 100_000.0,
        high: 500_000.0,
        unit: "USD a year",
        reason: STANDARD_COST_REASON,
    },
    Plausible {
        path: "location.*.annual_cost_usd_per_fte.FS",
        low: 40_000.0,
        high: 300_000.0,
        unit: "USD a year",
        reason: STANDARD_COST_REASON,
    },
    Plausible {
        path: "location.*.salary_escalation_rate_per_year",
        low: -0.05,
        high: 0.1,
        unit: "a year (0.03 means 3%)",
        reason: "assumption: salary scales move by a few per cent a year; a one-off rise such as the 25% \
                 of Budapest's GS salaries in May 2008 (JIU/REP/2009/6 para 111) is a salary_shock, \
                 not an escalation rate",
    },
    Plausible {
        path: "location.*.exchange_rate_factor",
        low: 0.5,
        high: 2.0,
        unit: "(1 means no change)",
        reason: "assumption: a local currency that halves or doubles against the USD over the horizon is \
                 a crisis, not a planning case",
    },
    Plausible {
        path: "location.*.premises_usd_per_fte_per_year",
        low: 0.0,
        high: 30_000.0,
        unit: "USD a year",
        reason: "office space and running costs per FTE; rent-free premises cost nothing \
                 (JIU/REP/2009/6 para 36); assumption: 30 000 USD a year is beyond prime office space",
    },
    Plausible {
        path: "agency.*.service_line.*.volume_growth_rate_per_year",
        low: -0.15,
        high: 0.15,
        unit: "a year (0.03 means 3%)",
        reason: "assumption: an agency's transactions in a line seldom grow or shrink by more than 15% a \
                 year for a whole horizon; compounded over ten years, 15% is four times the volume",
    },
    Plausible {
        path: "service_line.*.effort_minutes_per_transaction",
        low: 1.0,
        high: 2_400.0,
        unit: "minutes",
        reason: "APQC's median payroll disbursement takes 5.8 minutes (README, \"Productivity against \
                 benchmarks\"); assumption: below a minute a transaction is a system's work, not a \
                 person's, and above a week (2 400 minutes) it is a project, not a transaction",
    },
    Plausible {
        path: "service_line.*.handle_time_seconds",
        low: 30.0,
        high: 1_800.0,
        unit: "seconds",
        reason: "HDI's industry average handle time is 6.5 minutes, above 10 is long (Mechdyne, \"Service \
                 desk agent utilization rates and their impact on SLAs\"); assumption: 30 seconds to 30 \
                 minutes",
    },
    Plausible {
        path: "service_line.*.patience_seconds",
        low: 10.0,
        high: 1_800.0,
        unit: "seconds",
        reason: "assumption: callers who wait less than 10 seconds or more than 30 minutes before they \
                 hang up are not a service desk's callers",
    },
    Plausible {
        path: "service_line.*.shrinkage_share",
        low: 0.1,
        high: 0.5,
        unit: "of paid time",
        reason: "contact centres lose 15% to almost 50% of paid time off the phones (ICMI, \"Industry \
                 standard call center shrinkage\", 2002-2003), 24% on average (Knowlagent Contact Center \
                 Shrinkage Survey, in B. Read, TMCnet, April 2011)",
    },
];

/// What is implausible about the value of the input at `path`, if it has
/// a plausible range and its value (or its distribution's central 90%)
/// is not within it.
pub(in crate::scenario) fn implausible(path: &str, dist: &Dist) -> Option<String> {
    let range = RANGES.iter().find(|r| matches(r.path, path))?;
    let (low, high) = if dist.is_fixed() {
        let v = dist.support().0;
        (v, v)
    } else {
        (
            dist.quantile(CENTRAL_RANGE.0),
            dist.quantile(CENTRAL_RANGE.1),
        )
    };
    if low >= range.low && high <= range.high {
        return None;
    }
    let what = if dist.is_fixed() {
        format!("{path} is {}", readable(low))
    } else {
        format!(
            "{path} has its central 90% from {} to {}",
            four_digits(low),
            four_digits(high)
        )
    };
    Some(format!(
        "{what}; plausible from {} to {} {}: {}",
        readable(range.low),
        readable(range.high),
        range.unit,
        range.reason
    ))
}

/// `x` to four significant digits: a percentile is computed, not typed,
/// and its last digits are noise.
fn four_digits(x: f64) -> String {
    let rounded: f64 = format!("{x:.3e}").parse().unwrap_or(x);
    readable(rounded)
}

/// Whether `path` is an instance of `pattern`, whose `*` segments stand for
/// any one id (ids hold no dots).
fn matches(pattern: &str, path: &str) -> bool {
    let mut pattern = pattern.split('.');
    let mut path = path.split('.');
    loop {
        match (pattern.next(), path.next()) {
            (None, None) => return true,
            (Some(p), Some(s)) if p == "*" || p == s => {}
            _ => return false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_star_stands_for_exactly_one_id() {
        let pattern = "location.*.annual_cost_usd_per_fte.GS";
        assert!(matches(
            pattern,
            "location.budapest.annual_cost_usd_per_fte.GS"
        ));
        assert!(!matches(pattern, "location.annual_cost_usd_per_fte.GS"));
        assert!(!matches(pattern, "location.a.b.annual_cost_usd_per_fte.GS"));
        assert!(!matches(
            pattern,
            "location.budapest.annual_cost_usd_per_fte.P"
        ));
        assert!(matches("settings.x", "settings.x"));
    }

    #[test]
    fn every_range_is_ordered_and_every_path_is_judged_by_one_range() {
        for (i, r) in RANGES.iter().enumerate() {
            assert!(r.low < r.high, "{}", r.path);
            assert!(!r.reason.is_empty(), "{}", r.path);
            let later = &RANGES[i + 1..];
            assert!(
                !later.iter().any(|other| other.path == r.path),
                "{} twice",
                r.path
            );
        }
    }

    #[test]
    fn a_fixed_value_is_judged_as_it_is_and_its_bounds_are_plausible() {
        let path = "settings.discount_rate_per_year";
        let fixed = |v| Dist::fixed(v).unwrap();
        assert_eq!(implausible(path, &fixed(0.0)), None);
        assert_eq!(implausible(path, &fixed(0.1)), None);
        let message = implausible(path, &fixed(1.0)).unwrap();
        assert!(
            message.starts_with(
                "settings.discount_rate_per_year is 1; plausible from 0 to 0.1 a year"
            ),
            "{message}"
        );
        assert_eq!(implausible("settings.replications", &fixed(1e9)), None);
    }

    #[test]
    fn a_distribution_is_judged_on_its_5th_to_95th_percentiles() {
        let path = "agency.unhcr.service_line.payroll.volume_growth_rate_per_year";
        // Uniform from 0 to 0.2: its 5th percentile is 0.05 × 0.2 = 0.01,
        // its 95th 0.95 × 0.2 = 0.19, above 0.15.
        let wide = Dist::uniform(0.0, 0.2).unwrap();
        let message = implausible(path, &wide).unwrap();
        assert!(
            message.contains("has its central 90% from 0.01 to 0.19; plausible from -0.15 to 0.15"),
            "{message}"
        );
        // Uniform from 0 to 0.155: the 95th percentile is
        // 0.95 × 0.155 = 0.14725, within; its maximum is not.
        let tail = Dist::uniform(0.0, 0.155).unwrap();
        assert_eq!(implausible(path, &tail), None);
    }
}
