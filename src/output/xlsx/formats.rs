//! How numbers look in the workbook. Cells keep the exact values of the CSV
//! files; a number format only changes what a spreadsheet shows. The unit of
//! a column comes from its name (units are in sscsim's names), or, in the
//! tidy tables, from the metric the row is about.

use rust_xlsxwriter::Format;

use crate::metrics::{Metric, Quantity};

/// What a number measures, which decides how it is shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Unit {
    /// Money, whole dollars: `#,##0`.
    Usd,
    /// Money per transaction, which is tens of dollars: `#,##0.00`.
    UsdPerItem,
    /// A share or probability: `0.0%`.
    Share,
    /// Full-time equivalents: `0.0`.
    Fte,
    /// Years: `0.0`.
    Years,
    /// A count, or a number that is whole by nature (rank, year, n): `#,##0`.
    Count,
    /// A mean (or spread) of counts, which is not whole: `0.00`.
    AverageCount,
    /// A correlation coefficient: `0.00`.
    Correlation,
    /// Anything else: the spreadsheet's general format.
    Plain,
}

impl Unit {
    const ALL: [Unit; 9] = [
        Unit::Usd,
        Unit::UsdPerItem,
        Unit::Share,
        Unit::Fte,
        Unit::Years,
        Unit::Count,
        Unit::AverageCount,
        Unit::Correlation,
        Unit::Plain,
    ];

    /// The Excel number format, or `None` for the general format.
    pub(crate) fn num_format(self) -> Option<&'static str> {
        match self {
            Unit::Usd | Unit::Count => Some("#,##0"),
            Unit::UsdPerItem => Some("#,##0.00"),
            Unit::Share => Some("0.0%"),
            Unit::Fte | Unit::Years => Some("0.0"),
            Unit::AverageCount | Unit::Correlation => Some("0.00"),
            Unit::Plain => None,
        }
    }

    /// The unit of a mean, standard deviation or difference of values of
    /// this unit: counts stop being whole, the others keep their unit.
    pub(crate) fn averaged(self) -> Unit {
        match self {
            Unit::Count => Unit::AverageCount,
            unit => unit,
        }
    }
}

/// The unit of a metric or column, from its name: a metric's from its
/// quantity in the registry (`Metric::quantity`); another column's from its
/// name, as sscsim puts units in names (`_usd`, `fte_`, `_years`), and the
/// rest are listed here.
pub(crate) fn unit_of(name: &str) -> Unit {
    if let Some(metric) = Metric::named(name) {
        return unit_of_quantity(metric.quantity());
    }
    match name {
        "cost_per_transaction_usd" => Unit::UsdPerItem,
        "service_level"
        | "cheaper_than_status_quo"
        | "pooled_cheaper"
        | "paid_back"
        | "better_off"
        | "in_core"
        | "share_of_cost"
        | "share_of_gap" => Unit::Share,
        "transactions"
        | "transactions_per_year"
        | "bad_go_lives"
        | "n"
        | "rank"
        | "centres"
        | "year" => Unit::Count,
        "fte" => Unit::Fte,
        n if n.starts_with("prob_") => Unit::Share,
        n if n.starts_with("fte_") => Unit::Fte,
        n if n.ends_with("_usd") || n.contains("_usd_") => Unit::Usd,
        n if n.ends_with("_years") => Unit::Years,
        _ => Unit::Plain,
    }
}

/// The unit a metric's quantity is shown in.
fn unit_of_quantity(quantity: Quantity) -> Unit {
    match quantity {
        Quantity::Usd => Unit::Usd,
        Quantity::UsdPerItem => Unit::UsdPerItem,
        Quantity::Indicator | Quantity::Share => Unit::Share,
        Quantity::Count | Quantity::WholeCount => Unit::Count,
        Quantity::Fte => Unit::Fte,
        Quantity::Years => Unit::Years,
    }
}

/// The formats of one workbook, made once.
pub(crate) struct Formats {
    /// Column headings.
    pub(crate) header: Format,
    numbers: Vec<(Unit, Format)>,
}

impl Formats {
    /// Bold headings and one number format per unit.
    pub(crate) fn new() -> Formats {
        Formats {
            header: Format::new().set_bold(),
            numbers: Unit::ALL
                .into_iter()
                .filter_map(|u| Some((u, Format::new().set_num_format(u.num_format()?))))
                .collect(),
        }
    }

    /// The number format of `unit`, or `None` for the general format.
    pub(crate) fn number(&self, unit: Unit) -> Option<&Format> {
        self.numbers
            .iter()
            .find(|(u, _)| *u == unit)
            .map(|(_, f)| f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_reported_metric_has_the_unit_its_name_and_the_readme_give() {
        for metric in Metric::ALL {
            let name = metric.name();
            let expected = match name {
                "cost_per_transaction_usd" => Unit::UsdPerItem,
                "cheaper_than_status_quo" | "pooled_cheaper" | "paid_back" | "service_level" => {
                    Unit::Share
                }
                "payback_years_from_decision" | "payback_years_from_go_live" => Unit::Years,
                "bad_go_lives" | "transactions" => Unit::Count,
                n if n.starts_with("fte_") => Unit::Fte,
                n if n.ends_with("_usd") => Unit::Usd,
                other => panic!("metric {other} has no unit in this test"),
            };
            assert_eq!(unit_of(name), expected, "{name}");
        }
    }

    #[test]
    fn columns_of_the_other_tables_get_their_units() {
        for (name, unit) in [
            ("running_cost_usd_per_year", Unit::Usd),
            ("transactions_per_year", Unit::Count),
            ("fte", Unit::Fte),
            ("prob_beats_next", Unit::Share),
            ("share_of_cost", Unit::Share),
            ("saving_vs_solo_usd", Unit::Usd),
            ("annual_cost_usd", Unit::Usd),
            ("share_p05", Unit::Plain),
            ("input_p10", Unit::Plain),
        ] {
            assert_eq!(unit_of(name), unit, "{name}");
        }
    }

    #[test]
    fn every_unit_but_plain_has_a_format() {
        let formats = Formats::new();
        for unit in Unit::ALL {
            assert_eq!(
                formats.number(unit).is_some(),
                unit != Unit::Plain,
                "{unit:?}"
            );
        }
    }
}
