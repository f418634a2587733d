//! The one practice file the window works on, behind a mutex.

use std::path::PathBuf;
use std::sync::Mutex;

use punchcard::{ErrorPayload, Store};

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

    /// Runs a core call on the store, translating its error for IPC.
    pub fn with<T>(
        &self,
        f: impl FnOnce(&mut Store) -> punchcard::Result<T>,
    ) -> Result<T, ErrorPayload> {
        // A panic while holding the lock cannot leave SQLite half-written (every
        // write is a transaction), so a poisoned lock is safe to reuse.
        let mut guard = self.store.lock().unwrap_or_else(|p| p.into_inner());
        match guard.as_mut() {
            Ok(store) => f(store).map_err(ErrorPayload::from),
            Err(e) => Err(e.clone()),
        }
    }

    pub fn open_error(&self) -> Option<ErrorPayload> {
        let guard = self.store.lock().unwrap_or_else(|p| p.into_inner());
        guard.as_ref().err().cloned()
    }
}
