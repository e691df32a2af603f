//! The human-readable summary printed at the end of a run.

use comfy_table::{CellAlignment, Table, presets};

use crate::metrics::Metric;
use crate::model::Scenario;
use crate::stats::MetricCollector;

const USD_PER_MILLION: f64 = 1e6;

fn table(header: &[&str]) -> Table {
    let mut t = Table::new();
    t.load_style(presets::UTF8_HORIZONTAL_ONLY)
        .set_header(header.iter().copied());
    for i in 1..header.len() {
        if let Some(column) = t.column_mut(i) {
            column.set_cell_alignment(CellAlignment::Right);
        }
    }
    t
}

/// Renders the cost and savings table and the staffing and service table.
pub fn render(scenario: &Scenario, collected: &MetricCollector) -> String {
    let settings = &scenario.settings;
    let mean = |s: usize, m: Metric| collected.summary(s, m.index()).map_or(f64::NAN, |x| x.mean);
    let millions = |v: f64| format!("{:.1}", v / USD_PER_MILLION);

    let mut costs = table(&[
        "strategy",
        "NPV cost",
        "savings mean",
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
        let Some(savings) = collected.summary(s, Metric::NpvSavingsUsd.index()) else {
            continue;
        };
        let is_baseline = s == 0;
        let dash = || "–".to_owned();
        costs.add_row([
            strategy.id.clone(),
            millions(mean(s, Metric::NpvCostUsd)),
            if is_baseline {
                dash()
            } else {
                millions(savings.mean)
            },
            if is_baseline {
                dash()
            } else {
                millions(savings.p05)
            },
            if is_baseline {
                dash()
            } else {
                millions(savings.p50)
            },
            if is_baseline {
                dash()
            } else {
                millions(savings.p95)
            },
            if is_baseline {
                dash()
            } else {
                format!("{:.0}%", 100.0 * mean(s, Metric::CheaperThanStatusQuo))
            },
        ]);
        let fte = |m| format!("{:.1}", mean(s, m));
        operations.add_row([
            strategy.id.clone(),
            fte(Metric::FteGs),
            fte(Metric::FteNpo),
            fte(Metric::FteP),
            fte(Metric::FteD),
            fte(Metric::FteFs),
            fte(Metric::FteTotal),
            format!("{:.2}", mean(s, Metric::CostPerTransactionUsd)),
            format!("{:.1}%", 100.0 * mean(s, Metric::ServiceLevel)),
        ]);
    }
    format!(
        "Cost over {} years, USD millions (NPV at {}% a year); savings against the status quo\n{costs}\n\n\
         Staff (average FTE per year) and service (share on time)\n{operations}\n",
        settings.horizon_years,
        scenario.mean_of(settings.discount_rate_per_year) * 100.0,
    )
}
