//! Needs attention: every client the follow-up rules flag, most urgent
//! first, with the reasons in plain words and the package a renewal would
//! follow. Built from a handful of practice-wide queries, not per client.

use std::collections::HashMap;

use chrono::{Days, NaiveDate};
use rusqlite::params;
use serde::Serialize;
use specta::Type;

use crate::domain::attention::{self, Facts, FollowUp, Latest, ReasonKind};
use crate::domain::package::Balance;
use crate::error::Result;
use crate::store::{self, Store, Tx};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ReasonView {
    pub kind: ReasonKind,
    pub text: String,
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
    pub items: Vec<AttentionItem>,
    /// Clients a snooze keeps off the list today.
    pub snoozed: u32,
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
}

fn latest_packages(tx: &Tx, today: NaiveDate) -> Result<Vec<LatestRow>> {
    let mut stmt = tx.conn.prepare_cached(
        "WITH ranked AS (
             SELECT p.id, p.client_id, p.name, b.expires_on, p.renewal_state, p.renewal_snoozed_until,
                    b.balance, p.offering_id,
                    row_number() OVER (PARTITION BY p.client_id ORDER BY p.sold_on DESC, p.created_at DESC, p.id DESC) AS rn
             FROM packages p JOIN package_balances b ON b.package_id = p.id
             WHERE NOT b.cancelled),
         usable AS (
             SELECT p.client_id, sum(b.balance) AS credits
             FROM packages p JOIN package_balances b ON b.package_id = p.id
             WHERE NOT b.cancelled AND b.balance > 0 AND (b.expires_on IS NULL OR b.expires_on >= ?1)
             GROUP BY p.client_id)
         SELECT r.id, r.client_id, c.name, c.email, r.name, r.expires_on, r.renewal_state, r.renewal_snoozed_until,
                r.balance,
                (SELECT coalesce(-sum(x.delta), 0) FROM ledger_entries x
                  WHERE x.package_id = r.id AND x.kind = 'expiry'
                    AND NOT EXISTS (SELECT 1 FROM ledger_entries v WHERE v.reverses_id = x.id)),
                (SELECT max(e.occurred_on) FROM ledger_entries e WHERE e.package_id = r.id),
                coalesce(u.credits, 0), r.offering_id
         FROM ranked r JOIN clients c ON c.id = r.client_id
         LEFT JOIN usable u ON u.client_id = r.client_id
         WHERE r.rn = 1 AND c.archived = 0",
    )?;
    let rows = stmt.query_map(params![today], |r| {
        let expires_on: Option<NaiveDate> = r.get(5)?;
        let balance: i64 = r.get(8)?;
        let expired: i64 = r.get(9)?;
        let last: Option<NaiveDate> = r.get(10)?;
        let usable: i64 = r.get(11)?;
        let state: String = r.get(6)?;
        let follow_up = match state.as_str() {
            "offered" => FollowUp::Offered,
            "declined" => FollowUp::Declined,
            "snoozed" => FollowUp::Snoozed,
            _ => FollowUp::None,
        };
        let past = expires_on.filter(|e| *e < today);
        let remaining = u32::try_from(balance).unwrap_or(0);
        let own_usable = if past.is_some() { 0 } else { balance };
        Ok(LatestRow {
            package_id: r.get(0)?,
            offering_id: r.get(12)?,
            client_id: r.get(1)?,
            client_name: r.get(2)?,
            email: r.get(3)?,
            others: u32::try_from(usable - own_usable).unwrap_or(0),
            latest: Latest {
                name: r.get(4)?,
                balance: Balance {
                    remaining,
                    expires_on,
                    cancelled: false,
                    expired: u32::try_from(expired).unwrap_or(0),
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
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Every flagged client, most urgent first, and how many a snooze keeps off
/// the list. With `follow_ups` false, offered / declined / snoozed are
/// ignored: the raw flags, for the client list's filters.
pub(crate) fn assess(tx: &Tx, follow_ups: bool) -> Result<Attention> {
    let ctx = tx.ctx()?;
    let today = ctx.today;
    let latest = latest_packages(tx, today)?;
    let owing = crate::views::client_list::owing_by_client(tx, ctx, None)?;
    let ids: Vec<String> = latest.iter().map(|l| l.client_id.clone()).collect();
    let sessions: HashMap<String, (u32, u32)> =
        store::sessions::owed_and_booked(tx.conn, &ids, today)?
            .into_iter()
            .map(|(id, owed, booked)| (id, (owed, booked)))
            .collect();
    let with_bookings: Vec<String> = ids
        .iter()
        .filter(|id| sessions.get(*id).is_some_and(|s| s.1 > 0))
        .cloned()
        .collect();
    let beyond: std::collections::HashSet<String> =
        crate::views::agenda::coverage(tx, &with_bookings)?
            .into_values()
            .filter(|c| c.covered.beyond())
            .map(|c| c.client_id)
            .collect();
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
            overdue_text: format!("{} {}", ctx.currency.code(), money(o.overdue)),
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
        items: items.into_iter().map(|(_, _, i)| i).collect(),
        snoozed,
    })
}

impl Store {
    pub fn needs_attention(&self) -> Result<Attention> {
        self.read(|tx| assess(tx, true))
    }
}
