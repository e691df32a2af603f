//! Who should pool with whom, and how to share the bill: the tables of
//! `sscsim pool`, from `coalitions.csv` and `allocation.csv`.

use maud::{Markup, html};

use super::files::{AllocationRow, CoalitionRow, ResultFiles};
use super::format::{percent_or_dash, probability_or_dash, usd_millions_or_dash};
use super::section::{Body, Section, headings, number_cells};
use crate::results::ResultFile;

/// The pool section: either table, or both.
pub fn section(files: &ResultFiles) -> Section {
    let body = if files.coalitions.is_none() && files.allocation.is_none() {
        Body::Absent(format!(
            "this folder has no {} or {} (they are written by `sscsim pool --out`).",
            ResultFile::Coalitions.name(),
            ResultFile::Allocation.name()
        ))
    } else {
        Body::Shown(html! {
            @match &files.coalitions {
                Some(rows) => (coalitions(rows)),
                None => p.absent { "No ranking: this folder has no " (ResultFile::Coalitions.name()) "." },
            }
            @match &files.allocation {
                Some(rows) => (allocation(rows)),
                None => p.absent { "No cost sharing: this folder has no " (ResultFile::Allocation.name()) "." },
            }
        })
    };
    Section {
        id: "pool",
        title: "Who should pool with whom".into(),
        sources: "coalitions.csv and allocation.csv",
        body,
    }
}

fn coalitions(rows: &[CoalitionRow]) -> Markup {
    html! {
        h3 { "The cheapest coalition structures" }
        table {
            caption { "Partitions of the agencies into centres, each at a location, cheapest first; NPV cost in USD million" }
            thead { tr {
                th.num scope="col" { "Rank" }
                (headings(&["Structure"], &[
                    "Centres", "NPV cost", "p5", "p95", "Service level", "Beats the next"
                ]))
            } }
            tbody {
                @for r in rows {
                    tr {
                        td.num { (r.rank) }
                        th scope="row" {
                            @for (i, block) in r.structure.split(" | ").enumerate() {
                                @if i > 0 { br; }
                                code { (block) }
                            }
                        }
                        (number_cells(&[
                            r.centres.clone(),
                            usd_millions_or_dash(r.npv_cost_usd),
                            usd_millions_or_dash(r.p05),
                            usd_millions_or_dash(r.p95),
                            percent_or_dash(r.service_level),
                            probability_or_dash(r.prob_beats_next),
                        ]))
                    }
                }
            }
        }
        p {
            "A structure is written " code { "agency+agency@location" } ", one block per centre. "
            "“Beats the next”: the share of replications in which it costs less than the structure "
            "ranked after it."
        }
    }
}

/// A sharing method for a reader.
fn method_name(method: &str) -> String {
    match method {
        "shapley" => "Shapley value".into(),
        "volume" => "Workload share".into(),
        "equal" => "Equal split".into(),
        other => other.to_owned(),
    }
}

fn allocation(rows: &[AllocationRow]) -> Markup {
    let mut methods: Vec<&str> = Vec::new();
    for r in rows {
        if !methods.contains(&r.method.as_str()) {
            methods.push(&r.method);
        }
    }
    html! {
        h3 { "Sharing the cost of one centre for all" }
        @for method in &methods {
            table {
                caption { (method_name(method)) ", USD million" }
                thead { tr {
                    (headings(&["Agency"], &[
                        "Share", "Share of cost", "Best solo centre", "Saving against solo",
                        "Better off", "In the core"
                    ]))
                } }
                tbody {
                    @for r in rows.iter().filter(|r| r.method == *method) {
                        tr {
                            th scope="row" { code { (r.agency) } }
                            (number_cells(&[
                                usd_millions_or_dash(r.share_usd),
                                percent_or_dash(r.share_of_cost),
                                usd_millions_or_dash(r.solo_cost_usd),
                                usd_millions_or_dash(r.saving_vs_solo_usd),
                                probability_or_dash(r.better_off),
                                probability_or_dash(r.in_core),
                            ]))
                        }
                    }
                }
            }
        }
        p {
            "“Better off”: the share of replications in which the agency pays less than its best "
            "solo centre. “In the core”: the share in which no group of agencies would pay less "
            "on its own than the method asks of it."
        }
    }
}
