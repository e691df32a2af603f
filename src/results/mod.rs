//! The result folder: what its files are called, what its manifest says,
//! how its files are written so that none is seen half written, and how
//! they are read back. The writers (`output`, the commands) and
//! the readers (`report`, `merge`, the workbook) all go through
//! here and know nothing of each other: a new output file is a new
//! [`ResultFile`] and its writer.
//!
//! - [`names`]: every file's name ([`ResultFile`]);
//! - [`manifest`]: `manifest.toml` ([`Manifest`]);
//! - [`folder`]: writing atomically ([`ResultFolder`]) and cleaning up
//!   when interrupted ([`close_results`]);
//! - [`read`] and [`columns`]: the CSV files read back;
//! - [`dialect`]: tidy CSV, or `;` and decimal commas for spreadsheets;
//! - [`replay`]: a shard's replay file;
//! - [`pool_shard`]: a shard's part of a heuristic coalition search.

pub mod columns;
pub mod dialect;
pub mod folder;
pub mod manifest;
pub mod names;
pub mod pool_shard;
pub mod read;
pub mod replay;

pub use dialect::CsvDialect;
pub use folder::{ResultFolder, close_results, start_results};
pub use manifest::{Manifest, PoolShardRecord, PrecisionReached, PrecisionRecord, VaryRecord};
pub use names::ResultFile;
pub use read::ReadError;
