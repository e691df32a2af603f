//! What can go wrong when a report is made. Every error names the file it
//! is about, so a user knows which file of the folder to look at. All are
//! fatal for the report; the result files themselves are never touched.

use std::path::PathBuf;

/// An error while reading a result folder or writing its report.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ReportError {
    /// The folder does not exist or is not a folder.
    #[error("{} is not a folder", .0.display())]
    NotAFolder(PathBuf),
    /// The folder has no `manifest.toml`: it is not a complete result folder.
    #[error(
        "{} not found: {} is not a complete sscsim result folder \
         (expected the output of `sscsim run`, `explain` or `pool` with --out)",
        .manifest.display(),
        .folder.display()
    )]
    NoManifest {
        /// The folder.
        folder: PathBuf,
        /// Where the manifest was expected.
        manifest: PathBuf,
    },
    /// The folder has a manifest but none of the files a report shows.
    #[error(
        "{} has no result files to report on (expected at least one of {})",
        .folder.display(),
        .expected
    )]
    NothingToReport {
        /// The folder.
        folder: PathBuf,
        /// The files looked for, comma-separated.
        expected: String,
    },
    /// A file could not be read.
    #[error("cannot read {}: {source}", .path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// `manifest.toml` is not valid TOML or lacks a key.
    #[error("{} is not a valid manifest: {message}", .path.display())]
    Manifest {
        /// The file.
        path: PathBuf,
        /// What is wrong, from the TOML parser.
        message: String,
    },
    /// A CSV file lacks columns the report needs.
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
    /// A chart could not be drawn.
    #[error("cannot draw the {chart} chart: {message}")]
    Chart {
        /// Which chart.
        chart: &'static str,
        /// The drawing library's error.
        message: String,
    },
    /// The report could not be written.
    #[error("cannot write {}: {source}", .path.display())]
    Write {
        /// The report's path.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
}
