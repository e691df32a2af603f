//! The five mechanisms through which a centre's size changes its cost
//! (DESIGN §2), their parameters, and switches that turn each on or off so
//! the gap between fragmented and pooled strategies can be attributed to them.

use super::{ByGrade, Param};

/// A mechanism of economies (or diseconomies) of scale.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Mechanism {
    /// Director, management and support staff of each centre; site set-up
    /// and running costs; each centre's fixed costs.
    FixedOverhead,
    /// Planning buffers computed on a team's combined demand.
    VariancePooling,
    /// Effort falling with cumulative experience and with team size.
    LearningAndScale,
    /// Supervisors per processing staff, at least one per team; optionally
    /// whole people only.
    SpanOfControl,
    /// Slower work for a team serving several agencies' rule sets, and the
    /// project that harmonises them.
    Harmonisation,
}

impl Mechanism {
    /// All mechanisms, in reporting order.
    pub const ALL: [Mechanism; 5] = [
        Mechanism::FixedOverhead,
        Mechanism::VariancePooling,
        Mechanism::LearningAndScale,
        Mechanism::SpanOfControl,
        Mechanism::Harmonisation,
    ];

    /// Name in CSV files.
    pub fn id(self) -> &'static str {
        match self {
            Mechanism::FixedOverhead => "fixed_overhead",
            Mechanism::VariancePooling => "variance_pooling",
            Mechanism::LearningAndScale => "learning_and_scale",
            Mechanism::SpanOfControl => "span_of_control",
            Mechanism::Harmonisation => "harmonisation",
        }
    }

    /// Name in printed tables.
    pub fn label(self) -> &'static str {
        match self {
            Mechanism::FixedOverhead => "fixed overhead",
            Mechanism::VariancePooling => "variance pooling",
            Mechanism::LearningAndScale => "learning and scale",
            Mechanism::SpanOfControl => "span of control",
            Mechanism::Harmonisation => "harmonisation",
        }
    }

    fn bit(self) -> u8 {
        1 << (self as u8)
    }
}

/// Which mechanisms are in effect.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Switches(u8);

impl Switches {
    /// Every mechanism in effect: how strategies are normally evaluated.
    pub const ALL_ON: Switches = Switches(0b1_1111);
    /// No mechanism in effect.
    pub const ALL_OFF: Switches = Switches(0);

    /// Whether `mechanism` is in effect.
    pub fn is_on(self, mechanism: Mechanism) -> bool {
        self.0 & mechanism.bit() != 0
    }

    /// These switches with `mechanism` turned on.
    pub fn with(self, mechanism: Mechanism) -> Switches {
        Switches(self.0 | mechanism.bit())
    }

    /// The switches whose on-mechanisms are the bits of `subset` (bit `i` is
    /// `Mechanism::ALL[i]`), for `subset` in `0..32`.
    pub fn from_subset(subset: usize) -> Switches {
        Switches((subset & 0b1_1111) as u8)
    }

    /// Number of mechanisms on.
    pub fn count(self) -> u32 {
        self.0.count_ones()
    }

    /// The inverse of [`Switches::from_subset`]: a number in `0..32`.
    pub fn subset(self) -> usize {
        usize::from(self.0)
    }

    /// These switches with `mechanism` turned off.
    pub fn without(self, mechanism: Mechanism) -> Switches {
        Switches(self.0 & !mechanism.bit())
    }

    /// The mechanisms on in both.
    pub fn and(self, other: Switches) -> Switches {
        Switches(self.0 & other.0)
    }

    /// The mechanisms on in either.
    pub fn or(self, other: Switches) -> Switches {
        Switches(self.0 | other.0)
    }
}

/// The parameters of the mechanisms. Fixed overhead and variance pooling are
/// part of every scenario; learning and scale, span of control and
/// harmonisation apply when their table is in the scenario.
#[derive(Clone, Debug, Default)]
pub struct Mechanisms {
    /// Overhead staff of a centre, by grade, unless the centre says otherwise.
    pub centre_overhead_staff_fte: ByGrade<Param>,
    /// Learning curve and scale elasticity.
    pub learning: Option<Learning>,
    /// Supervision of processing staff.
    pub span_of_control: Option<SpanOfControl>,
    /// The cost of serving several rule sets from one team.
    pub harmonisation: Option<Harmonisation>,
}

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

/// Supervisors and team leads on top of processing staff.
#[derive(Clone, Debug)]
pub struct SpanOfControl {
    /// Processing staff per supervisor.
    pub staff_per_supervisor: Param,
    /// Supervisors every team has, however small (a team lead).
    pub minimum_supervisors_per_team: f64,
    /// Grades of supervisors, shares summing to 1.
    pub supervisor_grade_mix: ByGrade<f64>,
    /// Whole people only: processing staff and supervisors rounded up.
    pub integer_staffing: bool,
}

/// Slower processing of a team serving several agencies' rules and systems.
#[derive(Clone, Debug)]
pub struct Harmonisation {
    /// Extra effort per agency beyond the first (0.1 = +10% for each).
    pub penalty_per_additional_agency: Param,
    /// Cost of the harmonisation project of one team, per agency beyond the first, USD.
    pub project_cost_usd_per_additional_agency: Param,
    /// Years the project takes; its cost is spread evenly over them.
    pub project_years: u32,
    /// Share of the penalty left once the project is complete (1 = no project).
    pub remaining_penalty_share: Param,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn switches_enumerate_all_subsets() {
        assert_eq!(Switches::from_subset(0), Switches::ALL_OFF);
        assert_eq!(Switches::from_subset(31), Switches::ALL_ON);
        let s = Switches::ALL_OFF.with(Mechanism::SpanOfControl);
        assert!(s.is_on(Mechanism::SpanOfControl));
        assert!(!s.is_on(Mechanism::FixedOverhead));
        assert_eq!(s, Switches::from_subset(1 << 3));
        assert_eq!(Switches::ALL_ON.count(), 5);
        for subset in 0..32 {
            assert_eq!(Switches::from_subset(subset).subset(), subset);
        }
        let t = Switches::ALL_OFF.with(Mechanism::Harmonisation);
        assert_eq!(s.or(t).and(t), t);
        assert_eq!(s.and(t), Switches::ALL_OFF);
        assert_eq!(s.or(t).without(Mechanism::SpanOfControl), t);
    }
}
