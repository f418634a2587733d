//! Files in and out: a client's history as CSV, backups and snapshots, and
//! the checks every file the user picks goes through. Parsing and writing
//! here need no database beyond the views they read.

pub mod backup;
pub mod calendar;
pub mod history_csv;
pub mod reports_csv;
pub mod target;
