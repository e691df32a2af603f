//! The model's arithmetic end to end, against values computed by hand or by formula.

use indicatif::ProgressBar;
use sscsim::metrics::{Metric, MetricError};
use sscsim::run::{ReplicationMetrics, RunPlan, run};

use crate::util::{fixture_text, parse, replicate, strategy};

fn metrics(text: &str, replications: u64) -> (sscsim::model::Scenario, Vec<ReplicationMetrics>) {
    let scenario = parse(text);
    let mut rows = Vec::new();
    run::<MetricError>(
        &scenario,
        RunPlan {
            replications,
            seed: 11,
        },
        &ProgressBar::hidden(),
        |m| {
            rows.push(m);
            Ok(())
        },
    )
    .unwrap();
    (scenario, rows)
}

fn assert_close(actual: f64, expected: f64, what: &str) {
    assert!(
        (actual - expected).abs() <= 1e-9 * expected.abs().max(1.0),
        "{what}: got {actual}, expected {expected}"
    );
}

/// tests/fixtures/hand-computed.toml, worked by hand:
/// year 0: 120 transactions, 10 a working day (12 days); 10 minutes each and
/// 100 productive minutes per FTE-day → 1 FTE with no buffer (no variance).
/// Year 1: volume × 1.5 = 180, 15 a day → 1.5 FTE.
#[test]
fn deterministic_scenario_npv_matches_hand_computation() {
    let (scenario, rows) = metrics(&fixture_text("hand-computed.toml"), 3);
    let sq = strategy(&scenario, "status_quo");
    let off = strategy(&scenario, "offshore");

    // Status quo: all GS at HQ, 1000 USD × 1.1^year escalation × 1.5 exchange
    // rate, plus 50 USD premises per FTE.
    let sq_year0 = 1.0 * 1000.0 * 1.5 + 1.0 * 50.0;
    let sq_year1 = 1.5 * 1000.0 * 1.1 * 1.5 + 1.5 * 50.0;
    let sq_npv = sq_year0 / 1.1 + sq_year1 / 1.1f64.powi(2);
    // Offshore: half GS at 400, half P at 800, centre fixed 10 and site fixed
    // 20 a year, site set-up 300 at the start.
    let off_year0 = 0.5 * 400.0 + 0.5 * 800.0 + 10.0 + 20.0;
    let off_year1 = 0.75 * 400.0 + 0.75 * 800.0 + 10.0 + 20.0;
    let off_npv = 300.0 + off_year0 / 1.1 + off_year1 / 1.1f64.powi(2);

    for row in &rows {
        let (s, o) = (&row.strategies[sq], &row.strategies[off]);
        assert_close(s[Metric::NpvCostUsd.index()], sq_npv, "status quo NPV");
        assert_close(o[Metric::NpvCostUsd.index()], off_npv, "offshore NPV");
        assert_close(
            o[Metric::NpvSavingsUsd.index()],
            sq_npv - off_npv,
            "savings",
        );
        assert_eq!(o[Metric::CheaperThanStatusQuo.index()], 1.0);
        assert_close(o[Metric::SetupCostUsd.index()], 300.0, "setup");
        assert_close(
            o[Metric::FixedCostNpvUsd.index()],
            30.0 / 1.1 + 30.0 / 1.21,
            "fixed NPV",
        );
        assert_close(
            s[Metric::PremisesCostNpvUsd.index()],
            50.0 / 1.1 + 75.0 / 1.21,
            "premises NPV",
        );
        assert_close(o[Metric::Transactions.index()], 300.0, "transactions");
        assert_close(
            s[Metric::CostPerTransactionUsd.index()],
            (sq_year0 + sq_year1) / 300.0,
            "SQ cost per transaction",
        );
        assert_close(
            o[Metric::CostPerTransactionUsd.index()],
            (300.0 + off_year0 + off_year1) / 300.0,
            "cost per transaction",
        );
        assert_close(s[Metric::FteGs.index()], 1.25, "SQ GS");
        assert_close(o[Metric::FteGs.index()], 0.625, "offshore GS");
        assert_close(o[Metric::FteP.index()], 0.625, "offshore P");
        assert_close(o[Metric::FteTotal.index()], 1.25, "offshore total FTE");
        assert_eq!(o[Metric::ServiceLevel.index()], 1.0);
    }
}

/// Capacity 8 a day against 10 arrivals a day, same-day target, oldest first:
/// on-time completions are 8, 6, 4, 2 on days 0-3 and nothing after (overdue
/// work takes all capacity). Over 24 days: 240 arrive, 192 are completed,
/// 10 (the last day's) are pending and not yet late, 38 are overdue.
#[test]
fn service_level_is_measured_from_the_aged_backlog() {
    let text = fixture_text("hand-computed.toml")
        .replace(
            "volume_growth_rate_per_year = 0.5",
            "volume_growth_rate_per_year = 0",
        )
        .replace(
            "grade_mix = { GS = 0.5, P = 0.5 }",
            "fixed_staff_fte = { claims = { GS = 0.8 } }",
        );
    let (scenario, rows) = metrics(&text, 1);
    let o = &rows[0].strategies[strategy(&scenario, "offshore")];
    assert_close(
        o[Metric::ServiceLevel.index()],
        20.0 / (192.0 + 38.0),
        "service level",
    );
    assert_close(o[Metric::FteGs.index()], 0.8, "fixed staff");
}

#[test]
fn current_status_quo_staffing_keeps_todays_hq_staff() {
    let text = fixture_text("hand-computed.toml")
        .replace(
            "availability_share = 1.0",
            "availability_share = 1.0\nstatus_quo_staffing = \"current\"",
        )
        .replace("hq_staff_fte = { GS = 1 }", "hq_staff_fte = { GS = 3 }");
    let (scenario, rows) = metrics(&text, 1);
    let s = &rows[0].strategies[strategy(&scenario, "status_quo")];
    assert_close(s[Metric::FteGs.index()], 3.0, "status quo staff");
    // 3 FTE at 1000 × 1.5 plus 150 premises; year 1 escalated by 1.1.
    let npv = (4500.0 + 150.0) / 1.1 + (4950.0 + 150.0) / 1.21;
    assert_close(s[Metric::NpvCostUsd.index()], npv, "status quo NPV");
}

/// Two identical agencies, each with its own line of the given arrival process.
fn twin_agencies(arrivals: &str) -> String {
    let mut text = String::from(
        r#"
[scenario]
name = "Twins"
[settings]
horizon_years = 1
working_days_per_year = 250
discount_rate_per_year = 0.0
replications = 1
seed = 5
working_minutes_per_day = 480
availability_share = 0.75
[[service_line]]
id = "ap"
effort_minutes_per_transaction = 30
service_level_target_days = 3
service_level_target_share = 0.95
[[location]]
id = "city"
annual_cost_usd_per_fte = { GS = 50000 }
"#,
    );
    for id in ["a", "b"] {
        text.push_str(&format!(
            "[[agency]]\nid = \"{id}\"\nhq_location = \"city\"\n[agency.service_line.ap]\n\
             annual_volume = 25000\narrivals = {arrivals}\nhq_staff_fte = {{ GS = 10 }}\n"
        ));
    }
    text.push_str(
        r#"
[[strategy]]
id = "solo"
[[strategy.centre]]
id = "a_centre"
location = "city"
agencies = ["a"]
service_lines = ["ap"]
grade_mix = { GS = 1 }
[[strategy.centre]]
id = "b_centre"
location = "city"
agencies = ["b"]
service_lines = ["ap"]
grade_mix = { GS = 1 }
[[strategy]]
id = "pooled"
[[strategy.centre]]
id = "joint"
location = "city"
agencies = ["a", "b"]
service_lines = ["ap"]
grade_mix = { GS = 1 }
"#,
    );
    text
}

fn planned_fte(text: &str) -> (f64, f64) {
    let scenario = parse(text);
    let outcome = replicate(&scenario, 1, 0);
    let fte = |id| {
        outcome.strategies[strategy(&scenario, id)].years[0]
            .fte
            .total()
    };
    (fte("solo"), fte("pooled"))
}

/// Poisson demand of μ = 100 a day per agency; 95% within 3 days → window of
/// 4 days, z = 1.6448536. One team needs μ + z·√μ/2 a day, a pooled team
/// 2μ + z·√(2μ)/2; at 30 minutes and 360 productive minutes per FTE-day,
/// FTE = capacity / 12.
#[test]
fn pooling_independent_agencies_needs_strictly_fewer_fte_by_the_square_root_rule() {
    let (solo, pooled) = planned_fte(&twin_agencies("\"poisson\""));
    let z = 1.644_853_626_951_472_2;
    let mu: f64 = 25_000.0 / 250.0;
    let expected_solo = 2.0 * (mu + z * mu.sqrt() / 2.0) / 12.0;
    let expected_pooled = (2.0 * mu + z * (2.0 * mu).sqrt() / 2.0) / 12.0;
    assert_close(solo, expected_solo, "solo FTE");
    assert_close(pooled, expected_pooled, "pooled FTE");
    assert!(pooled < solo);
}

#[test]
fn pooling_demand_without_variance_saves_no_fte() {
    let (solo, pooled) = planned_fte(&twin_agencies("\"deterministic\""));
    assert_close(solo, 2.0 * 100.0 / 12.0, "solo FTE");
    assert!(pooled >= solo - 1e-12, "pooled {pooled} < solo {solo}");
}

#[test]
fn co_located_centres_share_one_site() {
    let text = twin_agencies("\"deterministic\"")
        .replace(
            "annual_cost_usd_per_fte = { GS = 50000 }",
            "annual_cost_usd_per_fte = { GS = 50000 }\nsite_setup_cost_usd = 1000\nsite_fixed_cost_usd_per_year = 70",
        )
        .replace("id = \"b_centre\"", "id = \"b_centre\"\nsite = \"shared\"")
        .replace("id = \"a_centre\"", "id = \"a_centre\"\nsite = \"shared\"");
    let scenario = parse(&text);
    let outcome = replicate(&scenario, 1, 0);
    let solo = &outcome.strategies[strategy(&scenario, "solo")];
    // Both centres are on site "shared": one set-up and one yearly site cost.
    assert_eq!(solo.setup_cost_usd, 1000.0);
    assert_eq!(solo.years[0].fixed_cost_usd, 70.0);
}
