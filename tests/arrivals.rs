//! Daily arrival counts: their moments against the arrival process's
//! formulas, with bounds derived from standard errors.

use sscsim::model::{Draws, Scenario};
use sscsim::sample::Arrivals;

use crate::util::parse;

/// One agency, one service line, 10 years of 250 working days.
fn one_line_scenario(annual_volume: f64, arrivals: &str, seasonality: &str) -> Scenario {
    parse(&one_line(annual_volume, arrivals, seasonality))
}

/// The text of [`one_line_scenario`].
fn one_line(annual_volume: f64, arrivals: &str, seasonality: &str) -> String {
    format!(
        r#"
[scenario]
name = "Arrivals"
[settings]
horizon_years = 10
working_days_per_year = 250
discount_rate_per_year = 0.0
replications = 1
seed = 3
working_minutes_per_day = 480
availability_share = 0.75
[[service_line]]
id = "hr"
effort_minutes_per_transaction = 60
service_level_target_days = 5
service_level_target_share = 0.95
[[location]]
id = "city"
annual_cost_usd_per_fte = {{ GS = 1 }}
[[agency]]
id = "a"
hq_location = "city"
[agency.service_line.hr]
annual_volume = {annual_volume}
arrivals = {arrivals}
{seasonality}
hq_staff_fte = {{ GS = 1 }}
"#
    )
}

/// All daily counts of `replications` replications.
fn daily_counts(scenario: &Scenario, replications: u64) -> Vec<f64> {
    let mut inputs = Draws::default();
    let mut arrivals = Arrivals::default();
    let mut counts = Vec::new();
    for r in 0..replications {
        inputs.draw(scenario, 99, r);
        arrivals.draw(scenario, &inputs, 99, r);
        counts.extend_from_slice(arrivals.series(0, 0));
    }
    counts
}

/// Sample mean and variance, and the standard error of each: sd/√n for the
/// mean; √((m4 − s⁴)/n) for the variance, with m4 the sample fourth central
/// moment (the large-sample standard error of a sample variance).
fn moments(x: &[f64]) -> (f64, f64, f64, f64) {
    let n = x.len() as f64;
    let mean = x.iter().sum::<f64>() / n;
    let variance = x.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0);
    let m4 = x.iter().map(|v| (v - mean).powi(4)).sum::<f64>() / n;
    (
        (mean),
        (variance / n).sqrt(),
        variance,
        ((m4 - variance * variance) / n).sqrt(),
    )
}

/// |estimate − expected| within 5 standard errors: a false alarm has a
/// probability below 1e-6 (and the seeds are fixed, so it never flickers).
fn within_5_se(estimate: f64, se: f64, expected: f64, what: &str) {
    assert!(
        (estimate - expected).abs() <= 5.0 * se,
        "{what}: estimate {estimate}, expected {expected}, standard error {se}"
    );
}

#[test]
fn poisson_counts_have_mean_and_variance_lambda() {
    // 5 000 a year over 250 days: λ = 20.
    let counts = daily_counts(&one_line_scenario(5000.0, "\"poisson\"", ""), 20);
    assert_eq!(counts.len(), 50_000);
    let (mean, se_mean, variance, se_variance) = moments(&counts);
    within_5_se(mean, se_mean, 20.0, "Poisson mean");
    within_5_se(variance, se_variance, 20.0, "Poisson variance");
    assert!(
        counts.iter().all(|c| c.fract() == 0.0 && *c >= 0.0),
        "counts are whole numbers"
    );
}

#[test]
fn negative_binomial_counts_are_overdispersed_by_mean_squared_over_dispersion() {
    // λ = 20, r = 4: variance = 20 + 400/4 = 120.
    let counts = daily_counts(
        &one_line_scenario(
            5000.0,
            "{ process = \"negative_binomial\", dispersion = 4 }",
            "",
        ),
        20,
    );
    let (mean, se_mean, variance, se_variance) = moments(&counts);
    within_5_se(mean, se_mean, 20.0, "negative binomial mean");
    within_5_se(variance, se_variance, 120.0, "negative binomial variance");
}

#[test]
fn seasonality_scales_monthly_means_and_keeps_the_annual_volume() {
    // Weight 2 in January, 1 elsewhere. With 250 days, January has 21 days
    // (days 0-20) and the other months 20 or 21; the weights are scaled so a
    // year's expected volume stays 5 000.
    let seasonality = "seasonality = [2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]";
    let scenario = one_line_scenario(5000.0, "\"deterministic\"", seasonality);
    let counts = daily_counts(&scenario, 1);
    let january_days = (0..250).filter(|d| d * 12 / 250 == 0).count() as f64;
    // Scale k solves k·(2·J + (250 − J)) = 250.
    let k = 250.0 / (2.0 * january_days + (250.0 - january_days));
    assert!((counts[0] - 20.0 * 2.0 * k).abs() < 1e-9);
    assert!((counts[100] - 20.0 * k).abs() < 1e-9);
    let year: f64 = counts[..250].iter().sum();
    assert!((year - 5000.0).abs() < 1e-6, "a year's volume is {year}");
}

#[test]
fn volumes_grow_by_the_growth_rate_each_year() {
    let scenario = one_line_scenario(
        5000.0,
        "\"deterministic\"",
        "volume_growth_rate_per_year = 0.1",
    );
    let counts = daily_counts(&scenario, 1);
    let year = |y: usize| counts[y * 250..(y + 1) * 250].iter().sum::<f64>();
    assert!((year(0) - 5000.0).abs() < 1e-6);
    assert!((year(3) - 5000.0 * 1.1f64.powi(3)).abs() < 1e-6);
}

/// Two agencies with negative binomial arrivals (λ = 20, r = 4) whose daily
/// shocks share a gamma factor of shape k = ρ·r: each keeps variance
/// 20 + 400/4 = 120, and their counts covary by λ²·k/r² = 25·k, a
/// correlation of 25·k/120. At ρ = 0.5 each agency keeps an own part of
/// shape 2; at ρ = 1 the shared shock is the whole gamma factor and the own
/// part has shape 0 (none is drawn). Estimated per replication (2 500 days
/// each); the bound is 5 standard errors of the mean over 20 replications.
#[test]
fn a_shared_shock_correlates_agencies_and_keeps_each_marginal() {
    for rho in [0.5, 1.0] {
        let text = one_line(
            5000.0,
            "{ process = \"negative_binomial\", dispersion = 4 }",
            "",
        )
        .replace(
            "effort_minutes_per_transaction = 60",
            &format!("effort_minutes_per_transaction = 60\nvolume_correlation = {rho}"),
        ) + "[[agency]]\nid = \"b\"\nhq_location = \"city\"\n[agency.service_line.hr]\nannual_volume = 5000\n\
               arrivals = { process = \"negative_binomial\", dispersion = 4 }\nhq_staff_fte = { GS = 1 }\n";
        let scenario = parse(&text);
        let mut inputs = Draws::default();
        let mut arrivals = Arrivals::default();
        let (mut correlations, mut variances) = (Vec::new(), Vec::new());
        for r in 0..20 {
            inputs.draw(&scenario, 7, r);
            arrivals.draw(&scenario, &inputs, 7, r);
            let (a, b) = (arrivals.series(0, 0), arrivals.series(1, 0));
            let n = a.len() as f64;
            let (ma, mb) = (a.iter().sum::<f64>() / n, b.iter().sum::<f64>() / n);
            let cov = a
                .iter()
                .zip(b)
                .map(|(x, y)| (x - ma) * (y - mb))
                .sum::<f64>()
                / (n - 1.0);
            let (va, vb) = (moments(a).2, moments(b).2);
            correlations.push(cov / (va * vb).sqrt());
            variances.push(va);
        }
        let mean_se = |x: &[f64]| {
            let s = sscsim::stats::Summary::of(x).unwrap();
            (s.mean, s.se)
        };
        let k = rho * 4.0;
        let (correlation, se) = mean_se(&correlations);
        within_5_se(
            correlation,
            se,
            25.0 * k / 120.0,
            &format!("count correlation at ρ {rho}"),
        );
        let (variance, se) = mean_se(&variances);
        within_5_se(
            variance,
            se,
            120.0,
            &format!("marginal variance at ρ {rho}"),
        );
    }
}

#[test]
fn without_correlation_agencies_are_independent() {
    let text = one_line(
        5000.0,
        "{ process = \"negative_binomial\", dispersion = 4 }",
        "",
    ) + "[[agency]]\nid = \"b\"\nhq_location = \"city\"\n[agency.service_line.hr]\nannual_volume = 5000\n\
           arrivals = { process = \"negative_binomial\", dispersion = 4 }\nhq_staff_fte = { GS = 1 }\n";
    let scenario = parse(&text);
    assert_eq!(scenario.common_shock_shape(0, &Draws::default()), 0.0);
}
