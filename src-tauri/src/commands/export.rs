use std::path::PathBuf;

use punchcard::{ErrorKind, ErrorPayload};
use serde::Serialize;
use specta::Type;
use tauri::{AppHandle, Runtime, State};
use tauri_plugin_dialog::DialogExt;

use crate::state::AppState;

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
    state: State<'_, AppState>,
    client_id: String,
) -> Result<Option<Exported>, ErrorPayload> {
    let client = state.with(|s| s.client(&client_id))?;
    let Some(choice) = app
        .dialog()
        .file()
        .set_title("Save history as CSV")
        .set_file_name(format!("{} history.csv", client.name))
        .add_filter("CSV file", &["csv"])
        .blocking_save_file()
    else {
        return Ok(None);
    };
    let mut path: PathBuf = choice.into_path().map_err(|e| ErrorPayload {
        kind: ErrorKind::Io,
        message: format!("That location can't be written to: {e}"),
        field: None,
    })?;
    if path.extension().is_none() {
        path.set_extension("csv");
    }
    let rows = state.with(|s| s.export_history(&client_id, &path))?;
    Ok(Some(Exported {
        path: path.display().to_string(),
        rows: u32::try_from(rows).unwrap_or(u32::MAX),
    }))
}
