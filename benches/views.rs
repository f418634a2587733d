//! What the screens ask for, on a practice with ten years of history
//! (`SampleSize::TEN_YEARS`). Every one must answer within a frame (16 ms).
//!
//! Run with `make bench`.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use punchcard::{LogSessionInput, PracticeInput, SampleSize, Store};

fn ten_year_practice() -> (tempfile::TempDir, Store, String) {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path().join("ten-years.sqlite3")).unwrap();
    store
        .save_practice(&PracticeInput::first_run("Bench", "EUR", "UTC"))
        .unwrap();
    let started = std::time::Instant::now();
    let made = store.load_sample(SampleSize::TEN_YEARS, "UTC").unwrap();
    // The client with the longest history: the worst case for a record.
    let busiest: String = store
        .connection()
        .query_row(
            "SELECT p.client_id FROM ledger_entries e JOIN packages p ON p.id = e.package_id
             GROUP BY p.client_id ORDER BY count(*) DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let entries: i64 = store
        .connection()
        .query_row("SELECT count(*) FROM ledger_entries", [], |r| r.get(0))
        .unwrap();
    eprintln!(
        "ten-year practice: {} clients, {} packages, {} sessions, {entries} ledger entries (built in {:.1?})",
        made.clients,
        made.packages,
        made.sessions,
        started.elapsed()
    );
    (dir, store, busiest)
}

fn views(c: &mut Criterion) {
    let (_dir, mut store, busiest) = ten_year_practice();
    let history_len = store.history(&busiest).unwrap().len();
    eprintln!("busiest client: {history_len} history lines");

    c.bench_function("client_list (all)", |b| {
        b.iter(|| black_box(store.client_list("").unwrap()))
    });
    c.bench_function("client_list (search \"an\")", |b| {
        b.iter(|| black_box(store.client_list("an").unwrap()))
    });
    c.bench_function("client_record (busiest client)", |b| {
        b.iter(|| black_box(store.client_record(&busiest).unwrap()))
    });
    c.bench_function("export history CSV (busiest client)", |b| {
        b.iter(|| {
            let mut out = Vec::with_capacity(256 * 1024);
            punchcard::io::history_csv::write_history(&store, &busiest, &mut out).unwrap();
            black_box(out)
        })
    });
    // A write as the practitioner makes it: log a session, then undo it.
    let today = store.today().unwrap().to_string();
    let target = store
        .client_list("")
        .unwrap()
        .into_iter()
        .find(|c| c.remaining > 0)
        .expect("a client with credit")
        .id;
    c.bench_function("log_session + reverse (fsync'd)", |b| {
        b.iter(|| {
            let logged = store
                .log_session(&LogSessionInput {
                    client_id: target.clone(),
                    date: today.clone(),
                    ..Default::default()
                })
                .unwrap();
            black_box(store.reverse_entry(&logged.entry_id, "bench").unwrap())
        })
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(30).measurement_time(std::time::Duration::from_secs(3));
    targets = views
}
criterion_main!(benches);
