//! Files in and out: a client's history as CSV. Parsing and writing here need
//! no database beyond the views they read.

pub mod history_csv;
