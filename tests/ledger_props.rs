//! Ledger invariants under random sequences of what a practice does: sell,
//! log (backdated too), schedule, reschedule, complete, cancel (late or not),
//! no-show, waive, book again (undo), adjust, transfer, reverse and cancel a
//! sale (renewals and sales dated before others among them). After every step: each
//! balance (and its cache) is the sum of its entries and never below zero;
//! the corrected history replayed to any day is never negative; a reversal
//! restores exactly the balance before it; a reschedule changes no balance;
//! the ledger only ever grows; each day's counts of bookings are its
//! bookings counted again; each package's next sale is its client's.

mod common;

use proptest::prelude::*;
use punchcard::ops::bookings::ScheduleInput;
use punchcard::ops::ledger::{AdjustInput, TransferInput};
use punchcard::ops::payments::{CancelSaleInput, MoneyBack};
use punchcard::{ClientInput, LogSessionInput, SaleInput, Store, TermsInput, Validity};

#[derive(Debug, Clone)]
enum Action {
    Sell {
        to_b: bool,
        sessions: u32,
        day: u8,
        renews: Option<usize>,
    },
    CancelSale(usize),
    Log {
        day: u8,
        owed: bool,
    },
    Schedule {
        days_ahead: u8,
        hour: u8,
        weeks: u8,
    },
    Complete(usize),
    NoShow(usize),
    Cancel(usize),
    Waive(usize),
    Reschedule(usize, u8),
    Reopen(usize),
    Adjust(i8),
    Transfer(u8),
    Reverse(usize),
}

fn action() -> impl Strategy<Value = Action> {
    prop_oneof![
        (
            any::<bool>(),
            1u32..6,
            1u8..=20,
            prop::option::weighted(0.3, 0usize..8)
        )
            .prop_map(|(to_b, sessions, day, renews)| Action::Sell {
                to_b,
                sessions,
                day,
                renews
            }),
        (0usize..8).prop_map(Action::CancelSale),
        (1u8..=25, prop::bool::weighted(0.2)).prop_map(|(day, owed)| Action::Log { day, owed }),
        (0u8..4, 6u8..22, 1u8..3).prop_map(|(days_ahead, hour, weeks)| Action::Schedule {
            days_ahead,
            hour,
            weeks
        }),
        (0usize..20).prop_map(Action::Complete),
        (0usize..20).prop_map(Action::NoShow),
        (0usize..20).prop_map(Action::Cancel),
        (0usize..20).prop_map(Action::Waive),
        (0usize..20, 0u8..4).prop_map(|(i, d)| Action::Reschedule(i, d)),
        (0usize..20).prop_map(Action::Reopen),
        (-3i8..=3).prop_map(Action::Adjust),
        (1u8..3).prop_map(Action::Transfer),
        (0usize..60).prop_map(Action::Reverse),
    ]
}

fn balances(store: &Store) -> Vec<(String, i64, i64)> {
    let mut stmt = store
        .connection()
        .prepare(
            "SELECT p.id, b.balance, (SELECT coalesce(sum(e.delta), 0) FROM ledger_entries e WHERE e.package_id = p.id)
             FROM packages p JOIN package_balances b ON b.package_id = p.id ORDER BY p.id",
        )
        .unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

fn day_counts(store: &Store, sql: &str) -> Vec<(String, i64, i64)> {
    store
        .connection()
        .prepare(sql)
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

fn total(store: &Store) -> i64 {
    balances(store).iter().map(|b| b.2).sum()
}

fn ledger_ids(store: &Store) -> Vec<String> {
    let mut stmt = store
        .connection()
        .prepare("SELECT id FROM ledger_entries ORDER BY seq")
        .unwrap();
    stmt.query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

fn ids(store: &Store, sql: &str) -> Vec<String> {
    let mut stmt = store.connection().prepare(sql).unwrap();
    stmt.query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

/// Each package's next sale as the database keeps it.
fn followed(store: &Store) -> Vec<(String, Option<String>)> {
    let mut stmt = store
        .connection()
        .prepare("SELECT p.id, b.followed_on FROM packages p JOIN package_balances b ON b.package_id = p.id ORDER BY p.rowid")
        .unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

/// Each package's next sale worked out here from the sales.
fn next_sales(store: &Store) -> Vec<(String, Option<String>)> {
    let mut stmt = store
        .connection()
        .prepare(
            "SELECT p.id, p.client_id, p.sold_on, p.rowid, p.renews_id, b.cancelled
             FROM packages p JOIN package_balances b ON b.package_id = p.id ORDER BY p.rowid",
        )
        .unwrap();
    type Sold = (String, String, String, i64, Option<String>, bool);
    let sales: Vec<Sold> = stmt
        .query_map([], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
            ))
        })
        .unwrap()
        .map(Result::unwrap)
        .collect();
    sales
        .iter()
        .map(|(id, client, sold_on, rowid, _, _)| {
            let next = sales
                .iter()
                .filter(|(qid, qclient, qsold, qrow, qrenews, cancelled)| {
                    qclient == client
                        && qid != id
                        && !cancelled
                        && ((qsold, qrow) > (sold_on, rowid) || qrenews.as_ref() == Some(id))
                })
                .map(|q| q.2.clone())
                .min();
            (id.clone(), next)
        })
        .collect()
}

fn pick(list: &[String], i: usize) -> Option<&str> {
    (!list.is_empty()).then(|| list[i % list.len()].as_str())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 40, ..ProptestConfig::default() })]

    #[test]
    fn balances_stay_the_sum_of_a_ledger_that_only_grows(actions in prop::collection::vec(action(), 1..40)) {
        let (_dir, mut store) = common::practice();
        let a = store.create_client(&ClientInput::named("Ana")).unwrap();
        let b = store.create_client(&ClientInput::named("Bea")).unwrap();
        let mut seen: Vec<String> = Vec::new();
        for act in actions {
            let before = total(&store);
            let booked = ids(&store, "SELECT id FROM sessions WHERE status = 'scheduled' ORDER BY id");
            match act {
                Action::Sell { to_b, sessions, day, renews } => {
                    let client_id = if to_b { b.id.clone() } else { a.id.clone() };
                    let theirs = ids(&store, &format!("SELECT id FROM packages WHERE client_id = '{client_id}' ORDER BY rowid"));
                    let renews_id = renews.and_then(|i| pick(&theirs, i)).map(str::to_owned);
                    let sold = store.sell_package(&SaleInput {
                        client_id,
                        terms: TermsInput::new("P", sessions, "10", Validity::None),
                        sold_on: format!("2026-11-{day:02}"),
                        renews_id: renews_id.clone(),
                        ..Default::default()
                    });
                    // A renewal of a sale cancelled is refused, by its field.
                    match (sold, renews_id) {
                        (Ok(_), _) => {}
                        (Err(e), Some(_)) => prop_assert_eq!(e.first_field(), Some("renewsId")),
                        (Err(e), None) => prop_assert!(false, "{e}"),
                    }
                }
                Action::CancelSale(i) => {
                    let packages = ids(&store, "SELECT id FROM packages ORDER BY rowid");
                    if let Some(p) = pick(&packages, i) {
                        // Refused for one already cancelled, or one that
                        // settled sessions owed (and then nothing changed).
                        if store.cancel_sale(&CancelSaleInput {
                            package_id: p.into(),
                            money: MoneyBack::Kept,
                            ..Default::default()
                        }).is_err() {
                            prop_assert_eq!(total(&store), before);
                        }
                    }
                }
                Action::Log { day, owed } => {
                    let r = store.log_session(&LogSessionInput {
                        client_id: a.id.clone(),
                        date: format!("2026-11-{day:02}"),
                        owed,
                        ..Default::default()
                    });
                    if let Ok(logged) = r {
                        prop_assert_eq!(logged.owed, logged.entry_id.is_none());
                    }
                }
                Action::Schedule { days_ahead, hour, weeks } => {
                    store.schedule(&ScheduleInput {
                        client_id: a.id.clone(),
                        date: format!("2026-11-{:02}", 25 + days_ahead),
                        time: format!("{hour:02}:00"),
                        weeks: weeks.to_string(),
                        ..Default::default()
                    }).unwrap();
                }
                Action::Complete(i) => {
                    if let Some(id) = pick(&booked, i) {
                        let _ = store.complete_session(id, i % 3 == 0);
                    }
                }
                Action::NoShow(i) => {
                    if let Some(id) = pick(&booked, i) {
                        // Refused for a day still to come, and then nothing changed.
                        if store.mark_no_show(id).is_err() {
                            prop_assert_eq!(total(&store), before);
                        }
                    }
                }
                Action::Reopen(i) => {
                    let closed = ids(&store, "SELECT id FROM sessions WHERE status <> 'scheduled' ORDER BY id");
                    if let Some(id) = pick(&closed, i) {
                        let drawn: i64 = store.connection().query_row(
                            "SELECT coalesce(sum(delta), 0) FROM ledger_entries e WHERE session_id = ?1
                             AND kind IN ('session', 'late_cancel', 'no_show')
                             AND NOT EXISTS (SELECT 1 FROM ledger_entries r WHERE r.reverses_id = e.id)",
                            [id], |r| r.get(0)).unwrap();
                        if store.reopen_booking(id).is_ok() {
                            // Booked again: what closing it took comes back.
                            prop_assert_eq!(total(&store), before - drawn);
                        }
                    }
                }
                Action::Cancel(i) => {
                    if let Some(id) = pick(&booked, i) {
                        store.cancel_session(id, (i % 4 == 0).then_some("Snow storm")).unwrap();
                    }
                }
                Action::Waive(i) => {
                    let forfeits = ids(&store, "SELECT id FROM ledger_entries e WHERE kind IN ('late_cancel', 'no_show')
                        AND NOT EXISTS (SELECT 1 FROM ledger_entries r WHERE r.reverses_id = e.id) ORDER BY id");
                    if let Some(id) = pick(&forfeits, i) {
                        store.waive_forfeit(id, "Goodwill").unwrap();
                        prop_assert_eq!(total(&store), before + 1);
                    }
                }
                Action::Reschedule(i, d) => {
                    if let Some(id) = pick(&booked, i) {
                        let _ = store.reschedule(id, &format!("2026-11-{:02}", 25 + d), "07:15");
                        prop_assert_eq!(total(&store), before, "a reschedule moved a balance");
                    }
                }
                Action::Adjust(n) => {
                    let packages = ids(&store, &format!("SELECT id FROM packages WHERE client_id = '{}' ORDER BY id", a.id));
                    if let (Some(p), true) = (pick(&packages, 0), n != 0) {
                        let r = store.adjust_credits(&AdjustInput {
                            package_id: p.into(),
                            sessions: n.to_string(),
                            reason: "Count".into(),
                            date: String::new(),
                        });
                        if r.is_ok() {
                            prop_assert_eq!(total(&store), before + i64::from(n));
                        }
                    }
                }
                Action::Transfer(n) => {
                    let from = ids(&store, &format!("SELECT id FROM packages WHERE client_id = '{}' ORDER BY id", a.id));
                    let to = ids(&store, &format!("SELECT id FROM packages WHERE client_id = '{}' ORDER BY id", b.id));
                    if let (Some(f), Some(t)) = (pick(&from, 0), pick(&to, 0)) {
                        let _ = store.transfer_credits(&TransferInput {
                            from_package_id: f.into(),
                            to_package_id: t.into(),
                            sessions: n.to_string(),
                            reason: "For her sister".into(),
                            date: String::new(),
                        });
                        prop_assert_eq!(total(&store), before, "a transfer created or lost credits");
                    }
                }
                Action::Reverse(i) => {
                    let live = ids(&store, "SELECT id FROM ledger_entries e WHERE kind <> 'reversal'
                        AND NOT EXISTS (SELECT 1 FROM ledger_entries r WHERE r.reverses_id = e.id) ORDER BY seq");
                    if let Some(id) = pick(&live, i) {
                        let delta: i64 = store.connection().query_row(
                            "SELECT delta FROM ledger_entries WHERE id = ?1", [id], |r| r.get(0)).unwrap();
                        let transfer: bool = store.connection().query_row(
                            "SELECT kind IN ('transfer_in', 'transfer_out') FROM ledger_entries WHERE id = ?1", [id], |r| r.get(0)).unwrap();
                        if store.reverse_entry(id, "").is_ok() {
                            // A reversal restores exactly what was there before the entry
                            // (a transfer's two halves together, so nothing moves in all).
                            let expected = if transfer { before } else { before - delta };
                            prop_assert_eq!(total(&store), expected);
                        }
                    }
                }
            }
            // Each balance and its cache are the ledger's sum, never negative.
            for (package, cached, sum) in balances(&store) {
                prop_assert_eq!(cached, sum, "{}", package);
                prop_assert!(sum >= 0, "{} is below zero", package);
            }
            // Each package's next sale (kept by triggers) is its client's
            // first sale not cancelled after it in the order of sales, or
            // renewing it.
            prop_assert_eq!(followed(&store), next_sales(&store));
            // Each day's counts of bookings (kept by triggers) are its
            // bookings counted again.
            prop_assert_eq!(
                day_counts(&store, "SELECT day, sessions, scheduled FROM sessions_per_day WHERE sessions > 0 ORDER BY day"),
                day_counts(&store, "SELECT starts_on, count(*), sum(status = 'scheduled') FROM sessions GROUP BY 1 ORDER BY 1")
            );
            // The ledger only grows.
            let now = ledger_ids(&store);
            prop_assert!(now.starts_with(&seen), "an entry vanished or moved");
            seen = now;
            // The corrected history, replayed to any day, is never negative.
            for client in [&a.id, &b.id] {
                for line in store.history(client).unwrap() {
                    if let Some(balance) = line.balance_after {
                        prop_assert!(balance >= 0, "{:?}", line);
                    }
                }
                for day in ["2026-11-01", "2026-11-10", "2026-11-20", "2026-11-25", "2026-12-31"] {
                    for b in store.balances_on(client, day.parse().unwrap()).unwrap() {
                        prop_assert!(b.balance <= 1000);
                    }
                }
            }
            // Every package's last history line is its balance.
            for client in [&a.id, &b.id] {
                let history = store.history(client).unwrap();
                for p in store.client_packages(client).unwrap() {
                    prop_assert!(p.used + p.remaining <= p.sessions + 1000);
                    let last = history.iter().rev().find(|t| t.package_id.as_deref() == Some(p.id.as_str()) && t.balance_after.is_some()).unwrap();
                    prop_assert_eq!(last.balance_after, Some(p.remaining as i32));
                }
            }
        }
    }
}
