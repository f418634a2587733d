//! Payments and refunds against packages (append-only).

use chrono::NaiveDate;
use rusqlite::{params, Connection};

use crate::domain::kinds::PaymentKind;
use crate::error::Result;
use crate::money::Money;
use crate::store::day;

pub(crate) struct NewPayment<'a> {
    pub id: &'a str,
    pub package_id: &'a str,
    pub kind: PaymentKind,
    pub amount: Money,
    pub paid_on: NaiveDate,
    pub method: &'a str,
    pub note: &'a str,
}

pub(crate) fn insert(conn: &Connection, p: &NewPayment<'_>, now: &str) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO payments (id, package_id, kind, amount_minor, paid_on, method, note, recorded_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(params![
        p.id,
        p.package_id,
        p.kind,
        p.amount.minor(),
        p.paid_on,
        p.method,
        p.note,
        now
    ])?;
    Ok(())
}

/// One payment line of a client's history, as stored.
pub(crate) struct HistoryPayment {
    pub id: String,
    pub paid_on: NaiveDate,
    pub kind: PaymentKind,
    pub package_id: String,
    pub package_name: String,
    pub package_sold_on: NaiveDate,
    pub amount_minor: i64,
    pub method: String,
    pub note: String,
    pub recorded_at: String,
    pub seq: i64,
}

pub(crate) fn of_client(conn: &Connection, client_id: &str) -> Result<Vec<HistoryPayment>> {
    let mut stmt = conn.prepare_cached(
        "SELECT a.id, a.paid_on, a.kind, a.package_id, p.name, p.sold_on, a.amount_minor,
                a.method, a.note, a.recorded_at, a.seq
         FROM payments a JOIN packages p ON p.id = a.package_id
         WHERE p.client_id = ?1",
    )?;
    let rows = stmt.query_map([client_id], |r| {
        Ok(HistoryPayment {
            id: r.get(0)?,
            paid_on: day(r, 1)?,
            kind: r.get(2)?,
            package_id: r.get(3)?,
            package_name: r.get(4)?,
            package_sold_on: day(r, 5)?,
            amount_minor: r.get(6)?,
            method: r.get(7)?,
            note: r.get(8)?,
            recorded_at: r.get(9)?,
            seq: r.get(10)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
