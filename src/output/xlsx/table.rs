//! A CSV file of a result folder, read whole. The workbook is built from the
//! files as they were written, not from the simulation, so it always shows
//! what the CSV files say. A file in the decimal-comma dialect reads as its
//! tidy twin.

use std::fs::File;
use std::io::ErrorKind;
use std::path::Path;

use anyhow::{Context, Result, anyhow};

use crate::results::dialect::csv_reader;

/// The header and rows of one CSV file.
pub(crate) struct CsvTable {
    /// The file's name in the folder, for messages.
    pub(crate) file: &'static str,
    /// Column names.
    pub(crate) header: Vec<String>,
    /// Rows below the header, as written.
    pub(crate) rows: Vec<Vec<String>>,
}

impl CsvTable {
    /// Reads `file` in `dir`; `None` when there is no such file.
    ///
    /// # Errors
    /// When the file cannot be read or is not CSV with rows as long as its
    /// header; the message names the file and the line.
    pub(crate) fn read(dir: &Path, file: &'static str) -> Result<Option<CsvTable>> {
        let path = dir.join(file);
        let opened = match File::open(&path) {
            Ok(opened) => opened,
            Err(e) if e.kind() == ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(e).with_context(|| format!("cannot open {}", path.display())),
        };
        let context = || format!("cannot read {}", path.display());
        let (mut reader, dialect) = csv_reader(opened).with_context(context)?;
        let header = reader
            .headers()
            .with_context(context)?
            .iter()
            .map(str::to_owned)
            .collect();
        let rows = reader
            .records()
            .map(|record| {
                record.map(|r| {
                    let r = dialect.record_from_file(r);
                    r.iter().map(str::to_owned).collect()
                })
            })
            .collect::<Result<_, _>>()
            .with_context(context)?;
        Ok(Some(CsvTable { file, header, rows }))
    }

    /// Index of the column `name`, if the file has it.
    pub(crate) fn column(&self, name: &str) -> Option<usize> {
        self.header.iter().position(|h| h == name)
    }

    /// Index of the column `name`.
    ///
    /// # Errors
    /// When the file has no such column.
    pub(crate) fn require(&self, name: &str) -> Result<usize> {
        self.column(name).ok_or_else(|| {
            anyhow!(
                "{} has no column `{name}`; its columns are {}",
                self.file,
                self.header.join(", ")
            )
        })
    }

    /// The cell of `row` in column `name`, if there is one.
    pub(crate) fn cell<'a>(&'a self, row: &'a [String], name: &str) -> Option<&'a str> {
        self.column(name)
            .and_then(|c| row.get(c))
            .map(String::as_str)
    }
}
