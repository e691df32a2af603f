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
///
/// # Examples
/// ```
/// use sscsim::output::cell::neutralised;
/// assert_eq!(neutralised("=1+1"), "'=1+1");
/// assert_eq!(neutralised("@SUM(A1)"), "'@SUM(A1)");
/// assert_eq!(neutralised("-1.5"), "-1.5");
/// assert_eq!(neutralised("solo"), "solo");
/// ```
pub fn neutralised(field: &str) -> Cow<'_, str> {
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
pub fn write_row<W: Write, T: AsRef<str>>(
    writer: &mut csv::Writer<W>,
    fields: impl IntoIterator<Item = T>,
) -> csv::Result<()> {
    for field in fields {
        writer.write_field(neutralised(field.as_ref()).as_bytes())?;
    }
    writer.write_record(None::<&[u8]>)
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
    fn rows_are_written_with_every_field_neutralised() {
        let mut writer = csv::Writer::from_writer(Vec::new());
        write_row(&mut writer, ["=cmd", "-3", "x"]).unwrap();
        write_row(&mut writer, ["@y", "+", "\tz"]).unwrap();
        let text = String::from_utf8(writer.into_inner().unwrap()).unwrap();
        assert_eq!(text, "'=cmd,-3,x\n'@y,'+,'\tz\n");
    }
}
