//! Needs attention: every client the follow-up rules flag, most urgent
//! first, with the reasons in plain words and the package a renewal would
//! follow. Built from a handful of practice-wide queries, not per client.

use std::collections::HashMap;

use chrono::{Days, NaiveDate};
use rusqlite::params;
use rust_decimal::Decimal;
use serde::Serialize;
use specta::Type;

use crate::domain::attention::{self, Facts, FollowUp, Latest, ReasonKind};
use crate::domain::package::Balance;
use crate::error::Result;
use crate::store::packages::holds;
use crate::store::{self, Store, Tx};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ReasonView {
    pub kind: ReasonKind,
    /// In plain words; a payment overdue puts its amount first (`amount`).
    pub text: String,
    /// The amount overdue, for a payment overdue.
    pub amount: Option<Decimal>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct AttentionItem {
    pub client_id: String,
    pub client_name: String,
    pub email: String,
    /// Most urgent first.
    pub reasons: Vec<ReasonView>,
    /// The package a renewal follows (the client's newest sale).
    pub package_id: Option<String>,
    pub package_name: Option<String>,
    /// The offering it was sold from (a renewal is prefilled from it).
    pub offering_id: Option<String>,
    pub remaining: u32,
    pub expires_on: Option<NaiveDate>,
    pub follow_up: FollowUp,
    pub snoozed_until: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct Attention {
    /// The most urgent first; all of them, or as many as were asked for.
    pub items: Vec<AttentionItem>,
    /// How many clients are on the list in all.
    pub total: u32,
    /// Clients a snooze keeps off the list today.
    pub snoozed: u32,
    /// Clients with a booking ahead that no credit will cover (snoozed or
    /// not): what Today's banner counts.
    pub booked_beyond: u32,
}

/// Each client's newest sale that is not cancelled, with what the rules need.
struct LatestRow {
    client_id: String,
    client_name: String,
    email: String,
    package_id: String,
    offering_id: Option<String>,
    latest: Latest,
    /// Credits usable today on the client's other packages.
    others: u32,
    /// Credits usable today on all the client's packages, and the soonest
    /// last day among them.
    usable: u32,
    soonest: Option<NaiveDate>,
}

/// The newest package of every client who may need attention: those whose
/// newest package could give a renewal reason today (low, expiring soon,
/// ended in the last weeks), and the clients in `others` (money or sessions
/// owed, bookings), whatever their package. Everyone else is never read.
fn latest_packages(
    tx: &Tx,
    today: NaiveDate,
    t: crate::domain::package::Thresholds,
    others: &[String],
) -> Result<Vec<LatestRow>> {
    let day = |d: Option<NaiveDate>| d.unwrap_or(today);
    // An ended package stays on the list for FOLLOW_UP_DAYS after it ended
    // (the day after its last day, or its last session); a day's margin.
    let ended_since = day(today.checked_sub_days(Days::new(attention::FOLLOW_UP_DAYS as u64 + 2)));
    let soon = day(today.checked_add_days(Days::new(u64::from(t.expiring_soon_days))));
    // Packages that can give a reason, found through the indexes of last
    // days, of used-up packages' last entries and of small balances (up to
    // the highest low mark of any offering), and the given clients' newest:
    // each kept only when it is its client's newest. The full conditions are
    // then checked on those few.
    let highest_low: u32 = tx
        .conn
        .prepare_cached("SELECT max(coalesce(max(low_balance_at), 0), ?1) FROM offerings")?
        .query_row([t.low_balance], |r| r.get(0))?;
    let mut stmt = tx.conn.prepare_cached(concat!(
        "WITH candidates AS (
             SELECT package_id FROM package_balances WHERE expires_on BETWEEN ?2 AND ?3
             UNION SELECT package_id FROM package_balances WHERE balance = 0 AND last_on >= ?2
             UNION SELECT package_id FROM package_balances WHERE balance > 0 AND balance <= ?6
             UNION SELECT latest_package_id FROM clients WHERE id IN rarray(?5))
         SELECT p.id, c.id, c.name, c.email, p.name, b.expires_on, p.renewal_state,
                p.renewal_snoozed_until, b.balance, b.expired, b.last_on,
                NULL, p.offering_id, NULL, p.sold_on, ",
        holds!("?1"),
        " FROM candidates CROSS JOIN packages p ON p.id = candidates.package_id
          CROSS JOIN clients c ON c.id = p.client_id AND c.latest_package_id = p.id
          JOIN package_balances b ON b.package_id = p.id
          LEFT JOIN offerings o ON o.id = p.offering_id
         WHERE c.archived = 0
           AND ((b.expires_on BETWEEN ?2 AND ?3)
             OR (b.balance = 0 AND b.last_on >= ?2)
             OR (b.balance > 0 AND b.balance <= coalesce(o.low_balance_at, ?4))
             OR c.id IN rarray(?5))"
    ))?;
    let rows = stmt.query_map(
        params![
            today,
            ended_since,
            soon,
            t.low_balance,
            store::id_array(others),
            highest_low
        ],
        |r| {
            let expires_on: Option<NaiveDate> = r.get(5)?;
            let balance: i64 = r.get(8)?;
            let expired: i64 = r.get(9)?;
            let last: Option<NaiveDate> = r.get(10)?;
            let state: String = r.get(6)?;
            let follow_up = match state.as_str() {
                "offered" => FollowUp::Offered,
                "declined" => FollowUp::Declined,
                "snoozed" => FollowUp::Snoozed,
                _ => FollowUp::None,
            };
            let past = expires_on.filter(|e| *e < today);
            let remaining = u32::try_from(balance).unwrap_or(0);
            Ok(LatestRow {
                package_id: r.get(0)?,
                offering_id: r.get(12)?,
                client_id: r.get(1)?,
                client_name: r.get(2)?,
                email: r.get(3)?,
                // Filled in below, for the clients read.
                others: 0,
                usable: 0,
                soonest: None,
                latest: Latest {
                    name: r.get(4)?,
                    balance: Balance {
                        remaining,
                        expires_on,
                        cancelled: false,
                        expired: u32::try_from(expired).unwrap_or(0),
                        sold_on: r.get(14)?,
                        not_started: r.get(15)?,
                        paused_until: r.get(16)?,
                        low_balance_at: r.get(17)?,
                    },
                    ended_on: match past {
                        Some(e) => e.checked_add_days(Days::new(1)),
                        None if remaining == 0 => last,
                        None => None,
                    },
                    follow_up,
                    snoozed_until: r.get(7)?,
                },
            })
        },
    )?;
    let mut latest: Vec<LatestRow> = rows.collect::<rusqlite::Result<_>>()?;
    let ids: Vec<String> = latest.iter().map(|l| l.client_id.clone()).collect();
    let usable = store::packages::usable_of(tx.conn, &ids, today)?;
    for l in &mut latest {
        let (credits, soonest) = usable.get(&l.client_id).copied().unwrap_or((0, None));
        let b = &l.latest.balance;
        let own = if b.expires_on.is_some_and(|e| e < today) {
            0
        } else {
            b.remaining
        };
        l.usable = credits;
        l.others = credits.saturating_sub(own);
        l.soonest = soonest;
    }
    Ok(latest)
}

/// Every flagged client, most urgent first, and how many a snooze keeps off
/// the list. With `follow_ups` false, offered / declined / snoozed are
/// ignored: the raw flags, for the client list's filters.
pub(crate) fn assess(tx: &Tx, follow_ups: bool) -> Result<Attention> {
    assess_reading(tx, follow_ups, false)
}

/// As [`assess`]; with `everyone`, every client's newest package is read
/// (the plain answer the narrowed read must agree with).
fn assess_reading(tx: &Tx, follow_ups: bool, everyone: bool) -> Result<Attention> {
    let ctx = tx.ctx()?;
    let today = ctx.today;
    let owing = crate::views::client_list::owing_by_client(tx, ctx, None)?;
    // Sessions owed, and bookings ahead, by client (only those who have any).
    let sessions: HashMap<String, (u32, u32)> =
        store::sessions::owed_and_booked_by_client(tx.conn, today)?
            .into_iter()
            .map(|(id, owed, booked)| (id, (owed, booked)))
            .collect();
    let mut others: Vec<String> = owing
        .iter()
        .filter(|(_, o)| o.overdue > 0)
        .map(|(id, _)| id.clone())
        .chain(sessions.keys().cloned())
        .collect();
    if everyone {
        others = store::clients::all_ids(tx.conn)?;
    }
    let latest = latest_packages(tx, today, ctx.thresholds, &others)?;
    // Working out which bookings find no credit is the costly part: only for
    // clients who could be short (more bookings than credits, or credits
    // that expire before long).
    let last_booked: HashMap<String, NaiveDate> = tx
        .conn
        .prepare_cached(
            "SELECT client_id, max(starts_on) FROM sessions WHERE status = 'scheduled' AND starts_on >= ?1 GROUP BY client_id",
        )?
        .query_map([today], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let with_bookings: Vec<String> = latest
        .iter()
        .filter(|l| {
            let (Some(s), Some(last)) = (sessions.get(&l.client_id), last_booked.get(&l.client_id))
            else {
                return false;
            };
            s.1 > l.usable || l.soonest.is_some_and(|e| e < *last)
        })
        .map(|l| l.client_id.clone())
        .collect();
    let beyond: std::collections::HashSet<String> =
        crate::views::agenda::beyond_balance(tx, &with_bookings)?;
    let money = |m: i64| ctx.currency.minor(m).to_decimal();
    let mut items = Vec::new();
    let mut snoozed = 0;
    for mut row in latest {
        if !follow_ups {
            row.latest.follow_up = FollowUp::None;
        }
        let o = owing.get(&row.client_id).copied().unwrap_or_default();
        let facts = Facts {
            other_active_credits: row.others,
            overdue_minor: o.overdue,
            overdue_days: o.overdue_days,
            owed_sessions: sessions.get(&row.client_id).map_or(0, |s| s.0),
            booked_beyond: beyond.contains(&row.client_id),
            latest: Some(row.latest.clone()),
        };
        let reasons = attention::reasons(&facts, today, ctx.thresholds);
        if row.latest.follow_up == FollowUp::Snoozed
            && row.latest.snoozed_until.is_some_and(|d| d > today)
        {
            let unsnoozed = attention::reasons(
                &Facts {
                    latest: Some(Latest {
                        follow_up: FollowUp::None,
                        ..row.latest.clone()
                    }),
                    ..facts.clone()
                },
                today,
                ctx.thresholds,
            );
            if unsnoozed.len() > reasons.len() {
                snoozed += 1;
            }
        }
        if reasons.is_empty() {
            continue;
        }
        items.push((
            attention::urgency(&reasons),
            o.overdue_days,
            AttentionItem {
                client_id: row.client_id,
                client_name: row.client_name,
                email: row.email,
                reasons: reasons
                    .into_iter()
                    .map(|r| ReasonView {
                        amount: (r.kind == ReasonKind::PaymentOverdue).then(|| money(o.overdue)),
                        kind: r.kind,
                        text: r.text,
                    })
                    .collect(),
                package_id: Some(row.package_id),
                package_name: Some(row.latest.name),
                offering_id: row.offering_id,
                remaining: row.latest.balance.remaining,
                expires_on: row.latest.balance.expires_on,
                follow_up: row.latest.follow_up,
                snoozed_until: row.latest.snoozed_until,
            },
        ));
    }
    items.sort_by(|a, b| {
        a.0.cmp(&b.0)
            .then(b.1.cmp(&a.1))
            .then(a.2.expires_on.cmp(&b.2.expires_on))
            .then(a.2.remaining.cmp(&b.2.remaining))
            .then(a.2.client_name.cmp(&b.2.client_name))
    });
    Ok(Attention {
        booked_beyond: u32::try_from(beyond.len()).unwrap_or(u32::MAX),
        total: u32::try_from(items.len()).unwrap_or(u32::MAX),
        items: items.into_iter().map(|(_, _, i)| i).collect(),
        snoozed,
    })
}

impl Store {
    pub fn needs_attention(&self) -> Result<Attention> {
        self.read(|tx| assess(tx, true))
    }

    /// The list with only its `limit` most urgent items (and the total): what
    /// the window shows, without sending a large practice's whole list.
    pub fn needs_attention_first(&self, limit: u32) -> Result<Attention> {
        let mut list = self.needs_attention()?;
        list.items
            .truncate(usize::try_from(limit).unwrap_or(usize::MAX));
        Ok(list)
    }

    /// The list worked out from every client's newest package, not only
    /// from those that may need attention: for tests.
    #[doc(hidden)]
    pub fn needs_attention_reading_everyone(&self) -> Result<Attention> {
        self.read(|tx| assess_reading(tx, true, true))
    }
}
