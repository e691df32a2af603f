//! Variance-based sensitivity indices and their bootstrap intervals: the
//! pure estimators behind `global_sensitivity.csv` (the designs that feed
//! them, and the model, are in [`crate::global_sensitivity`]).
//!
//! - **First order from given data**, `S_i = Var(E[Y|X_i]) / Var(Y)`, from
//!   the replications a run has anyway: the sample is cut into classes of
//!   equal count along `X_i`'s ranks and the correlation ratio of `Y` over
//!   the classes is taken (Plischke, Borgonovo & Smith, "Global sensitivity
//!   measures from given data", European Journal of Operational Research
//!   226(3):536–550, 2013). The raw ratio `η²` is biased upwards by the
//!   noise of the class means, by `(M − 1)/(N − 1)` in expectation for `M`
//!   classes and `N` points when `Y` does not depend on `X_i`; the estimate
//!   removes it, `ε² = 1 − (1 − η²)(N − 1)/(N − M)` (Kelley, "An unbiased
//!   correlation ratio measure", PNAS 21(9):554–559, 1935), so an input
//!   that does not matter reads about 0, either side.
//! - **Total order** from a pick-freeze design on independent inputs
//!   (matrices `A`, `B` and `A` with column `i` from `B`), by Jansen's
//!   estimator `ST_i = E[(f(A) − f(A_B^i))²] / (2 Var Y)` (Jansen,
//!   "Analysis of variance designs for model output", Computer Physics
//!   Communications 117:35–43, 1999; recommended by Saltelli, Annoni,
//!   Azzini, Campolongo, Ratto & Tarantola, "Variance based sensitivity
//!   analysis of model output. Design and estimator for the total
//!   sensitivity index", Computer Physics Communications 181:259–270, 2010).
//! - **Shapley effects** for correlated inputs, from the per-permutation
//!   increments of the random-permutation algorithm of Song, Nelson &
//!   Staum, "Shapley effects for global sensitivity analysis: theory and
//!   computation", SIAM/ASA Journal on Uncertainty Quantification
//!   4:1060–1083, 2016: each permutation's increments add up to `Var(Y)`,
//!   so the effects add up to 1 exactly.
//!
//! Every estimate comes with a 95% percentile bootstrap interval, shifted
//! by the bootstrap's estimate of its bias, over [`BOOTSTRAP_RESAMPLES`]
//! resamples (Efron & Tibshirani, *An Introduction
//! to the Bootstrap*, 1993, ch. 10 and 13) of its sampling units — replications,
//! design rows or permutations — drawn from the generator the caller hands
//! in, so the interval is as reproducible as the estimate.

use rand::{Rng, RngExt};

/// Bootstrap resamples behind every interval: enough for the 2.5% and
/// 97.5% percentiles to sit 5 resamples in from either end (Efron &
/// Tibshirani 1993, ch. 13, suggest 1 000 for percentile intervals; 200
/// keeps a run's analysis within a second — the intervals' own error is
/// then a few percent of their width).
pub const BOOTSTRAP_RESAMPLES: usize = 200;

/// Fewest points a class of the given-data estimator holds on average.
const MIN_POINTS_PER_CLASS: usize = 2;

/// An index with its bootstrap interval.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Estimate {
    /// The estimate on the whole sample.
    pub value: f64,
    /// 2.5th percentile of the bootstrap estimates.
    pub ci_low: f64,
    /// 97.5th percentile of the bootstrap estimates.
    pub ci_high: f64,
    /// Standard deviation of the bootstrap estimates: the estimate's
    /// standard error.
    pub se: f64,
}

impl Estimate {
    /// Whether `other` lies within this estimate's interval.
    pub(crate) fn covers(&self, other: f64) -> bool {
        (self.ci_low..=self.ci_high).contains(&other)
    }
}

/// Classes of the given-data estimator for `n` points: `√n`, rounded, so
/// that classes and points per class grow together (the rule Plischke et
/// al. 2013 discuss, their section 4), and at least 2 points each.
pub(crate) fn classes_for(n: usize) -> usize {
    let root = (n as f64).sqrt().round() as usize;
    root.min(n / MIN_POINTS_PER_CLASS).max(1)
}

/// Each point's class: its rank along `x` (ties in input order) cut into
/// `classes` runs of (nearly) equal count.
fn class_of_each(x: &[f64], classes: usize) -> Vec<usize> {
    let n = x.len();
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| x[a].total_cmp(&x[b]).then(a.cmp(&b)));
    let mut class = vec![0; n];
    for (rank, &point) in order.iter().enumerate() {
        class[point] = rank * classes / n;
    }
    class
}

/// A sample as the given-data estimator reads it: each point's class along
/// `x` beside its output, so that a resample's point is one read.
struct ClassedSample {
    /// `(class, y)` of each point.
    points: Vec<(usize, f64)>,
    classes: usize,
}

impl ClassedSample {
    /// `None` when `x` or `y` does not vary, or there are fewer than 4
    /// points.
    fn of(x: &[f64], y: &[f64]) -> Option<Self> {
        let n = x.len().min(y.len());
        let (x, y) = (&x[..n], &y[..n]);
        let varies = |v: &[f64]| v.iter().any(|&a| a != v[0]);
        if n < 4 || !varies(x) || !varies(y) {
            return None;
        }
        let classes = classes_for(n);
        let points = class_of_each(x, classes).into_iter().zip(y.iter().copied());
        Some(ClassedSample {
            points: points.collect(),
            classes,
        })
    }

    /// The estimator on every point.
    fn index(&self) -> Option<f64> {
        let all: Vec<usize> = (0..self.points.len()).collect();
        self.corrected_ratio(&all, &mut ClassTotals::default())
    }

    /// Kelley's bias-corrected correlation ratio of `y` over the classes,
    /// for the points `picks` (indices, repeats allowed), with `totals` as
    /// room for the classes' sums: `None` when `y` does not vary over them
    /// or there are no more points than classes.
    fn corrected_ratio(&self, picks: &[usize], totals: &mut ClassTotals) -> Option<f64> {
        let n = picks.len();
        totals.clear(self.classes);
        let mut total = 0.0;
        for &p in picks {
            let (class, y) = self.points[p];
            totals.sums[class] += y;
            totals.counts[class] += 1;
            total += y;
        }
        let mean = total / n as f64;
        let spread: f64 = picks
            .iter()
            .map(|&p| (self.points[p].1 - mean).powi(2))
            .sum();
        let between: f64 = (totals.sums.iter().zip(&totals.counts))
            .filter(|(_, c)| **c > 0)
            .map(|(s, &c)| c as f64 * (s / c as f64 - mean).powi(2))
            .sum();
        let occupied = totals.counts.iter().filter(|&&c| c > 0).count();
        if spread <= 0.0 || n <= occupied {
            return None;
        }
        let eta_squared = between / spread;
        Some(1.0 - (1.0 - eta_squared) * (n - 1) as f64 / (n - occupied) as f64)
    }
}

/// The sum and count of the outputs in each class, kept from one resample
/// to the next.
#[derive(Default)]
struct ClassTotals {
    sums: Vec<f64>,
    counts: Vec<usize>,
}

impl ClassTotals {
    fn clear(&mut self, classes: usize) {
        self.sums.clear();
        self.sums.resize(classes, 0.0);
        self.counts.clear();
        self.counts.resize(classes, 0);
    }
}

/// The first-order index of `x` for `y` from given data (points in pairs),
/// with its bootstrap interval over the points; `None` when `x` or `y`
/// does not vary, or there are fewer than 4 points.
pub(crate) fn first_order_given_data(x: &[f64], y: &[f64], rng: &mut impl Rng) -> Option<Estimate> {
    let sample = ClassedSample::of(x, y)?;
    let value = sample.index()?;
    let mut totals = ClassTotals::default();
    let resampled = bootstrap(rng, sample.points.len(), |picks| {
        sample.corrected_ratio(picks, &mut totals)
    });
    Some(with_interval(value, resampled))
}

/// The value [`first_order_given_data`] estimates, without its interval
/// (the convergence check's estimate on half the sample needs no more).
pub(crate) fn first_order_given_data_value(x: &[f64], y: &[f64]) -> Option<f64> {
    ClassedSample::of(x, y)?.index()
}

/// Jansen's total-order index of input `i` from a pick-freeze design:
/// `f_a[r]` and `f_ab[r]` the output at row `r` of `A` and of `A` with
/// input `i` from `B`, `variance` the output's variance; with its
/// bootstrap interval over the rows. `None` without rows or variance.
pub(crate) fn total_order_jansen(
    f_a: &[f64],
    f_ab: &[f64],
    variance: f64,
    rng: &mut impl Rng,
) -> Option<Estimate> {
    let rows = f_a.len().min(f_ab.len());
    if rows == 0 || variance <= 0.0 {
        return None;
    }
    let squared: Vec<f64> = (0..rows).map(|r| (f_a[r] - f_ab[r]).powi(2)).collect();
    let of = |picks: &[usize]| {
        let sum: f64 = picks.iter().map(|&r| squared[r]).sum();
        Some(sum / (2.0 * picks.len() as f64 * variance))
    };
    let all: Vec<usize> = (0..rows).collect();
    let value = of(&all)?;
    Some(with_interval(value, bootstrap(rng, rows, of)))
}

/// The variance of the outputs of a pick-freeze design's `A` and `B` rows
/// together (they are independent draws of the inputs).
pub(crate) fn design_variance(f_a: &[f64], f_b: &[f64]) -> f64 {
    let n = (f_a.len() + f_b.len()) as f64;
    let mean = f_a.iter().chain(f_b).sum::<f64>() / n;
    f_a.iter()
        .chain(f_b)
        .map(|v| (v - mean).powi(2))
        .sum::<f64>()
        / (n - 1.0)
}

/// The Shapley effects of every input from the increments of Song et al.'s
/// random-permutation algorithm: `increments[m][i]` is what input `i` added
/// to the cost `E[Var(Y | X_{-J})]` in permutation `m`, each permutation's
/// increments adding up to its estimate of `Var(Y)`. An effect is the sum
/// of its increments over the sum of every increment, so the effects add
/// up to 1; each with its bootstrap interval over the permutations (the
/// denominator resampled with them). Empty without permutations or
/// variance.
pub(crate) fn shapley_effects(increments: &[Vec<f64>], rng: &mut impl Rng) -> Vec<Estimate> {
    let permutations = increments.len();
    let inputs = increments.first().map_or(0, Vec::len);
    let variance_of = |picks: &[usize]| -> f64 {
        picks
            .iter()
            .map(|&m| increments[m].iter().sum::<f64>())
            .sum()
    };
    let all: Vec<usize> = (0..permutations).collect();
    if permutations == 0 || variance_of(&all) <= 0.0 {
        return Vec::new();
    }
    let mean_of = |i: usize, picks: &[usize]| {
        let sum: f64 = picks.iter().map(|&m| increments[m][i]).sum();
        let total = variance_of(picks);
        (total > 0.0).then(|| sum / total)
    };
    (0..inputs)
        .map(|i| {
            let value = mean_of(i, &all).unwrap_or(0.0);
            with_interval(value, bootstrap(rng, permutations, |p| mean_of(i, p)))
        })
        .collect()
}

/// `statistic` over [`BOOTSTRAP_RESAMPLES`] resamples of `n` units (with
/// replacement), the resamples where it is defined.
pub(crate) fn bootstrap(
    rng: &mut impl Rng,
    n: usize,
    mut statistic: impl FnMut(&[usize]) -> Option<f64>,
) -> Vec<f64> {
    let mut picks = vec![0; n];
    (0..BOOTSTRAP_RESAMPLES)
        .filter_map(|_| {
            for p in picks.iter_mut() {
                *p = rng.random_range(0..n);
            }
            statistic(&picks)
        })
        .collect()
}

/// `value` with the percentile interval of its bootstrap estimates,
/// shifted by their bias (their mean minus `value`, Efron & Tibshirani
/// 1993, ch. 10), and their standard deviation; the value itself when
/// there are none. The shift matters for the given-data estimator: a
/// resample repeats points, which makes the classes' means look less
/// noisy than they are, and its estimates sit above the sample's.
pub(crate) fn with_interval(value: f64, mut resampled: Vec<f64>) -> Estimate {
    if resampled.is_empty() {
        return Estimate {
            value,
            ci_low: value,
            ci_high: value,
            se: 0.0,
        };
    }
    resampled.sort_by(f64::total_cmp);
    let at = |p: f64| resampled[((resampled.len() - 1) as f64 * p).round() as usize];
    let count = resampled.len() as f64;
    let mean = resampled.iter().sum::<f64>() / count;
    let variance = resampled.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / count.max(2.0);
    let bias = mean - value;
    Estimate {
        value,
        ci_low: at(0.025) - bias,
        ci_high: at(0.975) - bias,
        se: variance.sqrt(),
    }
}

/// The halves of a sample the convergence check compares: the estimate on
/// the first half has converged when the whole sample's interval covers
/// it (the rule `global_sensitivity.csv` states in its `*_converged`
/// columns).
pub(crate) fn converged(whole: &Estimate, first_half: Option<f64>) -> bool {
    first_half.is_some_and(|h| whole.covers(h))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand::rngs::Xoshiro256PlusPlus;
    use std::f64::consts::PI;

    pub(crate) fn rng(seed: u64) -> Xoshiro256PlusPlus {
        Xoshiro256PlusPlus::seed_from_u64(seed)
    }

    /// The Ishigami function, a = 7, b = 0.1.
    pub(crate) fn ishigami(x: &[f64]) -> f64 {
        x[0].sin() + 7.0 * x[1].sin().powi(2) + 0.1 * x[2].powi(4) * x[0].sin()
    }

    /// Ishigami's reference indices (Saltelli et al., *Global Sensitivity
    /// Analysis: The Primer*, 2008, §4.8; from its closed form):
    /// V = a²/8 + b·π⁴/5 + b²·π⁸/18 + 1/2 = 13.8446,
    /// V1 = b·π⁴/5 + b²·π⁸/50 + 1/2 = 4.3459, V2 = a²/8 = 6.125,
    /// V13 = b²·π⁸·(1/18 − 1/50) = 3.3737: S1 = 0.3139, S2 = 0.4424,
    /// S3 = 0, ST1 = 0.5576, ST2 = 0.4424, ST3 = 0.2437.
    pub(crate) const ISHIGAMI_S: [f64; 3] = [0.3139, 0.4424, 0.0];
    pub(crate) const ISHIGAMI_ST: [f64; 3] = [0.5576, 0.4424, 0.2437];

    fn uniform_points(n: usize, k: usize, low: f64, high: f64, seed: u64) -> Vec<Vec<f64>> {
        let mut r = rng(seed);
        (0..n)
            .map(|_| (0..k).map(|_| r.random_range(low..high)).collect())
            .collect()
    }

    fn column(points: &[Vec<f64>], i: usize) -> Vec<f64> {
        points.iter().map(|p| p[i]).collect()
    }

    /// Within `sigmas` bootstrap standard errors of `truth`, plus the
    /// reference's own rounding (4 decimals).
    fn assert_near(e: &Estimate, truth: f64, sigmas: f64, what: &str) {
        let bound = sigmas * e.se + 5e-5;
        assert!(
            (e.value - truth).abs() <= bound,
            "{what}: {} vs {truth} (se {})",
            e.value,
            e.se
        );
    }

    #[test]
    fn given_data_first_order_finds_ishigami_s1_s2_s3() {
        let points = uniform_points(4_000, 3, -PI, PI, 1);
        let y: Vec<f64> = points.iter().map(|p| ishigami(p)).collect();
        for (i, truth) in ISHIGAMI_S.iter().enumerate() {
            let e = first_order_given_data(&column(&points, i), &y, &mut rng(10 + i as u64))
                .expect("inputs and output vary");
            assert_near(&e, *truth, 4.0, &format!("S{}", i + 1));
            assert!(e.ci_low <= e.value && e.value <= e.ci_high, "{e:?}");
        }
    }

    /// The g-function of Sobol', `Π (|4x_i − 2| + a_i)/(1 + a_i)`, x
    /// uniform on [0, 1]: `V_i = 1/(3(1 + a_i)²)`, `V = Π(1 + V_i) − 1`,
    /// `S_i = V_i/V`, `ST_i = V_i·Π_{j≠i}(1 + V_j)/V`. For
    /// a = (0, 1, 4.5, 9, 99, 99, 99, 99): V_i = 1/3, 1/12, 0.011019,
    /// 1/300, then 1/30000 four times; Π(1 + V_i) = 1.465424, V = 0.465424;
    /// S = 0.7162, 0.1790, 0.02368, 0.007162, 7.2e-5 …;
    /// ST1 = (1/3)·(1.465424/(4/3))/0.465424 = 0.7872.
    const G_A: [f64; 8] = [0.0, 1.0, 4.5, 9.0, 99.0, 99.0, 99.0, 99.0];

    fn g_function(x: &[f64]) -> f64 {
        x.iter()
            .zip(G_A)
            .map(|(x, a)| ((4.0 * x - 2.0).abs() + a) / (1.0 + a))
            .product()
    }

    fn g_indices() -> (Vec<f64>, Vec<f64>) {
        let partial: Vec<f64> = G_A
            .iter()
            .map(|a| 1.0 / (3.0 * (1.0 + a).powi(2)))
            .collect();
        let product: f64 = partial.iter().map(|v| 1.0 + v).product();
        let variance = product - 1.0;
        let first = partial.iter().map(|v| v / variance).collect();
        let total = partial
            .iter()
            .map(|v| v * product / (1.0 + v) / variance)
            .collect();
        (first, total)
    }

    #[test]
    fn g_function_reference_values_match_the_hand_computed_ones() {
        let (first, total) = g_indices();
        assert!((first[0] - 0.7162).abs() < 1e-4, "{first:?}");
        assert!((first[1] - 0.1790).abs() < 1e-4, "{first:?}");
        assert!((total[0] - 0.7872).abs() < 1e-4, "{total:?}");
    }

    #[test]
    fn given_data_first_order_finds_the_g_function_indices() {
        let points = uniform_points(4_000, 8, 0.0, 1.0, 2);
        let y: Vec<f64> = points.iter().map(|p| g_function(p)).collect();
        let (first, _) = g_indices();
        for i in [0, 1, 2, 7] {
            let e = first_order_given_data(&column(&points, i), &y, &mut rng(20 + i as u64))
                .expect("inputs and output vary");
            assert_near(&e, first[i], 4.0, &format!("S{}", i + 1));
        }
    }

    /// `A`, `B` and each `A_B^i` evaluated by `f`: (f(A), f(B), f(A_B^i)).
    fn pick_freeze(
        n: usize,
        k: usize,
        (low, high): (f64, f64),
        f: impl Fn(&[f64]) -> f64,
    ) -> (Vec<f64>, Vec<f64>, Vec<Vec<f64>>) {
        let a = uniform_points(n, k, low, high, 3);
        let b = uniform_points(n, k, low, high, 4);
        let f_a = a.iter().map(|p| f(p)).collect();
        let f_b = b.iter().map(|p| f(p)).collect();
        let f_ab = (0..k)
            .map(|i| {
                (a.iter().zip(&b))
                    .map(|(a, b)| {
                        let mut p = a.clone();
                        p[i] = b[i];
                        f(&p)
                    })
                    .collect()
            })
            .collect();
        (f_a, f_b, f_ab)
    }

    #[test]
    fn jansen_total_order_finds_ishigami_st_and_bounds_the_first_order() {
        let (f_a, f_b, f_ab) = pick_freeze(4_000, 3, (-PI, PI), ishigami);
        let variance = design_variance(&f_a, &f_b);
        let points = uniform_points(4_000, 3, -PI, PI, 5);
        let y: Vec<f64> = points.iter().map(|p| ishigami(p)).collect();
        for (i, truth) in ISHIGAMI_ST.iter().enumerate() {
            let total = total_order_jansen(&f_a, &f_ab[i], variance, &mut rng(30 + i as u64))
                .expect("rows and variance");
            assert_near(&total, *truth, 4.0, &format!("ST{}", i + 1));
            // First order ≤ total order, within their errors.
            let first = first_order_given_data(&column(&points, i), &y, &mut rng(40))
                .expect("inputs and output vary");
            assert!(
                first.value <= total.value + 3.0 * (first.se + total.se),
                "S{0} {first:?} > ST{0} {total:?}",
                i + 1
            );
        }
    }

    #[test]
    fn jansen_total_order_finds_the_g_function_total_indices() {
        let (f_a, f_b, f_ab) = pick_freeze(4_000, 8, (0.0, 1.0), g_function);
        let variance = design_variance(&f_a, &f_b);
        let (_, total) = g_indices();
        for i in [0, 1, 3, 6] {
            let e = total_order_jansen(&f_a, &f_ab[i], variance, &mut rng(50 + i as u64))
                .expect("rows and variance");
            assert_near(&e, total[i], 4.0, &format!("ST{}", i + 1));
        }
    }

    #[test]
    fn a_linear_model_has_first_and_total_order_its_squared_weights_shares() {
        // Y = X1 + 2·X2 + 3·X3, X uniform on [0, 1] and independent: the
        // indices are the weights' squares over their sum, 1/14, 4/14,
        // 9/14, first and total order alike (no interactions).
        let f = |x: &[f64]| x[0] + 2.0 * x[1] + 3.0 * x[2];
        let truth = [1.0 / 14.0, 4.0 / 14.0, 9.0 / 14.0];
        let points = uniform_points(4_000, 3, 0.0, 1.0, 6);
        let y: Vec<f64> = points.iter().map(|p| f(p)).collect();
        let (f_a, f_b, f_ab) = pick_freeze(4_000, 3, (0.0, 1.0), f);
        let variance = design_variance(&f_a, &f_b);
        for i in 0..3 {
            let first = first_order_given_data(&column(&points, i), &y, &mut rng(60)).unwrap();
            assert_near(&first, truth[i], 4.0, &format!("S{}", i + 1));
            let total = total_order_jansen(&f_a, &f_ab[i], variance, &mut rng(61)).unwrap();
            assert_near(&total, truth[i], 4.0, &format!("ST{}", i + 1));
        }
    }

    #[test]
    fn an_input_that_does_not_matter_reads_about_zero_not_the_raw_ratios_bias() {
        // Y independent of X: the raw correlation ratio would average
        // (M − 1)/(N − 1) = 19/399 = 0.048 with N = 400, M = 20 classes;
        // corrected, the estimate is within its error of 0.
        let points = uniform_points(400, 2, 0.0, 1.0, 7);
        let e =
            first_order_given_data(&column(&points, 0), &column(&points, 1), &mut rng(70)).unwrap();
        assert_eq!(classes_for(400), 20);
        assert!(e.value.abs() <= 4.0 * e.se, "{e:?}");
        assert!(e.value < 0.03, "{e:?}");
    }

    /// Kelley's corrected ratio by hand: `x` 1 to 8 (given out of order)
    /// in `classes_for(8)` = 3 classes of ranks {0, 1, 2}, {3, 4, 5}, {6, 7}
    /// with `y` {1, 3, 2}, {4, 6, 5}, {8, 7}: class means 2, 5, 7.5 around
    /// 4.5, between = 3·2.5² + 3·0.5² + 2·3² = 37.5 of a spread of 42, so
    /// η² = 37.5/42 and ε² = 1 − (4.5/42)·7/5 = 0.85. The value alone is
    /// the estimate's.
    #[test]
    fn the_given_data_index_is_kelleys_ratio_worked_by_hand_with_or_without_its_interval() {
        let order = [5, 0, 7, 2, 4, 1, 6, 3];
        let y_by_x = [1.0, 3.0, 2.0, 4.0, 6.0, 5.0, 8.0, 7.0];
        let x: Vec<f64> = order.iter().map(|&i| (i + 1) as f64).collect();
        let y: Vec<f64> = order.iter().map(|&i| y_by_x[i]).collect();
        assert_eq!(classes_for(8), 3);
        let value = first_order_given_data_value(&x, &y).expect("x and y vary");
        assert!((value - 0.85).abs() < 1e-12, "{value}");
        let estimate = first_order_given_data(&x, &y, &mut rng(1)).expect("x and y vary");
        assert_eq!(estimate.value.to_bits(), value.to_bits());
        assert!(first_order_given_data_value(&[2.0; 8], &y).is_none());
        assert!(first_order_given_data_value(&x[..3], &y[..3]).is_none());
    }

    #[test]
    fn constant_inputs_or_outputs_and_tiny_samples_have_no_index() {
        let varying = [1.0, 2.0, 3.0, 4.0, 5.0];
        assert!(first_order_given_data(&[2.0; 5], &varying, &mut rng(0)).is_none());
        assert!(first_order_given_data(&varying, &[2.0; 5], &mut rng(0)).is_none());
        assert!(first_order_given_data(&varying[..3], &varying[..3], &mut rng(0)).is_none());
        assert!(total_order_jansen(&[], &[], 1.0, &mut rng(0)).is_none());
        assert!(shapley_effects(&[], &mut rng(0)).is_empty());
        assert!(shapley_effects(&[vec![0.0, 0.0]], &mut rng(0)).is_empty());
    }

    #[test]
    fn shapley_effects_are_the_mean_increments_and_add_up_to_one() {
        // Two permutations of two inputs, each adding up to V = 4:
        // means 1.5 and 2.5, effects 0.375 and 0.625.
        let increments = vec![vec![1.0, 3.0], vec![2.0, 2.0]];
        let e = shapley_effects(&increments, &mut rng(80));
        assert_eq!(e[0].value, 0.375);
        assert_eq!(e[1].value, 0.625);
        assert!(e[0].covers(0.375) && e[1].covers(0.625), "{e:?}");
        assert_eq!(e[0].value + e[1].value, 1.0);
    }

    #[test]
    fn the_bootstrap_interval_is_its_resamples_percentiles() {
        // 201 resamples 0, 1, …, 200 (shuffled): the 2.5th percentile is
        // the 5th (index round(200·0.025) = 5), the 97.5th the 195th; their
        // mean, 100, is 3 above the estimate 97, so both move down by 3.
        let mut values: Vec<f64> = (0..=200).map(f64::from).rev().collect();
        values.swap(3, 100);
        let e = with_interval(97.0, values);
        assert_eq!((e.ci_low, e.ci_high, e.value), (2.0, 192.0, 97.0));
        assert!(converged(&e, Some(100.0)));
        assert!(!converged(&e, Some(193.0)));
        assert!(!converged(&e, None));
    }
}
