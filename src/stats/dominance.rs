//! Whether one strategy's cost stochastically dominates another's, with a
//! test that accounts for sampling error.
//!
//! Lower cost is better. A's cost dominates B's at first order when, at
//! every level `c`, A is no more likely to cost more than `c`:
//! `D¹_A(c) = P(X_A > c) ≤ D¹_B(c)` — every decision maker who prefers
//! less cost prefers A. At second order, when A's expected excess over
//! every level is no larger: `D²_A(c) = E[(X_A − c)⁺] ≤ D²_B(c)` — every
//! risk-averse one does (the integrated distribution function of the cost
//! seen as a loss).
//!
//! The procedure is Davidson and Duclos's: J. Davidson and J.-Y. Duclos
//! (2000), "Statistical inference for stochastic dominance and for the
//! measurement of poverty and inequality", *Econometrica* 68(6):1435–1464:
//! the difference `D^s_A(c) − D^s_B(c)` is estimated at each point of a
//! grid and studentised; dominance is accepted only when every point's
//! t-statistic is significant in the same direction (the
//! intersection–union rule), against the critical value of the studentized
//! maximum modulus for the grid's size, so that the chance of declaring a
//! dominance that is not there is at most the level whatever the number of
//! points. That multiple-comparison practice for dominance tests is
//! described by E. Maasoumi (2001), "Parametric and nonparametric tests of
//! limited domain and ordered hypotheses in economics", ch. 25 of
//! B. Baltagi (ed.), *A Companion to Theoretical Econometrics*, section
//! "Tests for stochastic dominance".
//!
//! Here the samples are paired — every strategy is simulated on the same
//! random numbers — so, as Davidson and Duclos allow for dependent samples,
//! the variance of a difference is that of the per-replication differences
//! `g(X_A,i, c) − g(X_B,i, c)`, with `g = 1{x > c}` (first order) or
//! `(x − c)⁺` (second order), over n: common random numbers make it small.
//!
//! The grid is the pooled sample's 10th, 20th, …, 90th percentiles
//! ([`GRID_PERCENTILES`]): dominance cannot be told in the far tails,
//! where both curves are 0 or 1 (their difference has no variance), so the
//! grid stays inside them. A point where the two strategies' terms agree in
//! every replication is a tie, which does not contradict dominance; at
//! least one point must be significant. The level is [`LEVEL`].

use statrs::distribution::{ContinuousCDF, Normal};

use super::summary::percentile_of_sorted;

/// Where the differences are tested: percentiles of the two samples pooled.
pub const GRID_PERCENTILES: [f64; 9] = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9];

/// The chance of declaring a dominance that is not there, at most.
pub const LEVEL: f64 = 0.05;

/// What a test of A against B concludes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// A's cost dominates B's: significantly better at every grid point.
    Dominates,
    /// B's cost dominates A's.
    Dominated,
    /// Neither, or not shown beyond sampling error.
    NotSignificant,
}

impl Verdict {
    /// The word `dominance.csv` writes.
    pub fn id(self) -> &'static str {
        match self {
            Verdict::Dominates => "dominates",
            Verdict::Dominated => "dominated",
            Verdict::NotSignificant => "not significant",
        }
    }
}

/// How A's cost compares with B's over paired replications.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Dominance {
    /// First-order stochastic dominance of cost.
    pub first_order: Verdict,
    /// Second-order stochastic dominance of cost.
    pub second_order: Verdict,
    /// Share of replications in which A costs less than B.
    pub share_a_cheaper: f64,
    /// Its standard error, `√(p(1 − p)/n)`.
    pub share_a_cheaper_se: f64,
}

/// The critical value of the studentized maximum modulus of `points`
/// independent standard normals (infinite degrees of freedom) at `level`:
/// `m` with `P(max |Zᵢ| ≤ m) = (2Φ(m) − 1)^points = 1 − level`.
pub(crate) fn studentized_maximum_modulus(points: usize, level: f64) -> f64 {
    let each = (1.0 - level).powf(1.0 / points as f64);
    Normal::standard().inverse_cdf((1.0 + each) / 2.0)
}

/// Compares the costs `a` and `b`, paired by replication (the same length).
/// Fewer than two replications tell nothing: not significant.
pub(crate) fn compare(a: &[f64], b: &[f64]) -> Dominance {
    debug_assert_eq!(a.len(), b.len(), "paired samples");
    let n = a.len().min(b.len());
    let (a, b) = (&a[..n], &b[..n]);
    let cheaper = a.iter().zip(b).filter(|(x, y)| x < y).count();
    let share = if n == 0 {
        0.0
    } else {
        cheaper as f64 / n as f64
    };
    let se = if n == 0 {
        0.0
    } else {
        (share * (1.0 - share) / n as f64).sqrt()
    };
    let (first_order, second_order) = if n < 2 {
        (Verdict::NotSignificant, Verdict::NotSignificant)
    } else {
        let grid = grid(a, b);
        let exceeds = |x: f64, c: f64| if x > c { 1.0 } else { 0.0 };
        let excess = |x: f64, c: f64| (x - c).max(0.0);
        (verdict(a, b, &grid, exceeds), verdict(a, b, &grid, excess))
    };
    Dominance {
        first_order,
        second_order,
        share_a_cheaper: share,
        share_a_cheaper_se: se,
    }
}

/// The pooled sample's [`GRID_PERCENTILES`].
fn grid(a: &[f64], b: &[f64]) -> Vec<f64> {
    let mut pooled: Vec<f64> = a.iter().chain(b).copied().collect();
    pooled.sort_by(f64::total_cmp);
    GRID_PERCENTILES
        .map(|p| percentile_of_sorted(&pooled, p))
        .to_vec()
}

/// The intersection–union verdict over `grid` for the curve whose terms
/// `g(x, c)` are averaged.
fn verdict(a: &[f64], b: &[f64], grid: &[f64], g: impl Fn(f64, f64) -> f64) -> Verdict {
    let critical = studentized_maximum_modulus(grid.len(), LEVEL);
    let mut below = 0;
    let mut above = 0;
    for &c in grid {
        match t_statistic(a, b, c, &g) {
            None => {}
            Some(t) if t < -critical => below += 1,
            Some(t) if t > critical => above += 1,
            Some(_) => return Verdict::NotSignificant,
        }
    }
    match (below, above) {
        (0, 0) => Verdict::NotSignificant,
        (_, 0) => Verdict::Dominates,
        (0, _) => Verdict::Dominated,
        _ => Verdict::NotSignificant,
    }
}

/// The t-statistic of the mean paired difference `g(aᵢ, c) − g(bᵢ, c)`;
/// `None` at a tie (every difference 0), ±∞ for a constant non-zero one.
fn t_statistic(a: &[f64], b: &[f64], c: f64, g: &impl Fn(f64, f64) -> f64) -> Option<f64> {
    let n = a.len() as f64;
    let terms = a.iter().zip(b).map(|(&x, &y)| g(x, c) - g(y, c));
    let mean = terms.clone().sum::<f64>() / n;
    let squares: f64 = terms.map(|d| (d - mean).powi(2)).sum();
    let se = (squares / (n - 1.0)).sqrt() / n.sqrt();
    if se > 0.0 {
        Some(mean / se)
    } else if mean != 0.0 {
        Some(mean.signum() * f64::INFINITY)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Dist;

    /// `n` standard normal quantiles at xorshift-drawn probabilities.
    fn normals(n: usize, seed: u64) -> Vec<f64> {
        let mut next = crate::testing::xorshift(seed);
        let standard = Dist::normal(0.0, 1.0, f64::NEG_INFINITY, f64::INFINITY).unwrap();
        (0..n)
            .map(|_| standard.quantile(((next() >> 11) as f64 + 0.5) / (1u64 << 53) as f64))
            .collect()
    }

    #[test]
    fn the_critical_value_is_the_studentized_maximum_modulus() {
        // One point: the two-sided normal value, Φ⁻¹(0.975) = 1.959964.
        assert!((studentized_maximum_modulus(1, 0.05) - 1.959_964).abs() < 1e-6);
        // Nine: 0.95^(1/9) = 0.9943170, Φ⁻¹((1 + 0.9943170)/2) =
        // Φ⁻¹(0.9971585) = 2.76553.
        let nine = studentized_maximum_modulus(9, 0.05);
        assert!((nine - 2.76553).abs() < 1e-4, "{nine}");
    }

    #[test]
    fn one_less_in_every_replication_dominates_at_both_orders() {
        let b = normals(2000, 1);
        let a: Vec<f64> = b.iter().map(|x| x - 1.0).collect();
        let d = compare(&a, &b);
        assert_eq!(
            (d.first_order, d.second_order),
            (Verdict::Dominates, Verdict::Dominates)
        );
        assert_eq!((d.share_a_cheaper, d.share_a_cheaper_se), (1.0, 0.0));
        let d = compare(&b, &a);
        assert_eq!(
            (d.first_order, d.second_order),
            (Verdict::Dominated, Verdict::Dominated)
        );
        // A constant pair too: every term is the same, the t-statistic infinite.
        let d = compare(&[4.0; 5], &[5.0; 5]);
        assert_eq!(d.first_order, Verdict::Dominates);
    }

    #[test]
    fn identical_distributions_are_not_significant() {
        let a = normals(2000, 2);
        let b = normals(2000, 3);
        let d = compare(&a, &b);
        assert_eq!(d.first_order, Verdict::NotSignificant);
        assert_eq!(d.second_order, Verdict::NotSignificant);
        // Independent, identically distributed: P(A < B) = 1/2, and the
        // estimate is within 3 standard errors of it (se = √(¼/2000) = 0.0112).
        assert!((d.share_a_cheaper - 0.5).abs() < 3.0 * d.share_a_cheaper_se);
        // The same sample against itself: ties everywhere.
        assert_eq!(compare(&a, &a).first_order, Verdict::NotSignificant);
    }

    #[test]
    fn a_less_spread_cost_of_the_same_mean_dominates_at_second_order_only() {
        // A = Z and B = 3Z: the same mean, B three times as spread. Their
        // distribution functions cross at 0 (no first-order dominance),
        // while A's expected excess over every level is smaller.
        let z = normals(2000, 4);
        let b: Vec<f64> = z.iter().map(|x| 3.0 * x).collect();
        let d = compare(&z, &b);
        assert_eq!(d.first_order, Verdict::NotSignificant);
        assert_eq!(d.second_order, Verdict::Dominates);
    }

    #[test]
    fn dominance_is_declared_no_more_often_than_the_level_allows() {
        // 400 pairs of independent samples of 100 from one distribution:
        // each declares a dominance with probability at most 5%, so the
        // count is at most 400 × 0.05 + 3 binomial standard errors,
        // 20 + 3 × √(400 × 0.05 × 0.95) = 20 + 13.1.
        let trials = 400;
        let declared = (0..trials)
            .filter(|&t| {
                let d = compare(&normals(100, 10 + 2 * t), &normals(100, 11 + 2 * t));
                d.first_order != Verdict::NotSignificant
                    || d.second_order != Verdict::NotSignificant
            })
            .count();
        let bound = 0.05 * trials as f64 + 3.0 * (trials as f64 * 0.05 * 0.95).sqrt();
        assert!((declared as f64) <= bound, "{declared} of {trials}");
    }

    #[test]
    fn too_few_replications_tell_nothing() {
        let d = compare(&[1.0], &[2.0]);
        assert_eq!(d.first_order, Verdict::NotSignificant);
        assert_eq!(d.share_a_cheaper, 1.0);
        assert_eq!(compare(&[], &[]).share_a_cheaper, 0.0);
    }
}
