use punchcard::{ErrorPayload, LogSessionInput, LoggedSession, PackageView, Reversed, SaleInput};
use tauri::{AppHandle, Runtime};

use crate::PracticeExt;

#[tauri::command(async)]
#[specta::specta]
pub fn sell_package<R: Runtime>(
    app: AppHandle<R>,
    input: SaleInput,
) -> Result<PackageView, ErrorPayload> {
    app.write(|s| s.sell_package(&input))
}

#[tauri::command(async)]
#[specta::specta]
pub fn log_session<R: Runtime>(
    app: AppHandle<R>,
    input: LogSessionInput,
) -> Result<LoggedSession, ErrorPayload> {
    app.write(|s| s.log_session(&input))
}

#[tauri::command(async)]
#[specta::specta]
pub fn reverse_entry<R: Runtime>(
    app: AppHandle<R>,
    entry_id: String,
    note: String,
) -> Result<Reversed, ErrorPayload> {
    app.write(|s| s.reverse_entry(&entry_id, &note))
}
