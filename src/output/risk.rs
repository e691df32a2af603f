//! `agencies.csv` and `dominance.csv`: who bears the risk of each strategy
//! ([`crate::agencies`]).

use std::io::Write;

use super::cell::write_table;
use crate::agencies::RiskCollector;
use crate::model::Scenario;
use crate::results::CsvDialect;
use crate::results::columns::{AGENCIES_HEADER, DOMINANCE_HEADER};
use crate::sim::agencies::ALLOCATION_RULE;
use crate::stats::dominance::LEVEL;

/// Writes `agencies.csv`: every agency under every strategy (the status
/// quo first), its share of the strategy's NPV cost and its savings
/// against its own status quo, over the first replications the collector
/// kept (their number in the last column).
///
/// # Errors
/// When writing fails.
pub(crate) fn write_agencies<W: Write>(
    out: W,
    dialect: CsvDialect,
    scenario: &Scenario,
    risk: &RiskCollector,
) -> csv::Result<W> {
    let rows = risk.agencies().into_iter().map(|row| {
        let s = &row.savings;
        [
            scenario.agencies[row.agency].id.clone(),
            scenario.strategies[row.strategy].id.clone(),
            ALLOCATION_RULE.to_owned(),
        ]
        .into_iter()
        .chain(
            [
                row.npv_cost_usd_mean,
                s.mean,
                s.se,
                s.p05,
                s.p50,
                s.p95,
                row.probability_worse_off,
                row.cvar05_savings_usd,
            ]
            .map(|v| v.to_string()),
        )
        .chain([s.n.to_string()])
    });
    write_table(out, dialect, &AGENCIES_HEADER, rows)
}

/// Writes `dominance.csv`: every ordered pair of strategies, whether A's
/// NPV cost stochastically dominates B's at first and second order, and
/// the share of replications in which A is cheaper.
///
/// # Errors
/// When writing fails.
pub(crate) fn write_dominance<W: Write>(
    out: W,
    dialect: CsvDialect,
    scenario: &Scenario,
    risk: &RiskCollector,
) -> csv::Result<W> {
    let kept = risk.kept().to_string();
    let rows = risk.dominance().into_iter().map(|pair| {
        let d = pair.dominance;
        [
            scenario.strategies[pair.a].id.clone(),
            scenario.strategies[pair.b].id.clone(),
            d.first_order.id().to_owned(),
            d.second_order.id().to_owned(),
            d.share_a_cheaper.to_string(),
            d.share_a_cheaper_se.to_string(),
            LEVEL.to_string(),
            kept.clone(),
        ]
    });
    write_table(out, dialect, &DOMINANCE_HEADER, rows)
}
