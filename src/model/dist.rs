//! Distributions of uncertain inputs.
//!
//! Business-case authors express uncertainty with a handful of familiar
//! shapes: fixed, uniform, triangular, PERT, normal, lognormal and discrete
//! choices. sscsim samples all of them by inversion — a uniform number `u` in
//! (0, 1) is mapped through the quantile function — so that every input is a
//! monotone function of its own uniform draw. That keeps one-at-a-time
//! sensitivity and rank correlation between inputs straightforward.
//!
//! The checked constructors check what the user typed *and* what it implies:
//! the lognormal's `μ` and `σ`, the PERT's beta shapes, the probabilities at
//! the truncation bounds. A parameter can be finite while what is derived
//! from it is not (a lognormal with sd/mean of 1e160 squares to infinity), and
//! a NaN there would reach the quantile function at run time. A `Dist` that
//! exists draws finite values within its support for every `u` in (0, 1).

use statrs::distribution::{ContinuousCDF, Normal};

use super::beta_quantile::inverse_beta_reg;
use super::readable;
use thiserror::Error;

/// The distribution of one uncertain input. Build one with the checked
/// constructors; a `Dist` that exists has valid parameters.
#[derive(Clone, Debug)]
pub struct Dist(Shape);

#[derive(Clone, Debug)]
enum Shape {
    Fixed(f64),
    /// A shape on `[min, max]`, `min < max`.
    Bounded {
        min: f64,
        max: f64,
        within: Within,
    },
    Normal {
        mean: f64,
        sd: f64,
        bounds: Truncation,
    },
    LogNormal {
        mu: f64,
        sigma: f64,
        bounds: Truncation,
    },
    Discrete {
        values: Vec<f64>,
        cumulative_weights: Vec<f64>,
    },
}

/// How a bounded shape spreads over its `[min, max]`.
#[derive(Clone, Debug)]
enum Within {
    Uniform,
    Triangular {
        mode: f64,
    },
    /// A beta distribution with shapes `alpha` and `beta`, scaled.
    Pert {
        alpha: f64,
        beta: f64,
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
            format!("{name} is {}", readable(value)),
            format!("a finite {name}"),
        ))
    }
}

/// Checks a parameter derived from the user's: finite, and within the range
/// the formulas that use it need.
fn derived(
    what: impl FnOnce() -> String,
    value: f64,
    valid: bool,
    expected: &str,
) -> Result<f64, DistError> {
    if value.is_finite() && valid {
        Ok(value)
    } else {
        Err(invalid(what(), expected))
    }
}

/// A normal (of a variable or of its logarithm) truncated to `[min, max]`:
/// `u_low` and `u_high` are where the bounds fall in the untruncated
/// distribution, so that a draw is the standard normal quantile of a
/// uniform between them.
#[derive(Clone, Debug)]
struct Truncation {
    min: f64,
    max: f64,
    u_low: f64,
    u_high: f64,
}

impl Truncation {
    /// Checks that the bounds leave enough probability between them: `u_low`
    /// and `u_high` must be finite probabilities at least 1e-9 apart.
    fn new(
        (min, max): (f64, f64),
        (u_low, u_high): (f64, f64),
        what: impl FnOnce() -> String,
    ) -> Result<Truncation, DistError> {
        let probabilities = (0.0..=1.0).contains(&u_low) && (0.0..=1.0).contains(&u_high);
        // Written so that a NaN fails the check.
        if probabilities && u_high - u_low >= MIN_TRUNCATED_PROBABILITY {
            Ok(Truncation {
                min,
                max,
                u_low,
                u_high,
            })
        } else {
            Err(invalid(what(), "truncation bounds around the mean"))
        }
    }

    /// The standard normal value at cumulative probability `u` (0 < u < 1)
    /// of the truncated distribution.
    fn z(&self, u: f64) -> f64 {
        Normal::standard().inverse_cdf(self.u_low + u * (self.u_high - self.u_low))
    }

    /// α and β, the bounds as standard normal values.
    fn standard_bounds(&self) -> (f64, f64) {
        let standard = Normal::standard();
        (
            standard.inverse_cdf(self.u_low),
            standard.inverse_cdf(self.u_high),
        )
    }

    /// The untruncated distribution's probability between the bounds.
    fn probability(&self) -> f64 {
        self.u_high - self.u_low
    }
}

/// The least probability truncation bounds may leave: below it the drawn
/// values would all round to a bound.
const MIN_TRUNCATED_PROBABILITY: f64 = 1e-9;

fn invalid(found: impl Into<String>, expected: impl Into<String>) -> DistError {
    DistError {
        found: found.into(),
        expected: expected.into(),
    }
}

/// The PERT shape parameter used when a scenario gives none (the classic
/// beta-PERT of Malcolm et al., 1959).
pub const PERT_DEFAULT_SHAPE: f64 = 4.0;

/// The largest PERT shape. A PERT's standard deviation is at most
/// `(max − min) / (2·√(λ + 3))`: at λ = 1000 that is 1.6% of the range,
/// already a near-certain value (a fixed value says so more plainly). The
/// beta shapes are then at most 1001, where the incomplete beta function's
/// continued fraction (about `√(a + b)` terms; statrs sums up to 140)
/// converges, so the quantile is accurate to double precision; far beyond,
/// it stops short and its inverse cannot converge.
pub(crate) const PERT_MAX_SHAPE: f64 = 1000.0;

/// The largest coefficient of variation (sd / mean) of a lognormal: 10⁴
/// gives `σ = 4.3`, a spread over orders of magnitude no business case
/// means, and keeps `σ² = ln(1 + cv²)` well within range.
pub(crate) const LOGNORMAL_MAX_CV: f64 = 1e4;

/// The smallest coefficient of variation of a lognormal: below it `σ`
/// loses its precision (and at 1e-8 rounds to 0); use a fixed value.
pub(crate) const LOGNORMAL_MIN_CV: f64 = 1e-6;

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
    pub(crate) fn uniform(min: f64, max: f64) -> Result<Dist, DistError> {
        let (min, max) = (finite("min", min)?, finite("max", max)?);
        if min >= max {
            return Err(invalid(
                format!("uniform with min {}, max {}", readable(min), readable(max)),
                "min < max",
            ));
        }
        width(min, max)?;
        Ok(Dist(Shape::Bounded {
            min,
            max,
            within: Within::Uniform,
        }))
    }

    /// Triangular with `min <= mode <= max`, `min < max`.
    ///
    /// # Errors
    /// When a parameter is not finite or they are out of order.
    pub(crate) fn triangular(min: f64, mode: f64, max: f64) -> Result<Dist, DistError> {
        let (min, mode, max) = ordered_three(min, mode, max)?;
        Ok(Dist(Shape::Bounded {
            min,
            max,
            within: Within::Triangular { mode },
        }))
    }

    /// Beta-PERT with `min <= mode <= max`, `min < max` and shape `λ > 0`
    /// (mean `(min + λ·mode + max) / (λ + 2)`).
    ///
    /// # Errors
    /// When a parameter is not finite, they are out of order, or the shape
    /// is not in `(0, PERT_MAX_SHAPE]`.
    pub(crate) fn pert(min: f64, mode: f64, max: f64, shape: f64) -> Result<Dist, DistError> {
        let (min, mode, max) = ordered_three(min, mode, max)?;
        let shape = finite("shape", shape)?;
        if !(shape > 0.0 && shape <= PERT_MAX_SHAPE) {
            return Err(invalid(
                format!("PERT shape {}", readable(shape)),
                format!(
                    "a shape greater than 0 and at most {PERT_MAX_SHAPE} (default {PERT_DEFAULT_SHAPE})"
                ),
            ));
        }
        let range = max - min;
        let beta_shape = |side: f64| {
            let value = 1.0 + shape * side / range;
            derived(
                || format!("PERT beta shape {}", readable(value)),
                value,
                (1.0..=1.0 + PERT_MAX_SHAPE).contains(&value),
                "min <= mode <= max with min < max",
            )
        };
        let alpha = beta_shape(mode - min)?;
        let beta = beta_shape(max - mode)?;
        Ok(Dist(Shape::Bounded {
            min,
            max,
            within: Within::Pert { alpha, beta },
        }))
    }

    /// Normal with the given mean and standard deviation, optionally truncated
    /// to `[min, max]` (pass infinities for no bound).
    ///
    /// # Errors
    /// When `sd <= 0`, `min >= max`, or the bounds leave (almost) no probability.
    pub(crate) fn normal(mean: f64, sd: f64, min: f64, max: f64) -> Result<Dist, DistError> {
        let (mean, sd) = (finite("mean", mean)?, finite("sd", sd)?);
        if sd <= 0.0 {
            return Err(invalid(
                format!("normal with sd {sd}"),
                "an sd greater than 0",
            ));
        }
        if min.is_nan() || max.is_nan() || min >= max {
            return Err(invalid(
                format!(
                    "normal truncated to min {}, max {}",
                    readable(min),
                    readable(max)
                ),
                "min < max",
            ));
        }
        let standard = Normal::standard();
        let u_low = standard.cdf((min - mean) / sd);
        let u_high = standard.cdf((max - mean) / sd);
        let bounds = Truncation::new((min, max), (u_low, u_high), || {
            format!(
                "a normal with mean {} and sd {} has almost no probability in [{}, {}]",
                readable(mean),
                readable(sd),
                readable(min),
                readable(max)
            )
        })?;
        Ok(Dist(Shape::Normal { mean, sd, bounds }))
    }

    /// Lognormal given by the mean and standard deviation *of the variable
    /// itself* (not of its logarithm), as business cases state them,
    /// optionally truncated to `[min, max]` (0 and infinity for no bound):
    /// a domain with an upper limit needs a `max`.
    ///
    /// # Errors
    /// When `mean <= 0`, `sd <= 0`, `min < 0`, `min >= max`, or the bounds
    /// leave (almost) no probability.
    pub(crate) fn lognormal(mean: f64, sd: f64, min: f64, max: f64) -> Result<Dist, DistError> {
        let (mean, sd) = (finite("mean", mean)?, finite("sd", sd)?);
        if mean <= 0.0 || sd <= 0.0 {
            return Err(invalid(
                format!(
                    "lognormal with mean {}, sd {}",
                    readable(mean),
                    readable(sd)
                ),
                "a mean and an sd greater than 0",
            ));
        }
        if min.is_nan() || max.is_nan() || min < 0.0 || min >= max {
            return Err(invalid(
                format!(
                    "lognormal truncated to min {}, max {}",
                    readable(min),
                    readable(max)
                ),
                "0 <= min < max",
            ));
        }
        let cv = sd / mean;
        derived(
            || {
                format!(
                    "lognormal with mean {} and sd {}: sd/mean is {}",
                    readable(mean),
                    readable(sd),
                    readable(cv)
                )
            },
            cv,
            (LOGNORMAL_MIN_CV..=LOGNORMAL_MAX_CV).contains(&cv),
            format!(
                "sd/mean from {} to {} (a fixed value for less)",
                readable(LOGNORMAL_MIN_CV),
                readable(LOGNORMAL_MAX_CV)
            )
            .as_str(),
        )?;
        let variance_log = (1.0 + cv.powi(2)).ln();
        let (mu, sigma) = (mean.ln() - variance_log / 2.0, variance_log.sqrt());
        let log_parameters = || {
            format!(
                "lognormal with mean {} and sd {} has log-mean {} and log-sd {}",
                readable(mean),
                readable(sd),
                readable(mu),
                readable(sigma)
            )
        };
        derived(log_parameters, mu, true, "a finite log-mean")?;
        derived(
            log_parameters,
            sigma,
            sigma > 0.0,
            "a log-sd greater than 0",
        )?;
        let standard = Normal::standard();
        let u_of = |x: f64| standard.cdf((x.ln() - mu) / sigma);
        let (u_low, u_high) = (u_of(min), u_of(max));
        let bounds = Truncation::new((min, max), (u_low, u_high), || {
            format!(
                "a lognormal with mean {} and sd {} has almost no probability in [{}, {}]",
                readable(mean),
                readable(sd),
                readable(min),
                readable(max)
            )
        })?;
        Ok(Dist(Shape::LogNormal { mu, sigma, bounds }))
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
                return Err(invalid(
                    format!("weight {}", readable(w)),
                    "weights of at least 0",
                ));
            }
            total += w;
            cumulative_weights.push(total);
        }
        if !total.is_finite() {
            return Err(invalid(
                "the weights sum to more than the largest number",
                "weights that sum to a finite number",
            ));
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
            Shape::Bounded { min, max, within } => match within {
                Within::Uniform => min + u * (max - min),
                Within::Triangular { mode } => triangular_quantile(*min, *mode, *max, u),
                Within::Pert { alpha, beta } => {
                    min + (max - min) * inverse_beta_reg(*alpha, *beta, u)
                }
            },
            Shape::Normal { mean, sd, bounds } => {
                (mean + sd * bounds.z(u)).clamp(bounds.min, bounds.max)
            }
            Shape::LogNormal { mu, sigma, bounds } => (mu + sigma * bounds.z(u))
                .exp()
                .clamp(bounds.min, bounds.max),
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
            Shape::Bounded { min, max, .. } => (*min, *max),
            Shape::Normal { bounds, .. } | Shape::LogNormal { bounds, .. } => {
                (bounds.min, bounds.max)
            }
            Shape::Discrete { values, .. } => values
                .iter()
                .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &v| {
                    (lo.min(v), hi.max(v))
                }),
        }
    }

    /// Whether every draw is the same value.
    pub(crate) fn is_fixed(&self) -> bool {
        matches!(self.0, Shape::Fixed(_))
    }

    /// The distribution's mean, where it has a closed form (all shapes but the
    /// truncated normal, whose mean is computed numerically).
    pub fn mean(&self) -> f64 {
        match &self.0 {
            Shape::Fixed(v) => *v,
            Shape::Bounded { min, max, within } => match within {
                Within::Uniform => (min + max) / 2.0,
                Within::Triangular { mode } => (min + mode + max) / 3.0,
                Within::Pert { alpha, beta } => min + (max - min) * alpha / (alpha + beta),
            },
            Shape::Normal { mean, sd, bounds } => {
                // Truncated normal: mean + sd · (φ(α) − φ(β)) / (Φ(β) − Φ(α)).
                use statrs::distribution::Continuous;
                let (alpha, beta) = bounds.standard_bounds();
                let standard = Normal::standard();
                let density = |z: f64| if z.is_finite() { standard.pdf(z) } else { 0.0 };
                mean + sd * (density(alpha) - density(beta)) / bounds.probability()
            }
            Shape::LogNormal { mu, sigma, bounds } => {
                // Truncated lognormal: e^(μ+σ²/2) · (Φ(β − σ) − Φ(α − σ)) / (Φ(β) − Φ(α)),
                // α, β the standardised log bounds.
                let (alpha, beta) = bounds.standard_bounds();
                let shifted = |z: f64| Normal::standard().cdf(z - sigma);
                (mu + sigma * sigma / 2.0).exp() * (shifted(beta) - shifted(alpha))
                    / bounds.probability()
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
            format!(
                "min {}, mode {}, max {}",
                readable(min),
                readable(mode),
                readable(max)
            ),
            "min <= mode <= max with min < max",
        ));
    }
    // The triangular quantile multiplies the range by a part of itself.
    let range = width(min, max)?;
    if !(range * range).is_finite() {
        return Err(too_wide(min, max));
    }
    Ok((min, mode, max))
}

/// `max − min`, when it is finite.
fn width(min: f64, max: f64) -> Result<f64, DistError> {
    let range = max - min;
    if range.is_finite() {
        Ok(range)
    } else {
        Err(too_wide(min, max))
    }
}

fn too_wide(min: f64, max: f64) -> DistError {
    invalid(
        format!(
            "min {} and max {} are too far apart to compute with",
            readable(min),
            readable(max)
        ),
        "min and max less than 1e154 apart",
    )
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
        let beta = statrs::distribution::Beta::new(1.4, 4.6).unwrap();
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

    #[test]
    fn a_lognormal_whose_derived_parameters_are_not_finite_is_an_error() {
        // sd/mean of 1e160 squares to infinity: σ and μ are not finite.
        let error = Dist::lognormal(1.0, 1e160, 0.0, 10.0).unwrap_err();
        assert!(error.to_string().contains("1e160"), "{error}");
        // A subnormal mean: ln(mean) is finite but sd/mean is not.
        let error = Dist::lognormal(5e-324, 1.0, 0.0, 10.0).unwrap_err();
        assert!(error.to_string().contains("5e-324"), "{error}");
        // sd so small against the mean that σ rounds to 0.
        assert!(Dist::lognormal(1.0, 1e-10, 0.0, 10.0).is_err());
    }

    #[test]
    fn a_pert_shape_beyond_the_limit_is_an_error() {
        assert!(Dist::pert(0.0, 0.0, 1.0, 1e8).is_err());
        assert!(Dist::pert(0.0, 1.0, 1.0, 1e8).is_err());
        assert!(Dist::pert(0.0, 0.5, 1.0, 1e300).is_err());
        assert!(Dist::pert(0.0, 0.0, 1.0, 1000.0).is_ok());
    }

    #[test]
    fn ranges_too_wide_for_arithmetic_are_errors() {
        assert!(Dist::uniform(-1e308, 1e308).is_err());
        assert!(Dist::triangular(-1e200, 0.0, 1e200).is_err());
        assert!(Dist::discrete(&[1.0, 2.0], &[1e308, 1e308]).is_err());
    }

    #[test]
    fn pert_quantiles_at_the_extreme_shapes_end_quickly_and_stay_in_range() {
        // Run in a thread so that a hang fails the test instead of blocking it.
        let (send, receive) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for (mode, shape) in [(0.0, 1000.0), (1.0, 1000.0), (0.5, 1000.0), (0.0, 1e-9)] {
                let d = Dist::pert(0.0, mode, 1.0, shape).unwrap();
                for u in [1e-15, 1e-6, 0.25, 0.5, 0.75, 1.0 - 1e-9] {
                    let x = d.quantile(u);
                    assert!(
                        (0.0..=1.0).contains(&x),
                        "mode {mode}, shape {shape}, u {u}: {x}"
                    );
                }
            }
            send.send(()).unwrap();
        });
        receive
            .recv_timeout(std::time::Duration::from_secs(20))
            .expect("PERT quantiles finish within 20 seconds");
    }
}
