//! What is worth learning first, from `voi.csv`: the expected value of
//! partial perfect information (EVPPI) of the groups of inputs and of the
//! inputs that are worth most, each a bar with its 95% interval, against
//! the expected value of perfect information (EVPI) about everything.
//! The estimates are [`crate::voi`]'s (Strong, Oakley and Brennan 2014,
//! regression on the run's own replications); the report only draws them.

use maud::{Markup, html};
use plotters::coord::ranged1d::SegmentValue;
use plotters::prelude::*;

use super::ReportError;
use super::chart::{self, COLOURS, ChartSpec, DrawResult, Mark, WIDTH_PX};
use super::files::{ResultFiles, VoiRow};
use super::format::{self, percent_or_dash};
use super::section::{Body, Section, WRITTEN_BY_RUN, breakable_code, headings, number_cells};
use crate::results::ResultFile;
use crate::stats::Z_95;

/// At most this many bars: groups and inputs by decreasing EVPPI.
pub(crate) const MAX_BARS: usize = 12;

/// A group's bar.
const GROUP: RGBColor = COLOURS[0];
/// A single input's bar.
const INPUT: RGBColor = COLOURS[1];

/// The amounts of a chart in a unit that suits their size: USD million
/// when the largest is a million or more, else USD thousand (an EVPI of
/// USD 40 000 would be 0.04 on an axis of millions).
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct MoneyUnit {
    /// USD per unit.
    pub usd: f64,
    /// Its name, after `USD`.
    pub name: &'static str,
}

impl MoneyUnit {
    /// The unit for amounts up to `largest_usd`.
    pub(crate) fn for_largest(largest_usd: f64) -> MoneyUnit {
        if largest_usd.abs() >= 1e6 {
            MoneyUnit {
                usd: 1e6,
                name: "million",
            }
        } else {
            MoneyUnit {
                usd: 1e3,
                name: "thousand",
            }
        }
    }

    /// An amount in this unit, two decimals.
    pub(crate) fn show(self, usd: f64) -> String {
        format::decimal(usd / self.usd, 2)
    }

    /// An optional amount in this unit, or a dash.
    pub(crate) fn show_or_dash(self, usd: Option<f64>) -> String {
        usd.map_or_else(|| format::MISSING.to_owned(), |v| self.show(v))
    }
}

/// One bar: a group or an input with its EVPPI.
#[derive(Clone, Debug, PartialEq)]
pub struct Bar {
    /// The group or input for a reader.
    pub label: String,
    /// Whether it is a group of inputs.
    pub is_group: bool,
    /// EVPPI, USD.
    pub evppi_usd: f64,
    /// Half-width of its 95% interval, `Z_95·se`, USD (0 when unknown).
    pub half_width_usd: f64,
}

/// The EVPI row (`all`).
fn evpi(rows: &[VoiRow]) -> Option<&VoiRow> {
    rows.iter().find(|r| r.kind == "all")
}

/// The groups and inputs with an estimate, largest EVPPI first (equal ones
/// keep the file's order), at most `max`.
pub fn bars(rows: &[VoiRow], max: usize) -> Vec<Bar> {
    let mut shown: Vec<&VoiRow> = rows
        .iter()
        .filter(|r| r.kind != "all" && r.evppi_usd.is_some())
        .collect();
    shown.sort_by(|a, b| {
        b.evppi_usd
            .unwrap_or(0.0)
            .total_cmp(&a.evppi_usd.unwrap_or(0.0))
    });
    shown
        .into_iter()
        .take(max)
        .filter_map(|r| {
            Some(Bar {
                label: r.label().to_owned(),
                is_group: r.kind == "group",
                evppi_usd: r.evppi_usd?,
                half_width_usd: r.se_usd.map_or(0.0, |se| Z_95 * se),
            })
        })
        .collect()
}

/// The value-of-information section.
///
/// # Errors
/// When the chart fails to draw.
pub fn section(files: &ResultFiles) -> Result<Section, ReportError> {
    let body = match &files.voi {
        None => Body::no_file(ResultFile::Voi, WRITTEN_BY_RUN),
        Some(rows) => Body::unless_empty(
            &bars(rows, MAX_BARS),
            ResultFile::Voi,
            "no group or input with an estimate (too few replications)",
            |bars| content(rows, bars),
        )?,
    };
    Ok(Section {
        id: "voi",
        title: "What is worth learning first".into(),
        sources: ResultFile::Voi.name(),
        body,
    })
}

fn content(rows: &[VoiRow], bars: &[Bar]) -> Result<Markup, ReportError> {
    let evpi = evpi(rows);
    let evpi_usd = evpi.and_then(|r| r.evppi_usd);
    let largest = bars
        .iter()
        .map(|b| b.evppi_usd + b.half_width_usd)
        .chain(evpi_usd)
        .fold(0.0, f64::max);
    let unit = MoneyUnit::for_largest(largest);
    let shown: Vec<&VoiRow> = {
        let mut r: Vec<&VoiRow> = rows
            .iter()
            .filter(|r| r.kind != "all" && r.evppi_usd.is_some())
            .collect();
        r.sort_by(|a, b| {
            b.evppi_usd
                .unwrap_or(0.0)
                .total_cmp(&a.evppi_usd.unwrap_or(0.0))
        });
        r.truncate(MAX_BARS);
        r
    };
    let left_out = rows.iter().filter(|r| r.kind != "all").count() - shown.len();
    Ok(html! {
        (figure(bars, evpi_usd, unit)?)
        table.voi {
            caption { "The value of knowing each group or input before choosing, USD " (unit.name) ", largest first" }
            thead { tr { (headings(&["Group or input", "Kind"], &["EVPPI", "± 95%", "Share of EVPI"])) } }
            tbody {
                @if let Some(all) = evpi {
                    tr {
                        th scope="row" { "every uncertain input (EVPI)" }
                        td { "all" }
                        (number_cells(&voi_cells(all, unit)))
                    }
                }
                @for r in &shown {
                    tr {
                        th scope="row" title=(r.input) {
                            @if r.label() == r.input { (breakable_code(&r.input)) } @else { (r.label()) }
                        }
                        td { (r.kind) }
                        (number_cells(&voi_cells(r, unit)))
                    }
                }
            }
        }
        @if left_out > 0 {
            p.note { (left_out) " more groups and inputs, with smaller or no estimates, are in voi.csv." }
        }
    })
}

fn voi_cells(r: &VoiRow, unit: MoneyUnit) -> Vec<String> {
    vec![
        unit.show_or_dash(r.evppi_usd),
        unit.show_or_dash(r.se_usd.map(|se| Z_95 * se)),
        percent_or_dash(r.share_of_evpi),
    ]
}

fn figure(bars: &[Bar], evpi_usd: Option<f64>, unit: MoneyUnit) -> Result<Markup, ReportError> {
    let description = bars
        .iter()
        .map(|b| {
            format!(
                "{}: {} ± {} USD {}.",
                b.label,
                unit.show(b.evppi_usd),
                unit.show(b.half_width_usd),
                unit.name
            )
        })
        .collect::<Vec<_>>()
        .join(" ");
    let spec = ChartSpec {
        id: "chart-voi",
        kind: "value of information",
        title: "The value of knowing each group or input before choosing",
        description: &description,
        size_px: (WIDTH_PX, 150 + 30 * bars.len() as u32),
    };
    chart::figure(
        &spec,
        |root| draw(root, bars, evpi_usd, unit),
        html! {
            "Each bar is what knowing that group of inputs (dark) or single input (light) "
            "exactly, before choosing the strategy, would add to the expected savings (EVPPI), "
            "with its 95% interval (± 1.96 bootstrap standard errors), USD " (unit.name) "."
            @if evpi_usd.is_some() {
                " The vertical line is the value of knowing every input (EVPI), which no bar can exceed."
            }
            " The longest bars are the uncertainties most worth studying before deciding; a bar "
            "whose interval reaches zero is not worth paying for on this evidence."
        },
    )
}

fn draw(
    root: &DrawingArea<SVGBackend, plotters::coord::Shift>,
    bars: &[Bar],
    evpi_usd: Option<f64>,
    unit: MoneyUnit,
) -> DrawResult {
    let scaled = |usd: f64| usd / unit.usd;
    let ends = bars
        .iter()
        .flat_map(|b| {
            [
                scaled(b.evppi_usd - b.half_width_usd),
                scaled(b.evppi_usd + b.half_width_usd),
            ]
        })
        .chain(evpi_usd.map(scaled))
        .collect::<Vec<_>>();
    let (lo, hi) = chart::range_from_zero(&ends, 0.06);
    let labels: Vec<String> = bars
        .iter()
        .rev()
        .map(|b| super::tornado::short_label(&b.label))
        .collect();
    let mut entries = vec![
        (Mark::Swatch(GROUP), "group of inputs".to_owned()),
        (Mark::Swatch(INPUT), "single input".to_owned()),
        (Mark::Line(chart::INK), "95% interval".to_owned()),
    ];
    if let Some(e) = evpi_usd {
        entries.push((
            Mark::Line(COLOURS[3]),
            format!("EVPI: {} USD {}", unit.show(e), unit.name),
        ));
    }
    let plot = chart::titled_with_legend(
        root,
        &format!(
            "Expected value of partial perfect information (USD {})",
            unit.name
        ),
        &entries,
    )?;
    let x_desc = format!("EVPPI, USD {}", unit.name);
    let mut chart = chart::labelled_rows(&plot, &labels, 420, (lo, hi), &x_desc)?;
    let rows = || bars.iter().rev().enumerate().map(|(i, b)| (i as u32, b));
    chart.draw_series(rows().map(|(i, b)| {
        let colour = if b.is_group { GROUP } else { INPUT };
        let mut r = Rectangle::new(
            [
                (0.0, SegmentValue::Exact(i)),
                (scaled(b.evppi_usd), SegmentValue::Exact(i + 1)),
            ],
            colour.filled(),
        );
        r.set_margin(6, 6, 0, 0);
        r
    }))?;
    for (i, b) in rows().filter(|(_, b)| b.half_width_usd > 0.0) {
        let low = scaled(b.evppi_usd - b.half_width_usd).max(lo);
        let high = scaled(b.evppi_usd + b.half_width_usd);
        let style = chart::INK.stroke_width(2);
        chart.draw_series(LineSeries::new(
            [
                (low, SegmentValue::CenterOf(i)),
                (high, SegmentValue::CenterOf(i)),
            ],
            style,
        ))?;
        // Caps: short ticks across the line at both ends, in pixels.
        chart.draw_series([low, high].map(|end| {
            EmptyElement::at((end, SegmentValue::CenterOf(i)))
                + PathElement::new([(0, -5), (0, 5)], style)
        }))?;
    }
    if let Some(e) = evpi_usd {
        chart.draw_series(LineSeries::new(
            [
                (scaled(e), SegmentValue::Exact(0)),
                (scaled(e), SegmentValue::Last),
            ],
            COLOURS[3].stroke_width(2),
        ))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(input: &str, kind: &str, evppi: Option<f64>, se: Option<f64>) -> VoiRow {
        VoiRow {
            input: input.into(),
            kind: kind.into(),
            input_label: String::new(),
            evppi_usd: evppi,
            se_usd: se,
            share_of_evpi: None,
        }
    }

    #[test]
    fn bars_are_groups_and_inputs_with_an_estimate_largest_first_without_the_evpi() {
        let rows = [
            row("all", "all", Some(100.0), Some(5.0)),
            row("volumes", "group", Some(20.0), Some(2.0)),
            row("a", "input", Some(40.0), None),
            row("b", "input", None, None),
        ];
        let b = bars(&rows, 10);
        assert_eq!(
            b.iter().map(|b| b.label.as_str()).collect::<Vec<_>>(),
            ["a", "volumes"]
        );
        assert!(b[1].is_group && !b[0].is_group);
        // 1.959964 × 2 = 3.919928; no standard error draws no interval.
        assert!((b[1].half_width_usd - 3.919_928).abs() < 1e-5);
        assert_eq!(b[0].half_width_usd, 0.0);
        assert_eq!(bars(&rows, 1).len(), 1);
    }

    #[test]
    fn amounts_below_a_million_are_shown_in_thousands() {
        let k = MoneyUnit::for_largest(456_789.0);
        assert_eq!((k.name, k.show(12_345.0)), ("thousand", "12.35".to_owned()));
        let m = MoneyUnit::for_largest(2.5e6);
        assert_eq!((m.name, m.show(2.5e6)), ("million", "2.50".to_owned()));
    }
}
