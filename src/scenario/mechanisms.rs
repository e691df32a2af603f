//! `[mechanisms]`: one optional table per economies-of-scale mechanism, as
//! written, and checked into the model's [`Mechanisms`]. Each table has one
//! function of its own that turns it into its mechanism's parameters, with
//! the documented defaults of its mechanism's file
//! (`model::mechanisms::<id>`) for the keys it leaves out. The tables live
//! here, not with their mechanisms, so that the model never depends on the
//! parser.

use std::collections::HashSet;
use std::ops::Range;

use serde::Deserialize;
use toml::Spanned;

use super::by_grade::RawByGrade;
use super::number::RawNumber;
use super::validate::{Context, Domain, NON_NEGATIVE, SHARE, Validator};
use crate::model::mechanisms::{
    fixed_overhead, harmonisation, learning_and_scale, span_of_control, variance_pooling,
};
use crate::model::{
    ByGrade, Harmonisation, Learning, Mechanisms, Param, Settings, SpanOfControl, Strategy,
};

/// `[mechanisms]`: one optional table per mechanism.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawMechanisms {
    pub fixed_overhead: Option<Spanned<RawFixedOverhead>>,
    pub variance_pooling: Option<Spanned<RawVariancePooling>>,
    pub learning_and_scale: Option<Spanned<RawLearning>>,
    pub span_of_control: Option<Spanned<RawSpanOfControl>>,
    pub harmonisation: Option<Spanned<RawHarmonisation>>,
}

/// `[mechanisms.fixed_overhead]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFixedOverhead {
    pub centre_staff_fte: Option<Spanned<RawByGrade<Spanned<RawNumber>>>>,
}

/// `[mechanisms.variance_pooling]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawVariancePooling {
    pub volume_correlation: Option<Spanned<RawNumber>>,
}

/// `[mechanisms.learning_and_scale]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawLearning {
    pub initial_effort_factor: Option<Spanned<RawNumber>>,
    pub learning_rate: Option<Spanned<RawNumber>>,
    pub reference_experience_fte_years: Option<Spanned<RawNumber>>,
    pub scale_elasticity: Option<Spanned<RawNumber>>,
    pub reference_team_fte: Option<Spanned<RawNumber>>,
}

/// `[mechanisms.span_of_control]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSpanOfControl {
    pub staff_per_supervisor: Option<Spanned<RawNumber>>,
    pub minimum_supervisors_per_team: Option<Spanned<f64>>,
    pub supervisor_grade_mix: Option<Spanned<RawByGrade<Spanned<f64>>>>,
    #[serde(default)]
    pub integer_staffing: bool,
}

/// `[mechanisms.harmonisation]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawHarmonisation {
    pub penalty_per_additional_agency: Option<Spanned<RawNumber>>,
    pub project_cost_usd_per_additional_agency: Option<Spanned<RawNumber>>,
    pub project_years: Option<Spanned<i64>>,
    pub remaining_penalty_share: Option<Spanned<RawNumber>>,
}

impl RawMechanisms {
    /// Each mechanism whose table is given; the fixed overhead's default
    /// applies without one.
    pub(super) fn validate(&self, v: &mut Validator, settings: Option<&Settings>) -> Mechanisms {
        let centre_overhead_staff_fte = match &self.fixed_overhead {
            None => ByGrade::default(),
            Some(f) => f.get_ref().validate(v),
        };
        let learning = (self.learning_and_scale.as_ref()).map(|l| l.get_ref().validate(v));
        let span_of_control = (self.span_of_control.as_ref()).map(|s| s.get_ref().validate(v));
        let horizon_years = settings.map_or(100, |s| i64::from(s.horizon_years));
        let harmonisation =
            (self.harmonisation.as_ref()).map(|h| h.get_ref().validate(v, horizon_years));
        Mechanisms {
            centre_overhead_staff_fte,
            learning,
            span_of_control,
            harmonisation,
        }
    }

    /// The correlation of agencies' demand shocks in a service line that
    /// gives none of its own.
    pub(super) fn default_correlation(&self, v: &mut Validator) -> Param {
        let correlation =
            (self.variance_pooling.as_ref()).and_then(|p| p.get_ref().volume_correlation.as_ref());
        let path = "mechanisms.variance_pooling.volume_correlation".to_owned();
        match correlation {
            Some(c) => v.param(path, c, SHARE),
            None => v.default_param(path, variance_pooling::VOLUME_CORRELATION),
        }
    }
}

impl RawFixedOverhead {
    /// Every new centre's management and support staff.
    fn validate(&self, v: &mut Validator) -> ByGrade<Param> {
        match &self.centre_staff_fte {
            Some(table) => v.fte_table("mechanisms.fixed_overhead.centre_staff_fte", table),
            None => ByGrade(fixed_overhead::CENTRE_STAFF_FTE.map(Param::Fixed)),
        }
    }
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
    fn validate(&self, v: &mut Validator) -> Learning {
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

const STAFF_PER_SUPERVISOR: Domain =
    Domain::closed(1.0, 1000.0, "at least 1 processing staff per supervisor");

const MINIMUM_SUPERVISORS_PER_TEAM: Domain =
    Domain::closed(0.0, 100.0, "from 0 to 100 supervisors");

impl RawSpanOfControl {
    fn validate(&self, v: &mut Validator) -> SpanOfControl {
        let supervisor_grade_mix = match &self.supervisor_grade_mix {
            Some(mix) => v.grade_shares("supervisor_grade_mix", mix),
            None => ByGrade(span_of_control::SUPERVISOR_GRADE_MIX),
        };
        SpanOfControl {
            staff_per_supervisor: v.optional_key(
                "mechanisms.span_of_control",
                "staff_per_supervisor",
                &self.staff_per_supervisor,
                STAFF_PER_SUPERVISOR,
                span_of_control::STAFF_PER_SUPERVISOR,
            ),
            minimum_supervisors_per_team: (self.minimum_supervisors_per_team.as_ref())
                .and_then(|m| {
                    v.real(
                        "minimum_supervisors_per_team",
                        m,
                        MINIMUM_SUPERVISORS_PER_TEAM,
                    )
                })
                .unwrap_or(span_of_control::MINIMUM_SUPERVISORS_PER_TEAM),
            supervisor_grade_mix,
            integer_staffing: self.integer_staffing,
        }
    }
}

const PENALTY_PER_ADDITIONAL_AGENCY: Domain = Domain::closed(
    0.0,
    10.0,
    "extra effort from 0 to 10 (0.1 = +10% per agency)",
);

impl RawHarmonisation {
    /// The harmonisation diseconomy, its project taking at most the horizon.
    fn validate(&self, v: &mut Validator, horizon_years: i64) -> Harmonisation {
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

/// Supervisors are paid at the location of every centre with a team, at
/// the centre's own supervisor grade mix or the scenario's.
pub(super) fn supervisors_have_costs(
    v: &mut Validator,
    span: &SpanOfControl,
    at: Range<usize>,
    strategies: &[Strategy],
    ctx: &Context,
) {
    let mut checked = HashSet::new();
    for centre in strategies.iter().flat_map(|s| &s.centres) {
        let mix = (centre.supervisor_grade_mix.as_ref()).unwrap_or(&span.supervisor_grade_mix);
        let used = ByGrade::from_fn(|g| mix[g] > 0.0);
        if checked.insert((centre.location, used.0)) {
            let whose = if centre.supervisor_grade_mix.is_some() {
                format!("the supervisors of centre `{}`", centre.id)
            } else {
                "span_of_control's supervisors".to_owned()
            };
            v.grades_have_costs(at.clone(), &ctx.locations[centre.location], &used, &whose);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Grade, InputId};

    fn table<T: serde::de::DeserializeOwned>(text: &str) -> T {
        toml::from_str(text).expect("a valid table")
    }

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

    #[test]
    fn an_empty_span_of_control_table_takes_the_documented_defaults() {
        let mut v = Validator::default();
        let span = table::<RawSpanOfControl>("").validate(&mut v);
        assert!(!v.has_problems());
        assert_eq!(span.staff_per_supervisor, Param::Fixed(10.0));
        assert_eq!(span.minimum_supervisors_per_team, 1.0);
        assert_eq!(span.supervisor_grade_mix[Grade::P], 1.0);
        assert_eq!(span.supervisor_grade_mix.total(), 1.0);
        assert!(!span.integer_staffing);
    }

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

    #[test]
    fn a_fixed_overhead_table_without_staff_takes_the_documented_director_and_staff() {
        let mut v = Validator::default();
        let fte = table::<RawFixedOverhead>("").validate(&mut v);
        let expected = [(Grade::Gs, 3.0), (Grade::P, 2.0), (Grade::D, 1.0)];
        for (grade, value) in expected {
            assert_eq!(fte[grade], Param::Fixed(value), "{grade:?}");
        }
        assert_eq!(fte[Grade::Npo], Param::Fixed(0.0));
        assert_eq!(fte[Grade::Fs], Param::Fixed(0.0));
    }
}
