//! From the file as written to the typed model: every check of meaning, with
//! every problem reported at its position, all in one pass.
//!
//! Each section of the file validates itself into its model type, next to
//! its raw type (`scenario/settings.rs`, `scenario/agency.rs`, …). What the
//! sections share lives here: the [`Validator`], which collects every
//! problem and registers every uncertain input as it is read; the checks of
//! single values and of ids; the hard [`limits`]; and [`build`], which
//! composes the sections into a [`Scenario`] in the order they refer to each
//! other. That order is also the order of the uncertain inputs, which the
//! sampler draws by index: changing it changes every result.

mod ids;
mod limits;
mod values;

use std::collections::HashMap;
use std::ops::Range;

use toml::Spanned;

pub(super) use ids::Ids;
pub(super) use limits::*;
pub(super) use values::WeightWords;

use super::agency::{RawAgency, callers_have_time_zones, work_can_arrive};
use super::comparison::{RawComparison, comparison};
use super::correlation::{RawCorrelation, correlations};
use super::diagnostic::Diagnostic;
use super::location::RawLocation;
use super::mechanisms::{RawMechanisms, supervisors_have_costs};
use super::pool::RawPool;
use super::service_line::RawServiceLine;
use super::settings::{RawMeta, RawSettings};
use super::strategy::{RawStrategy, strategies};
use super::transition::RawTransition;
use crate::model::{
    Agency, Calendar, InputId, Location, Mechanisms, Param, Scenario, ServiceLine, Settings,
    Transition, UncertainInput,
};

/// The sections of a scenario file after each was read on its own.
#[derive(Default)]
pub struct RawFile {
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
}

/// Builds the model from the raw sections, or returns every problem found.
pub fn build(raw: RawFile) -> Result<Scenario, Vec<Diagnostic>> {
    let mut v = Validator::default();
    let scenario = v.scenario(raw);
    if v.diagnostics.is_empty() {
        Ok(scenario.expect("a scenario is built whenever no problem was found"))
    } else {
        Err(v.diagnostics)
    }
}

/// What a validation has found so far: the problems, and the uncertain
/// inputs with the names `[[correlation]]` may refer to.
#[derive(Default)]
pub(super) struct Validator {
    diagnostics: Vec<Diagnostic>,
    pub inputs: Vec<UncertainInput>,
    /// What each parameter's path names, for `[[correlation]]`.
    pub names: HashMap<String, Named>,
}

/// What a parameter's path names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Named {
    /// An uncertain input.
    Input(InputId),
    /// A number the scenario fixes.
    Fixed,
    /// A key the scenario leaves out, whose default is fixed.
    Default,
    /// A value with a problem already reported.
    Invalid,
}

/// The calendar volumes are checked against when the settings could not be
/// read: their problems are reported, and this only keeps the checks going.
const UNREAD_SETTINGS_CALENDAR: Calendar = Calendar {
    horizon_years: 1,
    working_days_per_year: 250,
};

/// The service lines and locations, validated, with the ids that name them:
/// what agencies refer to.
pub(super) struct World {
    pub service_lines: Vec<ServiceLine>,
    pub locations: Vec<Location>,
    pub line_ids: Ids,
    pub location_ids: Ids,
}

/// The parts of the model strategies and the pool refer to.
pub(super) struct Context<'a> {
    pub service_lines: &'a [ServiceLine],
    pub locations: &'a [Location],
    pub agencies: &'a [Agency],
    pub line_ids: &'a Ids,
    pub location_ids: &'a Ids,
    pub agency_ids: &'a Ids,
    pub mechanisms: &'a Mechanisms,
    pub transition: &'a Transition,
    pub horizon_months: u32,
}

impl Validator {
    /// A problem at `span`: `what` is wrong, `expected` says what would be right.
    pub(super) fn problem(
        &mut self,
        span: Range<usize>,
        what: impl std::fmt::Display,
        expected: impl std::fmt::Display,
    ) {
        self.diagnostics.push(Diagnostic::new(span, what, expected));
    }

    /// Whether a problem has been found so far.
    pub(super) fn has_problems(&self) -> bool {
        !self.diagnostics.is_empty()
    }

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
        let mechanisms = raw_mechanisms.validate(self, settings.as_ref());
        let default_correlation = raw_mechanisms.default_correlation(self);
        let no_transition = RawTransition::default();
        let transition = (raw.transition.as_ref())
            .map_or(&no_transition, |t| t.get_ref())
            .validate(self);
        let world = self.world(&raw, default_correlation);
        let agency_ids = self.unique_ids("agency", raw.agencies.iter().map(|a| &a.get_ref().id));
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
        // Last: every parameter has been read, so every input has its name.
        let correlations = correlations(self, &raw.correlations);

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
        })
    }

    /// The service lines and locations, with the ids of both.
    fn world(&mut self, raw: &RawFile, default_correlation: Param) -> World {
        let service_lines: Vec<ServiceLine> = (raw.service_lines.iter())
            .map(|l| l.get_ref().validate(self, default_correlation))
            .collect();
        let line_ids = self.unique_ids(
            "service line",
            raw.service_lines.iter().map(|l| &l.get_ref().id),
        );
        let locations: Vec<Location> = (raw.locations.iter())
            .map(|l| l.get_ref().validate(self))
            .collect();
        let location_ids =
            self.unique_ids("location", raw.locations.iter().map(|l| &l.get_ref().id));
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
        if let Some(settings) = &raw.settings {
            let currency = &settings.get_ref().currency;
            self.text(
                "currency",
                currency.get_ref(),
                currency.span(),
                MAX_NAME_CHARS,
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
