//! How much of the headline's variance each input explains, from
//! `global_sensitivity.csv`: each input's first-order index and, when
//! `--global-sensitivity` ran a design, its total-order index or Shapley
//! effect, each with its bootstrap interval. The estimates are
//! [`crate::global_sensitivity`]'s; the report only draws them, for the
//! output the tornado explains ([`super::tornado::headline`]), input by
//! input and then group by group (the file's `group` rows: first order
//! only).

use maud::{Markup, html};
use plotters::coord::ranged1d::SegmentValue;
use plotters::prelude::*;

use super::ReportError;
use super::chart::{self, COLOURS, ChartSpec, DrawResult, Mark, WIDTH_PX};
use super::files::{GlobalSensitivityRow, ResultFiles};
use super::format::decimal_or_dash;
use super::section::{Body, Section, WRITTEN_BY_RUN, breakable_code, headings, number_cells};
use super::tornado::{Headline, headline, short_label};
use crate::results::ResultFile;

/// At most this many inputs in the chart and the table.
pub(crate) const MAX_INPUTS: usize = 10;

/// The first-order bar.
const FIRST: RGBColor = COLOURS[5];
/// The design's bar.
const DESIGN: RGBColor = COLOURS[0];

/// An index with its interval.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Interval {
    /// The estimate.
    pub value: f64,
    /// Lower end of its interval (the estimate when the file has none).
    pub low: f64,
    /// Upper end.
    pub high: f64,
}

impl Interval {
    fn of(value: Option<f64>, low: Option<f64>, high: Option<f64>) -> Option<Interval> {
        let value = value?;
        Some(Interval {
            value,
            low: low.unwrap_or(value),
            high: high.unwrap_or(value),
        })
    }
}

/// The index a design gives besides the first order.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Design {
    /// Total-order indices (independent inputs).
    TotalOrder,
    /// Shapley effects (correlated inputs).
    Shapley,
}

impl Design {
    fn name(self) -> &'static str {
        match self {
            Design::TotalOrder => "total order",
            Design::Shapley => "Shapley effect",
        }
    }

    fn of(self, r: &GlobalSensitivityRow) -> Option<Interval> {
        match self {
            Design::TotalOrder => {
                Interval::of(r.total_order, r.total_order_ci_low, r.total_order_ci_high)
            }
            Design::Shapley => Interval::of(
                r.shapley_effect,
                r.shapley_effect_ci_low,
                r.shapley_effect_ci_high,
            ),
        }
    }
}

/// The design of the file, if it ran one.
pub fn design(rows: &[GlobalSensitivityRow]) -> Option<Design> {
    if rows.iter().any(|r| r.total_order.is_some()) {
        Some(Design::TotalOrder)
    } else if rows.iter().any(|r| r.shapley_effect.is_some()) {
        Some(Design::Shapley)
    } else {
        None
    }
}

/// One input's indices.
#[derive(Clone, Debug, PartialEq)]
pub struct InputIndices {
    /// The input for a reader.
    pub label: String,
    /// Its id.
    pub input: String,
    /// First-order index.
    pub first_order: Option<Interval>,
    /// The design's index.
    pub design: Option<Interval>,
}

/// The output the chart shows: the tornado's headline when the file has
/// it, else the file's first output and strategy.
fn shown_output(files: &ResultFiles, rows: &[GlobalSensitivityRow]) -> Option<(String, String)> {
    let first = rows.first()?;
    Some(
        headline(files)
            .filter(|h| {
                rows.iter()
                    .any(|r| r.output == h.output && r.strategy == h.strategy)
            })
            .map_or_else(
                || (first.output.clone(), first.strategy.clone()),
                |h| (h.output, h.strategy),
            ),
    )
}

/// The inputs of `output` and `strategy`, by the design's index when there
/// is one, else by the first order, largest first (equal ones keep the
/// file's order), at most `max`; inputs with no index are left out.
pub fn inputs(rows: &[GlobalSensitivityRow], shown: (&str, &str), max: usize) -> Vec<InputIndices> {
    indices(rows, shown, max, false)
}

/// The groups of inputs of `output` and `strategy`, by first order,
/// largest first, at most `max`; groups with no index are left out.
pub fn groups(rows: &[GlobalSensitivityRow], shown: (&str, &str), max: usize) -> Vec<InputIndices> {
    indices(rows, shown, max, true)
}

/// The inputs ([`inputs`]) or the groups ([`groups`]) of `output` and
/// `strategy`.
fn indices(
    rows: &[GlobalSensitivityRow],
    (output, strategy): (&str, &str),
    max: usize,
    of_groups: bool,
) -> Vec<InputIndices> {
    // No design freezes a group: its rows have the first order alone.
    let design = design(rows).filter(|_| !of_groups);
    let mut shown: Vec<InputIndices> = rows
        .iter()
        .filter(|r| r.output == output && r.strategy == strategy && r.is_group() == of_groups)
        .map(|r| InputIndices {
            label: r.label().to_owned(),
            input: r.input.clone(),
            first_order: Interval::of(r.first_order, r.first_order_ci_low, r.first_order_ci_high),
            design: design.and_then(|d| d.of(r)),
        })
        .filter(|i| i.first_order.is_some() || i.design.is_some())
        .collect();
    let key = |i: &InputIndices| {
        i.design
            .or(i.first_order)
            .map_or(f64::NEG_INFINITY, |x| x.value)
    };
    shown.sort_by(|a, b| key(b).total_cmp(&key(a)));
    shown.truncate(max);
    shown
}

/// The global sensitivity section.
///
/// # Errors
/// When the chart fails to draw.
pub fn section(files: &ResultFiles) -> Result<Section, ReportError> {
    let body = match &files.global_sensitivity {
        None => Body::no_file(ResultFile::GlobalSensitivity, WRITTEN_BY_RUN),
        Some(rows) => match shown_output(files, rows) {
            None => Body::Absent(format!(
                "the scenario has no uncertain inputs: {} is empty.",
                ResultFile::GlobalSensitivity.name()
            )),
            Some((output, strategy)) => Body::unless_empty(
                &inputs(rows, (&output, &strategy), MAX_INPUTS),
                ResultFile::GlobalSensitivity,
                "no index of any input (too few replications)",
                |inputs| {
                    let what = Headline {
                        output: output.clone(),
                        strategy: strategy.clone(),
                        mean_usd: None,
                    }
                    .describe();
                    let by_group = groups(rows, (&output, &strategy), MAX_INPUTS);
                    Ok(html! {
                        (content(inputs, design(rows), &what, false)?)
                        @if !by_group.is_empty() {
                            (content(&by_group, None, &what, true)?)
                        }
                    })
                },
            )?,
        },
    };
    Ok(Section {
        id: "global-sensitivity",
        title: "How much of the spread each input explains".into(),
        sources: ResultFile::GlobalSensitivity.name(),
        body,
    })
}

/// The chart and table of `inputs`, or of groups of inputs when
/// `by_group`.
fn content(
    inputs: &[InputIndices],
    design: Option<Design>,
    what: &str,
    by_group: bool,
) -> Result<Markup, ReportError> {
    let mut numbers = vec!["First order", "95% interval"];
    if let Some(d) = design {
        numbers.push(match d {
            Design::TotalOrder => "Total order",
            Design::Shapley => "Shapley effect",
        });
        numbers.push("95% interval");
    }
    Ok(html! {
        (figure(inputs, design, what, by_group)?)
        table.global-sensitivity {
            caption {
                "Shares of the variance of the " (what)
                @if by_group { " by group of inputs" } ", largest first"
            }
            thead { tr { (headings(&[if by_group { "Group" } else { "Input" }], &numbers)) } }
            tbody {
                @for i in inputs {
                    tr {
                        th scope="row" title=(i.input) {
                            @if i.label == i.input { (breakable_code(&i.input)) } @else { (i.label) }
                        }
                        (number_cells(&index_cells(i, design.is_some())))
                    }
                }
            }
        }
        @if design.is_none() && !by_group {
            p.note {
                "First-order indices only: " code { "sscsim run --global-sensitivity" }
                " adds total-order indices (or Shapley effects when inputs are correlated)."
            }
        }
    })
}

/// An input's cells: each index and its interval, the design's when there
/// is one.
fn index_cells(i: &InputIndices, with_design: bool) -> Vec<String> {
    let interval = |x: Option<Interval>| match x {
        Some(x) => format!(
            "{} to {}",
            decimal_or_dash(Some(x.low), 2),
            decimal_or_dash(Some(x.high), 2)
        ),
        None => decimal_or_dash(None, 2),
    };
    let mut cells = vec![
        decimal_or_dash(i.first_order.map(|x| x.value), 2),
        interval(i.first_order),
    ];
    if with_design {
        cells.push(decimal_or_dash(i.design.map(|x| x.value), 2));
        cells.push(interval(i.design));
    }
    cells
}

fn figure(
    inputs: &[InputIndices],
    design: Option<Design>,
    what: &str,
    by_group: bool,
) -> Result<Markup, ReportError> {
    let show = |i: Option<Interval>| {
        i.map_or_else(
            || "–".to_owned(),
            |i| format!("{:.2} ({:.2} to {:.2})", i.value, i.low, i.high),
        )
    };
    let description = inputs
        .iter()
        .map(|i| match design {
            Some(d) => format!(
                "{}: first order {}, {} {}.",
                i.label,
                show(i.first_order),
                d.name(),
                show(i.design)
            ),
            None => format!("{}: first order {}.", i.label, show(i.first_order)),
        })
        .collect::<Vec<_>>()
        .join(" ");
    let title = if by_group {
        format!("Shares of the variance of the {what}, by group")
    } else {
        format!("Shares of the variance of the {what}")
    };
    let spec = ChartSpec {
        id: if by_group {
            "chart-global-sensitivity-groups"
        } else {
            "chart-global-sensitivity"
        },
        kind: "global sensitivity",
        title: &title,
        description: &description,
        size_px: (
            WIDTH_PX,
            150 + if design.is_some() { 44 } else { 30 } * inputs.len() as u32,
        ),
    };
    if by_group {
        return chart::figure(
            &spec,
            |root| draw(root, inputs, None, &title),
            html! {
                "Each bar is the share of the variance of the " (what)
                " that a group of inputs explains together, their interactions among "
                "themselves included (its first-order index, estimated from the run's "
                "replications by nearest neighbours), with its 95% bootstrap interval. "
                "The groups are those of the value-of-information section; a group's "
                "share is at least that of any of its inputs, and the shares of groups that "
                "share inputs do not add up."
            },
        );
    }
    chart::figure(
        &spec,
        |root| draw(root, inputs, design, &title),
        html! {
            "Each first-order bar (light) is the share of the variance of the " (what)
            " that the input explains alone, with its 95% bootstrap interval"
            @match design {
                Some(Design::TotalOrder) => {
                    "; each total-order bar (dark) adds what it explains through its interactions "
                    "with the other inputs. A total order well above the first order means the "
                    "input matters through interactions"
                }
                Some(Design::Shapley) => {
                    "; each Shapley effect (dark) shares the variance among inputs that are "
                    "correlated or interact, so the effects add up to 1"
                }
                None => {}
            }
            ". The longest bars are the inputs that drive the spread of the result; inputs with "
            "bars near zero could be fixed anywhere in their range without changing it. "
            "The groups of inputs follow in a second chart."
        },
    )
}

fn draw(
    root: &DrawingArea<SVGBackend, plotters::coord::Shift>,
    inputs: &[InputIndices],
    design: Option<Design>,
    title: &str,
) -> DrawResult {
    let ends: Vec<f64> = inputs
        .iter()
        .flat_map(|i| [i.first_order, i.design])
        .flatten()
        .flat_map(|x| [x.value, x.low, x.high])
        .collect();
    let (lo, hi) = chart::range_from_zero(&ends, 0.06);
    let labels: Vec<String> = inputs.iter().rev().map(|i| short_label(&i.label)).collect();
    let mut entries = vec![(Mark::Swatch(FIRST), "first order".to_owned())];
    if let Some(d) = design {
        entries.push((Mark::Swatch(DESIGN), d.name().to_owned()));
    }
    entries.push((Mark::Line(chart::INK), "95% interval".to_owned()));
    let plot = chart::titled_with_legend(root, title, &entries)?;
    let mut chart = chart::labelled_rows(&plot, &labels, 420, (lo, hi), "share of the variance")?;
    let row_px = chart.plotting_area().dim_in_pixel().1 as f64 / inputs.len().max(1) as f64;
    // Each row holds one bar, or two halves: first order above, the
    // design's index below; a margin of 15% of the row around them.
    let bars: &[(RGBColor, f64, f64)] = if design.is_some() {
        &[(FIRST, 0.15, 0.5), (DESIGN, 0.5, 0.85)]
    } else {
        &[(FIRST, 0.2, 0.8)]
    };
    for (i, input) in inputs.iter().rev().enumerate() {
        let i = i as u32;
        for (k, &(colour, top, bottom)) in bars.iter().enumerate() {
            let index = if k == 0 {
                input.first_order
            } else {
                input.design
            };
            let Some(x) = index else { continue };
            let mut r = Rectangle::new(
                [
                    (0.0, SegmentValue::Exact(i)),
                    (x.value, SegmentValue::Exact(i + 1)),
                ],
                colour.filled(),
            );
            r.set_margin(
                (row_px * top) as u32,
                (row_px * (1.0 - bottom)) as u32,
                0,
                0,
            );
            chart.draw_series([r])?;
            if x.high > x.low {
                // Pixels from the row's centre to this bar's centre.
                let dy = (row_px * ((top + bottom) / 2.0 - 0.5)) as i32;
                let (x0, _) = chart.backend_coord(&(x.low.max(lo), SegmentValue::CenterOf(i)));
                let (x1, _) = chart.backend_coord(&(x.high, SegmentValue::CenterOf(i)));
                let style = chart::INK.stroke_width(2);
                chart.draw_series([EmptyElement::at((
                    x.low.max(lo),
                    SegmentValue::CenterOf(i),
                )) + PathElement::new([(0, dy), (x1 - x0, dy)], style)
                    + PathElement::new([(0, dy - 4), (0, dy + 4)], style)
                    + PathElement::new([(x1 - x0, dy - 4), (x1 - x0, dy + 4)], style)])?;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(input: &str, first: f64, total: Option<f64>) -> GlobalSensitivityRow {
        GlobalSensitivityRow {
            output: "npv_savings_usd".into(),
            strategy: "pooled".into(),
            input: input.into(),
            kind: "input".into(),
            input_label: String::new(),
            first_order: Some(first),
            first_order_ci_low: Some(first - 0.05),
            first_order_ci_high: Some(first + 0.05),
            total_order: total,
            total_order_ci_low: total.map(|t| t - 0.1),
            total_order_ci_high: total.map(|t| t + 0.1),
            shapley_effect: None,
            shapley_effect_ci_low: None,
            shapley_effect_ci_high: None,
        }
    }

    #[test]
    fn inputs_are_ordered_by_the_designs_index_when_there_is_one() {
        let rows = [row("a", 0.5, Some(0.55)), row("b", 0.1, Some(0.6))];
        let i = inputs(&rows, ("npv_savings_usd", "pooled"), 10);
        assert_eq!(design(&rows), Some(Design::TotalOrder));
        assert_eq!(
            i.iter().map(|i| i.input.as_str()).collect::<Vec<_>>(),
            ["b", "a"]
        );
        assert_eq!(
            i[0].design,
            Some(Interval {
                value: 0.6,
                low: 0.5,
                high: 0.7
            })
        );
        let first_only = [row("a", 0.5, None), row("b", 0.1, None)];
        let i = inputs(&first_only, ("npv_savings_usd", "pooled"), 1);
        assert_eq!(design(&first_only), None);
        assert_eq!((i.len(), i[0].input.as_str()), (1, "a"));
        assert!(inputs(&first_only, ("npv_savings_usd", "solo"), 10).is_empty());
    }

    #[test]
    fn groups_are_apart_from_inputs_and_have_no_design_index() {
        let group = |name: &str, first: f64| GlobalSensitivityRow {
            kind: "group".into(),
            total_order: None,
            total_order_ci_low: None,
            total_order_ci_high: None,
            ..row(name, first, None)
        };
        let rows = [
            row("a", 0.5, Some(0.55)),
            group("volumes", 0.3),
            group("location.x", 0.7),
        ];
        let shown = ("npv_savings_usd", "pooled");
        let names = |i: Vec<InputIndices>| i.into_iter().map(|i| i.input).collect::<Vec<_>>();
        assert_eq!(names(inputs(&rows, shown, 10)), ["a"]);
        let by_group = groups(&rows, shown, 10);
        assert!(by_group.iter().all(|g| g.design.is_none()));
        assert_eq!(names(by_group), ["location.x", "volumes"]);
        // A file from before the `kind` column holds inputs only.
        let mut old = row("b", 0.2, None);
        old.kind = String::new();
        assert_eq!(names(inputs(&[old.clone()], shown, 10)), ["b"]);
        assert!(groups(&[old], shown, 10).is_empty());
    }
}
