//! Who should pool with whom, and how to share the bill: the tables and
//! charts of `sscsim pool`, from `coalitions.csv` and `allocation.csv`.
//! Structures within noise of the best are marked as ties, so the ranking
//! does not claim an order the replications cannot show.

use maud::{Markup, html};
use plotters::coord::ranged1d::SegmentValue;
use plotters::prelude::*;

use super::ReportError;
use super::chart::{self, ChartSpec, DrawResult, Mark, WIDTH_PX};
use super::files::{AllocationRow, CoalitionRow, ResultFiles};
use super::format::{self, percent_or_dash, probability_or_dash, usd_millions_or_dash};
use super::section::{Body, Section, headings, number_cells};
use crate::results::ResultFile;

/// The pool section: either table, or both, each with its chart.
///
/// # Errors
/// When a chart fails to draw.
pub(crate) fn section(files: &ResultFiles) -> Result<Section, ReportError> {
    let body = if files.coalitions.is_none() && files.allocation.is_none() {
        Body::Absent(format!(
            "this folder has no {} or {} (they are written by `sscsim pool --out`).",
            ResultFile::Coalitions.name(),
            ResultFile::Allocation.name()
        ))
    } else {
        let ranking = files.coalitions.as_deref().map(coalitions).transpose()?;
        let sharing = files.allocation.as_deref().map(allocation).transpose()?;
        Body::Shown(html! {
            @match ranking {
                Some(markup) => (markup),
                None => p.absent { "No ranking: this folder has no " (ResultFile::Coalitions.name()) "." },
            }
            @match sharing {
                Some(markup) => (markup),
                None => p.absent { "No cost sharing: this folder has no " (ResultFile::Allocation.name()) "." },
            }
        })
    };
    Ok(Section {
        id: "pool",
        title: "Who should pool with whom".into(),
        sources: "coalitions.csv and allocation.csv",
        body,
    })
}

/// A structure's rank for a reader: `=2` when it ties the best.
fn rank_label(row: &CoalitionRow) -> String {
    if row.is_tie() && row.above_best_usd.is_some() {
        format!("={}", row.rank)
    } else {
        row.rank.clone()
    }
}

/// The paired difference from the best, `+1.20 ± 0.45` USD million: both
/// to the same two decimals, so a difference and its half-width compare at
/// a glance.
fn above_best(row: &CoalitionRow) -> String {
    match (row.above_best_usd, row.above_best_half_width_usd) {
        (Some(d), Some(h)) => format!(
            "+{} ± {}",
            format::decimal(d / 1e6, 2),
            format::decimal(h / 1e6, 2)
        ),
        _ => "–".to_owned(),
    }
}

fn coalitions(rows: &[CoalitionRow]) -> Result<Markup, ReportError> {
    let ties = rows
        .iter()
        .filter(|r| r.is_tie() && r.above_best_usd.is_some())
        .count();
    Ok(html! {
        h3 { "The cheapest coalition structures" }
        (cost_figure(rows)?)
        @if ties > 0 {
            p {
                strong { (ties) " of the " (rows.len() - 1) " structures after the best tie with it" }
                " (marked “=”): the replications cannot tell them apart, so their order is noise."
            }
        }
        // The structures are long (ten agencies make a block of some 70
        // characters): each block may wrap after a `+`, so the table fits
        // the page; on a narrow screen it scrolls within its box.
        div.table-scroll { table {
            caption { "Partitions of the agencies into centres, each at a location, cheapest first; NPV cost in USD million" }
            thead { tr {
                th.num scope="col" { "Rank" }
                (headings(&["Structure"], &[
                    "Centres", "NPV cost", "p5", "p95", "Service level", "Beats the next",
                    "Above the best"
                ]))
            } }
            tbody {
                @for r in rows {
                    tr {
                        td.num { (rank_label(r)) }
                        th.structure scope="row" {
                            @for block in r.structure.split(" | ") {
                                code {
                                    @for (j, part) in block.split('+').enumerate() {
                                        @if j > 0 { "+" wbr; }
                                        (part)
                                    }
                                }
                            }
                        }
                        (number_cells(&[
                            r.centres.clone(),
                            usd_millions_or_dash(r.npv_cost_usd),
                            usd_millions_or_dash(r.p05),
                            usd_millions_or_dash(r.p95),
                            percent_or_dash(r.service_level),
                            probability_or_dash(r.prob_beats_next),
                            above_best(r),
                        ]))
                    }
                }
            }
        } }
        p {
            "A structure is written " code { "agency+agency@location" } ", one block per centre. "
            "“Beats the next”: the share of replications in which it costs less than the structure "
            "ranked after it. “Above the best”: its cost minus the best structure's, replication by "
            "replication (the same draws), as the mean ± the half-width of its 95% confidence "
            "interval. A rank marked “=” ties the best: that interval includes zero."
        }
    })
}

/// A sharing method for a reader.
fn method_name(method: &str) -> String {
    match method {
        "shapley" => "Shapley value".into(),
        "volume" => "Workload share".into(),
        "equal" => "Equal split".into(),
        "least_core" => "Least core".into(),
        "nucleolus" => "Nucleolus".into(),
        other => other.to_owned(),
    }
}

fn allocation(rows: &[AllocationRow]) -> Result<Markup, ReportError> {
    let mut methods: Vec<&str> = Vec::new();
    for r in rows {
        if !methods.contains(&r.method.as_str()) {
            methods.push(&r.method);
        }
    }
    Ok(html! {
        h3 { "Sharing the cost of one centre for all" }
        (share_figure(rows, &methods)?)
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
                                share_with_se(r),
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
            "on its own than the method asks of it. The least core and the nucleolus are "
            "computed once, on the mean costs, and that split is checked in every replication."
        }
        (would_leave(rows, &methods))
        (core_note())
    })
}

/// A share in USD millions, with `± SE` when it was sampled.
fn share_with_se(row: &AllocationRow) -> String {
    match row.share_se_usd {
        Some(se) => format!(
            "{} ± {}",
            usd_millions_or_dash(row.share_usd),
            format::decimal(se / 1e6, 2)
        ),
        None => usd_millions_or_dash(row.share_usd),
    }
}

/// Per method, the group of largest excess on the mean game: whether any
/// group would do better alone. Nothing for files without the columns.
fn would_leave(rows: &[AllocationRow], methods: &[&str]) -> Markup {
    let groups: Vec<(&str, &AllocationRow)> = methods
        .iter()
        .filter_map(|m| {
            let row = rows.iter().find(|r| r.method == *m)?;
            (!row.largest_excess_group.is_empty() && row.largest_excess_usd.is_some())
                .then_some((*m, row))
        })
        .collect();
    html! {
        @if !groups.is_empty() {
            p { "Would any group do better alone? On the mean costs, under each method's mean "
                "split, the group charged most above its own centre's cost:" }
            ul {
                @for (method, row) in &groups {
                    @let excess = row.largest_excess_usd.unwrap_or(0.0);
                    li {
                        (method_name(method)) ": "
                        @if excess > 0.0 {
                            "yes, " code { (row.largest_excess_group) } " would pay "
                            (usd_millions_or_dash(Some(excess))) " USD million less alone."
                        } @else {
                            "no; the closest, " code { (row.largest_excess_group) } ", is charged "
                            (usd_millions_or_dash(Some(-excess))) " USD million below its own cost."
                        }
                    }
                }
            }
        }
    }
}

/// What the core is, and why a method can be in it 0% of the time.
fn core_note() -> Markup {
    html! {
        p {
            "The " strong { "core" } " of the cost game is the set of splits of the centre's cost "
            "that no group of agencies would leave: each group pays at most what its own centre "
            "would cost. “In the core” 0% means that in every replication some group would do "
            "better alone under that split. When another method stays in the core, the split "
            "ignores who causes the cost — an equal split, say, charges a small agency more than "
            "its own centre would. When every method shows 0%, none of these splits is stable, "
            "and the core may be empty: no split at all keeps every agency in one centre."
        }
    }
}

/// The colour of the best structure and those tied with it.
const TIED: RGBColor = chart::COLOURS[0];

/// The cheapest structures' NPV cost: the p5–p95 interval and the mean,
/// ties with the best in colour, the others grey.
fn cost_figure(rows: &[CoalitionRow]) -> Result<Markup, ReportError> {
    let description = rows
        .iter()
        .map(|r| {
            format!(
                "Rank {}: {}, {} USD million (p5 {}, p95 {}).",
                rank_label(r),
                r.structure,
                usd_millions_or_dash(r.npv_cost_usd),
                usd_millions_or_dash(r.p05),
                usd_millions_or_dash(r.p95)
            )
        })
        .collect::<Vec<_>>()
        .join(" ");
    let spec = ChartSpec {
        id: "chart-structures",
        kind: "structures",
        title: "NPV cost of the cheapest coalition structures",
        description: &description,
        size_px: (WIDTH_PX, 360),
    };
    chart::figure(
        &spec,
        |root| draw_costs(root, rows),
        html! {
            "Each structure's NPV cost over replications, USD million, by rank: the line runs "
            "from the 5th to the 95th percentile, the dot is the mean. Blue: the best and the "
            "structures tied with it; grey: significantly dearer than the best."
        },
    )
}

fn draw_costs(
    root: &DrawingArea<SVGBackend, plotters::coord::Shift>,
    rows: &[CoalitionRow],
) -> DrawResult {
    let m = |v: Option<f64>| v.map(|v| v / 1e6);
    let values = rows
        .iter()
        .flat_map(|r| [m(r.p05), m(r.npv_cost_usd), m(r.p95)])
        .flatten();
    let (lo, hi) = chart::padded_range(values, None, 0.1);
    let labels: Vec<String> = rows.iter().map(rank_label).collect();
    let entries = [
        (Mark::Dot(TIED), "best, and tied with it".to_owned()),
        (
            Mark::Dot(chart::STATUS_QUO_COLOUR),
            "dearer than the best".to_owned(),
        ),
    ];
    let plot = chart::titled_with_legend(
        root,
        "NPV cost of the cheapest structures (USD million)",
        &entries,
    )?;
    let mut chart = chart::labelled_columns(
        &plot,
        &labels,
        (lo, hi),
        Some("rank (“=”: tied with the best)"),
        "NPV cost, USD million",
    )?;
    for (i, r) in rows.iter().enumerate() {
        let colour = if i == 0 || r.is_tie() {
            TIED
        } else {
            chart::STATUS_QUO_COLOUR
        };
        let x = SegmentValue::CenterOf(i as u32);
        if let (Some(p05), Some(p95)) = (m(r.p05), m(r.p95)) {
            chart.draw_series([PathElement::new(
                [(x.clone(), p05), (x.clone(), p95)],
                colour.stroke_width(3),
            )])?;
        }
        if let Some(mean) = m(r.npv_cost_usd) {
            chart.draw_series([Circle::new((x, mean), 6, colour.filled())])?;
        }
    }
    Ok(())
}

/// Each agency's share of the centre for all under each method, beside
/// what its best solo centre would cost.
fn share_figure(rows: &[AllocationRow], methods: &[&str]) -> Result<Markup, ReportError> {
    let agencies = agencies(rows);
    let description = agencies
        .iter()
        .map(|a| {
            let shares = methods
                .iter()
                .map(|m| {
                    format!(
                        "{} {}",
                        method_name(m),
                        usd_millions_or_dash(share(rows, m, a))
                    )
                })
                .collect::<Vec<_>>()
                .join(", ");
            format!(
                "{a}: {shares}; alone {} USD million.",
                usd_millions_or_dash(solo(rows, a))
            )
        })
        .collect::<Vec<_>>()
        .join(" ");
    let spec = ChartSpec {
        id: "chart-shares",
        kind: "shares",
        title: "Each agency's share of the centre for all, by method, against its cost alone",
        description: &description,
        size_px: (WIDTH_PX, 380),
    };
    chart::figure(
        &spec,
        |root| draw_shares(root, rows, methods, &agencies),
        html! {
            "Each agency's mean share of the NPV cost of one centre for all, USD million, by "
            "method (bars), and the NPV cost of its best solo centre (the dark line across its "
            "bars). A bar above the line: under that method the agency pays more than it would alone."
        },
    )
}

/// The agencies of `allocation.csv`, in file order.
fn agencies(rows: &[AllocationRow]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for r in rows {
        if !out.contains(&r.agency) {
            out.push(r.agency.clone());
        }
    }
    out
}

fn share(rows: &[AllocationRow], method: &str, agency: &str) -> Option<f64> {
    rows.iter()
        .find(|r| r.method == method && r.agency == agency)?
        .share_usd
}

fn solo(rows: &[AllocationRow], agency: &str) -> Option<f64> {
    rows.iter().find(|r| r.agency == agency)?.solo_cost_usd
}

fn draw_shares(
    root: &DrawingArea<SVGBackend, plotters::coord::Shift>,
    rows: &[AllocationRow],
    methods: &[&str],
    agencies: &[String],
) -> DrawResult {
    // One slot per method and agency, and a gap slot between agencies.
    let per_agency = methods.len() as u32 + 1;
    let slots = per_agency * agencies.len() as u32 - 1;
    let slot = |a: usize, m: usize| a as u32 * per_agency + m as u32;
    let mut labels = vec![String::new(); slots as usize];
    for (a, agency) in agencies.iter().enumerate() {
        labels[slot(a, (methods.len().saturating_sub(1)) / 2) as usize] = agency.clone();
    }
    let values: Vec<f64> = rows
        .iter()
        .flat_map(|r| [r.share_usd, r.solo_cost_usd])
        .flatten()
        .map(|v| v / 1e6)
        .collect();
    let (lo, hi) = chart::range_from_zero(&values, 0.08);
    let colour = |m: usize| chart::COLOURS[(m + 1) % chart::COLOURS.len()];
    let mut entries: Vec<(Mark, String)> = methods
        .iter()
        .enumerate()
        .map(|(i, m)| (Mark::Swatch(colour(i)), method_name(m)))
        .collect();
    entries.push((Mark::Line(chart::INK), "its best solo centre".to_owned()));
    let plot = chart::titled_with_legend(
        root,
        "Shares of the centre for all against going alone (USD million)",
        &entries,
    )?;
    let mut chart = chart::labelled_columns(&plot, &labels, (lo, hi), None, "NPV, USD million")?;
    for (a, agency) in agencies.iter().enumerate() {
        for (i, method) in methods.iter().enumerate() {
            if let Some(v) = share(rows, method, agency) {
                let s = slot(a, i);
                let mut bar = Rectangle::new(
                    [
                        (SegmentValue::Exact(s), 0.0),
                        (SegmentValue::Exact(s + 1), v / 1e6),
                    ],
                    colour(i).filled(),
                );
                bar.set_margin(0, 0, 2, 2);
                chart.draw_series([bar])?;
            }
        }
        if let Some(v) = solo(rows, agency) {
            let first = SegmentValue::Exact(slot(a, 0));
            let last = SegmentValue::Exact(slot(a, methods.len()));
            chart.draw_series([PathElement::new(
                [(first, v / 1e6), (last, v / 1e6)],
                chart::INK.stroke_width(3),
            )])?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(above_best_usd: Option<f64>, half_width_usd: Option<f64>) -> CoalitionRow {
        CoalitionRow {
            rank: "2".into(),
            structure: "a+b@budapest".into(),
            centres: "1".into(),
            npv_cost_usd: Some(1e8),
            p05: None,
            p95: None,
            service_level: None,
            prob_beats_next: None,
            above_best_usd,
            above_best_half_width_usd: half_width_usd,
            tied_with_best: None,
        }
    }

    #[test]
    fn a_difference_from_the_best_and_its_half_width_show_the_same_decimals() {
        // 14 220 000 USD = 14.22 million; 1 000 000 = 1.00 (not "1").
        assert_eq!(above_best(&row(Some(14.22e6), Some(1e6))), "+14.22 ± 1.00");
        assert_eq!(above_best(&row(Some(0.5e6), Some(5.21e6))), "+0.50 ± 5.21");
        assert_eq!(above_best(&row(None, None)), "–");
    }
}
