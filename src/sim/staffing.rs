//! How many processing staff a team needs.
//!
//! A planned team must meet a service level: a share `s` of transactions
//! completed within `T` working days of the day they arrive. Daily demand
//! has mean `μ` and variance `σ²`; the team completes up to `c` transactions
//! a day, oldest first, and carries the rest over.
//!
//! The end-of-day backlog `W` follows Lindley's recursion
//! `W' = max(0, W + A − c)`. In the diffusion approximation its tail is
//! exponential, `P(W > x) ≈ exp(−θx)` with `θ = 2(c − μ)/σ²` (Kingman). Work
//! is late when more than `T` days of capacity stand ahead of it, so the
//! expected late work per day is `E[(W − cT)⁺] = exp(−θcT)/θ`, and the late
//! share is that divided by `μ`. The planner chooses the smallest `c` with
//!
//! `exp(−θ·c·T) / (θ·μ) ≤ 1 − s`.
//!
//! Bounding `P(W > 0)` by 1 makes the rule conservative in steady state
//! (the integration tests check that planned teams meet their target over
//! long simulated runs). Over a finite year, a run of busy days can still
//! push a team with a thin buffer behind: the simulation measures what the
//! plan actually delivers, and `service_level` in the results is that
//! measurement, not this formula.
//!
//! The buffer `c − μ` grows with the variance relative to the mean and
//! shrinks as the target window lengthens. Two teams each carry a buffer; a
//! pooled team serving their combined demand carries one, which is where
//! variance pooling saves staff. Demand without variance needs no buffer.

/// Daily capacity, in transactions, that meets a service level of
/// `target_share` within `target_days` for demand with this daily mean and
/// variance.
///
/// # Examples
/// ```
/// use sscsim::sim::staffing::planned_capacity_per_day;
/// // A same-day target has the closed form c = μ + σ² / (2μ(1 − s)).
/// let c = planned_capacity_per_day(100.0, 100.0, 0, 0.95);
/// assert!((c - 110.0).abs() < 1e-9);
/// ```
pub fn planned_capacity_per_day(
    mean_per_day: f64,
    variance_per_day: f64,
    target_days: u32,
    target_share: f64,
) -> f64 {
    if mean_per_day <= 0.0 {
        return 0.0;
    }
    if variance_per_day <= 0.0 {
        return mean_per_day;
    }
    mean_per_day
        + buffer_per_day(
            mean_per_day,
            variance_per_day,
            f64::from(target_days),
            1.0 - target_share,
        )
}

/// Newton steps tried before [`buffer_per_day`] falls back to bisection.
/// Far above the root a step moves `x` down by about ½ (the `e^{2x}` term
/// dominates), so 200 steps cover any start within 100 of the root, which
/// every ordinary input is by far.
const NEWTON_STEPS: usize = 200;

/// Bisection steps of the fallback: halving a bracket of width below 2000
/// reaches the spacing of doubles near the root within about 60 steps; the
/// loop also stops as soon as the midpoint no longer moves.
const BISECTION_STEPS: usize = 1100;

/// Solves `g(x) = 2e^x(μ + e^x)T/σ² + x + ln(2μ/σ²) + ln(late) = 0` for the
/// log-buffer `x = ln(c − μ)` — the planning condition in logarithms. `g` is
/// increasing and convex in `x`, so Newton's method started to the right of
/// the root (at the same-day solution, where the `T` term only adds) moves
/// monotonically down to it. If it has not converged within
/// [`NEWTON_STEPS`], bisection finishes the job in a bounded number of
/// steps: the root is below the last Newton iterate, and above `x = −800`,
/// where `e^x` is 0 in doubles and `g = x + ln(2μ/σ²) + ln(late) < 0`.
fn buffer_per_day(mean: f64, variance: f64, target_days: f64, late_share: f64) -> f64 {
    solve_log_buffer(mean, variance, target_days, late_share, NEWTON_STEPS).exp()
}

fn solve_log_buffer(
    mean: f64,
    variance: f64,
    target_days: f64,
    late_share: f64,
    newton_steps: usize,
) -> f64 {
    let constant = (2.0 * mean / variance).ln() + late_share.ln();
    let g = |x: f64| {
        let b = x.exp();
        (
            2.0 * b * (mean + b) * target_days / variance + x + constant,
            2.0 * b * (mean + 2.0 * b) * target_days / variance + 1.0,
        )
    };
    let mut x = -constant;
    for _ in 0..newton_steps {
        let (value, slope) = g(x);
        let step = value / slope;
        x -= step;
        if step.abs() <= 1e-13 * x.abs().max(1.0) {
            return x;
        }
    }
    let (mut below, mut above) = (-800.0_f64, x.max(-constant));
    for _ in 0..BISECTION_STEPS {
        let middle = below + (above - below) / 2.0;
        if middle <= below || middle >= above {
            break;
        }
        if g(middle).0 < 0.0 {
            below = middle;
        } else {
            above = middle;
        }
    }
    above
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The planning condition's late share at capacity `c`.
    fn late_share(c: f64, mean: f64, variance: f64, target_days: f64) -> f64 {
        let theta = 2.0 * (c - mean) / variance;
        (-theta * c * target_days).exp() / (theta * mean)
    }

    #[test]
    fn same_day_target_has_the_closed_form() {
        // T = 0: 1/(θμ) = 1 − s  ⇒  c − μ = σ² / (2μ(1 − s)).
        let c = planned_capacity_per_day(50.0, 200.0, 0, 0.9);
        assert!((c - (50.0 + 200.0 / (2.0 * 50.0 * 0.1))).abs() < 1e-9);
    }

    #[test]
    fn planned_capacity_meets_the_condition_exactly_and_agrees_with_bisection() {
        for (mean, variance, days, share) in [
            (100.0, 100.0, 5, 0.95),
            (100.0, 600.0, 3, 0.98),
            (2.0, 40.0, 10, 0.9),
            (5000.0, 5e5, 1, 0.99),
        ] {
            let c = planned_capacity_per_day(mean, variance, days, share);
            let residual = late_share(c, mean, variance, f64::from(days)) - (1.0 - share);
            assert!(residual.abs() < 1e-9, "residual {residual} for μ {mean}");
            // Independent root-finding on the capacity itself.
            let (mut lo, mut hi) = (mean + 1e-12, mean + variance / (2.0 * mean * (1.0 - share)));
            for _ in 0..200 {
                let mid = (lo + hi) / 2.0;
                if late_share(mid, mean, variance, f64::from(days)) > 1.0 - share {
                    lo = mid
                } else {
                    hi = mid
                }
            }
            assert!((c - hi).abs() < 1e-9 * c, "Newton {c} vs bisection {hi}");
        }
    }

    #[test]
    fn the_bisection_fallback_finds_the_root_newton_finds() {
        for (mean, variance, days, share) in [
            (100.0, 100.0, 5.0, 0.95),
            (2.0, 40.0, 10.0, 0.9),
            (1e-3, 1e6, 250.0, 0.999999),
        ] {
            let late = 1.0 - share;
            let newton = solve_log_buffer(mean, variance, days, late, NEWTON_STEPS);
            let bisection = solve_log_buffer(mean, variance, days, late, 0);
            assert!(
                (newton - bisection).abs() <= 1e-12 * newton.abs().max(1.0),
                "Newton {newton} vs bisection {bisection}"
            );
            // The root makes the late share the target.
            let c = mean + bisection.exp();
            let residual = late_share(c, mean, variance, days) / late - 1.0;
            assert!(residual.abs() < 1e-9, "relative residual {residual}");
        }
    }

    #[test]
    fn demand_without_variance_needs_no_buffer_and_no_demand_no_capacity() {
        assert_eq!(planned_capacity_per_day(42.0, 0.0, 5, 0.95), 42.0);
        assert_eq!(planned_capacity_per_day(0.0, 0.0, 5, 0.95), 0.0);
    }

    #[test]
    fn a_stricter_target_or_shorter_window_needs_more_capacity() {
        let base = planned_capacity_per_day(100.0, 300.0, 5, 0.95);
        assert!(planned_capacity_per_day(100.0, 300.0, 5, 0.99) > base);
        assert!(planned_capacity_per_day(100.0, 300.0, 2, 0.95) > base);
        assert!(planned_capacity_per_day(100.0, 600.0, 5, 0.95) > base);
    }
}
