//! Properties the model must have whatever the numbers: checked with
//! proptest on generated scenarios (a modest number of cases, so the suite
//! stays fast; a failure prints the smallest case it found).

use proptest::prelude::*;
use sscsim::sim::cost::npv_parts;

use crate::util::{parse, replicate, strategy};

/// Two or three agencies with work in one line and every mechanism switched
/// on (the harmonisation penalty and volume correlation as given), each
/// agency solo or all pooled in one centre. Volumes are per agency.
fn scenario(
    volumes: &[f64],
    dispersions: &[f64],
    target_days: u32,
    target_share: f64,
    harmonisation_penalty: f64,
    correlation: f64,
) -> String {
    let mut text = format!(
        r#"
[scenario]
name = "Properties"
[settings]
horizon_years = 2
working_days_per_year = 250
discount_rate_per_year = 0.03
replications = 1
seed = 3
working_minutes_per_day = 480
availability_share = 0.75
[[service_line]]
id = "ap"
effort_minutes_per_transaction = 30
service_level_target_days = {target_days}
service_level_target_share = {target_share}
[[location]]
id = "city"
annual_cost_usd_per_fte = {{ GS = 50000, P = 100000, D = 150000 }}
site_setup_cost_usd = 100000
site_fixed_cost_usd_per_year = 20000
[mechanisms.fixed_overhead]
[mechanisms.variance_pooling]
volume_correlation = {correlation}
[mechanisms.learning_and_scale]
[mechanisms.span_of_control]
integer_staffing = true
[mechanisms.harmonisation]
rules_penalty_ceiling = {harmonisation_penalty}
platform_penalty_ceiling = 0
adoption_share = 0
"#
    );
    let ids: Vec<String> = (0..volumes.len()).map(|i| format!("a{i}")).collect();
    for ((id, volume), dispersion) in ids.iter().zip(volumes).zip(dispersions) {
        text.push_str(&format!(
            "[[agency]]\nid = \"{id}\"\nhq_location = \"city\"\n[agency.service_line.ap]\n\
             annual_volume = {volume}\narrivals = {{ process = \"negative_binomial\", dispersion = {dispersion} }}\n\
             hq_staff_fte = {{ GS = 10 }}\n"
        ));
    }
    text.push_str("[[strategy]]\nid = \"solo\"\n");
    for id in &ids {
        text.push_str(&format!(
            "[[strategy.centre]]\nid = \"{id}_centre\"\nlocation = \"city\"\nagencies = [\"{id}\"]\n\
             service_lines = [\"ap\"]\ngrade_mix = {{ GS = 1 }}\n"
        ));
    }
    let all: Vec<String> = ids.iter().map(|id| format!("\"{id}\"")).collect();
    text.push_str(&format!(
        "[[strategy]]\nid = \"pooled\"\n[[strategy.centre]]\nid = \"joint\"\nlocation = \"city\"\n\
         agencies = [{}]\nservice_lines = [\"ap\"]\ngrade_mix = {{ GS = 1 }}\n",
        all.join(", ")
    ));
    text
}

/// Each strategy's planned cost (NPV) and processing FTE in year 1 of one
/// replication. Plans use the drawn inputs, not the arrivals, so they are
/// what the properties are about.
fn planned(text: &str) -> Vec<(f64, f64)> {
    let scenario = parse(text);
    let outcome = replicate(&scenario, 9, 0);
    ["status_quo", "solo", "pooled"]
        .iter()
        .map(|id| {
            let s = &outcome.strategies[strategy(&scenario, id)];
            (
                npv_parts(outcome.discount_rate_per_year, &s.years).total_usd,
                s.years[1].processing_fte,
            )
        })
        .collect()
}

fn volumes() -> impl Strategy<Value = Vec<f64>> {
    prop::collection::vec(1_000.0..200_000.0f64, 2..=3)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn more_volume_never_lowers_planned_cost(
        volumes in volumes(),
        growth in 1.0..3.0f64,
        dispersion in 2.0..200.0f64,
    ) {
        let dispersions = vec![dispersion; volumes.len()];
        let more: Vec<f64> = volumes.iter().map(|v| v * growth).collect();
        let base = planned(&scenario(&volumes, &dispersions, 3, 0.95, 0.1, 0.3));
        let grown = planned(&scenario(&more, &dispersions, 3, 0.95, 0.1, 0.3));
        for ((cost, _), (more_cost, _)) in base.iter().zip(&grown) {
            prop_assert!(more_cost >= cost, "{more_cost} < {cost}");
        }
    }

    #[test]
    fn a_higher_service_target_never_lowers_planned_staff(
        volumes in volumes(),
        share in 0.5..0.99f64,
        raise in 0.0..0.009f64,
        days in 0u32..10,
        fewer_days in 0u32..3,
    ) {
        let dispersions = vec![20.0; volumes.len()];
        let looser = planned(&scenario(&volumes, &dispersions, days + fewer_days, share, 0.1, 0.3));
        let stricter = planned(&scenario(&volumes, &dispersions, days, share + raise, 0.1, 0.3));
        for ((_, fte), (_, stricter_fte)) in looser.iter().zip(&stricter) {
            prop_assert!(stricter_fte >= fte, "{stricter_fte} < {fte}");
        }
    }

    #[test]
    fn without_harmonisation_or_correlation_pooling_needs_no_more_processing_staff(
        volumes in volumes(),
        dispersions in prop::collection::vec(2.0..200.0f64, 3),
        share in 0.5..0.99f64,
        days in 0u32..10,
    ) {
        let plans = planned(&scenario(&volumes, &dispersions[..volumes.len()], days, share, 0.0, 0.0));
        let (solo, pooled) = (plans[1].1, plans[2].1);
        prop_assert!(pooled <= solo + 1e-9, "pooled {pooled} > solo {solo}");
    }
}
