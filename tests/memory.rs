//! Memory a large read freed goes back to the system when the app says so
//! (after each practice-wide list), on the allocator the app runs on.

#[global_allocator]
static ALLOCATOR: punchcard::memory::Allocator = punchcard::memory::Allocator;

/// The process's resident memory, in MiB.
fn resident_mib() -> u64 {
    let statm = std::fs::read_to_string("/proc/self/statm").unwrap();
    let pages: u64 = statm.split(' ').nth(1).unwrap().parse().unwrap();
    pages * 4096 / (1024 * 1024)
}

#[test]
#[cfg(target_os = "linux")]
fn memory_a_large_read_freed_goes_back_to_the_system() {
    let before = resident_mib();
    // As a practice-wide list builds them: many small rows, 100 MiB or so.
    let rows: Vec<String> = (0..1_000_000).map(|i| format!("{i:>80}")).collect();
    let built = resident_mib();
    drop(rows);
    let held = resident_mib();
    punchcard::memory::give_back();
    let after = resident_mib();
    eprintln!("resident: {before} MiB, built {built}, dropped {held}, given back {after}");
    assert!(built >= before + 80, "the rows took {} MiB", built - before);
    assert!(
        after <= before + 20,
        "{after} MiB still resident after give_back (from {before})"
    );
}
