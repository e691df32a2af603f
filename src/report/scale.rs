//! The economies-of-scale curve, from `centres.csv`: every centre of every
//! strategy as a point, its cost per transaction against its volume on a
//! log scale. Bigger centres sitting lower is what pooling buys.

use maud::{Markup, html};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::ReportError;
use super::chart::{self, ChartSpec, DrawResult, Mark, Palette, WIDTH_PX};
use super::files::{CentreRow, ResultFiles};
use super::format::{self, decimal_or_dash, usd_millions_or_dash};
use super::section::{Body, Section, headings, number_cells};
use crate::results::ResultFile;

/// One centre: transactions a year and USD per transaction.
#[derive(Clone, Debug, PartialEq)]
pub struct Point {
    /// Centre id.
    pub centre: String,
    /// Transactions a year.
    pub transactions_per_year: f64,
    /// Running cost per transaction, USD.
    pub cost_per_transaction_usd: f64,
}

/// One strategy's centres.
#[derive(Clone, Debug, PartialEq)]
pub struct Series {
    /// Strategy id.
    pub strategy: String,
    /// Its centres that can be drawn.
    pub points: Vec<Point>,
}

/// Volumes a log axis shows, transactions a year: wide enough for any
/// centre, narrow enough for plotters' log axis (whose tick search runs
/// for ever over a range of hundreds of decades).
pub const VOLUME_RANGE: std::ops::RangeInclusive<f64> = 1.0..=1e12;

/// The centres per strategy (file order) that a log axis can show: a
/// volume in [`VOLUME_RANGE`] and a cost. Returns them and how many were
/// left out.
pub fn series(rows: &[CentreRow]) -> (Vec<Series>, usize) {
    let mut out: Vec<Series> = Vec::new();
    let mut left_out = 0;
    for row in rows {
        let (Some(volume), Some(cost)) = (row.transactions_per_year, row.cost_per_transaction_usd)
        else {
            left_out += 1;
            continue;
        };
        if !VOLUME_RANGE.contains(&volume) {
            left_out += 1;
            continue;
        }
        let point = Point {
            centre: row.centre.clone(),
            transactions_per_year: volume,
            cost_per_transaction_usd: cost,
        };
        match out.iter_mut().find(|s| s.strategy == row.strategy) {
            Some(s) => s.points.push(point),
            None => out.push(Series {
                strategy: row.strategy.clone(),
                points: vec![point],
            }),
        }
    }
    (out, left_out)
}

/// The economies-of-scale section.
///
/// # Errors
/// When the chart fails to draw.
pub(crate) fn section(files: &ResultFiles, palette: &Palette) -> Result<Section, ReportError> {
    let body = match &files.centres {
        None => Body::no_file(
            ResultFile::Centres,
            " (the centres of each strategy were not written)",
        ),
        Some(rows) => {
            let (series, left_out) = series(rows);
            Body::unless_empty(
                &series,
                ResultFile::Centres,
                "no centre with a volume of 1 to 10¹² transactions a year and a cost per transaction",
                |series| content(rows, series, left_out, palette),
            )?
        }
    };
    Ok(Section {
        id: "scale",
        title: "Economies of scale across centres".into(),
        sources: ResultFile::Centres.name(),
        body,
    })
}

fn content(
    rows: &[CentreRow],
    series: &[Series],
    left_out: usize,
    palette: &Palette,
) -> Result<Markup, ReportError> {
    let description = format!(
        "{} centres of {} strategies; cost per transaction from {} to {} USD.",
        series.iter().map(|s| s.points.len()).sum::<usize>(),
        series.len(),
        format::tick(
            series
                .iter()
                .flat_map(|s| s.points.iter().map(|p| p.cost_per_transaction_usd))
                .fold(f64::INFINITY, f64::min)
        ),
        format::tick(
            series
                .iter()
                .flat_map(|s| s.points.iter().map(|p| p.cost_per_transaction_usd))
                .fold(f64::NEG_INFINITY, f64::max)
        ),
    );
    let spec = ChartSpec {
        id: "chart-scale",
        kind: "economies of scale",
        title: "Cost per transaction against centre volume",
        description: &description,
        size_px: (WIDTH_PX, 460),
    };
    let figure = chart::figure(
        &spec,
        |root| draw(root, series, palette),
        html! {
            "Each point is a centre of a strategy in the last year of the horizon (means over "
            "replications): its running cost per transaction, USD, against the transactions it "
            "handles a year, on a log scale."
            @if left_out > 0 {
                " " (left_out) " centre" @if left_out > 1 { "s" } " without a cost, or with a volume below 1 or above 10¹² transactions a year, "
                @if left_out > 1 { "are" } @else { "is" } " not drawn."
            }
        },
    )?;
    Ok(html! {
        (figure)
        details {
            summary { "Every centre (" (rows.len()) ")" }
            table {
                caption { "Centres in the last year, means over replications" }
                thead { tr {
                    (headings(&["Strategy", "Centre", "Location", "Agencies"], &[
                        "Transactions a year", "Running cost, USD m a year", "USD per transaction",
                        "FTE"
                    ]))
                } }
                tbody {
                    @for r in rows {
                        tr {
                            (palette.row_heading(&r.strategy))
                            td { (r.centre) }
                            td { (r.location) }
                            td { (r.agencies) }
                            (number_cells(&[
                                decimal_or_dash(r.transactions_per_year, 0),
                                usd_millions_or_dash(r.running_cost_usd_per_year),
                                decimal_or_dash(r.cost_per_transaction_usd, 2),
                                decimal_or_dash(r.fte, 1),
                            ]))
                        }
                    }
                }
            }
        }
    })
}

fn draw(
    root: &DrawingArea<SVGBackend, plotters::coord::Shift>,
    series: &[Series],
    palette: &Palette,
) -> DrawResult {
    let points = || series.iter().flat_map(|s| s.points.iter());
    let smallest = points()
        .map(|p| p.transactions_per_year)
        .fold(f64::INFINITY, f64::min);
    let largest = points()
        .map(|p| p.transactions_per_year)
        .fold(0.0, f64::max);
    // A log axis needs a positive range with room around the points.
    let (x_lo, x_hi) = (smallest / 1.6, largest * 1.6);
    let costs: Vec<f64> = points().map(|p| p.cost_per_transaction_usd).collect();
    let (y_lo, y_hi) = chart::range_from_zero(&costs, 0.1);
    let entries: Vec<(Mark, String)> = series
        .iter()
        .map(|s| (Mark::Dot(palette.colour(&s.strategy)), s.strategy.clone()))
        .collect();
    let plot =
        chart::titled_with_legend(root, "Cost per transaction against centre volume", &entries)?;
    let mut chart = chart::plot_under_legend(&plot, 64)
        .build_cartesian_2d((x_lo..x_hi).log_scale(), y_lo..y_hi)?;
    let mut mesh = chart.configure_mesh();
    chart::style_mesh(&mut mesh)
        .x_label_formatter(&|v| format::volume_tick(*v))
        .y_label_formatter(&|v| format::tick(*v))
        .x_desc("transactions a year (log scale)")
        .y_desc("running cost per transaction, USD")
        .draw()?;
    for s in series {
        let colour = palette.colour(&s.strategy);
        chart.draw_series(s.points.iter().map(|p| {
            Circle::new(
                (p.transactions_per_year, p.cost_per_transaction_usd),
                7,
                colour.mix(0.85).filled(),
            )
        }))?;
        chart.draw_series(s.points.iter().map(|p| {
            Circle::new(
                (p.transactions_per_year, p.cost_per_transaction_usd),
                7,
                WHITE.stroke_width(1),
            )
        }))?;
    }
    // Names help while they fit; a crowd of them would hide the points.
    if points().count() <= MAX_NAMED_POINTS {
        chart.draw_series(points().map(|p| {
            EmptyElement::at((p.transactions_per_year, p.cost_per_transaction_usd))
                + Text::new(
                    p.centre.clone(),
                    (11, 0),
                    chart::text(11).pos(Pos::new(HPos::Left, VPos::Center)),
                )
        }))?;
    }
    Ok(())
}

/// Most points whose centres are named on the chart.
const MAX_NAMED_POINTS: usize = 16;

#[cfg(test)]
mod tests {
    use super::*;

    fn row(strategy: &str, volume: Option<f64>, cost: Option<f64>) -> CentreRow {
        CentreRow {
            strategy: strategy.into(),
            centre: "c".into(),
            location: "l".into(),
            agencies: "a".into(),
            transactions_per_year: volume,
            running_cost_usd_per_year: None,
            cost_per_transaction_usd: cost,
            fte: None,
        }
    }

    #[test]
    fn centres_a_log_axis_cannot_show_are_counted_not_drawn() {
        let rows = [
            row("solo", Some(1000.0), Some(50.0)),
            row("solo", Some(0.0), Some(50.0)),
            row("solo", Some(1e13), Some(50.0)),
            row("pooled", Some(2000.0), None),
            row("pooled", Some(3000.0), Some(30.0)),
            row("solo", Some(500.0), Some(60.0)),
        ];
        let (s, left_out) = series(&rows);
        assert_eq!(left_out, 3);
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].points.len(), 2);
        assert_eq!(s[1].points[0].cost_per_transaction_usd, 30.0);
    }
}
