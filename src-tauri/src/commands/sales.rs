use punchcard::{ErrorPayload, LogSessionInput, LoggedSession, PackageView, SaleInput};
use tauri::State;

use crate::state::AppState;

#[tauri::command(async)]
#[specta::specta]
pub fn sell_package(
    state: State<'_, AppState>,
    input: SaleInput,
) -> Result<PackageView, ErrorPayload> {
    state.with(|s| s.sell_package(&input))
}

#[tauri::command(async)]
#[specta::specta]
pub fn log_session(
    state: State<'_, AppState>,
    input: LogSessionInput,
) -> Result<LoggedSession, ErrorPayload> {
    state.with(|s| s.log_session(&input))
}
