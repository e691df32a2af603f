//! Learning and scale: a new team's effort per transaction falls with its
//! cumulative experience (a learning curve down to the trained standard),
//! and every team's with its size (specialisation, a scale elasticity).
//! A team in an existing centre is trained already. Staff who move with
//! the work, and a host agency's own staff where the team is, bring their
//! experience: a team whose staff are all trained starts at the trained
//! standard, and one with a share of trained staff starts with that share
//! of the experience that takes a new team to it. Assumption: the curve is
//! a team's, not a person's, and no published study gives the experience
//! a transferred clerk brings to a team of new hires; a share of the
//! trained team's experience is the simplest reading that gives the two
//! ends (all new, all trained) exactly.

use super::{About, Effect, Scope, WorkingYear};
use crate::model::{Draws, Param, Team};

/// How learning and scale is named in results.
pub(crate) const ABOUT: About = About {
    id: "learning_and_scale",
    label: "learning and scale",
    heading: "Learning & scale",
};

/// Effort multiple of a new team's first transactions: half as long again as
/// trained staff. Assumption; newly recruited staff lacking knowledge were a
/// main cause of WHO's service delays (JIU/REP/2009/6 paras 93-96).
pub(crate) const INITIAL_EFFORT_FACTOR: f64 = 1.5;

/// Effort left after each doubling of experience: 0.85, within the 0.7–0.9
/// range of progress ratios surveyed by Dutton and Thomas (1984, Academy of
/// Management Review 9(2)), towards the slow end for clerical work. Assumption.
pub(crate) const LEARNING_RATE: f64 = 0.85;

/// Experience, in FTE-years of standard work, that makes a new team's first
/// doubling: with the defaults above, a team reaches trained speed after
/// about 23 FTE-years of work — a 20-FTE team in just over a year, a 5-FTE
/// team in four and a half. Assumption.
pub(crate) const REFERENCE_EXPERIENCE_FTE_YEARS: f64 = 5.0;

/// Elasticity of effort to team size: 3.4% less effort per doubling of the
/// team (specialisation). Assumption.
pub(crate) const SCALE_ELASTICITY: f64 = 0.05;

/// Team size at which the scale factor is 1. Assumption.
pub(crate) const REFERENCE_TEAM_FTE: f64 = 10.0;

/// Effort per transaction as a multiple of the trained standard falls with a
/// team's experience, and with its size.
#[derive(Clone, Debug)]
pub struct Learning {
    /// Effort multiple of a new team's first transactions (1 = no learning).
    pub initial_effort_factor: Param,
    /// Multiple of effort left after each doubling of experience (0.85 = 15% less).
    pub learning_rate: Param,
    /// Experience, in FTE-years of standard work, that makes the first doubling.
    pub reference_experience_fte_years: Param,
    /// Elasticity of effort to team size: effort ∝ (team FTE / reference)^(−ε).
    pub scale_elasticity: Param,
    /// Team size at which the scale factor is 1.
    pub reference_team_fte: Param,
}

impl Learning {
    /// Effort multiple of a new team with `experience_fte_years` of standard
    /// work behind it: `max(1, f0 · rate^log2(1 + experience / reference))` —
    /// the initial multiple falls by the learning rate with each doubling of
    /// experience, down to the trained standard.
    pub(crate) fn effort_factor(&self, draws: &Draws, experience_fte_years: f64) -> f64 {
        let initial = draws.value(self.initial_effort_factor);
        let rate = draws.value(self.learning_rate);
        let reference = draws.value(self.reference_experience_fte_years);
        let doublings = (1.0 + experience_fte_years / reference).log2();
        (initial * rate.powf(doublings)).max(1.0)
    }

    /// The experience, in FTE-years of standard work, at which a new team
    /// reaches the trained standard: `ref · (2^(ln f0 / −ln rate) − 1)`,
    /// where `f0 · rate^log2(1 + x / ref) = 1`; 0 when there is nothing to
    /// learn, infinite when the curve never gets there.
    pub(crate) fn trained_experience_fte_years(&self, draws: &Draws) -> f64 {
        let initial = draws.value(self.initial_effort_factor);
        let rate = draws.value(self.learning_rate);
        if initial <= 1.0 {
            return 0.0;
        }
        if rate >= 1.0 {
            return f64::INFINITY;
        }
        let doublings = initial.ln() / -rate.ln();
        draws.value(self.reference_experience_fte_years) * (doublings.exp2() - 1.0)
    }

    /// Effort multiple of a team with `experience_fte_years` of its own
    /// work, a `trained_share` of whose staff were trained before it
    /// started: they bring that share of the experience a new team needs
    /// to reach the standard. No trained staff: [`Self::effort_factor`] to
    /// the bit; all trained: the standard.
    pub(crate) fn effort_factor_with_trained(
        &self,
        draws: &Draws,
        experience_fte_years: f64,
        trained_share: f64,
    ) -> f64 {
        if trained_share >= 1.0 {
            return 1.0;
        }
        if trained_share <= 0.0 {
            return self.effort_factor(draws, experience_fte_years);
        }
        let brought = trained_share * self.trained_experience_fte_years(draws);
        self.effort_factor(draws, experience_fte_years + brought)
    }

    /// The scale effect in one replication.
    pub fn scale(&self, draws: &Draws) -> Scale {
        Scale {
            elasticity: draws.value(self.scale_elasticity),
            reference_team_fte: draws.value(self.reference_team_fte),
        }
    }
}

/// Effort per transaction falling with team size: `(FTE / ref)^(−ε)`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Scale {
    /// The elasticity ε.
    pub elasticity: f64,
    /// The team size `ref` at which the factor is 1.
    pub reference_team_fte: f64,
}

impl Scale {
    /// The FTE that deliver what `standard_fte` deliver at the reference
    /// size's effort: effort depends on the team's size, so they solve
    /// `FTE = ref·(FTE₀/ref)^(1/(1+ε))`.
    pub(crate) fn fte_for(self, standard_fte: f64) -> f64 {
        if standard_fte > 0.0 {
            let reference = self.reference_team_fte;
            reference * (standard_fte / reference).powf(1.0 / (1.0 + self.elasticity))
        } else {
            standard_fte
        }
    }

    /// The effort multiple of a team of `processing_fte`.
    pub(crate) fn effort_factor(self, processing_fte: f64) -> f64 {
        (processing_fte / self.reference_team_fte).powf(-self.elasticity)
    }
}

/// The share of a moving team's staff in `year` trained in its work before
/// it starts, by its members' shares of its transactions: a host agency's
/// (headquarters where an existing centre is) own staff, all of it; another
/// member's, the share of its headquarters staff who move with the work. 0
/// for a team whose work does not move: it is trained or new as its centre
/// is.
fn trained_share(scope: &Scope, team: &Team, year: u32) -> f64 {
    if !team.moves {
        return 0.0;
    }
    let transferred = scope.staff_transfer_share();
    let (mut trained, mut total) = (0.0, 0.0);
    for &a in &team.members {
        let Some(volume) = scope.member_transactions(a, year) else {
            continue;
        };
        let share = if scope.member_at_home(a) {
            1.0
        } else {
            transferred
        };
        trained += volume * share;
        total += volume;
    }
    if total > 0.0 { trained / total } else { 0.0 }
}

/// Learning (for a new centre's team) and scale, for one team.
struct LearningAndScale<'a> {
    learning: &'a Learning,
    scope: Scope<'a>,
    team: &'a Team,
    /// A team of an existing centre is trained already.
    experienced: bool,
    scale: Scale,
}

impl Effect for LearningAndScale<'_> {
    fn effort_factor(&self, year: &WorkingYear) -> f64 {
        if self.experienced {
            1.0
        } else {
            (self.learning).effort_factor_with_trained(
                self.scope.draws,
                year.experience_fte_years,
                trained_share(&self.scope, self.team, year.year),
            )
        }
    }

    fn planned_fte(&self, standard_fte: f64) -> f64 {
        self.scale.fte_for(standard_fte)
    }

    fn size_effort_factor(&self, processing_fte: f64) -> f64 {
        self.scale.effort_factor(processing_fte)
    }

    /// Whether the centre is experienced, whether the work moves, and
    /// which members' own staff are at the centre decide who is trained.
    fn staffing_key(&self, bits: &mut Vec<u64>) {
        bits.extend([u64::from(self.experienced), u64::from(self.team.moves)]);
        (bits).extend((self.team.members.iter()).map(|&a| u64::from(self.scope.member_at_home(a))));
    }
}

/// On every team, when the scenario has its table.
pub fn effect<'a>(learning: &'a Learning, scope: &Scope<'a>) -> Option<Box<dyn Effect + 'a>> {
    Some(Box::new(LearningAndScale {
        learning,
        scope: *scope,
        team: scope.team?,
        experienced: scope.centre.existing,
        scale: learning.scale(scope.draws),
    }))
}

/// When the scenario has its table.
pub fn changes_team(learning: Option<&Learning>, _member_count: usize) -> bool {
    learning.is_some()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Centre, Scenario};

    fn learning(initial: f64, rate: f64, reference: f64) -> Learning {
        Learning {
            initial_effort_factor: Param::Fixed(initial),
            learning_rate: Param::Fixed(rate),
            reference_experience_fte_years: Param::Fixed(reference),
            scale_elasticity: Param::Fixed(0.0),
            reference_team_fte: Param::Fixed(1.0),
        }
    }

    #[test]
    fn learning_falls_by_the_rate_per_doubling_down_to_the_standard() {
        let l = learning(1.6, 0.8, 10.0);
        let draws = Draws::default();
        assert_eq!(l.effort_factor(&draws, 0.0), 1.6);
        // 10 FTE-years: one doubling → 1.6 × 0.8.
        assert!((l.effort_factor(&draws, 10.0) - 1.28).abs() < 1e-12);
        // 30: two doublings → 1.6 × 0.64 = 1.024.
        assert!((l.effort_factor(&draws, 30.0) - 1.024).abs() < 1e-12);
        // 70: three doublings → 0.8192, floored at 1.
        assert_eq!(l.effort_factor(&draws, 70.0), 1.0);
    }

    #[test]
    fn trained_staff_bring_their_share_of_the_experience_that_makes_a_team_trained() {
        let l = learning(1.6, 0.8, 10.0);
        let draws = Draws::default();
        // 1.6 · 0.8^d = 1 at d = ln 1.6 / −ln 0.8 = 2.1063…; x = 10 · (2^d − 1).
        let d = 1.6f64.ln() / -(0.8f64.ln());
        let trained = 10.0 * (2f64.powf(d) - 1.0);
        assert!((l.trained_experience_fte_years(&draws) - trained).abs() < 1e-12);
        assert!((trained - 33.0).abs() < 0.1, "{trained}");
        // All trained: the standard from the first day; none: the curve, to the bit.
        assert_eq!(l.effort_factor_with_trained(&draws, 0.0, 1.0), 1.0);
        for x in [0.0, 3.0, 10.0] {
            assert_eq!(
                l.effort_factor_with_trained(&draws, x, 0.0).to_bits(),
                l.effort_factor(&draws, x).to_bits()
            );
        }
        // Half trained, 10 FTE-years of its own: 1.6 · 0.8^log2(1 + (10 + x/2)/10).
        let half = 1.6 * 0.8f64.powf((1.0 + (10.0 + trained / 2.0) / 10.0).log2());
        assert!((l.effort_factor_with_trained(&draws, 10.0, 0.5) - half).abs() < 1e-12);
        // Nothing to learn: nothing brought.
        assert_eq!(
            learning(1.0, 0.8, 10.0).trained_experience_fte_years(&draws),
            0.0
        );
    }

    #[test]
    fn a_scaled_team_delivers_what_its_standard_staff_would() {
        let scale = Scale {
            elasticity: 0.25,
            reference_team_fte: 10.0,
        };
        // 40 standard FTE: 10 × 4^(1/1.25) = 30.314…; at that size each does
        // (30.314/10)^0.25 = 1.3195 times the standard, 40 FTE's worth.
        let fte = scale.fte_for(40.0);
        assert!((fte - 10.0 * 4f64.powf(0.8)).abs() < 1e-12);
        assert!((fte / scale.effort_factor(fte) - 40.0).abs() < 1e-9);
        assert_eq!(scale.effort_factor(10.0), 1.0);
        assert_eq!(scale.fte_for(0.0), 0.0);
    }

    /// The hand-computed fixture (agency `a`, 120 claims in year 0 growing
    /// by half a year, headquarters `hq`) with a second agency `b` of 40
    /// claims a year whose headquarters are `offshore`, where their centre
    /// is, and a quarter of headquarters staff moving with the work.
    fn two_agencies() -> Scenario {
        let text = include_str!("../../../tests/fixtures/hand-computed.toml").replace(
            "agencies = [\"agency_a\"]",
            "agencies = [\"agency_a\", \"agency_b\"]",
        ) + "[[agency]]\nid = \"agency_b\"\nhq_location = \"offshore\"\n\
               [agency.service_line.claims]\nannual_volume = 40\narrivals = \"deterministic\"\n\
               hq_staff_fte = { GS = 1 }\n\
               [transition]\nstaff_transfer_share = 0.25\n";
        crate::scenario::parse("two-agencies.toml", &text).expect("a valid scenario")
    }

    /// The fixture's offshore centre serving both agencies, `existing` or
    /// new, its team's work moving or not.
    fn centre_of_both(scenario: &Scenario, existing: bool, moves: bool) -> Centre {
        let mut centre = scenario.strategies[1].centres[0].clone();
        centre.existing = existing;
        centre.teams[0].members = vec![0, 1];
        centre.teams[0].moves = moves;
        centre
    }

    #[test]
    fn movers_and_a_host_s_own_staff_are_the_trained_share_of_a_moving_team() {
        let scenario = two_agencies();
        let draws = Draws::default();
        let share = |existing, moves, year| {
            let centre = centre_of_both(&scenario, existing, moves);
            let scope = Scope::team(&scenario, &draws, &centre, &centre.teams[0]);
            trained_share(&scope, &centre.teams[0], year)
        };
        // Existing centre at b's headquarters: b's own staff all trained, a
        // quarter of a's. Year 0: (120 · 0.25 + 40 · 1) / 160 = 70 / 160.
        assert_eq!(share(true, true, 0), 70.0 / 160.0);
        // Year 1: a has 180 claims: (45 + 40) / 220.
        assert!((share(true, true, 1) - 85.0 / 220.0).abs() < 1e-15);
        // A new centre: no host; only movers, a quarter of each.
        assert!((share(false, true, 0) - 0.25).abs() < 1e-15);
        // Work that does not move brings no one.
        assert_eq!(share(true, false, 0), 0.0);
    }

    #[test]
    fn a_new_team_s_learning_starts_from_what_its_movers_bring() {
        let scenario = two_agencies();
        let draws = Draws::default();
        let learning = learning(1.5, 0.85, 5.0);
        let year = WorkingYear {
            year: 0,
            experience_fte_years: 2.0,
            go_live_month: 0.0,
        };
        let factor = |existing, moves| {
            let centre = centre_of_both(&scenario, existing, moves);
            let scope = Scope::team(&scenario, &draws, &centre, &centre.teams[0]);
            effect(&learning, &scope)
                .expect("on a team")
                .effort_factor(&year)
        };
        // New centre, moving work: a quarter trained — (120·0.25 + 40·0.25)/160.
        let quarter = (120.0 * 0.25 + 40.0 * 0.25) / 160.0;
        assert_eq!(
            factor(false, true),
            learning.effort_factor_with_trained(&draws, 2.0, quarter)
        );
        assert!(factor(false, true) < factor(false, false));
        // Work that stays: the plain curve; an existing centre: trained.
        assert_eq!(factor(false, false), learning.effort_factor(&draws, 2.0));
        assert_eq!(factor(true, true), 1.0);
    }

    #[test]
    fn the_staffing_key_holds_what_decides_who_is_trained() {
        let scenario = two_agencies();
        let draws = Draws::default();
        let learning = learning(1.5, 0.85, 5.0);
        let key = |existing, moves, location| {
            let mut centre = centre_of_both(&scenario, existing, moves);
            centre.location = location;
            let scope = Scope::team(&scenario, &draws, &centre, &centre.teams[0]);
            let mut bits = Vec::new();
            effect(&learning, &scope)
                .expect("on a team")
                .staffing_key(&mut bits);
            bits
        };
        // Experienced, moving, then which member is at home: b offshore (1).
        assert_eq!(key(true, true, 1), [1, 1, 0, 1]);
        assert_eq!(key(true, true, 0), [1, 1, 1, 0]);
        assert_eq!(key(false, true, 1), [0, 1, 0, 0]);
        assert_eq!(key(false, false, 1), [0, 0, 0, 0]);
    }
}
