//! `voi.csv`: the value of information about the scenario's inputs, one
//! row for every input at once (`all`, the EVPI), then each group and
//! input by decreasing EVPPI (see [`crate::voi`]).

use std::io::Write;

use super::cell::{optional_number, write_table};
use crate::format::decimal;
use crate::results::CsvDialect;
use crate::results::columns::VOI_HEADER;
use crate::voi::{Estimate, Voi};

/// Writes `voi.csv`: per row, the input's id or the group's name, its
/// kind, its label, the EVPPI and its standard error (USD, empty when the
/// replications are too few for its fit), its share of the EVPI, its
/// number of inputs and the replications the estimates use.
///
/// # Errors
/// When writing fails.
pub(crate) fn write_voi<W: Write>(out: W, dialect: CsvDialect, voi: &Voi) -> csv::Result<W> {
    let evpi = voi.evpi().map(|e| e.value_usd).filter(|v| *v > 0.0);
    let rows = voi.rows.iter().map(|row| {
        let value = row.estimate.map(|e| e.value_usd);
        let share = value.zip(evpi).map(|(v, evpi)| v / evpi);
        [
            row.subject.name.clone(),
            row.subject.kind.name().to_owned(),
            row.subject.label.clone(),
            optional_number(value),
            optional_number(row.estimate.map(|e| e.se_usd)),
            optional_number(share),
            row.subject.inputs.len().to_string(),
            voi.replications.to_string(),
        ]
    });
    write_table(out, dialect, &VOI_HEADER, rows)
}

/// The printed summary's line on the value of information: the EVPI, and
/// which group or input is most worth resolving before choosing, with its
/// EVPPI — or that none is distinguishable from zero. Amounts in whole
/// USD, each with its standard error.
pub(crate) fn voi_line(voi: &Voi) -> String {
    let with_se =
        |e: Estimate| format!("USD {} ± {}", decimal(e.value_usd, 0), decimal(e.se_usd, 0));
    let over = if voi.run_replications > voi.replications as u64 {
        format!(
            "the first {} of {} replications",
            voi.replications, voi.run_replications
        )
    } else {
        format!("{} replications", voi.replications)
    };
    let Some(evpi) = voi.evpi() else {
        return format!("Value of information ({over}): not estimated.\n");
    };
    // Short lines: the printed tables fit 80 columns, and ids and labels
    // may be long.
    let mut text = format!(
        "Value of information ({over}; ± one standard error):\n  \
         knowing every uncertain input first is worth {} (EVPI)\n",
        with_se(evpi)
    );
    match voi.most_worth_resolving() {
        Some(row) => {
            let e = row
                .estimate
                .expect("the row most worth resolving has an estimate");
            text += &format!(
                "  most worth resolving, {} (EVPPI):\n    {}\n    {}\n",
                with_se(e),
                row.subject.name,
                row.subject.label
            );
        }
        None => text += "  no input or group has an EVPPI more than two standard errors above 0\n",
    }
    text
}
