use punchcard::{Client, ClientInput, ClientRecord, ClientSummary, ErrorPayload, LikelyDuplicate};
use tauri::State;

use crate::state::AppState;

#[tauri::command(async)]
#[specta::specta]
pub fn list_clients(
    state: State<'_, AppState>,
    query: String,
) -> Result<Vec<ClientSummary>, ErrorPayload> {
    state.with(|s| s.client_list(&query))
}

#[tauri::command(async)]
#[specta::specta]
pub fn client_record(
    state: State<'_, AppState>,
    client_id: String,
) -> Result<ClientRecord, ErrorPayload> {
    state.with(|s| s.client_record(&client_id))
}

#[tauri::command(async)]
#[specta::specta]
pub fn create_client(
    state: State<'_, AppState>,
    input: ClientInput,
) -> Result<Client, ErrorPayload> {
    state.with(|s| s.create_client(&input))
}

#[tauri::command(async)]
#[specta::specta]
pub fn update_client(
    state: State<'_, AppState>,
    client_id: String,
    input: ClientInput,
) -> Result<Client, ErrorPayload> {
    state.with(|s| s.update_client(&client_id, &input))
}

#[tauri::command(async)]
#[specta::specta]
pub fn likely_duplicates(
    state: State<'_, AppState>,
    name: String,
    email: String,
    except_id: Option<String>,
) -> Result<Vec<LikelyDuplicate>, ErrorPayload> {
    state.with(|s| s.likely_duplicates(&name, &email, except_id.as_deref()))
}
