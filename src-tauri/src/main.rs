// Prevents an extra console window on Windows in release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

/// Punchcard's own allocations on mimalloc (see `punchcard::memory`).
#[global_allocator]
static ALLOCATOR: punchcard::memory::Allocator = punchcard::memory::Allocator;

fn main() -> std::process::ExitCode {
    punchcard_app::main()
}
