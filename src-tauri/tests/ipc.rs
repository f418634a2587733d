//! The commands as the UI calls them: registered under the names the bindings
//! use, taking camelCase arguments, and answering in the shapes the UI expects
//! (money as decimal strings, days as `YYYY-MM-DD`, errors as
//! `{ kind, message, field }`).

use punchcard_app::AppState;
use serde_json::{json, Value};
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{get_ipc_response, mock_builder, MockRuntime, INVOKE_KEY};
use tauri::webview::{InvokeRequest, WebviewWindow};
use tauri::WebviewWindowBuilder;

struct Harness {
    _dir: tempfile::TempDir,
    _app: tauri::App<MockRuntime>,
    window: WebviewWindow<MockRuntime>,
}

fn harness() -> Harness {
    harness_picking(|_| None)
}

/// A harness whose file dialogs answer `answer(folder of the practice)`.
fn harness_picking(answer: impl Fn(&std::path::Path) -> Option<std::path::PathBuf>) -> Harness {
    harness_replacing(answer, true)
}

/// The same, answering `replace` when asked to replace an existing file.
fn harness_replacing(
    answer: impl Fn(&std::path::Path) -> Option<std::path::PathBuf>,
    replace: bool,
) -> Harness {
    let dir = tempfile::tempdir().unwrap();
    let state = AppState::open(dir.path().join("ipc.sqlite3"));
    harness_on(dir, state, answer, replace)
}

/// A harness on this practice, in `dir`.
fn harness_on(
    dir: tempfile::TempDir,
    state: AppState,
    answer: impl Fn(&std::path::Path) -> Option<std::path::PathBuf>,
    replace: bool,
) -> Harness {
    let picked = answer(dir.path());
    let builder = punchcard_app::specta_builder!(MockRuntime);
    let app = mock_builder()
        .invoke_handler(builder.invoke_handler())
        .manage(state)
        // File dialogs answer what the test says: no window ever opens here.
        .manage(punchcard_app::picker::Picker::answering(picked, replace))
        // The real context: the same capabilities and ACL as the app.
        .build(tauri::generate_context!())
        .unwrap();
    builder.mount_events(&app);
    let window = WebviewWindowBuilder::new(&app, "main", Default::default())
        .build()
        .unwrap();
    Harness {
        _dir: dir,
        _app: app,
        window,
    }
}

impl Harness {
    fn call(&self, cmd: &str, args: Value) -> Result<Value, Value> {
        self.call_from("tauri://localhost", cmd, args)
    }

    fn call_from(&self, origin: &str, cmd: &str, args: Value) -> Result<Value, Value> {
        get_ipc_response(
            &self.window,
            InvokeRequest {
                cmd: cmd.into(),
                callback: CallbackFn(0),
                error: CallbackFn(1),
                url: origin.parse().unwrap(),
                body: InvokeBody::Json(args),
                headers: Default::default(),
                invoke_key: INVOKE_KEY.to_string(),
            },
        )
        .map(|body| body.deserialize::<Value>().unwrap())
    }

    fn ok(&self, cmd: &str, args: Value) -> Value {
        self.call(cmd, args)
            .unwrap_or_else(|e| panic!("{cmd} failed: {e}"))
    }
}

#[test]
fn first_run_then_a_sale_and_a_session_round_trip_through_ipc() {
    let h = harness();
    let info = h.ok("app_info", json!({}));
    assert_eq!(info["practice"], Value::Null);
    assert_eq!(info["openError"], Value::Null);
    assert!(info["today"].as_str().unwrap().len() == 10);

    let practice = h.ok(
        "setup_practice",
        json!({ "name": "Move Well", "currency": "eur" }),
    );
    assert_eq!(practice["currency"], "EUR");
    assert_eq!(practice["lowBalanceThreshold"], 2);

    let client = h.ok(
        "create_client",
        json!({ "input": { "name": "Zoë", "email": "", "phone": "", "notes": "" } }),
    );
    let client_id = client["id"].as_str().unwrap().to_owned();
    assert!(client_id.starts_with("cl_"));

    let today = h.ok("app_info", json!({}))["today"]
        .as_str()
        .unwrap()
        .to_owned();
    let sold = h.ok(
        "sell_package",
        json!({ "input": {
            "clientId": client_id, "offeringId": null, "soldOn": today, "paidNow": true,
            "paymentMethod": "Card", "price": "", "discountReason": "", "deposit": "", "plan": [], "renewsId": null, "carryOver": false,
            "terms": { "name": "Ten", "sessions": "10", "price": "800", "validityKind": "days",
                       "validityDays": "90", "validUntil": "", "lateCancelHours": "", "service": "" } } }),
    );
    assert_eq!(sold["price"], "800.00");
    assert_eq!(sold["remaining"], 10);
    assert_eq!(sold["state"], "active");
    assert_eq!(sold["payment"], "paid");
    assert_eq!(sold["validity"], json!({ "kind": "days", "days": 90 }));

    let logged = h.ok(
        "log_session",
        json!({ "input": { "clientId": client_id, "date": today, "time": "09:30", "note": "", "service": "",
                           "packageId": null, "owed": false } }),
    );
    assert_eq!(logged["remaining"], 9);
    let undone = h.ok(
        "reverse_entry",
        json!({ "entryId": logged["entryId"], "note": "" }),
    );
    assert_eq!(undone["remaining"], 10);

    let record = h.ok(
        "client_record",
        json!({ "clientId": client_id, "lines": 100 }),
    );
    let kinds: Vec<&str> = record["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["reversal", "session", "payment", "purchase"]);
    assert_eq!(record["timeline"][2]["amount"], "800.00");
    // The newest lines only, when fewer are asked for.
    let newest = h.ok(
        "client_record",
        json!({ "clientId": client_id, "lines": 2 }),
    );
    assert_eq!(
        newest["timeline"].as_array().unwrap()[..],
        record["timeline"].as_array().unwrap()[..2]
    );
    assert_eq!(newest["timelineMore"], true);

    let page = h.ok(
        "list_clients",
        json!({ "query": { "text": "zoe", "offset": 0, "limit": 50 } }),
    );
    assert_eq!(page["total"], 1);
    assert_eq!(page["rows"][0]["remaining"], 10);
    assert_eq!(page["rows"][0]["total"], 10);

    // A booking shows on the agenda with what it draws from, and completing
    // it draws a credit.
    let booked = h.ok(
        "schedule",
        json!({ "input": { "clientId": client_id, "date": today, "time": "23:30", "duration": "",
                           "service": "", "packageId": null, "weeks": "", "note": "" } }),
    );
    assert_eq!(booked["preview"]["leftAfter"], 9);
    let agenda = h.ok(
        "agenda",
        json!({ "from": "", "days": 1, "ask": { "first": 50 } }),
    );
    assert_eq!(agenda["days"][0]["total"], 2);
    assert_eq!(agenda["more"], 0);
    // (The session logged and undone this morning is on the day too, cancelled.)
    let on_day = agenda["days"][0]["bookings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["status"] == "scheduled")
        .unwrap();
    assert_eq!(on_day["clientName"], "Zoë");
    assert_eq!(on_day["packageName"], "Ten");
    assert_eq!(on_day["leftAfter"], 9);
    assert_eq!(on_day["status"], "scheduled");
    let done = h.ok(
        "complete_session",
        json!({ "sessionId": booked["sessionIds"][0], "owed": false }),
    );
    assert_eq!(done["status"], "completed");
    assert_eq!(done["remaining"], 9);
}

#[test]
fn errors_cross_as_kind_message_and_field() {
    let h = harness();
    let err = h
        .call("setup_practice", json!({ "name": "  ", "currency": "EUR" }))
        .unwrap_err();
    assert_eq!(err["kind"], "Validation");
    assert_eq!(err["fields"][0]["field"], "name");
    assert_eq!(err["fields"][0]["message"], "Give the practice a name.");
    assert_eq!(err["message"], "Give the practice a name.");

    let err = h
        .call(
            "client_record",
            json!({ "clientId": "cl_missing", "lines": 100 }),
        )
        .unwrap_err();
    assert_eq!(err["kind"], "NotFound");
    assert_eq!(err["fields"], json!([]));
}

/// The one command list drives the handler, the bindings and the
/// permissions: every command in it is in the bindings, in the capability's
/// permission set, and answers through the real ACL (neither "not found" nor
/// "not allowed"); and nothing is in one of them that is not in the list.
#[test]
fn the_command_list_the_handler_the_bindings_and_the_permissions_agree() {
    let h = harness();
    let listed: std::collections::BTreeSet<&str> =
        punchcard_app::COMMAND_NAMES.iter().copied().collect();
    assert_eq!(
        listed.len(),
        punchcard_app::COMMAND_NAMES.len(),
        "a command is listed twice"
    );

    let bindings = include_str!("../../ui/src/lib/bindings.ts");
    let bound: std::collections::BTreeSet<&str> = bindings
        .split("__TAURI_INVOKE")
        .skip(2)
        .filter_map(|part| part.split('"').nth(1))
        .collect();
    assert_eq!(
        bound, listed,
        "ui/src/lib/bindings.ts and src/command_list.rs disagree"
    );

    let permissions = include_str!("../permissions/app.toml");
    let allowed: std::collections::BTreeSet<String> = permissions
        .lines()
        .filter_map(|l| l.trim().strip_prefix("\"allow-"))
        .filter_map(|l| l.strip_suffix("\","))
        .filter(|l| *l != "app-commands")
        .map(|l| l.replace('-', "_"))
        .collect();
    let listed_owned: std::collections::BTreeSet<String> =
        listed.iter().map(|s| s.to_string()).collect();
    assert_eq!(
        allowed, listed_owned,
        "permissions/app.toml and src/command_list.rs disagree"
    );

    for name in &listed {
        // Unknown commands are refused by Tauri ("not found"), commands the
        // capability does not allow are refused by the ACL ("not allowed");
        // known, allowed ones answer with their own (possibly error) payload.
        if let Err(e) = h.call(name, json!({})) {
            let text = e.to_string();
            assert!(!text.contains("not found"), "{name}: {text}");
            assert!(!text.contains("not allowed"), "{name}: {text}");
        }
    }
}

#[test]
fn remote_pages_may_not_call_commands() {
    let h = harness();
    let err = h
        .call_from(
            "https://example.com",
            "list_clients",
            json!({ "query": { "text": "", "offset": 0, "limit": 50 } }),
        )
        .unwrap_err();
    assert!(err.to_string().contains("not allowed"), "{err}");
}

#[test]
fn a_write_tells_the_ui_what_changed_and_a_read_does_not() {
    use std::sync::{Arc, Mutex};
    use tauri_specta::Event;
    let h = harness();
    let heard: Arc<Mutex<Vec<Vec<punchcard::Topic>>>> = Arc::default();
    let sink = heard.clone();
    punchcard_app::DataChanged::listen(h._app.handle(), move |e| {
        sink.lock().unwrap().push(e.payload.topics);
    });
    h.ok(
        "setup_practice",
        json!({ "name": "Move Well", "currency": "EUR" }),
    );
    h.ok(
        "create_client",
        json!({ "input": { "name": "Zoë", "email": "", "phone": "", "notes": "" } }),
    );
    h.ok(
        "list_clients",
        json!({ "query": { "text": "", "offset": 0, "limit": 50 } }),
    );
    let _ = h.call(
        "create_client",
        json!({ "input": { "name": " ", "email": "", "phone": "", "notes": "" } }),
    );
    use punchcard::Topic::*;
    assert_eq!(*heard.lock().unwrap(), vec![vec![Practice], vec![Clients]]);
}

/// A practice from an older Punchcard opens on a thread of its own: until
/// it is up to date the app says so, every command answers that it is busy
/// (nothing is read or written half-way), and then the window is told. A
/// copy of it as it was is kept first, among its snapshots.
#[test]
fn an_older_practice_is_brought_up_to_date_while_the_app_says_so() {
    use std::sync::mpsc;
    use tauri_specta::Event;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("older.sqlite3");
    std::fs::copy(
        concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../tests/fixtures/schema-v15.sqlite3"
        ),
        &path,
    )
    .unwrap();
    // The upgrade waits for this file.
    let release = dir.path().join("release");
    let state = AppState::open_or_upgrade_later(path.clone(), Some(&dir.path().join("snapshots")))
        .hold_upgrade_until(Some(release.clone()));
    let h = harness_on(dir, state, |_| None, true);
    let (heard, changes) = mpsc::channel();
    punchcard_app::DataChanged::listen(h._app.handle(), move |e| {
        let _ = heard.send(e.payload.topics);
    });
    punchcard_app::open_in_background(h._app.handle().clone());

    let info = h.ok("app_info", json!({}));
    assert_eq!(info["upgrading"]["fromVersion"], 15);
    assert_eq!(
        info["upgrading"]["toVersion"],
        punchcard::store::schema_version()
    );
    assert!(info["upgrading"]["fileKilobytes"].as_u64().unwrap() > 0);
    assert_eq!(info["upgrading"]["step"], "keepingACopy");
    assert_eq!(info["practice"], Value::Null);
    assert_eq!(info["openError"], Value::Null);
    let busy = h
        .call(
            "list_clients",
            json!({ "query": { "text": "", "offset": 0, "limit": 50 } }),
        )
        .unwrap_err();
    assert_eq!(busy["kind"], "Busy", "{busy}");
    assert!(
        busy["message"]
            .as_str()
            .unwrap()
            .contains("bringing this practice up to date"),
        "{busy}"
    );
    // Not a byte of the file written yet.
    assert_eq!(
        punchcard::Store::upgrade_due(&path).map(|(from, _)| from),
        Some(15)
    );

    std::fs::write(&release, "").unwrap();
    let topics = changes
        .recv_timeout(std::time::Duration::from_secs(60))
        .expect("the window was told the practice is open");
    assert!(topics.contains(&punchcard::Topic::Practice), "{topics:?}");
    let info = h.ok("app_info", json!({}));
    assert_eq!(info["upgrading"], Value::Null);
    assert_eq!(info["openError"], Value::Null);
    assert_eq!(info["practice"]["name"], "Sample Practice");
    let page = h.ok(
        "list_clients",
        json!({ "query": { "text": "", "offset": 0, "limit": 50 } }),
    );
    assert!(page["total"].as_u64().unwrap() > 0, "{page}");

    // The copy kept before: listed, and the practice as version 15 left it.
    let snapshots = h.ok("list_snapshots", json!({}));
    let kept: Vec<&Value> = snapshots
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["kind"] == "beforeUpgrade")
        .collect();
    assert_eq!(kept.len(), 1, "{snapshots}");
    let file = kept[0]["file"].as_str().unwrap();
    assert!(file.ends_with("-v15.sqlite3"), "{file}");
    let copy = std::fs::read_dir(h._dir.path().join("snapshots"))
        .unwrap()
        .map(|e| e.unwrap().path().join(file))
        .find(|p| p.exists())
        .expect("the copy is in the practice's snapshot folder");
    let copy = rusqlite::Connection::open(copy).unwrap();
    let version: i64 = copy
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    assert_eq!(version, 15);
    let clients: i64 = copy
        .query_row("SELECT count(*) FROM clients", [], |r| r.get(0))
        .unwrap();
    assert_eq!(
        u64::try_from(clients).unwrap(),
        page["total"].as_u64().unwrap()
    );
}

#[test]
fn a_file_picked_onto_the_practice_itself_is_refused_and_the_practice_lives_on() {
    let h = harness_picking(|dir| Some(dir.join("ipc.sqlite3")));
    h.ok(
        "setup_practice",
        json!({ "name": "Move Well", "currency": "EUR" }),
    );
    let client = h.ok(
        "create_client",
        json!({ "input": { "name": "Zoë", "email": "", "phone": "", "notes": "" } }),
    );
    for (cmd, args) in [
        ("export_client_history", json!({ "clientId": client["id"] })),
        ("back_up_now", json!({})),
    ] {
        let err = h.call(cmd, args).unwrap_err();
        assert_eq!(err["kind"], "Conflict", "{cmd}: {err}");
        assert!(
            err["message"]
                .as_str()
                .unwrap()
                .contains("your practice file"),
            "{cmd}: {err}"
        );
    }
    assert_eq!(
        h.ok(
            "list_clients",
            json!({ "query": { "text": "", "offset": 0, "limit": 50 } })
        )["rows"][0]["name"],
        "Zoë"
    );
}

#[test]
fn back_up_now_writes_where_the_user_picked() {
    let h = harness_picking(|dir| Some(dir.join("backup")));
    h.ok(
        "setup_practice",
        json!({ "name": "Move Well", "currency": "EUR" }),
    );
    let done = h.ok("back_up_now", json!({}));
    let path = done["path"].as_str().unwrap();
    assert!(path.ends_with("backup.sqlite3"), "{path}");
    assert!(std::path::Path::new(path).exists());
}

#[test]
fn a_name_typed_without_its_extension_asks_before_replacing_that_file() {
    for replace in [false, true] {
        let h = harness_replacing(
            |dir| {
                std::fs::write(dir.join("Zoë history.csv"), "my own notes").unwrap();
                Some(dir.join("Zoë history"))
            },
            replace,
        );
        h.ok(
            "setup_practice",
            json!({ "name": "Move Well", "currency": "EUR" }),
        );
        let client = h.ok(
            "create_client",
            json!({ "input": { "name": "Zoë", "email": "", "phone": "", "notes": "" } }),
        );
        let done = h.ok("export_client_history", json!({ "clientId": client["id"] }));
        let kept = std::fs::read_to_string(h._dir.path().join("Zoë history.csv")).unwrap();
        if replace {
            assert!(done["path"].as_str().unwrap().ends_with("Zoë history.csv"));
            assert!(kept.contains("date,time,event"), "{kept}");
        } else {
            assert_eq!(done, Value::Null, "cancelled: nothing written");
            assert_eq!(kept, "my own notes");
        }
    }
}
