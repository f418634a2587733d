use punchcard::{ErrorPayload, Offering, TermsInput};
use tauri::State;

use crate::state::AppState;

#[tauri::command(async)]
#[specta::specta]
pub fn list_offerings(
    state: State<'_, AppState>,
    include_retired: bool,
) -> Result<Vec<Offering>, ErrorPayload> {
    state.with(|s| s.offerings(include_retired))
}

#[tauri::command(async)]
#[specta::specta]
pub fn create_offering(
    state: State<'_, AppState>,
    input: TermsInput,
) -> Result<Offering, ErrorPayload> {
    state.with(|s| s.create_offering(&input))
}

#[tauri::command(async)]
#[specta::specta]
pub fn update_offering(
    state: State<'_, AppState>,
    offering_id: String,
    input: TermsInput,
) -> Result<Offering, ErrorPayload> {
    state.with(|s| s.update_offering(&offering_id, &input))
}

#[tauri::command(async)]
#[specta::specta]
pub fn set_offering_retired(
    state: State<'_, AppState>,
    offering_id: String,
    retired: bool,
) -> Result<Offering, ErrorPayload> {
    state.with(|s| s.set_offering_retired(&offering_id, retired))
}
