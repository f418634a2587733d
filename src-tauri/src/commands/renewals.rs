use punchcard::ops::renewals::{
    ExtendInput, FollowUpInput, PauseInput, Reminder, ReminderTemplate,
};
use punchcard::views::attention::Attention;
use punchcard::ErrorPayload;
use punchcard::PackageView;
use tauri::{AppHandle, Runtime};
use tauri_plugin_opener::OpenerExt;

use crate::PracticeExt;

/// The clients the follow-up rules flag, most urgent first: the first
/// `limit` of them, and how many there are. Practice-wide: read aside.
#[tauri::command(async)]
#[specta::specta]
pub fn needs_attention<R: Runtime>(
    app: AppHandle<R>,
    limit: u32,
) -> Result<Attention, ErrorPayload> {
    app.read_aside(|s| s.needs_attention_first(limit))
}

#[tauri::command(async)]
#[specta::specta]
pub fn set_follow_up<R: Runtime>(
    app: AppHandle<R>,
    input: FollowUpInput,
) -> Result<(), ErrorPayload> {
    app.write(|s| s.set_follow_up(&input))
}

/// Moves a package's last day later, with a reason.
#[tauri::command(async)]
#[specta::specta]
pub fn extend_package<R: Runtime>(
    app: AppHandle<R>,
    input: ExtendInput,
) -> Result<PackageView, ErrorPayload> {
    app.write(|s| s.extend_package(&input))
}

/// Pauses a package for a period: no draws then, its last day moved by as many days.
#[tauri::command(async)]
#[specta::specta]
pub fn pause_package<R: Runtime>(
    app: AppHandle<R>,
    input: PauseInput,
) -> Result<PackageView, ErrorPayload> {
    app.write(|s| s.pause_package(&input))
}

#[tauri::command(async)]
#[specta::specta]
pub fn reminder_template<R: Runtime>(app: AppHandle<R>) -> Result<ReminderTemplate, ErrorPayload> {
    app.read(|s| s.reminder_template())
}

/// Saves the practice's own reminder words (empty: Punchcard's again).
#[tauri::command(async)]
#[specta::specta]
pub fn set_reminder_template<R: Runtime>(
    app: AppHandle<R>,
    text: String,
) -> Result<ReminderTemplate, ErrorPayload> {
    app.write(|s| s.set_reminder_template(&text))
}

/// Drafts a reminder and opens it in the practitioner's own mail app (the
/// system's `mailto:` handler). Returns the draft; `opened` says whether a
/// mail app took it (with none set up, the UI offers to copy the text).
#[tauri::command(async)]
#[specta::specta]
pub fn remind_client<R: Runtime>(
    app: AppHandle<R>,
    client_id: String,
) -> Result<Reminded, ErrorPayload> {
    let reminder = app.read(|s| s.reminder(&client_id))?;
    // Tests and machines with no mail app: set PUNCHCARD_NO_MAILTO to only draft.
    let opened = std::env::var_os("PUNCHCARD_NO_MAILTO").is_none()
        && app.opener().open_url(&reminder.url, None::<&str>).is_ok();
    Ok(Reminded { reminder, opened })
}

#[derive(Debug, Clone, serde::Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Reminded {
    pub reminder: Reminder,
    pub opened: bool,
}
