//! `[[location]]`: a duty station's costs by grade, premises, site costs,
//! time zone and salary risks, as written, and checked into a [`Location`].

use serde::Deserialize;
use toml::Spanned;

use super::by_grade::RawByGrade;
use super::number::RawNumber;
use super::validate::{COST_PER_FTE, Domain, FACTOR, NON_NEGATIVE, RATE, SHARE, Validator};
use crate::model::{Location, SalaryShock};

/// `[[location]]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawLocation {
    pub id: Spanned<String>,
    pub name: Option<String>,
    pub annual_cost_usd_per_fte: Spanned<RawByGrade<Spanned<RawNumber>>>,
    pub salary_escalation_rate_per_year: Option<Spanned<RawNumber>>,
    pub exchange_rate_factor: Option<Spanned<RawNumber>>,
    pub premises_usd_per_fte_per_year: Option<Spanned<RawNumber>>,
    pub site_setup_cost_usd: Option<Spanned<RawNumber>>,
    pub site_fixed_cost_usd_per_year: Option<Spanned<RawNumber>>,
    pub salary_shock: Option<Spanned<RawSalaryShock>>,
    pub utc_offset_hours: Option<Spanned<f64>>,
}

/// `salary_shock = { size = 0.25, probability = 0.5, year = 0 }`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawSalaryShock {
    pub size: Spanned<RawNumber>,
    pub probability: Spanned<f64>,
    #[serde(default)]
    pub year: Option<Spanned<i64>>,
}

const UTC_OFFSET_HOURS: Domain = Domain::closed(-12.0, 14.0, "hours from -12 to 14");

const SALARY_SHOCK_SIZE: Domain =
    Domain::closed(-0.9, 10.0, "a rise from -0.9 to 10 (0.25 = +25%)");

impl RawLocation {
    pub(super) fn validate(&self, v: &mut Validator) -> Location {
        let id = self.id.get_ref().clone();
        let path = format!("location.{id}");
        let annual_cost_usd_per_fte = (self.annual_cost_usd_per_fte.get_ref()).read(
            &format!("{path}.annual_cost_usd_per_fte"),
            None,
            |path, c| Some(v.param(path, c, COST_PER_FTE)),
        );
        let salary_shock = (self.salary_shock.as_ref()).map(|s| s.get_ref().validate(v, &path));
        Location {
            name: self.name.clone().unwrap_or_else(|| id.clone()),
            salary_shock,
            utc_offset_hours: (self.utc_offset_hours.as_ref())
                .and_then(|o| v.real("utc_offset_hours", o, UTC_OFFSET_HOURS)),
            annual_cost_usd_per_fte,
            salary_escalation_rate_per_year: v.optional_key(
                &path,
                "salary_escalation_rate_per_year",
                &self.salary_escalation_rate_per_year,
                RATE,
                0.0,
            ),
            exchange_rate_factor: v.optional_key(
                &path,
                "exchange_rate_factor",
                &self.exchange_rate_factor,
                FACTOR,
                1.0,
            ),
            premises_usd_per_fte_per_year: v.optional_key(
                &path,
                "premises_usd_per_fte_per_year",
                &self.premises_usd_per_fte_per_year,
                NON_NEGATIVE,
                0.0,
            ),
            site_setup_cost_usd: v.optional_key(
                &path,
                "site_setup_cost_usd",
                &self.site_setup_cost_usd,
                NON_NEGATIVE,
                0.0,
            ),
            site_fixed_cost_usd_per_year: v.optional_key(
                &path,
                "site_fixed_cost_usd_per_year",
                &self.site_fixed_cost_usd_per_year,
                NON_NEGATIVE,
                0.0,
            ),
            id,
        }
    }
}

impl RawSalaryShock {
    /// The shock to the location's salaries at `path`; whether it happens is
    /// an uncertain input of its own.
    fn validate(&self, v: &mut Validator, path: &str) -> SalaryShock {
        let probability =
            (v.real("salary_shock.probability", &self.probability, SHARE)).unwrap_or(0.0);
        SalaryShock {
            size: v.param(
                format!("{path}.salary_shock.size"),
                &self.size,
                SALARY_SHOCK_SIZE,
            ),
            happens: v.bernoulli(format!("{path}.salary_shock.happens"), probability),
            year: (self.year.as_ref())
                .and_then(|y| v.integer("salary_shock.year", y, 0, 99))
                .unwrap_or(0) as u32,
        }
    }
}
