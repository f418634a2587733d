//! The practice's one settings row.

use rusqlite::{params, Connection, OptionalExtension};

use crate::context::Settings;
use crate::error::Result;

pub(crate) fn get(conn: &Connection) -> Result<Option<Settings>> {
    Ok(conn
        .prepare_cached(
            "SELECT name, currency, currency_exponent, time_zone, low_balance_threshold,
                    expiring_soon_days, late_cancel_hours
             FROM practice WHERE id = 1",
        )?
        .query_row([], |r| {
            Ok(Settings {
                name: r.get(0)?,
                currency: r.get(1)?,
                currency_exponent: r.get(2)?,
                time_zone: r.get(3)?,
                low_balance_threshold: r.get(4)?,
                expiring_soon_days: r.get(5)?,
                late_cancel_hours: r.get(6)?,
            })
        })
        .optional()?)
}

/// Creates the row on first run, or updates it.
pub(crate) fn save(conn: &Connection, s: &Settings, now: &str) -> Result<()> {
    conn.execute(
        "INSERT INTO practice (id, name, currency, currency_exponent, time_zone,
             low_balance_threshold, expiring_soon_days, late_cancel_hours, created_at, updated_at)
         VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, currency = excluded.currency,
             currency_exponent = excluded.currency_exponent, time_zone = excluded.time_zone,
             low_balance_threshold = excluded.low_balance_threshold,
             expiring_soon_days = excluded.expiring_soon_days,
             late_cancel_hours = excluded.late_cancel_hours, updated_at = excluded.updated_at",
        params![
            s.name,
            s.currency,
            s.currency_exponent,
            s.time_zone,
            s.low_balance_threshold,
            s.expiring_soon_days,
            s.late_cancel_hours,
            now
        ],
    )?;
    Ok(())
}

/// How many rows carry a price in the practice's currency (offerings and packages).
pub(crate) fn priced_rows(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row(
        "SELECT (SELECT count(*) FROM offerings) + (SELECT count(*) FROM packages)",
        [],
        |r| r.get(0),
    )?)
}

pub(crate) fn client_count(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row("SELECT count(*) FROM clients", [], |r| r.get(0))?)
}

pub(crate) fn offering_count(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row("SELECT count(*) FROM offerings", [], |r| r.get(0))?)
}
