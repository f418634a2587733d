//! Crash runs: a child process writes through the core (first open of a new
//! file, sales paid and unpaid, sessions, reversals) and prints each id only
//! after the core acknowledged it; the harness kills it with SIGKILL at a
//! random moment, reopens the file and checks that it opens, that SQLite
//! finds it whole, that every acknowledged write is there, and that every
//! balance is the sum of its ledger and never negative. Some runs start on a
//! practice an older Punchcard wrote, killed while it is brought up to date
//! or soon after: nothing it held is lost either way.
//!
//! `PUNCHCARD_CRASH_RUNS` sets the number of runs (200 by default).

mod common;

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use punchcard::{
    ClientInput, LogSessionInput, PracticeInput, SaleInput, Store, TermsInput, Validity,
};

const CHILD: &str = "PUNCHCARD_CRASH_CHILD";
const SEED: &str = "PUNCHCARD_CRASH_SEED";

/// splitmix64: reproducible runs from a seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

fn ack(kind: &str, id: &str) {
    // One line per acknowledged write; stdout is line-buffered.
    println!("ACK {kind} {id}");
}

/// The child: writes until it is killed. Does nothing in a normal test run.
#[test]
fn child_writer() {
    let Some(db) = std::env::var_os(CHILD) else {
        return;
    };
    let mut rng = Rng(std::env::var(SEED)
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1));
    let mut store = Store::open(&db).expect("open");
    if store.practice().unwrap().is_none() {
        store
            .save_practice(&PracticeInput::first_run("Crash Test", "EUR", "UTC"))
            .unwrap();
        ack("practice", "-");
    }
    let today = store.today().unwrap().to_string();
    let mut clients: Vec<String> = store
        .client_list("")
        .unwrap()
        .into_iter()
        .map(|c| c.id)
        .collect();
    let mut sessions: Vec<String> = Vec::new();
    loop {
        match rng.below(10) {
            0 | 1 => {
                let c = store
                    .create_client(&ClientInput::named(&format!(
                        "Client {}",
                        rng.below(100_000)
                    )))
                    .unwrap();
                ack("client", &c.id);
                clients.push(c.id);
            }
            2..=4 if !clients.is_empty() => {
                let client = clients[rng.below(clients.len() as u64) as usize].clone();
                let paid = rng.below(2) == 0;
                let p = store
                    .sell_package(&SaleInput {
                        client_id: client,
                        terms: TermsInput::new(
                            "Pack",
                            1 + rng.below(10) as u32,
                            "100",
                            Validity::None,
                        ),
                        sold_on: today.clone(),
                        paid_now: paid,
                        payment_method: "Card".into(),
                        ..Default::default()
                    })
                    .unwrap();
                ack(if paid { "paid" } else { "package" }, &p.id);
            }
            5..=7 if !clients.is_empty() => {
                let client = clients[rng.below(clients.len() as u64) as usize].clone();
                // Refused when the client has no credit: that is not a write.
                if let Ok(s) = store.log_session(&LogSessionInput {
                    client_id: client,
                    date: today.clone(),
                    ..Default::default()
                }) {
                    let entry = s.entry_id.expect("a drawn session has its entry");
                    ack("entry", &entry);
                    sessions.push(entry);
                }
            }
            8 | 9 if !sessions.is_empty() => {
                let entry = sessions.swap_remove(rng.below(sessions.len() as u64) as usize);
                let r = store.reverse_entry(&entry, "crash test").unwrap();
                ack("entry", &r.entry_id);
            }
            _ => {}
        }
    }
}

/// The schema version of a file, as SQLite reads it (its journal included).
fn schema_version(db: &Path) -> i64 {
    rusqlite::Connection::open(db)
        .unwrap()
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap()
}

struct Acked {
    kind: String,
    id: String,
}

fn exists(store: &Store, sql: &str, id: &str) -> bool {
    store
        .connection()
        .query_row(sql, [id], |r| r.get::<_, i64>(0))
        .unwrap()
        > 0
}

fn verify(db: &Path, acked: &[Acked]) {
    let store =
        Store::open(db).unwrap_or_else(|e| panic!("the file does not open after a crash: {e}"));
    let report = store.check().unwrap();
    assert!(report.problems.is_empty(), "{:?}", report.problems);
    for a in acked {
        let present = match a.kind.as_str() {
            "practice" => store.practice().unwrap().is_some(),
            "client" => exists(&store, "SELECT count(*) FROM clients WHERE id = ?1", &a.id),
            "package" => exists(&store, "SELECT count(*) FROM packages WHERE id = ?1", &a.id),
            "paid" => exists(
                &store,
                "SELECT count(*) FROM payments WHERE package_id = ?1",
                &a.id,
            ),
            "entry" => exists(
                &store,
                "SELECT count(*) FROM ledger_entries WHERE id = ?1",
                &a.id,
            ),
            other => panic!("unknown acknowledgement {other}"),
        };
        assert!(present, "acknowledged {} {} was lost", a.kind, a.id);
    }
    // Every balance is the sum of its ledger and never below zero.
    let negative: i64 = store
        .connection()
        .query_row(
            "SELECT count(*) FROM (SELECT sum(delta) s FROM ledger_entries GROUP BY package_id HAVING s < 0)",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(negative, 0);
    for p in store
        .connection()
        .prepare("SELECT id FROM packages")
        .unwrap()
        .query_map([], |r| r.get::<_, String>(0))
        .unwrap()
    {
        let p = p.unwrap();
        let sum: i64 = store
            .connection()
            .query_row(
                "SELECT coalesce(sum(delta), 0) FROM ledger_entries WHERE package_id = ?1",
                [&p],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(i64::from(store.package(&p).unwrap().remaining), sum);
    }
}

#[test]
fn killed_at_random_moments_nothing_acknowledged_is_lost() {
    let runs: u64 = std::env::var("PUNCHCARD_CRASH_RUNS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(200);
    let exe = std::env::current_exe().unwrap();
    let base_dir = tempfile::tempdir().unwrap();
    let base = base_dir.path().join("base.sqlite3");
    {
        let mut s = Store::open(&base).unwrap();
        s.save_practice(&PracticeInput::first_run("Crash Test", "EUR", "UTC"))
            .unwrap();
        for i in 0..5 {
            s.create_client(&ClientInput::named(&format!("Base {i}")))
                .unwrap();
        }
        s.checkpoint().unwrap();
    }
    let older = common::fixture("schema-v15.sqlite3");
    let mut rng = Rng(0x5EED);
    let (mut acknowledged, mut first_opens) = (0usize, 0u64);
    let (mut upgrades, mut cut_short) = (0u64, 0u64);
    for run in 0..runs {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("practice.sqlite3");
        // One run in four is the very first open of a new file, killed early;
        // one in four the first open of a practice an older Punchcard wrote,
        // killed while it is brought up to date or soon after.
        let first_open = run % 4 == 0;
        let upgrade = run % 4 == 2;
        if first_open {
            first_opens += 1;
        } else if upgrade {
            upgrades += 1;
            std::fs::copy(&older, &db).unwrap();
        } else {
            std::fs::copy(&base, &db).unwrap();
        }
        let mut child = Command::new(&exe)
            .args(["child_writer", "--exact", "--nocapture", "--test-threads=1"])
            .env(CHILD, &db)
            .env(SEED, (run + 1).to_string())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let out = child.stdout.take().unwrap();
        let reader = std::thread::spawn(move || {
            BufReader::new(out)
                .lines()
                .map_while(Result::ok)
                .filter_map(|l| {
                    let mut parts = l.strip_prefix("ACK ")?.splitn(2, ' ');
                    Some(Acked {
                        kind: parts.next()?.to_owned(),
                        id: parts.next()?.to_owned(),
                    })
                })
                .collect::<Vec<_>>()
        });
        let wait = if first_open {
            5 + rng.below(40)
        } else if upgrade {
            rng.below(60)
        } else {
            20 + rng.below(150)
        };
        std::thread::sleep(Duration::from_millis(wait));
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        let acked = reader.join().unwrap();
        acknowledged += acked.len();
        if upgrade && schema_version(&db) == 15 {
            cut_short += 1;
        }
        if db.exists() {
            verify(&db, &acked);
        } else {
            assert!(acked.is_empty());
        }
        if upgrade {
            // Everything the older file held is still there.
            let conn = rusqlite::Connection::open(&db).unwrap();
            conn.execute("ATTACH ?1 AS older", [older.to_str().unwrap()])
                .unwrap();
            for (table, key) in [
                ("clients", "id"),
                ("packages", "id"),
                ("ledger_entries", "id"),
                ("payments", "id"),
                ("sessions", "id"),
                ("session_history", "seq"),
            ] {
                let lost: i64 = conn
                    .query_row(
                        &format!(
                            "SELECT count(*) FROM older.{table} WHERE {key} NOT IN (SELECT {key} FROM main.{table})"
                        ),
                        [],
                        |r| r.get(0),
                    )
                    .unwrap();
                assert_eq!(
                    lost, 0,
                    "run {run}: {lost} of the older file's {table} lost"
                );
            }
        }
    }
    eprintln!(
        "{runs} crash runs ({first_opens} during a first open, {upgrades} while an older file was brought up to date, {cut_short} of them before it was): {acknowledged} acknowledged writes, none lost, every file opened whole"
    );
    assert!(
        acknowledged > 0,
        "the child never got to write: the harness tests nothing"
    );
    assert!(
        upgrades == 0 || cut_short > 0,
        "no run was killed before an older file was brought up to date: they test nothing of it"
    );
}
