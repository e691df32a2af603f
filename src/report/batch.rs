//! The report of a batch's folder (`sscsim batch --report`, or `sscsim
//! report` on the folder): its scenarios side by side, from
//! `comparison.csv` alone — the headline table, NPV savings and the
//! economies of scale lost with their 90% intervals — and links to each
//! scenario's own `report.html`, relative, so the folder can be moved.

use std::path::Path;

use maud::{DOCTYPE, Markup, PreEscaped, html};
use plotters::prelude::*;

use super::ReportError;
use super::chart::{self, COLOURS, ChartSpec, DrawResult, Mark, Palette, WIDTH_PX};
use super::format::{self, MISSING};
use super::page::style_sheet;
use crate::results::ResultFile;
use crate::results::columns::COMPARISON_HEADER;
use crate::results::read::{Record, finite, read_all};

/// One row of `comparison.csv`.
#[derive(Clone, Debug, serde::Deserialize, PartialEq)]
pub struct ComparisonRow {
    /// The scenario's result sub-folder.
    pub scenario: String,
    /// Strategy id.
    pub strategy: String,
    /// Metric name.
    pub metric: String,
    /// Mean over replications.
    #[serde(deserialize_with = "finite")]
    pub mean: Option<f64>,
    /// 5th percentile.
    #[serde(deserialize_with = "finite")]
    pub p05: Option<f64>,
    /// Median.
    #[serde(deserialize_with = "finite")]
    pub p50: Option<f64>,
    /// 95th percentile.
    #[serde(deserialize_with = "finite")]
    pub p95: Option<f64>,
    /// The scenario's horizon.
    pub horizon_years: u32,
    /// The scenario's replications.
    pub replications: u64,
    /// Whether a stop cut the scenario's run short.
    pub partial: bool,
}

impl Record for ComparisonRow {
    const COLUMNS: &'static [&'static str] = &COMPARISON_HEADER;
}

/// Whether `dir` is a batch's folder: it has `comparison.csv` and no
/// manifest of its own (each scenario's sub-folder has one).
pub fn is_batch(dir: &Path) -> bool {
    dir.join(ResultFile::Comparison.name()).is_file()
        && !dir.join(ResultFile::Manifest.name()).exists()
}

/// The rows of a batch folder's `comparison.csv`.
///
/// # Errors
/// When the file cannot be read or lacks a column.
pub(crate) fn read(dir: &Path) -> Result<Vec<ComparisonRow>, ReportError> {
    Ok(read_all(&dir.join(ResultFile::Comparison.name()))?.unwrap_or_default())
}

/// The scenarios of `rows` that ran (wholly or partly), in file order,
/// each once.
pub(crate) fn scenarios(rows: &[ComparisonRow]) -> Vec<&str> {
    names_where(rows, |row| !row.is_not_run())
}

/// The scenarios of `rows` that a stop prevented from starting, in file
/// order, each once.
pub(crate) fn not_run(rows: &[ComparisonRow]) -> Vec<&str> {
    names_where(rows, ComparisonRow::is_not_run)
}

impl ComparisonRow {
    /// Whether the row stands for a scenario the batch never started: no
    /// replication ran (see [`crate::output::csv::NotRunScenario`]).
    pub(crate) fn is_not_run(&self) -> bool {
        self.replications == 0
    }
}

/// The scenarios of the rows that pass `keep`, in file order, each once.
fn names_where(rows: &[ComparisonRow], keep: impl Fn(&ComparisonRow) -> bool) -> Vec<&str> {
    let mut names: Vec<&str> = Vec::new();
    for row in rows.iter().filter(|r| keep(r)) {
        if !names.contains(&row.scenario.as_str()) {
            names.push(&row.scenario);
        }
    }
    names
}

/// One strategy of one scenario, as the page compares them.
struct Line<'a> {
    scenario: &'a str,
    strategy: &'a str,
    partial: bool,
    horizon_years: u32,
    savings: Option<&'a ComparisonRow>,
    lost: Option<&'a ComparisonRow>,
    payback: Option<&'a ComparisonRow>,
    cheaper: Option<&'a ComparisonRow>,
}

/// Every strategy but the status quo, of every scenario, in file order;
/// the economies of scale lost only on the fragmented strategy of its
/// scenario's comparison (`fragmented(scenario)`), where they mean what
/// they say.
fn lines<'a>(
    rows: &'a [ComparisonRow],
    fragmented: &dyn Fn(&str) -> Option<String>,
) -> Vec<Line<'a>> {
    let mut lines: Vec<Line> = Vec::new();
    for row in rows {
        if row.strategy == chart::STATUS_QUO || row.is_not_run() {
            continue;
        }
        let line = match lines
            .iter_mut()
            .find(|l| l.scenario == row.scenario && l.strategy == row.strategy)
        {
            Some(line) => line,
            None => {
                lines.push(Line {
                    scenario: &row.scenario,
                    strategy: &row.strategy,
                    partial: row.partial,
                    horizon_years: row.horizon_years,
                    savings: None,
                    lost: None,
                    payback: None,
                    cheaper: None,
                });
                lines.last_mut().expect("just pushed")
            }
        };
        match row.metric.as_str() {
            "npv_savings_usd" => line.savings = Some(row),
            "economies_of_scale_lost_usd"
                if fragmented(&row.scenario).as_deref() == Some(&row.strategy) =>
            {
                line.lost = Some(row);
            }
            "payback_years_from_decision" => line.payback = Some(row),
            "cheaper_than_status_quo" => line.cheaper = Some(row),
            _ => {}
        }
    }
    lines
}

/// The batch page of the rows of `comparison.csv`; `fragmented` gives a
/// scenario's fragmented strategy (from its manifest), if it compares.
///
/// # Errors
/// When a chart fails to draw.
pub fn render(
    rows: &[ComparisonRow],
    fragmented: &dyn Fn(&str) -> Option<String>,
) -> Result<String, ReportError> {
    let lines = lines(rows, fragmented);
    let names = scenarios(rows);
    let not_run = not_run(rows);
    let mut strategies: Vec<String> = Vec::new();
    for l in &lines {
        if !strategies.iter().any(|s| s == l.strategy) {
            strategies.push(l.strategy.to_owned());
        }
    }
    // Colours tell strategies apart only while there are no more strategy
    // names than colours: beyond, two would share a colour and the legend
    // would mislead, so every mark is ink and the row labels name them.
    let palette = (strategies.len() <= COLOURS.len()).then(|| Palette::new(strategies));
    let palette = palette.as_ref();
    let savings = interval_figure(&lines, palette, Figure::Savings)?;
    let lost = interval_figure(&lines, palette, Figure::Lost)?;
    let partial: Vec<&str> = names
        .iter()
        .copied()
        .filter(|n| lines.iter().any(|l| l.scenario == *n && l.partial))
        .collect();
    let page = html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { "Batch of " (names.len()) " scenarios — sscsim report" }
                style { (PreEscaped(style_sheet())) }
            }
            body {
                header {
                    p.kicker { "sscsim batch report" }
                    h1 { "Batch of " (names.len()) " scenario" @if names.len() != 1 { "s" } }
                    dl.facts {
                        dt { "Scenarios" } dd {
                            @for (i, name) in names.iter().enumerate() {
                                @if i > 0 { ", " }
                                a href=(scenario_report(name)) { code { (name) } }
                            }
                        }
                        @if !partial.is_empty() {
                            dt { "Partial" } dd {
                                strong.partial { (partial.join(", ")) }
                                " — the batch was stopped; these hold the replications that had finished, from the first"
                            }
                        }
                        @if !not_run.is_empty() {
                            dt { "Not run" } dd {
                                strong.partial { (not_run.join(", ")) }
                                " — the batch was stopped before these started; they have no results"
                            }
                        }
                    }
                }
                main {
                    section id="comparison" aria-labelledby="comparison-heading" {
                        h2 id="comparison-heading" { "Scenarios side by side" }
                        (table(&lines, palette))
                        p.source { "From " (ResultFile::Comparison.name()) "." }
                    }
                    section id="savings" aria-labelledby="savings-heading" {
                        h2 id="savings-heading" { "NPV savings" }
                        (savings.unwrap_or_else(|| html! { p { "No strategy has NPV savings." } }))
                    }
                    @if let Some(lost) = lost {
                        section id="scale" aria-labelledby="scale-heading" {
                            h2 id="scale-heading" { "Economies of scale lost" }
                            (lost)
                        }
                    }
                    section id="reports" aria-labelledby="reports-heading" {
                        h2 id="reports-heading" { "Each scenario's report" }
                        ul {
                            @for name in &names {
                                li { a href=(scenario_report(name)) { (name) " — report.html" } }
                            }
                        }
                    }
                }
                footer {
                    p {
                        "Made by sscsim " (env!("CARGO_PKG_VERSION")) " from the files of a batch's folder. "
                        "Amounts are in US dollars; USD m = millions. NPV = net present value over each "
                        "scenario's horizon; 90% interval = 5th to 95th percentile over replications."
                    }
                }
            }
        }
    };
    Ok(page.into_string())
}

/// The link to a scenario's report, relative to the batch's folder.
fn scenario_report(name: &str) -> String {
    format!("{}/{}", encode_path_part(name), ResultFile::Report.name())
}

/// A folder name as one part of a relative URL.
fn encode_path_part(name: &str) -> String {
    let mut out = String::new();
    for b in name.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// USD millions, or a dash.
fn millions(value: Option<f64>) -> String {
    format::usd_millions_or_dash(value)
}

/// A probability in whole per cent, never 0% or 100% unless it is.
fn probability(p: Option<f64>) -> String {
    match p {
        None => MISSING.to_owned(),
        Some(p) if p > 0.0 && (100.0 * p).round() == 0.0 => "<1%".to_owned(),
        Some(p) if p < 1.0 && (100.0 * p).round() == 100.0 => ">99%".to_owned(),
        Some(p) => format!("{:.0}%", 100.0 * p),
    }
}

fn table(lines: &[Line], palette: Option<&Palette>) -> Markup {
    html! {
        table {
            thead { tr {
                th scope="col" { "Scenario" }
                th scope="col" { "Strategy" }
                th scope="col" { "Years" }
                th scope="col" { "NPV savings, USD m" }
                th scope="col" { "90% interval" }
                th scope="col" { "Economies of scale lost, USD m" }
                th scope="col" { "Payback, years (p50)" }
                th scope="col" { "P(cheaper)" }
            } }
            tbody {
                @for l in lines {
                    tr {
                        td { a href=(scenario_report(l.scenario)) { code { (l.scenario) } }
                             @if l.partial { " " strong.partial { "partial" } } }
                        @if let Some(palette) = palette {
                            (palette.row_heading(l.strategy))
                        } @else {
                            th scope="row" { code { (l.strategy) } }
                        }
                        td.num { (l.horizon_years) }
                        td.num { (millions(l.savings.and_then(|r| r.mean))) }
                        td.num { (millions(l.savings.and_then(|r| r.p05))) " to " (millions(l.savings.and_then(|r| r.p95))) }
                        td.num { (millions(l.lost.and_then(|r| r.mean))) }
                        td.num { (l.payback.and_then(|r| r.p50).map_or_else(|| "never".to_owned(), |y| format::decimal(y, 1))) }
                        td.num { (probability(l.cheaper.and_then(|r| r.mean))) }
                    }
                }
            }
        }
    }
}

/// Which interval a figure shows.
#[derive(Clone, Copy)]
enum Figure {
    Savings,
    Lost,
}

impl Figure {
    fn row<'a>(self, line: &Line<'a>) -> Option<&'a ComparisonRow> {
        match self {
            Figure::Savings => line.savings,
            Figure::Lost => line.lost,
        }
    }
}

/// A mean with its 90% interval, and its label.
struct Interval {
    label: String,
    strategy: String,
    mean: f64,
    p05: f64,
    p95: f64,
}

/// The dot-and-whisker figure of `which` over every line that has it;
/// `None` when none has.
fn interval_figure(
    lines: &[Line],
    palette: Option<&Palette>,
    which: Figure,
) -> Result<Option<Markup>, ReportError> {
    let intervals: Vec<Interval> = lines
        .iter()
        .filter_map(|l| {
            let row = which.row(l)?;
            Some(Interval {
                label: format!("{} · {}", l.scenario, l.strategy),
                strategy: l.strategy.to_owned(),
                mean: row.mean? / 1e6,
                p05: row.p05? / 1e6,
                p95: row.p95? / 1e6,
            })
        })
        .collect();
    if intervals.is_empty() {
        return Ok(None);
    }
    let (id, title, what) = match which {
        Figure::Savings => (
            "chart-batch-savings",
            "NPV savings against the status quo, by scenario and strategy",
            "NPV savings against the scenario's status quo",
        ),
        Figure::Lost => (
            "chart-batch-scale",
            "Economies of scale lost, by scenario",
            "economies of scale lost: the fragmented strategy's NPV cost minus the pooled \
             strategy's",
        ),
    };
    let description = intervals
        .iter()
        .map(|i| {
            format!(
                "{}: mean {} (90% interval {} to {}) USD million.",
                i.label,
                format::tick(i.mean),
                format::tick(i.p05),
                format::tick(i.p95)
            )
        })
        .collect::<Vec<_>>()
        .join(" ");
    let spec = ChartSpec {
        id,
        kind: "batch interval chart",
        title,
        description: &description,
        size_px: (WIDTH_PX, 120 + 34 * intervals.len() as u32),
    };
    let figure = chart::figure(
        &spec,
        |root| draw(root, &intervals, palette, title),
        html! {
            "Each line runs from the 5th to the 95th percentile of the " (what)
            " over the scenario's replications (USD million); the dot is the mean. "
            "Scenarios differ in their horizons (see the table): compare like with like."
        },
    )?;
    Ok(Some(figure))
}

fn draw(
    root: &DrawingArea<SVGBackend, plotters::coord::Shift>,
    intervals: &[Interval],
    palette: Option<&Palette>,
    title: &str,
) -> DrawResult {
    let colour = |strategy: &str| palette.map_or(chart::INK, |p| p.colour(strategy));
    let (lo, hi) = chart::padded_range(
        intervals.iter().flat_map(|i| [i.p05, i.p95, 0.0]),
        None,
        0.08,
    );
    // The first line on top: segment n-1 is drawn highest.
    let labels: Vec<String> = intervals.iter().rev().map(|i| i.label.clone()).collect();
    let mut entries: Vec<(Mark, String)> = Vec::new();
    for i in intervals.iter().filter(|_| palette.is_some()) {
        if !entries.iter().any(|(_, s)| *s == i.strategy) {
            entries.push((Mark::Dot(colour(&i.strategy)), i.strategy.clone()));
        }
    }
    let plot = chart::titled_with_legend(root, &format!("{title} (USD million)"), &entries)?;
    let mut chart = chart::labelled_rows(&plot, &labels, 380, (lo, hi), "USD million")?;
    chart.draw_series(LineSeries::new(
        [(0.0, SegmentValue::Exact(0)), (0.0, SegmentValue::Last)],
        chart::INK.mix(0.5).stroke_width(1),
    ))?;
    for (k, i) in intervals.iter().rev().enumerate() {
        let colour = colour(&i.strategy);
        let at = SegmentValue::CenterOf(k as u32);
        chart.draw_series(LineSeries::new(
            [(i.p05, at.clone()), (i.p95, at.clone())],
            colour.stroke_width(3),
        ))?;
        chart.draw_series([Circle::new((i.mean, at), 6, colour.filled())])?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(scenario: &str, strategy: &str, metric: &str, mean: f64) -> ComparisonRow {
        ComparisonRow {
            scenario: scenario.into(),
            strategy: strategy.into(),
            metric: metric.into(),
            mean: Some(mean),
            p05: Some(mean - 1.0),
            p50: Some(mean),
            p95: Some(mean + 1.0),
            horizon_years: 10,
            replications: 5,
            partial: false,
        }
    }

    #[test]
    fn lines_gather_a_strategys_metrics_and_leave_out_the_status_quo() {
        let rows = [
            row("a", "status_quo", "npv_savings_usd", 0.0),
            row("a", "solo", "npv_savings_usd", 2e6),
            row("a", "solo", "cheaper_than_status_quo", 0.999),
            row("b", "solo", "npv_savings_usd", 3e6),
        ];
        let l = lines(&rows, &|_| None);
        assert_eq!(l.len(), 2);
        assert_eq!((l[0].scenario, l[0].strategy), ("a", "solo"));
        assert_eq!(l[0].savings.and_then(|r| r.mean), Some(2e6));
        assert_eq!(probability(l[0].cheaper.and_then(|r| r.mean)), ">99%");
        assert_eq!(scenarios(&rows), ["a", "b"]);
    }

    #[test]
    fn strategies_get_colours_only_while_no_two_share_one() {
        let swatches = |strategies: usize| {
            let rows: Vec<ComparisonRow> = (0..strategies)
                .map(|i| row("a", &format!("s{i}"), "npv_savings_usd", 1e6 * i as f64))
                .collect();
            let page = render(&rows, &|_| None).unwrap();
            page.matches("class=\"swatch\"").count()
        };
        // One swatch a table row while every strategy has its own colour;
        // none once a ninth name would repeat the first colour.
        assert_eq!(swatches(COLOURS.len()), COLOURS.len());
        assert_eq!(swatches(COLOURS.len() + 1), 0);
    }

    #[test]
    fn links_are_relative_and_escaped() {
        assert_eq!(scenario_report("fao-2008"), "fao-2008/report.html");
        assert_eq!(scenario_report("a b#"), "a%20b%23/report.html");
    }
}
