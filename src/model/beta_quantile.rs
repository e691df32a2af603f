//! The quantile of a beta distribution, in a bounded number of steps.
//!
//! A PERT input is drawn by inverting the regularised incomplete beta
//! function `I_p(a, b) = u`. statrs does this with Newton steps (Algorithm
//! AS 109) in a loop without a bound: for extreme shapes — `a = 1`,
//! `b = 10⁸`, where its continued fraction for `I_p` stops before it
//! converges — the steps never settle and a replication never ends.
//!
//! [`inverse_beta_reg`] runs the same Newton steps, operation for operation,
//! so it returns statrs's value to the last bit wherever statrs converges
//! (the bundled scenarios' results do not move), but under a budget of
//! [`NEWTON_STEP_BUDGET`] steps. When the budget runs out, or a step is not
//! finite, it falls back to bisection on the bits of `p`: the non-negative
//! doubles in `[0, 1]` are ordered like their bit patterns, which number
//! fewer than 2⁶², so [`BISECTION_STEPS`] = 64 halvings isolate one double.
//! Either way the answer comes after a bounded number of evaluations of
//! `I_p`, each itself bounded (statrs sums at most 140 terms of its
//! continued fraction).

use statrs::function::beta::{beta_reg, ln_beta};

/// The most Newton (and step-shortening) iterations before falling back to
/// bisection. A step-shortening run divides the step by 3 until it fits:
/// after at most about 680 divisions the step underflows to 0 and fits, so
/// one Newton step takes at most about 700 iterations and converging ones
/// take a handful; 10 000 leaves room for a dozen slow steps.
const NEWTON_STEP_BUDGET: u32 = 10_000;

/// Halvings of the bit range of `[0, 1]`: its 2⁶² (fewer) doubles need 62.
const BISECTION_STEPS: u32 = 64;

/// The `p` in `[0, 1]` with `I_p(a, b) = u`, for `a, b > 0`, `0 <= u <= 1`.
///
/// This follows statrs's `inv_beta_reg` (statrs 0.19, itself from the
/// `special` crate and John Burkardt's C code of Algorithm AS 64 and AS 109,
/// MIT licensed) step for step, with the iteration budget added.
pub(crate) fn inverse_beta_reg(a: f64, b: f64, u: f64) -> f64 {
    newton(a, b, u).unwrap_or_else(|| bisection(a, b, u))
}

/// AS 109's Newton iteration, or `None` when it runs out of budget or meets
/// a value that is not finite.
fn newton(mut a: f64, mut b: f64, mut x: f64) -> Option<f64> {
    let ln_beta = ln_beta(a, b);
    // Remark AS R83.
    const SAE: i32 = -30;
    const FPU: f64 = 1e-30;

    if x == 0.0 {
        return Some(0.0);
    }
    if x == 1.0 {
        return Some(1.0);
    }
    let flip = 0.5 < x;
    if flip {
        std::mem::swap(&mut a, &mut b);
        x = 1.0 - x;
    }

    let mut p = (-(x * x).ln()).sqrt();
    let mut q = p - (2.30753 + 0.27061 * p) / (1.0 + (0.99229 + 0.04481 * p) * p);
    if 1.0 < a && 1.0 < b {
        let r = (q * q - 3.0) / 6.0;
        let s = 1.0 / (2.0 * a - 1.0);
        let t = 1.0 / (2.0 * b - 1.0);
        let h = 2.0 / (s + t);
        let w = q * (h + r).sqrt() / h - (t - s) * (r + 5.0 / 6.0 - 2.0 / (3.0 * h));
        p = a / (a + b * (2.0 * w).exp());
    } else {
        let mut t = 1.0 / (9.0 * b);
        t = 2.0 * b * (1.0 - t + q * t.sqrt()).powf(3.0);
        if t <= 0.0 {
            p = 1.0 - ((((1.0 - x) * b).ln() + ln_beta) / b).exp();
        } else {
            t = 2.0 * (2.0 * a + b - 1.0) / t;
            if t <= 1.0 {
                p = (((x * a).ln() + ln_beta) / a).exp();
            } else {
                p = 1.0 - 2.0 / (t + 1.0);
            }
        }
    }
    p = p.clamp(0.0001, 0.9999);

    let e = (-5.0 / a / a - 1.0 / x.powf(0.2) - 13.0) as i32;
    let acu = if e > SAE { f64::powi(10.0, e) } else { FPU };

    let mut budget = NEWTON_STEP_BUDGET;
    let mut spend = || {
        budget = budget.checked_sub(1)?;
        Some(())
    };
    let mut pnext;
    let mut qprev = 0.0;
    let mut sq = 1.0;
    let mut prev = 1.0;
    'outer: loop {
        spend()?;
        q = beta_reg(a, b, p);
        q = (q - x) * (ln_beta + (1.0 - a) * p.ln() + (1.0 - b) * (1.0 - p).ln()).exp();
        if !q.is_finite() {
            // statrs would divide its step forever here.
            return None;
        }
        if q * qprev <= 0.0 {
            prev = if sq > FPU { sq } else { FPU };
        }
        let mut g = 1.0;
        loop {
            loop {
                spend()?;
                let adj = g * q;
                sq = adj * adj;
                if sq < prev {
                    pnext = p - adj;
                    if (0.0..=1.0).contains(&pnext) {
                        break;
                    }
                }
                g /= 3.0;
            }
            if prev <= acu || q * q <= acu {
                p = pnext;
                break 'outer;
            }
            if pnext != 0.0 && pnext != 1.0 {
                break;
            }
            g /= 3.0;
        }
        if pnext == p {
            break;
        }
        p = pnext;
        qprev = q;
    }
    Some(if flip { 1.0 - p } else { p })
}

/// The smallest double `p` in `[0, 1]` with `I_p(a, b) >= u`, to within one
/// double, by bisection on the bit patterns of `[0, 1]`.
fn bisection(a: f64, b: f64, u: f64) -> f64 {
    if u <= 0.0 {
        return 0.0;
    }
    let (mut low, mut high) = (0.0f64.to_bits(), 1.0f64.to_bits());
    for _ in 0..BISECTION_STEPS {
        if high - low <= 1 {
            break;
        }
        let middle = low + (high - low) / 2;
        // A NaN (which statrs does not return for a, b > 0) counts as
        // below `u`, so the search still ends.
        if beta_reg(a, b, f64::from_bits(middle)) >= u {
            high = middle;
        } else {
            low = middle;
        }
    }
    f64::from_bits(high)
}

#[cfg(test)]
mod tests {
    use super::*;
    use statrs::distribution::{Beta, ContinuousCDF};

    #[test]
    fn agrees_with_statrs_to_the_last_bit_where_statrs_converges() {
        // The bundled scenarios' PERT inputs (shape 4) and a spread of others.
        for (a, b) in [(1.4, 4.6), (3.0, 3.0), (1.0, 5.0), (5.0, 1.0), (2.2, 3.8)] {
            let beta = Beta::new(a, b).unwrap();
            for i in 1..200 {
                let u = f64::from(i) / 200.0;
                assert_eq!(
                    inverse_beta_reg(a, b, u).to_bits(),
                    beta.inverse_cdf(u).to_bits(),
                    "a {a}, b {b}, u {u}"
                );
            }
        }
    }

    #[test]
    fn bisection_inverts_the_cdf_to_a_double() {
        // Beta(2, 3): I_p = 1 − (1 − p)³(1 + 3p); check by evaluating it.
        let p = bisection(2.0, 3.0, 0.3);
        let cdf = |p: f64| 1.0 - (1.0 - p).powi(3) * (1.0 + 3.0 * p);
        assert!((cdf(p) - 0.3).abs() < 1e-12, "{p}");
        assert_eq!(bisection(2.0, 3.0, 0.0), 0.0);
    }

    #[test]
    fn extreme_shapes_end_with_a_quantile_in_range() {
        // statrs's own inverse never returns for these.
        for (a, b) in [(1.0, 1e8 + 1.0), (1e300, 1e300), (1.0, 1e300)] {
            for u in [1e-12, 0.3, 0.5, 0.9, 1.0 - 1e-12] {
                let p = inverse_beta_reg(a, b, u);
                assert!((0.0..=1.0).contains(&p), "a {a}, b {b}, u {u}: {p}");
            }
        }
    }
}
