//! A practitioner's first weeks with Punchcard, on a real file.

mod common;

use punchcard::{
    ClientInput, ErrorKind, EventKind, LogSessionInput, PackageState, PaymentState, SaleInput,
    Store, TermsInput, Validity,
};

fn log(
    store: &mut Store,
    client: &str,
    date: &str,
    time: &str,
    note: &str,
) -> punchcard::Result<punchcard::LoggedSession> {
    store.log_session(&LogSessionInput {
        client_id: client.into(),
        date: date.into(),
        time: time.into(),
        note: note.into(),
        ..Default::default()
    })
}

#[test]
fn a_client_buys_a_package_uses_it_and_the_history_explains_every_line() {
    let (dir, mut store) = common::practice();

    // Offerings are templates; the practitioner sells from one.
    let ten = store
        .create_offering(&TermsInput::new(
            "10 sessions",
            10,
            "800",
            Validity::Days { days: 180 },
        ))
        .unwrap();
    let zoe = store
        .create_client(&ClientInput {
            name: "Zoë Ångström-Núñez".into(),
            email: "zoe@example.com".into(),
            phone: "+351 912 345 678".into(),
            notes: "Knee rehab".into(),
        })
        .unwrap();

    // No package yet: a session is refused, clearly, and nothing is written.
    let err = log(&mut store, &zoe.id, "2026-11-01", "", "").unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Conflict);
    assert!(err.to_string().contains("no package yet"), "{err}");
    assert!(store.history(&zoe.id).unwrap().is_empty());

    let pkg = store
        .sell_package(&SaleInput {
            client_id: zoe.id.clone(),
            offering_id: Some(ten.id.clone()),
            sold_on: "2026-11-02".into(),
            paid_now: true,
            payment_method: "Card".into(),
            ..Default::default()
        })
        .unwrap();
    assert_eq!((pkg.sessions, pkg.used, pkg.remaining), (10, 0, 10));
    assert_eq!(pkg.expires_on.unwrap().to_string(), "2027-05-01");
    assert_eq!(pkg.price.to_string(), "800.00");
    assert_eq!(pkg.payment, PaymentState::Paid);

    // Editing the template later never changes what was sold.
    store
        .update_offering(
            &ten.id,
            &TermsInput::new("10 sessions", 10, "900", Validity::None),
        )
        .unwrap();
    assert_eq!(store.package(&pkg.id).unwrap().price.to_string(), "800.00");

    let first = log(&mut store, &zoe.id, "2026-11-03", "09:30", "Good start").unwrap();
    assert_eq!(first.remaining, 9);
    let mistake = log(&mut store, &zoe.id, "2026-11-04", "10:00", "").unwrap();
    assert_eq!(mistake.remaining, 8);

    // Undo: a reversing entry, never a deletion.
    let undone = store
        .reverse_entry(mistake.entry_id.as_deref().unwrap(), "")
        .unwrap();
    assert_eq!(undone.remaining, 9);
    let again = store
        .reverse_entry(mistake.entry_id.as_deref().unwrap(), "")
        .unwrap_err();
    assert_eq!(again.kind(), ErrorKind::Conflict);
    // The session the mistaken entry paid for is cancelled, and its history
    // keeps both states.
    let statuses: Vec<String> = store
        .connection()
        .prepare("SELECT status FROM session_history WHERE session_id = ?1 ORDER BY seq")
        .unwrap()
        .query_map([&mistake.session_id], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(statuses, ["completed", "cancelled"]);
    let reversal_of_reversal = store.reverse_entry(&undone.entry_id, "").unwrap_err();
    assert_eq!(reversal_of_reversal.kind(), ErrorKind::Conflict);

    let record = store.client_record(&zoe.id).unwrap();
    let p = &record.packages[0];
    assert_eq!((p.used, p.remaining, p.state), (1, 9, PackageState::Active));
    let lines: Vec<(EventKind, Option<i32>, Option<i32>)> = record
        .timeline
        .iter()
        .map(|t| (t.kind, t.sessions, t.balance_after))
        .collect();
    // Newest first; the reversal sits right after the line it reverses, and
    // the pair changes nothing: the balance is as if the mistake never happened.
    assert_eq!(
        lines,
        vec![
            (EventKind::Reversal, Some(1), Some(9)),
            (EventKind::Session, Some(-1), Some(9)),
            (EventKind::Session, Some(-1), Some(9)),
            (EventKind::Payment, None, Some(10)),
            (EventKind::Purchase, Some(10), Some(10)),
        ]
    );
    assert_eq!(
        record.timeline[1].reversed_by.as_deref(),
        Some(undone.entry_id.as_str())
    );
    assert!(!record.timeline[1].reversible);
    assert!(record.timeline[2].reversible);

    // The list shows the live balance.
    let list = store.client_list("zoe").unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!((list[0].remaining, list[0].total), (9, 10));

    // Everything survives closing and reopening the file.
    drop(store);
    let store = Store::open(dir.path().join("practice.sqlite3")).unwrap();
    assert_eq!(store.package(&pkg.id).unwrap().remaining, 9);
}

#[test]
fn sessions_draw_by_the_rule_and_are_refused_when_credit_runs_out() {
    let (_dir, mut store) = common::practice();
    let ana = store
        .create_client(&ClientInput::named("Ana Souza"))
        .unwrap();
    let sell = |store: &mut Store, name: &str, sessions: u32, sold: &str, validity: Validity| {
        store
            .sell_package(&SaleInput {
                client_id: ana.id.clone(),
                terms: TermsInput::new(name, sessions, "100", validity),
                sold_on: sold.into(),
                ..Default::default()
            })
            .unwrap()
    };
    let open_ended = sell(&mut store, "Open", 1, "2026-10-01", Validity::None);
    let short = sell(
        &mut store,
        "Short",
        1,
        "2026-11-01",
        Validity::Days { days: 30 },
    );

    // Soonest expiry first, even though the other was sold earlier.
    assert_eq!(
        log(&mut store, &ana.id, "2026-11-20", "", "")
            .unwrap()
            .package_id,
        Some(short.id)
    );
    assert_eq!(
        log(&mut store, &ana.id, "2026-11-21", "", "")
            .unwrap()
            .package_id,
        Some(open_ended.id)
    );

    let err = log(&mut store, &ana.id, "2026-11-22", "", "").unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Conflict);
    assert!(err.to_string().contains("no sessions left"), "{err}");

    // Future dates and malformed input name their field and change nothing.
    let before = store.history(&ana.id).unwrap().len();
    assert_eq!(
        log(&mut store, &ana.id, "2026-12-01", "", "")
            .unwrap_err()
            .first_field(),
        Some("date")
    );
    assert_eq!(
        log(&mut store, &ana.id, "yesterday", "", "")
            .unwrap_err()
            .first_field(),
        Some("date")
    );
    assert_eq!(
        log(&mut store, &ana.id, "2026-11-20", "7pm", "")
            .unwrap_err()
            .first_field(),
        Some("time")
    );
    assert_eq!(store.history(&ana.id).unwrap().len(), before);
}

#[test]
fn a_sold_package_cannot_be_unsold_while_its_sessions_stand() {
    let (_dir, mut store) = common::practice();
    let c = store.create_client(&ClientInput::named("Bruno")).unwrap();
    let p = store
        .sell_package(&SaleInput {
            client_id: c.id.clone(),
            terms: TermsInput::new("Five", 5, "400", Validity::None),
            sold_on: "2026-11-01".into(),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(p.payment, PaymentState::Overdue);
    let s = log(&mut store, &c.id, "2026-11-02", "", "").unwrap();
    let purchase = store
        .history(&c.id)
        .unwrap()
        .into_iter()
        .find(|t| t.kind == EventKind::Purchase)
        .unwrap();
    let err = store.reverse_entry(&purchase.id, "").unwrap_err();
    assert!(err.to_string().contains("reverse those first"), "{err}");
    store
        .reverse_entry(s.entry_id.as_deref().unwrap(), "")
        .unwrap();
    let r = store
        .reverse_entry(&purchase.id, "Sold by mistake")
        .unwrap();
    assert_eq!(r.remaining, 0);
    assert_eq!(store.package(&p.id).unwrap().state, PackageState::Cancelled);
    // Replayed in date order, the balance never dips below zero: a reversed
    // line and its reversal change nothing, so the sale that was taken back
    // and the session that was taken back both leave the balance at zero.
    let replay: Vec<(EventKind, Option<i32>)> = store
        .history(&c.id)
        .unwrap()
        .iter()
        .map(|t| (t.kind, t.balance_after))
        .collect();
    assert_eq!(
        replay,
        [
            (EventKind::Purchase, Some(0)),
            (EventKind::Session, Some(0)),
            (EventKind::Reversal, Some(0)),
            (EventKind::SaleCancelled, Some(0)),
        ]
    );
}

#[test]
fn a_sale_with_bad_terms_names_the_field_and_writes_nothing() {
    let (_dir, mut store) = common::practice();
    let c = store.create_client(&ClientInput::named("Chiara")).unwrap();
    let mut sale = SaleInput {
        client_id: c.id.clone(),
        terms: TermsInput::new("Ten", 10, "800.001", Validity::None),
        sold_on: "2026-11-01".into(),
        ..Default::default()
    };
    assert_eq!(
        store.sell_package(&sale).unwrap_err().first_field(),
        Some("price")
    );
    sale.terms = TermsInput::new(
        "Ten",
        10,
        "800",
        Validity::Until {
            date: "2026-10-01".parse().unwrap(),
        },
    );
    assert_eq!(
        store.sell_package(&sale).unwrap_err().first_field(),
        Some("validUntil")
    );
    sale.terms = TermsInput::new("Ten", 10, "800", Validity::None);
    sale.sold_on = "01/11/2026".into();
    assert_eq!(
        store.sell_package(&sale).unwrap_err().first_field(),
        Some("soldOn")
    );
    assert!(store.client_packages(&c.id).unwrap().is_empty());

    let retired = store
        .create_offering(&TermsInput::new("Old deal", 3, "99", Validity::None))
        .unwrap();
    store.set_offering_retired(&retired.id, true).unwrap();
    sale.sold_on = "2026-11-01".into();
    sale.offering_id = Some(retired.id);
    assert_eq!(
        store.sell_package(&sale).unwrap_err().first_field(),
        Some("offeringId")
    );
}

#[test]
fn the_sample_practice_is_deterministic_and_has_every_state() {
    let (_d1, mut a) = common::practice();
    let (_d2, mut b) = common::practice();
    let sa = a
        .load_sample(punchcard::SampleSize::STANDARD, "UTC")
        .unwrap();
    let sb = b
        .load_sample(punchcard::SampleSize::STANDARD, "UTC")
        .unwrap();
    assert_eq!(sa, sb);
    assert_eq!(sa.clients, 36);
    assert!(sa.sessions > 200, "{sa:?}");
    let list_a = a.client_list("").unwrap();
    let list_b = b.client_list("").unwrap();
    let strip = |l: &[punchcard::ClientSummary]| -> Vec<(String, u32, u32)> {
        l.iter()
            .map(|c| (c.name.clone(), c.remaining, c.total))
            .collect()
    };
    assert_eq!(strip(&list_a), strip(&list_b));

    let mut states = std::collections::HashSet::new();
    let mut payments = std::collections::HashSet::new();
    let (mut low, mut soon, mut reversals) = (false, false, false);
    for c in &list_a {
        for p in a.client_packages(&c.id).unwrap() {
            states.insert(p.state);
            payments.insert(p.payment);
            low |= p.low;
            soon |= p.expiring_soon;
        }
        reversals |= a
            .history(&c.id)
            .unwrap()
            .iter()
            .any(|t| t.kind == EventKind::Reversal);
    }
    assert_eq!(states.len(), 3, "{states:?}");
    assert!(payments.contains(&PaymentState::Paid) && payments.contains(&PaymentState::Overdue));
    assert!(low && soon && reversals);

    // Never into a practice that already has clients.
    assert_eq!(
        a.load_sample(punchcard::SampleSize::STANDARD, "UTC")
            .unwrap_err()
            .kind(),
        ErrorKind::Conflict
    );
}

#[test]
fn a_client_with_two_low_packages_is_low_in_the_list_too() {
    let (_dir, mut store) = common::practice();
    let c = store
        .create_client(&ClientInput::named("Grace Okafor"))
        .unwrap();
    for name in ["Gym", "Pool"] {
        store
            .sell_package(&SaleInput {
                client_id: c.id.clone(),
                terms: TermsInput::new(name, 2, "100", Validity::None),
                sold_on: "2026-11-01".into(),
                ..Default::default()
            })
            .unwrap();
    }
    // Each card says Low (2 left, threshold 2); 4 in all must not hide it.
    let cards = store.client_packages(&c.id).unwrap();
    assert!(cards.iter().all(|p| p.low), "{cards:?}");
    let row = &store.client_list("grace").unwrap()[0];
    assert_eq!((row.remaining, row.low), (4, true));
}

#[test]
fn selling_from_an_offering_that_ended_names_the_offering() {
    let (_dir, mut store) = common::practice();
    let c = store.create_client(&ClientInput::named("Hiroshi")).unwrap();
    let summer = store
        .create_offering(&TermsInput::new(
            "Summer pack",
            5,
            "200",
            Validity::Until {
                date: "2026-08-31".parse().unwrap(),
            },
        ))
        .unwrap();
    let err = store
        .sell_package(&SaleInput {
            client_id: c.id.clone(),
            offering_id: Some(summer.id),
            sold_on: "2026-11-01".into(),
            ..Default::default()
        })
        .unwrap_err();
    assert_eq!(err.fields(), ["offeringId"]);
    assert!(err.to_string().contains("Summer pack"), "{err}");
    assert!(store.client_packages(&c.id).unwrap().is_empty());
}

/// The ids a query lists.
fn ids(store: &Store, sql: &str) -> Vec<String> {
    store
        .connection()
        .prepare(sql)
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

/// A practice generated at `scale` from `seed`, made on 25 November 2026.
fn generated(scale: f64, seed: u64) -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("practice.sqlite3");
    punchcard::sample::write_sample_file(
        &path,
        punchcard::SampleSize::scale(scale, seed),
        Some("2026-11-25"),
    )
    .unwrap();
    let store = Store::open(&path).unwrap();
    (dir, store)
}

#[test]
fn generated_practices_of_several_seeds_are_whole() {
    for seed in 1..=3 {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("practice.sqlite3");
        let made = punchcard::sample::write_sample_file(
            &path,
            punchcard::SampleSize::scale(0.05, seed),
            Some("2026-11-25"),
        )
        .unwrap_or_else(|e| panic!("seed {seed}: {e}"));
        assert!(made.sessions > 0);
        let store = Store::open(&path).unwrap();
        let report = store.check().unwrap();
        assert!(
            report.problems.is_empty(),
            "seed {seed}: {:?}",
            report.problems
        );
    }
}

/// A generated practice records each thing when it happened, as real use
/// would: a sale, its payment and its plan on the day sold, a later payment
/// on its day, a session logged, cancelled or corrected on its day. Until
/// generator 2 all but the bookings were recorded at the moment it ran: the
/// plans' lines in every history were dated that day, and a client's newest
/// lines read all their bookings (each looked changed that day).
#[test]
fn a_generated_practice_records_each_thing_when_it_happened() {
    let (_dir, store) = generated(0.05, 1);
    let count = |sql: &str| -> i64 { store.connection().query_row(sql, [], |r| r.get(0)).unwrap() };
    let all = |sql: &str| count(&format!("SELECT count(*) FROM {sql}"));
    // Sanity: there is something of each to look at.
    for table in ["ledger_entries", "payments", "plan_instalments", "sessions"] {
        assert!(all(table) > 0, "{table}");
    }
    // Nothing is recorded before the day it tells of. Packages past their
    // last day are expired as the generator ends, on its day, as the app
    // would on its first open that day; a correction may come a day later.
    assert_eq!(
        all("ledger_entries WHERE substr(recorded_at, 1, 10) < occurred_on"),
        0
    );
    assert_eq!(
        all("ledger_entries WHERE kind NOT IN ('expiry', 'reversal')
             AND substr(recorded_at, 1, 10) <> occurred_on"),
        0
    );
    assert_eq!(
        all("payments WHERE substr(recorded_at, 1, 10) <> paid_on"),
        0
    );
    assert_eq!(
        all("plan_instalments i JOIN packages p ON p.id = i.package_id
             WHERE substr(i.set_at, 1, 10) <> p.sold_on"),
        0
    );
    // A booking is closed on its day, or cancelled up to three days before;
    // a session owed is settled later, by the next sale. Hardly any closed
    // before the generator's day was last changed on it.
    assert_eq!(
        all("sessions WHERE status <> 'scheduled'
             AND substr(updated_at, 1, 10) < date(starts_on, '-3 days')"),
        0
    );
    let closed = all("sessions WHERE status <> 'scheduled' AND starts_on < '2026-11-24'");
    let changed_that_day = all(
        "sessions WHERE status <> 'scheduled' AND starts_on < '2026-11-24'
         AND substr(updated_at, 1, 10) = '2026-11-25'",
    );
    assert!(
        changed_that_day * 100 < closed,
        "{changed_that_day} of {closed} closed bookings last changed on the generator's day"
    );
}

/// Needs attention reads only the clients who may need it (through the
/// cached newest package and last day of use); on generated practices, on
/// days across the year around the day they were made, it says exactly what
/// reading every client says.
#[test]
fn needs_attention_read_narrowly_agrees_with_reading_everyone() {
    use chrono::{Days, NaiveDate, TimeZone, Utc};
    for seed in 1..=2 {
        let (_dir, mut store) = generated(0.1, seed);
        let start: NaiveDate = "2026-06-01".parse().unwrap();
        let mut listed = 0;
        for step in 0..20u64 {
            let day = start.checked_add_days(Days::new(step * 19)).unwrap();
            store.set_clock(Box::new(move || {
                Utc.from_utc_datetime(&day.and_hms_opt(12, 0, 0).unwrap())
            }));
            let narrow = store.needs_attention().unwrap();
            let wide = store.needs_attention_reading_everyone().unwrap();
            assert_eq!(narrow, wide, "seed {seed}, {day}");
            assert_eq!(narrow.total as usize, narrow.items.len());
            // The window's read: the most urgent few, and the count of all.
            let first = store.needs_attention_first(3).unwrap();
            assert_eq!(first.total, narrow.total);
            assert_eq!(first.snoozed, narrow.snoozed);
            assert_eq!(first.items[..], narrow.items[..narrow.items.len().min(3)]);
            listed += narrow.items.len();
        }
        assert!(
            listed > 100,
            "seed {seed}: the list was nearly always empty ({listed})"
        );
        assert!(store.check().unwrap().problems.is_empty());
    }
}

/// The renewal rate on Reports reads the packages that ended in a short range
/// through the indexes of last days, and every package in one pass for a
/// range that covers much of the history (since 2010, since 2020); on
/// generated practices, for ranges and days across the years, either way it
/// says what working out the end of every package from its ledger says.
#[test]
fn the_renewal_rate_read_either_way_agrees_with_every_package() {
    use chrono::{TimeZone, Utc};
    const EVERY_PACKAGE: &str = "WITH ended AS (
             SELECT p.id, p.rowid AS rid, p.client_id, p.sold_on,
                    CASE WHEN b.expires_on < ?3 THEN date(b.expires_on, '+1 day')
                         ELSE (SELECT max(e.occurred_on) FROM ledger_entries e WHERE e.package_id = p.id) END AS ended_on
             FROM packages p JOIN package_balances b ON b.package_id = p.id
             WHERE NOT b.cancelled AND (b.expires_on < ?3 OR b.balance = 0) AND p.sold_on <= ?2),
         judged AS MATERIALIZED (
             SELECT EXISTS (SELECT 1 FROM packages q JOIN package_balances qb ON qb.package_id = q.id
                             WHERE q.client_id = ended.client_id AND q.id <> ended.id AND NOT qb.cancelled
                               AND ((q.sold_on, q.rowid) > (ended.sold_on, ended.rid) OR q.renews_id = ended.id)
                               AND q.sold_on <= date(ended.ended_on, '+30 days')) AS renewed,
                    date(ended.ended_on, '+30 days') >= ?3 AS recent
             FROM ended WHERE ended.ended_on BETWEEN ?1 AND ?2)
         SELECT count(*), coalesce(sum(renewed), 0), coalesce(sum(recent AND NOT renewed), 0) FROM judged";
    let (_dir, mut store) = generated(0.1, 3);
    store.set_clock(Box::new(|| {
        Utc.with_ymd_and_hms(2026, 11, 25, 12, 0, 0).unwrap()
    }));
    // Sales cancelled, across the years: neither ended nor a renewal.
    let clients = ids(&store, "SELECT id FROM clients ORDER BY rowid LIMIT 60");
    let mut cancelled = 0;
    for (i, client_id) in clients.iter().enumerate() {
        let sold = store
            .sell_package(&SaleInput {
                client_id: client_id.clone(),
                terms: TermsInput::new("Spare", 5, "300", Validity::Days { days: 30 }),
                sold_on: format!("{}-{:02}-{:02}", 2020 + i % 6, 1 + i % 12, 1 + i % 28),
                date_confirmed: true,
                ..Default::default()
            })
            .unwrap();
        // A sale that settled sessions the client owed cannot be cancelled.
        cancelled += store
            .cancel_sale(&punchcard::ops::payments::CancelSaleInput {
                package_id: sold.id,
                money: punchcard::ops::payments::MoneyBack::Kept,
                ..Default::default()
            })
            .is_ok() as u32;
    }
    assert!(cancelled > 30, "hardly any sale cancelled: {cancelled}");
    let mut seen = 0;
    for (today, from, to) in [
        ("2026-11-25", "2025-12-01", "2026-11-25"),
        ("2026-11-25", "2010-01-01", "2026-11-25"),
        ("2026-11-25", "2020-01-01", "2026-11-25"),
        ("2026-11-25", "2019-06-01", "2021-05-31"),
        ("2026-11-25", "2024-01-01", "2024-12-31"),
        ("2026-11-25", "2026-11-01", "2026-11-25"),
        ("2026-11-25", "2026-10-27", "2026-10-27"),
        ("2026-11-25", "2017-03-01", "2017-03-31"),
    ] {
        let day: chrono::NaiveDate = today.parse().unwrap();
        store.set_clock(Box::new(move || {
            Utc.from_utc_datetime(&day.and_hms_opt(12, 0, 0).unwrap())
        }));
        let rate = store
            .reports(&punchcard::views::reports::ReportQuery {
                from: from.into(),
                to: to.into(),
            })
            .unwrap()
            .renewals;
        let (ended, renewed, pending): (u32, u32, u32) = store
            .connection()
            .query_row(EVERY_PACKAGE, [from, to, today], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })
            .unwrap();
        assert_eq!(
            (rate.ended, rate.renewed, rate.pending),
            (ended, renewed, pending),
            "{from} to {to}, today {today}"
        );
        seen += ended;
    }
    assert!(seen > 500, "hardly any package ended: {seen}");
}

/// The window opens a client on their newest lines, read only from the days
/// those lines are on; on generated practices (renewals, expiries, owed
/// sessions, reversals, late cancels, moves), for every client, they are
/// exactly the newest lines of the whole history, each with the same balance
/// after it, and "older lines" is said exactly when there are some.
#[test]
fn the_newest_lines_of_a_history_are_those_of_the_whole_history() {
    use std::collections::BTreeSet;
    let mut kinds: BTreeSet<String> = BTreeSet::new();
    let mut cut = 0;
    for seed in 1..=3 {
        let (_dir, store) = generated(0.05, seed);
        let clients = ids(&store, "SELECT id FROM clients");
        for client_id in &clients {
            let whole = store.history(client_id).unwrap();
            for n in [0, 1, 2, 7, 50, 120] {
                let record = store.client_record_newest(client_id, n).unwrap();
                let want: Vec<_> = whole.iter().rev().take(n as usize).cloned().collect();
                assert_eq!(
                    record.timeline, want,
                    "seed {seed}, {client_id}, newest {n}"
                );
                assert_eq!(
                    record.timeline_more,
                    whole.len() > n as usize,
                    "seed {seed}, {client_id}, newest {n}"
                );
                cut += usize::from(whole.len() > n as usize + 20);
                kinds.extend(record.timeline.iter().map(|t| format!("{:?}", t.kind)));
            }
        }
    }
    assert!(cut > 300, "hardly any history was cut: {cut}");
    for kind in [
        "Purchase",
        "Session",
        "LateCancel",
        "NoShow",
        "Expiry",
        "Reversal",
        "Payment",
        "Scheduled",
        "Rescheduled",
        "BookingCancelled",
        "SessionOwed",
        "OwedSettled",
        "ForfeitWaived",
        "TakenBack",
        "Refund",
        "PlanSet",
    ] {
        assert!(
            kinds.contains(kind),
            "no {kind} line among the newest: {kinds:?}"
        );
    }
}

/// The week covers each booking it shows reading only the bookings to its
/// last day; on generated practices, on days around the day they were made,
/// every booking ahead is covered as its client's record covers it (which
/// reads every booking ahead): the same package, the same credits left,
/// beyond the balance or not.
#[test]
fn the_week_covers_each_booking_as_the_clients_record_does() {
    use chrono::{Days, NaiveDate, TimeZone, Utc};
    use punchcard::views::agenda::AgendaAsk;
    let mut compared = 0;
    for seed in 1..=2 {
        let (_dir, mut store) = generated(0.1, seed);
        let start: NaiveDate = "2026-11-20".parse().unwrap();
        for step in [0u64, 5, 9, 16] {
            let day = start.checked_add_days(Days::new(step)).unwrap();
            store.set_clock(Box::new(move || {
                Utc.from_utc_datetime(&day.and_hms_opt(12, 0, 0).unwrap())
            }));
            for ask in [
                AgendaAsk::EachDay(3),
                AgendaAsk::EachDay(12),
                AgendaAsk::All,
            ] {
                let week = store.agenda_of(day, 7, ask).unwrap();
                for b in week.days.iter().flat_map(|d| &d.bookings) {
                    if b.date < day
                        || b.status != punchcard::ops::bookings::BookingStatus::Scheduled
                    {
                        continue;
                    }
                    let record = store.client_record_newest(&b.client_id, 0).unwrap();
                    let same = record
                        .bookings
                        .iter()
                        .find(|r| r.session_id == b.session_id)
                        .unwrap();
                    assert_eq!(
                        (&b.package_id, b.left_after, b.beyond_balance, &b.late_from),
                        (
                            &same.package_id,
                            same.left_after,
                            same.beyond_balance,
                            &same.late_from
                        ),
                        "seed {seed}, {day}, {}",
                        b.session_id
                    );
                    compared += 1;
                }
            }
        }
    }
    assert!(compared > 80, "hardly any booking ahead: {compared}");
}
