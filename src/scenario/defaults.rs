//! Documented defaults of the transition and of contact lines, in one place.
//! Each default names its basis.
//!
//! The economies-of-scale mechanisms keep theirs in their own files
//! (`model::mechanisms::<id>`): a mechanism's table in `[mechanisms]`
//! switches it on, and a key the table leaves out takes its mechanism's
//! default. Without its table a mechanism adds nothing beyond what the rest
//! of the file says (site and centre fixed costs, demand variability).

use super::number::{RawDist, RawNumber};

// The staffing policies' defaults are in `model::staffing`, beside their rule.

// --- Transition: the costs and risks of moving work (README, "The model") --

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

// --- Contact lines ----------------------------------------------------------

/// Share of agents' paid time off the phones: breaks, training, meetings,
/// absence. 30-35% is the figure contact-centre planners commonly use.
/// Assumption.
pub(crate) const SHRINKAGE_SHARE: f64 = 0.3;

/// Contacts arrive evenly over a business day of 08:00-17:00 local time when
/// a contact line gives no hourly profile. Assumption.
pub(crate) fn business_hours_profile() -> [f64; crate::model::HOURS_PER_DAY] {
    std::array::from_fn(|hour| {
        if (8..17).contains(&hour) {
            1.0 / 9.0
        } else {
            0.0
        }
    })
}
