//! Everything sscsim hands to people: CSV files, Parquet copies of the
//! largest, a workbook of the tables, and the printed tables. Output formats know nothing of the simulation's
//! internals: they see metrics and summaries. Where the files go, and under
//! which names, is [`crate::results`]'s.

pub(crate) mod cell;
pub mod csv;
pub mod fit;
pub mod global_sensitivity;
pub mod parquet;
pub mod pool;
pub mod risk;
pub mod sweep;
pub mod table;
pub mod voi;
pub mod xlsx;
