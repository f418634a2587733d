//! Payments and refunds against packages (append-only), their corrections,
//! and the instalment plans (a new plan replaces the one in force, which is
//! kept).

use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension};

use crate::domain::kinds::PaymentKind;
use crate::domain::payment::Instalment;
use crate::error::{Error, Result};
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
    /// The payment or refund this one corrects (entered by mistake).
    pub reverses_id: Option<&'a str>,
    /// The refund on another package this payment is money moved from.
    pub moved_from_id: Option<&'a str>,
}

impl<'a> NewPayment<'a> {
    pub fn plain(
        id: &'a str,
        package_id: &'a str,
        kind: PaymentKind,
        amount: Money,
        on: NaiveDate,
    ) -> Self {
        NewPayment {
            id,
            package_id,
            kind,
            amount,
            paid_on: on,
            method: "",
            note: "",
            reverses_id: None,
            moved_from_id: None,
        }
    }
}

pub(crate) fn insert(conn: &Connection, p: &NewPayment<'_>, now: &str) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO payments (id, package_id, kind, amount_minor, paid_on, method, note, reverses_id,
             moved_from_id, recorded_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )?
    .execute(params![
        p.id,
        p.package_id,
        p.kind,
        p.amount.minor(),
        p.paid_on,
        p.method,
        p.note,
        p.reverses_id,
        p.moved_from_id,
        now
    ])?;
    Ok(())
}

/// A payment or refund, with what corrects it and what it moved.
pub(crate) struct PaymentRow {
    pub id: String,
    pub package_id: String,
    pub kind: PaymentKind,
    pub amount_minor: i64,
    pub paid_on: NaiveDate,
    pub reverses_id: Option<String>,
    /// The correction that cancelled it.
    pub corrected_by: Option<String>,
    /// For a refund that moved money: the payment it became on the other package.
    pub moved_to: Option<String>,
    pub moved_from_id: Option<String>,
}

pub(crate) fn get(conn: &Connection, id: &str) -> Result<PaymentRow> {
    conn.prepare_cached(
        "SELECT a.id, a.package_id, a.kind, a.amount_minor, a.paid_on, a.reverses_id,
                (SELECT c.id FROM payments c WHERE c.reverses_id = a.id),
                (SELECT m.id FROM payments m WHERE m.moved_from_id = a.id),
                a.moved_from_id
         FROM payments a WHERE a.id = ?1",
    )?
    .query_row([id], |r| {
        Ok(PaymentRow {
            id: r.get(0)?,
            package_id: r.get(1)?,
            kind: r.get(2)?,
            amount_minor: r.get(3)?,
            paid_on: day(r, 4)?,
            reverses_id: r.get(5)?,
            corrected_by: r.get(6)?,
            moved_to: r.get(7)?,
            moved_from_id: r.get(8)?,
        })
    })
    .optional()?
    .ok_or_else(|| Error::NotFound("That payment no longer exists.".into()))
}

/// The plan in force for a package, by due day.
pub(crate) fn plan_of(conn: &Connection, package_id: &str) -> Result<Vec<Instalment>> {
    let mut stmt = conn.prepare_cached(
        "SELECT due_on, amount_minor FROM plan_instalments
         WHERE package_id = ?1 AND replaced_at IS NULL ORDER BY due_on, seq",
    )?;
    let rows = stmt.query_map([package_id], |r| {
        Ok(Instalment {
            due_on: day(r, 0)?,
            amount: r.get(1)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The plans in force of these packages, in one read (a package with no
/// plan is absent).
pub(crate) fn plans_of(
    conn: &Connection,
    package_ids: &[String],
) -> Result<std::collections::HashMap<String, Vec<Instalment>>> {
    let mut stmt = conn.prepare_cached(
        "SELECT package_id, due_on, amount_minor FROM plan_instalments
         WHERE package_id IN rarray(?1) AND replaced_at IS NULL ORDER BY package_id, due_on, seq",
    )?;
    let mut out: std::collections::HashMap<String, Vec<Instalment>> = Default::default();
    let mut rows = stmt.query([crate::store::id_array(package_ids)])?;
    while let Some(r) = rows.next()? {
        out.entry(r.get(0)?).or_default().push(Instalment {
            due_on: day(r, 1)?,
            amount: r.get(2)?,
        });
    }
    Ok(out)
}

/// Puts a new plan in force for a package; the one before is kept, replaced.
pub(crate) fn replace_plan(
    conn: &Connection,
    package_id: &str,
    plan: &[Instalment],
    now: &str,
) -> Result<()> {
    conn.prepare_cached(
        "UPDATE plan_instalments SET replaced_at = ?2 WHERE package_id = ?1 AND replaced_at IS NULL",
    )?
    .execute(params![package_id, now])?;
    let mut insert = conn.prepare_cached(
        "INSERT INTO plan_instalments (package_id, due_on, amount_minor, set_at) VALUES (?1, ?2, ?3, ?4)",
    )?;
    for i in plan {
        insert.execute(params![package_id, i.due_on, i.amount, now])?;
    }
    Ok(())
}

/// Each time a plan was set for one of a client's packages, for the history.
pub(crate) struct PlanSet {
    pub package_id: String,
    pub package_name: String,
    pub package_sold_on: NaiveDate,
    pub set_at: String,
    pub instalments: u32,
    pub first_due: NaiveDate,
    pub last_due: NaiveDate,
    pub total_minor: i64,
    pub seq: i64,
}

pub(crate) fn plans_of_client(conn: &Connection, client_id: &str) -> Result<Vec<PlanSet>> {
    let mut stmt = conn.prepare_cached(
        "SELECT i.package_id, p.name, p.sold_on, i.set_at, count(*), min(i.due_on), max(i.due_on),
                sum(i.amount_minor), min(i.seq)
         FROM plan_instalments i JOIN packages p ON p.id = i.package_id
         WHERE p.client_id = ?1 GROUP BY i.package_id, i.set_at",
    )?;
    let rows = stmt.query_map([client_id], |r| {
        Ok(PlanSet {
            package_id: r.get(0)?,
            package_name: r.get(1)?,
            package_sold_on: day(r, 2)?,
            set_at: r.get(3)?,
            instalments: r.get(4)?,
            first_due: day(r, 5)?,
            last_due: day(r, 6)?,
            total_minor: r.get(7)?,
            seq: r.get(8)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
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
    pub reverses_id: Option<String>,
    pub corrected_by: Option<String>,
    /// Money moved: the other package's name (to, for a refund; from, for a payment).
    pub moved_with: Option<String>,
}

/// The payment lines of a client's packages dated on or after `since` (all
/// of them without).
pub(crate) fn of_client(
    conn: &Connection,
    client_id: &str,
    since: Option<NaiveDate>,
) -> Result<Vec<HistoryPayment>> {
    let mut stmt = conn.prepare_cached(
        "SELECT a.id, a.paid_on, a.kind, a.package_id, p.name, p.sold_on, a.amount_minor,
                a.method, a.note, a.recorded_at, a.seq, a.reverses_id,
                (SELECT c.id FROM payments c WHERE c.reverses_id = a.id),
                coalesce((SELECT op.name FROM payments m JOIN packages op ON op.id = m.package_id WHERE m.moved_from_id = a.id),
                         (SELECT op.name FROM payments m JOIN packages op ON op.id = m.package_id WHERE m.id = a.moved_from_id))
         FROM payments a JOIN packages p ON p.id = a.package_id
         WHERE p.client_id = ?1 AND a.paid_on >= ?2",
    )?;
    let since = since.map(|d| d.to_string()).unwrap_or_default();
    let rows = stmt.query_map(params![client_id, since], |r| {
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
            reverses_id: r.get(11)?,
            corrected_by: r.get(12)?,
            moved_with: r.get(13)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
