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
    db.execute(
        "INSERT INTO plan_instalments (package_id, due_on, amount_minor, set_at)
         VALUES (?1, '2026-12-01', 40000, '2026-11-01T00:00:00Z')",
        [&package],
    )
    .unwrap();
    db.execute(
        "INSERT INTO follow_ups (package_id, state, until, recorded_at)
         VALUES (?1, 'snoozed', '2026-12-01', '2026-11-01T00:00:00Z')",
        [&package],
    )
    .unwrap();
    for sql in [
        "UPDATE ledger_entries SET delta = 5",
        "UPDATE ledger_entries SET value_minor = 0",
        "UPDATE packages SET list_price_minor = 1",
        "UPDATE plan_instalments SET amount_minor = 1",
        "UPDATE plan_instalments SET replaced_at = NULL",
        "DELETE FROM plan_instalments",
        "UPDATE follow_ups SET state = 'none'",
        "DELETE FROM follow_ups",
        "DELETE FROM ledger_entries",
        "UPDATE payments SET amount_minor = 1",
        "DELETE FROM payments",
        "DELETE FROM packages",
        "UPDATE packages SET sessions = 50",
        "UPDATE package_balances SET client_id = NULL",
        "UPDATE package_balances SET sold_on = '2020-01-01'",
        "UPDATE sessions SET client_sort_key = 'aaa'",
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

/// The agenda sorts a day's bookings by their client's name from a copy
/// of the client's sort key in each booking (migration 16): the database
/// writes it, into each new booking and into all of a client's bookings
/// when the name changes.
#[test]
fn each_booking_sorts_under_its_clients_name_through_a_rename() {
    let (_dir, mut store) = common::practice();
    let (client, _) = sold(&mut store);
    store
        .schedule(&punchcard::ops::bookings::ScheduleInput {
            client_id: client.clone(),
            date: "2026-11-30".into(),
            time: "10:00".into(),
            weeks: "2".into(),
            ..Default::default()
        })
        .unwrap();
    // Each booking's key beside its client's.
    let keys = |store: &Store| -> Vec<(String, String)> {
        store
            .connection()
            .prepare(
                "SELECT s.client_sort_key, c.sort_key FROM sessions s
                   JOIN clients c ON c.id = s.client_id ORDER BY s.starts_on",
            )
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    let before = keys(&store);
    assert_eq!(before.len(), 3, "the logged session and two bookings");
    assert!(
        before.iter().all(|(mine, theirs)| mine == theirs),
        "{before:?}"
    );
    store
        .update_client(&client, &ClientInput::named("Ágata Dmitrieva"))
        .unwrap();
    let after = keys(&store);
    assert!(
        after.iter().all(|(mine, theirs)| mine == theirs),
        "{after:?}"
    );
    assert_ne!(after[0].0, before[0].0, "the rename moved every booking");
    assert!(store.check().unwrap().problems.is_empty());
}

type Column<'a> = (&'a str, rusqlite::types::Value);
type Row<'a> = Vec<Column<'a>>;

/// Inserts `valid` with one column replaced, inside a savepoint that is
/// always rolled back: `Ok` when the row was accepted, else SQLite's message.
fn try_insert(
    db: &rusqlite::Connection,
    table: &str,
    valid: &[Column],
    change: Option<Column>,
) -> Result<(), String> {
    let cols: Vec<&str> = valid.iter().map(|(c, _)| *c).collect();
    let values: Vec<rusqlite::types::Value> = valid
        .iter()
        .map(|(c, v)| match &change {
            Some((changed, new)) if changed == c => new.clone(),
            _ => v.clone(),
        })
        .collect();
    let sql = format!(
        "INSERT INTO {table} ({}) VALUES ({})",
        cols.join(", "),
        vec!["?"; cols.len()].join(", ")
    );
    db.execute_batch("SAVEPOINT probe").unwrap();
    let result = db.execute(&sql, rusqlite::params_from_iter(values));
    db.execute_batch("ROLLBACK TO probe; RELEASE probe")
        .unwrap();
    result.map(|_| ()).map_err(|e| e.to_string())
}

/// Each constraint is proved by a row that is valid except for the one thing
/// tested: the valid row is accepted, the changed one is refused by that
/// constraint (its own message), so removing the constraint fails the test.
#[test]
fn the_database_refuses_impossible_entries() {
    use rusqlite::types::Value::{Integer as I, Null, Text as T};
    let (_dir, mut store) = common::practice();
    let (client, package) = sold(&mut store);
    let db = store.connection();
    let session: String = db
        .query_row("SELECT id FROM sessions LIMIT 1", [], |r| r.get(0))
        .unwrap();
    let drawn: String = db
        .query_row(
            "SELECT id FROM ledger_entries WHERE kind = 'session'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let (drawn_valued, drawn_value): (i64, i64) = db
        .query_row(
            "SELECT valued, value_minor FROM ledger_entries WHERE id = ?1",
            [&drawn],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    let payment: String = db
        .query_row("SELECT id FROM payments LIMIT 1", [], |r| r.get(0))
        .unwrap();
    let t = |s: &str| T(s.to_owned());
    // A package with no entries yet, for the purchase (one per package).
    db.execute(
        "INSERT INTO packages (id, client_id, name, sessions, price_minor, validity_kind,
             late_cancel_hours, sold_on, created_at)
         VALUES ('pk_empty', ?1, 'Empty', 5, 100, 'none', 24, '2026-11-01', '2026-11-01T00:00:00Z')",
        [&client],
    )
    .unwrap();

    let entry = |kind: &str, delta: i64| {
        vec![
            ("id", t("le_probe")),
            (
                "package_id",
                t(if kind == "purchase" {
                    "pk_empty"
                } else {
                    &package
                }),
            ),
            ("kind", t(kind)),
            ("delta", I(delta)),
            ("occurred_on", t("2026-11-03")),
            (
                "session_id",
                if kind == "session" { t(&session) } else { Null },
            ),
            ("note", t("typo")),
            ("recorded_at", t("2026-11-03T00:00:00Z")),
        ]
    };
    let cases: Vec<(&str, Row, Column, &str)> = vec![
        // A session draws exactly one, and names its session.
        (
            "ledger_entries",
            entry("session", -1),
            ("delta", I(-2)),
            "delta = -1 AND session_id IS NOT NULL",
        ),
        (
            "ledger_entries",
            entry("session", -1),
            ("session_id", Null),
            "delta = -1 AND session_id IS NOT NULL",
        ),
        // The balance may never go below zero (4 are left).
        (
            "ledger_entries",
            entry("adjustment", -4),
            ("delta", I(-5)),
            "below zero",
        ),
        // An adjustment needs a reason.
        (
            "ledger_entries",
            entry("adjustment", 1),
            ("note", t(" ")),
            "length(trim(note)) > 0",
        ),
        // A purchase adds credits.
        (
            "ledger_entries",
            entry("purchase", 1),
            ("delta", I(-1)),
            "kind NOT IN ('purchase', 'transfer_in') OR delta > 0",
        ),
        // A reversal mirrors a real entry of the same package.
        (
            "ledger_entries",
            vec![
                ("id", t("le_probe")),
                ("package_id", t(&package)),
                ("kind", t("reversal")),
                ("delta", I(1)),
                ("occurred_on", t("2026-11-03")),
                ("reverses_id", t(&drawn)),
                ("valued", I(-drawn_valued)),
                ("value_minor", I(-drawn_value)),
                ("recorded_at", t("2026-11-03T00:00:00Z")),
            ],
            ("delta", I(2)),
            "a reversal must mirror",
        ),
        // … and the worth of that entry.
        (
            "ledger_entries",
            vec![
                ("id", t("le_probe")),
                ("package_id", t(&package)),
                ("kind", t("reversal")),
                ("delta", I(1)),
                ("occurred_on", t("2026-11-03")),
                ("reverses_id", t(&drawn)),
                ("valued", I(-drawn_valued)),
                ("value_minor", I(-drawn_value)),
                ("recorded_at", t("2026-11-03T00:00:00Z")),
            ],
            ("value_minor", I(-drawn_value + 1)),
            "mirror the worth",
        ),
        // Credits that leave take their worth with them, never bring any.
        (
            "ledger_entries",
            [entry("adjustment", -1), vec![("value_minor", I(0))]].concat(),
            ("value_minor", I(5)),
            "value_minor * delta >= 0",
        ),
        // Worth counts on the entry's own day or a later one, never before.
        (
            "ledger_entries",
            [entry("adjustment", -1), vec![("worth_on", t("2026-11-04"))]].concat(),
            ("worth_on", t("2026-11-03")),
            "worth_on > occurred_on",
        ),
        // Only an adjustment that takes credits away can be a refund's.
        (
            "ledger_entries",
            [entry("adjustment", -1), vec![("refund_id", t(&payment))]].concat(),
            ("delta", I(1)),
            "refund_id IS NULL OR (kind = 'adjustment' AND delta < 0)",
        ),
        // A correction mirrors a payment of the same package.
        (
            "payments",
            vec![
                ("id", t("pa_probe")),
                ("package_id", t(&package)),
                ("kind", t("payment")),
                ("amount_minor", I(40_000)),
                ("paid_on", t("2026-11-03")),
                ("reverses_id", t(&payment)),
                ("recorded_at", t("2026-11-03T00:00:00Z")),
            ],
            ("amount_minor", I(100)),
            "a correction must mirror",
        ),
        // A follow-up snoozed says until when, and only then.
        (
            "follow_ups",
            vec![
                ("package_id", t(&package)),
                ("state", t("offered")),
                ("until", rusqlite::types::Value::Null),
                ("recorded_at", t("2026-11-03T00:00:00Z")),
            ],
            ("until", t("2026-12-01")),
            "(state = 'snoozed') = (until IS NOT NULL)",
        ),
        // Instalments are real amounts on real days.
        (
            "plan_instalments",
            vec![
                ("package_id", t(&package)),
                ("due_on", t("2026-12-01")),
                ("amount_minor", I(100)),
                ("set_at", t("2026-11-03T00:00:00Z")),
            ],
            ("due_on", t("2026-12-32")),
            "date(due_on) IS due_on",
        ),
        // Dates are real days.
        (
            "ledger_entries",
            entry("adjustment", 1),
            ("occurred_on", t("2026-02-30")),
            "date(occurred_on) IS occurred_on",
        ),
        // Payments are positive amounts.
        (
            "payments",
            vec![
                ("id", t("pa_probe")),
                ("package_id", t(&package)),
                ("kind", t("payment")),
                ("amount_minor", I(100)),
                ("paid_on", t("2026-11-03")),
                ("recorded_at", t("2026-11-03T00:00:00Z")),
            ],
            ("amount_minor", I(0)),
            "amount_minor BETWEEN 1",
        ),
        // A package can't expire before it is sold.
        (
            "packages",
            vec![
                ("id", t("pk_probe")),
                ("client_id", t(&client)),
                ("name", t("Probe")),
                ("sessions", I(5)),
                ("price_minor", I(100)),
                ("validity_kind", t("none")),
                ("late_cancel_hours", I(24)),
                ("sold_on", t("2026-11-03")),
                ("expires_on", t("2026-12-03")),
                ("created_at", t("2026-11-03T00:00:00Z")),
            ],
            ("expires_on", t("2026-11-02")),
            "expires_on >= sold_on",
        ),
        // A client has a name.
        (
            "clients",
            vec![
                ("id", t("cl_probe")),
                ("name", t("Probe")),
                ("name_key", t("probe")),
                ("created_at", t("")),
                ("updated_at", t("")),
            ],
            ("name", t("  ")),
            "length(trim(name)) BETWEEN 1 AND 200",
        ),
    ];
    for (table, valid, change, constraint) in cases {
        assert_eq!(
            try_insert(db, table, &valid, None),
            Ok(()),
            "{table}: the valid row is refused"
        );
        let label = format!("{table}.{} = {:?}", change.0, change.1);
        let err = try_insert(db, table, &valid, Some(change)).expect_err(&label);
        assert!(
            err.contains(constraint),
            "{label}: refused by another rule: {err}"
        );
    }
    assert!(db
        .execute("UPDATE practice SET currency = 'euro'", [])
        .unwrap_err()
        .to_string()
        .contains("currency GLOB"));
    assert_eq!(store.package(&package).unwrap().remaining, 4);
}

#[test]
fn a_newer_schema_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("future.sqlite3");
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch(
            "CREATE TABLE future (x); PRAGMA user_version = 99; PRAGMA application_id = 1347767875;",
        )
        .unwrap();
    }
    let before = std::fs::read(&path).unwrap();
    // Not an upgrade the app would wait for: it is refused at once.
    assert_eq!(Store::upgrade_due(&path), None);
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
        ErrorKind::NotAPractice
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
        .prepare(
            "SELECT sql FROM sqlite_schema WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_stat%'
             ORDER BY type DESC, name",
        )
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
