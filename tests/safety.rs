//! Nothing lost, nothing taken over: each hole found when the practice file
//! was attacked as a careless user, a crash and a curious user with the
//! `sqlite3` tool would, closed and kept closed.

mod common;

use std::path::{Path, PathBuf};

use punchcard::io::backup::{keep_before_upgrade, SnapshotKind};
use punchcard::{ClientInput, ErrorKind, SaleInput, Store, TermsInput, Validity};

fn files_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// How many clients a copy holds (none when it does not even hold the schema).
fn client_count(path: &Path) -> i64 {
    let conn = rusqlite::Connection::open(path).unwrap();
    conn.query_row("SELECT count(*) FROM clients", [], |r| r.get(0))
        .unwrap_or(0)
}

fn practice_path(dir: &tempfile::TempDir) -> PathBuf {
    dir.path().join("practice.sqlite3")
}

#[test]
fn an_export_never_lands_on_the_practice_file() {
    let (dir, mut store) = common::practice();
    let c = store.create_client(&ClientInput::named("Zoë")).unwrap();
    let practice = practice_path(&dir);
    std::fs::create_dir(dir.path().join("sub")).unwrap();
    for target in [
        practice.clone(),
        dir.path().join("sub/../practice.sqlite3"),
        dir.path().join("practice.sqlite3-wal"),
        dir.path().join("practice.sqlite3-shm"),
        dir.path().join("practice.sqlite3-journal"),
    ] {
        let err = store.export_history(&c.id, &target).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Conflict, "{}", target.display());
        assert!(err.to_string().contains("your practice file"), "{err}");
    }
    // Later writes still land, and the file still opens.
    store.create_client(&ClientInput::named("Ana")).unwrap();
    drop(store);
    assert_eq!(
        Store::open(&practice)
            .unwrap()
            .client_list("")
            .unwrap()
            .len(),
        2
    );
}

#[test]
fn a_plain_copy_is_complete_once_the_practice_is_checkpointed() {
    let (dir, mut store) = common::practice();
    common::add_clients(&mut store, "Client", 200);
    let copy = dir.path().join("copy.sqlite3");
    // While the work sits in the -wal, a copy of the main file alone misses it...
    std::fs::copy(practice_path(&dir), &copy).unwrap();
    assert_eq!(client_count(&copy), 0);
    // ...after a checkpoint (which the app runs when idle and at close) it has it all.
    store.checkpoint().unwrap();
    std::fs::remove_file(&copy).unwrap();
    std::fs::copy(practice_path(&dir), &copy).unwrap();
    assert_eq!(client_count(&copy), 200);
}

#[test]
fn back_up_now_writes_a_verified_complete_copy() {
    let (dir, mut store) = common::practice();
    store.create_client(&ClientInput::named("Zoë")).unwrap();
    let target = dir.path().join("backups/Friday.sqlite3");
    std::fs::create_dir(dir.path().join("backups")).unwrap();
    let written = store.back_up_to(&target).unwrap();
    assert_eq!(written, std::fs::canonicalize(&target).unwrap());
    punchcard::io::backup::verify(&target).unwrap();
    assert_eq!(client_count(&target), 1);
    // Self-contained: no -wal or -shm beside it.
    assert_eq!(files_in(&dir.path().join("backups")), ["Friday.sqlite3"]);
    // Never onto the practice file.
    assert_eq!(
        store.back_up_to(&practice_path(&dir)).unwrap_err().kind(),
        ErrorKind::Conflict
    );
}

#[test]
fn snapshots_are_taken_once_a_day_and_pruned() {
    let (dir, mut store) = common::practice();
    store.create_client(&ClientInput::named("Zoë")).unwrap();
    let snaps = dir.path().join("snaps");
    let day = |s: &str| s.parse::<chrono::NaiveDate>().unwrap();
    let practice = practice_path(&dir);
    assert!(
        punchcard::io::backup::take_snapshot(&practice, &snaps, day("2026-11-25"))
            .unwrap()
            .is_some()
    );
    assert!(
        punchcard::io::backup::take_snapshot(&practice, &snaps, day("2026-11-25"))
            .unwrap()
            .is_none()
    );
    for d in 1..=20 {
        let today = day("2026-12-01") + chrono::Days::new(d);
        punchcard::io::backup::take_snapshot(&practice, &snaps, today).unwrap();
    }
    let files = files_in(&snaps);
    // 14 days, plus the first of November and of December.
    assert_eq!(files.len(), 16, "{files:?}");
    assert!(files.contains(&"2026-11-25.sqlite3".to_owned()));
    assert!(files.contains(&"2026-12-02.sqlite3".to_owned()));
    assert!(!files.contains(&"2026-12-03.sqlite3".to_owned()));
    let listed = punchcard::io::backup::list_snapshots(&snaps).unwrap();
    assert_eq!(listed.len(), 16);
    assert!(listed
        .iter()
        .all(|s| s.kind == SnapshotKind::Daily && s.kilobytes > 0));
}

/// A copy stopped half-way (the app closed while it wrote a snapshot, or a
/// copy before an upgrade) is removed the next time one is taken; a copy
/// still being written is not.
#[test]
fn a_copy_left_half_written_is_removed_the_next_time() {
    let (dir, _store) = common::practice();
    let snaps = dir.path().join("snaps");
    std::fs::create_dir_all(&snaps).unwrap();
    let hours_ago = |name: &str, hours: u64| {
        let f = std::fs::File::create(snaps.join(name)).unwrap();
        f.set_modified(std::time::SystemTime::now() - std::time::Duration::from_secs(hours * 3600))
            .unwrap();
    };
    hours_ago(".punchcard-left.part", 2);
    hours_ago(".punchcard-left.part-journal", 2);
    hours_ago(".punchcard-writing.part", 0);
    hours_ago("notes.txt", 2);
    let today = "2026-11-25".parse().unwrap();
    punchcard::io::backup::take_snapshot(&practice_path(&dir), &snaps, today).unwrap();
    assert_eq!(
        files_in(&snaps),
        [".punchcard-writing.part", "2026-11-25.sqlite3", "notes.txt"]
    );
}

#[test]
fn restore_sets_the_current_practice_aside_first() {
    let (dir, mut store) = common::practice();
    store.create_client(&ClientInput::named("Before")).unwrap();
    let backup = dir.path().join("backup.sqlite3");
    store.back_up_to(&backup).unwrap();
    store.create_client(&ClientInput::named("After")).unwrap();
    let _ = store.take_changes();

    let aside_dir = dir.path().join("snaps");
    let aside = store.restore_from(&backup, &aside_dir).unwrap();
    let names: Vec<String> = store
        .client_list("")
        .unwrap()
        .into_iter()
        .map(|c| c.name)
        .collect();
    assert_eq!(names, ["Before"]);
    assert_eq!(
        client_count(&aside),
        2,
        "the set-aside copy holds the work since the backup"
    );
    assert_eq!(store.take_changes().topics.len(), 4);
    // The set-aside file can itself be restored, at once (the same second:
    // setting the current practice aside again must not write over it).
    store.restore_from(&aside, &aside_dir).unwrap();
    let names: Vec<String> = store
        .client_list("")
        .unwrap()
        .into_iter()
        .map(|c| c.name)
        .collect();
    assert_eq!(names, ["After", "Before"]);
    // The restored practice works on.
    store.create_client(&ClientInput::named("Next")).unwrap();
    assert!(punchcard::io::backup::list_snapshots(&aside_dir)
        .unwrap()
        .iter()
        .all(|s| s.kind == SnapshotKind::SetAside));

    // What is not a practice, or is the practice itself, is refused; nothing changes.
    let junk = dir.path().join("junk.sqlite3");
    std::fs::write(
        &junk,
        b"not a database at all, but long enough to look like one maybe",
    )
    .unwrap();
    assert!(store.restore_from(&junk, &aside_dir).is_err());
    assert!(store
        .restore_from(&practice_path(&dir), &aside_dir)
        .is_err());
    assert_eq!(store.client_list("").unwrap().len(), 3);
}

#[test]
fn restoring_an_older_version_brings_it_up_to_date() {
    let (dir, mut store) = common::practice();
    let v1 = dir.path().join("v1.sqlite3");
    std::fs::copy(common::fixture("schema-v1.sqlite3"), &v1).unwrap();
    store.restore_from(&v1, &dir.path().join("snaps")).unwrap();
    assert_eq!(store.client_list("").unwrap().len(), 36);
    let version: i64 = store
        .connection()
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    assert_eq!(version, punchcard::store::schema_version());
}

/// Before an upgrade, the practice is kept as the older Punchcard left it:
/// a checked copy of the previous version's file, listed and restorable;
/// the newest two are kept. A file already up to date is not copied.
#[test]
fn a_copy_of_an_older_practice_is_kept_before_it_is_upgraded() {
    let dir = tempfile::tempdir().unwrap();
    let snaps = dir.path().join("snaps");
    let older = dir.path().join("older.sqlite3");
    let at = |s: &str| s.parse::<chrono::DateTime<chrono::Utc>>().unwrap();
    let version = |p: &Path| -> i64 {
        rusqlite::Connection::open(p)
            .unwrap()
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap()
    };
    // What an app closed half-way through an earlier copy left behind.
    std::fs::create_dir_all(&snaps).unwrap();
    std::fs::File::create(snaps.join(".punchcard-left.part"))
        .unwrap()
        .set_modified(std::time::SystemTime::now() - std::time::Duration::from_secs(7200))
        .unwrap();
    let mut kept = Vec::new();
    for now in [
        "2026-11-25T09:00:00Z",
        "2026-11-26T09:00:00Z",
        "2026-11-27T09:00:00Z",
    ] {
        std::fs::copy(common::fixture("schema-v16.sqlite3"), &older).unwrap();
        let copy = keep_before_upgrade(&older, &snaps, at(now))
            .unwrap()
            .unwrap();
        assert_eq!(version(&copy), 16);
        assert_eq!(client_count(&copy), client_count(&older));
        kept.push(copy);
        // The upgrade runs after it, and leaves the copy as it was.
        drop(Store::open(&older).unwrap());
        assert_eq!(version(&older), punchcard::store::schema_version());
        assert_eq!(version(kept.last().unwrap()), 16);
    }
    assert_eq!(
        files_in(&snaps),
        [
            "before-upgrade-2026-11-26T090000-v16.sqlite3",
            "before-upgrade-2026-11-27T090000-v16.sqlite3"
        ]
    );
    let listed = punchcard::io::backup::list_snapshots(&snaps).unwrap();
    assert_eq!(listed.len(), 2);
    assert!(listed.iter().all(|s| s.kind == SnapshotKind::BeforeUpgrade));

    // Up to date: nothing to keep, nothing written.
    assert_eq!(
        keep_before_upgrade(&older, &snaps, at("2026-11-28T09:00:00Z")).unwrap(),
        None
    );
    assert_eq!(files_in(&snaps).len(), 2);

    // The copy restores like any snapshot, and is brought up to date again.
    let (_d, mut store) = common::practice();
    store.restore_from(&kept[2], &snaps).unwrap();
    let restored: i64 = store
        .connection()
        .query_row("SELECT count(*) FROM clients", [], |r| r.get(0))
        .unwrap();
    assert_eq!(restored, client_count(&kept[2]));
}

/// A first open of an older Punchcard could be killed between committing the
/// schema and writing the mark; such a file is recognised and finished.
#[test]
fn a_half_made_file_is_finished() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("half.sqlite3");
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch(include_str!("../src/store/migrations/01-schema-v1/up.sql"))
            .unwrap();
        conn.pragma_update(None, "user_version", 1).unwrap();
    }
    let mut store = Store::open(&path).unwrap();
    store
        .save_practice(&punchcard::PracticeInput::first_run(
            "Move Well",
            "EUR",
            "UTC",
        ))
        .unwrap();
    let app_id: i64 = store
        .connection()
        .pragma_query_value(None, "application_id", |r| r.get(0))
        .unwrap();
    assert_eq!(app_id, 0x5055_4E43);
}

#[test]
fn other_programs_files_are_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let cases: [(&str, &str); 6] = [
        ("app-id-only.db", "PRAGMA application_id = 1234;"),
        ("view-only.db", "CREATE VIEW v AS SELECT 1;"),
        ("version-only.db", "PRAGMA user_version = 7;"),
        ("tables.db", "CREATE TABLE notes (body TEXT);"),
        (
            "tables-and-version.db",
            "CREATE TABLE notes (body TEXT); PRAGMA user_version = 99;",
        ),
        (
            "newer-looking.db",
            "CREATE TABLE t (x); PRAGMA user_version = 99; PRAGMA application_id = 42;",
        ),
    ];
    for (name, sql) in cases {
        let path = dir.path().join(name);
        rusqlite::Connection::open(&path)
            .unwrap()
            .execute_batch(sql)
            .unwrap();
        let before = std::fs::read(&path).unwrap();
        let listing = files_in(dir.path());
        let err = Store::open(&path).err().unwrap();
        assert_eq!(err.kind(), ErrorKind::NotAPractice, "{name}: {err}");
        assert!(!err.to_string().contains("newer"), "{name}: {err}");
        assert_eq!(std::fs::read(&path).unwrap(), before, "{name} was changed");
        assert_eq!(files_in(dir.path()), listing, "{name} left files beside it");
    }
    // An empty SQLite file with no mark of its own may become a practice.
    let empty = dir.path().join("empty.db");
    rusqlite::Connection::open(&empty)
        .unwrap()
        .execute_batch("VACUUM")
        .unwrap();
    Store::open(&empty).unwrap();
}

#[test]
fn a_second_punchcard_on_the_same_file_is_refused_in_plain_words() {
    let (dir, _store) = common::practice();
    let err = Store::open(practice_path(&dir)).err().unwrap();
    assert_eq!(err.kind(), ErrorKind::Busy);
    assert!(
        err.to_string()
            .contains("already open in another Punchcard window"),
        "{err}"
    );
}

#[test]
fn a_reader_beside_the_writer_sees_each_committed_write_and_saves_nothing() {
    let (dir, mut store) = common::practice();
    let reader = Store::open_reader(practice_path(&dir)).unwrap();
    let names = |s: &Store| -> Vec<String> {
        s.client_list("")
            .unwrap()
            .into_iter()
            .map(|c| c.name)
            .collect()
    };
    assert!(names(&reader).is_empty());
    store
        .create_client(&ClientInput::named("Ana Souza"))
        .unwrap();
    assert_eq!(names(&reader), ["Ana Souza"], "a committed write is seen");
    // A write still open on the writer is not seen, and does not hold the
    // reader up.
    store
        .batch(|s| {
            s.create_client(&ClientInput::named("Bruno Nair"))?;
            assert_eq!(names(&reader), ["Ana Souza"]);
            Ok(())
        })
        .unwrap();
    assert_eq!(names(&reader), ["Ana Souza", "Bruno Nair"]);
    // A restore, through the writer, is seen too.
    let backup = dir.path().join("backup.sqlite3");
    store.back_up_to(&backup).unwrap();
    store
        .create_client(&ClientInput::named("Carla Dias"))
        .unwrap();
    assert_eq!(names(&reader).len(), 3);
    store
        .restore_from(&backup, &dir.path().join("snaps"))
        .unwrap();
    assert_eq!(names(&reader), ["Ana Souza", "Bruno Nair"]);
    // Deep pages of the list (found from remembered places in it) see a
    // client added before them.
    store
        .batch(|s| {
            for i in 0..700 {
                s.create_client(&ClientInput::named(&format!("Client {i:03}")))?;
            }
            Ok(())
        })
        .unwrap();
    let deep = |s: &Store, offset| {
        s.client_page(&punchcard::views::client_list::ClientQuery {
            offset,
            limit: 3,
            ..Default::default()
        })
        .unwrap()
        .rows
        .into_iter()
        .map(|r| r.name)
        .collect::<Vec<_>>()
    };
    let before = deep(&reader, 600);
    assert_eq!(before, deep(&store, 600));
    store.create_client(&ClientInput::named("Aaron")).unwrap();
    assert_eq!(deep(&reader, 601), before);
    store
        .restore_from(&backup, &dir.path().join("snaps"))
        .unwrap();
    // While it reads an older state of the file, a checkpoint cannot fold
    // the whole journal in, and says so instead of claiming it did.
    reader
        .connection()
        .execute_batch("BEGIN; SELECT count(*) FROM clients;")
        .unwrap();
    store.create_client(&ClientInput::named("Erin")).unwrap();
    assert_eq!(store.checkpoint().unwrap_err().kind(), ErrorKind::Busy);
    reader.connection().execute_batch("COMMIT").unwrap();
    store.checkpoint().unwrap();
    // Nothing is written through it, and the file is unchanged by trying.
    let mut reader = reader;
    let err = reader
        .create_client(&ClientInput::named("Dora"))
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::ReadOnly);
    assert_eq!(client_count(&practice_path(&dir)), 3);
    // A file that is not (or not yet) this version's practice is refused.
    let junk = dir.path().join("junk.sqlite3");
    std::fs::write(&junk, b"not a database").unwrap();
    assert!(Store::open_reader(&junk).is_err());
    assert!(Store::open_reader(common::fixture("schema-v8.sqlite3")).is_err());
}

#[test]
fn a_file_another_program_is_writing_is_reported_at_once() {
    let (dir, store) = common::practice();
    let path = practice_path(&dir);
    drop(store);
    let other = rusqlite::Connection::open(&path).unwrap();
    other.execute_batch("BEGIN IMMEDIATE").unwrap();
    let started = std::time::Instant::now();
    let err = Store::open(&path).err().unwrap();
    assert!(started.elapsed() < std::time::Duration::from_secs(2));
    assert_eq!(err.kind(), ErrorKind::Busy);
    assert!(
        err.to_string()
            .starts_with("Another program is using this practice file"),
        "{err}"
    );
    assert!(!err.to_string().contains("locked"), "{err}");
}

#[cfg(unix)]
#[test]
fn a_read_only_file_opens_read_only_and_says_so() {
    use std::os::unix::fs::PermissionsExt;
    let (dir, mut store) = common::practice();
    store.create_client(&ClientInput::named("Zoë")).unwrap();
    drop(store);
    let path = practice_path(&dir);
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o444)).unwrap();
    let before = std::fs::read(&path).unwrap();
    let mut store = Store::open(&path).unwrap();
    assert!(store.read_only().unwrap().contains("read-only"));
    assert_eq!(store.client_list("").unwrap().len(), 1);
    let err = store.create_client(&ClientInput::named("Ana")).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::ReadOnly);
    assert!(err.to_string().contains("read-only"), "{err}");
    drop(store);
    assert_eq!(std::fs::read(&path).unwrap(), before);
}

#[cfg(unix)]
#[test]
fn a_file_in_a_read_only_folder_opens_read_only_and_says_so() {
    use std::os::unix::fs::PermissionsExt;
    let (dir, mut store) = common::practice();
    store.create_client(&ClientInput::named("Zoë")).unwrap();
    store.checkpoint().unwrap();
    drop(store);
    let folder = dir.path();
    std::fs::set_permissions(folder, std::fs::Permissions::from_mode(0o555)).unwrap();
    let opened = Store::open(practice_path(&dir));
    std::fs::set_permissions(folder, std::fs::Permissions::from_mode(0o755)).unwrap();
    let store = opened.unwrap();
    assert!(store.read_only().unwrap().contains("folder"));
    assert_eq!(store.client_list("").unwrap().len(), 1);
}

#[test]
fn replace_and_upsert_cannot_rewrite_what_is_append_only() {
    let (dir, mut store) = common::practice();
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
    drop(store);
    // The way a curious user would: the sqlite3 tool, foreign keys off.
    let db = rusqlite::Connection::open(practice_path(&dir)).unwrap();
    for sql in [
        "INSERT OR REPLACE INTO ledger_entries SELECT seq, id, package_id, kind, 50, occurred_on, occurred_time, session_id, reverses_id, transfer_package_id, note, recorded_at FROM ledger_entries WHERE kind = 'purchase'",
        "REPLACE INTO ledger_entries SELECT seq, id, package_id, kind, 50, occurred_on, occurred_time, session_id, reverses_id, transfer_package_id, note, recorded_at FROM ledger_entries",
        "REPLACE INTO payments SELECT seq, id, package_id, kind, 1, paid_on, method, note, recorded_at FROM payments",
        "REPLACE INTO packages SELECT id, client_id, offering_id, name, sessions, 1, validity_kind, validity_days, valid_until, late_cancel_hours, service, sold_on, expires_on, renews_id, renewal_state, renewal_snoozed_until, created_at FROM packages",
        "INSERT INTO ledger_entries SELECT seq, id, package_id, kind, 50, occurred_on, occurred_time, session_id, reverses_id, transfer_package_id, note, recorded_at FROM ledger_entries ON CONFLICT DO UPDATE SET delta = 50",
        "INSERT INTO payments SELECT seq, id, package_id, kind, 1, paid_on, method, note, recorded_at FROM payments ON CONFLICT (id) DO UPDATE SET amount_minor = 1",
        "UPDATE ledger_entries SET delta = 50",
        "DELETE FROM payments",
        "INSERT INTO ledger_entries (id, package_id, kind, delta, occurred_on, note, recorded_at) SELECT 'le_neg', id, 'adjustment', -6, '2026-11-02', 'x', '' FROM packages",
    ] {
        assert!(db.execute_batch(sql).is_err(), "accepted: {sql}");
    }
    drop(db);
    let store = Store::open(practice_path(&dir)).unwrap();
    let p = store.package(&p.id).unwrap();
    assert_eq!(
        (p.remaining, p.price.to_string(), p.paid.to_string()),
        (5, "400.00".into(), "400.00".into())
    );
}

/// The same statements against the sample practice (a real file), after the
/// app has brought it up to date: every one refused, nothing changed.
#[test]
fn tampering_with_the_sample_practice_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sample.sqlite3");
    std::fs::copy(common::fixture("schema-v1.sqlite3"), &path).unwrap();
    std::fs::set_permissions(&path, std::fs::metadata(dir.path()).unwrap().permissions()).unwrap();
    drop(Store::open(&path).unwrap());
    let db = rusqlite::Connection::open(&path).unwrap();
    let sums = |db: &rusqlite::Connection| -> (i64, i64, i64) {
        db.query_row(
            "SELECT (SELECT sum(delta) FROM ledger_entries), (SELECT sum(amount_minor) FROM payments), (SELECT sum(price_minor) FROM packages)",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap()
    };
    let before = sums(&db);
    let mut refused = 0;
    for sql in [
        "UPDATE ledger_entries SET delta = delta + 1 WHERE kind = 'session'",
        "DELETE FROM ledger_entries WHERE kind = 'reversal'",
        "UPDATE payments SET amount_minor = 1",
        "DELETE FROM payments",
        "UPDATE packages SET price_minor = 0",
        "DELETE FROM packages",
        "DELETE FROM sessions",
        "UPDATE session_history SET status = 'completed'",
        "REPLACE INTO ledger_entries SELECT seq, id, package_id, kind, 9, occurred_on, occurred_time, session_id, reverses_id, transfer_package_id, note, recorded_at FROM ledger_entries WHERE kind = 'purchase'",
        "REPLACE INTO payments SELECT seq, id, package_id, kind, 1, paid_on, method, note, recorded_at FROM payments",
        "REPLACE INTO packages SELECT id, client_id, offering_id, name, sessions, 1, validity_kind, validity_days, valid_until, late_cancel_hours, service, sold_on, expires_on, renews_id, renewal_state, renewal_snoozed_until, created_at FROM packages",
        "INSERT INTO payments SELECT seq, id, package_id, kind, 1, paid_on, method, note, recorded_at FROM payments ON CONFLICT (id) DO UPDATE SET amount_minor = 1",
        "INSERT INTO ledger_entries (id, package_id, kind, delta, occurred_on, note, recorded_at) SELECT 'le_' || id, id, 'adjustment', -1000, '2026-11-02', 'x', '' FROM packages LIMIT 1",
    ] {
        assert!(db.execute_batch(sql).is_err(), "accepted: {sql}");
        refused += 1;
    }
    assert_eq!(sums(&db), before);
    assert!(refused >= 13);
}

#[test]
fn the_sample_never_mixes_with_a_practitioners_own_offerings() {
    let (_dir, mut store) = common::practice();
    store
        .create_offering(&TermsInput::new("My pack", 10, "500", Validity::None))
        .unwrap();
    let err = store
        .load_sample(punchcard::SampleSize::STANDARD, "UTC")
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Conflict);
    assert_eq!(store.offerings(true).unwrap().len(), 1);
}
