//! Rank-correlated uncertain inputs: names that identify inputs, the
//! Gaussian copula's rank correlations and marginals, what it leaves alone,
//! and the checks of `[[correlation]]`.

use std::collections::HashSet;

use sscsim::metrics::MetricValues;
use sscsim::model::Scenario;
use sscsim::run::{RunControl, RunError, RunPlan, run};
use sscsim::sample::{StreamKind, draw_inputs, open_unit, stream};

use crate::util::{assert_problem_at, bundled, bundled_stems, fixture_text, parse};

const VOLUME: &str = "agency.agency_a.service_line.claims.annual_volume";
const EXCHANGE: &str = "location.hq.exchange_rate_factor";
const ESCALATION: &str = "location.hq.salary_escalation_rate_per_year";
const SET_UP: &str = "location.offshore.site_setup_cost_usd";

/// The hand-computed fixture with four uncertain inputs of different shapes:
/// the volume triangular (100, 120, 150); the exchange-rate factor normal
/// (1.5, sd 0.2) truncated 5 sd out, where it differs from the untruncated
/// normal by under 3e-7 in probability; escalation uniform (0, 0.2); the
/// offshore set-up cost uniform (200, 400). `correlations` is appended.
fn uncertain(correlations: &str) -> String {
    let text = fixture_text("hand-computed.toml")
        .replace(
            "annual_volume = 120",
            r#"annual_volume = { dist = "triangular", min = 100, mode = 120, max = 150 }"#,
        )
        .replace(
            "exchange_rate_factor = 1.5",
            r#"exchange_rate_factor = { dist = "normal", mean = 1.5, sd = 0.2, min = 0.5, max = 2.5 }"#,
        )
        .replace(
            "salary_escalation_rate_per_year = 0.1",
            r#"salary_escalation_rate_per_year = { dist = "uniform", min = 0, max = 0.2 }"#,
        )
        .replace(
            "site_setup_cost_usd = 300",
            r#"site_setup_cost_usd = { dist = "uniform", min = 200, max = 400 }"#,
        );
    format!("{text}\n{correlations}")
}

fn pair(a: &str, b: &str, rank_correlation: &str) -> String {
    format!("[[correlation]]\ninputs = [\"{a}\", \"{b}\"]\nrank_correlation = {rank_correlation}\n")
}

fn index(scenario: &Scenario, name: &str) -> usize {
    scenario
        .inputs
        .iter()
        .position(|i| i.name == name)
        .unwrap_or_else(|| panic!("no input `{name}`"))
}

/// Every input's draws over `replications`, one column per input.
fn draws(scenario: &Scenario, seed: u64, replications: u64) -> Vec<Vec<f64>> {
    let mut columns = vec![Vec::new(); scenario.inputs.len()];
    let mut out = Vec::new();
    for replication in 0..replications {
        draw_inputs(scenario, seed, replication, &mut out);
        for (column, &value) in columns.iter_mut().zip(&out) {
            column.push(value);
        }
    }
    columns
}

/// Ranks 0..n of continuous values (no ties).
fn ranks(values: &[f64]) -> Vec<f64> {
    let mut order: Vec<usize> = (0..values.len()).collect();
    order.sort_by(|&a, &b| values[a].total_cmp(&values[b]));
    let mut ranks = vec![0.0; values.len()];
    for (rank, &i) in order.iter().enumerate() {
        ranks[i] = rank as f64;
    }
    ranks
}

/// Spearman's rank correlation: Pearson's correlation of the ranks.
fn spearman(x: &[f64], y: &[f64]) -> f64 {
    let (rx, ry) = (ranks(x), ranks(y));
    let n = rx.len() as f64;
    let mean = (n - 1.0) / 2.0;
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (a, b) in rx.iter().zip(&ry) {
        sxy += (a - mean) * (b - mean);
        sxx += (a - mean) * (a - mean);
        syy += (b - mean) * (b - mean);
    }
    sxy / (sxx * syy).sqrt()
}

/// Standard error of a sample Spearman correlation around `rho` from `n`
/// pairs. Fieller, Hartley and Pearson (1957) found `atanh(r_s)` close to
/// normal with variance `1.06 / (n − 3)`; by the delta method
/// (`d tanh(z)/dz = 1 − tanh²(z)`), `r_s` has standard error
/// `(1 − ρ²)·√(1.06 / (n − 3))`.
fn spearman_standard_error(rho: f64, n: usize) -> f64 {
    (1.0 - rho * rho) * (1.06 / (n as f64 - 3.0)).sqrt()
}

/// Asserts that parsing `text` reports `message` at the last match of
/// `needle` (the tables under test come last).
fn assert_problem_at_last(text: &str, needle: &str, message: &str) {
    let last = text.matches(needle).count() - 1;
    assert_problem_at(text, needle, last, message);
}

#[test]
fn input_names_are_unique_in_every_bundled_scenario() {
    let stems = bundled_stems();
    for stem in &stems {
        let scenario = bundled(stem);
        let mut seen = HashSet::new();
        for input in &scenario.inputs {
            assert!(
                seen.insert(input.name.as_str()),
                "{stem}: `{}` names two inputs",
                input.name
            );
        }
    }
    assert!(stems.len() >= 6);
}

#[test]
fn sample_rank_correlations_match_the_requested_ones_within_4_standard_errors() {
    // A triangular and a normal at 0.7, the triangular and a uniform at
    // −0.4; the normal and the uniform are not given, so 0.
    let text = uncertain(&format!(
        "{}{}",
        pair(VOLUME, EXCHANGE, "0.7"),
        pair(ESCALATION, VOLUME, "-0.4")
    ));
    let scenario = parse(&text);
    // Enough draws to tell the rank correlation asked for from the normal
    // one: drawn at r = 0.7 instead of 2·sin(0.7π/6), the ranks would
    // correlate at (6/π)·asin(0.35) ≈ 0.683, outside 4 standard errors (0.0105).
    let n = 40_000;
    let columns = draws(&scenario, 11, n as u64);
    let column = |name| &columns[index(&scenario, name)];
    for (a, b, rho) in [
        (VOLUME, EXCHANGE, 0.7),
        (VOLUME, ESCALATION, -0.4),
        (EXCHANGE, ESCALATION, 0.0),
    ] {
        let sample = spearman(column(a), column(b));
        let bound = 4.0 * spearman_standard_error(rho, n);
        assert!(
            (sample - rho).abs() <= bound,
            "{a} and {b}: rank correlation {sample}, expected {rho} ± {bound}"
        );
    }
}

#[test]
fn correlated_inputs_keep_their_distributions_quantiles() {
    let scenario = parse(&uncertain(&pair(VOLUME, EXCHANGE, "0.7")));
    let n = 40_000;
    let columns = draws(&scenario, 12, n as u64);
    // Triangular (a, c, b) = (100, 120, 150): below the mode's share
    // (c − a)/(b − a) = 0.4 the quantile is a + √(p(b − a)(c − a)), above it
    // b − √((1 − p)(b − a)(b − c)).
    let volume = [
        (0.1, 100.0 + (0.1f64 * 50.0 * 20.0).sqrt()),
        (0.5, 150.0 - (0.5f64 * 50.0 * 30.0).sqrt()),
        (0.9, 150.0 - (0.1f64 * 50.0 * 30.0).sqrt()),
    ];
    // Normal (1.5, 0.2): 1.5 + 0.2·z_p, z_0.9 = 1.2815515655446004
    // (Abramowitz and Stegun, Table 26.5).
    let z90 = 1.2815515655446004;
    let exchange = [(0.1, 1.5 - 0.2 * z90), (0.5, 1.5), (0.9, 1.5 + 0.2 * z90)];
    for (name, quantiles) in [(VOLUME, volume), (EXCHANGE, exchange)] {
        let values = &columns[index(&scenario, name)];
        for (p, quantile) in quantiles {
            // The count of draws at or below the p-quantile is binomial
            // (n, p): its share has standard error √(p(1 − p)/n).
            let share = values.iter().filter(|&&v| v <= quantile).count() as f64 / n as f64;
            let bound = 4.0 * (p * (1.0 - p) / n as f64).sqrt();
            assert!(
                (share - p).abs() <= bound,
                "{name}: {share} of draws at or below its p{p} {quantile}, expected {p} ± {bound}"
            );
        }
    }
}

#[test]
fn a_rank_correlation_of_1_is_accepted_and_gives_identical_ranks() {
    let scenario = parse(&uncertain(&pair(VOLUME, EXCHANGE, "1")));
    let columns = draws(&scenario, 13, 2000);
    let volume = &columns[index(&scenario, VOLUME)];
    let exchange = &columns[index(&scenario, EXCHANGE)];
    assert_eq!(ranks(volume), ranks(exchange));
    // And −1 reverses them.
    let scenario = parse(&uncertain(&pair(VOLUME, EXCHANGE, "-1")));
    let columns = draws(&scenario, 13, 2000);
    let volume = ranks(&columns[index(&scenario, VOLUME)]);
    let exchange = ranks(&columns[index(&scenario, EXCHANGE)]);
    assert!(volume.iter().zip(&exchange).all(|(a, b)| a + b == 1999.0));
}

#[test]
fn draws_without_correlations_are_each_inputs_own_inversion() {
    // The draw as it was before correlations existed: one uniform per input,
    // in declaration order, through the input's quantile function.
    let scenario = parse(&uncertain(""));
    let mut out = Vec::new();
    for replication in 0..50 {
        draw_inputs(&scenario, 3, replication, &mut out);
        let mut rng = stream(3, replication, StreamKind::Inputs, 0, 0);
        let expected: Vec<u64> = scenario
            .inputs
            .iter()
            .map(|i| i.dist.quantile(open_unit(&mut rng)).to_bits())
            .collect();
        let got: Vec<u64> = out.iter().map(|v| v.to_bits()).collect();
        assert_eq!(got, expected, "replication {replication}");
    }
}

#[test]
fn inputs_outside_every_correlation_draw_as_without_correlations() {
    let plain = parse(&uncertain(""));
    let correlated = parse(&uncertain(&pair(VOLUME, EXCHANGE, "0.7")));
    let (before, after) = (draws(&plain, 4, 500), draws(&correlated, 4, 500));
    for name in [ESCALATION, SET_UP] {
        let bits = |columns: &[Vec<f64>], scenario| -> Vec<u64> {
            columns[index(scenario, name)]
                .iter()
                .map(|v| v.to_bits())
                .collect()
        };
        assert_eq!(bits(&before, &plain), bits(&after, &correlated), "{name}");
    }
    // The correlated ones did change.
    let exchange = index(&plain, EXCHANGE);
    assert_ne!(before[exchange], after[exchange]);
}

#[test]
fn correlated_runs_are_bit_identical_at_1_and_4_threads() {
    let scenario = parse(&uncertain(&format!(
        "{}{}",
        pair(VOLUME, EXCHANGE, "0.7"),
        pair(SET_UP, ESCALATION, "-0.5")
    )));
    let plan = RunPlan {
        replications: 300,
        seed: 8,
    };
    let run_with = |threads| {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        let mut bits: Vec<Option<u64>> = Vec::new();
        pool.install(|| {
            run::<RunError>(&scenario, plan, &RunControl::default(), |m| {
                let values = m.strategies.iter().flat_map(MetricValues::values);
                bits.extend(values.map(|v| v.map(f64::to_bits)));
                Ok(())
            })
        })
        .unwrap();
        bits
    };
    assert_eq!(run_with(1), run_with(4));
}

#[test]
fn contradictory_correlations_are_rejected_at_the_first_table() {
    // The volume moves with the exchange rate and with escalation, which
    // move against each other: no joint distribution does all three.
    let text = uncertain(&format!(
        "{}{}{}",
        pair(VOLUME, EXCHANGE, "0.9"),
        pair(VOLUME, ESCALATION, "0.9"),
        pair(EXCHANGE, ESCALATION, "-0.9"),
    ));
    assert_problem_at(&text, "[[correlation]]", 0, "cannot hold together");
    assert_problem_at(
        &text,
        "[[correlation]]",
        0,
        "expected a positive semi-definite matrix",
    );
    // With r = 2·sin(0.15π) ≈ 0.908 for the first two, the determinant
    // 1 + 2·r²·r₃ − 2·r² − r₃² is at least 0 only for r₃ ≥ 0.649, a rank
    // correlation of about 0.63: at 0.8 the three hold together.
    parse(&uncertain(&format!(
        "{}{}{}",
        pair(VOLUME, EXCHANGE, "0.9"),
        pair(VOLUME, ESCALATION, "0.9"),
        pair(EXCHANGE, ESCALATION, "0.8"),
    )));
}

#[test]
fn an_unknown_input_is_reported_with_the_closest_names() {
    let misspelt = "agency.agency_a.service_line.claims.anual_volume";
    let text = uncertain(&pair(misspelt, EXCHANGE, "0.5"));
    let quoted = format!("\"{misspelt}\"");
    assert_problem_at(&text, &quoted, 0, &format!("unknown input `{misspelt}`"));
    assert_problem_at(&text, &quoted, 0, &format!("the closest here: `{VOLUME}`"));
    assert_problem_at(&text, &quoted, 0, "`location.ID.KEY`");
}

#[test]
fn a_fixed_input_cannot_be_correlated() {
    let text = uncertain(&pair(VOLUME, "settings.discount_rate_per_year", "0.5"));
    assert_problem_at(
        &text,
        "\"settings.discount_rate_per_year\"",
        0,
        "`settings.discount_rate_per_year` is a fixed number: only uncertain inputs can be correlated",
    );
    // Left out, it takes its fixed default.
    let text = uncertain(&pair(
        VOLUME,
        "location.offshore.exchange_rate_factor",
        "0.5",
    ));
    assert_problem_at(
        &text,
        "\"location.offshore.exchange_rate_factor\"",
        0,
        "takes its fixed default: only uncertain inputs can be correlated",
    );
}

#[test]
fn an_input_paired_with_itself_is_rejected() {
    let text = uncertain(&pair(VOLUME, VOLUME, "0.5"));
    assert_problem_at(
        &text,
        &format!("\"{VOLUME}\""),
        1,
        &format!("`{VOLUME}` is listed twice; expected two different inputs"),
    );
}

#[test]
fn a_pair_given_twice_is_rejected_at_the_second() {
    // In either order.
    let text = uncertain(&format!(
        "{}{}",
        pair(VOLUME, EXCHANGE, "0.5"),
        pair(EXCHANGE, VOLUME, "0.5")
    ));
    assert_problem_at_last(
        &text,
        "[\"",
        "is already correlated by an earlier [[correlation]]; expected each pair given once",
    );
}

#[test]
fn a_rank_correlation_beyond_1_or_not_a_number_is_rejected() {
    for value in ["1.5", "-1.01", "nan", "inf"] {
        let text = uncertain(&pair(VOLUME, EXCHANGE, value));
        assert_problem_at_last(
            &text,
            value,
            "expected a rank (Spearman) correlation from -1 to 1",
        );
    }
}

#[test]
fn a_table_with_other_than_two_inputs_is_rejected() {
    let one = format!("[[correlation]]\ninputs = [\"{VOLUME}\"]\nrank_correlation = 0.5\n");
    assert_problem_at_last(
        &uncertain(&one),
        "[\"",
        "[[correlation]] lists 1 input; expected two input names",
    );
    let three = format!(
        "[[correlation]]\ninputs = [\"{VOLUME}\", \"{EXCHANGE}\", \"{SET_UP}\"]\nrank_correlation = 0.5\n"
    );
    assert_problem_at_last(
        &uncertain(&three),
        "[\"",
        "[[correlation]] lists 3 inputs; expected two input names",
    );
}
