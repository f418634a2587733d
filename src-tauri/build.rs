/// The app's own commands; each becomes an `allow-…` permission, and the
/// capability in `capabilities/default.json` grants exactly these.
const COMMANDS: &[&str] = &[
    "app_info",
    "setup_practice",
    "save_practice",
    "load_sample",
    "list_clients",
    "client_record",
    "create_client",
    "update_client",
    "likely_duplicates",
    "list_offerings",
    "create_offering",
    "update_offering",
    "set_offering_retired",
    "sell_package",
    "log_session",
    "reverse_entry",
    "export_client_history",
];

fn main() {
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("failed to run tauri-build");
}
