//! Printed tables that fit the terminal: the terminal's width when the
//! output is one, [`DEFAULT_WIDTH_COLUMNS`] otherwise. A table whose cells
//! cannot fit side by side is split into several, each repeating the text
//! columns (the strategy, the scenario) that say what a row is; headers
//! wrap between words; a number or a name is never broken.

use std::fmt;

use comfy_table::{CellAlignment, ColumnConstraint, ContentArrangement, Table, Width, presets};

/// The width of a table printed anywhere but a terminal, in columns: the
/// width of a classic terminal, an e-mail or a code block.
pub const DEFAULT_WIDTH_COLUMNS: u16 = 80;

/// Columns of padding a column has besides its content: a space on its
/// right (the style's column separator is a space already).
const PADDING_COLUMNS: usize = 1;

/// A header this long or shorter stays on one line (a reader, or a
/// script, finds "USD per transaction" whole); a longer one wraps between
/// words.
const WHOLE_HEADER_COLUMNS: usize = 19;

/// A table of text cells under a header: the first `text_columns` columns
/// text (left-aligned), the rest numbers (right-aligned). It prints
/// (`Display`) at the terminal's width, or at [`DEFAULT_WIDTH_COLUMNS`]
/// when the output is not a terminal; [`FittedTable::render`] at any width.
#[derive(Clone, Debug)]
pub struct FittedTable {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
    text_columns: usize,
}

impl FittedTable {
    /// An empty table with `header`, its first `text_columns` columns text.
    pub fn new(header: &[&str], text_columns: usize) -> Self {
        FittedTable {
            header: header.iter().map(|h| (*h).to_owned()).collect(),
            rows: Vec::new(),
            text_columns: text_columns.min(header.len()),
        }
    }

    /// Adds a row of cells, one per column of the header.
    pub(crate) fn add_row<S: Into<String>>(&mut self, cells: impl IntoIterator<Item = S>) {
        self.rows.push(cells.into_iter().map(Into::into).collect());
    }

    /// The table in as many parts as it takes for each to be at most
    /// `width_columns` wide (unless a single column is wider), the parts
    /// separated by a blank line.
    pub fn render(&self, width_columns: u16) -> String {
        let minimum: Vec<usize> = (0..self.header.len()).map(|c| self.narrowest(c)).collect();
        self.parts(&minimum, width_columns)
            .iter()
            .map(|numbers| self.part(numbers, &minimum, width_columns).to_string())
            .collect::<Vec<_>>()
            .join("\n\n")
    }

    /// The narrowest a column can be: its widest cell (a cell of several
    /// lines, its widest line), and its header (a
    /// header longer than [`WHOLE_HEADER_COLUMNS`], its longest word).
    fn narrowest(&self, column: usize) -> usize {
        let header = &self.header[column];
        let header = if header.chars().count() <= WHOLE_HEADER_COLUMNS {
            header.chars().count()
        } else {
            header
                .split_whitespace()
                .map(|w| w.chars().count())
                .max()
                .unwrap_or(0)
        };
        self.rows
            .iter()
            .filter_map(|row| row.get(column))
            .flat_map(|cell| cell.lines().map(|line| line.chars().count()))
            .fold(header, usize::max)
    }

    /// The number columns of each part: as many, in order, as fit beside
    /// the text columns once drawn (what a drawn column costs beyond its
    /// content is comfy-table's to decide); at least one a part.
    fn parts(&self, minimum: &[usize], width: u16) -> Vec<Vec<usize>> {
        let mut parts: Vec<Vec<usize>> = vec![Vec::new()];
        for c in self.text_columns..self.header.len() {
            let part = parts.last_mut().expect("a part");
            part.push(c);
            if part.len() > 1 && widest_line(&self.part(part, minimum, width).to_string()) > width {
                part.pop();
                parts.push(vec![c]);
            }
        }
        parts
    }

    /// One part: the text columns and `numbers`, wrapped to `width`.
    fn part(&self, numbers: &[usize], minimum: &[usize], width: u16) -> Table {
        let columns: Vec<usize> = (0..self.text_columns)
            .chain(numbers.iter().copied())
            .collect();
        let mut t = Table::new();
        t.load_style(presets::UTF8_HORIZONTAL_ONLY)
            .set_content_arrangement(ContentArrangement::Dynamic)
            .set_width(width)
            .set_header(columns.iter().map(|&c| self.header[c].as_str()));
        for row in &self.rows {
            t.add_row(
                columns
                    .iter()
                    .map(|&c| row.get(c).map_or("", String::as_str)),
            );
        }
        for (i, &c) in columns.iter().enumerate() {
            if let Some(column) = t.column_mut(i) {
                column.set_padding((0, 1));
                // comfy-table's bounds count a column's padding.
                let at_least = u16::try_from(minimum[c] + PADDING_COLUMNS).unwrap_or(u16::MAX);
                column.set_constraint(ColumnConstraint::LowerBoundary(Width::Fixed(at_least)));
                if c >= self.text_columns {
                    column.set_cell_alignment(CellAlignment::Right);
                }
            }
        }
        t
    }
}

/// The width to print at: the terminal's, when the output is one.
pub(crate) fn output_width_columns() -> u16 {
    Table::new().width().unwrap_or(DEFAULT_WIDTH_COLUMNS)
}

/// `text` with each line wrapped between words to at most
/// `width_columns` columns (a single longer word stays whole).
pub(crate) fn wrap(text: &str, width_columns: u16) -> String {
    let width = usize::from(width_columns);
    let mut out = String::with_capacity(text.len());
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let mut used = 0;
        for word in line.split(' ') {
            let w = word.chars().count();
            if used > 0 && used + 1 + w > width {
                out.push('\n');
                used = 0;
            } else if used > 0 {
                out.push(' ');
                used += 1;
            }
            out.push_str(word);
            used += w;
        }
    }
    out
}

/// The width of the widest line of `text`, in characters.
fn widest_line(text: &str) -> u16 {
    let widest = text.lines().map(|l| l.chars().count()).max().unwrap_or(0);
    u16::try_from(widest).unwrap_or(u16::MAX)
}

impl fmt::Display for FittedTable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(output_width_columns()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A strategy column and ten number columns of 9 characters: 11 + 10 ×
    /// 11 + 1 = 122 columns side by side.
    fn wide() -> FittedTable {
        let header: Vec<String> = (0..10).map(|i| format!("figure {i}")).collect();
        let mut header: Vec<&str> = header.iter().map(String::as_str).collect();
        header.insert(0, "strategy");
        let mut t = FittedTable::new(&header, 1);
        for id in ["status_quo", "pooled"] {
            t.add_row(std::iter::once(id.to_owned()).chain((0..10).map(|_| "1,234.567".into())));
        }
        t
    }

    #[test]
    fn a_wide_table_is_split_into_parts_that_fit_each_repeating_the_text_columns() {
        let text = wide().render(80);
        assert!(widest_line(&text) <= 80, "{text}");
        // Text columns 1 + 12 = 13 wide; each number 11: 6 fit in 80, so
        // 10 numbers make two parts.
        assert_eq!(text.matches("status_quo").count(), 2, "{text}");
        assert!(text.contains("figure 9"));
        // No cell is broken.
        assert_eq!(text.matches("1,234.567").count(), 2 * 10, "{text}");
    }

    #[test]
    fn text_wraps_between_words() {
        assert_eq!(wrap("one two three\nfour", 7), "one two\nthree\nfour");
        assert_eq!(wrap("a longword b", 4), "a\nlongword\nb");
    }

    #[test]
    fn a_narrow_table_is_one_part_and_headers_wrap_between_words() {
        let mut t = FittedTable::new(&["strategy", "payback from decision, years (p50)"], 1);
        t.add_row(["solo", "4.2"]);
        let text = t.render(30);
        assert!(widest_line(&text) <= 30, "{text}");
        assert!(text.contains("decision,"), "{text}");
        assert_eq!(text.matches("solo").count(), 1);
    }
}
