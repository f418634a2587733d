//! The credit ledger: append-only entries whose sum is a package's balance.

use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension};

use crate::domain::kinds::EntryKind;
use crate::error::Result;
use crate::store::day;

/// What a new entry records.
pub(crate) struct NewEntry<'a> {
    pub id: &'a str,
    pub package_id: &'a str,
    pub kind: EntryKind,
    pub delta: i32,
    pub occurred_on: NaiveDate,
    pub occurred_time: Option<&'a str>,
    pub session_id: Option<&'a str>,
    pub reverses_id: Option<&'a str>,
    pub note: &'a str,
}

pub(crate) fn insert(conn: &Connection, e: &NewEntry<'_>, now: &str) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO ledger_entries (id, package_id, kind, delta, occurred_on, occurred_time,
             session_id, reverses_id, note, recorded_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )?
    .execute(params![
        e.id,
        e.package_id,
        e.kind,
        e.delta,
        e.occurred_on,
        e.occurred_time,
        e.session_id,
        e.reverses_id,
        e.note,
        now
    ])?;
    Ok(())
}

/// An entry with what reversing it needs to know.
pub(crate) struct EntryRow {
    pub package_id: String,
    pub kind: EntryKind,
    pub delta: i32,
    pub occurred_on: NaiveDate,
    pub occurred_time: Option<String>,
    pub session_id: Option<String>,
    pub reversed_by: Option<String>,
    /// The package's balance now.
    pub package_balance: i64,
}

pub(crate) fn get(conn: &Connection, id: &str) -> Result<Option<EntryRow>> {
    Ok(conn
        .prepare_cached(
            "SELECT e.package_id, e.kind, e.delta, e.occurred_on, e.occurred_time, e.session_id,
                    (SELECT r.id FROM ledger_entries r WHERE r.reverses_id = e.id),
                    (SELECT b.balance FROM package_balances b WHERE b.package_id = e.package_id)
             FROM ledger_entries e WHERE e.id = ?1",
        )?
        .query_row([id], |r| {
            Ok(EntryRow {
                package_id: r.get(0)?,
                kind: r.get(1)?,
                delta: r.get(2)?,
                occurred_on: r.get(3)?,
                occurred_time: r.get(4)?,
                session_id: r.get(5)?,
                reversed_by: r.get(6)?,
                package_balance: r.get(7)?,
            })
        })
        .optional()?)
}

/// The date and time of a package's latest entry.
pub(crate) fn latest_on_package(
    conn: &Connection,
    package_id: &str,
) -> Result<(NaiveDate, Option<String>)> {
    Ok(conn
        .prepare_cached(
            "SELECT occurred_on, occurred_time FROM ledger_entries WHERE package_id = ?1
             ORDER BY occurred_on DESC, coalesce(occurred_time, '') DESC LIMIT 1",
        )?
        .query_row([package_id], |r| Ok((r.get(0)?, r.get(1)?)))?)
}

/// One ledger line of a client's history, as stored.
pub(crate) struct HistoryEntry {
    pub id: String,
    pub occurred_on: NaiveDate,
    pub occurred_time: Option<String>,
    pub kind: EntryKind,
    pub package_id: String,
    pub package_name: String,
    pub package_sold_on: NaiveDate,
    pub delta: i32,
    pub note: String,
    pub reverses: Option<String>,
    pub reversed_by: Option<String>,
    pub recorded_at: String,
    pub seq: i64,
    /// The package's price, on its purchase line.
    pub price_minor: Option<i64>,
}

pub(crate) fn of_client(conn: &Connection, client_id: &str) -> Result<Vec<HistoryEntry>> {
    let mut stmt = conn.prepare_cached(
        "SELECT e.id, e.occurred_on, e.occurred_time, e.kind, e.package_id, p.name, p.sold_on,
                e.delta, e.note, e.reverses_id, NULL, e.recorded_at, e.seq,
                CASE WHEN e.kind = ?2 THEN p.price_minor END
         FROM ledger_entries e JOIN packages p ON p.id = e.package_id
         WHERE p.client_id = ?1",
    )?;
    let rows = stmt.query_map(params![client_id, EntryKind::Purchase], |r| {
        Ok(HistoryEntry {
            id: r.get(0)?,
            occurred_on: day(r, 1)?,
            occurred_time: r.get(2)?,
            kind: r.get(3)?,
            package_id: r.get(4)?,
            package_name: r.get(5)?,
            package_sold_on: day(r, 6)?,
            delta: r.get(7)?,
            note: r.get(8)?,
            reverses: r.get(9)?,
            reversed_by: r.get(10)?,
            recorded_at: r.get(11)?,
            seq: r.get(12)?,
            price_minor: r.get(13)?,
        })
    })?;
    let mut entries: Vec<HistoryEntry> = rows.collect::<rusqlite::Result<_>>()?;
    // A reversal is always on the same package, so the client's own entries
    // say which were reversed: no lookup per line.
    let reversed: std::collections::HashMap<String, String> = entries
        .iter()
        .filter_map(|e| Some((e.reverses.clone()?, e.id.clone())))
        .collect();
    for e in &mut entries {
        e.reversed_by = reversed.get(&e.id).cloned();
    }
    Ok(entries)
}
