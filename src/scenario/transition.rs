//! `[transition]`: the costs and risks of moving work, every key with a
//! documented default; as written, and checked into a [`Transition`].
//!
//! Most defaults are fixed numbers. The optimism-bias uplifts default to
//! distributions (an uncertainty about the world, not a known figure):
//! when the scenario leaves them out they become uncertain inputs like any
//! other — drawn in every replication, listed among the inputs of the
//! sensitivity analysis, checked against the key's limits — registered by
//! [`RawTransition::uncertain_defaults`] after every input the file
//! declares, so that those draw the same numbers with or without them.

use serde::Deserialize;
use toml::Spanned;

use super::defaults;
use super::number::RawNumber;
use super::validate::{Domain, NON_NEGATIVE, SHARE, Validator};
use crate::model::{Param, Transition};

/// `[transition]`: costs and risks of moving work; every key has a default.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawTransition {
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
    pub staff_transfer_share: Option<Spanned<RawNumber>>,
    pub relocation_cost_usd_per_person: Option<Spanned<RawNumber>>,
    pub optimism_bias_cost_uplift: Option<Spanned<RawNumber>>,
    pub optimism_bias_duration_uplift: Option<Spanned<RawNumber>>,
}

impl RawTransition {
    pub(super) fn validate(&self, v: &mut Validator) -> Transition {
        let months = Domain::closed(0.0, 120.0, "months from 0 to 120");
        let multiple = Domain::closed(0.0, 100.0, "a multiple from 0 to 100");
        let r = self;
        Transition {
            onboarding_months: v.optional_key(
                "transition",
                "onboarding_months",
                &r.onboarding_months,
                months,
                defaults::ONBOARDING_MONTHS,
            ),
            overlap_months: v.optional_key(
                "transition",
                "overlap_months",
                &r.overlap_months,
                months,
                defaults::OVERLAP_MONTHS,
            ),
            termination_indemnity_months: v.optional_key(
                "transition",
                "termination_indemnity_months",
                &r.termination_indemnity_months,
                months,
                defaults::TERMINATION_INDEMNITY_MONTHS,
            ),
            separation_indemnity_multiple: v.optional_key(
                "transition",
                "separation_indemnity_multiple",
                &r.separation_indemnity_multiple,
                multiple,
                defaults::SEPARATION_INDEMNITY_MULTIPLE,
            ),
            separation_incentive_share: v.optional_key(
                "transition",
                "separation_incentive_share",
                &r.separation_incentive_share,
                multiple,
                defaults::SEPARATION_INCENTIVE_SHARE,
            ),
            training_grant_months: v.optional_key(
                "transition",
                "training_grant_months",
                &r.training_grant_months,
                months,
                defaults::TRAINING_GRANT_MONTHS,
            ),
            salary_share_of_standard_cost: v.optional_key(
                "transition",
                "salary_share_of_standard_cost",
                &r.salary_share_of_standard_cost,
                SHARE,
                defaults::SALARY_SHARE_OF_STANDARD_COST,
            ),
            voluntary_separation_share: v.optional_key(
                "transition",
                "voluntary_separation_share",
                &r.voluntary_separation_share,
                SHARE,
                defaults::VOLUNTARY_SEPARATION_SHARE,
            ),
            redeployment_cost_usd_per_post: v.optional_key(
                "transition",
                "redeployment_cost_usd_per_post",
                &r.redeployment_cost_usd_per_post,
                NON_NEGATIVE,
                defaults::REDEPLOYMENT_COST_USD_PER_POST,
            ),
            cost_per_hire_usd: v.optional_key(
                "transition",
                "cost_per_hire_usd",
                &r.cost_per_hire_usd,
                NON_NEGATIVE,
                defaults::COST_PER_HIRE_USD,
            ),
            offer_decline_rate: v.optional_key(
                "transition",
                "offer_decline_rate",
                &r.offer_decline_rate,
                Domain::closed(0.0, 0.95, "a share from 0 to 0.95"),
                defaults::OFFER_DECLINE_RATE,
            ),
            time_to_fill_months: v.optional_key(
                "transition",
                "time_to_fill_months",
                &r.time_to_fill_months,
                months,
                defaults::TIME_TO_FILL_MONTHS,
            ),
            training_usd_per_hire: v.optional_key(
                "transition",
                "training_usd_per_hire",
                &r.training_usd_per_hire,
                NON_NEGATIVE,
                defaults::TRAINING_USD_PER_HIRE,
            ),
            travel_usd_per_hire: v.optional_key(
                "transition",
                "travel_usd_per_hire",
                &r.travel_usd_per_hire,
                NON_NEGATIVE,
                defaults::TRAVEL_USD_PER_HIRE,
            ),
            project_team_usd_per_month: v.optional_key(
                "transition",
                "project_team_usd_per_month",
                &r.project_team_usd_per_month,
                NON_NEGATIVE,
                defaults::PROJECT_TEAM_USD_PER_MONTH,
            ),
            project_tail_months: v.optional_key(
                "transition",
                "project_tail_months",
                &r.project_tail_months,
                months,
                defaults::PROJECT_TAIL_MONTHS,
            ),
            disruption_probability: probability(
                v,
                "disruption_probability",
                &r.disruption_probability,
                defaults::DISRUPTION_PROBABILITY,
            ),
            big_bang_probability_multiplier: r
                .big_bang_probability_multiplier
                .as_ref()
                .and_then(|m| v.real("big_bang_probability_multiplier", m, multiple))
                .unwrap_or(defaults::BIG_BANG_PROBABILITY_MULTIPLIER),
            new_erp_probability_multiplier: r
                .new_erp_probability_multiplier
                .as_ref()
                .and_then(|m| v.real("new_erp_probability_multiplier", m, multiple))
                .unwrap_or(defaults::NEW_ERP_PROBABILITY_MULTIPLIER),
            disruption_capacity_loss: v.optional_key(
                "transition",
                "disruption_capacity_loss",
                &r.disruption_capacity_loss,
                Domain::closed(0.0, 0.95, "a share from 0 to 0.95"),
                defaults::DISRUPTION_CAPACITY_LOSS,
            ),
            disruption_months: v.optional_key(
                "transition",
                "disruption_months",
                &r.disruption_months,
                months,
                defaults::DISRUPTION_MONTHS,
            ),
            clearing_months: v.optional_key(
                "transition",
                "clearing_months",
                &r.clearing_months,
                Domain::closed(0.25, 120.0, "months from 0.25 to 120"),
                defaults::CLEARING_MONTHS,
            ),
            temporary_staff_cost_premium: v.optional_key(
                "transition",
                "temporary_staff_cost_premium",
                &r.temporary_staff_cost_premium,
                multiple,
                defaults::TEMPORARY_STAFF_COST_PREMIUM,
            ),
            staff_transfer_share: v.optional_key(
                "transition",
                "staff_transfer_share",
                &r.staff_transfer_share,
                SHARE,
                defaults::STAFF_TRANSFER_SHARE,
            ),
            relocation_cost_usd_per_person: v.optional_key(
                "transition",
                "relocation_cost_usd_per_person",
                &r.relocation_cost_usd_per_person,
                NON_NEGATIVE,
                defaults::RELOCATION_COST_USD_PER_PERSON,
            ),
            // Left out, they are drawn from their defaults later: see
            // `uncertain_defaults`.
            optimism_bias_cost_uplift: written_uplift(
                v,
                "optimism_bias_cost_uplift",
                &r.optimism_bias_cost_uplift,
            ),
            optimism_bias_duration_uplift: written_uplift(
                v,
                "optimism_bias_duration_uplift",
                &r.optimism_bias_duration_uplift,
            ),
        }
    }

    /// Turns the keys this table leaves out whose defaults are uncertain
    /// (the optimism-bias uplifts) into inputs of `transition` when
    /// `uplifted` — some strategy moves work or some team runs a
    /// harmonisation project, the one-off costs an uplift applies to; else
    /// nothing reads them, and they stay fixed defaults rather than fill
    /// the sensitivity analysis with inputs that move nothing. Called once
    /// every other parameter of the file has been read: the inputs are
    /// drawn in the order they are registered, so those the file declares
    /// keep their draws; and before `[[correlation]]`, which may name them.
    pub(super) fn uncertain_defaults(
        &self,
        v: &mut Validator,
        uplifted: bool,
        transition: &mut Transition,
    ) {
        for (key, raw, bounds, param) in [
            (
                "optimism_bias_cost_uplift",
                &self.optimism_bias_cost_uplift,
                defaults::OPTIMISM_BIAS_COST_UPLIFT_BOUNDS,
                &mut transition.optimism_bias_cost_uplift,
            ),
            (
                "optimism_bias_duration_uplift",
                &self.optimism_bias_duration_uplift,
                defaults::OPTIMISM_BIAS_DURATION_UPLIFT_BOUNDS,
                &mut transition.optimism_bias_duration_uplift,
            ),
        ] {
            if raw.is_none() {
                *param = default_uplift(v, key, bounds, uplifted);
            }
        }
    }
}

/// The limits of an optimism-bias uplift: the Green Book's largest upper
/// bound is +200%.
const UPLIFT: Domain = Domain::closed(0.0, 5.0, "an uplift from 0 to 5 (5 = +500%)");

/// An optimism-bias uplift as the scenario writes it; until
/// [`RawTransition::uncertain_defaults`] replaces it, one it leaves out is
/// 0.
fn written_uplift(v: &mut Validator, key: &str, raw: &Option<Spanned<RawNumber>>) -> Param {
    match raw {
        Some(raw) => v.param(format!("transition.{key}"), raw, UPLIFT),
        None => Param::Fixed(0.0),
    }
}

/// The default of an optimism-bias uplift between `bounds`: when
/// `uplifted`, the uncertain one, registered as an input and checked
/// against the key's limits like a written one; else its lower bound,
/// fixed, which nothing reads.
fn default_uplift(
    v: &mut Validator,
    key: &str,
    bounds: defaults::UpliftBounds,
    uplifted: bool,
) -> Param {
    let path = format!("transition.{key}");
    if uplifted {
        v.param_at(path, &defaults::optimism_bias_uplift(bounds), 0..0, UPLIFT)
    } else {
        v.default_param(path, bounds.lower)
    }
}

/// A probability the scenario may leave out, which then takes `default`.
fn probability(v: &mut Validator, name: &str, raw: &Option<Spanned<f64>>, default: f64) -> f64 {
    raw.as_ref()
        .and_then(|p| v.real(name, p, SHARE))
        .unwrap_or(default)
}
