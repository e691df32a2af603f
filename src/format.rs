//! Numbers as a reader sees them, in the printed tables and the report
//! alike: USD in millions, shares in per cent, volumes with thousands
//! separators, a real minus sign and never a `−0`, rates without the
//! float's noise, probabilities never rounded to certainty. Missing values
//! show as a dash.

/// What a missing value shows as.
pub(crate) const MISSING: &str = "–";

const MILLION: f64 = 1e6;

/// Groups the digits of a non-negative integer string in threes.
fn group_thousands(digits: &str) -> String {
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `value` with `decimals` decimals, thousands separators and a minus
/// sign (U+2212) for negatives; `-0.00` shows as `0.00`.
///
/// # Examples
/// ```
/// use sscsim::format::decimal;
/// assert_eq!(decimal(-1234567.891, 2), "−1,234,567.89");
/// assert_eq!(decimal(-0.001, 2), "0.00");
/// ```
pub fn decimal(value: f64, decimals: usize) -> String {
    if !value.is_finite() {
        return MISSING.to_owned();
    }
    let text = format!("{:.*}", decimals, value.abs());
    let (whole, fraction) = match text.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (text.as_str(), None),
    };
    let is_zero = text.bytes().all(|b| b == b'0' || b == b'.');
    let mut out = String::new();
    if value < 0.0 && !is_zero {
        out.push('−');
    }
    out.push_str(&group_thousands(whole));
    if let Some(f) = fraction {
        out.push('.');
        out.push_str(f);
    }
    out
}

/// USD as millions with two decimals: `12,345,678` → `12.35`.
pub(crate) fn usd_millions(usd: f64) -> String {
    millions(usd, 2)
}

/// An amount in millions with `decimals` decimals: `12,345,678` → `12.3`
/// with one.
pub(crate) fn millions(amount: f64, decimals: usize) -> String {
    decimal(amount / MILLION, decimals)
}

/// An optional USD amount in millions, or a dash.
pub(crate) fn usd_millions_or_dash(usd: Option<f64>) -> String {
    usd.map_or_else(|| MISSING.to_owned(), usd_millions)
}

/// A share (0.975) in per cent with one decimal: `97.5%`.
pub(crate) fn percent(share: f64) -> String {
    format!("{}%", decimal(share * 100.0, 1))
}

/// A probability in whole per cent that never claims a certainty it does
/// not have: only 0 shows as `0%` and only 1 as `100%`; a probability
/// that would round to either shows as `<1%` or `>99%`. Whole per cents,
/// because a probability estimated from a thousand replications is not
/// known to a tenth of a per cent.
///
/// # Examples
/// ```
/// use sscsim::format::probability;
/// assert_eq!(probability(0.999), ">99%");
/// assert_eq!(probability(0.001), "<1%");
/// assert_eq!(probability(1.0), "100%");
/// assert_eq!(probability(-0.0), "0%");
/// assert_eq!(probability(0.618), "62%");
/// ```
pub fn probability(p: f64) -> String {
    if !p.is_finite() {
        return MISSING.to_owned();
    }
    match decimal(p * 100.0, 0).as_str() {
        "0" if p > 0.0 => "<1%".to_owned(),
        "100" if p < 1.0 => ">99%".to_owned(),
        whole => format!("{whole}%"),
    }
}

/// An optional probability as [`probability`], or a dash.
pub(crate) fn probability_or_dash(p: Option<f64>) -> String {
    p.map_or_else(|| MISSING.to_owned(), probability)
}

/// A rate (0.035 a year) in per cent with the decimals it has, up to
/// four, never the float's noise: `3.5%`, not `3.5000000000000004%`.
///
/// # Examples
/// ```
/// use sscsim::format::rate_percent;
/// assert_eq!(rate_percent(0.035), "3.5%");
/// assert_eq!(rate_percent(0.1), "10%");
/// assert_eq!(rate_percent(0.012345), "1.2345%");
/// ```
pub fn rate_percent(rate: f64) -> String {
    format!("{}%", trimmed(rate * 100.0, 4))
}

/// An optional share in per cent, or a dash.
pub(crate) fn percent_or_dash(share: Option<f64>) -> String {
    share.map_or_else(|| MISSING.to_owned(), percent)
}

/// A plain number with `decimals` decimals, or a dash.
pub(crate) fn decimal_or_dash(value: Option<f64>, decimals: usize) -> String {
    value.map_or_else(|| MISSING.to_owned(), |v| decimal(v, decimals))
}

/// An axis tick: at most two decimals, trailing zeros dropped (`2.5`, `10`).
pub(crate) fn tick(value: f64) -> String {
    trimmed(value, 2)
}

/// A value of any size with the decimals its size needs (an input such as
/// a rate of 0.035 or a salary of 52 000): `52,000`, `1.25`, `0.035`.
pub(crate) fn compact(value: f64) -> String {
    let magnitude = value.abs();
    let decimals = if magnitude >= 1000.0 {
        0
    } else if magnitude >= 100.0 {
        1
    } else if magnitude >= 1.0 {
        2
    } else {
        4
    };
    trimmed(value, decimals)
}

/// An optional value as [`compact`], or a dash.
pub(crate) fn compact_or_dash(value: Option<f64>) -> String {
    value.map_or_else(|| MISSING.to_owned(), compact)
}

/// `value` with at most `decimals` decimals, trailing zeros dropped.
fn trimmed(value: f64, decimals: usize) -> String {
    let text = decimal(value, decimals);
    match text.split_once('.') {
        Some((whole, fraction)) => {
            let fraction = fraction.trim_end_matches('0');
            if fraction.is_empty() {
                whole.to_owned()
            } else {
                format!("{whole}.{fraction}")
            }
        }
        None => text,
    }
}

/// A volume tick on a log axis: `500`, `20k`, `1.5M`.
pub(crate) fn volume_tick(value: f64) -> String {
    let magnitude = value.abs();
    if magnitude >= MILLION {
        format!("{}M", tick(value / MILLION))
    } else if magnitude >= 1e3 {
        format!("{}k", tick(value / 1e3))
    } else {
        tick(value)
    }
}

/// An identifier as words: `learning_and_scale` → `learning and scale`.
pub(crate) fn words(id: &str) -> String {
    id.replace('_', " ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_group_thousands_and_use_a_real_minus() {
        assert_eq!(decimal(0.0, 2), "0.00");
        assert_eq!(decimal(999.994, 2), "999.99");
        assert_eq!(decimal(1000.0, 0), "1,000");
        assert_eq!(decimal(-12345.5, 1), "−12,345.5");
        assert_eq!(decimal(f64::NAN, 1), MISSING);
    }

    #[test]
    fn usd_in_millions_and_shares_in_per_cent() {
        assert_eq!(usd_millions(84_269_594.52), "84.27");
        assert_eq!(usd_millions(-6_739_909.28), "−6.74");
        assert_eq!(percent(0.9999), "100.0%");
        assert_eq!(percent(0.618), "61.8%");
        assert_eq!(usd_millions_or_dash(None), MISSING);
    }

    #[test]
    fn ticks_drop_trailing_zeros() {
        assert_eq!(tick(2.5), "2.5");
        assert_eq!(tick(10.0), "10");
        assert_eq!(tick(-0.25), "−0.25");
        assert_eq!(volume_tick(20_000.0), "20k");
        assert_eq!(volume_tick(1_500_000.0), "1.5M");
        assert_eq!(volume_tick(500.0), "500");
        assert_eq!(compact(52_000.4), "52,000");
        assert_eq!(compact(0.035), "0.035");
        assert_eq!(compact(1.5), "1.5");
    }
}
