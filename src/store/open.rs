//! Opening a practice file safely. Before SQLite writes a byte, the file is
//! recognised from its header: only a new (missing or zero-length) file, or
//! an empty SQLite file with no mark of its own, becomes a practice; another
//! program's database, a file from a newer Punchcard and anything that is not
//! a database are refused untouched. A read-only file (or folder) opens
//! read-only and says so; a file another Punchcard holds is refused in plain
//! words.

use std::fs::{File, OpenOptions};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};

use crate::error::{Error, Result};
use crate::store::schema::{self, APPLICATION_ID};

/// How long a write waits for another connection before giving up: short,
/// because our own writes are serialised and anything longer is another program.
pub(crate) const BUSY_TIMEOUT: Duration = Duration::from_millis(300);
/// The page cache migrations run with (KiB); see [`open`].
const MIGRATION_CACHE_KIB: i64 = 256 * 1024;

/// What a file's first 100 bytes say it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Header {
    /// No file, or an empty one.
    Empty,
    /// Not a SQLite database (or cut short).
    NotSqlite,
    /// A SQLite database with this application id and schema version.
    Sqlite {
        application_id: i64,
        user_version: i64,
    },
}

pub(crate) fn read_header(path: &Path) -> Result<Header> {
    let mut file = match File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Header::Empty),
        Err(e) => return Err(e.into()),
    };
    if file.metadata()?.is_dir() {
        return Err(Error::NotAPractice(
            "That is a folder, not a practice file.".into(),
        ));
    }
    let mut head = Vec::with_capacity(100);
    file.by_ref().take(100).read_to_end(&mut head)?;
    if head.is_empty() {
        return Ok(Header::Empty);
    }
    if head.len() < 100 || &head[..16] != b"SQLite format 3\0" {
        return Ok(Header::NotSqlite);
    }
    let be = |at: usize| {
        i64::from(u32::from_be_bytes([
            head[at],
            head[at + 1],
            head[at + 2],
            head[at + 3],
        ]))
    };
    Ok(Header::Sqlite {
        user_version: be(60),
        application_id: be(68),
    })
}

fn not_a_practice() -> Error {
    Error::NotAPractice(
        "This file is not a Punchcard practice (it belongs to another program, or is not a database at all). It was left untouched."
            .into(),
    )
}

fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(suffix);
    path.with_file_name(name)
}

/// The files SQLite keeps beside a database.
pub(crate) fn side_files(path: &Path) -> [PathBuf; 3] {
    [
        sibling(path, "-wal"),
        sibling(path, "-shm"),
        sibling(path, "-journal"),
    ]
}

/// The lock that keeps a second Punchcard off the same file: `.NAME.lock`
/// beside it, held (not merely present) while the practice is open.
pub(crate) fn lock_path(path: &Path) -> PathBuf {
    let mut name = std::ffi::OsString::from(".");
    name.push(path.file_name().unwrap_or_default());
    name.push(".lock");
    path.with_file_name(name)
}

#[cfg(unix)]
fn marked_read_only(meta: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::PermissionsExt;
    // No write bit for anyone: the owner marked it read-only. (Checked on the
    // bits, not by trying, so it holds even for an administrator.)
    meta.permissions().mode() & 0o222 == 0
}

#[cfg(not(unix))]
fn marked_read_only(meta: &std::fs::Metadata) -> bool {
    meta.permissions().readonly()
}

/// Why a file must be opened read-only, if it must, and whether SQLite may
/// not even create its side files there (a read-only folder).
fn read_only_reason(path: &Path) -> Option<(&'static str, bool)> {
    let file = std::fs::metadata(path).ok()?;
    let folder = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    if std::fs::metadata(folder).is_ok_and(|m| marked_read_only(&m)) {
        return Some(("The folder holding this practice file is read-only, so you can look but nothing can be saved. Move the file to a folder you can write to (or make this one writable) and start Punchcard again.", true));
    }
    if marked_read_only(&file) {
        return Some(("This practice file is read-only, so you can look but nothing can be saved. To work in it, make the file writable (or open a copy) and start Punchcard again.", false));
    }
    None
}

/// `file:` URI for `path`, with `query` appended.
fn uri(path: &Path, query: &str) -> String {
    let mut uri = String::from("file:");
    for b in path.to_string_lossy().bytes() {
        match b {
            b'%' | b'?' | b'#' => uri.push_str(&format!("%{b:02X}")),
            _ => uri.push(b as char),
        }
    }
    uri.push('?');
    uri.push_str(query);
    uri
}

/// An open practice: the connection, and whether it is read-only.
pub(crate) struct Opened {
    pub conn: Connection,
    pub read_only: Option<String>,
    pub lock: Option<File>,
}

/// Refuses, from its header alone (or an immutable look inside), any file
/// that must not become or stay a practice. Touches nothing.
fn classify(path: &Path) -> Result<Header> {
    let header = read_header(path)?;
    // The application id first: another program's file is never described
    // as "a newer Punchcard", and never opened by SQLite at all.
    match header {
        Header::NotSqlite => return Err(not_a_practice()),
        Header::Sqlite { application_id, .. }
            if application_id != 0 && application_id != APPLICATION_ID =>
        {
            return Err(not_a_practice())
        }
        Header::Sqlite {
            application_id: APPLICATION_ID,
            user_version,
        } if user_version > schema::schema_version() => return Err(newer(user_version)),
        _ => {}
    }
    // Unmarked: only an empty database, or a practice whose first open was
    // cut short by an older Punchcard, may be opened. (With a `-wal` beside
    // it, the header may be out of date: SQLite reads the truth below.)
    let has_wal = side_files(path)[0].exists();
    if matches!(
        header,
        Header::Sqlite {
            application_id: 0,
            ..
        }
    ) && !has_wal
    {
        inspect_unmarked(path)?;
    }
    Ok(header)
}

fn open_read_only(path: &Path, immutable: bool) -> Result<Connection> {
    // In a read-only folder SQLite can't make its side files: read the file
    // as it stands (nobody can be writing it there).
    let conn = Connection::open_with_flags(
        uri(path, if immutable { "immutable=1" } else { "mode=ro" }),
        OpenFlags::SQLITE_OPEN_READ_ONLY
            | OpenFlags::SQLITE_OPEN_URI
            | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    conn.busy_timeout(BUSY_TIMEOUT)?;
    Ok(conn)
}

fn busy_elsewhere(e: rusqlite::Error) -> Error {
    match e.sqlite_error_code() {
        Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked) => Error::Busy(
            "Another program is using this practice file right now. Close it and start Punchcard again.".into(),
        ),
        _ => e.into(),
    }
}

/// Opens a practice to look at it without changing anything (`punchcard
/// check`): refused exactly as [`open`] refuses, read-only, never migrated.
pub(crate) fn inspect(path: &Path) -> Result<Opened> {
    if classify(path)? == Header::Empty {
        return Err(Error::NotAPractice(
            "This file is empty: Punchcard will set up a new practice in it.".into(),
        ));
    }
    let read_only = read_only_reason(path);
    // With no `-wal` beside it, no program has the file open: read it as it
    // stands, leaving no side files behind.
    let in_use = side_files(path)[0].exists();
    let conn = open_read_only(
        path,
        !in_use || read_only.is_some_and(|(_, immutable)| immutable),
    )?;
    if in_use && read_only.is_none() {
        // Another program writing it? Ask for the write lock and give it back
        // at once; the read-only connection stays open meanwhile, so closing
        // this one checkpoints nothing.
        let probe = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        probe.busy_timeout(BUSY_TIMEOUT)?;
        probe
            .execute_batch("BEGIN IMMEDIATE; ROLLBACK;")
            .map_err(busy_elsewhere)?;
    }
    let app_id: i64 = conn.pragma_query_value(None, "application_id", |r| r.get(0))?;
    let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if app_id == 0 && is_empty_or_half_made(&conn, version)? {
        // Stopped while it was being set up: not damaged, and not whole yet.
        return Err(Error::NotAPractice(
            "This practice was not finished setting up (Punchcard was stopped while making it). Punchcard finishes it the next time it opens the file.".into(),
        ));
    }
    check_marked(&conn)?;
    Ok(Opened {
        conn,
        read_only: read_only.map(|(why, _)| why.to_owned()),
        lock: None,
    })
}

/// A second, read-only connection to a practice this process already has
/// open (and has brought up to date): the app reads its practice-wide lists
/// on it, so they never hold up the connection that answers the screens and
/// takes the writes. Not locked (the writer holds the lock), never migrated;
/// a file at another schema version than this build's is refused.
pub(crate) fn reader(path: &Path) -> Result<Opened> {
    let conn = open_read_only(path, false)?;
    let version = check_marked(&conn)?;
    if version != schema::schema_version() {
        return Err(Error::Conflict(
            "The practice file changed under Punchcard: start Punchcard again.".into(),
        ));
    }
    Ok(Opened {
        conn,
        read_only: Some("A reader: nothing is saved through it.".into()),
        lock: None,
    })
}

pub(crate) fn open(path: &Path) -> Result<Opened> {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        if !parent.exists() {
            std::fs::create_dir_all(parent)?;
        }
    }
    classify(path)?;
    if let Some((reason, immutable)) = read_only_reason(path) {
        let conn = open_read_only(path, immutable)?;
        let version = check_marked(&conn)?;
        if version < schema::schema_version() {
            return Err(Error::ReadOnly(
                "This practice file was written by an older Punchcard and is read-only, so it can't be brought up to date. Make it writable and start Punchcard again.".into(),
            ));
        }
        return Ok(Opened {
            conn,
            read_only: Some(reason.into()),
            lock: None,
        });
    }
    let lock = take_lock(path)?;
    let mut conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    conn.busy_timeout(BUSY_TIMEOUT)?;
    // A file another program holds a write lock on is said so now, in plain
    // words, rather than at the first save.
    conn.execute_batch("BEGIN IMMEDIATE; ROLLBACK;")
        .map_err(busy_elsewhere)?;
    let app_id: i64 = conn.pragma_query_value(None, "application_id", |r| r.get(0))?;
    let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if app_id != 0 && app_id != APPLICATION_ID {
        return Err(not_a_practice());
    }
    if version > schema::schema_version() {
        return Err(newer(version));
    }
    if app_id == 0 && !is_empty_or_half_made(&conn, version)? {
        return Err(not_a_practice());
    }
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    // Pending migrations may rewrite a whole table (v16: every booking); in
    // SQLite's default cache of 2 MiB they read and spilled its pages over
    // and over. `tune` sets the cache the app runs with after.
    conn.pragma_update(None, "cache_size", -MIGRATION_CACHE_KIB)?;
    schema::migrations().to_latest(&mut conn)?;
    let app_id: i64 = conn.pragma_query_value(None, "application_id", |r| r.get(0))?;
    if app_id != APPLICATION_ID {
        // Half-made by an older Punchcard (its schema committed, its mark
        // not): finish it.
        let tx = conn.transaction()?;
        tx.pragma_update(None, "application_id", APPLICATION_ID)?;
        tx.commit()?;
    }
    Ok(Opened {
        conn,
        read_only: None,
        lock: Some(lock),
    })
}

fn newer(found: i64) -> Error {
    Error::NewerSchema {
        found,
        supported: schema::schema_version(),
    }
}

/// A marked practice's schema version, or why it is not one.
fn check_marked(conn: &Connection) -> Result<i64> {
    let app_id: i64 = conn.pragma_query_value(None, "application_id", |r| r.get(0))?;
    let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if app_id != APPLICATION_ID {
        return Err(not_a_practice());
    }
    if version > schema::schema_version() {
        return Err(newer(version));
    }
    Ok(version)
}

/// Looks into an unmarked SQLite file read-only and immutably (no lock, no
/// side files), and refuses it unless it is empty or a half-made practice.
fn inspect_unmarked(path: &Path) -> Result<()> {
    let conn = Connection::open_with_flags(
        uri(path, "immutable=1"),
        OpenFlags::SQLITE_OPEN_READ_ONLY
            | OpenFlags::SQLITE_OPEN_URI
            | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|_| not_a_practice())?;
    let version: i64 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .map_err(|_| not_a_practice())?;
    if is_empty_or_half_made(&conn, version).map_err(|_| not_a_practice())? {
        Ok(())
    } else {
        Err(not_a_practice())
    }
}

/// An unmarked file may become (or go on being) a practice only when it holds
/// nothing at all, or exactly the tables an older Punchcard's first open made.
fn is_empty_or_half_made(conn: &Connection, version: i64) -> Result<bool> {
    let objects: i64 = conn.query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get(0))?;
    if objects == 0 {
        return Ok(version == 0);
    }
    if version < 1 || version > schema::schema_version() {
        return Ok(false);
    }
    let ours: i64 = conn.query_row(
        "SELECT count(*) FROM sqlite_schema WHERE type = 'table'
           AND name IN ('practice', 'clients', 'offerings', 'packages', 'sessions', 'ledger_entries', 'payments')",
        [],
        |r| r.get(0),
    )?;
    Ok(ours == 7)
}

/// Takes the lock that keeps a second Punchcard off this file.
fn take_lock(path: &Path) -> Result<File> {
    let lock = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(lock_path(path))?;
    match lock.try_lock() {
        Ok(()) => Ok(lock),
        Err(std::fs::TryLockError::WouldBlock) => Err(Error::Busy(
            "This practice file is already open in another Punchcard window. Switch to that window, or close it first."
                .into(),
        )),
        Err(std::fs::TryLockError::Error(e)) => Err(e.into()),
    }
}
