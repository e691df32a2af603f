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
use crate::model::{Draws, Param};

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
    pub(crate) fn scale(&self, draws: &Draws) -> Scale {
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

/// Learning (for a new centre's team) and scale, for one team.
struct LearningAndScale<'a> {
    learning: &'a Learning,
    draws: &'a Draws,
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
                self.draws,
                year.experience_fte_years,
                year.trained_share,
            )
        }
    }

    fn planned_fte(&self, standard_fte: f64) -> f64 {
        self.scale.fte_for(standard_fte)
    }

    fn size_effort_factor(&self, processing_fte: f64) -> f64 {
        self.scale.effort_factor(processing_fte)
    }
}

/// On every team, when the scenario has its table.
pub(crate) fn effect<'a>(
    learning: &'a Learning,
    scope: &Scope<'a>,
) -> Option<Box<dyn Effect + 'a>> {
    scope.team?;
    Some(Box::new(LearningAndScale {
        learning,
        draws: scope.draws,
        experienced: scope.centre.existing,
        scale: learning.scale(scope.draws),
    }))
}

/// When the scenario has its table.
pub(crate) fn changes_team(learning: Option<&Learning>, _member_count: usize) -> bool {
    learning.is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
