//! Each command in `src/command_list.rs` becomes an `allow-…` permission, and
//! the capability's `allow-app-commands` set (permissions/app.toml) is written
//! from the same list, so a command can't be registered without being allowed.

include!("src/command_list.rs");

macro_rules! names {
    (() $($area:ident: $($command:ident),+;)+) => {
        &[$($(stringify!($command)),+),+]
    };
}

const COMMANDS: &[&str] = command_list!(names());

fn permission_set() -> String {
    let mut out = String::from(
        "# Written by build.rs from src/command_list.rs: do not edit.\n\
         [[set]]\nidentifier = \"allow-app-commands\"\n\
         description = \"Every command of the Punchcard UI.\"\npermissions = [\n",
    );
    for c in COMMANDS {
        out.push_str(&format!("  \"allow-{}\",\n", c.replace('_', "-")));
    }
    out.push_str("]\n");
    out
}

fn main() {
    println!("cargo:rerun-if-changed=src/command_list.rs");
    let set = permission_set();
    let path = std::path::Path::new("permissions/app.toml");
    if std::fs::read_to_string(path).ok().as_deref() != Some(set.as_str()) {
        std::fs::write(path, set).expect("write permissions/app.toml");
    }
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("failed to run tauri-build");
}
