//! The human-readable summary printed at the end of a run. Every figure
//! is formatted by [`crate::format`], as in the report, and every
//! table fits the terminal (80 columns when the output is not one).

use super::csv::BatchScenario;

use super::fit::{self, FittedTable};
use crate::format::{self, MISSING, probability};
use crate::metrics::Metric;
use crate::model::{Comparison, Mechanism, Scenario, Work};
use crate::stats::{DecompositionCollector, MetricCollector, Summary};

/// What the `± 95% CI` column means, printed under the table that has it.
const HALF_WIDTH_NOTE: &str = "± 95% CI: half-width of the 95% confidence interval of the mean \
     (1.96 standard errors); – with a single replication.";

/// A table whose first `text_columns` columns are text (left-aligned) and the
/// rest numbers (right-aligned), fitted to the terminal (see [`FittedTable`]).
pub(super) fn table_with_text(header: &[&str], text_columns: usize) -> FittedTable {
    FittedTable::new(header, text_columns)
}

/// `text` wrapped between words to the width tables print at.
pub(super) fn prose(text: &str) -> String {
    fit::wrap(text, fit::output_width_columns())
}

/// A table whose first column is text and the rest numbers.
fn table(header: &[&str]) -> FittedTable {
    table_with_text(header, 1)
}

fn millions(usd: f64) -> String {
    format::millions(usd, 1)
}

/// Renders the cost and savings table and the staffing and service table.
pub fn render(scenario: &Scenario, collected: &MetricCollector) -> String {
    let mut costs = table(&[
        "strategy",
        "NPV cost",
        "savings mean",
        "± 95% CI",
        "p5",
        "p50",
        "p95",
        "P(cheaper)",
    ]);
    let mut operations = table(&[
        "strategy",
        "GS",
        "NPO",
        "P",
        "D",
        "FS",
        "total FTE",
        "USD per transaction",
        "service level",
    ]);
    for (s, strategy) in scenario.strategies.iter().enumerate() {
        let summary = |m: Metric| collected.summary(s, m);
        let (Some(npv), Some(savings), Some(cheaper)) = (
            summary(Metric::NpvCostUsd),
            summary(Metric::NpvSavingsUsd),
            summary(Metric::CheaperThanStatusQuo),
        ) else {
            continue;
        };
        let mean = |m: Metric| summary(m).map_or(0.0, |x: Summary| x.mean);
        let mut cost_row = vec![strategy.id.clone(), millions(npv.mean)];
        if s == 0 {
            cost_row.extend(std::iter::repeat_n(MISSING.to_owned(), 6));
        } else {
            cost_row.extend([
                millions(savings.mean),
                savings
                    .half_width_95()
                    .map_or_else(|| MISSING.to_owned(), millions),
                millions(savings.p05),
                millions(savings.p50),
                millions(savings.p95),
                probability(cheaper.mean),
            ]);
        }
        costs.add_row(cost_row);
        let fte = |m| format::decimal(mean(m), 1);
        operations.add_row([
            strategy.id.clone(),
            fte(Metric::FteGs),
            fte(Metric::FteNpo),
            fte(Metric::FteP),
            fte(Metric::FteD),
            fte(Metric::FteFs),
            fte(Metric::FteTotal),
            format::decimal(mean(Metric::CostPerTransactionUsd), 2),
            format::percent(mean(Metric::ServiceLevel)),
        ]);
    }
    let settings = &scenario.settings;
    let has_contact_lines = scenario
        .service_lines
        .iter()
        .any(|l| matches!(l.work, Work::Contact(_)));
    let service = if has_contact_lines {
        "share on time; contacts count when answered in time"
    } else {
        "share on time"
    };
    let costs_title = format!(
        "Cost over {} years, USD millions (NPV at {} a year); savings against the status quo",
        settings.horizon_years,
        format::rate_percent(scenario.mean_of(settings.discount_rate_per_year)),
    );
    let mut text = format!(
        "{}\n{costs}\n{}\n\n{}\n{operations}\n",
        prose(&costs_title),
        prose(HALF_WIDTH_NOTE),
        prose(&format!(
            "Staff (average FTE per year) and service ({service})"
        )),
    );
    if scenario.strategies.iter().any(|s| s.migration.is_some()) {
        text.push_str(&format!(
            "\n{}\n{}\n",
            prose("The move: one-off costs (undiscounted, USD millions) and payback"),
            render_move(scenario, collected)
        ));
    }
    text
}

/// The transition table: one-off costs, payback and bad go-lives of the
/// strategies with a migration plan.
fn render_move(scenario: &Scenario, collected: &MetricCollector) -> FittedTable {
    let mut t = table(&[
        "strategy",
        "transition cost",
        "p5",
        "p95",
        "payback from decision, years (p50)",
        "payback from go-live, years (p50)",
        "P(pays back)",
        "bad go-lives",
    ]);
    for (s, strategy) in scenario.strategies.iter().enumerate() {
        if strategy.migration.is_none() {
            continue;
        }
        let summary = |m: Metric| collected.summary(s, m);
        let Some(cost) = summary(Metric::TransitionCostUsd) else {
            continue;
        };
        let median_years =
            |m: Metric| summary(m).map_or("never".to_owned(), |p| format::decimal(p.p50, 1));
        let payback = median_years(Metric::PaybackYearsFromDecision);
        let payback_from_go_live = median_years(Metric::PaybackYearsFromGoLive);
        let paid_back = summary(Metric::PaidBack).map_or(0.0, |p| p.mean);
        let bad = summary(Metric::BadGoLives).map_or(0.0, |b| b.mean);
        t.add_row([
            strategy.id.clone(),
            millions(cost.mean),
            millions(cost.p05),
            millions(cost.p95),
            payback,
            payback_from_go_live,
            probability(paid_back),
            format::decimal(bad, 2),
        ]);
    }
    t
}

/// Renders the decomposition of the economies of scale lost by the
/// fragmented strategy against the pooled one: each part's mean and
/// percentiles, and its share of the mean gap when the gap is known to
/// differ from zero (else a share is noise over noise, and the table says
/// so and shows amounts only).
pub(crate) fn render_decomposition(
    scenario: &Scenario,
    comparison: Comparison,
    collected: &DecompositionCollector,
) -> String {
    let Some(total) = collected.total() else {
        return String::new();
    };
    let shares = total.mean_differs_from_zero();
    let mut header = vec!["mechanism", "mean"];
    if shares {
        header.push("share of gap");
    }
    header.extend(["p5", "p95"]);
    let mut t = table(&header);
    let row = |label: &str, part: Summary| {
        let mut cells = vec![label.to_owned(), millions(part.mean)];
        if shares {
            cells.push(format!(
                "{}%",
                format::decimal(100.0 * part.mean / total.mean, 0)
            ));
        }
        cells.extend([millions(part.p05), millions(part.p95)]);
        cells
    };
    let labels = Mechanism::ALL
        .iter()
        .map(|m| m.label())
        .chain(["other (location, grade mix)"]);
    for (i, label) in labels.enumerate() {
        if let Some(part) = collected.part(i) {
            t.add_row(row(label, part));
        }
    }
    t.add_row(row("total", total));
    let strategy = |i: usize| scenario.strategies[i].id.as_str();
    let title = format!(
        "Economies of scale lost: NPV cost of `{}` minus `{}`, USD millions (Shapley decomposition)",
        strategy(comparison.fragmented),
        strategy(comparison.pooled),
    );
    format!(
        "{}\n{t}\n{}P(pooled cheaper) = {}\n",
        prose(&title),
        if shares {
            String::new()
        } else {
            format!("{}\n", prose(&no_shares_note(&total)))
        },
        probability(collected.share_total_positive().unwrap_or(0.0)),
    )
}

/// Why a decomposition shows no shares of the gap.
fn no_shares_note(total: &Summary) -> String {
    match total.half_width_95() {
        None => "A single replication does not tell whether the gap differs from zero: \
                 the parts are shown as amounts, not as shares of it."
            .to_owned(),
        Some(half_width) => format!(
            "The gap's 95% confidence interval ({} to {}) includes zero: its sign is not \
             known, so the parts are shown as amounts, not as shares of it.",
            millions(total.mean - half_width),
            millions(total.mean + half_width),
        ),
    }
}

/// Renders a batch's headline comparison: one block per scenario (so that
/// it fits 80 columns however many scenarios there are),
/// one row per strategy against the status quo: NPV savings (mean and 90%
/// interval), economies of scale lost, payback and P(cheaper).
pub(crate) fn render_batch(scenarios: &[BatchScenario]) -> String {
    let mut text = "NPV savings against each scenario's status quo and economies of scale lost \
                    (NPV cost above the pooled strategy's), USD millions; 90% interval = p5 to p95 \
                    over replications; payback = median years from the decision to move, of the \
                    replications that pay back.\n"
        .to_owned();
    text = prose(&text);
    for b in scenarios {
        let partial = if b.partial { ", PARTIAL (stopped)" } else { "" };
        text += &format!(
            "\n{}: {} years, {} replications{partial}\n{}\n",
            b.name,
            b.scenario.settings.horizon_years,
            b.replications,
            headline_table(b)
        );
    }
    text
}

/// One scenario's rows of the headline.
fn headline_table(b: &BatchScenario) -> FittedTable {
    let mut t = table(&[
        "strategy",
        "savings",
        "90% interval",
        "scale lost",
        "payback, years",
        "P(cheaper)",
    ]);
    for (s, strategy) in b.scenario.strategies.iter().enumerate().skip(1) {
        let summary = |m: Metric| b.metrics.summary(s, m);
        let (Some(savings), Some(cheaper)) = (
            summary(Metric::NpvSavingsUsd),
            summary(Metric::CheaperThanStatusQuo),
        ) else {
            continue;
        };
        let lost = summary(Metric::EconomiesOfScaleLostUsd)
            .filter(|_| b.scenario.comparison.is_some_and(|c| c.fragmented == s))
            .map_or("–".to_owned(), |x| millions(x.mean));
        let payback = summary(Metric::PaybackYearsFromDecision)
            .map_or("never".to_owned(), |p| format::decimal(p.p50, 1));
        t.add_row([
            strategy.id.clone(),
            millions(savings.mean),
            format!("{} to {}", millions(savings.p05), millions(savings.p95)),
            lost,
            payback,
            probability(cheaper.mean),
        ]);
    }
    t
}
