//! `[[input_group]]`: a named group of uncertain inputs whose value of
//! information `voi.csv` estimates together, its members given by patterns
//! over the inputs' ids where `*` stands for any characters
//! (`"location.budapest.*"`). Checked last, when every input has its id.

use std::collections::HashSet;

use serde::Deserialize;
use toml::Spanned;

use super::correlation::{NAME_FORMS, closest_suggestion};
use super::validate::{MAX_ID_CHARS, Validator};
use crate::model::InputGroup;

/// The most `[[input_group]]` tables a scenario may have: each is one more
/// regression fitted, with its bootstrap, after a run.
pub(in crate::scenario) const MAX_INPUT_GROUPS: usize = 200;

/// The most patterns one group may list.
pub(in crate::scenario) const MAX_GROUP_PATTERNS: usize = 1_000;

/// The name `voi.csv` gives the EVPI's row, which no group may take.
const ALL: &str = "all";

/// `[[input_group]]`: a name and the patterns of its inputs.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawInputGroup {
    pub name: Spanned<String>,
    pub inputs: Spanned<Vec<Spanned<String>>>,
}

/// The scenario's input groups, once every parameter has been read.
pub(super) fn input_groups(
    v: &mut Validator,
    tables: &[Spanned<RawInputGroup>],
) -> Vec<InputGroup> {
    if let Some(extra) = tables.get(MAX_INPUT_GROUPS) {
        v.problem(
            extra.span(),
            format!("the scenario has {} [[input_group]] tables", tables.len()),
            format!("at most {MAX_INPUT_GROUPS}"),
        );
        return Vec::new();
    }
    let mut names = HashSet::new();
    (tables.iter())
        .filter_map(|table| table.get_ref().validate(v, &mut names))
        .collect()
}

impl RawInputGroup {
    fn validate(&self, v: &mut Validator, names: &mut HashSet<String>) -> Option<InputGroup> {
        let name = self.checked_name(v, names);
        let patterns = self.inputs.get_ref();
        if patterns.is_empty() || patterns.len() > MAX_GROUP_PATTERNS {
            v.problem(
                self.inputs.span(),
                format!("[[input_group]] lists {} patterns", patterns.len()),
                format!("from 1 to {MAX_GROUP_PATTERNS} patterns of input ids"),
            );
            return None;
        }
        let mut inputs = Vec::new();
        let mut matched_all = true;
        for pattern in patterns {
            let text = pattern.get_ref();
            let matches: Vec<usize> = (v.inputs.iter().enumerate())
                .filter(|(_, input)| glob_matches(text, &input.name))
                .map(|(i, _)| i)
                .collect();
            if matches.is_empty() {
                matched_all = false;
                no_match(v, pattern);
            }
            inputs.extend(matches);
        }
        inputs.sort_unstable();
        inputs.dedup();
        Some(InputGroup {
            name: name?,
            inputs: matched_all.then_some(inputs)?,
        })
    }

    /// The group's name, if it is well formed and not taken.
    fn checked_name(&self, v: &mut Validator, names: &mut HashSet<String>) -> Option<String> {
        let name = self.name.get_ref();
        let well_formed = !name.is_empty()
            && name.chars().count() <= MAX_ID_CHARS
            && (name.chars()).all(|c| c.is_ascii_alphanumeric() || "_.-".contains(c));
        if !well_formed {
            v.problem(
                self.name.span(),
                format!("the group name `{name}` is not a short id"),
                format!(
                    "1 to {MAX_ID_CHARS} letters, digits, `_`, `.` or `-`, such as \"budapest_costs\""
                ),
            );
            return None;
        }
        let taken = if name == ALL {
            Some("the EVPI's row in voi.csv")
        } else if v.inputs.iter().any(|i| i.name == *name) {
            Some("an uncertain input's id")
        } else if !names.insert(name.clone()) {
            Some("the name of an earlier [[input_group]]")
        } else {
            None
        };
        if let Some(taken) = taken {
            v.problem(
                self.name.span(),
                format!("the group name `{name}` is already {taken}"),
                "a name of its own",
            );
            return None;
        }
        Some(name.clone())
    }
}

/// Reports that `pattern` matches no uncertain input, with the closest ids.
fn no_match(v: &mut Validator, pattern: &Spanned<String>) {
    let text = pattern.get_ref();
    let suggestion = closest_suggestion(v, text);
    v.problem(
        pattern.span(),
        format!("the pattern `{text}` matches no uncertain input"),
        format!(
            "the id of an uncertain input, `*` standing for any characters ({NAME_FORMS}){suggestion}"
        ),
    );
}

/// Whether `text` matches `pattern`, in which `*` stands for any run of
/// characters (none included) and every other character for itself.
pub(crate) fn glob_matches(pattern: &str, text: &str) -> bool {
    let mut parts = pattern.split('*');
    let first = parts.next().unwrap_or("");
    let Some(mut rest) = text.strip_prefix(first) else {
        return false;
    };
    let parts: Vec<&str> = parts.collect();
    let Some((last, middle)) = parts.split_last() else {
        return rest.is_empty();
    };
    for part in middle {
        match rest.find(part) {
            Some(at) => rest = &rest[at + part.len()..],
            None => return false,
        }
    }
    rest.len() >= last.len() && rest.ends_with(last)
}

#[cfg(test)]
mod tests {
    use super::glob_matches;

    #[test]
    fn a_star_stands_for_any_characters_and_the_rest_for_themselves() {
        assert!(glob_matches(
            "location.budapest.*",
            "location.budapest.exchange_rate_factor"
        ));
        assert!(!glob_matches("location.budapest.*", "location.budapest"));
        assert!(glob_matches(
            "*.annual_volume",
            "agency.a.service_line.hr.annual_volume"
        ));
        assert!(glob_matches(
            "agency.*.service_line.hr.*",
            "agency.a.service_line.hr.annual_volume"
        ));
        assert!(!glob_matches(
            "agency.*.service_line.hr.*",
            "agency.a.service_line.finance.x"
        ));
        assert!(glob_matches(
            "transition.offer_decline_rate",
            "transition.offer_decline_rate"
        ));
        assert!(!glob_matches(
            "transition.offer",
            "transition.offer_decline_rate"
        ));
        assert!(glob_matches("*", "anything"));
        assert!(glob_matches("a*a", "aa"));
        assert!(!glob_matches("a*a", "a"));
        assert!(glob_matches("**x", "x"));
    }
}
