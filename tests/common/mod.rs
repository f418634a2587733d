//! Shared set-up for story tests: a practice in a temp file, with the clock
//! pinned so dates in the stories are stable.

#![allow(dead_code)]

use chrono::{DateTime, TimeZone, Utc};
use punchcard::{PracticeInput, Store};

pub const TODAY: &str = "2026-11-25";

pub fn noon_today() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 25, 12, 0, 0).unwrap()
}

/// A fresh practice file ("Move Well", EUR, Lisbon) with a pinned clock.
pub fn practice() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path().join("practice.sqlite3")).unwrap();
    store.set_clock(Box::new(noon_today));
    store
        .save_practice(&PracticeInput::first_run(
            "Move Well",
            "EUR",
            "Europe/Lisbon",
        ))
        .unwrap();
    (dir, store)
}

/// A committed fixture file, by name.
pub fn fixture(name: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}
