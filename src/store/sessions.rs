//! Sessions (bookings). Their status and time history is written by triggers.

use chrono::NaiveDate;
use rusqlite::{named_params, params, Connection, OptionalExtension, Row};
use rustc_hash::FxHashMap;

use crate::domain::kinds::SessionStatus;
use crate::error::{Error, Result};
use crate::store::day;

pub(crate) struct NewSession<'a> {
    pub id: &'a str,
    pub client_id: &'a str,
    pub package_id: Option<&'a str>,
    pub starts_on: NaiveDate,
    pub starts_time: Option<&'a str>,
    pub duration_minutes: u32,
    pub status: SessionStatus,
    pub owed: bool,
    pub service: &'a str,
    pub notes: &'a str,
}

pub(crate) fn insert(conn: &Connection, s: &NewSession<'_>, now: &str) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO sessions (id, client_id, package_id, starts_on, starts_time, duration_minutes,
             status, owed, service, notes, created_at, updated_at)
         VALUES (:id, :client_id, :package_id, :starts_on, :starts_time, :duration, :status, :owed,
             :service, :notes, :now, :now)",
    )?
    .execute(named_params! {
        ":id": s.id,
        ":client_id": s.client_id,
        ":package_id": s.package_id,
        ":starts_on": s.starts_on,
        ":starts_time": s.starts_time,
        ":duration": s.duration_minutes,
        ":status": s.status,
        ":owed": s.owed,
        ":service": s.service,
        ":notes": s.notes,
        ":now": now,
    })?;
    Ok(())
}

/// A session as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SessionRow {
    pub id: String,
    pub client_id: String,
    pub package_id: Option<String>,
    pub starts_on: NaiveDate,
    pub starts_time: Option<String>,
    pub duration_minutes: u32,
    pub status: SessionStatus,
    pub owed: bool,
    pub service: String,
    pub notes: String,
}

macro_rules! select {
    () => {
        "SELECT s.id, s.client_id, s.package_id, s.starts_on, s.starts_time, s.duration_minutes,
                s.status, s.owed, s.service, s.notes
         FROM sessions s "
    };
}

fn from_row(r: &Row<'_>) -> rusqlite::Result<SessionRow> {
    Ok(SessionRow {
        id: r.get(0)?,
        client_id: r.get(1)?,
        package_id: r.get(2)?,
        starts_on: day(r, 3)?,
        starts_time: r.get(4)?,
        duration_minutes: r.get(5)?,
        status: r.get(6)?,
        owed: r.get(7)?,
        service: r.get(8)?,
        notes: r.get(9)?,
    })
}

pub(crate) fn get(conn: &Connection, id: &str) -> Result<SessionRow> {
    conn.prepare_cached(concat!(select!(), "WHERE s.id = ?1"))?
        .query_row([id], from_row)
        .optional()?
        .ok_or_else(|| Error::NotFound("That booking no longer exists.".into()))
}

/// A client's bookings still to happen (scheduled) from `from` on, in time order.
pub(crate) fn booked_of_client(
    conn: &Connection,
    client_id: &str,
    from: NaiveDate,
) -> Result<Vec<SessionRow>> {
    let mut stmt = conn.prepare_cached(concat!(
        select!(),
        "WHERE s.client_id = ?1 AND s.status = 'scheduled' AND s.starts_on >= ?2
         ORDER BY s.starts_on, s.starts_time, s.id"
    ))?;
    let rows = stmt.query_map(params![client_id, from], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The bookings from `from` on (to `until`, when given) of these clients,
/// by client, soonest first.
pub(crate) fn booked_of_clients(
    conn: &Connection,
    clients: &[String],
    from: NaiveDate,
    until: Option<NaiveDate>,
) -> Result<Vec<SessionRow>> {
    let mut stmt = conn.prepare_cached(concat!(
        select!(),
        "WHERE s.client_id IN rarray(?1) AND s.status = 'scheduled'
           AND s.starts_on >= ?2 AND s.starts_on <= ?3
         ORDER BY s.client_id, s.starts_on, s.starts_time, s.id"
    ))?;
    // Days are written `YYYY-MM-DD`: any is before the last day of year 9999.
    let until = until.map_or_else(|| "9999-12-31".to_owned(), |d| d.to_string());
    let rows = stmt.query_map(
        params![crate::store::id_array(clients), from, until],
        from_row,
    )?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// A client's sessions owed (completed with no credit), oldest first.
pub(crate) fn owed_of_client(conn: &Connection, client_id: &str) -> Result<Vec<SessionRow>> {
    let mut stmt = conn.prepare_cached(concat!(
        select!(),
        "WHERE s.client_id = ?1 AND s.owed = 1 ORDER BY s.starts_on, s.starts_time, s.id"
    ))?;
    let rows = stmt.query_map([client_id], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// How many sessions each of these clients owes, and how many bookings each has ahead.
pub(crate) fn owed_and_booked(
    conn: &Connection,
    clients: &[String],
    from: NaiveDate,
) -> Result<Vec<(String, u32, u32)>> {
    let ids = crate::store::id_array(clients);
    let mut stmt = conn.prepare_cached(
        "SELECT c.value,
                (SELECT count(*) FROM sessions s WHERE s.client_id = c.value AND s.owed = 1),
                (SELECT count(*) FROM sessions s
                  WHERE s.client_id = c.value AND s.status = 'scheduled' AND s.starts_on >= ?2)
         FROM rarray(?1) c",
    )?;
    let rows = stmt.query_map(params![ids, from], |r| {
        Ok((r.get(0)?, r.get(1)?, r.get(2)?))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Every client with sessions owed or bookings from `from` on: (client,
/// sessions owed, bookings), read through the partial indexes of each.
pub(crate) fn owed_and_booked_by_client(
    conn: &Connection,
    from: NaiveDate,
) -> Result<Vec<(String, u32, u32)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT client_id, sum(owed), sum(booked) FROM (
             SELECT client_id, count(*) AS owed, 0 AS booked FROM sessions WHERE owed = 1 GROUP BY client_id
             UNION ALL
             SELECT client_id, 0, count(*) FROM sessions
              WHERE status = 'scheduled' AND starts_on >= ?1 GROUP BY client_id)
         GROUP BY client_id",
    )?;
    let rows = stmt.query_map(params![from], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// A booking on the agenda: the session with its client's name.
pub(crate) struct AgendaRow {
    pub session: SessionRow,
    pub client_name: String,
}

/// Bookings before `day` still waiting to be closed (completed, missed or
/// cancelled), oldest first, at most `limit`: read from the bookings by day
/// (the `CROSS JOIN` keeps SQLite from walking every client instead, and
/// the index is named: with the limit known, it chose a walk of every
/// client's bookings). The order is the index's own, day then time (a time
/// left out is NULL and comes first, as it would as ''), so SQLite reads the
/// first bookings in order and sorts only those that share a time by
/// client: ordered by `coalesce(time, '')` it read and sorted every open
/// booking of the day, 1,203 in a day at 100× (cold, 0.36-0.41 s against
/// 0.06 s now). The limit is written into the statement: SQLite plans with
/// a bound limit's value, and so would prepare the statement again at every
/// read.
pub(crate) fn open_before(conn: &Connection, day: NaiveDate, limit: u32) -> Result<Vec<AgendaRow>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT s.id, s.client_id, s.package_id, s.starts_on, s.starts_time, s.duration_minutes,
                s.status, s.owed, s.service, s.notes, c.name
         FROM sessions s INDEXED BY sessions_booked_by_day CROSS JOIN clients c ON c.id = s.client_id
         WHERE s.status = 'scheduled' AND s.starts_on < ?1
         ORDER BY s.starts_on, s.starts_time, c.sort_key, s.id
         LIMIT {limit}"
    ))?;
    let rows = stmt.query_map(params![day], agenda_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// How many bookings before `day` are still waiting to be closed (read
/// from the index of bookings by day alone).
pub(crate) fn count_open_before(conn: &Connection, day: NaiveDate) -> Result<u32> {
    Ok(conn
        .prepare_cached(
            "SELECT count(*) FROM sessions WHERE status = 'scheduled' AND starts_on < ?1",
        )?
        .query_row(params![day], |r| r.get(0))?)
}

/// The bookings (whatever their status) from `from` to `to`, in time order,
/// at most `limit`. SQLite reads them from the index of bookings in the
/// agenda's order (day, time, client, id: migration 16), so taking the
/// first rows reads no others. (A bound `LIMIT` would have SQLite prepare
/// the statement again for each value, and one written in would be a
/// statement per page.)
pub(crate) fn between(
    conn: &Connection,
    from: NaiveDate,
    to: NaiveDate,
    limit: u32,
) -> Result<Vec<AgendaRow>> {
    let mut stmt = conn.prepare_cached(
        "SELECT s.id, s.client_id, s.package_id, s.starts_on, s.starts_time, s.duration_minutes,
                s.status, s.owed, s.service, s.notes, c.name
         FROM sessions s JOIN clients c ON c.id = s.client_id
         WHERE s.starts_on BETWEEN ?1 AND ?2
         ORDER BY s.starts_on, s.starts_time, s.client_sort_key, s.id",
    )?;
    let rows = stmt.query_map(params![from, to], agenda_row)?;
    Ok(rows
        .take(usize::try_from(limit).unwrap_or(usize::MAX))
        .collect::<rusqlite::Result<_>>()?)
}

/// The first `per_day` bookings (whatever their status) of each day from
/// `from` to `to`, in time order: a day at a time, each read from the index
/// in the agenda's order up to its `per_day`th booking. Sorted by the
/// clients' own keys, a day's first hour was read whole, each booking with
/// its client (at 100×, 47 bookings to keep 12).
pub(crate) fn between_each_day(
    conn: &Connection,
    from: NaiveDate,
    to: NaiveDate,
    per_day: u32,
) -> Result<Vec<AgendaRow>> {
    let mut stmt = conn.prepare_cached(
        "SELECT s.id, s.client_id, s.package_id, s.starts_on, s.starts_time, s.duration_minutes,
                s.status, s.owed, s.service, s.notes, c.name
         FROM sessions s JOIN clients c ON c.id = s.client_id
         WHERE s.starts_on = ?1
         ORDER BY s.starts_time, s.client_sort_key, s.id",
    )?;
    let mut out = Vec::new();
    for day in from.iter_days().take_while(|d| *d <= to) {
        let rows = stmt.query_map([day], agenda_row)?;
        for row in rows.take(usize::try_from(per_day).unwrap_or(usize::MAX)) {
            out.push(row?);
        }
    }
    Ok(out)
}

fn agenda_row(r: &Row<'_>) -> rusqlite::Result<AgendaRow> {
    Ok(AgendaRow {
        session: from_row(r)?,
        client_name: r.get(10)?,
    })
}

/// How many bookings each day from `from` to `to` holds, and how many of
/// them are still to close (scheduled); days with none are left out. Read
/// from the counts the triggers keep (`sessions_per_day`, migration 13), a
/// row a day, however many bookings the days hold.
pub(crate) fn day_counts(
    conn: &Connection,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<FxHashMap<NaiveDate, (u32, u32)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT day, sessions, scheduled FROM sessions_per_day
         WHERE day BETWEEN ?1 AND ?2 AND sessions > 0",
    )?;
    let rows = stmt.query_map(params![from, to], |r| {
        Ok((day(r, 0)?, (r.get::<_, u32>(1)?, r.get::<_, u32>(2)?)))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub(crate) fn set_status(
    conn: &Connection,
    id: &str,
    status: SessionStatus,
    now: &str,
) -> Result<()> {
    conn.prepare_cached("UPDATE sessions SET status = ?2, updated_at = ?3 WHERE id = ?1")?
        .execute(params![id, status, now])?;
    Ok(())
}

/// Closes a booking: its status, the package it drew from (if any) and
/// whether it is owed.
pub(crate) fn close(
    conn: &Connection,
    id: &str,
    status: SessionStatus,
    package_id: Option<&str>,
    owed: bool,
    now: &str,
) -> Result<()> {
    conn.prepare_cached(
        "UPDATE sessions SET status = ?2, package_id = ?3, owed = ?4, updated_at = ?5 WHERE id = ?1",
    )?
    .execute(params![id, status, package_id, owed, now])?;
    Ok(())
}

/// Moves a booking; the trigger keeps the move in its history.
pub(crate) fn move_to(
    conn: &Connection,
    id: &str,
    on: NaiveDate,
    time: Option<&str>,
    now: &str,
) -> Result<()> {
    conn.prepare_cached(
        "UPDATE sessions SET starts_on = ?2, starts_time = ?3, updated_at = ?4 WHERE id = ?1",
    )?
    .execute(params![id, on, time, now])?;
    Ok(())
}

/// One change in a client's bookings, for the history: what the booking was
/// before (`None` for its first row) and after.
pub(crate) struct BookingChange {
    pub session_id: String,
    pub seq: i64,
    pub recorded_at: String,
    pub status: SessionStatus,
    pub starts_on: NaiveDate,
    pub starts_time: Option<String>,
    pub before: Option<(SessionStatus, NaiveDate, Option<String>)>,
}

/// The day a booking is on.
pub(crate) fn day_of(conn: &Connection, id: &str) -> Result<NaiveDate> {
    Ok(conn
        .prepare_cached("SELECT starts_on FROM sessions WHERE id = ?1")?
        .query_row([id], |r| day(r, 0))?)
}

/// Whether this session was ever booked ahead (scheduled), as its history says.
pub(crate) fn was_booked(conn: &Connection, session_id: &str) -> Result<bool> {
    Ok(conn
        .prepare_cached(
            "SELECT EXISTS (SELECT 1 FROM session_history WHERE session_id = ?1 AND status = ?2)",
        )?
        .query_row(params![session_id, SessionStatus::Scheduled], |r| r.get(0))?)
}

/// Every change to a client's bookings, booking by booking, each one's in
/// the order made, and each booking's day as it stands. What a booking was
/// before a change is the change before it (no lookup per row).
///
/// With `since`, only the bookings that may have changed on or after that
/// day, or are on or after it, and every change of each: a change is
/// recorded at the time its booking is updated (`sessions.updated_at`), so a
/// booking last updated two days or more before `since` has no change from
/// it on, in any time zone (unless the computer's clock went back by days
/// between two changes of the booking).
pub(crate) fn changes_of_client(
    conn: &Connection,
    client_id: &str,
    since: Option<NaiveDate>,
) -> Result<(Vec<BookingChange>, FxHashMap<String, NaiveDate>)> {
    // Booking by booking, each one's changes in the order made: the order
    // the two indexes give, so nothing is sorted.
    let mut stmt = conn.prepare_cached(
        "SELECT h.session_id, h.seq, h.recorded_at, h.status, h.starts_on, h.starts_time, s.starts_on
         FROM sessions s JOIN session_history h ON h.session_id = s.id
         WHERE s.client_id = ?1 AND (s.starts_on >= ?2 OR s.updated_at >= ?3)
         ORDER BY s.starts_on, s.rowid, h.seq",
    )?;
    let (on, changed) = match since {
        Some(d) => {
            let changed = d.checked_sub_days(chrono::Days::new(2)).unwrap_or(d);
            (d.to_string(), changed.to_string())
        }
        None => (String::new(), String::new()),
    };
    let mut rows = stmt.query(params![client_id, on, changed])?;
    let mut changes: Vec<BookingChange> = Vec::new();
    let mut days: FxHashMap<String, NaiveDate> = FxHashMap::default();
    while let Some(r) = rows.next()? {
        let session_id: String = r.get(0)?;
        let before = match changes.last() {
            Some(b) if b.session_id == session_id => {
                Some((b.status, b.starts_on, b.starts_time.clone()))
            }
            _ => {
                days.insert(session_id.clone(), day(r, 6)?);
                None
            }
        };
        changes.push(BookingChange {
            session_id,
            seq: r.get(1)?,
            recorded_at: r.get(2)?,
            status: r.get(3)?,
            starts_on: day(r, 4)?,
            starts_time: r.get(5)?,
            before,
        });
    }
    Ok((changes, days))
}
