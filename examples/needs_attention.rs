//! How long the Needs-attention list takes on a practice file of any size:
//!
//! ```sh
//! punchcard sample --scale 10 --today 2026-11-25 --out /tmp/ten.sqlite3
//! cargo run --release --example needs_attention -- /tmp/ten.sqlite3
//! ```
//!
//! Opens the file (bringing it up to date), reads the list 60 times and
//! prints the median and p99. `make bench` measures it at the sample and
//! at 1× and 100×; this is for the sizes in between.

use std::time::Instant;

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: needs_attention PRACTICE_FILE");
        std::process::exit(2);
    };
    let store = punchcard::Store::open(std::path::Path::new(&path)).expect("open the practice");
    let mut times = Vec::new();
    let mut listed = 0;
    for _ in 0..60 {
        let t = Instant::now();
        listed = store.needs_attention().expect("the list").items.len();
        times.push(t.elapsed().as_secs_f64() * 1e3);
    }
    times.sort_by(f64::total_cmp);
    println!(
        "Needs attention: {listed} clients listed; median {:.2} ms, p99 {:.2} ms (60 reads)",
        times[30], times[59]
    );
}
