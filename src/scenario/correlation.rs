//! `[[correlation]]`: each table names two uncertain inputs by their paths
//! and gives their rank correlation; together the correlations must be
//! possible at once. Checked last, when every input has its name.

use std::collections::HashSet;

use serde::Deserialize;
use toml::Spanned;

use super::validate::{Domain, Named, Validator};
use crate::model::{Correlations, InputId, RankCorrelation};

/// `[[correlation]]`: the rank correlation of one pair of uncertain inputs.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawCorrelation {
    pub inputs: Spanned<Vec<Spanned<String>>>,
    pub rank_correlation: Spanned<f64>,
}

/// How input names are formed, for a message about an unknown one.
pub(super) const NAME_FORMS: &str = "names are paths such as `agency.ID.service_line.ID.KEY`, `location.ID.KEY`, \
    `service_line.ID.KEY`, `settings.KEY`, `transition.KEY`, `mechanisms.TABLE.KEY` or \
    `strategy.ID.centre.ID.KEY`";

/// How many close names a message about an unknown name suggests.
const SUGGESTIONS: usize = 3;

const RANK_CORRELATION: Domain =
    Domain::closed(-1.0, 1.0, "a rank (Spearman) correlation from -1 to 1");

/// The scenario's correlations, once every parameter has been read.
pub(super) fn correlations(v: &mut Validator, tables: &[Spanned<RawCorrelation>]) -> Correlations {
    let mut pairs = Vec::new();
    let mut spans = Vec::new();
    let mut given = HashSet::new();
    for table in tables {
        if let Some(pair) = table.get_ref().validate(v, &mut given) {
            pairs.push(pair);
            spans.push(table.span());
        }
    }
    // Leaving a pair out changes the matrix: whether the rest can hold
    // together says nothing about the scenario as meant.
    if pairs.len() < tables.len() {
        return Correlations::default();
    }
    match Correlations::new(&pairs) {
        Ok(correlations) => correlations,
        Err(problems) => {
            for p in problems {
                let names: Vec<String> = p
                    .inputs
                    .iter()
                    .map(|&InputId(i)| format!("`{}`", v.inputs[i].name))
                    .collect();
                v.problem(
                    spans[p.first_pair].clone(),
                    format!(
                        "the correlations between {} (this [[correlation]] and others linked to it) cannot hold together: their normal correlation matrix has an eigenvalue of {:.3}",
                        names.join(", "),
                        p.smallest_eigenvalue
                    ),
                    "a positive semi-definite matrix (weaken the correlations, or drop one that contradicts the others)",
                );
            }
            Correlations::default()
        }
    }
}

impl RawCorrelation {
    /// One `[[correlation]]` table as a pair, if it is valid and its pair
    /// was not `given` before.
    fn validate(
        &self,
        v: &mut Validator,
        given: &mut HashSet<(InputId, InputId)>,
    ) -> Option<RankCorrelation> {
        let raw = self;
        let rank_correlation = v.real("rank_correlation", &raw.rank_correlation, RANK_CORRELATION);
        let names = raw.inputs.get_ref();
        if names.len() != 2 {
            v.problem(
                raw.inputs.span(),
                match names.len() {
                    1 => "[[correlation]] lists 1 input".to_owned(),
                    n => format!("[[correlation]] lists {n} inputs"),
                },
                "two input names: one pair per [[correlation]] table",
            );
            return None;
        }
        let a = correlated_input(v, &names[0]);
        let b = correlated_input(v, &names[1]);
        let (a, b, rank_correlation) = (a?, b?, rank_correlation?);
        if a == b {
            v.problem(
                names[1].span(),
                format!("`{}` is listed twice", names[1].get_ref()),
                "two different inputs",
            );
            return None;
        }
        if !given.insert((a.min(b), a.max(b))) {
            v.problem(
                raw.inputs.span(),
                format!(
                    "the pair `{}` and `{}` is already correlated by an earlier [[correlation]]",
                    names[0].get_ref(),
                    names[1].get_ref()
                ),
                "each pair given once",
            );
            return None;
        }
        Some(RankCorrelation {
            a,
            b,
            rank_correlation,
        })
    }
}

/// The uncertain input a name in `[[correlation]]` refers to.
fn correlated_input(v: &mut Validator, name: &Spanned<String>) -> Option<InputId> {
    let text = name.get_ref();
    let only_uncertain = "only uncertain inputs can be correlated";
    let expected = "an input given as a distribution, such as \
        { dist = \"triangular\", min = 1, mode = 2, max = 3 }";
    match v.names.get(text).copied() {
        Some(Named::Input(id)) => return Some(id),
        Some(Named::Fixed) => v.problem(
            name.span(),
            format!("`{text}` is a fixed number: {only_uncertain}"),
            expected,
        ),
        Some(Named::Default) => v.problem(
            name.span(),
            format!("`{text}` is not given, so it takes its fixed default: {only_uncertain}"),
            expected,
        ),
        // Its problem is reported where it is given.
        Some(Named::Invalid) => {}
        None => {
            let suggestion = closest_suggestion(v, text);
            v.problem(
                name.span(),
                format!("unknown input `{text}`"),
                format!("the name of an uncertain input ({NAME_FORMS}){suggestion}"),
            );
        }
    }
    None
}

/// The end of a message about an unknown input name: the closest names
/// of the scenario's uncertain inputs, or that it has none.
pub(super) fn closest_suggestion(v: &Validator, name: &str) -> String {
    let closest = closest_inputs(v, name);
    if closest.is_empty() {
        "; this scenario has no uncertain inputs".to_owned()
    } else {
        format!("; the closest here: {}", closest.join(", "))
    }
}

/// The names of the uncertain inputs closest to `name`, closest first.
fn closest_inputs(v: &Validator, name: &str) -> Vec<String> {
    let mut scored: Vec<(f64, &str)> = v
        .inputs
        .iter()
        .map(|input| {
            let similarity = strsim::normalized_damerau_levenshtein(name, &input.name);
            (similarity, input.name.as_str())
        })
        .collect();
    scored.sort_by(|x, y| y.0.total_cmp(&x.0).then(x.1.cmp(y.1)));
    scored
        .iter()
        .take(SUGGESTIONS)
        .map(|(_, n)| format!("`{n}`"))
        .collect()
}
