//! A client's history: one source per table — ledger entries, payments and
//! booking changes — merged in time order, then replayed so each line carries
//! its package's balance after it. The replay is the corrected history (see
//! `domain::ledger`): a reversed entry and its reversal change nothing, so no
//! line ever shows a negative balance.

use rustc_hash::FxHashMap;

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use rust_decimal::Decimal;
use serde::Serialize;
use specta::Type;

use crate::domain::kinds::{EntryKind, PaymentKind, SessionStatus};
use crate::error::Result;
use crate::money::Currency;
use crate::store::{self, Store, Tx};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum EventKind {
    Purchase,
    Session,
    LateCancel,
    NoShow,
    Adjustment,
    TransferIn,
    TransferOut,
    Expiry,
    Reversal,
    ForfeitWaived,
    OwedSettled,
    Payment,
    Refund,
    PaymentCorrected,
    RefundCorrected,
    PlanSet,
    SaleCancelled,
    TakenBack,
    Scheduled,
    Rescheduled,
    BookingCancelled,
    BookedAgain,
    SessionOwed,
    NoShowNoCredit,
    LateCancelNoCredit,
    Extended,
    Paused,
    RenewalOffered,
    RenewalDeclined,
    FollowUpSnoozed,
    FollowUpCleared,
}

impl EventKind {
    /// Plain words, as shown in the timeline and written to CSV.
    pub fn label(self) -> &'static str {
        match self {
            EventKind::Purchase => "Package purchased",
            EventKind::Session => "Session completed",
            EventKind::LateCancel => "Late cancel (forfeited)",
            EventKind::NoShow => "No-show (forfeited)",
            EventKind::Adjustment => "Adjustment",
            EventKind::TransferIn => "Transfer in",
            EventKind::TransferOut => "Transfer out",
            EventKind::Expiry => "Unused sessions expired",
            EventKind::Reversal => "Reversal",
            EventKind::ForfeitWaived => "Forfeit waived",
            EventKind::OwedSettled => "Owed session settled",
            EventKind::Payment => "Payment received",
            EventKind::Refund => "Refund",
            EventKind::PaymentCorrected => "Payment corrected (entered by mistake)",
            EventKind::RefundCorrected => "Refund corrected (entered by mistake)",
            EventKind::PlanSet => "Instalment plan set",
            EventKind::SaleCancelled => "Sale cancelled",
            EventKind::TakenBack => "Credits taken back by a refund",
            EventKind::Scheduled => "Session scheduled",
            EventKind::Rescheduled => "Rescheduled",
            EventKind::BookingCancelled => "Booking cancelled",
            EventKind::BookedAgain => "Booked again",
            EventKind::SessionOwed => "Session owed (no credit left)",
            EventKind::NoShowNoCredit => "No-show (no credit to forfeit)",
            EventKind::LateCancelNoCredit => "Late cancel (no credit to forfeit)",
            EventKind::Extended => "Validity extended",
            EventKind::Paused => "Paused",
            EventKind::RenewalOffered => "Renewal offered",
            EventKind::RenewalDeclined => "Renewal declined",
            EventKind::FollowUpSnoozed => "Follow-up snoozed",
            EventKind::FollowUpCleared => "Follow-up cleared",
        }
    }
}

/// One line of a client's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct TimelineItem {
    /// The ledger entry's, payment's or booking change's stable id.
    pub id: String,
    pub date: NaiveDate,
    /// `HH:MM`, when known.
    pub time: Option<String>,
    pub kind: EventKind,
    pub label: &'static str,
    /// The package the line concerns (none for a booking with no package yet).
    pub package_id: Option<String>,
    pub package_name: Option<String>,
    pub package_sold_on: Option<NaiveDate>,
    /// The signed change in sessions; `None` when no credit moved.
    pub sessions: Option<i32>,
    /// That package's remaining sessions after this line.
    pub balance_after: Option<i32>,
    pub amount: Option<Decimal>,
    pub note: String,
    /// Why this package paid (the drawing rule in words), or what it settles.
    pub why: String,
    /// The booking the line belongs to.
    pub session_id: Option<String>,
    /// The entry this one reverses.
    pub reverses: Option<String>,
    /// The reversal that cancelled this entry.
    pub reversed_by: Option<String>,
    /// A ledger entry that can still be reversed.
    pub reversible: bool,
    /// A forfeit that can still be waived.
    pub waivable: bool,
}

/// A line with the keys it is merged by.
struct Line {
    item: TimelineItem,
    recorded_at: String,
    /// Which source it came from: ledger lines before payments before booking
    /// changes at the same moment.
    source: u8,
    seq: i64,
    /// Reversed, or a reversal: it changes nothing in the corrected replay.
    void: bool,
}

impl Line {
    fn key(&self) -> (NaiveDate, &str, &str, u8, i64) {
        (
            self.item.date,
            self.item.time.as_deref().unwrap_or(""),
            &self.recorded_at,
            self.source,
            self.seq,
        )
    }
}

fn blank(id: String, date: NaiveDate, kind: EventKind) -> TimelineItem {
    TimelineItem {
        id,
        date,
        time: None,
        kind,
        label: kind.label(),
        package_id: None,
        package_name: None,
        package_sold_on: None,
        sessions: None,
        balance_after: None,
        amount: None,
        note: String::new(),
        why: String::new(),
        session_id: None,
        reverses: None,
        reversed_by: None,
        reversible: false,
        waivable: false,
    }
}

/// `session_days`: the day of each booking a session was drawn for, to tell
/// an owed session settled later from one drawn on its day.
fn ledger_lines(
    entries: Vec<store::ledger::HistoryEntry>,
    currency: Currency,
    session_days: &FxHashMap<String, NaiveDate>,
) -> Vec<Line> {
    entries
        .into_iter()
        .map(|e| {
            let kind = match (e.kind, e.reverses_kind) {
                (EntryKind::Reversal, Some(EntryKind::LateCancel | EntryKind::NoShow))
                    if e.why == "forfeit waived" =>
                {
                    EventKind::ForfeitWaived
                }
                (EntryKind::Session, _)
                    if e.session_id
                        .as_ref()
                        .and_then(|s| session_days.get(s))
                        .is_some_and(|&on| on < e.occurred_on) =>
                {
                    EventKind::OwedSettled
                }
                (EntryKind::Reversal, Some(EntryKind::Purchase)) => EventKind::SaleCancelled,
                (EntryKind::Adjustment, _) if e.refund_id.is_some() => EventKind::TakenBack,
                (EntryKind::Purchase, _) => EventKind::Purchase,
                (EntryKind::Session, _) => EventKind::Session,
                (EntryKind::LateCancel, _) => EventKind::LateCancel,
                (EntryKind::NoShow, _) => EventKind::NoShow,
                (EntryKind::Adjustment, _) => EventKind::Adjustment,
                (EntryKind::TransferIn, _) => EventKind::TransferIn,
                (EntryKind::TransferOut, _) => EventKind::TransferOut,
                (EntryKind::Expiry, _) => EventKind::Expiry,
                (EntryKind::Reversal, _) => EventKind::Reversal,
            };
            let why = match (&e.transfer_package_name, e.kind) {
                (Some(other), EntryKind::TransferIn) => format!("from {other}"),
                (Some(other), EntryKind::TransferOut) => format!("to {other}"),
                // The label says it; the note gives the reason.
                _ if kind == EventKind::ForfeitWaived => String::new(),
                _ => e.why,
            };
            let live = e.kind != EntryKind::Reversal && e.reversed_by.is_none();
            // A sale for another price than the offering's says so, and why.
            let note = match e.list_price_minor {
                Some(list) => {
                    let off = format!(
                        "list price {}, {}",
                        currency.minor(list).to_decimal(),
                        e.discount_reason
                    );
                    if e.note.is_empty() {
                        off
                    } else {
                        format!("{} — {off}", e.note)
                    }
                }
                None => e.note,
            };
            // A renewal names the package it renews.
            let note = match (e.renews, note.is_empty()) {
                (Some(old), true) => format!("renews {old}"),
                (Some(old), false) => format!("renews {old} — {note}"),
                (None, _) => note,
            };
            Line {
                void: !live,
                item: TimelineItem {
                    time: e.occurred_time,
                    package_id: Some(e.package_id),
                    package_name: Some(e.package_name),
                    package_sold_on: Some(e.package_sold_on),
                    sessions: Some(e.delta),
                    amount: e.price_minor.map(|m| currency.minor(m).to_decimal()),
                    note,
                    why,
                    session_id: e.session_id,
                    reverses: e.reverses,
                    // Credits a refund took back come back by correcting the
                    // refund; an expiry stands while the package is past its day.
                    reversible: live && e.refund_id.is_none() && e.kind != EntryKind::Expiry,
                    waivable: live && matches!(e.kind, EntryKind::LateCancel | EntryKind::NoShow),
                    reversed_by: e.reversed_by,
                    ..blank(e.id, e.occurred_on, kind)
                },
                recorded_at: e.recorded_at,
                source: 0,
                seq: e.seq,
            }
        })
        .collect()
}

fn payment_lines(
    tx: &Tx,
    client_id: &str,
    currency: Currency,
    since: Option<NaiveDate>,
) -> Result<Vec<Line>> {
    Ok(store::payments::of_client(tx.conn, client_id, since)?
        .into_iter()
        .map(|p| {
            // Money in is positive, money given back negative; a correction
            // is the mirror of the line it corrects.
            let (kind, signed) = match (p.kind, p.reverses_id.is_some()) {
                (PaymentKind::Payment, false) => (EventKind::Payment, p.amount_minor),
                (PaymentKind::Refund, false) => (EventKind::Refund, -p.amount_minor),
                (PaymentKind::Payment, true) => (EventKind::PaymentCorrected, -p.amount_minor),
                (PaymentKind::Refund, true) => (EventKind::RefundCorrected, p.amount_minor),
            };
            let moved = p.moved_with.map(|other| match p.kind {
                PaymentKind::Refund => format!("moved to {other}"),
                PaymentKind::Payment => format!("moved from {other}"),
            });
            let note = [
                Some(p.method.as_str()),
                moved.as_deref(),
                Some(p.note.as_str()),
            ]
            .into_iter()
            .flatten()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" · ");
            let live = p.reverses_id.is_none() && p.corrected_by.is_none();
            Line {
                void: false,
                item: TimelineItem {
                    package_id: Some(p.package_id),
                    package_name: Some(p.package_name),
                    package_sold_on: Some(p.package_sold_on),
                    amount: Some(currency.minor(signed).to_decimal()),
                    note,
                    reverses: p.reverses_id,
                    reversed_by: p.corrected_by,
                    reversible: live,
                    ..blank(p.id, p.paid_on, kind)
                },
                recorded_at: p.recorded_at,
                source: 1,
                seq: p.seq,
            }
        })
        .collect())
}

/// Each instalment plan set, dated when it was set.
fn plan_lines(tx: &Tx, client_id: &str, zone: Tz, currency: Currency) -> Result<Vec<Line>> {
    Ok(store::payments::plans_of_client(tx.conn, client_id)?
        .into_iter()
        .map(|p| {
            let set = DateTime::parse_from_rfc3339(&p.set_at)
                .map(|t| t.with_timezone(&Utc).with_timezone(&zone))
                .ok();
            let (date, time) = match set {
                Some(t) => (t.date_naive(), Some(t.format("%H:%M").to_string())),
                None => (p.package_sold_on, None),
            };
            let note = if p.instalments == 1 {
                format!("1 instalment, due {}", p.first_due.format("%-d %b %Y"))
            } else {
                format!(
                    "{} instalments, {} to {}",
                    p.instalments,
                    p.first_due.format("%-d %b %Y"),
                    p.last_due.format("%-d %b %Y")
                )
            };
            Line {
                void: false,
                item: TimelineItem {
                    time,
                    package_id: Some(p.package_id),
                    package_name: Some(p.package_name),
                    package_sold_on: Some(p.package_sold_on),
                    amount: Some(currency.minor(p.total_minor).to_decimal()),
                    note,
                    ..blank(format!("plan_{}", p.seq), date, EventKind::PlanSet)
                },
                recorded_at: p.set_at,
                source: 3,
                seq: p.seq,
            }
        })
        .collect())
}

/// Extensions of a package's last day, and renewal follow-ups, dated when
/// they were recorded.
fn follow_up_lines(tx: &Tx, client_id: &str, zone: Tz) -> Result<Vec<Line>> {
    let local = |at: &str, fallback: NaiveDate| match DateTime::parse_from_rfc3339(at) {
        Ok(t) => {
            let t = t.with_timezone(&Utc).with_timezone(&zone);
            (t.date_naive(), Some(t.format("%H:%M").to_string()))
        }
        Err(_) => (fallback, None),
    };
    let mut out = Vec::new();
    for e in store::renewals::extensions_of_client(tx.conn, client_id)? {
        let (date, time) = local(&e.recorded_at, e.package_sold_on);
        out.push(Line {
            void: false,
            item: TimelineItem {
                time,
                package_id: Some(e.package_id),
                package_name: Some(e.package_name),
                package_sold_on: Some(e.package_sold_on),
                note: format!("to {} — {}", e.expires_on.format("%-d %b %Y"), e.reason),
                ..blank(e.id, date, EventKind::Extended)
            },
            recorded_at: e.recorded_at,
            source: 4,
            seq: e.seq,
        });
    }
    for q in store::renewals::pauses_of_client(tx.conn, client_id)? {
        let (date, time) = local(&q.recorded_at, q.package_sold_on);
        let moved = q
            .moved_to
            .map(|d| format!("; last day now {}", d.format("%-d %b %Y")))
            .unwrap_or_default();
        out.push(Line {
            void: false,
            item: TimelineItem {
                time,
                package_id: Some(q.package_id),
                package_name: Some(q.package_name),
                package_sold_on: Some(q.package_sold_on),
                note: format!(
                    "{} to {}{moved} — {}",
                    q.from.format("%-d %b %Y"),
                    q.until.format("%-d %b %Y"),
                    q.reason
                ),
                ..blank(q.id, date, EventKind::Paused)
            },
            recorded_at: q.recorded_at,
            source: 6,
            seq: q.seq,
        });
    }
    for f in store::renewals::follow_ups_of_client(tx.conn, client_id)? {
        let (date, time) = local(&f.recorded_at, f.package_sold_on);
        let (kind, note) = match (f.state.as_str(), f.until) {
            ("offered", _) => (EventKind::RenewalOffered, String::new()),
            ("declined", _) => (EventKind::RenewalDeclined, String::new()),
            ("snoozed", Some(u)) => (
                EventKind::FollowUpSnoozed,
                format!("until {}", u.format("%-d %b %Y")),
            ),
            _ => (EventKind::FollowUpCleared, String::new()),
        };
        out.push(Line {
            void: false,
            item: TimelineItem {
                time,
                package_id: Some(f.package_id),
                package_name: Some(f.package_name),
                package_sold_on: Some(f.package_sold_on),
                note,
                ..blank(format!("follow_{}", f.seq), date, kind)
            },
            recorded_at: f.recorded_at,
            source: 5,
            seq: f.seq,
        });
    }
    Ok(out)
}

fn when(day: NaiveDate, time: Option<&str>) -> String {
    let day = day.format("%a %-d %b %Y");
    match time {
        Some(t) => format!("{day}, {t}"),
        None => day.to_string(),
    }
}

/// The changes to the client's bookings that no ledger line tells: booked,
/// moved, cancelled, booked again, and closed with no credit to draw.
///
/// With `since`, only the lines dated on or after it; `drawn` (whether a
/// booking had credit drawn, of a kind) is asked only for those that depend
/// on it.
fn booking_lines(
    changes: Vec<store::sessions::BookingChange>,
    zone: Tz,
    since: Option<NaiveDate>,
    drawn: impl Fn(&str, fn(Drawn) -> bool) -> Result<bool>,
) -> Result<Vec<Line>> {
    let mut lines = Vec::new();
    // A change's id: its booking's, with its place among the booking's
    // changes (they come booking by booking, each one's in order).
    let mut n = 0u32;
    let mut previous: Option<String> = None;
    for c in changes {
        if previous.as_deref() == Some(c.session_id.as_str()) {
            n += 1;
        } else {
            n = 1;
            previous = Some(c.session_id.clone());
        }
        // What the change says, if no credit drawn for the booking tells it.
        let kind = match (&c.before, c.status) {
            (None, SessionStatus::Scheduled) => EventKind::Scheduled,
            (None, SessionStatus::Completed) => EventKind::SessionOwed,
            (Some((before, on, time)), SessionStatus::Scheduled)
                if *before == SessionStatus::Scheduled
                    && (*on != c.starts_on || *time != c.starts_time) =>
            {
                EventKind::Rescheduled
            }
            (Some((before, _, _)), SessionStatus::Scheduled)
                if *before != SessionStatus::Scheduled =>
            {
                EventKind::BookedAgain
            }
            (Some((SessionStatus::Scheduled, _, _)), SessionStatus::Cancelled) => {
                EventKind::BookingCancelled
            }
            (Some((SessionStatus::Scheduled, _, _)), SessionStatus::Completed) => {
                EventKind::SessionOwed
            }
            (Some((SessionStatus::Scheduled, _, _)), SessionStatus::NoShow) => {
                EventKind::NoShowNoCredit
            }
            (Some((SessionStatus::Scheduled, _, _)), SessionStatus::LateCancelled) => {
                EventKind::LateCancelNoCredit
            }
            _ => continue,
        };
        // A session owed happened when it happened; every other change is
        // dated when it was made.
        let recorded = match kind {
            EventKind::SessionOwed => None,
            _ => DateTime::parse_from_rfc3339(&c.recorded_at)
                .map(|t| t.with_timezone(&Utc).with_timezone(&zone))
                .ok(),
        };
        let date = recorded.map_or(c.starts_on, |t| t.date_naive());
        if since.is_some_and(|since| date < since) {
            continue;
        }
        let told = match kind {
            EventKind::SessionOwed => drawn(&c.session_id, Drawn::any)?,
            EventKind::NoShowNoCredit => drawn(&c.session_id, |d| d.no_show)?,
            EventKind::LateCancelNoCredit => drawn(&c.session_id, |d| d.late_cancel)?,
            _ => false,
        };
        if told {
            continue;
        }
        let time = match recorded {
            Some(t) => Some(t.format("%H:%M").to_string()),
            None => c.starts_time.clone(),
        };
        let note = match (kind, &c.before) {
            (EventKind::Rescheduled, Some((_, on, time))) => format!(
                "from {} to {}",
                when(*on, time.as_deref()),
                when(c.starts_on, c.starts_time.as_deref())
            ),
            _ => format!("for {}", when(c.starts_on, c.starts_time.as_deref())),
        };
        lines.push(Line {
            void: false,
            item: TimelineItem {
                time,
                // A booking moves no credit: its lines name no package (the
                // one it drew from, if any, is on its ledger line).
                session_id: Some(c.session_id.clone()),
                note,
                ..blank(format!("{}.{n}", c.session_id), date, kind)
            },
            recorded_at: c.recorded_at,
            source: 2,
            seq: c.seq,
        });
    }
    Ok(lines)
}

/// The credit drawn for a booking, of each kind (even if reversed since).
#[derive(Debug, Clone, Copy, Default)]
struct Drawn {
    session: bool,
    late_cancel: bool,
    no_show: bool,
}

impl Drawn {
    fn add(&mut self, kind: EntryKind) {
        match kind {
            EntryKind::Session => self.session = true,
            EntryKind::LateCancel => self.late_cancel = true,
            EntryKind::NoShow => self.no_show = true,
            _ => {}
        }
    }

    fn any(self) -> bool {
        self.session || self.late_cancel || self.no_show
    }
}

/// Each line's package balance after it, replayed in time order; void lines
/// change nothing.
fn replay(lines: &mut [Line]) {
    let mut balances: FxHashMap<&str, i32> = FxHashMap::default();
    let mut after = Vec::with_capacity(lines.len());
    for line in lines.iter() {
        after.push(line.item.package_id.as_deref().map(|package| {
            let balance = balances.entry(package).or_insert(0);
            if !line.void {
                *balance += line.item.sessions.unwrap_or(0);
            }
            *balance
        }));
    }
    for (line, balance) in lines.iter_mut().zip(after) {
        line.item.balance_after = balance;
    }
}

/// The same replay from the other end, for the newest lines alone: a
/// package's balance after its newest line is its balance now (the sum of
/// its ledger, which the corrected replay comes to, since a reversal and
/// what it reverses add up to nothing), and each line before is the one
/// after less what that line moved.
fn replay_from_now(lines: &mut [Line], now: &FxHashMap<String, i64>) {
    let mut balances: FxHashMap<String, i64> = now.clone();
    for line in lines.iter_mut().rev() {
        let Some(package) = line.item.package_id.as_deref() else {
            continue;
        };
        let balance = balances.entry(package.to_owned()).or_insert(0);
        line.item.balance_after = Some(i32::try_from(*balance).unwrap_or(i32::MAX));
        if !line.void {
            *balance -= i64::from(line.item.sessions.unwrap_or(0));
        }
    }
}

/// A client's history lines dated on or after `since` (all of them
/// without), in time order, their balances not yet replayed. Each source is
/// read from `since` on, but for the few that are small (plans, extensions,
/// pauses, follow-ups) and the bookings, whose changes are dated when made
/// (see `store::sessions::changes_of_client`).
fn lines(tx: &Tx, client_id: &str, since: Option<NaiveDate>) -> Result<Vec<Line>> {
    let ctx = tx.ctx()?;
    let (changes, mut session_days) =
        store::sessions::changes_of_client(tx.conn, client_id, since)?;
    let entries = store::ledger::of_client(tx.conn, client_id, since)?;
    // A session drawn from `since` on, for a booking not read (settled long
    // after its day, say): its day is looked up.
    for e in &entries {
        if let (EntryKind::Session, Some(id)) = (e.kind, &e.session_id) {
            if !session_days.contains_key(id) {
                session_days.insert(id.clone(), store::sessions::day_of(tx.conn, id)?);
            }
        }
    }
    // The credit drawn for each booking, as the entries read tell it: all of
    // it from the whole ledger. From a part, a booking whose line depends on
    // a draw not among them is asked (a draw from before `since`, for a
    // booking closed long after its day, say).
    let mut seen: FxHashMap<String, Drawn> = FxHashMap::default();
    for e in &entries {
        if let Some(id) = &e.session_id {
            seen.entry(id.clone()).or_default().add(e.kind);
        }
    }
    let drawn = |id: &str, told: fn(Drawn) -> bool| -> Result<bool> {
        let d = seen.get(id).copied().unwrap_or_default();
        if told(d) || since.is_none() {
            return Ok(told(d));
        }
        let mut d = Drawn::default();
        for kind in store::ledger::draws_of_session(tx.conn, id)? {
            d.add(kind);
        }
        Ok(told(d))
    };
    let bookings = booking_lines(changes, ctx.zone, since, drawn)?;
    let mut lines = ledger_lines(entries, ctx.currency, &session_days);
    lines.extend(payment_lines(tx, client_id, ctx.currency, since)?);
    lines.extend(plan_lines(tx, client_id, ctx.zone, ctx.currency)?);
    lines.extend(follow_up_lines(tx, client_id, ctx.zone)?);
    lines.extend(bookings);
    if let Some(since) = since {
        lines.retain(|l| l.item.date >= since);
    }
    // Lines are large: sort their places, then move each once.
    let mut order: Vec<usize> = (0..lines.len()).collect();
    order.sort_by(|&a, &b| lines[a].key().cmp(&lines[b].key()));
    let mut slots: Vec<Option<Line>> = lines.into_iter().map(Some).collect();
    Ok(order.into_iter().filter_map(|i| slots[i].take()).collect())
}

/// A client's whole history, oldest first.
pub(crate) fn build(tx: &Tx, client_id: &str) -> Result<Vec<TimelineItem>> {
    let mut lines = lines(tx, client_id, None)?;
    replay(&mut lines);
    Ok(lines.into_iter().map(|l| l.item).collect())
}

/// The newest `n` lines of a client's history (all of it for `None`),
/// newest first, and whether there are older ones. Only the lines from the
/// day of the client's `n + 1`th newest ledger entry on are made (every
/// line on an earlier day is older than all of those), from the ledger and
/// payments of those days and the bookings changed since, so the work grows
/// with `n` more than with the client's years.
pub(crate) fn newest(
    tx: &Tx,
    client_id: &str,
    n: Option<u32>,
) -> Result<(Vec<TimelineItem>, bool)> {
    let keep = n.map_or(usize::MAX, |n| usize::try_from(n).unwrap_or(usize::MAX));
    // More than n lines from that day on (there are, unless a package's
    // cached last day is wrong): the newest are among them.
    let since = match n {
        Some(n) => store::ledger::nth_newest_day(tx.conn, client_id, n)?,
        None => None,
    };
    let cut = match since {
        Some(since) => Some(lines(tx, client_id, Some(since))?).filter(|l| l.len() > keep),
        None => None,
    };
    let (mut lines, more) = match cut {
        Some(mut lines) => {
            let now: FxHashMap<String, i64> =
                store::packages::balances_of_client(tx.conn, client_id)?
                    .into_iter()
                    .collect();
            replay_from_now(&mut lines, &now);
            (lines, true)
        }
        // Fewer entries than that: the whole history is short.
        None => {
            let mut lines = lines(tx, client_id, None)?;
            replay(&mut lines);
            let more = lines.len() > keep;
            (lines, more)
        }
    };
    let from = lines.len() - lines.len().min(keep);
    let newest = lines.drain(from..).rev().map(|l| l.item).collect();
    Ok((newest, more))
}

/// A package's balance at the end of a day, from the corrected replay.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct BalanceOn {
    pub package_id: String,
    pub balance: u32,
}

impl Store {
    /// A client's whole history, oldest first, each line with the balance of
    /// its package after it.
    pub fn history(&self, client_id: &str) -> Result<Vec<TimelineItem>> {
        self.read(|tx| build(tx, client_id))
    }

    /// As [`Store::balances_on`], for a day as typed.
    pub fn balances_on_text(&self, client_id: &str, on: &str) -> Result<Vec<BalanceOn>> {
        let on = crate::text::date(on).map_err(|m| crate::Error::field("date", m))?;
        self.balances_on(client_id, on)
    }

    /// Each of a client's packages' balance at the end of `on`, replayed from
    /// the ledger (packages sold later are left out).
    pub fn balances_on(&self, client_id: &str, on: NaiveDate) -> Result<Vec<BalanceOn>> {
        self.read(|tx| {
            let mut last: Vec<BalanceOn> = Vec::new();
            for item in build(tx, client_id)?.into_iter().filter(|i| i.date <= on) {
                let (Some(package), Some(balance)) = (item.package_id, item.balance_after) else {
                    continue;
                };
                let balance = u32::try_from(balance).unwrap_or(0);
                match last.iter_mut().find(|b| b.package_id == package) {
                    Some(b) => b.balance = balance,
                    None => last.push(BalanceOn {
                        package_id: package,
                        balance,
                    }),
                }
            }
            Ok(last)
        })
    }
}
