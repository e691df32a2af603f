//! `[scenario]`, what the scenario is, and `[settings]`, how it is
//! simulated: as written, and checked into [`Settings`].

use serde::Deserialize;
use toml::Spanned;

use super::number::RawNumber;
use super::validate::{AVAILABILITY_SHARE, DISCOUNT_RATE, Domain, Validator, WORKING_MINUTES};
use crate::model::{
    CORE_PERCENTILE, FlexStaffing, Settings, StaffingParams, StaffingPolicy, TEMPORARY_CAP_SHARE,
    TEMPORARY_PREMIUM_SHARE,
};

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
    #[serde(default)]
    pub staffing_policy: RawStaffingPolicy,
    pub core_percentile: Option<Spanned<f64>>,
    pub temporary_cap_share: Option<Spanned<RawNumber>>,
    pub temporary_premium_share: Option<Spanned<RawNumber>>,
}

/// The one currency of a scenario's amounts.
const USD: &str = "USD";

fn default_currency() -> Spanned<String> {
    Spanned::new(0..0, USD.to_owned())
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

/// `staffing_policy`, of the scenario or of a centre: how planned queue
/// teams meet their busiest months.
#[derive(Debug, Default, Deserialize, PartialEq, Eq, Clone, Copy)]
#[serde(rename_all = "snake_case")]
pub(crate) enum RawStaffingPolicy {
    /// Staffed all year for the busiest month.
    #[default]
    Peak,
    /// A core for a percentile of the months, temporary capacity above it.
    Flex,
}

impl RawStaffingPolicy {
    /// The policy in the model.
    pub(crate) fn policy(self) -> StaffingPolicy {
        match self {
            RawStaffingPolicy::Peak => StaffingPolicy::Peak,
            RawStaffingPolicy::Flex => StaffingPolicy::Flex,
        }
    }
}

/// A percentile of the twelve months: 0 the quietest, 1 the busiest.
const PERCENTILE: Domain = Domain::closed(0.0, 1.0, "a percentile from 0 to 1");

/// Temporary capacity as a share of the core's: up to ten times the core.
const CAP_SHARE: Domain = Domain::closed(0.0, 10.0, "a share of the core's capacity from 0 to 10");

/// The premium of temporary capacity as a share of the staff cost.
const PREMIUM_SHARE: Domain = Domain::closed(0.0, 10.0, "a share of the staff cost from 0 to 10");

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
        let staffing = self.staffing_params(v);
        let currency = self.currency(v);
        Some(Settings {
            horizon_years: u32::try_from(horizon_years?).ok()?,
            working_days_per_year: u32::try_from(working_days?).ok()?,
            discount_rate_per_year: discount,
            replications: replications?,
            seed: seed?,
            currency,
            working_minutes_per_day: minutes,
            availability_share: availability,
            staffing_policy: self.staffing_policy.policy(),
            staffing: staffing?,
        })
    }

    /// The currency, which must be USD: every amount key of a scenario is
    /// named `_usd`, and the defaults sscsim fills in for the keys a
    /// scenario leaves out (transition, project and site costs) are in USD,
    /// so amounts in another currency would be added to them as if they
    /// were dollars. Labels that followed the currency would hide that
    /// mixing, not prevent it. A problem with it leaves the other settings
    /// usable, so that what refers to them (the horizon) is not reported
    /// as wrong in its turn.
    fn currency(&self, v: &mut Validator) -> String {
        let currency = self.currency.get_ref();
        if currency == USD {
            return currency.clone();
        }
        // A long value is not echoed: it may be anything.
        let what = if currency.chars().count() <= 16 {
            format!("currency is \"{currency}\"")
        } else {
            "currency is not \"USD\"".to_owned()
        };
        v.problem(
            self.currency.span(),
            what,
            "\"USD\": every amount of a scenario, and every default sscsim fills in, is in US dollars; \
             convert amounts to USD (e.g. at the UN operational rate of exchange) or leave currency out",
        );
        currency.clone()
    }

    /// The parameters of the staffing policies, each with its default
    /// (`model::staffing`).
    fn staffing_params(&self, v: &mut Validator) -> Option<StaffingParams> {
        Some(StaffingParams {
            flex: self.flex_staffing(v)?,
        })
    }

    /// The parameters of the `flex` staffing policy, each with its default.
    fn flex_staffing(&self, v: &mut Validator) -> Option<FlexStaffing> {
        let core_percentile = match &self.core_percentile {
            Some(p) => v.real("core_percentile", p, PERCENTILE),
            None => Some(CORE_PERCENTILE),
        };
        Some(FlexStaffing {
            temporary_cap_share: v.optional_key(
                "settings",
                "temporary_cap_share",
                &self.temporary_cap_share,
                CAP_SHARE,
                TEMPORARY_CAP_SHARE,
            ),
            temporary_premium_share: v.optional_key(
                "settings",
                "temporary_premium_share",
                &self.temporary_premium_share,
                PREMIUM_SHARE,
                TEMPORARY_PREMIUM_SHARE,
            ),
            core_percentile: core_percentile?,
        })
    }
}
