//! What the rest of a scenario declares, as a mechanism's table may refer
//! to it: the settings and the ids of the agencies, locations and service
//! lines. Every mechanism's reader is handed this one read-only context,
//! so that a mechanism whose table names an agency, a location or a line,
//! or depends on the horizon, changes only its own file.
//!
//! Mechanisms are read before the lists they may name are checked into
//! the model (the service lines take their default correlation from
//! `[mechanisms.variance_pooling]`, and the order in which sections are
//! read is the order of the uncertain inputs): a table resolves names to
//! indices here, and its effect reads the model's values of what it named
//! through `model::mechanisms::Scope::scenario`.

use toml::Spanned;

use crate::model::Settings;
use crate::scenario::validate::{Ids, Validator};

/// The horizon a table's years are checked against when the settings
/// could not be read: their problems are reported, and this only keeps the
/// checks going.
const UNREAD_HORIZON_YEARS: i64 = 100;

/// The settings and the declared ids of a scenario, by kind.
#[derive(Clone, Copy)]
pub(crate) struct Declared<'a> {
    settings: Option<&'a Settings>,
    agency_ids: &'a Ids,
    location_ids: &'a Ids,
    line_ids: &'a Ids,
}

impl<'a> Declared<'a> {
    /// The context of a scenario whose settings (if they could be read)
    /// are `settings`, with these ids.
    pub(in crate::scenario) fn new(
        settings: Option<&'a Settings>,
        agency_ids: &'a Ids,
        location_ids: &'a Ids,
        line_ids: &'a Ids,
    ) -> Self {
        Declared {
            settings,
            agency_ids,
            location_ids,
            line_ids,
        }
    }

    /// The scenario's settings, `None` when they could not be read.
    pub(super) fn settings(&self) -> Option<&'a Settings> {
        self.settings
    }

    /// Years of the horizon; a generous bound when the settings could not
    /// be read.
    pub(super) fn horizon_years(&self) -> i64 {
        self.settings()
            .map_or(UNREAD_HORIZON_YEARS, |s| i64::from(s.horizon_years))
    }

    /// Number of agencies the scenario declares.
    pub(super) fn agency_count(&self) -> usize {
        self.agency_ids.0.len()
    }

    /// The index of the agency `id` names, in the scenario's agencies; a
    /// problem at `id` when none has that id.
    pub(super) fn agency(&self, v: &mut Validator, id: &Spanned<String>) -> Option<usize> {
        v.reference("agency", self.agency_ids, id)
    }

    /// The index of the location `id` names, in the scenario's locations; a
    /// problem at `id` when none has that id.
    #[allow(dead_code, reason = "the context offers every list a table may name")]
    pub(super) fn location(&self, v: &mut Validator, id: &Spanned<String>) -> Option<usize> {
        v.reference("location", self.location_ids, id)
    }

    /// The index of the service line `id` names, in the scenario's lines; a
    /// problem at `id` when none has that id.
    #[allow(dead_code, reason = "the context offers every list a table may name")]
    pub(super) fn service_line(&self, v: &mut Validator, id: &Spanned<String>) -> Option<usize> {
        v.reference("service line", self.line_ids, id)
    }
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    use super::*;
    use crate::scenario::mechanisms::{ids, settings, table};

    /// A table as a mechanism's would be that names a location and a
    /// service line.
    #[derive(Deserialize)]
    struct RawNaming {
        location: Spanned<String>,
        service_line: Spanned<String>,
    }

    /// Reads `text` as a [`RawNaming`] against two locations and two lines.
    fn named(text: &str) -> (Option<usize>, Option<usize>, Validator) {
        let (agencies, locations, lines) = (ids(&["a"]), ids(&["hq", "nairobi"]), ids(&["hr"]));
        let lines = Ids(lines.0.into_iter().chain([("finance".into(), 1)]).collect());
        let declared = Declared::new(None, &agencies, &locations, &lines);
        let raw = table::<RawNaming>(text);
        let mut v = Validator::default();
        let location = declared.location(&mut v, &raw.location);
        let line = declared.service_line(&mut v, &raw.service_line);
        (location, line, v)
    }

    #[test]
    fn a_mechanism_s_table_reads_a_location_and_a_service_line_by_id() {
        let (location, line, v) = named("location = \"nairobi\"\nservice_line = \"finance\"");
        assert!(!v.has_problems());
        assert_eq!((location, line), (Some(1), Some(1)));
    }

    #[test]
    fn an_unknown_id_in_a_mechanism_s_table_is_a_problem_at_the_id() {
        let text = "location = \"geneva\"\nservice_line = \"payroll\"";
        let (location, line, v) = named(text);
        assert_eq!((location, line), (None, None));
        let problems = v.into_diagnostics();
        assert_eq!(problems.len(), 2);
        // Each problem is at the quoted id that names nothing.
        assert_eq!(&text[problems[0].span.clone()], "\"geneva\"");
        assert_eq!(
            problems[0].message,
            "unknown location `geneva`; expected one of the declared location ids: `hq`, `nairobi`"
        );
        assert_eq!(&text[problems[1].span.clone()], "\"payroll\"");
        assert_eq!(
            problems[1].message,
            "unknown service line `payroll`; expected one of the declared service line ids: `finance`, `hr`"
        );
    }

    #[test]
    fn the_horizon_is_the_settings_or_a_bound_that_keeps_checking() {
        let none = ids(&[]);
        let declared = Declared::new(None, &none, &none, &none);
        assert_eq!(declared.horizon_years(), 100);
        assert!(declared.settings().is_none());
        assert_eq!(declared.agency_count(), 0);
        let settings = settings(7);
        let declared = Declared::new(Some(&settings), &none, &none, &none);
        assert_eq!(declared.horizon_years(), 7);
    }
}
