//! The summary of one series of values — a metric of a strategy, a yearly
//! figure, a part of the decomposition — kept in memory that does not grow
//! with the number of replications.
//!
//! Values arrive one at a time in replication order. Every series keeps:
//! - its count, a sequential sum (the mean), Welford's running variance,
//!   the minimum and the maximum — exact at any length, and deterministic
//!   since the order is fixed;
//! - its first [`EXACT_VALUES`] values. Up to that many, the summary is
//!   computed from them exactly as [`Summary::of`] does: two-pass variance,
//!   type-7 percentiles, order-statistic standard errors.
//!
//! Past [`EXACT_VALUES`] the values are dropped and the percentiles come from
//! one of two stores:
//! - a series with at most [`DISTINCT_VALUES`] distinct values (indicators,
//!   counts, constants) keeps each value's count, so its percentiles and
//!   their standard errors stay exact;
//! - any other series goes into a quantile sketch (DDSketch, Masson, Rim
//!   and Lee 2019, from the `sketches-ddsketch` crate) of its deviations
//!   from a centre `c`, the median of the values when the sketch starts.
//!   Each order statistic is then known within [`SKETCH_RELATIVE_ACCURACY`]
//!   of its distance from `c` (see [`Series`] for the bound), so the
//!   median, near `c`, is known far better than relative to the value
//!   itself. The standard error of a percentile is read over the same
//!   interval of probability it spanned at [`EXACT_VALUES`] values, and
//!   scaled by the `1/√n` law of sample quantiles: an interval wide enough
//!   for the sketch to resolve.

use sketches_ddsketch::{Config, DDSketch};

use super::summary::{Summary, Z_95, percentile_by_rank, percentile_se_by_rank};

/// Values a series keeps, and summarises exactly, before it needs a
/// sketch: the default scenario's 1 000 replications are summarised
/// exactly. Its memory is `8 × EXACT_VALUES` bytes a series.
pub const EXACT_VALUES: usize = 1000;

/// Distinct values a series past [`EXACT_VALUES`] may have and still be
/// counted exactly instead of sketched.
pub const DISTINCT_VALUES: usize = 64;

/// The sketch's relative accuracy α: each order statistic it returns is
/// within α of its distance from the centre.
pub const SKETCH_RELATIVE_ACCURACY: f64 = 0.01;

/// Bins of each of the sketch's two stores (deviations above and below the
/// centre), 8 bytes each. With α = 1% they span deviations in a ratio of
/// `γ^SKETCH_BINS` ≈ 27 000 (γ = (1 + α)/(1 − α)); smaller deviations are
/// collapsed into the lowest bin.
pub const SKETCH_BINS: u32 = 512;

/// The streaming summary of one series; missing values (`None`) are left out.
///
/// # Error bound past [`EXACT_VALUES`]
/// For a sketched series with centre `c` and largest deviation
/// `D = max |x − c|`, the order statistic of any rank is returned within
/// `max(α·|x − c|, (1 + α)·D·γ^(1 − SKETCH_BINS))` of its exact value `x`;
/// a type-7 percentile, interpolated between two order statistics, within
/// the larger of their two bounds; clamping to `[min, max]` only narrows
/// the error.
///
/// # Examples
/// ```
/// use sscsim::stats::series::Series;
/// let mut s = Series::default();
/// for v in [2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0] {
///     s.observe(v);
/// }
/// let summary = s.summary().unwrap();
/// assert_eq!((summary.mean, summary.n), (5.0, 8));
/// ```
#[derive(Clone, Debug, Default)]
pub struct Series {
    moments: Moments,
    store: Store,
}

/// Count, sum, running variance and extremes.
#[derive(Clone, Copy, Debug)]
struct Moments {
    n: u64,
    /// Sequential sum, in arrival order. It starts at −0 as `Iterator::sum`
    /// does, so `sum / n` is the mean [`Summary::of`] computes, to the bit.
    sum: f64,
    /// Welford's running mean and sum of squared deviations.
    mean: f64,
    squares: f64,
    min: f64,
    max: f64,
}

impl Default for Moments {
    fn default() -> Self {
        Moments {
            n: 0,
            sum: -0.0,
            mean: 0.0,
            squares: 0.0,
            min: f64::INFINITY,
            max: f64::NEG_INFINITY,
        }
    }
}

impl Moments {
    fn observe(&mut self, v: f64) {
        self.n += 1;
        self.sum += v;
        let delta = v - self.mean;
        self.mean += delta / self.n as f64;
        self.squares += delta * (v - self.mean);
        self.min = self.min.min(v);
        self.max = self.max.max(v);
    }

    /// Sample standard deviation (n − 1), 0 for one value.
    fn sd(&self) -> f64 {
        if self.n > 1 {
            (self.squares / (self.n - 1) as f64).sqrt()
        } else {
            0.0
        }
    }
}

/// Where a series' values are kept.
#[derive(Clone, Debug)]
enum Store {
    /// The values themselves, in arrival order: at most [`EXACT_VALUES`].
    Exact(Vec<f64>),
    /// Each distinct value and its count, by value: at most [`DISTINCT_VALUES`].
    Counted(Vec<(f64, u64)>),
    /// A sketch of the deviations from a centre.
    Sketched(CentredSketch),
}

impl Default for Store {
    fn default() -> Self {
        Store::Exact(Vec::new())
    }
}

impl Series {
    /// Adds one value: a number, never NaN (see [`Series::observe_if_present`]
    /// for values that may be missing).
    pub fn observe(&mut self, v: f64) {
        debug_assert!(!v.is_nan(), "a NaN is not a value");
        self.moments.observe(v);
        match &mut self.store {
            Store::Exact(values) if values.len() < EXACT_VALUES => values.push(v),
            Store::Exact(values) => {
                let mut store = beyond_exact(std::mem::take(values));
                store.add(v);
                self.store = store;
            }
            store => store.add(v),
        }
    }

    /// Adds a value that may be missing: `None` is left out.
    pub fn observe_if_present(&mut self, v: Option<f64>) {
        if let Some(v) = v {
            self.observe(v);
        }
    }

    /// Number of values (missing ones left out).
    pub fn count(&self) -> u64 {
        self.moments.n
    }

    #[cfg(test)]
    /// Whether the percentiles come from the sketch (past [`EXACT_VALUES`]
    /// values, with more than [`DISTINCT_VALUES`] distinct ones).
    pub(crate) fn is_sketched(&self) -> bool {
        matches!(self.store, Store::Sketched(_))
    }

    /// The summary of the values so far; `None` when there are none.
    pub fn summary(&self) -> Option<Summary> {
        let m = &self.moments;
        if m.n == 0 {
            return None;
        }
        let n = m.n as usize;
        let (percentiles, percentile_se) = match &self.store {
            Store::Exact(values) => return Summary::of(values),
            Store::Counted(counts) => {
                let at = |rank: usize| value_at_rank(counts, rank as u64);
                (
                    [0.05, 0.50, 0.95].map(|p| percentile_by_rank(n, p, at)),
                    [0.05, 0.50, 0.95].map(|p| percentile_se_by_rank(n, p, at)),
                )
            }
            Store::Sketched(sketch) => {
                let at = |rank: usize| sketch.value_at_rank(rank as u64, m.min, m.max);
                (
                    [0.05, 0.50, 0.95].map(|p| percentile_by_rank(n, p, at)),
                    [0.05, 0.50, 0.95].map(|p| sketched_percentile_se(n, p, at)),
                )
            }
        };
        let sd = m.sd();
        Some(Summary {
            mean: m.sum / m.n as f64,
            sd,
            se: sd / (m.n as f64).sqrt(),
            p05: percentiles[0],
            p50: percentiles[1],
            p95: percentiles[2],
            min: m.min,
            max: m.max,
            n: m.n,
            percentile_se,
        })
    }
}

impl Store {
    /// Adds a value to a store past the exact values.
    fn add(&mut self, v: f64) {
        match self {
            Store::Exact(_) => unreachable!("only stores past the exact values take a value here"),
            Store::Counted(counts) => {
                if !add_count(counts, v) {
                    let mut sketch = CentredSketch::from_counts(counts);
                    sketch.add(v, 1);
                    *self = Store::Sketched(sketch);
                }
            }
            Store::Sketched(sketch) => sketch.add(v, 1),
        }
    }
}

/// The store for a series whose exact values are full: their counts when
/// they have few distinct values, else a sketch centred on their median.
fn beyond_exact(mut values: Vec<f64>) -> Store {
    values.sort_by(f64::total_cmp);
    let mut counts: Vec<(f64, u64)> = Vec::new();
    for &v in &values {
        match counts.last_mut() {
            Some((last, count)) if last.total_cmp(&v).is_eq() => *count += 1,
            _ => counts.push((v, 1)),
        }
        if counts.len() > DISTINCT_VALUES {
            return Store::Sketched(CentredSketch::from_sorted(&values));
        }
    }
    Store::Counted(counts)
}

/// Counts `v` in `counts` (sorted by value); `false`, leaving `counts`
/// unchanged, when `v` is new and there are already [`DISTINCT_VALUES`].
fn add_count(counts: &mut Vec<(f64, u64)>, v: f64) -> bool {
    match counts.binary_search_by(|(value, _)| value.total_cmp(&v)) {
        Ok(i) => {
            counts[i].1 += 1;
            true
        }
        Err(_) if counts.len() >= DISTINCT_VALUES => false,
        Err(i) => {
            counts.insert(i, (v, 1));
            true
        }
    }
}

/// The value of 0-based rank `rank` among counted values.
fn value_at_rank(counts: &[(f64, u64)], rank: u64) -> f64 {
    let mut below = 0;
    for &(value, count) in counts {
        below += count;
        if rank < below {
            return value;
        }
    }
    // Ranks past the last count are the largest value's.
    counts.last().expect("a counted series holds values").0
}

/// The standard error of the `p`-quantile of `n` sketched values whose
/// 0-based order statistics `at` returns: the order-statistic interval of
/// [`super::summary::percentile_se`], but as wide in probability as it was at
/// [`EXACT_VALUES`] values, `±1.96·√(p(1−p)/K)`, its width scaled by
/// `√(K/n)` — the large-sample law `√(p(1−p)/n) / f(x_p)` with the density
/// `f` read over an interval the sketch resolves.
fn sketched_percentile_se(n: usize, p: f64, at: impl Fn(usize) -> f64) -> f64 {
    let k = EXACT_VALUES as f64;
    let n_f = n as f64;
    let half_width = Z_95 * n_f * (p * (1.0 - p) / k).sqrt();
    // 1-based ranks, kept within the sample.
    let low = (n_f * p - half_width).floor().clamp(1.0, n_f) as usize;
    let high = (n_f * p + half_width).ceil().clamp(1.0, n_f) as usize;
    (at(high - 1) - at(low - 1)) / (2.0 * Z_95) * (k / n_f).sqrt()
}

/// A DDSketch of the deviations of values from a fixed centre.
#[derive(Clone)]
struct CentredSketch {
    centre: f64,
    sketch: DDSketch,
}

impl std::fmt::Debug for CentredSketch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CentredSketch")
            .field("centre", &self.centre)
            .field("count", &self.sketch.count())
            .finish_non_exhaustive()
    }
}

impl CentredSketch {
    fn new(centre: f64) -> Self {
        // Deviations down to the smallest normal number are kept; exact
        // zeros are counted apart, as the sketch does.
        let config = Config::new(SKETCH_RELATIVE_ACCURACY, SKETCH_BINS, f64::MIN_POSITIVE);
        CentredSketch {
            centre,
            sketch: DDSketch::new(config),
        }
    }

    /// A sketch of sorted values, centred on their median.
    fn from_sorted(sorted: &[f64]) -> Self {
        let mut sketch = CentredSketch::new(super::summary::percentile_of_sorted(sorted, 0.5));
        for &v in sorted {
            sketch.add(v, 1);
        }
        sketch
    }

    /// A sketch of counted values, centred on their median.
    fn from_counts(counts: &[(f64, u64)]) -> Self {
        let n: u64 = counts.iter().map(|c| c.1).sum();
        let centre = percentile_by_rank(n as usize, 0.5, |r| value_at_rank(counts, r as u64));
        let mut sketch = CentredSketch::new(centre);
        for &(v, count) in counts {
            sketch.add(v, count);
        }
        sketch
    }

    fn add(&mut self, v: f64, count: u64) {
        self.sketch.add_with_count(v - self.centre, count);
    }

    /// The value of 0-based rank `rank`: the extremes exactly, the others
    /// from the sketch, kept within `[min, max]`.
    fn value_at_rank(&self, rank: u64, min: f64, max: f64) -> f64 {
        let n = self.sketch.count() as u64;
        if rank == 0 {
            return min;
        }
        if rank + 1 >= n {
            return max;
        }
        // The sketch reads rank ⌊q·(n − 1)⌋; half a rank up keeps rounding
        // from landing on the rank below.
        let q = (rank as f64 + 0.5) / (n - 1) as f64;
        let deviation = self
            .sketch
            .quantile(q)
            .expect("q is within [0, 1]")
            .expect("the sketch holds values");
        (self.centre + deviation).clamp(min, max)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::summary::percentile_of_sorted;
    use crate::testing::assert_close;

    /// A series of `values`, in order.
    fn series(values: impl IntoIterator<Item = f64>) -> Series {
        let mut s = Series::default();
        values.into_iter().for_each(|v| s.observe(v));
        s
    }

    /// Deterministic uniforms on (0, 1): a Weyl sequence, spread evenly
    /// but in no order.
    fn uniforms(n: usize) -> impl Iterator<Item = f64> {
        let step = (5f64.sqrt() - 1.0) / 2.0;
        (1..=n).map(move |i| (i as f64 * step).fract())
    }

    #[test]
    fn up_to_the_exact_values_the_summary_is_that_of_all_values() {
        let values: Vec<f64> = uniforms(EXACT_VALUES).map(|u| 1e6 * u - 2e5).collect();
        let s = series(values.iter().copied());
        assert!(!s.is_sketched());
        assert_eq!(s.summary(), Summary::of(&values));
    }

    #[test]
    fn the_mean_is_the_sequential_sum_over_n_to_the_bit() {
        // Past the exact values too: the mean of 5 000 values is the one
        // Summary::of computes from all of them.
        let values: Vec<f64> = uniforms(5000).map(|u| 3e8 + 4e7 * u).collect();
        let s = series(values.iter().copied());
        assert!(s.is_sketched());
        let exact = Summary::of(&values).unwrap();
        assert_eq!(s.summary().unwrap().mean.to_bits(), exact.mean.to_bits());
    }

    #[test]
    fn welford_sd_matches_the_two_pass_sd_on_known_data() {
        // 2, 4, 4, 4, 5, 5, 7, 9 repeated 250 times (2 000 values, past
        // the exact ones): mean 5, sample variance 32·250 / 1 999.
        let data = [2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0];
        let values: Vec<f64> = data.iter().copied().cycle().take(2000).collect();
        let s = series(values.iter().copied()).summary().unwrap();
        let expected_sd = (32.0 * 250.0 / 1999.0f64).sqrt();
        assert_eq!(s.mean, 5.0);
        assert!(
            (s.sd - expected_sd).abs() < 1e-13,
            "{} vs {expected_sd}",
            s.sd
        );
        assert!((s.se - expected_sd / 2000f64.sqrt()).abs() < 1e-14);
        // Welford on values with a large offset: the two-pass sd to 1e-9.
        let offset: Vec<f64> = uniforms(100_000).map(|u| 1e9 + u).collect();
        let two_pass = Summary::of(&offset).unwrap().sd;
        let streamed = series(offset.iter().copied()).summary().unwrap().sd;
        assert!(((streamed - two_pass) / two_pass).abs() < 1e-9);
        // The uniform's sd is 1/√12.
        assert!((two_pass - 12f64.sqrt().recip()).abs() < 1e-4);
    }

    #[test]
    fn few_distinct_values_stay_exact_past_the_exact_values() {
        // An indicator, 0 in 3 of every 10 values: 10 000 values counted,
        // so percentiles and their standard errors are those of all values.
        let values: Vec<f64> = (0..10_000).map(|i| f64::from(i % 10 >= 3)).collect();
        let s = series(values.iter().copied());
        assert!(!s.is_sketched());
        let got = s.summary().unwrap();
        let exact = Summary::of(&values).unwrap();
        assert_eq!(
            (
                got.p05,
                got.p50,
                got.p95,
                got.min,
                got.max,
                got.percentile_se
            ),
            (
                exact.p05,
                exact.p50,
                exact.p95,
                exact.min,
                exact.max,
                exact.percentile_se
            )
        );
        assert_eq!((got.p05, got.p50), (0.0, 1.0));
    }

    #[test]
    fn the_switch_to_the_sketch_comes_after_the_exact_values() {
        let mut s = series(uniforms(EXACT_VALUES));
        assert!(!s.is_sketched());
        s.observe(0.5);
        assert!(s.is_sketched());
        assert_eq!(s.count(), EXACT_VALUES as u64 + 1);
        // Missing values do not count towards it.
        let mut t = series(uniforms(EXACT_VALUES));
        t.observe_if_present(None);
        assert!(!t.is_sketched());
        assert_eq!(t.count(), EXACT_VALUES as u64);
    }

    #[test]
    fn a_series_counted_exactly_goes_to_the_sketch_at_its_65th_distinct_value() {
        let mut s = series((0..2000).map(|i| f64::from(i % 64)));
        assert!(!s.is_sketched());
        s.observe(1000.0);
        assert!(s.is_sketched());
        let summary = s.summary().unwrap();
        assert_eq!((summary.min, summary.max, summary.n), (0.0, 1000.0, 2001));
    }

    /// Asserts that the sketch's percentiles of `values` are within the
    /// documented bound of the exact ones.
    fn assert_within_the_bound(values: &[f64]) {
        let s = series(values.iter().copied());
        assert!(s.is_sketched());
        let got = s.summary().unwrap();
        let mut sorted = values.to_vec();
        sorted.sort_by(f64::total_cmp);
        // The centre: the median of the first values, where the sketch starts.
        let first: Vec<f64> = {
            let mut f = values[..EXACT_VALUES].to_vec();
            f.sort_by(f64::total_cmp);
            f
        };
        let c = percentile_of_sorted(&first, 0.5);
        let widest = sorted.iter().map(|x| (x - c).abs()).fold(0.0, f64::max);
        let gamma = (1.0 + SKETCH_RELATIVE_ACCURACY) / (1.0 - SKETCH_RELATIVE_ACCURACY);
        let floor = (1.0 + SKETCH_RELATIVE_ACCURACY) * widest * gamma.powi(1 - SKETCH_BINS as i32);
        for (p, estimate) in [(0.05, got.p05), (0.5, got.p50), (0.95, got.p95)] {
            let h = (sorted.len() - 1) as f64 * p;
            let (below, above) = (sorted[h.floor() as usize], sorted[h.floor() as usize + 1]);
            let bound = (SKETCH_RELATIVE_ACCURACY * (below - c).abs().max((above - c).abs()))
                .max(floor)
                // Rounding in x − c + c.
                + 4.0 * f64::EPSILON * c.abs().max(below.abs());
            assert_close(estimate, percentile_of_sorted(&sorted, p), bound);
        }
    }

    #[test]
    fn sketched_percentiles_are_within_the_bound_for_a_uniform() {
        let values: Vec<f64> = uniforms(100_000).map(|u| 1e6 * u).collect();
        assert_within_the_bound(&values);
    }

    #[test]
    fn sketched_percentiles_are_within_the_bound_for_a_skewed_offset_distribution() {
        // Exponential through its quantile function, offset by 3·10⁸ as an
        // NPV cost is: relative to the values the sketch would be far
        // coarser; relative to the deviations it holds.
        let values: Vec<f64> = uniforms(50_000)
            .map(|u| 3e8 - 2e7 * (1.0 - u).ln())
            .collect();
        assert_within_the_bound(&values);
    }

    #[test]
    fn sketched_percentiles_are_within_the_bound_for_values_of_both_signs_and_zeros() {
        // Savings that cross zero, with exact zeros among them.
        let values: Vec<f64> = uniforms(50_000)
            .enumerate()
            .map(|(i, u)| if i % 97 == 0 { 0.0 } else { 4e6 * (u - 0.3) })
            .collect();
        assert_within_the_bound(&values);
    }

    #[test]
    fn sketched_percentile_standard_errors_follow_the_large_sample_law() {
        // Uniform on (0, 1): √(p(1−p)/n) / f(x_p) with density 1, within
        // the sketch's resolution of the interval (a few percent).
        let n = 200_000;
        let s = series(uniforms(n)).summary().unwrap();
        for (p, se) in [0.05, 0.5, 0.95].into_iter().zip(s.percentile_se) {
            let asymptotic = (p * (1.0 - p) / n as f64).sqrt();
            assert!(
                ((se - asymptotic) / asymptotic).abs() < 0.05,
                "p {p}: {se} vs {asymptotic}"
            );
        }
    }

    #[test]
    fn memory_of_a_sketched_series_is_bounded() {
        // A million deviations spread over twelve orders of magnitude: the
        // stores collapse their lowest bins instead of growing.
        let mut s = series(uniforms(1_000_000).map(|u| (u - 0.5) * 10f64.powf(12.0 * u)));
        s.observe(0.0);
        let Store::Sketched(sketch) = &s.store else {
            panic!("sketched")
        };
        assert!(sketch.sketch.length() <= 2 * SKETCH_BINS as usize);
    }
}
