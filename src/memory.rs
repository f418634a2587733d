//! The process's memory. Punchcard's own allocations (every row a screen
//! reads, every line of a history) go to mimalloc: the app and the
//! benchmarks make it the global allocator with [`Allocator`]. SQLite's (its
//! page caches) go to the C library's.
//!
//! Why not the C library's for ours too: after a practice-wide list has
//! been read and its memory handed back, glibc's heap made every screen
//! after it slower. In `make bench` at 100×, a client's history CSV, run
//! forty times in a row, took 5.1–6.6 ms a run in the rounds (after the
//! lists) against 3.2 ms in criterion's loop before them, in one process,
//! with the same SQLite page-cache hits and no page faults; on mimalloc it
//! took 3.5 ms in the rounds, on a slower spell of the machine.

/// The global allocator: `#[global_allocator] static A: Allocator = Allocator;`
/// in a binary.
pub use mimalloc::MiMalloc as Allocator;

/// Hands memory freed since back to the system: after a practice-wide read
/// on a large practice, which builds and drops tens of MiB of rows (the
/// allocators keep what was freed for later unless told), so that the idle
/// app does not hold it.
pub fn give_back() {
    // SAFETY: mi_collect frees only pages that hold nothing in use, from
    // the heaps of mimalloc (empty when it is not the global allocator).
    unsafe { libmimalloc_sys::mi_collect(true) };
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only returns free memory at the top of the heap
    // and whole free pages to the system; it touches nothing in use.
    unsafe {
        libc::malloc_trim(0);
    }
}
