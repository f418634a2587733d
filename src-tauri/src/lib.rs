//! The desktop shell: opens the practice file named on the command line (or
//! the default one in the app-data folder) and exposes the core as commands.

mod commands;
mod state;

use std::path::PathBuf;

use clap::Parser;
use tauri::Manager;

pub use state::AppState;

#[derive(Debug, Parser)]
#[command(name = "punchcard", about = "Session packages, balances and history for a solo practice")]
// WebKitWebDriver adds flags of its own when it launches the app for tests.
#[command(ignore_errors = true)]
struct Cli {
    /// Open this practice file instead of the default one.
    #[arg(long, value_name = "PATH")]
    db: Option<PathBuf>,
}

/// Every command the UI may call; the TypeScript bindings are generated from it.
pub fn specta_builder() -> tauri_specta::Builder<tauri::Wry> {
    use commands::*;
    tauri_specta::Builder::<tauri::Wry>::new()
        // One TypeScript type per Rust type: the IPC shapes are the same both ways.
        .disable_serde_phases()
        .commands(tauri_specta::collect_commands![
        practice::app_info,
        practice::setup_practice,
        practice::save_practice,
        practice::load_sample,
        clients::list_clients,
        clients::client_record,
        clients::create_client,
        clients::update_client,
        clients::likely_duplicates,
        offerings::list_offerings,
        offerings::create_offering,
        offerings::update_offering,
        offerings::set_offering_retired,
        sales::sell_package,
        sales::log_session,
        ledger::reverse_entry,
        export::export_client_history,
    ])
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
