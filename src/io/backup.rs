//! Backups that are whole: through SQLite's online backup API (never a plain
//! copy of a file whose recent work may still sit in its `-wal`), checked by
//! opening the copy and running `integrity_check`. Automatic snapshots are
//! kept one a day for a fortnight and one a month for a year; a restore first
//! sets the current file aside, and so does an upgrade (the practice as the
//! older Punchcard left it).

use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{backup::Backup, Connection, OpenFlags};
use serde::{Deserialize, Serialize};
use specta::Type;

use crate::changes::Topic;
use crate::domain::retention;
use crate::error::{Error, Result};
use crate::io::target;
use crate::store::schema::{self, APPLICATION_ID};
use crate::store::Store;

/// Copies `from` into a new file at `to` (which must not exist yet), as one
/// consistent snapshot, and makes the copy self-contained (no `-wal`).
fn copy_database(from: &Connection, to: &Path) -> Result<()> {
    let mut dst = Connection::open(to)?;
    {
        let backup = Backup::new(from, &mut dst)?;
        // All pages in one step: one read snapshot, never restarted by a write.
        backup.step(-1)?;
    }
    dst.pragma_update(None, "journal_mode", "DELETE")?;
    Ok(())
}

/// A connection that only reads `path` (the practice being copied, or a copy
/// being checked).
fn open_read_only(path: &Path) -> rusqlite::Result<Connection> {
    Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
}

/// Opens a Punchcard file read-only and checks it whole: its mark, a schema
/// this app understands, and SQLite's `integrity_check`.
pub fn verify(path: &Path) -> Result<()> {
    let not_good = |why: &str| {
        Error::Conflict(format!(
            "That file can't be used as a backup: {why}. Nothing was changed."
        ))
    };
    let conn = open_read_only(path).map_err(|_| not_good("it can't be opened"))?;
    let app_id: i64 = conn
        .pragma_query_value(None, "application_id", |r| r.get(0))
        .map_err(|_| not_good("it is not a database"))?;
    if app_id != APPLICATION_ID {
        return Err(not_good("it is not a Punchcard practice"));
    }
    let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if version > schema::schema_version() {
        return Err(not_good("it was written by a newer Punchcard"));
    }
    let check: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .map_err(|_| not_good("it is damaged"))?;
    if check != "ok" {
        return Err(not_good("it is damaged"));
    }
    Ok(())
}

/// What a copy the Restore list offers is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum SnapshotKind {
    /// Taken on its own, once a day the practice is used.
    Daily,
    /// The practice as it was just before a restore replaced it.
    SetAside,
    /// The practice as an older Punchcard left it, just before this one
    /// brought it up to date.
    BeforeUpgrade,
}

impl SnapshotKind {
    /// What a file in the snapshot folder is, by its name; `None` for a
    /// file that is none of them (a copy still being written).
    fn of(file: &str) -> Option<SnapshotKind> {
        let copy = file.ends_with(".sqlite3");
        if copy && file.starts_with(SET_ASIDE) {
            Some(SnapshotKind::SetAside)
        } else if copy && file.starts_with(BEFORE_UPGRADE) {
            Some(SnapshotKind::BeforeUpgrade)
        } else {
            daily_day(file).map(|_| SnapshotKind::Daily)
        }
    }
}

const SET_ASIDE: &str = "set-aside-";
const BEFORE_UPGRADE: &str = "before-upgrade-";

/// How many copies kept before an upgrade stay, the newest: each is the
/// whole practice (6.4 GB at 100×), and the daily snapshots keep the days
/// between.
pub const KEEP_BEFORE_UPGRADE: usize = 2;

/// A file the Restore list offers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct Snapshot {
    /// The file's name inside the snapshot folder.
    pub file: String,
    /// When it was taken (UTC, RFC 3339).
    pub taken_at: String,
    pub kind: SnapshotKind,
    pub kilobytes: u32,
}

/// A name in `dir` that no file has yet: `{prefix}{stamp}{rest}.sqlite3`, or
/// with `-2`, `-3`… after the stamp (never writing over an earlier copy,
/// which may be the very file being restored).
fn unused_name(dir: &Path, prefix: &str, stamp: &str, rest: &str) -> PathBuf {
    (1..)
        .map(|n| match n {
            1 => dir.join(format!("{prefix}{stamp}{rest}.sqlite3")),
            n => dir.join(format!("{prefix}{stamp}-{n}{rest}.sqlite3")),
        })
        .find(|p| !p.exists())
        .unwrap_or_else(|| dir.join(format!("{prefix}{stamp}{rest}.sqlite3")))
}

/// Keeps a copy of `practice` as it is, in `dir`, before this Punchcard
/// brings it up to date (see [`Store::upgrade_due`]): through the backup API,
/// checked whole before it takes its name, then listed among the snapshots
/// and restored like them. Only the newest [`KEEP_BEFORE_UPGRADE`] are kept.
/// `None` when the file turns out to be up to date already (its last write
/// was still in its `-wal`, which the file's header does not show).
///
/// The upgrade itself is one transaction, whole or not at all; this copy is
/// for a mistake the upgrade would make whole. It reads the whole file twice
/// (the copy, then its check): 0.8 s at 1×, 9.8 s at 10×, 131 s at 100×
/// (6.4 GB), against 27.5 s for migration 17 alone there.
pub fn keep_before_upgrade(
    practice: &Path,
    dir: &Path,
    now: DateTime<Utc>,
) -> Result<Option<PathBuf>> {
    let from = open_read_only(practice)?;
    let version: i64 = from.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if version >= schema::schema_version() {
        return Ok(None);
    }
    std::fs::create_dir_all(dir)?;
    target::remove_left_behind(dir)?;
    let stamp = now.format("%Y-%m-%dT%H%M%S").to_string();
    let path = unused_name(dir, BEFORE_UPGRADE, &stamp, &format!("-v{version}"));
    target::write_whole(&path, |tmp, _| {
        copy_database(&from, tmp)?;
        verify(tmp)
    })?;
    // Newest first, by the time in their names.
    let mut kept: Vec<String> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|f| SnapshotKind::of(f) == Some(SnapshotKind::BeforeUpgrade))
        .collect();
    kept.sort_by(|a, b| b.cmp(a));
    for older in kept.iter().skip(KEEP_BEFORE_UPGRADE) {
        let older = dir.join(older);
        if older != path {
            std::fs::remove_file(older)?;
        }
    }
    Ok(Some(path))
}

/// Where one practice's automatic snapshots live inside `root` (the
/// app-data folder's `snapshots`): a folder per practice file.
pub fn snapshot_dir(root: &Path, practice: &Path) -> PathBuf {
    let stem = practice
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "practice".into());
    // FNV-1a of the path: stable, so the same file always finds its snapshots.
    let mut hash: u32 = 0x811c_9dc5;
    for b in practice.to_string_lossy().bytes() {
        hash = (hash ^ u32::from(b)).wrapping_mul(0x0100_0193);
    }
    root.join(format!("{stem}-{hash:08x}"))
}

fn daily_name(day: NaiveDate) -> String {
    format!("{day}.sqlite3")
}

fn daily_day(name: &str) -> Option<NaiveDate> {
    name.strip_suffix(".sqlite3")?.parse().ok()
}

/// Takes today's automatic snapshot of `practice` into `dir`, unless one was
/// taken today, then keeps only what [`retention::keep`] says. A copy an
/// earlier run left half-written there is removed first. Opens its own
/// read-only connection, so the app goes on working meanwhile. Returns the
/// new snapshot, if one was taken.
pub fn take_snapshot(practice: &Path, dir: &Path, today: NaiveDate) -> Result<Option<PathBuf>> {
    std::fs::create_dir_all(dir)?;
    target::remove_left_behind(dir)?;
    let path = dir.join(daily_name(today));
    let taken = if path.exists() {
        None
    } else {
        let from = open_read_only(practice)?;
        target::write_whole(&path, |tmp, _| copy_database(&from, tmp))?;
        verify(&path)?;
        Some(path)
    };
    let days: Vec<NaiveDate> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok())
        .filter_map(|e| daily_day(&e.file_name().to_string_lossy()))
        .collect();
    let keep = retention::keep(&days);
    for day in days.iter().filter(|d| !keep.contains(d)) {
        std::fs::remove_file(dir.join(daily_name(*day)))?;
    }
    Ok(taken)
}

/// The snapshots in `dir`, newest first.
pub fn list_snapshots(dir: &Path) -> Result<Vec<Snapshot>> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Ok(Vec::new());
    };
    let mut list = Vec::new();
    for entry in entries.filter_map(|e| e.ok()) {
        let file = entry.file_name().to_string_lossy().into_owned();
        let Some(kind) = SnapshotKind::of(&file) else {
            continue;
        };
        let meta = entry.metadata()?;
        let taken: DateTime<Utc> = meta.modified()?.into();
        list.push(Snapshot {
            file,
            taken_at: taken.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            kind,
            kilobytes: u32::try_from(meta.len().div_ceil(1024)).unwrap_or(u32::MAX),
        });
    }
    list.sort_by(|a, b| b.taken_at.cmp(&a.taken_at).then(b.file.cmp(&a.file)));
    Ok(list)
}

impl Store {
    /// Writes everything still in the `-wal` into the practice file itself
    /// (and empties the `-wal`), so a plain copy of the file is complete.
    /// A reader still reading an older state of the file (another
    /// connection's long read) keeps part of the `-wal` in use: then it does
    /// not wait, nothing is claimed, and the error says to try again.
    pub fn checkpoint(&self) -> Result<()> {
        if self.path().is_some() && self.read_only().is_none() {
            // Never wait for a reader (a snapshot being taken reads for
            // minutes on a large practice): the caller tries again later.
            let conn = self.connection_for_io();
            conn.busy_timeout(std::time::Duration::ZERO)?;
            let busy = conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| {
                r.get::<_, i64>(0)
            });
            conn.busy_timeout(crate::store::open::BUSY_TIMEOUT)?;
            if busy? != 0 {
                return Err(crate::error::Error::Busy(
                    "The practice is being read right now; its journal is folded into the file a moment later.".into(),
                ));
            }
        }
        Ok(())
    }

    /// Backs the practice up to `path` (checked: never the practice file)
    /// through SQLite's backup API; the copy is verified before it replaces
    /// anything. Returns the file written.
    pub fn back_up_to(&self, path: &Path) -> Result<PathBuf> {
        let target = target::check(path, self.path())?;
        target::write_whole(&target, |tmp, _| {
            copy_database(self.connection_for_io(), tmp)?;
            verify(tmp)
        })?;
        Ok(target)
    }

    /// Replaces the practice with the backup or snapshot at `source`, after
    /// checking it whole and setting the current practice aside in `aside_dir`
    /// (returned, so it can be restored in turn). An older file is brought up
    /// to date.
    pub fn restore_from(&mut self, source: &Path, aside_dir: &Path) -> Result<PathBuf> {
        if let Some(why) = self.read_only() {
            return Err(Error::ReadOnly(why.to_owned()));
        }
        if self.path().is_some_and(|p| target::is_practice(source, p)) {
            return Err(Error::Conflict(
                "That is the practice file itself: pick a backup or a snapshot.".into(),
            ));
        }
        verify(source)?;
        std::fs::create_dir_all(aside_dir)?;
        let stamp = self.now().format("%Y-%m-%dT%H%M%S").to_string();
        let aside = unused_name(aside_dir, SET_ASIDE, &stamp, "");
        let aside = self.back_up_to(&aside)?;
        let from = open_read_only(source)?;
        self.replace_with(&from)?;
        for topic in [
            Topic::Practice,
            Topic::Clients,
            Topic::Offerings,
            Topic::Packages,
        ] {
            self.note_change(topic);
        }
        Ok(aside)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snapshot_folders_are_per_practice_file_and_stable() {
        let root = Path::new("/data/snapshots");
        let a = snapshot_dir(root, Path::new("/home/ana/punchcard.sqlite3"));
        let b = snapshot_dir(root, Path::new("/home/ana/other/punchcard.sqlite3"));
        assert_ne!(a, b);
        assert_eq!(
            a,
            snapshot_dir(root, Path::new("/home/ana/punchcard.sqlite3"))
        );
        assert!(a
            .file_name()
            .unwrap()
            .to_string_lossy()
            .starts_with("punchcard-"));
    }
}
