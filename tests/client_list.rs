//! The client list, a page at a time, agrees with the plain answer (every
//! client, filtered, sorted) on every path it takes: the top of the list,
//! deep pages and short searches found in the list in order (remembered
//! between reads), searches with few matches sorted from the index, where
//! a selected client stands, and after a change, wherever it was made.

mod common;

use punchcard::views::client_list::ClientQuery;
use punchcard::{ClientInput, Store};
use rusqlite::trace::TraceEventCodes;

/// Every active client's name matching `needle` (folded the same way), in list order.
fn reference(store: &Store, needle: &str) -> Vec<String> {
    listed(store, needle)
        .into_iter()
        .map(|(_, name)| name)
        .collect()
}

/// Id and name of every active client matching `needle`, in list order.
fn listed(store: &Store, needle: &str) -> Vec<(String, String)> {
    let mut stmt = store
        .connection()
        .prepare(
            "SELECT id, name, search_text FROM clients WHERE archived = 0 ORDER BY sort_key, id",
        )
        .unwrap();
    stmt.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
        ))
    })
    .unwrap()
    .map(Result::unwrap)
    .filter(|(_, _, text)| text.contains(needle))
    .map(|(id, name, _)| (id, name))
    .collect()
}

/// Where the list for `text` says client `id` stands.
fn place(store: &Store, text: &str, id: &str) -> Option<u32> {
    store
        .client_page(&ClientQuery {
            text: text.into(),
            offset: 0,
            limit: 10,
            selected: Some(id.into()),
            ..Default::default()
        })
        .unwrap()
        .selected_index
}

fn page(store: &Store, text: &str, offset: u32, limit: u32) -> (Vec<String>, u32, bool) {
    let p = store
        .client_page(&ClientQuery {
            text: text.into(),
            offset,
            limit,
            selected: None,
            ..Default::default()
        })
        .unwrap();
    (
        p.rows.into_iter().map(|c| c.name).collect(),
        p.total,
        p.exact,
    )
}

#[test]
fn every_path_of_the_list_agrees_with_the_plain_answer() {
    let (_dir, mut store) = common::practice();
    store
        .batch(|s| {
            for i in 0..2600 {
                let name = match i % 13 {
                    0 => format!("Ana Client {i}"),
                    1 => format!("Zoë Ångström {i}"),
                    2 => format!("Liam O'Brien {i}"),
                    _ => format!("Client {i}"),
                };
                s.create_client(&ClientInput::named(&name))?;
            }
            Ok(())
        })
        .unwrap();

    let needles = [
        "",
        "client",
        "ana",
        "obrien",
        "zoe angstrom 1",
        "an",
        "zo",
        "1",
        "zzqx",
    ];
    // Each search first as the list is just after a change (nothing
    // remembered: few matches are sorted from the index), then with the
    // list in order remembered.
    for (needle, remembered) in needles
        .iter()
        .map(|n| (*n, false))
        .chain(needles.iter().map(|n| (*n, true)))
    {
        if remembered {
            page(&store, "", 600, 1);
        } else {
            // An empty batch forgets what the list remembered.
            store.batch(|_| Ok(())).unwrap();
        }
        let want = reference(&store, needle);
        let (first, total, exact) = page(&store, needle, 0, 60);
        if needle.is_empty() {
            assert_eq!((total as usize, exact), (want.len(), true), "{needle:?}");
        } else {
            // A search counts up to 1,000.
            assert_eq!(total as usize, want.len().min(1000), "{needle:?}");
            assert_eq!(exact, want.len() <= 1000, "{needle:?}");
        }
        assert_eq!(first, want[..want.len().min(60)], "{needle:?} first page");
        for offset in [59, 300, 511, 512, 513, 1024, 1333, 2000, 2599] {
            let (rows, _, _) = page(&store, needle, offset, 60);
            let start = (offset as usize).min(want.len());
            let end = (start + 60).min(want.len());
            assert_eq!(rows, want[start..end], "{needle:?} at {offset}");
        }
        // Where a selected client stands: matching ones anywhere in the
        // list, and ones the search leaves out.
        // (A search's list ends at its 1,000th match.)
        let matching = listed(&store, needle);
        let shown = |i: usize| (needle.is_empty() || i < 1000).then_some(i as u32);
        for (id, _) in listed(&store, "").iter().step_by(157) {
            let want = matching.iter().position(|(m, _)| m == id).and_then(shown);
            assert_eq!(place(&store, needle, id), want, "{needle:?} selecting {id}");
        }
        for i in [
            0,
            999,
            1000,
            matching.len() / 2,
            matching.len().saturating_sub(1),
        ] {
            if let Some((id, _)) = matching.get(i) {
                assert_eq!(place(&store, needle, id), shown(i), "{needle:?} #{i}");
            }
        }
    }
    assert_eq!(place(&store, "", "no-such-client"), None);
    assert_eq!(store.client_list("").unwrap().len(), 2600);

    // A change is seen at once, deep pages included (the anchors are redone).
    let (before, _, _) = page(&store, "", 1500, 5);
    store
        .create_client(&ClientInput::named("Aaron First"))
        .unwrap();
    let (after, total, _) = page(&store, "", 1501, 5);
    assert_eq!(total, 2601);
    assert_eq!(after, before);
    assert_eq!(page(&store, "", 0, 1).0, ["Aaron First"]);
}

/// Names as people read them: accents folded into their letter, numbers in
/// numeric order, punctuation ignored by search, and emoji never matching.
#[test]
fn names_sort_and_search_as_people_read_them() {
    let (_dir, mut store) = common::practice();
    for name in [
        "Ezra 10",
        "Émile",
        "Ezra 9",
        "Eva 🎉",
        "Liam O'Brien",
        "Zoë",
        "ana",
    ] {
        store.create_client(&ClientInput::named(name)).unwrap();
    }
    let names = |text: &str| -> Vec<String> { page(&store, text, 0, 60).0 };
    assert_eq!(
        names(""),
        [
            "ana",
            "Émile",
            "Eva 🎉",
            "Ezra 9",
            "Ezra 10",
            "Liam O'Brien",
            "Zoë"
        ]
    );
    assert_eq!(names("obrien"), ["Liam O'Brien"]);
    assert_eq!(names("o'brien"), ["Liam O'Brien"]);
    assert_eq!(names("emile"), ["Émile"]);
    assert_eq!(names("zoe"), ["Zoë"]);
    // An emoji matches nothing, not everything; beside a word it is ignored.
    assert_eq!(names("🎉"), Vec::<String>::new());
    assert_eq!(names("🎉 eva"), ["Eva 🎉"]);

    for (name, sessions) in [
        ("20-session pack", 20),
        ("5-session pack", 5),
        ("Échange", 1),
        ("10-session pack", 10),
    ] {
        store
            .create_offering(&punchcard::TermsInput::new(
                name,
                sessions,
                "100",
                punchcard::Validity::None,
            ))
            .unwrap();
    }
    let offered: Vec<String> = store
        .offerings(false)
        .unwrap()
        .into_iter()
        .map(|o| o.name)
        .collect();
    assert_eq!(
        offered,
        [
            "5-session pack",
            "10-session pack",
            "20-session pack",
            "Échange"
        ]
    );
}

/// A search that many match, all late in the list (a first name late in the
/// alphabet), or all early: the page is the plain answer's.
#[test]
fn a_search_whose_many_matches_are_all_late_in_the_list_finds_them() {
    let (_dir, mut store) = common::practice();
    common::add_clients(&mut store, "Aaron Early", 3000);
    common::add_clients(&mut store, "Zed Late", 2100);
    common::add_clients(&mut store, "Mia Middle", 1500);
    // 1,500 matches, just after a change: sorted from the search index,
    // counted to 1,000, and a client past the 1,000th is not in the list.
    let middle = listed(&store, "middle");
    assert_eq!(place(&store, "middle", &middle[1200].0), None);
    assert_eq!(place(&store, "middle", &middle[999].0), Some(999));
    for (needle, offset) in [
        ("middle", 0),
        ("middle", 1400),
        ("zed", 0),
        ("zed", 1000),
        ("zed", 2070),
        ("late", 0),
        ("early", 2990),
    ] {
        let want = reference(&store, needle);
        let (rows, total, exact) = page(&store, needle, offset, 60);
        assert_eq!(
            (total as usize, exact),
            (want.len().min(1000), want.len() <= 1000),
            "{needle:?}"
        );
        let start = (offset as usize).min(want.len());
        let end = (start + 60).min(want.len());
        assert_eq!(rows, want[start..end], "{needle:?} at {offset}");
    }
}

/// The list remembers its order between reads, and forgets it when the
/// clients change: through this store, or through another connection to
/// the file (the app refuses a second store, but not, say, `sqlite3`).
#[test]
fn a_search_sees_each_change_to_the_clients_wherever_it_was_made() {
    let (dir, mut store) = common::practice();
    common::add_clients(&mut store, "Client", 600);
    for needle in ["zo", "", "client 5"] {
        // Read once, so the order is remembered; a deep page of everyone too.
        page(&store, needle, 0, 60);
        page(&store, needle, 550, 60);
    }
    let other = rusqlite::Connection::open(dir.path().join("practice.sqlite3")).unwrap();
    other
        .execute(
            "INSERT INTO clients (id, name, name_key, email, phone, notes, sort_key, search_text,
                 created_at, updated_at)
             VALUES ('cl_other', 'Zoe Other', 'zoe other', '', '', '', 'zoe other', 'zoe other',
                 '2026-11-25T12:00:00Z', '2026-11-25T12:00:00Z')",
            [],
        )
        .unwrap();
    let zoe = store.client("cl_other").unwrap();
    assert_eq!(page(&store, "zo", 0, 60).0, ["Zoe Other"]);
    assert_eq!(page(&store, "", 560, 60).1, 601);
    assert_eq!(place(&store, "zo", &zoe.id), Some(0));

    let renamed = ClientInput::named("Client 5 Zoe");
    store.update_client(&zoe.id, &renamed).unwrap();
    assert_eq!(page(&store, "zo", 0, 60).0, ["Client 5 Zoe"]);
    assert_eq!(
        page(&store, "client 5", 0, 60).0,
        reference(&store, "client 5")[..60]
    );
    let everyone = reference(&store, "");
    assert_eq!(page(&store, "", 550, 60).0, everyone[550..]);
}

/// A count of the statements run that contain `$text`, and the callback
/// for `trace_v2` that keeps it (a plain function: it captures nothing).
macro_rules! statement_count {
    ($(#[$doc:meta])* $count:ident, $callback:ident, $text:literal) => {
        $(#[$doc])*
        static $count: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

        fn $callback(event: rusqlite::trace::TraceEvent<'_>) {
            if let rusqlite::trace::TraceEvent::Stmt(_, sql) = event {
                if sql.contains($text) {
                    $count.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                }
            }
        }
    };
}

statement_count!(
    /// How often the list in order was read whole (a walk of its index).
    LIST_READS,
    count_list_reads,
    "INDEXED BY clients_in_order"
);

/// A client added or renamed through the store is put in its place in the
/// remembered list, which is not read again: the list agrees with the plain
/// answer after each write, at the top, in the middle and at the end.
#[test]
fn each_client_written_is_put_in_its_place_in_the_remembered_list() {
    let (_dir, mut store) = common::practice();
    common::add_clients(&mut store, "Client", 700);
    let check = |store: &Store, step: &str, written: &[&str]| {
        for needle in ["", "zo", "client 1", "e"] {
            let want = reference(store, needle);
            for offset in [0, 340, 600, 650] {
                let (rows, _, _) = page(store, needle, offset, 60);
                let start = (offset as usize).min(want.len());
                let end = (start + 60).min(want.len());
                assert_eq!(rows, want[start..end], "{step}: {needle:?} at {offset}");
            }
            // Where each client stands: a few anywhere, and each written one
            // with its neighbours.
            let matching = listed(store, needle);
            let near: Vec<usize> = written
                .iter()
                .filter_map(|w| matching.iter().position(|(m, _)| m == w))
                .flat_map(|i| i.saturating_sub(1)..(i + 2).min(matching.len()))
                .collect();
            for i in (0..matching.len()).step_by(97).chain(near) {
                let id = &matching[i].0;
                assert_eq!(
                    place(store, needle, id),
                    Some(i as u32),
                    "{step}: {needle:?} #{i}"
                );
            }
        }
    };
    store
        .connection()
        .trace_v2(TraceEventCodes::SQLITE_TRACE_STMT, Some(count_list_reads));
    check(&store, "as read", &[]);
    let reads = LIST_READS.load(std::sync::atomic::Ordering::SeqCst);
    assert!(reads >= 1, "the list in order was never read");

    let first = store
        .create_client(&ClientInput::named("Aaron First"))
        .unwrap();
    check(&store, "added at the top", &[&first.id]);
    let last = store
        .create_client(&ClientInput::named("Zoe Last"))
        .unwrap();
    check(&store, "added at the end", &[&last.id]);
    let middle = store
        .create_client(&ClientInput::named("Client 350 b"))
        .unwrap();
    let written = [first.id.as_str(), last.id.as_str(), middle.id.as_str()];
    check(&store, "added in the middle", &written);
    store
        .update_client(&first.id, &ClientInput::named("Zed Moved"))
        .unwrap();
    check(&store, "moved from the top to the end", &written);
    store
        .update_client(&last.id, &ClientInput::named("Aaa Moved"))
        .unwrap();
    check(&store, "moved from the end to the top", &written);
    store
        .update_client(&middle.id, &ClientInput::named("Client 350 b"))
        .unwrap();
    check(&store, "saved as it was", &written);
    store
        .update_client(
            &middle.id,
            &ClientInput {
                name: "Client 350 b".into(),
                email: "zora@example.com".into(),
                ..Default::default()
            },
        )
        .unwrap();
    check(&store, "an email added", &written);
    assert_eq!(
        LIST_READS.load(std::sync::atomic::Ordering::SeqCst),
        reads,
        "the list in order was read again after a client was written"
    );
    store.connection().trace_v2(TraceEventCodes::empty(), None);
}

statement_count!(
    /// How often the money owed was read for the whole practice.
    OWING_READS,
    count_owing_reads,
    "WHERE b.owed_minor <> 0"
);

/// A filter's list (here: who owes money) is worked out whole once and kept
/// while the window scrolls through it, and forgotten on each change: a
/// write through this store (an operation, or plain SQL on its connection),
/// a write through another connection, a new day, and a write rolled back
/// after the list was read inside it.
#[test]
fn a_filtered_list_is_kept_while_scrolled_and_forgotten_on_each_change() {
    use punchcard::ops::payments::PaymentInput;
    use punchcard::views::client_list::ClientFilter;
    use punchcard::{SaleInput, TermsInput, Validity};
    let (dir, mut store) = common::practice();
    let mut packages = Vec::new();
    for (name, sold_on) in [
        ("Ana", "2026-10-01"),
        ("Bea", "2026-11-01"),
        ("Cy", "2026-11-20"),
    ] {
        let c = store.create_client(&ClientInput::named(name)).unwrap();
        let p = store
            .sell_package(&SaleInput {
                client_id: c.id.clone(),
                terms: TermsInput::new("Five", 5, "500", Validity::None),
                sold_on: sold_on.into(),
                deposit: "100".into(),
                ..Default::default()
            })
            .unwrap();
        packages.push(p.id);
    }
    let pay = |store: &mut Store, package: &str| {
        store.record_payment(&PaymentInput {
            package_id: package.into(),
            amount: "400".into(),
            date: common::TODAY.into(),
            method: "Card".into(),
            note: String::new(),
        })
    };
    // Who owes, a page of `limit` from `offset`: names and days overdue.
    let owes = |store: &Store, offset: u32, limit: u32| -> Vec<(String, u32)> {
        store
            .client_page(&ClientQuery {
                offset,
                limit,
                filter: Some(ClientFilter::Owes),
                ..Default::default()
            })
            .unwrap()
            .rows
            .into_iter()
            .map(|r| (r.name, r.overdue_days))
            .collect()
    };
    let named = |rows: &[(&str, u32)]| -> Vec<(String, u32)> {
        rows.iter().map(|(n, d)| (n.to_string(), *d)).collect()
    };

    store
        .connection()
        .trace_v2(TraceEventCodes::SQLITE_TRACE_STMT, Some(count_owing_reads));
    let reads = || OWING_READS.load(std::sync::atomic::Ordering::SeqCst);
    assert_eq!(owes(&store, 0, 2), named(&[("Ana", 55), ("Bea", 24)]));
    let first = reads();
    assert!(first > 0, "the list was read");
    // Scrolled: the next page, and the first again, from the list kept.
    assert_eq!(owes(&store, 2, 2), named(&[("Cy", 5)]));
    assert_eq!(owes(&store, 0, 3).len(), 3);
    assert_eq!(reads(), first, "a page of the same list read it again");

    // A write through this store.
    pay(&mut store, &packages[1]).unwrap();
    assert_eq!(owes(&store, 0, 3), named(&[("Ana", 55), ("Cy", 5)]));
    assert!(reads() > first, "the list was not read again after a write");

    // A write through another connection, seen by a reader's list.
    let mut reader = Store::open_reader(dir.path().join("practice.sqlite3")).unwrap();
    reader.set_clock(Box::new(common::noon_today));
    assert_eq!(owes(&reader, 0, 3), named(&[("Ana", 55), ("Cy", 5)]));
    pay(&mut store, &packages[2]).unwrap();
    assert_eq!(owes(&reader, 0, 3), named(&[("Ana", 55)]));

    // A write through this store's connection outside an operation (as a
    // test or a script might make).
    assert_eq!(owes(&store, 0, 3), named(&[("Ana", 55)]));
    store
        .connection()
        .execute(
            "UPDATE clients SET name = 'Ana Lima' WHERE name = 'Ana'",
            [],
        )
        .unwrap();
    assert_eq!(owes(&store, 0, 3), named(&[("Ana Lima", 55)]));

    // A new day: the days overdue move on.
    store.set_clock(Box::new(|| common::noon_today() + chrono::Days::new(1)));
    assert_eq!(owes(&store, 0, 3), named(&[("Ana Lima", 56)]));

    // A write rolled back after the list was read inside it.
    let rolled_back = store.batch(|s| {
        pay(s, &packages[0])?;
        assert!(owes(s, 0, 3).is_empty());
        Err::<(), _>(punchcard::Error::Conflict("stopped".into()))
    });
    assert!(rolled_back.is_err());
    assert_eq!(owes(&store, 0, 3), named(&[("Ana Lima", 56)]));
}
