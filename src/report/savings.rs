//! The distribution of NPV savings per strategy, from `replications.csv`:
//! one histogram panel per strategy on a shared axis, with its p5, median
//! and p95 marked, so a reader sees both how much and how sure. The file
//! is read twice — once for each strategy's summary and range, once to
//! count the bins — so that no row is kept: memory does not grow with the
//! replications.

use maud::html;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::ReportError;
use super::chart::{self, ChartSpec, DrawResult, Palette, STATUS_QUO, WIDTH_PX};
use super::files::{NPV_SAVINGS, ResultFiles, StrategySavings};
use super::format::{self, usd_millions};
use super::section::{RunFileSection, Section, headings, number_cells};
use crate::results::ResultFile;
use crate::stats::Summary;

/// One bar of a histogram: values in `[lo, hi)` (the last bin also holds
/// its upper edge).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Bin {
    /// Lower edge.
    pub lo: f64,
    /// Upper edge.
    pub hi: f64,
    /// Values in the bin.
    pub count: usize,
}

/// How many bins `n` values get: the Rice rule, `⌈2·n^(1/3)⌉`, kept
/// between 5 and 40 — enough to show a shape, few enough not to be noise.
pub(crate) fn bin_count(n: usize) -> usize {
    ((2.0 * (n as f64).cbrt()).ceil() as usize).clamp(5, 40)
}

/// Equal bins from `lo` to `hi`, counting values one at a time.
struct Histogram {
    lo: f64,
    hi: f64,
    width: f64,
    bins: Vec<Bin>,
}

impl Histogram {
    /// `count` empty bins; none for an empty range.
    fn new(lo: f64, hi: f64, count: usize) -> Self {
        let width = (hi - lo) / count as f64;
        let bins = if count == 0 || !lo.is_finite() || !hi.is_finite() || hi <= lo {
            Vec::new()
        } else {
            (0..count)
                .map(|i| Bin {
                    lo: lo + width * i as f64,
                    hi: if i + 1 == count {
                        hi
                    } else {
                        lo + width * (i + 1) as f64
                    },
                    count: 0,
                })
                .collect()
        };
        Histogram {
            lo,
            hi,
            width,
            bins,
        }
    }

    /// Counts `v`, unless it is outside the range or not finite.
    fn add(&mut self, v: f64) {
        if self.bins.is_empty() || !(self.lo..=self.hi).contains(&v) {
            return;
        }
        let i = (((v - self.lo) / self.width) as usize).min(self.bins.len() - 1);
        self.bins[i].count += 1;
    }
}

/// A strategy's panel: its bins (USD million) and percentiles.
struct Panel<'a> {
    strategy: &'a str,
    bins: Vec<Bin>,
    summary: Summary,
}

/// The savings-distribution section.
///
/// # Errors
/// When the chart fails to draw.
pub(crate) fn section(files: &ResultFiles, palette: &Palette) -> Result<Section, ReportError> {
    let has = "savings only for the status quo: there is no strategy to compare";
    let strategies = files.savings.as_ref().map(|savings| {
        savings
            .iter()
            .filter(|s| s.strategy != STATUS_QUO && s.millions.count() > 0)
            .collect::<Vec<&StrategySavings>>()
    });
    SOURCE.of(strategies, has, |strategies| {
        figure(files, strategies, palette)
    })
}

/// Where the savings come from.
const SOURCE: RunFileSection = RunFileSection {
    id: "savings",
    title: "How sure are the savings?",
    file: ResultFile::Replications,
};

/// The chart and table of `strategies`' savings. The histograms count
/// every replication, in a second pass over `replications.csv`; the mean
/// and percentiles are those of `summary.csv` (see [`savings_summary`]).
fn figure(
    files: &ResultFiles,
    strategies: &[&StrategySavings],
    palette: &Palette,
) -> Result<maud::Markup, ReportError> {
    let summaries: Vec<(&StrategySavings, Summary)> = strategies
        .iter()
        .filter_map(|s| Some((*s, savings_summary(files, s)?)))
        .collect();
    // The extremes of every strategy's values: the range of all of them.
    let (lo, hi) = chart::padded_range(
        summaries.iter().flat_map(|(_, s)| [s.min, s.max]),
        None,
        0.0,
    );
    let mut histograms: Vec<Histogram> = summaries
        .iter()
        .map(|(_, s)| Histogram::new(lo, hi, bin_count(s.n as usize)))
        .collect();
    files.for_each_saving(|strategy, usd| {
        if let Some(i) = summaries.iter().position(|(s, _)| s.strategy == strategy) {
            histograms[i].add(usd / 1e6);
        }
    })?;
    let panels: Vec<Panel> = summaries
        .iter()
        .zip(histograms)
        .map(|((s, summary), histogram)| Panel {
            strategy: &s.strategy,
            bins: histogram.bins,
            summary: *summary,
        })
        .collect();
    let description = panels
        .iter()
        .map(|p| {
            format!(
                "{}: p5 {}, median {}, p95 {} USD million.",
                p.strategy,
                format::tick(p.summary.p05),
                format::tick(p.summary.p50),
                format::tick(p.summary.p95)
            )
        })
        .collect::<Vec<_>>()
        .join(" ");
    let spec = ChartSpec {
        id: "chart-savings",
        kind: "savings distribution",
        title: "Distribution of NPV savings against the status quo, per strategy",
        description: &description,
        size_px: (
            WIDTH_PX,
            TITLE_PX + PANEL_PX * panels.len() as u32 + AXIS_PX,
        ),
    };
    let figure = chart::figure(
        &spec,
        |root| draw(root, &panels, (lo, hi), palette),
        html! {
            "Each panel counts the replications by the strategy's NPV savings "
            "against the status quo, USD million. Lines mark the 5th percentile, the median and the "
            "95th percentile; left of zero the strategy costs more than the status quo."
        },
    )?;
    Ok(html! {
        (figure)
        table {
            caption { "NPV savings, USD million" }
            thead { tr {
                (headings(&["Strategy"], &["Mean", "p5", "p50", "p95", "Replications"]))
            } }
            tbody {
                @for p in &panels {
                    tr {
                        (palette.row_heading(p.strategy))
                        (number_cells(&[
                            usd_millions(p.summary.mean * 1e6),
                            usd_millions(p.summary.p05 * 1e6),
                            usd_millions(p.summary.p50 * 1e6),
                            usd_millions(p.summary.p95 * 1e6),
                            p.summary.n.to_string(),
                        ]))
                    }
                }
            }
        }
    })
}

/// A strategy's savings, USD million: the mean and percentiles of
/// `summary.csv` — the figures of every table and of the workbook, one
/// definition everywhere (past [`crate::stats::series::EXACT_VALUES`]
/// replications they come from a sketch, and a merged folder's from merged
/// sketches, which summarising `replications.csv` again would not repeat)
/// — with the count and extremes of `replications.csv`. Without
/// `summary.csv`, the series of `replications.csv` summarised the same way.
fn savings_summary(files: &ResultFiles, savings: &StrategySavings) -> Option<Summary> {
    let mut summary = savings.millions.summary()?;
    if let Some(row) = files.summary_row(&savings.strategy, NPV_SAVINGS) {
        let millions = |usd: Option<f64>, fallback: f64| usd.map_or(fallback, |v| v / 1e6);
        summary.mean = millions(row.mean, summary.mean);
        summary.p05 = millions(row.p05, summary.p05);
        summary.p50 = millions(row.p50, summary.p50);
        summary.p95 = millions(row.p95, summary.p95);
    }
    Some(summary)
}

const TITLE_PX: u32 = 44;
const PANEL_PX: u32 = 150;
const AXIS_PX: u32 = 48;
const PANEL_LABEL_PX: u32 = 22;
const Y_LABELS_PX: u32 = 56;

fn draw(
    root: &DrawingArea<SVGBackend, plotters::coord::Shift>,
    panels: &[Panel],
    (lo, hi): (f64, f64),
    palette: &Palette,
) -> DrawResult {
    if panels.is_empty() {
        return Ok(());
    }
    let root = root.titled(
        "NPV savings against the status quo (USD million)",
        chart::caption(),
    )?;
    let (_, height) = root.dim_in_pixel();
    // Equal panels; the last one also holds the x axis.
    let panel_px = height.saturating_sub(AXIS_PX) / panels.len().max(1) as u32;
    let breaks: Vec<i32> = (1..panels.len())
        .map(|i| (panel_px * i as u32) as i32)
        .collect();
    let areas = root.split_by_breakpoints::<i32, i32, _, _>([], breaks);
    let last = panels.len() - 1;
    for (i, (panel, area)) in panels.iter().zip(&areas).enumerate() {
        let colour = palette.colour(panel.strategy);
        let top = panel.bins.iter().map(|b| b.count).max().unwrap_or(0).max(1) as f64 * 1.25;
        let mut chart = ChartBuilder::on(area)
            .margin_left(8)
            .margin_right(20)
            .margin_top(PANEL_LABEL_PX)
            .x_label_area_size(if i == last { AXIS_PX - 8 } else { 0 })
            .y_label_area_size(Y_LABELS_PX)
            .build_cartesian_2d(lo..hi, 0.0..top)?;
        let mut mesh = chart.configure_mesh();
        chart::style_mesh(&mut mesh)
            .x_labels(10)
            .y_labels(3)
            .x_label_formatter(&|v| format::tick(*v))
            .y_label_formatter(&|v| format::tick(*v))
            .y_desc("replications");
        if i == last {
            mesh.x_desc("NPV savings, USD million");
        }
        mesh.draw()?;
        chart.draw_series(panel.bins.iter().map(|b| {
            Rectangle::new(
                [(b.lo, 0.0), (b.hi, b.count as f64)],
                colour.mix(0.7).filled(),
            )
        }))?;
        chart.draw_series(panel.bins.iter().map(|b| {
            Rectangle::new([(b.lo, 0.0), (b.hi, b.count as f64)], WHITE.stroke_width(1))
        }))?;
        if lo < 0.0 && hi > 0.0 {
            chart.draw_series(LineSeries::new(
                [(0.0, 0.0), (0.0, top)],
                chart::INK.mix(0.5).stroke_width(1),
            ))?;
        }
        let s = &panel.summary;
        for (label, x, width) in [("p5", s.p05, 1), ("p50", s.p50, 2), ("p95", s.p95, 1)] {
            chart.draw_series(LineSeries::new(
                [(x, 0.0), (x, top * 0.86)],
                chart::INK.stroke_width(width),
            ))?;
            chart.draw_series([Text::new(
                label,
                (x, top * 0.87),
                chart::text(11).pos(Pos::new(HPos::Center, VPos::Bottom)),
            )])?;
        }
        // The strategy's name above its panel, over the plot's left edge.
        area.draw_text(
            panel.strategy,
            &chart::text(13).color(&colour),
            (8 + Y_LABELS_PX as i32, 3),
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Counts `values` into `count` equal bins from `lo` to `hi`; values
    /// outside the range (and non-finite ones) are left out. An empty range
    /// gives no bins.
    fn bins(values: &[f64], lo: f64, hi: f64, count: usize) -> Vec<Bin> {
        let mut histogram = Histogram::new(lo, hi, count);
        values.iter().for_each(|&v| histogram.add(v));
        histogram.bins
    }

    #[test]
    fn bins_count_every_value_once_and_the_maximum_in_the_last_bin() {
        let b = bins(&[0.0, 0.5, 1.0, 2.5, 4.0], 0.0, 4.0, 4);
        assert_eq!(
            b.iter().map(|b| b.count).collect::<Vec<_>>(),
            vec![2, 1, 1, 1]
        );
        assert_eq!((b[0].lo, b[0].hi), (0.0, 1.0));
        assert_eq!(b[3].hi, 4.0);
    }

    #[test]
    fn values_outside_the_range_or_not_finite_are_left_out() {
        let b = bins(&[-1.0, 5.0, f64::NAN, 2.0], 0.0, 4.0, 2);
        assert_eq!(b.iter().map(|b| b.count).sum::<usize>(), 1);
    }

    #[test]
    fn an_empty_range_gives_no_bins() {
        assert!(bins(&[1.0], 1.0, 1.0, 5).is_empty());
        assert!(bins(&[1.0], 0.0, f64::INFINITY, 5).is_empty());
    }

    #[test]
    fn the_rice_rule_is_clamped() {
        assert_eq!(bin_count(1), 5);
        assert_eq!(bin_count(40), 7); // 2 · 40^(1/3) = 6.84
        assert_eq!(bin_count(1000), 20);
        assert_eq!(bin_count(1_000_000), 40);
    }
}
