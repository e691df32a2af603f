//! Problems found in a scenario file, each tied to a position in the text:
//! errors, which stop a scenario from running, and warnings about values
//! that are valid but implausible, which do not.

use std::borrow::Cow;
use std::fmt;
use std::ops::Range;

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};

use crate::text::{visible, visible_lines, visible_lines_with_span};

/// One problem in a scenario file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// Byte range of the offending text.
    pub span: Range<usize>,
    /// What is wrong and what was expected, in one line.
    pub message: String,
}

impl Diagnostic {
    /// A problem at `span`: `what` is wrong, `expected` says what would be right.
    pub fn new(span: Range<usize>, what: impl fmt::Display, expected: impl fmt::Display) -> Self {
        Diagnostic {
            span,
            message: format!("{what}; expected {expected}"),
        }
    }

    /// A problem whose message is already complete (e.g. from the TOML parser).
    pub fn raw(span: Range<usize>, message: impl Into<String>) -> Self {
        let message = message.into();
        // The TOML parser's messages may span lines; one line reads better in a terminal and log.
        let message = message.split_whitespace().collect::<Vec<_>>().join(" ");
        Diagnostic { span, message }
    }
}

/// Every problem found in one scenario file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostics {
    /// The file's name as shown to the user.
    pub source_name: String,
    /// The line and column of each problem, in file order, with its message.
    pub problems: Vec<Located>,
    /// Whether the problems are errors or warnings.
    pub severity: Severity,
    /// The file's text, for the snippets.
    text: String,
}

/// Whether problems stop a scenario from running.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Severity {
    /// The scenario is invalid.
    Error,
    /// The scenario is valid, but a value is implausible.
    Warning,
}

/// A problem with its 1-based line and column.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Located {
    /// Byte range of the offending text.
    pub span: Range<usize>,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// What is wrong; what was expected.
    pub message: String,
}

impl Diagnostics {
    /// Locates each diagnostic in `text` and sorts them in file order.
    pub fn new(source_name: &str, text: &str, mut diagnostics: Vec<Diagnostic>) -> Self {
        diagnostics.sort_by_key(|d| (d.span.start, d.span.end));
        diagnostics.dedup();
        let problems = diagnostics
            .into_iter()
            .map(|d| {
                let span = within(text, d.span);
                let (line, column) = line_column(text, span.start);
                Located {
                    span,
                    line,
                    column,
                    message: d.message,
                }
            })
            .collect();
        Diagnostics {
            source_name: source_name.to_owned(),
            problems,
            severity: Severity::Error,
            text: text.to_owned(),
        }
    }

    /// Warnings about implausible values, located as [`Diagnostics::new`]
    /// locates errors.
    pub fn warnings(source_name: &str, text: &str, diagnostics: Vec<Diagnostic>) -> Self {
        Diagnostics {
            severity: Severity::Warning,
            ..Diagnostics::new(source_name, text, diagnostics)
        }
    }

    /// The same problems, reported as warnings.
    pub(crate) fn into_warnings(self) -> Self {
        Diagnostics {
            severity: Severity::Warning,
            ..self
        }
    }

    /// Whether there is nothing to report.
    pub fn is_empty(&self) -> bool {
        self.problems.is_empty()
    }

    /// `warning: ` before a warning's message; nothing before an error's,
    /// as before the errors of a compiler.
    fn prefix(&self) -> &'static str {
        match self.severity {
            Severity::Error => "",
            Severity::Warning => "warning: ",
        }
    }

    /// Every problem as its `file:line:column: message` line followed by the
    /// offending text underlined, as compilers show it; with ANSI colours
    /// when `colour` is set.
    pub fn render(&self, colour: bool) -> String {
        let renderer = if colour {
            Renderer::styled()
        } else {
            Renderer::plain()
        };
        // The file's control characters are shown escaped, as in the
        // messages, with each span moved onto the escaped text.
        let text = visible_lines(&self.text);
        let level = match self.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
        };
        let mut out = String::new();
        for p in &self.problems {
            out += &format!(
                "{}:{}:{}: {}{}\n",
                visible(&self.source_name),
                p.line,
                p.column,
                self.prefix(),
                visible(&p.message)
            );
            let span = match text {
                Cow::Borrowed(_) => p.span.clone(),
                Cow::Owned(_) => visible_lines_with_span(&self.text, p.span.clone()).1,
            };
            let snippet = Snippet::source(text.as_ref())
                .fold(true)
                .annotation(AnnotationKind::Primary.span(span));
            out += &renderer.render(&[Group::with_level(level.clone()).element(snippet)]);
            out += "\n";
        }
        out
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, p) in self.problems.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(
                f,
                "{}:{}:{}: {}{}",
                visible(&self.source_name),
                p.line,
                p.column,
                self.prefix(),
                visible(&p.message)
            )?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostics {}

/// `span` moved inside `text` and onto character boundaries.
fn within(text: &str, span: Range<usize>) -> Range<usize> {
    let boundary = |mut offset: usize| {
        offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        offset
    };
    let start = boundary(span.start);
    start..boundary(span.end).max(start)
}

/// 1-based line and character column of a byte offset.
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = text[line_start..offset].chars().count() + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_become_one_based_lines_and_character_columns() {
        let text = "a = 1\nbé = 2\n";
        assert_eq!(line_column(text, 0), (1, 1));
        assert_eq!(line_column(text, 4), (1, 5));
        assert_eq!(line_column(text, 6), (2, 1));
        // 'é' is two bytes but one column: the space after it is column 3.
        assert_eq!(line_column(text, 9), (2, 3));
        assert_eq!(line_column(text, 10), (2, 4));
        assert_eq!(line_column(text, 999), (3, 1));
    }

    #[test]
    fn problems_print_as_file_line_column_in_file_order() {
        let text = "x = 1\ny = 2\n";
        let d = Diagnostics::new(
            "s.toml",
            text,
            vec![
                Diagnostic::new(6..7, "y is wrong", "z"),
                Diagnostic::raw(0..1, "x\n  is wrong"),
            ],
        );
        assert_eq!(
            d.to_string(),
            "s.toml:1:1: x is wrong\ns.toml:2:1: y is wrong; expected z"
        );
    }

    #[test]
    fn warnings_say_so_after_their_position_and_in_their_snippet() {
        let text = "x = 1\n";
        let w = Diagnostics::warnings("s.toml", text, vec![Diagnostic::raw(4..5, "x is odd")]);
        assert_eq!(w.to_string(), "s.toml:1:5: warning: x is odd");
        let rendered = w.render(false);
        assert!(
            rendered.starts_with("s.toml:1:5: warning: x is odd\n"),
            "{rendered}"
        );
        assert!(rendered.contains("x = 1"), "{rendered}");
        assert!(rendered.contains('^'), "{rendered}");
    }
}
