//! The desktop shell: opens the practice file named on the command line (or
//! the default one in the app-data folder) and exposes the core as commands.

pub mod commands;
mod state;

use std::path::PathBuf;

use clap::Parser;
use tauri::Manager;

pub use state::AppState;

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

/// Every command the UI may call, for a given Tauri runtime (the real one in
/// the app, the mock one in IPC tests).
#[macro_export]
macro_rules! punchcard_commands {
    ($runtime:ty) => {
        tauri_specta::collect_commands![
            $crate::commands::practice::app_info,
            $crate::commands::practice::setup_practice,
            $crate::commands::practice::save_practice,
            $crate::commands::practice::load_sample,
            $crate::commands::clients::list_clients,
            $crate::commands::clients::client_record,
            $crate::commands::clients::create_client,
            $crate::commands::clients::update_client,
            $crate::commands::clients::likely_duplicates,
            $crate::commands::offerings::list_offerings,
            $crate::commands::offerings::create_offering,
            $crate::commands::offerings::update_offering,
            $crate::commands::offerings::set_offering_retired,
            $crate::commands::sales::sell_package,
            $crate::commands::sales::log_session,
            $crate::commands::ledger::reverse_entry,
            $crate::commands::export::export_client_history::<$runtime>,
        ]
    };
}

/// The commands for the real app; the TypeScript bindings are generated from it.
pub fn specta_builder() -> tauri_specta::Builder<tauri::Wry> {
    tauri_specta::Builder::<tauri::Wry>::new()
        // One TypeScript type per Rust type: the IPC shapes are the same both ways.
        .disable_serde_phases()
        .commands(punchcard_commands!(tauri::Wry))
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
