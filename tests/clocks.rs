//! When a package's clock runs: counted from its first session, paused for
//! a holiday, sold with a later sale day; and the low-balance mark an
//! offering sets for its own packages.

mod common;

use punchcard::domain::attention::ReasonKind;
use punchcard::domain::package::Hold;
use punchcard::ops::renewals::PauseInput;
use punchcard::views::client_list::{ClientFilter, ClientQuery};
use punchcard::{
    ClientInput, LogSessionInput, PackageView, SaleInput, Store, TermsInput, Validity,
};

fn client(store: &mut Store, name: &str) -> String {
    store
        .create_client(&ClientInput {
            name: name.into(),
            ..Default::default()
        })
        .unwrap()
        .id
}

fn sell(store: &mut Store, client: &str, terms: TermsInput, sold_on: &str) -> PackageView {
    store
        .sell_package(&SaleInput {
            client_id: client.into(),
            terms,
            sold_on: sold_on.into(),
            date_confirmed: true,
            ..Default::default()
        })
        .unwrap()
}

fn log(store: &mut Store, client: &str, date: &str) -> punchcard::Result<punchcard::LoggedSession> {
    store.log_session(&LogSessionInput {
        client_id: client.into(),
        date: date.into(),
        ..Default::default()
    })
}

fn package(store: &Store, client: &str) -> PackageView {
    store.client_packages(client).unwrap().remove(0)
}

fn d(s: &str) -> chrono::NaiveDate {
    s.parse().unwrap()
}

#[test]
fn a_package_counted_from_first_use_starts_its_clock_at_the_first_session() {
    let (_dir, mut store) = common::practice();
    let ana = client(&mut store, "Ana Souza");
    let terms = TermsInput::new("Ten", 10, "800", Validity::FirstUse { days: 30 });
    let sold = sell(&mut store, &ana, terms, "2026-09-01");
    assert_eq!(sold.validity, Validity::FirstUse { days: 30 });
    assert_eq!(
        sold.expires_on, None,
        "no last day before the first session"
    );
    assert_eq!(sold.hold, Some(Hold::NotStarted));
    // Nothing expires while it waits, however long.
    store.expire_due().unwrap();
    assert_eq!(package(&store, &ana).remaining, 10);

    let first = log(&mut store, &ana, "2026-11-10").unwrap();
    let p = package(&store, &ana);
    assert_eq!(p.started_on, Some(d("2026-11-10")));
    assert_eq!(p.expires_on, Some(d("2026-12-10")));
    assert_eq!(p.hold, None);

    // Undoing the only session stops the clock again.
    store
        .reverse_entry(first.entry_id.as_deref().unwrap(), "Wrong client")
        .unwrap();
    let p = package(&store, &ana);
    assert_eq!((p.started_on, p.expires_on), (None, None));
    assert_eq!(p.hold, Some(Hold::NotStarted));

    // A session logged late, before the first, moves the clock back...
    log(&mut store, &ana, "2026-11-20").unwrap();
    log(&mut store, &ana, "2026-11-05").unwrap();
    assert_eq!(package(&store, &ana).expires_on, Some(d("2026-12-05")));
    // ...but not so far that a later session falls after its last day.
    let err = log(&mut store, &ana, "2026-10-01").unwrap_err();
    assert!(err.to_string().contains("no sessions left"), "{err}");
    assert_eq!(package(&store, &ana).expires_on, Some(d("2026-12-05")));
    assert!(store.check().unwrap().problems.is_empty());
}

#[test]
fn a_paused_package_is_not_drawn_from_and_its_last_day_moves() {
    let (_dir, mut store) = common::practice();
    let ana = client(&mut store, "Ana Souza");
    let p = sell(
        &mut store,
        &ana,
        TermsInput::new("Ten", 10, "800", Validity::Days { days: 60 }),
        "2026-11-01",
    );
    assert_eq!(p.expires_on, Some(d("2026-12-31")));
    log(&mut store, &ana, "2026-11-10").unwrap();
    let pause = |from: &str, until: &str, reason: &str| PauseInput {
        package_id: p.id.clone(),
        from: from.into(),
        until: until.into(),
        reason: reason.into(),
    };

    // Every bad field at once, and nothing written.
    let err = store
        .pause_package(&pause("2026-11-30", "2026-11-20", " "))
        .unwrap_err();
    assert_eq!(err.fields(), ["reason", "until"]);
    let err = store
        .pause_package(&pause("2026-11-05", "2026-11-12", "Holiday"))
        .unwrap_err();
    assert_eq!(err.fields(), ["from"]);
    assert!(err.to_string().contains("A session was drawn"), "{err}");

    let paused = store
        .pause_package(&pause("2026-11-20", "2026-12-03", "Knee injury"))
        .unwrap();
    assert_eq!(paused.expires_on, Some(d("2027-01-14")), "14 days later");
    assert_eq!(
        paused.hold,
        Some(Hold::Paused {
            until: d("2026-12-03")
        })
    );
    assert!(!paused.low && !paused.expiring_soon);

    // Nothing is drawn while paused, and the message says why.
    let err = log(&mut store, &ana, "2026-11-25").unwrap_err();
    assert!(
        err.to_string().contains("Ten is paused until 3 Dec 2026"),
        "{err}"
    );
    assert_eq!(package(&store, &ana).remaining, 9);
    // The day before the pause is as usual.
    log(&mut store, &ana, "2026-11-19").unwrap();
    assert_eq!(package(&store, &ana).remaining, 8);

    // Overlapping pauses are refused, in the core and by the database.
    let err = store
        .pause_package(&pause("2026-12-01", "2026-12-10", "Holiday"))
        .unwrap_err();
    assert!(err.to_string().contains("already paused"), "{err}");
    let conn = store.connection();
    let overlap = conn.execute(
        "INSERT INTO package_pauses (id, package_id, from_on, until_on, reason, recorded_at)
         VALUES ('pp_x', ?1, '2026-11-21', '2026-11-22', 'x', '2026-11-25T12:00:00Z')",
        [&p.id],
    );
    assert!(overlap.is_err());
    assert!(conn
        .execute("DELETE FROM package_pauses", [])
        .is_err_and(|e| e.to_string().contains("never deleted")));

    // The history tells it.
    let record = store.client_record(&ana).unwrap();
    let line = record
        .timeline
        .iter()
        .find(|h| h.label == "Paused")
        .expect("a pause line");
    assert_eq!(
        line.note,
        "20 Nov 2026 to 3 Dec 2026; last day now 14 Jan 2027 — Knee injury"
    );
    assert!(
        !record
            .timeline
            .iter()
            .any(|h| h.label == "Validity extended"),
        "the pause's extension is told by the pause line"
    );
    assert!(store.check().unwrap().problems.is_empty());
}

#[test]
fn a_package_whose_clock_has_not_started_cannot_be_paused() {
    let (_dir, mut store) = common::practice();
    let ana = client(&mut store, "Ana Souza");
    let p = sell(
        &mut store,
        &ana,
        TermsInput::new("Ten", 10, "800", Validity::FirstUse { days: 30 }),
        "2026-11-01",
    );
    let err = store
        .pause_package(&PauseInput {
            package_id: p.id,
            from: "2026-11-26".into(),
            until: "2026-11-30".into(),
            reason: "Holiday".into(),
        })
        .unwrap_err();
    assert!(err.to_string().contains("first session"), "{err}");
}

#[test]
fn an_expired_package_paused_back_in_time_gets_its_credits_back() {
    let (_dir, mut store) = common::practice();
    let ana = client(&mut store, "Ana Souza");
    let p = sell(
        &mut store,
        &ana,
        TermsInput::new("Five", 5, "400", Validity::Days { days: 30 }),
        "2026-10-01",
    );
    store.expire_due().unwrap();
    assert_eq!(package(&store, &ana).remaining, 0);
    // The client was ill for three weeks in October: the last day moves
    // from 31 Oct to 21 Nov, still past, then to 5 Dec with the next pause.
    let paused = store
        .pause_package(&PauseInput {
            package_id: p.id.clone(),
            from: "2026-10-10".into(),
            until: "2026-10-30".into(),
            reason: "Flu".into(),
        })
        .unwrap();
    assert_eq!(paused.expires_on, Some(d("2026-11-21")));
    assert_eq!((paused.remaining, paused.expired), (0, 5), "expired again");
    let paused = store
        .pause_package(&PauseInput {
            package_id: p.id.clone(),
            from: "2026-10-05".into(),
            until: "2026-10-08".into(),
            reason: "Flu, the first days".into(),
        })
        .unwrap();
    assert_eq!(paused.expires_on, Some(d("2026-11-25")));
    assert_eq!((paused.remaining, paused.expired), (5, 0), "usable today");
    store.expire_due().unwrap();
    assert_eq!(package(&store, &ana).remaining, 5);
    assert!(store.check().unwrap().problems.is_empty());
}

#[test]
fn a_sale_on_a_later_day_asks_first_then_starts_on_that_day() {
    let (_dir, mut store) = common::practice();
    let ana = client(&mut store, "Ana Souza");
    let sale = |sold_on: &str, confirmed: bool| SaleInput {
        client_id: ana.clone(),
        terms: TermsInput::new("Ten", 10, "800", Validity::None),
        sold_on: sold_on.into(),
        date_confirmed: confirmed,
        ..Default::default()
    };
    for (day, words) in [
        ("2026-12-01", "1 Dec 2026 is 6 days ahead"),
        ("2023-11-24", "more than 3 years ago"),
    ] {
        let err = store.sell_package(&sale(day, false)).unwrap_err();
        assert_eq!(err.fields(), ["dateConfirmed"]);
        assert!(err.to_string().contains(words), "{err}");
    }
    assert!(store.client_packages(&ana).unwrap().is_empty());
    // Three years back to the day is ordinary.
    let bob = client(&mut store, "Bob Lee");
    store
        .sell_package(&SaleInput {
            client_id: bob,
            ..sale("2023-11-25", false)
        })
        .unwrap();

    let later = store.sell_package(&sale("2026-12-01", true)).unwrap();
    assert_eq!(
        later.hold,
        Some(Hold::StartsOn {
            day: d("2026-12-01")
        })
    );
    let err = log(&mut store, &ana, "2026-11-25").unwrap_err();
    assert!(
        err.to_string()
            .contains("Ten starts on 1 Dec 2026: it can't be used before then"),
        "{err}"
    );
    // On its day it is an ordinary package.
    store.set_clock(Box::new(|| {
        chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2026, 12, 1, 12, 0, 0).unwrap()
    }));
    assert_eq!(package(&store, &ana).hold, None);
    log(&mut store, &ana, "2026-12-01").unwrap();
}

#[test]
fn an_offering_sets_its_own_low_balance_mark() {
    let (_dir, mut store) = common::practice();
    let ana = client(&mut store, "Ana Souza");
    let twenty = store
        .create_offering(&TermsInput {
            low_balance_at: "4".into(),
            ..TermsInput::new("Twenty", 20, "1400", Validity::None)
        })
        .unwrap();
    assert_eq!(twenty.low_balance_at, Some(4));
    let err = store
        .create_offering(&TermsInput {
            low_balance_at: "-1".into(),
            ..TermsInput::new("Odd", 20, "1400", Validity::None)
        })
        .unwrap_err();
    assert_eq!(err.fields(), ["lowBalanceAt"]);
    store
        .sell_package(&SaleInput {
            client_id: ana.clone(),
            offering_id: Some(twenty.id.clone()),
            sold_on: "2026-10-01".into(),
            paid_now: true,
            ..Default::default()
        })
        .unwrap();
    for n in 0..15 {
        log(&mut store, &ana, &format!("2026-10-{:02}", n + 2)).unwrap();
    }
    assert!(!package(&store, &ana).low, "5 left: above the offering's 4");
    log(&mut store, &ana, "2026-10-20").unwrap();
    assert!(
        package(&store, &ana).low,
        "4 left, the practice's mark is 2"
    );
    let flagged = store
        .needs_attention()
        .unwrap()
        .items
        .into_iter()
        .find(|i| i.client_id == ana)
        .unwrap();
    assert_eq!(flagged.reasons[0].kind, ReasonKind::Low);
    let low = store
        .client_page(&ClientQuery {
            limit: 50,
            filter: Some(ClientFilter::Low),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(low.total, 1);
}

#[test]
fn a_pause_spanning_the_last_day_carries_the_expiry_past_it() {
    let (_dir, mut store) = common::practice();
    let ana = client(&mut store, "Ana Souza");
    let p = sell(
        &mut store,
        &ana,
        TermsInput::new(
            "Five",
            5,
            "400",
            Validity::Until {
                date: d("2026-11-30"),
            },
        ),
        "2026-11-01",
    );
    let paused = store
        .pause_package(&PauseInput {
            package_id: p.id.clone(),
            from: "2026-11-28".into(),
            until: "2026-12-05".into(),
            reason: "Holiday".into(),
        })
        .unwrap();
    assert_eq!(
        paused.expires_on,
        Some(d("2026-12-08")),
        "8 paused days later"
    );
    let at = |store: &mut Store, day: u32| {
        store.set_clock(Box::new(move || {
            chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2026, 12, day, 12, 0, 0).unwrap()
        }));
    };
    // The old last day passes during the pause: nothing expires.
    at(&mut store, 1);
    assert_eq!(store.expire_due().unwrap(), 0);
    let p1 = package(&store, &ana);
    assert_eq!(
        p1.hold,
        Some(Hold::Paused {
            until: d("2026-12-05")
        })
    );
    assert!(!p1.expiring_soon, "paused: nothing to act on");
    // Back from the pause, usable through the new last day...
    at(&mut store, 8);
    assert_eq!(store.expire_due().unwrap(), 0);
    let p8 = package(&store, &ana);
    assert_eq!((p8.hold, p8.remaining, p8.expiring_soon), (None, 5, true));
    // ...and expired once, the day after it, however often the pass runs.
    at(&mut store, 9);
    assert_eq!(store.expire_due().unwrap(), 1);
    assert_eq!(store.expire_due().unwrap(), 0);
    assert_eq!(package(&store, &ana).expired, 5);
    assert!(store.check().unwrap().problems.is_empty());
}
