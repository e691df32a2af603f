//! The fan chart of cumulative savings, from `years.csv`: for each
//! strategy the band from the 5th to the 95th percentile and the median,
//! year by year — when a strategy pays back, and how sure that is.

use maud::{Markup, html};
use plotters::prelude::*;

use super::ReportError;
use super::chart::{self, ChartSpec, DrawResult, Mark, Palette, STATUS_QUO, WIDTH_PX};
use super::files::{ResultFiles, YearRow};
use super::format;
use super::section::{RunFileSection, Section};
use crate::metrics::YearMetric;
use crate::results::ResultFile;

/// The figure of `years.csv` the fan chart shows.
pub(crate) const METRIC: &str = YearMetric::CumulativeSavingsUsd.id();

/// One year of a fan, USD.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct FanPoint {
    /// Year of the horizon, 1 = the first.
    pub year: u32,
    /// 5th percentile.
    pub p05: f64,
    /// Median.
    pub p50: f64,
    /// 95th percentile.
    pub p95: f64,
}

/// One strategy's fan.
#[derive(Clone, Debug, PartialEq)]
pub struct Fan {
    /// Strategy id.
    pub strategy: String,
    /// Its years, in order.
    pub points: Vec<FanPoint>,
}

/// The fans of every strategy but the status quo (whose savings are zero
/// by definition), in file order; rows with a missing number are left out.
pub(crate) fn fans(rows: &[YearRow]) -> Vec<Fan> {
    grouped(
        rows.iter()
            .filter(|r| r.metric == METRIC && r.strategy != STATUS_QUO)
            .filter_map(|row| {
                let point = FanPoint {
                    year: row.year,
                    p05: row.p05?,
                    p50: row.p50?,
                    p95: row.p95?,
                };
                Some((row.strategy.as_str(), point))
            }),
    )
}

/// Points grouped into one fan per strategy, in the order strategies first
/// appear, each fan's points in year order.
pub(crate) fn grouped<'a>(points: impl Iterator<Item = (&'a str, FanPoint)>) -> Vec<Fan> {
    let mut fans: Vec<Fan> = Vec::new();
    for (strategy, point) in points {
        match fans.iter_mut().find(|f| f.strategy == strategy) {
            Some(fan) => fan.points.push(point),
            None => fans.push(Fan {
                strategy: strategy.to_owned(),
                points: vec![point],
            }),
        }
    }
    for fan in &mut fans {
        fan.points.sort_by_key(|p| p.year);
    }
    fans
}

/// For screen readers: each fan's last year, `{strategy}: {when} {year}
/// a {line} of … USD million (p5 …, p95 …).`
pub(crate) fn last_years(fans: &[Fan], when: &str, line: &str) -> String {
    fans.iter()
        .filter_map(|f| {
            let last = f.points.last()?;
            Some(format!(
                "{}: {when} {} a {line} of {} USD million (p5 {}, p95 {}).",
                f.strategy,
                last.year,
                format::tick(last.p50 / 1e6),
                format::tick(last.p05 / 1e6),
                format::tick(last.p95 / 1e6)
            ))
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Where the fan chart comes from.
const SOURCE: RunFileSection = RunFileSection {
    id: "fan",
    title: "Cumulative savings over time",
    file: ResultFile::Years,
};

/// The fan-chart section.
///
/// # Errors
/// When the chart fails to draw.
pub(crate) fn section(files: &ResultFiles, palette: &Palette) -> Result<Section, ReportError> {
    let has = format!("no {METRIC} for any strategy but the status quo");
    let chart = FanChart {
        id: "chart-fan",
        kind: "fan",
        title: "Cumulative savings against the status quo, year by year",
        when: "by year",
        caption: "Cumulative savings against the status quo (USD million)",
        line: "median",
        y_desc: "cumulative savings, USD million",
    };
    let note = html! {
        "Undiscounted savings against the status quo, added up year by year, USD million. "
        "The line is the median over replications, the band runs from the 5th to the 95th "
        "percentile. Where the band crosses zero, the strategy has paid back its move in "
        "some replications but not in others."
    };
    let fans = files.years.as_deref().map(fans);
    SOURCE.of(fans, &has, |fans| chart.figure(fans, palette, note))
}

/// What tells one fan chart from another: its identity on the page and
/// its words.
pub(crate) struct FanChart<'a> {
    /// The `id` of the `<svg>` element.
    pub id: &'a str,
    /// The chart's kind, for error messages.
    pub kind: &'static str,
    /// A title for screen readers.
    pub title: &'a str,
    /// How the description names the last year: `in year`, `by year`.
    pub when: &'a str,
    /// Above the chart.
    pub caption: &'a str,
    /// What the line is (the `p50` of the points): `median`, `mean`.
    pub line: &'a str,
    /// The value axis.
    pub y_desc: &'a str,
}

impl FanChart<'_> {
    /// The figure of `fans` over a caption that ends with `note`.
    ///
    /// # Errors
    /// When the chart fails to draw.
    pub(crate) fn figure(
        &self,
        fans: &[Fan],
        palette: &Palette,
        note: Markup,
    ) -> Result<Markup, ReportError> {
        let description = last_years(fans, self.when, self.line);
        let spec = ChartSpec {
            id: self.id,
            kind: self.kind,
            title: self.title,
            description: &description,
            size_px: (WIDTH_PX, height_px(fans.len())),
        };
        let note = html! {
            (note)
            @if fans.len() > MAX_FANS_PER_PANEL { " One panel per strategy, all on the same axes." }
        };
        chart::figure(&spec, |root| draw(root, fans, palette, self), note)
    }
}

/// The most fans drawn over each other in one panel; more get one small
/// panel each (small multiples), on the same axes, so bands do not hide
/// each other.
pub(crate) const MAX_FANS_PER_PANEL: usize = 4;

/// Small multiples side by side.
const PANEL_COLUMNS: usize = 2;

/// Height of one small multiple, pixels.
const PANEL_HEIGHT_PX: u32 = 250;

/// Height of one panel of every fan, pixels.
const SINGLE_PANEL_HEIGHT_PX: u32 = 460;

/// The height of a fan chart of `fans` strategies, pixels.
pub(crate) fn height_px(fans: usize) -> u32 {
    if fans <= MAX_FANS_PER_PANEL {
        SINGLE_PANEL_HEIGHT_PX
    } else {
        40 + PANEL_HEIGHT_PX * fans.div_ceil(PANEL_COLUMNS) as u32
    }
}

/// The axes every panel of `fans` shares: years, and USD million (zero
/// included).
fn ranges(fans: &[Fan]) -> ((f64, f64), (f64, f64)) {
    let years = fans
        .iter()
        .flat_map(|f| f.points.iter().map(|p| f64::from(p.year)));
    // Every drawn value, the median too: a file may not keep p05 ≤ p50 ≤ p95.
    let values = fans.iter().flat_map(|f| {
        f.points
            .iter()
            .flat_map(|p| [p.p05 / 1e6, p.p50 / 1e6, p.p95 / 1e6])
    });
    (
        chart::padded_range(years, None, 0.0),
        chart::padded_range(values, Some(0.0), 0.06),
    )
}

/// Draws `fans`, USD, in USD million: each strategy's p5-p95 band and its
/// line through the points' `p50` — in one panel, or one small panel per
/// strategy when there are more than [`MAX_FANS_PER_PANEL`].
pub(crate) fn draw(
    root: &DrawingArea<SVGBackend, plotters::coord::Shift>,
    fans: &[Fan],
    palette: &Palette,
    texts: &FanChart,
) -> DrawResult {
    let axes = ranges(fans);
    if fans.len() <= MAX_FANS_PER_PANEL {
        let entries: Vec<(Mark, String)> = fans
            .iter()
            .map(|f| {
                (
                    Mark::Swatch(palette.colour(&f.strategy)),
                    format!("{}: {} and p5–p95 band", f.strategy, texts.line),
                )
            })
            .collect();
        let plot = chart::titled_with_legend(root, texts.caption, &entries)?;
        return draw_panel(&plot, fans, palette, texts, axes);
    }
    let area = root.titled(
        &format!("{}: {} and p5–p95 band", texts.caption, texts.line),
        chart::caption(),
    )?;
    let panels = area.split_evenly((fans.len().div_ceil(PANEL_COLUMNS), PANEL_COLUMNS));
    for (panel, fan) in panels.iter().zip(fans) {
        let colour = palette.colour(&fan.strategy);
        let plot = panel.titled(&fan.strategy, chart::text(14).color(&colour))?;
        draw_panel(&plot, std::slice::from_ref(fan), palette, texts, axes)?;
    }
    Ok(())
}

/// Draws `fans` on one plot with the given axes.
fn draw_panel(
    plot: &DrawingArea<SVGBackend, plotters::coord::Shift>,
    fans: &[Fan],
    palette: &Palette,
    texts: &FanChart,
    ((first, last), (lo, hi)): ((f64, f64), (f64, f64)),
) -> DrawResult {
    let mut chart = chart::plot_under_legend(plot, 64).build_cartesian_2d(first..last, lo..hi)?;
    let mut mesh = chart.configure_mesh();
    chart::style_mesh(&mut mesh)
        .x_labels(((last - first) as usize + 1).min(20))
        .x_label_formatter(&|v| {
            // Years are whole; ticks between them stay blank.
            if (v - v.round()).abs() < 1e-9 {
                format!("{v:.0}")
            } else {
                String::new()
            }
        })
        .y_label_formatter(&|v| format::tick(*v))
        .x_desc("year of the horizon")
        .y_desc(texts.y_desc)
        .draw()?;
    chart.draw_series(LineSeries::new(
        [(first, 0.0), (last, 0.0)],
        chart::INK.mix(0.55).stroke_width(1),
    ))?;
    for fan in fans {
        let colour = palette.colour(&fan.strategy);
        let band: Vec<(f64, f64)> = fan
            .points
            .iter()
            .map(|p| (f64::from(p.year), p.p95 / 1e6))
            .chain(
                fan.points
                    .iter()
                    .rev()
                    .map(|p| (f64::from(p.year), p.p05 / 1e6)),
            )
            .collect();
        chart.draw_series([Polygon::new(band, colour.mix(0.16).filled())])?;
    }
    for fan in fans {
        let colour = palette.colour(&fan.strategy);
        chart.draw_series(LineSeries::new(
            fan.points.iter().map(|p| (f64::from(p.year), p.p50 / 1e6)),
            colour.stroke_width(3),
        ))?;
        chart.draw_series(
            fan.points
                .iter()
                .map(|p| Circle::new((f64::from(p.year), p.p50 / 1e6), 3, colour.filled())),
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(strategy: &str, year: u32, metric: &str, p: [Option<f64>; 3]) -> YearRow {
        YearRow {
            strategy: strategy.into(),
            year,
            metric: metric.into(),
            p05: p[0],
            p50: p[1],
            p95: p[2],
        }
    }

    fn fan(strategy: &str) -> Fan {
        Fan {
            strategy: strategy.into(),
            points: (1..=3)
                .map(|year| FanPoint {
                    year,
                    p05: -1e6,
                    p50: 1e6 * f64::from(year),
                    p95: 5e6,
                })
                .collect(),
        }
    }

    #[test]
    fn more_than_four_fans_get_one_small_panel_each_on_the_same_axes() {
        let ids: Vec<String> = (0..6).map(|i| format!("s{i}")).collect();
        let fans: Vec<Fan> = ids.iter().map(|id| fan(id)).collect();
        let palette = Palette::new(ids.clone());
        let texts = FanChart {
            id: "f",
            kind: "fan",
            title: "t",
            when: "by year",
            caption: "Savings",
            line: "median",
            y_desc: "USD million",
        };
        let svg = |n: usize| {
            let spec = ChartSpec {
                id: "f",
                kind: "fan",
                title: "t",
                description: "d",
                size_px: (WIDTH_PX, height_px(n)),
            };
            chart::svg(&spec, |root| draw(root, &fans[..n], &palette, &texts))
                .unwrap()
                .into_string()
        };
        // One band per strategy either way; one x axis title per panel.
        let four = svg(4);
        assert_eq!(four.matches("<polygon").count(), 4);
        assert_eq!(four.matches("year of the horizon").count(), 1);
        let six = svg(6);
        assert_eq!(six.matches("<polygon").count(), 6);
        assert_eq!(six.matches("year of the horizon").count(), 6);
        // Three rows of two panels, each taller than a sixth of one chart.
        assert_eq!(height_px(6), 40 + 3 * PANEL_HEIGHT_PX);
        assert!(height_px(6) > SINGLE_PANEL_HEIGHT_PX);
    }

    #[test]
    fn fans_keep_the_cumulative_savings_of_each_strategy_in_year_order() {
        let rows = vec![
            row("status_quo", 1, METRIC, [Some(0.0); 3]),
            row("solo", 2, METRIC, [Some(1.0), Some(2.0), Some(3.0)]),
            row("solo", 1, METRIC, [Some(-3.0), Some(-2.0), Some(-1.0)]),
            row("solo", 1, "fte_total", [Some(9.0); 3]),
            row("pooled", 1, METRIC, [None, Some(1.0), Some(2.0)]),
            row("pooled", 2, METRIC, [Some(0.0), Some(1.0), Some(2.0)]),
        ];
        let f = fans(&rows);
        assert_eq!(f.len(), 2);
        assert_eq!(f[0].strategy, "solo");
        assert_eq!(
            f[0].points.iter().map(|p| p.year).collect::<Vec<_>>(),
            vec![1, 2]
        );
        assert_eq!(f[0].points[0].p05, -3.0);
        assert_eq!(
            f[1].points.len(),
            1,
            "the row with a missing p05 is left out"
        );
    }
}
