//! `--set KEY=VALUE`: what-if runs without editing the scenario file.
//!
//! Each override replaces (or adds) one value of the parsed TOML document
//! before the scenario is read from it, so every check of the file applies
//! to the value given as well. KEY is a dotted path into the document; in
//! an array of tables (`[[location]]`, `[[agency]]`, …) the step after the
//! array's name is the `id` of one of its tables:
//! `location.budapest.annual_cost_usd_per_fte.GS`. VALUE is TOML
//! (`0.05`, `"text"`, `[1, 2]`, `{ dist = "pert", min = 1, mode = 2, max = 3 }`);
//! a bare word such as `flex` is taken as the string it spells.
//!
//! Problems are told where they are: in the file, or in the `--set`
//! argument, with the caret under the bad part. To make that work with
//! one set of positions, the arguments are laid after the file's text, one
//! per line, and every value parsed from them keeps its position there;
//! problems are then sorted back to the file or to their argument.

use std::borrow::Cow;
use std::ops::Range;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::diagnostic::{Diagnostic, Diagnostics};

/// How alike a key that is not in a table must be to one that is, for it
/// to be taken as a misspelling (normalised Damerau–Levenshtein similarity):
/// one letter wrong or two swapped in a key of six letters or more.
const MISSPELT_SIMILARITY: f64 = 0.8;

/// The most keys or ids a message lists.
const SHOWN_CHOICES: usize = 8;

/// Where each override starts in the file's text followed by the overrides.
pub(super) struct Places {
    starts: Vec<usize>,
}

impl Places {
    /// The places of `overrides` after `text`.
    pub(super) fn new(text: &str, overrides: &[String]) -> Places {
        let mut next = text.len();
        let starts = overrides
            .iter()
            .map(|o| {
                let start = next + 1;
                next = start + o.len();
                start
            })
            .collect();
        Places { starts }
    }

    /// The file's text, then each override on a line of its own.
    pub(super) fn combined(&self, text: &str, overrides: &[String]) -> String {
        let mut combined = text.to_owned();
        for o in overrides {
            combined.push('\n');
            combined.push_str(o);
        }
        combined
    }

    /// Applies `overrides`, in order, to `root`, the document of the file's
    /// text at the start of `combined`; returns their problems.
    pub(super) fn apply<'a>(
        &self,
        root: &mut DeTable<'a>,
        combined: &'a str,
        overrides: &[String],
    ) -> Vec<Diagnostic> {
        (overrides.iter().zip(&self.starts))
            .filter_map(|(argument, &start)| apply(root, combined, start, argument).err())
            .collect()
    }

    /// The problems of the file, then those of each override, with spans in
    /// their own text.
    pub(super) fn sort(
        &self,
        source_name: &str,
        text: &str,
        overrides: &[String],
        problems: Vec<Diagnostic>,
    ) -> Vec<Diagnostics> {
        let mut file = Vec::new();
        let mut of_override = vec![Vec::new(); overrides.len()];
        for mut problem in problems {
            match self.starts.iter().rposition(|&s| s <= problem.span.start) {
                Some(i) => {
                    let start = self.starts[i];
                    problem.span = problem.span.start - start..problem.span.end - start;
                    of_override[i].push(problem);
                }
                None => file.push(problem),
            }
        }
        let mut sorted = Vec::new();
        if !file.is_empty() {
            sorted.push(Diagnostics::new(source_name, text, file));
        }
        for (i, problems) in of_override.into_iter().enumerate() {
            if !problems.is_empty() {
                let name = if overrides.len() == 1 {
                    "--set".to_owned()
                } else {
                    format!("--set #{}", i + 1)
                };
                sorted.push(Diagnostics::new(&name, &overrides[i], problems));
            }
        }
        sorted
    }
}

/// A step of a key path: its text and where it is.
struct Step<'a> {
    name: &'a str,
    span: Range<usize>,
}

/// Applies the override `argument`, which starts at `start` in `combined`,
/// to the document `root`.
fn apply<'a>(
    root: &mut DeTable<'a>,
    combined: &'a str,
    start: usize,
    argument: &str,
) -> Result<(), Diagnostic> {
    let Some(equals) = argument.find('=') else {
        return Err(Diagnostic::new(
            start..start + argument.len(),
            format!("`{argument}` has no `=`"),
            "KEY=VALUE, e.g. settings.discount_rate_per_year=0.05",
        ));
    };
    let steps = key_steps(&combined[start..start + equals], start)?;
    let value_span = start + equals + 1..start + argument.len();
    let value = parse_value(&combined[value_span.clone()], value_span.start)?;
    set(root, &steps, value, &[])
}

/// The steps of a dotted key that starts at `start`.
fn key_steps(key: &str, start: usize) -> Result<Vec<Step<'_>>, Diagnostic> {
    let mut steps = Vec::new();
    let mut offset = start;
    for name in key.split('.') {
        let span = offset..offset + name.len();
        if name.is_empty() || name.trim() != name {
            return Err(Diagnostic::new(
                span.start..span.end.max(span.start + 1),
                format!("the key `{key}` has an empty or padded part"),
                "a dotted path of keys, e.g. settings.discount_rate_per_year",
            ));
        }
        steps.push(Step { name, span });
        offset += name.len() + 1;
    }
    Ok(steps)
}

/// The value of an override, which starts at `start`: TOML, or a bare word
/// as a string.
fn parse_value(text: &str, start: usize) -> Result<Spanned<DeValue<'_>>, Diagnostic> {
    match DeValue::parse(text) {
        Ok(value) => Ok(shifted(value, start)),
        Err(_) if is_bare_word(text) => Ok(Spanned::new(
            start..start + text.len(),
            DeValue::String(Cow::Borrowed(text)),
        )),
        Err(e) => {
            let span = e.span().unwrap_or(0..text.len());
            let span = start + span.start..start + span.end.max(span.start + 1).min(text.len());
            Err(Diagnostic::new(
                span,
                e.message().trim(),
                "a TOML value, e.g. 0.05, \"text\", [1, 2] or { dist = \"pert\", min = 1, mode = 2, max = 3 }",
            ))
        }
    }
}

/// Whether `text` is a word that is not TOML but can only mean a string.
fn is_bare_word(text: &str) -> bool {
    !text.is_empty()
        && text.trim() == text
        && !text.chars().any(|c| {
            matches!(c, '"' | '\'' | '[' | ']' | '{' | '}' | '=' | ',' | '#') || c.is_control()
        })
}

/// `value` with every span in it moved `by` bytes on.
fn shifted(value: Spanned<DeValue<'_>>, by: usize) -> Spanned<DeValue<'_>> {
    let span = value.span();
    let inner = match value.into_inner() {
        DeValue::Array(mut items) => {
            for item in items.iter_mut() {
                let taken = std::mem::replace(item, Spanned::new(0..0, DeValue::Boolean(false)));
                *item = shifted(taken, by);
            }
            DeValue::Array(items)
        }
        DeValue::Table(table) => {
            let mut moved = DeTable::new();
            for (key, item) in table {
                let key_span = key.span();
                let key = Spanned::new(key_span.start + by..key_span.end + by, key.into_inner());
                moved.insert(key, shifted(item, by));
            }
            DeValue::Table(moved)
        }
        other => other,
    };
    Spanned::new(span.start + by..span.end + by, inner)
}

/// Sets `value` at `steps` in `table`; `path` is the steps taken to get
/// there, for messages.
fn set<'a>(
    table: &mut DeTable<'a>,
    steps: &[Step<'_>],
    value: Spanned<DeValue<'a>>,
    path: &[&str],
) -> Result<(), Diagnostic> {
    let (step, rest) = steps.split_first().expect("a key has at least one step");
    let found = table.iter_mut().find(|(k, _)| k.get_ref() == step.name);
    let Some((_, slot)) = found else {
        return add(table, step, rest, value, path);
    };
    let here: Vec<&str> = path.iter().copied().chain([step.name]).collect();
    if rest.is_empty() {
        *slot = value;
        return Ok(());
    }
    match slot.get_mut() {
        DeValue::Table(inner) => set(inner, rest, value, &here),
        DeValue::Array(items) if items.iter().all(|i| i.get_ref().is_table()) => {
            let (id, rest) = rest.split_first().expect("rest is not empty");
            let element = element_with_id(items, id, &here)?;
            if rest.is_empty() {
                return Err(Diagnostic::new(
                    id.span.clone(),
                    format!(
                        "`{}` names a whole [[{}]] table",
                        here.join(".") + "." + id.name,
                        here.join(".")
                    ),
                    format!("a key inside it, e.g. {}.{}.id", here.join("."), id.name),
                ));
            }
            set(element, rest, value, &here)
        }
        _ => Err(Diagnostic::new(
            rest[0].span.clone(),
            format!("`{}` holds a value, not a table", here.join(".")),
            format!("the key to end at `{}`", here.join(".")),
        )),
    }
}

/// The table of `items` whose `id` is `id`.
fn element_with_id<'t, 'a>(
    items: &'t mut [Spanned<DeValue<'a>>],
    id: &Step<'_>,
    path: &[&str],
) -> Result<&'t mut DeTable<'a>, Diagnostic> {
    let id_of = |item: &Spanned<DeValue<'a>>| {
        item.get_ref()
            .as_table()
            .and_then(|t| t.get("id"))
            .and_then(|v| v.get_ref().as_str().map(str::to_owned))
    };
    let ids: Vec<String> = items.iter().filter_map(id_of).collect();
    let position = items
        .iter()
        .position(|item| id_of(item).as_deref() == Some(id.name));
    let Some(position) = position else {
        let array = path.join(".");
        return Err(Diagnostic::raw(
            id.span.clone(),
            format!(
                "no [[{array}]] has the id `{}`; expected one of {}{}",
                id.name,
                listed(&ids),
                suggestion(id.name, &ids)
            ),
        ));
    };
    match items[position].get_mut() {
        DeValue::Table(table) => Ok(table),
        _ => unreachable!("every item was checked to be a table"),
    }
}

/// Adds a key that the document does not have yet: a table on the way, or
/// the value at the end. Refused when it looks like a misspelling of a key
/// the table has.
fn add<'a>(
    table: &mut DeTable<'a>,
    step: &Step<'_>,
    rest: &[Step<'_>],
    value: Spanned<DeValue<'a>>,
    path: &[&str],
) -> Result<(), Diagnostic> {
    let keys: Vec<String> = table.keys().map(|k| k.get_ref().to_string()).collect();
    let closest = closest(step.name, &keys);
    if let Some(near) = closest.first() {
        let within = if path.is_empty() {
            "the scenario".to_owned()
        } else {
            format!("`{}`", path.join("."))
        };
        return Err(Diagnostic::raw(
            step.span.clone(),
            format!(
                "{within} has no key `{}`; did you mean `{near}`?",
                step.name
            ),
        ));
    }
    let key = Spanned::new(step.span.clone(), Cow::Owned(step.name.to_owned()));
    if rest.is_empty() {
        table.insert(key, value);
        return Ok(());
    }
    let mut inner = DeTable::new();
    let here: Vec<&str> = path.iter().copied().chain([step.name]).collect();
    set(&mut inner, rest, value, &here)?;
    let span = step.span.start..rest.last().map_or(step.span.end, |s| s.span.end);
    table.insert(key, Spanned::new(span, DeValue::Table(inner)));
    Ok(())
}

/// `choices` with their similarity to `name`, most alike first.
fn ranked<'c>(name: &str, choices: &'c [String]) -> Vec<(f64, &'c str)> {
    let mut scored: Vec<(f64, &str)> = choices
        .iter()
        .map(|c| (strsim::normalized_damerau_levenshtein(name, c), c.as_str()))
        .collect();
    scored.sort_by(|x, y| y.0.total_cmp(&x.0).then(x.1.cmp(y.1)));
    scored
}

/// The keys or ids of `choices` close enough to `name` to be what was
/// meant, closest first.
fn closest<'c>(name: &str, choices: &'c [String]) -> Vec<&'c str> {
    ranked(name, choices)
        .into_iter()
        .filter(|&(similarity, c)| similarity >= MISSPELT_SIMILARITY && c != name)
        .map(|(_, c)| c)
        .collect()
}

/// " — did you mean `x`?" when an id of `choices` is at least half like
/// `name` (a looser bar than for keys: an id must be one of `choices`).
fn suggestion(name: &str, choices: &[String]) -> String {
    match ranked(name, choices).first() {
        Some(&(similarity, near)) if similarity >= 0.5 => format!(" — did you mean `{near}`?"),
        _ => String::new(),
    }
}

/// `choices` as `a`, `b`, … (the first few).
fn listed(choices: &[String]) -> String {
    if choices.is_empty() {
        return "(none)".to_owned();
    }
    let mut shown: Vec<String> = choices
        .iter()
        .take(SHOWN_CHOICES)
        .map(|c| format!("`{c}`"))
        .collect();
    if choices.len() > SHOWN_CHOICES {
        shown.push(format!("… ({} in all)", choices.len()));
    }
    shown.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::{DEFAULT_SCENARIO_TOML, parse, parse_with_overrides};

    const BUDAPEST_GS: &str =
        r#"GS = { dist = "triangular", min = 36000, mode = 45000, max = 54000 }"#;

    /// The default scenario with `overrides`, shown in full.
    fn with(overrides: &[&str]) -> Result<String, Vec<Diagnostics>> {
        let overrides: Vec<String> = overrides.iter().map(|&o| o.to_owned()).collect();
        parse_with_overrides("s.toml", DEFAULT_SCENARIO_TOML, &overrides)
            .map(|(s, _warnings)| format!("{s:?}"))
    }

    /// The default scenario with `from` replaced by `to` in its text, shown
    /// in full: what editing the file gives.
    fn edited(from: &str, to: &str) -> String {
        assert_eq!(DEFAULT_SCENARIO_TOML.matches(from).count(), 1, "{from}");
        let text = DEFAULT_SCENARIO_TOML.replacen(from, to, 1);
        format!("{:?}", parse("s.toml", &text).unwrap())
    }

    /// Checks that `overrides` set the default scenario as editing its text
    /// from `from` to `to` does; the scenario they set, shown in full.
    fn sets_as_edited(overrides: &[&str], from: &str, to: &str) -> String {
        let set = with(overrides).unwrap();
        assert_eq!(set, edited(from, to));
        set
    }

    /// The one problem of `overrides`, as its `source:line:column: message`.
    fn problem(overrides: &[&str]) -> String {
        let diagnostics = with(overrides).unwrap_err();
        assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
        assert_eq!(diagnostics[0].problems.len(), 1, "{diagnostics:?}");
        diagnostics[0].to_string()
    }

    #[test]
    fn a_key_of_a_table_is_set_as_if_the_file_said_so() {
        let set = sets_as_edited(
            &["settings.discount_rate_per_year=0.05"],
            "discount_rate_per_year = 0.03",
            "discount_rate_per_year = 0.05",
        );
        assert_ne!(set, with(&[]).unwrap());
    }

    #[test]
    fn a_table_of_an_array_is_reached_by_its_id() {
        let gs = "location.budapest.annual_cost_usd_per_fte.GS=50000";
        sets_as_edited(&[gs], BUDAPEST_GS, "GS = 50000");
    }

    #[test]
    fn an_inline_table_sets_a_distribution() {
        let pert = r#"{ dist = "pert", min = 40000, mode = 45000, max = 60000 }"#;
        let gs = format!("location.budapest.annual_cost_usd_per_fte.GS={pert}");
        sets_as_edited(&[&gs], BUDAPEST_GS, &format!("GS = {pert}"));
    }

    #[test]
    fn a_bare_word_is_a_string_and_a_missing_key_is_added() {
        sets_as_edited(
            &["settings.staffing_policy=flex"],
            "currency = \"USD\"\n",
            "currency = \"USD\"\nstaffing_policy = \"flex\"\n",
        );
    }

    #[test]
    fn the_later_of_two_overrides_of_a_key_wins() {
        let set = with(&[
            "settings.discount_rate_per_year=0.1",
            "settings.discount_rate_per_year=0.05",
        ])
        .unwrap();
        assert_eq!(
            set,
            with(&["settings.discount_rate_per_year=0.05"]).unwrap()
        );
    }

    #[test]
    fn a_misspelt_key_is_refused_with_the_key_meant() {
        assert_eq!(
            problem(&["settings.discount_rate_per_yaer=0.05"]),
            "--set:1:10: `settings` has no key `discount_rate_per_yaer`; \
             did you mean `discount_rate_per_year`?"
        );
        assert_eq!(
            problem(&["setings.seed=1"]),
            "--set:1:1: the scenario has no key `setings`; did you mean `settings`?"
        );
    }

    #[test]
    fn a_misspelt_id_is_refused_with_the_ids_there_are() {
        assert_eq!(
            problem(&["location.budapst.annual_cost_usd_per_fte.GS=1"]),
            "--set:1:10: no [[location]] has the id `budapst`; expected one of \
             `geneva`, `rome`, `budapest` — did you mean `budapest`?"
        );
    }

    #[test]
    fn an_invalid_value_is_a_problem_of_its_set_not_of_the_file() {
        assert_eq!(
            problem(&["settings.discount_rate_per_year=abc"]),
            "--set:1:33: invalid type: string \"abc\", expected a number or a \
             distribution table such as { dist = \"triangular\", min = 1, mode = 2, max = 3 }"
        );
        let second = with(&["settings.seed=1", "settings.horizon_years=[1,"]).unwrap_err();
        assert_eq!(second.len(), 1);
        assert_eq!(second[0].source_name, "--set #2");
        assert_eq!(second[0].problems[0].column, 27);
    }

    #[test]
    fn an_unknown_key_far_from_any_is_left_to_the_checks_of_its_table() {
        let message = problem(&["settings.foo=1"]);
        assert!(
            message.starts_with("--set:1:10: unknown field `foo`"),
            "{message}"
        );
    }

    #[test]
    fn a_key_without_a_value_or_below_a_value_is_refused() {
        assert_eq!(
            problem(&["settings.seed"]),
            "--set:1:1: `settings.seed` has no `=`; expected KEY=VALUE, \
             e.g. settings.discount_rate_per_year=0.05"
        );
        assert_eq!(
            problem(&["settings.seed.x=1"]),
            "--set:1:15: `settings.seed` holds a value, not a table; \
             expected the key to end at `settings.seed`"
        );
        assert!(problem(&["settings..seed=1"]).contains("empty or padded part"));
    }
}
