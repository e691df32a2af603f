//! What every section of the report is: a title, its sources and either
//! content or the reason it is absent. The sections build these and the
//! page lays them out, so this file sits below both.

use maud::{Markup, html};

use super::ReportError;
use crate::results::ResultFile;

/// One section of the report.
pub struct Section {
    /// Anchor of the section.
    pub id: &'static str,
    /// Heading.
    pub title: String,
    /// The files it is drawn from, for the reader.
    pub sources: &'static str,
    /// Its content, or why it is absent.
    pub body: Body,
}

/// A section's content.
pub enum Body {
    /// Charts, tables and text.
    Shown(Markup),
    /// The section is absent; the sentence says why (`backticked` parts
    /// are shown as code).
    Absent(String),
}

impl Body {
    /// `content` of `items` when there are any; otherwise absent, because
    /// `file` `has` only what cannot be shown (such as "no parts with a
    /// mean").
    ///
    /// # Errors
    /// As `content`.
    pub(crate) fn unless_empty<T>(
        items: &[T],
        file: ResultFile,
        has: &str,
        content: impl FnOnce(&[T]) -> Result<Markup, ReportError>,
    ) -> Result<Body, ReportError> {
        if items.is_empty() {
            Ok(Body::Absent(format!("{} has {has}.", file.name())))
        } else {
            content(items).map(Body::Shown)
        }
    }
}

/// Why a folder lacks a file that `sscsim run --out` writes, for
/// [`Body::no_file`].
pub const WRITTEN_BY_RUN: &str = " (it is written by `sscsim run --out`)";

/// A section drawn from one file that `sscsim run --out` writes.
pub(crate) struct RunFileSection {
    /// Anchor of the section.
    pub id: &'static str,
    /// Heading.
    pub title: &'static str,
    /// The file.
    pub file: ResultFile,
}

impl RunFileSection {
    /// The section of the `items` made of the file's rows: absent when the
    /// folder has no such file (`None`), or when there are no items, because
    /// the file `has` only what cannot be shown; otherwise `content` of them.
    ///
    /// # Errors
    /// As `content`.
    pub(crate) fn of<T>(
        &self,
        items: Option<Vec<T>>,
        has: &str,
        content: impl FnOnce(&[T]) -> Result<Markup, ReportError>,
    ) -> Result<Section, ReportError> {
        let body = match items {
            None => Body::no_file(self.file, WRITTEN_BY_RUN),
            Some(items) => Body::unless_empty(&items, self.file, has, content)?,
        };
        Ok(Section {
            id: self.id,
            title: self.title.into(),
            sources: self.file.name(),
            body,
        })
    }
}

impl Body {
    /// The section is absent because the folder has no `file`; `why`
    /// follows the file's name (such as [`WRITTEN_BY_RUN`]).
    pub fn no_file(file: ResultFile, why: &str) -> Body {
        Body::Absent(format!("this folder has no {}{why}.", file.name()))
    }
}

/// A table's column headings: the `text` columns, then the `numbers`
/// columns, which are aligned right.
pub(crate) fn headings(text: &[&str], numbers: &[&str]) -> Markup {
    html! {
        @for heading in text { th scope="col" { (heading) } }
        @for heading in numbers { th.num scope="col" { (heading) } }
    }
}

/// A row's cells of numbers, aligned right.
pub(crate) fn number_cells(cells: &[String]) -> Markup {
    html! {
        @for cell in cells { td.num { (cell) } }
    }
}

/// An identifier in code type that may wrap after its dots and
/// underscores (`location.budapest.annual_cost_usd_per_fte.P`), so long
/// input names do not widen a table.
pub(crate) fn breakable_code(id: &str) -> Markup {
    html! {
        code {
            @for part in id.split_inclusive(['.', '_']) {
                (part) wbr;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_file_is_named_with_what_writes_it() {
        let Body::Absent(reason) = Body::no_file(ResultFile::Years, WRITTEN_BY_RUN) else {
            panic!("a missing file makes the section absent");
        };
        assert_eq!(
            reason,
            "this folder has no years.csv (it is written by `sscsim run --out`)."
        );
    }

    #[test]
    fn nothing_to_show_makes_the_section_absent_naming_the_file() {
        let show = |items: &[u32]| Ok(html! { (items.len()) });
        let Ok(Body::Absent(reason)) =
            Body::unless_empty(&[], ResultFile::Centres, "no centre", show)
        else {
            panic!("no items make the section absent");
        };
        assert_eq!(reason, "centres.csv has no centre.");
        let Ok(Body::Shown(content)) = Body::unless_empty(&[7, 8], ResultFile::Centres, "", show)
        else {
            panic!("items make the section shown");
        };
        assert_eq!(content.into_string(), "2");
    }

    #[test]
    fn numbers_are_aligned_right_in_headings_and_cells() {
        assert_eq!(
            headings(&["Part"], &["Mean", "p5"]).into_string(),
            "<th scope=\"col\">Part</th><th class=\"num\" scope=\"col\">Mean</th>\
             <th class=\"num\" scope=\"col\">p5</th>"
        );
        assert_eq!(
            number_cells(&["1".into(), "2".into()]).into_string(),
            "<td class=\"num\">1</td><td class=\"num\">2</td>"
        );
    }

    #[test]
    fn identifiers_may_break_after_dots_and_underscores() {
        assert_eq!(
            breakable_code("a.b_c").into_string(),
            "<code>a.<wbr>b_<wbr>c<wbr></code>"
        );
    }
}
