//! The database itself refuses what the rules refuse, and a file it does not
//! understand is left untouched.

mod common;

use punchcard::{ClientInput, ErrorKind, LogSessionInput, SaleInput, Store, TermsInput, Validity};

fn sold(store: &mut Store) -> (String, String) {
    let c = store.create_client(&ClientInput::named("Dmitri")).unwrap();
    let p = store
        .sell_package(&SaleInput {
            client_id: c.id.clone(),
            terms: TermsInput::new("Five", 5, "400", Validity::None),
            sold_on: "2026-11-01".into(),
            paid_now: true,
            ..Default::default()
        })
        .unwrap();
    store
        .log_session(&LogSessionInput {
            client_id: c.id.clone(),
            date: "2026-11-02".into(),
            ..Default::default()
        })
        .unwrap();
    (c.id, p.id)
}

#[test]
fn ledger_and_payments_are_append_only() {
    let (_dir, mut store) = common::practice();
    let (_, package) = sold(&mut store);
    let db = store.connection();
    for sql in [
        "UPDATE ledger_entries SET delta = 5",
        "DELETE FROM ledger_entries",
        "UPDATE payments SET amount_minor = 1",
        "DELETE FROM payments",
        "DELETE FROM packages",
        "UPDATE packages SET sessions = 50",
        "DELETE FROM sessions",
        "DELETE FROM session_history",
    ] {
        let err = db.execute(sql, []).unwrap_err();
        assert!(
            err.to_string().contains("append-only")
                || err.to_string().contains("never")
                || err.to_string().contains("frozen"),
            "{sql}: {err}"
        );
    }
    assert_eq!(store.package(&package).unwrap().remaining, 4);
}

#[test]
fn the_database_refuses_impossible_entries() {
    let (_dir, mut store) = common::practice();
    let (_, package) = sold(&mut store);
    let db = store.connection();
    let insert = |kind: &str, delta: i64, reverses: Option<&str>, note: &str| {
        db.execute(
            "INSERT INTO ledger_entries (id, package_id, kind, delta, occurred_on, reverses_id, note, recorded_at)
             VALUES ('le_x' || abs(random()), ?1, ?2, ?3, '2026-11-03', ?4, ?5, '2026-11-03T00:00:00Z')",
            rusqlite::params![package, kind, delta, reverses, note],
        )
    };
    // The balance may never go below zero.
    assert!(insert("adjustment", -5, None, "typo")
        .unwrap_err()
        .to_string()
        .contains("below zero"));
    // A session draws exactly one.
    assert!(insert("session", -2, None, "").is_err());
    // An adjustment needs a reason.
    assert!(insert("adjustment", 1, None, " ").is_err());
    // A reversal must mirror a real entry.
    assert!(insert("reversal", 1, Some("le_nope"), "").is_err());
    // Money and dates are checked too.
    assert!(db
        .execute("UPDATE practice SET currency = 'euro'", [])
        .is_err());
    assert!(db
        .execute(
            "INSERT INTO clients (id, name, name_key, created_at, updated_at) VALUES ('cl_1', '  ', 'x', '', '')",
            []
        )
        .is_err());
    assert_eq!(store.package(&package).unwrap().remaining, 4);
}

#[test]
fn a_newer_schema_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("future.sqlite3");
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch("CREATE TABLE future (x); PRAGMA user_version = 99;")
            .unwrap();
    }
    let before = std::fs::read(&path).unwrap();
    let err = Store::open(&path).err().unwrap();
    assert_eq!(err.kind(), ErrorKind::NewerSchema);
    assert!(
        err.to_string().contains("newer version of Punchcard"),
        "{err}"
    );
    assert_eq!(std::fs::read(&path).unwrap(), before);
    assert!(!dir.path().join("future.sqlite3-wal").exists());
}

#[test]
fn a_foreign_sqlite_file_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("other.sqlite3");
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch("CREATE TABLE notes (body TEXT);")
            .unwrap();
    }
    let before = std::fs::read(&path).unwrap();
    assert_eq!(
        Store::open(&path).err().unwrap().kind(),
        ErrorKind::Conflict
    );
    assert_eq!(std::fs::read(&path).unwrap(), before);
}

#[test]
fn reopening_keeps_the_schema_and_the_pragmas() {
    let (dir, store) = common::practice();
    drop(store);
    let store = Store::open(dir.path().join("practice.sqlite3")).unwrap();
    let db = store.connection();
    let mode: String = db
        .pragma_query_value(None, "journal_mode", |r| r.get(0))
        .unwrap();
    let fk: i64 = db
        .pragma_query_value(None, "foreign_keys", |r| r.get(0))
        .unwrap();
    let sync: i64 = db
        .pragma_query_value(None, "synchronous", |r| r.get(0))
        .unwrap();
    assert_eq!((mode.as_str(), fk, sync), ("wal", 1, 2));
    assert_eq!(store.practice().unwrap().unwrap().name, "Move Well");
}

/// The schema as SQLite sees it after every migration, against a committed
/// snapshot: a migration that drops or changes a column shows up in review.
/// `UPDATE_GOLDEN=1` rewrites `tests/fixtures/schema.sql`.
#[test]
fn schema_matches_the_snapshot() {
    let store = Store::open_in_memory().unwrap();
    let mut stmt = store
        .connection()
        .prepare("SELECT sql FROM sqlite_schema WHERE sql IS NOT NULL ORDER BY type DESC, name")
        .unwrap();
    let schema: Vec<String> = stmt
        .query_map([], |r| r.get::<_, String>(0))
        .unwrap()
        .map(|s| s.unwrap() + ";\n")
        .collect();
    let schema = schema.concat();
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/schema.sql");
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, &schema).unwrap();
    }
    let snapshot =
        std::fs::read_to_string(&path).expect("run with UPDATE_GOLDEN=1 to create the snapshot");
    assert!(
        schema == snapshot,
        "the schema differs from tests/fixtures/schema.sql"
    );
}
