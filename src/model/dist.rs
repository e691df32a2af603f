//! Distributions of uncertain inputs.
//!
//! Business-case authors express uncertainty with a handful of familiar
//! shapes: fixed, uniform, triangular, PERT, normal, lognormal and discrete
//! choices. sscsim samples all of them by inversion — a uniform number `u` in
//! (0, 1) is mapped through the quantile function — so that every input is a
//! monotone function of its own uniform draw. That keeps one-at-a-time
//! sensitivity and rank correlation between inputs straightforward.

use statrs::distribution::{Beta, ContinuousCDF, Normal};
use thiserror::Error;

/// The distribution of one uncertain input. Build one with the checked
/// constructors; a `Dist` that exists has valid parameters.
#[derive(Clone, Debug)]
pub struct Dist(Shape);

#[derive(Clone, Debug)]
enum Shape {
    Fixed(f64),
    Uniform {
        min: f64,
        max: f64,
    },
    Triangular {
        min: f64,
        mode: f64,
        max: f64,
    },
    Pert {
        min: f64,
        max: f64,
        beta: Beta,
    },
    Normal {
        standard: Normal,
        mean: f64,
        sd: f64,
        min: f64,
        max: f64,
        u_low: f64,
        u_high: f64,
    },
    LogNormal {
        mu: f64,
        sigma: f64,
        min: f64,
        max: f64,
        u_low: f64,
        u_high: f64,
    },
    Discrete {
        values: Vec<f64>,
        cumulative_weights: Vec<f64>,
    },
}

/// Why a distribution's parameters were rejected: what was found, and what
/// would be valid.
#[derive(Clone, Debug, PartialEq, Error)]
#[error("{found}; expected {expected}")]
pub struct DistError {
    /// The offending parameters, e.g. `min 5, max 2`.
    pub found: String,
    /// What valid parameters look like, e.g. `min < max`.
    pub expected: String,
}

fn finite(name: &'static str, value: f64) -> Result<f64, DistError> {
    if value.is_finite() {
        Ok(value)
    } else {
        Err(invalid(
            format!("{name} is {value}"),
            format!("a finite {name}"),
        ))
    }
}

fn invalid(found: impl Into<String>, expected: impl Into<String>) -> DistError {
    DistError {
        found: found.into(),
        expected: expected.into(),
    }
}

/// The PERT shape parameter used when a scenario gives none (the classic
/// beta-PERT of Malcolm et al., 1959).
pub const PERT_DEFAULT_SHAPE: f64 = 4.0;

impl Dist {
    /// A value known for certain.
    ///
    /// # Examples
    /// ```
    /// use sscsim::model::Dist;
    /// let d = Dist::fixed(3.5).unwrap();
    /// assert_eq!(d.quantile(0.01), 3.5);
    /// ```
    ///
    /// # Errors
    /// When the value is not finite.
    pub fn fixed(value: f64) -> Result<Dist, DistError> {
        Ok(Dist(Shape::Fixed(finite("value", value)?)))
    }

    /// Uniform on `[min, max]`, `min < max`.
    ///
    /// # Errors
    /// When a bound is not finite or `min >= max`.
    pub fn uniform(min: f64, max: f64) -> Result<Dist, DistError> {
        let (min, max) = (finite("min", min)?, finite("max", max)?);
        if min >= max {
            return Err(invalid(
                format!("uniform with min {min}, max {max}"),
                "min < max",
            ));
        }
        Ok(Dist(Shape::Uniform { min, max }))
    }

    /// Triangular with `min <= mode <= max`, `min < max`.
    ///
    /// # Errors
    /// When a parameter is not finite or they are out of order.
    pub fn triangular(min: f64, mode: f64, max: f64) -> Result<Dist, DistError> {
        let (min, mode, max) = ordered_three(min, mode, max)?;
        Ok(Dist(Shape::Triangular { min, mode, max }))
    }

    /// Beta-PERT with `min <= mode <= max`, `min < max` and shape `λ > 0`
    /// (mean `(min + λ·mode + max) / (λ + 2)`).
    ///
    /// # Errors
    /// When a parameter is not finite, they are out of order, or `shape <= 0`.
    pub fn pert(min: f64, mode: f64, max: f64, shape: f64) -> Result<Dist, DistError> {
        let (min, mode, max) = ordered_three(min, mode, max)?;
        let shape = finite("shape", shape)?;
        if shape <= 0.0 {
            return Err(invalid(
                format!("PERT shape {shape}"),
                "a shape greater than 0",
            ));
        }
        let alpha = 1.0 + shape * (mode - min) / (max - min);
        let beta = 1.0 + shape * (max - mode) / (max - min);
        let beta = Beta::new(alpha, beta).map_err(|e| {
            invalid(
                format!("PERT parameters give a beta distribution that fails: {e}"),
                "min < max and a moderate shape",
            )
        })?;
        Ok(Dist(Shape::Pert { min, max, beta }))
    }

    /// Normal with the given mean and standard deviation, optionally truncated
    /// to `[min, max]` (pass infinities for no bound).
    ///
    /// # Errors
    /// When `sd <= 0`, `min >= max`, or the bounds leave (almost) no probability.
    pub fn normal(mean: f64, sd: f64, min: f64, max: f64) -> Result<Dist, DistError> {
        let (mean, sd) = (finite("mean", mean)?, finite("sd", sd)?);
        if sd <= 0.0 {
            return Err(invalid(
                format!("normal with sd {sd}"),
                "an sd greater than 0",
            ));
        }
        if min.is_nan() || max.is_nan() || min >= max {
            return Err(invalid(
                format!("normal truncated to min {min}, max {max}"),
                "min < max",
            ));
        }
        let standard = Normal::standard();
        let u_low = standard.cdf((min - mean) / sd);
        let u_high = standard.cdf((max - mean) / sd);
        if u_high - u_low < 1e-9 {
            return Err(invalid(
                format!(
                    "a normal with mean {mean} and sd {sd} has almost no probability in [{min}, {max}]"
                ),
                "truncation bounds around the mean",
            ));
        }
        Ok(Dist(Shape::Normal {
            standard,
            mean,
            sd,
            min,
            max,
            u_low,
            u_high,
        }))
    }

    /// Lognormal given by the mean and standard deviation *of the variable
    /// itself* (not of its logarithm), as business cases state them,
    /// optionally truncated to `[min, max]` (0 and infinity for no bound):
    /// a domain with an upper limit needs a `max`.
    ///
    /// # Errors
    /// When `mean <= 0`, `sd <= 0`, `min < 0`, `min >= max`, or the bounds
    /// leave (almost) no probability.
    pub fn lognormal(mean: f64, sd: f64, min: f64, max: f64) -> Result<Dist, DistError> {
        let (mean, sd) = (finite("mean", mean)?, finite("sd", sd)?);
        if mean <= 0.0 || sd <= 0.0 {
            return Err(invalid(
                format!("lognormal with mean {mean}, sd {sd}"),
                "a mean and an sd greater than 0",
            ));
        }
        if min.is_nan() || max.is_nan() || min < 0.0 || min >= max {
            return Err(invalid(
                format!("lognormal truncated to min {min}, max {max}"),
                "0 <= min < max",
            ));
        }
        let variance_log = (1.0 + (sd / mean).powi(2)).ln();
        let (mu, sigma) = (mean.ln() - variance_log / 2.0, variance_log.sqrt());
        let standard = Normal::standard();
        let u_of = |x: f64| standard.cdf((x.ln() - mu) / sigma);
        let (u_low, u_high) = (u_of(min), u_of(max));
        if u_high - u_low < 1e-9 {
            return Err(invalid(
                format!(
                    "a lognormal with mean {mean} and sd {sd} has almost no probability in [{min}, {max}]"
                ),
                "truncation bounds around the mean",
            ));
        }
        Ok(Dist(Shape::LogNormal {
            mu,
            sigma,
            min,
            max,
            u_low,
            u_high,
        }))
    }

    /// A choice among `values` with the given non-negative `weights`
    /// (equal weights when `weights` is empty).
    ///
    /// # Errors
    /// When there are no values, lengths differ, or weights are negative or sum to 0.
    pub fn discrete(values: &[f64], weights: &[f64]) -> Result<Dist, DistError> {
        if values.is_empty() {
            return Err(invalid(
                "a discrete distribution without values",
                "at least one value",
            ));
        }
        let weights = if weights.is_empty() {
            vec![1.0; values.len()]
        } else {
            weights.to_vec()
        };
        if weights.len() != values.len() {
            return Err(invalid(
                format!("{} weights for {} values", weights.len(), values.len()),
                "one weight per value",
            ));
        }
        for &v in values {
            finite("values", v)?;
        }
        let mut total = 0.0;
        let mut cumulative_weights = Vec::with_capacity(weights.len());
        for &w in &weights {
            if finite("weights", w)? < 0.0 {
                return Err(invalid(format!("weight {w}"), "weights of at least 0"));
            }
            total += w;
            cumulative_weights.push(total);
        }
        if total <= 0.0 {
            return Err(invalid("all weights are 0", "at least one weight above 0"));
        }
        Ok(Dist(Shape::Discrete {
            values: values.to_vec(),
            cumulative_weights,
        }))
    }

    /// The value at cumulative probability `u` (0 < u < 1).
    pub fn quantile(&self, u: f64) -> f64 {
        match &self.0 {
            Shape::Fixed(v) => *v,
            Shape::Uniform { min, max } => min + u * (max - min),
            Shape::Triangular { min, mode, max } => triangular_quantile(*min, *mode, *max, u),
            Shape::Pert { min, max, beta } => min + (max - min) * beta.inverse_cdf(u),
            Shape::Normal {
                standard,
                mean,
                sd,
                min,
                max,
                u_low,
                u_high,
            } => {
                let z = standard.inverse_cdf(u_low + u * (u_high - u_low));
                (mean + sd * z).clamp(*min, *max)
            }
            Shape::LogNormal {
                mu,
                sigma,
                min,
                max,
                u_low,
                u_high,
            } => {
                let z = Normal::standard().inverse_cdf(u_low + u * (u_high - u_low));
                (mu + sigma * z).exp().clamp(*min, *max)
            }
            Shape::Discrete {
                values,
                cumulative_weights,
            } => {
                let target = u * cumulative_weights[cumulative_weights.len() - 1];
                let i = cumulative_weights.partition_point(|&c| c <= target);
                values[i.min(values.len() - 1)]
            }
        }
    }

    /// The smallest and largest values the distribution can produce
    /// (infinite for an unbounded normal).
    pub fn support(&self) -> (f64, f64) {
        match &self.0 {
            Shape::Fixed(v) => (*v, *v),
            Shape::Uniform { min, max }
            | Shape::Triangular { min, max, .. }
            | Shape::Pert { min, max, .. }
            | Shape::Normal { min, max, .. }
            | Shape::LogNormal { min, max, .. } => (*min, *max),
            Shape::Discrete { values, .. } => values
                .iter()
                .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &v| {
                    (lo.min(v), hi.max(v))
                }),
        }
    }

    /// Whether every draw is the same value.
    pub fn is_fixed(&self) -> bool {
        matches!(self.0, Shape::Fixed(_))
    }

    /// The distribution's mean, where it has a closed form (all shapes but the
    /// truncated normal, whose mean is computed numerically).
    pub fn mean(&self) -> f64 {
        match &self.0 {
            Shape::Fixed(v) => *v,
            Shape::Uniform { min, max } => (min + max) / 2.0,
            Shape::Triangular { min, mode, max } => (min + mode + max) / 3.0,
            Shape::Pert { min, max, beta } => {
                let (a, b) = (beta.shape_a(), beta.shape_b());
                min + (max - min) * a / (a + b)
            }
            Shape::Normal {
                standard,
                mean,
                sd,
                u_low,
                u_high,
                ..
            } => {
                // Truncated normal: mean + sd · (φ(α) − φ(β)) / (Φ(β) − Φ(α)).
                use statrs::distribution::Continuous;
                let alpha = standard.inverse_cdf(*u_low);
                let beta = standard.inverse_cdf(*u_high);
                let density = |z: f64| if z.is_finite() { standard.pdf(z) } else { 0.0 };
                mean + sd * (density(alpha) - density(beta)) / (u_high - u_low)
            }
            Shape::LogNormal {
                mu,
                sigma,
                u_low,
                u_high,
                ..
            } => {
                // Truncated lognormal: e^(μ+σ²/2) · (Φ(β − σ) − Φ(α − σ)) / (Φ(β) − Φ(α)),
                // α, β the standardised log bounds.
                let standard = Normal::standard();
                let alpha = standard.inverse_cdf(*u_low);
                let beta = standard.inverse_cdf(*u_high);
                let shifted = |z: f64| standard.cdf(z - sigma);
                (mu + sigma * sigma / 2.0).exp() * (shifted(beta) - shifted(alpha))
                    / (u_high - u_low)
            }
            Shape::Discrete {
                values,
                cumulative_weights,
            } => {
                let total = cumulative_weights[cumulative_weights.len() - 1];
                let mut previous = 0.0;
                let mut sum = 0.0;
                for (v, c) in values.iter().zip(cumulative_weights) {
                    sum += v * (c - previous);
                    previous = *c;
                }
                sum / total
            }
        }
    }
}

fn ordered_three(min: f64, mode: f64, max: f64) -> Result<(f64, f64, f64), DistError> {
    let (min, mode, max) = (
        finite("min", min)?,
        finite("mode", mode)?,
        finite("max", max)?,
    );
    if !(min <= mode && mode <= max) || min >= max {
        return Err(invalid(
            format!("min {min}, mode {mode}, max {max}"),
            "min <= mode <= max with min < max",
        ));
    }
    Ok((min, mode, max))
}

fn triangular_quantile(min: f64, mode: f64, max: f64, u: f64) -> f64 {
    let range = max - min;
    let mode_cdf = (mode - min) / range;
    if u < mode_cdf {
        min + (u * range * (mode - min)).sqrt()
    } else {
        max - ((1.0 - u) * range * (max - mode)).sqrt()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, tol: f64) -> bool {
        (a - b).abs() <= tol
    }

    #[test]
    fn uniform_quantile_is_linear() {
        let d = Dist::uniform(10.0, 20.0).unwrap();
        assert_eq!(d.quantile(0.25), 12.5);
        assert_eq!(d.mean(), 15.0);
    }

    #[test]
    fn triangular_quantiles_match_the_closed_form() {
        // min 0, mode 1, max 4: F(1) = 1/4. For u = 1/16 (below the mode),
        // x = sqrt(u · 4 · 1) = 0.5; for u = 0.75, x = 4 − sqrt(0.25 · 4 · 3) = 4 − √3.
        let d = Dist::triangular(0.0, 1.0, 4.0).unwrap();
        assert!(close(d.quantile(1.0 / 16.0), 0.5, 1e-12));
        assert!(close(d.quantile(0.25), 1.0, 1e-12));
        assert!(close(d.quantile(0.75), 4.0 - 3f64.sqrt(), 1e-12));
        assert!(close(d.mean(), 5.0 / 3.0, 1e-12));
    }

    #[test]
    fn symmetric_pert_has_its_median_at_the_mode_and_the_textbook_mean() {
        let d = Dist::pert(10.0, 20.0, 30.0, PERT_DEFAULT_SHAPE).unwrap();
        assert!(close(d.quantile(0.5), 20.0, 1e-9));
        // Mean (min + 4·mode + max) / 6.
        let skewed = Dist::pert(0.0, 1.0, 10.0, 4.0).unwrap();
        assert!(close(skewed.mean(), (0.0 + 4.0 + 10.0) / 6.0, 1e-12));
    }

    #[test]
    fn pert_quantile_inverts_the_beta_cdf() {
        // PERT(0, 1, 10, 4) is 10 · Beta(1.4, 4.6); check the quantile
        // against the Beta CDF evaluated independently.
        let d = Dist::pert(0.0, 1.0, 10.0, 4.0).unwrap();
        let beta = Beta::new(1.4, 4.6).unwrap();
        for u in [0.05, 0.3, 0.9] {
            assert!(close(beta.cdf(d.quantile(u) / 10.0), u, 1e-8));
        }
    }

    #[test]
    fn normal_quantiles_match_the_standard_table() {
        // Φ⁻¹(0.975) = 1.959964 (published tables).
        let d = Dist::normal(100.0, 10.0, f64::NEG_INFINITY, f64::INFINITY).unwrap();
        assert!(close(d.quantile(0.975), 119.59964, 1e-4));
        assert!(close(d.quantile(0.5), 100.0, 1e-9));
        assert!(close(d.mean(), 100.0, 1e-9));
    }

    #[test]
    fn truncated_normal_stays_within_bounds_and_has_the_textbook_mean() {
        // Standard normal truncated to [0, ∞): mean = φ(0) / 0.5 = √(2/π).
        let d = Dist::normal(0.0, 1.0, 0.0, f64::INFINITY).unwrap();
        assert!(d.quantile(1e-12) >= 0.0);
        assert!(close(d.mean(), (2.0 / std::f64::consts::PI).sqrt(), 1e-9));
        // Its median is Φ⁻¹(0.75) = 0.6744898.
        assert!(close(d.quantile(0.5), 0.6744898, 1e-6));
    }

    #[test]
    fn lognormal_is_parameterised_by_the_mean_and_sd_of_the_variable() {
        // mean 1, sd 1: σ² = ln 2, μ = −ln 2 / 2, so the median is exp(μ) = 1/√2.
        let d = Dist::lognormal(1.0, 1.0, 0.0, f64::INFINITY).unwrap();
        assert!(close(d.quantile(0.5), 1.0 / 2f64.sqrt(), 1e-12));
        assert!(close(d.mean(), 1.0, 1e-12));
        assert_eq!(d.support(), (0.0, f64::INFINITY));
    }

    #[test]
    fn truncated_lognormal_stays_within_bounds_and_has_the_textbook_mean() {
        // mean 1, sd 1 (μ = −ln 2 / 2, σ = √ln 2) truncated to [0, its
        // median]: half the probability, so the median of what is left is
        // the quantile at 1/4 of the whole, exp(μ + σ·Φ⁻¹(0.25)); the mean is
        // e^(μ+σ²/2)·Φ(−σ)/Φ(0) = 2·Φ(−σ) (Φ(−0.8325546) = 0.2025480).
        let median = 1.0 / 2f64.sqrt();
        let d = Dist::lognormal(1.0, 1.0, 0.0, median).unwrap();
        let (mu, sigma) = (-(2f64.ln()) / 2.0, 2f64.ln().sqrt());
        assert!(close(
            d.quantile(0.5),
            (mu + sigma * -0.674_489_750_196_081_7).exp(),
            1e-9
        ));
        assert!(close(d.mean(), 2.0 * 0.202_548_0, 1e-6));
        assert!(d.quantile(1.0 - 1e-12) <= median);
        assert_eq!(d.support(), (0.0, median));
    }

    #[test]
    fn discrete_choice_follows_cumulative_weights() {
        let d = Dist::discrete(&[1.0, 2.0, 3.0], &[1.0, 2.0, 1.0]).unwrap();
        assert_eq!(d.quantile(0.1), 1.0);
        assert_eq!(d.quantile(0.3), 2.0);
        assert_eq!(d.quantile(0.74), 2.0);
        assert_eq!(d.quantile(0.76), 3.0);
        assert_eq!(d.mean(), 2.0);
        assert_eq!(d.support(), (1.0, 3.0));
        let equal = Dist::discrete(&[5.0, 7.0], &[]).unwrap();
        assert_eq!(equal.mean(), 6.0);
    }

    #[test]
    fn invalid_parameters_are_errors_not_panics() {
        assert!(Dist::fixed(f64::NAN).is_err());
        assert!(Dist::uniform(2.0, 1.0).is_err());
        assert!(Dist::triangular(0.0, 5.0, 4.0).is_err());
        assert!(Dist::triangular(1.0, 1.0, 1.0).is_err());
        assert!(Dist::pert(0.0, 1.0, 2.0, 0.0).is_err());
        assert!(Dist::normal(0.0, 0.0, f64::NEG_INFINITY, f64::INFINITY).is_err());
        assert!(Dist::normal(0.0, 1.0, 50.0, f64::INFINITY).is_err());
        assert!(Dist::lognormal(-1.0, 1.0, 0.0, f64::INFINITY).is_err());
        assert!(Dist::lognormal(1.0, 1.0, -1.0, 5.0).is_err());
        assert!(Dist::lognormal(1.0, 1.0, 5.0, 5.0).is_err());
        assert!(Dist::lognormal(1.0, 0.1, 100.0, f64::INFINITY).is_err());
        assert!(Dist::discrete(&[], &[]).is_err());
        assert!(Dist::discrete(&[1.0], &[-1.0]).is_err());
        assert!(Dist::discrete(&[1.0, 2.0], &[0.0, 0.0]).is_err());
        assert!(Dist::discrete(&[1.0, 2.0], &[1.0]).is_err());
    }
}
