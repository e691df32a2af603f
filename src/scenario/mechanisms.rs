//! `[mechanisms]`: one optional table per economies-of-scale mechanism, as
//! written, and checked into the model's [`Mechanisms`]. Each table has one
//! function of its own that turns it into its mechanism's parameters, with
//! the documented [`defaults`] for the keys it leaves out.

use std::collections::HashSet;
use std::ops::Range;

use serde::Deserialize;
use toml::Spanned;

use super::by_grade::RawByGrade;
use super::defaults;
use super::number::RawNumber;
use super::validate::{Context, Domain, NON_NEGATIVE, SHARE, Validator};
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
            None => v.default_param(path, defaults::VOLUME_CORRELATION),
        }
    }
}

/// A mechanism's key at `mechanisms.<path>`: the scenario's value, or the
/// documented default.
fn mechanism_param(
    v: &mut Validator,
    path: &str,
    raw: &Option<Spanned<RawNumber>>,
    domain: Domain,
    default: f64,
) -> Param {
    v.optional_param(format!("mechanisms.{path}"), raw, domain, default)
}

impl RawFixedOverhead {
    /// Every new centre's management and support staff.
    fn validate(&self, v: &mut Validator) -> ByGrade<Param> {
        match &self.centre_staff_fte {
            Some(table) => v.fte_table("mechanisms.fixed_overhead.centre_staff_fte", table),
            None => ByGrade(defaults::CENTRE_STAFF_FTE.map(Param::Fixed)),
        }
    }
}

const INITIAL_EFFORT_FACTOR: Domain = Domain {
    min: 1.0,
    min_inclusive: true,
    max: 10.0,
    expected: "a multiple from 1 to 10 (1 = no learning)",
};

const LEARNING_RATE: Domain = Domain {
    min: 0.0,
    min_inclusive: false,
    max: 1.0,
    expected: "a rate greater than 0 and at most 1 (0.85 = 15% less effort per doubling)",
};

const REFERENCE_EXPERIENCE_FTE_YEARS: Domain = Domain {
    min: 0.0,
    min_inclusive: false,
    max: 1e6,
    expected: "FTE-years greater than 0",
};

const SCALE_ELASTICITY: Domain = Domain {
    min: 0.0,
    min_inclusive: true,
    max: 0.5,
    expected: "an elasticity from 0 to 0.5 (0 = no scale effect)",
};

const REFERENCE_TEAM_FTE: Domain = Domain {
    min: 0.0,
    min_inclusive: false,
    max: 1e6,
    expected: "a team size greater than 0",
};

impl RawLearning {
    fn validate(&self, v: &mut Validator) -> Learning {
        let mut param =
            |key: &str, raw: &Option<Spanned<RawNumber>>, domain: Domain, default: f64| {
                mechanism_param(
                    v,
                    &format!("learning_and_scale.{key}"),
                    raw,
                    domain,
                    default,
                )
            };
        Learning {
            initial_effort_factor: param(
                "initial_effort_factor",
                &self.initial_effort_factor,
                INITIAL_EFFORT_FACTOR,
                defaults::INITIAL_EFFORT_FACTOR,
            ),
            learning_rate: param(
                "learning_rate",
                &self.learning_rate,
                LEARNING_RATE,
                defaults::LEARNING_RATE,
            ),
            reference_experience_fte_years: param(
                "reference_experience_fte_years",
                &self.reference_experience_fte_years,
                REFERENCE_EXPERIENCE_FTE_YEARS,
                defaults::REFERENCE_EXPERIENCE_FTE_YEARS,
            ),
            scale_elasticity: param(
                "scale_elasticity",
                &self.scale_elasticity,
                SCALE_ELASTICITY,
                defaults::SCALE_ELASTICITY,
            ),
            reference_team_fte: param(
                "reference_team_fte",
                &self.reference_team_fte,
                REFERENCE_TEAM_FTE,
                defaults::REFERENCE_TEAM_FTE,
            ),
        }
    }
}

const STAFF_PER_SUPERVISOR: Domain = Domain {
    min: 1.0,
    min_inclusive: true,
    max: 1000.0,
    expected: "at least 1 processing staff per supervisor",
};

const MINIMUM_SUPERVISORS_PER_TEAM: Domain = Domain {
    min: 0.0,
    min_inclusive: true,
    max: 100.0,
    expected: "from 0 to 100 supervisors",
};

impl RawSpanOfControl {
    fn validate(&self, v: &mut Validator) -> SpanOfControl {
        let supervisor_grade_mix = match &self.supervisor_grade_mix {
            Some(mix) => v.grade_shares("supervisor_grade_mix", mix),
            None => ByGrade(defaults::SUPERVISOR_GRADE_MIX),
        };
        SpanOfControl {
            staff_per_supervisor: mechanism_param(
                v,
                "span_of_control.staff_per_supervisor",
                &self.staff_per_supervisor,
                STAFF_PER_SUPERVISOR,
                defaults::STAFF_PER_SUPERVISOR,
            ),
            minimum_supervisors_per_team: (self.minimum_supervisors_per_team.as_ref())
                .and_then(|m| {
                    v.real(
                        "minimum_supervisors_per_team",
                        m,
                        MINIMUM_SUPERVISORS_PER_TEAM,
                    )
                })
                .unwrap_or(defaults::MINIMUM_SUPERVISORS_PER_TEAM),
            supervisor_grade_mix,
            integer_staffing: self.integer_staffing,
        }
    }
}

const PENALTY_PER_ADDITIONAL_AGENCY: Domain = Domain {
    min: 0.0,
    min_inclusive: true,
    max: 10.0,
    expected: "extra effort from 0 to 10 (0.1 = +10% per agency)",
};

impl RawHarmonisation {
    /// The harmonisation diseconomy, its project taking at most the horizon.
    fn validate(&self, v: &mut Validator, horizon_years: i64) -> Harmonisation {
        let project_years = (self.project_years.as_ref())
            .and_then(|y| v.integer("project_years", y, 0, horizon_years))
            .unwrap_or(defaults::PROJECT_YEARS as u64) as u32;
        let mut param =
            |key: &str, raw: &Option<Spanned<RawNumber>>, domain: Domain, default: f64| {
                mechanism_param(v, &format!("harmonisation.{key}"), raw, domain, default)
            };
        Harmonisation {
            penalty_per_additional_agency: param(
                "penalty_per_additional_agency",
                &self.penalty_per_additional_agency,
                PENALTY_PER_ADDITIONAL_AGENCY,
                defaults::PENALTY_PER_ADDITIONAL_AGENCY,
            ),
            project_cost_usd_per_additional_agency: param(
                "project_cost_usd_per_additional_agency",
                &self.project_cost_usd_per_additional_agency,
                NON_NEGATIVE,
                defaults::PROJECT_COST_USD_PER_ADDITIONAL_AGENCY,
            ),
            project_years,
            remaining_penalty_share: param(
                "remaining_penalty_share",
                &self.remaining_penalty_share,
                SHARE,
                defaults::REMAINING_PENALTY_SHARE,
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
