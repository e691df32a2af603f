//! `[mechanisms.learning_and_scale]`: the learning curve and the scale
//! elasticity, with the documented defaults of
//! `model::mechanisms::learning_and_scale`.

use serde::Deserialize;
use toml::Spanned;

use crate::model::Learning;
use crate::model::mechanisms::learning_and_scale;
use crate::scenario::number::RawNumber;
use crate::scenario::validate::{Domain, Validator};

/// `[mechanisms.learning_and_scale]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawLearning {
    pub initial_effort_factor: Option<Spanned<RawNumber>>,
    pub learning_rate: Option<Spanned<RawNumber>>,
    pub reference_experience_fte_years: Option<Spanned<RawNumber>>,
    pub scale_elasticity: Option<Spanned<RawNumber>>,
    pub reference_team_fte: Option<Spanned<RawNumber>>,
}

const INITIAL_EFFORT_FACTOR: Domain =
    Domain::closed(1.0, 10.0, "a multiple from 1 to 10 (1 = no learning)");

const LEARNING_RATE: Domain = Domain::above(
    0.0,
    1.0,
    "a rate greater than 0 and at most 1 (0.85 = 15% less effort per doubling)",
);

const REFERENCE_EXPERIENCE_FTE_YEARS: Domain = Domain::above(0.0, 1e6, "FTE-years greater than 0");

const SCALE_ELASTICITY: Domain = Domain::closed(
    0.0,
    0.5,
    "an elasticity from 0 to 0.5 (0 = no scale effect)",
);

const REFERENCE_TEAM_FTE: Domain = Domain::above(0.0, 1e6, "a team size greater than 0");

impl RawLearning {
    pub(super) fn validate(&self, v: &mut Validator) -> Learning {
        Learning {
            initial_effort_factor: v.optional_key(
                "mechanisms.learning_and_scale",
                "initial_effort_factor",
                &self.initial_effort_factor,
                INITIAL_EFFORT_FACTOR,
                learning_and_scale::INITIAL_EFFORT_FACTOR,
            ),
            learning_rate: v.optional_key(
                "mechanisms.learning_and_scale",
                "learning_rate",
                &self.learning_rate,
                LEARNING_RATE,
                learning_and_scale::LEARNING_RATE,
            ),
            reference_experience_fte_years: v.optional_key(
                "mechanisms.learning_and_scale",
                "reference_experience_fte_years",
                &self.reference_experience_fte_years,
                REFERENCE_EXPERIENCE_FTE_YEARS,
                learning_and_scale::REFERENCE_EXPERIENCE_FTE_YEARS,
            ),
            scale_elasticity: v.optional_key(
                "mechanisms.learning_and_scale",
                "scale_elasticity",
                &self.scale_elasticity,
                SCALE_ELASTICITY,
                learning_and_scale::SCALE_ELASTICITY,
            ),
            reference_team_fte: v.optional_key(
                "mechanisms.learning_and_scale",
                "reference_team_fte",
                &self.reference_team_fte,
                REFERENCE_TEAM_FTE,
                learning_and_scale::REFERENCE_TEAM_FTE,
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{InputId, Param};
    use crate::scenario::mechanisms::table;

    #[test]
    fn an_empty_learning_table_takes_the_documented_defaults() {
        let mut v = Validator::default();
        let learning = table::<RawLearning>("").validate(&mut v);
        assert!(!v.has_problems());
        assert_eq!(learning.initial_effort_factor, Param::Fixed(1.5));
        assert_eq!(learning.learning_rate, Param::Fixed(0.85));
        assert_eq!(learning.reference_experience_fte_years, Param::Fixed(5.0));
        assert_eq!(learning.scale_elasticity, Param::Fixed(0.05));
        assert_eq!(learning.reference_team_fte, Param::Fixed(10.0));
    }

    #[test]
    fn an_uncertain_learning_rate_becomes_an_input_named_by_its_path() {
        let mut v = Validator::default();
        let raw = "learning_rate = { dist = \"uniform\", min = 0.8, max = 0.9 }";
        let learning = table::<RawLearning>(raw).validate(&mut v);
        assert!(!v.has_problems());
        assert_eq!(learning.learning_rate, Param::Input(InputId(0)));
        assert_eq!(
            v.inputs[0].name,
            "mechanisms.learning_and_scale.learning_rate"
        );
        assert_eq!(v.inputs[0].dist.support(), (0.8, 0.9));
    }
}
