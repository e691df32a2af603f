//! The model's arithmetic end to end, against values computed by hand or by formula.

use sscsim::metrics::Metric;
use sscsim::run::{ReplicationMetrics, RunControl, RunError, RunPlan, run};

use crate::util::{
    assert_close, capacity_by_bisection, fixture_text, parse, replicate, strategy, twins,
};

/// Every replication's metrics of the scenario `text`.
pub fn metrics(
    text: &str,
    replications: u64,
) -> (sscsim::model::Scenario, Vec<ReplicationMetrics>) {
    let scenario = parse(text);
    let mut rows = Vec::new();
    run::<RunError>(
        &scenario,
        RunPlan {
            replications,
            seed: 11,
        },
        &RunControl::default(),
        |m| {
            rows.push(m);
            Ok(())
        },
    )
    .unwrap();
    (scenario, rows)
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
        assert_close(s[Metric::NpvCostUsd].unwrap(), sq_npv, "status quo NPV");
        assert_close(o[Metric::NpvCostUsd].unwrap(), off_npv, "offshore NPV");
        assert_close(
            o[Metric::NpvSavingsUsd].unwrap(),
            sq_npv - off_npv,
            "savings",
        );
        assert_eq!(o[Metric::CheaperThanStatusQuo].unwrap(), 1.0);
        assert_close(o[Metric::SetupCostUsd].unwrap(), 300.0, "setup");
        assert_close(
            o[Metric::FixedCostNpvUsd].unwrap(),
            30.0 / 1.1 + 30.0 / 1.21,
            "fixed NPV",
        );
        assert_close(
            s[Metric::PremisesCostNpvUsd].unwrap(),
            50.0 / 1.1 + 75.0 / 1.21,
            "premises NPV",
        );
        assert_close(o[Metric::Transactions].unwrap(), 300.0, "transactions");
        assert_close(
            s[Metric::CostPerTransactionUsd].unwrap(),
            (sq_year0 + sq_year1) / 300.0,
            "SQ cost per transaction",
        );
        assert_close(
            o[Metric::CostPerTransactionUsd].unwrap(),
            (300.0 + off_year0 + off_year1) / 300.0,
            "cost per transaction",
        );
        assert_close(s[Metric::FteGs].unwrap(), 1.25, "SQ GS");
        assert_close(o[Metric::FteGs].unwrap(), 0.625, "offshore GS");
        assert_close(o[Metric::FteP].unwrap(), 0.625, "offshore P");
        assert_close(o[Metric::FteTotal].unwrap(), 1.25, "offshore total FTE");
        assert_eq!(o[Metric::ServiceLevel].unwrap(), 1.0);
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
        o[Metric::ServiceLevel].unwrap(),
        20.0 / (192.0 + 38.0),
        "service level",
    );
    assert_close(o[Metric::FteGs].unwrap(), 0.8, "fixed staff");
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
    assert_close(s[Metric::FteGs].unwrap(), 3.0, "status quo staff");
    // 3 FTE at 1000 × 1.5 plus 150 premises; year 1 escalated by 1.1.
    let npv = (4500.0 + 150.0) / 1.1 + (4950.0 + 150.0) / 1.21;
    assert_close(s[Metric::NpvCostUsd].unwrap(), npv, "status quo NPV");
}

/// The twins of `util::twins` over one year.
fn twin_agencies(arrivals: &str) -> String {
    twins(arrivals, "").replace("horizon_years = 2", "horizon_years = 1")
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

/// Poisson demand of μ = 100 a day per agency (σ² = 100); 95% within 3 days.
/// Two solo teams each carry a buffer above their mean; the pooled team, with
/// μ = σ² = 200, carries one. At 30 minutes a transaction and 360 productive
/// minutes per FTE-day, FTE = capacity / 12.
#[test]
fn pooling_independent_agencies_needs_strictly_fewer_fte() {
    let (solo, pooled) = planned_fte(&twin_agencies("\"poisson\""));
    let expected_solo = 2.0 * capacity_by_bisection(100.0, 100.0, 3.0, 0.95) / 12.0;
    let expected_pooled = capacity_by_bisection(200.0, 200.0, 3.0, 0.95) / 12.0;
    assert!(
        (solo - expected_solo).abs() < 1e-9,
        "solo FTE {solo}, expected {expected_solo}"
    );
    assert!(
        (pooled - expected_pooled).abs() < 1e-9,
        "pooled FTE {pooled}, expected {expected_pooled}"
    );
    assert!(pooled < solo, "pooled {pooled} is not below solo {solo}");
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
            "annual_cost_usd_per_fte = { GS = 50000, P = 100000, D = 150000 }",
            "annual_cost_usd_per_fte = { GS = 50000, P = 100000, D = 150000 }\nsite_setup_cost_usd = 1000\nsite_fixed_cost_usd_per_year = 70",
        )
        .replace("id = \"b_centre\"", "id = \"b_centre\"\nsite = \"shared\"")
        .replace("id = \"a_centre\"", "id = \"a_centre\"\nsite = \"shared\"");
    let scenario = parse(&text);
    let outcome = replicate(&scenario, 1, 0);
    let solo = &outcome.strategies[strategy(&scenario, "solo")];
    // Both centres are on site "shared": one set-up and one yearly site cost.
    assert_eq!(solo.years[0].setup_cost_usd, 1000.0);
    assert_eq!(solo.years[0].fixed_cost_usd, 70.0);
}

/// The economies-of-scale curve in the last year. Deterministic twins of
/// 25 000 transactions a year: 8⅓ GS of 50 000 each per agency; a
/// director (150 000) per centre with fixed overhead on; each centre's site
/// costs 70 a year, split equally between co-located centres. Solo: each
/// centre 416 666.67 + 150 000 + 70 for 25 000 transactions; pooled: one
/// centre 833 333.33 + 150 000 + 70 for 50 000; co-located: as solo, but
/// each pays 35 of the shared site.
#[test]
fn centres_report_their_last_year_running_cost_per_transaction() {
    let sites = "annual_cost_usd_per_fte = { GS = 50000, P = 100000, D = 150000 }\nsite_setup_cost_usd = 1000\nsite_fixed_cost_usd_per_year = 70";
    let mut text = twins(
        "\"deterministic\"",
        "[mechanisms.fixed_overhead]\ncentre_staff_fte = { D = 1 }\n",
    )
    .replace(
        "annual_cost_usd_per_fte = { GS = 50000, P = 100000, D = 150000 }",
        sites,
    );
    text.push_str(
        "[[strategy]]\nid = \"co\"\n\
         [[strategy.centre]]\nid = \"a_co\"\nlocation = \"city\"\nsite = \"shared\"\nagencies = [\"a\"]\nservice_lines = [\"ap\"]\ngrade_mix = { GS = 1 }\n\
         [[strategy.centre]]\nid = \"b_co\"\nlocation = \"city\"\nsite = \"shared\"\nagencies = [\"b\"]\nservice_lines = [\"ap\"]\ngrade_mix = { GS = 1 }\n",
    );
    let scenario = parse(&text);
    let outcome = replicate(&scenario, 1, 0);
    let centres = |id| &outcome.strategies[strategy(&scenario, id)].centres;
    let staff = 25_000.0 * 30.0 / (360.0 * 250.0) * 50_000.0;
    for c in centres("solo") {
        assert_close(c.transactions, 25_000.0, "solo transactions");
        assert_close(c.running_cost_usd, staff + 150_000.0 + 70.0, "solo cost");
        assert_close(c.fte, 100.0 * 30.0 / 360.0 + 1.0, "solo FTE");
    }
    let pooled = &centres("pooled")[0];
    assert_close(pooled.transactions, 50_000.0, "pooled transactions");
    assert_close(
        pooled.running_cost_usd,
        2.0 * staff + 150_000.0 + 70.0,
        "pooled cost",
    );
    for c in centres("co") {
        assert_close(
            c.running_cost_usd,
            staff + 150_000.0 + 35.0,
            "co-located cost",
        );
    }
}

/// The planning rule is an approximation; the queue measures what a plan
/// delivers. Over 100 years of 250 days in each of 12 replications, a team
/// planned for 95% within 2 days (Poisson) or 90% within 5 days (bursty
/// negative binomial) must deliver at least its target: the mean on-time
/// share across replications may fall short by no more than 3 standard
/// errors of that mean.
#[test]
fn planned_teams_deliver_their_service_level_in_the_simulated_queue() {
    for (arrivals, days, share) in [
        ("\"poisson\"", 2, 0.95),
        (
            "{ process = \"negative_binomial\", dispersion = 10 }",
            5,
            0.90,
        ),
    ] {
        let text = twin_agencies(arrivals)
            .replace("horizon_years = 1", "horizon_years = 100")
            .replace(
                "service_level_target_days = 3",
                &format!("service_level_target_days = {days}"),
            )
            .replace(
                "service_level_target_share = 0.95",
                &format!("service_level_target_share = {share}"),
            );
        let (scenario, rows) = metrics(&text, 12);
        let solo = strategy(&scenario, "solo");
        let levels: Vec<f64> = rows
            .iter()
            .map(|r| r.strategies[solo][Metric::ServiceLevel].unwrap())
            .collect();
        let summary = sscsim::stats::Summary::of(&levels).unwrap();
        assert!(
            summary.mean >= share - 3.0 * summary.se,
            "{arrivals}: on-time share {} (se {}) below the target {share}",
            summary.mean,
            summary.se
        );
    }
}

/// Insourcing: agency `b` (headquarters `home`) either opens its own centre
/// in `city` — a director at 150 000, a site at 1 000 to set up and 100 a
/// year — or has its team run in `a`'s existing centre there, which carries
/// no site or management costs of its own but charges 10% of the team's
/// staff cost (8⅓ GS at 50 000). `a`'s own work, already in `city`, costs
/// the same in both.
#[test]
fn insourcing_saves_the_set_up_and_management_and_pays_the_charge() {
    let text = twins("\"deterministic\"", "[mechanisms.fixed_overhead]\ncentre_staff_fte = { D = 1 }\n")
        .replace(
            "annual_cost_usd_per_fte = { GS = 50000, P = 100000, D = 150000 }",
            "annual_cost_usd_per_fte = { GS = 50000, P = 100000, D = 150000 }\nsite_setup_cost_usd = 1000\nsite_fixed_cost_usd_per_year = 100\n\n\
             [[location]]\nid = \"home\"\nannual_cost_usd_per_fte = { GS = 90000 }",
        );
    // Agency b lives in `home`; strategies: `solo` has a's existing centre and
    // b's own; `pooled` becomes the insourcing arrangement.
    let text = text.replace(
        "id = \"b\"\nhq_location = \"city\"",
        "id = \"b\"\nhq_location = \"home\"",
    );
    let text = text.replace(
        "id = \"a_centre\"\nlocation = \"city\"\nagencies = [\"a\"]",
        "id = \"a_centre\"\nlocation = \"city\"\nexisting = true\nagencies = [\"a\"]",
    );
    let own_and_insource = text.replace(
        "[[strategy]]\nid = \"pooled\"\n[[strategy.centre]]\nid = \"joint\"\nlocation = \"city\"\nagencies = [\"a\", \"b\"]\nservice_lines = [\"ap\"]\ngrade_mix = { GS = 1 }",
        "[[strategy]]\nid = \"insource\"\n[[strategy.centre]]\nid = \"a_existing\"\nlocation = \"city\"\nsite = \"a_site\"\nexisting = true\nagencies = [\"a\"]\nservice_lines = [\"ap\"]\ngrade_mix = { GS = 1 }\n\
         [[strategy.centre]]\nid = \"b_service\"\nlocation = \"city\"\nsite = \"a_site\"\nexisting = true\nagencies = [\"b\"]\nservice_lines = [\"ap\"]\ngrade_mix = { GS = 1 }\nservice_charge_share = 0.1",
    );
    let scenario = parse(&own_and_insource);
    let outcome = replicate(&scenario, 1, 0);
    let total = |id: &str| {
        let s = &outcome.strategies[strategy(&scenario, id)];
        sscsim::sim::cost::npv_parts(0.0, &s.years).total_usd
    };
    let team_cost_per_year = 100.0 * 30.0 / 360.0 * 50_000.0;
    let expected = 2.0 * (150_000.0 + 100.0) + 1000.0 - 2.0 * 0.1 * team_cost_per_year;
    assert_close(
        total("solo") - total("insource"),
        expected,
        "own centre minus insourcing",
    );
}
