//! The page: a header with what ran, a table of contents, the sections
//! the folder's files allow, then a list of those it does not, each with a
//! plain sentence saying why. The style sheet and the font are inlined;
//! the page loads nothing.

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use maud::{DOCTYPE, Markup, PreEscaped, html};

use super::chart::Palette;
use super::section::{Body, Section};
use super::{
    ReportError, ResultFiles, costs, differences, fan, font, format, global_sensitivity, one_off,
    pool, productivity, risk, savings, scale, sweep, tornado, voi, waterfall,
};
use crate::stats::series::{EXACT_VALUES, SKETCH_RELATIVE_ACCURACY};

/// The whole report of a folder.
///
/// # Errors
/// When a chart fails to draw.
pub fn render(files: &ResultFiles) -> Result<String, ReportError> {
    let palette = Palette::new(files.strategy_order());
    let sections = [
        costs::section(files, &palette),
        savings::section(files, &palette)?,
        fan::section(files, &palette)?,
        differences::section(files, &palette)?,
        one_off::section(files, &palette)?,
        productivity::section(files, &palette),
        risk::section(files, &palette),
        waterfall::section(files)?,
        tornado::section(files)?,
        global_sensitivity::section(files)?,
        voi::section(files)?,
        scale::section(files, &palette)?,
        sweep::sweep_section(files, &palette)?,
        sweep::breakeven_section(files, &palette)?,
        pool::section(files)?,
    ];
    Ok(document(files, &sections).into_string())
}

fn document(files: &ResultFiles, sections: &[Section]) -> Markup {
    let m = &files.manifest;
    // Sections with content first, in their order; then, together, those
    // the folder has no files for, each with its reason.
    let shown: Vec<(&Section, &Markup)> = sections
        .iter()
        .filter_map(|s| match &s.body {
            Body::Shown(content) => Some((s, content)),
            Body::Absent(_) => None,
        })
        .collect();
    let absent: Vec<(&Section, &str)> = sections
        .iter()
        .filter_map(|s| match &s.body {
            Body::Absent(reason) => Some((s, reason.as_str())),
            Body::Shown(_) => None,
        })
        .collect();
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="generator" content={ "sscsim " (m.sscsim_version) };
                title { (m.scenario_name) " — sscsim report" }
                style { (PreEscaped(style_sheet())) }
            }
            body {
                header {
                    p.kicker { "sscsim report" }
                    h1 { (m.scenario_name) }
                    dl.facts {
                        dt { "Replications" } dd {
                            (m.replications)
                            @if let Some(shards) = &m.partial_shards {
                                " " strong.partial { "— partial: merged from shards of which " (shards.join(", ")) " had been stopped; these are the replications the shards hold, with gaps, and the sensitivity has no swings" }
                            } @else if m.is_partial() {
                                " " strong.partial { "— partial: the run was stopped, and these are the replications that had finished, from the first" }
                            }
                        }
                        dt { "Seed" } dd { (m.seed) }
                        dt { "sscsim version" } dd { (m.sscsim_version) }
                        @if let Some(command) = &m.command {
                            dt { "Command" } dd { code { "sscsim " (command) } }
                        }
                        @if let (Some(f), Some(p)) = (&m.fragmented, &m.pooled) {
                            dt { "Comparison" } dd { code { (f) } " against " code { (p) } }
                        }
                        @if let Some(path) = &m.scenario_path {
                            dt { "Scenario" } dd { code { (path) } }
                        }
                        @if !m.overrides.is_empty() {
                            dt { "Changed with --set" }
                            dd { @for o in &m.overrides { code { (o) } " " } }
                        }
                        @if let Some(finished) = &m.finished_at {
                            dt { "Finished" } dd { time datetime=(finished) { (readable_time(finished)) } }
                        }
                    }
                    (costs::key_figures(files))
                }
                nav aria-label="Sections" {
                    ol {
                        @for (s, _) in &shown {
                            li { a href={ "#" (s.id) } { (s.title) } }
                        }
                        @if !absent.is_empty() {
                            li.absent { a href="#absent" { "Not in this folder (" (absent.len()) ")" } }
                        }
                    }
                }
                main {
                    @for (s, content) in &shown {
                        section id=(s.id) aria-labelledby={ (s.id) "-heading" } {
                            h2 id={ (s.id) "-heading" } { (s.title) }
                            (content)
                            p.source { "From " (s.sources) "." }
                        }
                    }
                    @if !absent.is_empty() {
                        section #absent aria-labelledby="absent-heading" {
                            h2 #absent-heading { "Not in this folder" }
                            ul.absent {
                                @for (s, reason) in &absent {
                                    li id=(s.id) { strong { (s.title) } ": " (with_code(reason)) }
                                }
                            }
                        }
                    }
                }
                footer {
                    p {
                        "Made by sscsim " (m.sscsim_version)
                        " from the files of a result folder. Amounts are in US dollars; "
                        "USD m = millions. NPV = net present value over the horizon; "
                        "p5, p50, p95 = 5th, 50th (median) and 95th percentiles over replications, "
                        "as in summary.csv: exact (Excel's PERCENTILE.INC) up to "
                        (format::decimal(EXACT_VALUES as f64, 0)) " replications, beyond that "
                        "from a quantile sketch within " (format::rate_percent(SKETCH_RELATIVE_ACCURACY))
                        " of their distance from the median. A probability shows as <1% or >99% "
                        "when it is neither 0 nor 1."
                    }
                }
            }
        }
    }
}

/// An RFC 3339 time as a reader writes it, in UTC: `3 December 2026,
/// 13:07 UTC`. A text that is not such a time is shown as it is.
fn readable_time(rfc3339: &str) -> String {
    match rfc3339.parse::<jiff::Timestamp>() {
        Ok(t) => t.strftime("%-d %B %Y, %H:%M UTC").to_string(),
        Err(_) => rfc3339.to_owned(),
    }
}

/// Text whose `backticked` parts are code.
fn with_code(text: &str) -> Markup {
    html! {
        @for (i, part) in text.split('`').enumerate() {
            @if i % 2 == 1 { code { (part) } } @else { (part) }
        }
    }
}

/// The style sheet, with the embedded font's faces first.
pub(crate) fn style_sheet() -> String {
    let face = |weight: u32, ttf: &[u8]| {
        format!(
            "@font-face {{ font-family: \"{}\"; font-weight: {weight}; font-style: normal; \
             src: url(data:font/ttf;base64,{}) format(\"truetype\"); }}\n",
            font::CSS_FAMILY,
            BASE64.encode(ttf)
        )
    };
    let mut css = face(400, font::REGULAR_TTF);
    css.push_str(&face(700, font::BOLD_TTF));
    css.push_str(include_str!("style.css"));
    css
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_finish_time_reads_as_a_date_and_a_time_of_day_in_utc() {
        assert_eq!(
            readable_time("2026-12-03T13:07:59.488946Z"),
            "3 December 2026, 13:07 UTC"
        );
        assert_eq!(
            readable_time("2026-11-01T10:00:02+01:00"),
            "1 November 2026, 09:00 UTC"
        );
        assert_eq!(readable_time("yesterday"), "yesterday");
    }

    #[test]
    fn backticked_parts_become_code_and_text_is_escaped() {
        assert_eq!(
            with_code("written by `sscsim run --out` <here>").into_string(),
            "written by <code>sscsim run --out</code> &lt;here&gt;"
        );
    }
}
