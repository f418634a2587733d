//! Ledger invariants under random sequences of actions: the balance (and its
//! cache) is always the sum of the entries, it never goes below zero, and a reversal restores
//! exactly the balance before the entry it reverses.

mod common;

use proptest::prelude::*;
use punchcard::{ClientInput, LogSessionInput, SaleInput, Store, TermsInput, Validity};

#[derive(Debug, Clone)]
enum Action {
    Sell(u32),
    Log(u8),
    Reverse(usize),
}

fn action() -> impl Strategy<Value = Action> {
    prop_oneof![
        (1u32..6).prop_map(Action::Sell),
        (1u8..=25).prop_map(Action::Log),
        (0usize..50).prop_map(Action::Reverse),
    ]
}

fn balances_by_sum(store: &Store, client: &str) -> Vec<(String, i64)> {
    let mut stmt = store
        .connection()
        .prepare(
            "SELECT p.id, coalesce(sum(e.delta), 0) FROM packages p
             LEFT JOIN ledger_entries e ON e.package_id = p.id
             WHERE p.client_id = ?1 GROUP BY p.id ORDER BY p.id",
        )
        .unwrap();
    stmt.query_map([client], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn balances_always_equal_the_sum_of_entries(actions in prop::collection::vec(action(), 1..40)) {
        let (_dir, mut store) = common::practice();
        let c = store.create_client(&ClientInput::named("Prop")).unwrap();
        let mut entries: Vec<String> = Vec::new();
        for a in actions {
            match a {
                Action::Sell(n) => {
                    store.sell_package(&SaleInput {
                        client_id: c.id.clone(),
                        terms: TermsInput::new("P", n, "10", Validity::None),
                        sold_on: "2026-11-01".into(),
                        ..Default::default()
                    }).unwrap();
                }
                Action::Log(day) => {
                    let before = store.client_packages(&c.id).unwrap().iter().map(|p| p.remaining).sum::<u32>();
                    match store.log_session(&LogSessionInput {
                        client_id: c.id.clone(),
                        date: format!("2026-11-{day:02}"),
                        ..Default::default()
                    }) {
                        Ok(logged) => entries.push(logged.entry_id),
                        Err(e) => prop_assert_eq!(before, 0, "refused with credit left: {}", e),
                    }
                }
                Action::Reverse(i) if !entries.is_empty() => {
                    let id = entries.remove(i % entries.len());
                    let before: u32 = store.client_packages(&c.id).unwrap().iter().map(|p| p.remaining).sum();
                    store.reverse_entry(&id, "").unwrap();
                    let after: u32 = store.client_packages(&c.id).unwrap().iter().map(|p| p.remaining).sum();
                    prop_assert_eq!(after, before + 1);
                }
                Action::Reverse(_) => {}
            }
            // The balance cache is a proven cache: always the ledger's sum.
            let drifted: i64 = store.connection().query_row(
                "SELECT count(*) FROM package_balances b
                  WHERE b.balance <> (SELECT coalesce(sum(delta), 0) FROM ledger_entries e WHERE e.package_id = b.package_id)",
                [], |r| r.get(0)).unwrap();
            prop_assert_eq!(drifted, 0);
            let views = store.client_packages(&c.id).unwrap();
            let mut shown: Vec<(String, i64)> = views.iter().map(|p| (p.id.clone(), i64::from(p.remaining))).collect();
            shown.sort();
            prop_assert_eq!(shown, balances_by_sum(&store, &c.id));
            for p in &views {
                prop_assert!(p.used + p.remaining == p.sessions, "{:?}", p);
            }
            // The history's last balance per package is the package's balance.
            let history = store.history(&c.id).unwrap();
            for p in &views {
                let last = history.iter().rev().find(|t| t.package_id == p.id).unwrap();
                prop_assert_eq!(last.balance_after, p.remaining as i32);
            }
        }
    }
}
