//! Span of control: supervisors and team leads on top of processing staff,
//! at least a minimum per team, so small teams carry proportionally more
//! supervision; optionally whole people only.

use super::{About, Effect, Scope};
use crate::model::{ByGrade, Draws, Param};

/// How span of control is named in results.
pub(crate) const ABOUT: About = About {
    id: "span_of_control",
    label: "span of control",
    heading: "Span of control",
};

/// Processing staff per supervisor or team lead: a common span in
/// transactional teams. Assumption.
pub(crate) const STAFF_PER_SUPERVISOR: f64 = 10.0;

/// Every team has at least one team lead, however small. Assumption.
pub(crate) const MINIMUM_SUPERVISORS_PER_TEAM: f64 = 1.0;

/// Supervisors' grades `(GS, NPO, P, D, FS)`: Professionals, as in UNHCR's
/// Budapest centre, which has 56 P for 106 GS (Table 5). Assumption.
pub(crate) const SUPERVISOR_GRADE_MIX: [f64; 5] = [0.0, 0.0, 1.0, 0.0, 0.0];

/// Supervisors and team leads on top of processing staff.
#[derive(Clone, Debug)]
pub struct SpanOfControl {
    /// Processing staff per supervisor.
    pub staff_per_supervisor: Param,
    /// Supervisors every team has, however small (a team lead).
    pub minimum_supervisors_per_team: f64,
    /// Grades of supervisors, shares summing to 1.
    pub supervisor_grade_mix: ByGrade<f64>,
    /// Whole people only: processing staff and supervisors rounded up.
    pub integer_staffing: bool,
}

impl SpanOfControl {
    /// Supervisors of a team of `processing_fte` (more than 0), in whole
    /// people with integer staffing.
    pub(crate) fn supervisors(&self, draws: &Draws, processing_fte: f64) -> f64 {
        let supervisors = (processing_fte / draws.value(self.staff_per_supervisor))
            .max(self.minimum_supervisors_per_team);
        if self.integer_staffing {
            whole_people(supervisors)
        } else {
            supervisors
        }
    }
}

/// The supervision of one team, at its centre's supervisor grades or the
/// mechanism's.
struct Supervision<'a> {
    span: &'a SpanOfControl,
    draws: &'a Draws,
    grade_mix: &'a ByGrade<f64>,
}

impl Effect for Supervision<'_> {
    fn whole_people(&self) -> bool {
        self.span.integer_staffing
    }

    fn supervisors(&self, processing_fte: f64) -> Option<(f64, &ByGrade<f64>)> {
        (processing_fte > 0.0).then(|| {
            (
                self.span.supervisors(self.draws, processing_fte),
                self.grade_mix,
            )
        })
    }
}

/// On every team, when the scenario has its table.
pub(crate) fn effect<'a>(
    span: &'a SpanOfControl,
    scope: &Scope<'a>,
) -> Option<Box<dyn Effect + 'a>> {
    scope.team?;
    let centre_mix = scope.centre.supervisor_grade_mix.as_ref();
    Some(Box::new(Supervision {
        span,
        draws: scope.draws,
        grade_mix: centre_mix.unwrap_or(&span.supervisor_grade_mix),
    }))
}

/// Whole people: rounds up, ignoring floating-point dust above a whole number.
pub(crate) fn whole_people(fte: f64) -> f64 {
    (fte - 1e-9).ceil().max(0.0)
}

/// When the scenario has its table.
pub(crate) fn changes_team(span: Option<&SpanOfControl>, _member_count: usize) -> bool {
    span.is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_people_round_up_but_not_for_rounding_dust() {
        assert_eq!(whole_people(2.3), 3.0);
        assert_eq!(whole_people(3.000_000_000_01), 3.0);
        assert_eq!(whole_people(0.0), 0.0);
    }

    #[test]
    fn a_small_team_has_its_minimum_and_a_large_one_its_span() {
        let mut span = SpanOfControl {
            staff_per_supervisor: Param::Fixed(8.0),
            minimum_supervisors_per_team: 1.0,
            supervisor_grade_mix: ByGrade::default(),
            integer_staffing: false,
        };
        let draws = Draws::default();
        assert_eq!(span.supervisors(&draws, 4.0), 1.0);
        assert_eq!(span.supervisors(&draws, 20.0), 2.5);
        span.integer_staffing = true;
        assert_eq!(span.supervisors(&draws, 20.0), 3.0);
    }
}
