//! The workbook's native charts: cumulative savings by year, the economies
//! of scale lost by mechanism, and the one-off costs by kind. Each refers to
//! cells of its sheet, so it follows the numbers if someone edits them.

use anyhow::Result;
use rust_xlsxwriter::{
    Chart, ChartAxisLabelPosition, ChartFont, ChartType, ColNum, RowNum, Worksheet,
};

use super::formats::{Formats, Unit};
use super::sheet::{Cell, write_cell};
use super::table::CsvTable;
use crate::metrics::YearMetric;
use crate::output::cell::neutralised;

/// The figure of `years.csv` the savings chart shows.
const SAVINGS_FIGURE: &str = YearMetric::CumulativeSavingsUsd.id();
/// The baseline, whose savings against itself are zero.
const BASELINE: &str = "status_quo";
/// The row of `decomposition_summary.csv` that is the sum of the others.
const TOTAL: &str = "total";

/// Adds a line chart of the median cumulative savings by year, one line per
/// strategy but the status quo, to the sheet of `years.csv`.
///
/// In `years.csv` a strategy's rows for one figure are not next to each
/// other, and a chart series needs one range of cells: the chart's data is
/// therefore laid out as a small year × strategy block to the right of the
/// table, and the chart below it.
///
/// # Errors
/// When `years.csv` lacks a column the chart needs.
pub(crate) fn add_savings_chart(
    sheet: &mut Worksheet,
    sheet_name: &str,
    table: &CsvTable,
    formats: &Formats,
) -> Result<()> {
    let strategy = table.require("strategy")?;
    let year = table.require("year")?;
    let metric = table.require("metric")?;
    let p50 = table.require("p50")?;

    let mut strategies: Vec<&str> = Vec::new();
    let mut years: Vec<&str> = Vec::new();
    let mut values: Vec<(usize, usize, &str)> = Vec::new();
    for row in &table.rows {
        let cell = |c: usize| row.get(c).map_or("", String::as_str);
        if cell(metric) != SAVINGS_FIGURE || cell(strategy) == BASELINE {
            continue;
        }
        let s = position_or_push(&mut strategies, cell(strategy));
        let y = position_or_push(&mut years, cell(year));
        values.push((s, y, cell(p50)));
    }
    if strategies.is_empty() {
        return Ok(());
    }

    let year_column = table.header.len() as ColNum + 1;
    let last_row = years.len() as RowNum;
    sheet.write_string_with_format(0, year_column, "year", &formats.header)?;
    for (y, text) in years.iter().enumerate() {
        write_cell(
            sheet,
            (y as RowNum + 1, year_column),
            Cell::of(text),
            Unit::Count,
            formats,
        )?;
    }
    for (s, id) in strategies.iter().enumerate() {
        sheet.write_string_with_format(
            0,
            year_column + 1 + s as ColNum,
            neutralised(id),
            &formats.header,
        )?;
    }
    for &(s, y, text) in &values {
        let position = (y as RowNum + 1, year_column + 1 + s as ColNum);
        write_cell(sheet, position, Cell::of(text), Unit::Usd, formats)?;
    }

    let mut chart = titled_chart(
        ChartType::Line,
        "Cumulative savings against the status quo, p50",
    );
    for s in 0..strategies.len() {
        let column = year_column + 1 + s as ColNum;
        add_column_series(&mut chart, sheet_name, (year_column, column), last_row);
    }
    // Savings start negative: years are labelled below the plot, not
    // along the zero line.
    chart
        .x_axis()
        .set_name("year")
        .set_label_position(ChartAxisLabelPosition::Low);
    chart
        .y_axis()
        .set_name("USD")
        .set_num_format(Unit::Usd.num_format().unwrap_or("General"));
    sheet.insert_chart(last_row + 2, year_column, &chart)?;
    Ok(())
}

/// Adds a bar chart of the mean part of the gap per mechanism to the sheet
/// of `decomposition_summary.csv`. The parts come first in the file and the
/// total last; the chart shows the rows before the total.
///
/// # Errors
/// When the file lacks a column the chart needs.
pub(crate) fn add_decomposition_chart(
    sheet: &mut Worksheet,
    sheet_name: &str,
    table: &CsvTable,
) -> Result<()> {
    let mechanism = table.require("mechanism")? as ColNum;
    let mean = table.require("mean")? as ColNum;
    let parts = table
        .rows
        .iter()
        .take_while(|row| row.get(mechanism as usize).map(String::as_str) != Some(TOTAL))
        .count();
    if parts == 0 {
        return Ok(());
    }
    let last_row = parts as RowNum;
    let mut chart = titled_chart(ChartType::Bar, "Economies of scale lost by mechanism, mean");
    add_column_series(&mut chart, sheet_name, (mechanism, mean), last_row);
    // In a bar chart the categories are on the y axis; reversed, they read
    // top to bottom in the file's order. A part can be negative: names stay
    // left of the plot, clear of the bars.
    chart
        .y_axis()
        .set_reverse()
        .set_label_position(ChartAxisLabelPosition::Low);
    chart
        .x_axis()
        .set_num_format(Unit::Usd.num_format().unwrap_or("General"));
    chart.legend().set_hidden();
    sheet.insert_chart(1, table.header.len() as ColNum + 1, &chart)?;
    Ok(())
}

/// Adds a stacked column chart of the one-off costs to their sheet: one
/// column per strategy (a row of `table`), one series per kind (a column of
/// `table` between the strategy and the total), so that a column's height
/// is the strategy's total. A kind that is zero or blank for every strategy
/// is left out of the chart, and of its legend; the table still shows it.
///
/// # Errors
/// When the chart cannot be placed.
pub(crate) fn add_one_off_chart(
    sheet: &mut Worksheet,
    sheet_name: &str,
    table: &CsvTable,
) -> Result<()> {
    let last_row = table.rows.len() as RowNum;
    // The first column names the strategy and the last is the total.
    let kinds = 1..table.header.len().saturating_sub(1);
    let mut chart = titled_chart(ChartType::ColumnStacked, "One-off costs by kind, mean");
    for column in kinds.filter(|&c| !all_zero(table, c)) {
        add_column_series(&mut chart, sheet_name, (0, column as ColNum), last_row);
    }
    chart
        .y_axis()
        .set_name("USD")
        .set_num_format(Unit::Usd.num_format().unwrap_or("General"));
    sheet.insert_chart(last_row + 2, 0, &chart)?;
    Ok(())
}

/// Whether every cell of `column` of `table` is blank or zero.
fn all_zero(table: &CsvTable, column: usize) -> bool {
    table.rows.iter().all(
        |row| match Cell::of(row.get(column).map_or("", String::as_str)) {
            Cell::Blank => true,
            Cell::Number(x) => x == 0.0,
            Cell::Text(_) => false,
        },
    )
}

/// Titles a little smaller than the default, so they fit on one line.
/// A chart of `kind` with `title` in the workbook's title font.
fn titled_chart(kind: ChartType, title: &str) -> Chart {
    let mut chart = Chart::new(kind);
    let mut font = ChartFont::new();
    font.set_size(12);
    chart.title().set_name(title).set_font(&font);
    chart
}

/// Adds to `chart` the series of a column of the sheet against a column of
/// categories, `(categories, values)`, over rows 1 to `last_row`; the
/// values' heading (row 0) names it.
fn add_column_series(
    chart: &mut Chart,
    sheet_name: &str,
    (categories, values): (ColNum, ColNum),
    last_row: RowNum,
) {
    chart
        .add_series()
        .set_name((sheet_name, 0, values))
        .set_categories((sheet_name, 1, categories, last_row, categories))
        .set_values((sheet_name, 1, values, last_row, values));
}

/// Index of `item` in `list`, appending it first if it is new.
fn position_or_push<'a>(list: &mut Vec<&'a str>, item: &'a str) -> usize {
    list.iter().position(|x| *x == item).unwrap_or_else(|| {
        list.push(item);
        list.len() - 1
    })
}
