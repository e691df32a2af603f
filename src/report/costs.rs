//! The headline numbers and the table of costs and savings per strategy,
//! from `summary.csv`.

use maud::{Markup, html};

use super::chart::{Palette, STATUS_QUO};
use super::files::{ECONOMIES_OF_SCALE_LOST, NPV_SAVINGS, ResultFiles};
use super::format::{probability, probability_or_dash, usd_millions, usd_millions_or_dash};
use super::section::{Body, Section, WRITTEN_BY_RUN, headings, number_cells};
use crate::metrics::Metric;
use crate::results::ResultFile;

/// The strategy with the largest mean savings (not the status quo), with
/// that mean.
pub(crate) fn best_strategy(files: &ResultFiles) -> Option<(&str, f64)> {
    files
        .summary
        .as_ref()?
        .iter()
        .filter(|r| r.metric == NPV_SAVINGS && r.strategy != STATUS_QUO)
        .filter_map(|r| Some((r.strategy.as_str(), r.mean?)))
        .fold(None, |best: Option<(&str, f64)>, (s, mean)| match best {
            Some((_, m)) if m >= mean => best,
            _ => Some((s, mean)),
        })
}

/// The boxes under the title: the best strategy's savings and, with a
/// comparison, the economies of scale lost.
pub(crate) fn key_figures(files: &ResultFiles) -> Markup {
    let best = best_strategy(files);
    let lost = files.fragmented().and_then(|fragmented| {
        let row = files.summary_row(fragmented, ECONOMIES_OF_SCALE_LOST)?;
        Some((fragmented, row))
    });
    html! {
        @if best.is_some() || lost.is_some() {
            div.key-figures {
                @if let Some((strategy, mean)) = best {
                    @let row = files.summary_row(strategy, NPV_SAVINGS);
                    div.key-figure {
                        span.value { "USD " (usd_millions(mean)) " m" }
                        span.label {
                            "NPV savings of " code { (strategy) } " against the status quo, the largest "
                            "(mean; p5 " (usd_millions_or_dash(row.and_then(|r| r.p05)))
                            ", p95 " (usd_millions_or_dash(row.and_then(|r| r.p95))) "). "
                            @if let Some(p) = files.summary_mean(strategy, "cheaper_than_status_quo") {
                                "Cheaper than the status quo in " (probability(p)) " of replications."
                            }
                        }
                    }
                }
                @if let Some((fragmented, row)) = lost {
                    div.key-figure {
                        span.value { "USD " (usd_millions_or_dash(row.mean)) " m" }
                        span.label {
                            "Economies of scale lost by " code { (fragmented) }
                            @if let Some(pooled) = &files.manifest.pooled {
                                " against " code { (pooled) }
                            }
                            " (mean NPV; p5 " (usd_millions_or_dash(row.p05))
                            ", p95 " (usd_millions_or_dash(row.p95)) "). "
                            @if let Some(p) = files.summary_mean(fragmented, "pooled_cheaper") {
                                "Pooling is cheaper in " (probability(p)) " of replications."
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The costs-and-savings section.
pub(crate) fn section(files: &ResultFiles, palette: &Palette) -> Section {
    let body = match &files.summary {
        None => Body::no_file(ResultFile::Summary, WRITTEN_BY_RUN),
        Some(_) => Body::Shown(table(files, palette)),
    };
    Section {
        id: "costs",
        title: "Costs and savings".into(),
        sources: ResultFile::Summary.name(),
        body,
    }
}

fn table(files: &ResultFiles, palette: &Palette) -> Markup {
    let strategies: Vec<String> = files
        .strategy_order()
        .into_iter()
        .filter(|s| files.summary_row(s, Metric::NpvCostUsd.name()).is_some())
        .collect();
    let with_comparison = strategies
        .iter()
        .any(|s| files.summary_row(s, ECONOMIES_OF_SCALE_LOST).is_some());
    html! {
        table {
            caption { "Net present value over the horizon per strategy, USD million (mean over replications)" }
            thead {
                tr {
                    (headings(&["Strategy"], &[
                        "NPV cost", "Savings", "Savings p5", "Savings p95",
                        "Cheaper than status quo"
                    ]))
                    @if with_comparison {
                        th.num scope="col" { "Economies of scale lost" }
                    }
                }
            }
            tbody {
                @for s in &strategies {
                    @let savings = files.summary_row(s, NPV_SAVINGS);
                    tr {
                        (palette.row_heading(s))
                        (number_cells(&[
                            usd_millions_or_dash(files.summary_mean(s, Metric::NpvCostUsd.name())),
                            usd_millions_or_dash(savings.and_then(|r| r.mean)),
                            usd_millions_or_dash(savings.and_then(|r| r.p05)),
                            usd_millions_or_dash(savings.and_then(|r| r.p95)),
                            probability_or_dash(files.summary_mean(s, "cheaper_than_status_quo")),
                        ]))
                        @if with_comparison {
                            td.num { (usd_millions_or_dash(files.summary_mean(s, ECONOMIES_OF_SCALE_LOST))) }
                        }
                    }
                }
            }
        }
        p {
            "Savings are the status quo's NPV cost minus the strategy's, replication by replication, "
            "so both carry the same draws. "
            @if with_comparison {
                "Economies of scale lost: the strategy's NPV cost minus the pooled strategy's."
            }
        }
    }
}
