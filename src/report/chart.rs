//! What every chart shares: an SVG canvas drawn by plotters, made
//! accessible (an id, `role="img"`, a `<title>` and a `<desc>`), one colour
//! per strategy across all charts, the text styles, and axis ranges that
//! never collapse to a point.

use maud::{Markup, PreEscaped, html};
use plotters::chart::MeshStyle;
use plotters::coord::Shift;
use plotters::coord::ranged1d::{Ranged, SegmentValue, SegmentedCoord, ValueFormatter};
use plotters::coord::types::{RangedCoordf64, RangedCoordu32};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::ReportError;
use super::font;
use super::format;

/// Width of every chart, pixels (the page scales it to fit).
pub(crate) const WIDTH_PX: u32 = 880;

/// What a drawing function returns: plotters' errors, boxed.
pub(crate) type DrawResult = Result<(), Box<dyn std::error::Error>>;

/// A chart's identity on the page.
pub struct ChartSpec<'a> {
    /// The `id` of the `<svg>` element.
    pub id: &'a str,
    /// The chart's kind, for error messages.
    pub kind: &'static str,
    /// A title for screen readers (and tooltips).
    pub title: &'a str,
    /// What the chart shows, in a sentence or two, for screen readers.
    pub description: &'a str,
    /// Width and height, pixels.
    pub size_px: (u32, u32),
}

/// Draws a chart into an SVG string and returns it ready to inline.
///
/// # Errors
/// When plotters fails to draw (a [`ReportError::Chart`]).
pub(crate) fn svg(
    spec: &ChartSpec,
    draw: impl FnOnce(&DrawingArea<SVGBackend, Shift>) -> DrawResult,
) -> Result<Markup, ReportError> {
    font::register()?;
    let failed = |e: &dyn std::fmt::Display| ReportError::Chart {
        chart: spec.kind,
        message: e.to_string(),
    };
    let mut text = String::new();
    {
        let root = SVGBackend::with_string(&mut text, spec.size_px).into_drawing_area();
        root.fill(&WHITE).map_err(|e| failed(&e))?;
        draw(&root).map_err(|e| failed(&e))?;
        root.present().map_err(|e| failed(&e))?;
    }
    Ok(PreEscaped(accessible(&text, spec)))
}

/// A figure: the chart of `spec`, drawn by `draw`, over its `caption`.
///
/// # Errors
/// As [`svg`].
pub(crate) fn figure(
    spec: &ChartSpec,
    draw: impl FnOnce(&DrawingArea<SVGBackend, Shift>) -> DrawResult,
    caption: Markup,
) -> Result<Markup, ReportError> {
    let svg = svg(spec, draw)?;
    Ok(html! {
        figure {
            (svg)
            figcaption { (caption) }
        }
    })
}

/// Adds an id, `role="img"`, a `<title>` and a `<desc>` to plotters' SVG.
fn accessible(svg: &str, spec: &ChartSpec) -> String {
    let id = spec.id;
    let labels = html! {
        title id={ (id) "-title" } { (spec.title) }
        desc id={ (id) "-desc" } { (spec.description) }
    }
    .into_string();
    let attributes = format!(
        "<svg id=\"{id}\" class=\"chart\" role=\"img\" aria-labelledby=\"{id}-title {id}-desc\" "
    );
    // plotters' SVG starts with one `<svg ...>` tag; anything else is left
    // as it is rather than guessed at.
    match (svg.strip_prefix("<svg "), svg.find('>')) {
        (Some(_), Some(end)) => format!("{attributes}{}{labels}{}", &svg[5..=end], &svg[end + 1..]),
        _ => svg.to_owned(),
    }
}

/// The eight colours of Okabe and Ito's colour-blind-safe palette, in the
/// order strategies get them (Okabe, M. and Ito, K., "Color Universal
/// Design (CUD): how to make figures and presentations that are friendly
/// to colorblind people", J*Fly, 2002, revised 2008,
/// <https://jfly.uni-koeln.de/color/>, section 10, "Set of colors that is
/// unambiguous both to colorblinds and non-colorblinds"): blue, orange,
/// bluish green, vermilion, reddish purple, sky blue, yellow, black. The first
/// four are the most distinct, so a comparison of a few strategies uses
/// them; a ninth strategy takes the first colour again.
pub(crate) const COLOURS: [RGBColor; 8] = [
    RGBColor(0, 114, 178),
    RGBColor(230, 159, 0),
    RGBColor(0, 158, 115),
    RGBColor(213, 94, 0),
    RGBColor(204, 121, 167),
    RGBColor(86, 180, 233),
    RGBColor(240, 228, 66),
    RGBColor(0, 0, 0),
];

/// The status quo's colour: a neutral grey.
pub(crate) const STATUS_QUO_COLOUR: RGBColor = RGBColor(128, 128, 128);
/// Text and axes.
pub(crate) const INK: RGBColor = RGBColor(51, 51, 51);
/// Grid lines.
pub(crate) const GRID: RGBColor = RGBColor(228, 228, 228);

/// The baseline strategy's id.
pub(crate) const STATUS_QUO: &str = "status_quo";

/// One colour per strategy, the same in every chart.
#[derive(Clone, Debug)]
pub struct Palette {
    strategies: Vec<String>,
}

impl Palette {
    /// Colours in the order of `strategies` (the status quo is grey and
    /// takes none of the colours).
    pub fn new(strategies: Vec<String>) -> Palette {
        Palette {
            strategies: strategies.into_iter().filter(|s| s != STATUS_QUO).collect(),
        }
    }

    /// The colour of a strategy; one not known gets the last colour.
    pub(crate) fn colour(&self, strategy: &str) -> RGBColor {
        if strategy == STATUS_QUO {
            return STATUS_QUO_COLOUR;
        }
        let i = self
            .strategies
            .iter()
            .position(|s| s == strategy)
            .unwrap_or(COLOURS.len() - 1);
        COLOURS[i % COLOURS.len()]
    }

    /// The colour as CSS, for swatches in tables.
    pub(crate) fn css(&self, strategy: &str) -> String {
        let RGBColor(r, g, b) = self.colour(strategy);
        format!("rgb({r},{g},{b})")
    }

    /// A table row's heading for `strategy`: its swatch, then its id.
    pub(crate) fn row_heading(&self, strategy: &str) -> Markup {
        html! {
            th scope="row" {
                span.swatch style={ "background:" (self.css(strategy)) } {}
                code { (strategy) }
            }
        }
    }
}

/// Text of `size_px` in the ink colour.
pub(crate) fn text(size_px: u32) -> TextStyle<'static> {
    (font::FAMILY, size_px).into_font().color(&INK)
}

/// A chart's caption.
pub(crate) fn caption() -> TextStyle<'static> {
    (font::FAMILY, 17).into_font().color(&INK)
}

/// Width in pixels of `label` in `style` (0 when it cannot be measured).
pub(crate) fn text_width_px(label: &str, style: &TextStyle) -> u32 {
    style.font.box_size(label).map_or(0, |(w, _)| w)
}

/// The largest magnitude an axis reaches. Beyond it plotters' tick search
/// can overflow to an infinite width and never end; it is more than any
/// amount of money, so values past it are drawn at the edge.
pub(crate) const AXIS_LIMIT: f64 = 1e150;

/// A range that contains `values` (and `always`, e.g. zero) with a margin
/// of `margin_share` of its width on each side. Never empty, never wider
/// than ±[`AXIS_LIMIT`]: a single value gets a range around it, and
/// non-finite values are left out.
pub(crate) fn padded_range(
    values: impl IntoIterator<Item = f64>,
    always: Option<f64>,
    margin_share: f64,
) -> (f64, f64) {
    let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
    for v in values.into_iter().chain(always).filter(|v| v.is_finite()) {
        let v = v.clamp(-AXIS_LIMIT, AXIS_LIMIT);
        lo = lo.min(v);
        hi = hi.max(v);
    }
    if lo > hi {
        return (0.0, 1.0);
    }
    let width = hi - lo;
    if width <= f64::EPSILON * lo.abs().max(hi.abs()).max(1.0) {
        let half = (lo.abs() * 0.1).max(1.0);
        return (lo - half, hi + half);
    }
    (lo - width * margin_share, hi + width * margin_share)
}

/// A range for bars or points measured from zero: it contains zero and
/// `values`, with a margin above (and below only when a value is
/// negative), so bars that never go below zero stand on the axis.
pub(crate) fn range_from_zero(values: &[f64], margin_share: f64) -> (f64, f64) {
    let (lo, hi) = padded_range(values.iter().copied(), Some(0.0), margin_share);
    let smallest = values
        .iter()
        .copied()
        .filter(|v| v.is_finite())
        .fold(0.0, f64::min);
    (if smallest >= 0.0 { 0.0 } else { lo }, hi)
}

/// How a legend entry is marked.
#[derive(Clone, Copy, Debug)]
pub enum Mark {
    /// A filled square: bars and bands.
    Swatch(RGBColor),
    /// A short thick line.
    Line(RGBColor),
    /// A dot: points.
    Dot(RGBColor),
}

/// Legend entries laid out in centred rows across `width_px`: each
/// entry's left edge and the row's centre line, pixels.
fn legend_layout(labels: &[String], width_px: u32) -> Vec<(i32, i32)> {
    let style = text(12);
    let entry_px = |label: &String| LEGEND_MARK_PX + text_width_px(label, &style) as i32;
    let mut rows: Vec<Vec<usize>> = vec![Vec::new()];
    let mut used = 0;
    for (i, label) in labels.iter().enumerate() {
        let w = entry_px(label) + LEGEND_GAP_PX;
        let row = rows.last_mut().expect("there is always a row");
        if !row.is_empty() && used + w > width_px as i32 - 24 {
            rows.push(vec![i]);
            used = w;
        } else {
            row.push(i);
            used += w;
        }
    }
    let mut out = vec![(0, 0); labels.len()];
    for (r, row) in rows.iter().enumerate() {
        let total: i32 = row
            .iter()
            .map(|&i| entry_px(&labels[i]) + LEGEND_GAP_PX)
            .sum::<i32>()
            - LEGEND_GAP_PX;
        let mut x = (width_px as i32 - total) / 2;
        for &i in row {
            out[i] = (x, LEGEND_ROW_PX / 2 + LEGEND_ROW_PX * r as i32);
            x += entry_px(&labels[i]) + LEGEND_GAP_PX;
        }
    }
    out
}

const LEGEND_ROW_PX: i32 = 22;
const LEGEND_MARK_PX: i32 = 22;
const LEGEND_GAP_PX: i32 = 24;

/// The height a legend of `labels` needs across `width_px`.
pub(crate) fn legend_height_px(labels: &[String], width_px: u32) -> u32 {
    let rows = legend_layout(labels, width_px)
        .iter()
        .map(|&(_, y)| y)
        .max()
        .map_or(0, |y| (y + LEGEND_ROW_PX / 2) as u32);
    rows + 6
}

/// Draws a legend in rows across `area` (outside the plot, so it never
/// covers data).
pub(crate) fn legend(
    area: &DrawingArea<SVGBackend, Shift>,
    entries: &[(Mark, String)],
) -> DrawResult {
    let labels: Vec<String> = entries.iter().map(|(_, l)| l.clone()).collect();
    let (width_px, _) = area.dim_in_pixel();
    let style = text(12).pos(Pos::new(HPos::Left, VPos::Center));
    for ((mark, label), (x, y)) in entries.iter().zip(legend_layout(&labels, width_px)) {
        match *mark {
            Mark::Swatch(c) => {
                area.draw(&Rectangle::new([(x, y - 6), (x + 14, y + 6)], c.filled()))?
            }
            Mark::Line(c) => {
                area.draw(&PathElement::new([(x, y), (x + 14, y)], c.stroke_width(3)))?
            }
            Mark::Dot(c) => area.draw(&Circle::new((x + 7, y), 5, c.filled()))?,
        }
        area.draw_text(label, &style, (x + LEGEND_MARK_PX - 2, y))?;
    }
    Ok(())
}

/// Draws a chart's caption and, under it, its legend; returns the area
/// left for the plot.
pub(crate) fn titled_with_legend<'a>(
    root: &DrawingArea<SVGBackend<'a>, Shift>,
    title: &str,
    entries: &[(Mark, String)],
) -> Result<DrawingArea<SVGBackend<'a>, Shift>, Box<dyn std::error::Error>> {
    let area = root.titled(title, caption())?;
    let (width_px, _) = area.dim_in_pixel();
    let labels: Vec<String> = entries.iter().map(|(_, l)| l.clone()).collect();
    let (legend_area, plot) = area.split_vertically(legend_height_px(&labels, width_px));
    legend(&legend_area, entries)?;
    Ok(plot)
}

/// The builder of the plot under a caption and legend (see
/// [`titled_with_legend`]): the margins those charts share, and
/// `y_label_px` for the labels of the y axis.
pub(crate) fn plot_under_legend<'a, 'b>(
    plot: &'a DrawingArea<SVGBackend<'b>, Shift>,
    y_label_px: u32,
) -> ChartBuilder<'a, 'b, SVGBackend<'b>> {
    let mut builder = ChartBuilder::on(plot);
    builder
        .margin(12)
        .margin_top(4)
        .x_label_area_size(44)
        .y_label_area_size(y_label_px);
    builder
}

/// A chart of labelled rows along a value axis (see [`labelled_rows`]).
pub(crate) type RowChart<'a, 'b> =
    ChartContext<'a, SVGBackend<'b>, Cartesian2d<RangedCoordf64, SegmentedCoord<RangedCoordu32>>>;

/// The plot of a chart with one labelled row per entry of `labels` (the
/// last on top: segment `n − 1` is drawn highest) along a value axis from
/// `lo` to `hi` named `x_desc`, its axes drawn: the left margin fits the
/// longest label, up to `max_label_px`.
pub(crate) fn labelled_rows<'a, 'b>(
    plot: &'a DrawingArea<SVGBackend<'b>, Shift>,
    labels: &[String],
    max_label_px: u32,
    (lo, hi): (f64, f64),
    x_desc: &str,
) -> Result<RowChart<'a, 'b>, Box<dyn std::error::Error>> {
    let label_style = text(12);
    let label_px = labels
        .iter()
        .map(|l| text_width_px(l, &label_style))
        .max()
        .unwrap_or(0)
        .clamp(60, max_label_px)
        + 16;
    let n = labels.len() as u32;
    let mut chart = plot_under_legend(plot, label_px)
        .build_cartesian_2d(lo..hi, (0..n.saturating_sub(1)).into_segmented())?;
    let mut mesh = chart.configure_mesh();
    style_mesh(&mut mesh)
        .disable_y_mesh()
        .y_labels(labels.len())
        .y_label_formatter(&|v| segment_label(labels, v))
        .x_label_formatter(&|v| format::tick(*v))
        .x_desc(x_desc)
        .draw()?;
    Ok(chart)
}

/// A chart of labelled columns along a value axis (see [`labelled_columns`]).
pub(crate) type ColumnChart<'a, 'b> =
    ChartContext<'a, SVGBackend<'b>, Cartesian2d<SegmentedCoord<RangedCoordu32>, RangedCoordf64>>;

/// The plot of a chart with one labelled column per entry of `labels`
/// (left to right; an empty label leaves its column unnamed) up a value
/// axis from `lo` to `hi` named `y_desc`, its axes drawn; `x_desc`, when
/// given, names the columns' axis.
pub(crate) fn labelled_columns<'a, 'b>(
    plot: &'a DrawingArea<SVGBackend<'b>, Shift>,
    labels: &[String],
    (lo, hi): (f64, f64),
    x_desc: Option<&str>,
    y_desc: &str,
) -> Result<ColumnChart<'a, 'b>, Box<dyn std::error::Error>> {
    let n = labels.len() as u32;
    let mut chart = plot_under_legend(plot, 64)
        .build_cartesian_2d((0..n.saturating_sub(1)).into_segmented(), lo..hi)?;
    let segment = |v: &SegmentValue<u32>| segment_label(labels, v);
    let value = |v: &f64| format::tick(*v);
    let mut mesh = chart.configure_mesh();
    let mesh = style_mesh(&mut mesh)
        .disable_x_mesh()
        .x_labels(labels.len())
        .x_label_formatter(&segment)
        .y_label_formatter(&value)
        .y_desc(y_desc);
    if let Some(x_desc) = x_desc {
        mesh.x_desc(x_desc);
    }
    mesh.draw()?;
    Ok(chart)
}

/// The label of a value on an axis of segments (one per bar): the
/// segment's own from `labels` at its centre, nothing elsewhere.
pub(crate) fn segment_label(labels: &[String], value: &SegmentValue<u32>) -> String {
    match value {
        SegmentValue::CenterOf(i) => labels.get(*i as usize).cloned().unwrap_or_default(),
        _ => String::new(),
    }
}

/// The axis styles every chart uses: light grid, grey axes, ink labels.
pub(crate) fn style_mesh<'m, 'a, 'b, X, Y, XT, YT, DB>(
    mesh: &'m mut MeshStyle<'a, 'b, X, Y, DB>,
) -> &'m mut MeshStyle<'a, 'b, X, Y, DB>
where
    X: Ranged<ValueType = XT> + ValueFormatter<XT>,
    Y: Ranged<ValueType = YT> + ValueFormatter<YT>,
    DB: DrawingBackend,
{
    mesh.bold_line_style(GRID)
        .light_line_style(TRANSPARENT)
        .axis_style(INK.mix(0.6))
        .label_style(text(12))
        .axis_desc_style(text(13))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_range_around_one_value_is_not_empty() {
        assert_eq!(padded_range([5.0], None, 0.05), (4.0, 6.0));
        assert_eq!(padded_range([100.0, 100.0], None, 0.05), (90.0, 110.0));
        assert_eq!(padded_range([], None, 0.05), (0.0, 1.0));
        assert_eq!(padded_range([f64::NAN], None, 0.05), (0.0, 1.0));
    }

    #[test]
    fn a_range_never_reaches_infinity() {
        let (lo, hi) = padded_range([-f64::MAX, f64::MAX, f64::INFINITY], None, 0.1);
        assert!((hi - lo).is_finite(), "{lo}..{hi}");
        assert_eq!((lo, hi), (-1.2 * AXIS_LIMIT, 1.2 * AXIS_LIMIT));
    }

    #[test]
    fn a_range_from_zero_has_no_margin_below_zero_unless_a_value_is_negative() {
        assert_eq!(range_from_zero(&[10.0, 20.0], 0.1), (0.0, 22.0));
        assert_eq!(range_from_zero(&[-10.0, 10.0], 0.1), (-12.0, 12.0));
    }

    #[test]
    fn a_range_includes_zero_when_asked_with_margins() {
        let (lo, hi) = padded_range([10.0, 20.0], Some(0.0), 0.1);
        assert_eq!((lo, hi), (-2.0, 22.0));
    }

    #[test]
    fn a_long_legend_wraps_into_centred_rows() {
        font::register().unwrap();
        let labels: Vec<String> = (0..6)
            .map(|i| format!("strategy number {i} (median and band)"))
            .collect();
        let layout = legend_layout(&labels, 600);
        let rows: std::collections::BTreeSet<i32> = layout.iter().map(|p| p.1).collect();
        assert!(rows.len() >= 3, "{layout:?}");
        assert!(
            layout.iter().all(|&(x, _)| (0..600).contains(&x)),
            "{layout:?}"
        );
        assert_eq!(legend_height_px(&labels[..1], 600), 28);
    }

    #[test]
    fn the_status_quo_is_grey_and_strategies_keep_their_colour() {
        let p = Palette::new(vec!["status_quo".into(), "solo".into(), "pooled".into()]);
        assert_eq!(p.colour("status_quo"), STATUS_QUO_COLOUR);
        assert_eq!(p.colour("solo"), COLOURS[0]);
        assert_eq!(p.colour("pooled"), COLOURS[1]);
        assert_eq!(p.css("solo"), "rgb(0,114,178)");
    }

    #[test]
    fn eight_strategies_get_the_eight_distinct_okabe_ito_colours() {
        // Okabe and Ito's palette, RGB 0-255.
        let okabe_ito = [
            (0, 0, 0),
            (230, 159, 0),
            (86, 180, 233),
            (0, 158, 115),
            (240, 228, 66),
            (0, 114, 178),
            (213, 94, 0),
            (204, 121, 167),
        ];
        let ids: Vec<String> = (0..8).map(|i| format!("s{i}")).collect();
        let p = Palette::new(ids.clone());
        let colours: Vec<(u8, u8, u8)> = ids
            .iter()
            .map(|id| {
                let RGBColor(r, g, b) = p.colour(id);
                (r, g, b)
            })
            .collect();
        for c in &colours {
            assert!(okabe_ito.contains(c), "{c:?} is not an Okabe-Ito colour");
        }
        let distinct: std::collections::BTreeSet<_> = colours.iter().collect();
        assert_eq!(distinct.len(), 8, "{colours:?}");
    }

    #[test]
    fn an_svg_gets_an_id_a_role_and_a_title() {
        let spec = ChartSpec {
            id: "chart-x",
            kind: "test",
            title: "Costs & savings",
            description: "A <test>.",
            size_px: (100, 50),
        };
        let svg = svg(&spec, |_| Ok(())).unwrap().into_string();
        assert!(
            svg.starts_with("<svg id=\"chart-x\" class=\"chart\" role=\"img\""),
            "{svg}"
        );
        assert!(
            svg.contains("<title id=\"chart-x-title\">Costs &amp; savings</title>"),
            "{svg}"
        );
        assert!(
            svg.contains("<desc id=\"chart-x-desc\">A &lt;test&gt;.</desc>"),
            "{svg}"
        );
        assert!(svg.contains("viewBox=\"0 0 100 50\""), "{svg}");
    }
}
