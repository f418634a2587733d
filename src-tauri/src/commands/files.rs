use std::path::PathBuf;

use punchcard::{Error, ErrorPayload};
use serde::Serialize;
use specta::Type;
use tauri::{AppHandle, Runtime};
use tauri_plugin_dialog::DialogExt;

use crate::PracticeExt;

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
    let mut path: PathBuf = choice.into_path().map_err(|e| {
        ErrorPayload::from(Error::Io(std::io::Error::other(format!(
            "That location can't be written to: {e}"
        ))))
    })?;
    if path.extension().is_none() {
        path.set_extension("csv");
    }
    let rows = app.read(|s| s.export_history(&client_id, &path))?;
    Ok(Some(Exported {
        path: path.display().to_string(),
        rows: u32::try_from(rows).unwrap_or(u32::MAX),
    }))
}
