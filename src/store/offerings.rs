//! Offerings: package templates.

use chrono::NaiveDate;
use rusqlite::{named_params, params, Connection, Row};

use crate::domain::kinds::ValidityKind;
use crate::domain::terms::Terms;
use crate::domain::validity::Validity;
use crate::error::Result;
use crate::money::Currency;
use crate::store::found;
use crate::views::offerings::Offering;

/// A validity as its four columns: kind, days, date, and what the days
/// count from (`sale` or `first_use`).
pub(crate) fn validity_columns(
    v: Validity,
) -> (ValidityKind, Option<u32>, Option<NaiveDate>, &'static str) {
    match v {
        Validity::None => (ValidityKind::None, None, None, "sale"),
        Validity::Days { days } => (ValidityKind::Days, Some(days), None, "sale"),
        Validity::Until { date } => (ValidityKind::Until, None, Some(date), "sale"),
        Validity::FirstUse { days } => (ValidityKind::Days, Some(days), None, "first_use"),
    }
}

/// A validity from its four columns (the schema's CHECKs keep them consistent).
pub(crate) fn validity_from_columns(
    kind: ValidityKind,
    days: Option<u32>,
    until: Option<NaiveDate>,
    from: &str,
) -> Validity {
    match (kind, days, until) {
        (ValidityKind::Days, Some(days), _) if from == "first_use" => Validity::FirstUse { days },
        (ValidityKind::Days, Some(days), _) => Validity::Days { days },
        (ValidityKind::Until, _, Some(date)) => Validity::Until { date },
        _ => Validity::None,
    }
}

const COLUMNS: &str = "id, name, sessions, price_minor, validity_kind, validity_days,
     valid_until, late_cancel_hours, service, retired, validity_from, low_balance_at";

fn from_row(currency: Currency) -> impl Fn(&Row<'_>) -> rusqlite::Result<Offering> {
    move |r| {
        Ok(Offering {
            id: r.get(0)?,
            name: r.get(1)?,
            sessions: r.get(2)?,
            price: currency.minor(r.get(3)?).to_decimal(),
            validity: validity_from_columns(
                r.get(4)?,
                r.get(5)?,
                r.get(6)?,
                r.get::<_, String>(10)?.as_str(),
            ),
            late_cancel_hours: r.get(7)?,
            service: r.get(8)?,
            retired: r.get(9)?,
            low_balance_at: r.get(11)?,
        })
    }
}

pub(crate) fn list(
    conn: &Connection,
    currency: Currency,
    include_retired: bool,
) -> Result<Vec<Offering>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM offerings WHERE retired = 0 OR ?1"
    ))?;
    let rows = stmt.query_map([include_retired], from_row(currency))?;
    let mut all: Vec<Offering> = rows.collect::<rusqlite::Result<_>>()?;
    // As people read them: "5-session" before "10-session", "Échange" with the E's.
    all.sort_by_cached_key(|o| (o.retired, crate::text::sort_key(&o.name), o.id.clone()));
    Ok(all)
}

pub(crate) fn get(conn: &Connection, currency: Currency, id: &str) -> Result<Offering> {
    found(
        conn.prepare_cached(&format!("SELECT {COLUMNS} FROM offerings WHERE id = ?1"))?
            .query_row([id], from_row(currency)),
        "offering",
    )
}

/// Runs an insert or update of offering `id` with terms `t`; false when no row changed.
fn write_terms(conn: &Connection, sql: &str, id: &str, t: &Terms, now: &str) -> Result<bool> {
    let (kind, days, until, from) = validity_columns(t.validity);
    let n = conn.prepare_cached(sql)?.execute(named_params! {
        ":validity_from": from,
        ":low_balance_at": t.low_balance_at,
        ":id": id,
        ":name": t.name,
        ":sessions": t.sessions,
        ":price_minor": t.price.minor(),
        ":validity_kind": kind,
        ":validity_days": days,
        ":valid_until": until,
        ":late_cancel_hours": t.late_cancel_hours,
        ":service": t.service,
        ":now": now,
    })?;
    Ok(n > 0)
}

pub(crate) fn insert(conn: &Connection, id: &str, t: &Terms, now: &str) -> Result<()> {
    write_terms(
        conn,
        "INSERT INTO offerings (id, name, sessions, price_minor, validity_kind, validity_days,
             valid_until, late_cancel_hours, service, created_at, updated_at, validity_from,
             low_balance_at)
         VALUES (:id, :name, :sessions, :price_minor, :validity_kind, :validity_days,
             :valid_until, :late_cancel_hours, :service, :now, :now, :validity_from,
             :low_balance_at)",
        id,
        t,
        now,
    )?;
    Ok(())
}

/// Returns false when no such offering exists.
pub(crate) fn update(conn: &Connection, id: &str, t: &Terms, now: &str) -> Result<bool> {
    write_terms(
        conn,
        "UPDATE offerings SET name = :name, sessions = :sessions, price_minor = :price_minor,
             validity_kind = :validity_kind, validity_days = :validity_days,
             valid_until = :valid_until, late_cancel_hours = :late_cancel_hours,
             service = :service, updated_at = :now, validity_from = :validity_from,
             low_balance_at = :low_balance_at
         WHERE id = :id",
        id,
        t,
        now,
    )
}

/// Returns false when no such offering exists.
pub(crate) fn set_retired(conn: &Connection, id: &str, retired: bool, now: &str) -> Result<bool> {
    let n = conn
        .prepare_cached("UPDATE offerings SET retired = ?2, updated_at = ?3 WHERE id = ?1")?
        .execute(params![id, retired, now])?;
    Ok(n > 0)
}
