use punchcard::{ErrorPayload, Offering, TermsInput};
use tauri::{AppHandle, Runtime};

use crate::PracticeExt;

#[tauri::command(async)]
#[specta::specta]
pub fn list_offerings<R: Runtime>(
    app: AppHandle<R>,
    include_retired: bool,
) -> Result<Vec<Offering>, ErrorPayload> {
    app.read(|s| s.offerings(include_retired))
}

#[tauri::command(async)]
#[specta::specta]
pub fn create_offering<R: Runtime>(
    app: AppHandle<R>,
    input: TermsInput,
) -> Result<Offering, ErrorPayload> {
    app.write(|s| s.create_offering(&input))
}

#[tauri::command(async)]
#[specta::specta]
pub fn update_offering<R: Runtime>(
    app: AppHandle<R>,
    offering_id: String,
    input: TermsInput,
) -> Result<Offering, ErrorPayload> {
    app.write(|s| s.update_offering(&offering_id, &input))
}

#[tauri::command(async)]
#[specta::specta]
pub fn set_offering_retired<R: Runtime>(
    app: AppHandle<R>,
    offering_id: String,
    retired: bool,
) -> Result<Offering, ErrorPayload> {
    app.write(|s| s.set_offering_retired(&offering_id, retired))
}
