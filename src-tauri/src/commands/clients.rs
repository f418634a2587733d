use punchcard::views::client_list::{ClientPage, ClientQuery};
use punchcard::{Client, ClientInput, ClientRecord, ErrorPayload, LikelyDuplicate};
use tauri::{AppHandle, Runtime};

use crate::PracticeExt;

/// A page of the client list. A filter (owes money, needs attention…) is
/// worked out over the whole practice: read aside, so it holds nothing up.
#[tauri::command(async)]
#[specta::specta]
pub fn list_clients<R: Runtime>(
    app: AppHandle<R>,
    query: ClientQuery,
) -> Result<ClientPage, ErrorPayload> {
    if query.filter.is_some() {
        app.read_aside(|s| s.client_page(&query))
    } else {
        app.read(|s| s.client_page(&query))
    }
}

/// A client's record, with the newest `lines` of their history.
#[tauri::command(async)]
#[specta::specta]
pub fn client_record<R: Runtime>(
    app: AppHandle<R>,
    client_id: String,
    lines: u32,
) -> Result<ClientRecord, ErrorPayload> {
    app.read(|s| s.client_record_newest(&client_id, lines))
}

#[tauri::command(async)]
#[specta::specta]
pub fn create_client<R: Runtime>(
    app: AppHandle<R>,
    input: ClientInput,
) -> Result<Client, ErrorPayload> {
    app.write(|s| s.create_client(&input))
}

#[tauri::command(async)]
#[specta::specta]
pub fn update_client<R: Runtime>(
    app: AppHandle<R>,
    client_id: String,
    input: ClientInput,
) -> Result<Client, ErrorPayload> {
    app.write(|s| s.update_client(&client_id, &input))
}

#[tauri::command(async)]
#[specta::specta]
pub fn likely_duplicates<R: Runtime>(
    app: AppHandle<R>,
    name: String,
    email: String,
    except_id: Option<String>,
) -> Result<Vec<LikelyDuplicate>, ErrorPayload> {
    app.read(|s| s.likely_duplicates(&name, &email, except_id.as_deref()))
}
