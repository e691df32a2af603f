//! A scenario file: its sections after each was read on its own, and
//! [`build`], which validates them into a [`Scenario`] in the order they
//! refer to each other. That order is also the order of the uncertain
//! inputs, which the sampler draws by index: changing it changes every
//! result.
//!
//! This composition sits above the sections, which sit above the toolkit
//! they share (`validate`).

use std::ops::Range;

use toml::Spanned;

use super::agency::{RawAgency, callers_have_time_zones, work_can_arrive};
use super::comparison::{RawComparison, comparison};
use super::correlation::{RawCorrelation, correlations};
use super::diagnostic::Diagnostic;
use super::input_group::{RawInputGroup, input_groups};
use super::location::RawLocation;
use super::mechanisms::{Declared, RawMechanisms, supervisors_have_costs};
use super::pool::RawPool;
use super::service_line::RawServiceLine;
use super::settings::{RawMeta, RawSettings};
use super::strategy::{RawStrategy, strategies};
use super::transition::RawTransition;
use super::validate::{
    Context, Ids, MAX_AGENCIES, MAX_ARRIVAL_CELLS, MAX_DESCRIPTION_CHARS, MAX_LOCATIONS,
    MAX_NAME_CHARS, MAX_SERVICE_LINES, MAX_STRATEGIES, Validator, World,
};
use crate::model::{
    Agency, Calendar, CentreDefaults, Location, Param, Scenario, ServiceLine, Settings,
};

/// The sections of a scenario file after each was read on its own.
#[derive(Default)]
pub(crate) struct RawFile {
    pub meta: Option<Spanned<RawMeta>>,
    pub settings: Option<Spanned<RawSettings>>,
    pub service_lines: Vec<Spanned<RawServiceLine>>,
    pub locations: Vec<Spanned<RawLocation>>,
    pub agencies: Vec<Spanned<RawAgency>>,
    pub strategies: Vec<Spanned<RawStrategy>>,
    pub mechanisms: Option<Spanned<RawMechanisms>>,
    pub comparison: Option<Spanned<RawComparison>>,
    pub transition: Option<Spanned<RawTransition>>,
    pub pool: Option<Spanned<RawPool>>,
    pub correlations: Vec<Spanned<RawCorrelation>>,
    pub input_groups: Vec<Spanned<RawInputGroup>>,
}

/// Builds the model from the raw sections, with the warnings about its
/// implausible values, or returns every problem found.
pub fn build(raw: RawFile) -> Result<(Scenario, Vec<Diagnostic>), Vec<Diagnostic>> {
    let mut v = Validator::default();
    let scenario = v.scenario(raw);
    if v.has_problems() {
        Err(v.into_diagnostics())
    } else {
        let scenario = scenario.expect("a scenario is built whenever no problem was found");
        Ok((scenario, v.take_warnings()))
    }
}

/// The calendar volumes are checked against when the settings could not be
/// read: their problems are reported, and this only keeps the checks going.
const UNREAD_SETTINGS_CALENDAR: Calendar = Calendar {
    horizon_years: 1,
    working_days_per_year: 250,
};

impl Validator {
    /// The sections in the order they refer to each other.
    fn scenario(&mut self, raw: RawFile) -> Option<Scenario> {
        self.required_tables(&raw);
        self.table_counts_within_limits(&raw)?;
        let world_declared = self.world_declared(&raw);
        let settings = raw
            .settings
            .as_ref()
            .and_then(|s| s.get_ref().validate(self));
        if !world_declared {
            // Everything else refers to lines, locations and agencies: checked
            // without them, it would only report knock-on problems.
            return None;
        }
        self.arrival_cells_within_limit(&raw, settings.as_ref())?;
        let calendar = settings
            .as_ref()
            .map_or(UNREAD_SETTINGS_CALENDAR, Settings::calendar);
        let no_mechanisms = RawMechanisms::default();
        let raw_mechanisms = raw
            .mechanisms
            .as_ref()
            .map_or(&no_mechanisms, |m| m.get_ref());
        let agency_ids = self.unique_ids("agency", raw.agencies.iter().map(|a| &a.get_ref().id));
        let line_ids = self.unique_ids(
            "service line",
            raw.service_lines.iter().map(|l| &l.get_ref().id),
        );
        let location_ids =
            self.unique_ids("location", raw.locations.iter().map(|l| &l.get_ref().id));
        let declared = Declared::new(settings.as_ref(), &agency_ids, &location_ids, &line_ids);
        let mechanisms = raw_mechanisms.validate(self, &declared);
        let default_correlation = raw_mechanisms.default_correlation(self);
        let no_transition = RawTransition::default();
        let raw_transition = (raw.transition.as_ref()).map_or(&no_transition, |t| t.get_ref());
        let mut transition = raw_transition.validate(self);
        let world = self.world(&raw, default_correlation, line_ids, location_ids);
        let agencies: Vec<Agency> = (raw.agencies.iter())
            .map(|a| a.get_ref().validate(self, &world, calendar))
            .collect();
        callers_have_time_zones(self, &raw.agencies, &agencies, &world);
        work_can_arrive(self, &raw.agencies, &agencies, calendar);
        self.texts_within_limits(&raw);

        let context = Context {
            service_lines: &world.service_lines,
            locations: &world.locations,
            agencies: &agencies,
            line_ids: &world.line_ids,
            location_ids: &world.location_ids,
            agency_ids: &agency_ids,
            mechanisms: &mechanisms,
            centre_defaults: CentreDefaults::new(settings.as_ref(), &mechanisms),
            transition: &transition,
            horizon_months: calendar.horizon_years * 12,
        };
        let sq_staffing = (raw.settings.as_ref())
            .map(|s| s.get_ref().status_quo_staffing)
            .unwrap_or_default();
        let (strategies, strategy_ids) =
            strategies(self, &raw.strategies, &raw.agencies, &context, sq_staffing);
        if let (Some(span_of_control), Some(table)) =
            (&mechanisms.span_of_control, &raw_mechanisms.span_of_control)
        {
            supervisors_have_costs(self, span_of_control, table.span(), &strategies, &context);
        }
        let comparison = comparison(self, raw.comparison.as_ref(), &strategy_ids);
        let pool = (raw.pool.as_ref()).map(|p| p.get_ref().validate(self, p.span(), &context));
        let uplifted =
            strategies.iter().any(|s| s.migration.is_some()) || mechanisms.harmonisation.is_some();
        raw_transition.uncertain_defaults(self, uplifted, &mut transition);
        // Last: every parameter has been read, so every input has its name.
        let correlations = correlations(self, &raw.correlations);
        let input_groups = input_groups(self, &raw.input_groups);

        let meta = raw.meta?;
        Some(Scenario {
            name: meta.get_ref().name.get_ref().clone(),
            description: meta.get_ref().description.clone(),
            settings: settings?,
            service_lines: world.service_lines,
            locations: world.locations,
            agencies,
            strategies,
            mechanisms,
            transition,
            comparison,
            pool,
            inputs: std::mem::take(&mut self.inputs),
            correlations,
            input_groups,
        })
    }

    /// The service lines and locations, with the ids of both (checked
    /// before the mechanisms, whose tables may name them).
    fn world(
        &mut self,
        raw: &RawFile,
        default_correlation: Param,
        line_ids: Ids,
        location_ids: Ids,
    ) -> World {
        let service_lines: Vec<ServiceLine> = (raw.service_lines.iter())
            .map(|l| l.get_ref().validate(self, default_correlation))
            .collect();
        let locations: Vec<Location> = (raw.locations.iter())
            .map(|l| l.get_ref().validate(self))
            .collect();
        World {
            service_lines,
            locations,
            line_ids,
            location_ids,
        }
    }

    /// Reports a missing `[scenario]` or `[settings]`.
    fn required_tables(&mut self, raw: &RawFile) {
        if raw.meta.is_none() {
            self.problem(
                0..0,
                "the [scenario] table is missing",
                "[scenario] with a name",
            );
        }
        if raw.settings.is_none() {
            self.problem(
                0..0,
                "the [settings] table is missing",
                "[settings] with the simulation settings",
            );
        }
    }

    /// `None` when a kind of table is more numerous than its limit.
    fn table_counts_within_limits(&mut self, raw: &RawFile) -> Option<()> {
        for (count, what, limit) in [
            (raw.agencies.len(), "[[agency]]", MAX_AGENCIES),
            (
                raw.service_lines.len(),
                "[[service_line]]",
                MAX_SERVICE_LINES,
            ),
            (raw.locations.len(), "[[location]]", MAX_LOCATIONS),
            (raw.strategies.len(), "[[strategy]]", MAX_STRATEGIES),
        ] {
            if count > limit {
                self.problem(
                    0..0,
                    format!("the scenario has {count} {what} tables"),
                    format!("at most {limit}"),
                );
                return None;
            }
        }
        Some(())
    }

    /// Whether the scenario has service lines, locations and agencies;
    /// reports each kind it lacks.
    fn world_declared(&mut self, raw: &RawFile) -> bool {
        let mut declared = true;
        for (count, what) in [
            (raw.service_lines.len(), "[[service_line]]"),
            (raw.locations.len(), "[[location]]"),
            (raw.agencies.len(), "[[agency]]"),
        ] {
            if count == 0 {
                declared = false;
                self.problem(
                    0..0,
                    format!("the scenario has no {what}"),
                    format!("at least one {what} table"),
                );
            }
        }
        declared
    }

    /// `None` when a replication's daily arrival counts would exceed
    /// [`MAX_ARRIVAL_CELLS`].
    fn arrival_cells_within_limit(
        &mut self,
        raw: &RawFile,
        settings: Option<&Settings>,
    ) -> Option<()> {
        let (Some(settings), Some(raw_settings)) = (settings, &raw.settings) else {
            return Some(());
        };
        let cells = raw.agencies.len() as u64
            * raw.service_lines.len() as u64
            * settings.calendar().horizon_days() as u64;
        if cells > MAX_ARRIVAL_CELLS {
            self.problem(
                raw_settings.get_ref().horizon_years.span(),
                format!(
                    "agencies × service lines × working days of the horizon is {cells} daily counts a replication"
                ),
                format!("at most {MAX_ARRIVAL_CELLS}: fewer agencies, lines, years or working days"),
            );
            return None;
        }
        Some(())
    }

    /// Bounds every text that goes into outputs (see [`MAX_NAME_CHARS`]).
    fn texts_within_limits(&mut self, raw: &RawFile) {
        if let Some(meta) = &raw.meta {
            let m = meta.get_ref();
            self.text("name", m.name.get_ref(), m.name.span(), MAX_NAME_CHARS);
            self.text(
                "description",
                &m.description,
                meta.span(),
                MAX_DESCRIPTION_CHARS,
            );
        }
        let names = (raw
            .service_lines
            .iter()
            .map(|l| (&l.get_ref().name, l.span())))
        .chain(raw.locations.iter().map(|l| (&l.get_ref().name, l.span())))
        .chain(raw.agencies.iter().map(|a| (&a.get_ref().name, a.span())))
        .chain(raw.strategies.iter().map(|s| (&s.get_ref().name, s.span())));
        let long: Vec<_> = names
            .filter_map(|(name, span)| Some((name.as_ref()?.clone(), span)))
            .collect();
        for (name, span) in long {
            self.text("name", &name, span, MAX_NAME_CHARS);
        }
    }

    fn text(&mut self, key: &str, text: &str, span: Range<usize>, max_chars: usize) {
        let chars = text.chars().count();
        if chars > max_chars {
            self.problem(
                span,
                format!("{key} has {chars} characters"),
                format!("at most {max_chars}"),
            );
        }
    }
}
