//! The [`Validator`]: what a validation has found so far. The checks of
//! single values (`values`) and of ids (`ids`) extend it, and every section
//! of the file validates itself with it.

use std::collections::HashMap;
use std::ops::Range;

use crate::model::{InputId, UncertainInput};
use crate::scenario::diagnostic::Diagnostic;

/// What a validation has found so far: the problems, the implausible
/// values, and the uncertain inputs with the names `[[correlation]]` may
/// refer to.
#[derive(Default)]
pub(in crate::scenario) struct Validator {
    diagnostics: Vec<Diagnostic>,
    warnings: Vec<Diagnostic>,
    pub inputs: Vec<UncertainInput>,
    /// What each parameter's path names, for `[[correlation]]`.
    pub names: HashMap<String, Named>,
}

/// What a parameter's path names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(in crate::scenario) enum Named {
    /// An uncertain input.
    Input(InputId),
    /// A number the scenario fixes.
    Fixed,
    /// A key the scenario leaves out, whose default is fixed.
    Default,
    /// A value with a problem already reported.
    Invalid,
}

impl Validator {
    /// A problem at `span`: `what` is wrong, `expected` says what would be right.
    pub(in crate::scenario) fn problem(
        &mut self,
        span: Range<usize>,
        what: impl std::fmt::Display,
        expected: impl std::fmt::Display,
    ) {
        self.diagnostics.push(Diagnostic::new(span, what, expected));
    }

    /// A value at `span` that is valid but implausible, and why
    /// (`validate/plausible.rs`).
    pub(in crate::scenario) fn warning(&mut self, span: Range<usize>, message: String) {
        self.warnings.push(Diagnostic::raw(span, message));
    }

    /// Whether a problem has been found so far.
    pub(in crate::scenario) fn has_problems(&self) -> bool {
        !self.diagnostics.is_empty()
    }

    /// Every problem found.
    pub(in crate::scenario) fn into_diagnostics(self) -> Vec<Diagnostic> {
        self.diagnostics
    }

    /// Every implausible value found.
    pub(in crate::scenario) fn take_warnings(&mut self) -> Vec<Diagnostic> {
        std::mem::take(&mut self.warnings)
    }
}
