//! Expiry: once a package is past its last valid day, the credits still on
//! it leave the balance as one `expiry` entry (worth counted as expired in
//! the Reports). The pass runs when the app opens, when its window comes
//! back (the day may have turned) and after a sample is made; it is idempotent (an expired package with nothing left
//! gets nothing more). A session logged late on a day the package was still
//! valid takes its credit back from the expiry: the expiry is reversed, the
//! session drawn, and what is left expires again.

use chrono::{Days, NaiveDate};
use rusqlite::params;

use crate::changes::Topic;
use crate::domain::kinds::EntryKind;
use crate::error::Result;
use crate::store::ledger::NewEntry;
use crate::store::{self, Tx};

/// Packages past their last valid day (`expires_on` < `today`) with credits
/// left, not cancelled: their id, balance and last valid day.
pub(crate) fn due(
    tx: &Tx,
    today: NaiveDate,
    package: Option<&str>,
) -> Result<Vec<(String, i64, NaiveDate)>> {
    let mut stmt = tx.conn.prepare_cached(
        "SELECT b.package_id, b.balance, b.expires_on FROM package_balances b
         WHERE b.expires_on < ?1 AND b.balance > 0 AND NOT b.cancelled AND (?2 IS NULL OR b.package_id = ?2)
         ORDER BY b.expires_on, b.package_id",
    )?;
    let rows = stmt.query_map(params![today, package], |r| {
        Ok((r.get(0)?, r.get(1)?, r.get(2)?))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Writes the expiry of every package that is due one (or of `package`
/// only); returns how many were written.
pub(crate) fn expire(tx: &Tx, package: Option<&str>) -> Result<u32> {
    let today = tx.ctx()?.today;
    let mut written = 0;
    for (id, balance, last_day) in due(tx, today, package)? {
        let on = last_day.checked_add_days(Days::new(1)).unwrap_or(last_day);
        let why = format!("valid until {}", last_day.format("%-d %b %Y"));
        store::ledger::insert(
            tx.conn,
            &NewEntry {
                why: &why,
                ..NewEntry::plain(
                    &tx.id("le"),
                    &id,
                    EntryKind::Expiry,
                    -i32::try_from(balance).unwrap_or(i32::MAX),
                    on,
                )
            },
            &tx.now_text(),
        )?;
        written += 1;
    }
    if written > 0 {
        tx.touch(Topic::Packages);
    }
    Ok(written)
}

/// Before drawing from `package` on a day it was valid: gives back what its
/// expiry took (the expiry entries are reversed), so the draw can happen.
/// Returns whether it did: then call [`expire`] for the package after the draw.
pub(crate) fn reopen(tx: &Tx, package: &str) -> Result<bool> {
    // The cached count first: most packages never expired.
    let expired: i64 = tx
        .conn
        .prepare_cached("SELECT expired FROM package_balances WHERE package_id = ?1")?
        .query_row([package], |r| r.get(0))?;
    if expired == 0 {
        return Ok(false);
    }
    let live: Vec<String> = tx
        .conn
        .prepare_cached(
            "SELECT x.id FROM ledger_entries x WHERE x.package_id = ?1 AND x.kind = 'expiry'
               AND NOT EXISTS (SELECT 1 FROM ledger_entries r WHERE r.reverses_id = x.id) ORDER BY x.seq",
        )?
        .query_map([package], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for id in &live {
        if let Some(e) = store::ledger::get(tx.conn, id)? {
            crate::ops::ledger::reverse_as(tx, &e, "a session on a day it was still valid", true)?;
        }
    }
    Ok(!live.is_empty())
}

impl crate::store::Store {
    /// Writes the expiries that are due (at start, and when the day turns).
    /// A read-only practice is left as it is.
    pub fn expire_due(&mut self) -> Result<u32> {
        if self.read_only().is_some() {
            return Ok(0);
        }
        self.write(|tx| match tx.ctx() {
            Ok(_) => expire(tx, None),
            Err(_) => Ok(0),
        })
    }
}
