//! The desktop shell: opens the practice file named on the command line (or
//! the default one in the app-data folder) and exposes the core as commands.
//! Commands only translate; after each write the shell tells the UI what
//! changed ([`DataChanged`]). The same binary runs headless commands ([`cli`]).

pub mod cli;
pub mod commands;
pub mod picker;
mod state;

use std::path::PathBuf;

use tauri::Manager;

pub use state::{
    open_in_background, start_upkeep, warm_in_background, AppState, DataChanged, PracticeExt,
    Upgrade, UpgradeStep,
};

#[path = "command_list.rs"]
#[macro_use]
mod command_list;

#[doc(hidden)]
pub use punchcard as __punchcard;
#[doc(hidden)]
pub use tauri_specta as __tauri_specta;

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
            // What the first screen asks for: the core reads the same ahead
            // of it (`Store::warm_first_screen`).
            .constant("TODAY_DAYS", $crate::__punchcard::views::agenda::TODAY_DAYS)
            .constant("TODAY_PAGE", $crate::__punchcard::views::agenda::TODAY_PAGE)
    };
}

/// The real app's commands and events.
pub fn specta_builder() -> tauri_specta::Builder<tauri::Wry> {
    specta_builder!(tauri::Wry)
}

/// Where the practice lives unless `--db` says otherwise.
pub const DEFAULT_DB_FILE: &str = "punchcard.sqlite3";

/// The app, or one of its headless commands (see [`cli`]).
pub fn main() -> std::process::ExitCode {
    use clap::Parser;
    let cli = cli::Cli::parse();
    match cli.command {
        Some(command) => cli::run(command),
        None => {
            let today = match cli.today.as_deref().map(str::parse).transpose() {
                Ok(today) => today,
                Err(_) => {
                    eprintln!("--today: a day as YYYY-MM-DD, such as 2026-11-25.");
                    return std::process::ExitCode::from(2);
                }
            };
            run(cli.db, today);
            std::process::ExitCode::SUCCESS
        }
    }
}

/// The single-instance id for a practice file: a second Punchcard on the
/// same file focuses the first window instead of opening it twice (the file
/// lock in the core refuses it in any case). D-Bus names allow letters, digits
/// and `_` in each element.
fn instance_id(db: Option<&std::path::Path>) -> String {
    let Some(db) = db else {
        return "app.punchcard.desktop.default".into();
    };
    let canonical = std::fs::canonicalize(db).unwrap_or_else(|_| db.to_path_buf());
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for b in canonical.to_string_lossy().bytes() {
        hash = (hash ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("app.punchcard.desktop.f{hash:016x}")
}

/// Lists and forms need no GPU compositing, and on Linux WebKitGTK's costs
/// a quarter of the app's memory (a GL context and its buffers in the web
/// process: 85 of 345 MiB at 1×, `make bench-app`), for no faster keystroke
/// or start. Drawn without it.
#[cfg(target_os = "linux")]
fn draw_without_compositing(window: &tauri::WebviewWindow) -> tauri::Result<()> {
    window.with_webview(|webview| {
        use webkit2gtk::{HardwareAccelerationPolicy, SettingsExt, WebViewExt};
        if let Some(settings) = webview.inner().settings() {
            settings.set_hardware_acceleration_policy(HardwareAccelerationPolicy::Never);
        }
    })
}

#[cfg(not(target_os = "linux"))]
fn draw_without_compositing(_: &tauri::WebviewWindow) -> tauri::Result<()> {
    Ok(())
}

fn run(db: Option<PathBuf>, today: Option<chrono::NaiveDate>) {
    let builder = specta_builder();
    let app = tauri::Builder::default()
        .plugin(
            tauri_plugin_single_instance::Builder::new()
                .dbus_id(instance_id(db.as_deref()))
                .callback(|app, _args, _cwd| {
                    if let Some(window) = app.get_webview_window("main") {
                        let _ = window.unminimize();
                        let _ = window.show();
                        let _ = window.set_focus();
                    }
                })
                .build(),
        )
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_opener::init())
        .invoke_handler(builder.invoke_handler())
        .setup(move |app| {
            builder.mount_events(app);
            if let Some(window) = app.get_webview_window("main") {
                draw_without_compositing(&window)?;
            }
            let data = app.path().app_data_dir()?;
            let path = match db {
                Some(path) => path,
                None => data.join(DEFAULT_DB_FILE),
            };
            // A practice from an older Punchcard is brought up to date on a
            // thread of its own: the window shows that meanwhile.
            app.manage(
                AppState::open_or_upgrade_later(path, Some(&data.join("snapshots")))
                    .as_if_today(today)
                    .hold_upgrade_until(
                        std::env::var_os("PUNCHCARD_HOLD_UPGRADE_UNTIL").map(PathBuf::from),
                    ),
            );
            open_in_background(app.handle().clone());
            warm_in_background(app.handle().clone());
            app.manage(picker::Picker::dialog(app.handle().clone()));
            start_upkeep(app.handle().clone());
            Ok(())
        })
        .build(tauri::generate_context!())
        .expect("error while starting Punchcard");
    app.run(|app, event| {
        if let tauri::RunEvent::Exit = event {
            // Everything into the practice file, so a copy taken after
            // closing the app is complete.
            app.state::<AppState>().checkpoint_now();
        }
    });
}
