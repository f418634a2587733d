//! Money after the sale: deposits, plans, payments, refunds, corrections and
//! cancelled sales; the Reports figures worked out by hand; and, for random
//! practices, the two identities the Reports screen's help promises.

mod common;

use proptest::prelude::*;
use punchcard::ops::ledger::{AdjustInput, TransferInput};
use punchcard::ops::payments::{
    CancelSaleInput, InstalmentInput, MoneyBack, PaymentInput, PlanInput, RefundInput,
};
use punchcard::views::reports::ReportQuery;
use punchcard::{
    ClientInput, LogSessionInput, PaymentState, SaleInput, Store, TermsInput, Validity,
};
use rust_decimal::Decimal;

fn dec(s: &str) -> Decimal {
    s.parse().unwrap()
}

fn log(store: &mut Store, client: &str, date: &str) {
    store
        .log_session(&LogSessionInput {
            client_id: client.into(),
            date: date.into(),
            ..Default::default()
        })
        .unwrap();
}

fn pay(store: &mut Store, package: &str, amount: &str, date: &str) -> String {
    store
        .record_payment(&PaymentInput {
            package_id: package.into(),
            amount: amount.into(),
            date: date.into(),
            method: "Card".into(),
            note: String::new(),
        })
        .unwrap()
        .payment_id
        .unwrap()
}

fn plan(rows: &[(&str, &str)]) -> Vec<InstalmentInput> {
    rows.iter()
        .map(|(d, a)| InstalmentInput {
            due_on: (*d).into(),
            amount: (*a).into(),
        })
        .collect()
}

#[test]
fn a_deposit_and_instalments_turn_a_package_from_partly_paid_to_paid() {
    let (_dir, mut store) = common::practice();
    let c = store.create_client(&ClientInput::named("Ana")).unwrap();
    let p = store
        .sell_package(&SaleInput {
            client_id: c.id.clone(),
            terms: TermsInput::new("Ten", 10, "800", Validity::None),
            sold_on: "2026-11-20".into(),
            deposit: "200".into(),
            plan: plan(&[
                ("2026-11-20", "200"),
                ("2026-12-20", "300"),
                ("2027-01-20", "300"),
            ]),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(p.payment, PaymentState::PartlyPaid);
    assert_eq!(p.owed, dec("600"));
    assert_eq!(
        p.next_due.as_ref().map(|i| i.due_on.to_string()),
        Some("2026-12-20".into())
    );
    let first = pay(&mut store, &p.id, "300", "2026-11-24");
    let after = store.package(&p.id).unwrap();
    assert_eq!(after.payment, PaymentState::PartlyPaid);
    assert_eq!(
        after.next_due.as_ref().map(|i| i.due_on.to_string()),
        Some("2027-01-20".into())
    );
    // Entered by mistake: corrected, not refunded; both lines stay.
    let fixed = store.correct_payment(&first, "Typed twice").unwrap();
    assert_eq!(fixed.package.owed, dec("600"));
    let history = store.history(&c.id).unwrap();
    assert!(history
        .iter()
        .any(|t| t.kind == punchcard::EventKind::PaymentCorrected));
    assert_eq!(
        history
            .iter()
            .filter(|t| t.kind == punchcard::EventKind::Payment)
            .count(),
        2,
        "the deposit and the mistaken payment both stay"
    );
    assert!(
        store.correct_payment(&first, "").is_err(),
        "a correction is made once"
    );
    pay(&mut store, &p.id, "600", "2026-11-25");
    let paid = store.package(&p.id).unwrap();
    assert_eq!(paid.payment, PaymentState::Paid);
    assert_eq!(paid.owed, Decimal::ZERO);
    assert!(paid.next_due.is_none());
}

#[test]
fn an_instalment_past_its_day_is_overdue_with_its_amount_and_days() {
    let (_dir, mut store) = common::practice();
    let c = store.create_client(&ClientInput::named("Bea")).unwrap();
    let p = store
        .sell_package(&SaleInput {
            client_id: c.id.clone(),
            terms: TermsInput::new("Five", 5, "500", Validity::None),
            sold_on: "2026-10-01".into(),
            deposit: "100".into(),
            plan: plan(&[
                ("2026-10-01", "100"),
                ("2026-11-01", "200"),
                ("2026-12-01", "200"),
            ]),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(p.payment, PaymentState::Overdue);
    assert_eq!(p.overdue, dec("200"));
    assert_eq!(p.overdue_days, 24);
    let owes = store
        .client_page(&punchcard::views::client_list::ClientQuery {
            limit: 50,
            filter: Some(punchcard::views::client_list::ClientFilter::Owes),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(owes.rows.len(), 1);
    assert_eq!(owes.rows[0].owes, dec("400"));
    assert_eq!(owes.rows[0].overdue, dec("200"));
    // A new plan replaces the old one (the old one stays in the history).
    let re = store
        .set_plan(&PlanInput {
            package_id: p.id.clone(),
            instalments: plan(&[("2026-10-01", "100"), ("2026-12-01", "400")]),
        })
        .unwrap();
    assert_eq!(re.package.payment, PaymentState::PartlyPaid);
    let bad = store
        .set_plan(&PlanInput {
            package_id: p.id.clone(),
            instalments: plan(&[("2026-10-01", "100"), ("2026-12-01", "300")]),
        })
        .unwrap_err();
    assert_eq!(bad.first_field(), Some("plan"), "{bad}");
}

#[test]
fn a_discount_keeps_the_offering_price_and_needs_a_reason() {
    let (_dir, mut store) = common::practice();
    let c = store.create_client(&ClientInput::named("Caio")).unwrap();
    let o = store
        .create_offering(&TermsInput::new("Ten", 10, "800", Validity::None))
        .unwrap();
    let mut sale = SaleInput {
        client_id: c.id.clone(),
        offering_id: Some(o.id.clone()),
        sold_on: "2026-11-25".into(),
        price: "700".into(),
        ..Default::default()
    };
    assert_eq!(
        store.sell_package(&sale).unwrap_err().first_field(),
        Some("discountReason")
    );
    assert!(
        store.client_packages(&c.id).unwrap().is_empty(),
        "a refused sale writes nothing"
    );
    sale.discount_reason = "Returning client".into();
    let p = store.sell_package(&sale).unwrap();
    assert_eq!(p.price, dec("700"));
    assert_eq!(p.list_price, Some(dec("800")));
    assert_eq!(p.discount_reason, "Returning client");
}

#[test]
fn a_refund_takes_back_the_credits_it_pays_for() {
    let (_dir, mut store) = common::practice();
    let c = store.create_client(&ClientInput::named("Dora")).unwrap();
    let p = store
        .sell_package(&SaleInput {
            client_id: c.id.clone(),
            terms: TermsInput::new("Ten", 10, "800", Validity::None),
            sold_on: "2026-11-01".into(),
            paid_now: true,
            payment_method: "Card".into(),
            ..Default::default()
        })
        .unwrap();
    log(&mut store, &c.id, "2026-11-02");
    let r = store
        .record_refund(&RefundInput {
            package_id: p.id.clone(),
            amount: "160".into(),
            date: "2026-11-20".into(),
            method: "Card".into(),
            note: "Moving away".into(),
            take_back: "2".into(),
        })
        .unwrap();
    assert_eq!(r.package.remaining, 7);
    assert_eq!(r.package.refunded, dec("160"));
    assert_eq!(r.package.payment, PaymentState::Paid);
    let too_many = store
        .record_refund(&RefundInput {
            package_id: p.id.clone(),
            amount: "10".into(),
            take_back: "8".into(),
            method: "Card".into(),
            ..Default::default()
        })
        .unwrap_err();
    assert_eq!(too_many.first_field(), Some("takeBack"), "{too_many}");
    let history = store.history(&c.id).unwrap();
    assert!(history
        .iter()
        .any(|t| t.kind == punchcard::EventKind::Refund));
    assert!(history
        .iter()
        .any(|t| t.kind == punchcard::EventKind::TakenBack));
}

#[test]
fn cancelling_a_paid_sale_asks_what_happened_to_the_money() {
    let (_dir, mut store) = common::practice();
    let c = store.create_client(&ClientInput::named("Eva")).unwrap();
    let sell = |store: &mut Store| {
        store
            .sell_package(&SaleInput {
                client_id: c.id.clone(),
                terms: TermsInput::new("Five", 5, "400", Validity::None),
                sold_on: "2026-11-10".into(),
                paid_now: true,
                payment_method: "Cash".into(),
                ..Default::default()
            })
            .unwrap()
    };
    let a = sell(&mut store);
    let b = sell(&mut store);
    // Refunded now: a refund line, nothing owed, no credits.
    let done = store
        .cancel_sale(&CancelSaleInput {
            package_id: a.id.clone(),
            money: MoneyBack::Refunded,
            method: "Cash".into(),
            note: "Sold twice".into(),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(done.package.payment, PaymentState::Cancelled);
    assert_eq!(done.package.remaining, 0);
    assert_eq!(done.package.refunded, dec("400"));
    assert_eq!(done.package.owed, Decimal::ZERO);
    // Kept: the practice holds the money; the client is in credit.
    let kept = store
        .cancel_sale(&CancelSaleInput {
            package_id: b.id.clone(),
            money: MoneyBack::Kept,
            ..Default::default()
        })
        .unwrap();
    assert_eq!(kept.package.payment, PaymentState::InCredit);
    assert_eq!(kept.package.owed, dec("-400"));
    assert!(store
        .cancel_sale(&CancelSaleInput {
            package_id: a.id.clone(),
            ..Default::default()
        })
        .is_err());
    // Credited to another package: paid there, with the move on both sides.
    let d = sell(&mut store);
    let e = store
        .sell_package(&SaleInput {
            client_id: c.id.clone(),
            terms: TermsInput::new("Five", 5, "400", Validity::None),
            sold_on: "2026-11-12".into(),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(e.payment, PaymentState::Overdue);
    store
        .cancel_sale(&CancelSaleInput {
            package_id: d.id.clone(),
            money: MoneyBack::Credited,
            to_package_id: Some(e.id.clone()),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(store.package(&e.id).unwrap().payment, PaymentState::Paid);
    let f = sell(&mut store);
    let bad = store
        .cancel_sale(&CancelSaleInput {
            package_id: f.id,
            money: MoneyBack::Credited,
            to_package_id: None,
            ..Default::default()
        })
        .unwrap_err();
    assert_eq!(bad.first_field(), Some("toPackageId"), "{bad}");
}

/// A small practice whose figures were worked out by hand.
///
/// Ana buys Ten for €800 on 10 Jan (deposit €300, then €250 due 10 Feb and
/// 10 Mar); she comes three times in January and twice in February, pays
/// €250 on 12 Feb and €250 on 10 Mar, and on 5 Mar is refunded €160 for two
/// credits taken back. Ben buys Three for €100 on 1 Feb, paid, and comes on
/// 5 and 6 Feb and 1 Mar: €33.33, €33.33 and the remainder €33.34.
///
/// | month | cash in | refunds | sold | earned (credits) | taken back | deferred at end |
/// |-------|---------|---------|------|------------------|------------|-----------------|
/// | Jan   | 300     | 0       | 800  | 240 (3)          | 0          | 560             |
/// | Feb   | 350     | 0       | 100  | 226.66 (4)       | 0          | 433.34          |
/// | Mar   | 250     | 160     | 0    | 33.34 (1)        | 160 (2)    | 240             |
///
/// Ana keeps three credits worth €80 each: €240 deferred. She has paid €800
/// and been refunded €160 of a price that is now €640: she owes nothing. Cleo
/// bought Five for €250 on 1 Nov and has paid nothing: owed and overdue.
#[test]
fn the_reports_add_up_to_the_figures_worked_out_by_hand() {
    let (_dir, mut store) = common::practice();
    let ana = store.create_client(&ClientInput::named("Ana")).unwrap();
    let ben = store.create_client(&ClientInput::named("Ben")).unwrap();
    let cleo = store.create_client(&ClientInput::named("Cleo")).unwrap();
    let a = store
        .sell_package(&SaleInput {
            client_id: ana.id.clone(),
            terms: TermsInput::new("Ten", 10, "800", Validity::None),
            sold_on: "2026-01-10".into(),
            deposit: "300".into(),
            payment_method: "Card".into(),
            plan: plan(&[
                ("2026-01-10", "300"),
                ("2026-02-10", "250"),
                ("2026-03-10", "250"),
            ]),
            ..Default::default()
        })
        .unwrap();
    for d in [
        "2026-01-15",
        "2026-01-20",
        "2026-01-27",
        "2026-02-03",
        "2026-02-17",
    ] {
        log(&mut store, &ana.id, d);
    }
    pay(&mut store, &a.id, "250", "2026-02-12");
    store
        .record_refund(&RefundInput {
            package_id: a.id.clone(),
            amount: "160".into(),
            date: "2026-03-05".into(),
            method: "Card".into(),
            take_back: "2".into(),
            ..Default::default()
        })
        .unwrap();
    pay(&mut store, &a.id, "250", "2026-03-10");
    store
        .sell_package(&SaleInput {
            client_id: ben.id.clone(),
            terms: TermsInput::new("Three", 3, "100", Validity::None),
            sold_on: "2026-02-01".into(),
            paid_now: true,
            payment_method: "Cash".into(),
            ..Default::default()
        })
        .unwrap();
    for d in ["2026-02-05", "2026-02-06", "2026-03-01"] {
        log(&mut store, &ben.id, d);
    }
    store
        .sell_package(&SaleInput {
            client_id: cleo.id.clone(),
            terms: TermsInput::new("Five", 5, "250", Validity::None),
            sold_on: "2026-11-01".into(),
            ..Default::default()
        })
        .unwrap();

    let r = store
        .reports(&ReportQuery {
            from: "2026-01-01".into(),
            to: "2026-03-31".into(),
        })
        .unwrap();
    let rows: Vec<(String, [Decimal; 6], [i32; 2])> = r
        .months
        .iter()
        .map(|m| {
            (
                m.month.clone(),
                [
                    m.cash_in,
                    m.refunds,
                    m.sold,
                    m.earned,
                    m.taken_back,
                    m.deferred_at_end,
                ],
                [m.earned_credits, m.taken_back_credits],
            )
        })
        .collect();
    let d = dec;
    assert_eq!(
        rows,
        [
            (
                "2026-01".into(),
                [d("300"), d("0"), d("800"), d("240"), d("0"), d("560")],
                [3, 0]
            ),
            (
                "2026-02".into(),
                [d("350"), d("0"), d("100"), d("226.66"), d("0"), d("433.34")],
                [4, 0]
            ),
            (
                "2026-03".into(),
                [d("250"), d("160"), d("0"), d("33.34"), d("160"), d("240")],
                [1, 2]
            ),
        ]
    );
    assert_eq!(r.total.net_cash, d("740"));
    assert_eq!(r.total.earned, d("500"));
    assert_eq!(r.deferred, d("240"));
    assert_eq!(r.owed.len(), 1);
    assert_eq!(
        (r.owed[0].client_name.as_str(), r.owed[0].owed),
        ("Cleo", d("250"))
    );
    assert_eq!(r.owed[0].overdue_days, 24);
    assert_eq!(r.owed_total, d("250"));
    // As of 10 February: January's deferred, less what February earned by then.
    let feb10 = store
        .reports(&ReportQuery {
            from: "2026-02-01".into(),
            to: "2026-02-10".into(),
        })
        .unwrap();
    assert_eq!(
        feb10.deferred,
        d("513.34"),
        "560 + 100 sold − 80 − 33.33 − 33.33"
    );
    let csv = {
        let mut out = Vec::new();
        punchcard::io::reports_csv::write_report(
            &r,
            punchcard::io::reports_csv::ReportTable::Months,
            &mut out,
        )
        .unwrap();
        String::from_utf8(out).unwrap()
    };
    assert!(
        csv.contains("2026-02,350.00,0.00,350.00,100.00,226.66,4,0.00,0,0.00,0,433.34,EUR\r\n"),
        "{csv}"
    );
    assert!(
        csv.contains("total,900.00,160.00,740.00,900.00,500.00,8,0.00,0,160.00,2,240.00,EUR\r\n"),
        "{csv}"
    );
    let bad = store
        .reports(&ReportQuery {
            from: "2026-04-01".into(),
            to: "2026-03-01".into(),
        })
        .unwrap_err();
    assert_eq!(bad.first_field(), Some("from"));
}

#[derive(Debug, Clone)]
enum Action {
    Sell {
        to_b: bool,
        sessions: u32,
        price_cents: u32,
        paid: bool,
        day: u8,
    },
    Log {
        to_b: bool,
        day: u8,
    },
    Pay {
        pick: usize,
        cents: u32,
        day: u8,
    },
    Refund {
        pick: usize,
        cents: u32,
        take_back: u8,
        day: u8,
    },
    Correct(usize),
    Cancel {
        pick: usize,
        money: u8,
    },
    Adjust {
        pick: usize,
        n: i8,
    },
    Transfer {
        pick: usize,
        n: u8,
    },
}

fn action() -> impl Strategy<Value = Action> {
    prop_oneof![
        (
            any::<bool>(),
            1u32..8,
            0u32..100_000,
            any::<bool>(),
            1u8..=20
        )
            .prop_map(|(to_b, sessions, price_cents, paid, day)| Action::Sell {
                to_b,
                sessions,
                price_cents,
                paid,
                day
            }),
        (any::<bool>(), 1u8..=25).prop_map(|(to_b, day)| Action::Log { to_b, day }),
        (0usize..8, 1u32..50_000, 1u8..=25).prop_map(|(pick, cents, day)| Action::Pay {
            pick,
            cents,
            day
        }),
        (0usize..8, 1u32..30_000, 0u8..3, 1u8..=25).prop_map(|(pick, cents, take_back, day)| {
            Action::Refund {
                pick,
                cents,
                take_back,
                day,
            }
        }),
        (0usize..10).prop_map(Action::Correct),
        (0usize..8, 0u8..3).prop_map(|(pick, money)| Action::Cancel { pick, money }),
        (0usize..8, -2i8..=2).prop_map(|(pick, n)| Action::Adjust { pick, n }),
        (0usize..8, 1u8..3).prop_map(|(pick, n)| Action::Transfer { pick, n }),
    ]
}

fn ids(store: &Store, sql: &str) -> Vec<String> {
    let mut stmt = store.connection().prepare(sql).unwrap();
    stmt.query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

fn pick(list: &[String], i: usize) -> Option<&String> {
    (!list.is_empty()).then(|| &list[i % list.len()])
}

/// Per package at the end of `day`: (price if sold by then and not
/// cancelled by then, worth moved in − out by transfers, earned, expired,
/// taken back, deferred), from the entries themselves, each on the day its
/// worth counts.
fn worth_on(store: &Store, day: &str) -> Vec<(String, i64, i64, i64, i64, i64, i64)> {
    let mut stmt = store
        .connection()
        .prepare(
            "SELECT p.id,
                    coalesce(sum(CASE WHEN k.kind = 'purchase' THEN e.value_minor END), 0),
                    coalesce(sum(CASE WHEN k.kind IN ('transfer_in', 'transfer_out') THEN e.value_minor END), 0),
                    -coalesce(sum(CASE WHEN k.kind IN ('session', 'late_cancel', 'no_show')
                                        OR (k.kind = 'adjustment' AND k.refund_id IS NULL AND k.delta < 0)
                                       THEN e.value_minor END), 0),
                    -coalesce(sum(CASE WHEN k.kind = 'expiry' THEN e.value_minor END), 0),
                    -coalesce(sum(CASE WHEN k.refund_id IS NOT NULL THEN e.value_minor END), 0),
                    coalesce(sum(e.value_minor), 0)
             FROM packages p
             LEFT JOIN (SELECT e.*, coalesce(r.worth_on, r.occurred_on, e.worth_on, e.occurred_on) AS day FROM ledger_entries e
                        LEFT JOIN ledger_entries r ON r.id = e.reverses_id) e
                    ON e.package_id = p.id AND e.day <= ?1
             LEFT JOIN (SELECT e.id, coalesce(r.kind, e.kind) AS kind, coalesce(r.delta, e.delta) AS delta,
                               coalesce(r.refund_id, e.refund_id) AS refund_id
                        FROM ledger_entries e LEFT JOIN ledger_entries r ON r.id = e.reverses_id) k ON k.id = e.id
             GROUP BY p.id ORDER BY p.id",
        )
        .unwrap();
    stmt.query_map([day], |r| {
        Ok((
            r.get(0)?,
            r.get(1)?,
            r.get(2)?,
            r.get(3)?,
            r.get(4)?,
            r.get(5)?,
            r.get(6)?,
        ))
    })
    .unwrap()
    .map(Result::unwrap)
    .collect()
}

/// package, valued, value, cancelled, owed, paid (net), refunded (cache),
/// price, cash in, refunds (from the payments).
type BalanceRow = (String, i64, i64, bool, i64, i64, i64, i64, i64, i64);

proptest! {
    #![proptest_config(ProptestConfig { cases: 40, ..ProptestConfig::default() })]

    /// For any package on any day: earned + deferred + expired + taken back =
    /// its price (plus what transfers moved in, less what they moved out);
    /// a package with no paid-for credit left holds no worth (no rounding
    /// leaks); the Reports figures are the same sums; and cash in − refunds +
    /// owed = what is due after refunds.
    #[test]
    fn the_money_identities_hold(actions in prop::collection::vec(action(), 1..40)) {
        let (_dir, mut store) = common::practice();
        let a = store.create_client(&ClientInput::named("Ana")).unwrap();
        let b = store.create_client(&ClientInput::named("Bo")).unwrap();
        for act in actions {
            let live = ids(&store, "SELECT package_id FROM package_balances WHERE NOT cancelled ORDER BY package_id");
            match act {
                Action::Sell { to_b, sessions, price_cents, paid, day } => {
                    let _ = store.sell_package(&SaleInput {
                        client_id: if to_b { b.id.clone() } else { a.id.clone() },
                        terms: TermsInput::new("P", sessions, &format!("{}.{:02}", price_cents / 100, price_cents % 100), Validity::None),
                        sold_on: format!("2026-11-{day:02}"),
                        paid_now: paid,
                        payment_method: "Card".into(),
                        ..Default::default()
                    });
                }
                Action::Log { to_b, day } => {
                    let _ = store.log_session(&LogSessionInput {
                        client_id: if to_b { b.id.clone() } else { a.id.clone() },
                        date: format!("2026-11-{day:02}"),
                        ..Default::default()
                    });
                }
                Action::Pay { pick: i, cents, day } => {
                    if let Some(p) = pick(&live, i) {
                        let _ = store.record_payment(&PaymentInput {
                            package_id: p.clone(),
                            amount: format!("{}.{:02}", cents / 100, cents % 100),
                            date: format!("2026-11-{day:02}"),
                            method: "Cash".into(),
                            note: String::new(),
                        });
                    }
                }
                Action::Refund { pick: i, cents, take_back, day } => {
                    if let Some(p) = pick(&live, i) {
                        let _ = store.record_refund(&RefundInput {
                            package_id: p.clone(),
                            amount: format!("{}.{:02}", cents / 100, cents % 100),
                            date: format!("2026-11-{day:02}"),
                            method: "Cash".into(),
                            take_back: take_back.to_string(),
                            note: String::new(),
                        });
                    }
                }
                Action::Correct(i) => {
                    let open = ids(&store, "SELECT id FROM payments p WHERE reverses_id IS NULL
                        AND NOT EXISTS (SELECT 1 FROM payments c WHERE c.reverses_id = p.id) ORDER BY id");
                    if let Some(p) = pick(&open, i) {
                        let _ = store.correct_payment(p, "");
                    }
                }
                Action::Cancel { pick: i, money } => {
                    if let Some(p) = pick(&live, i) {
                        let to = live.iter().find(|o| *o != p).cloned();
                        let _ = store.cancel_sale(&CancelSaleInput {
                            package_id: p.clone(),
                            money: [MoneyBack::Refunded, MoneyBack::Kept, MoneyBack::Credited][usize::from(money)],
                            to_package_id: to,
                            method: "Cash".into(),
                            note: String::new(),
                        });
                    }
                }
                Action::Adjust { pick: i, n } => {
                    if let (Some(p), true) = (pick(&live, i), n != 0) {
                        let _ = store.adjust_credits(&AdjustInput {
                            package_id: p.clone(),
                            sessions: n.to_string(),
                            reason: "Count".into(),
                            date: String::new(),
                        });
                    }
                }
                Action::Transfer { pick: i, n } => {
                    if let (Some(f), Some(t)) = (pick(&live, i), pick(&live, i + 1)) {
                        if f != t {
                            let _ = store.transfer_credits(&TransferInput {
                                from_package_id: f.clone(),
                                to_package_id: t.clone(),
                                sessions: n.to_string(),
                                reason: "Moved".into(),
                                date: String::new(),
                            });
                        }
                    }
                }
            }
            // Identity 1, per package, on every day of the month.
            for day in [1, 5, 10, 15, 20, 25] {
                let on = format!("2026-11-{day:02}");
                for (id, sold, moved, earned, expired, taken_back, deferred) in worth_on(&store, &on) {
                    prop_assert_eq!(earned + deferred + expired + taken_back, sold + moved, "package {} on {}", id, on);
                }
                let r = store.reports(&ReportQuery { from: "2026-11-01".into(), to: on.clone() }).unwrap();
                let total_deferred: i64 = worth_on(&store, &on).iter().map(|w| w.6).sum();
                // The practice never holds less than nothing: an entry's worth
                // counts from the day it arrived in its package, never before
                // it was sold (a session logged back to a day before credits
                // moved in from a package sold later).
                prop_assert!(total_deferred >= 0, "the practice holds {} on {}", total_deferred, on);
                prop_assert_eq!(r.deferred, Decimal::new(total_deferred, 2), "report deferred on {}", on);
                prop_assert_eq!(r.total.sold - r.total.earned - r.total.expired - r.total.taken_back, r.deferred);
            }
            // No rounding leaks: no paid-for credit left, no worth left.
            let mut stmt = store.connection().prepare(
                "SELECT package_id, valued, value_minor, cancelled, owed_minor, paid_minor, refunded_minor,
                        (SELECT price_minor FROM packages p WHERE p.id = b.package_id),
                        (SELECT coalesce(sum(CASE WHEN reverses_id IS NULL THEN amount_minor ELSE -amount_minor END), 0)
                           FROM payments WHERE package_id = b.package_id AND kind = 'payment'),
                        (SELECT coalesce(sum(CASE WHEN reverses_id IS NULL THEN amount_minor ELSE -amount_minor END), 0)
                           FROM payments WHERE package_id = b.package_id AND kind = 'refund')
                 FROM package_balances b").unwrap();
            let rows: Vec<BalanceRow> = stmt
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?, r.get(7)?, r.get(8)?, r.get(9)?)))
                .unwrap().map(Result::unwrap).collect();
            for (id, valued, value, cancelled, owed, _paid_net, refunded_cache, price, cash_in, refunds) in rows {
                prop_assert!(valued >= 0 && value >= 0, "package {} worth {} for {} credits", id, value, valued);
                if valued == 0 {
                    prop_assert_eq!(value, 0, "package {} keeps worth with no paid-for credit", id);
                }
                // Identity 2: cash in − refunds + owed = due after refunds.
                let due = if cancelled { 0 } else { price - refunds };
                prop_assert_eq!(refunded_cache, refunds);
                prop_assert_eq!(cash_in - refunds + owed, due, "package {}", id);
                let view = store.package(&id).unwrap();
                prop_assert_eq!(view.owed, Decimal::new(owed, 2));
            }
        }
    }
}

#[test]
fn a_session_logged_back_before_credits_moved_in_counts_its_worth_from_the_day_they_came() {
    let (_dir, mut store) = common::practice();
    let ana = store.create_client(&ClientInput::named("Ana")).unwrap();
    let bo = store.create_client(&ClientInput::named("Bo")).unwrap();
    let sell =
        |store: &mut Store, client: &str, name: &str, sessions: u32, price: &str, on: &str| {
            store
                .sell_package(&SaleInput {
                    client_id: client.into(),
                    terms: TermsInput::new(name, sessions, price, Validity::None),
                    sold_on: on.into(),
                    paid_now: true,
                    payment_method: "Card".into(),
                    ..Default::default()
                })
                .unwrap()
        };
    let single = sell(&mut store, &bo.id, "Single", 1, "50", "2026-11-01");
    let ten = sell(&mut store, &ana.id, "Ten", 10, "800", "2026-11-12");
    // Today Ana gives Bo two of her sessions (worth 160), and a count finds
    // two too many on Bo's package: they go, at its own 50 a session (100 of
    // the 210 it holds).
    store
        .transfer_credits(&TransferInput {
            from_package_id: ten.id.clone(),
            to_package_id: single.id.clone(),
            sessions: "2".into(),
            reason: "A gift".into(),
            date: String::new(),
        })
        .unwrap();
    store
        .adjust_credits(&AdjustInput {
            package_id: single.id.clone(),
            sessions: "-2".into(),
            reason: "Count".into(),
            date: String::new(),
        })
        .unwrap();
    // Then Bo's session of 7 November is logged: it takes the last credit
    // and the 110 left with it, worth that came with Ana's sessions.
    log(&mut store, &bo.id, "2026-11-07");
    let (day, worth_on, value): (String, Option<String>, i64) = store
        .connection()
        .query_row(
            "SELECT occurred_on, worth_on, value_minor FROM ledger_entries WHERE kind = 'session'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert_eq!(
        (day.as_str(), worth_on.as_deref(), value),
        ("2026-11-07", Some(common::TODAY), -11000)
    );

    // Before Ana's sale the practice held Bo's 50 and had earned nothing;
    // the 110 counts on the day it arrived.
    let early = store
        .reports(&ReportQuery {
            from: "2026-11-01".into(),
            to: "2026-11-10".into(),
        })
        .unwrap();
    assert_eq!(
        (early.total.sold, early.total.earned, early.deferred),
        (dec("50"), dec("0"), dec("50"))
    );
    let all = store
        .reports(&ReportQuery {
            from: "2026-11-01".into(),
            to: common::TODAY.into(),
        })
        .unwrap();
    assert_eq!(
        (all.total.sold, all.total.earned, all.deferred),
        (dec("850"), dec("210"), dec("640"))
    );
    assert!(store.check().unwrap().problems.is_empty());

    // Undone, it leaves the figures of the day it counted on.
    let entry: String = store
        .connection()
        .query_row(
            "SELECT id FROM ledger_entries WHERE kind = 'session'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    store.reverse_entry(&entry, "Logged twice").unwrap();
    let all = store
        .reports(&ReportQuery {
            from: "2026-11-01".into(),
            to: common::TODAY.into(),
        })
        .unwrap();
    assert_eq!((all.total.earned, all.deferred), (dec("100"), dec("750")));
}

#[test]
fn credits_left_past_the_last_day_expire_once_and_count_as_expired() {
    let (_dir, mut store) = common::practice();
    let c = store.create_client(&ClientInput::named("Liam")).unwrap();
    let p = store
        .sell_package(&SaleInput {
            client_id: c.id.clone(),
            terms: TermsInput::new("Five", 5, "400", Validity::Days { days: 90 }),
            sold_on: "2026-01-01".into(),
            paid_now: true,
            payment_method: "Card".into(),
            ..Default::default()
        })
        .unwrap();
    log(&mut store, &c.id, "2026-01-10");
    log(&mut store, &c.id, "2026-01-20");
    assert_eq!(store.expire_due().unwrap(), 1);
    assert_eq!(store.expire_due().unwrap(), 0, "the pass is idempotent");
    let after = store.package(&p.id).unwrap();
    assert_eq!(
        (after.remaining, after.expired, after.state),
        (0, 3, punchcard::PackageState::Expired)
    );
    let expiry = store
        .history(&c.id)
        .unwrap()
        .into_iter()
        .find(|t| t.kind == punchcard::EventKind::Expiry)
        .unwrap();
    let last_day = after.expires_on.unwrap();
    assert_eq!(expiry.date, last_day.succ_opt().unwrap());
    assert_eq!(expiry.sessions, Some(-3));
    let year = ReportQuery {
        from: "2026-01-01".into(),
        to: "2026-11-25".into(),
    };
    let r = store.reports(&year).unwrap();
    assert_eq!((r.total.expired, r.total.expired_credits), (dec("240"), 3));
    assert_eq!(r.deferred, Decimal::ZERO);

    // A session forgotten from a day it was still valid takes its credit
    // back from the expiry: both stay in the history, and it all adds up.
    log(&mut store, &c.id, "2026-02-01");
    let after = store.package(&p.id).unwrap();
    assert_eq!((after.remaining, after.expired, after.used), (0, 2, 3));
    let r = store.reports(&year).unwrap();
    assert_eq!(
        (r.total.expired, r.total.earned, r.deferred),
        (dec("160"), dec("240"), Decimal::ZERO)
    );
    // Not on a day after it expired.
    let late = store.log_session(&LogSessionInput {
        client_id: c.id.clone(),
        date: last_day.succ_opt().unwrap().to_string(),
        ..Default::default()
    });
    assert!(late.is_err());
}

#[test]
fn a_suggested_plan_starts_a_month_after_the_sale_unless_told() {
    let (_dir, store) = common::practice();
    let ask = |first: &str| {
        store
            .suggest_plan(&punchcard::ops::payments::SuggestPlanInput {
                amount: "800".into(),
                deposit: "200".into(),
                count: "3".into(),
                first: first.into(),
                sold_on: "2026-01-31".into(),
            })
            .unwrap()
            .into_iter()
            .map(|i| (i.due_on.to_string(), i.amount.to_string()))
            .collect::<Vec<_>>()
    };
    // The deposit on the sale day, then the end of a shorter month kept.
    assert_eq!(
        ask(""),
        [
            ("2026-01-31".into(), "200.00".into()),
            ("2026-02-28".into(), "200.00".into()),
            ("2026-03-28".into(), "200.00".into()),
            ("2026-04-28".into(), "200.00".into()),
        ]
    );
    assert_eq!(ask("2026-02-15")[1].0, "2026-02-15");
}
