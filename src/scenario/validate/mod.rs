//! From the file as written to the typed model: every check of meaning, with
//! every problem reported at its position, all in one pass.

mod correlation;
mod limits;
mod mechanisms;
mod strategies;
mod transition;
mod world;

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use toml::Spanned;

use super::defaults;
use super::diagnostic::Diagnostic;
use super::raw::*;
use crate::model::*;
use correlation::Named;
use limits::*;

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

#[derive(Default)]
struct Validator {
    diagnostics: Vec<Diagnostic>,
    inputs: Vec<UncertainInput>,
    /// What each parameter's path names, for `[[correlation]]`.
    names: HashMap<String, Named>,
}

/// Ids of one kind, with where each was declared.
#[derive(Default)]
struct Ids(HashMap<String, usize>);

impl Ids {
    fn get(&self, id: &str) -> Option<usize> {
        self.0.get(id).copied()
    }
}

impl Validator {
    fn problem(
        &mut self,
        span: Range<usize>,
        what: impl std::fmt::Display,
        expected: impl std::fmt::Display,
    ) {
        self.diagnostics.push(Diagnostic::new(span, what, expected));
    }

    fn scenario(&mut self, raw: RawFile) -> Option<Scenario> {
        let file_start = 0..0;
        if raw.meta.is_none() {
            self.problem(
                file_start.clone(),
                "the [scenario] table is missing",
                "[scenario] with a name",
            );
        }
        if raw.settings.is_none() {
            self.problem(
                file_start.clone(),
                "the [settings] table is missing",
                "[settings] with the simulation settings",
            );
        }
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
                    file_start.clone(),
                    format!("the scenario has {count} {what} tables"),
                    format!("at most {limit}"),
                );
                return None;
            }
        }
        let mut missing = false;
        for (count, what) in [
            (raw.service_lines.len(), "[[service_line]]"),
            (raw.locations.len(), "[[location]]"),
            (raw.agencies.len(), "[[agency]]"),
        ] {
            if count == 0 {
                missing = true;
                self.problem(
                    file_start.clone(),
                    format!("the scenario has no {what}"),
                    format!("at least one {what} table"),
                );
            }
        }

        let settings = raw.settings.as_ref().and_then(|s| self.settings(s));
        if missing {
            // Everything else refers to lines, locations and agencies: checked
            // without them, it would only report knock-on problems.
            return None;
        }
        if let (Some(settings), Some(raw_settings)) = (&settings, &raw.settings) {
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
        }
        let empty = RawMechanisms::default();
        let raw_mechanisms = raw.mechanisms.as_ref().map_or(&empty, |m| m.get_ref());
        let mechanisms = self.mechanisms(raw_mechanisms, settings.as_ref());
        let default_correlation = self.default_correlation(raw_mechanisms);
        let no_transition = RawTransition::default();
        let transition = self.transition(
            raw.transition
                .as_ref()
                .map_or(&no_transition, |t| t.get_ref()),
        );
        let service_lines: Vec<ServiceLine> = raw
            .service_lines
            .iter()
            .map(|l| self.service_line(l, default_correlation))
            .collect();
        let line_ids = self.unique_ids(
            "service line",
            raw.service_lines.iter().map(|l| &l.get_ref().id),
        );
        let locations: Vec<Location> = raw.locations.iter().map(|l| self.location(l)).collect();
        let location_ids =
            self.unique_ids("location", raw.locations.iter().map(|l| &l.get_ref().id));
        let agency_ids = self.unique_ids("agency", raw.agencies.iter().map(|a| &a.get_ref().id));

        let calendar = settings.as_ref().map_or(
            Calendar {
                working_days_per_year: 250,
                horizon_years: 1,
            },
            |s| Calendar {
                working_days_per_year: s.working_days_per_year,
                horizon_years: s.horizon_years,
            },
        );
        let agencies: Vec<Agency> = raw
            .agencies
            .iter()
            .map(|a| self.agency(a, &line_ids, &location_ids, &service_lines, calendar))
            .collect();
        self.callers_have_time_zones(&raw.agencies, &agencies, &service_lines, &locations);
        self.work_can_arrive(&raw.agencies, &agencies, calendar);
        self.texts_within_limits(&raw);

        let sq_staffing = raw
            .settings
            .as_ref()
            .map(|s| s.get_ref().status_quo_staffing)
            .unwrap_or_default();
        let context = Context {
            service_lines: &service_lines,
            locations: &locations,
            agencies: &agencies,
            mechanisms: &mechanisms,
            transition: &transition,
            horizon_months: calendar.horizon_years * 12,
        };
        let mut strategies = vec![self.status_quo(&raw.agencies, &context, sq_staffing)];
        let strategy_ids =
            self.unique_ids("strategy", raw.strategies.iter().map(|s| &s.get_ref().id));
        if let Some(&i) = strategy_ids.0.get(STATUS_QUO_ID) {
            let id = &raw.strategies[i].get_ref().id;
            self.problem(
                id.span(),
                format!("strategy id `{STATUS_QUO_ID}` is reserved for the baseline sscsim builds itself"),
                "another id",
            );
        }
        for s in &raw.strategies {
            strategies.push(self.strategy(s, &context, &line_ids, &location_ids, &agency_ids));
        }
        if let (Some(span_of_control), Some(table)) =
            (&mechanisms.span_of_control, &raw_mechanisms.span_of_control)
        {
            self.supervisors_have_costs(span_of_control, table.span(), &strategies, &locations);
        }
        let comparison = self.comparison(raw.comparison.as_ref(), &strategy_ids);
        let pool = raw
            .pool
            .as_ref()
            .map(|p| self.pool(p, &context, &location_ids));

        // Last: every parameter has been read, so every input has its name.
        let correlations = self.correlations(&raw.correlations);

        let meta = raw.meta?;
        Some(Scenario {
            name: meta.get_ref().name.get_ref().clone(),
            description: meta.get_ref().description.clone(),
            settings: settings?,
            service_lines,
            locations,
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

    /// Checks that ids are well formed and unique; returns id → index.
    fn unique_ids<'r>(
        &mut self,
        kind: &str,
        ids: impl Iterator<Item = &'r Spanned<String>>,
    ) -> Ids {
        let mut seen = Ids::default();
        for (i, id) in ids.enumerate() {
            self.identifier(kind, id);
            if seen.0.insert(id.get_ref().clone(), i).is_some() {
                self.problem(
                    id.span(),
                    format!("{kind} id `{}` is declared twice", id.get_ref()),
                    "a unique id",
                );
            }
        }
        seen
    }

    fn identifier(&mut self, kind: &str, id: &Spanned<String>) {
        let s = id.get_ref();
        let well_formed = s.len() <= MAX_ID_CHARS
            && s.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
        if !well_formed {
            self.problem(
                id.span(),
                format!("{kind} id `{s}` is not a valid identifier"),
                format!("a letter followed by letters, digits, '_' or '-' (at most {MAX_ID_CHARS} characters)"),
            );
        }
    }

    fn integer(&mut self, name: &str, value: &Spanned<i64>, min: i64, max: i64) -> Option<u64> {
        let v = *value.get_ref();
        if v < min || v > max {
            self.problem(
                value.span(),
                format!("{name} is {v}"),
                format!("an integer from {min} to {max}"),
            );
            return None;
        }
        u64::try_from(v).ok()
    }

    fn real(&mut self, name: &str, value: &Spanned<f64>, domain: Domain) -> Option<f64> {
        let v = *value.get_ref();
        if !v.is_finite() || !domain.contains(v) {
            self.problem(
                value.span(),
                format!("{name} is {}", readable(v)),
                domain.expected,
            );
            return None;
        }
        Some(v)
    }

    /// Turns a number or distribution into a [`Param`], registering it as an
    /// uncertain input when it is not fixed.
    fn param(&mut self, path: String, raw: &Spanned<RawNumber>, domain: Domain) -> Param {
        self.param_at(path, raw.get_ref(), raw.span(), domain)
    }

    fn param_at(
        &mut self,
        path: String,
        raw: &RawNumber,
        span: Range<usize>,
        domain: Domain,
    ) -> Param {
        match self.checked_dist(&path, raw, span, domain) {
            Some(dist) => self.register(path, dist),
            None => {
                self.names.insert(path, Named::Invalid);
                Param::Fixed(0.0)
            }
        }
    }

    /// The distribution of a number, if it is valid and within `domain`.
    fn checked_dist(
        &mut self,
        path: &str,
        raw: &RawNumber,
        span: Range<usize>,
        domain: Domain,
    ) -> Option<Dist> {
        let field = path.rsplit('.').next().unwrap_or(path).to_owned();
        if let RawNumber::Plain(v) = raw
            && !v.is_finite()
        {
            self.problem(
                span,
                format!("{field} is {}", readable(*v)),
                "a finite number",
            );
            return None;
        }
        let dist = match to_dist(raw) {
            Ok(dist) => dist,
            Err(e) => {
                self.problem(span, format!("{field}: {}", e.found), e.expected);
                return None;
            }
        };
        let (low, high) = dist.support();
        if !domain.contains(low) || !domain.contains(high) {
            let what = if dist.is_fixed() {
                format!("{field} is {}", readable(low))
            } else if low.is_infinite() || high.is_infinite() {
                format!(
                    "{field} is an unbounded distribution (truncate it with min and max; a lognormal needs a max)"
                )
            } else {
                format!(
                    "{field} can take values from {} to {}",
                    readable(low),
                    readable(high)
                )
            };
            self.problem(span, what, domain.expected);
            return None;
        }
        Some(dist)
    }

    /// The parameter at `path`: a fixed number, or a new uncertain input.
    fn register(&mut self, path: String, dist: Dist) -> Param {
        if dist.is_fixed() {
            self.names.insert(path, Named::Fixed);
            return Param::Fixed(dist.support().0);
        }
        let id = InputId(self.inputs.len());
        self.names.insert(path.clone(), Named::Input(id));
        self.inputs.push(UncertainInput { name: path, dist });
        Param::Input(id)
    }

    fn optional_param(
        &mut self,
        path: String,
        raw: &Option<Spanned<RawNumber>>,
        domain: Domain,
        default: f64,
    ) -> Param {
        match raw {
            Some(raw) => self.param(path, raw, domain),
            None => {
                self.names.insert(path, Named::Default);
                Param::Fixed(default)
            }
        }
    }

    fn reference(&mut self, kind: &str, ids: &Ids, id: &Spanned<String>) -> Option<usize> {
        let found = ids.get(id.get_ref());
        if found.is_none() {
            let mut known: Vec<_> = ids.0.keys().map(|k| format!("`{k}`")).collect();
            known.sort();
            self.problem(
                id.span(),
                format!("unknown {kind} `{}`", id.get_ref()),
                format!("one of the declared {kind} ids: {}", known.join(", ")),
            );
        }
        found
    }
}

/// The settings that volumes are checked against.
#[derive(Clone, Copy)]
struct Calendar {
    working_days_per_year: u32,
    horizon_years: u32,
}

/// The parts of the model strategies refer to.
struct Context<'a> {
    service_lines: &'a [ServiceLine],
    locations: &'a [Location],
    agencies: &'a [Agency],
    mechanisms: &'a Mechanisms,
    transition: &'a Transition,
    horizon_months: u32,
}

/// Whether a centre's team takes over work from its members' headquarters:
/// every team does, except one at all its members' headquarters location on
/// an existing site, whose work stays where it is.
fn team_moves(centre: &Centre, team: &Team, agencies: &[Agency]) -> bool {
    team_moves_in(centre.location, centre.existing, team, agencies)
}

fn team_moves_in(location: usize, existing: bool, team: &Team, agencies: &[Agency]) -> bool {
    !(existing
        && team
            .members
            .iter()
            .all(|&a| agencies[a].hq_location == location))
}

/// Whether any of an agency's HQ teams employs staff of this grade today.
fn line_grades_used(agency: &Agency, grade: Grade) -> bool {
    agency
        .lines
        .iter()
        .flatten()
        .any(|l| l.hq_staff_fte[grade] > 0.0)
}

fn to_dist(raw: &RawNumber) -> Result<Dist, DistError> {
    match raw {
        RawNumber::Plain(v) => Dist::fixed(*v),
        RawNumber::Dist(d) => match d {
            RawDist::Fixed { value } => Dist::fixed(*value),
            RawDist::Uniform { min, max } => Dist::uniform(*min, *max),
            RawDist::Triangular { min, mode, max } => Dist::triangular(*min, *mode, *max),
            RawDist::Pert {
                min,
                mode,
                max,
                shape,
            } => Dist::pert(*min, *mode, *max, shape.unwrap_or(PERT_DEFAULT_SHAPE)),
            RawDist::Normal { mean, sd, min, max } => Dist::normal(
                *mean,
                *sd,
                min.unwrap_or(f64::NEG_INFINITY),
                max.unwrap_or(f64::INFINITY),
            ),
            RawDist::Lognormal { mean, sd, min, max } => {
                Dist::lognormal(*mean, *sd, min.unwrap_or(0.0), max.unwrap_or(f64::INFINITY))
            }
            RawDist::Discrete { values, weights } => {
                Dist::discrete(values, weights.as_deref().unwrap_or(&[]))
            }
        },
    }
}
