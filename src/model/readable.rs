//! Numbers echoed back in messages.
//!
//! A message that quotes a user's number should show it as they would
//! recognise it: `1e308`, not 309 digits; `5e-324`, not `0.000…`. One
//! function formats every number a message echoes, so every message reads
//! the same way.

/// The smallest magnitude shown in plain decimals; smaller non-zero numbers
/// are shown in scientific notation.
const PLAIN_FROM: f64 = 1e-6;

/// The magnitude from which numbers are shown in scientific notation.
const PLAIN_BELOW: f64 = 1e15;

/// A number for a message: plain decimals (the shortest that reads back
/// exactly), or scientific notation when its magnitude is at least 1e15 or
/// below 1e-6 (and not 0).
pub(crate) fn readable(x: f64) -> String {
    if x != 0.0 && x.is_finite() && !(PLAIN_FROM..PLAIN_BELOW).contains(&x.abs()) {
        format!("{x:e}")
    } else {
        x.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_up_to_the_thresholds_scientific_beyond() {
        assert_eq!(readable(999_999_999_999_999.0), "999999999999999");
        assert_eq!(readable(1e15), "1e15");
        assert_eq!(readable(0.000_001), "0.000001");
        assert_eq!(readable(9e-7), "9e-7");
        assert_eq!(readable(0.0), "0");
        assert_eq!(readable(-0.0), "-0");
        assert_eq!(readable(f64::INFINITY), "inf");
        assert_eq!(readable(f64::NAN), "NaN");
        assert_eq!(readable(45_000.0), "45000");
        assert_eq!(readable(0.03), "0.03");
        assert_eq!(readable(1e308), "1e308");
        assert_eq!(readable(5e-324), "5e-324");
        assert_eq!(readable(-2.5e16), "-2.5e16");
    }
}
