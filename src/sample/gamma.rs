//! Gamma variates of scale 1, `rand_distr::Gamma`'s to the bit, drawn
//! where the caller's loop can keep the generator in registers.
//!
//! The method is `rand_distr::Gamma`'s (version 0.6) for shapes above 1:
//! Marsaglia and Tsang's (G. Marsaglia and W. W. Tsang, "A Simple Method
//! for Generating Gamma Variables", ACM Transactions on Mathematical
//! Software 26(3), 2000, 363–372), from the same normal and open uniform
//! variates in the same order, so the draws and the stream left behind are
//! the same. `rand_distr`'s sampler, and the normal variate it draws
//! through `rand`'s `RngExt::sample`, were not inlined into the day loops
//! of a negative binomial's own part and of a line's shared shocks; there
//! every variate stored the generator's state to memory and loaded it
//! again. Shapes of 1 and below take `rand_distr`'s other methods, through
//! [`Gamma::Other`].

use rand::Rng;
use rand_distr::{Distribution, Open01, StandardNormal};

/// A gamma law of scale 1.
#[derive(Clone, Copy, Debug)]
pub(super) enum Gamma {
    /// Shape above 1: Marsaglia and Tsang's constants `d = shape − 1/3`
    /// and `c = 1 / √(9d)`.
    Large { d: f64, c: f64 },
    /// Shape 1 or below: `rand_distr`'s sampler.
    Other(rand_distr::Gamma<f64>),
}

impl Gamma {
    /// The gamma law of `shape` and scale 1, or `None` for a shape that is
    /// not positive (as `rand_distr::Gamma::new` refuses).
    pub(super) fn new(shape: f64) -> Option<Self> {
        if shape > 1.0 && shape.is_finite() {
            let d = shape - 1.0 / 3.0;
            return Some(Gamma::Large {
                d,
                c: 1.0 / (9.0 * d).sqrt(),
            });
        }
        rand_distr::Gamma::new(shape, 1.0).ok().map(Gamma::Other)
    }

    /// One variate.
    #[inline(always)]
    pub(super) fn sample<R: Rng>(&self, rng: &mut R) -> f64 {
        match *self {
            Gamma::Large { d, c } => loop {
                let x: f64 = StandardNormal.sample(rng);
                let v_cbrt = 1.0 + c * x;
                if v_cbrt <= 0.0 {
                    continue;
                }
                let v = v_cbrt * v_cbrt * v_cbrt;
                let u: f64 = Open01.sample(rng);
                let x_sqr = x * x;
                if u < 1.0 - 0.0331 * x_sqr * x_sqr || u.ln() < 0.5 * x_sqr + d * (1.0 - v + v.ln())
                {
                    // rand_distr's `v · (d · scale)`, at scale 1.
                    return v * d;
                }
            },
            Gamma::Other(gamma) => gamma.sample(rng),
        }
    }
}

#[cfg(test)]
mod tests {
    use rand::SeedableRng;
    use rand::rngs::Xoshiro256PlusPlus;

    use super::*;

    /// Over shapes from 0.01 to 1000, including 1 and the shapes just
    /// above it, the port draws `rand_distr::Gamma`'s variates to the bit
    /// and leaves the stream where it does.
    #[test]
    fn variates_are_rand_distr_s_to_the_bit() {
        let mut shapes = crate::testing::xorshift(0x2545_f491_4f6c_dd1d);
        let mut ours = Xoshiro256PlusPlus::seed_from_u64(11);
        let mut theirs = ours.clone();
        let edges = [1.0, 1.0 + f64::EPSILON, 1.5, 0.5, 1e-2, 1e3];
        for i in 0..300_000 {
            let shape = edges.get(i % 50).copied().unwrap_or_else(|| {
                // Log-uniform from 0.01 to 1000.
                10f64.powf((shapes() % 100_000) as f64 / 100_000.0 * 5.0 - 2.0)
            });
            let expected = rand_distr::Gamma::new(shape, 1.0)
                .expect("a positive shape")
                .sample(&mut theirs);
            let drawn = Gamma::new(shape)
                .expect("a positive shape")
                .sample(&mut ours);
            assert_eq!(drawn.to_bits(), expected.to_bits(), "shape {shape}");
        }
        assert_eq!(ours.next_u64(), theirs.next_u64(), "the streams end alike");
    }

    #[test]
    fn shapes_rand_distr_refuses_are_refused() {
        for shape in [0.0, -1.0, f64::NAN] {
            assert!(Gamma::new(shape).is_none(), "{shape}");
        }
    }
}
