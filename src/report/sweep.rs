//! The folders of `sscsim sweep` and `sscsim breakeven`: the spider plot of
//! a sweep (each strategy's mean NPV savings against the swept value, with
//! the 95% interval of the mean as a band), from `sweep.csv`; and the
//! break-even curve (the mean savings at each value the search evaluated,
//! from `breakeven_points.csv`) with the crossing and its interval, from
//! `breakeven.csv`. The runs behind both share their random numbers across
//! values, so the curves are smooth and their differences are the swept
//! number's doing ([`crate::sweep`]).

use maud::{Markup, html};
use plotters::prelude::*;

use super::ReportError;
use super::chart::{self, ChartSpec, DrawResult, Mark, Palette, STATUS_QUO, WIDTH_PX};
use super::files::{BreakevenPointRow, BreakevenRow, NPV_SAVINGS, ResultFiles, SweepRow};
use super::format;
use super::section::{Body, Section, headings, number_cells};
use super::voi::MoneyUnit;
use crate::results::ResultFile;

/// Why a folder has no `sweep.csv`.
const WRITTEN_BY_SWEEP: &str = " (it is written by `sscsim sweep --out`)";
/// Why a folder has no `breakeven.csv`.
const WRITTEN_BY_BREAKEVEN: &str = " (it is written by `sscsim breakeven --out`)";

/// One point of a curve: a value and the mean savings there, with the
/// half-width of their 95% interval, USD.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Point {
    /// The swept value.
    pub value: f64,
    /// Mean NPV savings, USD.
    pub mean_usd: f64,
    /// Half-width of the mean's 95% interval, USD (0 when unknown).
    pub half_width_usd: f64,
}

/// One strategy's curve.
#[derive(Clone, Debug, PartialEq)]
pub struct Curve {
    /// Strategy id.
    pub strategy: String,
    /// Its points, in increasing value.
    pub points: Vec<Point>,
}

/// Each strategy's mean NPV savings by value from `sweep.csv`, in the
/// file's order of strategies, the status quo (which saves 0) left out;
/// rows without a value or a mean are left out.
pub(crate) fn sweep_curves(rows: &[SweepRow]) -> Vec<Curve> {
    let mut curves: Vec<Curve> = Vec::new();
    for r in rows
        .iter()
        .filter(|r| r.metric == NPV_SAVINGS && r.strategy != STATUS_QUO)
    {
        let (Some(value), Some(mean)) = (r.value, r.mean) else {
            continue;
        };
        let point = Point {
            value,
            mean_usd: mean,
            half_width_usd: r.mean_half_width_95.unwrap_or(0.0),
        };
        match curves.iter_mut().find(|c| c.strategy == r.strategy) {
            Some(c) => c.points.push(point),
            None => curves.push(Curve {
                strategy: r.strategy.clone(),
                points: vec![point],
            }),
        }
    }
    for c in &mut curves {
        c.points.sort_by(|a, b| a.value.total_cmp(&b.value));
    }
    curves
}

/// The break-even curve from `breakeven_points.csv`, in increasing value.
pub(crate) fn breakeven_curve(rows: &[BreakevenPointRow]) -> Vec<Point> {
    let mut points: Vec<Point> = rows
        .iter()
        .filter_map(|r| {
            Some(Point {
                value: r.value?,
                mean_usd: r.mean_savings_usd?,
                half_width_usd: r.half_width_usd.unwrap_or(0.0),
            })
        })
        .collect();
    points.sort_by(|a, b| a.value.total_cmp(&b.value));
    points
}

/// The unit of the curves' amounts.
fn unit_of(points: impl Iterator<Item = Point>) -> MoneyUnit {
    MoneyUnit::for_largest(
        points
            .map(|p| p.mean_usd.abs() + p.half_width_usd)
            .fold(0.0, f64::max),
    )
}

/// The sweep's section.
///
/// # Errors
/// When the chart fails to draw.
pub(crate) fn sweep_section(
    files: &ResultFiles,
    palette: &Palette,
) -> Result<Section, ReportError> {
    let body = match &files.sweep {
        None => Body::no_file(ResultFile::Sweep, WRITTEN_BY_SWEEP),
        Some(rows) => Body::unless_empty(
            &sweep_curves(rows),
            ResultFile::Sweep,
            "no mean NPV savings of a strategy other than the status quo",
            |curves| {
                let key = rows.first().map_or("", |r| r.key.as_str());
                sweep_content(curves, key, palette)
            },
        )?,
    };
    Ok(Section {
        id: "sweep",
        title: "Savings as one number varies".into(),
        sources: ResultFile::Sweep.name(),
        body,
    })
}

fn sweep_content(curves: &[Curve], key: &str, palette: &Palette) -> Result<Markup, ReportError> {
    let unit = unit_of(curves.iter().flat_map(|c| c.points.iter().copied()));
    let mut values: Vec<f64> = curves
        .iter()
        .flat_map(|c| c.points.iter().map(|p| p.value))
        .collect();
    values.sort_by(f64::total_cmp);
    values.dedup();
    let description = curves
        .iter()
        .map(|c| {
            let points = c
                .points
                .iter()
                .map(|p| format!("{} at {}", unit.show(p.mean_usd), format::tick(p.value)))
                .collect::<Vec<_>>()
                .join(", ");
            format!("{}: {points} (USD {}).", c.strategy, unit.name)
        })
        .collect::<Vec<_>>()
        .join(" ");
    let title = format!("Mean NPV savings against the status quo by {key}");
    let lines: Vec<(String, Vec<Point>)> = curves
        .iter()
        .map(|c| (c.strategy.clone(), c.points.clone()))
        .collect();
    let sweep = Curves {
        title: &title,
        key,
        unit,
        lines: &lines,
        crossing: None,
    };
    let figure = sweep.figure(
        ("chart-sweep", "sweep", 460),
        &description,
        palette,
        html! {
            "Each line is a strategy's mean NPV savings against the status quo with " code { (key) }
            " set to the value on the horizontal axis (its distribution replaced, every other input "
            "drawn as in the run, on the same random numbers at every value), USD " (unit.name)
            "; the band is the 95% interval of the mean. A steep line is a result that hangs on "
            "this number; where a line crosses zero the strategy stops paying."
        },
    )?;
    let numbers: Vec<&str> = curves.iter().map(|c| c.strategy.as_str()).collect();
    let cell = |c: &Curve, v: f64| {
        c.points.iter().find(|p| p.value == v).map_or_else(
            || format::MISSING.to_owned(),
            |p| {
                format!(
                    "{} ± {}",
                    unit.show(p.mean_usd),
                    unit.show(p.half_width_usd)
                )
            },
        )
    };
    Ok(html! {
        (figure)
        table.sweep {
            caption { "Mean NPV savings against the status quo, USD " (unit.name) " (± 95% half-width), by " code { (key) } }
            thead { tr { (headings(&[key], &numbers)) } }
            tbody {
                @for v in &values {
                    tr {
                        th scope="row" { (format::compact(*v)) }
                        (number_cells(&curves.iter().map(|c| cell(c, *v)).collect::<Vec<_>>()))
                    }
                }
            }
        }
    })
}

/// The break-even section.
///
/// # Errors
/// When the chart fails to draw.
pub(crate) fn breakeven_section(
    files: &ResultFiles,
    palette: &Palette,
) -> Result<Section, ReportError> {
    let body = match (&files.breakeven, &files.breakeven_points) {
        (None, _) => Body::no_file(ResultFile::Breakeven, WRITTEN_BY_BREAKEVEN),
        (Some(rows), points) => match rows.first() {
            None => Body::Absent(format!("{} has no row.", ResultFile::Breakeven.name())),
            Some(row) => Body::Shown(breakeven_content(
                row,
                points.as_deref().map(breakeven_curve).unwrap_or_default(),
                palette,
            )?),
        },
    };
    Ok(Section {
        id: "breakeven",
        title: "Where the savings cross zero".into(),
        sources: "breakeven.csv and breakeven_points.csv",
        body,
    })
}

/// The crossing in words.
fn finding(row: &BreakevenRow, unit: MoneyUnit) -> Markup {
    let whom =
        html! { code { (row.strategy) } "'s mean NPV savings against " code { (row.versus) } };
    let end =
        |v: Option<f64>, past: &str| v.map_or_else(|| format!("{past} the range"), format::compact);
    html! {
        @match row.value {
            Some(value) => p.finding {
                (whom) " cross zero at " code { (row.key) } " = " strong { (format::compact(value)) }
                ", with a 95% interval from " (end(row.ci_low, "below")) " to " (end(row.ci_high, "above"))
                @if let Some(mean) = row.mean_savings_at_value_usd {
                    " (mean savings there " (unit.show(mean))
                    @if let Some(h) = row.half_width_at_value_usd { " ± " (unit.show(h)) }
                    " USD " (unit.name) ")"
                }
                "."
            },
            None => p.finding {
                (whom) " do not cross zero in the range searched: " (row.finding) "."
            },
        }
    }
}

fn breakeven_content(
    row: &BreakevenRow,
    points: Vec<Point>,
    palette: &Palette,
) -> Result<Markup, ReportError> {
    let unit = unit_of(
        points.iter().copied().chain(
            [row.savings_at_from_usd, row.savings_at_to_usd]
                .into_iter()
                .flatten()
                .map(|mean_usd| Point {
                    value: 0.0,
                    mean_usd,
                    half_width_usd: 0.0,
                }),
        ),
    );
    let figure = if points.len() < 2 {
        html! {
            p.absent {
                "No curve: this folder has no " (ResultFile::BreakevenPoints.name())
                " with the values the search evaluated (older versions of sscsim breakeven did "
                "not write it)."
            }
        }
    } else {
        let title = format!(
            "Mean NPV savings of {} against {} by {}",
            row.strategy, row.versus, row.key
        );
        let description = points
            .iter()
            .map(|p| {
                format!(
                    "{} ± {} at {}",
                    unit.show(p.mean_usd),
                    unit.show(p.half_width_usd),
                    format::tick(p.value)
                )
            })
            .collect::<Vec<_>>()
            .join(", ");
        let description = format!("USD {}: {description}.", unit.name);
        let lines = [(row.strategy.clone(), points.clone())];
        let (lo, hi) = (points[0].value, points[points.len() - 1].value);
        let crossing = row.value.map(|v| Crossing {
            value: v,
            low: row.ci_low.unwrap_or(lo),
            high: row.ci_high.unwrap_or(hi),
        });
        let search = Curves {
            title: &title,
            key: &row.key,
            unit,
            lines: &lines,
            crossing,
        };
        search.figure(
            ("chart-breakeven", "break-even", 440),
            &description,
            palette,
            html! {
                "The line joins the values the search evaluated, each the mean NPV savings of "
                code { (row.strategy) } " against " code { (row.versus) } " on the same random "
                "numbers, USD " (unit.name) ", with the 95% interval of the mean as a band."
                @if crossing.is_some() {
                    " The vertical line is where the mean savings cross zero, the shaded strip "
                    "its 95% interval: below it the strategy is on one side of paying, above it "
                    "on the other, and inside it the evidence cannot tell."
                }
            },
        )?
    };
    Ok(html! {
        (finding(row, unit))
        (figure)
        table.breakeven {
            caption { "The search" }
            thead { tr { (headings(&["Key", "Finding"], &["Savings at the range's ends, USD", "Values evaluated"])) } }
            tbody {
                tr {
                    th scope="row" { code { (row.key) } }
                    td { (row.finding) }
                    (number_cells(&[
                        format!(
                            "{} {} / {} {}",
                            unit.show_or_dash(row.savings_at_from_usd), unit.name,
                            unit.show_or_dash(row.savings_at_to_usd), unit.name
                        ),
                        points.len().to_string(),
                    ]))
                }
            }
        }
    })
}

/// A crossing and its interval, in the swept value.
#[derive(Clone, Copy, Debug)]
struct Crossing {
    value: f64,
    low: f64,
    high: f64,
}

/// What [`draw_curves`] draws.
struct Curves<'a> {
    title: &'a str,
    key: &'a str,
    unit: MoneyUnit,
    lines: &'a [(String, Vec<Point>)],
    crossing: Option<Crossing>,
}

impl Curves<'_> {
    /// The figure of the curves over `caption`: `id`, `kind` and height in
    /// pixels name and size the chart (as [`ChartSpec`]), `description`
    /// says what it shows.
    fn figure(
        &self,
        (id, kind, height_px): (&str, &'static str, u32),
        description: &str,
        palette: &Palette,
        caption: Markup,
    ) -> Result<Markup, ReportError> {
        let spec = ChartSpec {
            id,
            kind,
            title: self.title,
            description,
            size_px: (WIDTH_PX, height_px),
        };
        chart::figure(&spec, |root| draw_curves(root, self, palette), caption)
    }
}

const CROSSING: RGBColor = chart::COLOURS[3];

fn draw_curves(
    root: &DrawingArea<SVGBackend, plotters::coord::Shift>,
    curves: &Curves,
    palette: &Palette,
) -> DrawResult {
    let unit = curves.unit;
    let points = || curves.lines.iter().flat_map(|(_, p)| p.iter());
    let (x0, x1) = chart::padded_range(points().map(|p| p.value), None, 0.02);
    let (y0, y1) = chart::padded_range(
        points().flat_map(|p| {
            [
                (p.mean_usd - p.half_width_usd) / unit.usd,
                (p.mean_usd + p.half_width_usd) / unit.usd,
            ]
        }),
        Some(0.0),
        0.06,
    );
    let mut entries: Vec<(Mark, String)> = curves
        .lines
        .iter()
        .map(|(s, _)| {
            (
                Mark::Swatch(palette.colour(s)),
                format!("{s}: mean and its 95% interval"),
            )
        })
        .collect();
    if let Some(c) = curves.crossing {
        entries.push((
            Mark::Line(CROSSING),
            format!("break-even: {}", format::compact(c.value)),
        ));
    }
    let plot = chart::titled_with_legend(root, curves.title, &entries)?;
    let mut chart = chart::plot_under_legend(&plot, 64).build_cartesian_2d(x0..x1, y0..y1)?;
    let mut mesh = chart.configure_mesh();
    chart::style_mesh(&mut mesh)
        .x_labels(8)
        .x_label_formatter(&|v| format::compact(*v))
        .y_label_formatter(&|v| format::tick(*v))
        .x_desc(curves.key)
        .y_desc(format!("mean NPV savings, USD {}", unit.name))
        .draw()?;
    if let Some(c) = curves.crossing {
        chart.draw_series([Rectangle::new(
            [(c.low.max(x0), y0), (c.high.min(x1), y1)],
            CROSSING.mix(0.12).filled(),
        )])?;
    }
    chart.draw_series(LineSeries::new(
        [(x0, 0.0), (x1, 0.0)],
        chart::INK.mix(0.55).stroke_width(1),
    ))?;
    for (strategy, points) in curves.lines {
        let colour = palette.colour(strategy);
        let band: Vec<(f64, f64)> = points
            .iter()
            .map(|p| (p.value, (p.mean_usd + p.half_width_usd) / unit.usd))
            .chain(
                points
                    .iter()
                    .rev()
                    .map(|p| (p.value, (p.mean_usd - p.half_width_usd) / unit.usd)),
            )
            .collect();
        chart.draw_series([Polygon::new(band, colour.mix(0.2).filled())])?;
        chart.draw_series(LineSeries::new(
            points.iter().map(|p| (p.value, p.mean_usd / unit.usd)),
            colour.stroke_width(3),
        ))?;
        chart.draw_series(
            points
                .iter()
                .map(|p| Circle::new((p.value, p.mean_usd / unit.usd), 3, colour.filled())),
        )?;
    }
    if let Some(c) = curves.crossing {
        chart.draw_series(LineSeries::new(
            [(c.value, y0), (c.value, y1)],
            CROSSING.stroke_width(2),
        ))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sweep_row(value: f64, strategy: &str, metric: &str, mean: f64) -> SweepRow {
        SweepRow {
            key: "k".into(),
            strategy: strategy.into(),
            metric: metric.into(),
            value: Some(value),
            mean: Some(mean),
            mean_half_width_95: Some(1.0),
            p05: None,
            p50: None,
            p95: None,
        }
    }

    #[test]
    fn curves_are_each_strategys_mean_savings_in_increasing_value() {
        let rows = [
            sweep_row(2.0, "status_quo", NPV_SAVINGS, 0.0),
            sweep_row(2.0, "pooled", NPV_SAVINGS, 20.0),
            sweep_row(2.0, "pooled", "npv_cost_usd", 99.0),
            sweep_row(1.0, "pooled", NPV_SAVINGS, 10.0),
            sweep_row(1.0, "solo", NPV_SAVINGS, 5.0),
        ];
        let c = sweep_curves(&rows);
        assert_eq!(c.len(), 2);
        assert_eq!(c[0].strategy, "pooled");
        assert_eq!(
            c[0].points
                .iter()
                .map(|p| (p.value, p.mean_usd))
                .collect::<Vec<_>>(),
            [(1.0, 10.0), (2.0, 20.0)]
        );
        assert_eq!(c[1].points.len(), 1);
    }
}
