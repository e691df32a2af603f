//! The two dialects a result folder's CSV files are written in.
//!
//! The default, [`CsvDialect::Tidy`], is the machine-readable CSV of
//! pandas, R's `read.csv` and every database: `,` between fields, `.`
//! before decimals, no byte-order mark. A spreadsheet in a locale whose
//! decimal separator is a comma (German, French, Spanish, …) reads `0.95`
//! in such a file as text or as 95, so [`CsvDialect::DecimalComma`] writes
//! what R's `write.csv2` and pandas' `to_csv(sep=";", decimal=",")` write:
//! `;` between fields, `,` before decimals, and a UTF-8 byte-order mark so
//! that Excel reads the file as UTF-8.
//!
//! A file says its dialect itself: no column name holds a `,` or a `;`, so
//! the header line's separator tells them apart (and a file that a
//! spreadsheet saved again in its own locale still reads). Readers detect
//! it with [`csv_reader`]; the manifest records the dialect a folder was
//! written in.

use std::borrow::Cow;
use std::io::{self, BufRead, BufReader, Read};

use serde::{Deserialize, Serialize};

/// How a result folder's CSV files separate fields and write decimals.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CsvDialect {
    /// `,` between fields, `.` before decimals, no byte-order mark.
    #[default]
    Tidy,
    /// `;` between fields, `,` before decimals, a UTF-8 byte-order mark.
    DecimalComma,
}

/// The UTF-8 byte-order mark.
const BOM: &[u8] = b"\xEF\xBB\xBF";

impl CsvDialect {
    /// Whether this is the default dialect (the manifest then omits it).
    pub fn is_tidy(&self) -> bool {
        *self == CsvDialect::Tidy
    }

    /// The byte between fields.
    pub fn delimiter(self) -> u8 {
        match self {
            CsvDialect::Tidy => b',',
            CsvDialect::DecimalComma => b';',
        }
    }

    /// What a file of this dialect starts with, before its header.
    pub fn preamble(self) -> &'static [u8] {
        match self {
            CsvDialect::Tidy => b"",
            CsvDialect::DecimalComma => BOM,
        }
    }

    /// A cell as written in this dialect, from its tidy form: a number
    /// gets a decimal comma; text, and every cell of the tidy dialect,
    /// stay as they are.
    pub fn cell_to_file(self, tidy: &str) -> Cow<'_, str> {
        if self == CsvDialect::DecimalComma && tidy.contains('.') && is_number(tidy) {
            Cow::Owned(tidy.replace('.', ","))
        } else {
            Cow::Borrowed(tidy)
        }
    }

    /// A cell read from a file of this dialect, in its tidy form: a number
    /// with a decimal comma gets a decimal point.
    pub fn cell_from_file(self, cell: &str) -> Cow<'_, str> {
        if self == CsvDialect::DecimalComma && cell.contains(',') {
            let tidy = cell.replace(',', ".");
            if is_number(&tidy) {
                return Cow::Owned(tidy);
            }
        }
        Cow::Borrowed(cell)
    }

    /// A record read from a file of this dialect, every cell in its tidy
    /// form, at the same position in the file.
    pub fn record_from_file(self, record: csv::StringRecord) -> csv::StringRecord {
        if self.is_tidy() {
            return record;
        }
        let mut tidy: csv::StringRecord = record.iter().map(|c| self.cell_from_file(c)).collect();
        tidy.set_position(record.position().cloned());
        tidy
    }

    /// The dialect of a file whose first line (after any byte-order mark)
    /// is `header`: a `;` there and no `,` means decimal comma.
    fn of_header(header: &[u8]) -> CsvDialect {
        let header = header.strip_prefix(BOM).unwrap_or(header);
        let line = header.split(|&b| b == b'\n').next().unwrap_or_default();
        if line.contains(&b';') && !line.contains(&b',') {
            CsvDialect::DecimalComma
        } else {
            CsvDialect::Tidy
        }
    }
}

/// Whether a cell in its tidy form is a number that a spreadsheet should
/// read as one (the cells sscsim writes never use exponents).
fn is_number(cell: &str) -> bool {
    cell.parse::<f64>().is_ok_and(f64::is_finite)
}

/// A CSV reader of `input`, in the dialect its header line shows, and that
/// dialect. Cells come as written: pass records through
/// [`CsvDialect::record_from_file`] for numbers in their tidy form. A
/// byte-order mark is skipped.
///
/// # Errors
/// When the start of the input cannot be read.
pub fn csv_reader<R: Read>(input: R) -> io::Result<(csv::Reader<BufReader<R>>, CsvDialect)> {
    let mut buffered = BufReader::with_capacity(64 * 1024, input);
    let dialect = CsvDialect::of_header(buffered.fill_buf()?);
    let reader = csv::ReaderBuilder::new()
        .delimiter(dialect.delimiter())
        .from_reader(buffered);
    Ok((reader, dialect))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Cells in their tidy form and as a decimal-comma file holds them,
    /// both ways.
    const DECIMAL_COMMA_CELLS: [(&str, &str); 5] = [
        ("0.95", "0,95"),
        ("-1234.5", "-1234,5"),
        ("12", "12"),
        ("all", "all"),
        ("", ""),
    ];

    #[test]
    fn numbers_get_a_decimal_comma_and_text_does_not() {
        for (tidy, file) in DECIMAL_COMMA_CELLS.into_iter().chain([("a.b", "a.b")]) {
            assert_eq!(CsvDialect::DecimalComma.cell_to_file(tidy), file);
        }
        assert_eq!(CsvDialect::Tidy.cell_to_file("0.95"), "0.95");
    }

    #[test]
    fn cells_read_back_in_their_tidy_form() {
        for (tidy, file) in DECIMAL_COMMA_CELLS.into_iter().chain([("a,b", "a,b")]) {
            assert_eq!(CsvDialect::DecimalComma.cell_from_file(file), tidy);
        }
        assert_eq!(CsvDialect::Tidy.cell_from_file("0,95"), "0,95");
    }

    #[test]
    fn the_header_line_tells_the_dialect() {
        assert_eq!(CsvDialect::of_header(b"a,b\n1;2\n"), CsvDialect::Tidy);
        assert_eq!(
            CsvDialect::of_header(b"\xEF\xBB\xBFa;b\n1,5;2\n"),
            CsvDialect::DecimalComma
        );
        assert_eq!(CsvDialect::of_header(b"a;b\n"), CsvDialect::DecimalComma);
        assert_eq!(CsvDialect::of_header(b""), CsvDialect::Tidy);
    }

    #[test]
    fn a_decimal_comma_file_reads_as_its_tidy_twin() {
        let (mut reader, dialect) = csv_reader(&b"\xEF\xBB\xBFname;x\nsolo;0,5\n"[..]).unwrap();
        assert_eq!(dialect, CsvDialect::DecimalComma);
        assert_eq!(reader.headers().unwrap(), vec!["name", "x"]);
        let row = dialect.record_from_file(reader.records().next().unwrap().unwrap());
        assert_eq!(row, vec!["solo", "0.5"]);
        assert_eq!(row.position().map(|p| p.line()), Some(2));
    }
}
