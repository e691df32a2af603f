//! The mechanisms through which a centre's size changes its cost (see the
//! README, "The model"), gathered in one registry so that everything that
//! lists them — the switches, the Shapley decomposition,
//! `decomposition.csv`, the printed tables, the workbook and the report —
//! iterates over whatever is registered.
//!
//! Each mechanism is one file here: its parameters, their documented
//! defaults (with their source), and its effect on a centre's or a team's
//! effort, staff or cost as an [`Effect`] — one trait whose hooks all
//! default to "no effect", so a mechanism implements only what it changes.
//! The centre planner (`sim::plan`, `sim::centre`) never names a mechanism:
//! it asks for the [`Effects`] switched on for a centre or a team and
//! combines them in registry order. Its `[mechanisms.<id>]` table is read by
//! `scenario::mechanisms::<id>`, which keeps the parser's types out of the
//! model. Adding a mechanism is a file here, its line in `registry!` below
//! and its field in [`Mechanisms`], and its table there.

pub mod fixed_overhead;
pub mod harmonisation;
pub mod learning_and_scale;
pub mod span_of_control;
pub mod variance_pooling;

pub use harmonisation::Harmonisation;
pub use learning_and_scale::Learning;
pub use span_of_control::SpanOfControl;

mod effect;

pub use effect::{About, Effect, Scope, WorkingYear};

use super::{ByGrade, Overhead};

/// Declares [`Mechanism`] with one variant per registered mechanism, in
/// reporting order, where each variant's file is, and — in parentheses — its
/// table's field in [`Mechanisms`], if it has one.
macro_rules! registry {
    (@effect $module:ident $mechanisms:ident $scope:ident) => {
        $module::effect($scope)
    };
    (@effect $module:ident $mechanisms:ident $scope:ident $field:ident) => {
        $module::effect($mechanisms.$field.as_ref()?, $scope)
    };
    (@changes_team $module:ident $mechanisms:ident $members:ident) => {
        $module::changes_team($members)
    };
    (@changes_team $module:ident $mechanisms:ident $members:ident $field:ident) => {
        $module::changes_team($mechanisms.$field.as_ref(), $members)
    };
    ($($(#[$doc:meta])* $variant:ident => $module:ident $(($field:ident))?,)+) => {
        /// A mechanism of economies (or diseconomies) of scale.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum Mechanism {
            $($(#[$doc])* $variant,)+
        }

        impl Mechanism {
            /// All mechanisms, in reporting order.
            pub const ALL: [Mechanism; [$(Mechanism::$variant),+].len()] =
                [$(Mechanism::$variant),+];

            /// What the mechanism's file says about it.
            fn about(self) -> &'static About {
                match self {
                    $(Mechanism::$variant => &$module::ABOUT,)+
                }
            }

            /// The mechanism's effect on what `scope` is, if it has one:
            /// a mechanism with a table in `mechanisms` is handed its own.
            fn effect<'a>(
                self,
                mechanisms: &'a Mechanisms,
                scope: &Scope<'a>,
            ) -> Option<Box<dyn Effect + 'a>> {
                match self {
                    $(Mechanism::$variant => registry!(@effect $module mechanisms scope $($field)?),)+
                }
            }

            /// Whether switching the mechanism can change the staffing of
            /// a team of `member_count` agencies, under `mechanisms`.
            pub(crate) fn changes_team(self, mechanisms: &Mechanisms, member_count: usize) -> bool {
                match self {
                    $(Mechanism::$variant => {
                        registry!(@changes_team $module mechanisms member_count $($field)?)
                    })+
                }
            }
        }
    };
}

registry! {
    /// Director, management and support staff of each centre; site set-up
    /// and running costs; each centre's fixed costs.
    FixedOverhead => fixed_overhead,
    /// Planning buffers computed on a team's combined demand.
    VariancePooling => variance_pooling,
    /// Effort falling with cumulative experience and with team size.
    LearningAndScale => learning_and_scale(learning),
    /// Supervisors per processing staff, at least one per team; optionally
    /// whole people only.
    SpanOfControl => span_of_control(span_of_control),
    /// Slower work for a team serving several agencies' rule sets, and the
    /// project that harmonises them.
    Harmonisation => harmonisation(harmonisation),
}

/// Number of registered mechanisms.
pub(crate) const MECHANISM_COUNT: usize = Mechanism::ALL.len();

/// Number of combinations of mechanisms on and off: `2^MECHANISM_COUNT`.
pub(crate) const SWITCH_SUBSETS: usize = 1 << MECHANISM_COUNT;

impl Mechanism {
    /// Name in CSV files.
    pub fn id(self) -> &'static str {
        self.about().id
    }

    /// Name in printed tables.
    pub(crate) fn label(self) -> &'static str {
        self.about().label
    }

    /// Name in the report's headings and charts.
    pub(crate) fn heading(self) -> &'static str {
        self.about().heading
    }

    /// The mechanism whose CSV name is `id`.
    pub(crate) fn from_id(id: &str) -> Option<Mechanism> {
        Mechanism::ALL.into_iter().find(|m| m.id() == id)
    }

    fn bit(self) -> u32 {
        1 << (self as u32)
    }
}

/// Which mechanisms are in effect: bit `i` is `Mechanism::ALL[i]`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Switches(u32);

// The switches' bits hold every registered mechanism.
const _: () = assert!(MECHANISM_COUNT < u32::BITS as usize);

impl Switches {
    /// Every mechanism in effect: how strategies are normally evaluated.
    pub(crate) const ALL_ON: Switches = Switches((SWITCH_SUBSETS - 1) as u32);
    /// No mechanism in effect.
    pub(crate) const ALL_OFF: Switches = Switches(0);

    /// Whether `mechanism` is in effect.
    pub(crate) fn is_on(self, mechanism: Mechanism) -> bool {
        self.0 & mechanism.bit() != 0
    }

    /// These switches with `mechanism` turned on.
    pub(crate) fn with(self, mechanism: Mechanism) -> Switches {
        Switches(self.0 | mechanism.bit())
    }

    /// The switches whose on-mechanisms are the bits of `subset` (bit `i` is
    /// `Mechanism::ALL[i]`), for `subset` in `0..SWITCH_SUBSETS`.
    pub(crate) fn from_subset(subset: usize) -> Switches {
        Switches((subset & (SWITCH_SUBSETS - 1)) as u32)
    }

    /// Number of mechanisms on.
    pub fn count(self) -> u32 {
        self.0.count_ones()
    }

    /// The inverse of [`Switches::from_subset`]: a number in `0..SWITCH_SUBSETS`.
    pub(crate) fn subset(self) -> usize {
        self.0 as usize
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
    pub(crate) fn or(self, other: Switches) -> Switches {
        Switches(self.0 | other.0)
    }
}

/// The parameters of the mechanisms. Fixed overhead and variance pooling are
/// part of every scenario; learning and scale, span of control and
/// harmonisation apply when their table is in the scenario.
#[derive(Clone, Debug, Default)]
pub struct Mechanisms {
    /// Management and support staff of a new centre, unless the centre
    /// says otherwise.
    pub centre_overhead: Overhead,
    /// Learning curve and scale elasticity.
    pub learning: Option<Learning>,
    /// Supervision of processing staff.
    pub span_of_control: Option<SpanOfControl>,
    /// The cost of serving several rule sets from one team.
    pub harmonisation: Option<Harmonisation>,
}

/// The effects of the mechanisms switched on, for one centre or team, in
/// registry order: built once per plan, then asked every year.
pub struct Effects<'a>(Vec<Box<dyn Effect + 'a>>);

impl<'a> Effects<'a> {
    /// The effects on `scope` of the mechanisms on in `switches`, with the
    /// parameters in `mechanisms`.
    pub fn of(mechanisms: &'a Mechanisms, scope: &Scope<'a>, switches: Switches) -> Self {
        Effects(
            Mechanism::ALL
                .into_iter()
                .filter(|&m| switches.is_on(m))
                .filter_map(|m| m.effect(mechanisms, scope))
                .collect(),
        )
    }

    #[cfg(test)]
    /// These effects, in this order.
    pub(crate) fn from_list(effects: Vec<Box<dyn Effect + 'a>>) -> Self {
        Effects(effects)
    }

    /// `pooled`, the requirement planned on the members' combined demand,
    /// if some effect pools demand; otherwise `separate`, the sum of what
    /// each member needs alone.
    pub(crate) fn planned_on<T>(&self, pooled: T, separate: T) -> T {
        if self.pools_demand() {
            pooled
        } else {
            separate
        }
    }

    /// Whether the team is planned on its members' combined demand.
    pub(crate) fn pools_demand(&self) -> bool {
        self.0.iter().any(|e| e.pools_demand())
    }

    /// Minutes per transaction in `year`: the standard times every effect's
    /// factor, in registry order.
    pub(crate) fn effort_minutes(&self, standard_effort_minutes: f64, year: &WorkingYear) -> f64 {
        (self.0.iter()).fold(standard_effort_minutes, |effort, e| {
            effort * e.effort_factor(year)
        })
    }

    /// The team's spending on its mechanisms in `year`, USD.
    pub(crate) fn year_cost_usd(&self, year: &WorkingYear) -> f64 {
        sum(self.0.iter().filter_map(|e| e.year_cost_usd(year)))
    }

    /// Processing FTE for the work of `standard_fte` at the standard
    /// effort: each effect's size adjustment, then whole people if any
    /// effect asks for them.
    pub(crate) fn planned_fte(&self, standard_fte: f64) -> f64 {
        let fte = (self.0.iter()).fold(standard_fte, |fte, e| e.planned_fte(fte));
        self.rounded(fte)
    }

    /// `fte` in whole people if some effect asks for them.
    pub(crate) fn rounded(&self, fte: f64) -> f64 {
        if self.whole_people() {
            span_of_control::whole_people(fte)
        } else {
            fte
        }
    }

    /// Multiple of the effort per transaction of a team of `processing_fte`.
    pub(crate) fn size_effort_factor(&self, processing_fte: f64) -> f64 {
        (self.0.iter()).fold(1.0, |factor, e| {
            factor * e.size_effort_factor(processing_fte)
        })
    }

    /// Whether staff come in whole people only.
    pub(crate) fn whole_people(&self) -> bool {
        self.0.iter().any(|e| e.whole_people())
    }

    /// Each effect's supervisors of a team of `processing_fte`, with their
    /// grade shares.
    pub(crate) fn supervisors(
        &self,
        processing_fte: f64,
    ) -> impl Iterator<Item = (f64, &ByGrade<f64>)> {
        self.0
            .iter()
            .filter_map(move |e| e.supervisors(processing_fte))
    }

    /// The centre's overhead staff by grade in a year when it has
    /// `staff_fte` processing and supervision staff (none without an effect
    /// giving any).
    pub(crate) fn overhead_fte(&self, staff_fte: f64) -> ByGrade<f64> {
        (self.0.iter().filter_map(|e| e.overhead_fte(staff_fte)))
            .reduce(|a, b| ByGrade::from_fn(|g| a[g] + b[g]))
            .unwrap_or_default()
    }

    /// The centre's fixed costs per year, USD.
    pub(crate) fn fixed_cost_usd_per_year(&self) -> f64 {
        sum(self.0.iter().filter_map(|e| e.fixed_cost_usd_per_year()))
    }

    /// Whether a migrating centre pays a dedicated project team.
    pub(crate) fn runs_project_team(&self) -> bool {
        self.0.iter().any(|e| e.runs_project_team())
    }

    /// Whether the centre's new site costs its set-up and running costs.
    pub(crate) fn carries_site_costs(&self) -> bool {
        self.0.iter().any(|e| e.carries_site_costs())
    }
}

/// The mechanisms with an effect on `scope`, whatever their switches: for a
/// centre as a whole, those whose switch changes its plan whatever its
/// teams (its overhead, fixed and site costs).
pub(crate) fn mechanisms_acting_on(mechanisms: &Mechanisms, scope: &Scope) -> Switches {
    (Mechanism::ALL.into_iter())
        .filter(|m| m.effect(mechanisms, scope).is_some())
        .fold(Switches::ALL_OFF, Switches::with)
}

/// The sum of `values`, 0 for none: one value is returned as it is (a fold
/// from 0 would turn −0 into 0, and `Iterator::sum` starts from −0).
fn sum(values: impl Iterator<Item = f64>) -> f64 {
    values.reduce(|a, b| a + b).unwrap_or(0.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Draws;
    use std::collections::HashSet;

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

    #[test]
    fn every_registered_mechanism_has_a_unique_id_a_label_and_a_heading() {
        let ids: HashSet<&str> = Mechanism::ALL.iter().map(|m| m.id()).collect();
        assert_eq!(ids.len(), MECHANISM_COUNT);
        for m in Mechanism::ALL {
            assert!(!m.label().is_empty() && !m.heading().is_empty(), "{m:?}");
            assert_eq!(Mechanism::from_id(m.id()), Some(m));
            // CSV names are snake_case words: they name columns and tables.
            assert!(m.id().chars().all(|c| c.is_ascii_lowercase() || c == '_'));
        }
        assert_eq!(Mechanism::from_id("other"), None);
    }

    /// A mechanism as a new one would be written: it implements only the
    /// hooks it changes.
    struct Toy {
        effort_factor: f64,
        size_share: f64,
        cost_usd: f64,
        mix: ByGrade<f64>,
    }

    impl Effect for Toy {
        fn effort_factor(&self, year: &WorkingYear) -> f64 {
            self.effort_factor + f64::from(year.year)
        }

        fn year_cost_usd(&self, _year: &WorkingYear) -> Option<f64> {
            Some(self.cost_usd)
        }

        fn planned_fte(&self, standard_fte: f64) -> f64 {
            standard_fte * self.size_share
        }

        fn size_effort_factor(&self, processing_fte: f64) -> f64 {
            processing_fte / 10.0
        }

        fn supervisors(&self, processing_fte: f64) -> Option<(f64, &ByGrade<f64>)> {
            Some((processing_fte / 4.0, &self.mix))
        }
    }

    fn toy(effort_factor: f64, size_share: f64, cost_usd: f64) -> Box<dyn Effect> {
        Box::new(Toy {
            effort_factor,
            size_share,
            cost_usd,
            mix: ByGrade([1.0, 0.0, 0.0, 0.0, 0.0]),
        })
    }

    /// Whole people only, and nothing else.
    struct Whole;

    impl Effect for Whole {
        fn whole_people(&self) -> bool {
            true
        }
    }

    #[test]
    fn a_new_mechanism_s_effect_reaches_the_planner_s_arithmetic_through_the_trait() {
        let year = WorkingYear {
            year: 1,
            experience_fte_years: 0.0,
            ..WorkingYear::default()
        };
        let effects = Effects::from_list(vec![toy(1.0, 0.5, 30.0), toy(0.5, 0.8, 12.5)]);
        // Effort: 10 min × (1 + 1) × (0.5 + 1) = 30 min.
        assert_eq!(effects.effort_minutes(10.0, &year), 30.0);
        // Costs add: 30 + 12.5.
        assert_eq!(effects.year_cost_usd(&year), 42.5);
        // Size: 10 FTE × 0.5 × 0.8 = 4; the size factors multiply: 2 FTE
        // work at (2/10)² = 0.04 of the standard effort.
        assert_eq!(effects.planned_fte(10.0), 4.0);
        assert!((effects.size_effort_factor(2.0) - 0.04).abs() < 1e-15);
        // Each effect's supervisors: 8 / 4 twice.
        let supervisors: Vec<f64> = effects.supervisors(8.0).map(|(n, _)| n).collect();
        assert_eq!(supervisors, [2.0, 2.0]);
        assert!(!effects.whole_people() && !effects.pools_demand());
        assert_eq!(effects.planned_on("pooled", "separate"), "separate");
        // A team's effects give a centre no overhead.
        assert_eq!(effects.overhead_fte(100.0), ByGrade::default());
        assert_eq!(effects.fixed_cost_usd_per_year(), 0.0);
        assert!(!effects.runs_project_team());

        // Whole people round the sized staff up, desks' staff too.
        let whole = Effects::from_list(vec![toy(1.0, 0.5, 0.0), Box::new(Whole)]);
        assert_eq!(whole.planned_fte(5.0), 3.0);
        assert_eq!(whole.rounded(2.2), 3.0);
    }

    #[test]
    fn no_effect_leaves_the_standard_to_the_bit() {
        let none = Effects::from_list(Vec::new());
        let year = WorkingYear {
            year: 3,
            experience_fte_years: 7.0,
            ..WorkingYear::default()
        };
        assert_eq!(none.effort_minutes(0.1, &year).to_bits(), 0.1f64.to_bits());
        assert_eq!(none.planned_fte(2.7).to_bits(), 2.7f64.to_bits());
        assert_eq!(none.size_effort_factor(3.0), 1.0);
        // No cost is +0, not the −0 that `Iterator::sum` starts from.
        assert!(none.year_cost_usd(&year).is_sign_positive());
        assert_eq!(none.supervisors(5.0).count(), 0);
    }

    #[test]
    fn every_mechanism_that_changes_a_team_reaches_its_plan_as_an_effect() {
        let scenario = crate::scenario::default_scenario();
        let draws = Draws::default();
        let (centre, team) = (scenario.strategies.iter())
            .flat_map(|s| &s.centres)
            .flat_map(|c| c.teams.iter().map(move |t| (c, t)))
            .find(|(_, t)| t.members.len() > 1)
            .expect("a team of several agencies");
        let mechanisms = &scenario.mechanisms;
        let team_scope = Scope {
            draws: &draws,
            centre,
            team: Some(team),
        };
        let centre_scope = Scope {
            team: None,
            ..team_scope
        };
        for m in Mechanism::ALL {
            let alone = Switches::ALL_OFF.with(m);
            let on_team = Effects::of(mechanisms, &team_scope, alone).0.len();
            let on_centre = Effects::of(mechanisms, &centre_scope, alone).0.len();
            let changes_team = m.changes_team(mechanisms, team.members.len());
            assert_eq!(on_team, usize::from(changes_team), "{m:?} on a team");
            // What does not change a team is the centre's.
            assert_eq!(on_centre, usize::from(!changes_team), "{m:?} on the centre");
        }
        assert_eq!(
            Effects::of(mechanisms, &team_scope, Switches::ALL_OFF)
                .0
                .len(),
            0
        );
        let all = Effects::of(mechanisms, &centre_scope, Switches::ALL_ON);
        assert!(all.runs_project_team() && all.overhead_fte(100.0).total() > 0.0);
    }

    #[test]
    fn all_on_turns_on_exactly_the_registered_mechanisms() {
        assert_eq!(Switches::ALL_ON.count() as usize, MECHANISM_COUNT);
        assert!(Mechanism::ALL.iter().all(|&m| Switches::ALL_ON.is_on(m)));
        assert_eq!(Switches::ALL_ON.subset(), SWITCH_SUBSETS - 1);
    }
}
