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

use super::number::{RawDist, RawNumber};
use super::validate::{Domain, NON_NEGATIVE, SHARE, Validator};
use crate::model::{Param, Transition};

// --- The documented defaults: each names its basis (README, "The model") ---

/// Months new staff are on board before go-live for training and knowledge
/// transfer; too little was a cause of WHO's service delays (paras 93-96).
/// Assumption.
pub(crate) const ONBOARDING_MONTHS: f64 = 3.0;

/// Months headquarters staff keep working after go-live: the "salaries of
/// staff kept during the transition" business cases underestimated
/// (para 37). Assumption.
pub(crate) const OVERLAP_MONTHS: f64 = 3.0;

/// Months of salary in the standard termination indemnity, on average over
/// the staff separated: the UN scale rises with years of service to 12
/// months. Assumption.
pub(crate) const TERMINATION_INDEMNITY_MONTHS: f64 = 9.0;

/// UNHCR's first voluntary separation package paid 150% of the standard
/// termination indemnity (Box 2, phase 1).
pub(crate) const SEPARATION_INDEMNITY_MULTIPLE: f64 = 1.5;

/// Incentive on top of the indemnity: none in UNHCR's phase 1 (phase 2 paid
/// the indemnity plus 50%).
pub(crate) const SEPARATION_INCENTIVE_SHARE: f64 = 0.0;

/// Training grant on separation: 1.5 months in UNHCR's phase 1 (3 months'
/// salary in phase 2).
pub(crate) const TRAINING_GRANT_MONTHS: f64 = 1.5;

/// Salary, the base of indemnities, as a share of the standard cost, which
/// also carries pension, insurance and allowances. Assumption.
pub(crate) const SALARY_SHARE_OF_STANDARD_COST: f64 = 0.6;

/// Share of abolished posts whose holders separate; the rest are redeployed
/// to vacancies (paras 63-72). Assumption.
pub(crate) const VOLUNTARY_SEPARATION_SHARE: f64 = 0.6;

/// Retraining and relocating the holder of one abolished post. Assumption.
pub(crate) const REDEPLOYMENT_COST_USD_PER_POST: f64 = 10_000.0;

/// Advertising, assessment and on-boarding of one hire. Assumption.
pub(crate) const COST_PER_HIRE_USD: f64 = 6_000.0;

/// Share of offers declined: over 20% of candidates declined FAO's offers in
/// Budapest (para 111).
pub(crate) const OFFER_DECLINE_RATE: f64 = 0.2;

/// Months to fill a post if no offer is declined. Assumption.
pub(crate) const TIME_TO_FILL_MONTHS: f64 = 4.0;

/// Knowledge transfer and training per new staff member (para 37). Assumption.
pub(crate) const TRAINING_USD_PER_HIRE: f64 = 8_000.0;

/// Travel per new staff member: training missions to headquarters and back
/// (paras 37, 125). Assumption.
pub(crate) const TRAVEL_USD_PER_HIRE: f64 = 4_000.0;

/// A centre's dedicated project team: about eight staff and consultants.
/// Assumption.
pub(crate) const PROJECT_TEAM_USD_PER_MONTH: f64 = 150_000.0;

/// Months the project team stays after the last go-live (troubleshooting,
/// para 125). Assumption.
pub(crate) const PROJECT_TAIL_MONTHS: f64 = 6.0;

/// Probability that a phased go-live without a new ERP goes badly. Assumption.
pub(crate) const DISRUPTION_PROBABILITY: f64 = 0.1;

/// A big bang is much riskier (para 102): two and a half times. Assumption.
pub(crate) const BIG_BANG_PROBABILITY_MULTIPLIER: f64 = 2.5;

/// A new ERP on the same day doubles the risk again (WHO, paras 93-96).
/// Assumption.
pub(crate) const NEW_ERP_PROBABILITY_MULTIPLIER: f64 = 2.0;

/// Share of capacity lost while a bad go-live lasts. Assumption.
pub(crate) const DISRUPTION_CAPACITY_LOSS: f64 = 0.3;

/// Months a bad go-live lasts ("fire-fighting", para 96). Assumption.
pub(crate) const DISRUPTION_MONTHS: f64 = 4.0;

/// Months temporary staff take to clear the backlog. Assumption.
pub(crate) const CLEARING_MONTHS: f64 = 2.0;

/// Temporary staff or overtime clearing the backlog a bad go-live leaves
/// (over [`CLEARING_MONTHS`]) cost 30% more per transaction than the
/// team's own staff: a multiplier of 1.3 on the team's cost per
/// transaction, paid once. Assumption. Differs from
/// `model::staffing::TEMPORARY_PREMIUM_SHARE` (0.5 added to the staff cost of the `flex`
/// policy's peak capacity, every busy month, on the basis of overtime at
/// one and a half times pay): a backlog is cleared once, mostly by
/// short-term staff hired for it at local rates. The two keys are kept
/// apart so that a scenario can state each.
pub(crate) const TEMPORARY_STAFF_COST_PREMIUM: f64 = 1.3;

/// Share of the staff whose headquarters posts a move abolishes who move
/// with the work: none. The business cases the report reviews abolished
/// the posts and recruited at the new location (paras 63-72: separation
/// packages and redeployment, no transfers); no published source gives a
/// share for UN moves, so a scenario states its own.
pub(crate) const STAFF_TRANSFER_SHARE: f64 = 0.0;

/// Relocating one member of staff with the work, USD. Assumption, built
/// from the UN's relocation elements: a relocation grant of USD 10 000 at
/// the single rate in lieu of a removal shipment (Umoja, "FAQ", 15 February
/// 2016), an assignment grant of 30 days' DSA plus one month's net
/// remuneration (UN OHRM, "Assignment grant", allowances page), and travel:
/// about 10 000 + 9 000 + 5 000 + 1 000.
pub(crate) const RELOCATION_COST_USD_PER_PERSON: f64 = 25_000.0;

/// Optimism bias on one-off costs: an uncertain uplift between the lower
/// and upper bounds for "Equipment/Development" projects, capital
/// expenditure: upper bound 200%, lower bound 10% (Mott MacDonald, Review
/// of Large Public Procurement in the UK, 2002, Table 2 "Optimism Bias
/// Guidelines"; HM Treasury, Supplementary Green Book Guidance: Optimism
/// Bias, 2003, para 3.1: its Table 1 of adjustment percentages is prepared
/// from that study). Mott MacDonald's conclusions rank Equipment/Development
/// first of the six project types by inherent risk; the type covers
/// "technical innovation and systems development" (Accountancy Age,
/// "Treasury warns of over-optimistic IT projects", 2002, on the same
/// study). A move to a shared centre is the development of processes and
/// systems, not a building (site set-up is a small part of it), and
/// "Outsourcing" is measured on operating expenditure only, not on one-off
/// costs. Drawn from [`optimism_bias_uplift`] between the two bounds.
pub(crate) const OPTIMISM_BIAS_COST_UPLIFT_BOUNDS: UpliftBounds = UpliftBounds {
    lower: 0.10,
    upper: 2.00,
};

/// Optimism bias on durations (double running): an uncertain uplift
/// between the bounds for "Equipment/Development" works duration in the
/// same table: upper bound 54%, lower bound 10%. Drawn from
/// [`optimism_bias_uplift`] between the two bounds.
pub(crate) const OPTIMISM_BIAS_DURATION_UPLIFT_BOUNDS: UpliftBounds = UpliftBounds {
    lower: 0.10,
    upper: 0.54,
};

/// The lower and upper bounds of an optimism-bias uplift, as shares.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct UpliftBounds {
    /// The bound the guidance lowers an uplift to once every risk is
    /// managed.
    pub lower: f64,
    /// The bound it starts from.
    pub upper: f64,
}

/// The default distribution of an optimism-bias uplift between `bounds`: a
/// PERT from the lower to the upper bound, most likely at the lower bound
/// (its beta shapes are then 1 and 5: density highest at the lower bound,
/// falling to 0 at the upper; mean lower + (upper − lower) / 6).
///
/// The bounds are the source's; the shape is an Assumption, as the source
/// gives no distribution. Why this one: the guidance sets "high initial
/// optimism bias levels, which can be reduced if good practice in project
/// management can be demonstrated" (Mott MacDonald, 2002, Appendix G.5),
/// and sscsim models a move's main risks explicitly (bad go-lives,
/// declined offers, salary shocks), so the lower bound is the most likely
/// value; but the projects reviewed did overrun up to the upper bound, so
/// the whole range stays possible. A PERT rather than a triangular
/// distribution with the same bounds and mode, because the triangular puts
/// far more weight near the upper bound — the level for a project that
/// manages none of its risks — (mean (2·lower + upper) / 3: 0.73 for
/// costs, against the PERT's 0.42). A scenario that states its own uplift
/// (a number or any distribution) replaces it; the calibrated scenarios
/// state 0, the business cases as written.
pub(crate) fn optimism_bias_uplift(bounds: UpliftBounds) -> RawNumber {
    RawNumber::Dist(RawDist::Pert {
        min: bounds.lower,
        mode: bounds.lower,
        max: bounds.upper,
        shape: None,
    })
}

// --- The section ------------------------------------------------------------

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
                ONBOARDING_MONTHS,
            ),
            overlap_months: v.optional_key(
                "transition",
                "overlap_months",
                &r.overlap_months,
                months,
                OVERLAP_MONTHS,
            ),
            termination_indemnity_months: v.optional_key(
                "transition",
                "termination_indemnity_months",
                &r.termination_indemnity_months,
                months,
                TERMINATION_INDEMNITY_MONTHS,
            ),
            separation_indemnity_multiple: v.optional_key(
                "transition",
                "separation_indemnity_multiple",
                &r.separation_indemnity_multiple,
                multiple,
                SEPARATION_INDEMNITY_MULTIPLE,
            ),
            separation_incentive_share: v.optional_key(
                "transition",
                "separation_incentive_share",
                &r.separation_incentive_share,
                multiple,
                SEPARATION_INCENTIVE_SHARE,
            ),
            training_grant_months: v.optional_key(
                "transition",
                "training_grant_months",
                &r.training_grant_months,
                months,
                TRAINING_GRANT_MONTHS,
            ),
            salary_share_of_standard_cost: v.optional_key(
                "transition",
                "salary_share_of_standard_cost",
                &r.salary_share_of_standard_cost,
                SHARE,
                SALARY_SHARE_OF_STANDARD_COST,
            ),
            voluntary_separation_share: v.optional_key(
                "transition",
                "voluntary_separation_share",
                &r.voluntary_separation_share,
                SHARE,
                VOLUNTARY_SEPARATION_SHARE,
            ),
            redeployment_cost_usd_per_post: v.optional_key(
                "transition",
                "redeployment_cost_usd_per_post",
                &r.redeployment_cost_usd_per_post,
                NON_NEGATIVE,
                REDEPLOYMENT_COST_USD_PER_POST,
            ),
            cost_per_hire_usd: v.optional_key(
                "transition",
                "cost_per_hire_usd",
                &r.cost_per_hire_usd,
                NON_NEGATIVE,
                COST_PER_HIRE_USD,
            ),
            offer_decline_rate: v.optional_key(
                "transition",
                "offer_decline_rate",
                &r.offer_decline_rate,
                Domain::closed(0.0, 0.95, "a share from 0 to 0.95"),
                OFFER_DECLINE_RATE,
            ),
            time_to_fill_months: v.optional_key(
                "transition",
                "time_to_fill_months",
                &r.time_to_fill_months,
                months,
                TIME_TO_FILL_MONTHS,
            ),
            training_usd_per_hire: v.optional_key(
                "transition",
                "training_usd_per_hire",
                &r.training_usd_per_hire,
                NON_NEGATIVE,
                TRAINING_USD_PER_HIRE,
            ),
            travel_usd_per_hire: v.optional_key(
                "transition",
                "travel_usd_per_hire",
                &r.travel_usd_per_hire,
                NON_NEGATIVE,
                TRAVEL_USD_PER_HIRE,
            ),
            project_team_usd_per_month: v.optional_key(
                "transition",
                "project_team_usd_per_month",
                &r.project_team_usd_per_month,
                NON_NEGATIVE,
                PROJECT_TEAM_USD_PER_MONTH,
            ),
            project_tail_months: v.optional_key(
                "transition",
                "project_tail_months",
                &r.project_tail_months,
                months,
                PROJECT_TAIL_MONTHS,
            ),
            disruption_probability: probability(
                v,
                "disruption_probability",
                &r.disruption_probability,
                DISRUPTION_PROBABILITY,
            ),
            big_bang_probability_multiplier: r
                .big_bang_probability_multiplier
                .as_ref()
                .and_then(|m| v.real("big_bang_probability_multiplier", m, multiple))
                .unwrap_or(BIG_BANG_PROBABILITY_MULTIPLIER),
            new_erp_probability_multiplier: r
                .new_erp_probability_multiplier
                .as_ref()
                .and_then(|m| v.real("new_erp_probability_multiplier", m, multiple))
                .unwrap_or(NEW_ERP_PROBABILITY_MULTIPLIER),
            disruption_capacity_loss: v.optional_key(
                "transition",
                "disruption_capacity_loss",
                &r.disruption_capacity_loss,
                Domain::closed(0.0, 0.95, "a share from 0 to 0.95"),
                DISRUPTION_CAPACITY_LOSS,
            ),
            disruption_months: v.optional_key(
                "transition",
                "disruption_months",
                &r.disruption_months,
                months,
                DISRUPTION_MONTHS,
            ),
            clearing_months: v.optional_key(
                "transition",
                "clearing_months",
                &r.clearing_months,
                Domain::closed(0.25, 120.0, "months from 0.25 to 120"),
                CLEARING_MONTHS,
            ),
            temporary_staff_cost_premium: v.optional_key(
                "transition",
                "temporary_staff_cost_premium",
                &r.temporary_staff_cost_premium,
                multiple,
                TEMPORARY_STAFF_COST_PREMIUM,
            ),
            staff_transfer_share: v.optional_key(
                "transition",
                "staff_transfer_share",
                &r.staff_transfer_share,
                SHARE,
                STAFF_TRANSFER_SHARE,
            ),
            relocation_cost_usd_per_person: v.optional_key(
                "transition",
                "relocation_cost_usd_per_person",
                &r.relocation_cost_usd_per_person,
                NON_NEGATIVE,
                RELOCATION_COST_USD_PER_PERSON,
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
                OPTIMISM_BIAS_COST_UPLIFT_BOUNDS,
                &mut transition.optimism_bias_cost_uplift,
            ),
            (
                "optimism_bias_duration_uplift",
                &self.optimism_bias_duration_uplift,
                OPTIMISM_BIAS_DURATION_UPLIFT_BOUNDS,
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
fn default_uplift(v: &mut Validator, key: &str, bounds: UpliftBounds, uplifted: bool) -> Param {
    let path = format!("transition.{key}");
    if uplifted {
        v.param_at(path, &optimism_bias_uplift(bounds), 0..0, UPLIFT)
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
