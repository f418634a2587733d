//! Where the user picks a file to write or read: the native dialog in the
//! app, a stand-in in tests (so IPC tests never open a window).

use std::path::PathBuf;

use tauri::{AppHandle, Runtime};
use tauri_plugin_dialog::DialogExt;

/// What to ask the user.
pub struct Pick<'a> {
    pub title: &'a str,
    /// A suggested file name (saving only).
    pub file_name: Option<String>,
    pub filter: (&'a str, &'a [&'a str]),
    pub save: bool,
}

type Ask = dyn Fn(&Pick) -> Option<PathBuf> + Send + Sync;

/// Managed state: how files are picked in this app.
pub struct Picker(Box<Ask>);

impl Picker {
    /// The native dialog.
    pub fn dialog<R: Runtime>(app: AppHandle<R>) -> Self {
        Picker(Box::new(move |p: &Pick| {
            let mut d = app
                .dialog()
                .file()
                .set_title(p.title)
                .add_filter(p.filter.0, p.filter.1);
            if let Some(name) = &p.file_name {
                d = d.set_file_name(name);
            }
            let chosen = if p.save {
                d.blocking_save_file()
            } else {
                d.blocking_pick_file()
            };
            chosen.and_then(|c| c.into_path().ok())
        }))
    }

    /// Always answers `answer` (tests).
    pub fn answering(answer: Option<PathBuf>) -> Self {
        Picker(Box::new(move |_| answer.clone()))
    }

    /// Asks; `None` when the user cancels.
    pub fn ask(&self, pick: &Pick) -> Option<PathBuf> {
        (self.0)(pick)
    }
}
