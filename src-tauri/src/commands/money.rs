use punchcard::io::reports_csv::ReportTable;
use punchcard::ops::payments::{
    CancelSaleInput, MoneyDone, PaymentInput, PlanInput, RefundInput, SuggestPlanInput,
};
use punchcard::views::client_record::InstalmentView;
use punchcard::views::reports::{ReportQuery, Reports};
use punchcard::ErrorPayload;
use tauri::{AppHandle, Manager, Runtime};

use crate::commands::files::Exported;
use crate::picker::{Pick, Picker};
use crate::PracticeExt;

#[tauri::command(async)]
#[specta::specta]
pub fn record_payment<R: Runtime>(
    app: AppHandle<R>,
    input: PaymentInput,
) -> Result<MoneyDone, ErrorPayload> {
    app.write(|s| s.record_payment(&input))
}

#[tauri::command(async)]
#[specta::specta]
pub fn record_refund<R: Runtime>(
    app: AppHandle<R>,
    input: RefundInput,
) -> Result<MoneyDone, ErrorPayload> {
    app.write(|s| s.record_refund(&input))
}

/// Reverses a payment or refund entered by mistake (no money moved).
#[tauri::command(async)]
#[specta::specta]
pub fn correct_payment<R: Runtime>(
    app: AppHandle<R>,
    payment_id: String,
    note: String,
) -> Result<MoneyDone, ErrorPayload> {
    app.write(|s| s.correct_payment(&payment_id, &note))
}

#[tauri::command(async)]
#[specta::specta]
pub fn set_plan<R: Runtime>(
    app: AppHandle<R>,
    input: PlanInput,
) -> Result<MoneyDone, ErrorPayload> {
    app.write(|s| s.set_plan(&input))
}

#[tauri::command(async)]
#[specta::specta]
pub fn suggest_plan<R: Runtime>(
    app: AppHandle<R>,
    input: SuggestPlanInput,
) -> Result<Vec<InstalmentView>, ErrorPayload> {
    app.read(|s| s.suggest_plan(&input))
}

#[tauri::command(async)]
#[specta::specta]
pub fn cancel_sale<R: Runtime>(
    app: AppHandle<R>,
    input: CancelSaleInput,
) -> Result<MoneyDone, ErrorPayload> {
    app.write(|s| s.cancel_sale(&input))
}

#[tauri::command(async)]
#[specta::specta]
pub fn reports<R: Runtime>(app: AppHandle<R>, query: ReportQuery) -> Result<Reports, ErrorPayload> {
    app.read_aside(|s| s.reports(&query))
}

/// Writes a report table as CSV to a file picked in the native dialog.
/// `None` when cancelled.
#[tauri::command(async)]
#[specta::specta]
pub fn export_report<R: Runtime>(
    app: AppHandle<R>,
    query: ReportQuery,
    table: ReportTable,
) -> Result<Option<Exported>, ErrorPayload> {
    let reports = app.read_aside(|s| s.reports(&query))?;
    let name = match table {
        ReportTable::Months => format!("Punchcard money {} to {}.csv", reports.from, reports.to),
        ReportTable::Owed => format!("Punchcard owed {}.csv", reports.to),
    };
    let Some(path) = app.state::<Picker>().ask(&Pick {
        title: "Save the report as CSV",
        file_name: Some(name),
        filter: ("CSV file", &["csv"]),
        save: true,
    }) else {
        return Ok(None);
    };
    let (path, rows) = app.read_aside(|s| s.export_report(&query, table, &path))?;
    Ok(Some(Exported {
        path: path.display().to_string(),
        rows: u32::try_from(rows).unwrap_or(u32::MAX),
    }))
}
