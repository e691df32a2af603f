//! Reading a result folder's CSV files back: a file is optional, but one
//! that is there must have the columns its reader asks for (others are
//! ignored, so files may grow). Numbers are plain decimals — with a
//! decimal comma in a file of that dialect ([`super::dialect`]) — and an empty
//! cell — or anything not finite, or beyond ±10¹⁰⁰ — is a missing value.
//! Every error names the file, so a user knows which one to look at.

use std::fs::File;
use std::io;
use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer};

use super::dialect::{CsvDialect, csv_reader};

/// Why a file of a result folder cannot be read. All are fatal for the
/// reader; the files themselves are never touched.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ReadError {
    /// A file is there but cannot be read.
    #[error("cannot read {}: {source}", .path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: io::Error,
    },
    /// `manifest.toml` is not valid TOML or lacks a key.
    #[error("{} is not a valid manifest: {message}", .path.display())]
    Manifest {
        /// The file.
        path: PathBuf,
        /// What is wrong, from the TOML parser.
        message: String,
    },
    /// A CSV file lacks columns its reader needs.
    #[error(
        "{} has no column{} {} (its columns: {})",
        .path.display(),
        if .missing.len() == 1 { "" } else { "s" },
        .missing.iter().map(|c| format!("`{c}`")).collect::<Vec<_>>().join(", "),
        .found.join(", ")
    )]
    MissingColumns {
        /// The file.
        path: PathBuf,
        /// The columns that are needed but absent.
        missing: Vec<String>,
        /// The columns the file has.
        found: Vec<String>,
    },
    /// A CSV file is malformed (a row of the wrong length, a cell that is
    /// not a number); the message gives the line.
    #[error("cannot read {}: {source}", .path.display())]
    Csv {
        /// The file.
        path: PathBuf,
        /// The CSV reader's error, with its position.
        source: csv::Error,
    },
}

/// A row type of one CSV file, with the columns it needs.
pub(crate) trait Record: DeserializeOwned {
    /// Columns the reader uses; the file must have each.
    const COLUMNS: &'static [&'static str];
}

/// The largest magnitude of a number read back. No amount, volume or rate
/// comes near it; a chart could not place a number beyond it (plotters'
/// pixel arithmetic overflows), so such a cell is missing.
pub(crate) const MAX_MAGNITUDE: f64 = 1e100;

/// A number cell, for `#[serde(deserialize_with = "finite")]`: empty, NaN,
/// infinities and numbers beyond ±[`MAX_MAGNITUDE`] are missing.
///
/// # Errors
/// When the cell is neither empty nor a number.
pub(crate) fn finite<'de, D: Deserializer<'de>>(d: D) -> Result<Option<f64>, D::Error> {
    Ok(Option::<f64>::deserialize(d)?.filter(|v| v.abs() <= MAX_MAGNITUDE))
}

/// A CSV reader of a file, in its dialect.
type Opened = (csv::Reader<io::BufReader<File>>, CsvDialect);

/// Opens a CSV file in its dialect and checks its header; `None` when
/// there is no file.
fn open(path: &Path, columns: &[&str]) -> Result<Option<Opened>, ReadError> {
    let file = match File::open(path) {
        Ok(file) => file,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(source) => {
            return Err(ReadError::Read {
                path: path.to_owned(),
                source,
            });
        }
    };
    let (mut reader, dialect) = csv_reader(file).map_err(|source| ReadError::Read {
        path: path.to_owned(),
        source,
    })?;
    let csv_error = |source| ReadError::Csv {
        path: path.to_owned(),
        source,
    };
    let header: Vec<String> = reader
        .headers()
        .map_err(csv_error)?
        .iter()
        .map(str::to_owned)
        .collect();
    let missing: Vec<String> = columns
        .iter()
        .filter(|c| !header.iter().any(|h| h == *c))
        .map(|c| (*c).to_owned())
        .collect();
    if !missing.is_empty() {
        return Err(ReadError::MissingColumns {
            path: path.to_owned(),
            missing,
            found: header,
        });
    }
    Ok(Some((reader, dialect)))
}

/// Calls `each` with every row of a CSV file; `false` when there is no file.
///
/// # Errors
/// When the file is there but cannot be read, lacks a column of `T`, or a
/// row is malformed.
pub(crate) fn for_each_row<T: Record>(
    path: &Path,
    mut each: impl FnMut(T),
) -> Result<bool, ReadError> {
    let Some((mut reader, dialect)) = open(path, T::COLUMNS)? else {
        return Ok(false);
    };
    let csv_error = |source| ReadError::Csv {
        path: path.to_owned(),
        source,
    };
    let header = reader.headers().map_err(csv_error)?.clone();
    for record in reader.records() {
        let record = dialect.record_from_file(record.map_err(csv_error)?);
        each(record.deserialize(Some(&header)).map_err(csv_error)?);
    }
    Ok(true)
}

/// Every row of a CSV file; `None` when there is no file.
///
/// # Errors
/// As [`for_each_row`].
pub(crate) fn read_all<T: Record>(path: &Path) -> Result<Option<Vec<T>>, ReadError> {
    let mut rows = Vec::new();
    let found = for_each_row(path, |row| rows.push(row))?;
    Ok(found.then_some(rows))
}
