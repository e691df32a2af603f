//! Text cells that a spreadsheet cannot mistake for a formula.
//!
//! Spreadsheets evaluate a cell that starts with `=`, `+`, `-` or `@` (and
//! some strip a leading tab or carriage return first), so a scenario or
//! file named `=HYPERLINK(…)` could run when a user opens a result file
//! (CSV injection; OWASP's advice is followed here). Every text cell sscsim
//! writes to a CSV file or a workbook goes through [`neutralised`], which
//! puts a `'` in front of such text. Numbers, negative ones included, are
//! left alone: they are not text.

use std::borrow::Cow;
use std::io::Write;

/// The first characters that make a spreadsheet read a cell as a formula.
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// `field` as a safe cell: unchanged unless it is text that starts with a
/// formula character, which then gets a leading `'`. A finite number
/// (such as `-1.5`) is not text and stays as written.
pub(crate) fn neutralised(field: &str) -> Cow<'_, str> {
    let risky = field.starts_with(FORMULA_STARTS);
    if risky && !field.parse::<f64>().is_ok_and(f64::is_finite) {
        Cow::Owned(format!("'{field}"))
    } else {
        Cow::Borrowed(field)
    }
}

/// Writes one CSV record, each field [`neutralised`].
///
/// # Errors
/// When writing fails.
pub(crate) fn write_row<W: Write, T: AsRef<str>>(
    writer: &mut csv::Writer<W>,
    fields: impl IntoIterator<Item = T>,
) -> csv::Result<()> {
    for field in fields {
        writer.write_field(neutralised(field.as_ref()).as_bytes())?;
    }
    writer.write_record(None::<&[u8]>)
}

/// Writes a whole CSV file to `out`: `header`, then `rows`, every field
/// [`neutralised`]; returns `out`, flushed.
///
/// # Errors
/// When writing fails.
pub(crate) fn write_table<W: Write, R: IntoIterator<Item = impl AsRef<str>>>(
    out: W,
    header: &[&str],
    rows: impl IntoIterator<Item = R>,
) -> csv::Result<W> {
    let mut writer = csv::Writer::from_writer(out);
    write_row(&mut writer, header)?;
    for row in rows {
        write_row(&mut writer, row)?;
    }
    writer.into_inner().map_err(|e| e.into_error().into())
}

/// A number as a cell: plain decimal (Rust's shortest round-trip form), or
/// an empty cell when there is no value.
pub(crate) fn optional_number(value: Option<f64>) -> String {
    value.map_or_else(String::new, |v| v.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_formula_start_is_neutralised_and_numbers_are_not() {
        for text in [
            "=A1", "+A1", "-A1", "@A1", "\tA1", "\rA1", "-inf", "+NaN", "-",
        ] {
            assert_eq!(neutralised(text), format!("'{text}"), "{text:?}");
        }
        for text in ["-1.5", "+2", "-0", "1e-3", "solo", "'=A1", "", "a=b"] {
            assert_eq!(neutralised(text), text, "{text:?}");
        }
    }

    #[test]
    fn a_formula_gets_a_quote_and_a_number_or_name_does_not() {
        assert_eq!(neutralised("=1+1"), "'=1+1");
        assert_eq!(neutralised("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(neutralised("-1.5"), "-1.5");
        assert_eq!(neutralised("solo"), "solo");
    }

    #[test]
    fn rows_are_written_with_every_field_neutralised() {
        let mut writer = csv::Writer::from_writer(Vec::new());
        write_row(&mut writer, ["=cmd", "-3", "x"]).unwrap();
        write_row(&mut writer, ["@y", "+", "\tz"]).unwrap();
        let text = String::from_utf8(writer.into_inner().unwrap()).unwrap();
        assert_eq!(text, "'=cmd,-3,x\n'@y,'+,'\tz\n");
    }

    #[test]
    fn a_table_is_its_header_then_its_rows_neutralised() {
        let rows = [["=a", "1"], ["b", "-2"]];
        let bytes = write_table(Vec::new(), &["name", "value"], rows).unwrap();
        assert_eq!(
            String::from_utf8(bytes).unwrap(),
            "name,value\n'=a,1\nb,-2\n"
        );
    }

    #[test]
    fn a_missing_number_is_an_empty_cell() {
        assert_eq!(optional_number(None), "");
        assert_eq!(optional_number(Some(-0.25)), "-0.25");
    }
}
