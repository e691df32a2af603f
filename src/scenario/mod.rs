//! Reading scenario files: TOML in, a validated [`Scenario`] or every problem
//! with its `file:line:column` out.
//!
//! Each section (and each element of an array of tables) is read on its own,
//! so a type error in one agency does not hide a problem in another. Each
//! section's module holds its raw type, which mirrors the TOML with the
//! position of every value, and the validation of that type into its model
//! type; `validate` holds what they share, below them, and `file`
//! composes them, above them.

mod agency;
mod by_grade;
mod centre;
mod comparison;
mod correlation;
mod diagnostic;
mod file;
mod input_group;
mod location;
mod mechanisms;
mod number;
mod overrides;
mod pool;
mod service_line;
mod settings;
mod strategy;
mod transition;
mod validate;

use serde::Deserialize;
use serde::de::DeserializeOwned;
use toml::Spanned;
use toml::de::{DeTable, DeValue, ValueDeserializer};

pub use diagnostic::{Diagnostic, Diagnostics, Located, Severity};
use file::RawFile;
use overrides::Places;

use crate::model::Scenario;

/// The embedded default scenario: UNHCR and FAO in Budapest
/// (`scenarios/budapest-joint.toml`).
pub const DEFAULT_SCENARIO_TOML: &str = include_str!("../../scenarios/budapest-joint.toml");

/// The name under which the embedded default is reported.
pub(crate) const DEFAULT_SCENARIO_NAME: &str = "scenarios/budapest-joint.toml (embedded)";

/// A valid scenario, and the warnings about its implausible values.
pub struct Checked {
    /// The scenario, which runs whatever its warnings.
    pub scenario: Scenario,
    /// Every value that is valid but outside its plausible range, with its
    /// position and why (empty when there is none).
    pub warnings: Diagnostics,
}

/// Parses and validates a scenario.
///
/// `source_name` is only used in messages (usually the file path).
///
/// # Errors
/// Every syntax, type and semantic problem found, each with its position.
pub fn parse(source_name: &str, text: &str) -> Result<Scenario, Diagnostics> {
    parse_checked(source_name, text).map(|checked| checked.scenario)
}

/// Parses and validates a scenario, and judges the plausibility of its
/// values: a value outside its plausible range is a warning, not an error.
///
/// # Errors
/// Every syntax, type and semantic problem found, each with its position.
pub fn parse_checked(source_name: &str, text: &str) -> Result<Checked, Diagnostics> {
    let fail = |diagnostics| Diagnostics::new(source_name, text, diagnostics);
    let (scenario, warnings) = read_document(parse_document(text).map_err(fail)?).map_err(fail)?;
    Ok(Checked {
        scenario,
        warnings: Diagnostics::warnings(source_name, text, warnings),
    })
}

/// Parses and validates a scenario, with `overrides` (each `KEY=VALUE`, in
/// order: a later one wins) applied to its TOML document first: see
/// `overrides.rs` for what a KEY and a VALUE may be.
///
/// # Errors
/// Every problem found: those in the file under `source_name`, those in an
/// override under `--set` with the argument as its text. The warnings about
/// implausible values are sorted to their sources the same way.
pub fn parse_with_overrides(
    source_name: &str,
    text: &str,
    overrides: &[String],
) -> Result<(Scenario, Vec<Diagnostics>), Vec<Diagnostics>> {
    if overrides.is_empty() {
        let checked = parse_checked(source_name, text).map_err(|d| vec![d])?;
        let warnings = Some(checked.warnings).filter(|w| !w.is_empty());
        return Ok((checked.scenario, warnings.into_iter().collect()));
    }
    let places = Places::new(text, overrides);
    let combined = places.combined(text, overrides);
    let in_file = |d| vec![Diagnostics::new(source_name, text, d)];
    let mut root = parse_document(&combined[..text.len()]).map_err(in_file)?;
    let problems = places.apply(&mut root, &combined, overrides);
    let problems = if problems.is_empty() {
        match read_document(root) {
            Ok((scenario, warnings)) => {
                let warnings = places.sort(source_name, text, overrides, warnings);
                return Ok((
                    scenario,
                    warnings
                        .into_iter()
                        .map(Diagnostics::into_warnings)
                        .collect(),
                ));
            }
            Err(problems) => problems,
        }
    } else {
        problems
    };
    Err(places.sort(source_name, text, overrides, problems))
}

/// The TOML document of a scenario's text, or its syntax errors.
fn parse_document(text: &str) -> Result<DeTable<'_>, Vec<Diagnostic>> {
    let (root, syntax_errors) = DeTable::parse_recoverable(text);
    if syntax_errors.is_empty() {
        return Ok(root.into_inner());
    }
    Err(syntax_errors
        .iter()
        .map(|e| named_duplicate(toml_diagnostic(e), text))
        .collect())
}

/// Reads and validates a scenario's TOML document: the scenario and its
/// warnings about implausible values.
fn read_document(root: DeTable<'_>) -> Result<(Scenario, Vec<Diagnostic>), Vec<Diagnostic>> {
    let mut diagnostics = Vec::new();
    let mut file = RawFile::default();
    for (key, value) in root {
        match key.get_ref().as_ref() {
            "scenario" => file.meta = one(value, &mut diagnostics),
            "settings" => file.settings = one(value, &mut diagnostics),
            "service_line" => file.service_lines = many(value, &mut diagnostics),
            "location" => file.locations = many(value, &mut diagnostics),
            "agency" => file.agencies = many(value, &mut diagnostics),
            "strategy" => file.strategies = many(value, &mut diagnostics),
            "mechanisms" => file.mechanisms = one(value, &mut diagnostics),
            "comparison" => file.comparison = one(value, &mut diagnostics),
            "transition" => file.transition = one(value, &mut diagnostics),
            "pool" => file.pool = one(value, &mut diagnostics),
            "correlation" => file.correlations = many(value, &mut diagnostics),
            "input_group" => file.input_groups = many(value, &mut diagnostics),
            other => diagnostics.push(Diagnostic::new(
                key.span(),
                format!("unknown top-level key `{other}`"),
                "one of [scenario], [settings], [[service_line]], [[location]], [[agency]], [[strategy]], [comparison], [mechanisms], [transition], [pool], [[correlation]], [[input_group]]",
            )),
        }
    }
    if !diagnostics.is_empty() {
        // Semantic checks on a partly read file would report knock-on errors.
        return Err(diagnostics);
    }
    file::build(file)
}

/// The embedded default scenario, parsed.
pub fn default_scenario() -> Scenario {
    parse(DEFAULT_SCENARIO_NAME, DEFAULT_SCENARIO_TOML)
        .expect("the embedded default scenario is valid")
}

fn toml_diagnostic(error: &toml::de::Error) -> Diagnostic {
    Diagnostic::raw(
        error.span().unwrap_or(0..0),
        plain_type_names(error.message()),
    )
}

/// Names the key in the parser's "duplicate key", which points at the key
/// but does not say it.
fn named_duplicate(mut diagnostic: Diagnostic, text: &str) -> Diagnostic {
    if diagnostic.message == "duplicate key"
        && let Some(key) = text.get(diagnostic.span.clone())
    {
        diagnostic.message = format!("duplicate key `{key}`; expected each key once in its table");
    }
    diagnostic
}

/// Replaces Rust type names in serde's messages with words a scenario author
/// uses ("expected i64" → "expected an integer").
fn plain_type_names(message: &str) -> String {
    const STRUCT: &str = "expected struct ";
    let mut text = message
        .replace("expected i64", "expected an integer")
        .replace("expected f64", "expected a number")
        .replace("expected a sequence", "expected an array");
    while let Some(start) = text.find(STRUCT) {
        let name = start + STRUCT.len();
        let end = text[name..]
            .find(|c: char| !(c.is_alphanumeric() || c == '_'))
            .map_or(text.len(), |i| name + i);
        text.replace_range(start..end, "expected a table");
    }
    text
}

fn deserialize<T: DeserializeOwned>(
    value: Spanned<DeValue<'_>>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Spanned<T>> {
    let span = value.span();
    match Spanned::<T>::deserialize(ValueDeserializer::from(value)) {
        Ok(v) => Some(v),
        Err(e) => {
            let mut d = toml_diagnostic(&e);
            if d.span.is_empty() {
                d.span = span;
            }
            diagnostics.push(d);
            None
        }
    }
}

fn one<T: DeserializeOwned>(
    value: Spanned<DeValue<'_>>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Spanned<T>> {
    if !value.get_ref().is_table() {
        diagnostics.push(Diagnostic::new(
            value.span(),
            format!("found a {}", value.get_ref().type_str()),
            "a table",
        ));
        return None;
    }
    deserialize(value, diagnostics)
}

fn many<T: DeserializeOwned>(
    value: Spanned<DeValue<'_>>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<Spanned<T>> {
    let span = value.span();
    match value.into_inner() {
        DeValue::Array(items) => items
            .into_iter()
            .filter_map(|item| one(item, diagnostics))
            .collect(),
        other => {
            diagnostics.push(Diagnostic::new(
                span,
                format!("found a {}", other.type_str()),
                "an array of tables ([[...]])",
            ));
            Vec::new()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serde_type_names_become_words() {
        assert_eq!(
            plain_type_names("invalid type: string \"x\", expected i64"),
            "invalid type: string \"x\", expected an integer"
        );
        assert_eq!(
            plain_type_names("invalid type: integer `5`, expected struct RawByGrade"),
            "invalid type: integer `5`, expected a table"
        );
        assert_eq!(
            plain_type_names("invalid type: map, expected a sequence"),
            "invalid type: map, expected an array"
        );
        assert_eq!(
            plain_type_names("expected f64 or struct Foo_1, here"),
            "expected a number or struct Foo_1, here"
        );
    }
}
