//! The bad-input catalogue: every command, fed what a careless user, a paste
//! from elsewhere or a curious one would type. Each bad value gets an error
//! that names its field (or, for an id, says the thing does not exist), and
//! the practice file is byte-for-byte unchanged. Unusual but valid text
//! (right-to-left, emoji, SQL, spreadsheet formulas) is kept exactly.

mod common;

use punchcard::domain::attention::FollowUp;
use punchcard::ops::payments::{
    CancelSaleInput, InstalmentInput, PaymentInput, PlanInput, RefundInput,
};
use punchcard::ops::renewals::{ExtendInput, FollowUpInput, PauseInput};
use punchcard::views::reports::ReportQuery;

use std::path::{Path, PathBuf};

use punchcard::ops::bookings::ScheduleInput;
use punchcard::ops::ledger::{AdjustInput, TransferInput};
use punchcard::{
    ClientInput, ErrorKind, LogSessionInput, PracticeInput, SaleInput, Store, TermsInput, Validity,
};

const MEGABYTE: usize = 1 << 20;

fn big() -> String {
    "x".repeat(MEGABYTE)
}

/// Values a required line of text must refuse.
fn bad_required_text() -> Vec<String> {
    vec![
        String::new(),
        "   ".into(),
        "\u{200B}".into(),
        "\u{FEFF}".into(),
        "\u{200B}\u{FEFF}\u{2060}".into(),
        "a\u{0}b".into(),
        "\u{0}".into(),
        "\u{1b}[31mred\u{1b}[0m".into(),
        "bell\u{7}".into(),
        big(),
    ]
}

/// Values an optional line must refuse.
fn bad_optional_text() -> Vec<String> {
    vec![
        "a\u{0}b".into(),
        "\u{1b}[2J".into(),
        "\u{7f}del".into(),
        big(),
    ]
}

/// Values a whole number from 1 to `max` must refuse.
fn bad_counts(max: u32) -> Vec<String> {
    let above = (max + 1).to_string();
    [
        "",
        " ",
        "-1",
        "0",
        above.as_str(),
        "1.5",
        "ten",
        "1e3",
        "99999999999999999999",
        "٣",
        "\u{0}",
    ]
    .map(String::from)
    .to_vec()
}

fn bad_money() -> Vec<String> {
    [
        "",
        "-5",
        "-0.01",
        "(5)",
        "1e5",
        "12.345",
        "1,20,0",
        "abc",
        "99999999999",
        "9999999999999999",
        "1.2.3",
        "€",
        "\u{0}5",
    ]
    .map(String::from)
    .to_vec()
}

fn bad_dates() -> Vec<String> {
    [
        "",
        "26-11-25",
        "202-11-25",
        "0000-01-01",
        "-0001-01-01",
        "9999-12-31",
        "+10000-01-01",
        "2026-02-30",
        "2026-13-01",
        "31/12/2026",
        "yesterday",
        "2026-11-25T10:00",
        "\u{0}",
    ]
    .map(String::from)
    .to_vec()
}

fn bad_times() -> Vec<String> {
    ["25:00", "12:60", "noon", "9:5:1", "-1:00", "\u{0}"]
        .map(String::from)
        .to_vec()
}

/// Ids of the wrong kind, made up, or hostile.
fn bad_ids() -> Vec<String> {
    [
        "",
        "pk_00000000000000000000000000000001",
        "cl_does_not_exist",
        "'; DROP TABLE clients; --",
        "cl_1' OR '1'='1",
        "\u{0}",
    ]
    .map(String::from)
    .to_vec()
}

/// Unusual text that is valid and must come back exactly as typed.
fn unusual_but_valid() -> Vec<&'static str> {
    vec![
        "שרה כהן",
        "محمد علي",
        "Zoë 👩🏽‍⚕️ Ångström",
        "Robert'); DROP TABLE clients;--",
        "=HYPERLINK(\"http://evil\")",
        "+351 912 345 678",
        "@handle",
    ]
}

/// The practice file and its `-wal`, as bytes.
fn snapshot(path: &Path) -> (Vec<u8>, Vec<u8>) {
    let mut wal = path.as_os_str().to_owned();
    wal.push("-wal");
    (
        std::fs::read(path).unwrap(),
        std::fs::read(PathBuf::from(wal)).unwrap_or_default(),
    )
}

struct Catalogue {
    _dir: tempfile::TempDir,
    path: PathBuf,
    store: Store,
    client: String,
    offering: String,
    entry: String,
    package: String,
    booking: String,
    tried: Vec<(&'static str, usize)>,
}

impl Catalogue {
    fn new() -> Self {
        let (dir, mut store) = common::practice();
        let client = store
            .create_client(&ClientInput::named("Ana Souza"))
            .unwrap()
            .id;
        let offering = store
            .create_offering(&TermsInput::new("Ten", 10, "800", Validity::None))
            .unwrap()
            .id;
        let package = store
            .sell_package(&SaleInput {
                client_id: client.clone(),
                offering_id: Some(offering.clone()),
                sold_on: common::TODAY.into(),
                ..Default::default()
            })
            .unwrap()
            .id;
        let booking = store
            .schedule(&ScheduleInput {
                client_id: client.clone(),
                date: "2026-11-27".into(),
                time: "09:00".into(),
                ..Default::default()
            })
            .unwrap()
            .session_ids
            .remove(0);
        let entry = store
            .log_session(&LogSessionInput {
                client_id: client.clone(),
                date: common::TODAY.into(),
                ..Default::default()
            })
            .unwrap()
            .entry_id
            .unwrap();
        store.checkpoint().unwrap();
        let path = dir.path().join("practice.sqlite3");
        Catalogue {
            _dir: dir,
            path,
            store,
            client,
            offering,
            entry,
            package,
            booking,
            tried: Vec::new(),
        }
    }

    /// Runs `attempt` for each value; each must fail on `field` (or, with
    /// `None`, as not found) and leave the file byte-for-byte unchanged.
    fn refuses<T: std::fmt::Debug>(
        &mut self,
        command: &'static str,
        field: Option<&str>,
        values: Vec<String>,
        attempt: impl Fn(&mut Store, &str) -> punchcard::Result<T>,
    ) {
        self.refuses_as(command, field.ok_or(ErrorKind::NotFound), values, attempt)
    }

    /// As [`Catalogue::refuses`], expecting a field (`Ok`) or a kind of error (`Err`).
    fn refuses_as<T: std::fmt::Debug>(
        &mut self,
        command: &'static str,
        expect: Result<&str, ErrorKind>,
        values: Vec<String>,
        attempt: impl Fn(&mut Store, &str) -> punchcard::Result<T>,
    ) {
        let n = values.len();
        for value in values {
            let before = snapshot(&self.path);
            let shown: String = value.chars().take(40).collect();
            let err = attempt(&mut self.store, &value)
                .expect_err(&format!("{command}: {shown:?} was accepted"));
            match expect {
                Ok(f) => assert!(
                    err.fields().contains(&f),
                    "{command}: {shown:?} blamed {:?}, not {f}: {err}",
                    err.fields()
                ),
                Err(kind) => assert_eq!(err.kind(), kind, "{command}: {shown:?}: {err}"),
            }
            assert!(
                !err.to_string().to_lowercase().contains("constraint"),
                "{command}: raw message: {err}"
            );
            assert!(
                snapshot(&self.path) == before,
                "{command}: {shown:?} changed the file"
            );
        }
        match self.tried.iter_mut().find(|(c, _)| *c == command) {
            Some((_, count)) => *count += n,
            None => self.tried.push((command, n)),
        }
    }
}

fn terms(f: impl Fn(&mut TermsInput)) -> TermsInput {
    let mut t = TermsInput::new("Ten", 10, "800", Validity::None);
    f(&mut t);
    t
}

#[test]
fn every_command_refuses_bad_input_by_name_and_changes_nothing() {
    let mut c = Catalogue::new();
    let client = c.client.clone();
    let offering = c.offering.clone();
    let entry = c.entry.clone();

    // Settings.
    let practice = |f: &dyn Fn(&mut PracticeInput)| {
        let mut p = PracticeInput::first_run("Move Well", "EUR", "Europe/Lisbon");
        f(&mut p);
        p
    };
    c.refuses(
        "save_practice",
        Some("name"),
        bad_required_text(),
        |s, v| s.save_practice(&practice(&|p| p.name = v.into())),
    );
    c.refuses(
        "save_practice",
        Some("currency"),
        ["", "EURO", "XYZ", "eu", "€", "'--"]
            .map(String::from)
            .to_vec(),
        |s, v| s.save_practice(&practice(&|p| p.currency = v.into())),
    );
    c.refuses(
        "save_practice",
        Some("timeZone"),
        ["", "Mars/Base", "UTC+25", "\u{0}"]
            .map(String::from)
            .to_vec(),
        |s, v| s.save_practice(&practice(&|p| p.time_zone = v.into())),
    );
    c.refuses(
        "save_practice",
        Some("lowBalanceThreshold"),
        bad_counts(1000).into_iter().filter(|v| v != "0").collect(),
        |s, v| s.save_practice(&practice(&|p| p.low_balance_threshold = v.into())),
    );
    c.refuses(
        "save_practice",
        Some("currency"),
        vec!["USD".into()],
        |s, v| s.save_practice(&practice(&|p| p.currency = v.into())),
    );

    // Clients.
    for (command, update) in [("create_client", false), ("update_client", true)] {
        let id = client.clone();
        let run = move |s: &mut Store, input: ClientInput| {
            if update {
                s.update_client(&id, &input)
            } else {
                s.create_client(&input)
            }
        };
        let run2 = run.clone();
        c.refuses(command, Some("name"), bad_required_text(), move |s, v| {
            run2(s, ClientInput::named(v))
        });
        let run2 = run.clone();
        c.refuses(
            command,
            Some("email"),
            ["x", "a@b", "a b@c.com", "@c.com", "a@.com", "a@b.c\u{0}"]
                .map(String::from)
                .into_iter()
                .chain(bad_optional_text())
                .collect(),
            move |s, v| {
                run2(
                    s,
                    ClientInput {
                        email: v.into(),
                        ..ClientInput::named("Ana")
                    },
                )
            },
        );
        let run2 = run.clone();
        c.refuses(
            command,
            Some("phone"),
            ["call me", "---", "()"]
                .map(String::from)
                .into_iter()
                .chain(bad_optional_text())
                .collect(),
            move |s, v| {
                run2(
                    s,
                    ClientInput {
                        phone: v.into(),
                        ..ClientInput::named("Ana")
                    },
                )
            },
        );
        c.refuses(
            command,
            Some("notes"),
            vec!["\u{0}".into(), "\u{1b}[31m".into(), "y".repeat(20_001)],
            move |s, v| {
                run(
                    s,
                    ClientInput {
                        notes: v.into(),
                        ..ClientInput::named("Ana")
                    },
                )
            },
        );
    }
    c.refuses("update_client", None, bad_ids(), |s, v| {
        s.update_client(v, &ClientInput::named("Ana"))
    });

    // Offerings.
    for (command, update) in [("create_offering", false), ("update_offering", true)] {
        let id = offering.clone();
        let run = move |s: &mut Store, t: TermsInput| {
            if update {
                s.update_offering(&id, &t)
            } else {
                s.create_offering(&t)
            }
        };
        let r = run.clone();
        c.refuses(command, Some("name"), bad_required_text(), move |s, v| {
            r(s, terms(|t| t.name = v.into()))
        });
        let r = run.clone();
        c.refuses(command, Some("sessions"), bad_counts(1000), move |s, v| {
            r(s, terms(|t| t.sessions = v.into()))
        });
        let r = run.clone();
        c.refuses(command, Some("price"), bad_money(), move |s, v| {
            r(s, terms(|t| t.price = v.into()))
        });
        let r = run.clone();
        c.refuses(
            command,
            Some("validityDays"),
            bad_counts(3660),
            move |s, v| {
                r(
                    s,
                    terms(|t| {
                        t.validity_kind = "days".into();
                        t.validity_days = v.into();
                    }),
                )
            },
        );
        let r = run.clone();
        c.refuses(command, Some("validUntil"), bad_dates(), move |s, v| {
            r(
                s,
                terms(|t| {
                    t.validity_kind = "until".into();
                    t.valid_until = v.into();
                }),
            )
        });
        let r = run.clone();
        c.refuses(
            command,
            Some("validityKind"),
            ["forever", "DAYS", "\u{0}"].map(String::from).to_vec(),
            move |s, v| r(s, terms(|t| t.validity_kind = v.into())),
        );
        let r = run.clone();
        c.refuses(
            command,
            Some("lateCancelHours"),
            ["-1", "721", "1.5", "a day"].map(String::from).to_vec(),
            move |s, v| r(s, terms(|t| t.late_cancel_hours = v.into())),
        );
        c.refuses(
            command,
            Some("service"),
            bad_optional_text(),
            move |s, v| run(s, terms(|t| t.service = v.into())),
        );
    }
    c.refuses("update_offering", None, bad_ids(), |s, v| {
        s.update_offering(v, &terms(|_| {}))
    });
    c.refuses("set_offering_retired", None, bad_ids(), |s, v| {
        s.set_offering_retired(v, true)
    });

    // Sales.
    let sale = |f: &dyn Fn(&mut SaleInput)| {
        let mut s = SaleInput {
            client_id: client.clone(),
            offering_id: None,
            terms: terms(|_| {}),
            sold_on: common::TODAY.into(),
            paid_now: true,
            payment_method: "Card".into(),
            ..Default::default()
        };
        f(&mut s);
        s
    };
    c.refuses("sell_package", Some("soldOn"), bad_dates(), |s, v| {
        s.sell_package(&sale(&|x| x.sold_on = v.into()))
    });
    c.refuses("sell_package", Some("price"), bad_money(), |s, v| {
        s.sell_package(&sale(&|x| x.terms.price = v.into()))
    });
    c.refuses(
        "sell_package",
        Some("sessions"),
        bad_counts(1000),
        |s, v| s.sell_package(&sale(&|x| x.terms.sessions = v.into())),
    );
    c.refuses("sell_package", Some("name"), bad_required_text(), |s, v| {
        s.sell_package(&sale(&|x| x.terms.name = v.into()))
    });
    c.refuses(
        "sell_package",
        Some("paymentMethod"),
        bad_optional_text(),
        |s, v| s.sell_package(&sale(&|x| x.payment_method = v.into())),
    );
    c.refuses("sell_package", None, bad_ids(), |s, v| {
        s.sell_package(&sale(&|x| x.client_id = v.into()))
    });
    c.refuses("sell_package", None, bad_ids(), |s, v| {
        s.sell_package(&sale(&|x| x.offering_id = Some(v.into())))
    });

    // Sessions.
    let log = |f: &dyn Fn(&mut LogSessionInput)| {
        let mut l = LogSessionInput {
            client_id: client.clone(),
            date: common::TODAY.into(),
            ..Default::default()
        };
        f(&mut l);
        l
    };
    c.refuses(
        "log_session",
        Some("date"),
        bad_dates()
            .into_iter()
            .chain(["2026-11-26".to_owned()])
            .collect(),
        |s, v| s.log_session(&log(&|l| l.date = v.into())),
    );
    c.refuses("log_session", Some("time"), bad_times(), |s, v| {
        s.log_session(&log(&|l| l.time = v.into()))
    });
    c.refuses(
        "log_session",
        Some("note"),
        vec!["\u{0}".into(), "\u{1b}[1m".into(), "n".repeat(2001)],
        |s, v| s.log_session(&log(&|l| l.note = v.into())),
    );
    c.refuses(
        "log_session",
        Some("service"),
        bad_optional_text(),
        |s, v| s.log_session(&log(&|l| l.service = v.into())),
    );
    c.refuses("log_session", None, bad_ids(), |s, v| {
        s.log_session(&log(&|l| l.client_id = v.into()))
    });

    // Reversals.
    c.refuses("reverse_entry", None, bad_ids(), |s, v| {
        s.reverse_entry(v, "")
    });
    c.refuses(
        "reverse_entry",
        Some("note"),
        vec!["\u{0}".into(), "r".repeat(2001)],
        |s, v| s.reverse_entry(&entry, v),
    );

    // Bookings.
    let book = |f: &dyn Fn(&mut ScheduleInput)| {
        let mut b = ScheduleInput {
            client_id: client.clone(),
            date: "2026-11-30".into(),
            time: "10:00".into(),
            ..Default::default()
        };
        f(&mut b);
        b
    };
    c.refuses(
        "schedule",
        Some("date"),
        bad_dates()
            .into_iter()
            .chain(["2026-11-24".to_owned()])
            .collect(),
        |s, v| s.schedule(&book(&|b| b.date = v.into())),
    );
    c.refuses(
        "schedule",
        Some("time"),
        bad_times().into_iter().chain([String::new()]).collect(),
        |s, v| s.schedule(&book(&|b| b.time = v.into())),
    );
    c.refuses(
        "schedule",
        Some("duration"),
        ["0", "4", "721", "1.5", "an hour", "-60"]
            .map(String::from)
            .to_vec(),
        |s, v| s.schedule(&book(&|b| b.duration = v.into())),
    );
    c.refuses(
        "schedule",
        Some("weeks"),
        bad_counts(52)
            .into_iter()
            .filter(|w| !w.trim().is_empty())
            .collect(),
        |s, v| s.schedule(&book(&|b| b.weeks = v.into())),
    );
    c.refuses("schedule", Some("service"), bad_optional_text(), |s, v| {
        s.schedule(&book(&|b| b.service = v.into()))
    });
    c.refuses(
        "schedule",
        Some("note"),
        vec!["\u{0}".into(), "n".repeat(2001)],
        |s, v| s.schedule(&book(&|b| b.note = v.into())),
    );
    c.refuses(
        "schedule",
        Some("clientId"),
        vec![String::new(), "  ".into()],
        |s, v| s.schedule(&book(&|b| b.client_id = v.into())),
    );
    c.refuses(
        "schedule",
        None,
        bad_ids()
            .into_iter()
            .filter(|i| !i.trim().is_empty())
            .collect(),
        |s, v| s.schedule(&book(&|b| b.client_id = v.into())),
    );
    c.refuses(
        "schedule",
        Some("packageId"),
        bad_ids()
            .into_iter()
            .filter(|i| !i.trim().is_empty())
            .collect(),
        |s, v| s.schedule(&book(&|b| b.package_id = Some(v.into()))),
    );
    let booking = c.booking.clone();
    c.refuses(
        "reschedule",
        Some("date"),
        bad_dates()
            .into_iter()
            .chain(["2026-11-24".to_owned()])
            .collect(),
        |s, v| s.reschedule(&booking, v, "10:00"),
    );
    c.refuses(
        "reschedule",
        Some("time"),
        bad_times().into_iter().chain([String::new()]).collect(),
        |s, v| s.reschedule(&booking, "2026-11-28", v),
    );
    c.refuses(
        "reschedule",
        Some("date"),
        vec!["2026-11-27".into()],
        |s, _| s.reschedule(&booking, "2026-11-27", "09:00"),
    );
    c.refuses("reschedule", None, bad_ids(), |s, v| {
        s.reschedule(v, "2026-11-28", "10:00")
    });
    c.refuses(
        "cancel_session",
        Some("reason"),
        bad_required_text(),
        |s, v| s.cancel_session(&booking, Some(v)),
    );
    c.refuses("cancel_session", None, bad_ids(), |s, v| {
        s.cancel_session(v, None)
    });
    c.refuses("complete_session", None, bad_ids(), |s, v| {
        s.complete_session(v, false)
    });
    c.refuses("mark_no_show", None, bad_ids(), |s, v| s.mark_no_show(v));
    c.refuses("reopen_booking", None, bad_ids(), |s, v| {
        s.reopen_booking(v)
    });
    c.refuses_as(
        "complete_session",
        Err(ErrorKind::Conflict),
        vec![booking.clone()],
        |s, v| s.complete_session(v, false),
    );
    c.refuses(
        "waive_forfeit",
        Some("reason"),
        bad_required_text(),
        |s, v| s.waive_forfeit(&entry, v),
    );
    c.refuses(
        "waive_forfeit",
        None,
        bad_ids().into_iter().skip(1).collect(),
        |s, v| s.waive_forfeit(v, "Flu"),
    );
    c.refuses(
        "agenda",
        Some("date"),
        bad_dates().into_iter().skip(1).collect(),
        |s, v| s.agenda_from_text(v, 7, punchcard::views::agenda::AgendaAsk::First(50)),
    );

    // Adjustments and transfers.
    let package = c.package.clone();
    let adjust = |f: &dyn Fn(&mut AdjustInput)| {
        let mut a = AdjustInput {
            package_id: package.clone(),
            sessions: "+1".into(),
            reason: "Bonus".into(),
            date: String::new(),
        };
        f(&mut a);
        a
    };
    c.refuses(
        "adjust_credits",
        Some("sessions"),
        [
            "",
            "0",
            "+0",
            "-10",
            "-1000",
            "1.5",
            "two",
            "+-1",
            "99999999999",
            "\u{0}",
        ]
        .map(String::from)
        .to_vec(),
        |s, v| s.adjust_credits(&adjust(&|a| a.sessions = v.into())),
    );
    c.refuses(
        "adjust_credits",
        Some("reason"),
        bad_required_text(),
        |s, v| s.adjust_credits(&adjust(&|a| a.reason = v.into())),
    );
    c.refuses(
        "adjust_credits",
        Some("date"),
        bad_dates()
            .into_iter()
            .skip(1)
            .chain(["2026-11-26".to_owned()])
            .collect(),
        |s, v| s.adjust_credits(&adjust(&|a| a.date = v.into())),
    );
    c.refuses("adjust_credits", None, bad_ids(), |s, v| {
        s.adjust_credits(&adjust(&|a| a.package_id = v.into()))
    });
    let transfer = |f: &dyn Fn(&mut TransferInput)| {
        let mut t = TransferInput {
            from_package_id: package.clone(),
            to_package_id: package.clone(),
            sessions: "1".into(),
            reason: "For her son".into(),
            date: String::new(),
        };
        f(&mut t);
        t
    };
    c.refuses_as(
        "transfer_credits",
        Err(ErrorKind::Validation),
        vec![package.clone()],
        |s, v| s.transfer_credits(&transfer(&|t| t.to_package_id = v.into())),
    );
    c.refuses(
        "transfer_credits",
        Some("reason"),
        bad_required_text(),
        |s, v| s.transfer_credits(&transfer(&|t| t.reason = v.into())),
    );
    c.refuses("transfer_credits", None, bad_ids(), |s, v| {
        s.transfer_credits(&transfer(&|t| t.from_package_id = v.into()))
    });

    // Files the user picks to write.
    let practice_file = c.path.display().to_string();
    let folder = c.path.parent().unwrap().display().to_string();
    let targets = vec![
        practice_file.clone(),
        format!("{practice_file}-wal"),
        format!("{practice_file}-shm"),
        format!("{practice_file}-journal"),
        format!(
            "{folder}/../{}/practice.sqlite3",
            c.path
                .parent()
                .unwrap()
                .file_name()
                .unwrap()
                .to_string_lossy()
        ),
        folder.clone(),
        "/dev/null".into(),
        format!("{folder}/no such folder/out.csv"),
        String::new(),
    ];
    let id = client.clone();
    c.refuses_as(
        "export_history",
        Err(ErrorKind::Conflict),
        targets.clone(),
        move |s, v| s.export_history(&id, Path::new(v)),
    );
    c.refuses_as("back_up_to", Err(ErrorKind::Conflict), targets, |s, v| {
        s.back_up_to(Path::new(v))
    });
    c.refuses("export_history", None, bad_ids(), |s, v| {
        s.export_history(v, Path::new("/tmp/never-written.csv"))
    });

    // Money.
    let package = c.package.clone();
    let pay = |f: &dyn Fn(&mut PaymentInput)| {
        let mut p = PaymentInput {
            package_id: package.clone(),
            amount: "100".into(),
            date: common::TODAY.into(),
            method: "Cash".into(),
            note: String::new(),
        };
        f(&mut p);
        p
    };
    c.refuses(
        "record_payment",
        Some("amount"),
        [bad_money(), vec!["0".into(), "0.00".into()]].concat(),
        |s, v| s.record_payment(&pay(&|x| x.amount = v.into())),
    );
    c.refuses(
        "record_payment",
        Some("date"),
        [bad_dates()[1..].to_vec(), vec!["2026-11-26".into()]].concat(),
        |s, v| s.record_payment(&pay(&|x| x.date = v.into())),
    );
    c.refuses(
        "record_payment",
        Some("method"),
        vec!["Cheque".into(), "Bitcoin".into(), "\u{0}".into()],
        |s, v| s.record_payment(&pay(&|x| x.method = v.into())),
    );
    c.refuses(
        "record_payment",
        Some("note"),
        bad_optional_text(),
        |s, v| s.record_payment(&pay(&|x| x.note = v.into())),
    );
    c.refuses("record_payment", None, bad_ids(), |s, v| {
        s.record_payment(&pay(&|x| x.package_id = v.into()))
    });
    let package = c.package.clone();
    let refund = |f: &dyn Fn(&mut RefundInput)| {
        let mut r = RefundInput {
            package_id: package.clone(),
            amount: "10".into(),
            method: "Cash".into(),
            ..Default::default()
        };
        f(&mut r);
        r
    };
    // Nothing was paid on the package: any refund is more than was paid.
    c.refuses(
        "record_refund",
        Some("amount"),
        [bad_money(), vec!["10".into()]].concat(),
        |s, v| s.record_refund(&refund(&|x| x.amount = v.into())),
    );
    c.refuses(
        "record_refund",
        Some("takeBack"),
        vec!["-1".into(), "abc".into(), "10".into(), "1.5".into()],
        |s, v| s.record_refund(&refund(&|x| x.take_back = v.into())),
    );
    let package = c.package.clone();
    let row = |d: &str, a: &str| InstalmentInput {
        due_on: d.into(),
        amount: a.into(),
    };
    c.refuses(
        "set_plan",
        Some("plan.0.dueOn"),
        [bad_dates(), vec!["2026-11-24".into()]].concat(),
        |s, v| {
            s.set_plan(&PlanInput {
                package_id: package.clone(),
                instalments: vec![row(v, "400"), row("2026-12-25", "400")],
            })
        },
    );
    let package = c.package.clone();
    c.refuses("set_plan", Some("plan.1.amount"), bad_money(), |s, v| {
        s.set_plan(&PlanInput {
            package_id: package.clone(),
            instalments: vec![row("2026-11-25", "400"), row("2026-12-25", v)],
        })
    });
    let package = c.package.clone();
    c.refuses(
        "set_plan",
        Some("plan"),
        vec!["399.99".into(), "400.01".into(), "1".into()],
        |s, v| {
            s.set_plan(&PlanInput {
                package_id: package.clone(),
                instalments: vec![row("2026-11-25", "400"), row("2026-12-25", v)],
            })
        },
    );
    c.refuses("cancel_sale", None, bad_ids(), |s, v| {
        s.cancel_sale(&CancelSaleInput {
            package_id: v.into(),
            ..Default::default()
        })
    });
    c.refuses(
        "reports",
        Some("from"),
        bad_dates()[1..].to_vec(),
        |s, v| {
            s.reports(&ReportQuery {
                from: v.into(),
                to: String::new(),
            })
        },
    );
    c.refuses("reports", Some("to"), bad_dates()[1..].to_vec(), |s, v| {
        s.reports(&ReportQuery {
            from: String::new(),
            to: v.into(),
        })
    });

    // Renewals.
    let package = c.package.clone();
    c.refuses(
        "set_follow_up",
        Some("until"),
        [bad_dates(), vec![common::TODAY.into(), "2026-11-01".into()]].concat(),
        |s, v| {
            s.set_follow_up(&FollowUpInput {
                package_id: package.clone(),
                state: FollowUp::Snoozed,
                until: v.into(),
            })
        },
    );
    c.refuses("set_follow_up", None, bad_ids(), |s, v| {
        s.set_follow_up(&FollowUpInput {
            package_id: v.into(),
            state: FollowUp::Offered,
            until: String::new(),
        })
    });
    // The catalogue's package never expires: nothing to extend, whatever the day.
    let package = c.package.clone();
    c.refuses(
        "extend_package",
        Some("until"),
        [bad_dates(), vec!["2027-01-01".into()]].concat(),
        |s, v| {
            s.extend_package(&ExtendInput {
                package_id: package.clone(),
                until: v.into(),
                reason: "Holiday".into(),
            })
        },
    );
    let package = c.package.clone();
    c.refuses(
        "extend_package",
        Some("reason"),
        bad_required_text(),
        |s, v| {
            s.extend_package(&ExtendInput {
                package_id: package.clone(),
                until: "2027-01-01".into(),
                reason: v.into(),
            })
        },
    );
    c.refuses("extend_package", None, bad_ids(), |s, v| {
        s.extend_package(&ExtendInput {
            package_id: v.into(),
            until: "2027-01-01".into(),
            reason: "Holiday".into(),
        })
    });

    // Pauses: the catalogue's package was sold before the catalogue's dates.
    let package = c.package.clone();
    c.refuses("pause_package", Some("from"), bad_dates(), |s, v| {
        s.pause_package(&PauseInput {
            package_id: package.clone(),
            from: v.into(),
            until: "2027-01-10".into(),
            reason: "Holiday".into(),
        })
    });
    let package = c.package.clone();
    c.refuses(
        "pause_package",
        Some("until"),
        [bad_dates(), vec!["2026-12-31".into(), "2040-01-01".into()]].concat(),
        |s, v| {
            s.pause_package(&PauseInput {
                package_id: package.clone(),
                from: "2027-01-01".into(),
                until: v.into(),
                reason: "Holiday".into(),
            })
        },
    );
    let package = c.package.clone();
    c.refuses(
        "pause_package",
        Some("reason"),
        bad_required_text(),
        |s, v| {
            s.pause_package(&PauseInput {
                package_id: package.clone(),
                from: "2027-01-01".into(),
                until: "2027-01-10".into(),
                reason: v.into(),
            })
        },
    );
    c.refuses("pause_package", None, bad_ids(), |s, v| {
        s.pause_package(&PauseInput {
            package_id: v.into(),
            from: "2027-01-01".into(),
            until: "2027-01-10".into(),
            reason: "Holiday".into(),
        })
    });

    c.refuses(
        "set_reminder_template",
        Some("text"),
        bad_optional_text(),
        |s, v| s.set_reminder_template(v),
    );

    let total: usize = c.tried.iter().map(|(_, n)| n).sum();
    eprintln!("bad inputs tried, by command:");
    for (command, n) in &c.tried {
        eprintln!("  {command}: {n}");
    }
    eprintln!("  total: {total}");
    assert!(total > 300, "the catalogue shrank to {total}");
}

#[test]
fn unusual_but_valid_text_is_kept_exactly() {
    let (_dir, mut store) = common::practice();
    for text in unusual_but_valid() {
        let c = store
            .create_client(&ClientInput {
                name: text.into(),
                notes: format!("{text}\nsecond line"),
                ..Default::default()
            })
            .unwrap();
        let back = store.client(&c.id).unwrap();
        assert_eq!(back.name, text);
        assert_eq!(back.notes, format!("{text}\nsecond line"));
        let o = store
            .create_offering(&TermsInput {
                service: text.into(),
                ..TermsInput::new(text, 5, "100", Validity::None)
            })
            .unwrap();
        assert_eq!((o.name.as_str(), o.service.as_str()), (text, text));
    }
    // Line breaks in one-line fields become spaces, the same in every field.
    let o = store
        .create_offering(&TermsInput::new(
            "Ten\r\nsessions",
            10,
            "800",
            Validity::None,
        ))
        .unwrap();
    assert_eq!(o.name, "Ten sessions");
    assert_eq!(
        store.client_list("").unwrap().len(),
        unusual_but_valid().len()
    );
}
