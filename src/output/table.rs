//! The human-readable summary printed at the end of a run.

use comfy_table::{CellAlignment, ContentArrangement, Table, presets};

use super::csv::BatchScenario;

use crate::metrics::Metric;
use crate::model::{Comparison, Mechanism, Scenario, Work};
use crate::stats::{DecompositionCollector, MetricCollector, Summary, Z_95};

const USD_PER_MILLION: f64 = 1e6;

/// A table whose first `text_columns` columns are text (left-aligned) and the
/// rest numbers (right-aligned).
pub(super) fn table_with_text(header: &[&str], text_columns: usize) -> Table {
    let mut t = Table::new();
    t.load_style(presets::UTF8_HORIZONTAL_ONLY)
        .set_header(header.iter().copied());
    for i in text_columns..header.len() {
        if let Some(column) = t.column_mut(i) {
            column.set_cell_alignment(CellAlignment::Right);
        }
    }
    t
}

/// A table whose first column is text and the rest numbers.
fn table(header: &[&str]) -> Table {
    table_with_text(header, 1)
}

fn millions(usd: f64) -> String {
    format!("{:.1}", usd / USD_PER_MILLION)
}

/// Renders the cost and savings table and the staffing and service table.
pub fn render(scenario: &Scenario, collected: &MetricCollector) -> String {
    let mut costs = table(&[
        "strategy",
        "NPV cost",
        "savings mean",
        "± 95%",
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
            cost_row.extend(std::iter::repeat_n("–".to_owned(), 6));
        } else {
            cost_row.extend([
                millions(savings.mean),
                millions(Z_95 * savings.se),
                millions(savings.p05),
                millions(savings.p50),
                millions(savings.p95),
                format!("{:.0}%", 100.0 * cheaper.mean),
            ]);
        }
        costs.add_row(cost_row);
        let fte = |m| format!("{:.1}", mean(m));
        operations.add_row([
            strategy.id.clone(),
            fte(Metric::FteGs),
            fte(Metric::FteNpo),
            fte(Metric::FteP),
            fte(Metric::FteD),
            fte(Metric::FteFs),
            fte(Metric::FteTotal),
            format!("{:.2}", mean(Metric::CostPerTransactionUsd)),
            format!("{:.1}%", 100.0 * mean(Metric::ServiceLevel)),
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
    let mut text = format!(
        "Cost over {} years, USD millions (NPV at {}% a year); savings against the status quo\n{costs}\n\n\
         Staff (average FTE per year) and service ({service})\n{operations}\n",
        settings.horizon_years,
        // Rounded to four decimals of a percent: a mean such as 0.035
        // would otherwise print as 3.5000000000000004.
        (scenario.mean_of(settings.discount_rate_per_year) * 1e6).round() / 1e4,
    );
    if scenario.strategies.iter().any(|s| s.migration.is_some()) {
        text.push_str(&format!(
            "\nThe move: one-off costs (undiscounted, USD millions) and payback\n{}\n",
            render_move(scenario, collected)
        ));
    }
    text
}

/// The transition table: one-off costs, payback and bad go-lives of the
/// strategies with a migration plan.
fn render_move(scenario: &Scenario, collected: &MetricCollector) -> Table {
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
            |m: Metric| summary(m).map_or("never".to_owned(), |p| format!("{:.1}", p.p50));
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
            format!("{:.0}%", 100.0 * paid_back),
            format!("{bad:.2}"),
        ]);
    }
    t
}

/// Renders the decomposition of the economies of scale lost by the
/// fragmented strategy against the pooled one.
pub fn render_decomposition(
    scenario: &Scenario,
    comparison: Comparison,
    collected: &DecompositionCollector,
) -> String {
    let Some(total) = collected.total() else {
        return String::new();
    };
    let mut t = table(&["mechanism", "mean", "share of gap", "p5", "p95"]);
    let labels = Mechanism::ALL
        .iter()
        .map(|m| m.label())
        .chain(["other (location, grade mix)"]);
    let share = |mean: f64| {
        if total.mean != 0.0 {
            format!("{:.0}%", 100.0 * mean / total.mean)
        } else {
            "–".to_owned()
        }
    };
    for (i, label) in labels.enumerate() {
        let Some(part) = collected.part(i) else {
            continue;
        };
        t.add_row([
            label.to_owned(),
            millions(part.mean),
            share(part.mean),
            millions(part.p05),
            millions(part.p95),
        ]);
    }
    t.add_row([
        "total".to_owned(),
        millions(total.mean),
        share(total.mean),
        millions(total.p05),
        millions(total.p95),
    ]);
    let strategy = |i: usize| scenario.strategies[i].id.as_str();
    format!(
        "Economies of scale lost: NPV cost of `{}` minus `{}`, USD millions (Shapley decomposition)\n{t}\n\
         P(pooled cheaper) = {:.0}%\n",
        strategy(comparison.fragmented),
        strategy(comparison.pooled),
        100.0 * collected.share_total_positive().unwrap_or(0.0),
    )
}

/// The width the batch's headline fits: a terminal's default.
const HEADLINE_WIDTH_COLUMNS: u16 = 80;

/// Renders a batch's headline comparison: one block per scenario (so that
/// it fits 80 columns however many scenarios there are),
/// one row per strategy against the status quo: NPV savings (mean and 90%
/// interval), economies of scale lost, payback and P(cheaper).
pub fn render_batch(scenarios: &[BatchScenario]) -> String {
    let mut text = "NPV savings against each scenario's status quo and economies of scale lost \
                    (NPV cost above the pooled strategy's), USD millions; 90% interval = p5 to p95 \
                    over replications; payback = median years from the decision to move, of the \
                    replications that pay back.\n"
        .to_owned();
    text = wrap_words(&text, usize::from(HEADLINE_WIDTH_COLUMNS));
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
fn headline_table(b: &BatchScenario) -> Table {
    let mut t = table(&[
        "strategy",
        "savings",
        "90% interval",
        "scale lost",
        "payback, years",
        "P(cheaper)",
    ]);
    t.set_width(HEADLINE_WIDTH_COLUMNS)
        .set_content_arrangement(ContentArrangement::Dynamic);
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
            .map_or("never".to_owned(), |p| format!("{:.1}", p.p50));
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

/// A probability in whole per cent, never rounded to 0% or 100% when it is
/// strictly between: a reader takes 100% for certainty.
fn probability(p: f64) -> String {
    let percent = (100.0 * p).round();
    if p > 0.0 && percent == 0.0 {
        "<1%".to_owned()
    } else if p < 1.0 && percent == 100.0 {
        ">99%".to_owned()
    } else {
        format!("{percent:.0}%")
    }
}

/// `text` with its words wrapped at `width` columns.
fn wrap_words(text: &str, width: usize) -> String {
    let mut out = String::new();
    for paragraph in text.lines() {
        let mut line = String::new();
        for word in paragraph.split_whitespace() {
            if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
                out += &line;
                out.push('\n');
                line.clear();
            }
            if !line.is_empty() {
                line.push(' ');
            }
            line += word;
        }
        out += &line;
        out.push('\n');
    }
    out
}
