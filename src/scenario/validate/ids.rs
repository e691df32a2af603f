//! Checks of ids: well formed, unique among their kind, and, where one
//! section names another's, declared.

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use toml::Spanned;

use super::limits::MAX_ID_CHARS;
use super::validator::Validator;

/// Ids of one kind, with where each was declared.
#[derive(Clone, Default)]
pub(in crate::scenario) struct Ids(pub(in crate::scenario) HashMap<String, usize>);

impl Ids {
    pub(in crate::scenario) fn get(&self, id: &str) -> Option<usize> {
        self.0.get(id).copied()
    }
}

impl Validator {
    /// Checks that ids are well formed and unique; returns id → index.
    pub(in crate::scenario) fn unique_ids<'r>(
        &mut self,
        kind: &str,
        ids: impl Iterator<Item = &'r Spanned<String>>,
    ) -> Ids {
        let mut seen = Ids::default();
        for (i, id) in ids.enumerate() {
            self.identifier(kind, id);
            if seen.0.insert(id.get_ref().clone(), i).is_some() {
                self.problem(
                    id.span(),
                    format!("{kind} id `{}` is declared twice", id.get_ref()),
                    "a unique id",
                );
            }
        }
        seen
    }

    pub(in crate::scenario) fn identifier(&mut self, kind: &str, id: &Spanned<String>) {
        let s = id.get_ref();
        let well_formed = s.len() <= MAX_ID_CHARS
            && s.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
        if !well_formed {
            self.problem(
                id.span(),
                format!("{kind} id `{s}` is not a valid identifier"),
                format!("a letter followed by letters, digits, '_' or '-' (at most {MAX_ID_CHARS} characters)"),
            );
        }
    }

    /// The index of the declared id that `id` names.
    pub(in crate::scenario) fn reference(
        &mut self,
        kind: &str,
        ids: &Ids,
        id: &Spanned<String>,
    ) -> Option<usize> {
        let found = ids.get(id.get_ref());
        if found.is_none() {
            let mut known: Vec<_> = ids.0.keys().map(|k| format!("`{k}`")).collect();
            known.sort();
            self.problem(
                id.span(),
                format!("unknown {kind} `{}`", id.get_ref()),
                format!("one of the declared {kind} ids: {}", known.join(", ")),
            );
        }
        found
    }

    /// The indices and positions of a non-empty list of declared ids, each
    /// once; `None` when one is unknown.
    pub(in crate::scenario) fn reference_list(
        &mut self,
        kind: &str,
        ids: &Ids,
        list: &Spanned<Vec<Spanned<String>>>,
    ) -> Option<Vec<(usize, Range<usize>)>> {
        if list.get_ref().is_empty() {
            self.problem(
                list.span(),
                format!("the list of {kind} ids is empty"),
                format!("at least one {kind} id"),
            );
        }
        let mut seen = HashSet::new();
        let mut found = Vec::new();
        let mut all_known = !list.get_ref().is_empty();
        for id in list.get_ref() {
            let Some(i) = self.reference(kind, ids, id) else {
                all_known = false;
                continue;
            };
            if seen.insert(i) {
                found.push((i, id.span()));
            } else {
                self.problem(
                    id.span(),
                    format!("{kind} `{}` is listed twice", id.get_ref()),
                    "each id once",
                );
            }
        }
        all_known.then_some(found)
    }
}
