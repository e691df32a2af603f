//! `[pool]`: how `sscsim pool` builds coalition centres, as written, and
//! checked into [`PoolSettings`].

use std::ops::Range;

use serde::Deserialize;
use toml::Spanned;

use super::by_grade::RawByGrade;
use super::number::RawNumber;
use super::validate::{Context, NON_NEGATIVE, Validator};
use crate::model::{ByGrade, PoolSettings};

/// `[pool]`: how `sscsim pool` builds coalition centres.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawPool {
    pub locations: Option<Spanned<Vec<Spanned<String>>>>,
    pub grade_mix: Spanned<RawByGrade<Spanned<f64>>>,
    pub supervisor_grade_mix: Option<Spanned<RawByGrade<Spanned<f64>>>>,
    pub fixed_cost_usd_per_year: Option<Spanned<RawNumber>>,
}

impl RawPool {
    /// Candidate locations (default: every location that is no agency's
    /// headquarters) and the staffing of coalition centres, whose grades
    /// must have costs at every candidate; `span` is the table's.
    pub(super) fn validate(
        &self,
        v: &mut Validator,
        span: Range<usize>,
        ctx: &Context,
    ) -> PoolSettings {
        let locations: Vec<usize> = match &self.locations {
            Some(list) => (v.reference_list("location", ctx.location_ids, list))
                .unwrap_or_default()
                .into_iter()
                .map(|(l, _)| l)
                .collect(),
            None => (0..ctx.locations.len())
                .filter(|&l| ctx.agencies.iter().all(|a| a.hq_location != l))
                .collect(),
        };
        if locations.is_empty() {
            v.problem(
                span.clone(),
                "[pool] has no candidate locations",
                "locations = [...], or a location that is no agency's headquarters",
            );
        }
        let grade_mix = v.grade_shares("grade_mix", &self.grade_mix);
        let supervisor_grade_mix = (self.supervisor_grade_mix.as_ref())
            .map(|mix| v.grade_shares("supervisor_grade_mix", mix));
        let overhead = ctx.centre_defaults.overhead.priced_fte();
        let span_mix = (ctx.mechanisms.span_of_control.as_ref())
            .map(|s| supervisor_grade_mix.unwrap_or(s.supervisor_grade_mix));
        for &l in &locations {
            let used = ByGrade::from_fn(|g| {
                grade_mix[g] > 0.0
                    || span_mix.is_some_and(|m| m[g] > 0.0)
                    || v.can_be_positive(overhead[g])
            });
            v.grades_have_costs(span.clone(), &ctx.locations[l], &used, "a [pool] centre");
        }
        PoolSettings {
            locations,
            grade_mix,
            supervisor_grade_mix,
            fixed_cost_usd_per_year: v.optional_param(
                "pool.fixed_cost_usd_per_year".to_owned(),
                &self.fixed_cost_usd_per_year,
                NON_NEGATIVE,
                0.0,
            ),
        }
    }
}
