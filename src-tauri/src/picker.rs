//! Where the user picks a file to write or read: the native dialog in the
//! app, a stand-in in tests (so IPC tests never open a window).

use std::path::{Path, PathBuf};

use tauri::{AppHandle, Runtime};
use tauri_plugin_dialog::{DialogExt, MessageDialogButtons, MessageDialogKind};

/// What to ask the user.
pub struct Pick<'a> {
    pub title: &'a str,
    /// A suggested file name (saving only).
    pub file_name: Option<String>,
    pub filter: (&'a str, &'a [&'a str]),
    pub save: bool,
}

type Ask = dyn Fn(&Pick) -> Option<PathBuf> + Send + Sync;
/// Whether to replace an existing file (its path).
type Replace = dyn Fn(&Path) -> bool + Send + Sync;

/// Managed state: how files are picked in this app.
pub struct Picker {
    ask: Box<Ask>,
    replace: Box<Replace>,
}

impl Picker {
    /// The native dialogs.
    pub fn dialog<R: Runtime>(app: AppHandle<R>) -> Self {
        let asking = app.clone();
        let ask = Box::new(move |p: &Pick| {
            let app = &asking;
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
        });
        let replace = Box::new(move |path: &Path| {
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let folder = path
                .parent()
                .map(|f| f.display().to_string())
                .unwrap_or_default();
            app.dialog()
                .message(format!(
                    "A file named “{name}” already exists in {folder}. Replacing it overwrites what it holds."
                ))
                .title(format!("Replace “{name}”?"))
                .kind(MessageDialogKind::Warning)
                .buttons(MessageDialogButtons::OkCancelCustom("_Replace".into(), "_Cancel".into()))
                .blocking_show()
        });
        Picker { ask, replace }
    }

    /// Always answers `answer`, and `replace` when asked to replace a file (tests).
    pub fn answering(answer: Option<PathBuf>, replace: bool) -> Self {
        Picker {
            ask: Box::new(move |_| answer.clone()),
            replace: Box::new(move |_| replace),
        }
    }

    /// Asks; `None` when the user cancels. Saving, a name typed without the
    /// filter's extension gets it; the native dialog asked about replacing
    /// the name as typed only, so replacing the file with the extension
    /// added is asked here.
    pub fn ask(&self, pick: &Pick) -> Option<PathBuf> {
        let mut path = (self.ask)(pick)?;
        if pick.save && path.extension().is_none() {
            if let Some(ext) = pick.filter.1.first() {
                path.set_extension(ext);
                if path.exists() && !(self.replace)(&path) {
                    return None;
                }
            }
        }
        Some(path)
    }
}
