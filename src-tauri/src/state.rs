//! The one practice file the window works on, behind a mutex; the event that
//! tells the UI what a write changed; and the upkeep that keeps the file safe
//! to copy: a checkpoint when the app goes idle and at exit, and a snapshot at
//! start and once a day.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

use punchcard::{ErrorPayload, Store, Topic};
use serde::{Deserialize, Serialize};
use specta::Type;
use tauri::{AppHandle, Manager, Runtime};
use tauri_specta::Event;

/// Sent after every write that changed something: the UI re-reads the views
/// that show these topics.
#[derive(Debug, Clone, Serialize, Deserialize, Type, Event)]
pub struct DataChanged {
    pub topics: Vec<Topic>,
}

/// How long after the last write the `-wal` is folded into the file.
pub const IDLE_CHECKPOINT: Duration = Duration::from_secs(2);

pub struct AppState {
    pub db_path: PathBuf,
    /// Where this practice's automatic snapshots live (none in tests that
    /// don't want them).
    pub snapshots: Option<PathBuf>,
    /// The open store, or why the file could not be opened (shown to the user
    /// instead of the app; the file is left untouched).
    store: Mutex<Result<Store, ErrorPayload>>,
    /// A second, read-only connection for the practice-wide lists (Needs
    /// attention, reports, the filtered client lists), opened on first use:
    /// a list that reads much of a large practice runs beside the screens
    /// and writes instead of holding them up.
    reader: Mutex<Option<Store>>,
    /// The file the reader opens: the practice, once it opened writable.
    reader_path: OnceLock<PathBuf>,
    /// While an older practice is being brought up to date on its own
    /// thread ([`AppState::upgrading`]): the versions and since when.
    upgrade: Mutex<Option<(Upgrade, Instant)>>,
    /// When the last write landed, until the next checkpoint.
    dirty_since: Mutex<Option<Instant>>,
    /// The practice size up to which the reader keeps its page cache
    /// between reads ([`KEEP_READER_CACHE_UP_TO`]).
    reader_cache_up_to: u64,
    /// How far `--today` moves the clock, for both connections.
    clock_shift: Option<chrono::TimeDelta>,
    /// For the tests: an upgrade waits until this file exists.
    hold_upgrade_until: Option<PathBuf>,
}

/// A practice from an older Punchcard being brought up to date: on a large
/// practice it takes minutes (migration 16 rewrote every booking: 156 s at
/// 100×), so the window shows this instead of nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct Upgrade {
    /// The schema version the file had, and the one it is brought to.
    pub from_version: u32,
    pub to_version: u32,
    /// The file's size in kilobytes (1,000 bytes), to tell a large
    /// practice from a small one.
    pub file_kilobytes: u32,
    /// How many whole seconds it has run so far.
    pub seconds: u32,
    pub step: UpgradeStep,
}

/// Where an upgrade stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum UpgradeStep {
    /// Keeping a copy of the practice as the older Punchcard left it, among
    /// the snapshots (`punchcard::io::backup::keep_before_upgrade`).
    KeepingACopy,
    /// Bringing the file up to date.
    Updating,
}

/// What every command answers while the practice is brought up to date.
fn upgrading_now() -> ErrorPayload {
    ErrorPayload::from(punchcard::Error::Busy(
        "Punchcard is bringing this practice up to date; it opens when that is done.".into(),
    ))
}

/// The clock moved by `shift`: it goes on from the day it was moved to.
fn shifted(shift: chrono::TimeDelta) -> punchcard::store::Clock {
    Box::new(move || chrono::Utc::now() + shift)
}

impl AppState {
    pub fn open(db_path: PathBuf) -> Self {
        Self::open_with_snapshots(db_path, None)
    }

    pub fn open_with_snapshots(db_path: PathBuf, snapshots_root: Option<&Path>) -> Self {
        let state = Self::not_open_yet(db_path, snapshots_root);
        state.finish_opening();
        state
    }

    /// As [`AppState::open_with_snapshots`], but a practice that must first
    /// be brought up to date is left for [`open_in_background`] to open:
    /// until then [`AppState::upgrading`] says so and every command answers
    /// that it is busy.
    pub fn open_or_upgrade_later(db_path: PathBuf, snapshots_root: Option<&Path>) -> Self {
        let state = Self::not_open_yet(db_path, snapshots_root);
        match Store::upgrade_due(&state.db_path) {
            Some((from, to)) => {
                let upgrade = Upgrade {
                    from_version: u32::try_from(from).unwrap_or(0),
                    to_version: u32::try_from(to).unwrap_or(0),
                    file_kilobytes: std::fs::metadata(&state.db_path)
                        .map_or(0, |m| u32::try_from(m.len() / 1000).unwrap_or(u32::MAX)),
                    seconds: 0,
                    step: if state.snapshots.is_some() {
                        UpgradeStep::KeepingACopy
                    } else {
                        UpgradeStep::Updating
                    },
                };
                *state.upgrade.lock().unwrap_or_else(|p| p.into_inner()) =
                    Some((upgrade, Instant::now()));
            }
            None => state.finish_opening(),
        }
        state
    }

    fn not_open_yet(db_path: PathBuf, snapshots_root: Option<&Path>) -> Self {
        let snapshots = snapshots_root.map(|root| {
            let canonical = std::fs::canonicalize(&db_path).unwrap_or_else(|_| db_path.clone());
            punchcard::io::backup::snapshot_dir(root, &canonical)
        });
        AppState {
            db_path,
            snapshots,
            store: Mutex::new(Err(upgrading_now())),
            reader: Mutex::new(None),
            reader_path: OnceLock::new(),
            upgrade: Mutex::new(None),
            dirty_since: Mutex::new(None),
            reader_cache_up_to: KEEP_READER_CACHE_UP_TO,
            clock_shift: None,
            hold_upgrade_until: None,
        }
    }

    /// For the tests (`PUNCHCARD_HOLD_UPGRADE_UNTIL` in the app): an upgrade
    /// [`open_in_background`] runs waits, up to two minutes, until `file`
    /// exists, so a test sees the screen shown meanwhile whatever the
    /// machine's speed. `None` holds nothing.
    pub fn hold_upgrade_until(mut self, file: Option<PathBuf>) -> Self {
        self.hold_upgrade_until = file;
        self
    }

    /// Opens the practice (bringing it up to date first, if it is older)
    /// and puts it in place; the lock is not held meanwhile, so commands
    /// answer at once that the practice is not open yet.
    fn finish_opening(&self) {
        self.keep_before_upgrade();
        let mut store = Store::open(&self.db_path).map_err(ErrorPayload::from);
        if let Ok(s) = &mut store {
            if let Some(shift) = self.clock_shift {
                s.set_clock(shifted(shift));
            }
            if s.read_only().is_none() {
                if let Some(path) = s.path() {
                    let _ = self.reader_path.set(path.to_path_buf());
                }
            }
        }
        *self.store.lock().unwrap_or_else(|p| p.into_inner()) = store;
        *self.upgrade.lock().unwrap_or_else(|p| p.into_inner()) = None;
    }

    /// Before a practice from an older Punchcard is brought up to date, keeps
    /// a copy of it as it is among its snapshots. Should that fail (a full
    /// disk), the upgrade still runs: it is one transaction, whole or not at
    /// all, and the daily snapshots the older Punchcard took are still there.
    fn keep_before_upgrade(&self) {
        let Some(dir) = &self.snapshots else {
            return;
        };
        if Store::upgrade_due(&self.db_path).is_some() {
            let now = chrono::Utc::now() + self.clock_shift.unwrap_or_default();
            if let Err(e) = punchcard::io::backup::keep_before_upgrade(&self.db_path, dir, now) {
                eprintln!("punchcard: no copy kept before the upgrade: {e}");
            }
        }
        if let Some((upgrade, _)) = self
            .upgrade
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .as_mut()
        {
            upgrade.step = UpgradeStep::Updating;
        }
    }

    /// The upgrade under way, with how long it has run; `None` once the
    /// practice is open (or failed to open).
    pub fn upgrading(&self) -> Option<Upgrade> {
        let upgrade = self.upgrade.lock().unwrap_or_else(|p| p.into_inner());
        upgrade.map(|(u, since)| Upgrade {
            seconds: u32::try_from(since.elapsed().as_secs()).unwrap_or(u32::MAX),
            ..u
        })
    }

    /// Runs the practice as if the date were `day` (`--today`), in UTC; the
    /// clock moves on from it. `None` leaves the clock as it is.
    pub fn as_if_today(mut self, day: Option<chrono::NaiveDate>) -> Self {
        let Some(day) = day else {
            return self;
        };
        let shift = day.signed_duration_since(chrono::Utc::now().date_naive());
        self.clock_shift = Some(shift);
        let store = self.store.get_mut().unwrap_or_else(|p| p.into_inner());
        if let Ok(store) = store {
            store.set_clock(shifted(shift));
        }
        self
    }

    /// Runs a core read that may take long on a large practice (a
    /// practice-wide list) on the reader connection, so it does not hold the
    /// lock every other command waits for. It sees every write committed
    /// before it starts. A practice that opened read-only, or failed to
    /// open, is read as [`AppState::read`] reads it.
    pub fn read_aside<T>(
        &self,
        f: impl FnOnce(&Store) -> punchcard::Result<T>,
    ) -> Result<T, ErrorPayload> {
        let Some(path) = self.reader_path.get() else {
            return self.read(f);
        };
        let mut reader = self.reader.lock().unwrap_or_else(|p| p.into_inner());
        if reader.is_none() {
            // Should the file refuse a second connection, the read still
            // happens, on the first one.
            match Store::open_reader(path) {
                Ok(mut store) => {
                    if let Some(shift) = self.clock_shift {
                        store.set_clock(shifted(shift));
                    }
                    *reader = Some(store);
                }
                Err(_) => return self.read(f),
            }
        }
        let result = match reader.as_ref() {
            Some(store) => {
                let result = f(store).map_err(ErrorPayload::from);
                if self.is_larger_than(self.reader_cache_up_to) {
                    let _ = store.release_memory();
                }
                result
            }
            None => self.read(f),
        };
        // A practice-wide read on a large practice builds and drops tens of
        // MiB of rows; the allocators keep what was freed for later unless
        // told to give it back, and the idle app would hold it. At 100×,
        // after Needs attention was read, the app's own process went from
        // 153 to 116 MiB with this (on glibc alone; the core's test
        // `memory_a_large_read_freed_goes_back_to_the_system` checks it on
        // mimalloc).
        punchcard::memory::give_back();
        result
    }

    /// Runs a core read, translating its error for IPC.
    pub fn read<T>(
        &self,
        f: impl FnOnce(&Store) -> punchcard::Result<T>,
    ) -> Result<T, ErrorPayload> {
        self.with(|s| f(s)).0
    }

    /// Runs a core write, then tells the UI what it changed.
    pub fn write<T, R: Runtime>(
        &self,
        app: &AppHandle<R>,
        f: impl FnOnce(&mut Store) -> punchcard::Result<T>,
    ) -> Result<T, ErrorPayload> {
        let (result, topics) = self.with(f);
        if !topics.is_empty() {
            *self.dirty_since.lock().unwrap_or_else(|p| p.into_inner()) = Some(Instant::now());
            // The UI may not be listening yet (first run); nothing is lost by that.
            let _ = DataChanged { topics }.emit(app);
        }
        result
    }

    fn with<T>(
        &self,
        f: impl FnOnce(&mut Store) -> punchcard::Result<T>,
    ) -> (Result<T, ErrorPayload>, Vec<Topic>) {
        // A panic while holding the lock cannot leave SQLite half-written (every
        // write is a transaction, rolled back on unwind), so a poisoned lock is
        // safe to reuse.
        let mut guard = self.store.lock().unwrap_or_else(|p| p.into_inner());
        match guard.as_mut() {
            Ok(store) => {
                let result = f(store).map_err(ErrorPayload::from);
                (result, store.take_changes().topics)
            }
            Err(e) => (Err(e.clone()), Vec::new()),
        }
    }

    /// Folds the `-wal` into the practice file when no write has landed for
    /// `idle`, so a plain copy of the file taken now is complete. True when it
    /// checkpointed.
    pub fn checkpoint_if_idle(&self, idle: Duration) -> bool {
        let mut dirty = self.dirty_since.lock().unwrap_or_else(|p| p.into_inner());
        match *dirty {
            Some(since) if since.elapsed() >= idle => {
                // A practice-wide read on the reader keeps the `-wal` in use,
                // and the checkpoint would hold every command while it waits:
                // try again on a later tick. Holding the reader meanwhile
                // keeps a new one from starting halfway.
                let _reading = match self.reader.try_lock() {
                    Ok(guard) => guard,
                    Err(std::sync::TryLockError::Poisoned(p)) => p.into_inner(),
                    Err(std::sync::TryLockError::WouldBlock) => return false,
                };
                if self.read(|s| s.checkpoint()).is_ok() {
                    *dirty = None;
                    return true;
                }
                false
            }
            _ => false,
        }
    }

    /// At exit: fresh planner statistics, and everything into the practice file.
    pub fn checkpoint_now(&self) {
        let _ = self.read(|s| {
            s.optimize()?;
            s.checkpoint()
        });
    }

    /// Takes today's automatic snapshot, unless it exists (see
    /// `punchcard::io::backup::take_snapshot`). Runs beside the app on its own
    /// read-only connection.
    pub fn snapshot_today(&self) -> Result<Option<PathBuf>, ErrorPayload> {
        let Some(dir) = &self.snapshots else {
            return Ok(None);
        };
        let (has_practice, today) = self.read(|s| Ok((s.practice()?.is_some(), s.today()?)))?;
        if !has_practice {
            return Ok(None);
        }
        punchcard::io::backup::take_snapshot(&self.db_path, dir, today).map_err(ErrorPayload::from)
    }

    /// A practice small enough to snapshot at once (under 8 MB).
    fn is_small(&self) -> bool {
        std::fs::metadata(&self.db_path).is_ok_and(|m| m.len() < 8 * 1024 * 1024)
    }

    fn is_larger_than(&self, bytes: u64) -> bool {
        std::fs::metadata(&self.db_path).is_ok_and(|m| m.len() > bytes)
    }

    /// The practice's today, when it has been set up (for the upkeep).
    fn practice_today(&self) -> Option<String> {
        self.read(|s| s.practice()?.map(|_| s.today()).transpose())
            .ok()
            .flatten()
            .map(|d| d.to_string())
    }
}

/// Opens, on a thread of its own, a practice [`AppState::open_or_upgrade_later`]
/// left to bring up to date; then tells the window, which shows it.
pub fn open_in_background<R: Runtime>(app: AppHandle<R>) {
    if app.state::<AppState>().upgrading().is_none() {
        return;
    }
    std::thread::spawn(move || {
        let state = app.state::<AppState>();
        if let Some(until) = &state.hold_upgrade_until {
            let started = Instant::now();
            while !until.exists() && started.elapsed() < Duration::from_secs(120) {
                std::thread::sleep(Duration::from_millis(50));
            }
        }
        state.finish_opening();
        let _ = DataChanged {
            topics: vec![
                Topic::Practice,
                Topic::Clients,
                Topic::Offerings,
                Topic::Packages,
            ],
        }
        .emit(&app);
    });
}

/// Reads the first screen's pages into memory on a thread of its own, while
/// the window is still loading (see `Store::warm_first_screen`). A practice
/// being brought up to date is left alone: the upgrade has just read it.
pub fn warm_in_background<R: Runtime>(app: AppHandle<R>) {
    if app.state::<AppState>().upgrading().is_some() {
        return;
    }
    std::thread::spawn(move || {
        // Nothing is shown from it: a practice that fails here fails again,
        // and says why, when the window asks.
        let _ = app.state::<AppState>().read(|s| s.warm_first_screen());
    });
}

/// The practice size up to which the reader keeps its page cache between
/// practice-wide reads. On a larger file such a read goes through far more
/// pages than the cache holds, so the next one finds few of them there, and
/// the idle app would hold them (16 MiB) for nothing.
const KEEP_READER_CACHE_UP_TO: u64 = 256 * 1024 * 1024;

/// How long after start the day's snapshot waits, so it never competes with
/// the first screen (on a large practice it reads the whole file).
pub const SNAPSHOT_AFTER_START: Duration = Duration::from_secs(20);

/// The upkeep thread: a checkpoint when idle; a snapshot shortly after start
/// (or as soon as the practice is set up) and again whenever the practice's
/// day changes while the app is open.
pub fn start_upkeep<R: Runtime>(app: AppHandle<R>) {
    let started = Instant::now();
    std::thread::spawn(move || {
        let mut snapshot_day = None;
        loop {
            let state = app.state::<AppState>();
            let today = state.practice_today();
            // A brand-new practice has nothing to compete with: its first
            // snapshot is taken at once.
            let settled = started.elapsed() >= SNAPSHOT_AFTER_START
                || snapshot_day.is_none() && state.is_small();
            if settled && today.is_some() && today != snapshot_day && state.snapshot_today().is_ok()
            {
                snapshot_day = today;
            }
            state.checkpoint_if_idle(IDLE_CHECKPOINT);
            std::thread::sleep(Duration::from_millis(500));
        }
    });
}

/// The practice, reached from any command through its `AppHandle`: one line
/// per command, a read or a write that announces what it changed.
pub trait PracticeExt {
    fn read<T>(&self, f: impl FnOnce(&Store) -> punchcard::Result<T>) -> Result<T, ErrorPayload>;
    /// A practice-wide read, beside the others (see [`AppState::read_aside`]).
    fn read_aside<T>(
        &self,
        f: impl FnOnce(&Store) -> punchcard::Result<T>,
    ) -> Result<T, ErrorPayload>;
    fn write<T>(
        &self,
        f: impl FnOnce(&mut Store) -> punchcard::Result<T>,
    ) -> Result<T, ErrorPayload>;
}

impl<R: Runtime> PracticeExt for AppHandle<R> {
    fn read<T>(&self, f: impl FnOnce(&Store) -> punchcard::Result<T>) -> Result<T, ErrorPayload> {
        self.state::<AppState>().read(f)
    }

    fn read_aside<T>(
        &self,
        f: impl FnOnce(&Store) -> punchcard::Result<T>,
    ) -> Result<T, ErrorPayload> {
        self.state::<AppState>().read_aside(f)
    }

    fn write<T>(
        &self,
        f: impl FnOnce(&mut Store) -> punchcard::Result<T>,
    ) -> Result<T, ErrorPayload> {
        self.state::<AppState>().write(self, f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A practice set up in `dir/p.sqlite3`, and an app to announce its changes to.
    fn practice_in(dir: &Path) -> (AppState, tauri::App<tauri::test::MockRuntime>) {
        practice_of(AppState::open(dir.join("p.sqlite3")))
    }

    fn practice_of(state: AppState) -> (AppState, tauri::App<tauri::test::MockRuntime>) {
        let app = tauri::test::mock_app();
        crate::specta_builder!(tauri::test::MockRuntime).mount_events(&app);
        state
            .write(app.handle(), |s| {
                s.save_practice(&punchcard::PracticeInput::first_run("A", "EUR", "UTC"))
            })
            .unwrap();
        (state, app)
    }

    /// `--today`: both connections read the day given; without it, the
    /// clock is the computer's.
    #[test]
    fn a_practice_run_as_if_today_reads_that_day_on_both_connections() {
        let dir = tempfile::tempdir().unwrap();
        let day = chrono::NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
        let (state, app) =
            practice_of(AppState::open(dir.path().join("p.sqlite3")).as_if_today(Some(day)));
        assert_eq!(state.read(|s| s.today()).unwrap(), day);
        assert_eq!(state.read_aside(|s| s.today()).unwrap(), day);
        // Still so after a write (which the reader sees).
        state
            .write(app.handle(), |s| {
                s.create_client(&punchcard::ClientInput::named("Ana"))
            })
            .unwrap();
        assert_eq!(state.read_aside(|s| s.today()).unwrap(), day);
        drop(state);

        let today = chrono::Utc::now().date_naive();
        let (state, _app) =
            practice_of(AppState::open(dir.path().join("q.sqlite3")).as_if_today(None));
        assert!(
            (state.read(|s| s.today()).unwrap() - today)
                .num_days()
                .abs()
                <= 1
        );
    }

    #[test]
    fn an_idle_practice_is_checkpointed_and_a_busy_one_is_not_yet() {
        let dir = tempfile::tempdir().unwrap();
        let (state, app) = practice_in(dir.path());
        let wal = dir.path().join("p.sqlite3-wal");
        assert!(std::fs::metadata(&wal).unwrap().len() > 0);
        assert!(!state.checkpoint_if_idle(Duration::from_secs(60)));
        assert!(state.checkpoint_if_idle(Duration::ZERO));
        assert_eq!(std::fs::metadata(&wal).unwrap().len(), 0);
        // Nothing new since: nothing to do.
        assert!(!state.checkpoint_if_idle(Duration::ZERO));

        // While a practice-wide read runs on the reader, the checkpoint waits
        // for a later tick instead of holding every command up.
        state
            .write(app.handle(), |s| {
                s.create_client(&punchcard::ClientInput::named("Ana"))
            })
            .unwrap();
        let reading = state.reader.lock().unwrap();
        assert!(!state.checkpoint_if_idle(Duration::ZERO));
        assert!(std::fs::metadata(&wal).unwrap().len() > 0);
        drop(reading);
        assert!(state.checkpoint_if_idle(Duration::ZERO));
        assert_eq!(std::fs::metadata(&wal).unwrap().len(), 0);
    }

    /// Bytes of page cache a connection holds.
    fn cache_used(store: &Store) -> i32 {
        let (mut used, mut highest) = (0, 0);
        // SAFETY: the handle is the open connection's own; db_status only
        // reads its counters.
        unsafe {
            rusqlite::ffi::sqlite3_db_status(
                store.connection().handle(),
                rusqlite::ffi::SQLITE_DBSTATUS_CACHE_USED,
                &mut used,
                &mut highest,
                0,
            );
        }
        used
    }

    #[test]
    fn the_reader_gives_its_cache_back_after_a_read_on_a_large_practice() {
        let dir = tempfile::tempdir().unwrap();
        let (mut state, app) = practice_in(dir.path());
        state
            .write(app.handle(), |s| {
                s.create_client(&punchcard::ClientInput::named("Ana"))
            })
            .unwrap();
        let cached = |state: &AppState| cache_used(state.reader.lock().unwrap().as_ref().unwrap());
        // A practice the cache can hold keeps it for the next read...
        state.read_aside(|s| s.needs_attention()).unwrap();
        let kept = cached(&state);
        // ...a larger one gives it back (all but the page SQLite holds on
        // to while the connection is open).
        state.reader_cache_up_to = 0;
        let names = state.read_aside(|s| s.client_list("")).unwrap();
        assert_eq!(names.len(), 1);
        let left = cached(&state);
        assert!(kept > 4 * left, "kept {kept} bytes, {left} left");
    }

    #[test]
    fn a_practice_wide_read_runs_while_another_command_holds_the_practice() {
        let dir = tempfile::tempdir().unwrap();
        let (state, app) = practice_in(dir.path());
        let busy = state.store.lock().unwrap();
        let (sent, answer) = std::sync::mpsc::channel();
        std::thread::scope(|scope| {
            scope.spawn(|| {
                let _ = sent.send(state.read_aside(|s| s.needs_attention_first(5)));
            });
            let got = answer.recv_timeout(Duration::from_secs(30));
            drop(busy);
            let list = got.expect("the read waited for the other command").unwrap();
            assert_eq!((list.total, list.items.len()), (0, 0));
        });
        // And it sees what is written after it opened.
        state
            .write(app.handle(), |s| {
                s.create_client(&punchcard::ClientInput::named("Ana"))
            })
            .unwrap();
        let names = state
            .read_aside(|s| s.client_list(""))
            .unwrap()
            .into_iter()
            .map(|c| c.name)
            .collect::<Vec<_>>();
        assert_eq!(names, ["Ana"]);
    }
}
