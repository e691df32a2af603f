//! Poisson counts at a rate that changes with every draw: the daily counts
//! of negative binomial arrivals, a Poisson count at a gamma-distributed
//! rate.
//!
//! The methods are those of `rand_distr::Poisson` (version 0.6): Knuth's
//! multiplication method below a rate of 12 (D. E. Knuth, "The Art of
//! Computer Programming", vol. 2, 1969, §3.4.1), and above it Ahrens and
//! Dieter's algorithm PD (J. H. Ahrens and U. Dieter, "Computer Generation
//! of Poisson Deviates from Modified Normal Distributions", ACM Transactions
//! on Mathematical Software 8(2), 1982, 163–179). Both are exact. Below 12
//! the counts are `rand_distr`'s to the bit, from the same uniforms. From
//! 12 on, PD takes its step S uniform with its normal deviate, before step
//! I has decided (see [`ahrens_dieter`]): the same law, drawn from the
//! stream in another order, so these counts are not `rand_distr`'s; the
//! tests check them against the exact Poisson probabilities instead.
//! `rand_distr` computes all of PD's constants when the law is made, which
//! suits many draws at one rate; here each rate serves one draw, and 95% to
//! 99% of draws (rates 12 to 200) stop at steps I or S, which need only the
//! rate's square root. So this port computes each constant only when a
//! step needs it, and rounds down with [`floor`] rather than a call into the
//! C library.

use rand::{Rng, RngExt};
use rand_distr::{Distribution, Exp1, StandardNormal};

/// The largest rate `rand_distr::Poisson` takes (`Poisson::MAX_LAMBDA`).
const MAX_RATE: f64 = 1.844e19;

/// Below this rate, Knuth's method; from it on, PD (as `rand_distr`).
const KNUTH_BELOW: f64 = 12.0;

/// A Poisson count with the given rate, or `None` where `rand_distr`'s
/// `Poisson::new` refuses the rate (not finite, not above 0, or above
/// [`MAX_RATE`]). Inlined, with PD's steps I and S, into its caller
/// (`poisson_count`) and that into the day loops; PD's rarer steps are a
/// function of their own ([`steps_q_e_h`]). With the compiler left to
/// choose, it kept one call a count somewhere on this path, at about 17
/// instructions to save and restore registers: inlined throughout,
/// drawing the arrivals of `scenarios/large.toml`'s replications 0–4 took
/// 353.8 million instructions instead of 374.3 (callgrind).
#[inline(always)]
pub(super) fn poisson<R: Rng + Clone>(rate: f64, rng: &mut R) -> Option<f64> {
    if !rate.is_finite() || rate <= 0.0 {
        return None;
    }
    if rate < KNUTH_BELOW {
        return Some(knuth(rate, rng));
    }
    (rate <= MAX_RATE).then(|| ahrens_dieter(rate, rng))
}

/// Knuth's method: multiply uniforms until the product falls to `e^-rate`.
/// The uniforms are drawn from a copy of the generator, which stays in
/// registers, and the copy handed back: the same numbers, without storing
/// its state to memory every uniform.
fn knuth<R: Rng + Clone>(rate: f64, rng: &mut R) -> f64 {
    let exp_rate = (-rate).exp();
    let mut local = rng.clone();
    let mut result = 1.0;
    let mut product: f64 = local.random();
    while product > exp_rate {
        product *= local.random::<f64>();
        result += 1.0;
    }
    *rng = local;
    result - 1.0
}

/// Algorithm PD for `rate ≥ 12`: steps N, I and S first, which accept most
/// draws, then F and the exponential steps E and H.
///
/// Step S's uniform is drawn with step N's normal deviate, whether or not
/// step I accepts, so that one test decides whether either step accepts:
/// drawing a variable that is then not used changes which numbers later
/// draws take from the stream, not their law. A branch on step I alone is
/// a coin toss for the processor (it accepts about half the draws) and cost
/// more than the rest of the draw: at rates of 10 to 100 this takes 10 ns a
/// draw instead of 24 to 30 (one thread, this crate's benchmark machine).
#[inline(always)]
fn ahrens_dieter(rate: f64, rng: &mut impl Rng) -> f64 {
    let s = rate.sqrt();
    // Step N: a normal deviate, and the uniform of step S.
    let zscore: f64 = StandardNormal.sample(rng);
    let u: f64 = rng.random();
    let g = rate + s * zscore;
    // Read only where `g ≥ 0` (steps I, S and Q), where it is `floor(g)`;
    // `g` is never −0: a positive rate plus a product rounds to +0 at worst.
    let k = floor_non_negative(g);
    let below_mean = rate - k;
    // Step I: accepted if not below `l`; step S: the squeeze. Non-short-
    // circuit operators: one branch for both.
    let accepted = (g >= 0.0)
        & (whole_at_least_floor_of(k, rate - 1.1484)
            | (6.0 * rate.powi(2) * u >= below_mean.powi(3)));
    if accepted {
        return k;
    }
    steps_q_e_h(rate, s, g, k, u, rng)
}

/// PD past steps I and S, for the 1% to 5% of draws they leave: step Q
/// (where `g ≥ 0`) with step S's `u`, then the exponential steps E and H.
/// Kept out of line, so that the steps most draws stop at are a short
/// function that its callers inline.
#[cold]
#[inline(never)]
fn steps_q_e_h(rate: f64, s: f64, g: f64, k: f64, u: f64, rng: &mut impl Rng) -> f64 {
    let constants = Tail::new(rate, s);
    if g >= 0.0 {
        // Step Q: the exact comparison.
        let (px, py, fx, fy) = constants.f(k);
        if fy * (1.0 - u) <= py * (px - fx).exp() {
            return k;
        }
    }
    loop {
        // Step E: a double exponential sample; step H: its acceptance.
        let e: f64 = Exp1.sample(rng);
        let u = rng.random::<f64>() * 2.0 - 1.0;
        let t = 1.8 + e * u.signum();
        if t > -0.6744 {
            let k = floor(rate + s * t);
            let (px, py, fx, fy) = constants.f(k);
            if constants.c * u.abs() <= py * (px + e).exp() - fy * (fx + e).exp() {
                return k;
            }
        }
    }
}

/// The constants of PD's steps F, Q and H for one rate.
struct Tail {
    rate: f64,
    s: f64,
    c: f64,
    c0: f64,
    c1: f64,
    c2: f64,
    c3: f64,
    omega: f64,
}

impl Tail {
    fn new(rate: f64, s: f64) -> Self {
        let b1 = (1.0 / 24.0) / rate;
        let b2 = 0.3 * b1 * b1;
        let c3 = (1.0 / 7.0) * b1 * b2;
        let c2 = b2 - 15.0 * c3;
        let c1 = b1 - 6.0 * b2 + 45.0 * c3;
        let c0 = 1.0 - b1 + 3.0 * b2 - 15.0 * c3;
        Tail {
            rate,
            s,
            c: 0.1069 / rate,
            c0,
            c1,
            c2,
            c3,
            omega: 1.0 / (2.0 * std::f64::consts::PI).sqrt() / rate.sqrt(),
        }
    }

    /// Step F: the logarithm of the Poisson probability of `k` (as `px`
    /// and `py`) and of its normal approximation (`fx`, `fy`).
    fn f(&self, k: f64) -> (f64, f64, f64, f64) {
        const FACTORIALS: [f64; 10] = [
            1.0, 1.0, 2.0, 6.0, 24.0, 120.0, 720.0, 5040.0, 40320.0, 362880.0,
        ];
        // Ahrens and Dieter's Table 1.
        const A: [f64; 10] = [
            -0.5000000002,
            0.3333333343,
            -0.2499998565,
            0.1999997049,
            -0.1666848753,
            0.1428833286,
            -0.1241963125,
            0.1101687109,
            -0.1142650302,
            0.1055093006,
        ];
        let rate = self.rate;
        let (px, py) = if k < 10.0 {
            (-rate, rate.powf(k) / FACTORIALS[k as usize])
        } else {
            let delta = (12.0 * k).recip();
            let delta = delta - 4.8 * delta.powi(3);
            let v = (rate - k) / k;
            let px = if v.abs() <= 0.25 {
                k * v.powi(2) * A.iter().rev().fold(0.0, |acc, &a| acc * v + a) - delta
            } else {
                k * (1.0 + v).ln() - (rate - k) - delta
            };
            (px, 1.0 / (2.0 * std::f64::consts::PI).sqrt() / k.sqrt())
        };
        let x = (k - rate + 0.5) / self.s;
        let fx = -0.5 * x * x;
        let fy = self.omega * (((self.c3 * x * x + self.c2) * x * x + self.c1) * x * x + self.c0);
        (px, py, fx, fy)
    }
}

/// `x.floor()` for `x ≥ 0` (and some whole number otherwise): truncation
/// through an integer below 2^52, `x` itself from there on, where every
/// double is whole.
#[inline]
fn floor_non_negative(x: f64) -> f64 {
    const WHOLE_FROM: f64 = (1u64 << 52) as f64;
    if x < WHOLE_FROM { x as i64 as f64 } else { x }
}

/// Whether the whole number `k` is at least `floor(y)`, without rounding
/// `y` down: `floor(y) ≤ k` exactly when `y < k + 1`, and `k + 1` is exact
/// below 2^53; from there `k + 1` may round down to `k`, where `y ≤ k`
/// answers.
#[inline]
fn whole_at_least_floor_of(k: f64, y: f64) -> bool {
    (y < k + 1.0) | (y <= k)
}

/// `x.floor()`, without a call into the C library (which `f64::floor` is on
/// x86-64 without SSE4.1): below 2^52 in size, truncation through an
/// integer, one less where that rounded a negative number up, with the
/// sign kept (so −0 stays −0); from 2^52 on every double is whole.
#[inline]
pub(super) fn floor(x: f64) -> f64 {
    const WHOLE_FROM: f64 = (1u64 << 52) as f64;
    if x.abs() < WHOLE_FROM {
        let truncated = x as i64 as f64;
        let floored = if truncated > x {
            truncated - 1.0
        } else {
            truncated
        };
        floored.copysign(x)
    } else {
        x
    }
}

#[cfg(test)]
mod tests {
    use rand::SeedableRng;
    use rand::rngs::Xoshiro256PlusPlus;

    use super::*;
    use crate::sample::fit::{draws_to_see_one_percent, failed_check};
    use crate::sample::inversion::CountLaw;

    /// Below 12 (Knuth's method) the port draws `rand_distr::Poisson`'s
    /// counts to the bit and leaves the stream where it does, over rates
    /// from 1e-3 to 12; it refuses the rates `rand_distr` refuses.
    #[test]
    fn counts_below_twelve_are_rand_distr_s_to_the_bit() {
        let mut rates = crate::testing::xorshift(0x9e37_79b9_7f4a_7c15);
        let mut ours = Xoshiro256PlusPlus::seed_from_u64(7);
        let mut theirs = ours.clone();
        let mut draws = 0;
        for _ in 0..400_000 {
            // Log-uniform from 1e-3 to just below 12.
            let decades = KNUTH_BELOW.log10() + 3.0;
            let rate = 10f64.powf((rates() % 10_000) as f64 / 10_000.0 * decades - 3.0);
            let expected = rand_distr::Poisson::new(rate)
                .expect("a rate rand_distr takes")
                .sample(&mut theirs);
            let count = poisson(rate, &mut ours).expect("a rate the port takes");
            assert_eq!(count.to_bits(), expected.to_bits(), "rate {rate}");
            draws += 1;
        }
        assert_eq!(ours.next_u64(), theirs.next_u64(), "after {draws} draws");
        for refused in [0.0, -1.0, f64::NAN, f64::INFINITY, 2e19] {
            assert!(rand_distr::Poisson::new(refused).is_err());
            assert_eq!(poisson(refused, &mut ours), None, "{refused}");
        }
    }

    /// `n` counts at `rate`, from a seed.
    fn counts(rate: f64, n: usize, seed: u64) -> Vec<u64> {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
        (0..n)
            .map(|_| poisson(rate, &mut rng).expect("a valid rate") as u64)
            .collect()
    }

    /// Rates on both sides of 12, up to 25 000: the chi-square over every
    /// count (tails pooled to 5 expected draws), the mass beyond 4 sd, the
    /// mean and the variance against the exact Poisson law. Just above 12,
    /// where PD's squeeze accepts least often, steps Q, E and H decide
    /// about 5% of the draws; a million draws there give them 50 000.
    #[test]
    fn counts_follow_the_exact_probabilities_including_the_tails() {
        for (i, rate) in [0.4, 3.7, 11.9, 12.0, 12.5, 13.7, 31.4, 200.0, 25_000.5]
            .into_iter()
            .enumerate()
        {
            let law = CountLaw::Poisson { mean: rate };
            let n = if rate < 14.0 {
                1_000_000
            } else {
                draws_to_see_one_percent(law)
            };
            let drawn = counts(rate, n, 31 + i as u64);
            assert_eq!(failed_check(&drawn, law), None, "rate {rate}");
        }
    }

    /// The same checks see a rate 1% too high (so they can fail).
    #[test]
    fn the_checks_see_a_rate_one_percent_too_high() {
        for (i, rate) in [3.7, 12.5, 200.0].into_iter().enumerate() {
            let law = CountLaw::Poisson { mean: rate };
            let drawn = counts(rate * 1.01, draws_to_see_one_percent(law), 31 + i as u64);
            assert!(failed_check(&drawn, law).is_some(), "rate {rate}");
        }
    }

    /// A Poisson count at rate `c·G`, `G ~ Gamma(r, 1)` drawn afresh for
    /// each count, is negative binomial of shape `r` and mean `c·r`: every
    /// draw at its own rate, as the simulation draws them, the rates
    /// spanning both methods.
    #[test]
    fn counts_at_gamma_rates_are_negative_binomial() {
        for (i, (shape, scale)) in [(7.5, 2.0), (7.5, 10.0), (2.3, 5.0), (0.8, 40.0)]
            .into_iter()
            .enumerate()
        {
            let law = CountLaw::NegativeBinomial {
                shape,
                mean: scale * shape,
            };
            let gamma = rand_distr::Gamma::new(shape, scale).expect("a valid gamma law");
            let mut rng = Xoshiro256PlusPlus::seed_from_u64(47 + i as u64);
            let drawn: Vec<u64> = (0..draws_to_see_one_percent(law))
                .map(|_| {
                    let rate = gamma.sample(&mut rng);
                    poisson(rate, &mut rng).unwrap_or(0.0) as u64
                })
                .collect();
            assert_eq!(failed_check(&drawn, law), None, "{law:?}");
        }
    }

    #[test]
    fn floor_is_the_library_s_floor_to_the_bit() {
        let special = [
            0.0,
            -0.0,
            0.5,
            -0.5,
            1.0,
            -1.0,
            -1.5,
            f64::from_bits(3f64.to_bits() - 1),
            -f64::from_bits(3f64.to_bits() - 1),
            4_503_599_627_370_495.5,
            -4_503_599_627_370_495.5,
            4_503_599_627_370_496.0,
            9.1e18,
            -9.3e18,
            1e300,
            f64::MIN_POSITIVE,
            -f64::MIN_POSITIVE,
            f64::INFINITY,
            f64::NEG_INFINITY,
        ];
        for x in special {
            assert_eq!(floor(x).to_bits(), x.floor().to_bits(), "{x}");
        }
        assert!(floor(f64::NAN).is_nan());
        let mut bits = crate::testing::xorshift(0x2545_f491_4f6c_dd1d);
        for _ in 0..1_000_000 {
            let x = f64::from_bits(bits());
            if !x.is_nan() {
                assert_eq!(floor(x).to_bits(), x.floor().to_bits(), "{x}");
            }
            // Numbers of ordinary size too, where the work is.
            let y = (bits() % 2_000_000) as f64 / 7.0 - 100_000.0;
            assert_eq!(floor(y).to_bits(), y.floor().to_bits(), "{y}");
        }
    }

    /// PD's steps I and S read `floor(g)` only where `g ≥ 0`, and compare a
    /// whole number with `floor(rate − 1.1484)`: the shortcuts they take
    /// give the library's answers there, to the bit, at ordinary sizes and
    /// where doubles stop holding fractions (2^52) and odd numbers (2^53).
    #[test]
    fn pd_s_shortcuts_give_the_library_s_floors_where_they_are_read() {
        let mut bits = crate::testing::xorshift(0x9e37_79b9_7f4a_7c15);
        let mut wholes = vec![
            0.0,
            1.0,
            12.0,
            2f64.powi(52) - 1.0,
            2f64.powi(52),
            2f64.powi(53),
            2f64.powi(53) + 2.0,
            2f64.powi(60),
            1.8e19,
        ];
        for _ in 0..100_000 {
            let scale = [1e3, 1e6, 2f64.powi(52), 2f64.powi(54)][(bits() % 4) as usize];
            wholes.push(((bits() >> 11) as f64 / 2f64.powi(53) * scale).floor());
        }
        let (mut compared, mut above) = (0, 0);
        for &k in &wholes {
            assert_eq!(floor_non_negative(k).to_bits(), k.floor().to_bits(), "{k}");
            for y in [
                k - 1.0,
                k.next_down(),
                k,
                k.next_up(),
                k + 0.5,
                (k + 1.0).next_down(),
                k + 1.0,
                (k + 1.0).next_up(),
                k + 2.0,
            ] {
                if y < 0.0 {
                    continue;
                }
                let library = k >= y.floor();
                assert_eq!(whole_at_least_floor_of(k, y), library, "k {k}, y {y}");
                assert_eq!(floor_non_negative(y).to_bits(), y.floor().to_bits(), "{y}");
                compared += 1;
                above += usize::from(!library);
            }
        }
        // Both answers met often.
        assert!(
            above > compared / 10 && above < compared * 9 / 10,
            "{above} of {compared}"
        );
        for _ in 0..1_000_000 {
            let x = f64::from_bits(bits() & !(1 << 63));
            if !x.is_nan() {
                assert_eq!(floor_non_negative(x).to_bits(), x.floor().to_bits(), "{x}");
            }
        }
    }
}
