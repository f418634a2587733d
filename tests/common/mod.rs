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

/// Compares `written` with the golden file `name` in `tests/fixtures`, byte
/// for byte; `UPDATE_GOLDEN=1` rewrites the file instead (read the diff
/// before committing it).
pub fn assert_matches_golden(name: &str, written: &[u8]) {
    let golden = fixture(name);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&golden, written).unwrap();
    }
    let expected = std::fs::read(&golden).expect("golden file missing: run with UPDATE_GOLDEN=1");
    assert_eq!(
        String::from_utf8_lossy(written),
        String::from_utf8_lossy(&expected),
        "export differs from tests/fixtures/{name}"
    );
}

/// Adds `n` clients named "`prefix` 0", "`prefix` 1", …, in one batch.
pub fn add_clients(store: &mut Store, prefix: &str, n: usize) {
    store
        .batch(|s| {
            for i in 0..n {
                s.create_client(&punchcard::ClientInput::named(&format!("{prefix} {i}")))?;
            }
            Ok(())
        })
        .unwrap();
}
