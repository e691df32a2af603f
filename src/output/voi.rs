//! `voi.csv`: the value of information about the scenario's inputs, one
//! row for every input at once (`all`, the EVPI), then each group and
//! input by decreasing EVPPI (see [`crate::voi`]).

use std::io::Write;

use super::cell::{optional_number, write_table};
use crate::format::usd_millions;
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
/// EVPPI — or that none is distinguishable from zero. Amounts in USD
/// millions, each with its standard error.
pub(crate) fn voi_line(voi: &Voi) -> String {
    let with_se = |e: Estimate| {
        format!(
            "USD {} ± {} million",
            usd_millions(e.value_usd),
            usd_millions(e.se_usd)
        )
    };
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
    let mut line = format!(
        "Value of information ({over}; ± one standard error): knowing every uncertain input before choosing is worth {} (EVPI)",
        with_se(evpi)
    );
    match voi.most_worth_resolving() {
        Some(row) => {
            let e = row
                .estimate
                .expect("the row most worth resolving has an estimate");
            line += &format!(
                "; most worth resolving: {} (`{}`), {} (EVPPI).\n",
                row.subject.label,
                row.subject.name,
                with_se(e)
            );
        }
        None => {
            line += "; no input or group of inputs has an EVPPI distinguishable from zero (more than two standard errors).\n"
        }
    }
    line
}
