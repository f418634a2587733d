//! The UI's TypeScript bindings are generated from the Rust commands and
//! types. This fails when the committed file is stale; `make bindings` (or
//! `UPDATE_BINDINGS=1`) rewrites it.

use std::path::Path;

#[test]
fn committed_bindings_are_current() {
    let committed = Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui/src/lib/bindings.ts");
    let dir = tempfile::tempdir().unwrap();
    let fresh = dir.path().join("bindings.ts");
    punchcard_app::specta_builder()
        .export(
            specta_typescript::Typescript::default().header("// Generated from the Rust commands by `make bindings`. Do not edit.\n// @ts-nocheck"),
            &fresh,
        )
        .expect("export bindings");
    let fresh = std::fs::read_to_string(&fresh).unwrap();
    if std::env::var_os("UPDATE_BINDINGS").is_some() {
        std::fs::write(&committed, &fresh).unwrap();
    }
    let current = std::fs::read_to_string(&committed).unwrap_or_default();
    assert!(
        current == fresh,
        "ui/src/lib/bindings.ts is stale: run `make bindings` and commit the result"
    );
}
