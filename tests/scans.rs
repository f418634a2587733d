//! What one client's screen asks for stays proportional to that client, not
//! to the practice: on a generated practice, no statement run to open a
//! client, export their history, log or undo a session, book, move or
//! cancel one, take a payment or give a refund, sell, adjust, extend or
//! pause a package, see Today and the week, or page
//! through the client list steps through a whole table
//! (SQLite's own count of full-scan steps, triggers included) — with the
//! file's own statistics, and again with the planner told every table is a
//! hundred times larger. A missing index, or a plan that flips with size,
//! shows here long before a practice is big enough for anyone to feel it.

use std::collections::BTreeMap;
use std::sync::Mutex;

use punchcard::ops::bookings::ScheduleInput;
use punchcard::ops::ledger::AdjustInput;
use punchcard::ops::payments::{PaymentInput, RefundInput};
use punchcard::ops::renewals::{ExtendInput, PauseInput};
use punchcard::views::agenda::{AgendaAsk, TODAY_DAYS, TODAY_PAGE};
use punchcard::views::client_list::ClientQuery;
use punchcard::{LogSessionInput, SaleInput, Store, TermsInput, Validity};
use rusqlite::trace::{TraceEvent, TraceEventCodes};
use rusqlite::StatementStatus;

/// Full-scan steps by statement, as SQLite reports each one finishing.
static SCANS: Mutex<BTreeMap<String, i32>> = Mutex::new(BTreeMap::new());

/// Adds `n` to statement `sql`'s count in `into`, when there is any.
fn tally(into: &Mutex<BTreeMap<String, i32>>, sql: &str, n: i32) {
    if n > 0 {
        *into
            .lock()
            .unwrap()
            .entry(sql.split_whitespace().collect::<Vec<_>>().join(" "))
            .or_default() += n;
    }
}

fn record(event: TraceEvent<'_>) {
    if let TraceEvent::Profile(stmt, _) = event {
        tally(
            &SCANS,
            &stmt.sql(),
            stmt.get_status(StatementStatus::FullscanStep),
        );
    }
}

/// The statements `f` ran that scanned a table, with their steps.
fn scans_during(store: &mut Store, f: impl FnOnce(&mut Store)) -> BTreeMap<String, i32> {
    SCANS.lock().unwrap().clear();
    store
        .connection()
        .trace_v2(TraceEventCodes::SQLITE_TRACE_PROFILE, Some(record));
    f(store);
    store.connection().trace_v2(TraceEventCodes::empty(), None);
    std::mem::take(&mut *SCANS.lock().unwrap())
}

/// SQLite's plan for `sql`, a line for each step. Parameters left unbound
/// read as NULL: the plan is the same.
fn plan(store: &Store, sql: &str) -> Vec<String> {
    store
        .connection()
        .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
        .unwrap()
        .raw_query()
        .mapped(|r| r.get::<_, String>(3))
        .map(Result::unwrap)
        .collect()
}

/// The tables a scan may read: one row, or the practice's short lists.
const SMALL: [&str; 3] = ["practice", "offerings", "client_counts"];
/// More full-scan steps than a statement takes through those (a generated
/// practice has five offerings): the rest of the steps came from a trigger,
/// whose plan `EXPLAIN QUERY PLAN` does not show. A revenue trigger that
/// stepped through every day of the practice's revenue (`value_by_day`) on
/// each ledger entry took 3,594 steps at 1×, about 1 ms of each log.
const SMALL_STEPS: i32 = 50;

/// The tables `sql` scans, by SQLite's plan, leaving out the small ones and
/// the list of ids a statement is given (`rarray`).
fn big_scans(store: &Store, sql: &str) -> Vec<String> {
    plan(store, sql)
        .into_iter()
        .filter(|d| {
            d.strip_prefix("SCAN ").is_some_and(|scan| {
                let table = scan.split_whitespace().next().unwrap_or("");
                !SMALL.contains(&table) && table != "rarray"
            })
        })
        .collect()
}

/// Makes SQLite's planner believe every table and index is `times` larger
/// than it is (the row counts in `sqlite_stat1`, reloaded): a plan that is
/// right on a small file and flips on a large one shows here.
fn pretend_larger(store: &Store, times: u64) {
    let conn = store.connection();
    conn.execute_batch("ANALYZE").unwrap();
    let stats: Vec<(String, Option<String>, String)> = conn
        .prepare("SELECT tbl, idx, stat FROM sqlite_stat1")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    for (tbl, idx, stat) in stats {
        let mut fields = stat.split(' ');
        let rows: u64 = fields.next().and_then(|n| n.parse().ok()).unwrap_or(0);
        let rest: Vec<&str> = fields.collect();
        let scaled = std::iter::once((rows * times).to_string())
            .chain(rest.iter().map(|s| s.to_string()))
            .collect::<Vec<_>>()
            .join(" ");
        conn.execute(
            "UPDATE sqlite_stat1 SET stat = ?3 WHERE tbl = ?1 AND idx IS ?2",
            rusqlite::params![tbl, idx, scaled],
        )
        .unwrap();
    }
    conn.execute_batch("ANALYZE sqlite_schema").unwrap();
}

/// A generated practice (a tenth of 1×), in a file of its own.
fn generated_practice() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("practice.sqlite3");
    punchcard::sample::write_sample_file(
        &path,
        punchcard::SampleSize::scale(0.1, 7),
        Some("2026-11-25"),
    )
    .unwrap();
    let store = Store::open(&path).unwrap();
    (dir, store)
}

#[rstest::rstest]
#[case::as_generated(1)]
#[case::as_if_a_hundred_times_larger(100)]
fn one_clients_screens_and_writes_never_scan_a_table(#[case] larger: u64) {
    let (_dir, mut store) = generated_practice();
    if larger > 1 {
        pretend_larger(&store, larger);
    }
    let busiest: String = store
        .connection()
        .query_row(
            "SELECT p.client_id FROM ledger_entries e JOIN packages p ON p.id = e.package_id
             GROUP BY p.client_id ORDER BY count(*) DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let package: String = store
        .connection()
        .query_row(
            "SELECT id FROM packages WHERE client_id = ?1 ORDER BY sold_on DESC LIMIT 1",
            [&busiest],
            |r| r.get(0),
        )
        .unwrap();
    // A package with credits and days left, to pause.
    let (paused_client, to_pause): (String, String) = store
        .connection()
        .query_row(
            "SELECT p.client_id, p.id FROM packages p JOIN package_balances b ON b.package_id = p.id
              WHERE b.balance > 1 AND b.expires_on > '2027-01-31' ORDER BY p.id LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    // Warm up: the first read of the day may pass expiry over the practice.
    store.client_record(&busiest).unwrap();
    let today = store.today().unwrap();

    let scans = scans_during(&mut store, |store| {
        store.client_record(&busiest).unwrap();
        // As the window opens it: the newest lines, read from their days.
        store.client_record_newest(&busiest, 50).unwrap();
        store.client_record_newest(&busiest, 3).unwrap();
        let mut csv = Vec::new();
        punchcard::io::history_csv::write_history(store, &busiest, &mut csv).unwrap();
        let logged = store
            .log_session(&LogSessionInput {
                client_id: busiest.clone(),
                date: "2026-11-25".into(),
                owed: true,
                ..Default::default()
            })
            .unwrap();
        if let Some(entry) = logged.entry_id {
            store.reverse_entry(&entry, "scan test").unwrap();
        }
        let booked = store
            .schedule(&ScheduleInput {
                client_id: busiest.clone(),
                date: "2026-12-02".into(),
                time: "09:00".into(),
                weeks: "3".into(),
                ..Default::default()
            })
            .unwrap()
            .session_ids;
        store.reschedule(&booked[0], "2026-12-03", "10:00").unwrap();
        store.cancel_session(&booked[1], None).unwrap();
        store
            .record_payment(&PaymentInput {
                package_id: package.clone(),
                amount: "1".into(),
                date: "2026-11-25".into(),
                method: "Cash".into(),
                note: String::new(),
            })
            .ok();
        store.client_record(&busiest).unwrap();
        let five = store
            .sell_package(&SaleInput {
                client_id: busiest.clone(),
                terms: TermsInput::new("Five", 5, "400", Validity::Days { days: 90 }),
                sold_on: "2026-11-25".into(),
                paid_now: true,
                payment_method: "Card".into(),
                ..Default::default()
            })
            .unwrap()
            .id;
        let used = store
            .log_session(&LogSessionInput {
                client_id: busiest.clone(),
                date: "2026-11-25".into(),
                package_id: Some(five.clone()),
                ..Default::default()
            })
            .unwrap();
        store
            .reverse_entry(&used.entry_id.unwrap(), "scan test")
            .unwrap();
        store
            .adjust_credits(&AdjustInput {
                package_id: five.clone(),
                sessions: "+1".into(),
                reason: "Goodwill".into(),
                date: String::new(),
            })
            .unwrap();
        store
            .record_refund(&RefundInput {
                package_id: five.clone(),
                amount: "80".into(),
                date: "2026-11-25".into(),
                method: "Card".into(),
                note: String::new(),
                take_back: "1".into(),
            })
            .unwrap();
        store
            .extend_package(&ExtendInput {
                package_id: five.clone(),
                until: "2027-06-30".into(),
                reason: "Injury".into(),
            })
            .unwrap();
        store
            .pause_package(&PauseInput {
                package_id: to_pause.clone(),
                from: "2026-12-01".into(),
                until: "2026-12-14".into(),
                reason: "Travelling".into(),
            })
            .unwrap();
        store.client_record(&paused_client).unwrap();
        store.history(&paused_client).unwrap();
        store.agenda(today, 14).unwrap();
        store.agenda_of(today, 14, AgendaAsk::First(50)).unwrap();
        store.agenda_of(today, 7, AgendaAsk::EachDay(12)).unwrap();
        store.week_of(today).unwrap();
        for query in [
            ClientQuery {
                limit: 60,
                ..Default::default()
            },
            ClientQuery {
                text: "ana".into(),
                limit: 60,
                ..Default::default()
            },
            ClientQuery {
                offset: 90,
                limit: 60,
                ..Default::default()
            },
        ] {
            store.client_page(&query).unwrap();
        }
    });
    // A statement's plan names the tables it scans; its triggers' plans are
    // not shown, so steps beyond what the short lists hold are a trigger
    // stepping through a table.
    let big: Vec<_> = scans
        .iter()
        .map(|(sql, steps)| (sql, steps, big_scans(&store, sql)))
        .filter(|(_, steps, tables)| !tables.is_empty() || **steps > SMALL_STEPS)
        .collect();
    assert!(
        big.is_empty(),
        "these statements stepped through a whole table:\n{}",
        big.iter()
            .map(|(sql, steps, tables)| format!("  {steps} steps ({tables:?}): {sql}"))
            .collect::<Vec<_>>()
            .join("\n")
    );
}

/// Statements prepared again, by statement, as SQLite reports each finishing.
static REPREPARED: Mutex<BTreeMap<String, i32>> = Mutex::new(BTreeMap::new());

fn record_reprepares(event: TraceEvent<'_>) {
    if let TraceEvent::Profile(stmt, _) = event {
        tally(
            &REPREPARED,
            &stmt.sql(),
            stmt.get_status(StatementStatus::RePrepare),
        );
    }
}

/// A cached statement runs as prepared, whatever values it is given. The
/// SQLite that libsqlite3-sys bundles has STAT4, which prepares a statement
/// again each time a value is bound whose histogram could change its plan:
/// opening the busiest client spent a quarter of its time doing that.
/// `.cargo/config.toml` builds SQLite without it.
#[test]
fn cached_statements_are_not_prepared_again_for_each_value() {
    let (_dir, store) = generated_practice();
    // The statistics the app gathers as it runs (PRAGMA optimize), histograms included.
    store.connection().execute_batch("ANALYZE").unwrap();
    let clients: Vec<String> = store
        .connection()
        .prepare("SELECT id FROM clients ORDER BY id LIMIT 20")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    REPREPARED.lock().unwrap().clear();
    store.connection().trace_v2(
        TraceEventCodes::SQLITE_TRACE_PROFILE,
        Some(record_reprepares),
    );
    let today = store.today().unwrap();
    for id in clients.iter().chain(&clients) {
        store.client_record(id).unwrap();
        store.client_record_newest(id, 5).unwrap();
        let mut csv = Vec::new();
        punchcard::io::history_csv::write_history(&store, id, &mut csv).unwrap();
        store.agenda(today, 14).unwrap();
        for n in [20, 40, 100] {
            store.agenda_of(today, 14, AgendaAsk::First(n)).unwrap();
            store
                .agenda_of(today, 7, AgendaAsk::EachDay(n / 4))
                .unwrap();
        }
        store.week_of(today).unwrap();
        for text in ["", "ana", "an"] {
            store
                .client_page(&ClientQuery {
                    text: text.into(),
                    limit: 60,
                    selected: Some(id.clone()),
                    ..Default::default()
                })
                .unwrap();
        }
    }
    for _ in 0..2 {
        store.needs_attention_first(5).unwrap();
        // Both ways of reading the renewal rate: a year, and every year.
        for from in ["2025-12-01", "2010-01-01"] {
            store
                .reports(&punchcard::views::reports::ReportQuery {
                    from: from.into(),
                    to: "2026-11-30".into(),
                })
                .unwrap();
        }
    }
    store.connection().trace_v2(TraceEventCodes::empty(), None);
    let again = std::mem::take(&mut *REPREPARED.lock().unwrap());
    assert!(
        again.is_empty(),
        "prepared again as values were bound:\n{}",
        again
            .iter()
            .map(|(sql, n)| format!("  {n}×: {sql}"))
            .collect::<Vec<_>>()
            .join("\n")
    );
}

/// Every statement run, as SQLite reports each finishing.
static RAN: Mutex<Vec<String>> = Mutex::new(Vec::new());

fn record_statements(event: TraceEvent<'_>) {
    if let TraceEvent::Profile(stmt, _) = event {
        RAN.lock().unwrap().push(stmt.sql().into_owned());
    }
}

/// Today's first page and the week read each day's bookings in the
/// agenda's order from the index: with the sessions by day alone, SQLite
/// read and sorted all of a day's bookings to find its first ones (a day of
/// 1,549 at 100×: 18 ms).
#[rstest::rstest]
#[case::as_generated(1)]
#[case::as_if_a_hundred_times_larger(100)]
fn todays_pages_read_a_day_in_time_order_from_the_index(#[case] larger: u64) {
    let (_dir, store) = generated_practice();
    if larger > 1 {
        pretend_larger(&store, larger);
    }
    let today = store.today().unwrap();
    RAN.lock().unwrap().clear();
    store.connection().trace_v2(
        TraceEventCodes::SQLITE_TRACE_PROFILE,
        Some(record_statements),
    );
    store.agenda_of(today, 14, AgendaAsk::First(50)).unwrap();
    store.agenda_of(today, 7, AgendaAsk::EachDay(12)).unwrap();
    store.connection().trace_v2(TraceEventCodes::empty(), None);
    let ran = std::mem::take(&mut *RAN.lock().unwrap());
    let pages: Vec<&String> = ran
        .iter()
        .filter(|sql| sql.contains("FROM sessions s JOIN clients c") && sql.contains("ORDER BY"))
        .collect();
    assert!(
        pages.len() >= 2,
        "the pages' statements were not seen: {ran:?}"
    );
    // Each day's counts: a row a day from the counts the triggers keep, not
    // the day's bookings counted (a day held about 1,200 at 100×).
    let counts: Vec<&String> = ran
        .iter()
        .filter(|sql| sql.contains("FROM sessions_per_day"))
        .collect();
    assert!(!counts.is_empty(), "the day counts were not seen: {ran:?}");
    assert!(
        !ran.iter()
            .any(|sql| sql.contains("count(*)") && sql.contains("GROUP BY starts_on")),
        "a day's bookings were counted one by one: {ran:?}"
    );
    for sql in counts {
        let steps = plan(&store, sql);
        assert!(
            steps
                .iter()
                .all(|d| d.starts_with("SEARCH sessions_per_day USING PRIMARY KEY")),
            "{sql}\n{steps:#?}"
        );
    }
    // The open bookings of days gone by: read in the index's order, only
    // those that share a day and a time sorted (by client).
    let open: Vec<&String> = ran
        .iter()
        .filter(|sql| sql.contains("INDEXED BY sessions_booked_by_day") && sql.contains("ORDER BY"))
        .collect();
    assert!(
        !open.is_empty(),
        "the open bookings' statement was not seen: {ran:?}"
    );
    // The sorter SQLite opens for the ORDER BY, with its key: "k(2,…)" when
    // it sorts only client and id (it sorted day, time, client and id's last
    // three, "k(3,…)", when the time's order was not the index's).
    let sorter_key = store
        .connection()
        .prepare(&format!("EXPLAIN {}", open[0]))
        .unwrap()
        .raw_query()
        .mapped(|r| {
            // addr, opcode, p1, p2, p3, p4: the sorter's key is its p4.
            let key = r.get_ref(5)?.as_str().ok().map(str::to_owned);
            Ok((r.get::<_, String>(1)?, key))
        })
        .map(Result::unwrap)
        .find(|(op, _)| op == "SorterOpen" || op == "OpenEphemeral")
        .and_then(|(_, key)| key);
    assert!(
        sorter_key.as_deref().is_some_and(|k| k.starts_with("k(2,")),
        "the open bookings are sorted on more than client and id: {sorter_key:?}\n{}",
        open[0]
    );
    // The pages sort nothing: the index holds the agenda's whole order
    // (day, time, client, id; migration 16). Sorting the bookings that
    // share a time by their clients' keys, SQLite read all of a day's first
    // hour, and each one's client (47 at 100×), to keep the first 12.
    for sql in pages {
        let steps = plan(&store, sql);
        assert!(
            steps
                .iter()
                .any(|d| d.contains("USING INDEX sessions_in_day_order"))
                && !steps.iter().any(|d| d.contains("TEMP B-TREE")),
            "{sql}\n{steps:#?}"
        );
    }
}

/// Pages the store's connection has read from the file since the last call
/// (SQLite's cache misses).
fn pages_read(store: &Store) -> i32 {
    let (mut now, mut highest) = (0, 0);
    // SAFETY: the handle is the store's open connection, used on this thread
    // only; SQLite writes the two counts and resets the first.
    let rc = unsafe {
        rusqlite::ffi::sqlite3_db_status(
            store.connection().handle(),
            rusqlite::ffi::SQLITE_DBSTATUS_CACHE_MISS,
            &mut now,
            &mut highest,
            1,
        )
    };
    assert_eq!(rc, rusqlite::ffi::SQLITE_OK);
    now
}

/// What the window asks for first: the practice and its day, then Today's
/// first page.
fn first_screen(store: &Store) {
    store.practice().unwrap().unwrap();
    store.today().unwrap();
    let today = store
        .agenda_from_text("", TODAY_DAYS, AgendaAsk::First(TODAY_PAGE))
        .unwrap();
    assert!(
        today.days.iter().any(|d| !d.bookings.is_empty()),
        "no bookings on Today"
    );
}

/// The app reads the first screen ahead as the file opens, while the window
/// loads (`Store::warm_first_screen`): when the window asks, every page it
/// needs is in memory. The window asks with the core's own constants (its
/// bindings); should the read ahead leave Today out, this fails.
#[test]
fn the_first_screen_read_ahead_finds_its_pages_in_memory() {
    let (dir, store) = generated_practice();
    drop(store);
    let path = dir.path().join("practice.sqlite3");

    // On the day the practice was generated up to, as `--today` opens it.
    let on_its_day = |store: &mut Store| {
        let noon = chrono::DateTime::parse_from_rfc3339("2026-11-25T12:00:00Z").unwrap();
        store.set_clock(Box::new(move || noon.to_utc()));
    };
    let mut cold = Store::open(&path).unwrap();
    on_its_day(&mut cold);
    pages_read(&cold);
    first_screen(&cold);
    let without = pages_read(&cold);
    drop(cold);
    assert!(without > 5, "the first screen read {without} pages cold");

    let mut warmed = Store::open(&path).unwrap();
    on_its_day(&mut warmed);
    warmed.warm_first_screen().unwrap();
    pages_read(&warmed);
    first_screen(&warmed);
    assert_eq!(pages_read(&warmed), 0, "read cold: {without} pages");
}
