//! The one-off costs of each strategy that moves work, from `summary.csv`:
//! a waterfall of the mean `one_off_<kind>_usd` metrics, kind by kind,
//! stacking up to the mean `transition_cost_usd` — the table a business
//! case shows for its move.

use maud::{Markup, html};

use super::ReportError;
use super::chart::{self, ChartSpec, Palette, WIDTH_PX};
use super::files::ResultFiles;
use super::format::{self, usd_millions};
use super::section::{RunFileSection, Section, headings, number_cells};
use super::waterfall::{self, Step, StepKind, StepTexts};
use crate::metrics::Metric;
use crate::model::OneOff;
use crate::results::ResultFile;

/// One strategy's one-off costs: mean USD by kind (kinds with a non-zero
/// mean, in [`OneOff::ALL`]'s order) and the mean total.
#[derive(Clone, Debug, PartialEq)]
pub struct OneOffCosts {
    /// Strategy id.
    pub strategy: String,
    /// Kind and mean, USD.
    pub kinds: Vec<(OneOff, f64)>,
    /// Mean `transition_cost_usd`.
    pub total_usd: f64,
}

impl OneOffCosts {
    /// The waterfall: each kind from the sum of those before it, then the
    /// total from zero.
    pub(crate) fn steps(&self) -> Vec<Step> {
        let mut steps = Vec::new();
        let mut running = 0.0;
        for (kind, usd) in &self.kinds {
            steps.push(Step {
                id: kind.id().into(),
                from_usd: running,
                to_usd: running + usd,
                kind: if *usd >= 0.0 {
                    StepKind::Up
                } else {
                    StepKind::Down
                },
            });
            running += usd;
        }
        steps.push(Step {
            id: TOTAL.into(),
            from_usd: 0.0,
            to_usd: self.total_usd,
            kind: StepKind::Total,
        });
        steps
    }
}

/// The id of the total's bar.
const TOTAL: &str = "total";

/// The one-off costs of every strategy with a non-zero mean
/// `transition_cost_usd`, in file order.
pub fn strategies(files: &ResultFiles) -> Vec<OneOffCosts> {
    files
        .strategy_order()
        .into_iter()
        .filter_map(|strategy| {
            let total_usd = files.summary_mean(&strategy, Metric::TransitionCostUsd.name())?;
            if total_usd == 0.0 {
                return None;
            }
            let kinds = OneOff::ALL
                .iter()
                .filter_map(|&kind| {
                    let mean = files.summary_mean(&strategy, Metric::one_off(kind).name())?;
                    (mean != 0.0).then_some((kind, mean))
                })
                .collect();
            Some(OneOffCosts {
                strategy,
                kinds,
                total_usd,
            })
        })
        .collect()
}

/// The one-off-costs section.
///
/// # Errors
/// When a chart fails to draw.
pub(crate) fn section(files: &ResultFiles, palette: &Palette) -> Result<Section, ReportError> {
    let has = "no strategy with one-off costs (no `transition_cost_usd` above zero)";
    let costs = files.summary.as_ref().map(|_| strategies(files));
    SOURCE.of(costs, has, |costs| content(costs, palette))
}

/// Where the one-off costs come from.
const SOURCE: RunFileSection = RunFileSection {
    id: "one-off",
    title: "One-off costs of the move",
    file: ResultFile::Summary,
};

/// A kind's name for a reader, capitalised.
fn label(id: &str) -> String {
    let words = OneOff::ALL
        .iter()
        .find(|k| k.id() == id)
        .map_or_else(|| "Total".to_owned(), |k| k.label().to_owned());
    let mut chars = words.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

fn content(costs: &[OneOffCosts], palette: &Palette) -> Result<Markup, ReportError> {
    let mut figures = Vec::new();
    for (i, c) in costs.iter().enumerate() {
        figures.push(figure(i, c)?);
    }
    Ok(html! {
        @for f in &figures { (f) }
        (table(costs, palette))
    })
}

fn figure(index: usize, costs: &OneOffCosts) -> Result<Markup, ReportError> {
    let steps = costs.steps();
    let labels: Vec<String> = steps.iter().map(|s| label(&s.id)).collect();
    let description = steps
        .iter()
        .zip(&labels)
        .map(|(s, l)| {
            format!(
                "{l}: {} USD million.",
                format::tick((s.to_usd - s.from_usd) / 1e6)
            )
        })
        .collect::<Vec<_>>()
        .join(" ");
    let id = format!("chart-one-off-{}", index + 1);
    let title = format!("One-off costs of {}, by kind", costs.strategy);
    let caption = format!("One-off costs of {} (USD million)", costs.strategy);
    let spec = ChartSpec {
        id: &id,
        kind: "one-off waterfall",
        title: &title,
        description: &description,
        size_px: (WIDTH_PX, 400),
    };
    let texts = StepTexts {
        caption: &caption,
        y_desc: "undiscounted, USD million (mean)",
    };
    chart::figure(
        &spec,
        |root| waterfall::draw(root, &steps, &labels, &texts),
        html! {
            "The one-off costs of " code { (costs.strategy) } ", undiscounted, mean over "
            "replications, USD million, kind by kind; the grey bar is their total, "
            code { "transition_cost_usd" } ". Kinds with no cost are left out."
        },
    )
}

fn table(costs: &[OneOffCosts], palette: &Palette) -> Markup {
    let kinds: Vec<OneOff> = OneOff::ALL
        .into_iter()
        .filter(|k| {
            costs
                .iter()
                .any(|c| c.kinds.iter().any(|(kind, _)| kind == k))
        })
        .collect();
    let kind_labels: Vec<String> = kinds.iter().map(|k| label(k.id())).collect();
    let mut numbers: Vec<&str> = kind_labels.iter().map(String::as_str).collect();
    numbers.push("Total");
    html! {
        table.one-off {
            caption { "One-off costs by kind, USD million (means, undiscounted)" }
            thead { tr { (headings(&["Strategy"], &numbers)) } }
            tbody {
                @for c in costs {
                    tr {
                        (palette.row_heading(&c.strategy))
                        (number_cells(&kinds.iter().map(|k| {
                            let usd = c.kinds.iter().find(|(kind, _)| kind == k).map_or(0.0, |(_, v)| *v);
                            usd_millions(usd)
                        }).chain([usd_millions(c.total_usd)]).collect::<Vec<_>>()))
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_stack_up_to_the_total() {
        let costs = OneOffCosts {
            strategy: "solo".into(),
            kinds: vec![(OneOff::Separation, 3.0), (OneOff::SiteSetup, 2.0)],
            total_usd: 5.0,
        };
        let spans: Vec<_> = costs.steps().iter().map(Step::span).collect();
        assert_eq!(
            spans,
            vec![
                (0.0, 3.0, StepKind::Up),
                (3.0, 5.0, StepKind::Up),
                (0.0, 5.0, StepKind::Total),
            ]
        );
        assert_eq!(label("site_setup"), "Site set-up");
        assert_eq!(label(TOTAL), "Total");
    }
}
