//! The practice file: connection, pragmas, migrations, and the small helpers
//! every area uses (ids, the clock, transactions).

use std::path::Path;

use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use rusqlite::{Connection, OpenFlags, TransactionBehavior};
use rusqlite_migration::{Migrations, M};

use crate::error::{Error, Result};

/// Marks a SQLite file as a Punchcard practice ("PUNC").
const APPLICATION_ID: i64 = 0x5055_4E43;

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

/// Where "now" comes from; tests and the sample practice pin it.
pub type Clock = Box<dyn Fn() -> DateTime<Utc> + Send>;

pub struct Store {
    pub(crate) conn: Connection,
    clock: Clock,
    ids: IdSource,
    /// Inside `batch`: writes become savepoints of one outer transaction.
    in_batch: bool,
}

/// Random time-ordered ids in real use; a counter where output must be
/// reproducible (golden files, the sample practice).
enum IdSource {
    TimeOrdered,
    Sequential(std::cell::Cell<u64>),
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
            return Err(Error::Conflict(
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
            in_batch: false,
        })
    }

    /// Pins the clock (tests, the deterministic sample practice).
    pub fn set_clock(&mut self, clock: Clock) {
        self.clock = clock;
    }

    /// Makes ids reproducible: `cl_000…001`, `cl_000…002`, … (tests, golden files).
    pub fn use_sequential_ids(&mut self) {
        self.ids = IdSource::Sequential(std::cell::Cell::new(0));
    }

    /// A new id: type prefix and a time-ordered UUID (v7), stable across export.
    pub(crate) fn new_id(&self, prefix: &str) -> String {
        match &self.ids {
            IdSource::TimeOrdered => format!("{prefix}_{}", uuid::Uuid::now_v7().simple()),
            IdSource::Sequential(n) => {
                n.set(n.get() + 1);
                format!("{prefix}_{:032x}", n.get())
            }
        }
    }

    pub fn now(&self) -> DateTime<Utc> {
        (self.clock)()
    }

    pub(crate) fn now_text(&self) -> String {
        self.now().to_rfc3339_opts(SecondsFormat::Micros, true)
    }

    /// Today's date in the practice's time zone (UTC before set-up).
    pub fn today(&self) -> Result<NaiveDate> {
        let zone: Option<String> = self
            .conn
            .query_row("SELECT time_zone FROM practice WHERE id = 1", [], |r| {
                r.get(0)
            })
            .map(Some)
            .or_else(|e| match e {
                rusqlite::Error::QueryReturnedNoRows => Ok(None),
                e => Err(e),
            })?;
        let now = self.now();
        Ok(match zone.and_then(|z| z.parse::<chrono_tz::Tz>().ok()) {
            Some(tz) => now.with_timezone(&tz).date_naive(),
            None => now.date_naive(),
        })
    }

    /// Runs `f` in an IMMEDIATE transaction: all of it is written, or none.
    pub(crate) fn write<T>(&mut self, f: impl FnOnce(&Connection, &str) -> Result<T>) -> Result<T> {
        let now = self.now_text();
        if self.in_batch {
            let sp = self.conn.savepoint()?;
            let value = f(&sp, &now)?;
            sp.commit()?;
            return Ok(value);
        }
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let value = f(&tx, &now)?;
        tx.commit()?;
        Ok(value)
    }

    /// Runs many commands as one transaction (one fsync instead of thousands):
    /// all of them land, or none.
    pub fn batch<T>(&mut self, f: impl FnOnce(&mut Store) -> Result<T>) -> Result<T> {
        self.conn.execute_batch("BEGIN IMMEDIATE")?;
        self.in_batch = true;
        let result = f(self);
        self.in_batch = false;
        match result {
            Ok(value) => {
                self.conn.execute_batch("COMMIT")?;
                Ok(value)
            }
            Err(e) => {
                self.conn.execute_batch("ROLLBACK")?;
                Err(e)
            }
        }
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
        let a = s.new_id("cl");
        let b = s.new_id("cl");
        assert!(a.starts_with("cl_") && a.len() == 35);
        assert!(a < b);
    }
}
