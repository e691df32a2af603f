//! One worksheet per CSV file: the header in bold and frozen, an
//! autofilter, numbers as numbers in their unit's format, text always as
//! text, and columns as wide as their contents.

use anyhow::{Context, Result, bail};
use rust_xlsxwriter::{ColNum, RowNum, Worksheet};

use super::formats::{Formats, Unit, unit_of};
use super::table::CsvTable;
use crate::output::cell::neutralised;
use crate::results::ResultFile;

/// Excel's last row is 1 048 576; the header takes one.
const MAX_DATA_ROWS: usize = 1_048_575;
/// Excel's last column is XFD.
const MAX_COLUMNS: usize = 16_384;
/// Long text (coalition structures) should not make a column wider than a
/// screen's third.
const MAX_COLUMN_WIDTH_PIXELS: u32 = 400;

/// One row of a table, to look up the cells that decide another's unit.
pub(crate) struct Row<'a> {
    table: &'a CsvTable,
    cells: &'a [String],
}

impl Row<'_> {
    /// The unit of the metric named in column `column` of this row.
    fn unit_named_in(&self, column: &str) -> Unit {
        self.table
            .cell(self.cells, column)
            .map_or(Unit::Plain, unit_of)
    }
}

/// Where the unit of a column's cells comes from.
#[derive(Clone, Copy, Debug)]
pub(crate) enum UnitFrom {
    /// This unit, whatever the row.
    Fixed(Unit),
    /// The column's own name ([`unit_of`]).
    ColumnName,
    /// The unit of the metric named in this column of the row (a minimum or
    /// maximum keeps it).
    NamedIn(&'static str),
    /// The same, of a mean or percentile: counts averaged are not whole.
    AveragedNamedIn(&'static str),
}

impl UnitFrom {
    fn unit(self, column: &str, row: &Row<'_>) -> Unit {
        match self {
            UnitFrom::Fixed(unit) => unit,
            UnitFrom::ColumnName => unit_of(column),
            UnitFrom::NamedIn(named) => row.unit_named_in(named),
            UnitFrom::AveragedNamedIn(named) => row.unit_named_in(named).averaged(),
        }
    }
}

use UnitFrom::{AveragedNamedIn, ColumnName, Fixed, NamedIn};

/// How a CSV file becomes a worksheet.
pub(crate) struct SheetSpec {
    /// The worksheet's name.
    pub(crate) name: &'static str,
    /// The CSV file it shows.
    pub(crate) file: ResultFile,
    /// Columns whose cells are always text, even when they look like numbers.
    pub(crate) text_columns: &'static [&'static str],
    /// The units of the columns named, by name.
    pub(crate) units: &'static [(&'static [&'static str], UnitFrom)],
    /// The unit of every other column.
    pub(crate) otherwise: UnitFrom,
}

impl SheetSpec {
    /// The unit of the cell of column `column` in `row`.
    fn unit(&self, column: &str, row: &Row<'_>) -> Unit {
        self.units
            .iter()
            .find(|(columns, _)| columns.contains(&column))
            .map_or(self.otherwise, |&(_, from)| from)
            .unit(column, row)
    }
}

/// The text columns of a table with a row per strategy and metric.
const BY_METRIC: &[&str] = &["strategy", "metric"];

/// The unit of a table of metrics' means and percentiles.
const METRIC_AVERAGED: UnitFrom = AveragedNamedIn("metric");

/// The tables, in the workbook's order.
pub(crate) const SHEETS: [SheetSpec; 17] = [
    SheetSpec {
        name: "Summary",
        file: ResultFile::Summary,
        text_columns: BY_METRIC,
        // Means and interpolated percentiles of counts are not whole.
        units: &[
            (&["n"], Fixed(Unit::Count)),
            (&["min", "max"], NamedIn("metric")),
        ],
        otherwise: METRIC_AVERAGED,
    },
    SheetSpec {
        name: "Years",
        file: ResultFile::Years,
        text_columns: BY_METRIC,
        units: &[(&["year"], Fixed(Unit::Count))],
        otherwise: METRIC_AVERAGED,
    },
    SheetSpec {
        name: "Decomposition",
        file: ResultFile::DecompositionSummary,
        text_columns: &["mechanism"],
        // Every part of the gap is money.
        units: &[
            (&["share_of_gap"], Fixed(Unit::Share)),
            (&["n"], Fixed(Unit::Count)),
        ],
        otherwise: Fixed(Unit::Usd),
    },
    SheetSpec {
        name: "Sensitivity",
        file: ResultFile::Sensitivity,
        text_columns: &["output", "strategy", "input"],
        // Inputs have many units and their names do not say which.
        units: &[
            (&["rank_correlation"], Fixed(Unit::Correlation)),
            (
                &["output_at_p10", "output_at_p90", "swing"],
                AveragedNamedIn("output"),
            ),
        ],
        otherwise: Fixed(Unit::Plain),
    },
    SheetSpec {
        name: "Value of information",
        file: ResultFile::Voi,
        text_columns: &["input", "kind", "input_label"],
        units: &[
            (&["share_of_evpi"], Fixed(Unit::Share)),
            (&["inputs", "replications"], Fixed(Unit::Count)),
        ],
        otherwise: Fixed(Unit::Usd),
    },
    SheetSpec {
        name: "Global sensitivity",
        file: ResultFile::GlobalSensitivity,
        text_columns: &[
            "output",
            "strategy",
            "input",
            "kind",
            "input_label",
            "first_order_converged",
            "total_order_converged",
            "shapley_effect_converged",
        ],
        // Indices are shares of a variance, and their intervals may reach
        // below 0: two decimals, not per cent.
        units: &[(&["first_order_replications"], Fixed(Unit::Count))],
        otherwise: Fixed(Unit::Correlation),
    },
    SheetSpec {
        name: "Centres",
        file: ResultFile::Centres,
        text_columns: &["strategy", "centre", "location", "agencies"],
        units: &[],
        otherwise: ColumnName,
    },
    SheetSpec {
        name: "Lines",
        file: ResultFile::Lines,
        text_columns: &["strategy", "service_line"],
        units: &[(
            &["utilisation_share", "backlog_probability", "abandon_share"],
            Fixed(Unit::Share),
        )],
        otherwise: ColumnName,
    },
    SheetSpec {
        name: "Differences",
        file: ResultFile::Differences,
        // `year` is a year's number or `all`.
        text_columns: &["strategy", "versus", "metric", "year"],
        units: &[(&["probability_positive"], Fixed(Unit::Share))],
        otherwise: Fixed(Unit::Usd),
    },
    SheetSpec {
        name: "Agencies",
        file: ResultFile::Agencies,
        text_columns: &["agency", "strategy", "allocation_rule"],
        units: &[
            (&["probability_worse_off"], Fixed(Unit::Share)),
            (&["replications"], Fixed(Unit::Count)),
        ],
        otherwise: Fixed(Unit::Usd),
    },
    SheetSpec {
        name: "Dominance",
        file: ResultFile::Dominance,
        text_columns: &["strategy_a", "strategy_b", "first_order", "second_order"],
        units: &[(&["replications"], Fixed(Unit::Count))],
        otherwise: Fixed(Unit::Share),
    },
    SheetSpec {
        name: "Comparison",
        file: ResultFile::Comparison,
        text_columns: &["scenario", "strategy", "metric", "partial"],
        units: &[(&["horizon_years", "replications"], Fixed(Unit::Count))],
        otherwise: METRIC_AVERAGED,
    },
    SheetSpec {
        name: "Coalitions",
        file: ResultFile::Coalitions,
        text_columns: &["structure"],
        units: &[(&["p05", "p95"], Fixed(Unit::Usd))],
        otherwise: ColumnName,
    },
    SheetSpec {
        name: "Allocation",
        file: ResultFile::Allocation,
        text_columns: &["method", "agency"],
        units: &[(&["share_p05", "share_p95"], Fixed(Unit::Usd))],
        otherwise: ColumnName,
    },
    SheetSpec {
        name: "Sweep",
        file: ResultFile::Sweep,
        text_columns: &["key", "strategy", "metric"],
        // The swept value has the unit of its key, which the name does not
        // say.
        units: &[
            (&["value"], Fixed(Unit::Plain)),
            (&["replications"], Fixed(Unit::Count)),
        ],
        otherwise: METRIC_AVERAGED,
    },
    SheetSpec {
        name: "Break-even",
        file: ResultFile::Breakeven,
        text_columns: &["key", "strategy", "versus", "finding"],
        units: &[
            (&["value", "ci_low", "ci_high"], Fixed(Unit::Plain)),
            (&["evaluations", "replications"], Fixed(Unit::Count)),
        ],
        otherwise: Fixed(Unit::Usd),
    },
    SheetSpec {
        name: "Break-even points",
        file: ResultFile::BreakevenPoints,
        text_columns: &["key", "strategy", "versus"],
        units: &[(&["value"], Fixed(Unit::Plain))],
        otherwise: Fixed(Unit::Usd),
    },
];

/// What a cell of a number column holds.
#[derive(Debug, PartialEq)]
pub(crate) enum Cell<'a> {
    /// An empty cell: a missing value, left blank (never 0).
    Blank,
    /// A finite number.
    Number(f64),
    /// Anything else, kept as text.
    Text(&'a str),
}

impl Cell<'_> {
    /// Reads a cell of a number column. `NaN` and `inf` stay text: a
    /// workbook cannot hold them as numbers.
    pub(crate) fn of(text: &str) -> Cell<'_> {
        if text.is_empty() {
            return Cell::Blank;
        }
        match text.parse::<f64>() {
            Ok(x) if x.is_finite() => Cell::Number(x),
            _ => Cell::Text(text),
        }
    }
}

/// Writes one cell. Text goes in with `write_string`, so it never becomes a
/// formula in the workbook itself, and [`neutralised`] as in the CSV files,
/// so it does not become one when a user copies it or saves the sheet as
/// CSV either.
pub(crate) fn write_cell(
    sheet: &mut Worksheet,
    (row, column): (RowNum, ColNum),
    cell: Cell<'_>,
    unit: Unit,
    formats: &Formats,
) -> Result<(), rust_xlsxwriter::XlsxError> {
    match cell {
        Cell::Blank => {}
        Cell::Text(text) => {
            sheet.write_string(row, column, neutralised(text))?;
        }
        Cell::Number(x) => match formats.for_value(unit, x) {
            Some(format) => {
                // `+ 0.0` makes −0.0 plain 0, which spreadsheets show as `-0`
                // in some formats, and leaves every other value as it is.
                sheet.write_number_with_format(row, column, x + 0.0, &format)?;
            }
            None => {
                sheet.write_number(row, column, x + 0.0)?;
            }
        },
    }
    Ok(())
}

/// The worksheet of `table`, laid out by `spec`.
///
/// # Errors
/// When the table does not fit in a worksheet, or a cell cannot be held
/// (text longer than 32 767 characters); the message names the file.
pub(crate) fn table_sheet(
    spec: &SheetSpec,
    table: &CsvTable,
    formats: &Formats,
) -> Result<Worksheet> {
    if table.rows.len() > MAX_DATA_ROWS || table.header.len() > MAX_COLUMNS {
        bail!(
            "{} has {} rows of {} columns; a worksheet holds at most {MAX_DATA_ROWS} rows below its header and {MAX_COLUMNS} columns",
            table.file,
            table.rows.len(),
            table.header.len()
        );
    }
    let mut sheet = Worksheet::new();
    sheet.set_name(spec.name)?;
    for (c, name) in table.header.iter().enumerate() {
        sheet.write_string_with_format(0, c as ColNum, neutralised(name), &formats.header)?;
    }
    let text_column: Vec<bool> = table
        .header
        .iter()
        .map(|h| spec.text_columns.contains(&h.as_str()))
        .collect();
    // A number is right-aligned; text left-aligned right after it touches
    // it ("100false" for `replications` and `partial`), however wide the
    // columns: such text is centred.
    let centred: Vec<bool> = (0..text_column.len())
        .map(|c| text_column[c] && c > 0 && !text_column[c - 1])
        .collect();
    for (r, cells) in table.rows.iter().enumerate() {
        let row = Row { table, cells };
        for ((c, text), name) in cells.iter().enumerate().zip(&table.header) {
            let cell = if text_column[c] && !text.is_empty() {
                Cell::Text(text)
            } else {
                Cell::of(text)
            };
            let position = ((r + 1) as RowNum, c as ColNum);
            let written = match cell {
                Cell::Text(text) if centred[c] => sheet
                    .write_string_with_format(
                        position.0,
                        position.1,
                        neutralised(text),
                        &formats.centred_text,
                    )
                    .map(|_| ()),
                cell => write_cell(&mut sheet, position, cell, spec.unit(name, &row), formats),
            };
            written.with_context(|| {
                format!(
                    "cannot put line {} of {}, column `{name}`, into the workbook",
                    r + 2,
                    table.file
                )
            })?;
        }
    }
    sheet.set_freeze_panes(1, 0)?;
    if !table.header.is_empty() {
        let last_column = (table.header.len() - 1) as ColNum;
        sheet.autofilter(0, 0, table.rows.len() as RowNum, last_column)?;
    }
    Ok(sheet)
}

/// Sets every column's width to fit its contents, up to a limit, and
/// prints the sheet landscape, one page wide.
pub(crate) fn fit_columns(sheet: &mut Worksheet) {
    sheet.set_autofit_max_width(MAX_COLUMN_WIDTH_PIXELS);
    sheet.autofit();
    sheet.set_landscape().set_print_fit_to_pages(1, 0);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_cells_are_blank_and_only_finite_numbers_are_numbers() {
        assert_eq!(Cell::of(""), Cell::Blank);
        assert_eq!(Cell::of("-1234.5"), Cell::Number(-1234.5));
        assert_eq!(Cell::of("0.1"), Cell::Number(0.1));
        for text in ["NaN", "inf", "-inf", "=1+1", "solo", " 1"] {
            assert_eq!(Cell::of(text), Cell::Text(text), "{text}");
        }
    }

    #[test]
    fn sheet_names_are_unique_and_valid() {
        let mut names: Vec<&str> = SHEETS.iter().map(|s| s.name).collect();
        names.push("About");
        let mut sorted = names.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(sorted.len(), names.len());
        for name in names {
            Worksheet::new().set_name(name).unwrap();
        }
    }
}
