//! Integer powers of a factor, as fast as the arithmetic allows.
//!
//! Growth, salary escalation and discounting raise a factor to the power of
//! a year thousands of times a replication. `f64::powi` calls the runtime's
//! `__powidf2` (compiler-builtins), whose loop stops after a number of steps
//! that depends on the exponent: a branch the processor mispredicts from
//! one year to the next. [`powi`] makes the same multiplications in the same
//! order — so its result is the same to the bit — in a fixed number of steps.

use std::hint::select_unpredictable;

/// Exponents below `2^STEPS` take the fixed steps: every year of a horizon
/// (at most 100) and the one after it.
const STEPS: u32 = 7;

/// The bits of 1.0.
const ONE: u64 = 0x3ff0_0000_0000_0000;

/// `base` to the power `exponent`, by the binary method `__powidf2` uses:
/// the product of `base^(2^k)` over the set bits `k` of `|exponent|`, lowest
/// first, then its reciprocal for a negative exponent.
///
/// # Examples
/// ```
/// use sscsim::model::powi;
/// assert_eq!(powi(2.0, 10), 1024.0);
/// assert_eq!(powi(2.0, -2), 0.25);
/// assert_eq!(powi(1.5, 0), 1.0);
/// // 7 = 1 + 2 + 4: 1.1 × 1.1² × 1.1⁴, squares by repeated squaring.
/// let (square, fourth) = (1.1 * 1.1, (1.1 * 1.1) * (1.1 * 1.1));
/// assert_eq!(powi(1.1, 7), 1.1 * square * fourth);
/// ```
pub fn powi(base: f64, exponent: i32) -> f64 {
    let mut bits = exponent.unsigned_abs();
    if bits >> STEPS != 0 {
        return base.powi(exponent);
    }
    let (mut square, mut product) = (base, 1.0);
    for _ in 0..STEPS {
        // A clear bit multiplies by 1, which changes nothing. (Chosen as
        // integers, which the processor picks without a branch.)
        let factor = select_unpredictable(bits & 1 != 0, square.to_bits(), ONE);
        product *= f64::from_bits(factor);
        bits >>= 1;
        square *= square;
    }
    if exponent < 0 { 1.0 / product } else { product }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn powers_are_those_of_the_runtime_to_the_bit() {
        let mut next = crate::testing::xorshift(0x9e37_79b9_7f4a_7c15);
        for _ in 0..100_000 {
            // Factors near 1 (rates), and any finite double.
            let near_one = 1.0 + ((next() >> 11) as f64 / (1u64 << 53) as f64 - 0.5) * 0.4;
            let any = f64::from_bits(next() >> 2);
            let exponent = (next() % 301) as i32 - 150;
            for base in [near_one, any, -near_one, 0.0, -0.0] {
                assert_eq!(
                    powi(base, exponent).to_bits(),
                    base.powi(exponent).to_bits(),
                    "{base}^{exponent}"
                );
            }
        }
    }
}
