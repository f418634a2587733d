//! The desktop shell: opens the practice file named on the command line (or
//! the default one in the app-data folder) and exposes the core as commands.
//! Commands only translate; after each write the shell tells the UI what
//! changed ([`DataChanged`]).

pub mod commands;
mod state;

use std::path::PathBuf;

use clap::Parser;
use tauri::Manager;

pub use state::{AppState, DataChanged, PracticeExt};

#[path = "command_list.rs"]
#[macro_use]
mod command_list;

#[doc(hidden)]
pub use tauri_specta as __tauri_specta;

#[derive(Debug, Parser)]
#[command(
    name = "punchcard",
    about = "Session packages, balances and history for a solo practice"
)]
// WebKitWebDriver adds flags of its own when it launches the app for tests.
#[command(ignore_errors = true)]
struct Cli {
    /// Open this practice file instead of the default one.
    #[arg(long, value_name = "PATH")]
    db: Option<PathBuf>,
}

#[doc(hidden)]
#[macro_export]
macro_rules! __command_names {
    (() $($area:ident: $($command:ident),+;)+) => {
        &[$($(stringify!($command)),+),+]
    };
}

#[doc(hidden)]
#[macro_export]
macro_rules! __collect_commands {
    (($runtime:ty) $($area:ident: $($command:ident),+;)+) => {
        $crate::__tauri_specta::collect_commands![
            $($($crate::commands::$area::$command::<$runtime>),+),+
        ]
    };
}

/// Every command's name, from the one list.
pub const COMMAND_NAMES: &[&str] = command_list!(crate::__command_names());

/// The commands and events for a Tauri runtime (the real one in the app,
/// `tauri::test::MockRuntime` in IPC tests); the TypeScript bindings are
/// generated from it.
#[macro_export]
macro_rules! specta_builder {
    ($runtime:ty) => {
        $crate::__tauri_specta::Builder::<$runtime>::new()
            // One TypeScript type per Rust type: the IPC shapes are the same both ways.
            .disable_serde_phases()
            .commands($crate::command_list!($crate::__collect_commands($runtime)))
            .events($crate::__tauri_specta::collect_events![$crate::DataChanged])
    };
}

/// The real app's commands and events.
pub fn specta_builder() -> tauri_specta::Builder<tauri::Wry> {
    specta_builder!(tauri::Wry)
}

/// Where the practice lives unless `--db` says otherwise.
pub const DEFAULT_DB_FILE: &str = "punchcard.sqlite3";

pub fn run() {
    let cli = Cli::parse();
    let builder = specta_builder();
    tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .invoke_handler(builder.invoke_handler())
        .setup(move |app| {
            builder.mount_events(app);
            let path = match cli.db {
                Some(path) => path,
                None => app.path().app_data_dir()?.join(DEFAULT_DB_FILE),
            };
            app.manage(AppState::open(path));
            Ok(())
        })
        .run(tauri::generate_context!())
        .expect("error while running Punchcard");
}
