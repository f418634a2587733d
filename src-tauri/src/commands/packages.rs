use punchcard::ops::ledger::{AdjustInput, Moved, TransferInput};
use punchcard::views::timeline::BalanceOn;
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

#[tauri::command(async)]
#[specta::specta]
pub fn adjust_credits<R: Runtime>(
    app: AppHandle<R>,
    input: AdjustInput,
) -> Result<Moved, ErrorPayload> {
    app.write(|s| s.adjust_credits(&input))
}

#[tauri::command(async)]
#[specta::specta]
pub fn transfer_credits<R: Runtime>(
    app: AppHandle<R>,
    input: TransferInput,
) -> Result<Moved, ErrorPayload> {
    app.write(|s| s.transfer_credits(&input))
}

#[tauri::command(async)]
#[specta::specta]
pub fn client_packages<R: Runtime>(
    app: AppHandle<R>,
    client_id: String,
) -> Result<Vec<PackageView>, ErrorPayload> {
    app.read(|s| s.client_packages(&client_id))
}

/// Each of a client's packages' balance at the end of a day (`YYYY-MM-DD`).
#[tauri::command(async)]
#[specta::specta]
pub fn balances_on<R: Runtime>(
    app: AppHandle<R>,
    client_id: String,
    date: String,
) -> Result<Vec<BalanceOn>, ErrorPayload> {
    app.read(|s| s.balances_on_text(&client_id, &date))
}
