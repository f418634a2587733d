//! Packages: sales with their frozen terms, read with their balance (the sum
//! of their ledger entries), use and net payments.

use chrono::NaiveDate;
use rusqlite::{params, Connection, Row};

use crate::domain::drawing::Candidate;
use crate::domain::terms::Terms;
use crate::domain::validity::Validity;
use crate::error::{Error, Result};
use crate::money::{Currency, Money};
use crate::store::offerings::{validity_columns, validity_from_columns};
use crate::store::{day, opt_day};

/// A package as stored, with its live numbers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PackageRow {
    pub id: String,
    pub client_id: String,
    pub offering_id: Option<String>,
    pub name: String,
    pub sessions: u32,
    pub price: Money,
    pub sold_on: NaiveDate,
    pub expires_on: Option<NaiveDate>,
    pub validity: Validity,
    pub late_cancel_hours: u32,
    pub service: String,
    /// The balance: the sum of the package's ledger entries.
    pub remaining: u32,
    /// Sessions drawn (completed, late-cancelled, no-show), net of reversals.
    pub used: u32,
    /// Payments minus refunds.
    pub paid: Money,
    /// Refunds (corrections taken out).
    pub refunded: Money,
    /// The purchase was reversed: the sale is cancelled.
    pub cancelled: bool,
    /// What the client still owes on it (below zero: in credit).
    pub owed: Money,
    /// The offering's price, when it was sold for another.
    pub list_price: Option<Money>,
    pub discount_reason: String,
    /// Credits that expired unused (live expiry entries).
    pub expired: u32,
    /// The package this one renews.
    pub renews_id: Option<String>,
    /// The day of its first session (counted from first use; `None`: not
    /// started, or counted from the sale).
    pub started_on: Option<NaiveDate>,
    /// Its offering's own low-balance mark.
    pub low_balance_at: Option<u32>,
    /// Its pauses (first and last paused day), earliest first.
    pub pauses: Vec<(NaiveDate, NaiveDate)>,
    /// The day of its last ledger entry.
    pub last_on: Option<NaiveDate>,
}

impl PackageRow {
    /// Whether its clock has started: counted from first use and no session yet.
    pub fn not_started(&self) -> bool {
        self.validity.from_first_use() && self.started_on.is_none() && self.expires_on.is_none()
    }

    /// The last paused day of the pause covering `on`, if any.
    pub fn paused_until(&self, on: NaiveDate) -> Option<NaiveDate> {
        paused_until(&self.pauses, on)
    }

    /// Its money, for the payment rules.
    pub fn money(&self) -> crate::domain::payment::Facts {
        crate::domain::payment::Facts {
            price: self.price.minor(),
            sold_on: self.sold_on,
            paid: self.paid.minor() + self.refunded.minor(),
            refunded: self.refunded.minor(),
            cancelled: self.cancelled,
        }
    }
}

impl PackageRow {
    pub fn candidate(&self) -> Candidate {
        Candidate {
            id: self.id.clone(),
            sold_on: self.sold_on,
            expires_on: self.expires_on,
            remaining: self.remaining,
            service: self.service.clone(),
            paused: self.pauses.clone(),
            renews_id: self.renews_id.clone(),
        }
    }
}

/// The columns of a package `p` and its cached numbers `b` (see
/// `package_balances`), with its offering `o`.
macro_rules! package_columns {
    () => {
        "SELECT p.id, p.client_id, p.offering_id, p.name, p.sessions, p.price_minor, p.sold_on,
                b.expires_on, p.validity_kind, p.validity_days, p.valid_until, p.late_cancel_hours,
                p.service, b.balance, b.used, b.paid_minor, b.refunded_minor, b.cancelled, b.owed_minor,
                p.list_price_minor, p.discount_reason,
                b.expired, p.renews_id, p.validity_from, b.started_on, o.low_balance_at,
                (SELECT group_concat(pp.from_on || '/' || pp.until_on, ',')
                   FROM package_pauses pp WHERE pp.package_id = p.id),
                b.last_on "
    };
}

/// [`package_columns`], from the packages.
macro_rules! select {
    () => {
        concat!(
            package_columns!(),
            "FROM packages p JOIN package_balances b ON b.package_id = p.id
             LEFT JOIN offerings o ON o.id = p.offering_id "
        )
    };
}

fn from_row(currency: Currency) -> impl Fn(&Row<'_>) -> rusqlite::Result<PackageRow> {
    move |r| {
        Ok(PackageRow {
            id: r.get(0)?,
            client_id: r.get(1)?,
            offering_id: r.get(2)?,
            name: r.get(3)?,
            sessions: r.get(4)?,
            price: currency.minor(r.get(5)?),
            sold_on: day(r, 6)?,
            expires_on: opt_day(r, 7)?,
            validity: validity_from_columns(
                r.get(8)?,
                r.get(9)?,
                r.get(10)?,
                r.get::<_, String>(23)?.as_str(),
            ),
            late_cancel_hours: r.get(11)?,
            service: r.get(12)?,
            remaining: u32::try_from(r.get::<_, i64>(13)?).unwrap_or(0),
            used: u32::try_from(r.get::<_, i64>(14)?).unwrap_or(0),
            paid: currency.minor(r.get(15)?),
            refunded: currency.minor(r.get(16)?),
            cancelled: r.get(17)?,
            owed: currency.minor(r.get(18)?),
            list_price: r.get::<_, Option<i64>>(19)?.map(|m| currency.minor(m)),
            discount_reason: r.get(20)?,
            expired: u32::try_from(r.get::<_, i64>(21)?).unwrap_or(0),
            renews_id: r.get(22)?,
            started_on: opt_day(r, 24)?,
            low_balance_at: r.get(25)?,
            pauses: parse_pauses(r.get::<_, Option<String>>(26)?.as_deref()),
            last_on: opt_day(r, 27)?,
        })
    }
}

/// "2026-12-01/2026-12-14,…" as pairs of days.
fn parse_pauses(text: Option<&str>) -> Vec<(NaiveDate, NaiveDate)> {
    let Some(text) = text else {
        return Vec::new();
    };
    let mut pauses: Vec<(NaiveDate, NaiveDate)> = text
        .split(',')
        .filter_map(|pair| {
            let (from, until) = pair.split_once('/')?;
            Some((from.parse().ok()?, until.parse().ok()?))
        })
        .collect();
    pauses.sort();
    pauses
}

/// The last paused day of the pause (of these) covering `on`, if any.
pub(crate) fn paused_until(pauses: &[(NaiveDate, NaiveDate)], on: NaiveDate) -> Option<NaiveDate> {
    pauses
        .iter()
        .find(|(from, until)| *from <= on && on <= *until)
        .map(|(_, until)| *until)
}

fn query(conn: &Connection, sql: &str, arg: &str, currency: Currency) -> Result<Vec<PackageRow>> {
    let mut stmt = conn.prepare_cached(sql)?;
    let rows = stmt.query_map([arg], from_row(currency))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Every package of a client, newest sale first.
pub(crate) fn of_client(
    conn: &Connection,
    currency: Currency,
    client_id: &str,
) -> Result<Vec<PackageRow>> {
    query(
        conn,
        concat!(
            select!(),
            "WHERE p.client_id = ?1",
            " ORDER BY p.sold_on DESC, p.created_at DESC, p.id DESC"
        ),
        client_id,
        currency,
    )
}

/// Each of a client's packages' balance, the sum of its ledger entries (the
/// cached one, as it stands).
pub(crate) fn balances_of_client(conn: &Connection, client_id: &str) -> Result<Vec<(String, i64)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT p.id, b.balance FROM packages p JOIN package_balances b ON b.package_id = p.id
         WHERE p.client_id = ?1",
    )?;
    let rows = stmt.query_map([client_id], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The packages of these clients that may still pay for a session: with
/// credits left, or with credits an expiry took that a day before it can
/// still use (see `ops::draw::candidates_of`). A package used up can pay for
/// nothing, so the bookings ahead never need it; a client of ten years has
/// many.
pub(crate) fn paying_of_clients(
    conn: &Connection,
    currency: Currency,
    clients: &[String],
) -> Result<Vec<PackageRow>> {
    // Through the index of such packages by client (migration 15), never a
    // client's used-up years.
    let mut stmt = conn.prepare_cached(concat!(
        package_columns!(),
        "FROM package_balances b INDEXED BY package_balances_paying
         CROSS JOIN packages p ON p.id = b.package_id
         LEFT JOIN offerings o ON o.id = p.offering_id
         WHERE b.client_id IN rarray(?1) AND (b.balance > 0 OR b.expired > 0)",
        " ORDER BY p.client_id, p.sold_on DESC, p.created_at DESC, p.id DESC"
    ))?;
    let rows = stmt.query_map([crate::store::id_array(clients)], from_row(currency))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub(crate) fn get(conn: &Connection, currency: Currency, id: &str) -> Result<PackageRow> {
    query(conn, concat!(select!(), "WHERE p.id = ?1"), id, currency)?
        .pop()
        .ok_or_else(|| Error::NotFound("That package no longer exists.".into()))
}

/// A package on which money is owed or held in credit: what the payment
/// rules need of it, and whose it is.
pub(crate) struct Owed {
    pub id: String,
    pub client_id: String,
    pub money: crate::domain::payment::Facts,
    /// Minor units: positive when owed, negative when held in credit.
    pub owed: i64,
}

/// Packages on which money is owed or held in credit (`owed_minor` not
/// zero), of these clients or of everyone: only the columns the payment
/// rules read. At 100× (18,530 packages), reading the whole rows, pauses
/// and all, took 275-294 ms against 203-236 ms (Reports' profile, two
/// alternating runs).
pub(crate) fn owing(conn: &Connection, clients: Option<&[String]>) -> Result<Vec<Owed>> {
    macro_rules! columns {
        () => {
            "SELECT p.id, p.client_id, p.price_minor, p.sold_on, b.paid_minor, b.refunded_minor,
                    b.cancelled, b.owed_minor "
        };
    }
    let row = |r: &Row<'_>| -> rusqlite::Result<Owed> {
        let refunded: i64 = r.get(5)?;
        Ok(Owed {
            id: r.get(0)?,
            client_id: r.get(1)?,
            money: crate::domain::payment::Facts {
                price: r.get(2)?,
                sold_on: day(r, 3)?,
                paid: r.get::<_, i64>(4)? + refunded,
                refunded,
                cancelled: r.get(6)?,
            },
            owed: r.get(7)?,
        })
    };
    let rows = match clients {
        None => conn
            .prepare_cached(concat!(
                columns!(),
                "FROM package_balances b CROSS JOIN packages p ON p.id = b.package_id
                 WHERE b.owed_minor <> 0"
            ))?
            .query_map([], row)?
            .collect::<rusqlite::Result<_>>()?,
        // These clients' owing packages through their index (migration
        // 15): never every owing package in the practice (the planner's
        // guess), nor every package of each client's years.
        Some(ids) => conn
            .prepare_cached(concat!(
                columns!(),
                "FROM package_balances b INDEXED BY package_balances_owing_by_client
                 CROSS JOIN packages p ON p.id = b.package_id
                 WHERE b.client_id IN rarray(?1) AND b.owed_minor <> 0"
            ))?
            .query_map([crate::store::id_array(ids)], row)?
            .collect::<rusqlite::Result<_>>()?,
    };
    Ok(rows)
}

/// What a sale writes: the frozen terms.
pub(crate) struct NewPackage<'a> {
    pub id: &'a str,
    pub client_id: &'a str,
    pub offering_id: Option<&'a str>,
    pub terms: &'a Terms,
    pub late_cancel_hours: u32,
    pub sold_on: NaiveDate,
    pub expires_on: Option<NaiveDate>,
    /// The offering's price, when sold for another (a discount), and why.
    pub list_price: Option<Money>,
    pub discount_reason: &'a str,
    /// The package this one renews.
    pub renews_id: Option<&'a str>,
}

pub(crate) fn insert(conn: &Connection, p: &NewPackage<'_>, now: &str) -> Result<()> {
    let (kind, days, until, from) = validity_columns(p.terms.validity);
    conn.prepare_cached(
        "INSERT INTO packages (id, client_id, offering_id, name, sessions, price_minor,
             validity_kind, validity_days, valid_until, late_cancel_hours, service, sold_on,
             expires_on, created_at, list_price_minor, discount_reason, renews_id, validity_from)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)",
    )?
    .execute(params![
        p.id,
        p.client_id,
        p.offering_id,
        p.terms.name,
        p.terms.sessions,
        p.terms.price.minor(),
        kind,
        days,
        until,
        p.late_cancel_hours,
        p.terms.service,
        p.sold_on,
        p.expires_on,
        now,
        p.list_price.map(|m| m.minor()),
        p.discount_reason,
        p.renews_id,
        from
    ])?;
    Ok(())
}

/// Three columns for a package `p` (with its balance `b` and offering `o`) on
/// the day parameter given: not started (counted from first use, no session
/// yet), the last day of the pause covering that day, and the offering's
/// low-balance mark.
macro_rules! holds {
    ($day:literal) => {
        concat!(
            "(p.validity_from = 'first_use' AND b.started_on IS NULL AND b.expires_on IS NULL),
             (SELECT pp.until_on FROM package_pauses pp WHERE pp.package_id = p.id
                AND pp.from_on <= ",
            $day,
            " AND pp.until_on >= ",
            $day,
            "), o.low_balance_at"
        )
    };
}
pub(crate) use holds;

/// A package that still holds credits, as the client list needs it.
pub(crate) struct LiveBalance {
    pub client_id: String,
    /// Credits it has held: the sessions bought, or more when credits were
    /// added (moved in, carried over, given).
    pub sessions: u32,
    pub expires_on: Option<NaiveDate>,
    pub remaining: u32,
    pub sold_on: NaiveDate,
    pub not_started: bool,
    pub paused_until: Option<NaiveDate>,
    pub low_balance_at: Option<u32>,
}

/// The packages of these clients that still hold credits and have not
/// expired before `today` (read through the index of the packages that may
/// pay, by client: never every package with credits, nor every package of
/// each client's years).
pub(crate) fn live_balances(
    conn: &Connection,
    clients: &[String],
    today: NaiveDate,
) -> Result<Vec<LiveBalance>> {
    let ids = crate::store::id_array(clients);
    let mut stmt = conn.prepare_cached(
        concat!(
            "SELECT p.client_id, max(p.sessions, b.balance + b.used + b.expired), b.expires_on, b.balance, p.sold_on, ",
            holds!("?2"),
            " FROM package_balances b INDEXED BY package_balances_paying
              CROSS JOIN packages p ON p.id = b.package_id
              LEFT JOIN offerings o ON o.id = p.offering_id
         WHERE b.client_id IN rarray(?1) AND (b.balance > 0 OR b.expired > 0)
           AND b.balance > 0 AND (b.expires_on IS NULL OR b.expires_on >= ?2)"
        ),
    )?;
    let rows = stmt.query_map(params![ids, today], |r| {
        Ok(LiveBalance {
            client_id: r.get(0)?,
            sessions: r.get(1)?,
            expires_on: r.get(2)?,
            remaining: r.get(3)?,
            sold_on: day(r, 4)?,
            not_started: r.get(5)?,
            paused_until: opt_day(r, 6)?,
            low_balance_at: r.get(7)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Of these clients, the credits usable on `today` (held, not cancelled, not
/// past their last day) and the soonest last day among them, by client (a
/// client with none is absent).
pub(crate) fn usable_of(
    conn: &Connection,
    clients: &[String],
    today: NaiveDate,
) -> Result<std::collections::HashMap<String, (u32, Option<NaiveDate>)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT b.client_id, sum(b.balance), min(b.expires_on)
           FROM package_balances b INDEXED BY package_balances_paying
          WHERE b.client_id IN rarray(?1) AND (b.balance > 0 OR b.expired > 0)
            AND b.balance > 0 AND NOT b.cancelled
            AND (b.expires_on IS NULL OR b.expires_on >= ?2)
          GROUP BY b.client_id",
    )?;
    let rows = stmt.query_map(params![crate::store::id_array(clients), today], |r| {
        Ok((r.get(0)?, (r.get(1)?, opt_day(r, 2)?)))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The name and balance of each of these packages, by id.
pub(crate) fn names_and_balances(
    conn: &Connection,
    ids: &[String],
) -> Result<std::collections::HashMap<String, (String, u32)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT p.id, p.name, b.balance FROM packages p JOIN package_balances b ON b.package_id = p.id
          WHERE p.id IN rarray(?1)",
    )?;
    let rows = stmt.query_map([crate::store::id_array(ids)], |r| {
        Ok((r.get(0)?, (r.get(1)?, r.get(2)?)))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
