//! Each economies-of-scale mechanism alone, in an otherwise neutral scenario,
//! against a gap computed here independently; the limits the model must
//! respect; and the decomposition's arithmetic.

use sscsim::model::{Mechanism, Scenario};
use sscsim::sim::Decomposition;
use sscsim::sim::{Workspace, decompose_replication};

use crate::util::{assert_close, capacity_by_bisection, parse, replicate, strategy, twins};

/// FTE needed at no variance for one agency (100 a day × 30 / 360).
const AGENCY_FTE: f64 = 100.0 * 30.0 / 360.0;
const GS_USD: f64 = 50_000.0;

/// The decomposition of replication 0.
fn decomposition(scenario: &Scenario) -> Decomposition {
    let comparison = scenario.comparison.expect("solo and pooled are compared");
    decompose_replication(scenario, comparison, 1, 0, &mut Workspace::default())
}

/// The gap in replication 0 from the full simulation (every mechanism on).
fn simulated_gap(scenario: &Scenario) -> f64 {
    let outcome = replicate(scenario, 1, 0);
    let npv = |id| {
        let s = &outcome.strategies[strategy(scenario, id)];
        sscsim::sim::cost::npv_parts(0.0, &s.years).total_usd
    };
    npv("solo") - npv("pooled")
}

/// Asserts that only `mechanism` contributes, by `expected`, and that the
/// full simulation agrees.
fn assert_only(scenario: &Scenario, mechanism: Mechanism, expected: f64) {
    let d = decomposition(scenario);
    assert_close(d.total_usd, expected, "gap");
    assert_close(simulated_gap(scenario), expected, "simulated gap");
    for (m, value) in Mechanism::ALL.iter().zip(d.mechanisms_usd) {
        let want = if *m == mechanism { expected } else { 0.0 };
        assert_close(value, want, m.id());
    }
    assert_close(d.other_usd, 0.0, "other");
}

#[test]
fn zero_variance_and_no_fixed_costs_leave_no_gap() {
    let scenario = parse(&twins("\"deterministic\"", ""));
    let d = decomposition(&scenario);
    assert!(
        d.total_usd.abs() <= 1e-9 * 2.0 * AGENCY_FTE * GS_USD,
        "gap {}",
        d.total_usd
    );
    assert!(
        d.parts()
            .iter()
            .all(|p| p.abs() <= 1e-9 * 2.0 * AGENCY_FTE * GS_USD)
    );
}

/// One director per centre (150 000 a year), a site each (set-up 1 000,
/// 100 a year), centre costs 10 a year: solo carries one more of each.
#[test]
fn fixed_overhead_alone_costs_solo_one_more_centre_and_site() {
    let extra = "[mechanisms.fixed_overhead]\ncentre_staff_fte = { D = 1 }\n";
    let text = twins("\"deterministic\"", extra)
        .replace("annual_cost_usd_per_fte = { GS = 50000, P = 100000, D = 150000 }", "annual_cost_usd_per_fte = { GS = 50000, P = 100000, D = 150000 }\nsite_setup_cost_usd = 1000\nsite_fixed_cost_usd_per_year = 100")
        .replace("grade_mix = { GS = 1 }", "grade_mix = { GS = 1 }\nfixed_cost_usd_per_year = 10");
    let scenario = parse(&text);
    assert_only(
        &scenario,
        Mechanism::FixedOverhead,
        1000.0 + 2.0 * (150_000.0 + 100.0 + 10.0),
    );
}

#[test]
fn co_located_centres_lose_only_the_overhead_they_do_not_share() {
    let extra = "[mechanisms.fixed_overhead]\ncentre_staff_fte = { D = 1 }\n[comparison]\nfragmented = \"solo\"\npooled = \"pooled\"\n";
    let text = twins("\"deterministic\"", extra)
        .replace("annual_cost_usd_per_fte = { GS = 50000, P = 100000, D = 150000 }", "annual_cost_usd_per_fte = { GS = 50000, P = 100000, D = 150000 }\nsite_setup_cost_usd = 1000\nsite_fixed_cost_usd_per_year = 100")
        .replace("id = \"a_centre\"", "id = \"a_centre\"\nsite = \"shared\"")
        .replace("id = \"b_centre\"", "id = \"b_centre\"\nsite = \"shared\"");
    // "Solo" here shares one site: only the second director is lost.
    let scenario = parse(&text);
    assert_only(&scenario, Mechanism::FixedOverhead, 2.0 * 150_000.0);
}

/// Poisson demand: each solo team carries its own buffer; the pooled team one
/// on the combined demand (μ = σ² = 200). Two years of GS at 50 000.
#[test]
fn variance_pooling_alone_saves_the_duplicated_buffer() {
    let scenario = parse(&twins("\"poisson\"", ""));
    let solo = 2.0 * capacity_by_bisection(100.0, 100.0, 3.0, 0.95);
    let pooled = capacity_by_bisection(200.0, 200.0, 3.0, 0.95);
    let expected = (solo - pooled) * 30.0 / 360.0 * GS_USD * 2.0;
    assert!(expected > 0.0);
    let d = decomposition(&scenario);
    assert!(
        (d.total_usd - expected).abs() <= 1e-6 * expected,
        "gap {} vs {expected}",
        d.total_usd
    );
    assert!((d.mechanisms_usd[1] - expected).abs() <= 1e-6 * expected);
    assert_eq!(d.mechanisms_usd[0], 0.0);
}

/// Negative binomial r = 4 and shock correlation ρ: the shared shock has
/// shape k = 4ρ, so the pooled daily variance is 2(μ + μ²/r) + 2μ²k/r².
/// The gain shrinks as ρ grows, and stays positive at ρ = 1 (Poisson noise
/// still pools).
#[test]
fn correlated_peaks_shrink_the_pooling_gain() {
    let gap_at = |rho: f64| {
        let extra = format!("[mechanisms.variance_pooling]\nvolume_correlation = {rho}\n");
        let scenario = parse(&twins(
            "{ process = \"negative_binomial\", dispersion = 4 }",
            &extra,
        ));
        let (mu, r, k) = (100.0, 4.0, 4.0 * rho);
        let solo = 2.0 * capacity_by_bisection(mu, mu + mu * mu / r, 3.0, 0.95);
        let pooled = capacity_by_bisection(
            2.0 * mu,
            2.0 * (mu + mu * mu / r) + 2.0 * mu * mu * k / (r * r),
            3.0,
            0.95,
        );
        let expected = (solo - pooled) * 30.0 / 360.0 * GS_USD * 2.0;
        let gap = decomposition(&scenario).total_usd;
        assert!(
            (gap - expected).abs() <= 1e-6 * expected.abs(),
            "ρ {rho}: gap {gap} vs {expected}"
        );
        gap
    };
    let (none, half, full) = (gap_at(0.0), gap_at(0.5), gap_at(1.0));
    assert!(
        none > half && half > full && full > 0.0,
        "{none} > {half} > {full} > 0"
    );
}

/// Learning only (no scale effect): initial 1.5, rate 0.8, reference 10
/// FTE-years. A solo team does 8⅓ FTE-years of standard work a year, the
/// pooled team 16⅔; the factor is taken at mid-year experience.
#[test]
fn learning_alone_favours_the_team_that_gains_experience_faster() {
    let extra = "[mechanisms.learning_and_scale]\ninitial_effort_factor = 1.5\nlearning_rate = 0.8\n\
                 reference_experience_fte_years = 10\nscale_elasticity = 0\n";
    let scenario = parse(&twins("\"deterministic\"", extra));
    let factor = |experience: f64| (1.5 * 0.8f64.powf((1.0 + experience / 10.0).log2())).max(1.0);
    let per_year = AGENCY_FTE; // FTE-years of standard work per agency per year
    let solo: f64 = 2.0 * AGENCY_FTE * (factor(per_year / 2.0) + factor(per_year * 1.5));
    let pooled: f64 = 2.0 * AGENCY_FTE * (factor(per_year) + factor(per_year * 3.0));
    let expected = (solo - pooled) * GS_USD;
    assert!(expected > 0.0);
    assert_only(&scenario, Mechanism::LearningAndScale, expected);
}

#[test]
fn existing_centres_have_nothing_left_to_learn() {
    let extra = "[mechanisms.learning_and_scale]\nscale_elasticity = 0\n";
    let text = twins("\"deterministic\"", extra).replace(
        "grade_mix = { GS = 1 }",
        "grade_mix = { GS = 1 }\nexisting = true",
    );
    let d = decomposition(&parse(&text));
    assert!(d.total_usd.abs() < 1e-6, "gap {}", d.total_usd);
}

/// Scale only: FTE = 10 · (FTE₀ / 10)^(1/(1 + 0.1)).
#[test]
fn scale_elasticity_alone_favours_the_larger_team() {
    let extra = "[mechanisms.learning_and_scale]\ninitial_effort_factor = 1\nscale_elasticity = 0.1\nreference_team_fte = 10\n";
    let scenario = parse(&twins("\"deterministic\"", extra));
    let scaled = |fte: f64| 10.0 * (fte / 10.0f64).powf(1.0 / 1.1);
    let expected = (2.0 * scaled(AGENCY_FTE) - scaled(2.0 * AGENCY_FTE)) * GS_USD * 2.0;
    assert!(expected > 0.0);
    assert_only(&scenario, Mechanism::LearningAndScale, expected);
}

/// Span 10, at least one supervisor (P at 100 000): solo teams of 8⅓ each
/// need the minimum 1, the pooled team of 16⅔ needs 1⅔.
#[test]
fn span_of_control_alone_costs_small_teams_their_minimum_supervisor() {
    let extra = "[mechanisms.span_of_control]\nstaff_per_supervisor = 10\nminimum_supervisors_per_team = 1\nsupervisor_grade_mix = { P = 1 }\n";
    let scenario = parse(&twins("\"deterministic\"", extra));
    let expected = (2.0 - 2.0 * AGENCY_FTE / 10.0) * 100_000.0 * 2.0;
    assert_only(&scenario, Mechanism::SpanOfControl, expected);
}

/// Whole people: solo teams of 9 processing staff and 1 supervisor each;
/// the pooled team of 17 and 2 — one GS fewer.
#[test]
fn integer_staffing_rounds_each_team_up_to_whole_people() {
    let extra = "[mechanisms.span_of_control]\nstaff_per_supervisor = 10\nsupervisor_grade_mix = { P = 1 }\ninteger_staffing = true\n";
    let scenario = parse(&twins("\"deterministic\"", extra));
    assert_only(&scenario, Mechanism::SpanOfControl, 1.0 * GS_USD * 2.0);
    let outcome = replicate(&scenario, 1, 0);
    let pooled = &outcome.strategies[strategy(&scenario, "pooled")].years[0];
    assert_eq!((pooled.processing_fte, pooled.supervision_fte), (17.0, 2.0));
}

/// Penalty 0.2 for the second agency (two rule sets and two platforms, each
/// component 0.3 · 1/(1 + 2) = 0.1), on half the work once a one-year
/// project (1 000 USD) ends and half the clients adopt its process, with no
/// gain: the pooled team works 1.2× slower in year 0 and 0.5 · 1 + 0.5 · 1.2
/// = 1.1× in year 1, and pays for the project. Pooling loses.
#[test]
fn harmonisation_alone_makes_pooling_lose() {
    let extra = "[mechanisms.harmonisation]\nrules_penalty_ceiling = 0.3\nplatform_penalty_ceiling = 0.3\n\
                 half_saturation_additional = 2\nproject_cost_usd_per_additional_agency = 1000\nproject_years = 1\n\
                 adoption_share = 0.5\nadoption_ramp_years = 0\ncommon_process_gain_share = 0\n";
    let scenario = parse(&twins("\"deterministic\"", extra));
    let pooled_fte = 2.0 * AGENCY_FTE;
    let expected = -(pooled_fte * 0.2 * GS_USD + 1000.0 + pooled_fte * 0.1 * GS_USD);
    assert_only(&scenario, Mechanism::Harmonisation, expected);
}

/// Overhead and variance both favour pooling; a penalty of 100% for the
/// second agency (rules 3 · 1/(1 + 2), no platform component) that nobody
/// adopts away outweighs them, in every replication.
#[test]
fn a_high_enough_harmonisation_penalty_makes_pooling_lose_despite_the_gains() {
    let extra = "[mechanisms.fixed_overhead]\ncentre_staff_fte = { D = 1 }\n\
                 [mechanisms.harmonisation]\nrules_penalty_ceiling = 3.0\nplatform_penalty_ceiling = 0\nadoption_share = 0\n";
    let scenario = parse(&twins("\"poisson\"", extra));
    for replication in 0..5 {
        let d = decompose_replication(
            &scenario,
            scenario.comparison.unwrap(),
            9,
            replication,
            &mut Workspace::default(),
        );
        assert!(
            d.mechanisms_usd[0] > 0.0 && d.mechanisms_usd[1] > 0.0,
            "{d:?}"
        );
        assert!(d.total_usd < 0.0, "pooling should lose: {d:?}");
    }
}

/// Two agencies over six years with two gains of pooling (a GS of support
/// staff per centre, Poisson variance), and harmonisation (penalty 0.3/3 +
/// 0.3/3 = 0.2) with `adoption_share` of the work moving to the common
/// process in the year after a two-year project.
fn adoption_twins(adoption_share: f64) -> Scenario {
    let extra = format!(
        "[mechanisms.fixed_overhead]\ncentre_staff_fte = {{ GS = 1 }}\n\
         [mechanisms.harmonisation]\nrules_penalty_ceiling = 0.3\nplatform_penalty_ceiling = 0.3\n\
         project_cost_usd_per_additional_agency = 20000\nproject_years = 2\n\
         adoption_share = {adoption_share}\nadoption_ramp_years = 1\ncommon_process_gain_share = 0.1\n\
         platform = {{ a = \"sap\", b = \"oracle\" }}\n"
    );
    parse(&twins("\"poisson\"", &extra).replace("horizon_years = 2", "horizon_years = 6"))
}

/// Undiscounted cost of strategy `id` in the years `years`, replication `r`.
fn cost_in(scenario: &Scenario, id: &str, years: std::ops::Range<usize>, r: u64) -> f64 {
    let outcome = replicate(scenario, 7, r);
    let s = &outcome.strategies[strategy(scenario, id)];
    sscsim::sim::cost::npv_parts(0.0, &s.years[years]).total_usd
}

/// A shared team whose clients keep their own rules and platforms (5% adopt)
/// works 1 + 0.2 slower for good: it costs more than the agencies' own
/// centres in each of years 1-3, and over the six years, in every
/// replication — the failure a governing body would have seen.
#[test]
fn with_low_adoption_a_pooled_centre_costs_more_than_solo_centres_for_years() {
    let scenario = adoption_twins(0.05);
    for r in 0..5 {
        for year in 0..3 {
            let (solo, pooled) = (
                cost_in(&scenario, "solo", year..year + 1, r),
                cost_in(&scenario, "pooled", year..year + 1, r),
            );
            assert!(
                pooled > solo,
                "replication {r}, year {year}: pooled {pooled} ≤ solo {solo}"
            );
        }
        let horizon = cost_in(&scenario, "pooled", 0..6, r) - cost_in(&scenario, "solo", 0..6, r);
        assert!(
            horizon > 0.0,
            "replication {r}: pooled cheaper by {}",
            -horizon
        );
    }
}

/// All clients adopting right after the project: the penalty goes, the
/// common process's 10% gain comes, and pooling saves over the horizon in
/// every replication, though not while the project runs.
#[test]
fn with_full_adoption_the_pooled_centre_pays_back() {
    let scenario = adoption_twins(1.0);
    for r in 0..5 {
        let (solo, pooled) = (
            cost_in(&scenario, "solo", 0..6, r),
            cost_in(&scenario, "pooled", 0..6, r),
        );
        assert!(
            pooled < solo,
            "replication {r}: pooled {pooled} ≥ solo {solo}"
        );
        let after = cost_in(&scenario, "solo", 3..6, r) - cost_in(&scenario, "pooled", 3..6, r);
        assert!(after > 0.0, "replication {r}: no saving once adopted");
    }
}

/// More adoption never raises the pooled centre's cost, replication by
/// replication on common random numbers; solo centres do not move.
#[test]
fn more_adoption_never_raises_cost() {
    let shares = [0.0, 0.1, 0.3, 0.6, 0.9, 1.0];
    let scenarios: Vec<Scenario> = shares.iter().map(|&a| adoption_twins(a)).collect();
    for r in 0..4 {
        let pooled: Vec<f64> = (scenarios.iter())
            .map(|s| cost_in(s, "pooled", 0..6, r))
            .collect();
        assert!(
            pooled.windows(2).all(|w| w[1] <= w[0]),
            "replication {r}: {pooled:?}"
        );
        let solo: Vec<f64> = scenarios
            .iter()
            .map(|s| cost_in(s, "solo", 0..6, r))
            .collect();
        assert!(solo.windows(2).all(|w| w[0] == w[1]), "{solo:?}");
    }
}

#[test]
fn decomposition_parts_add_up_to_the_gap_in_every_replication() {
    let scenario = sscsim::scenario::default_scenario();
    let comparison = scenario.comparison.unwrap();
    let mut workspace = Workspace::default();
    for replication in 0..50 {
        let d = decompose_replication(&scenario, comparison, 3, replication, &mut workspace);
        let sum: f64 = d.parts().iter().sum();
        let scale: f64 = d
            .parts()
            .iter()
            .map(|p| p.abs())
            .sum::<f64>()
            .max(d.total_usd.abs());
        // Equal up to floating-point rounding: a few ulps of the largest part.
        assert!(
            (sum - d.total_usd).abs() <= 1e-12 * scale,
            "replication {replication}: {sum} vs {}",
            d.total_usd
        );
        assert!(
            d.parts().iter().filter(|p| p.abs() > 0.0).count() >= 4,
            "several mechanisms contribute"
        );
    }
}

#[test]
fn the_run_and_explain_see_the_same_gap() {
    let scenario = sscsim::scenario::default_scenario();
    let comparison = scenario.comparison.unwrap();
    for replication in 0..3 {
        let outcome = replicate(&scenario, 8, replication);
        let d = decompose_replication(
            &scenario,
            comparison,
            8,
            replication,
            &mut Workspace::default(),
        );
        assert_eq!(outcome.decomposition, Some(d));
        let npv = |i: usize| {
            let s = &outcome.strategies[i];
            sscsim::sim::cost::npv_parts(outcome.discount_rate_per_year, &s.years).total_usd
        };
        assert_eq!(
            npv(comparison.fragmented) - npv(comparison.pooled),
            d.total_usd
        );
    }
}
