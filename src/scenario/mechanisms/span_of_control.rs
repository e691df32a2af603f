//! `[mechanisms.span_of_control]`: supervisors per processing staff, with
//! the documented defaults of `model::mechanisms::span_of_control`, and the
//! check that supervisors are paid wherever a centre has them.

use std::collections::HashSet;
use std::ops::Range;

use serde::Deserialize;
use toml::Spanned;

use crate::model::mechanisms::span_of_control;
use crate::model::{ByGrade, SpanOfControl, Strategy};
use crate::scenario::by_grade::RawByGrade;
use crate::scenario::number::RawNumber;
use crate::scenario::validate::{Context, Domain, Validator};

/// `[mechanisms.span_of_control]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawSpanOfControl {
    pub staff_per_supervisor: Option<Spanned<RawNumber>>,
    pub minimum_supervisors_per_team: Option<Spanned<f64>>,
    pub supervisor_grade_mix: Option<Spanned<RawByGrade<Spanned<f64>>>>,
    #[serde(default)]
    pub integer_staffing: bool,
}

const STAFF_PER_SUPERVISOR: Domain =
    Domain::closed(1.0, 1000.0, "at least 1 processing staff per supervisor");

const MINIMUM_SUPERVISORS_PER_TEAM: Domain =
    Domain::closed(0.0, 100.0, "from 0 to 100 supervisors");

impl RawSpanOfControl {
    pub(super) fn validate(&self, v: &mut Validator) -> SpanOfControl {
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

/// Supervisors are paid at the location of every centre with a team, at
/// the centre's own supervisor grade mix or the scenario's.
pub(in crate::scenario) fn supervisors_have_costs(
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
    use crate::model::{Grade, Param};
    use crate::scenario::mechanisms::table;

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
}
