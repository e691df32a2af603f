//! One metric's summary over replications — mean, spread, percentiles and
//! their standard errors — and the percentile rules behind it. Both the
//! exact summaries here and the bounded-memory [`super::Series`] use these rules,
//! so they live below both.

/// Mean, spread and percentiles of one metric over `n` replications.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Summary {
    /// Arithmetic mean.
    pub mean: f64,
    /// Sample standard deviation (n − 1 denominator; 0 when n = 1).
    pub sd: f64,
    /// Standard error of the mean, sd / √n.
    pub se: f64,
    /// 5th percentile.
    pub p05: f64,
    /// Median.
    pub p50: f64,
    /// 95th percentile.
    pub p95: f64,
    /// Smallest value.
    pub min: f64,
    /// Largest value.
    pub max: f64,
    /// Number of values.
    pub n: u64,
    /// Standard errors of `p05`, `p50` and `p95` (see [`percentile_se`]).
    pub percentile_se: [f64; 3],
}

/// The 97.5th percentile of the standard normal: 95% two-sided intervals.
pub const Z_95: f64 = 1.959_963_984_540_054;

impl Summary {
    /// Summarises `values` (in replication order): numbers, never NaN
    /// (a missing value is `None` before it gets here; see
    /// [`super::Series::observe_if_present`]). Returns `None` when there are none.
    ///
    /// # Examples
    /// ```
    /// let s = sscsim::stats::Summary::of(&[1.0, 2.0, 3.0, 4.0]).unwrap();
    /// assert_eq!(s.mean, 2.5);
    /// assert_eq!(s.p50, 2.5);
    /// ```
    pub fn of(values: &[f64]) -> Option<Summary> {
        debug_assert!(values.iter().all(|v| !v.is_nan()), "a NaN is not a value");
        if values.is_empty() {
            return None;
        }
        let n = values.len();
        let mean = values.iter().sum::<f64>() / n as f64;
        // Two-pass variance: numerically stable and deterministic.
        let squares: f64 = values.iter().map(|v| (v - mean).powi(2)).sum();
        let sd = if n > 1 {
            (squares / (n - 1) as f64).sqrt()
        } else {
            0.0
        };
        let mut sorted = values.to_vec();
        sorted.sort_by(f64::total_cmp);
        Some(Summary {
            mean,
            sd,
            se: sd / (n as f64).sqrt(),
            p05: percentile_of_sorted(&sorted, 0.05),
            p50: percentile_of_sorted(&sorted, 0.50),
            p95: percentile_of_sorted(&sorted, 0.95),
            min: sorted[0],
            max: sorted[n - 1],
            n: n as u64,
            percentile_se: [0.05, 0.50, 0.95].map(|p| percentile_se(&sorted, p)),
        })
    }
}

impl Summary {
    /// Whether the mean is known to differ from zero: at least two values,
    /// and zero outside the 95% confidence interval of the mean,
    /// `mean ± Z_95·se`. When it is not, the sign of the mean is noise, and
    /// so is any share of it (a part over a mean near zero can be 1 000%).
    ///
    /// # Examples
    /// ```
    /// use sscsim::stats::Summary;
    /// // Mean 2, sd √2, se 1: the interval 2 ± 1.96 excludes zero.
    /// assert!(Summary::of(&[1.0, 3.0]).unwrap().mean_differs_from_zero());
    /// // Mean 1, sd √8, se 2: the interval 1 ± 3.92 includes it.
    /// assert!(!Summary::of(&[-1.0, 3.0]).unwrap().mean_differs_from_zero());
    /// assert!(!Summary::of(&[5.0]).unwrap().mean_differs_from_zero());
    /// ```
    pub fn mean_differs_from_zero(&self) -> bool {
        self.n >= 2 && self.mean.abs() > Z_95 * self.se
    }

    /// The half-width of the 95% confidence interval of the mean,
    /// `Z_95·se`; `None` for a single value, which has no spread to tell.
    pub(crate) fn half_width_95(&self) -> Option<f64> {
        (self.n >= 2).then_some(Z_95 * self.se)
    }
}

/// The sample variance of `values` (divisor `n − 1`); 0 for fewer than two.
pub(crate) fn sample_variance(values: &[f64]) -> f64 {
    if values.len() < 2 {
        return 0.0;
    }
    let n = values.len() as f64;
    let mean = values.iter().sum::<f64>() / n;
    values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0)
}

/// The `p`-quantile of sorted values by linear interpolation between order
/// statistics (Hyndman & Fan type 7, the definition of Excel's
/// `PERCENTILE.INC`, R's default and NumPy's default), so spreadsheet users
/// get the same figure from the raw replications.
pub fn percentile_of_sorted(sorted: &[f64], p: f64) -> f64 {
    percentile_by_rank(sorted.len(), p, |i| sorted[i])
}

/// [`percentile_of_sorted`] of `n` values whose 0-based order statistics
/// `at` returns.
pub(crate) fn percentile_by_rank(n: usize, p: f64, at: impl Fn(usize) -> f64) -> f64 {
    let h = (n - 1) as f64 * p;
    let below = h.floor() as usize;
    let above = (below + 1).min(n - 1);
    let low = at(below);
    low + (h - below as f64) * (at(above) - low)
}

/// The standard error of the `p`-quantile of sorted values, free of any
/// assumption about their distribution: the number of values below the
/// true quantile is binomial(n, p), so the order statistics of ranks
/// `np ∓ 1.96·√(np(1−p))` bound a 95% confidence interval (normal
/// approximation; Conover, *Practical Nonparametric Statistics*, §3.2), and
/// its width over 2 × 1.96 is the standard error.
pub fn percentile_se(sorted: &[f64], p: f64) -> f64 {
    percentile_se_by_rank(sorted.len(), p, |i| sorted[i])
}

/// [`percentile_se`] of `n` values whose 0-based order statistics `at`
/// returns.
pub(crate) fn percentile_se_by_rank(n: usize, p: f64, at: impl Fn(usize) -> f64) -> f64 {
    let n = n as f64;
    let half_width = Z_95 * (n * p * (1.0 - p)).sqrt();
    // 1-based ranks, kept within the sample.
    let low = (n * p - half_width).floor().clamp(1.0, n) as usize;
    let high = (n * p + half_width).ceil().clamp(1.0, n) as usize;
    (at(high - 1) - at(low - 1)) / (2.0 * Z_95)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::assert_close;

    #[test]
    fn percentile_standard_errors_match_the_asymptotic_formula() {
        // A uniform sample on (0, 1) (its exact quantiles, i/n): the
        // asymptotic standard error of the p-quantile is √(p(1−p)/n) / f(x_p)
        // with density f = 1. The order-statistic interval is discrete, so
        // it matches to about one rank (1/n) over 2 × 1.96.
        let n = 10_000;
        let sorted: Vec<f64> = (1..=n).map(|i| f64::from(i) / f64::from(n)).collect();
        for p in [0.05, 0.5, 0.95] {
            let asymptotic = (p * (1.0 - p) / f64::from(n)).sqrt();
            let tolerance = 1.0 / f64::from(n) / (2.0 * Z_95) + 1e-12;
            assert_close(percentile_se(&sorted, p), asymptotic, tolerance);
        }
    }

    #[test]
    fn percentiles_match_excel_percentile_inc() {
        // PERCENTILE.INC({15,20,35,40,50}, 0.05) = 16; 0.5 → 35; 0.95 → 48.
        let s = Summary::of(&[50.0, 15.0, 40.0, 20.0, 35.0]).unwrap();
        assert!((s.p05 - 16.0).abs() < 1e-12);
        assert_eq!(s.p50, 35.0);
        assert!((s.p95 - 48.0).abs() < 1e-12);
        assert_eq!((s.min, s.max, s.n), (15.0, 50.0, 5));
    }

    #[test]
    fn mean_sd_and_se_match_hand_computation() {
        // 2, 4, 4, 4, 5, 5, 7, 9: mean 5, squared deviations sum to 32,
        // sample variance 32/7, se = sd / √8.
        let s = Summary::of(&[2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0]).unwrap();
        assert_eq!(s.mean, 5.0);
        assert!((s.sd - (32.0f64 / 7.0).sqrt()).abs() < 1e-12);
        assert!((s.se - s.sd / 8f64.sqrt()).abs() < 1e-15);
    }

    #[test]
    fn a_single_value_has_no_spread() {
        let s = Summary::of(&[3.0]).unwrap();
        assert_eq!((s.sd, s.se, s.p05, s.p95), (0.0, 0.0, 3.0, 3.0));
        assert!(Summary::of(&[]).is_none());
    }
}
