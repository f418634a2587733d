//! The practice generator: realistic, deterministic practices for a seed and a
//! date, at any scale. Its small setting is the sample practice a newcomer
//! loads to look around in; at scale 1 it is ten years of a busy solo practice
//! (about 1,500 clients), and benchmarks and `punchcard sample --scale N` ask
//! for more. Everything is written through the same operations as real work,
//! in one transaction.

use chrono::{DateTime, Days, NaiveDate, NaiveTime, Utc};
use rust_decimal::Decimal;

use crate::domain::client::ClientInput;
use crate::domain::terms::TermsInput;
use crate::domain::validity::Validity;
use crate::error::{Error, Result};
use crate::ops::bookings::ScheduleInput;
use crate::ops::payments::{InstalmentInput, PaymentInput, RefundInput, SuggestPlanInput};
use crate::ops::practice::{time_zone_or_utc, PracticeInput};
use crate::ops::sales::SaleInput;
use crate::ops::sessions::LogSessionInput;
use crate::store::{self, Store};
use crate::views::offerings::Offering;

/// How much history to make, from which seed. `SampleSize::STANDARD` is what
/// the app loads; [`SampleSize::scale`] makes ten years of a busy practice
/// times `scale`.
#[derive(Debug, Clone, Copy)]
pub struct SampleSize {
    pub clients: usize,
    pub months: u32,
    pub seed: u64,
}

/// Which generator wrote a practice: raised whenever a seed's practice
/// changes, so a practice generated and kept (`make bench`'s) is made again.
/// 2: each thing is recorded when it happened (a session logged an hour
/// after it began, a payment on its day); before, all but the bookings were
/// recorded at the moment the generator ran.
pub const GENERATION: u32 = 2;

/// The seed of the sample practice.
pub const SAMPLE_SEED: u64 = 0x5055_4E43_4841_5244;

impl SampleSize {
    pub const STANDARD: SampleSize = SampleSize {
        clients: 36,
        months: 8,
        seed: SAMPLE_SEED,
    };

    /// Ten years of a busy solo practice (about 1,500 clients, 4,000
    /// packages, 40,000 sessions) times `scale`.
    pub fn scale(scale: f64, seed: u64) -> SampleSize {
        SampleSize {
            clients: ((1500.0 * scale).round() as usize).max(5),
            months: 120,
            seed,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct SampleSummary {
    pub clients: u32,
    pub packages: u32,
    pub sessions: u32,
}

const FIRST: [&str; 36] = [
    "Zoë",
    "Ana",
    "Björn",
    "Chiara",
    "Dmitri",
    "Émile",
    "Fatima",
    "Grace",
    "Hiroshi",
    "Inés",
    "Jonas",
    "Kavya",
    "Liam",
    "Maya",
    "Nadia",
    "Oliver",
    "Priya",
    "Quentin",
    "Rosa",
    "Seán",
    "Tomás",
    "Uma",
    "Valentina",
    "William",
    "Ximena",
    "Yusuf",
    "Zara",
    "Aoife",
    "Bruno",
    "Camille",
    "Daniel",
    "Elif",
    "Felix",
    "Hana",
    "Isla",
    "João",
];
const LAST: [&str; 36] = [
    "Ångström",
    "Souza",
    "Halvorsen",
    "Rossi",
    "Volkov",
    "Laurent",
    "Haddad",
    "Okafor",
    "Tanaka",
    "García",
    "Müller",
    "Iyer",
    "O'Brien",
    "Cohen",
    "Petrova",
    "Smith",
    "Nair",
    "Dubois",
    "Martínez",
    "Murphy",
    "Silva",
    "Patel",
    "Costa",
    "Chen",
    "López",
    "Demir",
    "Ahmed",
    "Kelly",
    "Ferreira",
    "Bernard",
    "Kim",
    "Yılmaz",
    "Wagner",
    "Novák",
    "Campbell",
    "Pereira",
];
const NOTES: [&str; 6] = [
    "Good progress on mobility.",
    "Left shoulder still tight.",
    "Worked on form; increase load next time.",
    "",
    "",
    "",
];

/// splitmix64: a tiny, stable generator so the sample never changes under us.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

fn session(client_id: &str, day: NaiveDate, time: &str, note: &str) -> LogSessionInput {
    LogSessionInput {
        client_id: client_id.into(),
        date: day.to_string(),
        time: time.into(),
        note: note.into(),
        ..Default::default()
    }
}

fn booking(client_id: &str, day: NaiveDate, time: &str, weeks: u32) -> ScheduleInput {
    ScheduleInput {
        client_id: client_id.into(),
        date: day.to_string(),
        time: time.into(),
        weeks: weeks.to_string(),
        ..Default::default()
    }
}

/// The instant `hours` (may be negative) from `time` on `day`, UTC.
fn at(day: NaiveDate, time: &str, hours: i64) -> DateTime<Utc> {
    let t = NaiveTime::parse_from_str(time, "%H:%M").unwrap_or_default();
    day.and_time(t).and_utc() + chrono::Duration::hours(hours)
}

/// Runs `f` as if it were `when`, as the practitioner would have done it
/// then (never later than the generator's own now): what it writes is
/// recorded at that moment, as in real use. Everything the generator does
/// in the past goes through here.
fn then<T>(
    s: &mut Store,
    when: DateTime<Utc>,
    f: impl FnOnce(&mut Store) -> Result<T>,
) -> Result<T> {
    let when = when.min(s.now());
    s.at(when, f)
}

fn plus(d: NaiveDate, days: u64) -> NaiveDate {
    d.checked_add_days(Days::new(days)).unwrap_or(d)
}

fn minus(d: NaiveDate, days: u64) -> NaiveDate {
    d.checked_sub_days(Days::new(days)).unwrap_or(d)
}

impl Store {
    /// Fills an empty practice with the sample. Refused once real clients exist,
    /// so it can never mix with a practitioner's own data.
    /// `time_zone` is used only when the file has no practice yet.
    pub fn load_sample(&mut self, size: SampleSize, time_zone: &str) -> Result<SampleSummary> {
        let (clients, offerings) = self.read(|tx| {
            Ok((
                store::practice::client_count(tx.conn)?,
                store::practice::offering_count(tx.conn)?,
            ))
        })?;
        if clients > 0 || offerings > 0 {
            return Err(Error::Conflict(
                "The sample practice can only be loaded into an empty file, so it never mixes with your own clients and offerings.".into(),
            ));
        }
        let time_zone = time_zone_or_utc(time_zone);
        self.batch(|s| {
            if s.practice()?.is_none() {
                s.save_practice(&PracticeInput::first_run(
                    "Harbour Street Studio",
                    "EUR",
                    &time_zone,
                ))?;
            }
            let made = generate(s, size)?;
            // Packages past their last day lose what is left, as in real use.
            s.expire_due()?;
            Ok(made)
        })
    }
}

/// The first clients live scripted lives, so every state a practitioner meets
/// is in the sample whatever the date: (offering, sold days ago, sessions used,
/// paid, one mistaken log reversed).
#[derive(Clone, Copy)]
struct Script {
    offering: usize,
    sold_days_ago: u64,
    used: u32,
    paid: bool,
    mistake: bool,
}

const SCRIPTS: [Script; 5] = [
    // Low balance: 2 of 10 left.
    Script {
        offering: 2,
        sold_days_ago: 60,
        used: 8,
        paid: true,
        mistake: false,
    },
    // Expiring soon: a 90-day pack with 10 days to go.
    Script {
        offering: 1,
        sold_days_ago: 80,
        used: 2,
        paid: true,
        mistake: false,
    },
    // Expired with credits left.
    Script {
        offering: 1,
        sold_days_ago: 120,
        used: 3,
        paid: true,
        mistake: false,
    },
    // Used up, not renewed.
    Script {
        offering: 1,
        sold_days_ago: 70,
        used: 5,
        paid: true,
        mistake: false,
    },
    // Unpaid, with a mistaken log corrected by a reversal.
    Script {
        offering: 3,
        sold_days_ago: 30,
        used: 3,
        paid: false,
        mistake: true,
    },
];

fn scripted(
    s: &mut Store,
    client_id: &str,
    offerings: &[Offering],
    script: Script,
    today: NaiveDate,
    summary: &mut SampleSummary,
) -> Result<()> {
    let sold = minus(today, script.sold_days_ago);
    then(s, at(sold, "08:30", 0), |s| {
        s.sell_package(&SaleInput {
            date_confirmed: true,
            client_id: client_id.into(),
            offering_id: Some(offerings[script.offering].id.clone()),
            sold_on: sold.to_string(),
            paid_now: script.paid,
            payment_method: "Card".into(),
            ..Default::default()
        })
    })?;
    summary.packages += 1;
    for n in 0..script.used {
        let day = plus(sold, 2 + u64::from(n) * 6);
        let logged = then(s, at(day, "09:00", 1), |s| {
            s.log_session(&session(client_id, day, "09:00", ""))
        })?;
        summary.sessions += 1;
        if let (true, 0, Some(entry)) = (script.mistake, n, &logged.entry_id) {
            // Noticed the next evening, after the session it was meant for.
            let next = plus(sold, 3);
            then(s, at(next, "18:30", 1), |s| {
                s.reverse_entry(entry, "Logged for the wrong client")?;
                s.log_session(&session(client_id, next, "18:30", ""))
            })?;
        }
    }
    Ok(())
}

fn generate(s: &mut Store, size: SampleSize) -> Result<SampleSummary> {
    let today = s.today()?;
    let mut rng = Rng(size.seed);
    let offerings = [
        s.create_offering(&TermsInput::new(
            "Single session",
            1,
            "90",
            Validity::Days { days: 30 },
        ))?,
        s.create_offering(&TermsInput::new(
            "5-session pack",
            5,
            "400",
            Validity::Days { days: 90 },
        ))?,
        s.create_offering(&TermsInput::new(
            "10-session pack",
            10,
            "750",
            Validity::Days { days: 180 },
        ))?,
        s.create_offering(&TermsInput::new(
            "20-session pack",
            20,
            "1400",
            Validity::Days { days: 365 },
        ))?,
    ];
    let intro = s.create_offering(&TermsInput::new(
        "Intro offer",
        3,
        "150",
        Validity::Days { days: 30 },
    ))?;
    s.set_offering_retired(&intro.id, true)?;

    let span = u64::from(size.months) * 30;
    let mut summary = SampleSummary {
        clients: 0,
        packages: 0,
        sessions: 0,
    };
    for i in 0..size.clients {
        let first = FIRST[i % FIRST.len()];
        let last = LAST[(i * 7 + i / FIRST.len()) % LAST.len()];
        // Past the first 1,296 names, middle initials (and then numbers) keep
        // large practices readable.
        let round = i / (FIRST.len() * LAST.len());
        let name = match round {
            0 => format!("{first} {last}"),
            r => {
                let initial = char::from(b'A' + (r % 26) as u8);
                match r / 26 {
                    0 => format!("{first} {initial}. {last}"),
                    n => format!("{first} {initial}. {last} {}", n + 1),
                }
            }
        };
        let email = format!(
            "{}.{}{}@example.com",
            crate::text::fold(first).replace(' ', ""),
            crate::text::fold(last).replace(['\'', ' '], ""),
            if round > 0 {
                round.to_string()
            } else {
                String::new()
            }
        );
        let client = s.create_client(&ClientInput {
            name,
            email,
            phone: format!("+351 91{:03} {:04}", i % 1000, rng.below(10_000)),
            notes: if i % 5 == 0 {
                "Prefers early mornings.".into()
            } else {
                String::new()
            },
        })?;
        summary.clients += 1;

        if let Some(script) = SCRIPTS.get(i) {
            scripted(s, &client.id, &offerings, *script, today, &mut summary)?;
            continue;
        }
        // A life with the practice: when it starts, how often they come, and
        // whether they keep renewing.
        let started = minus(today, rng.below(span.max(1)));
        let gap = 3 + rng.below(6);
        let loyalty = 55 + rng.below(40);
        let hour = 7 + rng.below(12);
        let usual = format!("{hour:02}:{:02}", [0, 30][rng.below(2) as usize]);
        let mut day = started;
        let mut stop = false;
        // Now and then a client comes once more with no credit left: owed,
        // and settled by the next package.
        let owes = rng.chance(3);
        // Money has its own stream, so the sessions stay as they were.
        let mut cash = Rng(size.seed ^ (i as u64).wrapping_mul(0xA24B_AED4_963E_E407));
        while day <= today && !stop {
            let offering = &offerings[(1 + rng.below(3)) as usize];
            let sold = day;
            let paid_now = rng.chance(85);
            let method = ["Card", "Bank transfer", "Cash"][rng.below(3) as usize];
            // Sold an hour before the client's usual time.
            let package = sell_with_money(
                s,
                &client.id,
                offering,
                at(sold, &usual, -1),
                paid_now,
                method,
                today,
                &mut cash,
            )?;
            let (price, sessions) = (offering.price, offering.sessions);
            summary.packages += 1;
            let expires = offering.validity.expires_on(sold).unwrap_or(NaiveDate::MAX);
            let quits_early = rng.chance(12);
            let mut left = offering.sessions;
            day = plus(sold, rng.below(4));
            while left > 0 && day < today && day <= expires {
                if quits_early && left <= offering.sessions / 2 {
                    break;
                }
                // The ledger has the last word: a sale that settled an owed
                // session, or a booking drawn from this package, leaves fewer.
                left = left.min(s.package(&package)?.remaining);
                if left == 0 {
                    break;
                }
                let note = NOTES[rng.below(NOTES.len() as u64) as usize];
                let roll = rng.below(100);
                if roll < 14 {
                    // Booked ahead, then: cancelled late (some forfeits waived),
                    // a no-show, moved a few days, or simply attended.
                    let booked = then(s, at(day, &usual, -24 * 6), |s| {
                        s.schedule(&booking(&client.id, day, &usual, 1))
                    })?;
                    let id = booked.session_ids[0].clone();
                    match roll {
                        0..=3 => {
                            let waive = rng.chance(30).then_some("Illness: a doctor's note");
                            let done =
                                then(s, at(day, &usual, -3), |s| s.cancel_session(&id, waive))?;
                            if done.entry_id.is_some() && waive.is_none() {
                                left -= 1;
                            }
                        }
                        4..=5 => {
                            if then(s, at(day, &usual, 1), |s| s.mark_no_show(&id))?
                                .entry_id
                                .is_some()
                            {
                                left -= 1;
                            }
                        }
                        6 => {
                            then(s, at(day, &usual, -72), |s| s.cancel_session(&id, None))?;
                        }
                        _ => {
                            let moved = plus(day, 1 + rng.below(3));
                            if moved < today && moved <= expires {
                                then(s, at(day, &usual, -48), |s| {
                                    s.reschedule(&id, &moved.to_string(), &usual)
                                })?;
                                day = moved;
                            }
                            then(s, at(day, &usual, 1), |s| s.complete_session(&id, false))?;
                            summary.sessions += 1;
                            left -= 1;
                        }
                    }
                } else {
                    // Logged as the session ends.
                    let logged = then(s, at(day, &usual, 1), |s| {
                        s.log_session(&session(&client.id, day, &usual, note))
                    })?;
                    summary.sessions += 1;
                    // Now and then a mistaken log, corrected the way a practitioner would.
                    match (rng.chance(2), &logged.entry_id) {
                        (true, Some(entry)) => {
                            then(s, at(day, &usual, 2), |s| {
                                s.reverse_entry(entry, "Logged for the wrong client")
                            })?;
                            summary.sessions -= 1;
                        }
                        _ => left -= 1,
                    }
                }
                day = plus(day, gap + rng.below(4));
            }
            if owes && left == 0 && day < today {
                then(s, at(day, &usual, 1), |s| {
                    s.log_session(&LogSessionInput {
                        owed: true,
                        ..session(&client.id, day, &usual, "Came without a package: owed")
                    })
                })?;
                summary.sessions += 1;
                day = plus(day, 1 + rng.below(5));
            }
            if quits_early {
                // Some who stop early ask for the unused credits back.
                refund_unused(s, &package, price, sessions, plus(day, 7), today, &mut cash)?;
            }
            if quits_early || !rng.chance(loyalty) {
                stop = true;
            } else {
                day = plus(day, rng.below(10));
            }
        }
        // A client still coming has the next weeks booked, today included.
        if !stop && rng.chance(70) {
            let first = plus(today, rng.below(5));
            let weeks = 1 + rng.below(4) as u32;
            s.schedule(&booking(&client.id, first, &usual, weeks))?;
        }
    }
    Ok(summary)
}

/// Sells a package the way clients pay: most in full at the sale; of the
/// rest, some pay it all a little later, some leave a deposit and pay
/// monthly instalments (now and then late, or not yet), and some have not
/// paid at all.
#[allow(clippy::too_many_arguments)]
fn sell_with_money(
    s: &mut Store,
    client_id: &str,
    offering: &Offering,
    sold_at: DateTime<Utc>,
    paid_now: bool,
    method: &str,
    today: NaiveDate,
    cash: &mut Rng,
) -> Result<String> {
    let sold = sold_at.date_naive();
    let sale = SaleInput {
        date_confirmed: true,
        client_id: client_id.into(),
        offering_id: Some(offering.id.clone()),
        sold_on: sold.to_string(),
        paid_now,
        payment_method: method.into(),
        ..Default::default()
    };
    // A later payment is recorded on its day, at midday.
    let pay = |s: &mut Store, package: &str, amount: String, on: NaiveDate| -> Result<()> {
        if on <= today {
            then(s, at(on, "12:00", 0), |s| {
                s.record_payment(&PaymentInput {
                    package_id: package.into(),
                    amount,
                    date: on.to_string(),
                    method: method.into(),
                    note: String::new(),
                })
            })?;
        }
        Ok(())
    };
    if paid_now {
        return Ok(then(s, sold_at, |s| s.sell_package(&sale))?.id);
    }
    match cash.below(10) {
        0..=4 => {
            let p = then(s, sold_at, |s| s.sell_package(&sale))?;
            pay(
                s,
                &p.id,
                p.price.to_string(),
                plus(sold, 3 + cash.below(18)),
            )?;
            Ok(p.id)
        }
        5..=7 => {
            let deposit = (offering.price / Decimal::from(4)).round_dp(0).to_string();
            let plan = s.suggest_plan(&SuggestPlanInput {
                amount: offering.price.to_string(),
                deposit: deposit.clone(),
                count: (2 + cash.below(2)).to_string(),
                first: (sold + chrono::Months::new(1)).to_string(),
                sold_on: sold.to_string(),
            })?;
            let p = then(s, sold_at, |s| {
                s.sell_package(&SaleInput {
                    deposit,
                    plan: plan
                        .iter()
                        .map(|i| InstalmentInput {
                            due_on: i.due_on.to_string(),
                            amount: i.amount.to_string(),
                        })
                        .collect(),
                    ..sale
                })
            })?;
            for i in plan.iter().skip(1) {
                // Mostly on time, some a few days late, one in ten not yet.
                if cash.chance(90) {
                    pay(
                        s,
                        &p.id,
                        i.amount.to_string(),
                        plus(i.due_on, cash.below(2) * cash.below(9)),
                    )?;
                }
            }
            Ok(p.id)
        }
        _ => Ok(then(s, sold_at, |s| s.sell_package(&sale))?.id),
    }
}

/// A refund of the unused credits of a package paid in full, taking them back.
fn refund_unused(
    s: &mut Store,
    package: &str,
    price: Decimal,
    sessions: u32,
    on: NaiveDate,
    today: NaiveDate,
    cash: &mut Rng,
) -> Result<()> {
    let p = s.package(package)?;
    if on > today || p.remaining == 0 || p.payment != crate::PaymentState::Paid || !cash.chance(75)
    {
        return Ok(());
    }
    let amount = (price * Decimal::from(p.remaining) / Decimal::from(sessions.max(1))).round_dp(0);
    then(s, at(on, "12:00", 0), |s| {
        s.record_refund(&RefundInput {
            package_id: package.into(),
            amount: amount.to_string(),
            date: on.to_string(),
            method: "Bank transfer".into(),
            note: "Moving away: the unused sessions refunded".into(),
            take_back: p.remaining.to_string(),
        })
    })?;
    Ok(())
}

/// Writes a new practice file holding a generated practice ("Sample
/// Practice", EUR, UTC) as of `today` (default: the real today). Refuses an
/// existing file, so it can never write over a practice.
pub fn write_sample_file(
    path: &std::path::Path,
    size: SampleSize,
    today: Option<&str>,
) -> Result<SampleSummary> {
    if path.exists() {
        return Err(Error::Conflict(
            "That file already exists: pick a new name, so no practice is ever written over."
                .into(),
        ));
    }
    let mut store = Store::open(path)?;
    // The practice is written in one transaction of many operations, and
    // each operation's savepoint keeps the pages it changes as they were:
    // in memory, not in a temporary file. At 10x the file took 52.5 GB of
    // writes to make a 587 MB practice, and in memory 1.2 GB in all (177
    // and 163 s).
    store
        .connection()
        .execute_batch("PRAGMA temp_store = MEMORY")?;
    if let Some(day) = today {
        let day = crate::text::date(day).map_err(|m| Error::field("today", m))?;
        let noon = day.and_hms_opt(12, 0, 0).unwrap_or_default().and_utc();
        store.set_clock(Box::new(move || noon));
    }
    store.save_practice(&PracticeInput::first_run("Sample Practice", "EUR", "UTC"))?;
    let made = store.load_sample(size, "UTC")?;
    store.checkpoint()?;
    Ok(made)
}
