//! Renewals and the Needs attention list: a package runs low and is
//! flagged, the renewal is offered, snoozed, then sold early; the old
//! package drains first and the flag clears. Expiry runs exactly once
//! however often the pass runs.

mod common;

use chrono::{Duration, TimeZone, Utc};
use punchcard::domain::attention::{FollowUp, ReasonKind};
use punchcard::ops::renewals::FollowUpInput;
use punchcard::views::client_list::{ClientFilter, ClientQuery};
use punchcard::{ClientInput, LogSessionInput, SaleInput, Store, TermsInput, Validity};

fn log(store: &mut Store, client: &str, date: &str) -> punchcard::LoggedSession {
    store
        .log_session(&LogSessionInput {
            client_id: client.into(),
            date: date.into(),
            ..Default::default()
        })
        .unwrap()
}

fn reasons(store: &Store, client: &str) -> Vec<ReasonKind> {
    store
        .needs_attention()
        .unwrap()
        .items
        .into_iter()
        .find(|i| i.client_id == client)
        .map(|i| i.reasons.into_iter().map(|r| r.kind).collect())
        .unwrap_or_default()
}

#[test]
fn a_low_package_is_flagged_offered_snoozed_and_renewed_early() {
    let (_dir, mut store) = common::practice();
    let ana = store
        .create_client(&ClientInput {
            name: "Ana Souza".into(),
            email: "ana@example.com".into(),
            ..Default::default()
        })
        .unwrap();
    let five = store
        .create_offering(&TermsInput::new("Five", 5, "400", Validity::None))
        .unwrap();
    let first = store
        .sell_package(&SaleInput {
            client_id: ana.id.clone(),
            offering_id: Some(five.id.clone()),
            sold_on: "2026-11-01".into(),
            paid_now: true,
            payment_method: "Card".into(),
            ..Default::default()
        })
        .unwrap();
    for d in ["2026-11-03", "2026-11-10"] {
        log(&mut store, &ana.id, d);
    }
    assert_eq!(
        reasons(&store, &ana.id),
        [],
        "3 left is above the threshold of 2"
    );
    log(&mut store, &ana.id, "2026-11-17");
    assert_eq!(reasons(&store, &ana.id), [ReasonKind::Low]);
    let item = store.needs_attention().unwrap().items.remove(0);
    assert_eq!(item.reasons[0].text, "2 credits left on Five");
    assert_eq!(item.package_id.as_deref(), Some(first.id.as_str()));

    // Offered: still on the list, marked.
    let follow = |state, until: &str| FollowUpInput {
        package_id: first.id.clone(),
        state,
        until: until.into(),
    };
    store.set_follow_up(&follow(FollowUp::Offered, "")).unwrap();
    assert_eq!(
        store.needs_attention().unwrap().items[0].follow_up,
        FollowUp::Offered
    );
    // Snoozed until a later day: off the list, counted as snoozed.
    assert_eq!(
        store
            .set_follow_up(&follow(FollowUp::Snoozed, "2026-11-25"))
            .unwrap_err()
            .first_field(),
        Some("until")
    );
    store
        .set_follow_up(&follow(FollowUp::Snoozed, "2026-12-01"))
        .unwrap();
    let list = store.needs_attention().unwrap();
    assert!(list.items.is_empty());
    assert_eq!(list.snoozed, 1);
    // The client list's filters show the flags as they are, snoozed or not.
    let filtered = |store: &Store, f| -> Vec<String> {
        store
            .client_page(&ClientQuery {
                limit: 50,
                filter: Some(f),
                ..Default::default()
            })
            .unwrap()
            .rows
            .into_iter()
            .map(|r| r.name)
            .collect()
    };
    assert_eq!(filtered(&store, ClientFilter::Low), ["Ana Souza"]);
    assert_eq!(filtered(&store, ClientFilter::Flagged), ["Ana Souza"]);
    assert!(filtered(&store, ClientFilter::ExpiringSoon).is_empty());
    assert!(filtered(&store, ClientFilter::Owes).is_empty());

    // The reminder is drafted for the client's own mail app.
    let r = store.reminder(&ana.id).unwrap();
    assert!(r.url.starts_with("mailto:ana@example.com?subject="));
    assert!(r.body.contains("2 sessions left on your Five"));
    // In the practitioner's own words, and back to Punchcard's when emptied.
    let own = store
        .set_reminder_template("Dear {name}, {left} on {package}. See you soon! {practice}")
        .unwrap();
    assert!(own.custom);
    assert_eq!(
        store.reminder(&ana.id).unwrap().body,
        "Dear Ana Souza, 2 sessions on Five. See you soon! Move Well"
    );
    assert!(!store.set_reminder_template("  ").unwrap().custom);
    assert!(store.reminder(&ana.id).unwrap().body.starts_with("Hi Ana,"));
    let long = store.set_reminder_template(&"x".repeat(4001)).unwrap_err();
    assert_eq!(long.first_field(), Some("text"));

    // Renewed early, without carrying over: linked, and the old package
    // drains first; the flag is gone.
    let renewal = store
        .sell_package(&SaleInput {
            client_id: ana.id.clone(),
            offering_id: Some(five.id.clone()),
            sold_on: "2026-11-25".into(),
            paid_now: true,
            payment_method: "Card".into(),
            renews_id: Some(first.id.clone()),
            ..Default::default()
        })
        .unwrap();
    store.set_follow_up(&follow(FollowUp::None, "")).unwrap();
    assert_eq!(reasons(&store, &ana.id), []);
    let next = log(&mut store, &ana.id, "2026-11-25");
    assert_eq!(
        next.package_id.as_deref(),
        Some(first.id.as_str()),
        "the older package drains first"
    );
    let chain: Vec<(String, Option<String>)> = store
        .client_packages(&ana.id)
        .unwrap()
        .into_iter()
        .map(|p| (p.id, p.renews_id))
        .collect();
    assert!(chain.contains(&(renewal.id.clone(), Some(first.id.clone()))));

    // Another renewal with carry-over: the credits left move with it, as a pair.
    let carried = store
        .sell_package(&SaleInput {
            client_id: ana.id.clone(),
            offering_id: Some(five.id.clone()),
            sold_on: "2026-11-25".into(),
            paid_now: true,
            payment_method: "Card".into(),
            renews_id: Some(renewal.id.clone()),
            carry_over: true,
            ..Default::default()
        })
        .unwrap();
    assert_eq!(carried.remaining, 10);
    assert_eq!(store.package(&renewal.id).unwrap().remaining, 0);
    // The client's row counts what was carried in: never more left than held.
    let row = store
        .client_list("ana souza")
        .unwrap()
        .into_iter()
        .find(|c| c.id == ana.id)
        .unwrap();
    assert!(
        row.remaining <= row.total,
        "{} of {} left",
        row.remaining,
        row.total
    );
    assert_eq!(
        (row.remaining, row.total),
        (11, 15),
        "1 of 5 on the first, 10 of 10 carried"
    );
    // The emptied package ran out today and was followed at once: renewed.
    let rate = store
        .reports(&punchcard::views::reports::ReportQuery::default())
        .unwrap()
        .renewals;
    assert_eq!(
        (rate.ended, rate.renewed, rate.pending, rate.percent),
        (1, 1, 0, Some(100))
    );
    let bad = store
        .sell_package(&SaleInput {
            client_id: ana.id.clone(),
            offering_id: Some(five.id),
            sold_on: "2026-11-25".into(),
            renews_id: Some("pk_not_hers".into()),
            ..Default::default()
        })
        .unwrap_err();
    assert_eq!(bad.first_field(), Some("renewsId"));
}

#[test]
fn the_expiry_pass_writes_each_expiry_once_however_often_it_runs() {
    let (_dir, mut store) = common::practice();
    let c = store.create_client(&ClientInput::named("Bea")).unwrap();
    for (sold, days) in [("2026-10-01", 30), ("2026-10-10", 40), ("2026-11-01", 60)] {
        store
            .sell_package(&SaleInput {
                client_id: c.id.clone(),
                terms: TermsInput::new("Pack", 5, "100", Validity::Days { days }),
                sold_on: sold.into(),
                ..Default::default()
            })
            .unwrap();
    }
    let expiries = |store: &Store| -> i64 {
        store
            .connection()
            .query_row(
                "SELECT count(*) FROM ledger_entries WHERE kind = 'expiry'",
                [],
                |r| r.get(0),
            )
            .unwrap()
    };
    // Across a simulated month, at odd moments, many times a day.
    let start = Utc.with_ymd_and_hms(2026, 11, 25, 0, 0, 0).unwrap();
    for step in 0..100 {
        let at = start + Duration::minutes(step * 457);
        store.set_clock(Box::new(move || at));
        store.expire_due().unwrap();
        store.expire_due().unwrap();
    }
    // By 25 Dec (the last moment): the first two expired (31 Oct, 19 Nov), the third (31 Dec) not yet.
    assert_eq!(expiries(&store), 2);
    let late = Utc.with_ymd_and_hms(2027, 1, 30, 9, 0, 0).unwrap();
    store.set_clock(Box::new(move || late));
    assert_eq!(store.expire_due().unwrap(), 1);
    assert_eq!(store.expire_due().unwrap(), 0);
    assert_eq!(expiries(&store), 3);
    // Nothing was paid, so money comes first; then the expiry.
    assert_eq!(
        reasons(&store, &c.id),
        [ReasonKind::PaymentOverdue, ReasonKind::ExpiredUnused]
    );
    // The amount goes beside the words, for the screen to write in the
    // user's locale; the other reasons have none.
    let item = store
        .needs_attention()
        .unwrap()
        .items
        .into_iter()
        .find(|i| i.client_id == c.id)
        .unwrap();
    let overdue = &item.reasons[0];
    assert!(overdue.text.starts_with("overdue for "), "{}", overdue.text);
    assert!(overdue
        .amount
        .is_some_and(|a| a > rust_decimal::Decimal::ZERO));
    assert_eq!(item.reasons[1].amount, None);
}

#[test]
fn an_expired_package_is_extended_with_a_reason_and_gets_its_credits_back() {
    let (_dir, mut store) = common::practice();
    let c = store.create_client(&ClientInput::named("Caio")).unwrap();
    let p = store
        .sell_package(&SaleInput {
            client_id: c.id.clone(),
            terms: TermsInput::new("Five", 5, "400", Validity::Days { days: 30 }),
            sold_on: "2026-10-01".into(),
            paid_now: true,
            payment_method: "Card".into(),
            ..Default::default()
        })
        .unwrap();
    log(&mut store, &c.id, "2026-10-05");
    assert_eq!(store.expire_due().unwrap(), 1);
    assert_eq!(store.package(&p.id).unwrap().remaining, 0);
    let extend = |until: &str, reason: &str| punchcard::ops::renewals::ExtendInput {
        package_id: p.id.clone(),
        until: until.into(),
        reason: reason.into(),
    };
    // Bad input names its field and changes nothing.
    let e = store
        .extend_package(&extend("2026-10-15", "Injury"))
        .unwrap_err();
    assert_eq!(e.first_field(), Some("until"));
    let e = store
        .extend_package(&extend("2026-12-31", " "))
        .unwrap_err();
    assert_eq!(e.first_field(), Some("reason"));
    let after = store
        .extend_package(&extend("2026-12-31", "Knee injury: six weeks off"))
        .unwrap();
    assert_eq!(
        after.expires_on.map(|d| d.to_string()),
        Some("2026-12-31".into())
    );
    assert_eq!(
        (after.remaining, after.expired, after.state),
        (4, 0, punchcard::PackageState::Active)
    );
    assert_eq!(store.expire_due().unwrap(), 0, "not expired any more");
    let history = store.history(&c.id).unwrap();
    let ext = history
        .iter()
        .find(|t| t.kind == punchcard::EventKind::Extended)
        .unwrap();
    assert!(
        ext.note.contains("31 Dec 2026") && ext.note.contains("Knee injury"),
        "{}",
        ext.note
    );
    // The database keeps extensions as they were, and only later days.
    let db = store.connection();
    for sql in [
        "UPDATE package_extensions SET expires_on = '2030-01-01'",
        "DELETE FROM package_extensions",
    ] {
        let err = db.execute(sql, []).unwrap_err().to_string();
        assert!(
            err.contains("append-only") || err.contains("never"),
            "{sql}: {err}"
        );
    }
    let err = db
        .execute(
            "INSERT INTO package_extensions (id, package_id, expires_on, reason, recorded_at)
             VALUES ('px_1', ?1, '2026-12-01', 'x', '2026-11-25T00:00:00Z')",
            [&p.id],
        )
        .unwrap_err()
        .to_string();
    assert!(err.contains("later"), "{err}");
    assert!(store.check().unwrap().problems.is_empty());
}

/// The renewal story, as the history CSV tells it, byte for byte against a
/// golden file (`UPDATE_GOLDEN=1` rewrites it; read the diff first): a
/// package runs low, is flagged, offered, snoozed, paused for a holiday,
/// renewed early; the old package drains first and the flag clears.
#[test]
fn the_renewal_story_reads_right_in_the_history_csv() {
    use punchcard::ops::renewals::{ExtendInput, PauseInput};
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path().join("story.sqlite3")).unwrap();
    store.use_sequential_ids();
    let clock = |store: &mut Store, day: u32, hour: u32| {
        store.set_clock(Box::new(move || {
            Utc.with_ymd_and_hms(2026, 11, day, hour, 0, 0).unwrap()
        }));
    };
    clock(&mut store, 1, 9);
    store
        .save_practice(&punchcard::PracticeInput::first_run(
            "Move Well",
            "EUR",
            "Europe/Lisbon",
        ))
        .unwrap();
    let ana = store
        .create_client(&ClientInput {
            name: "Ana Souza".into(),
            email: "ana@example.com".into(),
            ..Default::default()
        })
        .unwrap()
        .id;
    let five = store
        .create_offering(&TermsInput::new(
            "Five",
            5,
            "400",
            Validity::Days { days: 60 },
        ))
        .unwrap();
    let sale = |renews: Option<String>, on: &str| SaleInput {
        client_id: ana.clone(),
        offering_id: Some(five.id.clone()),
        sold_on: on.into(),
        paid_now: true,
        payment_method: "Card".into(),
        renews_id: renews,
        ..Default::default()
    };
    let old = store.sell_package(&sale(None, "2026-11-01")).unwrap();
    for (day, date) in [(3, "2026-11-03"), (10, "2026-11-10"), (17, "2026-11-17")] {
        clock(&mut store, day, 18);
        log(&mut store, &ana, date);
    }
    assert_eq!(reasons(&store, &ana), [ReasonKind::Low]);
    clock(&mut store, 18, 10);
    let follow = |state, until: &str| FollowUpInput {
        package_id: old.id.clone(),
        state,
        until: until.into(),
    };
    store.set_follow_up(&follow(FollowUp::Offered, "")).unwrap();
    clock(&mut store, 19, 10);
    store
        .set_follow_up(&follow(FollowUp::Snoozed, "2026-11-22"))
        .unwrap();
    assert_eq!(reasons(&store, &ana), [], "snoozed");
    clock(&mut store, 20, 10);
    store
        .pause_package(&PauseInput {
            package_id: old.id.clone(),
            from: "2026-11-21".into(),
            until: "2026-11-22".into(),
            reason: "Weekend away".into(),
        })
        .unwrap();
    clock(&mut store, 23, 10);
    store
        .extend_package(&ExtendInput {
            package_id: old.id.clone(),
            until: "2027-01-31".into(),
            reason: "Goodwill".into(),
        })
        .unwrap();
    assert_eq!(
        reasons(&store, &ana),
        [ReasonKind::Low],
        "back after the snooze"
    );
    clock(&mut store, 24, 10);
    let new = store
        .sell_package(&sale(Some(old.id.clone()), "2026-11-24"))
        .unwrap();
    assert_eq!(reasons(&store, &ana), [], "renewed: the flag clears");
    clock(&mut store, 25, 12);
    let drawn = log(&mut store, &ana, "2026-11-25");
    assert_eq!(
        drawn.package_id.as_deref(),
        Some(old.id.as_str()),
        "the old package drains first"
    );
    let record = store.client_record(&ana).unwrap();
    let renewed = record.packages.iter().find(|p| p.id == new.id).unwrap();
    assert_eq!(renewed.renews_id.as_deref(), Some(old.id.as_str()));

    let out = dir.path().join("Ana Souza history.csv");
    store.export_history(&ana, &out).unwrap();
    let written = std::fs::read(&out).unwrap();
    common::assert_matches_golden("renewal-story.golden.csv", &written);
}
