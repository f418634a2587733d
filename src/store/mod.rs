//! The practice file: opening it, its pragmas and migrations, and the one way
//! every operation touches it — inside a transaction ([`Tx`]). All SQL lives
//! in this folder, one file per area; nothing outside it writes a query.

pub(crate) mod clients;
pub(crate) mod ledger;
pub(crate) mod offerings;
pub(crate) mod packages;
pub(crate) mod payments;
pub(crate) mod practice;
pub(crate) mod sessions;

use std::cell::{Cell, OnceCell, RefCell};
use std::path::Path;

use chrono::{DateTime, SecondsFormat, Utc};
use rusqlite::{Connection, OpenFlags};
use rusqlite_migration::{Migrations, M};

use crate::changes::{ChangeSet, Changes, Topic};
use crate::context::Ctx;
use crate::error::{Error, Result};

/// Marks a SQLite file as a Punchcard practice ("PUNC").
pub(crate) const APPLICATION_ID: i64 = 0x5055_4E43;

/// Every schema version, oldest first; the schema version is their count.
const MIGRATION_LIST: &[M<'static>] = &[M::up(include_str!("migrations/01-schema-v1/up.sql"))];
const MIGRATION_COUNT: i64 = MIGRATION_LIST.len() as i64;

fn migrations() -> Migrations<'static> {
    Migrations::from_slice(MIGRATION_LIST)
}

/// The schema version this build writes and understands.
pub fn schema_version() -> i64 {
    MIGRATION_COUNT
}

/// Every migration's SQL, concatenated: what the schema allows.
#[cfg(test)]
pub(crate) fn schema_sql() -> String {
    [include_str!("migrations/01-schema-v1/up.sql")].concat()
}

/// Where "now" comes from; tests and the sample practice pin it.
pub type Clock = Box<dyn Fn() -> DateTime<Utc> + Send>;

/// Random time-ordered ids in real use; a counter where output must be
/// reproducible (golden files, the sample practice).
enum IdSource {
    TimeOrdered,
    Sequential(Cell<u64>),
}

impl IdSource {
    fn next(&self, prefix: &str) -> String {
        match self {
            IdSource::TimeOrdered => format!("{prefix}_{}", uuid::Uuid::now_v7().simple()),
            IdSource::Sequential(n) => {
                n.set(n.get() + 1);
                format!("{prefix}_{:032x}", n.get())
            }
        }
    }
}

/// An open practice file. Reads and writes go through [`Store::read`] and
/// [`Store::write`]; the views and operations are methods in `views/` and `ops/`.
pub struct Store {
    conn: Connection,
    clock: Clock,
    ids: IdSource,
    changes: ChangeSet,
}

/// One operation's view of the file: the connection inside its transaction,
/// the practice context (loaded once, on first use), new ids, and what it changed.
pub(crate) struct Tx<'a> {
    pub conn: &'a Connection,
    now: DateTime<Utc>,
    ctx: OnceCell<Ctx>,
    ids: &'a IdSource,
    changes: RefCell<ChangeSet>,
}

impl Tx<'_> {
    /// The practice's currency, zone, today and thresholds; a clear error
    /// before the first-run set-up.
    pub fn ctx(&self) -> Result<&Ctx> {
        if let Some(ctx) = self.ctx.get() {
            return Ok(ctx);
        }
        let settings = practice::get(self.conn)?.ok_or_else(|| {
            Error::Conflict("Set up the practice first: its name and currency.".into())
        })?;
        Ok(self.ctx.get_or_init(|| Ctx::new(&settings, self.now)))
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.now
    }

    /// The instant of this operation, as stored (UTC, RFC 3339).
    pub fn now_text(&self) -> String {
        self.now.to_rfc3339_opts(SecondsFormat::Micros, true)
    }

    /// A new id: type prefix and a time-ordered UUID (v7), stable across export.
    pub fn id(&self, prefix: &str) -> String {
        self.ids.next(prefix)
    }

    /// Records that this operation changed `topic`.
    pub fn touch(&self, topic: Topic) {
        self.changes.borrow_mut().add(topic);
    }
}

/// Rolls back an open transaction unless it was committed, even on a panic.
struct Guard<'a> {
    conn: &'a Connection,
    nested: bool,
    done: bool,
}

impl<'a> Guard<'a> {
    fn begin(conn: &'a Connection, immediate: bool) -> Result<Self> {
        let nested = !conn.is_autocommit();
        conn.execute_batch(match (nested, immediate) {
            (true, _) => "SAVEPOINT op",
            (false, true) => "BEGIN IMMEDIATE",
            (false, false) => "BEGIN DEFERRED",
        })?;
        Ok(Guard {
            conn,
            nested,
            done: false,
        })
    }

    fn commit(mut self) -> Result<()> {
        self.done = true;
        let result = self
            .conn
            .execute_batch(if self.nested { "RELEASE op" } else { "COMMIT" });
        if result.is_err() {
            self.rollback();
        }
        Ok(result?)
    }

    fn rollback(&self) {
        let _ = self.conn.execute_batch(if self.nested {
            "ROLLBACK TO op; RELEASE op"
        } else {
            "ROLLBACK"
        });
    }
}

impl Drop for Guard<'_> {
    fn drop(&mut self) {
        if !self.done {
            self.rollback();
        }
    }
}

impl Store {
    /// Opens (creating if needed) a practice file and brings its schema up to
    /// date. A file from a newer Punchcard, or a SQLite file that is not a
    /// Punchcard practice, is refused before anything is written to it.
    pub fn open(path: impl AsRef<Path>) -> Result<Store> {
        let path = path.as_ref();
        if let Some(parent) = path.parent() {
            if !parent.as_os_str().is_empty() {
                std::fs::create_dir_all(parent)?;
            }
        }
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_CREATE
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        Store::prepare(conn)
    }

    pub fn open_in_memory() -> Result<Store> {
        Store::prepare(Connection::open_in_memory()?)
    }

    fn prepare(mut conn: Connection) -> Result<Store> {
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        // Read-only checks first, so a refused file is left byte-for-byte untouched.
        let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
        if version > MIGRATION_COUNT {
            return Err(Error::NewerSchema {
                found: version,
                supported: MIGRATION_COUNT,
            });
        }
        let app_id: i64 = conn.pragma_query_value(None, "application_id", |r| r.get(0))?;
        let tables: i64 = conn.query_row(
            "SELECT count(*) FROM sqlite_schema WHERE type = 'table'",
            [],
            |r| r.get(0),
        )?;
        if app_id != APPLICATION_ID && tables > 0 {
            return Err(Error::NotAPractice(
                "This file is a SQLite database, but not a Punchcard practice. It was left untouched."
                    .into(),
            ));
        }
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        migrations().to_latest(&mut conn)?;
        if app_id != APPLICATION_ID {
            conn.pragma_update(None, "application_id", APPLICATION_ID)?;
        }
        Ok(Store {
            conn,
            clock: Box::new(Utc::now),
            ids: IdSource::TimeOrdered,
            changes: ChangeSet::default(),
        })
    }

    /// Pins the clock (tests, the deterministic sample practice).
    pub fn set_clock(&mut self, clock: Clock) {
        self.clock = clock;
    }

    /// Makes ids reproducible: `cl_000…001`, `cl_000…002`, … (tests, golden files).
    pub fn use_sequential_ids(&mut self) {
        self.ids = IdSource::Sequential(Cell::new(0));
    }

    pub fn now(&self) -> DateTime<Utc> {
        (self.clock)()
    }

    fn tx(&self) -> Tx<'_> {
        Tx {
            conn: &self.conn,
            now: self.now(),
            ctx: OnceCell::new(),
            ids: &self.ids,
            changes: RefCell::new(ChangeSet::default()),
        }
    }

    /// Runs a read in one consistent snapshot of the file.
    pub(crate) fn read<T>(&self, f: impl FnOnce(&Tx) -> Result<T>) -> Result<T> {
        let guard = Guard::begin(&self.conn, false)?;
        let value = f(&self.tx())?;
        guard.commit()?;
        Ok(value)
    }

    /// Runs a write in one IMMEDIATE transaction: it reads, decides and writes
    /// with the file locked, and all of it lands or none. Inside [`Store::batch`]
    /// it becomes a savepoint of the outer transaction.
    pub(crate) fn write<T>(&mut self, f: impl FnOnce(&Tx) -> Result<T>) -> Result<T> {
        let tx = self.tx();
        let guard = Guard::begin(&self.conn, true)?;
        let value = f(&tx)?;
        guard.commit()?;
        let changes = tx.changes.into_inner();
        self.changes.extend(changes);
        Ok(value)
    }

    /// Runs many operations as one transaction (one fsync instead of thousands):
    /// all of them land, or none.
    pub fn batch<T>(&mut self, f: impl FnOnce(&mut Store) -> Result<T>) -> Result<T> {
        self.conn.execute_batch("BEGIN IMMEDIATE")?;
        match f(self) {
            Ok(value) => match self.conn.execute_batch("COMMIT") {
                Ok(()) => Ok(value),
                Err(e) => {
                    let _ = self.conn.execute_batch("ROLLBACK");
                    Err(e.into())
                }
            },
            Err(e) => {
                let _ = self.conn.execute_batch("ROLLBACK");
                Err(e)
            }
        }
    }

    /// What the writes since the last call changed (the shell tells the UI).
    pub fn take_changes(&mut self) -> Changes {
        self.changes.take()
    }

    /// Direct access for tests that prove the database itself refuses things.
    #[doc(hidden)]
    pub fn connection(&self) -> &Connection {
        &self.conn
    }
}

/// Maps "no row" to a NotFound with a human message.
pub(crate) fn found<T>(r: rusqlite::Result<T>, what: &str) -> Result<T> {
    match r {
        Err(rusqlite::Error::QueryReturnedNoRows) => {
            Err(Error::NotFound(format!("That {what} no longer exists.")))
        }
        other => Ok(other?),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_are_valid() {
        migrations().validate().unwrap();
    }

    #[test]
    fn migration_count_matches_the_list() {
        let mut conn = Connection::open_in_memory().unwrap();
        migrations().to_latest(&mut conn).unwrap();
        let v: i64 = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        assert_eq!(v, MIGRATION_COUNT);
        assert_eq!(schema_version(), v);
    }

    #[test]
    fn ids_carry_their_prefix_and_sort_by_time() {
        let s = Store::open_in_memory().unwrap();
        let a = s.ids.next("cl");
        let b = s.ids.next("cl");
        assert!(a.starts_with("cl_") && a.len() == 35);
        assert!(a < b);
    }

    #[test]
    fn a_failed_write_leaves_nothing_and_the_next_one_works() {
        let mut s = Store::open_in_memory().unwrap();
        let r: Result<()> = s.write(|tx| {
            tx.conn.execute_batch("CREATE TABLE scratch (x)")?;
            Err(Error::Conflict("no".into()))
        });
        assert!(r.is_err());
        assert!(s.conn.is_autocommit());
        let gone: i64 = s
            .conn
            .query_row(
                "SELECT count(*) FROM sqlite_schema WHERE name = 'scratch'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(gone, 0);
        s.write(|tx| {
            tx.touch(Topic::Clients);
            Ok(())
        })
        .unwrap();
        assert_eq!(s.take_changes().topics, [Topic::Clients]);
        assert!(s.take_changes().topics.is_empty());
    }

    #[test]
    fn a_panicking_write_is_rolled_back() {
        let mut s = Store::open_in_memory().unwrap();
        let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let _ = s.write(|tx| -> Result<()> {
                tx.conn.execute_batch("CREATE TABLE scratch (x)")?;
                panic!("boom");
            });
        }));
        assert!(caught.is_err());
        assert!(s.conn.is_autocommit());
        s.write(|_| Ok(())).unwrap();
    }
}
