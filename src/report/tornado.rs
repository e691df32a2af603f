//! The tornado chart, from `sensitivity.csv` and `summary.csv`: the
//! uncertain inputs that move the headline most, each a bar from the
//! output with the input at its 10th percentile to the output with it at
//! its 90th, around the output's mean. The headline is the economies of
//! scale lost when the folder has them, else the savings of the strategy
//! that saves most.
//!
//! One measure orders everything: the swing of the output (how far it
//! moves from the input's 10th to its 90th percentile), then the rank
//! correlation for inputs without a swing. The chart and the tables beside
//! it show the ten inputs that move it most, by their names in the
//! scenario and their units; the rest, mostly noise, are folded into one
//! "others" row.

use maud::{Markup, html};
use plotters::coord::ranged1d::SegmentValue;
use plotters::prelude::*;

use super::ReportError;
use super::chart::{self, ChartSpec, DrawResult, Mark, WIDTH_PX};
use super::files::{ECONOMIES_OF_SCALE_LOST, NPV_SAVINGS, ResultFiles, SensitivityRow};
use super::format::{self, compact_or_dash, decimal_or_dash, usd_millions_or_dash};
use super::section::{Body, Section, breakable_code, headings, number_cells};
use crate::results::ResultFile;
use crate::text::counted;

/// At most this many bars, and rows in a table: the rest move the output
/// less, and are folded into one row.
pub(crate) const MAX_BARS: usize = 10;

/// The output the tornado explains.
#[derive(Clone, Debug, PartialEq)]
pub struct Headline {
    /// `economies_of_scale_lost_usd` or `npv_savings_usd`.
    pub output: String,
    /// Its strategy.
    pub strategy: String,
    /// Its mean from `summary.csv`, USD.
    pub mean_usd: Option<f64>,
}

impl Headline {
    /// Whether a row of `sensitivity.csv` is about this output.
    pub fn matches(&self, row: &SensitivityRow) -> bool {
        row.output == self.output && row.strategy == self.strategy
    }

    /// The output for a reader.
    pub(crate) fn describe(&self) -> String {
        if self.output == ECONOMIES_OF_SCALE_LOST {
            format!("economies of scale lost by {}", self.strategy)
        } else if self.output == NPV_SAVINGS {
            format!("NPV savings of {}", self.strategy)
        } else {
            format!("{} of {}", format::words(&self.output), self.strategy)
        }
    }
}

/// The headline: the economies of scale lost when `sensitivity.csv` has
/// them (of the comparison's fragmented strategy, or the first given),
/// else the savings of the strategy with the largest mean savings in
/// `summary.csv` among those it covers (the first when it cannot tell).
pub fn headline(files: &ResultFiles) -> Option<Headline> {
    let rows = files.sensitivity.as_ref()?;
    let lost: Vec<&SensitivityRow> = rows
        .iter()
        .filter(|r| r.output == ECONOMIES_OF_SCALE_LOST)
        .collect();
    let (output, strategy) = if let Some(first) = lost.first() {
        let strategy = files
            .fragmented()
            .filter(|f| lost.iter().any(|r| r.strategy == *f))
            .unwrap_or(&first.strategy);
        (ECONOMIES_OF_SCALE_LOST, strategy.to_owned())
    } else {
        let mean = |s: &str| {
            files
                .summary_mean(s, NPV_SAVINGS)
                .unwrap_or(f64::NEG_INFINITY)
        };
        // The first strategy wins ties, and wins when there is no summary.
        let (best, _) = rows
            .iter()
            .filter(|r| r.output == NPV_SAVINGS)
            .map(|r| r.strategy.as_str())
            .fold(None, |best: Option<(&str, f64)>, s| match best {
                Some((_, m)) if m >= mean(s) => best,
                _ => Some((s, mean(s))),
            })?;
        (NPV_SAVINGS, best.to_owned())
    };
    Some(Headline {
        mean_usd: files.summary_mean(&strategy, output),
        output: output.to_owned(),
        strategy,
    })
}

/// One bar, USD.
#[derive(Clone, Debug, PartialEq)]
pub struct Bar {
    /// The input, for a reader (its label, or its path).
    pub input: String,
    /// The output with the input at its 10th percentile.
    pub at_p10_usd: f64,
    /// The output with the input at its 90th percentile.
    pub at_p90_usd: f64,
}

impl Bar {
    /// How far the input moves the output.
    #[cfg(test)]
    pub(crate) fn swing_usd(&self) -> f64 {
        (self.at_p90_usd - self.at_p10_usd).abs()
    }
}

/// The order of every table and chart here: the widest swing first, then
/// (inputs without a swing) the strongest rank correlation; equal ones
/// keep the file's order.
fn by_influence(rows: &mut [&SensitivityRow]) {
    let swing = |r: &SensitivityRow| r.swing.map_or(-1.0, f64::abs);
    let strength = |r: &SensitivityRow| r.rank_correlation.map_or(-1.0, f64::abs);
    rows.sort_by(|a, b| {
        swing(b)
            .total_cmp(&swing(a))
            .then(strength(b).total_cmp(&strength(a)))
    });
}

/// The headline's bars, widest swing first, at most `max`; inputs without
/// both outputs (outside the top ranks) have no bar.
pub(crate) fn bars(rows: &[SensitivityRow], headline: &Headline, max: usize) -> Vec<Bar> {
    let mut block: Vec<&SensitivityRow> = rows.iter().filter(|r| headline.matches(r)).collect();
    by_influence(&mut block);
    let mut bars: Vec<Bar> = block
        .into_iter()
        .filter_map(|r| {
            Some(Bar {
                input: r.label().to_owned(),
                at_p10_usd: r.output_at_p10?,
                at_p90_usd: r.output_at_p90?,
            })
        })
        .collect();
    bars.truncate(max);
    bars
}

/// The sensitivity section.
///
/// # Errors
/// When the chart fails to draw.
pub(crate) fn section(files: &ResultFiles) -> Result<Section, ReportError> {
    let body = match (&files.sensitivity, headline(files)) {
        (None, _) => Body::no_file(
            ResultFile::Sensitivity,
            " (sensitivity to the uncertain inputs was not written)",
        ),
        (Some(rows), _) if rows.is_empty() => Body::Absent(format!(
            "the scenario has no uncertain inputs: {} is empty.",
            ResultFile::Sensitivity.name()
        )),
        (Some(_), None) => Body::Absent(format!(
            "{} has no rows for {ECONOMIES_OF_SCALE_LOST} or {NPV_SAVINGS}.",
            ResultFile::Sensitivity.name()
        )),
        (Some(rows), Some(headline)) => Body::Shown(content(rows, &headline)?),
    };
    Ok(Section {
        id: "sensitivity",
        title: "What moves the result".into(),
        sources: "sensitivity.csv and summary.csv",
        body,
    })
}

fn content(rows: &[SensitivityRow], headline: &Headline) -> Result<Markup, ReportError> {
    let bars = bars(rows, headline, MAX_BARS);
    let figure = if bars.is_empty() {
        html! {
            p.absent {
                "No chart: no input of the " (headline.describe())
                " has outputs at its 10th and 90th percentiles in " (ResultFile::Sensitivity.name()) "."
            }
        }
    } else {
        figure(&bars, headline)?
    };
    let others = blocks(rows)
        .into_iter()
        .filter(|(output, strategy)| {
            !(output == &headline.output && strategy == &headline.strategy)
        })
        .collect::<Vec<_>>();
    Ok(html! {
        (figure)
        @if headline.mean_usd.is_none() {
            p { "The mean of the output is not marked: " (ResultFile::Summary.name()) " does not give it." }
        }
        (correlation_table(rows, &headline.output, &headline.strategy, &format!("Rank correlations with the {}", headline.describe())))
        @if !others.is_empty() {
            details {
                summary { "Rank correlations with the other outputs" }
                @for (output, strategy) in &others {
                    @let title = Headline { output: output.clone(), strategy: strategy.clone(), mean_usd: None }.describe();
                    (correlation_table(rows, output, strategy, &format!("Rank correlations with the {title}")))
                }
            }
        }
    })
}

/// Every (output, strategy) of the file, in file order.
fn blocks(rows: &[SensitivityRow]) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for r in rows {
        if !out.iter().any(|(o, s)| o == &r.output && s == &r.strategy) {
            out.push((r.output.clone(), r.strategy.clone()));
        }
    }
    out
}

fn correlation_table(
    rows: &[SensitivityRow],
    output: &str,
    strategy: &str,
    caption: &str,
) -> Markup {
    let mut block: Vec<&SensitivityRow> = rows
        .iter()
        .filter(|r| r.output == output && r.strategy == strategy)
        .collect();
    by_influence(&mut block);
    let others = block.split_off(block.len().min(MAX_BARS));
    html! {
        table {
            caption { (caption) ", by swing (then by rank correlation)" }
            thead { tr {
                (headings(&["Input"], &[
                    "Rank correlation", "Input p10", "Input p90", "Output at p10, USD m",
                    "Output at p90, USD m", "Swing, USD m"
                ]))
            } }
            tbody {
                @for r in block {
                    tr {
                        th scope="row" title=(r.input) {
                            @if r.label() == r.input { (breakable_code(&r.input)) } @else { (r.label()) }
                        }
                        (number_cells(&[
                            decimal_or_dash(r.rank_correlation, 2),
                            compact_or_dash(r.input_p10),
                            compact_or_dash(r.input_p90),
                            usd_millions_or_dash(r.output_at_p10),
                            usd_millions_or_dash(r.output_at_p90),
                            usd_millions_or_dash(r.swing),
                        ]))
                    }
                }
                @if !others.is_empty() {
                    tr.others {
                        th scope="row" { (others_label(others.len())) }
                        td.num colspan="6" { (others_summary(&others)) }
                    }
                }
            }
        }
    }
}

/// The row the inputs past the top ones are folded into.
fn others_label(count: usize) -> String {
    format!("others ({})", counted(count as u64, "input", "inputs"))
}

/// What the folded inputs amount to: their strongest rank correlation and
/// widest swing.
fn others_summary(others: &[&SensitivityRow]) -> String {
    let strongest = others
        .iter()
        .filter_map(|r| r.rank_correlation)
        .map(f64::abs)
        .fold(None, |m: Option<f64>, r| Some(m.map_or(r, |m| m.max(r))));
    let widest = others
        .iter()
        .filter_map(|r| r.swing)
        .map(f64::abs)
        .fold(None, |m: Option<f64>, r| Some(m.map_or(r, |m| m.max(r))));
    let mut parts = vec![format!(
        "each rank correlation within ±{}",
        decimal_or_dash(strongest, 2)
    )];
    if let Some(w) = widest {
        parts.push(format!(
            "swing at most {} USD m",
            usd_millions_or_dash(Some(w))
        ));
    }
    parts.join("; ")
}

fn figure(bars: &[Bar], headline: &Headline) -> Result<Markup, ReportError> {
    let description = bars
        .iter()
        .map(|b| {
            format!(
                "{}: {} to {} USD million.",
                b.input,
                format::tick(b.at_p10_usd / 1e6),
                format::tick(b.at_p90_usd / 1e6)
            )
        })
        .collect::<Vec<_>>()
        .join(" ");
    let what = headline.describe();
    let title = format!("The inputs that move the {what} most");
    let spec = ChartSpec {
        id: "chart-tornado",
        kind: "tornado",
        title: &title,
        description: &description,
        size_px: (WIDTH_PX, 130 + 34 * bars.len() as u32),
    };
    chart::figure(
        &spec,
        |root| draw(root, bars, headline),
        html! {
            "Each bar runs from the " (what) " with the input at its 10th percentile (light) to "
            "the " (what) " with it at its 90th percentile (dark), USD million"
            @if headline.mean_usd.is_some() { ", around the mean (the vertical line)" }
            ". Inputs are ordered by that swing, widest first, the same order as the table below; "
            "the widest bars are the inputs worth pinning down first."
        },
    )
}

/// Longest input label shown in full; longer ones keep their start (what
/// the input belongs to) and their end (its unit).
const MAX_LABEL_CHARS: usize = 56;

pub(crate) fn short_label(input: &str) -> String {
    let n = input.chars().count();
    if n <= MAX_LABEL_CHARS {
        input.to_owned()
    } else {
        let end = (MAX_LABEL_CHARS - 1) / 2;
        let start = MAX_LABEL_CHARS - 1 - end;
        let head: String = input.chars().take(start).collect();
        let tail: String = input.chars().skip(n - end).collect();
        format!("{head}…{tail}")
    }
}

const AT_P10: RGBColor = RGBColor(86, 180, 233);
const AT_P90: RGBColor = RGBColor(0, 114, 178);

fn draw(
    root: &DrawingArea<SVGBackend, plotters::coord::Shift>,
    bars: &[Bar],
    headline: &Headline,
) -> DrawResult {
    let mean = headline.mean_usd.map(|m| m / 1e6);
    let ends = bars
        .iter()
        .flat_map(|b| [b.at_p10_usd / 1e6, b.at_p90_usd / 1e6])
        .chain(mean);
    let (lo, hi) = chart::padded_range(ends, None, 0.08);
    // Biggest bar on top: segment n-1 is drawn highest.
    let labels: Vec<String> = bars.iter().rev().map(|b| short_label(&b.input)).collect();
    let mut entries = vec![
        (
            Mark::Swatch(AT_P10),
            "input at its 10th percentile".to_owned(),
        ),
        (
            Mark::Swatch(AT_P90),
            "input at its 90th percentile".to_owned(),
        ),
    ];
    if let Some(m) = mean {
        entries.push((
            Mark::Line(chart::INK),
            format!("mean: {} USD million", format::tick(m)),
        ));
    }
    let plot = chart::titled_with_legend(
        root,
        &format!("What moves the {} (USD million)", headline.describe()),
        &entries,
    )?;
    let x_desc = format!("{}, USD million", headline.describe());
    let mut chart = chart::labelled_rows(&plot, &labels, 420, (lo, hi), &x_desc)?;
    let centre = |b: &Bar| mean.unwrap_or(b.at_p10_usd / 1e6);
    let bar = |b: &Bar, i: u32, end: f64, colour: RGBColor| {
        let mut r = Rectangle::new(
            [
                (centre(b), SegmentValue::Exact(i)),
                (end, SegmentValue::Exact(i + 1)),
            ],
            colour.filled(),
        );
        r.set_margin(6, 6, 0, 0);
        r
    };
    let rows = || bars.iter().rev().enumerate().map(|(i, b)| (i as u32, b));
    chart.draw_series(rows().map(|(i, b)| bar(b, i, b.at_p10_usd / 1e6, AT_P10)))?;
    chart.draw_series(rows().map(|(i, b)| bar(b, i, b.at_p90_usd / 1e6, AT_P90)))?;
    if let Some(m) = mean {
        chart.draw_series(LineSeries::new(
            [(m, SegmentValue::Exact(0)), (m, SegmentValue::Last)],
            chart::INK.stroke_width(2),
        ))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(output: &str, strategy: &str, input: &str, at: Option<(f64, f64)>) -> SensitivityRow {
        SensitivityRow {
            output: output.into(),
            strategy: strategy.into(),
            input: input.into(),
            rank_correlation: Some(0.5),
            input_p10: None,
            input_p90: None,
            output_at_p10: at.map(|a| a.0),
            output_at_p90: at.map(|a| a.1),
            swing: at.map(|a| a.1 - a.0),
            input_label: None,
        }
    }

    #[test]
    fn bars_are_the_headline_inputs_with_both_outputs_widest_first() {
        let h = Headline {
            output: NPV_SAVINGS.into(),
            strategy: "pooled".into(),
            mean_usd: Some(10.0),
        };
        let rows = [
            row(NPV_SAVINGS, "pooled", "a", Some((9.0, 11.0))),
            row(NPV_SAVINGS, "pooled", "b", Some((14.0, 6.0))),
            row(NPV_SAVINGS, "pooled", "c", None),
            row(NPV_SAVINGS, "solo", "d", Some((0.0, 100.0))),
        ];
        let b = bars(&rows, &h, 5);
        assert_eq!(
            b.iter().map(|b| b.input.as_str()).collect::<Vec<_>>(),
            vec!["b", "a"]
        );
        assert_eq!(b[0].swing_usd(), 8.0);
        assert_eq!(bars(&rows, &h, 1).len(), 1);
    }

    #[test]
    fn long_labels_keep_their_start_and_their_unit() {
        let long = "UNHCR Accounts payable and accounting entries volume growth (share/year)";
        let s = short_label(long);
        assert_eq!(s.chars().count(), MAX_LABEL_CHARS);
        assert!(s.starts_with("UNHCR Accounts payable"), "{s}");
        assert!(s.ends_with("growth (share/year)") && s.contains('…'), "{s}");
        assert_eq!(short_label("short"), "short");
    }

    #[test]
    fn the_table_follows_the_chart_order_shows_labels_and_folds_the_rest() {
        let h = Headline {
            output: NPV_SAVINGS.into(),
            strategy: "pooled".into(),
            mean_usd: Some(10.0),
        };
        // Input 0 has the strongest correlation but the narrowest swing:
        // by swing it comes after 1 and 2. Inputs 3.. have no swing and
        // follow by correlation; past the tenth they are folded.
        let mut rows: Vec<SensitivityRow> = (0..14)
            .map(|i| {
                let mut r = row(NPV_SAVINGS, "pooled", &format!("path.{i}"), None);
                r.rank_correlation = Some(0.5 - 0.01 * i as f64);
                r.input_label = Some(format!("Input {i} (USD)"));
                r
            })
            .collect();
        rows[0].rank_correlation = Some(0.9);
        rows[0].output_at_p10 = Some(9.0);
        rows[0].output_at_p90 = Some(11.0);
        rows[0].swing = Some(2.0);
        rows[1].output_at_p10 = Some(0.0);
        rows[1].output_at_p90 = Some(20.0);
        rows[1].swing = Some(20.0);
        rows[2].output_at_p10 = Some(15.0);
        rows[2].output_at_p90 = Some(5.0);
        rows[2].swing = Some(-10.0);
        let b = bars(&rows, &h, MAX_BARS);
        let order: Vec<&str> = b.iter().map(|b| b.input.as_str()).collect();
        assert_eq!(order, ["Input 1 (USD)", "Input 2 (USD)", "Input 0 (USD)"]);
        let html = correlation_table(&rows, NPV_SAVINGS, "pooled", "t").into_string();
        let at = |text: &str| html.find(text).unwrap_or_else(|| panic!("no {text}"));
        assert!(at("Input 1 (USD)") < at("Input 2 (USD)"));
        assert!(at("Input 2 (USD)") < at("Input 0 (USD)"));
        assert!(at("Input 0 (USD)") < at("Input 3 (USD)"));
        assert!(html.contains("title=\"path.1\""), "the path stays at hand");
        // 14 inputs, 10 shown: the 4 of least influence are folded.
        assert_eq!(html.matches("<tr>").count(), 1 + MAX_BARS);
        assert!(html.contains("others (4 inputs)"), "{html}");
        assert!(!html.contains("Input 10 (USD)") && !html.contains("Input 13 (USD)"));
        assert!(
            html.contains("each rank correlation within ±0.40"),
            "{html}"
        );
    }
}
