//! Bookings as the screens show them: Today (today and the coming days), the
//! week at a glance, and a client's bookings ahead. Each booking still to
//! happen says which package it will draw from, what will be left after it,
//! and whether it is booked beyond the balance (drawn on paper, in time
//! order, by the same rule the draw will use).

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate, NaiveTime};
use serde::{Deserialize, Serialize};
use specta::Type;

use crate::domain::booking::{self, Booked, Covered};
use crate::domain::kinds::SessionStatus;
use crate::error::Result;
use crate::ops::bookings::BookingStatus;
use crate::ops::draw::candidates_of;
use crate::store::packages::PackageRow;
use crate::store::sessions::SessionRow;
use crate::store::{self, Store, Tx};

/// One booking on a screen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct BookingView {
    pub session_id: String,
    pub client_id: String,
    pub client_name: String,
    pub date: NaiveDate,
    /// `HH:MM` in the practice's time zone.
    pub time: Option<String>,
    pub duration_minutes: u32,
    pub service: String,
    pub status: BookingStatus,
    /// The package it draws (or drew) from.
    pub package_id: Option<String>,
    pub package_name: Option<String>,
    /// Credits left on that package after it (for a booking still to happen:
    /// after it and the client's bookings before it).
    pub left_after: u32,
    /// Still to happen, and no credit will be left for it.
    pub beyond_balance: bool,
    /// Completed with no credit: owed until a package covers it.
    pub owed: bool,
    /// When cancelling starts to forfeit a credit (UTC, RFC 3339), for a
    /// booking still to happen.
    pub late_from: Option<String>,
    pub notes: String,
}

/// A day of bookings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct AgendaDay {
    pub date: NaiveDate,
    /// How many bookings the day holds in all (whatever their status).
    pub total: u32,
    /// How many of them are still to close (scheduled).
    pub to_close: u32,
    /// The day's bookings read, in time order: all of them, or its first
    /// ones when fewer were asked for (see [`AgendaAsk`]).
    pub bookings: Vec<BookingView>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct Agenda {
    pub today: NaiveDate,
    pub days: Vec<AgendaDay>,
    /// Bookings in these days that were not read (beyond what was asked).
    pub more: u32,
    /// Bookings on days gone by still waiting to be closed (when the agenda
    /// starts today or earlier), oldest first, at most [`MAX_UNCLOSED`].
    pub unclosed: Vec<BookingView>,
    /// How many are waiting to be closed in all.
    pub unclosed_total: u32,
}

/// How many of the days' bookings to read: a screen reads what it shows, so
/// it costs the same whatever the practice holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum AgendaAsk {
    /// The first this many, in time order (a list read a page at a time).
    First(u32),
    /// The first this many of each day (the week at a glance).
    EachDay(u32),
    /// Every one (the calendar file; a screen is given at most
    /// [`MAX_BOOKINGS`] of each day).
    All,
}

/// How many days a screen asks for at most.
pub const MAX_DAYS: u32 = 31;

/// How many bookings a screen asks for at most, in all or on each day.
pub const MAX_BOOKINGS: u32 = 5_000;

/// How many days Today shows, today included (the first screen).
pub const TODAY_DAYS: u32 = 14;

/// How many of Today's bookings the list reads at first, and how many more
/// each time: a screenful and a half, so the first screen reads only about
/// what it shows; the rest are counted, and read as the list scrolls.
pub const TODAY_PAGE: u32 = 20;

/// How many unclosed bookings from days gone by the agenda lists at most:
/// the oldest, as many as Today's first page (the screen says how many wait
/// in all, and the next follow as these are closed). A day left unclosed at
/// 100× leaves about 1,200; drawing 100 of them before the day's own
/// bookings made the first screen draw five times what it showed.
pub const MAX_UNCLOSED: u32 = 20;

/// How one booking ahead is covered: by which package (its name and its
/// late-cancel window), for which client.
pub(crate) struct Coverage {
    pub covered: Covered,
    pub client_id: String,
    pub package_name: String,
    pub late_cancel_hours: u32,
}

/// How the credits left cover each client's bookings ahead, by session.
/// Of these clients, those with a booking no credit will cover.
pub(crate) fn beyond_balance(
    tx: &Tx,
    clients: &[String],
) -> Result<std::collections::HashSet<String>> {
    Ok(coverage(tx, clients, None)?
        .into_values()
        .filter(|c| c.covered.beyond())
        .map(|c| c.client_id)
        .collect())
}

/// With `until`, only the bookings to that day are covered: each booking's
/// cover depends on the bookings before it alone (`booking::project` walks
/// them in time order), so those after it are not read.
pub(crate) fn coverage(
    tx: &Tx,
    clients: &[String],
    until: Option<NaiveDate>,
) -> Result<HashMap<String, Coverage>> {
    let ctx = tx.ctx()?;
    let mut out = HashMap::new();
    // Every client's bookings and packages in two reads, not two per client.
    let mut booked_by: HashMap<String, Vec<SessionRow>> = HashMap::new();
    for s in store::sessions::booked_of_clients(tx.conn, clients, ctx.today, until)? {
        booked_by.entry(s.client_id.clone()).or_default().push(s);
    }
    let with_bookings: Vec<String> = booked_by.keys().cloned().collect();
    let mut packages_by: HashMap<String, Vec<PackageRow>> = HashMap::new();
    for p in store::packages::paying_of_clients(tx.conn, ctx.currency, &with_bookings)? {
        packages_by.entry(p.client_id.clone()).or_default().push(p);
    }
    for (client, booked) in &booked_by {
        let own = packages_by.remove(client).unwrap_or_default();
        let (packages, candidates) = candidates_of(tx, own, ctx.today, "")?;
        let plan: Vec<Booked> = booked
            .iter()
            .map(|s| Booked {
                session_id: s.id.clone(),
                on: s.starts_on,
                planned: s.package_id.clone(),
                service: s.service.clone(),
            })
            .collect();
        for c in booking::project(&candidates, &plan) {
            let (name, hours) = c
                .package
                .as_ref()
                .and_then(|id| packages.iter().find(|p| &p.id == id))
                .map(|p| (p.name.clone(), p.late_cancel_hours))
                .unwrap_or_else(|| (String::new(), ctx.late_cancel_hours));
            out.insert(
                c.session_id.clone(),
                Coverage {
                    covered: c,
                    client_id: client.clone(),
                    package_name: name,
                    late_cancel_hours: hours,
                },
            );
        }
    }
    Ok(out)
}

/// Turns sessions into bookings as shown, with their coverage.
pub(crate) fn views(tx: &Tx, rows: Vec<(SessionRow, String)>) -> Result<Vec<BookingView>> {
    let ctx = tx.ctx()?;
    // Only a booking still ahead is covered (`coverage` projects the
    // bookings from today on): the clients of closed bookings, and of those
    // still open from days gone by (Today's 20 oldest), need no projection.
    let ahead = || {
        rows.iter()
            .map(|(s, _)| s)
            .filter(|s| s.status == SessionStatus::Scheduled && s.starts_on >= ctx.today)
    };
    let mut clients: Vec<String> = ahead().map(|s| s.client_id.clone()).collect();
    clients.sort();
    clients.dedup();
    let covered = match ahead().map(|s| s.starts_on).max() {
        Some(last) => coverage(tx, &clients, Some(last))?,
        None => HashMap::new(),
    };
    // Packages drawn from already, by id, for the names and balances of
    // closed bookings: in one read (a busy day has hundreds).
    let drawn: Vec<String> = rows
        .iter()
        .filter(|(s, _)| s.status != SessionStatus::Scheduled)
        .filter_map(|(s, _)| s.package_id.clone())
        .collect();
    let names: HashMap<String, (String, u32)> =
        store::packages::names_and_balances(tx.conn, &drawn)?;
    Ok(rows
        .into_iter()
        .map(|(s, client_name)| {
            let ahead = covered.get(&s.id);
            let (package_id, package_name, left_after) = match (s.status, ahead) {
                (SessionStatus::Scheduled, Some(c)) => (
                    c.covered.package.clone(),
                    c.covered.package.as_ref().map(|_| c.package_name.clone()),
                    c.covered.left_after,
                ),
                _ => {
                    let known = s.package_id.as_ref().and_then(|id| names.get(id));
                    (
                        s.package_id.clone(),
                        known.map(|k| k.0.clone()),
                        known.map(|k| k.1).unwrap_or(0),
                    )
                }
            };
            let late_from = match (s.status, ahead, &s.starts_time) {
                (SessionStatus::Scheduled, Some(c), Some(t)) => {
                    NaiveTime::parse_from_str(t, "%H:%M").ok().map(|time| {
                        let start = booking::start_instant(s.starts_on, time, ctx.zone);
                        (start - chrono::Duration::hours(i64::from(c.late_cancel_hours)))
                            .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
                    })
                }
                _ => None,
            };
            BookingView {
                beyond_balance: s.status == SessionStatus::Scheduled
                    && ahead.is_some_and(|c| c.covered.beyond()),
                session_id: s.id,
                client_id: s.client_id,
                client_name,
                date: s.starts_on,
                time: s.starts_time,
                duration_minutes: s.duration_minutes,
                service: s.service,
                status: s.status.into(),
                package_id,
                package_name,
                left_after,
                owed: s.owed,
                late_from,
                notes: s.notes,
            }
        })
        .collect())
}

impl Store {
    /// Every booking from `from` for `days` days, by day (days with none
    /// included), each with what it draws from.
    pub fn agenda(&self, from: NaiveDate, days: u32) -> Result<Agenda> {
        self.agenda_of(from, days, AgendaAsk::All)
    }

    /// As [`Store::agenda`], reading only the bookings asked for; every day
    /// still says how many it holds.
    pub fn agenda_of(&self, from: NaiveDate, days: u32, ask: AgendaAsk) -> Result<Agenda> {
        let ask = match ask {
            AgendaAsk::First(n) => AgendaAsk::First(n.clamp(1, MAX_BOOKINGS)),
            AgendaAsk::EachDay(n) => AgendaAsk::EachDay(n.clamp(1, MAX_BOOKINGS)),
            // A screen reads at most so many of a day.
            AgendaAsk::All => AgendaAsk::EachDay(MAX_BOOKINGS),
        };
        self.agenda_span(from, days.clamp(1, MAX_DAYS), ask)
    }

    /// As [`Store::agenda_of`], for any number of days (the calendar file's year).
    pub(crate) fn agenda_span(&self, from: NaiveDate, days: u32, ask: AgendaAsk) -> Result<Agenda> {
        let days = days.max(1);
        self.read(|tx| {
            let today = tx.ctx()?.today;
            let to = from + chrono::Days::new(u64::from(days - 1));
            let rows = match ask {
                AgendaAsk::First(n) => store::sessions::between(tx.conn, from, to, n)?,
                AgendaAsk::EachDay(n) => store::sessions::between_each_day(tx.conn, from, to, n)?,
                AgendaAsk::All => store::sessions::between(tx.conn, from, to, u32::MAX)?,
            };
            let mut all = views(
                tx,
                rows.into_iter()
                    .map(|a| (a.session, a.client_name))
                    .collect(),
            )?;
            let (unclosed, unclosed_total) = if from <= today {
                let rows = store::sessions::open_before(tx.conn, from.min(today), MAX_UNCLOSED)?
                    .into_iter()
                    .map(|a| (a.session, a.client_name))
                    .collect();
                (
                    views(tx, rows)?,
                    store::sessions::count_open_before(tx.conn, from.min(today))?,
                )
            } else {
                (Vec::new(), 0)
            };
            // Days gone by are past: nothing there is "ahead" any more.
            for b in all.iter_mut().filter(|b| b.date < today) {
                b.beyond_balance = false;
            }
            let counts = store::sessions::day_counts(tx.conn, from, to)?;
            let mut out: Vec<AgendaDay> = (0..days)
                .map(|i| {
                    let date = from + chrono::Days::new(u64::from(i));
                    let (total, to_close) = counts.get(&date).copied().unwrap_or_default();
                    AgendaDay {
                        date,
                        total,
                        to_close,
                        bookings: Vec::new(),
                    }
                })
                .collect();
            let read = all.len() as u32;
            for b in all {
                let i = (b.date - from).num_days() as usize;
                out[i].bookings.push(b);
            }
            let more = out
                .iter()
                .map(|d| d.total)
                .sum::<u32>()
                .saturating_sub(read);
            Ok(Agenda {
                today,
                days: out,
                more,
                unclosed,
                unclosed_total,
            })
        })
    }

    /// As [`Store::agenda_of`], from a day as typed (`YYYY-MM-DD`; empty: today).
    pub fn agenda_from_text(&self, from: &str, days: u32, ask: AgendaAsk) -> Result<Agenda> {
        let from = match from.trim() {
            "" => self.today()?,
            t => crate::text::date(t).map_err(|m| crate::Error::field("date", m))?,
        };
        self.agenda_of(from, days, ask)
    }

    /// Reads what the window's first screen asks for and drops it: the
    /// practice, the expiries due (looked for at every start) and Today's
    /// first page. The app calls it as soon as the file is open, on a thread
    /// of its own, while the window is still loading (over a second on a
    /// cold start): the first screen then finds the pages it needs in
    /// memory, whatever the size of the practice, instead of reading them
    /// from disk one at a time. Cold, opening the file and the first screen
    /// read 214 pages at 1× and 382 at 100×; the first screen took 30 and
    /// 40 ms without the read ahead, 1.2 and 1.4 ms after it.
    pub fn warm_first_screen(&self) -> Result<()> {
        if self.practice()?.is_none() {
            return Ok(());
        }
        let today = self.today()?;
        self.read(|tx| crate::ops::expiry::due(tx, today, None).map(drop))?;
        self.agenda_of(today, TODAY_DAYS, AgendaAsk::First(TODAY_PAGE))
            .map(drop)
    }

    /// The week (Monday to Sunday) that holds `day`.
    pub fn week_of(&self, day: NaiveDate) -> Result<Agenda> {
        let monday = day - chrono::Days::new(u64::from(day.weekday().num_days_from_monday()));
        self.agenda(monday, 7)
    }
}
