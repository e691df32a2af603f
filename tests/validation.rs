//! Semantic checks of scenario files: each problem reported at the offending
//! value, with what was expected.

use crate::util::{assert_problem_at, fixture_text};

fn base() -> String {
    fixture_text("hand-computed.toml")
}

fn assert_problem(text: &str, needle: &str, message: &str) {
    assert_problem_at(text, needle, 0, message);
}

/// A problem at the last occurrence of `needle`: what a test appends.
fn assert_problem_last(text: &str, needle: &str, message: &str) {
    assert_problem_at(text, needle, text.matches(needle).count() - 1, message);
}

#[test]
fn the_fixture_itself_is_valid() {
    sscsim::scenario::parse("s.toml", &base()).unwrap();
}

#[test]
fn duplicate_ids() {
    let text = base().replace("id = \"offshore\"\nannual", "id = \"hq\"\nannual");
    assert_problem_at(
        &text,
        "\"hq\"",
        1,
        "location id `hq` is declared twice; expected a unique id",
    );
}

#[test]
fn malformed_ids() {
    let text = base().replace("id = \"agency_a\"", "id = \"=HYPERLINK()\"");
    assert_problem(
        &text,
        "\"=HYPERLINK()\"",
        "agency id `=HYPERLINK()` is not a valid identifier",
    );
}

#[test]
fn unknown_references() {
    let text = base().replace(
        "[agency.service_line.claims]",
        "[agency.service_line.payroll]",
    );
    assert_problem(
        &text,
        "payroll",
        "unknown service line `payroll`; expected one of the declared service line ids: `claims`",
    );
    let text = base().replace("hq_location = \"hq\"", "hq_location = \"geneva\"");
    assert_problem(&text, "\"geneva\"", "unknown location `geneva`");
    let text = base().replace(
        "agencies = [\"agency_a\"]",
        "agencies = [\"agency_a\", \"agency_z\"]",
    );
    assert_problem(&text, "\"agency_z\"", "unknown agency `agency_z`");
}

#[test]
fn invalid_distribution_parameters() {
    let text = base().replace(
        "annual_volume = 120",
        "annual_volume = { dist = \"triangular\", min = 150, mode = 120, max = 130 }",
    );
    assert_problem(
        &text,
        "{ dist = \"triangular\"",
        "annual_volume: min 150, mode 120, max 130; expected min <= mode <= max with min < max",
    );
    let text = base().replace(
        "annual_volume = 120",
        "annual_volume = { dist = \"normal\", mean = 120, sd = 10 }",
    );
    assert_problem(
        &text,
        "{ dist = \"normal\"",
        "annual_volume is an unbounded distribution (truncate it with min and max; a lognormal needs a max)",
    );
    // A lognormal is bounded below by 0; a volume also needs a max.
    let lognormal = "annual_volume = { dist = \"lognormal\", mean = 120, sd = 30 }";
    let text = base().replace("annual_volume = 120", lognormal);
    assert_problem(
        &text,
        "{ dist = \"lognormal\"",
        "annual_volume is an unbounded distribution",
    );
    let text = base().replace(
        "annual_volume = 120",
        "annual_volume = { dist = \"lognormal\", mean = 120, sd = 30, max = 400 }",
    );
    sscsim::scenario::parse("s.toml", &text).unwrap();
    let text = base().replace(
        "annual_volume = 120",
        "annual_volume = { dist = \"uniform\", min = -5, max = 10 }",
    );
    assert_problem(
        &text,
        "{ dist = \"uniform\"",
        "annual_volume can take values from -5 to 10; expected a yearly volume of at least 0",
    );
    let text = base().replace(
        "annual_volume = 120",
        "annual_volume = { dist = \"gamma\", shape = 2 }",
    );
    assert_problem(
        &text,
        "\"gamma\"",
        "unknown variant `gamma`, expected one of `fixed`, `uniform`",
    );
    let text = base().replace(
        "annual_volume = 120",
        "annual_volume = { dist = \"uniform\", min = 1, max = 10, mode = 3 }",
    );
    assert_problem(&text, "{ dist = \"uniform\"", "unknown field `mode`");
}

#[test]
fn out_of_range_settings() {
    let text = base().replace("horizon_years = 2", "horizon_years = 0");
    assert_problem(
        &text,
        "0\n",
        "horizon_years is 0; expected an integer from 1 to 100",
    );
    let text = base().replace("availability_share = 1.0", "availability_share = 1.5");
    assert_problem(
        &text,
        "1.5",
        "availability_share is 1.5; expected a share from 0.01 to 1",
    );
}

#[test]
fn missing_sections_and_unknown_sections() {
    let text = base().replace("[settings]", "[setings]");
    assert_problem(&text, "setings", "unknown top-level key `setings`");
    let text = base().replace("[scenario]\nname = \"Hand-computed\"\n", "");
    let diagnostics = sscsim::scenario::parse("s.toml", &text).unwrap_err();
    assert!(
        diagnostics
            .to_string()
            .contains("s.toml:1:1: the [scenario] table is missing"),
        "{diagnostics}"
    );
}

#[test]
fn grade_mix_must_sum_to_one_and_use_costed_grades() {
    let text = base().replace(
        "grade_mix = { GS = 0.5, P = 0.5 }",
        "grade_mix = { GS = 0.5, P = 0.4 }",
    );
    assert_problem(
        &text,
        "{ GS = 0.5, P = 0.4 }",
        "grade_mix shares sum to 0.9; expected shares that sum to 1",
    );
    let text = base().replace(
        "grade_mix = { GS = 0.5, P = 0.5 }",
        "grade_mix = { GS = 0.5, NPO = 0.5 }",
    );
    assert_problem(
        &text,
        "{ GS = 0.5, NPO = 0.5 }",
        "centre `centre` employs NPO staff but location `offshore` has no NPO cost",
    );
}

#[test]
fn staffing_must_be_planned_or_fixed() {
    let text = base().replace("grade_mix = { GS = 0.5, P = 0.5 }\n", "");
    assert_problem(
        &text,
        "\"centre\"",
        "centre `centre` says neither how its staff is planned nor how it is fixed",
    );
    let text = base().replace(
        "grade_mix = { GS = 0.5, P = 0.5 }",
        "grade_mix = { GS = 0.5, P = 0.5 }\nfixed_staff_fte = { claims = { GS = 1 } }",
    );
    assert_problem(&text, "{ claims", "has both grade_mix and fixed_staff_fte");
    let text = base().replace(
        "grade_mix = { GS = 0.5, P = 0.5 }",
        "fixed_staff_fte = { other = { GS = 1 } }",
    );
    assert_problem(
        &text,
        "other",
        "fixed_staff_fte names `other`, which centre `centre` does not serve",
    );
    assert_problem(
        &text,
        "{ other",
        "fixed_staff_fte of centre `centre` has no table for `claims`",
    );
}

#[test]
fn non_relocatable_work_stays_at_headquarters() {
    let text = base().replace(
        "service_level_target_share = 0.95",
        "service_level_target_share = 0.95\nrelocatable = false",
    );
    assert_problem_at(
        &text,
        "\"claims\"",
        1,
        "service line `claims` may not be relocated, but centre `centre` is not at its agencies' headquarters",
    );
}

#[test]
fn work_is_assigned_exactly_once() {
    let text = base().replace(
        "fixed_cost_usd_per_year = 10",
        "fixed_cost_usd_per_year = 10\n\n[[strategy.centre]]\nid = \"second\"\nlocation = \"offshore\"\nagencies = [\"agency_a\"]\nservice_lines = [\"claims\"]\ngrade_mix = { GS = 1 }",
    );
    assert_problem_at(
        &text,
        "[\"agency_a\"]",
        1,
        "`agency_a` work in `claims` is assigned to both centre `centre` and centre `second`",
    );
}

#[test]
fn the_status_quo_id_is_reserved() {
    let text = base().replace(
        "id = \"offshore\"\n\n[[strategy.centre]]",
        "id = \"status_quo\"\n\n[[strategy.centre]]",
    );
    assert_problem(
        &text,
        "\"status_quo\"",
        "strategy id `status_quo` is reserved",
    );
}

#[test]
fn seasonality_needs_twelve_non_negative_weights() {
    let text = base().replace(
        "arrivals = \"deterministic\"",
        "arrivals = \"deterministic\"\nseasonality = [1, 2, 3]",
    );
    assert_problem(
        &text,
        "[1, 2, 3]",
        "seasonality has 3 weights; expected 12 monthly weights",
    );
    let text = base().replace(
        "arrivals = \"deterministic\"",
        "arrivals = \"deterministic\"\nseasonality = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]",
    );
    assert_problem(&text, "[0, 0", "seasonality weights are all 0");
    let text = base().replace(
        "arrivals = \"deterministic\"",
        "arrivals = \"deterministic\"\nseasonality = [1, 1, 1, 1, 1, -1, 1, 1, 1, 1, 1, 1]",
    );
    assert_problem(&text, "-1", "a seasonality weight is -1");
}

#[test]
fn arrival_processes_are_named_and_checked() {
    let text = base().replace("arrivals = \"deterministic\"", "arrivals = \"bursty\"");
    assert_problem(
        &text,
        "\"bursty\"",
        "invalid value: string \"bursty\", expected \"poisson\", \"deterministic\"",
    );
    let text = base().replace(
        "arrivals = \"deterministic\"",
        "arrivals = { process = \"negative_binomial\", dispersion = 0 }",
    );
    assert_problem(
        &text,
        "{ process",
        "dispersion is 0; expected a dispersion of at least 0.01",
    );
}

#[test]
fn hq_staff_is_needed_for_a_planned_status_quo() {
    let text = base().replace("hq_staff_fte = { GS = 1 }", "hq_staff_fte = { GS = 0 }");
    assert_problem(
        &text,
        "{ GS = 0 }",
        "hq_staff_fte of `agency_a` in `claims` is all 0",
    );
}

#[test]
fn a_centre_must_have_work_in_each_line_it_serves() {
    let text = base()
        .replace("[[location]]\nid = \"hq\"", "[[service_line]]\nid = \"travel\"\neffort_minutes_per_transaction = 5\nservice_level_target_days = 1\nservice_level_target_share = 0.9\n\n[[location]]\nid = \"hq\"")
        .replace("service_lines = [\"claims\"]", "service_lines = [\"claims\", \"travel\"]");
    assert_problem(
        &text,
        "\"travel\"]",
        "centre `centre` serves `travel` but none of its agencies has work in it",
    );
}

#[test]
fn volumes_that_would_grow_beyond_the_daily_limit_are_rejected() {
    // 1e9 a year growing 100% a year for 99 years would be ~1e36 a day.
    let text = base()
        .replace("horizon_years = 2", "horizon_years = 100")
        .replace("annual_volume = 120", "annual_volume = 1e9")
        .replace(
            "volume_growth_rate_per_year = 0.5",
            "volume_growth_rate_per_year = { dist = \"uniform\", min = 0, max = 1 }",
        );
    assert_problem(
        &text,
        "1e9",
        "annual_volume, grown over 99 years, can reach 5.282e37 transactions a working day; expected at most 1e9 a day",
    );
}

#[test]
fn mechanism_tables_are_checked_like_the_rest() {
    let text = base() + "\n[mechanisms.learning_and_scale]\nlearning_rate = 1.5\n";
    // The first "1.5" is the exchange-rate factor.
    assert_problem_at(
        &text,
        "1.5\n",
        1,
        "learning_rate is 1.5; expected a rate greater than 0 and at most 1",
    );
    let text = base() + "\n[mechanisms.span_of_control]\nspan = 10\n";
    assert_problem(&text, "span = 10", "unknown field `span`");
    let text = base() + "\n[mechanisms.learning]\n";
    assert_problem(&text, "learning]", "unknown field `learning`");
    let text = base() + "\n[mechanisms.harmonisation]\nproject_years = -1\n";
    assert_problem(
        &text,
        "-1\n",
        "project_years is -1; expected an integer from 0 to 2",
    );
    // The linear penalty's keys say what replaced them.
    let text = base() + "\n[mechanisms.harmonisation]\npenalty_per_additional_agency = 0.1\n";
    assert_problem_last(
        &text,
        "0.1\n",
        "`mechanisms.harmonisation.penalty_per_additional_agency` was replaced; expected `rules_penalty_ceiling` and `platform_penalty_ceiling`",
    );
    let text = base() + "\n[mechanisms.harmonisation]\nremaining_penalty_share = 0.25\n";
    assert_problem_last(
        &text,
        "0.25\n",
        "`mechanisms.harmonisation.remaining_penalty_share` was replaced; expected `adoption_share`",
    );
    // Platforms and rule sets are declared for known agencies, by identifiers.
    let text = base() + "\n[mechanisms.harmonisation]\nplatform = { agency_b = \"sap\" }\n";
    assert_problem_last(
        &text,
        "agency_b",
        "unknown agency `agency_b`; expected one of the declared agency ids: `agency_a`",
    );
    let text = base() + "\n[mechanisms.harmonisation]\nrule_set = { agency_a = \"=x\" }\n";
    assert_problem_last(
        &text,
        "\"=x\"",
        "rule set id `=x` is not a valid identifier",
    );
    let text = base() + "\n[mechanisms.harmonisation]\ncommon_process_gain_share = 0.95\n";
    assert_problem_last(
        &text,
        "0.95\n",
        "common_process_gain_share is 0.95; expected a share from 0 to 0.9",
    );
    let text = base() + "\n[mechanisms.harmonisation]\nhalf_saturation_additional = 0\n";
    assert_problem_last(
        &text,
        "0\n",
        "half_saturation_additional is 0; expected a number of additional",
    );
    let text = base() + "\n[mechanisms.variance_pooling]\nvolume_correlation = 1.2\n";
    assert_problem(
        &text,
        "1.2\n",
        "volume_correlation is 1.2; expected a share from 0 to 1",
    );
}

#[test]
fn supervisors_and_overhead_staff_need_a_cost_where_they_work() {
    let text = base() + "\n[mechanisms.span_of_control]\nsupervisor_grade_mix = { NPO = 1 }\n";
    assert_problem(
        &text,
        "[mechanisms.span_of_control]",
        "span_of_control's supervisors employs NPO staff but location `hq` has no NPO cost",
    );
    let text = base() + "\n[mechanisms.fixed_overhead]\n";
    // The default overhead includes a director; the offshore location has no D cost.
    assert_problem(
        &text,
        "\"centre\"",
        "the overhead staff of centre `centre` employs D staff but location `offshore` has no D cost",
    );
}

#[test]
fn the_comparison_names_two_declared_strategies() {
    let text = base() + "\n[comparison]\nfragmented = \"solo\"\npooled = \"offshore\"\n";
    assert_problem(&text, "\"solo\"", "unknown strategy `solo`");
    let text = base() + "\n[comparison]\nfragmented = \"offshore\"\npooled = \"offshore\"\n";
    // Occurrences: the location, the strategy, the centre's location, fragmented, pooled.
    assert_problem_at(
        &text,
        "\"offshore\"",
        4,
        "the fragmented and pooled strategies are the same",
    );
    let ok = base() + "\n[comparison]\nfragmented = \"status_quo\"\npooled = \"offshore\"\n";
    let scenario = sscsim::scenario::parse("s.toml", &ok).unwrap();
    assert_eq!(
        scenario.comparison,
        Some(sscsim::model::Comparison {
            fragmented: 0,
            pooled: 1
        })
    );
}

/// The base scenario with its line turned into a contact line, and its
/// headquarters given a time zone.
fn contact_line(keys: &str) -> String {
    contact_line_without_time_zone(keys)
        .replace("id = \"hq\"\n", "id = \"hq\"\nutc_offset_hours = 1\n")
}

fn contact_line_without_time_zone(keys: &str) -> String {
    base().replace(
        "effort_minutes_per_transaction = 10\nservice_level_target_days = 0\nservice_level_target_share = 0.95\n",
        &format!("kind = \"contact\"\n{keys}"),
    )
}

#[test]
fn contact_lines_take_their_own_keys() {
    let valid = "handle_time_seconds = 240\nanswer_within_seconds = 20\nanswer_share = 0.8\n";
    sscsim::scenario::parse("s.toml", &contact_line(valid)).unwrap();
    let text = contact_line(&format!("{valid}service_level_target_days = 17\n"));
    assert_problem(
        &text,
        "17\n",
        "service_level_target_days is not a key of a contact line; expected answer_within_seconds",
    );
    let text = contact_line("answer_within_seconds = 20\nanswer_share = 0.8\n");
    assert_problem(
        &text,
        "\"claims\"",
        "service line `claims` has no handle_time_seconds",
    );
    let text = base().replace(
        "service_level_target_share = 0.95\n",
        "service_level_target_share = 0.95\nanswer_share = 0.8\n",
    );
    assert_problem(&text, "0.8\n", "answer_share is not a key of a queue line");
}

#[test]
fn an_hourly_profile_has_24_weights_not_all_zero() {
    let keys = "handle_time_seconds = 240\nanswer_within_seconds = 20\nanswer_share = 0.8\n";
    let text = contact_line(&format!("{keys}hourly_profile = [1, 2, 3]\n"));
    assert_problem(
        &text,
        "[1, 2, 3]",
        "hourly_profile has 3 weights; expected 24 weights",
    );
    let zeros = vec!["0"; 24].join(", ");
    let text = contact_line(&format!("{keys}hourly_profile = [{zeros}]\n"));
    assert_problem(&text, "[0, 0", "hourly_profile weights are all 0");
    let mut weights = vec!["1"; 24];
    weights[5] = "-1";
    let text = contact_line(&format!(
        "{keys}hourly_profile = [{}]\n",
        weights.join(", ")
    ));
    assert_problem(&text, "-1", "an hourly_profile weight is -1");
}

#[test]
fn a_time_zone_is_between_utc_minus_12_and_plus_14() {
    let text = base().replace("id = \"hq\"\n", "id = \"hq\"\nutc_offset_hours = 15\n");
    assert_problem(&text, "15\n", "utc_offset_hours is 15");
}

#[test]
fn callers_of_a_contact_line_need_their_headquarters_time_zone() {
    let keys = "handle_time_seconds = 240\nanswer_within_seconds = 20\nanswer_share = 0.8\n";
    sscsim::scenario::parse("s.toml", &contact_line(keys)).unwrap();
    assert_problem(
        &contact_line_without_time_zone(keys),
        "\"hq\"\n\n[agency.service_line",
        "location `hq` has no utc_offset_hours, but `agency_a`'s callers on contact line `claims` ring in its business hours",
    );
}

#[test]
fn scenarios_beyond_the_size_limits_are_refused_before_anything_runs() {
    let agencies = |count: usize| -> String {
        (0..count)
            .map(|i| {
                format!(
                    "[[agency]]\nid = \"extra_{i}\"\nhq_location = \"hq\"\n\
                     [agency.service_line.claims]\nannual_volume = 1\nhq_staff_fte = {{ GS = 1 }}\n"
                )
            })
            .collect()
    };
    // 502 agencies: refused at once, at the start of the file.
    let text = base() + &agencies(501);
    assert_problem(
        &text,
        "#",
        "the scenario has 502 [[agency]] tables; expected at most 500",
    );

    // 500 agencies × 3 service lines × 100 years of 366 working days are
    // 54.9 million daily counts a replication: beyond the 50 million bound.
    let long = base()
        .replace("horizon_years = 2", "horizon_years = 100")
        .replace("working_days_per_year = 12", "working_days_per_year = 366")
        .replace(
            "volume_growth_rate_per_year = 0.5",
            "volume_growth_rate_per_year = 0",
        );
    sscsim::scenario::parse("s.toml", &long).unwrap();
    let lines = "[[service_line]]\nid = \"extra_line_1\"\neffort_minutes_per_transaction = 10\n\
                 service_level_target_days = 0\nservice_level_target_share = 0.95\n\
                 [[service_line]]\nid = \"extra_line_2\"\neffort_minutes_per_transaction = 10\n\
                 service_level_target_days = 0\nservice_level_target_share = 0.95\n";
    let text = format!("{long}{lines}{}", agencies(499));
    assert_problem(
        &text,
        "100\nworking_days_per_year = 366",
        "agencies × service lines × working days of the horizon is 54900000 daily counts a replication",
    );
    // One line fewer: 36.6 million, within the bound (the extra agencies'
    // work is left unassigned, which is another matter).
    let text = format!("{long}{}", agencies(499));
    let diagnostics = sscsim::scenario::parse("s.toml", &text).unwrap_err();
    assert!(
        diagnostics
            .problems
            .iter()
            .all(|p| !p.message.contains("daily counts")),
        "{}",
        diagnostics.problems[0].message
    );
}

#[test]
fn a_scenario_without_locations_or_lines_is_reported_not_checked_further() {
    // Found by fuzzing: agencies whose headquarters refer to no declared
    // location at all once made the status quo index an empty list.
    let base = base();
    let first_location = base.find("[[location]]").unwrap();
    let first_agency = base.find("[[agency]]").unwrap();
    let text = format!("{}{}", &base[..first_location], &base[first_agency..]);
    let problems = sscsim::scenario::parse("s.toml", &text)
        .unwrap_err()
        .problems;
    let messages: Vec<&str> = problems.iter().map(|p| p.message.as_str()).collect();
    assert_eq!(
        messages,
        ["the scenario has no [[location]]; expected at least one [[location]] table"]
    );
    let first_line = base.find("[[service_line]]").unwrap();
    let text = format!("{}{}", &base[..first_line], &base[first_location..]);
    let problems = sscsim::scenario::parse("s.toml", &text)
        .unwrap_err()
        .problems;
    assert!(
        problems[0]
            .message
            .starts_with("the scenario has no [[service_line]]")
    );
}

#[test]
fn transfer_and_optimism_bias_out_of_range() {
    let cases = [
        ("staff_transfer_share = 1.5", "1.5", "a share from 0 to 1"),
        ("relocation_cost_usd_per_person = -1", "-1", "at least 0"),
        (
            "optimism_bias_cost_uplift = 6",
            "6",
            "an uplift from 0 to 5",
        ),
        (
            "optimism_bias_duration_uplift = -0.1",
            "-0.1",
            "an uplift from 0 to 5",
        ),
    ];
    for (line, value, expected) in cases {
        let text = format!("{}\n[transition]\n{line}\n", base());
        let (key, _) = line.split_once(" = ").unwrap();
        let needle = format!("{key} = {value}");
        let column_of_value = needle.len() - value.len();
        let message = format!("{key} is {value}; expected");
        let diagnostics = sscsim::scenario::parse("s.toml", &text).unwrap_err();
        let problem = diagnostics
            .problems
            .iter()
            .find(|p| p.message.contains(&message))
            .unwrap_or_else(|| panic!("no problem with {key}:\n{diagnostics}"));
        assert!(problem.message.contains(expected), "{}", problem.message);
        assert_eq!(problem.column, column_of_value + 1, "{}", problem.message);
    }
}
