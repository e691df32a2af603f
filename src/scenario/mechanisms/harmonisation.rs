//! `[mechanisms.harmonisation]`: the penalty of serving several agencies'
//! rules and the project that removes part of it, with the documented
//! defaults of `model::mechanisms::harmonisation`.

use serde::Deserialize;
use toml::Spanned;

use crate::model::Harmonisation;
use crate::model::mechanisms::harmonisation;
use crate::scenario::number::RawNumber;
use crate::scenario::validate::{Domain, NON_NEGATIVE, SHARE, Validator};

/// `[mechanisms.harmonisation]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawHarmonisation {
    pub penalty_per_additional_agency: Option<Spanned<RawNumber>>,
    pub project_cost_usd_per_additional_agency: Option<Spanned<RawNumber>>,
    pub project_years: Option<Spanned<i64>>,
    pub remaining_penalty_share: Option<Spanned<RawNumber>>,
}

const PENALTY_PER_ADDITIONAL_AGENCY: Domain = Domain::closed(
    0.0,
    10.0,
    "extra effort from 0 to 10 (0.1 = +10% per agency)",
);

impl RawHarmonisation {
    /// The harmonisation diseconomy, its project taking at most the horizon.
    pub(super) fn validate(&self, v: &mut Validator, horizon_years: i64) -> Harmonisation {
        let project_years = (self.project_years.as_ref())
            .and_then(|y| v.integer("project_years", y, 0, horizon_years))
            .unwrap_or(harmonisation::PROJECT_YEARS as u64) as u32;
        Harmonisation {
            penalty_per_additional_agency: v.optional_key(
                "mechanisms.harmonisation",
                "penalty_per_additional_agency",
                &self.penalty_per_additional_agency,
                PENALTY_PER_ADDITIONAL_AGENCY,
                harmonisation::PENALTY_PER_ADDITIONAL_AGENCY,
            ),
            project_cost_usd_per_additional_agency: v.optional_key(
                "mechanisms.harmonisation",
                "project_cost_usd_per_additional_agency",
                &self.project_cost_usd_per_additional_agency,
                NON_NEGATIVE,
                harmonisation::PROJECT_COST_USD_PER_ADDITIONAL_AGENCY,
            ),
            project_years,
            remaining_penalty_share: v.optional_key(
                "mechanisms.harmonisation",
                "remaining_penalty_share",
                &self.remaining_penalty_share,
                SHARE,
                harmonisation::REMAINING_PENALTY_SHARE,
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Param;
    use crate::scenario::mechanisms::table;

    #[test]
    fn a_harmonisation_project_longer_than_the_horizon_is_a_problem() {
        let mut v = Validator::default();
        let harmonisation = table::<RawHarmonisation>("project_years = 4").validate(&mut v, 3);
        assert!(v.has_problems());
        // The invalid value is replaced by the default, so checking goes on.
        assert_eq!(harmonisation.project_years, 2);
        assert_eq!(
            harmonisation.penalty_per_additional_agency,
            Param::Fixed(0.1)
        );
        assert_eq!(harmonisation.remaining_penalty_share, Param::Fixed(0.25));
    }
}
