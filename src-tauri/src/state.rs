//! The one practice file the window works on, behind a mutex, and the event
//! that tells the UI what a write changed.

use std::path::PathBuf;
use std::sync::Mutex;

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

pub struct AppState {
    pub db_path: PathBuf,
    /// The open store, or why the file could not be opened (shown to the user
    /// instead of the app; the file is left untouched).
    store: Mutex<Result<Store, ErrorPayload>>,
}

impl AppState {
    pub fn open(db_path: PathBuf) -> Self {
        let store = Store::open(&db_path).map_err(ErrorPayload::from);
        AppState {
            db_path,
            store: Mutex::new(store),
        }
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
}

/// The practice, reached from any command through its `AppHandle`: one line
/// per command, a read or a write that announces what it changed.
pub trait PracticeExt {
    fn read<T>(&self, f: impl FnOnce(&Store) -> punchcard::Result<T>) -> Result<T, ErrorPayload>;
    fn write<T>(
        &self,
        f: impl FnOnce(&mut Store) -> punchcard::Result<T>,
    ) -> Result<T, ErrorPayload>;
}

impl<R: Runtime> PracticeExt for AppHandle<R> {
    fn read<T>(&self, f: impl FnOnce(&Store) -> punchcard::Result<T>) -> Result<T, ErrorPayload> {
        self.state::<AppState>().read(f)
    }

    fn write<T>(
        &self,
        f: impl FnOnce(&mut Store) -> punchcard::Result<T>,
    ) -> Result<T, ErrorPayload> {
        self.state::<AppState>().write(self, f)
    }
}
