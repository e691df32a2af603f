//! Uncertain inputs for a reader: `location.budapest.annual_cost_usd_per_fte.GS`
//! becomes "Budapest GS cost (USD/FTE-year)". Paths are stable and exact,
//! and stay in the files' `input` column; labels use the scenario's own
//! names and say each input's unit, for charts and tables a person reads.

use crate::model::Scenario;

/// The label of the uncertain input at `path` (as [`crate::model::UncertainInput::name`]
/// writes it) in `scenario`: the names of what it belongs to, what it is,
/// and its unit in brackets. A path of a form not known here gets its
/// words, so a label is never empty.
pub(crate) fn input_label(scenario: &Scenario, path: &str) -> String {
    let parts: Vec<&str> = path.split('.').collect();
    let known = match parts.as_slice() {
        ["location", id, "annual_cost_usd_per_fte", grade] => Some(format!(
            "{} {grade} cost (USD/FTE-year)",
            location_name(scenario, id)
        )),
        ["location", id, field] => Some(format!(
            "{} {}",
            location_name(scenario, id),
            field_label(field)
        )),
        ["agency", agency, "service_line", line, field] => Some(format!(
            "{} {} {}",
            agency_name(scenario, agency),
            line_name(scenario, line),
            field_label(field)
        )),
        ["service_line", line, field] => Some(format!(
            "{} {}",
            line_name(scenario, line),
            field_label(field)
        )),
        ["strategy", _, "centre", centre, go_live, "bad_go_live"] => {
            go_live.strip_prefix("go_live_month_").map(|month| {
                format!(
                    "{} go-live in month {month} goes badly (0/1)",
                    words(centre)
                )
            })
        }
        ["strategy", _, "centre", centre, field] => {
            Some(format!("{} {}", words(centre), field_label(field)))
        }
        [first, .., field] if ["settings", "pool", "transition"].contains(first) => {
            Some(field_label(field))
        }
        ["mechanisms", table, .., field] => {
            Some(format!("{} {}", words(table), field_label(field)))
        }
        _ => None,
    };
    known.unwrap_or_else(|| words(path))
}

/// A location's name, without a bracketed remark: "Geneva (UNHCR
/// headquarters)" is "Geneva".
fn location_name(scenario: &Scenario, id: &str) -> String {
    name_of(id, scenario.locations.iter().map(|l| (&l.id, &l.name)))
}

fn agency_name(scenario: &Scenario, id: &str) -> String {
    name_of(id, scenario.agencies.iter().map(|a| (&a.id, &a.name)))
}

fn line_name(scenario: &Scenario, id: &str) -> String {
    name_of(id, scenario.service_lines.iter().map(|l| (&l.id, &l.name)))
}

/// The name of the entry of `id` among `(id, name)` pairs, without a
/// bracketed remark; `id` in words when no entry has it.
fn name_of<'a>(id: &str, mut entries: impl Iterator<Item = (&'a String, &'a String)>) -> String {
    entries
        .find(|(entry_id, _)| *entry_id == id)
        .map_or_else(|| words(id), |(_, name)| without_remark(name))
}

/// `name` up to a bracketed remark at its end.
fn without_remark(name: &str) -> String {
    let trimmed = match name.find(" (") {
        Some(i) if name.ends_with(')') && i > 0 => &name[..i],
        _ => name,
    };
    if trimmed.is_empty() { name } else { trimmed }.to_owned()
}

/// Ids and keys in words: `go_live` is `go live`.
fn words(id: &str) -> String {
    id.replace(['_', '.'], " ")
}

/// What a key is, with its unit: `annual_volume` is "volume
/// (transactions/year)". Keys not listed get their words and the unit
/// their suffix names.
fn field_label(field: &str) -> String {
    let known = match field {
        "annual_volume" => "volume (transactions/year)",
        "volume_growth_rate_per_year" => "volume growth (share/year)",
        "effort_minutes_per_transaction" => "effort (minutes/transaction)",
        "handle_time_seconds" => "handle time (seconds)",
        "patience_seconds" => "patience (seconds)",
        "volume_correlation" => "volume correlation",
        "salary_escalation_rate_per_year" => "salary escalation (share/year)",
        "exchange_rate_factor" => "exchange-rate factor (× USD cost)",
        "site_setup_cost_usd" => "site set-up cost (USD)",
        "site_fixed_cost_usd_per_year" => "site fixed cost (USD/year)",
        "fixed_cost_usd_per_year" => "fixed cost (USD/year)",
        "discount_rate_per_year" => "discount rate (share/year)",
        "availability_share" => "availability (share)",
        _ => "",
    };
    if !known.is_empty() {
        return known.to_owned();
    }
    const UNITS: [(&str, &str); 7] = [
        ("_usd_per_year", "USD/year"),
        ("_usd", "USD"),
        ("_rate_per_year", "share/year"),
        ("_share", "share"),
        ("_seconds", "seconds"),
        ("_minutes", "minutes"),
        ("_months", "months"),
    ];
    UNITS
        .iter()
        .find_map(|(suffix, unit)| {
            let stem = field.strip_suffix(suffix)?;
            Some(format!("{} ({unit})", words(stem)))
        })
        .unwrap_or_else(|| words(field))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::default_scenario;

    #[test]
    fn inputs_are_named_by_the_scenarios_names_with_their_units() {
        let s = default_scenario();
        let label = |path: &str| input_label(&s, path);
        assert_eq!(
            label("location.budapest.annual_cost_usd_per_fte.GS"),
            "Budapest GS cost (USD/FTE-year)"
        );
        assert_eq!(
            label("location.geneva.exchange_rate_factor"),
            "Geneva exchange-rate factor (× USD cost)"
        );
        assert_eq!(
            label("agency.unhcr.service_line.hr.annual_volume"),
            "UNHCR HR administration volume (transactions/year)"
        );
        assert_eq!(
            label("service_line.payroll.effort_minutes_per_transaction"),
            "Payroll effort (minutes/transaction)"
        );
        assert_eq!(
            label("strategy.solo.centre.unhcr_budapest.go_live_month_12.bad_go_live"),
            "unhcr budapest go-live in month 12 goes badly (0/1)"
        );
        assert_eq!(
            label("mechanisms.harmonisation.adoption_share"),
            "harmonisation adoption (share)"
        );
        assert_eq!(label("settings.availability_share"), "availability (share)");
        assert_eq!(
            label("pool.fixed_cost_usd_per_year"),
            "fixed cost (USD/year)"
        );
        assert_eq!(label("odd.path_here"), "odd path here");
    }

    #[test]
    fn an_id_the_scenario_does_not_name_is_labelled_by_its_words() {
        let s = default_scenario();
        assert_eq!(
            input_label(&s, "agency.new_agency.service_line.no_line.annual_volume"),
            "new agency no line volume (transactions/year)"
        );
        assert_eq!(
            input_label(&s, "location.unhcr.exchange_rate_factor"),
            "unhcr exchange-rate factor (× USD cost)"
        );
    }
}
