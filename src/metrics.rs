//! The metrics reported for each strategy in each replication: the columns of
//! `replications.csv` and the rows of `summary.csv`. Names and units here are
//! the stable public contract documented in the README.

use thiserror::Error;

use crate::model::{Grade, OneOff, Scenario};
use crate::sim::StrategyOutcome;
use crate::sim::cost::npv_parts;

/// Defines [`Metric`], its column order, names and quantities in one place.
macro_rules! metrics {
    ($($(#[doc = $doc:literal])* $variant:ident => $name:literal ($quantity:ident),)*) => {
        /// A reported metric.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum Metric {
            $($(#[doc = $doc])* $variant,)*
        }

        impl Metric {
            /// All metrics, in column order.
            pub const ALL: [Metric; [$(Metric::$variant),*].len()] = [$(Metric::$variant),*];

            /// The column name in CSV files.
            pub const fn name(self) -> &'static str {
                match self {
                    $(Metric::$variant => $name,)*
                }
            }

            /// The metric whose column name is `name`, if any.
            pub(crate) fn named(name: &str) -> Option<Metric> {
                match name {
                    $($name => Some(Metric::$variant),)*
                    _ => None,
                }
            }

            /// What kind of number the metric is: its unit, and the values
            /// a run can give it.
            pub const fn quantity(self) -> Quantity {
                match self {
                    $(Metric::$variant => Quantity::$quantity,)*
                }
            }
        }
    };
}

metrics! {
    /// Net present value of every cost over the horizon, USD.
    NpvCostUsd => "npv_cost_usd" (Usd),
    /// Status quo NPV cost minus this strategy's, USD (same replication).
    NpvSavingsUsd => "npv_savings_usd" (Usd),
    /// 1 when the strategy's NPV cost is below the status quo's, else 0.
    CheaperThanStatusQuo => "cheaper_than_status_quo" (Indicator),
    /// This strategy's NPV cost minus the pooled strategy's, USD: for the
    /// fragmented strategy, the economies of scale lost.
    EconomiesOfScaleLostUsd => "economies_of_scale_lost_usd" (Usd),
    /// 1 when the pooled strategy's NPV cost is below this strategy's, else 0.
    PooledCheaper => "pooled_cheaper" (Indicator),
    /// NPV of staff costs, USD.
    StaffCostNpvUsd => "staff_cost_npv_usd" (Usd),
    /// NPV of premises costs, USD.
    PremisesCostNpvUsd => "premises_cost_npv_usd" (Usd),
    /// NPV of centre and site fixed running costs, USD.
    FixedCostNpvUsd => "fixed_cost_npv_usd" (Usd),
    /// NPV of harmonisation projects, USD.
    HarmonisationCostNpvUsd => "harmonisation_cost_npv_usd" (Usd),
    /// NPV of the move's one-off costs (double running, separation,
    /// recruitment and training, project team, clearing backlogs), USD.
    TransitionCostNpvUsd => "transition_cost_npv_usd" (Usd),
    /// Cost of opening new sites, undiscounted, USD.
    SetupCostUsd => "setup_cost_usd" (Usd),
    /// Every one-off cost — the move's, site set-up and harmonisation
    /// projects — undiscounted, USD: the sum of the `one_off_<kind>_usd`
    /// metrics below, added in their order.
    TransitionCostUsd => "transition_cost_usd" (Usd),
    /// Separation packages and redeployment of headquarters staff who do
    /// not move with the work, undiscounted, USD.
    OneOffSeparationUsd => "one_off_separation_usd" (Usd),
    /// Relocating headquarters staff who move with the work, undiscounted, USD.
    OneOffRelocationUsd => "one_off_relocation_usd" (Usd),
    /// Recruiting new staff, undiscounted, USD.
    OneOffRecruitmentUsd => "one_off_recruitment_usd" (Usd),
    /// Training, knowledge transfer and travel of new staff, undiscounted, USD.
    OneOffTrainingAndKnowledgeTransferUsd => "one_off_training_and_knowledge_transfer_usd" (Usd),
    /// Headquarters units working on after go-live, undiscounted, USD.
    OneOffDoubleRunningUsd => "one_off_double_running_usd" (Usd),
    /// The centres' project teams, undiscounted, USD.
    OneOffProjectTeamUsd => "one_off_project_team_usd" (Usd),
    /// Setting up new sites, undiscounted, USD.
    OneOffSiteSetupUsd => "one_off_site_setup_usd" (Usd),
    /// Harmonisation projects, undiscounted, USD.
    OneOffHarmonisationProjectUsd => "one_off_harmonisation_project_usd" (Usd),
    /// Clearing the backlogs of bad go-lives, undiscounted, USD.
    OneOffDisruptionUsd => "one_off_disruption_usd" (Usd),
    /// The optimism-bias uplift on the other one-off costs and on double
    /// running, undiscounted, USD.
    OneOffOptimismBiasUsd => "one_off_optimism_bias_usd" (Usd),
    /// Years from the start of the horizon — when the move is decided —
    /// until cumulative (undiscounted) savings against the status quo turn
    /// non-negative for good; empty when they do not within the horizon,
    /// and for the status quo.
    PaybackYearsFromDecision => "payback_years_from_decision" (Years),
    /// The same payback counted from the strategy's first go-live: years
    /// from decision minus the years to that go-live, 0 when it pays back
    /// by then; empty when it does not pay back, and for the status quo.
    PaybackYearsFromGoLive => "payback_years_from_go_live" (Years),
    /// 1 when the strategy pays back within the horizon, else 0; empty for
    /// the status quo.
    PaidBack => "paid_back" (Indicator),
    /// Go-lives that went badly.
    BadGoLives => "bad_go_lives" (WholeCount),
    /// Transactions that arrived over the horizon.
    Transactions => "transactions" (Count),
    /// Undiscounted cost over the horizon divided by transactions, USD.
    CostPerTransactionUsd => "cost_per_transaction_usd" (UsdPerItem),
    /// Share of transactions completed within the service-level target.
    ServiceLevel => "service_level" (Share),
    /// Average General Service FTE per year.
    FteGs => "fte_gs" (Fte),
    /// Average NPO FTE per year.
    FteNpo => "fte_npo" (Fte),
    /// Average Professional FTE per year.
    FteP => "fte_p" (Fte),
    /// Average Director FTE per year.
    FteD => "fte_d" (Fte),
    /// Average Field Service FTE per year.
    FteFs => "fte_fs" (Fte),
    /// Average processing FTE per year, all grades.
    FteProcessing => "fte_processing" (Fte),
    /// Average supervisors and team leads per year, all grades.
    FteSupervision => "fte_supervision" (Fte),
    /// Average centre director, management and support FTE per year.
    FteOverhead => "fte_overhead" (Fte),
    /// Average FTE per year, all grades and roles.
    FteTotal => "fte_total" (Fte),
}

/// What kind of number a metric is: its unit where it is shown, and the
/// values a run can give it, checked where results are read back. A new
/// metric names its quantity in `metrics!`; nothing else lists metrics by
/// unit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Quantity {
    /// US dollars, of either sign.
    Usd,
    /// US dollars per transaction.
    UsdPerItem,
    /// 1 or 0 in a replication: whether something holds (a share once
    /// averaged).
    Indicator,
    /// A share from 0 to 1.
    Share,
    /// A number of things, at least 0.
    Count,
    /// A whole number of events, at least 0.
    WholeCount,
    /// Full-time equivalent staff, at least 0.
    Fte,
    /// Years, at least 0.
    Years,
}

impl Quantity {
    /// What a value of this quantity should have been, when `value` is not
    /// one a run writes.
    pub(crate) fn out_of_range(self, value: f64) -> Option<&'static str> {
        if !value.is_finite() {
            return Some("a finite number");
        }
        match self {
            Quantity::Indicator if value != 0.0 && value != 1.0 => Some("0 or 1"),
            Quantity::WholeCount if value < 0.0 || value.fract() != 0.0 => {
                Some("a whole number of at least 0")
            }
            Quantity::Share if !(0.0..=1.0).contains(&value) => Some("a share from 0 to 1"),
            Quantity::Count | Quantity::Fte | Quantity::Years if value < 0.0 => {
                Some("a number of at least 0")
            }
            _ => None,
        }
    }
}

/// Number of metrics.
pub const METRIC_COUNT: usize = Metric::ALL.len();

/// Defines a container of one value per key of a metric enum, indexed by
/// the key, so that no code finds a metric by its position or its name.
/// Its values of `Option<f64>` cross serde as plain floats, "no value" as
/// NaN: the layout of a shard's replay file, where a NaN read back for a
/// metric that may not be missing stays a (non-finite) value, so that
/// checks refuse it.
macro_rules! per_key {
    ($(#[doc = $doc:literal])* $Per:ident, $Key:ident, $count:expr) => {
        $(#[doc = $doc])*
        #[derive(Clone, Copy, Debug, PartialEq)]
        pub struct $Per<T>([T; $count]);

        impl<T> $Per<T> {
            #[doc = concat!("The value of each key, from `value_of`, in [`", stringify!($Key), "::ALL`] order.")]
            pub(crate) fn from_fn(value_of: impl FnMut($Key) -> T) -> Self {
                $Per($Key::ALL.map(value_of))
            }

            #[doc = concat!("Each key with its value, in [`", stringify!($Key), "::ALL`] order.")]
            pub fn iter(&self) -> impl Iterator<Item = ($Key, &T)> {
                $Key::ALL.into_iter().zip(&self.0)
            }

            #[doc = concat!("The values, in [`", stringify!($Key), "::ALL`] order.")]
            pub fn values(&self) -> impl Iterator<Item = &T> {
                self.0.iter()
            }

            #[doc = concat!("Mutable values, in [`", stringify!($Key), "::ALL`] order.")]
            pub(crate) fn values_mut(&mut self) -> impl Iterator<Item = &mut T> {
                self.0.iter_mut()
            }
        }

        impl<T> std::ops::Index<$Key> for $Per<T> {
            type Output = T;
            fn index(&self, key: $Key) -> &T {
                &self.0[key as usize]
            }
        }

        impl<T> std::ops::IndexMut<$Key> for $Per<T> {
            fn index_mut(&mut self, key: $Key) -> &mut T {
                &mut self.0[key as usize]
            }
        }

        impl $Per<Option<f64>> {
            /// The values of `pairs`, every other key missing.
            #[cfg(test)]
            pub(crate) fn only(pairs: &[($Key, f64)]) -> Self {
                Self::from_fn(|key| pairs.iter().find(|(k, _)| *k == key).map(|&(_, v)| v))
            }

            /// The first key whose value is not finite, or missing where
            /// it may not be, with the value (NaN when missing).
            pub(crate) fn first_invalid(&self) -> Option<($Key, f64)> {
                self.iter().find_map(|(key, value)| match *value {
                    Some(v) if !v.is_finite() => Some((key, v)),
                    None if !key.may_be_missing() => Some((key, f64::NAN)),
                    _ => None,
                })
            }
        }

        // As a tuple of plain floats, the layout of an array, written by
        // hand: serde's arrays stop at 32 elements.
        impl serde::Serialize for $Per<Option<f64>> {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                use serde::ser::SerializeTuple;
                let mut tuple = serializer.serialize_tuple($count)?;
                for value in &self.0 {
                    tuple.serialize_element(&value.unwrap_or(f64::NAN))?;
                }
                tuple.end()
            }
        }

        impl<'de> serde::Deserialize<'de> for $Per<Option<f64>> {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                struct Floats;
                impl<'de> serde::de::Visitor<'de> for Floats {
                    type Value = [f64; $count];
                    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                        write!(f, "{} floats", $count)
                    }
                    fn visit_seq<A: serde::de::SeqAccess<'de>>(
                        self,
                        mut seq: A,
                    ) -> Result<Self::Value, A::Error> {
                        let mut values = [0.0; $count];
                        for (i, slot) in values.iter_mut().enumerate() {
                            *slot = seq
                                .next_element()?
                                .ok_or_else(|| serde::de::Error::invalid_length(i, &self))?;
                        }
                        Ok(values)
                    }
                }
                let values = deserializer.deserialize_tuple($count, Floats)?;
                Ok($Per::from_fn(|key| {
                    let v = values[key as usize];
                    (!(v.is_nan() && key.may_be_missing())).then_some(v)
                }))
            }
        }
    };
}

per_key!(
    /// One value per [`Metric`], indexed by it.
    PerMetric,
    Metric,
    METRIC_COUNT
);

/// One strategy's metrics in one replication; `None` where a metric has no
/// value (see [`Metric::may_be_missing`]).
pub type MetricValues = PerMetric<Option<f64>>;

impl Metric {
    /// Whether the metric may have no value (written as an empty cell, left
    /// out of summaries).
    pub fn may_be_missing(self) -> bool {
        matches!(
            self,
            Metric::PaybackYearsFromDecision
                | Metric::PaybackYearsFromGoLive
                | Metric::PaidBack
                | Metric::EconomiesOfScaleLostUsd
                | Metric::PooledCheaper
        )
    }

    /// The metric of one kind of one-off cost, `one_off_<kind>_usd`.
    pub const fn one_off(kind: OneOff) -> Metric {
        match kind {
            OneOff::Separation => Metric::OneOffSeparationUsd,
            OneOff::Relocation => Metric::OneOffRelocationUsd,
            OneOff::Recruitment => Metric::OneOffRecruitmentUsd,
            OneOff::TrainingAndKnowledgeTransfer => Metric::OneOffTrainingAndKnowledgeTransferUsd,
            OneOff::DoubleRunning => Metric::OneOffDoubleRunningUsd,
            OneOff::ProjectTeam => Metric::OneOffProjectTeamUsd,
            OneOff::SiteSetup => Metric::OneOffSiteSetupUsd,
            OneOff::HarmonisationProject => Metric::OneOffHarmonisationProjectUsd,
            OneOff::Disruption => Metric::OneOffDisruptionUsd,
            OneOff::OptimismBias => Metric::OneOffOptimismBiasUsd,
        }
    }

    /// Whether the metric needs a pooled strategy to compare with.
    pub fn needs_comparison(self) -> bool {
        matches!(
            self,
            Metric::EconomiesOfScaleLostUsd | Metric::PooledCheaper
        )
    }

    /// The metrics reported for a scenario, in column order: all of them, but
    /// the comparison with a pooled strategy only when the scenario has one.
    pub(crate) fn reported(scenario: &Scenario) -> Vec<Metric> {
        Metric::ALL
            .into_iter()
            .filter(|m| scenario.comparison.is_some() || !m.needs_comparison())
            .collect()
    }

    fn fte_of(grade: Grade) -> Metric {
        match grade {
            Grade::Gs => Metric::FteGs,
            Grade::Npo => Metric::FteNpo,
            Grade::P => Metric::FteP,
            Grade::D => Metric::FteD,
            Grade::Fs => Metric::FteFs,
        }
    }
}

/// A metric that cannot be computed for a replication.
#[derive(Clone, Debug, PartialEq, Error)]
pub enum MetricError {
    /// Nothing arrived, so cost per transaction and service level are undefined.
    #[error(
        "strategy `{strategy}` received no transactions over the horizon in replication {replication}, \
         so cost per transaction and service level are undefined; check that annual volumes are not (close to) 0"
    )]
    NoTransactions {
        /// Strategy id.
        strategy: String,
        /// Replication index.
        replication: u64,
    },
    /// A value is NaN or infinite.
    #[error(
        "{metric} of strategy `{strategy}` is not finite ({value}) in replication {replication}{cause}"
    )]
    NotFinite {
        /// What the value is: a metric, a yearly figure, a centre's figure
        /// or a part of the decomposition.
        metric: &'static str,
        /// Strategy id.
        strategy: String,
        /// Replication index.
        replication: u64,
        /// The value.
        value: f64,
        /// Which input it comes from, when that is known, as a clause
        /// starting with "; " (empty otherwise).
        cause: String,
    },
}

/// Which strategy and replication metrics are computed for (for messages).
#[derive(Clone, Copy, Debug)]
pub struct Subject<'a> {
    /// Strategy id.
    pub strategy_id: &'a str,
    /// Replication index.
    pub replication: u64,
    /// Whether the strategy is the status quo.
    pub is_status_quo: bool,
}

/// The metrics of one strategy in one replication, given the status quo's
/// outcome and, when the scenario compares with one, the pooled strategy's.
///
/// # Errors
/// When no transaction arrived or a value is not finite.
pub fn strategy_metrics(
    discount_rate_per_year: f64,
    subject: Subject<'_>,
    outcome: &StrategyOutcome,
    status_quo: &StrategyOutcome,
    pooled: Option<&StrategyOutcome>,
) -> Result<MetricValues, MetricError> {
    let Subject {
        strategy_id,
        replication,
        is_status_quo,
    } = subject;
    let service = outcome.service();
    if service.arrived <= 0.0 || service.resolved() <= 0.0 {
        return Err(MetricError::NoTransactions {
            strategy: strategy_id.to_owned(),
            replication,
        });
    }
    let npv_of = |o: &StrategyOutcome| npv_parts(discount_rate_per_year, &o.years);
    let npv = npv_of(outcome);
    let savings = npv_of(status_quo).total_usd - npv.total_usd;
    let undiscounted: f64 = outcome.years.iter().map(|y| y.total_cost_usd()).sum();
    let years = outcome.years.len() as f64;
    let average = |f: &dyn Fn(&crate::sim::YearOutcome) -> f64| {
        outcome.years.iter().map(f).sum::<f64>() / years
    };
    let indicator = |condition: bool| if condition { 1.0 } else { 0.0 };

    let mut values = MetricValues::from_fn(|_| None);
    let mut set = |metric: Metric, value: f64| values[metric] = Some(value);
    set(Metric::NpvCostUsd, npv.total_usd);
    set(Metric::NpvSavingsUsd, savings);
    set(Metric::CheaperThanStatusQuo, indicator(savings > 0.0));
    // Without a pooled strategy to compare with (the status quo, the pooled
    // strategy itself, a scenario without a comparison) the gap means
    // nothing: it stays missing.
    if let Some(pooled) = pooled {
        let lost = npv.total_usd - npv_of(pooled).total_usd;
        set(Metric::EconomiesOfScaleLostUsd, lost);
        set(Metric::PooledCheaper, indicator(lost > 0.0));
    }
    set(Metric::StaffCostNpvUsd, npv.staff_usd);
    set(Metric::PremisesCostNpvUsd, npv.premises_usd);
    set(Metric::FixedCostNpvUsd, npv.fixed_usd);
    set(Metric::HarmonisationCostNpvUsd, npv.harmonisation_usd);
    set(Metric::TransitionCostNpvUsd, npv.transition_usd);
    set(
        Metric::SetupCostUsd,
        outcome.years.iter().map(|y| y.setup_cost_usd).sum(),
    );
    // The total is the sum of its parts, in their order: exactly.
    let mut one_off_total_usd = 0.0;
    for kind in OneOff::ALL {
        let usd: f64 = outcome.years.iter().map(|y| y.one_off_usd(kind)).sum();
        set(Metric::one_off(kind), usd);
        one_off_total_usd += usd;
    }
    set(Metric::TransitionCostUsd, one_off_total_usd);
    // The status quo does not pay back against itself: no value.
    if !is_status_quo {
        let payback = payback_years(&outcome.years, &status_quo.years);
        if let Some(years) = payback {
            set(Metric::PaybackYearsFromDecision, years);
            set(
                Metric::PaybackYearsFromGoLive,
                payback_from_go_live(years, outcome.first_go_live_month),
            );
        }
        set(Metric::PaidBack, indicator(payback.is_some()));
    }
    set(Metric::BadGoLives, f64::from(outcome.bad_go_lives));
    set(Metric::Transactions, service.arrived);
    set(
        Metric::CostPerTransactionUsd,
        undiscounted / service.arrived,
    );
    set(Metric::ServiceLevel, service.on_time / service.resolved());
    for grade in Grade::ALL {
        set(Metric::fte_of(grade), average(&|y| y.fte[grade]));
    }
    set(Metric::FteProcessing, average(&|y| y.processing_fte));
    set(Metric::FteSupervision, average(&|y| y.supervision_fte));
    set(Metric::FteOverhead, average(&|y| y.overhead_fte));
    set(Metric::FteTotal, average(&|y| y.fte.total()));

    if let Some((metric, value)) = values.first_invalid() {
        return Err(MetricError::NotFinite {
            metric: metric.name(),
            strategy: strategy_id.to_owned(),
            replication,
            value,
            cause: String::new(),
        });
    }
    Ok(values)
}

/// Years until cumulative undiscounted savings against the status quo turn
/// non-negative for good, or `None` if they are negative at the end of the
/// horizon. Yearly costs accrue evenly over their year; set-up is paid at
/// its start. A strategy that never falls behind pays back at 0.
pub fn payback_years(
    years: &[crate::sim::YearOutcome],
    status_quo: &[crate::sim::YearOutcome],
) -> Option<f64> {
    let mut cumulative = 0.0;
    let mut payback = Some(0.0);
    for (year, (own, base)) in years.iter().zip(status_quo).enumerate() {
        cumulative -= own.setup_cost_usd - base.setup_cost_usd;
        if cumulative < 0.0 {
            payback = None;
        }
        let flow = (base.total_cost_usd() - base.setup_cost_usd)
            - (own.total_cost_usd() - own.setup_cost_usd);
        let end = cumulative + flow;
        if cumulative < 0.0 && end >= 0.0 {
            payback = Some(year as f64 + (-cumulative) / flow);
        } else if end < 0.0 {
            payback = None;
        }
        cumulative = end;
    }
    payback
}

/// Payback counted from the first go-live, `first_go_live_month` months
/// after the decision, given the payback from the decision: 0 when it pays
/// back by its go-live.
pub(crate) fn payback_from_go_live(from_decision_years: f64, first_go_live_month: f64) -> f64 {
    (from_decision_years - first_go_live_month / 12.0).max(0.0)
}

/// A yearly figure of a strategy: the rows of `years.csv`, the bands of
/// fan charts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum YearMetric {
    /// The year's cost, undiscounted, USD.
    AnnualCostUsd,
    /// The status quo's cost of the year minus this strategy's, USD.
    AnnualSavingsUsd,
    /// The running sum of the yearly savings, USD.
    CumulativeSavingsUsd,
    /// FTE in the year, all grades and roles.
    FteTotal,
    /// Share of the year's transactions completed within the target;
    /// missing in a year whose outcomes are all unknown.
    ServiceLevel,
}

/// Number of yearly figures.
pub const YEAR_METRIC_COUNT: usize = YearMetric::ALL.len();

impl YearMetric {
    /// All yearly figures, in the order of `years.csv`.
    pub const ALL: [YearMetric; 5] = [
        YearMetric::AnnualCostUsd,
        YearMetric::AnnualSavingsUsd,
        YearMetric::CumulativeSavingsUsd,
        YearMetric::FteTotal,
        YearMetric::ServiceLevel,
    ];

    /// Name in `years.csv`.
    pub const fn id(self) -> &'static str {
        match self {
            YearMetric::AnnualCostUsd => "annual_cost_usd",
            YearMetric::AnnualSavingsUsd => "annual_savings_usd",
            YearMetric::CumulativeSavingsUsd => "cumulative_savings_usd",
            YearMetric::FteTotal => "fte_total",
            YearMetric::ServiceLevel => "service_level",
        }
    }

    /// Name in prose and on charts.
    pub const fn label(self) -> &'static str {
        match self {
            YearMetric::AnnualCostUsd => "annual cost",
            YearMetric::AnnualSavingsUsd => "annual savings",
            YearMetric::CumulativeSavingsUsd => "cumulative savings",
            YearMetric::FteTotal => "total FTE",
            YearMetric::ServiceLevel => "service level",
        }
    }

    /// Whether the figure may have no value in a year.
    pub fn may_be_missing(self) -> bool {
        self == YearMetric::ServiceLevel
    }
}

per_key!(
    /// One value per [`YearMetric`], indexed by it.
    PerYearMetric,
    YearMetric,
    YEAR_METRIC_COUNT
);

/// One strategy's figures of one year; `None` where a figure has no value
/// (see [`YearMetric::may_be_missing`]).
pub type YearValues = PerYearMetric<Option<f64>>;

/// One strategy's yearly figures, given the status quo's: cost, savings
/// against the status quo (undiscounted) and their running sum, average FTE
/// and service level (missing in a year whose outcomes are all unknown).
pub fn year_metrics(outcome: &StrategyOutcome, status_quo: &StrategyOutcome) -> Vec<YearValues> {
    let mut cumulative = 0.0;
    outcome
        .years
        .iter()
        .zip(&status_quo.years)
        .zip(&outcome.service_by_year)
        .map(|((own, base), service)| {
            let savings = base.total_cost_usd() - own.total_cost_usd();
            cumulative += savings;
            let level = (service.resolved() > 0.0).then(|| service.on_time / service.resolved());
            YearValues::from_fn(|figure| match figure {
                YearMetric::AnnualCostUsd => Some(own.total_cost_usd()),
                YearMetric::AnnualSavingsUsd => Some(savings),
                YearMetric::CumulativeSavingsUsd => Some(cumulative),
                YearMetric::FteTotal => Some(own.fte.total()),
                YearMetric::ServiceLevel => level,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::{ServiceTotals, YearOutcome};

    #[test]
    fn every_metric_is_found_by_its_name_and_nothing_else_is() {
        for metric in Metric::ALL {
            assert_eq!(Metric::named(metric.name()), Some(metric));
        }
        assert_eq!(Metric::named("annual_cost_usd"), None);
        assert_eq!(Metric::named(""), None);
    }

    #[test]
    fn each_quantity_refuses_the_values_a_run_never_writes() {
        let refused = |q: Quantity, v: f64| q.out_of_range(v);
        assert_eq!(refused(Quantity::Usd, -1e9), None);
        assert_eq!(refused(Quantity::Usd, f64::NAN), Some("a finite number"));
        assert_eq!(
            refused(Quantity::Fte, f64::INFINITY),
            Some("a finite number")
        );
        assert_eq!(refused(Quantity::Indicator, 1.0), None);
        assert_eq!(refused(Quantity::Indicator, 0.5), Some("0 or 1"));
        assert_eq!(refused(Quantity::Share, 0.5), None);
        assert_eq!(refused(Quantity::Share, 1.5), Some("a share from 0 to 1"));
        let whole = Some("a whole number of at least 0");
        assert_eq!(refused(Quantity::WholeCount, 2.0), None);
        assert_eq!(refused(Quantity::WholeCount, 1.5), whole);
        assert_eq!(refused(Quantity::WholeCount, -1.0), whole);
        for q in [Quantity::Count, Quantity::Fte, Quantity::Years] {
            assert_eq!(refused(q, 0.5), None, "{q:?}");
            assert_eq!(refused(q, -0.5), Some("a number of at least 0"), "{q:?}");
        }
        assert_eq!(refused(Quantity::UsdPerItem, -3.0), None);
    }

    #[test]
    fn the_indicators_and_counts_are_the_metrics_the_readme_says() {
        let of = |q: Quantity| -> Vec<&str> {
            (Metric::ALL.into_iter())
                .filter(|m| m.quantity() == q)
                .map(Metric::name)
                .collect()
        };
        assert_eq!(
            of(Quantity::Indicator),
            ["cheaper_than_status_quo", "pooled_cheaper", "paid_back"]
        );
        assert_eq!(of(Quantity::WholeCount), ["bad_go_lives"]);
        assert_eq!(of(Quantity::Count), ["transactions"]);
        assert_eq!(of(Quantity::Share), ["service_level"]);
        assert_eq!(
            of(Quantity::Years),
            ["payback_years_from_decision", "payback_years_from_go_live"]
        );
    }

    fn subject(id: &str) -> Subject<'_> {
        Subject {
            strategy_id: id,
            replication: 0,
            is_status_quo: false,
        }
    }

    /// Checks that each metric in `expected` has exactly its value in `m`.
    fn assert_exactly(m: &MetricValues, expected: &[(Metric, f64)]) {
        for &(metric, value) in expected {
            assert_eq!(m[metric], Some(value), "{metric:?}");
        }
    }

    /// Two years of the given staff costs, premises 10 and fixed 5 a year, 3
    /// GS and 1 P, with set-up in year 0.
    fn outcome(staff: [f64; 2], setup: f64) -> StrategyOutcome {
        let years = staff
            .iter()
            .enumerate()
            .map(|(i, &s)| {
                let mut y = YearOutcome {
                    staff_cost_usd: s,
                    premises_cost_usd: 10.0,
                    fixed_cost_usd: 5.0,
                    setup_cost_usd: if i == 0 { setup } else { 0.0 },
                    ..Default::default()
                };
                y.fte[Grade::Gs] = 3.0;
                y.fte[Grade::P] = 1.0;
                y
            })
            .collect();
        let year = ServiceTotals {
            arrived: 50.0,
            on_time: 45.0,
            late: 2.5,
            overdue_at_end: 2.5,
        };
        StrategyOutcome {
            years,
            service_by_year: vec![year; 2],
            bad_go_lives: 0,
            ..Default::default()
        }
    }

    #[test]
    fn npv_discounts_each_year_and_adds_setup_undiscounted() {
        let sq = outcome([1100.0, 1210.0], 0.0);
        let s = outcome([110.0, 121.0], 50.0);
        let m = strategy_metrics(0.1, subject("s"), &s, &sq, None).unwrap();
        // Staff: 110/1.1 + 121/1.21 = 200; premises 10/1.1 + 10/1.21; fixed 5/1.1 + 5/1.21.
        let premises = 10.0 / 1.1 + 10.0 / 1.21;
        let fixed = 5.0 / 1.1 + 5.0 / 1.21;
        assert!((m[Metric::StaffCostNpvUsd].unwrap() - 200.0).abs() < 1e-9);
        assert!((m[Metric::NpvCostUsd].unwrap() - (50.0 + 200.0 + premises + fixed)).abs() < 1e-9);
        // Status quo staff NPV: 1100/1.1 + 1210/1.21 = 2000; savings = 2000 − 200 − 50.
        assert!((m[Metric::NpvSavingsUsd].unwrap() - 1750.0).abs() < 1e-9);
        assert_eq!(m[Metric::CheaperThanStatusQuo].unwrap(), 1.0);
        // Undiscounted: 50 + 110 + 121 + 2 × 15 = 311 for 100 transactions.
        assert!((m[Metric::CostPerTransactionUsd].unwrap() - 3.11).abs() < 1e-12);
        assert_exactly(
            &m,
            &[
                (Metric::ServiceLevel, 0.9),
                (Metric::FteGs, 3.0),
                (Metric::FteTotal, 4.0),
                (Metric::SetupCostUsd, 50.0),
                (Metric::TransitionCostUsd, 50.0),
            ],
        );
    }

    #[test]
    fn set_up_in_a_later_year_is_discounted_from_that_years_start() {
        let sq = outcome([0.0, 0.0], 0.0);
        let mut s = outcome([0.0, 0.0], 0.0);
        s.years[1].setup_cost_usd = 110.0;
        let m = strategy_metrics(0.1, subject("s"), &s, &sq, None).unwrap();
        let flows = 15.0 / 1.1 + 15.0 / 1.21;
        assert!((m[Metric::NpvCostUsd].unwrap() - (100.0 + flows)).abs() < 1e-9);
    }

    #[test]
    fn a_strategy_is_not_cheaper_than_itself() {
        let sq = outcome([1.0, 1.0], 0.0);
        let status_quo = Subject {
            is_status_quo: true,
            ..subject("status_quo")
        };
        let m = strategy_metrics(0.0, status_quo, &sq, &sq, Some(&sq)).unwrap();
        let zero = [
            Metric::NpvSavingsUsd,
            Metric::CheaperThanStatusQuo,
            Metric::EconomiesOfScaleLostUsd,
            Metric::PooledCheaper,
        ];
        assert_exactly(&m, &zero.map(|metric| (metric, 0.0)));
        assert!(
            m[Metric::PaybackYearsFromDecision].is_none()
                && m[Metric::PaybackYearsFromGoLive].is_none()
                && m[Metric::PaidBack].is_none()
        );
    }

    #[test]
    fn economies_of_scale_lost_is_the_npv_gap_to_the_pooled_strategy() {
        let sq = outcome([1.0, 1.0], 0.0);
        let solo = outcome([300.0, 300.0], 40.0);
        let mut pooled = outcome([250.0, 250.0], 20.0);
        pooled.years[0].harmonisation_cost_usd = 30.0;
        pooled.years[1].processing_fte = 2.0;
        pooled.years[1].supervision_fte = 1.0;
        pooled.years[1].overhead_fte = 1.0;
        // Undiscounted: solo 40 + 2 × (300 + 15) = 670; pooled 20 + 2 × 265 + 30 = 580.
        let m = strategy_metrics(0.0, subject("solo"), &solo, &sq, Some(&pooled)).unwrap();
        assert_eq!(m[Metric::EconomiesOfScaleLostUsd].unwrap(), 90.0);
        assert_eq!(m[Metric::PooledCheaper].unwrap(), 1.0);
        let p = strategy_metrics(0.0, subject("pooled"), &pooled, &sq, Some(&pooled)).unwrap();
        // Processing 0 and 2, supervision 0 and 1, overhead 0 and 1: averages over 2 years.
        let exact = [
            (Metric::HarmonisationCostNpvUsd, 30.0),
            (Metric::FteProcessing, 1.0),
            (Metric::FteSupervision, 0.5),
            (Metric::FteOverhead, 0.5),
        ];
        assert_exactly(&p, &exact);
    }

    #[test]
    fn no_transactions_is_an_error_not_a_nan() {
        let mut s = outcome([1.0, 1.0], 0.0);
        s.service_by_year = vec![ServiceTotals::default(); 2];
        let seventh = Subject {
            replication: 7,
            ..subject("pooled")
        };
        let e = strategy_metrics(0.0, seventh, &s, &s, None).unwrap_err();
        assert!(e.to_string().contains("replication 7"));
    }

    fn years(costs: &[f64], setup: f64) -> Vec<YearOutcome> {
        costs
            .iter()
            .enumerate()
            .map(|(i, &c)| YearOutcome {
                staff_cost_usd: c,
                setup_cost_usd: if i == 0 { setup } else { 0.0 },
                ..Default::default()
            })
            .collect()
    }

    #[test]
    fn payback_is_when_cumulative_savings_turn_non_negative_for_good() {
        let status_quo = years(&[100.0, 100.0, 100.0, 100.0], 0.0);
        // Set-up 150 at the start, then savings of 40, 60, 60, 60 a year:
        // −150 → −110 → −50 → +10 → +70; crosses 0 at 2 + 50/60 years.
        let strategy = years(&[60.0, 40.0, 40.0, 40.0], 150.0);
        let p = payback_years(&strategy, &status_quo).unwrap();
        assert!((p - (2.0 + 50.0 / 60.0)).abs() < 1e-12);
        // Never behind: pays back at once.
        assert_eq!(
            payback_years(&years(&[90.0; 4], 0.0), &status_quo),
            Some(0.0)
        );
        // Behind at the end: no payback.
        assert_eq!(payback_years(&years(&[90.0; 4], 50.0), &status_quo), None);
        // Ahead, then behind, then ahead again: payback is the last crossing.
        let back_and_forth = years(&[90.0, 130.0, 80.0, 80.0], 0.0);
        // +10 → −20 → 0 (at the end of year 2) → +20.
        assert_eq!(payback_years(&back_and_forth, &status_quo), Some(3.0));
    }

    #[test]
    fn payback_from_go_live_is_from_decision_less_the_wait_for_go_live() {
        // Pays back 2 + 50/60 years after the decision; first go-live at
        // month 6: 2 + 50/60 − 0.5 years after it.
        let from_go_live = payback_from_go_live(2.0 + 50.0 / 60.0, 6.0);
        assert!((from_go_live - (2.0 + 50.0 / 60.0 - 0.5)).abs() < 1e-12);
        // Paid back before it went live: 0.
        assert_eq!(payback_from_go_live(0.25, 6.0), 0.0);
        assert_eq!(payback_from_go_live(1.5, 0.0), 1.5);
    }

    #[test]
    fn yearly_figures_accumulate_savings() {
        let sq = outcome([100.0, 100.0], 0.0);
        let s = outcome([70.0, 60.0], 10.0);
        let y = year_metrics(&s, &sq);
        // Year costs: 70 + 15 + 10 set-up = 95, then 75; savings 20 and 40.
        let first_three = |year: &YearValues| {
            [
                YearMetric::AnnualCostUsd,
                YearMetric::AnnualSavingsUsd,
                YearMetric::CumulativeSavingsUsd,
            ]
            .map(|figure| year[figure].unwrap())
        };
        assert_eq!(first_three(&y[0]), [95.0, 20.0, 20.0]);
        assert_eq!(first_three(&y[1]), [75.0, 40.0, 60.0]);
        assert_eq!(y[1][YearMetric::FteTotal], Some(4.0));
        assert_eq!(y[1][YearMetric::ServiceLevel], Some(0.9));
    }

    /// Whether an `ALL` list holds its keys in declaration order, as the
    /// containers indexed by them assume.
    fn in_declaration_order<const N: usize>(discriminants: [usize; N]) -> bool {
        discriminants.into_iter().eq(0..N)
    }

    #[test]
    fn metric_names_are_unique_snake_case() {
        let mut names: Vec<_> = Metric::ALL.iter().map(|m| m.name()).collect();
        assert!(
            names
                .iter()
                .all(|n| n.chars().all(|c| c.is_ascii_lowercase() || c == '_'))
        );
        names.sort();
        names.dedup();
        assert_eq!(names.len(), METRIC_COUNT);
        assert!(in_declaration_order(Metric::ALL.map(|m| m as usize)));
    }

    #[test]
    fn yearly_figures_are_named_in_the_column_order_of_years_csv() {
        let ids = YearMetric::ALL.map(YearMetric::id);
        assert_eq!(
            ids,
            [
                "annual_cost_usd",
                "annual_savings_usd",
                "cumulative_savings_usd",
                "fte_total",
                "service_level",
            ]
        );
        assert!(in_declaration_order(YearMetric::ALL.map(|f| f as usize)));
    }

    #[test]
    fn only_the_keys_given_have_values() {
        let year = YearValues::only(&[
            (YearMetric::FteTotal, 3.0),
            (YearMetric::AnnualCostUsd, -1.5),
        ]);
        let present: Vec<(YearMetric, f64)> = year
            .iter()
            .filter_map(|(figure, v)| v.map(|v| (figure, v)))
            .collect();
        assert_eq!(
            present,
            [
                (YearMetric::AnnualCostUsd, -1.5),
                (YearMetric::FteTotal, 3.0)
            ]
        );
    }

    #[test]
    fn a_value_is_invalid_when_not_finite_or_missing_where_it_may_not_be() {
        let mut year = YearValues::from_fn(|_| Some(1.0));
        assert_eq!(year.first_invalid(), None);
        year[YearMetric::ServiceLevel] = None;
        assert_eq!(year.first_invalid(), None);
        year[YearMetric::FteTotal] = Some(f64::INFINITY);
        assert_eq!(
            year.first_invalid(),
            Some((YearMetric::FteTotal, f64::INFINITY))
        );
        year[YearMetric::AnnualSavingsUsd] = None;
        let (figure, value) = year.first_invalid().unwrap();
        assert_eq!(figure, YearMetric::AnnualSavingsUsd);
        assert!(value.is_nan());
    }

    #[test]
    fn missing_values_cross_serde_as_nan_and_only_may_be_missing_ones_come_back_missing() {
        let mut year = YearValues::from_fn(|f| Some(f as usize as f64));
        year[YearMetric::ServiceLevel] = None;
        let bytes = postcard::to_allocvec(&year).unwrap();
        // The layout of five plain floats, NaN for the missing one.
        let plain = [0.0, 1.0, 2.0, 3.0, f64::NAN];
        assert_eq!(bytes, postcard::to_allocvec(&plain).unwrap());
        assert_eq!(postcard::from_bytes::<YearValues>(&bytes).unwrap(), year);
        // A NaN where no value may be missing stays a value, for checks to refuse.
        let nan_cost = [f64::NAN, 1.0, 2.0, 3.0, 4.0];
        let read: YearValues =
            postcard::from_bytes(&postcard::to_allocvec(&nan_cost).unwrap()).unwrap();
        assert!(read[YearMetric::AnnualCostUsd].is_some_and(f64::is_nan));
    }
}
