//! What credits are worth and the money by day: the v6 migration's hook,
//! which works out the worth of entries written before it, and the sums the
//! Reports screen reads (`value_by_day`, `cash_by_day`, kept by triggers).

use std::collections::HashMap;

use chrono::{Datelike, Months, NaiveDate};
use rusqlite::{params, Connection};

use crate::domain::kinds::EntryKind;
use crate::domain::value::{self, Pool, Worth};
use crate::error::Result;

/// v6: the worth of every entry already written, replayed in the order the
/// entries were written (as they would have been at the time), then the
/// derived columns and tables built from it.
pub(crate) fn fill_worth(conn: &Connection) -> Result<()> {
    let packages: HashMap<String, (i64, i64)> = conn
        .prepare("SELECT id, price_minor, sessions FROM packages")?
        .query_map([], |r| Ok((r.get(0)?, (r.get(1)?, r.get(2)?))))?
        .collect::<rusqlite::Result<_>>()?;
    let mut pools: HashMap<String, Pool> = HashMap::new();
    let mut written: HashMap<String, Worth> = HashMap::new();
    // Transfers write their outgoing half first; the incoming one brings its worth.
    let mut last_out: HashMap<(String, String), Worth> = HashMap::new();
    let mut update =
        conn.prepare("UPDATE ledger_entries SET valued = ?2, value_minor = ?3 WHERE seq = ?1")?;
    let mut entries = conn.prepare(
        "SELECT seq, id, package_id, kind, delta, reverses_id, transfer_package_id
         FROM ledger_entries ORDER BY seq",
    )?;
    let mut rows = entries.query([])?;
    while let Some(r) = rows.next()? {
        let (seq, id, package, kind, delta): (i64, String, String, EntryKind, i64) =
            (r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?);
        let (reverses, other): (Option<String>, Option<String>) = (r.get(5)?, r.get(6)?);
        let (price, sessions) = packages.get(&package).copied().unwrap_or((0, 1));
        let pool = pools.entry(package.clone()).or_insert(Pool {
            unit: if sessions > 0 { price / sessions } else { 0 },
            ..Pool::default()
        });
        let w = match (kind, &reverses, &other) {
            (EntryKind::Reversal, Some(original), _) => {
                value::mirror(written.get(original).copied().unwrap_or_default())
            }
            (EntryKind::TransferIn, _, Some(from)) => last_out
                .remove(&(from.clone(), package.clone()))
                .map(value::mirror)
                .unwrap_or_default(),
            _ => value::worth(kind, delta, pool, price),
        };
        if let (EntryKind::TransferOut, Some(to)) = (kind, &other) {
            last_out.insert((package.clone(), to.clone()), w);
        }
        pool.apply(delta, w);
        written.insert(id, w);
        if w != Worth::default() {
            update.execute(params![seq, w.valued, w.value])?;
        }
    }
    conn.execute_batch(
        "UPDATE package_balances SET
             valued = (SELECT coalesce(sum(e.valued), 0) FROM ledger_entries e WHERE e.package_id = package_balances.package_id),
             value_minor = (SELECT coalesce(sum(e.value_minor), 0) FROM ledger_entries e WHERE e.package_id = package_balances.package_id),
             refunded_minor = (SELECT coalesce(sum(a.amount_minor), 0) FROM payments a
                                WHERE a.package_id = package_balances.package_id AND a.kind = 'refund'),
             cancelled = EXISTS (SELECT 1 FROM ledger_entries r JOIN ledger_entries o ON o.id = r.reverses_id
                                  WHERE o.package_id = package_balances.package_id AND o.kind = 'purchase');
         UPDATE package_balances SET owed_minor = CASE WHEN cancelled THEN -paid_minor
             ELSE (SELECT price_minor FROM packages p WHERE p.id = package_balances.package_id) - paid_minor - refunded_minor END;
         INSERT INTO value_by_day (day, sold_minor, earned_minor, earned_credits, expired_minor, expired_credits,
                                   taken_back_minor, taken_back_credits)
         SELECT day,
                sum(CASE WHEN kind = 'purchase' THEN value_minor ELSE 0 END),
                -sum(CASE WHEN kind IN ('session', 'late_cancel', 'no_show') OR (kind = 'adjustment' AND delta < 0)
                          THEN value_minor ELSE 0 END),
                -sum(CASE WHEN kind IN ('session', 'late_cancel', 'no_show') OR (kind = 'adjustment' AND delta < 0)
                          THEN valued ELSE 0 END),
                -sum(CASE WHEN kind = 'expiry' THEN value_minor ELSE 0 END),
                -sum(CASE WHEN kind = 'expiry' THEN valued ELSE 0 END),
                0, 0
         FROM (SELECT coalesce(r.occurred_on, e.occurred_on) AS day, coalesce(r.kind, e.kind) AS kind,
                      coalesce(r.delta, e.delta) AS delta, e.valued, e.value_minor
               FROM ledger_entries e LEFT JOIN ledger_entries r ON r.id = e.reverses_id)
         GROUP BY day;
         INSERT INTO cash_by_day (day, paid_minor, refunded_minor)
         SELECT paid_on, sum(CASE kind WHEN 'payment' THEN amount_minor ELSE 0 END),
                sum(CASE kind WHEN 'refund' THEN amount_minor ELSE 0 END)
         FROM payments GROUP BY paid_on;
         CREATE TRIGGER ledger_is_append_only_update BEFORE UPDATE ON ledger_entries
         BEGIN
             SELECT RAISE(ABORT, 'ledger entries are append-only');
         END;",
    )?;
    Ok(())
}

/// Revenue and cash summed over days, as the Reports screen needs them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Sums {
    pub sold: i64,
    pub earned: i64,
    pub earned_credits: i64,
    pub expired: i64,
    pub expired_credits: i64,
    pub taken_back: i64,
    pub taken_back_credits: i64,
    pub paid: i64,
    pub refunded: i64,
}

impl Sums {
    /// Prepaid and not yet earned: what was sold less what was earned,
    /// expired or taken back.
    pub fn deferred(&self) -> i64 {
        self.sold - self.earned - self.expired - self.taken_back
    }

    pub fn plus(&self, o: &Sums) -> Sums {
        Sums {
            sold: self.sold + o.sold,
            earned: self.earned + o.earned,
            earned_credits: self.earned_credits + o.earned_credits,
            expired: self.expired + o.expired,
            expired_credits: self.expired_credits + o.expired_credits,
            taken_back: self.taken_back + o.taken_back,
            taken_back_credits: self.taken_back_credits + o.taken_back_credits,
            paid: self.paid + o.paid,
            refunded: self.refunded + o.refunded,
        }
    }
}

/// The first day anything was sold, used or paid (None in a new practice).
pub(crate) fn first_day(conn: &Connection) -> Result<Option<NaiveDate>> {
    Ok(conn
        .prepare_cached("SELECT min(day) FROM value_by_day")?
        .query_row([], |r| crate::store::opt_day(r, 0))?)
}

/// The sums for each month (`YYYY-MM`) from `from` to `to` (both days
/// included), every month in order, and the sums of everything before
/// `from`. SQLite sums each month, one range of days at a time. At 1×,
/// Reports since 2010 spent 16.9 million instructions (callgrind) here
/// reading each day's sums through the API and adding them up in Rust, and
/// spends 13.7 million this way; grouped by month in one query, SQLite
/// sorted every day of the range first.
pub(crate) fn by_month(
    conn: &Connection,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<(Sums, Vec<(String, Sums)>)> {
    let before = match from.pred_opt() {
        Some(last) => between(conn, None, last)?,
        None => Sums::default(),
    };
    let months = months_of(from, to)
        .map(|(month, first, last)| {
            Ok((month, between(conn, Some(first.max(from)), last.min(to))?))
        })
        .collect::<Result<_>>()?;
    Ok((before, months))
}

/// The sums of the days from `first` (None: the first of all) to `last`,
/// both included.
fn between(conn: &Connection, first: Option<NaiveDate>, last: NaiveDate) -> Result<Sums> {
    let mut s = Sums::default();
    conn.prepare_cached(
        "SELECT coalesce(sum(sold_minor), 0), coalesce(sum(earned_minor), 0), coalesce(sum(earned_credits), 0),
                coalesce(sum(expired_minor), 0), coalesce(sum(expired_credits), 0),
                coalesce(sum(taken_back_minor), 0), coalesce(sum(taken_back_credits), 0)
         FROM value_by_day WHERE day BETWEEN coalesce(?1, '') AND ?2",
    )?
    .query_row(params![first, last], |r| {
        s.sold = r.get(0)?;
        s.earned = r.get(1)?;
        s.earned_credits = r.get(2)?;
        s.expired = r.get(3)?;
        s.expired_credits = r.get(4)?;
        s.taken_back = r.get(5)?;
        s.taken_back_credits = r.get(6)?;
        Ok(())
    })?;
    conn.prepare_cached(
        "SELECT coalesce(sum(paid_minor), 0), coalesce(sum(refunded_minor), 0)
         FROM cash_by_day WHERE day BETWEEN coalesce(?1, '') AND ?2",
    )?
    .query_row(params![first, last], |r| {
        s.paid = r.get(0)?;
        s.refunded = r.get(1)?;
        Ok(())
    })?;
    Ok(s)
}

/// Each month (`YYYY-MM`) from `from`'s to `to`'s, with its first and
/// last days.
fn months_of(
    from: NaiveDate,
    to: NaiveDate,
) -> impl Iterator<Item = (String, NaiveDate, NaiveDate)> {
    let mut month = from.with_day(1);
    std::iter::from_fn(move || {
        let first = month.filter(|m| *m <= to)?;
        month = first.checked_add_months(Months::new(1));
        let last = month.and_then(|m| m.pred_opt()).unwrap_or(NaiveDate::MAX);
        Some((first.format("%Y-%m").to_string(), first, last))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_cover_both_ends() {
        let d = |s: &str| s.parse::<NaiveDate>().unwrap();
        let months = |from, to| months_of(d(from), d(to)).map(|m| m.0).collect::<Vec<_>>();
        assert_eq!(
            months("2025-11-30", "2026-02-01"),
            ["2025-11", "2025-12", "2026-01", "2026-02"]
        );
        assert_eq!(months("2026-02-10", "2026-02-10"), ["2026-02"]);
        assert_eq!(
            months("2024-01-31", "2024-03-01"),
            ["2024-01", "2024-02", "2024-03"]
        );
        // Each with its first and last days (cut to the range by the caller).
        let leap: Vec<_> = months_of(d("2024-01-31"), d("2024-03-01")).collect();
        assert_eq!(
            (leap[1].1, leap[1].2, leap[2].2),
            (d("2024-02-01"), d("2024-02-29"), d("2024-03-31"))
        );
    }
}
