//! `--xlsx`: the workbook is read back with an independent reader (calamine,
//! and the zip archive itself) and compared with the CSV files it was built
//! from.

use std::fs::File;
use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use calamine::{Data, Range, Reader, Xlsx, open_workbook};
use predicates::prelude::*;
use sscsim::output::xlsx::write_workbook;

use crate::util::{column, fixture, read_csv};

fn sscsim() -> Command {
    Command::cargo_bin("sscsim").unwrap()
}

/// Runs `sscsim ARGS -q -o DIR --xlsx` and returns DIR's path.
fn run_with_xlsx(dir: &Path, args: &[&str]) -> PathBuf {
    let out = dir.join("results");
    sscsim()
        .args(args)
        .args(["-q", "-o"])
        .arg(&out)
        .arg("--xlsx")
        .assert()
        .success()
        .stderr(predicate::str::is_empty());
    out
}

fn workbook(dir: &Path) -> Xlsx<BufReader<File>> {
    open_workbook(dir.join("results.xlsx")).unwrap()
}

/// A cell as a number, if it is one.
fn number(cell: Option<&Data>) -> Option<f64> {
    match cell? {
        Data::Float(x) => Some(*x),
        Data::Int(i) => Some(*i as f64),
        _ => None,
    }
}

fn is_blank(cell: Option<&Data>) -> bool {
    matches!(cell, None | Some(Data::Empty))
}

/// Asserts that a sheet holds the CSV file cell for cell from A1: the header
/// as text, every number equal to the CSV's (parsed on both sides), empty
/// cells blank, and the cells of `text_columns` and every other non-number
/// as the same text.
fn assert_sheet_is_csv(range: &Range<Data>, csv: &Path, text_columns: &[&str]) {
    let (header, rows) = read_csv(csv);
    for (c, name) in header.iter().enumerate() {
        assert_eq!(
            range.get_value((0, c as u32)),
            Some(&Data::String(name.clone())),
            "header of {}",
            csv.display()
        );
    }
    assert!(
        (1..=rows.len()).all(|r| !is_blank(range.get_value((r as u32, 0)))),
        "a row of {} is missing",
        csv.display()
    );
    assert!(is_blank(range.get_value((rows.len() as u32 + 1, 0))));
    for (r, row) in rows.iter().enumerate() {
        for (c, text) in row.iter().enumerate() {
            let cell = range.get_value((r as u32 + 1, c as u32));
            let place = format!("{} line {} column {}", csv.display(), r + 2, header[c]);
            if text.is_empty() {
                assert!(is_blank(cell), "{place}: {cell:?} for an empty cell");
            } else if let (false, Ok(x)) = (
                text_columns.contains(&header[c].as_str()),
                text.parse::<f64>(),
            ) {
                assert_eq!(number(cell), Some(x), "{place}");
            } else {
                assert_eq!(cell, Some(&Data::String(text.clone())), "{place}");
            }
        }
    }
}

/// The text of one file of the workbook's zip archive.
fn archive_file(dir: &Path, name: &str) -> String {
    let mut archive = zip::ZipArchive::new(File::open(dir.join("results.xlsx")).unwrap()).unwrap();
    let mut text = String::new();
    archive
        .by_name(name)
        .unwrap()
        .read_to_string(&mut text)
        .unwrap();
    text
}

/// The texts of the archive's chart parts, `xl/charts/chart*.xml`.
fn charts(dir: &Path) -> Vec<String> {
    let archive = zip::ZipArchive::new(File::open(dir.join("results.xlsx")).unwrap()).unwrap();
    let mut names: Vec<String> = archive
        .file_names()
        .map(|n| n.unwrap().into_owned())
        .filter(|n| n.starts_with("xl/charts/chart") && n.ends_with(".xml"))
        .collect();
    names.sort();
    names.iter().map(|n| archive_file(dir, n)).collect()
}

/// A cell range of a chart, `Sheet!$A$2:$A$11`, as sheet and (row, column)
/// corners, 0-based.
#[derive(Debug, PartialEq)]
struct CellRange {
    sheet: String,
    first: (u32, u32),
    last: (u32, u32),
}

fn parse_cell(reference: &str) -> (u32, u32) {
    let reference = reference.replace('$', "");
    let letters: String = reference
        .chars()
        .take_while(char::is_ascii_alphabetic)
        .collect();
    let column = letters
        .chars()
        .fold(0, |n, l| n * 26 + (l as u32 - 'A' as u32 + 1));
    let row: u32 = reference[letters.len()..].parse().unwrap();
    (row - 1, column - 1)
}

fn parse_range(formula: &str) -> CellRange {
    let (sheet, cells) = formula.rsplit_once('!').unwrap();
    let (first, last) = cells.split_once(':').unwrap_or((cells, cells));
    CellRange {
        sheet: sheet.trim_matches('\'').to_owned(),
        first: parse_cell(first),
        last: parse_cell(last),
    }
}

/// A chart series: the ranges of its name, categories and values.
#[derive(Debug)]
struct Series {
    name: CellRange,
    categories: CellRange,
    values: CellRange,
}

/// The formula `<c:f>` inside the first `<tag>` element of `xml`.
fn formula_in(xml: &str, tag: &str) -> String {
    let element = &xml[xml.find(&format!("<{tag}>")).unwrap()..];
    let start = element.find("<c:f>").unwrap() + "<c:f>".len();
    let end = element.find("</c:f>").unwrap();
    element[start..end].to_owned()
}

fn series(chart: &str) -> Vec<Series> {
    chart
        .split("<c:ser>")
        .skip(1)
        .map(|s| Series {
            name: parse_range(&formula_in(s, "c:tx")),
            categories: parse_range(&formula_in(s, "c:cat")),
            values: parse_range(&formula_in(s, "c:val")),
        })
        .collect()
}

/// The cells of a one-column range, top to bottom.
fn column_cells<'a>(range: &'a Range<Data>, cells: &CellRange) -> Vec<Option<&'a Data>> {
    assert_eq!(cells.first.1, cells.last.1, "one column: {cells:?}");
    (cells.first.0..=cells.last.0)
        .map(|r| range.get_value((r, cells.first.1)))
        .collect()
}

/// The cell format (`<xf …>` of the styles, up to the next one) of a cell,
/// from the sheet's XML, and the workbook's styles.
fn cell_style(dir: &Path, sheet_xml: &str, cell: &str) -> (String, String) {
    let sheet = archive_file(dir, sheet_xml);
    let at = sheet.find(&format!("<c r=\"{cell}\"")).unwrap();
    let element = &sheet[at..at + sheet[at..].find('>').unwrap()];
    let style: usize = element
        .split_once(" s=\"")
        .map_or(0, |(_, s)| s.split('"').next().unwrap().parse().unwrap());
    let styles = archive_file(dir, "xl/styles.xml");
    let cell_formats = &styles[styles.find("<cellXfs").unwrap()..];
    let xf = cell_formats
        .split("<xf ")
        .nth(style + 1)
        .unwrap()
        .to_owned();
    (xf, styles)
}

/// The number format of a cell, from the sheet's XML and the styles.
fn number_format(dir: &Path, sheet_xml: &str, cell: &str) -> String {
    let (xf, styles) = cell_style(dir, sheet_xml, cell);
    let id: u32 = xf
        .split_once("numFmtId=\"")
        .unwrap()
        .1
        .split('"')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    // Excel's built-in formats that the workbook may use without listing.
    let built_in = [
        (0, "General"),
        (1, "0"),
        (2, "0.00"),
        (3, "#,##0"),
        (4, "#,##0.00"),
    ];
    if let Some((_, code)) = built_in.iter().find(|(i, _)| *i == id) {
        return (*code).to_owned();
    }
    let listed = format!("numFmtId=\"{id}\" formatCode=\"");
    let start = styles.find(&listed).unwrap() + listed.len();
    styles[start..start + styles[start..].find('"').unwrap()].to_owned()
}

/// The spreadsheet name of a cell, `C2`, from 0-based row and column.
fn cell_name(row: usize, column: usize) -> String {
    format!("{}{}", (b'A' + column as u8) as char, row + 1)
}

#[test]
fn run_with_xlsx_writes_a_sheet_equal_to_each_csv_file() {
    let dir = tempfile::tempdir().unwrap();
    let out = run_with_xlsx(dir.path(), &["run", "-n", "20"]);
    let mut book = workbook(&out);
    assert_eq!(
        book.sheet_names(),
        [
            "About",
            "Summary",
            "Years",
            "Decomposition",
            "Sensitivity",
            "Value of information",
            "Global sensitivity",
            "Centres",
            "Lines",
            "Differences",
            "Agencies",
            "Dominance",
            "One-off costs"
        ]
    );
    assert_sheet_is_csv(
        &book.worksheet_range("Agencies").unwrap(),
        &out.join("agencies.csv"),
        &["agency", "strategy", "allocation_rule"],
    );
    assert_sheet_is_csv(
        &book.worksheet_range("Value of information").unwrap(),
        &out.join("voi.csv"),
        &["input", "kind", "input_label"],
    );
    assert_sheet_is_csv(
        &book.worksheet_range("Lines").unwrap(),
        &out.join("lines.csv"),
        &["strategy", "service_line"],
    );
    assert_sheet_is_csv(
        &book.worksheet_range("Differences").unwrap(),
        &out.join("differences.csv"),
        &["strategy", "versus", "metric", "year"],
    );
    assert_sheet_is_csv(
        &book.worksheet_range("Sensitivity").unwrap(),
        &out.join("sensitivity.csv"),
        &["output", "strategy", "input"],
    );
    assert_sheet_is_csv(
        &book.worksheet_range("Centres").unwrap(),
        &out.join("centres.csv"),
        &["strategy", "centre", "location", "agencies"],
    );
    assert_sheet_is_csv(
        &book.worksheet_range("Summary").unwrap(),
        &out.join("summary.csv"),
        &["strategy", "metric"],
    );
    assert_sheet_is_csv(
        &book.worksheet_range("Years").unwrap(),
        &out.join("years.csv"),
        &["strategy", "metric"],
    );
}

#[test]
fn the_about_sheet_lists_every_manifest_field_and_says_where_the_replications_are() {
    let dir = tempfile::tempdir().unwrap();
    let out = run_with_xlsx(dir.path(), &["run", "-n", "20"]);
    let about = workbook(&out).worksheet_range("About").unwrap();
    let manifest: toml::Table =
        toml::from_str(&std::fs::read_to_string(out.join("manifest.toml")).unwrap()).unwrap();
    // Nine fields of every run, the command, and the compared strategies.
    assert_eq!(manifest.len(), 12);
    for (r, (key, value)) in manifest.iter().enumerate() {
        let row = r as u32 + 1;
        assert_eq!(about.get_value((row, 0)), Some(&Data::String(key.clone())));
        let cell = about.get_value((row, 1));
        match value {
            toml::Value::String(s) => assert_eq!(cell, Some(&Data::String(s.clone())), "{key}"),
            toml::Value::Integer(i) => assert_eq!(number(cell), Some(*i as f64), "{key}"),
            other => panic!("unexpected manifest value {other}"),
        }
    }
    let notes: Vec<&Data> = about.used_cells().map(|(_, _, d)| d).collect();
    assert!(
        notes.iter().any(|d| matches!(d, Data::String(s)
            if s.contains("replications.csv") && s.contains("1 048 576"))),
        "{notes:?}"
    );
}

#[test]
fn the_savings_chart_plots_each_strategys_median_cumulative_savings_by_year() {
    let dir = tempfile::tempdir().unwrap();
    let out = run_with_xlsx(dir.path(), &["run", "-n", "20"]);
    let charts = charts(&out);
    assert_eq!(
        charts.len(),
        3,
        "one on Years, one on Decomposition, one on One-off costs"
    );
    let savings_chart = charts
        .iter()
        .find(|c| c.contains("<c:lineChart>"))
        .expect("a line chart");
    let years = workbook(&out).worksheet_range("Years").unwrap();

    let (header, rows) = read_csv(&out.join("years.csv"));
    let (strategy, year, metric, p50) = (
        column(&header, "strategy"),
        column(&header, "year"),
        column(&header, "metric"),
        column(&header, "p50"),
    );
    let savings: Vec<&Vec<String>> = rows
        .iter()
        .filter(|r| r[metric] == "cumulative_savings_usd" && r[strategy] != "status_quo")
        .collect();
    let mut strategies: Vec<&str> = savings.iter().map(|r| r[strategy].as_str()).collect();
    strategies.dedup();
    assert_eq!(strategies, ["solo", "co_located", "pooled"]);

    let series = series(savings_chart);
    assert_eq!(series.len(), strategies.len());
    for (s, id) in series.iter().zip(&strategies) {
        for range in [&s.name, &s.categories, &s.values] {
            assert_eq!(range.sheet, "Years");
        }
        assert_eq!(
            column_cells(&years, &s.name),
            [Some(&Data::String((*id).to_owned()))]
        );
        let expected: Vec<(f64, f64)> = savings
            .iter()
            .filter(|r| r[strategy] == *id)
            .map(|r| (r[year].parse().unwrap(), r[p50].parse().unwrap()))
            .collect();
        assert_eq!(expected.len(), 10, "the default scenario has 10 years");
        let plotted: Vec<(f64, f64)> = column_cells(&years, &s.categories)
            .into_iter()
            .zip(column_cells(&years, &s.values))
            .map(|(y, v)| (number(y).unwrap(), number(v).unwrap()))
            .collect();
        assert_eq!(plotted, expected, "{id}");
    }
}

/// The headings of the One-off costs sheet after `strategy`, written down
/// by hand, with the metric of `summary.csv` each shows the mean of.
const ONE_OFF_COLUMNS: [(&str, &str); 11] = [
    ("Separation (USD)", "one_off_separation_usd"),
    ("Relocation (USD)", "one_off_relocation_usd"),
    ("Recruitment (USD)", "one_off_recruitment_usd"),
    (
        "Training and knowledge transfer (USD)",
        "one_off_training_and_knowledge_transfer_usd",
    ),
    ("Double running (USD)", "one_off_double_running_usd"),
    ("Project team (USD)", "one_off_project_team_usd"),
    ("Site set-up (USD)", "one_off_site_setup_usd"),
    (
        "Harmonisation project (USD)",
        "one_off_harmonisation_project_usd",
    ),
    ("Disruption (USD)", "one_off_disruption_usd"),
    ("Optimism-bias uplift (USD)", "one_off_optimism_bias_usd"),
    ("Total (USD)", "transition_cost_usd"),
];

/// The mean of `metric` for `strategy` in `summary.csv`'s rows, as written.
fn summary_mean<'a>(
    (header, rows): &'a (Vec<String>, Vec<Vec<String>>),
    strategy: &str,
    metric: &str,
) -> Option<&'a str> {
    let (s, m, mean) = (
        column(header, "strategy"),
        column(header, "metric"),
        column(header, "mean"),
    );
    rows.iter()
        .find(|r| r[s] == strategy && r[m] == metric)
        .map(|r| r[mean].as_str())
}

#[test]
fn the_one_off_sheet_holds_the_summary_means_of_each_strategy_that_moves_work() {
    let dir = tempfile::tempdir().unwrap();
    let out = run_with_xlsx(dir.path(), &["run", "-n", "20"]);
    let summary = read_csv(&out.join("summary.csv"));
    let sheet = workbook(&out).worksheet_range("One-off costs").unwrap();

    assert_eq!(
        sheet.get_value((0, 0)),
        Some(&Data::String("strategy".into()))
    );
    for (c, (heading, _)) in ONE_OFF_COLUMNS.iter().enumerate() {
        assert_eq!(
            sheet.get_value((0, c as u32 + 1)),
            Some(&Data::String((*heading).into())),
            "column {c}"
        );
    }
    assert!(is_blank(
        sheet.get_value((0, ONE_OFF_COLUMNS.len() as u32 + 1))
    ));

    // The status quo moves nothing: its transition cost is 0 and it has no row.
    assert_eq!(
        summary_mean(&summary, "status_quo", "transition_cost_usd"),
        Some("0")
    );
    let strategies = ["solo", "co_located", "pooled"];
    for (r, strategy) in strategies.iter().enumerate() {
        let row = r as u32 + 1;
        assert_eq!(
            sheet.get_value((row, 0)),
            Some(&Data::String((*strategy).into()))
        );
        for (c, (heading, metric)) in ONE_OFF_COLUMNS.iter().enumerate() {
            let mean: f64 = summary_mean(&summary, strategy, metric)
                .unwrap()
                .parse()
                .unwrap();
            assert_eq!(
                number(sheet.get_value((row, c as u32 + 1))),
                Some(mean),
                "{strategy}, {heading}"
            );
        }
    }
    assert!(is_blank(sheet.get_value((strategies.len() as u32 + 1, 0))));
    assert_eq!(
        number_format(&out, "xl/worksheets/sheet13.xml", "B2"),
        "#,##0",
        "one-off costs are money"
    );
}

#[test]
fn the_one_off_kinds_of_each_strategy_add_up_to_its_total_within_rounding() {
    let dir = tempfile::tempdir().unwrap();
    let replications = 20;
    let out = run_with_xlsx(dir.path(), &["run", "-n", &replications.to_string()]);
    let sheet = workbook(&out).worksheet_range("One-off costs").unwrap();
    let (header, rows) = read_csv(&out.join("replications.csv"));
    let kinds = ONE_OFF_COLUMNS.len() - 1;
    let kind_columns: Vec<usize> = ONE_OFF_COLUMNS[..kinds]
        .iter()
        .map(|(_, metric)| column(&header, metric))
        .collect();
    let strategy_column = column(&header, "strategy");

    for row in 1..=3 {
        let strategy = match sheet.get_value((row, 0)) {
            Some(Data::String(s)) => s.clone(),
            other => panic!("row {row}: {other:?}"),
        };
        let cells: Vec<f64> = (1..=ONE_OFF_COLUMNS.len() as u32)
            .map(|c| number(sheet.get_value((row, c))).unwrap())
            .collect();
        let (parts, total) = (&cells[..kinds], cells[kinds]);
        let sum: f64 = parts.iter().sum();

        // Each replication's total is the sum of its kinds, added in order;
        // the file's means are sums over the replications divided by their
        // number. Rounding each of these adds at most (terms - 1) units of
        // roundoff u = EPSILON / 2 of the sum of the terms' magnitudes, and
        // the division one more: twice (kinds - 1 + replications) u of the
        // mean magnitude of the parts, one side for the total and one for
        // the sum of the means. One more u per term covers the second-order
        // terms.
        let magnitude: f64 = rows
            .iter()
            .filter(|r| r[strategy_column] == strategy)
            .map(|r| {
                kind_columns
                    .iter()
                    .map(|&c| r[c].parse::<f64>().unwrap().abs())
                    .sum::<f64>()
            })
            .sum::<f64>()
            / replications as f64;
        let bound = (kinds + replications) as f64 * f64::EPSILON * magnitude;
        assert!(
            (sum - total).abs() <= bound,
            "{strategy}: the kinds add up to {sum}, the total is {total}, bound {bound}"
        );
        assert!(total > 0.0, "{strategy} moves work");
    }
}

#[test]
fn the_one_off_chart_stacks_each_kind_with_a_cost_by_strategy() {
    let dir = tempfile::tempdir().unwrap();
    let out = run_with_xlsx(dir.path(), &["run", "-n", "20"]);
    let sheet = workbook(&out).worksheet_range("One-off costs").unwrap();
    let charts = charts(&out);
    let chart = charts
        .iter()
        .find(|c| c.contains("<c:grouping val=\"stacked\"/>"))
        .expect("a stacked chart");
    assert!(chart.contains("<c:barChart>") && chart.contains("<c:barDir val=\"col\"/>"));

    // The kinds with a cost in some strategy; relocation has none in the
    // default scenario, whose staff do not move with the work.
    let summary = read_csv(&out.join("summary.csv"));
    let with_cost: Vec<&str> = ONE_OFF_COLUMNS[..ONE_OFF_COLUMNS.len() - 1]
        .iter()
        .filter(|(_, metric)| {
            ["solo", "co_located", "pooled"].iter().any(|s| {
                summary_mean(&summary, s, metric)
                    .unwrap()
                    .parse::<f64>()
                    .unwrap()
                    != 0.0
            })
        })
        .map(|(heading, _)| *heading)
        .collect();
    assert!(!with_cost.contains(&"Relocation (USD)"));

    let series = series(chart);
    let names: Vec<&Data> = series
        .iter()
        .map(|s| column_cells(&sheet, &s.name)[0].unwrap())
        .collect();
    let expected: Vec<Data> = with_cost
        .iter()
        .map(|h| Data::String((*h).into()))
        .collect();
    assert_eq!(names, expected.iter().collect::<Vec<_>>());
    for s in &series {
        for range in [&s.name, &s.categories, &s.values] {
            assert_eq!(range.sheet, "One-off costs");
        }
        assert_eq!((s.categories.first, s.categories.last), ((1, 0), (3, 0)));
        assert_eq!((s.values.first.0, s.values.last.0), (1, 3));
    }
}

#[test]
fn summary_numbers_are_formatted_by_the_unit_of_their_metric() {
    let dir = tempfile::tempdir().unwrap();
    let out = run_with_xlsx(dir.path(), &["run", "-n", "20"]);
    let (header, rows) = read_csv(&out.join("summary.csv"));
    let (mean, n) = (column(&header, "mean"), column(&header, "n"));
    let (strategy, metric_column) = (column(&header, "strategy"), column(&header, "metric"));
    let row_of = |metric: &str| {
        rows.iter()
            .position(|r| r[strategy] == "solo" && r[metric_column] == metric)
            .unwrap()
            + 1
    };
    // Summary is the second sheet.
    let sheet = "xl/worksheets/sheet2.xml";
    for (metric, column, format) in [
        ("npv_cost_usd", mean, "#,##0"),
        ("cost_per_transaction_usd", mean, "#,##0.00"),
        ("service_level", mean, "0.0%"),
        ("cheaper_than_status_quo", mean, "0.0%"),
        ("fte_total", mean, "0.0"),
        ("payback_years_from_decision", mean, "0.0"),
        ("payback_years_from_go_live", mean, "0.0"),
        // A mean of counts: two decimals, grouped (transactions run to
        // millions).
        ("bad_go_lives", mean, "#,##0.00"),
        ("transactions", mean, "#,##0.00"),
        ("npv_cost_usd", n, "#,##0"),
    ] {
        let cell = cell_name(row_of(metric), column);
        assert_eq!(
            number_format(&out, sheet, &cell),
            format,
            "{metric} {}",
            header[column]
        );
    }
    let sheet_xml = archive_file(&out, sheet);
    assert!(
        sheet_xml.contains("<pane ySplit=\"1\""),
        "header row frozen"
    );
    assert!(sheet_xml.contains("<autoFilter ref=\"A1:N"), "autofilter");
    assert!(sheet_xml.contains("<col "), "column widths fitted");
}

#[test]
fn explain_with_xlsx_adds_the_decomposition_sheet_and_a_bar_chart_of_the_parts() {
    let dir = tempfile::tempdir().unwrap();
    let out = run_with_xlsx(dir.path(), &["explain", "-n", "20"]);
    let mut book = workbook(&out);
    assert_eq!(book.sheet_names(), ["About", "Decomposition"]);
    let sheet = book.worksheet_range("Decomposition").unwrap();
    assert_sheet_is_csv(
        &sheet,
        &out.join("decomposition_summary.csv"),
        &["mechanism"],
    );

    let charts = charts(&out);
    assert_eq!(charts.len(), 1);
    assert!(charts[0].contains("<c:barChart>"));
    let series = series(&charts[0]);
    assert_eq!(series.len(), 1);
    let (header, rows) = read_csv(&out.join("decomposition_summary.csv"));
    let (mean, mechanism) = (column(&header, "mean"), column(&header, "mechanism"));
    let parts: Vec<&Vec<String>> = rows.iter().filter(|r| r[mechanism] != "total").collect();
    assert_eq!(parts.len(), 6, "five mechanisms and other");
    let names: Vec<String> = column_cells(&sheet, &series[0].categories)
        .into_iter()
        .map(|d| match d {
            Some(Data::String(s)) => s.clone(),
            other => panic!("category {other:?}"),
        })
        .collect();
    assert_eq!(
        names,
        parts
            .iter()
            .map(|r| r[mechanism].clone())
            .collect::<Vec<_>>()
    );
    let means: Vec<f64> = column_cells(&sheet, &series[0].values)
        .into_iter()
        .map(|d| number(d).unwrap())
        .collect();
    assert_eq!(
        means,
        parts
            .iter()
            .map(|r| r[mean].parse::<f64>().unwrap())
            .collect::<Vec<_>>()
    );
    assert_eq!(series[0].values.sheet, "Decomposition");
}

#[test]
fn pool_with_xlsx_adds_coalitions_and_allocation_sheets() {
    let dir = tempfile::tempdir().unwrap();
    let out = run_with_xlsx(dir.path(), &["pool", "-n", "3"]);
    let mut book = workbook(&out);
    assert_eq!(book.sheet_names(), ["About", "Coalitions", "Allocation"]);
    assert_sheet_is_csv(
        &book.worksheet_range("Coalitions").unwrap(),
        &out.join("coalitions.csv"),
        &["structure"],
    );
    assert_sheet_is_csv(
        &book.worksheet_range("Allocation").unwrap(),
        &out.join("allocation.csv"),
        &["method", "agency"],
    );
    assert!(charts(&out).is_empty());
}

#[test]
fn an_explain_with_force_into_a_run_folder_leaves_a_workbook_of_its_own_files_only() {
    let dir = tempfile::tempdir().unwrap();
    let out = run_with_xlsx(dir.path(), &["run", "-n", "5"]);
    assert_eq!(workbook(&out).sheet_names().len(), 13);
    // The run's sheets do not linger beside the explain's results.
    run_with_xlsx(dir.path(), &["explain", "-n", "5", "--force"]);
    assert_eq!(workbook(&out).sheet_names(), ["About", "Decomposition"]);
    assert_eq!(charts(&out).len(), 1);
}

/// Copies a fixture folder into a fresh temporary folder.
fn copy_fixture(name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(fixture(name)).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, dir.path().join(path.file_name().unwrap())).unwrap();
    }
    dir
}

#[test]
fn a_sensitivity_table_becomes_a_sheet_with_missing_values_blank_not_zero() {
    let dir = copy_fixture("xlsx-sensitivity");
    write_workbook(dir.path()).unwrap();
    let mut book = workbook(dir.path());
    assert_eq!(book.sheet_names(), ["About", "Sensitivity"]);
    let sheet = book.worksheet_range("Sensitivity").unwrap();
    let csv = dir.path().join("sensitivity.csv");
    assert_sheet_is_csv(&sheet, &csv, &["output", "strategy", "input"]);
    // Line 5 has no rank correlation and no outputs: four empty cells.
    for column in [3, 6, 7, 8] {
        assert!(is_blank(sheet.get_value((4, column))), "column {column}");
    }
    assert_eq!(
        number_format(dir.path(), "xl/worksheets/sheet2.xml", "I2"),
        "#,##0",
        "a swing of npv_savings_usd is money"
    );
    assert_eq!(
        number_format(dir.path(), "xl/worksheets/sheet2.xml", "D2"),
        "0.00"
    );
}

#[test]
fn a_centres_table_becomes_a_sheet_and_its_manifest_the_about_sheet() {
    let dir = copy_fixture("xlsx-centres");
    write_workbook(dir.path()).unwrap();
    let mut book = workbook(dir.path());
    assert_eq!(book.sheet_names(), ["About", "Centres"]);
    assert_sheet_is_csv(
        &book.worksheet_range("Centres").unwrap(),
        &dir.path().join("centres.csv"),
        &["strategy", "centre", "location", "agencies"],
    );
    let about = book.worksheet_range("About").unwrap();
    // A seed above 2^53 would lose digits as a number: it stays text.
    assert_eq!(about.get_value((5, 0)), Some(&Data::String("seed".into())));
    assert_eq!(
        about.get_value((5, 1)),
        Some(&Data::String("18446744073709551615".into()))
    );
    assert_eq!(number(about.get_value((6, 1))), Some(3.0));
}

#[test]
fn text_that_looks_like_a_formula_comes_back_as_plain_text_with_a_leading_quote() {
    let dir = tempfile::tempdir().unwrap();
    let injected = [
        "=HYPERLINK(\"http://example.com\",\"click\")",
        "+SUM(1,2)",
        "-2+3",
        "@A1",
        "2030",
    ];
    // Written down by hand: what each becomes in a text cell.
    let shown = [
        "'=HYPERLINK(\"http://example.com\",\"click\")",
        "'+SUM(1,2)",
        "'-2+3",
        "'@A1",
        "2030",
    ];
    let mut csv = String::from(
        "strategy,centre,location,agencies,transactions_per_year,running_cost_usd_per_year,cost_per_transaction_usd,fte\n",
    );
    for text in injected {
        let quoted = format!("\"{}\"", text.replace('"', "\"\""));
        csv.push_str(&format!(
            "{quoted},{quoted},{quoted},{quoted},1,{quoted},3,4\n"
        ));
    }
    std::fs::write(dir.path().join("centres.csv"), csv).unwrap();
    write_workbook(dir.path()).unwrap();

    let mut book = workbook(dir.path());
    let sheet = book.worksheet_range("Centres").unwrap();
    for (r, (text, shown)) in injected.iter().zip(shown).enumerate() {
        let row = r as u32 + 1;
        for column in [0, 1, 2, 3] {
            assert_eq!(
                sheet.get_value((row, column)),
                Some(&Data::String(shown.to_owned())),
                "text column {column}"
            );
        }
        // In a number column, only a number becomes a number.
        let expected = match text.parse::<f64>() {
            Ok(x) => Data::Float(x),
            Err(_) => Data::String(shown.to_owned()),
        };
        assert_eq!(sheet.get_value((row, 5)), Some(&expected));
    }
    let formulas = book.worksheet_formula("Centres").unwrap();
    assert!(formulas.used_cells().all(|(_, _, f)| f.is_empty()));
    assert!(!archive_file(dir.path(), "xl/worksheets/sheet2.xml").contains("<f>"));
}

#[test]
fn xlsx_without_out_is_an_argument_error_naming_out() {
    for command in [["run"], ["explain"], ["pool"]] {
        sscsim()
            .args(command)
            .args(["-n", "2", "--xlsx"])
            .assert()
            .code(2)
            .stderr(predicate::str::contains("--out <DIR>"))
            .stdout(predicate::str::is_empty());
    }
}

#[test]
fn a_malformed_csv_is_an_error_naming_the_file_and_leaves_no_workbook() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("results.xlsx"), "from an earlier run").unwrap();
    std::fs::write(
        dir.path().join("summary.csv"),
        "strategy,metric,mean\nsolo,npv_cost_usd,1\nsolo,fte_total\n",
    )
    .unwrap();
    let message = format!("{:#}", write_workbook(dir.path()).unwrap_err());
    assert!(message.contains("summary.csv"), "{message}");
    assert!(message.contains("line: 3"), "{message}");
    assert!(!dir.path().join("results.xlsx").exists());
    let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(left.len(), 1, "only summary.csv: no temporary file left");
}

#[test]
fn the_same_folder_gives_the_same_workbook_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let out = run_with_xlsx(dir.path(), &["run", "-n", "5"]);
    let first = std::fs::read(out.join("results.xlsx")).unwrap();
    write_workbook(&out).unwrap();
    assert_eq!(std::fs::read(out.join("results.xlsx")).unwrap(), first);
}

/// A summary whose cells a unit's format would show wrongly: a probability
/// of 0.9996 as 100.0% at `0.0%`, one of 0.0002 as 0.0%, −0.3 dollars as
/// `-0` at `#,##0`, and −0.0 as `-0`.
#[test]
fn no_cell_shows_minus_zero_or_rounds_a_probability_to_certainty() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        fixture("xlsx-centres").join("manifest.toml"),
        dir.path().join("manifest.toml"),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("summary.csv"),
        "strategy,metric,mean,sd,se,p05,p50,p95,min,max,n,p05_se,p50_se,p95_se\n\
         solo,cheaper_than_status_quo,0.9996,0.02,0.0006,1,1,1,0,1,2500,0,0,0\n\
         solo,paid_back,0.0002,0.014,0.0003,0,0,0,0,1,5000,0,0,0\n\
         solo,npv_savings_usd,-0.3,-0.0,0,-0.0,1234.4,0.5,-1e-13,2,10,0,0,0\n",
    )
    .unwrap();
    write_workbook(dir.path()).unwrap();
    let mut book = workbook(dir.path());
    let sheet = book.worksheet_range("Summary").unwrap();
    // −0.0 comes back as a plain zero: its sign bit is gone.
    for (row, column) in [(3, 3), (3, 5)] {
        let x = number(sheet.get_value((row, column))).unwrap();
        assert!(x == 0.0 && x.is_sign_positive(), "({row}, {column}): {x}");
    }
    // Every other value is the CSV's, exactly.
    assert_eq!(number(sheet.get_value((1, 2))), Some(0.9996));
    assert_eq!(number(sheet.get_value((3, 2))), Some(-0.3));
    let format = |cell: &str| number_format(dir.path(), "xl/worksheets/sheet2.xml", cell);
    // 99.96% and 0.02% need two decimals of a per cent.
    assert_eq!(format("C2"), "0.00%");
    assert_eq!(format("C3"), "0.00%");
    // A probability of exactly 1 or 0 keeps the unit's format.
    assert_eq!(format("F2"), "0.0%");
    assert_eq!(format("F3"), "0.0%");
    // −0.3 dollars shows as -0.3; 1 234.4 as 1,234; −10⁻¹³ (noise beyond
    // eight decimals) in the general format, which shows -1E-13.
    assert_eq!(format("C4"), "#,##0.0");
    assert_eq!(format("G4"), "#,##0");
    assert_eq!(format("I4"), "General");
}

/// `sscsim batch --xlsx`: in the Comparison sheet, `partial` (text) follows
/// `replications` (a count, right-aligned). Left-aligned, `false` touched
/// the count and read "100false"; centred, it stands apart, and so does any
/// text column that follows a number.
#[test]
fn a_text_column_after_a_number_column_is_centred() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("batch");
    sscsim()
        .args(["batch", "-q", "-n", "3", "--xlsx", "-o"])
        .arg(&out)
        .arg(fixture("hand-computed.toml"))
        .assert()
        .success();
    let (header, _) = read_csv(&out.join("comparison.csv"));
    let sheet_xml = "xl/worksheets/sheet2.xml";
    assert!(
        archive_file(&out, "xl/workbook.xml").contains("<sheet name=\"Comparison\" sheetId=\"2\"")
    );
    let centred = |name: &str| {
        let cell = cell_name(1, column(&header, name));
        cell_style(&out, sheet_xml, &cell)
            .0
            .contains("horizontal=\"center\"")
    };
    assert!(centred("partial"));
    // The text columns that start a row, and the numbers, keep their alignment.
    assert!(!centred("scenario") && !centred("metric") && !centred("replications"));
}

/// The price of a GS staff-year in Budapest, a number every bundled
/// comparison hangs on.
const GS_COST: &str = "location.budapest.annual_cost_usd_per_fte.GS";

#[test]
fn global_sensitivity_becomes_a_sheet_equal_to_its_csv() {
    let dir = tempfile::tempdir().unwrap();
    let out = run_with_xlsx(dir.path(), &["run", "-n", "40", "--global-sensitivity=16"]);
    let mut book = workbook(&out);
    let names = book.sheet_names();
    let at = |name: &str| names.iter().position(|n| n == name).unwrap();
    // After the value of information, before the centres.
    assert_eq!(at("Global sensitivity"), at("Value of information") + 1);
    let (header, _) = read_csv(&out.join("global_sensitivity.csv"));
    assert!(
        header
            .iter()
            .any(|h| h == "total_order" || h == "shapley_effect")
    );
    assert_sheet_is_csv(
        &book.worksheet_range("Global sensitivity").unwrap(),
        &out.join("global_sensitivity.csv"),
        &[
            "output",
            "strategy",
            "input",
            "input_label",
            "first_order_converged",
            "total_order_converged",
            "shapley_effect_converged",
        ],
    );
}

#[test]
fn a_sweeps_folder_gets_a_sweep_sheet_equal_to_sweep_csv() {
    let dir = tempfile::tempdir().unwrap();
    let vary = format!("{GS_COST}=20000..40000");
    let out = run_with_xlsx(
        dir.path(),
        &["sweep", "--vary", &vary, "--steps", "2", "-n", "6"],
    );
    let mut book = workbook(&out);
    assert_eq!(book.sheet_names(), ["About", "Sweep"]);
    assert_sheet_is_csv(
        &book.worksheet_range("Sweep").unwrap(),
        &out.join("sweep.csv"),
        &["key", "strategy", "metric"],
    );
}

#[test]
fn a_breakeven_folder_gets_the_crossing_and_the_evaluated_points_as_sheets() {
    let dir = tempfile::tempdir().unwrap();
    let vary = format!("{GS_COST}=20000..200000");
    let out = run_with_xlsx(dir.path(), &["breakeven", "--vary", &vary, "-n", "6"]);
    let mut book = workbook(&out);
    assert_eq!(
        book.sheet_names(),
        ["About", "Break-even", "Break-even points"]
    );
    assert_sheet_is_csv(
        &book.worksheet_range("Break-even").unwrap(),
        &out.join("breakeven.csv"),
        &["key", "strategy", "versus", "finding"],
    );
    assert_sheet_is_csv(
        &book.worksheet_range("Break-even points").unwrap(),
        &out.join("breakeven_points.csv"),
        &["key", "strategy", "versus"],
    );
    // One point per evaluation the search counted, in increasing value.
    let (header, rows) = read_csv(&out.join("breakeven.csv"));
    assert_eq!(rows.len(), 1);
    let evaluations: usize = rows[0][column(&header, "evaluations")].parse().unwrap();
    let (header, rows) = read_csv(&out.join("breakeven_points.csv"));
    let values: Vec<f64> = rows
        .iter()
        .map(|r| r[column(&header, "value")].parse().unwrap())
        .collect();
    assert_eq!(values.len(), evaluations);
    assert!(values.windows(2).all(|w| w[0] < w[1]), "{values:?}");
    assert_eq!((values[0], values[values.len() - 1]), (20000.0, 200000.0));
}
