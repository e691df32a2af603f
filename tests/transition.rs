//! The move, worked by hand on tests/fixtures/hand-computed.toml with one
//! working day a month: the big bang goes live in month 6, staff arrive 3
//! months earlier, headquarters keeps working 2 months longer.

use sscsim::metrics::{Metric, MetricValues, Subject, YearMetric, strategy_metrics};
use sscsim::model::{OneOff, Scenario};

use crate::util::{assert_close, bundled, bundled_stems, fixture_text, parse, replicate, strategy};

/// The hand-computed fixture moved in a big bang at month 6, without
/// optimism bias and without staff moving with the work.
fn migrating(disruption_probability: f64) -> String {
    migrating_with(disruption_probability, 0.0, 0.0)
}

/// The hand-computed fixture moved in a big bang at month 6, with an
/// optimism-bias uplift on costs and durations and a share of staff moving.
fn migrating_with(
    disruption_probability: f64,
    optimism_bias: f64,
    staff_transfer_share: f64,
) -> String {
    fixture_text("hand-computed.toml")
        + &format!(
            r#"
[strategy.migration]
approach = "big_bang"
go_live_month = 6

[transition]
onboarding_months = 3
overlap_months = 2
termination_indemnity_months = 8
separation_indemnity_multiple = 1.5
separation_incentive_share = 0.5
training_grant_months = 3
salary_share_of_standard_cost = 0.5
voluntary_separation_share = 0.75
redeployment_cost_usd_per_post = 1000
cost_per_hire_usd = 100
offer_decline_rate = 0
time_to_fill_months = 0
training_usd_per_hire = 20
travel_usd_per_hire = 30
project_team_usd_per_month = 10
project_tail_months = 0
disruption_probability = {disruption_probability}
disruption_capacity_loss = 0.5
disruption_months = 1
clearing_months = 1
temporary_staff_cost_premium = 1.3
optimism_bias_cost_uplift = {optimism_bias}
optimism_bias_duration_uplift = {optimism_bias}
staff_transfer_share = {staff_transfer_share}
relocation_cost_usd_per_person = 400
"#
        )
}

/// Year 0 of the offshore strategy:
/// - its team (1 FTE, half GS at 400, half P at 800) is paid from month 3:
///   0.75 × 600 = 450; centre costs 10 and site costs 20 a year from month 3;
///   site set-up 300;
/// - headquarters (1 GS at 1 000 × 1.5, premises 50) runs to month 6:
///   750 + 25, then double-runs to month 8: 1 550 × 2/12 (transition);
/// - its post is abolished in month 8: salary 1 500/12 × 0.5 = 62.5 a
///   month; package 8 × 1.5 × 1.5 + 3 = 21 months; 75% take it:
///   984.375; 25% are redeployed at 1 000: 250;
/// - one hire: 100 + 20 + 30 = 150; project team 6 months × 10 = 60.
///
/// Year 1: the team needs 1.5 FTE: staff 900, fixed 30, half a hire: 75.
#[test]
fn a_big_bang_costs_what_the_terms_say() {
    let scenario = parse(&migrating(0.0));
    let outcome = replicate(&scenario, 1, 0);
    let offshore = &outcome.strategies[strategy(&scenario, "offshore")];
    let [y0, y1] = [&offshore.years[0], &offshore.years[1]];
    assert_close(y0.staff_cost_usd, 450.0 + 750.0, "staff, year 0");
    assert_close(y0.premises_cost_usd, 25.0, "premises, year 0");
    assert_close(y0.fixed_cost_usd, 0.75 * (10.0 + 20.0), "fixed, year 0");
    assert_close(y0.setup_cost_usd, 300.0, "set-up");
    let separation = 984.375 + 250.0;
    assert_close(
        y0.transition_cost_usd(),
        1550.0 * 2.0 / 12.0 + separation + 150.0 + 60.0,
        "transition, year 0",
    );
    assert_close(y1.staff_cost_usd, 900.0, "staff, year 1");
    assert_close(y1.fixed_cost_usd, 30.0, "fixed, year 1");
    assert_close(y1.transition_cost_usd(), 75.0, "transition, year 1");

    let status_quo = &outcome.strategies[0];
    let subject = Subject {
        strategy_id: "offshore",
        replication: 0,
        is_status_quo: false,
    };
    let m = strategy_metrics(0.1, subject, offshore, status_quo, None).unwrap();
    let transition_total = 300.0 + 1550.0 * 2.0 / 12.0 + separation + 150.0 + 60.0 + 75.0;
    assert_close(
        m[Metric::TransitionCostUsd].unwrap(),
        transition_total,
        "transition cost",
    );
    assert_close(m[Metric::BadGoLives].unwrap(), 0.0, "bad go-lives");
    // FTE: the team 0.75 in year 0 and 1.5 in year 1; headquarters 8/12 in year 0.
    assert_close(
        m[Metric::FteTotal].unwrap(),
        (0.75 + 8.0 / 12.0 + 1.5) / 2.0,
        "average FTE",
    );
}

/// Savings against the status quo (1 550, then 2 550 a year): year 0 costs
/// 450 + 750 + 25 + 22.5 + 300 + 1 702.708… = 3 250.208…, year 1
/// 900 + 30 + 75 = 1 005. Cumulative savings: −300 at the start (set-up),
/// −1 700.208… after year 0, −155.208… after year 1: no payback in two years.
#[test]
fn payback_needs_the_savings_to_catch_up_with_the_move() {
    let scenario = parse(&migrating(0.0));
    let outcome = replicate(&scenario, 1, 0);
    let offshore = &outcome.strategies[strategy(&scenario, "offshore")];
    let status_quo = &outcome.strategies[0];
    assert_eq!(
        sscsim::metrics::payback_years(&offshore.years, &status_quo.years),
        None
    );
    let years = sscsim::metrics::year_metrics(offshore, status_quo);
    let year0 = 450.0 + 750.0 + 25.0 + 22.5 + 300.0 + 1550.0 * 2.0 / 12.0 + 984.375 + 250.0 + 210.0;
    assert_close(
        years[0][YearMetric::AnnualCostUsd].unwrap(),
        year0,
        "year 0 cost",
    );
    assert_close(
        years[1][YearMetric::CumulativeSavingsUsd].unwrap(),
        (1550.0 - year0) + (2550.0 - 1005.0),
        "cumulative savings",
    );

    // Over three years the third year saves 2.25 × 1 815 + 112.5 = 4 196.25
    // against 1 350 + 30 + 112.5 (hires): the move pays back during it.
    let longer = parse(&migrating(0.0).replace("horizon_years = 2", "horizon_years = 3"));
    let outcome = replicate(&longer, 1, 0);
    let offshore = &outcome.strategies[strategy(&longer, "offshore")];
    let payback =
        sscsim::metrics::payback_years(&offshore.years, &outcome.strategies[0].years).unwrap();
    assert!(payback > 2.0 && payback < 3.0, "{payback}");
}

/// A bad go-live (probability 1) halves capacity for month 6 (day 6: 5 of
/// 10 done) and temporary staff clear the 5 left in month 7, at the team's
/// cost per transaction (600 a year for 10 a day × 12 days = 5) × 1.3.
/// With a same-day target those 5 are late: 295 of 300 on time.
#[test]
fn a_bad_go_live_shows_in_the_service_level_and_costs_its_clearing() {
    let calm = replicate(&parse(&migrating(0.0)), 1, 0);
    let scenario = parse(&migrating(1.0));
    let outcome = replicate(&scenario, 1, 0);
    let offshore = strategy(&scenario, "offshore");
    let (bad, good) = (&outcome.strategies[offshore], &calm.strategies[offshore]);
    assert_eq!(bad.bad_go_lives, 1);
    assert_close(
        bad.years[0].transition_cost_usd() - good.years[0].transition_cost_usd(),
        5.0 * 5.0 * 1.3,
        "clearing cost",
    );
    let service = bad.service();
    assert_close(service.arrived, 300.0, "arrived");
    assert_close(service.late, 5.0, "late");
    assert_close(service.on_time, 295.0, "on time");
    assert_close(
        good.service().on_time,
        300.0,
        "on time without the bad go-live",
    );
}

#[test]
fn a_go_live_slips_when_recruitment_takes_longer() {
    // Filling takes 4 / (1 − 0.2) = 5 months and training 3: go-live slips
    // from month 6 to month 8, so headquarters works two more months.
    let text = migrating(0.0)
        .replace("offer_decline_rate = 0\n", "offer_decline_rate = 0.2\n")
        .replace("time_to_fill_months = 0", "time_to_fill_months = 4");
    let scenario = parse(&text);
    let outcome = replicate(&scenario, 1, 0);
    let offshore = &outcome.strategies[strategy(&scenario, "offshore")];
    // Headquarters runs 8 months (1 500 × 8/12), the team is paid from month 5 (600 × 7/12).
    assert_close(
        offshore.years[0].staff_cost_usd,
        1500.0 * 8.0 / 12.0 + 600.0 * 7.0 / 12.0,
        "staff, year 0",
    );
}

#[test]
fn phased_waves_need_a_month_for_every_moving_line() {
    let text = fixture_text("hand-computed.toml")
        + "\n[strategy.migration]\napproach = \"phased\"\ngo_live_month = { claims = 30 }\n";
    let e = sscsim::scenario::parse("s.toml", &text).unwrap_err();
    assert!(
        e.to_string()
            .contains("go_live_month is 30; expected an integer from 0 to 23"),
        "{e}"
    );
    let text = fixture_text("hand-computed.toml")
        + "\n[strategy.migration]\napproach = \"phased\"\ngo_live_month = 6\n";
    let e = sscsim::scenario::parse("s.toml", &text).unwrap_err();
    assert!(
        e.to_string()
            .contains("a phased migration with one go-live month"),
        "{e}"
    );
    let ok = fixture_text("hand-computed.toml")
        + "\n[strategy.migration]\napproach = \"phased\"\ngo_live_month = { claims = 6 }\n";
    let scenario = parse(&ok);
    assert_eq!(scenario.strategies[1].centres[0].teams[0].go_live_month, 6);
}

/// Phased: a second service line (`letters`, same volumes and costs as
/// `claims`) goes live six months after the first. With onboarding and
/// overlap at 0 and no project team or hires costs, year 0 pays each team
/// from its own go-live and each headquarters unit until it: claims live in
/// month 3, letters in month 9.
#[test]
fn phased_waves_move_each_line_at_its_own_month() {
    let text = migrating(0.0)
        .replace("approach = \"big_bang\"\ngo_live_month = 6", "approach = \"phased\"\ngo_live_month = { claims = 3, letters = 9 }")
        .replace("onboarding_months = 3", "onboarding_months = 0")
        .replace("overlap_months = 2", "overlap_months = 0")
        .replace("cost_per_hire_usd = 100", "cost_per_hire_usd = 0")
        .replace("training_usd_per_hire = 20", "training_usd_per_hire = 0")
        .replace("travel_usd_per_hire = 30", "travel_usd_per_hire = 0")
        .replace("project_team_usd_per_month = 10", "project_team_usd_per_month = 0")
        .replace(
            "[[location]]\nid = \"hq\"",
            "[[service_line]]\nid = \"letters\"\neffort_minutes_per_transaction = 10\nservice_level_target_days = 0\n\
             service_level_target_share = 0.95\n\n[[location]]\nid = \"hq\"",
        )
        .replace(
            "hq_staff_fte = { GS = 1 }",
            "hq_staff_fte = { GS = 1 }\n\n[agency.service_line.letters]\nannual_volume = 120\n\
             volume_growth_rate_per_year = 0.5\narrivals = \"deterministic\"\nhq_staff_fte = { GS = 1 }",
        )
        .replace("service_lines = [\"claims\"]", "service_lines = [\"claims\", \"letters\"]");
    let scenario = parse(&text);
    let outcome = replicate(&scenario, 1, 0);
    let offshore = &outcome.strategies[strategy(&scenario, "offshore")];
    // Teams of 1 FTE (600 a year) from months 3 and 9; headquarters units of
    // 1 GS (1 500 a year, premises 50) until months 3 and 9.
    assert_close(
        offshore.years[0].staff_cost_usd,
        600.0 * (9.0 + 3.0) / 12.0 + 1500.0 * (3.0 + 9.0) / 12.0,
        "staff, year 0",
    );
    assert_close(
        offshore.years[0].premises_cost_usd,
        50.0 * (3.0 + 9.0) / 12.0,
        "premises, year 0",
    );
    // Each abolished post separates at its own go-live: two packages.
    assert_close(
        offshore.years[0].transition_cost_usd(),
        2.0 * (984.375 + 250.0),
        "separation, year 0",
    );
    // Every transaction is served on time, by headquarters or the centre.
    assert_close(offshore.service().on_time, 2.0 * 300.0, "on time");
}

/// The offshore strategy's metrics in replication 0 of `text`.
fn offshore_metrics(text: &str) -> MetricValues {
    let scenario = parse(text);
    let outcome = replicate(&scenario, 1, 0);
    let offshore = &outcome.strategies[strategy(&scenario, "offshore")];
    let subject = Subject {
        strategy_id: "offshore",
        replication: 0,
        is_status_quo: false,
    };
    strategy_metrics(0.1, subject, offshore, &outcome.strategies[0], None).unwrap()
}

fn one_off(m: &MetricValues, kind: OneOff) -> f64 {
    m[Metric::one_off(kind)].unwrap()
}

/// Without transfer or uplift, the parts of `a_big_bang_costs_what_the_terms_say`.
#[test]
fn one_off_costs_come_by_kind() {
    let m = offshore_metrics(&migrating(0.0));
    // Separation 984.375 + 250; one hire in year 0 (100 and 20 + 30) and
    // half a hire in year 1 (50 and 25); double running 1 550 × 2/12;
    // project team 60; set-up 300.
    let expected = [
        (OneOff::Separation, 1234.375),
        (OneOff::Relocation, 0.0),
        (OneOff::Recruitment, 150.0),
        (OneOff::TrainingAndKnowledgeTransfer, 75.0),
        (OneOff::DoubleRunning, 1550.0 * 2.0 / 12.0),
        (OneOff::ProjectTeam, 60.0),
        (OneOff::SiteSetup, 300.0),
        (OneOff::HarmonisationProject, 0.0),
        (OneOff::Disruption, 0.0),
        (OneOff::OptimismBias, 0.0),
    ];
    for (kind, usd) in expected {
        assert_close(one_off(&m, kind), usd, kind.id());
    }
}

/// All staff move: the one post is relocated (400), not separated, and
/// fills the centre's first post, so year 0 recruits no one; year 1's half
/// hire is still recruited (50) and trained (25). Half move: separation
/// 0.5 × 1 234.375, relocation 0.5 × 400, year 0 recruits half a post
/// (50 and 25) and year 1 another half.
#[test]
fn staff_who_move_are_relocated_not_separated_nor_recruited() {
    let all = offshore_metrics(&migrating_with(0.0, 0.0, 1.0));
    assert_eq!(one_off(&all, OneOff::Separation), 0.0);
    assert_close(one_off(&all, OneOff::Relocation), 400.0, "relocation");
    assert_close(one_off(&all, OneOff::Recruitment), 50.0, "recruitment");
    assert_close(
        one_off(&all, OneOff::TrainingAndKnowledgeTransfer),
        25.0,
        "training",
    );
    let half = offshore_metrics(&migrating_with(0.0, 0.0, 0.5));
    assert_close(one_off(&half, OneOff::Separation), 617.1875, "separation");
    assert_close(one_off(&half, OneOff::Relocation), 200.0, "relocation");
    assert_close(one_off(&half, OneOff::Recruitment), 100.0, "recruitment");
    assert_close(
        one_off(&half, OneOff::TrainingAndKnowledgeTransfer),
        50.0,
        "training",
    );
}

#[test]
fn more_transfer_never_raises_separation_cost() {
    let mut previous = f64::INFINITY;
    for tenth in 0..=10 {
        let share = f64::from(tenth) / 10.0;
        let m = offshore_metrics(&migrating_with(0.0, 0.0, share));
        let separation = one_off(&m, OneOff::Separation);
        assert!(separation <= previous, "{share}: {separation} > {previous}");
        previous = separation;
    }
}

/// An uplift of 10% on costs and durations: double running lasts 2.2
/// months, not 2 (1 550 × 0.2/12 more), and every estimate but the
/// clearing of bad go-lives costs 10% more: separation 1 234.375, hires
/// 150 + 75, project team 60, set-up 300.
#[test]
fn optimism_bias_uplifts_one_off_costs_and_double_running() {
    let m = offshore_metrics(&migrating_with(0.0, 0.1, 0.0));
    let expected = 1550.0 * 0.2 / 12.0 + 0.1 * (1234.375 + 150.0 + 75.0 + 60.0 + 300.0);
    assert_close(one_off(&m, OneOff::OptimismBias), expected, "uplift");
    // The planned parts do not move.
    assert_close(
        one_off(&m, OneOff::DoubleRunning),
        1550.0 * 2.0 / 12.0,
        "double running",
    );
    assert_close(one_off(&m, OneOff::Separation), 1234.375, "separation");
}

/// The big bang goes live in month 6: the payback counted from the
/// go-live is half a year shorter than from the decision.
#[test]
fn payback_from_go_live_is_payback_from_decision_less_the_wait() {
    let text = migrating(0.0).replace("horizon_years = 2", "horizon_years = 3");
    let m = offshore_metrics(&text);
    let from_decision = m[Metric::PaybackYearsFromDecision].unwrap();
    assert!(
        from_decision > 2.0 && from_decision < 3.0,
        "{from_decision}"
    );
    assert_eq!(
        m[Metric::PaybackYearsFromGoLive].unwrap(),
        from_decision - 0.5
    );
    assert_eq!(m[Metric::PaidBack], Some(1.0));
}

/// Every bundled scenario, every strategy, a few replications: the
/// one-off parts add up to `transition_cost_usd` to the bit, and to the
/// one-off costs of the strategy's years (within rounding).
#[test]
fn one_off_parts_sum_to_the_transition_cost_on_every_bundled_scenario() {
    for stem in bundled_stems() {
        let scenario: Scenario = bundled(&stem);
        for replication in 0..2 {
            let outcome = replicate(&scenario, scenario.settings.seed, replication);
            let status_quo = &outcome.strategies[0];
            for (s, own) in outcome.strategies.iter().enumerate() {
                let subject = Subject {
                    strategy_id: &scenario.strategies[s].id,
                    replication,
                    is_status_quo: s == 0,
                };
                let m = strategy_metrics(0.03, subject, own, status_quo, None).unwrap();
                let mut parts = 0.0;
                for kind in OneOff::ALL {
                    parts += one_off(&m, kind);
                }
                let total = m[Metric::TransitionCostUsd].unwrap();
                assert_eq!(parts.to_bits(), total.to_bits(), "{stem} {s} {replication}");
                let by_year: f64 = (own.years.iter())
                    .map(|y| y.transition_cost_usd() + y.setup_cost_usd + y.harmonisation_cost_usd)
                    .sum();
                assert_close(total, by_year, &format!("{stem} {s} {replication}"));
            }
        }
    }
}

/// The hand-computed fixture, moved at month 6, with a second agency, B,
/// whose claims (120 a year, growing 50%) are already processed where the
/// offshore centre is — an existing centre whose team takes A's work on.
fn absorbing(staff_transfer_share: f64) -> String {
    migrating_with(0.0, 0.0, staff_transfer_share)
        .replace(
            "[[strategy]]",
            r#"[[agency]]
id = "agency_b"
hq_location = "offshore"

[agency.service_line.claims]
annual_volume = 120
volume_growth_rate_per_year = 0.5
arrivals = "deterministic"
hq_staff_fte = { GS = 1 }

[[strategy]]"#,
        )
        .replace(
            r#"agencies = ["agency_a"]"#,
            "agencies = [\"agency_a\", \"agency_b\"]\nexisting = true",
        )
}

/// B's unit is the team's from the start: the team needs 20 claims a day,
/// 2 FTE, in year 0 and 3 in year 1; B's 1 FTE join it, so the centre
/// recruits 2 − 1 = 1 in year 0 (100 and 20 + 30) and 3 − 2 = 1 in year 1.
/// Only A's unit is separated, as when A moves alone: 984.375 + 250.
/// Nothing is relocated, and B's unit does not double-run.
#[test]
fn an_existing_team_keeps_its_staff_and_recruits_only_the_increment() {
    let m = offshore_metrics(&absorbing(0.0));
    assert_close(one_off(&m, OneOff::Separation), 1234.375, "separation");
    assert_close(one_off(&m, OneOff::Recruitment), 200.0, "recruitment");
    assert_close(
        one_off(&m, OneOff::TrainingAndKnowledgeTransfer),
        100.0,
        "training",
    );
    assert_eq!(one_off(&m, OneOff::Relocation), 0.0);
    // A's unit alone double-runs: 1 550 × 2/12.
    assert_close(
        one_off(&m, OneOff::DoubleRunning),
        1550.0 * 2.0 / 12.0,
        "double running",
    );
    // All of A's staff move: its one post is relocated and fills year 0's
    // second post, so only year 1's hire is recruited.
    let all = offshore_metrics(&absorbing(1.0));
    assert_eq!(one_off(&all, OneOff::Separation), 0.0);
    assert_close(one_off(&all, OneOff::Relocation), 400.0, "relocation");
    assert_close(one_off(&all, OneOff::Recruitment), 100.0, "recruitment");
}

#[test]
fn more_transfer_never_raises_recruitment_cost() {
    for text in [
        |s| migrating_with(0.0, 0.0, s),
        absorbing as fn(f64) -> String,
    ] {
        let mut previous = (f64::INFINITY, f64::INFINITY);
        for tenth in 0..=10 {
            let share = f64::from(tenth) / 10.0;
            let m = offshore_metrics(&text(share));
            let cost = (
                one_off(&m, OneOff::Recruitment),
                one_off(&m, OneOff::TrainingAndKnowledgeTransfer),
            );
            assert!(
                cost.0 <= previous.0 && cost.1 <= previous.1,
                "{share}: {cost:?} > {previous:?}"
            );
            previous = cost;
        }
    }
}

/// With learning (new teams start at 1.5 times the standard effort), the
/// moving team's year-1 staff cost is 900 (1.5 FTE) only if it starts
/// trained: all of A's staff move with the work, and bring their
/// experience. With none moving it needs more than the standard; with half,
/// in between.
#[test]
fn staff_who_move_bring_their_experience() {
    let learning = |share: f64| {
        let text = migrating_with(0.0, 0.0, share)
            + "\n[mechanisms.learning_and_scale]\nscale_elasticity = 0\n";
        let scenario = parse(&text);
        let outcome = replicate(&scenario, 1, 0);
        let offshore = &outcome.strategies[strategy(&scenario, "offshore")];
        (
            offshore.years[0].staff_cost_usd,
            offshore.years[1].staff_cost_usd,
        )
    };
    let (all, half, none) = (learning(1.0), learning(0.5), learning(0.0));
    // Year 0: the team from month 3 (0.75 × 600) and headquarters 750.
    assert_close(all.0, 450.0 + 750.0, "trained, year 0");
    assert_close(all.1, 900.0, "trained, year 1");
    assert!(none.0 > all.0 && none.1 > all.1, "{none:?} {all:?}");
    assert!(half.0 < none.0 && half.0 > all.0, "{half:?}");
}

/// The uncertain input named `name` of `scenario`, if it is one.
fn input<'a>(scenario: &'a Scenario, name: &str) -> Option<&'a sscsim::model::UncertainInput> {
    scenario.inputs.iter().find(|i| i.name == name)
}

/// The fixture moved as above, with `[transition]` leaving out the
/// optimism-bias uplifts and drawing its offer-decline rate.
fn migrating_with_default_uplifts() -> String {
    migrating(0.0)
        .replace("optimism_bias_cost_uplift = 0\n", "")
        .replace("optimism_bias_duration_uplift = 0\n", "")
        .replace(
            "offer_decline_rate = 0\n",
            "offer_decline_rate = { dist = \"uniform\", min = 0, max = 0.4 }\n",
        )
}

/// Left out, the uplifts are PERTs from the Green Book's lower bound (the
/// mode) to its upper bound for Equipment/Development: beta shapes
/// 1 + 4·0 = 1 and 1 + 4·1 = 5, whose quantile is 1 − (1 − u)^(1/5).
/// Quantile 0 is the lower bound and quantile 1 the upper.
/// Costs: 0.10 to 2.00; median 0.10 + 1.90 × (1 − 0.5^0.2)
/// = 0.10 + 1.90 × 0.129449 = 0.345953; 99th percentile
/// 0.10 + 1.90 × (1 − 0.01^0.2) = 0.10 + 1.90 × 0.601893 = 1.243597;
/// mean 0.10 + 1.90 / 6 = 0.416667.
/// Durations: 0.10 to 0.54; median 0.10 + 0.44 × 0.129449 = 0.156958;
/// 99th percentile 0.10 + 0.44 × 0.601893 = 0.364833.
#[test]
fn optimism_bias_defaults_to_an_uncertain_uplift_between_the_green_book_bounds() {
    let scenario = parse(&migrating_with_default_uplifts());
    for (name, lower, upper, median, p99) in [
        (
            "transition.optimism_bias_cost_uplift",
            0.10,
            2.00,
            0.345953,
            1.243597,
        ),
        (
            "transition.optimism_bias_duration_uplift",
            0.10,
            0.54,
            0.156958,
            0.364833,
        ),
    ] {
        let dist = &input(&scenario, name)
            .unwrap_or_else(|| panic!("{name} is an input"))
            .dist;
        assert_eq!(dist.support(), (lower, upper), "{name}");
        assert_close(dist.quantile(0.0), lower, name);
        assert_close(dist.quantile(1.0), upper, name);
        assert!((dist.quantile(0.5) - median).abs() < 1e-6, "{name} median");
        assert!((dist.quantile(0.99) - p99).abs() < 1e-6, "{name} p99");
        assert!(
            (dist.mean() - (lower + (upper - lower) / 6.0)).abs() < 1e-12,
            "{name} mean"
        );
    }
}

/// Drawn in every replication like any input, within its bounds, with
/// about half the draws below the hand-computed median (2 000 draws: a
/// share within 0.5 ± 0.05, more than 4 standard errors of 0.011).
#[test]
fn the_drawn_default_uplift_stays_within_the_green_book_bounds() {
    let scenario = parse(&migrating_with_default_uplifts());
    let cost = scenario.transition.optimism_bias_cost_uplift;
    let duration = scenario.transition.optimism_bias_duration_uplift;
    let mut draws = sscsim::model::Draws::default();
    let replications = 2000;
    let mut below_median = 0;
    for replication in 0..replications {
        draws.draw(&scenario, 11, replication);
        let (c, d) = (draws.value(cost), draws.value(duration));
        assert!((0.10..=2.00).contains(&c), "cost uplift {c}");
        assert!((0.10..=0.54).contains(&d), "duration uplift {d}");
        below_median += usize::from(c < 0.345953);
    }
    let share = below_median as f64 / replications as f64;
    assert!((share - 0.5).abs() < 0.05, "share below the median {share}");
    // The uplift reaches the one-off costs: at least 10% of the estimates.
    let m = offshore_metrics(&migrating_with_default_uplifts());
    assert!(one_off(&m, OneOff::OptimismBias) >= 0.1 * (1234.375 + 150.0 + 60.0 + 300.0));
}

/// A scenario that writes its uplifts keeps them: a number stays fixed (no
/// input), and the key it leaves out alone takes the uncertain default.
#[test]
fn a_written_uplift_replaces_the_uncertain_default() {
    let text = migrating_with_default_uplifts().replace(
        "[transition]\n",
        "[transition]\noptimism_bias_cost_uplift = 0.25\n",
    );
    let scenario = parse(&text);
    assert_eq!(
        scenario.transition.optimism_bias_cost_uplift,
        sscsim::model::Param::Fixed(0.25)
    );
    assert!(input(&scenario, "transition.optimism_bias_cost_uplift").is_none());
    assert!(input(&scenario, "transition.optimism_bias_duration_uplift").is_some());
    // Written as 0, as the calibrated scenarios do: no uplift at all.
    let zero = parse(&migrating(0.0));
    assert_eq!(
        zero.transition.optimism_bias_cost_uplift,
        sscsim::model::Param::Fixed(0.0)
    );
    assert_eq!(
        zero.transition.optimism_bias_duration_uplift,
        sscsim::model::Param::Fixed(0.0)
    );
}

/// The default uplifts come after every input the file declares, so those
/// draw the same numbers as when the file writes its uplifts: only the
/// uplifts' own effect changes a run's results.
#[test]
fn default_uplifts_leave_the_files_own_inputs_draws_alone() {
    let defaulted = parse(&migrating_with_default_uplifts());
    let written = parse(&migrating_with_default_uplifts().replace(
        "[transition]\n",
        "[transition]\noptimism_bias_cost_uplift = 0\noptimism_bias_duration_uplift = 0\n",
    ));
    let names = |s: &Scenario| s.inputs.iter().map(|i| i.name.clone()).collect::<Vec<_>>();
    let mut expected = names(&written);
    assert!(expected.contains(&"transition.offer_decline_rate".to_owned()));
    expected.extend([
        "transition.optimism_bias_cost_uplift".to_owned(),
        "transition.optimism_bias_duration_uplift".to_owned(),
    ]);
    assert_eq!(names(&defaulted), expected);
    let draw = |s: &Scenario| {
        let mut out = Vec::new();
        sscsim::sample::draw_inputs(s, 5, 3, &mut out);
        out
    };
    let own = written.inputs.len();
    assert_eq!(draw(&defaulted)[..own], draw(&written)[..]);
}

/// An uncertain default is an input like any other: `[[correlation]]` may
/// name it (a fixed default may not be correlated).
#[test]
fn a_default_uplift_can_be_correlated() {
    let text = migrating_with_default_uplifts()
        + "\n[[correlation]]\ninputs = [\"transition.optimism_bias_cost_uplift\", \
           \"transition.optimism_bias_duration_uplift\"]\nrank_correlation = 0.6\n";
    let scenario = parse(&text);
    assert!(!scenario.correlations.is_empty());
}

/// Where nothing moves and no team harmonises, nothing reads the uplifts:
/// they stay fixed defaults, not inputs that move nothing.
#[test]
fn without_a_move_the_default_uplifts_are_not_inputs() {
    let scenario = parse(&fixture_text("hand-computed.toml"));
    assert!(scenario.strategies.iter().all(|s| s.migration.is_none()));
    assert!(scenario.inputs.is_empty(), "{:?}", scenario.inputs);
    assert_eq!(
        scenario.transition.optimism_bias_cost_uplift,
        sscsim::model::Param::Fixed(0.10)
    );
}
