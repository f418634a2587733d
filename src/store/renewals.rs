//! Storage for renewals: extensions of a package's last day and the renewal
//! follow-ups, both appended and never changed.

use chrono::NaiveDate;
use rusqlite::{params, Connection};

use crate::error::Result;

pub(crate) struct ExtensionRow {
    pub seq: i64,
    pub id: String,
    pub package_id: String,
    pub package_name: String,
    pub package_sold_on: NaiveDate,
    pub expires_on: NaiveDate,
    pub reason: String,
    pub recorded_at: String,
}

pub(crate) struct FollowUpRow {
    pub seq: i64,
    pub package_id: String,
    pub package_name: String,
    pub package_sold_on: NaiveDate,
    pub state: String,
    pub until: Option<NaiveDate>,
    pub recorded_at: String,
}

/// An extension of the last day to `to`; `pause_id` when a pause moved it.
pub(crate) fn insert_extension(
    conn: &Connection,
    id: &str,
    package_id: &str,
    to: NaiveDate,
    reason: &str,
    pause_id: Option<&str>,
    now: &str,
) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO package_extensions (id, package_id, expires_on, reason, recorded_at, pause_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![id, package_id, to, reason, now, pause_id])?;
    Ok(())
}

/// A pause of a package from its first to its last paused day.
pub(crate) fn insert_pause(
    conn: &Connection,
    id: &str,
    package_id: &str,
    (from, until): (NaiveDate, NaiveDate),
    reason: &str,
    now: &str,
) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO package_pauses (id, package_id, from_on, until_on, reason, recorded_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![id, package_id, from, until, reason, now])?;
    Ok(())
}

/// A pause, for the history.
pub(crate) struct PauseRow {
    pub seq: i64,
    pub id: String,
    pub package_id: String,
    pub package_name: String,
    pub package_sold_on: NaiveDate,
    pub from: NaiveDate,
    pub until: NaiveDate,
    pub reason: String,
    pub recorded_at: String,
    /// The last day it moved the package to (none: it never expires).
    pub moved_to: Option<NaiveDate>,
}

pub(crate) fn pauses_of_client(conn: &Connection, client_id: &str) -> Result<Vec<PauseRow>> {
    let mut stmt = conn.prepare_cached(
        "SELECT q.seq, q.id, q.package_id, p.name, p.sold_on, q.from_on, q.until_on, q.reason, q.recorded_at,
                (SELECT x.expires_on FROM package_extensions x WHERE x.pause_id = q.id)
         FROM package_pauses q JOIN packages p ON p.id = q.package_id
         WHERE p.client_id = ?1 ORDER BY q.seq",
    )?;
    let rows = stmt.query_map([client_id], |r| {
        Ok(PauseRow {
            seq: r.get(0)?,
            id: r.get(1)?,
            package_id: r.get(2)?,
            package_name: r.get(3)?,
            package_sold_on: r.get(4)?,
            from: r.get(5)?,
            until: r.get(6)?,
            reason: r.get(7)?,
            recorded_at: r.get(8)?,
            moved_to: r.get(9)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Live draws (sessions, late cancels, no-shows) on a package between two days.
pub(crate) fn draws_between(
    conn: &Connection,
    package_id: &str,
    (from, until): (NaiveDate, NaiveDate),
) -> Result<u32> {
    Ok(conn
        .prepare_cached(
            "SELECT count(*) FROM ledger_entries e
              WHERE e.package_id = ?1 AND e.kind IN ('session', 'late_cancel', 'no_show')
                AND e.occurred_on BETWEEN ?2 AND ?3
                AND NOT EXISTS (SELECT 1 FROM ledger_entries r WHERE r.reverses_id = e.id)",
        )?
        .query_row(params![package_id, from, until], |r| r.get(0))?)
}

/// Records a follow-up and makes it the package's current one.
pub(crate) fn set_follow_up(
    conn: &Connection,
    package_id: &str,
    state: &str,
    until: Option<NaiveDate>,
    now: &str,
) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO follow_ups (package_id, state, until, recorded_at) VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(params![package_id, state, until, now])?;
    conn.prepare_cached(
        "UPDATE packages SET renewal_state = ?2, renewal_snoozed_until = ?3 WHERE id = ?1",
    )?
    .execute(params![package_id, state, until])?;
    Ok(())
}

pub(crate) fn extensions_of_client(
    conn: &Connection,
    client_id: &str,
) -> Result<Vec<ExtensionRow>> {
    let mut stmt = conn.prepare_cached(
        "SELECT x.seq, x.id, x.package_id, p.name, p.sold_on, x.expires_on, x.reason, x.recorded_at
         FROM package_extensions x JOIN packages p ON p.id = x.package_id
         WHERE p.client_id = ?1 AND x.pause_id IS NULL ORDER BY x.seq",
    )?;
    let rows = stmt.query_map([client_id], |r| {
        Ok(ExtensionRow {
            seq: r.get(0)?,
            id: r.get(1)?,
            package_id: r.get(2)?,
            package_name: r.get(3)?,
            package_sold_on: r.get(4)?,
            expires_on: r.get(5)?,
            reason: r.get(6)?,
            recorded_at: r.get(7)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub(crate) fn follow_ups_of_client(conn: &Connection, client_id: &str) -> Result<Vec<FollowUpRow>> {
    let mut stmt = conn.prepare_cached(
        "SELECT f.seq, f.package_id, p.name, p.sold_on, f.state, f.until, f.recorded_at
         FROM follow_ups f JOIN packages p ON p.id = f.package_id
         WHERE p.client_id = ?1 ORDER BY f.seq",
    )?;
    let rows = stmt.query_map([client_id], |r| {
        Ok(FollowUpRow {
            seq: r.get(0)?,
            package_id: r.get(1)?,
            package_name: r.get(2)?,
            package_sold_on: r.get(3)?,
            state: r.get(4)?,
            until: r.get(5)?,
            recorded_at: r.get(6)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The practice's own reminder words ("" when it uses Punchcard's).
pub(crate) fn reminder_template(conn: &Connection) -> Result<String> {
    Ok(conn
        .prepare_cached("SELECT reminder_template FROM practice WHERE id = 1")?
        .query_row([], |r| r.get(0))?)
}

pub(crate) fn set_reminder_template(conn: &Connection, text: &str, now: &str) -> Result<()> {
    conn.prepare_cached(
        "UPDATE practice SET reminder_template = ?1, updated_at = ?2 WHERE id = 1",
    )?
    .execute(params![text, now])?;
    Ok(())
}

/// A package (not cancelled) that ended, as the renewal rate needs it.
pub(crate) struct Ending {
    /// The day it ended.
    pub on: NaiveDate,
    /// The sale day of its client's first sale (not cancelled) after it or
    /// renewing it; kept by the database (migration 17).
    pub followed_on: Option<NaiveDate>,
}

/// The packages not cancelled, sold by `to`, that ended from `from` to
/// `to` as of `today`: the day after their last day, when that has passed;
/// else, when used up, the day of their last entry. `wide`, for a range
/// that covers much of the practice's history: every balance row read
/// once, in table order (the test is a CASE, so SQLite does not turn it
/// into two index searches); else through the indexes of last days and of
/// used-up packages' last entries.
pub(crate) fn endings(
    conn: &Connection,
    (from, to): (NaiveDate, NaiveDate),
    today: NaiveDate,
    wide: bool,
) -> Result<Vec<Ending>> {
    // ?1 to ?2: the range, ?3: today, ?4 and ?5: the days before ?1 and ?2.
    // The columns: the last day when it has passed, else the day of the
    // last entry; and the next sale's day.
    let mut stmt = conn.prepare_cached(if wide {
        "SELECT iif(expires_on < ?3, expires_on, NULL), iif(expires_on < ?3, NULL, last_on), followed_on
           FROM package_balances
          WHERE NOT cancelled AND sold_on <= ?2
            AND CASE WHEN expires_on < ?3 THEN expires_on BETWEEN ?4 AND ?5
                     ELSE balance = 0 AND last_on BETWEEN ?1 AND ?2 END"
    } else {
        "SELECT expires_on, NULL, followed_on FROM package_balances
          WHERE expires_on BETWEEN ?4 AND ?5 AND expires_on < ?3 AND sold_on <= ?2 AND NOT cancelled
         UNION ALL
         SELECT NULL, last_on, followed_on FROM package_balances
          WHERE balance = 0 AND last_on BETWEEN ?1 AND ?2 AND (expires_on IS NULL OR expires_on >= ?3)
            AND sold_on <= ?2 AND NOT cancelled"
    })?;
    let day_before = |d: NaiveDate| d.pred_opt().unwrap_or(d);
    let rows = stmt.query_map(
        params![from, to, today, day_before(from), day_before(to)],
        |r| {
            use crate::store::{day, opt_day};
            Ok(Ending {
                on: match opt_day(r, 0)? {
                    Some(last) => last.succ_opt().unwrap_or(last),
                    None => day(r, 1)?,
                },
                followed_on: opt_day(r, 2)?,
            })
        },
    )?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
