//! The metrics reported for each strategy in each replication: the columns of
//! `replications.csv` and the rows of `summary.csv`. Names and units here are
//! the stable public contract documented in the README.

use thiserror::Error;

use crate::model::Grade;
use crate::sim::{StrategyOutcome, cost::discount_factor};

/// A reported metric.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Metric {
    /// Net present value of every cost over the horizon, USD.
    NpvCostUsd,
    /// Status quo NPV cost minus this strategy's, USD (same replication).
    NpvSavingsUsd,
    /// 1 when the strategy's NPV cost is below the status quo's, else 0.
    CheaperThanStatusQuo,
    /// NPV of staff costs, USD.
    StaffCostNpvUsd,
    /// NPV of premises costs, USD.
    PremisesCostNpvUsd,
    /// NPV of centre and site fixed running costs, USD.
    FixedCostNpvUsd,
    /// One-off cost of opening new sites, USD.
    SetupCostUsd,
    /// Transactions that arrived over the horizon.
    Transactions,
    /// Undiscounted cost over the horizon divided by transactions, USD.
    CostPerTransactionUsd,
    /// Share of transactions completed within the service-level target.
    ServiceLevel,
    /// Average General Service FTE per year.
    FteGs,
    /// Average NPO FTE per year.
    FteNpo,
    /// Average Professional FTE per year.
    FteP,
    /// Average Director FTE per year.
    FteD,
    /// Average Field Service FTE per year.
    FteFs,
    /// Average FTE per year, all grades.
    FteTotal,
}

/// Number of metrics.
pub const METRIC_COUNT: usize = Metric::ALL.len();

/// One value per metric, in [`Metric::ALL`] order.
pub type MetricValues = [f64; METRIC_COUNT];

impl Metric {
    /// All metrics, in column order.
    pub const ALL: [Metric; 16] = [
        Metric::NpvCostUsd,
        Metric::NpvSavingsUsd,
        Metric::CheaperThanStatusQuo,
        Metric::StaffCostNpvUsd,
        Metric::PremisesCostNpvUsd,
        Metric::FixedCostNpvUsd,
        Metric::SetupCostUsd,
        Metric::Transactions,
        Metric::CostPerTransactionUsd,
        Metric::ServiceLevel,
        Metric::FteGs,
        Metric::FteNpo,
        Metric::FteP,
        Metric::FteD,
        Metric::FteFs,
        Metric::FteTotal,
    ];

    /// The column name in CSV files.
    pub fn name(self) -> &'static str {
        match self {
            Metric::NpvCostUsd => "npv_cost_usd",
            Metric::NpvSavingsUsd => "npv_savings_usd",
            Metric::CheaperThanStatusQuo => "cheaper_than_status_quo",
            Metric::StaffCostNpvUsd => "staff_cost_npv_usd",
            Metric::PremisesCostNpvUsd => "premises_cost_npv_usd",
            Metric::FixedCostNpvUsd => "fixed_cost_npv_usd",
            Metric::SetupCostUsd => "setup_cost_usd",
            Metric::Transactions => "transactions",
            Metric::CostPerTransactionUsd => "cost_per_transaction_usd",
            Metric::ServiceLevel => "service_level",
            Metric::FteGs => "fte_gs",
            Metric::FteNpo => "fte_npo",
            Metric::FteP => "fte_p",
            Metric::FteD => "fte_d",
            Metric::FteFs => "fte_fs",
            Metric::FteTotal => "fte_total",
        }
    }

    /// Position in [`Metric::ALL`] and in a [`MetricValues`] row.
    pub fn index(self) -> usize {
        self as usize
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
        "metric {metric} of strategy `{strategy}` is not finite ({value}) in replication {replication}"
    )]
    NotFinite {
        /// Metric name.
        metric: &'static str,
        /// Strategy id.
        strategy: String,
        /// Replication index.
        replication: u64,
        /// The value.
        value: f64,
    },
}

/// NPV of a strategy's costs and its parts: (total, staff, premises, fixed).
fn npv_parts(discount_rate_per_year: f64, outcome: &StrategyOutcome) -> [f64; 4] {
    let mut parts = [outcome.setup_cost_usd, 0.0, 0.0, 0.0];
    for (year, y) in outcome.years.iter().enumerate() {
        let factor = discount_factor(discount_rate_per_year, year as u32);
        parts[1] += y.staff_cost_usd * factor;
        parts[2] += y.premises_cost_usd * factor;
        parts[3] += y.fixed_cost_usd * factor;
    }
    parts[0] += parts[1] + parts[2] + parts[3];
    parts
}

/// The metrics of one strategy in one replication, given the status quo's
/// outcome in the same replication.
///
/// # Errors
/// When no transaction arrived or a value is not finite.
pub fn strategy_metrics(
    discount_rate_per_year: f64,
    strategy_id: &str,
    replication: u64,
    outcome: &StrategyOutcome,
    status_quo: &StrategyOutcome,
) -> Result<MetricValues, MetricError> {
    let service = &outcome.service;
    if service.arrived <= 0.0 || service.resolved() <= 0.0 {
        return Err(MetricError::NoTransactions {
            strategy: strategy_id.to_owned(),
            replication,
        });
    }
    let [npv, staff, premises, fixed] = npv_parts(discount_rate_per_year, outcome);
    let savings = npv_parts(discount_rate_per_year, status_quo)[0] - npv;
    let undiscounted: f64 = outcome.setup_cost_usd
        + outcome
            .years
            .iter()
            .map(|y| y.total_cost_usd())
            .sum::<f64>();
    let years = outcome.years.len() as f64;

    let mut values = [0.0; METRIC_COUNT];
    values[Metric::NpvCostUsd.index()] = npv;
    values[Metric::NpvSavingsUsd.index()] = savings;
    values[Metric::CheaperThanStatusQuo.index()] = if savings > 0.0 { 1.0 } else { 0.0 };
    values[Metric::StaffCostNpvUsd.index()] = staff;
    values[Metric::PremisesCostNpvUsd.index()] = premises;
    values[Metric::FixedCostNpvUsd.index()] = fixed;
    values[Metric::SetupCostUsd.index()] = outcome.setup_cost_usd;
    values[Metric::Transactions.index()] = service.arrived;
    values[Metric::CostPerTransactionUsd.index()] = undiscounted / service.arrived;
    values[Metric::ServiceLevel.index()] = service.on_time / service.resolved();
    let mut total_fte = 0.0;
    for grade in Grade::ALL {
        let average = outcome.years.iter().map(|y| y.fte[grade]).sum::<f64>() / years;
        values[Metric::fte_of(grade).index()] = average;
        total_fte += average;
    }
    values[Metric::FteTotal.index()] = total_fte;

    if let Some(metric) = Metric::ALL
        .into_iter()
        .find(|m| !values[m.index()].is_finite())
    {
        return Err(MetricError::NotFinite {
            metric: metric.name(),
            strategy: strategy_id.to_owned(),
            replication,
            value: values[metric.index()],
        });
    }
    Ok(values)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::{ServiceTotals, YearOutcome};

    fn outcome(staff: [f64; 2], setup: f64) -> StrategyOutcome {
        let years = staff
            .iter()
            .map(|&s| {
                let mut y = YearOutcome {
                    staff_cost_usd: s,
                    premises_cost_usd: 10.0,
                    fixed_cost_usd: 5.0,
                    ..Default::default()
                };
                y.fte[Grade::Gs] = 3.0;
                y.fte[Grade::P] = 1.0;
                y
            })
            .collect();
        let service = ServiceTotals {
            arrived: 100.0,
            on_time: 90.0,
            late: 5.0,
            overdue_at_end: 5.0,
        };
        StrategyOutcome {
            years,
            setup_cost_usd: setup,
            service,
        }
    }

    #[test]
    fn npv_discounts_each_year_and_adds_setup_undiscounted() {
        let sq = outcome([1100.0, 1210.0], 0.0);
        let s = outcome([110.0, 121.0], 50.0);
        let m = strategy_metrics(0.1, "s", 0, &s, &sq).unwrap();
        // Staff: 110/1.1 + 121/1.21 = 200; premises 10/1.1 + 10/1.21; fixed 5/1.1 + 5/1.21.
        let premises = 10.0 / 1.1 + 10.0 / 1.21;
        let fixed = 5.0 / 1.1 + 5.0 / 1.21;
        assert!((m[Metric::StaffCostNpvUsd.index()] - 200.0).abs() < 1e-9);
        assert!((m[Metric::NpvCostUsd.index()] - (50.0 + 200.0 + premises + fixed)).abs() < 1e-9);
        // Status quo staff NPV: 1100/1.1 + 1210/1.21 = 2000; savings = 2000 − 200 − 50.
        assert!((m[Metric::NpvSavingsUsd.index()] - 1750.0).abs() < 1e-9);
        assert_eq!(m[Metric::CheaperThanStatusQuo.index()], 1.0);
        // Undiscounted: 50 + 110 + 121 + 2 × 15 = 311 for 100 transactions.
        assert!((m[Metric::CostPerTransactionUsd.index()] - 3.11).abs() < 1e-12);
        assert_eq!(m[Metric::ServiceLevel.index()], 0.9);
        assert_eq!(m[Metric::FteGs.index()], 3.0);
        assert_eq!(m[Metric::FteTotal.index()], 4.0);
    }

    #[test]
    fn a_strategy_is_not_cheaper_than_itself() {
        let sq = outcome([1.0, 1.0], 0.0);
        let m = strategy_metrics(0.0, "status_quo", 0, &sq, &sq).unwrap();
        assert_eq!(m[Metric::NpvSavingsUsd.index()], 0.0);
        assert_eq!(m[Metric::CheaperThanStatusQuo.index()], 0.0);
    }

    #[test]
    fn no_transactions_is_an_error_not_a_nan() {
        let mut s = outcome([1.0, 1.0], 0.0);
        s.service = ServiceTotals::default();
        let e = strategy_metrics(0.0, "pooled", 7, &s, &s).unwrap_err();
        assert!(e.to_string().contains("replication 7"));
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
        assert!(Metric::ALL.iter().enumerate().all(|(i, m)| m.index() == i));
    }
}
