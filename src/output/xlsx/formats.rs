//! How numbers look in the workbook. Cells keep the exact values of the CSV
//! files; a number format only changes what a spreadsheet shows. The unit of
//! a column comes from its name (units are in sscsim's names), or, in the
//! tidy tables, from the metric the row is about.
//!
//! A unit's format has a fixed number of decimals, which would show some
//! values as what they are not: `−0.3` dollars as `-0`, a probability of
//! 0.9996 as `100.0%` (certainty), 0.0002 as `0.0%` (impossibility). Such
//! a cell gets the same format with just enough more decimals to show it
//! as neither (a positive amount shown as `0` is only rounded, and keeps
//! the unit's format) ([`Formats::for_value`]); the cell keeps its exact value, and
//! stays a number a spreadsheet can sort and sum (a text cell such as
//! `>99%`, as the printed tables show, could not). `−0.0` is written as 0.

use std::borrow::Cow;

use rust_xlsxwriter::{Format, FormatAlign};

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
            // A mean of counts runs to millions (transactions): grouped.
            Unit::AverageCount => Some("#,##0.00"),
            Unit::Correlation => Some("0.00"),
            Unit::Plain => None,
        }
    }

    /// The shape of the format: thousands grouped, decimals, per cent;
    /// `None` for the general format.
    fn shape(self) -> Option<(bool, u32, bool)> {
        match self {
            Unit::Usd | Unit::Count => Some((true, 0, false)),
            Unit::UsdPerItem => Some((true, 2, false)),
            Unit::Share => Some((false, 1, true)),
            Unit::Fte | Unit::Years => Some((false, 1, false)),
            Unit::AverageCount => Some((true, 2, false)),
            Unit::Correlation => Some((false, 2, false)),
            Unit::Plain => None,
        }
    }

    /// The decimals `x` needs, from this unit's own, to be shown neither as
    /// `-0` when it is negative, nor, for a share, as `0.0%` when it is not
    /// zero or as `100.0%` when it is below 1 (a positive amount shown as
    /// `0` is only rounded, and keeps its format); `None` for the general format: the
    /// unit has none, or more than [`MAX_DECIMALS`] would be needed (float
    /// noise next to zero, which the general format shows in scientific
    /// notation, as `-1E-13`, not as `-0`).
    fn decimals_for(self, x: f64) -> Option<u32> {
        let (_, decimals, percent) = self.shape()?;
        let shown = if percent { 100.0 * x } else { x };
        let misleads = |d: u32| {
            let scale = 10f64.powi(d as i32);
            let rounded = (shown * scale).round() / scale;
            let hides_sign_or_chance = x < 0.0 || percent;
            (rounded == 0.0 && x != 0.0 && hides_sign_or_chance)
                || (percent && x < 1.0 && rounded >= 100.0)
        };
        (decimals..=MAX_DECIMALS).find(|&d| !misleads(d))
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

/// The most decimals a number format is given to show a value as neither
/// zero nor certainty ([`Unit::decimals_for`]): a probability estimated
/// from a billion replications differs from 0 or 1 by at least 10⁻⁹, which
/// 8 decimals of a per cent show.
const MAX_DECIMALS: u32 = 8;

/// An Excel number format code of a shape ([`Unit::shape`]).
fn format_code(grouped: bool, decimals: u32, percent: bool) -> String {
    let whole = if grouped { "#,##0" } else { "0" };
    let fraction = if decimals == 0 {
        String::new()
    } else {
        format!(".{}", "0".repeat(decimals as usize))
    };
    format!("{whole}{fraction}{}", if percent { "%" } else { "" })
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
    /// Text beside a number on its left ([`super::sheet::table_sheet`]).
    pub(crate) centred_text: Format,
    numbers: Vec<(Unit, Format)>,
}

impl Formats {
    /// Bold headings and one number format per unit.
    pub(crate) fn new() -> Formats {
        Formats {
            header: Format::new().set_bold(),
            centred_text: Format::new().set_align(FormatAlign::Center),
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

    /// The number format of the value `x` of `unit`, or `None` for the
    /// general format: the unit's own, or the same with more decimals when
    /// the unit's would show `x` as zero or as certainty (see the module's
    /// doc).
    pub(crate) fn for_value(&self, unit: Unit, x: f64) -> Option<Cow<'_, Format>> {
        let (grouped, decimals, percent) = unit.shape()?;
        match unit.decimals_for(x)? {
            d if d == decimals => self.number(unit).map(Cow::Borrowed),
            d => Some(Cow::Owned(
                Format::new().set_num_format(format_code(grouped, d, percent)),
            )),
        }
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
    fn every_shape_writes_its_units_format() {
        for unit in Unit::ALL {
            let (grouped, decimals, percent) = match unit.shape() {
                Some(shape) => shape,
                None => continue,
            };
            assert_eq!(
                Some(format_code(grouped, decimals, percent).as_str()),
                unit.num_format(),
                "{unit:?}"
            );
        }
    }

    #[test]
    fn a_value_gets_just_enough_decimals_to_be_neither_zero_nor_certainty() {
        for (unit, x, expected) in [
            // 0.9996 → 99.96%: 100.0% at one decimal, 99.96% at two.
            (Unit::Share, 0.9996, Some(2)),
            // 0.0002 → 0.02%: 0.0% at one decimal.
            (Unit::Share, 0.0002, Some(2)),
            // 1 − 10⁻⁷ = 99.99999%: five decimals of a per cent.
            (Unit::Share, 1.0 - 1e-7, Some(5)),
            (Unit::Share, 0.5, Some(1)),
            (Unit::Share, 1.0, Some(1)),
            (Unit::Share, 0.0, Some(1)),
            // −0.3 dollars would show as -0 at no decimals; -0.3 at one.
            (Unit::Usd, -0.3, Some(1)),
            // −0.004 dollars per item: -0.00 at two decimals, -0.004 at
            // three; +0.004 is only rounded, to 0.00.
            (Unit::UsdPerItem, -0.004, Some(3)),
            (Unit::UsdPerItem, 0.004, Some(2)),
            // Positive float noise in FTE stays 0.0, not 3.4E-16.
            (Unit::Fte, 3.4e-16, Some(1)),
            (Unit::Usd, 1234.4, Some(0)),
            // Float noise beyond eight decimals: the general format.
            (Unit::Usd, -1e-13, None),
            (Unit::Plain, 0.5, None),
        ] {
            assert_eq!(unit.decimals_for(x), expected, "{unit:?} {x}");
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
