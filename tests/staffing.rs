//! The staffing policy: `peak` teams staffed for their busiest month all
//! year, `flex` cores with capped temporary capacity at a premium in the
//! busier months, against values worked out by hand.

use sscsim::metrics::YearMetric;

use crate::model::metrics;
use crate::util::{
    assert_close, assert_problem_at, bundled_stems, bundled_text, fixture_text, strategy,
};

/// tests/fixtures/hand-computed.toml with a seasonal year: one working day
/// a month, daily demand 120 × weight / 12 = 10 × weight in year 0 —
/// 5 in four months, 10 in six, 20 in the last two — and × 1.5 in year 1.
fn seasonal(settings: &str) -> String {
    fixture_text("hand-computed.toml")
        .replace(
            "availability_share = 1.0",
            &format!("availability_share = 1.0\n{settings}"),
        )
        .replace(
            "hq_staff_fte = { GS = 1 }",
            "hq_staff_fte = { GS = 1 }\nseasonality = [0.5, 0.5, 0.5, 0.5, 1, 1, 1, 1, 1, 1, 2, 2]",
        )
}

/// The offshore strategy's yearly figures in the first replication.
fn offshore_years(text: &str) -> Vec<sscsim::metrics::YearValues> {
    let (scenario, mut rows) = metrics(text, 1);
    rows.remove(0).years[strategy(&scenario, "offshore")].clone()
}

fn year_values(years: &[sscsim::metrics::YearValues], metric: YearMetric) -> Vec<f64> {
    years.iter().map(|y| y[metric].unwrap()).collect()
}

/// Peak: 20 a day × 10 min / 100 min = 2 FTE in year 0, 3 in year 1, at
/// 0.5 × 400 + 0.5 × 800 = 600 USD each. Flex on the median month (the
/// sorted months' 6th and 7th, both 10 a day): a core of 1 FTE (1.5 in
/// year 1) with a capacity of 10 (15) a day; the two busy months need 10
/// (15) more, capped at 0.3 × 10 = 3 (4.5) a day, 0.3 (0.45) FTE at the
/// core's 10 transactions per FTE, for 2 of 12 months: 0.05 (0.075)
/// FTE-years at 600 USD × 1.5 = 45 (67.5) USD.
#[test]
fn flex_plans_the_core_on_the_median_month_and_pays_capped_temporary_capacity_at_its_premium() {
    let peak = offshore_years(&seasonal(""));
    let flex = offshore_years(&seasonal(
        "staffing_policy = \"flex\"\ncore_percentile = 0.5\ntemporary_cap_share = 0.3\ntemporary_premium_share = 0.5",
    ));
    let (peak_cost, flex_cost) = (
        year_values(&peak, YearMetric::AnnualCostUsd),
        year_values(&flex, YearMetric::AnnualCostUsd),
    );
    assert_close(
        peak_cost[0] - flex_cost[0],
        1200.0 - (600.0 + 45.0),
        "year 0",
    );
    assert_close(
        peak_cost[1] - flex_cost[1],
        1800.0 - (900.0 + 67.5),
        "year 1",
    );
    // Staff figures count the core only.
    let (peak_fte, flex_fte) = (
        year_values(&peak, YearMetric::FteTotal),
        year_values(&flex, YearMetric::FteTotal),
    );
    assert_close(peak_fte[0] - flex_fte[0], 2.0 - 1.0, "FTE year 0");
    assert_close(peak_fte[1] - flex_fte[1], 3.0 - 1.5, "FTE year 1");
}

/// The defaults are the median month, a cap of 0.3 and a premium of 0.5:
/// the same plan as written out above.
#[test]
fn flex_defaults_are_the_median_a_cap_of_three_tenths_and_time_and_a_half() {
    let written = offshore_years(&seasonal(
        "staffing_policy = \"flex\"\ncore_percentile = 0.5\ntemporary_cap_share = 0.3\ntemporary_premium_share = 0.5",
    ));
    let defaults = offshore_years(&seasonal("staffing_policy = \"flex\""));
    assert_eq!(
        year_values(&written, YearMetric::AnnualCostUsd),
        year_values(&defaults, YearMetric::AnnualCostUsd)
    );
}

/// With a cap of 0 the busy months' 20 a day meet a capacity of 10: the
/// queue measures the work left late (a same-day target). With a cap high
/// enough, temporary capacity of 10 a day in each of them meets the whole
/// peak on time; its cost is 10 a day = 1 FTE for 2 months: 1/6 FTE-year
/// at 600 × 1.5 = 150 USD in year 0.
#[test]
fn a_cap_too_low_shows_as_a_lower_measured_service_level() {
    let capped = offshore_years(&seasonal(
        "staffing_policy = \"flex\"\ntemporary_cap_share = 0",
    ));
    let open = offshore_years(&seasonal(
        "staffing_policy = \"flex\"\ntemporary_cap_share = 1",
    ));
    let capped_level = year_values(&capped, YearMetric::ServiceLevel);
    let open_level = year_values(&open, YearMetric::ServiceLevel);
    assert_close(open_level[0], 1.0, "service level with room for the peak");
    assert!(
        capped_level[0] < 0.95,
        "with no temporary capacity the peak months are late: {capped_level:?}"
    );
    let capped_cost = year_values(&capped, YearMetric::AnnualCostUsd);
    let open_cost = year_values(&open, YearMetric::AnnualCostUsd);
    assert_close(
        open_cost[0] - capped_cost[0],
        150.0,
        "temporary capacity's cost",
    );
}

/// A centre's `staffing_policy` overrides the scenario's.
#[test]
fn a_centre_may_staff_flex_in_a_peak_scenario() {
    let peak = offshore_years(&seasonal(""));
    let centre_flex = seasonal("").replace(
        "grade_mix = { GS = 0.5, P = 0.5 }",
        "grade_mix = { GS = 0.5, P = 0.5 }\nstaffing_policy = \"flex\"",
    );
    let flex = offshore_years(&centre_flex);
    let cost = |y: &[sscsim::metrics::YearValues]| year_values(y, YearMetric::AnnualCostUsd);
    assert_close(cost(&peak)[0] - cost(&flex)[0], 1200.0 - 645.0, "year 0");
    // And a centre may keep `peak` in a flex scenario.
    let centre_peak = seasonal("staffing_policy = \"flex\"").replace(
        "grade_mix = { GS = 0.5, P = 0.5 }",
        "grade_mix = { GS = 0.5, P = 0.5 }\nstaffing_policy = \"peak\"",
    );
    assert_eq!(cost(&offshore_years(&centre_peak)), cost(&peak));
}

/// At the 100th percentile the core is the busiest month: `peak` to the bit.
#[test]
fn flex_at_the_top_percentile_is_peak() {
    let peak = offshore_years(&seasonal(""));
    let top = offshore_years(&seasonal("staffing_policy = \"flex\"\ncore_percentile = 1"));
    assert_eq!(
        year_values(&peak, YearMetric::AnnualCostUsd),
        year_values(&top, YearMetric::AnnualCostUsd)
    );
}

#[test]
fn bad_staffing_policies_are_positioned_problems() {
    let text = seasonal("staffing_policy = \"seasonal\"");
    assert_problem_at(
        &text,
        "\"seasonal\"",
        0,
        "unknown variant `seasonal`, expected `peak` or `flex`",
    );
    let text = seasonal("").replace(
        "grade_mix = { GS = 0.5, P = 0.5 }",
        "grade_mix = { GS = 0.5, P = 0.5 }\nstaffing_policy = \"busy\"",
    );
    assert_problem_at(
        &text,
        "\"busy\"",
        0,
        "unknown variant `busy`, expected `peak` or `flex`",
    );
    for (key, value, message) in [
        (
            "core_percentile",
            "1.25",
            "core_percentile is 1.25; expected a percentile from 0 to 1",
        ),
        (
            "temporary_cap_share",
            "-0.125",
            "temporary_cap_share is -0.125; expected a share of the core's capacity from 0 to 10",
        ),
        (
            "temporary_premium_share",
            "11.5",
            "temporary_premium_share is 11.5; expected a share of the staff cost from 0 to 10",
        ),
    ] {
        let text = seasonal(&format!("staffing_policy = \"flex\"\n{key} = {value}"));
        assert_problem_at(&text, value, 0, message);
    }
}

/// The core is at most the busiest month, and planning is monotone: in
/// every bundled scenario, every strategy, year and replication, `flex`
/// staff (the core) are never more than `peak` staff on the same draws.
#[test]
fn flex_never_has_more_staff_than_peak_on_the_same_draws() {
    let mut lower = 0;
    for stem in bundled_stems() {
        if stem == "large" {
            continue;
        }
        let text = bundled_text(&stem);
        let flex_text = text.replacen("[settings]", "[settings]\nstaffing_policy = \"flex\"", 1);
        let (_, peak) = metrics(&text, 2);
        let (_, flex) = metrics(&flex_text, 2);
        for (p, f) in peak.iter().zip(&flex) {
            for (p, f) in p.years.iter().flatten().zip(f.years.iter().flatten()) {
                let (p, f) = (
                    p[YearMetric::FteTotal].unwrap(),
                    f[YearMetric::FteTotal].unwrap(),
                );
                assert!(f <= p + 1e-9 * p, "{stem}: flex {f} FTE above peak {p}");
                lower += usize::from(f < p);
            }
        }
    }
    assert!(lower > 0, "flex changed no staffing at all");
}
