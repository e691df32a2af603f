//! Exact Poisson counts at a rate that may change with every draw.
//!
//! A negative binomial day is a Poisson count at a gamma-distributed rate,
//! and a month too short to pay for an inversion table (see `inversion`)
//! draws its counts one at a time, so this sampler has no set-up worth
//! keeping: a square root and a division before the first uniform.
//!
//! From a rate of [`TRANSFORMED_REJECTION_FROM`] up, it is Hörmann's PTRS
//! (W. Hörmann, "The transformed rejection method for generating Poisson
//! random variables", Insurance: Mathematics and Economics 12(1), 39–45,
//! 1993; the method of NumPy's and TensorFlow's Poisson samplers for rates
//! of 10 and above): a count from two uniforms by a transformation close to
//! the Poisson's inverse distribution function, accepted at once for about
//! nine draws in ten, and otherwise by the exact test against the Poisson
//! probability. Below, it is inversion by sequential search from 0: one
//! uniform and at most a few dozen multiplications. Both are exact: the
//! count follows the Poisson probabilities up to the rounding of doubles.

use rand::Rng;

use super::open_unit;

/// The smallest rate drawn by transformed rejection: the method's constants
/// hold from 10 on (Hörmann 1993, section 3).
pub(super) const TRANSFORMED_REJECTION_FROM: f64 = 10.0;

/// Above this rate, 2^52, the count is the rate rounded: doubles no longer
/// hold every integer there, and the Poisson's relative spread, 1/√rate, is
/// below 1.5e-8. Validated volumes stay far below it; only a gamma draw's
/// far tail could reach it.
pub(super) const LARGEST_RATE: f64 = (1u64 << 52) as f64;

/// A Poisson count with the given rate (0 for a rate of 0 or less).
pub(super) fn poisson_count(rate: f64, rng: &mut impl Rng) -> f64 {
    if rate <= 0.0 {
        0.0
    } else if rate < TRANSFORMED_REJECTION_FROM {
        by_inversion(rate, rng)
    } else if rate <= LARGEST_RATE {
        by_transformed_rejection(rate, rng)
    } else {
        rate.round()
    }
}

/// The smallest `k` whose cumulative probability reaches one uniform, the
/// probabilities summed from `P(0) = e^-rate` by `P(k) = P(k−1)·rate/k`.
/// Stops where the sum stops growing (the mass left is then below a
/// double's resolution), as the table's continuation does.
fn by_inversion(rate: f64, rng: &mut impl Rng) -> f64 {
    let u = open_unit(rng);
    let mut probability = (-rate).exp();
    let (mut cumulative, mut k) = (probability, 0.0);
    while cumulative < u {
        k += 1.0;
        probability *= rate / k;
        let next = cumulative + probability;
        if next == cumulative {
            break;
        }
        cumulative = next;
    }
    k
}

/// PTRS (Hörmann 1993, the algorithm's steps 1–3 with its constants), for
/// a rate of at least 10.
fn by_transformed_rejection(rate: f64, rng: &mut impl Rng) -> f64 {
    let b = 0.931 + 2.53 * rate.sqrt();
    let a = -0.059 + 0.02483 * b;
    let accept_below = 0.9277 - 3.6224 / (b - 2.0);
    loop {
        let u = open_unit(rng) - 0.5;
        let v = open_unit(rng);
        let us = 0.5 - u.abs();
        let x = (2.0 * a / us + b) * u + rate + 0.43;
        // A negative count is rejected (the squeeze below never yields one).
        if x < 0.0 {
            continue;
        }
        // `floor`, by a cast: x ≥ 0 and below 2^63. (`f64::floor` is a call
        // into libm on the baseline x86-64 target, where it showed in profiles.)
        let k = (x as u64) as f64;
        // The squeeze: a region where every count is accepted.
        if us >= 0.07 && v <= accept_below {
            return k;
        }
        // A region where every count is rejected.
        if us < 0.013 && v > us {
            continue;
        }
        let alpha = 1.1239 + 1.1328 / (b - 3.4);
        if (v * alpha / (a / (us * us) + b)).ln() <= ln_probability(k, rate) {
            return k;
        }
    }
}

/// `ln P(X = k)` for `X ~ Poisson(rate)`, `k` a whole number ≥ 0.
///
/// From 10 on, by Stirling's series for `ln k!`, written so that nothing
/// large cancels: `(k − rate) − k·ln(1 + (k − rate)/rate) − ½·ln(2πk) −
/// s(k)`, whose first two terms are each of the order of the distance from
/// the mean, not of the rate.
pub(super) fn ln_probability(k: f64, rate: f64) -> f64 {
    /// `k!` for `k` below 10, exact in a double.
    const FACTORIALS: [f64; 10] = [
        1.0, 1.0, 2.0, 6.0, 24.0, 120.0, 720.0, 5040.0, 40320.0, 362880.0,
    ];
    if k < 10.0 {
        return -rate + k * rate.ln() - FACTORIALS[k as usize].ln();
    }
    let distance = k - rate;
    distance
        - k * (distance / rate).ln_1p()
        - 0.5 * (std::f64::consts::TAU * k).ln()
        - stirling_correction(k)
}

/// `ln k! − (k·ln k − k + ½·ln(2πk))` for `k ≥ 10`: the terms of Stirling's
/// series `B₂ᵢ / (2i·(2i−1)·k^(2i−1))` up to `k^-11`; the first term left
/// out, `1/(156·k^13)`, is below 7e-16 from `k = 10`.
fn stirling_correction(k: f64) -> f64 {
    let inverse = 1.0 / k;
    let square = inverse * inverse;
    let series = 1.0 / 12.0
        + square
            * (-1.0 / 360.0
                + square
                    * (1.0 / 1260.0
                        + square
                            * (-1.0 / 1680.0
                                + square * (1.0 / 1188.0 + square * (-691.0 / 360360.0)))));
    series * inverse
}

#[cfg(test)]
mod tests {
    use rand::SeedableRng;
    use rand::rngs::Xoshiro256PlusPlus;
    use statrs::distribution::Discrete;

    use super::super::inversion::CountLaw;
    use super::super::inversion::tests::{failed_check, with_mean_one_percent_higher};
    use super::*;

    /// Rates on both sides of the switch between the two methods, the
    /// rates of the bundled scenarios' days (tens to hundreds), and a large one.
    const RATES: [f64; 7] = [0.3, 4.2, 9.99, 10.0, 47.5, 200.0, 25_000.5];

    /// `n` draws at `rate`, with a fixed seed, as whole numbers.
    fn draws(rate: f64, n: usize, seed: u64) -> Vec<u64> {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
        (0..n)
            .map(|_| poisson_count(rate, &mut rng) as u64)
            .collect()
    }

    /// Draws for the checks to see a mean 1% off (8 standard errors):
    /// `n = 640 000 / rate`, at least 200 000 so the tails are tested too.
    fn enough(rate: f64) -> usize {
        ((640_000.0 / rate).ceil() as usize).max(200_000)
    }

    /// Chi-square over the counts (tails pooled to cells expecting at least
    /// 5), the far tail above mean + 4 sd, the mean and the variance: each
    /// at a false-alarm rate below 1e-6 (see `inversion::tests::failed_check`).
    #[test]
    fn counts_follow_the_exact_poisson_probabilities_including_the_tails() {
        for (i, rate) in RATES.into_iter().enumerate() {
            let law = CountLaw::Poisson { mean: rate };
            let counts = draws(rate, enough(rate), 31 + i as u64);
            assert_eq!(failed_check(&counts, law), None, "rate {rate}");
        }
    }

    /// The same checks reject a sampler whose rate is 1% too high.
    #[test]
    fn the_checks_reject_counts_at_a_rate_one_percent_too_high() {
        for (i, rate) in RATES.into_iter().enumerate() {
            let law = CountLaw::Poisson { mean: rate };
            let CountLaw::Poisson { mean: wrong } = with_mean_one_percent_higher(law) else {
                unreachable!()
            };
            let counts = draws(wrong, enough(rate), 31 + i as u64);
            assert!(failed_check(&counts, law).is_some(), "rate {rate}");
        }
    }

    /// The acceptance test's `ln P(k)` against statrs's (log-gamma by
    /// Lanczos's series, an independent computation), to 1e-12 plus the
    /// rounding of statrs's own cancelling sum.
    #[test]
    fn the_log_probability_matches_an_independent_computation() {
        for rate in [10.0, 13.7, 200.0, 25_000.5, 1e9] {
            let exact = statrs::distribution::Poisson::new(rate).unwrap();
            let sd = rate.sqrt();
            let from = (rate - 12.0 * sd).max(0.0) as u64;
            let to = (rate + 12.0 * sd) as u64;
            let step = ((to - from) / 400).max(1);
            for k in (from..=to).step_by(step as usize).chain(0..12) {
                let (ours, theirs) = (ln_probability(k as f64, rate), exact.ln_pmf(k));
                // statrs's `k·ln rate − rate − ln k!` cancels terms of
                // the order of `k·ln rate`, and rounds at that order.
                let cancelled = k as f64 * rate.ln() + rate;
                let tolerance = 1e-12 * theirs.abs().max(1.0) + 1e-15 * cancelled;
                assert!(
                    (ours - theirs).abs() <= tolerance,
                    "rate {rate}, k {k}: {ours} against {theirs}"
                );
            }
        }
    }

    /// `ln 10! = 15.104412573075516`, `ln 100! = 363.73937555556347`
    /// (tables of log-factorials), so at `k = rate` the Stirling form gives
    /// `−k + k·ln k − ln k!`: for 10, `−10 + 23.025850929940457 −
    /// 15.104412573075516 = −2.078561643135059`.
    #[test]
    fn stirling_s_series_gives_the_log_factorials() {
        let at_ten = ln_probability(10.0, 10.0);
        assert!((at_ten - -2.078561643135059).abs() < 1e-13, "{at_ten}");
        let at_hundred = ln_probability(100.0, 100.0);
        let expected = -100.0 + 100.0 * 100f64.ln() - 363.73937555556347;
        assert!((at_hundred - expected).abs() < 1e-12, "{at_hundred}");
    }

    #[test]
    fn rates_outside_the_methods_are_answered_without_sampling() {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(1);
        assert_eq!(poisson_count(0.0, &mut rng), 0.0);
        assert_eq!(poisson_count(-3.0, &mut rng), 0.0);
        assert_eq!(poisson_count(1e17 + 0.4, &mut rng), 1e17);
        // The far tail of a small rate stops where the sum stops growing.
        assert!(poisson_count(1e-300, &mut rng) <= 1.0);
    }
}
