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

pub(crate) fn insert_extension(
    conn: &Connection,
    id: &str,
    package_id: &str,
    to: NaiveDate,
    reason: &str,
    now: &str,
) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO package_extensions (id, package_id, expires_on, reason, recorded_at) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![id, package_id, to, reason, now])?;
    Ok(())
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
         WHERE p.client_id = ?1 ORDER BY x.seq",
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
