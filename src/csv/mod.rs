//! CSV out: a client's history as a spreadsheet-safe file.

mod export;

pub use export::{write_history, HISTORY_HEADER};
