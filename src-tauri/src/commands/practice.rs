use punchcard::{ErrorPayload, Practice, PracticeInput, SampleSize, SampleSummary};
use serde::Serialize;
use specta::Type;
use tauri::{AppHandle, Manager, Runtime};

use crate::{AppState, PracticeExt, Upgrade};

#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct AppInfo {
    pub db_path: String,
    /// Why the practice file could not be opened, if it could not.
    pub open_error: Option<ErrorPayload>,
    /// `None` until the first-run set-up.
    pub practice: Option<Practice>,
    /// Today in the practice's time zone, `YYYY-MM-DD`.
    pub today: String,
    /// Why nothing can be saved, when the file opened read-only.
    pub read_only: Option<String>,
    /// The practice is being brought up to date: nothing else is known yet.
    pub upgrading: Option<Upgrade>,
}

#[tauri::command(async)]
#[specta::specta]
pub fn app_info<R: Runtime>(app: AppHandle<R>) -> AppInfo {
    let state = app.state::<AppState>();
    let db_path = state.db_path.display().to_string();
    // A practice not open (yet, or at all): only its path is known.
    let nothing_yet = |db_path| AppInfo {
        db_path,
        open_error: None,
        practice: None,
        today: String::new(),
        read_only: None,
        upgrading: None,
    };
    if let Some(upgrading) = state.upgrading() {
        return AppInfo {
            upgrading: Some(upgrading),
            ..nothing_yet(db_path)
        };
    }
    // Asked at start and whenever the window comes back: a new day may have
    // expired packages (a failure here shows on the next write, not as a
    // practice that won't open).
    let _ = app.write(|s| s.expire_due());
    match app.read(|s| Ok((s.practice()?, s.today()?, s.read_only().map(str::to_owned)))) {
        Ok((practice, today, read_only)) => AppInfo {
            db_path,
            open_error: None,
            practice,
            today: today.to_string(),
            read_only,
            upgrading: None,
        },
        Err(e) => AppInfo {
            open_error: Some(e),
            ..nothing_yet(db_path)
        },
    }
}

/// The system's time zone, or UTC when it cannot be read or is unknown.
fn system_time_zone() -> String {
    punchcard::time_zone_or_utc(&iana_time_zone::get_timezone().unwrap_or_default())
}

#[tauri::command(async)]
#[specta::specta]
pub fn setup_practice<R: Runtime>(
    app: AppHandle<R>,
    name: String,
    currency: String,
) -> Result<Practice, ErrorPayload> {
    let zone = system_time_zone();
    app.write(|s| s.save_practice(&PracticeInput::first_run(&name, &currency, &zone)))
}

#[tauri::command(async)]
#[specta::specta]
pub fn save_practice<R: Runtime>(
    app: AppHandle<R>,
    input: PracticeInput,
) -> Result<Practice, ErrorPayload> {
    app.write(|s| s.save_practice(&input))
}

#[tauri::command(async)]
#[specta::specta]
pub fn load_sample<R: Runtime>(app: AppHandle<R>) -> Result<SampleSummary, ErrorPayload> {
    let zone = system_time_zone();
    app.write(|s| s.load_sample(SampleSize::STANDARD, &zone))
}
