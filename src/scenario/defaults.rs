//! Documented defaults of the economies-of-scale mechanisms, in one place.
//!
//! A mechanism's table in `[mechanisms]` switches it on; a key the table
//! leaves out takes the default here. Without its table a mechanism adds
//! nothing beyond what the rest of the file says (site and centre fixed
//! costs, demand variability). Each default names its basis.

/// Director, management and support staff of a centre, by grade:
/// `(GS, NPO, P, D, FS)`. One director, as UNHCR's (2 D-1) and WHO's (1 D-2)
/// centres have (JIU/REP/2009/6 Table 5); an operations manager and an
/// administration officer (P); three support staff for administration, HR and
/// IT (GS). Assumption.
pub const CENTRE_STAFF_FTE: [f64; 5] = [3.0, 0.0, 2.0, 1.0, 0.0];

/// Correlation between agencies' daily demand shocks in a service line: none
/// unless the scenario says otherwise.
pub const VOLUME_CORRELATION: f64 = 0.0;

/// Effort multiple of a new team's first transactions: half as long again as
/// trained staff. Assumption; newly recruited staff lacking knowledge were a
/// main cause of WHO's service delays (JIU/REP/2009/6 paras 93-96).
pub const INITIAL_EFFORT_FACTOR: f64 = 1.5;

/// Effort left after each doubling of experience: 0.85, within the 0.7–0.9
/// range of progress ratios surveyed by Dutton and Thomas (1984, Academy of
/// Management Review 9(2)), towards the slow end for clerical work. Assumption.
pub const LEARNING_RATE: f64 = 0.85;

/// Experience, in FTE-years of standard work, that makes a new team's first
/// doubling: with the defaults above, a team reaches trained speed after
/// about 23 FTE-years of work — a 20-FTE team in just over a year, a 5-FTE
/// team in four and a half. Assumption.
pub const REFERENCE_EXPERIENCE_FTE_YEARS: f64 = 5.0;

/// Elasticity of effort to team size: 3.4% less effort per doubling of the
/// team (specialisation). Assumption.
pub const SCALE_ELASTICITY: f64 = 0.05;

/// Team size at which the scale factor is 1. Assumption.
pub const REFERENCE_TEAM_FTE: f64 = 10.0;

/// Processing staff per supervisor or team lead: a common span in
/// transactional teams. Assumption.
pub const STAFF_PER_SUPERVISOR: f64 = 10.0;

/// Every team has at least one team lead, however small. Assumption.
pub const MINIMUM_SUPERVISORS_PER_TEAM: f64 = 1.0;

/// Supervisors' grades `(GS, NPO, P, D, FS)`: Professionals, as in UNHCR's
/// Budapest centre, which has 56 P for 106 GS (Table 5). Assumption.
pub const SUPERVISOR_GRADE_MIX: [f64; 5] = [0.0, 0.0, 1.0, 0.0, 0.0];

/// Extra effort per agency beyond the first when one team serves several
/// agencies' rules, ICT platforms and information systems (para 133): 10%.
/// Assumption.
pub const PENALTY_PER_ADDITIONAL_AGENCY: f64 = 0.10;

/// Cost of harmonising one service line's rules and systems with one more
/// agency, USD. Assumption.
pub const PROJECT_COST_USD_PER_ADDITIONAL_AGENCY: f64 = 500_000.0;

/// Years a harmonisation project takes. Assumption.
pub const PROJECT_YEARS: i64 = 2;

/// Share of the penalty left after harmonisation: rules converge, some
/// differences in entitlements and systems remain. Assumption.
pub const REMAINING_PENALTY_SHARE: f64 = 0.25;

// --- Transition: the costs and risks of moving work (DESIGN §4) -------------

/// Months new staff are on board before go-live for training and knowledge
/// transfer; too little was a cause of WHO's service delays (paras 93-96).
/// Assumption.
pub const ONBOARDING_MONTHS: f64 = 3.0;

/// Months headquarters staff keep working after go-live: the "salaries of
/// staff kept during the transition" business cases underestimated
/// (para 37). Assumption.
pub const OVERLAP_MONTHS: f64 = 3.0;

/// Months of salary in the standard termination indemnity, on average over
/// the staff separated: the UN scale rises with years of service to 12
/// months. Assumption.
pub const TERMINATION_INDEMNITY_MONTHS: f64 = 9.0;

/// UNHCR's first voluntary separation package paid 150% of the standard
/// termination indemnity (Box 2, phase 1).
pub const SEPARATION_INDEMNITY_MULTIPLE: f64 = 1.5;

/// Incentive on top of the indemnity: none in UNHCR's phase 1 (phase 2 paid
/// the indemnity plus 50%).
pub const SEPARATION_INCENTIVE_SHARE: f64 = 0.0;

/// Training grant on separation: 1.5 months in UNHCR's phase 1 (3 months'
/// salary in phase 2).
pub const TRAINING_GRANT_MONTHS: f64 = 1.5;

/// Salary, the base of indemnities, as a share of the standard cost, which
/// also carries pension, insurance and allowances. Assumption.
pub const SALARY_SHARE_OF_STANDARD_COST: f64 = 0.6;

/// Share of abolished posts whose holders separate; the rest are redeployed
/// to vacancies (paras 63-72). Assumption.
pub const VOLUNTARY_SEPARATION_SHARE: f64 = 0.6;

/// Retraining and relocating the holder of one abolished post. Assumption.
pub const REDEPLOYMENT_COST_USD_PER_POST: f64 = 10_000.0;

/// Advertising, assessment and on-boarding of one hire. Assumption.
pub const COST_PER_HIRE_USD: f64 = 6_000.0;

/// Share of offers declined: over 20% of candidates declined FAO's offers in
/// Budapest (para 111).
pub const OFFER_DECLINE_RATE: f64 = 0.2;

/// Months to fill a post if no offer is declined. Assumption.
pub const TIME_TO_FILL_MONTHS: f64 = 4.0;

/// Knowledge transfer and training per new staff member (para 37). Assumption.
pub const TRAINING_USD_PER_HIRE: f64 = 8_000.0;

/// Travel per new staff member: training missions to headquarters and back
/// (paras 37, 125). Assumption.
pub const TRAVEL_USD_PER_HIRE: f64 = 4_000.0;

/// A centre's dedicated project team: about eight staff and consultants.
/// Assumption.
pub const PROJECT_TEAM_USD_PER_MONTH: f64 = 150_000.0;

/// Months the project team stays after the last go-live (troubleshooting,
/// para 125). Assumption.
pub const PROJECT_TAIL_MONTHS: f64 = 6.0;

/// Probability that a phased go-live without a new ERP goes badly. Assumption.
pub const DISRUPTION_PROBABILITY: f64 = 0.1;

/// A big bang is much riskier (para 102): two and a half times. Assumption.
pub const BIG_BANG_PROBABILITY_MULTIPLIER: f64 = 2.5;

/// A new ERP on the same day doubles the risk again (WHO, paras 93-96).
/// Assumption.
pub const NEW_ERP_PROBABILITY_MULTIPLIER: f64 = 2.0;

/// Share of capacity lost while a bad go-live lasts. Assumption.
pub const DISRUPTION_CAPACITY_LOSS: f64 = 0.3;

/// Months a bad go-live lasts ("fire-fighting", para 96). Assumption.
pub const DISRUPTION_MONTHS: f64 = 4.0;

/// Months temporary staff take to clear the backlog. Assumption.
pub const CLEARING_MONTHS: f64 = 2.0;

/// Temporary staff or overtime cost 30% more than regular GS staff. Assumption.
pub const TEMPORARY_STAFF_COST_PREMIUM: f64 = 1.3;

// --- Contact lines ----------------------------------------------------------

/// Share of agents' paid time off the phones: breaks, training, meetings,
/// absence. 30-35% is the figure contact-centre planners commonly use.
/// Assumption.
pub const SHRINKAGE_SHARE: f64 = 0.3;

/// Contacts arrive evenly over a business day of 08:00-17:00 local time when
/// a contact line gives no hourly profile. Assumption.
pub fn business_hours_profile() -> [f64; crate::model::HOURS_PER_DAY] {
    std::array::from_fn(|hour| {
        if (8..17).contains(&hour) {
            1.0 / 9.0
        } else {
            0.0
        }
    })
}
