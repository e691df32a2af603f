//! The productivity table, from `lines.csv`: per strategy and service
//! line, the figures benchmark studies of shared-service centres publish
//! (transactions per FTE-year, utilisation, service level, backlog; for
//! contact lines the average speed of answer and the abandon share), so a
//! reader can hold the model's centres against them.

use maud::{Markup, html};

use super::chart::Palette;
use super::files::{LineRow, ResultFiles};
use super::format::{compact_or_dash, decimal_or_dash, percent_or_dash};
use super::section::{Body, Section, WRITTEN_BY_RUN, headings, number_cells};
use crate::results::ResultFile;

/// The productivity section.
pub(crate) fn section(files: &ResultFiles, palette: &Palette) -> Section {
    let body = match &files.lines {
        None => Body::no_file(ResultFile::Lines, WRITTEN_BY_RUN),
        Some(rows) if rows.is_empty() => {
            Body::Absent(format!("{} has no line.", ResultFile::Lines.name()))
        }
        Some(rows) => Body::Shown(table(rows, palette)),
    };
    Section {
        id: "productivity",
        title: "Productivity by service line".into(),
        sources: ResultFile::Lines.name(),
        body,
    }
}

fn table(rows: &[LineRow], palette: &Palette) -> Markup {
    let contact = rows
        .iter()
        .any(|r| r.average_speed_of_answer_seconds.is_some() || r.abandon_share.is_some());
    let mut numbers = vec![
        "FTE",
        "Transactions per FTE-year",
        "Utilisation",
        "Service level",
        "Backlog probability",
        "Mean backlog",
    ];
    if contact {
        numbers.extend(["ASA, s", "Abandoned"]);
    }
    html! {
        table.productivity {
            caption { "Each strategy's service lines in the horizon's last year (means over replications)" }
            thead { tr { (headings(&["Strategy", "Service line"], &numbers)) } }
            tbody {
                @for r in rows {
                    tr {
                        (palette.row_heading(&r.strategy))
                        td { code { (r.service_line) } }
                        (number_cells(&cells(r, contact)))
                    }
                }
            }
        }
        p.note {
            "Utilisation is the work completed over what the staff could have completed; the "
            "service level the share completed on time (contacts: answered within the target); "
            "the backlog probability the share of working days that ended with work waiting, and "
            "the mean backlog the transactions waiting at the end of a day."
            @if contact {
                " For contact lines, ASA (average speed of answer) is the mean wait of the calls "
                "answered and “abandoned” the share of calls that hung up first, from the Erlang "
                "model at the desk's staffing; queue lines have neither (–)."
            }
        }
    }
}

/// A row's number cells; the contact columns when the table has them.
fn cells(r: &LineRow, contact: bool) -> Vec<String> {
    let mut cells = vec![
        decimal_or_dash(r.fte, 1),
        decimal_or_dash(r.transactions_per_fte_year, 0),
        percent_or_dash(r.utilisation_share),
        percent_or_dash(r.service_level),
        percent_or_dash(r.backlog_probability),
        compact_or_dash(r.mean_backlog_transactions),
    ];
    if contact {
        cells.push(decimal_or_dash(r.average_speed_of_answer_seconds, 1));
        cells.push(percent_or_dash(r.abandon_share));
    }
    cells
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(asa: Option<f64>) -> LineRow {
        LineRow {
            strategy: "solo".into(),
            service_line: "desk".into(),
            fte: Some(12.345),
            transactions_per_year: Some(60_000.0),
            transactions_per_fte_year: Some(4860.2),
            utilisation_share: None,
            service_level: Some(0.8),
            backlog_probability: Some(0.0),
            mean_backlog_transactions: Some(0.0),
            average_speed_of_answer_seconds: asa,
            abandon_share: asa.map(|_| 0.05),
        }
    }

    #[test]
    fn contact_columns_appear_only_when_a_line_has_them() {
        assert_eq!(
            cells(&row(Some(12.34)), true),
            ["12.3", "4,860", "–", "80.0%", "0.0%", "0", "12.3", "5.0%"]
        );
        assert_eq!(cells(&row(None), false).len(), 6);
        let palette = Palette::new(vec!["solo".into()]);
        let html = table(&[row(None)], &palette).into_string();
        assert!(!html.contains("ASA"), "{html}");
        let html = table(&[row(Some(1.0))], &palette).into_string();
        assert!(html.contains("ASA, s"), "{html}");
    }
}
