//! Three months of one client, booked week by week: a 10-pack, two
//! reschedules, a late cancel forfeited and one waived, a no-show, a renewal
//! bought with two credits left. Every step happens at its own moment (the
//! clock is moved), and the history CSV is compared with a golden file.

mod common;

use chrono::{DateTime, NaiveDate, Utc};
use punchcard::ops::bookings::{BookingStatus, ScheduleInput};
use punchcard::views::agenda::AgendaAsk;
use punchcard::{ClientInput, EventKind, PracticeInput, SaleInput, Store, TermsInput, Validity};

/// Lisbon is UTC in autumn and UTC+1 until 25 October: moments are written in UTC.
fn moment(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

fn at(store: &mut Store, when: &str) {
    let t = moment(when);
    store.set_clock(Box::new(move || t));
}

fn booked_on(store: &Store, client: &str, day: &str) -> String {
    store
        .connection()
        .query_row(
            "SELECT id FROM sessions WHERE client_id = ?1 AND starts_on = ?2 AND status = 'scheduled'",
            [client, day],
            |r| r.get(0),
        )
        .unwrap()
}

#[test]
fn three_months_of_bookings_explain_every_credit() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path().join("three-months.sqlite3")).unwrap();
    store.use_sequential_ids();
    at(&mut store, "2026-09-01T08:00:00Z");
    store
        .save_practice(&PracticeInput::first_run(
            "Move Well",
            "EUR",
            "Europe/Lisbon",
        ))
        .unwrap();
    let ten = store
        .create_offering(&TermsInput::new(
            "10 sessions",
            10,
            "800",
            Validity::Days { days: 180 },
        ))
        .unwrap();
    let zoe = store
        .create_client(&ClientInput::named("Zoë Ångström-Núñez"))
        .unwrap()
        .id;
    let sell = |store: &mut Store, day: &str| {
        store
            .sell_package(&SaleInput {
                client_id: zoe.clone(),
                offering_id: Some(ten.id.clone()),
                sold_on: day.into(),
                paid_now: true,
                payment_method: "Card".into(),
                ..Default::default()
            })
            .unwrap()
    };
    let first = sell(&mut store, "2026-09-01");

    // Thursdays at 09:00 (10:00 in summer time), thirteen weeks.
    let series = store
        .schedule(&ScheduleInput {
            client_id: zoe.clone(),
            date: "2026-09-03".into(),
            time: "09:00".into(),
            weeks: "13".into(),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(series.session_ids.len(), 13);
    assert_eq!(series.preview.beyond, 3, "ten credits for thirteen weeks");
    assert_eq!(
        series.preview.package_id.as_deref(),
        Some(first.id.as_str())
    );

    let complete = |store: &mut Store, day: &str, when: &str| {
        at(store, when);
        let id = booked_on(store, &zoe, day);
        let done = store.complete_session(&id, false).unwrap();
        assert_eq!(done.status, BookingStatus::Completed);
        done
    };
    complete(&mut store, "2026-09-03", "2026-09-03T09:00:00Z");
    complete(&mut store, "2026-09-10", "2026-09-10T09:00:00Z");

    // Moved a day, two days ahead; then attended.
    at(&mut store, "2026-09-15T17:00:00Z");
    let moved = booked_on(&store, &zoe, "2026-09-17");
    store.reschedule(&moved, "2026-09-18", "09:00").unwrap();
    complete(&mut store, "2026-09-18", "2026-09-18T09:00:00Z");
    complete(&mut store, "2026-09-24", "2026-09-24T09:00:00Z");

    // Cancelled three hours before: inside the 24-hour window, forfeited.
    at(&mut store, "2026-10-01T05:00:00Z");
    let late = store
        .cancel_session(&booked_on(&store, &zoe, "2026-10-01"), None)
        .unwrap();
    assert!(late.late && late.entry_id.is_some());
    assert_eq!(late.status, BookingStatus::LateCancelled);

    // Moved to the next day, an hour later.
    at(&mut store, "2026-10-06T12:00:00Z");
    let moved = booked_on(&store, &zoe, "2026-10-08");
    store.reschedule(&moved, "2026-10-09", "10:00").unwrap();
    complete(&mut store, "2026-10-09", "2026-10-09T09:00:00Z");

    // Cancelled late again, but the forfeit is waived, with its reason.
    at(&mut store, "2026-10-15T06:00:00Z");
    let waived = store
        .cancel_session(&booked_on(&store, &zoe, "2026-10-15"), Some("Sick child"))
        .unwrap();
    assert!(waived.late);

    // A cancellation two days ahead takes nothing.
    // (Not this client's story; see `a_cancellation_in_time_takes_nothing`.)

    // Did not come: a no-show forfeits a credit.
    at(&mut store, "2026-10-22T10:00:00Z");
    store
        .mark_no_show(&booked_on(&store, &zoe, "2026-10-22"))
        .unwrap();
    let left = complete(&mut store, "2026-10-29", "2026-10-29T10:00:00Z");
    assert_eq!(left.remaining, Some(2));

    // Renewed with two credits left: the old pack drains first (it expires sooner).
    let second = sell(&mut store, "2026-10-29");
    complete(&mut store, "2026-11-05", "2026-11-05T09:00:00Z");
    complete(&mut store, "2026-11-12", "2026-11-12T09:00:00Z");
    let third = complete(&mut store, "2026-11-19", "2026-11-19T09:00:00Z");
    assert_eq!(third.package_name.as_deref(), Some("10 sessions"));

    at(&mut store, "2026-11-25T12:00:00Z");
    let packages = store.client_packages(&zoe).unwrap();
    let balance = |id: &str| packages.iter().find(|p| p.id == id).unwrap().remaining;
    assert_eq!((balance(&first.id), balance(&second.id)), (0, 9));
    // One booking ahead (26 November), covered by the new pack.
    let record = store.client_record(&zoe).unwrap();
    assert_eq!(record.bookings.len(), 1);
    assert_eq!(
        record.bookings[0].package_id.as_deref(),
        Some(second.id.as_str())
    );
    assert_eq!(record.bookings[0].left_after, 8);
    // The window asks for the newest lines only: the same lines, and
    // whether there are older ones.
    let newest = store.client_record_newest(&zoe, 5).unwrap();
    assert_eq!(newest.timeline, record.timeline[..5]);
    assert!(newest.timeline_more);
    assert!(record.timeline.len() > 20);
    assert_eq!(store.client_record_newest(&zoe, 0).unwrap().timeline, []);

    // The history tells it all, and the balance on any past day is replayed.
    let kinds: Vec<EventKind> = store
        .history(&zoe)
        .unwrap()
        .iter()
        .map(|t| t.kind)
        .collect();
    for k in [
        EventKind::Scheduled,
        EventKind::Rescheduled,
        EventKind::LateCancel,
        EventKind::ForfeitWaived,
        EventKind::NoShow,
    ] {
        assert!(kinds.contains(&k), "{k:?} missing");
    }
    assert_eq!(
        kinds
            .iter()
            .filter(|k| **k == EventKind::Rescheduled)
            .count(),
        2
    );
    let on = |day: &str| -> Vec<u32> {
        store
            .balances_on(&zoe, day.parse::<NaiveDate>().unwrap())
            .unwrap()
            .iter()
            .map(|b| b.balance)
            .collect()
    };
    assert_eq!(on("2026-09-30"), [6]);
    assert_eq!(on("2026-10-15"), [4]);
    assert_eq!(on("2026-10-29"), [2, 10]);

    let out = dir.path().join("zoe.csv");
    store.export_history(&zoe, &out).unwrap();
    let written = std::fs::read(&out).unwrap();
    common::assert_matches_golden("three-months.golden.csv", &written);
}

#[test]
fn a_cancellation_in_time_takes_nothing_and_undo_books_it_again() {
    let (_dir, mut store) = common::practice();
    let c = store.create_client(&ClientInput::named("Ana")).unwrap().id;
    store
        .sell_package(&SaleInput {
            client_id: c.clone(),
            terms: TermsInput::new("Five", 5, "400", Validity::None),
            sold_on: common::TODAY.into(),
            ..Default::default()
        })
        .unwrap();
    let s = store
        .schedule(&ScheduleInput {
            client_id: c.clone(),
            date: "2026-11-28".into(),
            time: "09:00".into(),
            ..Default::default()
        })
        .unwrap()
        .session_ids
        .remove(0);
    let done = store.cancel_session(&s, None).unwrap();
    assert_eq!(
        (done.late, done.entry_id, done.status),
        (false, None, BookingStatus::Cancelled)
    );
    assert_eq!(store.client_packages(&c).unwrap()[0].remaining, 5);
    store.reopen_booking(&s).unwrap();
    assert_eq!(store.client_record(&c).unwrap().bookings.len(), 1);
}

#[test]
fn owed_sessions_are_refused_unless_recorded_and_the_next_sale_settles_them() {
    let (_dir, mut store) = common::practice();
    let c = store
        .create_client(&ClientInput::named("Bruno"))
        .unwrap()
        .id;
    let s = store
        .schedule(&ScheduleInput {
            client_id: c.clone(),
            date: common::TODAY.into(),
            time: "08:00".into(),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(
        s.preview.beyond, 1,
        "booked beyond the balance, said before it happens"
    );
    let id = &s.session_ids[0];
    let refused = store.complete_session(id, false).unwrap_err();
    assert!(
        refused.to_string().contains("record the session as owed"),
        "{refused}"
    );
    let owed = store.complete_session(id, true).unwrap();
    assert!(owed.owed && owed.entry_id.is_none());
    assert_eq!(store.client_list("bruno").unwrap()[0].owed, 1);

    let p = store
        .sell_package(&SaleInput {
            client_id: c.clone(),
            terms: TermsInput::new("Five", 5, "400", Validity::None),
            sold_on: common::TODAY.into(),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(p.remaining, 4, "the sale settled the owed session");
    assert_eq!(store.client_list("bruno").unwrap()[0].owed, 0);
    let settled = store
        .history(&c)
        .unwrap()
        .into_iter()
        .find(|t| t.kind == EventKind::Session && t.why.starts_with("settles"));
    assert!(settled.is_some());
}

#[test]
fn adjustments_need_a_reason_and_transfers_move_credits_as_a_pair() {
    use punchcard::ops::ledger::{AdjustInput, TransferInput};
    let (_dir, mut store) = common::practice();
    let mum = store
        .create_client(&ClientInput::named("Maya Cohen"))
        .unwrap()
        .id;
    let son = store
        .create_client(&ClientInput::named("Liam Cohen"))
        .unwrap()
        .id;
    let sell = |store: &mut Store, client: &str| {
        store
            .sell_package(&SaleInput {
                client_id: client.into(),
                terms: TermsInput::new("Five", 5, "400", Validity::None),
                sold_on: "2026-11-01".into(),
                ..Default::default()
            })
            .unwrap()
            .id
    };
    let a = sell(&mut store, &mum);
    let b = sell(&mut store, &son);
    let no_reason = store
        .adjust_credits(&AdjustInput {
            package_id: a.clone(),
            sessions: "+1".into(),
            reason: " ".into(),
            date: String::new(),
        })
        .unwrap_err();
    assert_eq!(no_reason.fields(), ["reason"]);
    let too_many = store
        .adjust_credits(&AdjustInput {
            package_id: a.clone(),
            sessions: "-6".into(),
            reason: "Count".into(),
            date: String::new(),
        })
        .unwrap_err();
    assert!(
        too_many.to_string().contains("Only 5 credits"),
        "{too_many}"
    );
    store
        .adjust_credits(&AdjustInput {
            package_id: a.clone(),
            sessions: "+1".into(),
            reason: "Birthday bonus".into(),
            date: String::new(),
        })
        .unwrap();
    let moved = store
        .transfer_credits(&TransferInput {
            from_package_id: a.clone(),
            to_package_id: b.clone(),
            sessions: "2".into(),
            reason: "For her son".into(),
            date: String::new(),
        })
        .unwrap();
    let left = |store: &Store, client: &str| store.client_packages(client).unwrap()[0].remaining;
    assert_eq!((left(&store, &mum), left(&store, &son)), (4, 7));
    // Reversing one half reverses the pair.
    store.reverse_entry(&moved.entry_id, "Wrong son").unwrap();
    assert_eq!((left(&store, &mum), left(&store, &son)), (6, 5));
    let son_history = store.history(&son).unwrap();
    assert!(son_history
        .iter()
        .any(|t| t.kind == EventKind::TransferIn && t.why == "from Five"));
}

#[test]
fn a_backdated_session_never_makes_a_past_balance_negative() {
    let (_dir, mut store) = common::practice();
    let c = store
        .create_client(&ClientInput::named("Chiara"))
        .unwrap()
        .id;
    store
        .sell_package(&SaleInput {
            client_id: c.clone(),
            terms: TermsInput::new("One", 1, "90", Validity::None),
            sold_on: "2026-11-01".into(),
            ..Default::default()
        })
        .unwrap();
    let log = |store: &mut Store, day: &str| {
        store.log_session(&punchcard::LogSessionInput {
            client_id: c.clone(),
            date: day.into(),
            ..Default::default()
        })
    };
    // A session on the 10th, taken back; then one logged for the 5th.
    let first = log(&mut store, "2026-11-10").unwrap();
    store
        .reverse_entry(first.entry_id.as_deref().unwrap(), "")
        .unwrap();
    log(&mut store, "2026-11-05").unwrap();
    assert!(store
        .history(&c)
        .unwrap()
        .iter()
        .all(|t| t.balance_after.unwrap_or(0) >= 0));
    // A credit added later does not pay for a session before it.
    store
        .adjust_credits(&punchcard::ops::ledger::AdjustInput {
            package_id: store.client_packages(&c).unwrap()[0].id.clone(),
            sessions: "1".into(),
            reason: "Goodwill".into(),
            date: "2026-11-20".into(),
        })
        .unwrap();
    let refused = log(&mut store, "2026-11-03").unwrap_err();
    assert!(
        refused
            .to_string()
            .contains("no sessions left to use on 2026-11-03"),
        "{refused}"
    );
    assert!(log(&mut store, "2026-11-21").is_ok());
}

/// What closing a booking at 09:00 Lisbon time on 27 November does to a
/// 24-hour-window 5-pack, by when and how it is closed.
#[rstest::rstest]
#[case::cancelled_two_days_ahead(
    "2026-11-25T09:00:00Z",
    "cancel",
    None,
    BookingStatus::Cancelled,
    5
)]
#[case::cancelled_exactly_at_the_edge(
    "2026-11-26T09:00:00Z",
    "cancel",
    None,
    BookingStatus::Cancelled,
    5
)]
#[case::cancelled_a_minute_inside(
    "2026-11-26T09:01:00Z",
    "cancel",
    None,
    BookingStatus::LateCancelled,
    4
)]
#[case::cancelled_late_forfeit_waived(
    "2026-11-27T07:00:00Z",
    "cancel",
    Some("Flu"),
    BookingStatus::LateCancelled,
    5
)]
#[case::waiver_asked_for_in_time_changes_nothing(
    "2026-11-25T09:00:00Z",
    "cancel",
    Some("Flu"),
    BookingStatus::Cancelled,
    5
)]
#[case::no_show("2026-11-27T10:00:00Z", "no-show", None, BookingStatus::NoShow, 4)]
#[case::completed("2026-11-27T10:00:00Z", "complete", None, BookingStatus::Completed, 4)]
fn closing_a_booking(
    #[case] now: &str,
    #[case] how: &str,
    #[case] waive: Option<&str>,
    #[case] status: BookingStatus,
    #[case] left: u32,
) {
    let (_dir, mut store) = common::practice();
    let c = store.create_client(&ClientInput::named("Ana")).unwrap().id;
    store
        .sell_package(&SaleInput {
            client_id: c.clone(),
            terms: TermsInput::new("Five", 5, "400", Validity::None),
            sold_on: common::TODAY.into(),
            ..Default::default()
        })
        .unwrap();
    let s = store
        .schedule(&ScheduleInput {
            client_id: c.clone(),
            date: "2026-11-27".into(),
            time: "09:00".into(),
            ..Default::default()
        })
        .unwrap()
        .session_ids
        .remove(0);
    at(&mut store, now);
    let done = match how {
        "cancel" => store.cancel_session(&s, waive),
        "no-show" => store.mark_no_show(&s),
        _ => store.complete_session(&s, false),
    }
    .unwrap();
    assert_eq!(done.status, status);
    assert_eq!(store.client_packages(&c).unwrap()[0].remaining, left);
    if waive.is_some() && status == BookingStatus::LateCancelled {
        let history = store.history(&c).unwrap();
        let waived = history
            .iter()
            .find(|t| t.kind == EventKind::ForfeitWaived)
            .unwrap();
        assert_eq!(waived.note, "Flu");
    }
}

#[test]
fn a_session_still_to_come_cannot_be_completed_or_missed_yet() {
    let (_dir, mut store) = common::practice();
    let c = store.create_client(&ClientInput::named("Ana")).unwrap().id;
    let s = store
        .schedule(&ScheduleInput {
            client_id: c,
            date: "2026-11-26".into(),
            time: "09:00".into(),
            ..Default::default()
        })
        .unwrap()
        .session_ids
        .remove(0);
    for refused in [store.complete_session(&s, true), store.mark_no_show(&s)] {
        assert!(refused
            .unwrap_err()
            .to_string()
            .contains("on a day still to come"));
    }
}

#[test]
fn undo_books_a_closed_session_again_and_gives_its_credit_back() {
    let (_dir, mut store) = common::practice();
    let c = store.create_client(&ClientInput::named("Ana")).unwrap().id;
    store
        .sell_package(&SaleInput {
            client_id: c.clone(),
            terms: TermsInput::new("Five", 5, "400", Validity::None),
            sold_on: common::TODAY.into(),
            ..Default::default()
        })
        .unwrap();
    let s = store
        .schedule(&ScheduleInput {
            client_id: c.clone(),
            date: common::TODAY.into(),
            time: "11:00".into(),
            ..Default::default()
        })
        .unwrap()
        .session_ids
        .remove(0);
    let left = |store: &Store| store.client_packages(&c).unwrap()[0].remaining;
    for close in ["complete", "no-show", "late cancel"] {
        let done = match close {
            "complete" => store.complete_session(&s, false),
            "no-show" => store.mark_no_show(&s),
            _ => store.cancel_session(&s, None),
        }
        .unwrap();
        assert!(done.entry_id.is_some(), "{close} takes a credit");
        assert_eq!(left(&store), 4);
        let again = store.reopen_booking(&s).unwrap();
        assert_eq!(again.status, BookingStatus::Scheduled);
        assert_eq!(left(&store), 5, "undoing {close} gives the credit back");
    }
    let history = store.history(&c).unwrap();
    assert!(
        !history.iter().any(|t| t.kind == EventKind::ForfeitWaived),
        "an undo is not a waiver"
    );
    assert_eq!(
        history
            .iter()
            .filter(|t| t.kind == EventKind::BookedAgain)
            .count(),
        3
    );
    assert!(store.reopen_booking(&s).is_err(), "already booked");
}

#[test]
fn today_lists_what_days_gone_by_left_open_and_what_no_credit_covers() {
    let (_dir, mut store) = common::practice();
    let c = store.create_client(&ClientInput::named("Ana")).unwrap().id;
    store
        .sell_package(&SaleInput {
            client_id: c.clone(),
            terms: TermsInput::new("One", 1, "90", Validity::None),
            sold_on: common::TODAY.into(),
            ..Default::default()
        })
        .unwrap();
    store
        .schedule(&ScheduleInput {
            client_id: c.clone(),
            date: common::TODAY.into(),
            time: "18:00".into(),
            weeks: "3".into(),
            ..Default::default()
        })
        .unwrap();
    let today = store.agenda_from_text("", 15, AgendaAsk::All).unwrap();
    assert!(today.unclosed.is_empty());
    let ahead: Vec<(u32, bool)> = today
        .days
        .iter()
        .flat_map(|d| &d.bookings)
        .map(|b| (b.left_after, b.beyond_balance))
        .collect();
    assert_eq!(ahead, [(0, false), (0, true), (0, true)]);
    assert_eq!(today.more, 0);
    // Needs attention counts the clients some booking ahead finds no credit for.
    assert_eq!(store.needs_attention().unwrap().booked_beyond, 1);

    // Two days on, the first is still open: Today asks for it to be closed.
    at(&mut store, "2026-11-27T09:00:00Z");
    let later = store.agenda_from_text("", 7, AgendaAsk::All).unwrap();
    assert_eq!(later.unclosed.len(), 1);
    assert_eq!(later.unclosed_total, 1);
    assert_eq!(later.unclosed[0].date.to_string(), common::TODAY);
}

#[test]
fn the_calendar_file_reads_back_with_stable_ids_in_the_practice_zone() {
    use icalendar::{Calendar, CalendarComponent, Component};
    let (dir, mut store) = common::practice();
    let c = store
        .create_client(&ClientInput::named("Ana Souza"))
        .unwrap()
        .id;
    let ids = store
        .schedule(&ScheduleInput {
            client_id: c.clone(),
            date: "2026-11-27".into(),
            time: "09:30".into(),
            duration: "45".into(),
            service: "Massage".into(),
            weeks: "10".into(),
            ..Default::default()
        })
        .unwrap()
        .session_ids;
    store.cancel_session(&ids[1], None).unwrap();
    let read = |store: &Store| -> Vec<(String, String, String, String)> {
        let out = dir.path().join("bookings.ics");
        let (_, n) = store.export_calendar(&out).unwrap();
        let text = std::fs::read_to_string(&out).unwrap();
        let cal: Calendar = text.parse().expect("the file parses as iCalendar");
        let events: Vec<_> = cal
            .components
            .iter()
            .filter_map(|c| match c {
                CalendarComponent::Event(e) => Some(e),
                _ => None,
            })
            .map(|e| {
                let start = e.properties().get("DTSTART").unwrap();
                (
                    e.get_uid().unwrap().to_owned(),
                    format!(
                        "{};{}",
                        start.params().get("TZID").map(|p| p.value()).unwrap_or(""),
                        start.value()
                    ),
                    e.get_summary().unwrap().to_owned(),
                    e.property_value("STATUS").unwrap_or("").to_owned(),
                )
            })
            .collect();
        assert_eq!(events.len(), n);
        events
    };
    let first = read(&store);
    assert_eq!(first.len(), 10, "ten weeks, past the screens' 31 days");
    assert_eq!(first[0].1, "Europe/Lisbon;20261127T093000");
    assert_eq!(first[0].2, "Ana Souza: Massage");
    assert_eq!(first[1].3, "CANCELLED");
    assert_eq!(first[2].3, "CONFIRMED");
    // Moved and exported again: the same event (same id), at its new time.
    store.reschedule(&ids[0], "2026-11-28", "10:00").unwrap();
    let second = read(&store);
    assert_eq!(second[0].0, first[0].0);
    assert_eq!(second[0].1, "Europe/Lisbon;20261128T100000");
    assert_eq!(
        first.iter().map(|e| &e.0).collect::<Vec<_>>(),
        second.iter().map(|e| &e.0).collect::<Vec<_>>()
    );
}

#[test]
fn today_reads_a_page_at_a_time_and_every_day_says_how_many_it_holds() {
    let (_dir, mut store) = common::practice();
    // Three clients booked every day for five days, at 09:00, 09:00 and
    // 11:00: the same hour sorts by name.
    let mut ids = Vec::new();
    for (name, time) in [("Cora", "09:00"), ("Ana", "09:00"), ("Bo", "11:00")] {
        let c = store.create_client(&ClientInput::named(name)).unwrap().id;
        ids.push(c.clone());
        store
            .schedule(&ScheduleInput {
                client_id: c,
                date: common::TODAY.into(),
                time: time.into(),
                weeks: "1".into(),
                ..Default::default()
            })
            .unwrap();
        for day in 1..5 {
            let on = NaiveDate::parse_from_str(common::TODAY, "%Y-%m-%d").unwrap()
                + chrono::Days::new(day);
            store
                .schedule(&ScheduleInput {
                    client_id: ids.last().unwrap().clone(),
                    date: on.to_string(),
                    time: time.into(),
                    weeks: "1".into(),
                    ..Default::default()
                })
                .unwrap();
        }
    }
    let first = booked_on(&store, &ids[1], common::TODAY);
    store.complete_session(&first, true).unwrap();

    let order = |a: &punchcard::views::agenda::Agenda| -> Vec<(String, String)> {
        a.days
            .iter()
            .flat_map(|d| &d.bookings)
            .map(|b| (b.date.to_string(), b.client_name.clone()))
            .collect()
    };
    let all = store.agenda_from_text("", 7, AgendaAsk::All).unwrap();
    assert_eq!(order(&all).len(), 15);
    assert_eq!(all.more, 0);
    assert_eq!(
        order(&all)[..4],
        [
            (common::TODAY.to_string(), "Ana".to_string()),
            (common::TODAY.to_string(), "Cora".to_string()),
            (common::TODAY.to_string(), "Bo".to_string()),
            (all.days[1].date.to_string(), "Ana".to_string()),
        ]
    );
    let counts: Vec<(u32, u32)> = all.days.iter().map(|d| (d.total, d.to_close)).collect();
    assert_eq!(
        counts,
        [(3, 2), (3, 3), (3, 3), (3, 3), (3, 3), (0, 0), (0, 0)]
    );

    // Every first page is the start of the whole list, and says how many
    // are left; the days' counts do not depend on the page.
    for n in 1..=16 {
        let page = store.agenda_from_text("", 7, AgendaAsk::First(n)).unwrap();
        let read = order(&page);
        assert_eq!(read, order(&all)[..(n as usize).min(15)], "first {n}");
        assert_eq!(page.more, 15u32.saturating_sub(n), "first {n}");
        assert_eq!(
            page.days
                .iter()
                .map(|d| (d.total, d.to_close))
                .collect::<Vec<_>>(),
            counts
        );
        // The booking's coverage is the same read in a page as in the whole.
        let whole: Vec<_> = all
            .days
            .iter()
            .flat_map(|d| &d.bookings)
            .take(read.len())
            .collect();
        let part: Vec<_> = page.days.iter().flat_map(|d| &d.bookings).collect();
        assert_eq!(part, whole);
    }

    // The week at a glance reads the first of each day.
    let week = store
        .agenda_from_text("", 7, AgendaAsk::EachDay(2))
        .unwrap();
    let firsts: Vec<usize> = week.days.iter().map(|d| d.bookings.len()).collect();
    assert_eq!(firsts, [2, 2, 2, 2, 2, 0, 0]);
    assert_eq!(week.more, 5);
    assert_eq!(
        week.days[0]
            .bookings
            .iter()
            .map(|b| b.client_name.as_str())
            .collect::<Vec<_>>(),
        ["Ana", "Cora"]
    );
    // Renamed, a client's bookings sort under the new name.
    store
        .update_client(&ids[0], &ClientInput::named("Aaron"))
        .unwrap();
    let week = store
        .agenda_from_text("", 7, AgendaAsk::EachDay(2))
        .unwrap();
    assert_eq!(
        week.days[1]
            .bookings
            .iter()
            .map(|b| b.client_name.as_str())
            .collect::<Vec<_>>(),
        ["Aaron", "Ana"]
    );

    // A year of weekly bookings left open: Today lists the oldest few and
    // says how many wait in all.
    for c in &ids {
        store
            .schedule(&ScheduleInput {
                client_id: c.clone(),
                date: "2026-12-01".into(),
                time: "08:00".into(),
                weeks: "40".into(),
                ..Default::default()
            })
            .unwrap();
    }
    at(&mut store, "2027-12-01T12:00:00Z");
    let later = store
        .agenda_from_text("", 14, AgendaAsk::First(50))
        .unwrap();
    assert_eq!(later.unclosed.len(), 20);
    assert_eq!(
        later.unclosed.len() as u32,
        punchcard::views::agenda::MAX_UNCLOSED
    );
    assert_eq!(later.unclosed_total, 14 + 3 * 40);
    assert_eq!(later.unclosed[0].date.to_string(), common::TODAY);
}

/// A booking closed weeks after its day (a no-show marked late, with no
/// credit left to forfeit) is the newest line of the history, though its day
/// is older than every line around it: the window's newest lines read the
/// bookings changed since, not only those on the days they cover.
#[test]
fn a_booking_closed_weeks_after_its_day_is_among_the_newest_lines() {
    let (_dir, mut store) = common::practice();
    let c = store.create_client(&ClientInput::named("Ana")).unwrap().id;
    at(&mut store, "2026-09-01T08:00:00Z");
    store
        .sell_package(&SaleInput {
            client_id: c.clone(),
            terms: TermsInput::new("Ten", 10, "800", Validity::None),
            sold_on: "2026-09-01".into(),
            ..Default::default()
        })
        .unwrap();
    let [old, forfeited] = ["2026-09-03", "2026-09-04"].map(|day| {
        store
            .schedule(&ScheduleInput {
                client_id: c.clone(),
                date: day.into(),
                time: "09:00".into(),
                ..Default::default()
            })
            .unwrap()
            .session_ids
            .remove(0)
    });
    // Ten sessions logged week by week use every credit.
    let mut day: NaiveDate = "2026-09-10".parse().unwrap();
    for _ in 0..10 {
        at(&mut store, &format!("{day}T10:00:00Z"));
        store
            .log_session(&punchcard::LogSessionInput {
                client_id: c.clone(),
                date: day.to_string(),
                time: "09:00".into(),
                ..Default::default()
            })
            .unwrap();
        day = day + chrono::Days::new(7);
    }
    at(&mut store, "2026-11-25T12:00:00Z");
    store.mark_no_show(&old).unwrap();
    let whole = store.history(&c).unwrap();
    let newest = store.client_record_newest(&c, 3).unwrap();
    assert_eq!(newest.timeline[0].kind, EventKind::NoShowNoCredit);
    assert_eq!(newest.timeline[0].date.to_string(), "2026-11-25");
    let want: Vec<_> = whole.iter().rev().take(3).cloned().collect();
    assert_eq!(newest.timeline, want);
    assert!(newest.timeline_more);

    // A sale from September, cancelled once a session drawn from it on
    // 24 November was undone: the cancellation is dated then (the package's
    // last day of use), its purchase long before; it still says what it
    // cancels.
    at(&mut store, "2026-11-24T10:00:00Z");
    let spare = store
        .sell_package(&SaleInput {
            client_id: c.clone(),
            terms: TermsInput::new("Spare", 5, "300", Validity::None),
            sold_on: "2026-09-01".into(),
            date_confirmed: true,
            ..Default::default()
        })
        .unwrap();
    let drawn = store
        .log_session(&punchcard::LogSessionInput {
            client_id: c.clone(),
            date: "2026-11-24".into(),
            time: "09:00".into(),
            package_id: Some(spare.id.clone()),
            ..Default::default()
        })
        .unwrap();
    store
        .reverse_entry(&drawn.entry_id.unwrap(), "Logged twice")
        .unwrap();
    store
        .cancel_sale(&punchcard::ops::payments::CancelSaleInput {
            package_id: spare.id,
            money: punchcard::ops::payments::MoneyBack::Kept,
            ..Default::default()
        })
        .unwrap();
    let whole = store.history(&c).unwrap();
    let newest = store.client_record_newest(&c, 4).unwrap();
    let want: Vec<_> = whole.iter().rev().take(4).cloned().collect();
    assert_eq!(newest.timeline, want);
    assert!(newest
        .timeline
        .iter()
        .any(|t| t.kind == EventKind::SaleCancelled));
    assert!(whole
        .iter()
        .rev()
        .skip(4)
        .any(|t| t.kind == EventKind::Purchase && t.package_name.as_deref() == Some("Spare")));

    // A package sold back in September, then the other old booking marked a
    // no-show: it forfeits a credit, dated on its day, long before the
    // newest lines; the no-show says nothing more (it had a credit).
    at(&mut store, "2026-11-26T10:00:00Z");
    store
        .sell_package(&SaleInput {
            client_id: c.clone(),
            terms: TermsInput::new("Late", 5, "300", Validity::None),
            sold_on: "2026-09-01".into(),
            date_confirmed: true,
            ..Default::default()
        })
        .unwrap();
    let missed = store.mark_no_show(&forfeited).unwrap();
    assert!(missed.entry_id.is_some());
    let whole = store.history(&c).unwrap();
    let newest = store.client_record_newest(&c, 4).unwrap();
    let want: Vec<_> = whole.iter().rev().take(4).cloned().collect();
    assert_eq!(newest.timeline, want);
    assert!(whole.iter().all(|t| t.kind != EventKind::NoShowNoCredit
        || t.session_id.as_deref() != Some(forfeited.as_str())));
}

#[test]
fn a_booking_ahead_counts_on_what_an_expiry_took_only_up_to_the_last_valid_day() {
    let (_dir, mut store) = common::practice();
    let c = store.create_client(&ClientInput::named("Bea")).unwrap().id;
    let old = store
        .sell_package(&SaleInput {
            client_id: c.clone(),
            terms: TermsInput::new("Five", 5, "400", Validity::Days { days: 30 }),
            sold_on: "2026-10-01".into(),
            ..Default::default()
        })
        .unwrap();
    let used_up = store
        .sell_package(&SaleInput {
            client_id: c.clone(),
            terms: TermsInput::new("One", 1, "90", Validity::None),
            sold_on: "2026-10-01".into(),
            ..Default::default()
        })
        .unwrap();
    store
        .log_session(&punchcard::LogSessionInput {
            client_id: c.clone(),
            package_id: Some(used_up.id.clone()),
            date: "2026-10-02".into(),
            ..Default::default()
        })
        .unwrap();
    // On 25 November the five-pack's expiry (30 October) has taken its credits.
    assert_eq!(store.expire_due().unwrap(), 1);
    assert_eq!(store.package(&old.id).unwrap().expired, 5);

    // The practice's clock goes back to 20 October: a booking up to the
    // 30th may still use what the expiry took, one after it may not.
    at(&mut store, "2026-10-20T09:00:00Z");
    for day in ["2026-10-28", "2026-11-03"] {
        store
            .schedule(&ScheduleInput {
                client_id: c.clone(),
                date: day.into(),
                time: "10:00".into(),
                ..Default::default()
            })
            .unwrap();
    }
    let agenda = store
        .agenda_from_text("2026-10-20", 30, AgendaAsk::All)
        .unwrap();
    let ahead: Vec<(String, Option<String>, u32, bool)> = agenda
        .days
        .iter()
        .flat_map(|d| &d.bookings)
        .map(|b| {
            (
                b.date.to_string(),
                b.package_id.clone(),
                b.left_after,
                b.beyond_balance,
            )
        })
        .collect();
    assert_eq!(
        ahead,
        [
            ("2026-10-28".into(), Some(old.id.clone()), 4, false),
            ("2026-11-03".into(), None, 0, true),
        ]
    );
}
