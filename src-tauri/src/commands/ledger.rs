use punchcard::{ErrorPayload, Reversed};
use tauri::State;

use crate::state::AppState;

#[tauri::command(async)]
#[specta::specta]
pub fn reverse_entry(
    state: State<'_, AppState>,
    entry_id: String,
    note: String,
) -> Result<Reversed, ErrorPayload> {
    state.with(|s| s.reverse_entry(&entry_id, &note))
}
