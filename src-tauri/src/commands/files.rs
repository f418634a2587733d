use punchcard::io::backup::Snapshot;
use punchcard::io::target::safe_file_name;
use punchcard::{Error, ErrorPayload};
use serde::Serialize;
use specta::Type;
use tauri::{AppHandle, Manager, Runtime};

use crate::picker::{Pick, Picker};
use crate::{AppState, PracticeExt};

#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct Exported {
    pub path: String,
    pub rows: u32,
}

/// Asks where to save through the native dialog, then writes the file in Rust.
/// `None` when the practitioner cancels the dialog.
#[tauri::command(async)]
#[specta::specta]
pub fn export_client_history<R: Runtime>(
    app: AppHandle<R>,
    client_id: String,
) -> Result<Option<Exported>, ErrorPayload> {
    let client = app.read(|s| s.client(&client_id))?;
    let Some(path) = app.state::<Picker>().ask(&Pick {
        title: "Save history as CSV",
        file_name: Some(format!("{} history.csv", safe_file_name(&client.name))),
        filter: ("CSV file", &["csv"]),
        save: true,
    }) else {
        return Ok(None);
    };
    let (path, rows) = app.read(|s| s.export_history(&client_id, &path))?;
    Ok(Some(Exported {
        path: path.display().to_string(),
        rows: u32::try_from(rows).unwrap_or(u32::MAX),
    }))
}

/// Writes the schedule as an iCalendar file picked in the native dialog.
/// `None` when cancelled.
#[tauri::command(async)]
#[specta::specta]
pub fn export_calendar<R: Runtime>(app: AppHandle<R>) -> Result<Option<Exported>, ErrorPayload> {
    let name = app.read(|s| s.require_practice())?.name;
    let Some(path) = app.state::<Picker>().ask(&Pick {
        title: "Save the schedule as a calendar file",
        file_name: Some(format!("{} bookings.ics", safe_file_name(&name))),
        filter: ("Calendar file", &["ics"]),
        save: true,
    }) else {
        return Ok(None);
    };
    let (path, rows) = app.read(|s| s.export_calendar(&path))?;
    Ok(Some(Exported {
        path: path.display().to_string(),
        rows: u32::try_from(rows).unwrap_or(u32::MAX),
    }))
}

/// Where a backup was written.
#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct BackedUp {
    pub path: String,
}

/// Backs the practice up to a file picked in the native dialog, through
/// SQLite's backup API, verified before it is kept. `None` when cancelled.
#[tauri::command(async)]
#[specta::specta]
pub fn back_up_now<R: Runtime>(app: AppHandle<R>) -> Result<Option<BackedUp>, ErrorPayload> {
    let today = app.read(|s| s.today())?;
    let Some(path) = app.state::<Picker>().ask(&Pick {
        title: "Save a backup of the practice",
        file_name: Some(format!("Punchcard backup {today}.sqlite3")),
        filter: ("Punchcard practice", &["sqlite3"]),
        save: true,
    }) else {
        return Ok(None);
    };
    let written = app.read(|s| s.back_up_to(&path))?;
    Ok(Some(BackedUp {
        path: written.display().to_string(),
    }))
}

/// The automatic snapshots (and set-aside copies) of this practice, newest first.
#[tauri::command(async)]
#[specta::specta]
pub fn list_snapshots<R: Runtime>(app: AppHandle<R>) -> Result<Vec<Snapshot>, ErrorPayload> {
    let state = app.state::<AppState>();
    match &state.snapshots {
        Some(dir) => punchcard::io::backup::list_snapshots(dir).map_err(ErrorPayload::from),
        None => Ok(Vec::new()),
    }
}

/// Restores one of the snapshots listed by `list_snapshots`; the current
/// practice is set aside first (and listed).
#[tauri::command(async)]
#[specta::specta]
pub fn restore_snapshot<R: Runtime>(
    app: AppHandle<R>,
    file: String,
) -> Result<String, ErrorPayload> {
    let state = app.state::<AppState>();
    let dir = state.snapshots.clone().ok_or_else(|| {
        ErrorPayload::from(Error::NotFound("This practice has no snapshots.".into()))
    })?;
    let known = punchcard::io::backup::list_snapshots(&dir)
        .map_err(ErrorPayload::from)?
        .into_iter()
        .any(|s| s.file == file);
    if !known {
        return Err(Error::NotFound("That snapshot no longer exists.".into()).into());
    }
    let aside = app.write(|s| s.restore_from(&dir.join(&file), &dir))?;
    Ok(aside.display().to_string())
}

/// Restores a backup file picked in the native dialog; the current practice
/// is set aside first. `None` when cancelled.
#[tauri::command(async)]
#[specta::specta]
pub fn restore_from_file<R: Runtime>(app: AppHandle<R>) -> Result<Option<String>, ErrorPayload> {
    let state = app.state::<AppState>();
    let aside_dir = state
        .snapshots
        .clone()
        .unwrap_or_else(|| state.db_path.with_extension("set-aside"));
    let Some(path) = app.state::<Picker>().ask(&Pick {
        title: "Restore the practice from a backup",
        file_name: None,
        filter: ("Punchcard practice", &["sqlite3"]),
        save: false,
    }) else {
        return Ok(None);
    };
    let aside = app.write(|s| s.restore_from(&path, &aside_dir))?;
    Ok(Some(aside.display().to_string()))
}
