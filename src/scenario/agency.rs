//! `[[agency]]`: an agency's headquarters and, for each service line, its
//! volumes, seasonality, arrival process and staff today; as written, and
//! checked into an [`Agency`]. Also the checks that need every agency: that
//! work arrives at all, and that contact lines' callers have a time zone.

use std::collections::BTreeMap;
use std::fmt;

use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer};
use toml::Spanned;

use super::by_grade::RawByGrade;
use super::number::RawNumber;
use super::validate::{
    DISPERSION, FTE, MAX_DAILY_MEAN, MIN_EXPECTED_TRANSACTIONS, RATE, VOLUME, Validator,
    WeightWords, World,
};
use crate::model::{
    Agency, AgencyLine, ArrivalProcess, Calendar, MONTHS_PER_YEAR, Work, month_of_day, readable,
};

/// `[[agency]]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawAgency {
    pub id: Spanned<String>,
    pub name: Option<String>,
    pub hq_location: Spanned<String>,
    #[serde(default)]
    pub service_line: BTreeMap<Spanned<String>, Spanned<RawAgencyLine>>,
}

/// `[agency.service_line.ID]`: one agency's work in one service line.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawAgencyLine {
    pub annual_volume: Spanned<RawNumber>,
    pub volume_growth_rate_per_year: Option<Spanned<RawNumber>>,
    pub seasonality: Option<Spanned<Vec<Spanned<f64>>>>,
    pub arrivals: Option<Spanned<RawArrivals>>,
    pub hq_staff_fte: Spanned<RawByGrade<Spanned<f64>>>,
}

/// The arrival process: `"poisson"`, `"deterministic"`, or
/// `{ process = "negative_binomial", dispersion = ... }`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum RawArrivals {
    Poisson,
    Deterministic,
    NegativeBinomial { dispersion: RawNumber },
}

#[derive(Deserialize)]
#[serde(tag = "process", rename_all = "snake_case", deny_unknown_fields)]
enum TaggedArrivals {
    Poisson,
    Deterministic,
    NegativeBinomial { dispersion: RawNumber },
}

const ARRIVALS_EXPECTED: &str = "\"poisson\", \"deterministic\" or \
    { process = \"negative_binomial\", dispersion = ... }";

impl<'de> Deserialize<'de> for RawArrivals {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ArrivalsVisitor;
        impl<'de> Visitor<'de> for ArrivalsVisitor {
            type Value = RawArrivals;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str(ARRIVALS_EXPECTED)
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<RawArrivals, E> {
                match v {
                    "poisson" => Ok(RawArrivals::Poisson),
                    "deterministic" => Ok(RawArrivals::Deterministic),
                    _ => Err(E::invalid_value(de::Unexpected::Str(v), &self)),
                }
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<RawArrivals, A::Error> {
                let tagged =
                    TaggedArrivals::deserialize(de::value::MapAccessDeserializer::new(map))?;
                Ok(match tagged {
                    TaggedArrivals::Poisson => RawArrivals::Poisson,
                    TaggedArrivals::Deterministic => RawArrivals::Deterministic,
                    TaggedArrivals::NegativeBinomial { dispersion } => {
                        RawArrivals::NegativeBinomial { dispersion }
                    }
                })
            }
        }
        deserializer.deserialize_any(ArrivalsVisitor)
    }
}

const SEASONALITY: WeightWords = WeightWords {
    key: "seasonality",
    weight: "a seasonality weight",
    expected_count: "12 monthly weights, January to December",
    expected_nonzero: "at least one month with a weight above 0",
};

impl RawAgency {
    /// The agency, its headquarters and its work in the `world`'s lines.
    pub(super) fn validate(&self, v: &mut Validator, world: &World, calendar: Calendar) -> Agency {
        let id = self.id.get_ref().clone();
        let hq_location =
            (v.reference("location", &world.location_ids, &self.hq_location)).unwrap_or(0);
        let mut lines = vec![None; world.service_lines.len()];
        if self.service_line.is_empty() {
            v.problem(
                self.id.span(),
                format!("agency `{id}` has no service lines"),
                format!("at least one [agency.service_line.ID] table for `{id}`"),
            );
        }
        for (line_id, line) in &self.service_line {
            let Some(index) = v.reference("service line", &world.line_ids, line_id) else {
                continue;
            };
            let path = format!("agency.{id}.service_line.{}", line_id.get_ref());
            lines[index] = Some(line.get_ref().validate(v, &path, calendar));
        }
        Agency {
            name: self.name.clone().unwrap_or_else(|| id.clone()),
            id,
            hq_location,
            lines,
        }
    }
}

impl RawAgencyLine {
    /// One agency's work in one line, its parameters at `path`.
    fn validate(&self, v: &mut Validator, path: &str, calendar: Calendar) -> AgencyLine {
        let seasonality = match &self.seasonality {
            None => [1.0; MONTHS_PER_YEAR],
            Some(weights) => seasonality(v, weights, calendar.working_days_per_year),
        };
        let arrivals = match self.arrivals.as_ref().map(|a| (a.get_ref(), a.span())) {
            None | Some((RawArrivals::Poisson, _)) => ArrivalProcess::Poisson,
            Some((RawArrivals::Deterministic, _)) => ArrivalProcess::Deterministic,
            Some((RawArrivals::NegativeBinomial { dispersion }, span)) => {
                ArrivalProcess::NegativeBinomial {
                    dispersion: v.param_at(
                        format!("{path}.arrivals.dispersion"),
                        dispersion,
                        span,
                        DISPERSION,
                    ),
                }
            }
        };
        let hq_staff_fte = (self.hq_staff_fte.get_ref()).read("hq_staff_fte", 0.0, |path, s| {
            v.real(&path, s, FTE).unwrap_or(0.0)
        });
        let line = AgencyLine {
            annual_volume: v.param(format!("{path}.annual_volume"), &self.annual_volume, VOLUME),
            volume_growth_rate_per_year: v.optional_param(
                format!("{path}.volume_growth_rate_per_year"),
                &self.volume_growth_rate_per_year,
                RATE,
                0.0,
            ),
            seasonality,
            arrivals,
            hq_staff_fte,
        };
        self.check_peak_daily_volume(v, &line, calendar);
        line
    }

    /// Rejects volumes that would grow beyond [`MAX_DAILY_MEAN`] a day within
    /// the horizon, judged on the largest values the inputs can take.
    fn check_peak_daily_volume(&self, v: &mut Validator, line: &AgencyLine, calendar: Calendar) {
        let growth = (1.0 + v.highest(line.volume_growth_rate_per_year)).max(1.0);
        let peak_weight = line.seasonality.iter().copied().fold(0.0, f64::max);
        let last_year = calendar.horizon_years.saturating_sub(1);
        let peak = v.highest(line.annual_volume) * growth.powi(last_year as i32) * peak_weight
            / calendar.working_days_per_year as f64;
        if peak > MAX_DAILY_MEAN {
            v.problem(
                self.annual_volume.span(),
                format!("annual_volume, grown over {} years, can reach {peak:.3e} transactions a working day", last_year),
                format!("at most {MAX_DAILY_MEAN:e} a day in any year of the horizon"),
            );
        }
    }
}

/// Checks twelve monthly weights and scales them so that their average over
/// the working days of a year is exactly 1, which keeps each year's expected
/// volume equal to the annual volume; flat when they are invalid.
fn seasonality(
    v: &mut Validator,
    raw: &Spanned<Vec<Spanned<f64>>>,
    working_days_per_year: usize,
) -> [f64; MONTHS_PER_YEAR] {
    let Some(months) = v.weights::<MONTHS_PER_YEAR>(raw, &SEASONALITY) else {
        return [1.0; MONTHS_PER_YEAR];
    };
    let days = working_days_per_year;
    let total: f64 = (0..days).map(|d| months[month_of_day(d, days)]).sum();
    months.map(|w| w * days as f64 / total)
}

/// Callers of a contact line ring in their headquarters' business hours,
/// so an agency with contact work needs its headquarters' time zone.
pub(super) fn callers_have_time_zones(
    v: &mut Validator,
    raw: &[Spanned<RawAgency>],
    agencies: &[Agency],
    world: &World,
) {
    for (agency, raw) in agencies.iter().zip(raw) {
        let Some(location) = world.locations.get(agency.hq_location) else {
            continue;
        };
        let contact = (agency.lines.iter())
            .zip(&world.service_lines)
            .find(|(line, s)| line.is_some() && matches!(s.work, Work::Contact(_)));
        if let (Some((_, line)), None) = (contact, location.utc_offset_hours) {
            v.problem(
                raw.get_ref().hq_location.span(),
                format!(
                    "location `{}` has no utc_offset_hours, but `{}`'s callers on contact line `{}` ring in its business hours",
                    location.id, agency.id, line.id
                ),
                format!("utc_offset_hours = ... in location `{}`", location.id),
            );
        }
    }
}

/// Rejects a scenario whose volumes, at their lowest, bring fewer than
/// [`MIN_EXPECTED_TRANSACTIONS`] over the horizon: with no work, cost per
/// transaction and service level are undefined and the run would stop at
/// the first replication that draws none.
pub(super) fn work_can_arrive(
    v: &mut Validator,
    raw: &[Spanned<RawAgency>],
    agencies: &[Agency],
    calendar: Calendar,
) {
    if v.has_problems() {
        // An invalid volume counts as 0: the total would be a knock-on problem.
        return;
    }
    let mut expected = 0.0;
    for line in agencies.iter().flat_map(|a| a.lines.iter().flatten()) {
        let volume = v.lowest_drawn(line.annual_volume);
        let growth = 1.0 + v.lowest_drawn(line.volume_growth_rate_per_year);
        // Year by year, as the arrivals grow (a bounded loop: at most 100 years).
        let mut year_volume = volume;
        for _ in 0..calendar.horizon_years {
            expected += year_volume;
            year_volume *= growth;
        }
    }
    // Only reported where a volume was read: otherwise it is a knock-on problem.
    let first_volume = raw
        .iter()
        .flat_map(|a| a.get_ref().service_line.values())
        .map(|l| l.get_ref().annual_volume.span())
        .next();
    if let Some(span) = first_volume
        && expected < MIN_EXPECTED_TRANSACTIONS
    {
        v.problem(
            span,
            format!(
                "at their lowest, the scenario's volumes bring {} transactions over the horizon",
                readable(expected)
            ),
            format!(
                "volumes (and growth) that bring at least {MIN_EXPECTED_TRANSACTIONS} transactions over the horizon in all, at their lowest values"
            ),
        );
    }
}
