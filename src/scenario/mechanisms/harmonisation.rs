//! `[mechanisms.harmonisation]`: the penalty of serving several agencies'
//! rules and platforms, the project that designs a common process, its
//! adoption and its gain, with the documented defaults of
//! `model::mechanisms::harmonisation`. The agencies' platforms and rule
//! sets are declared here, in the mechanism's own table, as maps from
//! agency id to a name, so that an agency's `[[agency]]` table stays about
//! its work and a scenario without the mechanism never mentions them.

use std::collections::{BTreeMap, HashMap};

use serde::Deserialize;
use toml::Spanned;

use crate::model::Harmonisation;
use crate::model::mechanisms::harmonisation;
use crate::scenario::mechanisms::Declared;
use crate::scenario::number::RawNumber;
use crate::scenario::validate::{Domain, NON_NEGATIVE, SHARE, Validator};

/// Agency id → the name of its platform, or of its rule set.
type RawGroups = BTreeMap<Spanned<String>, Spanned<String>>;

/// `[mechanisms.harmonisation]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawHarmonisation {
    pub rules_penalty_ceiling: Option<Spanned<RawNumber>>,
    pub platform_penalty_ceiling: Option<Spanned<RawNumber>>,
    pub half_saturation_additional: Option<Spanned<RawNumber>>,
    pub project_cost_usd_per_additional_agency: Option<Spanned<RawNumber>>,
    pub project_years: Option<Spanned<i64>>,
    pub adoption_share: Option<Spanned<RawNumber>>,
    pub adoption_ramp_years: Option<Spanned<i64>>,
    pub common_process_gain_share: Option<Spanned<RawNumber>>,
    pub platform: Option<RawGroups>,
    pub rule_set: Option<RawGroups>,
    /// Replaced: read only to say by what.
    pub penalty_per_additional_agency: Option<Spanned<toml::Value>>,
    /// Replaced: read only to say by what.
    pub remaining_penalty_share: Option<Spanned<toml::Value>>,
}

const TABLE: &str = "mechanisms.harmonisation";

const PENALTY_CEILING: Domain = Domain::closed(
    0.0,
    10.0,
    "an extra effort from 0 to 10 (0.15 = at most +15%)",
);

const HALF_SATURATION: Domain = Domain::above(
    0.0,
    1000.0,
    "a number of additional rule sets or platforms above 0 (at most 1000)",
);

/// A gain of the whole effort would make work take no time.
const GAIN: Domain = Domain::closed(0.0, 0.9, "a share from 0 to 0.9");

impl RawHarmonisation {
    /// The harmonisation diseconomy, its project and adoption ramp taking at
    /// most the `declared` horizon, its platforms and rule sets declared for
    /// the `declared` agencies.
    pub(super) fn validate(&self, v: &mut Validator, declared: &Declared) -> Harmonisation {
        self.no_replaced_keys(v);
        let horizon_years = declared.horizon_years();
        let years = |v: &mut Validator, name: &str, raw: &Option<Spanned<i64>>, default: i64| {
            (raw.as_ref())
                .and_then(|y| v.integer(name, y, 0, horizon_years))
                .unwrap_or(default as u64) as u32
        };
        let key = |v: &mut Validator, name: &str, raw, domain, default| {
            v.optional_key(TABLE, name, raw, domain, default)
        };
        Harmonisation {
            rules_penalty_ceiling: key(
                v,
                "rules_penalty_ceiling",
                &self.rules_penalty_ceiling,
                PENALTY_CEILING,
                harmonisation::RULES_PENALTY_CEILING,
            ),
            platform_penalty_ceiling: key(
                v,
                "platform_penalty_ceiling",
                &self.platform_penalty_ceiling,
                PENALTY_CEILING,
                harmonisation::PLATFORM_PENALTY_CEILING,
            ),
            half_saturation_additional: key(
                v,
                "half_saturation_additional",
                &self.half_saturation_additional,
                HALF_SATURATION,
                harmonisation::HALF_SATURATION_ADDITIONAL,
            ),
            project_cost_usd_per_additional_agency: key(
                v,
                "project_cost_usd_per_additional_agency",
                &self.project_cost_usd_per_additional_agency,
                NON_NEGATIVE,
                harmonisation::PROJECT_COST_USD_PER_ADDITIONAL_AGENCY,
            ),
            project_years: years(
                v,
                "project_years",
                &self.project_years,
                harmonisation::PROJECT_YEARS,
            ),
            adoption_share: key(
                v,
                "adoption_share",
                &self.adoption_share,
                SHARE,
                harmonisation::ADOPTION_SHARE,
            ),
            adoption_ramp_years: years(
                v,
                "adoption_ramp_years",
                &self.adoption_ramp_years,
                harmonisation::ADOPTION_RAMP_YEARS,
            ),
            common_process_gain_share: key(
                v,
                "common_process_gain_share",
                &self.common_process_gain_share,
                GAIN,
                harmonisation::COMMON_PROCESS_GAIN_SHARE,
            ),
            platform_of_agency: groups(v, "platform", self.platform.as_ref(), declared),
            rule_set_of_agency: groups(v, "rule set", self.rule_set.as_ref(), declared),
        }
    }

    /// Reports the keys of the linear penalty, each with what replaced it.
    fn no_replaced_keys(&self, v: &mut Validator) {
        let replaced = [
            (
                &self.penalty_per_additional_agency,
                "penalty_per_additional_agency",
                "`rules_penalty_ceiling` and `platform_penalty_ceiling` (the penalty now depends on the distinct rule sets and platforms in a team and saturates), with `platform` and `rule_set` declaring each agency's",
            ),
            (
                &self.remaining_penalty_share,
                "remaining_penalty_share",
                "`adoption_share` (the share of a team's work that moves to the common process and loses the penalty), with `adoption_ramp_years` and `common_process_gain_share`",
            ),
        ];
        for (raw, key, instead) in replaced {
            if let Some(raw) = raw {
                v.problem(raw.span(), format!("`{TABLE}.{key}` was replaced"), instead);
            }
        }
    }
}

/// Each agency's group, by index in the scenario's agencies: the named
/// groups of `declared` numbered in order of first naming, then one group
/// of its own for each agency without a name. Every key must be a declared
/// agency and every name a well-formed identifier.
fn groups(
    v: &mut Validator,
    kind: &str,
    named_in_table: Option<&RawGroups>,
    declared: &Declared,
) -> Vec<usize> {
    let mut group_of_name: HashMap<&str, usize> = HashMap::new();
    let mut named: Vec<Option<usize>> = vec![None; declared.agency_count()];
    for (agency, name) in named_in_table.into_iter().flatten() {
        v.identifier(kind, name);
        let Some(index) = declared.agency(v, agency) else {
            continue;
        };
        let next = group_of_name.len();
        named[index] = Some(*group_of_name.entry(name.get_ref()).or_insert(next));
    }
    let name_count = group_of_name.len();
    (named.iter().enumerate())
        .map(|(agency, group)| group.unwrap_or(name_count + agency))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Param, Settings};
    use crate::scenario::mechanisms::{ids, settings, table};
    use crate::scenario::validate::Ids;

    /// The table `text` read for `agencies` over a horizon of `horizon_years`.
    fn read(v: &mut Validator, text: &str, horizon_years: u32, agencies: &[&str]) -> Harmonisation {
        let (settings, agencies, none): (Settings, Ids, Ids) =
            (settings(horizon_years), ids(agencies), ids(&[]));
        let declared = Declared::new(Some(&settings), &agencies, &none, &none);
        table::<RawHarmonisation>(text).validate(v, &declared)
    }

    #[test]
    fn a_harmonisation_project_longer_than_the_horizon_is_a_problem() {
        let mut v = Validator::default();
        let harmonisation = read(&mut v, "project_years = 4", 3, &[]);
        assert!(v.has_problems());
        // The invalid value is replaced by the default, so checking goes on.
        assert_eq!(harmonisation.project_years, 2);
        assert_eq!(harmonisation.rules_penalty_ceiling, Param::Fixed(0.15));
        assert_eq!(harmonisation.adoption_share, Param::Fixed(0.5));
    }

    #[test]
    fn an_empty_table_gives_the_documented_defaults_and_each_agency_its_own_groups() {
        let mut v = Validator::default();
        let h = read(&mut v, "", 10, &["a", "b"]);
        assert!(!v.has_problems());
        assert_eq!(h.platform_penalty_ceiling, Param::Fixed(0.15));
        assert_eq!(h.half_saturation_additional, Param::Fixed(2.0));
        assert_eq!((h.project_years, h.adoption_ramp_years), (2, 3));
        assert_eq!(h.common_process_gain_share, Param::Fixed(0.1));
        assert_eq!(h.platform_of_agency, [0, 1]);
        assert_eq!(h.rule_set_of_agency, [0, 1]);
    }

    #[test]
    fn agencies_naming_the_same_platform_share_a_group() {
        let mut v = Validator::default();
        let text =
            "platform = { a = \"sap\", c = \"sap\", b = \"oracle\" }\nrule_set = { b = \"un\" }";
        let h = read(&mut v, text, 10, &["a", "b", "c", "d"]);
        assert!(!v.has_problems());
        // Keys in order: a (sap 0), b (oracle 1), c (sap 0); d its own: 2 + 3.
        assert_eq!(h.platform_of_agency, [0, 1, 0, 5]);
        // Only b is named (group 0); a, c, d their own: 1 + 0, 1 + 2, 1 + 3.
        assert_eq!(h.rule_set_of_agency, [1, 0, 3, 4]);
    }
}
