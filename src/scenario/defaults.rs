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
