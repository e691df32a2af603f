//! The scenario file as written: serde structures that mirror the TOML, with
//! the position of every value kept for error messages. Nothing here checks
//! meaning; [`super::validate`] turns these into the typed model.

use std::collections::BTreeMap;
use std::fmt;

use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer};
use toml::Spanned;

/// `[scenario]`: what the scenario is.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawMeta {
    pub name: Spanned<String>,
    #[serde(default)]
    pub description: String,
}

/// `[settings]`: simulation settings.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSettings {
    pub horizon_years: Spanned<i64>,
    pub working_days_per_year: Spanned<i64>,
    pub discount_rate_per_year: Spanned<RawNumber>,
    pub replications: Spanned<i64>,
    pub seed: Spanned<i64>,
    #[serde(default = "default_currency")]
    pub currency: Spanned<String>,
    pub working_minutes_per_day: Spanned<RawNumber>,
    pub availability_share: Spanned<RawNumber>,
    #[serde(default)]
    pub status_quo_staffing: RawStatusQuoStaffing,
}

fn default_currency() -> Spanned<String> {
    Spanned::new(0..0, "USD".to_owned())
}

/// How the status-quo headquarters teams are staffed.
#[derive(Debug, Default, Deserialize, PartialEq, Eq, Clone, Copy)]
#[serde(rename_all = "snake_case")]
pub enum RawStatusQuoStaffing {
    /// Planned like every other team, with the grade mix of today's HQ staff.
    #[default]
    Planned,
    /// Today's HQ staff, unchanged over the horizon.
    Current,
}

/// `[[service_line]]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawServiceLine {
    pub id: Spanned<String>,
    pub name: Option<String>,
    #[serde(default)]
    pub kind: RawLineKind,
    pub effort_minutes_per_transaction: Option<Spanned<RawNumber>>,
    pub service_level_target_days: Option<Spanned<i64>>,
    pub service_level_target_share: Option<Spanned<f64>>,
    pub handle_time_seconds: Option<Spanned<RawNumber>>,
    pub answer_within_seconds: Option<Spanned<f64>>,
    pub answer_share: Option<Spanned<f64>>,
    pub patience_seconds: Option<Spanned<RawNumber>>,
    pub shrinkage_share: Option<Spanned<RawNumber>>,
    pub hourly_profile: Option<Spanned<Vec<Spanned<f64>>>>,
    #[serde(default = "yes")]
    pub relocatable: bool,
    pub volume_correlation: Option<Spanned<RawNumber>>,
}

/// `kind = "queue"` (the default) or `"contact"`.
#[derive(Debug, Default, Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum RawLineKind {
    #[default]
    Queue,
    Contact,
}

fn yes() -> bool {
    true
}

/// `[[location]]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawLocation {
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
pub struct RawSalaryShock {
    pub size: Spanned<RawNumber>,
    pub probability: Spanned<f64>,
    #[serde(default)]
    pub year: Option<Spanned<i64>>,
}

/// `[[agency]]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAgency {
    pub id: Spanned<String>,
    pub name: Option<String>,
    pub hq_location: Spanned<String>,
    #[serde(default)]
    pub service_line: BTreeMap<Spanned<String>, Spanned<RawAgencyLine>>,
}

/// `[agency.service_line.ID]`: one agency's work in one service line.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAgencyLine {
    pub annual_volume: Spanned<RawNumber>,
    pub volume_growth_rate_per_year: Option<Spanned<RawNumber>>,
    pub seasonality: Option<Spanned<Vec<Spanned<f64>>>>,
    pub arrivals: Option<Spanned<RawArrivals>>,
    pub hq_staff_fte: Spanned<RawByGrade<Spanned<f64>>>,
}

/// `[[strategy]]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawStrategy {
    pub id: Spanned<String>,
    pub name: Option<String>,
    #[serde(default)]
    pub centre: Vec<Spanned<RawCentre>>,
    pub migration: Option<Spanned<RawMigration>>,
}

/// `[strategy.migration]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawMigration {
    pub approach: Spanned<RawApproach>,
    pub go_live_month: Spanned<RawGoLive>,
    #[serde(default)]
    pub new_erp: bool,
}

/// `approach = "phased"` or `"big_bang"`.
#[derive(Debug, Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum RawApproach {
    Phased,
    BigBang,
}

/// One go-live month for everything, or one per service line.
#[derive(Debug)]
pub enum RawGoLive {
    All(i64),
    PerLine(BTreeMap<Spanned<String>, Spanned<i64>>),
}

impl<'de> Deserialize<'de> for RawGoLive {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct GoLiveVisitor;
        impl<'de> Visitor<'de> for GoLiveVisitor {
            type Value = RawGoLive;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a month number, or a table of month numbers by service line id")
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<RawGoLive, E> {
                Ok(RawGoLive::All(v))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<RawGoLive, E> {
                i64::try_from(v)
                    .map(RawGoLive::All)
                    .map_err(|_| E::invalid_value(de::Unexpected::Unsigned(v), &self))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<RawGoLive, A::Error> {
                BTreeMap::deserialize(de::value::MapAccessDeserializer::new(map))
                    .map(RawGoLive::PerLine)
            }
        }
        deserializer.deserialize_any(GoLiveVisitor)
    }
}

/// `[transition]`: costs and risks of moving work; every key has a default.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTransition {
    pub onboarding_months: Option<Spanned<RawNumber>>,
    pub overlap_months: Option<Spanned<RawNumber>>,
    pub termination_indemnity_months: Option<Spanned<RawNumber>>,
    pub separation_indemnity_multiple: Option<Spanned<RawNumber>>,
    pub separation_incentive_share: Option<Spanned<RawNumber>>,
    pub training_grant_months: Option<Spanned<RawNumber>>,
    pub salary_share_of_standard_cost: Option<Spanned<RawNumber>>,
    pub voluntary_separation_share: Option<Spanned<RawNumber>>,
    pub redeployment_cost_usd_per_post: Option<Spanned<RawNumber>>,
    pub cost_per_hire_usd: Option<Spanned<RawNumber>>,
    pub offer_decline_rate: Option<Spanned<RawNumber>>,
    pub time_to_fill_months: Option<Spanned<RawNumber>>,
    pub training_usd_per_hire: Option<Spanned<RawNumber>>,
    pub travel_usd_per_hire: Option<Spanned<RawNumber>>,
    pub project_team_usd_per_month: Option<Spanned<RawNumber>>,
    pub project_tail_months: Option<Spanned<RawNumber>>,
    pub disruption_probability: Option<Spanned<f64>>,
    pub big_bang_probability_multiplier: Option<Spanned<f64>>,
    pub new_erp_probability_multiplier: Option<Spanned<f64>>,
    pub disruption_capacity_loss: Option<Spanned<RawNumber>>,
    pub disruption_months: Option<Spanned<RawNumber>>,
    pub clearing_months: Option<Spanned<RawNumber>>,
    pub temporary_staff_cost_premium: Option<Spanned<RawNumber>>,
}

/// `[[strategy.centre]]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCentre {
    pub id: Spanned<String>,
    pub location: Spanned<String>,
    pub site: Option<Spanned<String>>,
    #[serde(default)]
    pub existing: bool,
    pub agencies: Spanned<Vec<Spanned<String>>>,
    pub service_lines: Spanned<Vec<Spanned<String>>>,
    pub grade_mix: Option<Spanned<RawByGrade<Spanned<f64>>>>,
    pub fixed_staff_fte: Option<Spanned<RawStaffTables>>,
    pub fixed_cost_usd_per_year: Option<Spanned<RawNumber>>,
    pub overhead_staff_fte: Option<Spanned<RawByGrade<Spanned<RawNumber>>>>,
    pub supervisor_grade_mix: Option<Spanned<RawByGrade<Spanned<f64>>>>,
    pub service_charge_share: Option<Spanned<RawNumber>>,
}

/// `[pool]`: how `sscsim pool` builds coalition centres.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPool {
    pub locations: Option<Spanned<Vec<Spanned<String>>>>,
    pub grade_mix: Spanned<RawByGrade<Spanned<f64>>>,
    pub supervisor_grade_mix: Option<Spanned<RawByGrade<Spanned<f64>>>>,
    pub fixed_cost_usd_per_year: Option<Spanned<RawNumber>>,
}

/// `[[correlation]]`: the rank correlation of one pair of uncertain inputs.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCorrelation {
    pub inputs: Spanned<Vec<Spanned<String>>>,
    pub rank_correlation: Spanned<f64>,
}

/// `[comparison]`: the strategies whose gap is the headline.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawComparison {
    pub fragmented: Spanned<String>,
    pub pooled: Spanned<String>,
}

/// `[mechanisms]`: one optional table per mechanism.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawMechanisms {
    pub fixed_overhead: Option<Spanned<RawFixedOverhead>>,
    pub variance_pooling: Option<Spanned<RawVariancePooling>>,
    pub learning_and_scale: Option<Spanned<RawLearning>>,
    pub span_of_control: Option<Spanned<RawSpanOfControl>>,
    pub harmonisation: Option<Spanned<RawHarmonisation>>,
}

/// `[mechanisms.fixed_overhead]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFixedOverhead {
    pub centre_staff_fte: Option<Spanned<RawByGrade<Spanned<RawNumber>>>>,
}

/// `[mechanisms.variance_pooling]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawVariancePooling {
    pub volume_correlation: Option<Spanned<RawNumber>>,
}

/// `[mechanisms.learning_and_scale]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawLearning {
    pub initial_effort_factor: Option<Spanned<RawNumber>>,
    pub learning_rate: Option<Spanned<RawNumber>>,
    pub reference_experience_fte_years: Option<Spanned<RawNumber>>,
    pub scale_elasticity: Option<Spanned<RawNumber>>,
    pub reference_team_fte: Option<Spanned<RawNumber>>,
}

/// `[mechanisms.span_of_control]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSpanOfControl {
    pub staff_per_supervisor: Option<Spanned<RawNumber>>,
    pub minimum_supervisors_per_team: Option<Spanned<f64>>,
    pub supervisor_grade_mix: Option<Spanned<RawByGrade<Spanned<f64>>>>,
    #[serde(default)]
    pub integer_staffing: bool,
}

/// `[mechanisms.harmonisation]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawHarmonisation {
    pub penalty_per_additional_agency: Option<Spanned<RawNumber>>,
    pub project_cost_usd_per_additional_agency: Option<Spanned<RawNumber>>,
    pub project_years: Option<Spanned<i64>>,
    pub remaining_penalty_share: Option<Spanned<RawNumber>>,
}

/// `fixed_staff_fte`: a staffing table by grade per service line id.
pub type RawStaffTables = BTreeMap<Spanned<String>, Spanned<RawByGrade<Spanned<RawNumber>>>>;

/// A value for some of the grades.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawByGrade<T> {
    #[serde(rename = "GS")]
    pub gs: Option<T>,
    #[serde(rename = "NPO")]
    pub npo: Option<T>,
    #[serde(rename = "P")]
    pub p: Option<T>,
    #[serde(rename = "D")]
    pub d: Option<T>,
    #[serde(rename = "FS")]
    pub fs: Option<T>,
}

impl<T> RawByGrade<T> {
    /// The entries in [`crate::model::Grade::ALL`] order.
    pub fn entries(&self) -> [&Option<T>; 5] {
        [&self.gs, &self.npo, &self.p, &self.d, &self.fs]
    }
}

/// A number that may be uncertain: a plain number, or a table naming a
/// distribution, such as `{ dist = "triangular", min = 1, mode = 2, max = 4 }`.
#[derive(Debug, Clone, PartialEq)]
pub enum RawNumber {
    /// A plain number.
    Plain(f64),
    /// A distribution table.
    Dist(RawDist),
}

/// The distribution tables a scenario may use.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(tag = "dist", rename_all = "snake_case", deny_unknown_fields)]
pub enum RawDist {
    Fixed {
        value: f64,
    },
    Uniform {
        min: f64,
        max: f64,
    },
    Triangular {
        min: f64,
        mode: f64,
        max: f64,
    },
    Pert {
        min: f64,
        mode: f64,
        max: f64,
        shape: Option<f64>,
    },
    Normal {
        mean: f64,
        sd: f64,
        min: Option<f64>,
        max: Option<f64>,
    },
    Lognormal {
        mean: f64,
        sd: f64,
        min: Option<f64>,
        max: Option<f64>,
    },
    Discrete {
        values: Vec<f64>,
        weights: Option<Vec<f64>>,
    },
}

const NUMBER_EXPECTED: &str = "a number or a distribution table such as \
    { dist = \"triangular\", min = 1, mode = 2, max = 3 }";

impl<'de> Deserialize<'de> for RawNumber {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct NumberVisitor;
        impl<'de> Visitor<'de> for NumberVisitor {
            type Value = RawNumber;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str(NUMBER_EXPECTED)
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<RawNumber, E> {
                Ok(RawNumber::Plain(v as f64))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<RawNumber, E> {
                Ok(RawNumber::Plain(v as f64))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<RawNumber, E> {
                Ok(RawNumber::Plain(v))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<RawNumber, A::Error> {
                RawDist::deserialize(de::value::MapAccessDeserializer::new(map))
                    .map(RawNumber::Dist)
            }
        }
        deserializer.deserialize_any(NumberVisitor)
    }
}

/// The arrival process: `"poisson"`, `"deterministic"`, or
/// `{ process = "negative_binomial", dispersion = ... }`.
#[derive(Debug, Clone, PartialEq)]
pub enum RawArrivals {
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
