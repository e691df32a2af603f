//! `[scenario]`, what the scenario is, and `[settings]`, how it is
//! simulated: as written, and checked into [`Settings`].

use serde::Deserialize;
use toml::Spanned;

use super::number::RawNumber;
use super::validate::{AVAILABILITY_SHARE, DISCOUNT_RATE, Validator, WORKING_MINUTES};
use crate::model::Settings;

/// `[scenario]`: what the scenario is.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawMeta {
    pub name: Spanned<String>,
    #[serde(default)]
    pub description: String,
}

/// `[settings]`: simulation settings.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawSettings {
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
pub(crate) enum RawStatusQuoStaffing {
    /// Planned like every other team, with the grade mix of today's HQ staff.
    #[default]
    Planned,
    /// Today's HQ staff, unchanged over the horizon.
    Current,
}

impl RawSettings {
    /// The settings, if every one of them is valid.
    pub(super) fn validate(&self, v: &mut Validator) -> Option<Settings> {
        let horizon_years = v.integer("horizon_years", &self.horizon_years, 1, 100);
        let working_days = v.integer(
            "working_days_per_year",
            &self.working_days_per_year,
            12,
            366,
        );
        let discount = v.param(
            "settings.discount_rate_per_year".to_owned(),
            &self.discount_rate_per_year,
            DISCOUNT_RATE,
        );
        let replications = v.integer("replications", &self.replications, 1, 1_000_000_000);
        let seed = v.integer("seed", &self.seed, 0, i64::MAX);
        let minutes = v.param(
            "settings.working_minutes_per_day".to_owned(),
            &self.working_minutes_per_day,
            WORKING_MINUTES,
        );
        let availability = v.param(
            "settings.availability_share".to_owned(),
            &self.availability_share,
            AVAILABILITY_SHARE,
        );
        Some(Settings {
            horizon_years: u32::try_from(horizon_years?).ok()?,
            working_days_per_year: u32::try_from(working_days?).ok()?,
            discount_rate_per_year: discount,
            replications: replications?,
            seed: seed?,
            currency: self.currency.get_ref().clone(),
            working_minutes_per_day: minutes,
            availability_share: availability,
        })
    }
}
