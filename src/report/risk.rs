//! Who bears the risk, from `agencies.csv` and `dominance.csv`: each
//! agency's savings against its own status quo under each strategy, with
//! its chance of being worse off and its worst 5%, and which strategies'
//! costs stochastically dominate which.

use maud::{Markup, html};

use super::chart::Palette;
use super::files::{AgencyRow, DominanceRow, ResultFiles};
use super::format::{probability_or_dash, usd_millions_or_dash};
use super::section::{Body, Section, WRITTEN_BY_RUN, headings, number_cells};
use crate::results::ResultFile;

/// The risk section.
pub(crate) fn section(files: &ResultFiles, palette: &Palette) -> Section {
    let body = match (&files.agencies, &files.dominance) {
        (None, None) => Body::no_file(ResultFile::Agencies, WRITTEN_BY_RUN),
        (agencies, dominance) => Body::Shown(html! {
            @if let Some(rows) = agencies { (agency_table(rows, palette)) }
            @if let Some(rows) = dominance { (dominance_table(rows, palette)) }
        }),
    };
    Section {
        id: "risk",
        title: "Who bears the risk".into(),
        sources: "agencies.csv, dominance.csv",
        body,
    }
}

/// Each agency under each strategy but the status quo, where all save 0.
fn agency_table(rows: &[AgencyRow], palette: &Palette) -> Markup {
    let numbers = [
        "Mean savings, USD m",
        "± 95%",
        "p5",
        "p95",
        "P(worse off)",
        "Worst 5%, mean",
    ];
    let shown = rows.iter().skip_while(|r| r.strategy == first(rows));
    html! {
        table.risk {
            caption { "Each agency's NPV savings against its own status quo (its share of each strategy's cost by workload)" }
            thead { tr { (headings(&["Strategy", "Agency"], &numbers)) } }
            tbody {
                @for r in shown {
                    tr {
                        (palette.row_heading(&r.strategy))
                        td { code { (r.agency) } }
                        (number_cells(&agency_cells(r)))
                    }
                }
            }
        }
        p.note {
            "A centre's costs are shared by the effort-weighted workload each member sends to it; "
            "a headquarters unit's costs during the move are its agency's own; what the strategy "
            "shares as a whole by workload (agencies.csv, allocation_rule). This is cost "
            "accounting: sscsim pool gives fair (Shapley) shares of a pooled centre."
        }
    }
}

/// The strategy of the first row: the status quo, in the file's order.
fn first(rows: &[AgencyRow]) -> &str {
    rows.first().map_or("", |r| r.strategy.as_str())
}

fn agency_cells(r: &AgencyRow) -> Vec<String> {
    let half_width = r.npv_savings_usd_se.map(|se| se * crate::stats::Z_95);
    vec![
        usd_millions_or_dash(r.npv_savings_usd_mean),
        usd_millions_or_dash(half_width),
        usd_millions_or_dash(r.npv_savings_usd_p05),
        usd_millions_or_dash(r.npv_savings_usd_p95),
        probability_or_dash(r.probability_worse_off),
        usd_millions_or_dash(r.cvar05_savings_usd),
    ]
}

/// Every ordered pair, A against B.
fn dominance_table(rows: &[DominanceRow], palette: &Palette) -> Markup {
    html! {
        table.dominance {
            caption { "Does A's NPV cost stochastically dominate B's? (lower cost is better)" }
            thead { tr { (headings(&["A", "B", "First order", "Second order"], &["P(A cheaper)", "± 95%"])) } }
            tbody {
                @for r in rows {
                    tr {
                        (palette.row_heading(&r.strategy_a))
                        td { code { (r.strategy_b) } }
                        td { (r.first_order) }
                        td { (r.second_order) }
                        (number_cells(&[
                            probability_or_dash(r.share_a_cheaper),
                            probability_or_dash(r.share_a_cheaper_se.map(|se| se * crate::stats::Z_95)),
                        ]))
                    }
                }
            }
        }
        p.note {
            "First order: A is less likely to cost more than any amount; second order: A's "
            "expected cost above any amount is smaller (every risk-averse reader prefers A). "
            "Tested at the 10th–90th percentiles at level 5% (Davidson and Duclos, 2000), on "
            "replications paired by common random numbers; “not significant” when sampling "
            "error cannot tell."
        }
    }
}
