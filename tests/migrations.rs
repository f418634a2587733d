//! Every schema change is tested from a real file of each earlier version
//! (`tests/fixtures/schema-vN.sqlite3`, written by that version of
//! Punchcard): it opens, it is brought up to date, nothing in it is lost,
//! and the fixture itself is never changed.

mod common;

use std::path::Path;

use punchcard::Store;
use rusqlite::fallible_iterator::FallibleIterator;

/// Counts and balances that must survive any migration.
#[derive(Debug, PartialEq, Eq)]
struct Facts {
    clients: i64,
    offerings: i64,
    packages: i64,
    sessions: i64,
    ledger: i64,
    payments: i64,
    session_history: i64,
    /// Instalments (the plans in force, after v6).
    instalments: i64,
    balances: Vec<(String, i64)>,
    paid: Vec<(String, i64)>,
}

fn facts(path: &Path) -> Facts {
    let conn =
        rusqlite::Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .unwrap();
    let count = |t: &str| {
        conn.query_row(&format!("SELECT count(*) FROM {t}"), [], |r| r.get(0))
            .unwrap()
    };
    let pairs = |sql: &str| -> Vec<(String, i64)> {
        conn.prepare(sql)
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    Facts {
        clients: count("clients"),
        offerings: count("offerings"),
        packages: count("packages"),
        sessions: count("sessions"),
        ledger: count("ledger_entries"),
        payments: count("payments"),
        session_history: count("session_history"),
        instalments: if count("sqlite_schema WHERE name = 'plan_instalments'") > 0 {
            count("plan_instalments WHERE replaced_at IS NULL")
        } else {
            count("instalments")
        },
        balances: pairs("SELECT package_id, sum(delta) FROM ledger_entries GROUP BY package_id ORDER BY package_id"),
        paid: pairs("SELECT package_id, sum(amount_minor) FROM payments GROUP BY package_id ORDER BY package_id"),
    }
}

/// Every table, index and trigger of a file, as written, by name (SQLite's
/// statistics left out: they come and go with use).
fn schema(conn: &rusqlite::Connection) -> Vec<(String, String, Option<String>)> {
    conn.prepare(
        "SELECT type, name, sql FROM sqlite_schema
          WHERE name NOT LIKE 'sqlite_stat%' ORDER BY type, name",
    )
    .unwrap()
    .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
    .unwrap()
    .map(Result::unwrap)
    .collect()
}

fn fixtures() -> Vec<std::path::PathBuf> {
    let mut found: Vec<_> = std::fs::read_dir(common::fixture(""))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy();
            name.starts_with("schema-v") && name.ends_with(".sqlite3")
        })
        .collect();
    found.sort();
    found
}

#[test]
fn every_earlier_version_is_brought_up_to_date_without_losing_anything() {
    let all = fixtures();
    assert!(
        !all.is_empty(),
        "no fixture files: the migration test tests nothing"
    );
    let new_dir = tempfile::tempdir().unwrap();
    let fresh = schema(
        Store::open(new_dir.path().join("new.sqlite3"))
            .unwrap()
            .connection(),
    );
    // A new file, and none at all, open as they are.
    assert_eq!(Store::upgrade_due(new_dir.path().join("new.sqlite3")), None);
    assert_eq!(
        Store::upgrade_due(new_dir.path().join("none.sqlite3")),
        None
    );
    for fixture in all {
        let name = fixture.file_name().unwrap().to_string_lossy().into_owned();
        let original = std::fs::read(&fixture).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(&name);
        std::fs::write(&path, &original).unwrap();
        let before = facts(&path);
        let old_version: i64 = rusqlite::Connection::open(&path)
            .unwrap()
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        assert!(
            old_version < punchcard::store::schema_version(),
            "{name} is not older than this build"
        );

        // Seen from its header before it is opened: the app shows that the
        // practice is being brought up to date while it is.
        assert_eq!(
            Store::upgrade_due(&path),
            Some((old_version, punchcard::store::schema_version())),
            "{name}"
        );

        let store = Store::open(&path).unwrap_or_else(|e| panic!("{name}: {e}"));
        let report = store.check().unwrap();
        assert!(report.problems.is_empty(), "{name}: {:?}", report.problems);
        assert_eq!(
            report.schema_version,
            punchcard::store::schema_version(),
            "{name}"
        );
        // Every package's credits are worth its price, exactly: what is left
        // and what left (used, expired, taken back, moved) add up to it.
        let conn = store.connection();
        let unworthy: i64 = conn
            .query_row(
                "SELECT count(*) FROM packages p JOIN package_balances b ON b.package_id = p.id
                  WHERE (SELECT coalesce(sum(value_minor), 0) FROM ledger_entries e
                          WHERE e.package_id = p.id AND e.kind = 'purchase') <> p.price_minor
                     OR b.value_minor <> (SELECT coalesce(sum(value_minor), 0) FROM ledger_entries e WHERE e.package_id = p.id)
                     OR b.value_minor < 0 OR b.valued < 0 OR b.valued > b.balance
                     OR (b.cancelled = 1 AND b.value_minor <> 0)",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(unworthy, 0, "{name}: a package's worth does not add up");
        // The migrated file has the schema a new file has: every table,
        // index and trigger as written (a trigger replaced, migration 14's
        // revenue trigger among them, is replaced in it too).
        assert_eq!(
            schema(conn),
            fresh,
            "{name}: its schema is not a new file's"
        );
        // The views work on the migrated file.
        for c in store.client_list("").unwrap() {
            store.client_record(&c.id).unwrap();
        }
        drop(store);
        assert_eq!(Store::upgrade_due(&path), None, "{name}: opened, still due");
        assert_eq!(
            facts(&path),
            before,
            "{name}: something changed in the migration"
        );
        assert!(
            std::fs::read(&fixture).unwrap() == original,
            "{name}: the fixture itself was changed"
        );
    }
}

/// Migration 13 fills the day counts from the bookings' indexes alone, never
/// from their rows: read row by row for each booking's status, the first open
/// of a practice of 5 million bookings took over three minutes (187 s, cold)
/// with nothing on screen; from the indexes, 2.2 s. Each statement's plan is
/// read on a real v12 file, just before the statement runs.
#[test]
fn the_day_counts_are_filled_from_the_indexes_alone() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("schema-v12.sqlite3");
    std::fs::copy(common::fixture("schema-v12.sqlite3"), &path).unwrap();
    let conn = rusqlite::Connection::open(&path).unwrap();
    let migration = include_str!("../src/store/migrations/13-sessions-per-day/up.sql");
    let mut batch = rusqlite::Batch::new(&conn, migration);
    let mut reads = Vec::new();
    while let Some(mut statement) = batch.next().unwrap() {
        let sql = statement.expanded_sql().unwrap();
        let mut explain = conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}")).unwrap();
        let steps = explain
            .query_map([], |r| r.get::<_, String>(3))
            .unwrap()
            .map(Result::unwrap);
        reads.extend(steps.filter(|step| step.split_whitespace().any(|w| w == "sessions")));
        statement.raw_execute().unwrap();
    }
    assert_eq!(reads.len(), 2, "one read for each count: {reads:?}");
    assert!(
        reads
            .iter()
            .all(|step| step.contains("USING COVERING INDEX")),
        "a statement reads the bookings' rows: {reads:?}"
    );
}
