//! The history CSV, byte for byte, against a golden file. Set
//! `UPDATE_GOLDEN=1` to rewrite the file after a deliberate change, and read
//! the diff before committing it.

mod common;

use punchcard::ops::payments::{PaymentInput, RefundInput};

use chrono::{TimeZone, Utc};
use punchcard::{
    ClientInput, EventKind, LogSessionInput, PracticeInput, SaleInput, Store, TermsInput, Validity,
};

fn golden_practice(dir: &std::path::Path) -> (Store, String) {
    let mut store = Store::open(dir.join("golden.sqlite3")).unwrap();
    store.use_sequential_ids();
    store.set_clock(Box::new(|| {
        Utc.with_ymd_and_hms(2026, 11, 25, 12, 0, 0).unwrap()
    }));
    store
        .save_practice(&PracticeInput::first_run(
            "Move Well",
            "EUR",
            "Europe/Lisbon",
        ))
        .unwrap();
    let zoe = store
        .create_client(&ClientInput {
            name: "Zoë Ångström-Núñez".into(),
            email: "zoe@example.com".into(),
            ..Default::default()
        })
        .unwrap();
    let ten = store
        .create_offering(&TermsInput::new(
            "10 sessions",
            10,
            "800",
            Validity::Days { days: 180 },
        ))
        .unwrap();
    store
        .sell_package(&SaleInput {
            client_id: zoe.id.clone(),
            offering_id: Some(ten.id),
            sold_on: "2026-11-02".into(),
            paid_now: true,
            payment_method: "Card".into(),
            ..Default::default()
        })
        .unwrap();
    let log = |store: &mut Store, date: &str, time: &str, note: &str| {
        store
            .log_session(&LogSessionInput {
                client_id: zoe.id.clone(),
                date: date.into(),
                time: time.into(),
                note: note.into(),
                ..Default::default()
            })
            .unwrap()
    };
    log(
        &mut store,
        "2026-11-03",
        "09:30",
        "Squats, \"deep\" ones; knee fine",
    );
    let oops = log(
        &mut store,
        "2026-11-05",
        "18:00",
        "=HYPERLINK(\"http://evil\")",
    );
    store
        .reverse_entry(oops.entry_id.as_deref().unwrap(), "Logged twice")
        .unwrap();
    log(&mut store, "2026-11-10", "", "Line one\nline two, café");
    let single = store
        .sell_package(&SaleInput {
            client_id: zoe.id.clone(),
            terms: TermsInput::new("Single", 1, "90.5", Validity::None),
            sold_on: "2026-11-12".into(),
            ..Default::default()
        })
        .unwrap();
    // Money after the sale: a payment typed twice and corrected, and a
    // refund of two unused credits that takes them back.
    let twice = store
        .record_payment(&PaymentInput {
            package_id: single.id.clone(),
            amount: "90.50".into(),
            date: "2026-11-13".into(),
            method: "Cash".into(),
            note: String::new(),
        })
        .unwrap();
    store
        .record_payment(&PaymentInput {
            package_id: single.id.clone(),
            amount: "90.50".into(),
            date: "2026-11-13".into(),
            method: "Cash".into(),
            note: String::new(),
        })
        .unwrap();
    store
        .correct_payment(twice.payment_id.as_deref().unwrap(), "Typed twice")
        .unwrap();
    let ten_id = store
        .client_packages(&zoe.id)
        .unwrap()
        .into_iter()
        .find(|p| p.name == "10 sessions")
        .unwrap()
        .id;
    store
        .record_refund(&RefundInput {
            package_id: ten_id,
            amount: "160".into(),
            date: "2026-11-14".into(),
            method: "Card".into(),
            note: "Moving in January".into(),
            take_back: "2".into(),
        })
        .unwrap();
    (store, zoe.id)
}

#[test]
fn history_csv_matches_the_golden_file() {
    let dir = tempfile::tempdir().unwrap();
    let (store, client) = golden_practice(dir.path());
    let out = dir.path().join("Zoë history.csv");
    let (_, rows) = store.export_history(&client, &out).unwrap();
    assert_eq!(rows, 12);
    let written = std::fs::read(&out).unwrap();
    common::assert_matches_golden("history.golden.csv", &written);
}

#[test]
fn history_csv_reads_back_as_the_timeline() {
    let dir = tempfile::tempdir().unwrap();
    let (store, client) = golden_practice(dir.path());
    let mut bytes = Vec::new();
    punchcard::io::history_csv::write_history(&store, &client, &mut bytes).unwrap();
    assert!(
        bytes.starts_with("\u{feff}".as_bytes()),
        "Excel needs the BOM for UTF-8"
    );
    let text = std::str::from_utf8(&bytes[3..]).unwrap();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    assert_eq!(
        reader.headers().unwrap().iter().collect::<Vec<_>>(),
        punchcard::io::history_csv::HISTORY_HEADER
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let history = store.history(&client).unwrap();
    assert_eq!(rows.len(), history.len());
    for (row, item) in rows.iter().zip(&history) {
        assert_eq!(&row[0], item.date.to_string());
        assert_eq!(&row[2], item.kind.label());
        assert_eq!(
            &row[5],
            item.balance_after
                .map(|b| b.to_string())
                .unwrap_or_default()
        );
        assert_eq!(&row[9], item.id);
    }
    let reversal = history
        .iter()
        .position(|t| t.kind == EventKind::Reversal)
        .unwrap();
    assert_eq!(&rows[reversal][4], "+1");
    // The formula in a note is defused; the accented note is intact.
    assert!(rows.iter().any(|r| &r[8] == "'=HYPERLINK(\"http://evil\")"));
    assert!(rows.iter().any(|r| &r[8] == "Line one\nline two, café"));
    assert!(rows
        .iter()
        .all(|r| r[3].starts_with("10 sessions (2026-11-02)")
            || r[3].starts_with("Single (2026-11-12)")));
}
