//! From the file as written to the typed model: every check of meaning, with
//! every problem reported at its position, all in one pass.

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use toml::Spanned;

use super::defaults;
use super::diagnostic::Diagnostic;
use super::raw::*;
use crate::model::*;

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
}

/// The range of values a number may take, and how to say so.
#[derive(Clone, Copy)]
struct Domain {
    min: f64,
    min_inclusive: bool,
    max: f64,
    expected: &'static str,
}

impl Domain {
    fn contains(&self, v: f64) -> bool {
        let above = if self.min_inclusive {
            v >= self.min
        } else {
            v > self.min
        };
        above && v <= self.max
    }
}

const NON_NEGATIVE: Domain = Domain {
    min: 0.0,
    min_inclusive: true,
    max: 1e12,
    expected: "a number of at least 0 (at most 1e12)",
};
const VOLUME: Domain = Domain {
    min: 0.0,
    min_inclusive: true,
    max: 1e9,
    expected: "a yearly volume of at least 0 and at most 1e9 transactions",
};
const EFFORT: Domain = Domain {
    min: 0.0,
    min_inclusive: false,
    max: 1e5,
    expected: "minutes per transaction greater than 0 and at most 100000",
};
const RATE: Domain = Domain {
    min: -1.0,
    min_inclusive: false,
    max: 1.0,
    expected: "a yearly rate greater than -1 and at most 1 (0.03 means 3%)",
};
const FACTOR: Domain = Domain {
    min: 0.0,
    min_inclusive: false,
    max: 100.0,
    expected: "a multiplier greater than 0 and at most 100 (1 means no change)",
};
const DISPERSION: Domain = Domain {
    min: 0.01,
    min_inclusive: true,
    max: 1e9,
    expected: "a dispersion of at least 0.01 (smaller is burstier)",
};

/// The most transactions an agency's service line may expect on one working
/// day, in any year of the horizon: far beyond any real workload, and low
/// enough that counts, FTE and costs stay well within floating-point range.
const MAX_DAILY_MEAN: f64 = 1e9;
const SHARE: Domain = Domain {
    min: 0.0,
    min_inclusive: true,
    max: 1.0,
    expected: "a share from 0 to 1",
};
const FTE: Domain = Domain {
    min: 0.0,
    min_inclusive: true,
    max: 1e6,
    expected: "an FTE count of at least 0 (at most 1e6)",
};

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
        for (count, what) in [
            (raw.service_lines.len(), "[[service_line]]"),
            (raw.locations.len(), "[[location]]"),
            (raw.agencies.len(), "[[agency]]"),
        ] {
            if count == 0 {
                self.problem(
                    file_start.clone(),
                    format!("the scenario has no {what}"),
                    format!("at least one {what} table"),
                );
            }
        }

        let settings = raw.settings.as_ref().and_then(|s| self.settings(s));
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
            inputs: std::mem::take(&mut self.inputs),
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
        let well_formed = s.len() <= 64
            && s.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
        if !well_formed {
            self.problem(
                id.span(),
                format!("{kind} id `{s}` is not a valid identifier"),
                "a letter followed by letters, digits, '_' or '-' (at most 64 characters)",
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
            self.problem(value.span(), format!("{name} is {v}"), domain.expected);
            return None;
        }
        Some(v)
    }

    fn settings(&mut self, raw: &Spanned<RawSettings>) -> Option<Settings> {
        let s = raw.get_ref();
        let horizon_years = self.integer("horizon_years", &s.horizon_years, 1, 100);
        let working_days = self.integer("working_days_per_year", &s.working_days_per_year, 12, 366);
        let discount = self.param(
            "settings.discount_rate_per_year".to_owned(),
            &s.discount_rate_per_year,
            Domain {
                min: -1.0,
                min_inclusive: false,
                max: 1.0,
                expected: "a yearly rate greater than -1 and at most 1",
            },
        );
        let replications = self.integer("replications", &s.replications, 1, 1_000_000_000);
        let seed = self.integer("seed", &s.seed, 0, i64::MAX);
        let minutes = self.param(
            "settings.working_minutes_per_day".to_owned(),
            &s.working_minutes_per_day,
            Domain {
                min: 0.0,
                min_inclusive: false,
                max: 1440.0,
                expected: "minutes greater than 0 and at most 1440",
            },
        );
        let availability = self.param(
            "settings.availability_share".to_owned(),
            &s.availability_share,
            Domain {
                min: 0.0,
                min_inclusive: false,
                max: 1.0,
                expected: "a share greater than 0 and at most 1",
            },
        );
        Some(Settings {
            horizon_years: u32::try_from(horizon_years?).ok()?,
            working_days_per_year: u32::try_from(working_days?).ok()?,
            discount_rate_per_year: discount,
            replications: replications?,
            seed: seed?,
            currency: s.currency.get_ref().clone(),
            working_minutes_per_day: minutes,
            availability_share: availability,
        })
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
        let field = path.rsplit('.').next().unwrap_or(&path).to_owned();
        if let RawNumber::Plain(v) = raw
            && !v.is_finite()
        {
            self.problem(span, format!("{field} is {v}"), "a finite number");
            return Param::Fixed(0.0);
        }
        let dist = match to_dist(raw) {
            Ok(dist) => dist,
            Err(e) => {
                self.problem(span, format!("{field}: {}", e.found), e.expected);
                return Param::Fixed(0.0);
            }
        };
        let (low, high) = dist.support();
        if !domain.contains(low) || !domain.contains(high) {
            let what = if dist.is_fixed() {
                format!("{field} is {low}")
            } else if low.is_infinite() || high.is_infinite() {
                format!(
                    "{field} is an unbounded normal (truncate it with min and max, or use a lognormal)"
                )
            } else {
                format!("{field} can take values from {low} to {high}")
            };
            self.problem(span, what, domain.expected);
            return Param::Fixed(0.0);
        }
        if dist.is_fixed() {
            Param::Fixed(low)
        } else {
            self.inputs.push(UncertainInput { name: path, dist });
            Param::Input(InputId(self.inputs.len() - 1))
        }
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
            None => Param::Fixed(default),
        }
    }

    fn service_line(
        &mut self,
        raw: &Spanned<RawServiceLine>,
        default_correlation: Param,
    ) -> ServiceLine {
        let l = raw.get_ref();
        let id = l.id.get_ref().clone();
        let path = format!("service_line.{id}");
        let target_days = self.integer(
            "service_level_target_days",
            &l.service_level_target_days,
            0,
            250,
        );
        let target_share = self.real(
            "service_level_target_share",
            &l.service_level_target_share,
            Domain {
                min: 0.5,
                min_inclusive: true,
                max: 0.999_999,
                expected: "a share from 0.5 to 0.999999 (0.95 means 95% on time)",
            },
        );
        ServiceLine {
            name: l.name.clone().unwrap_or_else(|| id.clone()),
            effort_minutes_per_transaction: self.param(
                format!("{path}.effort_minutes_per_transaction"),
                &l.effort_minutes_per_transaction,
                EFFORT,
            ),
            target_days: target_days.unwrap_or(0) as u32,
            target_share: target_share.unwrap_or(0.5),
            relocatable: l.relocatable,
            volume_correlation: match &l.volume_correlation {
                Some(c) => self.param(format!("{path}.volume_correlation"), c, SHARE),
                None => default_correlation,
            },
            id,
        }
    }

    fn location(&mut self, raw: &Spanned<RawLocation>) -> Location {
        let l = raw.get_ref();
        let id = l.id.get_ref().clone();
        let path = format!("location.{id}");
        let costs = l.annual_cost_usd_per_fte.get_ref().entries();
        let annual_cost_usd_per_fte = ByGrade::from_fn(|g| {
            costs[g as usize].as_ref().map(|c| {
                self.param(
                    format!("{path}.annual_cost_usd_per_fte.{}", g.label()),
                    c,
                    NON_NEGATIVE,
                )
            })
        });
        let salary_shock = l
            .salary_shock
            .as_ref()
            .map(|shock| self.salary_shock(&path, shock));
        Location {
            name: l.name.clone().unwrap_or_else(|| id.clone()),
            salary_shock,
            annual_cost_usd_per_fte,
            salary_escalation_rate_per_year: self.optional_param(
                format!("{path}.salary_escalation_rate_per_year"),
                &l.salary_escalation_rate_per_year,
                RATE,
                0.0,
            ),
            exchange_rate_factor: self.optional_param(
                format!("{path}.exchange_rate_factor"),
                &l.exchange_rate_factor,
                FACTOR,
                1.0,
            ),
            premises_usd_per_fte_per_year: self.optional_param(
                format!("{path}.premises_usd_per_fte_per_year"),
                &l.premises_usd_per_fte_per_year,
                NON_NEGATIVE,
                0.0,
            ),
            site_setup_cost_usd: self.optional_param(
                format!("{path}.site_setup_cost_usd"),
                &l.site_setup_cost_usd,
                NON_NEGATIVE,
                0.0,
            ),
            site_fixed_cost_usd_per_year: self.optional_param(
                format!("{path}.site_fixed_cost_usd_per_year"),
                &l.site_fixed_cost_usd_per_year,
                NON_NEGATIVE,
                0.0,
            ),
            id,
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

    fn agency(
        &mut self,
        raw: &Spanned<RawAgency>,
        line_ids: &Ids,
        location_ids: &Ids,
        service_lines: &[ServiceLine],
        calendar: Calendar,
    ) -> Agency {
        let a = raw.get_ref();
        let id = a.id.get_ref().clone();
        let hq_location = self
            .reference("location", location_ids, &a.hq_location)
            .unwrap_or(0);
        let mut lines = vec![None; service_lines.len()];
        if a.service_line.is_empty() {
            self.problem(
                a.id.span(),
                format!("agency `{id}` has no service lines"),
                format!("at least one [agency.service_line.ID] table for `{id}`"),
            );
        }
        for (line_id, line) in &a.service_line {
            let Some(index) = self.reference("service line", line_ids, line_id) else {
                continue;
            };
            let path = format!("agency.{id}.service_line.{}", line_id.get_ref());
            lines[index] = Some(self.agency_line(&path, line, calendar));
        }
        Agency {
            name: a.name.clone().unwrap_or_else(|| id.clone()),
            id,
            hq_location,
            lines,
        }
    }

    fn agency_line(
        &mut self,
        path: &str,
        raw: &Spanned<RawAgencyLine>,
        calendar: Calendar,
    ) -> AgencyLine {
        let l = raw.get_ref();
        let seasonality = match &l.seasonality {
            None => [1.0; MONTHS_PER_YEAR],
            Some(weights) => self.seasonality(weights, calendar.working_days_per_year),
        };
        let arrivals = match l.arrivals.as_ref().map(|a| (a.get_ref(), a.span())) {
            None | Some((RawArrivals::Poisson, _)) => ArrivalProcess::Poisson,
            Some((RawArrivals::Deterministic, _)) => ArrivalProcess::Deterministic,
            Some((RawArrivals::NegativeBinomial { dispersion }, span)) => {
                ArrivalProcess::NegativeBinomial {
                    dispersion: self.param_at(
                        format!("{path}.arrivals.dispersion"),
                        dispersion,
                        span,
                        DISPERSION,
                    ),
                }
            }
        };
        let staff = l.hq_staff_fte.get_ref().entries();
        let hq_staff_fte = ByGrade::from_fn(|g| {
            staff[g as usize]
                .as_ref()
                .and_then(|v| self.real(&format!("hq_staff_fte.{}", g.label()), v, FTE))
                .unwrap_or(0.0)
        });
        let line = AgencyLine {
            annual_volume: self.param(format!("{path}.annual_volume"), &l.annual_volume, VOLUME),
            volume_growth_rate_per_year: self.optional_param(
                format!("{path}.volume_growth_rate_per_year"),
                &l.volume_growth_rate_per_year,
                RATE,
                0.0,
            ),
            seasonality,
            arrivals,
            hq_staff_fte,
        };
        self.check_peak_daily_volume(&line, l.annual_volume.span(), calendar);
        line
    }

    /// Rejects volumes that would grow beyond [`MAX_DAILY_MEAN`] a day within
    /// the horizon, judged on the largest values the inputs can take.
    fn check_peak_daily_volume(
        &mut self,
        line: &AgencyLine,
        span: Range<usize>,
        calendar: Calendar,
    ) {
        let highest = |p: Param| match p {
            Param::Fixed(v) => v,
            Param::Input(InputId(i)) => self.inputs[i].dist.support().1,
        };
        let growth = (1.0 + highest(line.volume_growth_rate_per_year)).max(1.0);
        let peak_weight = line.seasonality.iter().copied().fold(0.0, f64::max);
        let last_year = calendar.horizon_years.saturating_sub(1);
        let peak = highest(line.annual_volume) * growth.powi(last_year as i32) * peak_weight
            / f64::from(calendar.working_days_per_year);
        if peak > MAX_DAILY_MEAN {
            self.problem(
                span,
                format!("annual_volume, grown over {} years, can reach {peak:.3e} transactions a working day", last_year),
                format!("at most {MAX_DAILY_MEAN:e} a day in any year of the horizon"),
            );
        }
    }

    /// Checks twelve monthly weights and scales them so that their average
    /// over the working days of a year is exactly 1, which keeps each year's
    /// expected volume equal to the annual volume.
    fn seasonality(
        &mut self,
        raw: &Spanned<Vec<Spanned<f64>>>,
        working_days_per_year: u32,
    ) -> [f64; MONTHS_PER_YEAR] {
        let flat = [1.0; MONTHS_PER_YEAR];
        let weights = raw.get_ref();
        if weights.len() != MONTHS_PER_YEAR {
            self.problem(
                raw.span(),
                format!("seasonality has {} weights", weights.len()),
                "12 monthly weights, January to December",
            );
            return flat;
        }
        let mut months = flat;
        for (m, w) in weights.iter().enumerate() {
            match self.real("a seasonality weight", w, NON_NEGATIVE) {
                Some(v) => months[m] = v,
                None => return flat,
            }
        }
        let days = working_days_per_year as usize;
        let total: f64 = (0..days).map(|d| months[month_of_day(d, days)]).sum();
        if total <= 0.0 {
            self.problem(
                raw.span(),
                "seasonality weights are all 0",
                "at least one month with a weight above 0",
            );
            return flat;
        }
        months.map(|w| w * days as f64 / total)
    }

    fn status_quo(
        &mut self,
        raw_agencies: &[Spanned<RawAgency>],
        ctx: &Context,
        staffing: RawStatusQuoStaffing,
    ) -> Strategy {
        let mut centres = Vec::new();
        let mut sites = Vec::new();
        for (a, agency) in ctx.agencies.iter().enumerate() {
            let mut teams = Vec::new();
            for (l, line) in agency.lines.iter().enumerate() {
                let Some(line) = line else { continue };
                let staff = line.hq_staff_fte;
                let staffing = match staffing {
                    RawStatusQuoStaffing::Current => Staffing::Fixed {
                        fte: ByGrade::from_fn(|g| Param::Fixed(staff[g])),
                    },
                    RawStatusQuoStaffing::Planned => {
                        let total = staff.total();
                        if total <= 0.0 {
                            let span = raw_agencies[a]
                                .get_ref()
                                .service_line
                                .iter()
                                .find(|(k, _)| k.get_ref() == &ctx.service_lines[l].id)
                                .map_or(0..0, |(_, v)| v.get_ref().hq_staff_fte.span());
                            self.problem(
                                span,
                                format!("hq_staff_fte of `{}` in `{}` is all 0, so the status quo has no grade mix", agency.id, ctx.service_lines[l].id),
                                "the staff processing this work at headquarters today, by grade",
                            );
                            continue;
                        }
                        Staffing::Planned {
                            grade_mix: ByGrade::from_fn(|g| staff[g] / total),
                        }
                    }
                };
                teams.push(Team {
                    service_line: l,
                    members: vec![a],
                    staffing,
                    moves: false,
                    go_live_month: 0,
                    bad_go_live: Param::Fixed(0.0),
                });
            }
            let used = ByGrade::from_fn(|g| line_grades_used(agency, g));
            let span = raw_agencies[a].get_ref().hq_location.span();
            self.grades_have_costs(
                span,
                &ctx.locations[agency.hq_location],
                &used,
                &format!("the status quo of `{}`", agency.id),
            );
            sites.push(Site {
                location: agency.hq_location,
                existing: true,
            });
            centres.push(Centre {
                id: format!("{}_hq", agency.id),
                location: agency.hq_location,
                site: sites.len() - 1,
                teams,
                fixed_cost_usd_per_year: Param::Fixed(0.0),
                // Headquarters management is not attributed to its processing units.
                overhead_staff_fte: ByGrade::default(),
                existing: true,
                supervisor_grade_mix: None,
            });
        }
        Strategy {
            id: STATUS_QUO_ID.to_owned(),
            name: "Status quo".to_owned(),
            centres,
            sites,
            migration: None,
        }
    }

    fn grades_have_costs(
        &mut self,
        span: Range<usize>,
        location: &Location,
        used: &ByGrade<bool>,
        whose: &str,
    ) {
        for (g, &is_used) in used.iter() {
            if is_used && location.annual_cost_usd_per_fte[g].is_none() {
                self.problem(
                    span.clone(),
                    format!(
                        "{whose} employs {} staff but location `{}` has no {} cost",
                        g.label(),
                        location.id,
                        g.label()
                    ),
                    format!(
                        "annual_cost_usd_per_fte.{} for location `{}`",
                        g.label(),
                        location.id
                    ),
                );
            }
        }
    }

    /// A table of FTE by grade, each uncertain.
    fn fte_table(
        &mut self,
        path: &str,
        table: &Spanned<RawByGrade<Spanned<RawNumber>>>,
    ) -> ByGrade<Param> {
        let entries = table.get_ref().entries();
        ByGrade::from_fn(|g| match entries[g as usize] {
            Some(v) => self.param(format!("{path}.{}", g.label()), v, FTE),
            None => Param::Fixed(0.0),
        })
    }

    /// Whether a parameter can take a value above 0.
    fn can_be_positive(&self, param: Param) -> bool {
        match param {
            Param::Fixed(v) => v > 0.0,
            Param::Input(InputId(i)) => self.inputs[i].dist.support().1 > 0.0,
        }
    }

    fn default_correlation(&mut self, raw: &RawMechanisms) -> Param {
        let correlation = raw
            .variance_pooling
            .as_ref()
            .and_then(|v| v.get_ref().volume_correlation.as_ref());
        match correlation {
            Some(c) => self.param(
                "mechanisms.variance_pooling.volume_correlation".to_owned(),
                c,
                SHARE,
            ),
            None => Param::Fixed(defaults::VOLUME_CORRELATION),
        }
    }

    /// A mechanism parameter: the scenario's value, or the documented default.
    fn mechanism_param(
        &mut self,
        path: &str,
        raw: &Option<Spanned<RawNumber>>,
        domain: Domain,
        default: f64,
    ) -> Param {
        self.optional_param(format!("mechanisms.{path}"), raw, domain, default)
    }

    fn mechanisms(&mut self, raw: &RawMechanisms, settings: Option<&Settings>) -> Mechanisms {
        let centre_overhead_staff_fte = match &raw.fixed_overhead {
            None => ByGrade::default(),
            Some(f) => match &f.get_ref().centre_staff_fte {
                Some(table) => self.fte_table("mechanisms.fixed_overhead.centre_staff_fte", table),
                None => ByGrade(defaults::CENTRE_STAFF_FTE.map(Param::Fixed)),
            },
        };
        let learning = raw.learning_and_scale.as_ref().map(|l| {
            let l = l.get_ref();
            let p = "learning_and_scale";
            Learning {
                initial_effort_factor: self.mechanism_param(
                    &format!("{p}.initial_effort_factor"),
                    &l.initial_effort_factor,
                    Domain { min: 1.0, min_inclusive: true, max: 10.0, expected: "a multiple from 1 to 10 (1 = no learning)" },
                    defaults::INITIAL_EFFORT_FACTOR,
                ),
                learning_rate: self.mechanism_param(
                    &format!("{p}.learning_rate"),
                    &l.learning_rate,
                    Domain { min: 0.0, min_inclusive: false, max: 1.0, expected: "a rate greater than 0 and at most 1 (0.85 = 15% less effort per doubling)" },
                    defaults::LEARNING_RATE,
                ),
                reference_experience_fte_years: self.mechanism_param(
                    &format!("{p}.reference_experience_fte_years"),
                    &l.reference_experience_fte_years,
                    Domain { min: 0.0, min_inclusive: false, max: 1e6, expected: "FTE-years greater than 0" },
                    defaults::REFERENCE_EXPERIENCE_FTE_YEARS,
                ),
                scale_elasticity: self.mechanism_param(
                    &format!("{p}.scale_elasticity"),
                    &l.scale_elasticity,
                    Domain { min: 0.0, min_inclusive: true, max: 0.5, expected: "an elasticity from 0 to 0.5 (0 = no scale effect)" },
                    defaults::SCALE_ELASTICITY,
                ),
                reference_team_fte: self.mechanism_param(
                    &format!("{p}.reference_team_fte"),
                    &l.reference_team_fte,
                    Domain { min: 0.0, min_inclusive: false, max: 1e6, expected: "a team size greater than 0" },
                    defaults::REFERENCE_TEAM_FTE,
                ),
            }
        });
        let span_of_control = raw.span_of_control.as_ref().map(|s| {
            let table = s.get_ref();
            let supervisor_grade_mix = match &table.supervisor_grade_mix {
                Some(mix) => self.grade_shares("supervisor_grade_mix", mix),
                None => ByGrade(defaults::SUPERVISOR_GRADE_MIX),
            };
            SpanOfControl {
                staff_per_supervisor: self.mechanism_param(
                    "span_of_control.staff_per_supervisor",
                    &table.staff_per_supervisor,
                    Domain {
                        min: 1.0,
                        min_inclusive: true,
                        max: 1000.0,
                        expected: "at least 1 processing staff per supervisor",
                    },
                    defaults::STAFF_PER_SUPERVISOR,
                ),
                minimum_supervisors_per_team: table
                    .minimum_supervisors_per_team
                    .as_ref()
                    .and_then(|m| {
                        self.real(
                            "minimum_supervisors_per_team",
                            m,
                            Domain {
                                min: 0.0,
                                min_inclusive: true,
                                max: 100.0,
                                expected: "from 0 to 100 supervisors",
                            },
                        )
                    })
                    .unwrap_or(defaults::MINIMUM_SUPERVISORS_PER_TEAM),
                supervisor_grade_mix,
                integer_staffing: table.integer_staffing,
            }
        });
        let horizon = settings.map_or(100, |s| i64::from(s.horizon_years));
        let harmonisation = raw.harmonisation.as_ref().map(|h| {
            let h = h.get_ref();
            let p = "harmonisation";
            Harmonisation {
                penalty_per_additional_agency: self.mechanism_param(
                    &format!("{p}.penalty_per_additional_agency"),
                    &h.penalty_per_additional_agency,
                    Domain {
                        min: 0.0,
                        min_inclusive: true,
                        max: 10.0,
                        expected: "extra effort from 0 to 10 (0.1 = +10% per agency)",
                    },
                    defaults::PENALTY_PER_ADDITIONAL_AGENCY,
                ),
                project_cost_usd_per_additional_agency: self.mechanism_param(
                    &format!("{p}.project_cost_usd_per_additional_agency"),
                    &h.project_cost_usd_per_additional_agency,
                    NON_NEGATIVE,
                    defaults::PROJECT_COST_USD_PER_ADDITIONAL_AGENCY,
                ),
                project_years: h
                    .project_years
                    .as_ref()
                    .and_then(|y| self.integer("project_years", y, 0, horizon))
                    .unwrap_or(defaults::PROJECT_YEARS as u64)
                    as u32,
                remaining_penalty_share: self.mechanism_param(
                    &format!("{p}.remaining_penalty_share"),
                    &h.remaining_penalty_share,
                    SHARE,
                    defaults::REMAINING_PENALTY_SHARE,
                ),
            }
        });
        Mechanisms {
            centre_overhead_staff_fte,
            learning,
            span_of_control,
            harmonisation,
        }
    }

    /// Grade shares that must sum to 1; scaled to sum to exactly 1.
    fn grade_shares(
        &mut self,
        name: &str,
        mix: &Spanned<RawByGrade<Spanned<f64>>>,
    ) -> ByGrade<f64> {
        let entries = mix.get_ref().entries();
        let shares = ByGrade::from_fn(|g| {
            entries[g as usize]
                .as_ref()
                .and_then(|v| self.real(&format!("{name}.{}", g.label()), v, SHARE))
                .unwrap_or(0.0)
        });
        let total = shares.total();
        if (total - 1.0).abs() > 1e-6 {
            self.problem(
                mix.span(),
                format!("{name} shares sum to {total}"),
                "shares that sum to 1",
            );
        }
        ByGrade::from_fn(|g| if total > 0.0 { shares[g] / total } else { 0.0 })
    }

    /// Supervisors are paid at the location of every centre with a team, at
    /// the centre's own supervisor grade mix or the scenario's.
    fn supervisors_have_costs(
        &mut self,
        span: &SpanOfControl,
        at: Range<usize>,
        strategies: &[Strategy],
        locations: &[Location],
    ) {
        let mut checked = HashSet::new();
        for centre in strategies.iter().flat_map(|s| &s.centres) {
            let mix = centre
                .supervisor_grade_mix
                .as_ref()
                .unwrap_or(&span.supervisor_grade_mix);
            let used = ByGrade::from_fn(|g| mix[g] > 0.0);
            if checked.insert((centre.location, used.0)) {
                let whose = if centre.supervisor_grade_mix.is_some() {
                    format!("the supervisors of centre `{}`", centre.id)
                } else {
                    "span_of_control's supervisors".to_owned()
                };
                self.grades_have_costs(at.clone(), &locations[centre.location], &used, &whose);
            }
        }
    }

    fn comparison(
        &mut self,
        raw: Option<&Spanned<RawComparison>>,
        strategy_ids: &Ids,
    ) -> Option<Comparison> {
        // Strategies are numbered after the status quo, which is index 0.
        let index = |id: &str| strategy_ids.get(id).map(|i| i + 1);
        let Some(raw) = raw else {
            return Some(Comparison {
                fragmented: index("solo")?,
                pooled: index("pooled")?,
            });
        };
        let c = raw.get_ref();
        let mut ids = strategy_ids.0.clone();
        ids.insert(STATUS_QUO_ID.to_owned(), usize::MAX);
        let fragmented = self.reference("strategy", &Ids(ids.clone()), &c.fragmented);
        let pooled = self.reference("strategy", &Ids(ids), &c.pooled);
        let to_index = |i: usize| if i == usize::MAX { 0 } else { i + 1 };
        let (fragmented, pooled) = (to_index(fragmented?), to_index(pooled?));
        if fragmented == pooled {
            self.problem(
                c.pooled.span(),
                "the fragmented and pooled strategies are the same",
                "two different strategies",
            );
            return None;
        }
        Some(Comparison { fragmented, pooled })
    }

    /// A 0/1 input that is 1 with probability `p`.
    fn bernoulli(&mut self, path: String, p: f64) -> Param {
        if p <= 0.0 || p >= 1.0 {
            return Param::Fixed(p.clamp(0.0, 1.0));
        }
        let dist = Dist::discrete(&[0.0, 1.0], &[1.0 - p, p])
            .expect("a probability strictly between 0 and 1");
        self.inputs.push(UncertainInput { name: path, dist });
        Param::Input(InputId(self.inputs.len() - 1))
    }

    fn probability(&mut self, name: &str, raw: &Option<Spanned<f64>>, default: f64) -> f64 {
        raw.as_ref()
            .and_then(|p| self.real(name, p, SHARE))
            .unwrap_or(default)
    }

    fn salary_shock(&mut self, path: &str, raw: &Spanned<RawSalaryShock>) -> SalaryShock {
        let shock = raw.get_ref();
        let probability = self
            .real("salary_shock.probability", &shock.probability, SHARE)
            .unwrap_or(0.0);
        SalaryShock {
            size: self.param(
                format!("{path}.salary_shock.size"),
                &shock.size,
                Domain {
                    min: -0.9,
                    min_inclusive: true,
                    max: 10.0,
                    expected: "a rise from -0.9 to 10 (0.25 = +25%)",
                },
            ),
            happens: self.bernoulli(format!("{path}.salary_shock.happens"), probability),
            year: shock
                .year
                .as_ref()
                .and_then(|y| self.integer("salary_shock.year", y, 0, 99))
                .unwrap_or(0) as u32,
        }
    }

    fn transition(&mut self, raw: &RawTransition) -> Transition {
        let months = Domain {
            min: 0.0,
            min_inclusive: true,
            max: 120.0,
            expected: "months from 0 to 120",
        };
        let multiple = Domain {
            min: 0.0,
            min_inclusive: true,
            max: 100.0,
            expected: "a multiple from 0 to 100",
        };
        let param = |v: &mut Self,
                     key: &str,
                     raw: &Option<Spanned<RawNumber>>,
                     domain: Domain,
                     default: f64| {
            v.optional_param(format!("transition.{key}"), raw, domain, default)
        };
        let r = raw;
        Transition {
            onboarding_months: param(
                self,
                "onboarding_months",
                &r.onboarding_months,
                months,
                defaults::ONBOARDING_MONTHS,
            ),
            overlap_months: param(
                self,
                "overlap_months",
                &r.overlap_months,
                months,
                defaults::OVERLAP_MONTHS,
            ),
            termination_indemnity_months: param(
                self,
                "termination_indemnity_months",
                &r.termination_indemnity_months,
                months,
                defaults::TERMINATION_INDEMNITY_MONTHS,
            ),
            separation_indemnity_multiple: param(
                self,
                "separation_indemnity_multiple",
                &r.separation_indemnity_multiple,
                multiple,
                defaults::SEPARATION_INDEMNITY_MULTIPLE,
            ),
            separation_incentive_share: param(
                self,
                "separation_incentive_share",
                &r.separation_incentive_share,
                multiple,
                defaults::SEPARATION_INCENTIVE_SHARE,
            ),
            training_grant_months: param(
                self,
                "training_grant_months",
                &r.training_grant_months,
                months,
                defaults::TRAINING_GRANT_MONTHS,
            ),
            salary_share_of_standard_cost: param(
                self,
                "salary_share_of_standard_cost",
                &r.salary_share_of_standard_cost,
                SHARE,
                defaults::SALARY_SHARE_OF_STANDARD_COST,
            ),
            voluntary_separation_share: param(
                self,
                "voluntary_separation_share",
                &r.voluntary_separation_share,
                SHARE,
                defaults::VOLUNTARY_SEPARATION_SHARE,
            ),
            redeployment_cost_usd_per_post: param(
                self,
                "redeployment_cost_usd_per_post",
                &r.redeployment_cost_usd_per_post,
                NON_NEGATIVE,
                defaults::REDEPLOYMENT_COST_USD_PER_POST,
            ),
            cost_per_hire_usd: param(
                self,
                "cost_per_hire_usd",
                &r.cost_per_hire_usd,
                NON_NEGATIVE,
                defaults::COST_PER_HIRE_USD,
            ),
            offer_decline_rate: param(
                self,
                "offer_decline_rate",
                &r.offer_decline_rate,
                Domain {
                    min: 0.0,
                    min_inclusive: true,
                    max: 0.95,
                    expected: "a share from 0 to 0.95",
                },
                defaults::OFFER_DECLINE_RATE,
            ),
            time_to_fill_months: param(
                self,
                "time_to_fill_months",
                &r.time_to_fill_months,
                months,
                defaults::TIME_TO_FILL_MONTHS,
            ),
            training_usd_per_hire: param(
                self,
                "training_usd_per_hire",
                &r.training_usd_per_hire,
                NON_NEGATIVE,
                defaults::TRAINING_USD_PER_HIRE,
            ),
            travel_usd_per_hire: param(
                self,
                "travel_usd_per_hire",
                &r.travel_usd_per_hire,
                NON_NEGATIVE,
                defaults::TRAVEL_USD_PER_HIRE,
            ),
            project_team_usd_per_month: param(
                self,
                "project_team_usd_per_month",
                &r.project_team_usd_per_month,
                NON_NEGATIVE,
                defaults::PROJECT_TEAM_USD_PER_MONTH,
            ),
            project_tail_months: param(
                self,
                "project_tail_months",
                &r.project_tail_months,
                months,
                defaults::PROJECT_TAIL_MONTHS,
            ),
            disruption_probability: self.probability(
                "disruption_probability",
                &r.disruption_probability,
                defaults::DISRUPTION_PROBABILITY,
            ),
            big_bang_probability_multiplier: r
                .big_bang_probability_multiplier
                .as_ref()
                .and_then(|m| self.real("big_bang_probability_multiplier", m, multiple))
                .unwrap_or(defaults::BIG_BANG_PROBABILITY_MULTIPLIER),
            new_erp_probability_multiplier: r
                .new_erp_probability_multiplier
                .as_ref()
                .and_then(|m| self.real("new_erp_probability_multiplier", m, multiple))
                .unwrap_or(defaults::NEW_ERP_PROBABILITY_MULTIPLIER),
            disruption_capacity_loss: param(
                self,
                "disruption_capacity_loss",
                &r.disruption_capacity_loss,
                Domain {
                    min: 0.0,
                    min_inclusive: true,
                    max: 0.95,
                    expected: "a share from 0 to 0.95",
                },
                defaults::DISRUPTION_CAPACITY_LOSS,
            ),
            disruption_months: param(
                self,
                "disruption_months",
                &r.disruption_months,
                months,
                defaults::DISRUPTION_MONTHS,
            ),
            clearing_months: param(
                self,
                "clearing_months",
                &r.clearing_months,
                Domain {
                    min: 0.25,
                    min_inclusive: true,
                    max: 120.0,
                    expected: "months from 0.25 to 120",
                },
                defaults::CLEARING_MONTHS,
            ),
            temporary_staff_cost_premium: param(
                self,
                "temporary_staff_cost_premium",
                &r.temporary_staff_cost_premium,
                multiple,
                defaults::TEMPORARY_STAFF_COST_PREMIUM,
            ),
        }
    }

    /// Reads a strategy's migration plan and sets each team's go-live; a
    /// team moves unless it stays at its members' headquarters on an existing site.
    fn migration(
        &mut self,
        strategy_id: &str,
        raw: &Spanned<RawMigration>,
        centres: &mut [Centre],
        ctx: &Context,
    ) -> Option<Migration> {
        let m = raw.get_ref();
        let approach = match m.approach.get_ref() {
            RawApproach::Phased => Approach::Phased,
            RawApproach::BigBang => Approach::BigBang,
        };
        let mut go_live_month = vec![0; ctx.service_lines.len()];
        let moving_lines: HashSet<usize> = centres
            .iter()
            .flat_map(|c| {
                c.teams
                    .iter()
                    .filter(|t| team_moves(c, t, ctx.agencies))
                    .map(|t| t.service_line)
            })
            .collect();
        let month_range = (0, i64::from(ctx.horizon_months) - 1);
        match (approach, m.go_live_month.get_ref()) {
            (Approach::BigBang, RawGoLive::All(month)) => {
                let month = self.integer(
                    "go_live_month",
                    &Spanned::new(m.go_live_month.span(), *month),
                    month_range.0,
                    month_range.1,
                )? as u32;
                go_live_month.iter_mut().for_each(|g| *g = month);
            }
            (Approach::BigBang, RawGoLive::PerLine(_)) => {
                self.problem(
                    m.go_live_month.span(),
                    "a big bang with a go-live month per service line",
                    "one go_live_month for everything (or approach = \"phased\")",
                );
                return None;
            }
            (Approach::Phased, RawGoLive::All(_)) => {
                self.problem(
                    m.go_live_month.span(),
                    "a phased migration with one go-live month",
                    "go_live_month = { line = month, ... } for each service line that moves",
                );
                return None;
            }
            (Approach::Phased, RawGoLive::PerLine(months)) => {
                for (line_id, month) in months {
                    let Some(l) = ctx
                        .service_lines
                        .iter()
                        .position(|s| s.id == *line_id.get_ref())
                    else {
                        self.problem(
                            line_id.span(),
                            format!("unknown service line `{}`", line_id.get_ref()),
                            "a service line the strategy moves",
                        );
                        continue;
                    };
                    if !moving_lines.contains(&l) {
                        self.problem(
                            line_id.span(),
                            format!(
                                "strategy `{strategy_id}` does not move `{}`",
                                line_id.get_ref()
                            ),
                            "go-live months only for service lines that move",
                        );
                    }
                    if let Some(month) =
                        self.integer("go_live_month", month, month_range.0, month_range.1)
                    {
                        go_live_month[l] = month as u32;
                    }
                }
                for &l in &moving_lines {
                    if !months
                        .keys()
                        .any(|k| *k.get_ref() == ctx.service_lines[l].id)
                    {
                        self.problem(
                            m.go_live_month.span(),
                            format!(
                                "no go-live month for `{}`, which strategy `{strategy_id}` moves",
                                ctx.service_lines[l].id
                            ),
                            format!("{} = month in go_live_month", ctx.service_lines[l].id),
                        );
                    }
                }
            }
        }
        let p = ctx.transition.disruption_probability(approach, m.new_erp);
        for centre in centres.iter_mut() {
            let mut waves: Vec<(u32, Param)> = Vec::new();
            for team in centre.teams.iter_mut() {
                team.moves = team_moves_in(centre.location, centre.existing, team, ctx.agencies);
                if !team.moves {
                    continue;
                }
                team.go_live_month = go_live_month[team.service_line];
                team.bad_go_live = match waves.iter().find(|w| w.0 == team.go_live_month) {
                    Some(w) => w.1,
                    None => {
                        let path = format!(
                            "strategy.{strategy_id}.centre.{}.go_live_month_{}.bad_go_live",
                            centre.id, team.go_live_month
                        );
                        let bad = self.bernoulli(path, p);
                        waves.push((team.go_live_month, bad));
                        bad
                    }
                };
            }
        }
        Some(Migration {
            approach,
            go_live_month,
            new_erp: m.new_erp,
        })
    }

    fn strategy(
        &mut self,
        raw: &Spanned<RawStrategy>,
        ctx: &Context,
        line_ids: &Ids,
        location_ids: &Ids,
        agency_ids: &Ids,
    ) -> Strategy {
        let s = raw.get_ref();
        let id = s.id.get_ref().clone();
        if s.centre.is_empty() {
            self.problem(
                s.id.span(),
                format!("strategy `{id}` has no centres"),
                "at least one [[strategy.centre]]",
            );
        }
        self.unique_ids("centre", s.centre.iter().map(|c| &c.get_ref().id));
        let mut sites: Vec<Site> = Vec::new();
        let mut site_ids: HashMap<String, usize> = HashMap::new();
        let mut assigned: HashMap<(usize, usize), String> = HashMap::new();
        let mut centres = Vec::new();
        // A centre that could not be read would make its work look unassigned.
        let mut every_centre_read = !s.centre.is_empty();
        for raw_centre in &s.centre {
            let c = raw_centre.get_ref();
            let Some(centre) = self.centre(raw_centre, ctx, line_ids, location_ids, agency_ids)
            else {
                every_centre_read = false;
                continue;
            };
            let site_id = c.site.as_ref().unwrap_or(&c.id);
            let site = Site {
                location: centre.location,
                existing: c.existing,
            };
            let site_index = match site_ids.get(site_id.get_ref()) {
                Some(&i) => {
                    if sites[i] != site {
                        self.problem(
                            site_id.span(),
                            format!("centres on site `{}` differ in location or in `existing`", site_id.get_ref()),
                            "the same location and the same `existing` flag for every centre on one site",
                        );
                    }
                    i
                }
                None => {
                    sites.push(site);
                    site_ids.insert(site_id.get_ref().clone(), sites.len() - 1);
                    sites.len() - 1
                }
            };
            for team in &centre.teams {
                for &a in &team.members {
                    if let Some(other) = assigned.insert((a, team.service_line), centre.id.clone())
                    {
                        self.problem(
                            c.agencies.span(),
                            format!(
                                "`{}` work in `{}` is assigned to both centre `{other}` and centre `{}`",
                                ctx.agencies[a].id, ctx.service_lines[team.service_line].id, centre.id
                            ),
                            "each agency's service line served by exactly one centre",
                        );
                    }
                }
            }
            centres.push(Centre {
                site: site_index,
                ..centre
            });
        }
        for (a, agency) in ctx.agencies.iter().enumerate() {
            for (l, line) in agency.lines.iter().enumerate() {
                if line.is_some() && !assigned.contains_key(&(a, l)) && every_centre_read {
                    self.problem(
                        s.id.span(),
                        format!(
                            "strategy `{id}` leaves `{}` work in `{}` unassigned",
                            agency.id, ctx.service_lines[l].id
                        ),
                        "every agency's service lines served by exactly one centre of the strategy",
                    );
                }
            }
        }
        let migration = s
            .migration
            .as_ref()
            .and_then(|m| self.migration(&id, m, &mut centres, ctx));
        Strategy {
            name: s.name.clone().unwrap_or_else(|| id.clone()),
            id,
            centres,
            sites,
            migration,
        }
    }

    fn centre(
        &mut self,
        raw: &Spanned<RawCentre>,
        ctx: &Context,
        line_ids: &Ids,
        location_ids: &Ids,
        agency_ids: &Ids,
    ) -> Option<Centre> {
        let c = raw.get_ref();
        let id = c.id.get_ref().clone();
        let location = self.reference("location", location_ids, &c.location);
        if let Some(site) = &c.site {
            self.identifier("site", site);
        }
        let members = self.reference_list("agency", agency_ids, &c.agencies);
        let lines = self.reference_list("service line", line_ids, &c.service_lines);
        let (location, members, lines) = (location?, members?, lines?);

        let mut teams = Vec::new();
        for (l, line_span) in &lines {
            let team_members: Vec<usize> = members
                .iter()
                .map(|(a, _)| *a)
                .filter(|&a| ctx.agencies[a].lines[*l].is_some())
                .collect();
            if team_members.is_empty() {
                self.problem(
                    line_span.clone(),
                    format!(
                        "centre `{id}` serves `{}` but none of its agencies has work in it",
                        ctx.service_lines[*l].id
                    ),
                    "only service lines in which at least one of the centre's agencies has volume",
                );
                continue;
            }
            let line = &ctx.service_lines[*l];
            let away_from_hq = team_members
                .iter()
                .any(|&a| ctx.agencies[a].hq_location != location);
            if !line.relocatable && away_from_hq {
                self.problem(
                    line_span.clone(),
                    format!("service line `{}` may not be relocated, but centre `{id}` is not at its agencies' headquarters", line.id),
                    "non-relocatable lines served at each agency's headquarters location",
                );
            }
            // Whether and when the work moves is set with the strategy's migration.
            teams.push(Team {
                service_line: *l,
                members: team_members,
                staffing: Staffing::Planned {
                    grade_mix: ByGrade::default(),
                },
                moves: false,
                go_live_month: 0,
                bad_go_live: Param::Fixed(0.0),
            });
        }
        self.staffing(raw, ctx, location, &mut teams);
        let overhead_staff_fte = match &c.overhead_staff_fte {
            Some(table) => {
                self.fte_table(&format!("strategy.centre.{id}.overhead_staff_fte"), table)
            }
            None => ctx.mechanisms.centre_overhead_staff_fte,
        };
        let span = c
            .overhead_staff_fte
            .as_ref()
            .map_or(c.id.span(), |t| t.span());
        let used = ByGrade::from_fn(|g| self.can_be_positive(overhead_staff_fte[g]));
        self.grades_have_costs(
            span,
            &ctx.locations[location],
            &used,
            &format!("the overhead staff of centre `{id}`"),
        );
        Some(Centre {
            fixed_cost_usd_per_year: self.optional_param(
                format!("strategy.centre.{id}.fixed_cost_usd_per_year"),
                &c.fixed_cost_usd_per_year,
                NON_NEGATIVE,
                0.0,
            ),
            id,
            location,
            site: 0,
            teams,
            overhead_staff_fte,
            existing: c.existing,
            supervisor_grade_mix: c
                .supervisor_grade_mix
                .as_ref()
                .map(|mix| self.grade_shares("supervisor_grade_mix", mix)),
        })
    }

    fn reference_list(
        &mut self,
        kind: &str,
        ids: &Ids,
        list: &Spanned<Vec<Spanned<String>>>,
    ) -> Option<Vec<(usize, Range<usize>)>> {
        if list.get_ref().is_empty() {
            self.problem(
                list.span(),
                format!("the list of {kind} ids is empty"),
                format!("at least one {kind} id"),
            );
        }
        let mut seen = HashSet::new();
        let mut found = Vec::new();
        let mut all_known = !list.get_ref().is_empty();
        for id in list.get_ref() {
            let Some(i) = self.reference(kind, ids, id) else {
                all_known = false;
                continue;
            };
            if seen.insert(i) {
                found.push((i, id.span()));
            } else {
                self.problem(
                    id.span(),
                    format!("{kind} `{}` is listed twice", id.get_ref()),
                    "each id once",
                );
            }
        }
        all_known.then_some(found)
    }

    /// Sets each team's staffing from the centre's `grade_mix` (planned) or
    /// `fixed_staff_fte` (a staffing table per service line).
    fn staffing(
        &mut self,
        raw: &Spanned<RawCentre>,
        ctx: &Context,
        location: usize,
        teams: &mut [Team],
    ) {
        let c = raw.get_ref();
        let id = c.id.get_ref();
        let location = &ctx.locations[location];
        match (&c.grade_mix, &c.fixed_staff_fte) {
            (Some(_), Some(fixed)) => self.problem(
                fixed.span(),
                format!("centre `{id}` has both grade_mix and fixed_staff_fte"),
                "grade_mix for planned staffing or fixed_staff_fte for a fixed staffing table, not both",
            ),
            (None, None) => self.problem(
                c.id.span(),
                format!("centre `{id}` says neither how its staff is planned nor how it is fixed"),
                "grade_mix = { GS = ..., ... } (planned) or a [strategy.centre.fixed_staff_fte] table",
            ),
            (Some(mix), None) => {
                let entries = mix.get_ref().entries();
                let grade_mix = ByGrade::from_fn(|g| {
                    entries[g as usize]
                        .as_ref()
                        .and_then(|v| self.real(&format!("grade_mix.{}", g.label()), v, Domain { min: 0.0, min_inclusive: true, max: 1.0, expected: "a share from 0 to 1" }))
                        .unwrap_or(0.0)
                });
                let total = grade_mix.total();
                if (total - 1.0).abs() > 1e-6 {
                    self.problem(mix.span(), format!("grade_mix shares sum to {total}"), "shares that sum to 1");
                }
                self.grades_have_costs(mix.span(), location, &ByGrade::from_fn(|g| grade_mix[g] > 0.0), &format!("centre `{id}`"));
                // Shares within the tolerance are scaled to sum to exactly 1.
                let grade_mix = ByGrade::from_fn(|g| if total > 0.0 { grade_mix[g] / total } else { 0.0 });
                for team in teams.iter_mut() {
                    team.staffing = Staffing::Planned { grade_mix };
                }
            }
            (None, Some(fixed)) => {
                let tables = fixed.get_ref();
                for line_id in tables.keys() {
                    let served = teams.iter().any(|t| ctx.service_lines[t.service_line].id == *line_id.get_ref());
                    if !served {
                        self.problem(
                            line_id.span(),
                            format!("fixed_staff_fte names `{}`, which centre `{id}` does not serve", line_id.get_ref()),
                            "one staffing table per service line the centre serves",
                        );
                    }
                }
                for team in teams.iter_mut() {
                    let line_id = &ctx.service_lines[team.service_line].id;
                    let Some((_, table)) = tables.iter().find(|(k, _)| k.get_ref() == line_id) else {
                        self.problem(
                            fixed.span(),
                            format!("fixed_staff_fte of centre `{id}` has no table for `{line_id}`"),
                            format!("{line_id} = {{ GS = ..., ... }} in fixed_staff_fte"),
                        );
                        continue;
                    };
                    let entries = table.get_ref().entries();
                    let fte = ByGrade::from_fn(|g| match entries[g as usize] {
                        Some(v) => self.param(format!("strategy.centre.{id}.fixed_staff_fte.{line_id}.{}", g.label()), v, FTE),
                        None => Param::Fixed(0.0),
                    });
                    let used = ByGrade::from_fn(|g| entries[g as usize].is_some());
                    self.grades_have_costs(table.span(), location, &used, &format!("centre `{id}`"));
                    team.staffing = Staffing::Fixed { fte };
                }
            }
        }
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
            RawDist::Lognormal { mean, sd } => Dist::lognormal(*mean, *sd),
            RawDist::Discrete { values, weights } => {
                Dist::discrete(values, weights.as_deref().unwrap_or(&[]))
            }
        },
    }
}
