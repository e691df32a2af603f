//! Text cells that a spreadsheet cannot mistake for a formula.
//!
//! Spreadsheets evaluate a cell that starts with `=`, `+`, `-` or `@` (and
//! some strip a leading tab or carriage return first), so a scenario or
//! file named `=HYPERLINK(…)` could run when a user opens a result file
//! (CSV injection; OWASP's advice is followed here). Every text cell sscsim
//! writes to a CSV file or a workbook goes through [`neutralised`], which
//! puts a `'` in front of such text. Numbers, negative ones included, are
//! left alone: they are not text.
//!
//! [`CsvWriter`] writes a file in the folder's [`CsvDialect`]: the tidy
//! default, or `;` and decimal commas for spreadsheets. Writers build
//! every cell in its tidy form; the dialect is applied here alone.

use std::borrow::Cow;
use std::io::Write;

use crate::results::CsvDialect;

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

/// A CSV file being written in a dialect, every field [`neutralised`].
pub(crate) struct CsvWriter<W: Write> {
    writer: csv::Writer<W>,
    dialect: CsvDialect,
}

impl<W: Write> CsvWriter<W> {
    /// Starts a file in `out`: the dialect's preamble, then `header`.
    ///
    /// # Errors
    /// When writing fails.
    pub(crate) fn new(mut out: W, dialect: CsvDialect, header: &[&str]) -> csv::Result<Self> {
        out.write_all(dialect.preamble())?;
        let writer = csv::WriterBuilder::new()
            .delimiter(dialect.delimiter())
            .from_writer(out);
        let mut file = CsvWriter { writer, dialect };
        file.row(header)?;
        Ok(file)
    }

    /// Writes one record from the fields' tidy forms.
    ///
    /// # Errors
    /// When writing fails.
    pub(crate) fn row<T: AsRef<str>>(
        &mut self,
        fields: impl IntoIterator<Item = T>,
    ) -> csv::Result<()> {
        for field in fields {
            let field = neutralised(field.as_ref());
            let field = self.dialect.cell_to_file(&field);
            self.writer.write_field(field.as_bytes())?;
        }
        self.writer.write_record(None::<&[u8]>)
    }

    /// Flushes and returns the underlying writer.
    ///
    /// # Errors
    /// When flushing fails.
    pub(crate) fn finish(self) -> std::io::Result<W> {
        self.writer.into_inner().map_err(|e| e.into_error())
    }
}

/// Writes a whole CSV file to `out` in `dialect`: `header`, then `rows`,
/// every field [`neutralised`]; returns `out`, flushed.
///
/// # Errors
/// When writing fails.
pub(crate) fn write_table<W: Write, R: IntoIterator<Item = impl AsRef<str>>>(
    out: W,
    dialect: CsvDialect,
    header: &[&str],
    rows: impl IntoIterator<Item = R>,
) -> csv::Result<W> {
    let mut file = CsvWriter::new(out, dialect, header)?;
    for row in rows {
        file.row(row)?;
    }
    Ok(file.finish()?)
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
        let mut file = CsvWriter::new(Vec::new(), CsvDialect::Tidy, &["a", "b", "c"]).unwrap();
        file.row(["=cmd", "-3", "x"]).unwrap();
        file.row(["@y", "+", "\tz"]).unwrap();
        let text = String::from_utf8(file.finish().unwrap()).unwrap();
        assert_eq!(text, "a,b,c\n'=cmd,-3,x\n'@y,'+,'\tz\n");
    }

    #[test]
    fn a_table_is_its_header_then_its_rows_neutralised() {
        let rows = [["=a", "1"], ["b", "-2"]];
        let bytes = write_table(Vec::new(), CsvDialect::Tidy, &["name", "value"], rows).unwrap();
        assert_eq!(
            String::from_utf8(bytes).unwrap(),
            "name,value\n'=a,1\nb,-2\n"
        );
    }

    #[test]
    fn a_decimal_comma_table_has_a_bom_semicolons_and_decimal_commas() {
        let rows = [["=a", "1.5", "x.y"], ["b", "-2.25", "1,2"]];
        let bytes = write_table(
            Vec::new(),
            CsvDialect::DecimalComma,
            &["name", "value", "note"],
            rows,
        )
        .unwrap();
        assert_eq!(
            String::from_utf8(bytes).unwrap(),
            "\u{feff}name;value;note\n'=a;1,5;x.y\nb;-2,25;1,2\n"
        );
    }

    #[test]
    fn a_missing_number_is_an_empty_cell() {
        assert_eq!(optional_number(None), "");
        assert_eq!(optional_number(Some(-0.25)), "-0.25");
    }
}
