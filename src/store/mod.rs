//! The practice file: opening it, its pragmas and migrations, and the one way
//! every operation touches it — inside a transaction ([`Tx`]). All SQL lives
//! in this folder, one file per area; nothing outside it writes a query.

pub mod check;
pub(crate) mod clients;
pub(crate) mod ledger;
pub(crate) mod offerings;
pub(crate) mod open;
pub(crate) mod packages;
pub(crate) mod payments;
pub(crate) mod practice;
pub(crate) mod renewals;
pub(crate) mod revenue;
pub(crate) mod schema;
pub(crate) mod sessions;

/// Ids as one SQL parameter for `rarray(?)`.
pub(crate) fn id_array(ids: &[String]) -> std::rc::Rc<Vec<rusqlite::types::Value>> {
    std::rc::Rc::new(
        ids.iter()
            .cloned()
            .map(rusqlite::types::Value::from)
            .collect(),
    )
}

use std::cell::{Cell, OnceCell, RefCell};
use std::path::{Path, PathBuf};

use chrono::{DateTime, SecondsFormat, Utc};
use rusqlite::Connection;

use crate::changes::{ChangeSet, Changes, Topic};
use crate::context::Ctx;
use crate::error::{Error, Result};

#[cfg(test)]
pub(crate) use schema::schema_sql;
pub use schema::schema_version;

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
    /// The practice file, as opened (`None` in memory).
    path: Option<PathBuf>,
    /// Why nothing can be saved, when the file is read-only.
    read_only: Option<String>,
    /// Held while the file is open, so a second Punchcard can't open it.
    _lock: Option<std::fs::File>,
    clock: Clock,
    ids: IdSource,
    changes: ChangeSet,
    /// Remembered between reads: patched with the clients a write names,
    /// forgotten on any other change to clients, here or (by `PRAGMA
    /// data_version`) through another connection.
    memo: RefCell<clients::ListMemo>,
    /// The last practice-wide list read whole (see [`Tx::remembered`]).
    remembered: RefCell<Option<Remembered>>,
}

/// A read kept until the file changes: what it was asked, and the file's
/// version when read.
struct Remembered {
    key: String,
    version: (i64, u64),
    value: std::sync::Arc<dyn std::any::Any + Send + Sync>,
}

/// One operation's view of the file: the connection inside its transaction,
/// the practice context (loaded once, on first use), new ids, and what it changed.
pub(crate) struct Tx<'a> {
    pub conn: &'a Connection,
    /// What the store remembers between reads (the client list's counts).
    pub memo: &'a RefCell<clients::ListMemo>,
    remembered: &'a RefCell<Option<Remembered>>,
    now: DateTime<Utc>,
    ctx: OnceCell<Ctx>,
    ids: &'a IdSource,
    changes: RefCell<ChangeSet>,
    /// The clients this operation wrote (see [`Tx::client_written`]): the
    /// remembered list is patched with them...
    clients_written: RefCell<Vec<String>>,
    /// ...unless clients also changed in a way that names none.
    clients_unnamed: Cell<bool>,
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

    /// What `read` gives, remembered under `key` until the file changes:
    /// asked again with the same key (which names everything else it depends
    /// on, today included), it is given back without being read again. A
    /// write through this connection (its count of changed rows moves) or
    /// through another (`PRAGMA data_version` moves) forgets it, and so does
    /// a read under another key: one list is kept, the last.
    pub(crate) fn remembered<T: Send + Sync + 'static>(
        &self,
        key: String,
        read: impl FnOnce() -> Result<T>,
    ) -> Result<std::sync::Arc<T>> {
        // Inside the read's transaction: the version of the snapshot read.
        let version = (
            self.conn
                .prepare_cached("PRAGMA data_version")?
                .query_row([], |r| r.get(0))?,
            self.conn.total_changes(),
        );
        let kept = self.remembered.borrow().as_ref().and_then(|r| {
            (r.key == key && r.version == version)
                .then(|| r.value.clone().downcast::<T>().ok())
                .flatten()
        });
        if let Some(value) = kept {
            return Ok(value);
        }
        // The list before is let go first: two are never held at once.
        self.remembered.take();
        let value = std::sync::Arc::new(read()?);
        *self.remembered.borrow_mut() = Some(Remembered {
            key,
            version,
            value: value.clone(),
        });
        Ok(value)
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
        if topic == Topic::Clients {
            // Clients changed, not said which: the list is read again.
            self.clients_unnamed.set(true);
        }
        self.changes.borrow_mut().add(topic);
    }

    /// Records that this operation wrote client `id` (its name, details or
    /// archiving): the remembered list puts it in its place after the commit.
    pub fn client_written(&self, id: &str) {
        self.clients_written.borrow_mut().push(id.to_owned());
        self.changes.borrow_mut().add(Topic::Clients);
    }
}

/// The page cache of the store's own connection, which every screen and
/// every write reads through. `make bench` takes its measures in rounds,
/// each round every screen once, as a user goes from screen to screen; at
/// 10× a round's pages did not fit in 16 MiB, so each screen found its
/// pages pushed out by the others and read them again from the OS's file
/// cache. In four pairs of runs at 10×: the busiest client took 2.7–3.0 ms
/// with 16 MiB and 0.96–0.99 ms with 32 or 64 MiB; its history CSV 1.35–1.43×
/// `sqlite3 -csv` and 0.72–0.88×. At 100×, in the two calmest of four pairs,
/// a search keystroke took 0.47–0.55 ms and 0.34–0.42 ms, the week 1.6–1.9
/// and 1.5–1.7 ms; the record and its CSV were no faster, with 128 or 256 MiB
/// either. The cache fills only as pages are read: the first screen reads
/// few.
///
/// No memory map: `make bench` found it no faster, at 1× or 100×, than this
/// cache over the OS's file cache, every page read through it counted in the
/// app's own memory (28 MiB of a 1× practice's idle window; up to the map's
/// size at 100×), and an I/O error on a mapped page stops the app where a
/// read returns an error.
pub(crate) const CACHE_KIB: i64 = 64 * 1024;
/// The reader's page cache: the practice-wide lists it reads go through
/// every client, far more pages than a cache holds on a large practice (the
/// app gives it back there after each list; see the app's state).
pub(crate) const READER_CACHE_KIB: i64 = 16 * 1024;
/// Prepared statements kept for reuse. A screen runs a few dozen distinct
/// statements (the record alone reads seven line sources); with rusqlite's
/// default of 16 they pushed each other out and were prepared again on
/// every read.
pub(crate) const STATEMENT_CACHE: usize = 256;

fn tune(conn: &Connection, writable: bool) -> Result<()> {
    conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
    let cache = if writable {
        CACHE_KIB
    } else {
        READER_CACHE_KIB
    };
    conn.pragma_update(None, "cache_size", -cache)?;
    conn.pragma_update(None, "mmap_size", 0)?;
    if writable {
        // Let SQLite gather the statistics its planner needs, when it has
        // none worth having; cheap, and bounded on a large file.
        conn.execute_batch("PRAGMA optimize = 0x10002")?;
    }
    Ok(())
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
        // Prepared once per connection, like every other statement: a read
        // is a handful of statements, and parsing these two each time showed.
        conn.prepare_cached(match (nested, immediate) {
            (true, _) => "SAVEPOINT op",
            (false, true) => "BEGIN IMMEDIATE",
            (false, false) => "BEGIN DEFERRED",
        })?
        .execute([])?;
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
            .prepare_cached(if self.nested { "RELEASE op" } else { "COMMIT" })
            .and_then(|mut commit| commit.execute([]));
        if result.is_err() {
            self.rollback();
        }
        result?;
        Ok(())
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
    /// date. A file from a newer Punchcard, or a file that is not a Punchcard
    /// practice, is refused before anything is written to it; a read-only
    /// file opens read-only (see [`Store::read_only`]).
    pub fn open(path: impl AsRef<Path>) -> Result<Store> {
        let path = path.as_ref();
        let opened = open::open(path)?;
        let path = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        Store::with(opened.conn, Some(path), opened.read_only, opened.lock)
    }

    /// The schema versions opening `path` will bring the file from and to,
    /// when it is a practice written by an older Punchcard; `None` for a
    /// file that opens as it is (up to date, new, or refused). Read from the
    /// file's header alone, without opening it: the shell uses it to show
    /// that a long migration is under way (on a large practice one may take
    /// minutes). A practice whose last write is still in its `-wal` may say
    /// it is older than it is; opening it then finds nothing to do.
    pub fn upgrade_due(path: impl AsRef<Path>) -> Option<(i64, i64)> {
        match open::read_header(path.as_ref()) {
            Ok(open::Header::Sqlite {
                application_id: schema::APPLICATION_ID,
                user_version,
            }) if user_version > 0 && user_version < schema::schema_version() => {
                Some((user_version, schema::schema_version()))
            }
            _ => None,
        }
    }

    /// Opens a practice only to look at it (`punchcard check`): refused as
    /// [`Store::open`] refuses, but read-only, never migrated, never locked.
    pub fn inspect(path: impl AsRef<Path>) -> Result<Store> {
        let path = path.as_ref();
        let opened = open::inspect(path)?;
        let why = opened
            .read_only
            .unwrap_or_else(|| "Opened to check it: nothing is saved.".into());
        Store::with(opened.conn, Some(path.to_path_buf()), Some(why), None)
    }

    /// A second, read-only store on a practice file that a [`Store::open`]
    /// in this process holds open: reads on it run beside the writer's (the
    /// file is in WAL mode, so each read sees the last committed write) and
    /// never wait for its lock. Writes through it are refused.
    pub fn open_reader(path: impl AsRef<Path>) -> Result<Store> {
        let path = path.as_ref();
        let opened = open::reader(path)?;
        Store::with(
            opened.conn,
            Some(path.to_path_buf()),
            opened.read_only,
            None,
        )
    }

    pub fn open_in_memory() -> Result<Store> {
        let mut conn = Connection::open_in_memory()?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        schema::migrations().to_latest(&mut conn)?;
        Store::with(conn, None, None, None)
    }

    fn with(
        conn: Connection,
        path: Option<PathBuf>,
        read_only: Option<String>,
        lock: Option<std::fs::File>,
    ) -> Result<Store> {
        // `rarray(?)`: a list of ids bound as one parameter, never spliced.
        rusqlite::vtab::array::load_module(&conn)?;
        tune(&conn, read_only.is_none())?;
        Ok(Store {
            conn,
            path,
            read_only,
            _lock: lock,
            clock: Box::new(Utc::now),
            ids: IdSource::TimeOrdered,
            changes: ChangeSet::default(),
            memo: RefCell::default(),
            remembered: RefCell::default(),
        })
    }

    /// The practice file (its canonical path), unless the store is in memory.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// Why nothing can be saved, when the file opened read-only.
    pub fn read_only(&self) -> Option<&str> {
        self.read_only.as_deref()
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

    /// Runs `f` as if it were `t` (the practice generator writes a history
    /// as it happened: bookings made, then cancelled or attended).
    pub(crate) fn at<T>(
        &mut self,
        t: DateTime<Utc>,
        f: impl FnOnce(&mut Store) -> Result<T>,
    ) -> Result<T> {
        let saved = std::mem::replace(&mut self.clock, Box::new(move || t));
        let result = f(self);
        self.clock = saved;
        result
    }

    fn tx(&self) -> Tx<'_> {
        Tx {
            conn: &self.conn,
            memo: &self.memo,
            remembered: &self.remembered,
            now: self.now(),
            ctx: OnceCell::new(),
            ids: &self.ids,
            changes: RefCell::new(ChangeSet::default()),
            clients_written: RefCell::default(),
            clients_unnamed: Cell::new(false),
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
        if let Some(why) = &self.read_only {
            return Err(Error::ReadOnly(why.clone()));
        }
        let tx = self.tx();
        let guard = Guard::begin(&self.conn, true)?;
        let result = f(&tx).and_then(|value| guard.commit().map(|()| value));
        // A list remembered inside may describe what was rolled back.
        self.remembered.take();
        let value = result?;
        let changes = tx.changes.into_inner();
        if changes.contains(Topic::Clients) {
            if tx.clients_unnamed.get() {
                self.memo.take();
            } else {
                let ids = tx.clients_written.into_inner();
                self.memo.borrow_mut().patch(&self.conn, &ids);
            }
        }
        self.changes.extend(changes);
        Ok(value)
    }

    /// Runs many operations as one transaction (one fsync instead of thousands):
    /// all of them land, or none.
    pub fn batch<T>(&mut self, f: impl FnOnce(&mut Store) -> Result<T>) -> Result<T> {
        if let Some(why) = &self.read_only {
            return Err(Error::ReadOnly(why.clone()));
        }
        self.conn.execute_batch("BEGIN IMMEDIATE")?;
        let result = f(self);
        // Whatever was remembered inside may describe what is rolled back.
        self.memo.take();
        self.remembered.take();
        match result {
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

    /// Refreshes the planner's statistics where they are stale (at close, and
    /// now and then while the app is open).
    pub fn optimize(&self) -> Result<()> {
        if self.read_only.is_none() {
            self.conn.execute_batch("PRAGMA optimize")?;
        }
        Ok(())
    }

    /// Gives back the pages this connection keeps cached (up to
    /// [`CACHE_KIB`] or [`READER_CACHE_KIB`]); the next read finds them in the OS's file cache, or
    /// on disk.
    pub fn release_memory(&self) -> Result<()> {
        self.conn.execute_batch("PRAGMA shrink_memory")?;
        Ok(())
    }

    /// Forgets the list remembered (see [`Tx::remembered`]): the next one
    /// asked is read whole. For benchmarks, which time that.
    #[doc(hidden)]
    pub fn forget_remembered(&self) {
        self.remembered.take();
    }

    /// What the writes since the last call changed (the shell tells the UI).
    pub fn take_changes(&mut self) -> Changes {
        self.changes.take()
    }

    /// The connection, for copying the file whole (backups).
    pub(crate) fn connection_for_io(&self) -> &Connection {
        &self.conn
    }

    /// Records a change made outside [`Store::write`] (a restore).
    pub(crate) fn note_change(&mut self, topic: Topic) {
        self.changes.add(topic);
        self.memo.take();
        self.remembered.take();
    }

    /// Replaces the whole practice with the database `from` (already
    /// verified), then brings it up to date. All of it, or none: the copy is
    /// one step of SQLite's backup API.
    pub(crate) fn replace_with(&mut self, from: &Connection) -> Result<()> {
        {
            let backup = rusqlite::backup::Backup::new(from, &mut self.conn)?;
            backup.step(-1)?;
        }
        self.conn.pragma_update(None, "journal_mode", "WAL")?;
        schema::migrations().to_latest(&mut self.conn)?;
        Ok(())
    }

    /// Direct access for tests that prove the database itself refuses things.
    #[doc(hidden)]
    pub fn connection(&self) -> &Connection {
        &self.conn
    }
}

/// A calendar day column (`YYYY-MM-DD`), read without chrono's general
/// format parser (a history reads thousands of them).
pub(crate) fn day(r: &rusqlite::Row<'_>, i: usize) -> rusqlite::Result<chrono::NaiveDate> {
    let text = r.get_ref(i)?.as_str()?;
    parse_day(text).ok_or_else(|| {
        rusqlite::Error::FromSqlConversionFailure(
            i,
            rusqlite::types::Type::Text,
            format!("not a day: {text}").into(),
        )
    })
}

/// As [`day`], for a column that may be NULL.
pub(crate) fn opt_day(
    r: &rusqlite::Row<'_>,
    i: usize,
) -> rusqlite::Result<Option<chrono::NaiveDate>> {
    match r.get_ref(i)? {
        rusqlite::types::ValueRef::Null => Ok(None),
        _ => day(r, i).map(Some),
    }
}

fn parse_day(text: &str) -> Option<chrono::NaiveDate> {
    let b = text.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let num = |s: &[u8]| -> Option<u32> {
        s.iter().try_fold(0u32, |n, c| {
            c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
        })
    };
    chrono::NaiveDate::from_ymd_opt(num(&b[..4])? as i32, num(&b[5..7])?, num(&b[8..])?)
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

    /// The app keeps the store behind a mutex shared by its threads: what the
    /// store remembers must be sendable.
    #[test]
    fn a_store_can_be_sent_between_threads() {
        fn sendable<T: Send>() {}
        sendable::<Store>();
    }

    #[test]
    fn days_are_read_exactly() {
        assert_eq!(parse_day("2026-11-25"), "2026-11-25".parse().ok());
        assert_eq!(parse_day("2024-02-29"), "2024-02-29".parse().ok());
        for bad in [
            "2026-02-30",
            "2026-1-05",
            "26-11-25",
            "2026/11/25",
            "",
            "abcd-ef-gh",
        ] {
            assert_eq!(parse_day(bad), None, "{bad}");
        }
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
    fn a_change_to_clients_that_names_none_forgets_the_remembered_list() {
        use crate::domain::client::ClientInput;
        let mut s = Store::open_in_memory().unwrap();
        let ana = s.create_client(&ClientInput::named("Ana")).unwrap();
        let bo = s.create_client(&ClientInput::named("Bo")).unwrap();
        // "zo" is too short for the search index: it is looked for in the
        // remembered list.
        let zo = |s: &Store| -> Vec<String> {
            clients::page(&s.conn, &s.memo, "zo", 0, 60, None)
                .unwrap()
                .0
                .into_iter()
                .map(|c| c.name)
                .collect()
        };
        assert!(zo(&s).is_empty());
        s.write(|tx| {
            tx.conn.execute(
                "UPDATE clients SET name = 'Zoe', sort_key = 'zoe', search_text = 'zoe' WHERE id = ?1",
                [&ana.id],
            )?;
            tx.touch(Topic::Clients);
            tx.client_written(&bo.id);
            Ok(())
        })
        .unwrap();
        assert_eq!(zo(&s), ["Zoe"]);
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
