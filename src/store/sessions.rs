//! Sessions (bookings). Their status history is written by triggers.

use chrono::NaiveDate;
use rusqlite::{params, Connection};

use crate::domain::kinds::SessionStatus;
use crate::error::Result;

pub(crate) struct NewSession<'a> {
    pub id: &'a str,
    pub client_id: &'a str,
    pub package_id: Option<&'a str>,
    pub starts_on: NaiveDate,
    pub starts_time: Option<&'a str>,
    pub status: SessionStatus,
    pub service: &'a str,
    pub notes: &'a str,
}

pub(crate) fn insert(conn: &Connection, s: &NewSession<'_>, now: &str) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO sessions (id, client_id, package_id, starts_on, starts_time, status,
             service, notes, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9)",
    )?
    .execute(params![
        s.id,
        s.client_id,
        s.package_id,
        s.starts_on,
        s.starts_time,
        s.status,
        s.service,
        s.notes,
        now
    ])?;
    Ok(())
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
