use punchcard::ops::bookings::{BookingOutcome, ScheduleInput, SchedulePreview, Scheduled};
use punchcard::views::agenda::{Agenda, AgendaAsk};
use punchcard::ErrorPayload;
use tauri::{AppHandle, Runtime};

use crate::PracticeExt;

/// The days from a day (`YYYY-MM-DD`; empty: today) for `days` days, each
/// with how many bookings it holds, and the bookings asked for.
#[tauri::command(async)]
#[specta::specta]
pub fn agenda<R: Runtime>(
    app: AppHandle<R>,
    from: String,
    days: u32,
    ask: AgendaAsk,
) -> Result<Agenda, ErrorPayload> {
    app.read(|s| s.agenda_from_text(&from, days, ask))
}

#[tauri::command(async)]
#[specta::specta]
pub fn schedule_preview<R: Runtime>(
    app: AppHandle<R>,
    input: ScheduleInput,
) -> Result<SchedulePreview, ErrorPayload> {
    app.read(|s| s.schedule_preview(&input))
}

#[tauri::command(async)]
#[specta::specta]
pub fn schedule<R: Runtime>(
    app: AppHandle<R>,
    input: ScheduleInput,
) -> Result<Scheduled, ErrorPayload> {
    app.write(|s| s.schedule(&input))
}

#[tauri::command(async)]
#[specta::specta]
pub fn complete_session<R: Runtime>(
    app: AppHandle<R>,
    session_id: String,
    owed: bool,
) -> Result<BookingOutcome, ErrorPayload> {
    app.write(|s| s.complete_session(&session_id, owed))
}

#[tauri::command(async)]
#[specta::specta]
pub fn mark_no_show<R: Runtime>(
    app: AppHandle<R>,
    session_id: String,
) -> Result<BookingOutcome, ErrorPayload> {
    app.write(|s| s.mark_no_show(&session_id))
}

/// `waive`: the reason to let a late cancel's forfeit go, if it is let go.
#[tauri::command(async)]
#[specta::specta]
pub fn cancel_session<R: Runtime>(
    app: AppHandle<R>,
    session_id: String,
    waive: Option<String>,
) -> Result<BookingOutcome, ErrorPayload> {
    app.write(|s| s.cancel_session(&session_id, waive.as_deref()))
}

#[tauri::command(async)]
#[specta::specta]
pub fn reschedule<R: Runtime>(
    app: AppHandle<R>,
    session_id: String,
    date: String,
    time: String,
) -> Result<BookingOutcome, ErrorPayload> {
    app.write(|s| s.reschedule(&session_id, &date, &time))
}

#[tauri::command(async)]
#[specta::specta]
pub fn waive_forfeit<R: Runtime>(
    app: AppHandle<R>,
    entry_id: String,
    reason: String,
) -> Result<BookingOutcome, ErrorPayload> {
    app.write(|s| s.waive_forfeit(&entry_id, &reason))
}

#[tauri::command(async)]
#[specta::specta]
pub fn reopen_booking<R: Runtime>(
    app: AppHandle<R>,
    session_id: String,
) -> Result<BookingOutcome, ErrorPayload> {
    app.write(|s| s.reopen_booking(&session_id))
}
