//! The Reports screen: money per month and as of a day, read from the
//! day-by-day sums the triggers keep (`value_by_day`, `cash_by_day`), so a
//! practice with ten years of history answers as fast as a new one.
//!
//! The definitions (also the screen's help):
//! - **cash in**: payments received; **refunds**: money paid back; **net
//!   cash** = cash in − refunds. A payment corrected as a mistake counts on
//!   neither side (its correction is booked on its own day).
//! - **sold**: the prices of the packages sold (a cancelled sale takes its
//!   price back on the day it was sold).
//! - **earned**: each credit used (a session, a late cancel, a no-show, a
//!   credit adjusted away) earns the package's price divided by its
//!   sessions; the last paid-for credit carries the rounding remainder, so a
//!   package always adds up to its price. Credits given for free earn nothing.
//! - **expired**: the worth of credits that expired unused.
//! - **taken back**: the worth of credits a refund took back.
//! - **deferred** (prepaid, not yet earned) at the end of a day = sold −
//!   earned − expired − taken back, everything up to that day.
//! - **owed**: what is due after refunds and not paid; **overdue**: the part
//!   past its due day.

use chrono::{Datelike, Days, Months, NaiveDate};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use specta::Type;

use crate::error::{Check, Result};
use crate::store::renewals::Ending;
use crate::store::revenue::{self, Sums};
use crate::store::{self, Store};
use crate::text;

/// Which months to report: `from` and `to` are days (`YYYY-MM-DD`); empty
/// `to` is today, empty `from` is the first day of the month eleven months
/// before `to` (a year of months).
#[derive(Debug, Clone, Default, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ReportQuery {
    pub from: String,
    pub to: String,
}

/// One month's figures (a month cut by `from` or `to` counts only its days
/// inside them).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct MonthFigures {
    /// `YYYY-MM`.
    pub month: String,
    pub cash_in: Decimal,
    pub refunds: Decimal,
    pub net_cash: Decimal,
    pub sold: Decimal,
    pub earned: Decimal,
    /// Credits used that earned (sessions, late cancels, no-shows).
    pub earned_credits: i32,
    pub expired: Decimal,
    pub expired_credits: i32,
    pub taken_back: Decimal,
    pub taken_back_credits: i32,
    /// Prepaid, not yet earned, at the end of the month's last day reported.
    pub deferred_at_end: Decimal,
}

/// What one client owes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct OwedRow {
    pub client_id: String,
    pub client_name: String,
    pub owed: Decimal,
    pub overdue: Decimal,
    /// Days since the oldest unpaid due day (0 when nothing is overdue).
    pub overdue_days: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct Reports {
    pub currency: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// Every month from `from` to `to`, oldest first, months with nothing in
    /// them included.
    pub months: Vec<MonthFigures>,
    /// The months added up (`deferredAtEnd` is the deferred at `to`).
    pub total: MonthFigures,
    /// Prepaid, not yet earned, at the end of `to`.
    pub deferred: Decimal,
    /// Every client who owes money today, most overdue first.
    pub owed: Vec<OwedRow>,
    pub owed_total: Decimal,
    pub overdue_total: Decimal,
    pub renewals: RenewalRate,
}

/// Of the packages that ran out or expired from `from` to `to`: how many
/// were followed by another for the same client within 30 days (or before
/// they ended). Those that ended less than 30 days ago and are not renewed
/// yet are still pending, not counted either way.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct RenewalRate {
    pub ended: u32,
    pub renewed: u32,
    pub pending: u32,
    /// Renewed out of the ended ones that are not pending, in whole percent.
    pub percent: Option<u32>,
}

/// The renewal window: a package followed by another this many days after it ended counts as renewed.
pub const RENEWAL_DAYS: i64 = 30;

fn renewal_rate(
    conn: &rusqlite::Connection,
    from: NaiveDate,
    to: NaiveDate,
    today: NaiveDate,
) -> Result<RenewalRate> {
    // Every balance row read in table order, or those that ended through
    // the indexes: at 1x (callgrind), Reports since 2010 (4,385 of 4,494
    // packages ended) spends 39 million instructions on the rate the narrow
    // way and 16.8 million reading every row; over 12 months (683 ended),
    // 4.9 million the narrow way and 8.6 million every row. The two meet
    // near a quarter of the endings; the range's share of the history
    // stands for its share of the endings.
    let wide = store::revenue::first_day(conn)?.is_some_and(|first| {
        let span = (today - first).num_days().max(1);
        let covered = (to.min(today) - from.max(first)).num_days() + 1;
        covered * 4 > span
    });
    let endings = store::renewals::endings(conn, (from, to), today, wide)?;
    Ok(judge(&endings, today))
}

/// Renewed when the client bought again (a sale not cancelled after it in
/// the order of sales, or linked to it as its renewal) by 30 days after it
/// ended; pending when it ended less than 30 days ago and is not renewed
/// yet.
fn judge(endings: &[Ending], today: NaiveDate) -> RenewalRate {
    let (mut renewed, mut pending) = (0u32, 0u32);
    for e in endings {
        let window = e.on + Days::new(RENEWAL_DAYS.unsigned_abs());
        if e.followed_on.is_some_and(|on| on <= window) {
            renewed += 1;
        } else if window >= today {
            pending += 1;
        }
    }
    let count = u32::try_from(endings.len()).unwrap_or(u32::MAX);
    let settled = count - pending;
    RenewalRate {
        ended: count,
        renewed,
        pending,
        percent: (settled > 0).then(|| (renewed * 100 + settled / 2) / settled),
    }
}

impl Store {
    pub fn reports(&self, query: &ReportQuery) -> Result<Reports> {
        self.read(|tx| {
            let ctx = tx.ctx()?;
            let mut c = Check::new();
            let to = if query.to.trim().is_empty() {
                Some(ctx.today)
            } else {
                c.opt("to", text::date(&query.to))
            };
            let from = if query.from.trim().is_empty() {
                to.map(|t| t.with_day(1).unwrap_or(t) - Months::new(11))
            } else {
                c.opt("from", text::date(&query.from))
            };
            if let (Some(f), Some(t)) = (from, to) {
                if f > t {
                    c.fail("from", "The first day comes after the last one.");
                }
            }
            c.done()?;
            let (from, to) = (from.unwrap_or(ctx.today), to.unwrap_or(ctx.today));
            let money = |m: i64| ctx.currency.minor(m).to_decimal();
            let (before, found) = revenue::by_month(tx.conn, from, to)?;
            let mut deferred = before.deferred();
            let mut total = Sums::default();
            let mut months = Vec::new();
            for (month, s) in found {
                deferred += s.deferred();
                total = total.plus(&s);
                months.push(figures(month, &s, deferred, &money));
            }
            let total = figures("total".into(), &total, deferred, &money);
            let owing = crate::views::client_list::owing_by_client(tx, ctx, None)?;
            let ids: Vec<String> = owing.keys().cloned().collect();
            let names = store::clients::names_of(tx.conn, &ids)?;
            let mut owed: Vec<OwedRow> = names
                .into_iter()
                .filter_map(|(id, name)| {
                    let o = owing.get(&id)?;
                    Some(OwedRow {
                        client_id: id,
                        client_name: name,
                        owed: money(o.owes),
                        overdue: money(o.overdue),
                        overdue_days: o.overdue_days,
                    })
                })
                .collect();
            owed.sort_by(|a, b| {
                b.overdue_days
                    .cmp(&a.overdue_days)
                    .then(b.overdue.cmp(&a.overdue))
                    .then(b.owed.cmp(&a.owed))
                    .then(a.client_name.cmp(&b.client_name))
            });
            let renewals = renewal_rate(tx.conn, from, to, ctx.today)?;
            let owed_total = owing.values().map(|o| o.owes).sum();
            let overdue_total = owing.values().map(|o| o.overdue).sum();
            Ok(Reports {
                currency: ctx.currency.code().to_owned(),
                from,
                to,
                months,
                total,
                deferred: money(deferred),
                owed,
                owed_total: money(owed_total),
                overdue_total: money(overdue_total),
                renewals,
            })
        })
    }
}

fn figures(
    month: String,
    s: &Sums,
    deferred: i64,
    money: &impl Fn(i64) -> Decimal,
) -> MonthFigures {
    MonthFigures {
        month,
        cash_in: money(s.paid),
        refunds: money(s.refunded),
        net_cash: money(s.paid - s.refunded),
        sold: money(s.sold),
        earned: money(s.earned),
        earned_credits: i32::try_from(s.earned_credits).unwrap_or(i32::MAX),
        expired: money(s.expired),
        expired_credits: i32::try_from(s.expired_credits).unwrap_or(i32::MAX),
        taken_back: money(s.taken_back),
        taken_back_credits: i32::try_from(s.taken_back_credits).unwrap_or(i32::MAX),
        deferred_at_end: money(deferred),
    }
}
