//! The waterfall of the economies-of-scale gap, from
//! `decomposition_summary.csv`: each mechanism's mean part steps from the
//! running total (up when it widens the gap, down when it narrows it),
//! ending at the whole gap.

use maud::{Markup, html};
use plotters::coord::ranged1d::SegmentValue;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::ReportError;
use super::chart::{self, ChartSpec, DrawResult, WIDTH_PX};
use super::files::{DecompositionRow, ResultFiles};
use super::format::{self, percent_or_dash, usd_millions, usd_millions_or_dash};
use super::section::{Body, Section, headings, number_cells};
use crate::model::Mechanism;
use crate::results::ResultFile;

/// The row of the whole gap.
const TOTAL: &str = "total";

/// Which way a step goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StepKind {
    /// A part that widens the gap.
    Up,
    /// A part that narrows it.
    Down,
    /// The whole gap, from zero.
    Total,
}

/// One bar of the waterfall, USD.
#[derive(Clone, Debug, PartialEq)]
pub struct Step {
    /// Mechanism id (or `total`).
    pub id: String,
    /// Where the bar starts.
    pub from_usd: f64,
    /// Where it ends.
    pub to_usd: f64,
    /// Which way it goes.
    pub kind: StepKind,
}

#[cfg(test)]
impl Step {
    /// Where the bar starts and ends, and which way it goes.
    pub(crate) fn span(&self) -> (f64, f64, StepKind) {
        (self.from_usd, self.to_usd, self.kind)
    }
}

/// The steps: every part with a mean, in file order, each from the sum of
/// those before it; then the total from zero — the file's `total` row, or
/// the sum of the parts when it has none.
pub(crate) fn steps(rows: &[DecompositionRow]) -> Vec<Step> {
    let mut out = Vec::new();
    let mut running = 0.0;
    for row in rows.iter().filter(|r| r.mechanism != TOTAL) {
        let Some(mean) = row.mean else { continue };
        out.push(Step {
            id: row.mechanism.clone(),
            from_usd: running,
            to_usd: running + mean,
            kind: if mean >= 0.0 {
                StepKind::Up
            } else {
                StepKind::Down
            },
        });
        running += mean;
    }
    let total = rows
        .iter()
        .find(|r| r.mechanism == TOTAL)
        .and_then(|r| r.mean)
        .unwrap_or(running);
    if !out.is_empty() || rows.iter().any(|r| r.mechanism == TOTAL) {
        out.push(Step {
            id: TOTAL.into(),
            from_usd: 0.0,
            to_usd: total,
            kind: StepKind::Total,
        });
    }
    out
}

/// A mechanism's name for a reader: a registered mechanism's heading, or
/// the words of an id sscsim does not know (a result folder written by
/// another version).
pub(crate) fn label(id: &str) -> String {
    if let Some(mechanism) = Mechanism::from_id(id) {
        return mechanism.heading().into();
    }
    match id {
        "other" => "Other".into(),
        TOTAL => "Total gap".into(),
        other => {
            let words = format::words(other);
            let mut chars = words.chars();
            chars.next().map_or_else(String::new, |first| {
                first.to_uppercase().chain(chars).collect()
            })
        }
    }
}

/// The waterfall section.
///
/// # Errors
/// When the chart fails to draw.
pub(crate) fn section(files: &ResultFiles) -> Result<Section, ReportError> {
    let comparison = Comparison {
        fragmented: files
            .fragmented()
            .map_or_else(|| "the fragmented strategy".into(), str::to_owned),
        pooled: files
            .manifest
            .pooled
            .clone()
            .unwrap_or_else(|| "the pooled strategy".into()),
    };
    let body = match &files.decomposition {
        None => Body::no_file(
            ResultFile::DecompositionSummary,
            &format!(
                " — it is written by `sscsim explain --out`, for a scenario that compares a \
                 fragmented and a pooled strategy{}",
                if has_comparison(files) {
                    ""
                } else {
                    " (no comparison in this scenario)"
                }
            ),
        ),
        Some(rows) => Body::unless_empty(
            &steps(rows),
            ResultFile::DecompositionSummary,
            "no parts with a mean",
            |steps| figure(steps, rows, &comparison),
        )?,
    };
    Ok(Section {
        id: "waterfall",
        title: "Where the economies of scale come from".into(),
        sources: ResultFile::DecompositionSummary.name(),
        body,
    })
}

/// The two strategies compared, by id or, when the folder does not say,
/// by role.
struct Comparison {
    fragmented: String,
    pooled: String,
}

/// Whether the folder shows a comparison: economies of scale in
/// `summary.csv`, or a fragmented strategy named anywhere. Without a
/// summary, it cannot tell and says nothing.
fn has_comparison(files: &ResultFiles) -> bool {
    files.fragmented().is_some()
        || files.summary.as_ref().is_none_or(|rows| {
            rows.iter()
                .any(|r| r.metric == super::files::ECONOMIES_OF_SCALE_LOST)
        })
}

fn figure(
    steps: &[Step],
    rows: &[DecompositionRow],
    comparison: &Comparison,
) -> Result<Markup, ReportError> {
    let description = steps
        .iter()
        .map(|s| {
            format!(
                "{}: {} USD million.",
                label(&s.id),
                format::tick((s.to_usd - s.from_usd) / 1e6)
            )
        })
        .collect::<Vec<_>>()
        .join(" ");
    let title = format!(
        "Economies of scale lost by {} against {}: the parts of the gap",
        comparison.fragmented, comparison.pooled
    );
    let spec = ChartSpec {
        id: "chart-waterfall",
        kind: "waterfall",
        title: &title,
        description: &description,
        size_px: (WIDTH_PX, 440),
    };
    let labels: Vec<String> = steps.iter().map(|s| label(&s.id)).collect();
    let texts = StepTexts {
        caption: "Economies of scale lost: the parts of the gap (USD million)",
        y_desc: "NPV, USD million (mean)",
    };
    let figure = chart::figure(
        &spec,
        |root| draw(root, steps, &labels, &texts),
        html! {
            "The NPV cost of " (comparison.fragmented) " minus that of " (comparison.pooled)
            ", mean over replications, USD million, "
            "split into the model's mechanisms by Shapley values (each mechanism's effect "
            "averaged over every order of switching the mechanisms on). Blue parts widen the "
            "gap, orange parts narrow it; the grey bar is the whole gap."
        },
    )?;
    let shares = shares_shown(rows);
    let numbers: &[&str] = if shares {
        &["Mean", "Share of the gap", "p5", "p95"]
    } else {
        &["Mean", "p5", "p95"]
    };
    Ok(html! {
        (figure)
        @if !shares {
            p.note {
                "The gap's 95% confidence interval includes zero (or one replication cannot "
                "tell): whether " (comparison.pooled) " costs less than " (comparison.fragmented)
                " is not known, so the parts are shown as amounts, not as shares of the gap — "
                "a share of a gap near zero can be a thousand per cent of nothing."
            }
        }
        table {
            caption { "Parts of the gap, USD million" }
            thead { tr {
                (headings(&["Part"], numbers))
            } }
            tbody {
                @for r in rows {
                    tr {
                        th scope="row" { (label(&r.mechanism)) }
                        (number_cells(&row_cells(r, shares)))
                    }
                }
            }
        }
    })
}

/// Whether the table shows shares of the gap: `decomposition_summary.csv`
/// leaves them empty when the gap's 95% confidence interval includes zero.
fn shares_shown(rows: &[DecompositionRow]) -> bool {
    rows.iter().any(|r| r.share_of_gap.is_some())
}

/// A part's cells: mean, share (when shown), p5, p95.
fn row_cells(r: &DecompositionRow, shares: bool) -> Vec<String> {
    let mut cells = vec![usd_millions_or_dash(r.mean)];
    if shares {
        cells.push(percent_or_dash(r.share_of_gap));
    }
    cells.extend([usd_millions_or_dash(r.p05), usd_millions_or_dash(r.p95)]);
    cells
}

/// Blue: widens the gap; orange: narrows it; grey: the whole gap.
const UP: RGBColor = RGBColor(0, 114, 178);
const DOWN: RGBColor = RGBColor(230, 159, 0);
const TOTAL_COLOUR: RGBColor = RGBColor(90, 90, 90);

/// The words of a waterfall chart: its caption and its axis.
pub(crate) struct StepTexts<'a> {
    /// Above the chart.
    pub caption: &'a str,
    /// The value axis.
    pub y_desc: &'a str,
}

/// Draws `steps` as a waterfall, each bar under its `labels` entry.
pub(crate) fn draw(
    root: &DrawingArea<SVGBackend, plotters::coord::Shift>,
    steps: &[Step],
    labels: &[String],
    texts: &StepTexts,
) -> DrawResult {
    // Integer ranges are inclusive: 0..n-1 makes n segments, one per bar.
    let n = steps.len() as u32;
    let ends: Vec<f64> = steps
        .iter()
        .flat_map(|s| [s.from_usd / 1e6, s.to_usd / 1e6])
        .collect();
    let (lo, hi) = chart::range_from_zero(&ends, 0.1);
    let mut chart = ChartBuilder::on(root)
        .caption(texts.caption, chart::caption())
        .margin(12)
        .x_label_area_size(LABEL_AREA_PX)
        .y_label_area_size(64)
        .build_cartesian_2d((0..n.saturating_sub(1)).into_segmented(), lo..hi)?;
    let mut mesh = chart.configure_mesh();
    chart::style_mesh(&mut mesh)
        .disable_x_mesh()
        .x_labels(steps.len())
        .x_label_formatter(&|_| String::new())
        .y_label_formatter(&|v| format::tick(*v))
        .y_desc(texts.y_desc)
        .draw()?;
    let centres: Vec<(i32, i32)> = (0..n)
        .map(|i| chart.backend_coord(&(SegmentValue::CenterOf(i), lo)))
        .collect();
    draw_bar_labels(root, &centres, labels)?;
    chart.draw_series(LineSeries::new(
        [(SegmentValue::Exact(0), 0.0), (SegmentValue::Last, 0.0)],
        chart::INK.mix(0.55).stroke_width(1),
    ))?;
    for (i, step) in steps.iter().enumerate() {
        let i = i as u32;
        let colour = match step.kind {
            StepKind::Up => UP,
            StepKind::Down => DOWN,
            StepKind::Total => TOTAL_COLOUR,
        };
        let (from, to) = (step.from_usd / 1e6, step.to_usd / 1e6);
        let mut bar = Rectangle::new(
            [
                (SegmentValue::Exact(i), from),
                (SegmentValue::Exact(i + 1), to),
            ],
            colour.filled(),
        );
        bar.set_margin(0, 0, 14, 14);
        chart.draw_series([bar])?;
        // The connector carries the running total to the next bar.
        if i + 1 < n && step.kind != StepKind::Total {
            chart.draw_series(LineSeries::new(
                [
                    (SegmentValue::CenterOf(i), to),
                    (SegmentValue::CenterOf(i + 1), to),
                ],
                chart::INK.mix(0.35).stroke_width(1),
            ))?;
        }
        let delta = to - from;
        let (anchor, y) = if delta >= 0.0 {
            (VPos::Bottom, to.max(from))
        } else {
            (VPos::Top, to.min(from))
        };
        let value = if step.kind == StepKind::Total {
            format::decimal(delta, 2)
        } else if delta >= 0.0 {
            format!("+{}", usd_millions(delta * 1e6))
        } else {
            usd_millions(delta * 1e6)
        };
        chart.draw_series([Text::new(
            value,
            (SegmentValue::CenterOf(i), y),
            chart::text(12).pos(Pos::new(HPos::Center, anchor)),
        )])?;
    }
    Ok(())
}

/// Height under the bars for their labels: three lines of text.
const LABEL_AREA_PX: u32 = 56;

/// Pixels between two lines of a bar's label.
const LABEL_LINE_PX: i32 = 14;

/// Writes each bar's label under it, wrapped at spaces to the bar's slot so
/// that long labels ("training and knowledge transfer") do not run into
/// their neighbours, as one line of axis text would.
fn draw_bar_labels(
    root: &DrawingArea<SVGBackend, plotters::coord::Shift>,
    centres_px: &[(i32, i32)],
    labels: &[String],
) -> DrawResult {
    let style = chart::text(12).pos(Pos::new(HPos::Center, VPos::Top));
    let slot_px = match centres_px {
        [first, .., last] => (last.0 - first.0).unsigned_abs() / (centres_px.len() as u32 - 1),
        _ => u32::MAX,
    };
    for (&(x, y), label) in centres_px.iter().zip(labels) {
        for (k, line) in wrap(label, slot_px.saturating_sub(6), &style)
            .iter()
            .enumerate()
        {
            root.draw(&Text::new(
                line.clone(),
                (x, y + 8 + k as i32 * LABEL_LINE_PX),
                style.clone(),
            ))?;
        }
    }
    Ok(())
}

/// `label` broken at spaces into lines no wider than `width_px` (a single
/// word wider than that stays whole).
fn wrap(label: &str, width_px: u32, style: &TextStyle) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for word in label.split_whitespace() {
        match lines.last_mut() {
            Some(line) if chart::text_width_px(&format!("{line} {word}"), style) <= width_px => {
                line.push(' ');
                line.push_str(word);
            }
            _ => lines.push(word.to_string()),
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(mechanism: &str, mean: Option<f64>) -> DecompositionRow {
        DecompositionRow {
            mechanism: mechanism.into(),
            share_of_gap: None,
            mean,
            p05: None,
            p95: None,
        }
    }

    #[test]
    fn steps_climb_from_zero_and_negative_parts_go_down() {
        let rows = [
            row("fixed_overhead", Some(20.0)),
            row("variance_pooling", Some(1.0)),
            row("harmonisation", Some(-6.0)),
            row("other", Some(0.5)),
            row("total", Some(15.5)),
        ];
        let spans: Vec<_> = steps(&rows).iter().map(Step::span).collect();
        assert_eq!(
            spans,
            vec![
                (0.0, 20.0, StepKind::Up),
                (20.0, 21.0, StepKind::Up),
                (21.0, 15.0, StepKind::Down),
                (15.0, 15.5, StepKind::Up),
                (0.0, 15.5, StepKind::Total),
            ]
        );
    }

    #[test]
    fn without_a_total_row_the_total_is_the_sum_of_the_parts() {
        let s = steps(&[row("fixed_overhead", Some(3.0)), row("other", Some(-1.0))]);
        assert_eq!(s.last().unwrap().to_usd, 2.0);
        assert_eq!(s.last().unwrap().kind, StepKind::Total);
    }

    #[test]
    fn parts_without_a_mean_are_skipped_and_nothing_gives_no_steps() {
        let s = steps(&[row("fixed_overhead", None), row("other", Some(1.0))]);
        assert_eq!(s.len(), 2);
        assert!(steps(&[]).is_empty());
    }

    #[test]
    fn a_long_bar_label_wraps_at_spaces_to_its_slot() {
        crate::report::font::register().unwrap();
        let style = chart::text(12);
        let label = "Training and knowledge transfer";
        let one_line = chart::text_width_px(label, &style);
        let narrow = one_line / 2;
        let lines = wrap(label, narrow, &style);
        assert!(lines.len() >= 2, "{lines:?}");
        assert_eq!(lines.join(" "), label);
        for line in &lines {
            assert!(chart::text_width_px(line, &style) <= narrow, "{line}");
        }
        // Room enough: one line; a single word wider than the slot stays whole.
        assert_eq!(wrap(label, one_line, &style), [label]);
        assert_eq!(wrap("Harmonisation", 1, &style), ["Harmonisation"]);
    }

    #[test]
    fn unknown_mechanisms_get_a_readable_label() {
        assert_eq!(label("learning_and_scale"), "Learning & scale");
        assert_eq!(label("new_mechanism"), "New mechanism");
    }
}
