//! Contact lines (service desks): hour-by-hour Erlang staffing, the pooling
//! gain of one desk over several, callers' time zones, fixed desks, and the
//! answered share reaching the service totals — against Erlang C values
//! computed here from the formula and the published staffing of 200 calls
//! an hour (Call Centre Helper's Erlang calculator: 14 agents).

use sscsim::model::Mechanism;
use sscsim::sim::{Workspace, decompose_replication};

use crate::util::{assert_close, parse, replicate, strategy};

/// Erlang C service level: `1 − C(N, A)·exp(−(N − A)·t / AHT)`, with the
/// waiting probability from its textbook sum (fine for small `N`).
fn erlang_c_service_level(agents: u32, erlangs: f64, within_s: f64, handle_s: f64) -> f64 {
    let n = f64::from(agents);
    let mut term = 1.0;
    let mut below = 0.0;
    for k in 0..agents {
        below += term;
        term *= erlangs / f64::from(k + 1);
    }
    let top = term * n / (n - erlangs);
    let waiting = top / (below + top);
    1.0 - waiting * (-(n - erlangs) * within_s / handle_s).exp()
}

/// Two agencies whose callers ring 100 times an hour from 09:00 to 17:00
/// local time (800 a working day, 250 days), 180-second calls, 80% answered
/// within 20 seconds, no shrinkage, 8-hour days; GS at 50 000 USD.
/// Agency `b`'s headquarters is `b_offset_hours` ahead of `a`'s. `solo`: a
/// desk each; `pooled`: one shared desk in `a`'s city.
fn desks(b_offset_hours: f64, line_extra: &str, hq_staff_gs: u32) -> String {
    let hours: Vec<&str> = (0..24)
        .map(|h| if (9..17).contains(&h) { "1" } else { "0" })
        .collect();
    format!(
        r#"
[scenario]
name = "Desks"
[settings]
horizon_years = 1
working_days_per_year = 250
discount_rate_per_year = 0.0
replications = 1
seed = 5
working_minutes_per_day = 480
availability_share = 0.75
[[service_line]]
id = "desk"
kind = "contact"
handle_time_seconds = 180
answer_within_seconds = 20
answer_share = 0.8
shrinkage_share = 0
hourly_profile = [{profile}]
{line_extra}
[[location]]
id = "here"
utc_offset_hours = 0
annual_cost_usd_per_fte = {{ GS = 50000 }}
[[location]]
id = "there"
utc_offset_hours = {b_offset_hours}
annual_cost_usd_per_fte = {{ GS = 50000 }}
[[agency]]
id = "a"
hq_location = "here"
[agency.service_line.desk]
annual_volume = 200000
arrivals = "deterministic"
hq_staff_fte = {{ GS = {hq_staff_gs} }}
[[agency]]
id = "b"
hq_location = "there"
[agency.service_line.desk]
annual_volume = 200000
arrivals = "deterministic"
hq_staff_fte = {{ GS = {hq_staff_gs} }}
[[strategy]]
id = "solo"
[[strategy.centre]]
id = "a_desk"
location = "here"
agencies = ["a"]
service_lines = ["desk"]
grade_mix = {{ GS = 1 }}
[[strategy.centre]]
id = "b_desk"
location = "here"
agencies = ["b"]
service_lines = ["desk"]
grade_mix = {{ GS = 1 }}
[[strategy]]
id = "pooled"
[[strategy.centre]]
id = "joint"
location = "here"
agencies = ["a", "b"]
service_lines = ["desk"]
grade_mix = {{ GS = 1 }}
"#,
        profile = hours.join(", ")
    )
}

/// Processing FTE and the share answered in time, of a strategy.
fn desk_outcome(text: &str, id: &str) -> (f64, f64) {
    let scenario = parse(text);
    let outcome = replicate(&scenario, 1, 0);
    let s = &outcome.strategies[strategy(&scenario, id)];
    let service = s.service();
    assert_eq!(service.arrived, 2.0 * 200_000.0, "every call arrives");
    assert!((service.on_time + service.late - service.arrived).abs() < 1e-6);
    (s.years[0].processing_fte, service.on_time / service.arrived)
}

#[test]
fn the_formula_here_reproduces_the_published_staffing() {
    // 200 calls an hour of 180 s are 10 erlangs: 13 agents answer 79.6%
    // within 20 s, 14 agents 88.8% — so 14 for 80/20.
    assert!(erlang_c_service_level(13, 10.0, 20.0, 180.0) < 0.8);
    assert!(erlang_c_service_level(14, 10.0, 20.0, 180.0) >= 0.8);
    // 100 an hour (5 erlangs): 7 agents 74.0%, 8 agents 88.0%.
    assert!(erlang_c_service_level(7, 5.0, 20.0, 180.0) < 0.8);
    assert!(erlang_c_service_level(8, 5.0, 20.0, 180.0) >= 0.8);
}

/// Same time zone: solo needs 8 agents per desk for 8 hours (2 × 64
/// agent-hours = 16 FTE of 8 hours); one desk needs 14 agents (112
/// agent-hours = 14 FTE).
#[test]
fn one_desk_for_two_agencies_needs_fewer_agents_than_two() {
    let text = desks(0.0, "", 8);
    let (solo_fte, solo_share) = desk_outcome(&text, "solo");
    let (pooled_fte, pooled_share) = desk_outcome(&text, "pooled");
    assert_close(solo_fte, 16.0, "solo FTE");
    assert_close(pooled_fte, 14.0, "pooled FTE");
    assert_close(
        solo_share,
        erlang_c_service_level(8, 5.0, 20.0, 180.0),
        "solo answered share",
    );
    assert_close(
        pooled_share,
        erlang_c_service_level(14, 10.0, 20.0, 180.0),
        "pooled answered share",
    );
}

/// Eight hours apart, the callers' days do not overlap: the shared desk
/// sees 100 calls an hour for 16 hours and needs 8 agents in each — 128
/// agent-hours, 16 FTE, no saving. Four hours apart, four hours overlap:
/// 4 × 14 + 8 × 8 = 120 agent-hours, 15 FTE.
#[test]
fn time_zones_decide_how_much_a_shared_desk_saves() {
    let apart = desks(8.0, "", 8);
    assert_close(desk_outcome(&apart, "pooled").0, 16.0, "8 hours apart");
    let overlapping = desks(4.0, "", 8);
    assert_close(
        desk_outcome(&overlapping, "pooled").0,
        15.0,
        "4 hours apart",
    );
    assert_close(desk_outcome(&overlapping, "solo").0, 16.0, "solo");
    // Time zones are whole hours after rounding: a 4.4-hour offset is 4.
    assert_close(
        desk_outcome(&desks(4.4, "", 8), "pooled").0,
        15.0,
        "4.4 hours",
    );
}

/// The shared desk's saving is variance pooling: with that mechanism off,
/// each member's calls are staffed apart (16 FTE) and the 2 FTE gap is
/// attributed to it alone.
#[test]
fn the_desk_saving_is_attributed_to_variance_pooling() {
    let scenario = parse(&desks(0.0, "", 8));
    let comparison = scenario.comparison.expect("solo and pooled are compared");
    let d = decompose_replication(&scenario, comparison, 1, 0, &mut Workspace::default());
    let expected = 2.0 * 50_000.0;
    assert_close(d.total_usd, expected, "gap");
    for (m, value) in Mechanism::ALL.iter().zip(d.mechanisms_usd) {
        let want = if *m == Mechanism::VariancePooling {
            expected
        } else {
            0.0
        };
        assert_close(value, want, m.id());
    }
}

/// A status quo that keeps today's desks: 7 GS of 8 hours give 56
/// agent-hours, 7 agents in each of the 8 busy hours, which answer 74.0%
/// within 20 s.
#[test]
fn a_fixed_desk_answers_what_its_roster_can() {
    let text = desks(0.0, "", 7).replace(
        "availability_share = 0.75\n",
        "availability_share = 0.75\nstatus_quo_staffing = \"current\"\n",
    );
    let (fte, share) = desk_outcome(&text, "status_quo");
    assert_close(fte, 14.0, "status-quo FTE");
    assert_close(
        share,
        erlang_c_service_level(7, 5.0, 20.0, 180.0),
        "answered share",
    );
}

/// Shrinkage: 30% of paid time off the phones makes 64 agent-hours cost
/// 64 / (8 × 0.7) FTE.
#[test]
fn shrinkage_adds_paid_time_off_the_phones() {
    let text = desks(0.0, "", 8).replace("shrinkage_share = 0\n", "shrinkage_share = 0.3\n");
    assert_close(
        desk_outcome(&text, "solo").0,
        2.0 * 64.0 / (8.0 * 0.7),
        "solo FTE",
    );
}

/// Erlang A: callers who would wait forever leave Erlang C's answer
/// unchanged; impatient callers who hang up lighten the load, so never more
/// agents are needed.
#[test]
fn patience_turns_erlang_c_into_erlang_a() {
    let patient = desks(0.0, "patience_seconds = 86400", 8);
    assert_close(
        desk_outcome(&patient, "pooled").0,
        14.0,
        "very patient callers",
    );
    let impatient = desks(0.0, "patience_seconds = 60", 8);
    let (fte, share) = desk_outcome(&impatient, "pooled");
    assert!(fte <= 14.0, "impatient callers need {fte} FTE");
    assert!(share >= 0.8, "and are answered in time {share}");
}

/// Erlang C's waiting probability `C(N, A)` from its textbook sum.
fn erlang_c_waiting(agents: u32, erlangs: f64) -> f64 {
    // The service level at a zero target is 1 − C.
    1.0 - erlang_c_service_level(agents, erlangs, 0.0, 180.0)
}

/// The desk line of a strategy in the last year, as `lines.csv` reports it.
fn desk_line(text: &str, id: &str) -> sscsim::stats::LineFigures {
    let scenario = parse(text);
    let outcome = replicate(&scenario, 1, 0);
    let mut lines = sscsim::stats::LineCollector::default();
    lines.observe(&[outcome.strategies[strategy(&scenario, id)].lines.clone()]);
    lines
        .figures(0, 0, 250.0)
        .expect("the desk line is staffed")
}

/// The average speed of answer is Erlang C's `C·AHT/(N − A)` at the desk's
/// staffing: the pooled desk's 14 agents for 10 erlangs wait
/// `C(14, 10) × 180/4`, 8 agents a desk for 5 erlangs `C(8, 5) × 180/3`;
/// under Erlang C nobody hangs up.
#[test]
fn lines_report_erlang_c_average_speed_of_answer() {
    let text = desks(0.0, "", 8);
    let pooled = desk_line(&text, "pooled");
    let expected = erlang_c_waiting(14, 10.0) * 180.0 / 4.0;
    assert_close(
        pooled.average_speed_of_answer_seconds.unwrap(),
        expected,
        "pooled ASA",
    );
    assert_eq!(pooled.abandon_share, Some(0.0));
    let solo = desk_line(&text, "solo");
    let expected = erlang_c_waiting(8, 5.0) * 180.0 / 3.0;
    assert_close(
        solo.average_speed_of_answer_seconds.unwrap(),
        expected,
        "solo ASA",
    );
    // By hand, C(8, 5) = (5⁸/8!·8/3) / (Σ_{k<8} 5ᵏ/k! + 5⁸/8!·8/3)
    // = 25.835 / (128.619 + 25.835) = 0.16727: × 60 s = 10.04 s.
    assert!((solo.average_speed_of_answer_seconds.unwrap() - 10.036).abs() < 0.001);
}

/// Impatient callers hang up, so some calls are lost and those answered
/// wait less than Erlang C's callers at the same staffing.
#[test]
fn lines_report_abandonment_of_impatient_callers() {
    let patient = desk_line(&desks(0.0, "", 7), "pooled");
    let impatient = desk_line(&desks(0.0, "patience_seconds = 60", 7), "pooled");
    let abandon = impatient.abandon_share.unwrap();
    assert!(abandon > 0.0 && abandon < 0.2, "{abandon}");
    let (a, c) = (
        impatient.average_speed_of_answer_seconds.unwrap(),
        patient.average_speed_of_answer_seconds.unwrap(),
    );
    assert!(a > 0.0 && a < c, "Erlang A {a} s, Erlang C {c} s");
}
