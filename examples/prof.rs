use std::time::Instant;
fn main() {
    let args: Vec<String> = std::env::args().collect();
    let path = &args[1];
    let what = args[2].as_str();
    let n: usize = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(2000);
    let tmp = if std::env::var("INPLACE").is_ok() {
        std::path::PathBuf::from(path)
    } else {
        let tmp = std::env::temp_dir().join("prof.sqlite3");
        std::fs::copy(path, &tmp).unwrap();
        tmp
    };
    let mut store = punchcard::Store::open(&tmp).unwrap();
    use chrono::TimeZone;
    store.set_clock(Box::new(|| {
        chrono::Utc
            .with_ymd_and_hms(2026, 11, 25, 12, 0, 0)
            .unwrap()
    }));
    let busiest: String = store.connection().query_row(
        "SELECT p.client_id FROM ledger_entries e JOIN packages p ON p.id = e.package_id GROUP BY p.client_id ORDER BY count(*) DESC LIMIT 1", [], |r| r.get(0)).unwrap();
    let today = store.today().unwrap();
    let long = if what.starts_with("log") {
        let entries: u32 = if what == "log1000" { 1000 } else { 2 };
        let c = store
            .create_client(&punchcard::ClientInput::named("Long History"))
            .unwrap();
        store
            .sell_package(&punchcard::SaleInput {
                client_id: c.id.clone(),
                terms: punchcard::TermsInput::new(
                    "Thousand",
                    entries,
                    "1000",
                    punchcard::Validity::None,
                ),
                sold_on: "2024-01-01".into(),
                ..Default::default()
            })
            .unwrap();
        store
            .batch(|s| {
                for i in 1..entries {
                    let day = chrono::NaiveDate::from_ymd_opt(2024, 1, 2).unwrap()
                        + chrono::Days::new(u64::from(i) / 2);
                    s.log_session(&punchcard::LogSessionInput {
                        client_id: c.id.clone(),
                        date: day.to_string(),
                        ..Default::default()
                    })?;
                }
                Ok(())
            })
            .unwrap();
        c.id
    } else {
        String::new()
    };
    if let Ok(m) = std::env::var("MMAP") {
        store
            .connection()
            .execute_batch(&format!("PRAGMA mmap_size = {m};"))
            .unwrap();
    }
    let mut times = Vec::new();
    for _ in 0..n {
        let t = Instant::now();
        match what {
            "csv" => {
                let mut out = Vec::new();
                punchcard::io::history_csv::write_history(&store, &busiest, &mut out).unwrap();
                std::hint::black_box(out);
            }
            "record" => {
                std::hint::black_box(store.client_record(&busiest).unwrap());
            }
            "ana" | "a" | "far" | "zo" | "zoe" | "li" | "liam" | "z" => {
                let q = punchcard::views::client_list::ClientQuery {
                    text: if what == "far" {
                        String::new()
                    } else {
                        what.into()
                    },
                    offset: if what == "far" { 700 } else { 0 },
                    limit: 60,
                    ..Default::default()
                };
                std::hint::black_box(store.client_page(&q).unwrap());
            }
            "history" => {
                std::hint::black_box(store.history(&busiest).unwrap());
            }
            "today" => {
                std::hint::black_box(store.agenda(today, 14).unwrap());
            }
            "attention" => {
                std::hint::black_box(store.needs_attention().unwrap());
            }
            "reports" => {
                std::hint::black_box(store.reports(&Default::default()).unwrap());
            }
            "owes" => {
                std::hint::black_box(
                    store
                        .client_page(&punchcard::views::client_list::ClientQuery {
                            limit: 60,
                            filter: Some(punchcard::views::client_list::ClientFilter::Owes),
                            ..Default::default()
                        })
                        .unwrap(),
                );
            }
            "log1000" | "log2" => {
                let t = Instant::now();
                let e = store
                    .log_session(&punchcard::LogSessionInput {
                        client_id: long.clone(),
                        date: "2026-11-25".into(),
                        ..Default::default()
                    })
                    .unwrap()
                    .entry_id
                    .unwrap();
                times.push(t.elapsed().as_secs_f64() * 1e3);
                store.reverse_entry(&e, "prof").unwrap();
                continue;
            }
            _ => panic!(),
        }
        times.push(t.elapsed().as_secs_f64() * 1e3);
    }
    times.sort_by(f64::total_cmp);
    eprintln!("{what}: min {:.3} median {:.3} ms", times[0], times[n / 2]);
}
