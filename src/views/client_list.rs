//! The client list, a page at a time: however large the practice, a page
//! reads only its own clients (through the list-order index or the search
//! index) and their live packages (through the balance cache), and the flags
//! come from the one rule.

use std::collections::HashMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use specta::Type;

use rust_decimal::Decimal;

use crate::domain::attention::ReasonKind;

use crate::context::Ctx;
use crate::domain::package::{self, Balance, Flags, PackageState};
use crate::domain::payment;
use crate::error::Result;
use crate::store::{self, Store, Tx};
use crate::text;
use crate::views::clients::Client;

/// A row of the client list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ClientSummary {
    pub id: String,
    pub name: String,
    pub email: String,
    pub phone: String,
    /// Sessions left across the client's active packages.
    pub remaining: u32,
    /// Credits those active packages have held: the sessions bought, and
    /// any added (moved in, carried over), so "left" never exceeds it.
    pub total: u32,
    pub active_packages: u32,
    /// Any active package is low.
    pub low: bool,
    /// The soonest expiry among active packages.
    pub expires_on: Option<NaiveDate>,
    /// Any active package is expiring soon.
    pub expiring_soon: bool,
    /// Sessions completed with no credit, not yet settled.
    pub owed: u32,
    /// Bookings still to happen.
    pub booked: u32,
    /// Some of them find no credit: booked beyond the balance.
    pub booked_beyond: bool,
    /// Money still owed across the client's packages (zero when nothing is).
    pub owes: Decimal,
    /// Of it, past its due day.
    pub overdue: Decimal,
    /// Days since the oldest overdue amount fell due.
    pub overdue_days: u32,
}

/// A list of clients by what needs doing, rather than everyone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum ClientFilter {
    /// Clients who owe money, most overdue first.
    Owes,
    /// Clients with any follow-up flag (follow-ups ignored), most urgent first.
    Flagged,
    /// Low on credits.
    Low,
    /// Their package expires soon.
    ExpiringSoon,
    /// Their package expired with credits unused.
    Expired,
    /// Their package is used up, with no newer one.
    UsedUp,
    /// Sessions completed with no credit.
    OwedSessions,
    /// Booked beyond the credits left.
    BookedBeyond,
}

/// What the list asks for: a search (case, accents and punctuation ignored)
/// and a window of rows.
#[derive(Debug, Clone, Default, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ClientQuery {
    pub text: String,
    /// The first row wanted, counting from 0 in list order.
    pub offset: u32,
    /// How many rows at most (capped at [`MAX_PAGE`]).
    pub limit: u32,
    /// The client the list has selected: the page says where it stands.
    pub selected: Option<String>,
    /// Only the clients a flag picks, in its own order (most urgent first).
    pub filter: Option<ClientFilter>,
}

/// The most rows one page returns.
pub const MAX_PAGE: u32 = 500;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ClientPage {
    /// How many clients match in all (a search counts at most 1,000: see
    /// `exact`).
    pub total: u32,
    /// False when there are more matches than `total` says.
    pub exact: bool,
    pub offset: u32,
    pub rows: Vec<ClientSummary>,
    /// Where the selected client stands in this list, or `None` when the
    /// search leaves it out.
    pub selected_index: Option<u32>,
}

struct Live {
    sessions: u32,
    balance: Balance,
    flags: Flags,
}

/// What a client owes across its packages: the amount, the overdue part and
/// the oldest overdue day count.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Owing {
    pub owes: i64,
    pub overdue: i64,
    pub overdue_days: u32,
}

pub(crate) fn owing_by_client(
    tx: &Tx,
    ctx: &Ctx,
    clients: Option<&[String]>,
) -> Result<HashMap<String, Owing>> {
    let mut out: HashMap<String, Owing> = HashMap::new();
    let owing: Vec<_> = store::packages::owing(tx.conn, clients)?
        .into_iter()
        .filter(|p| p.owed > 0)
        .collect();
    let ids: Vec<String> = owing.iter().map(|p| p.id.clone()).collect();
    let mut plans = store::payments::plans_of(tx.conn, &ids)?;
    for p in owing {
        let plan = plans.remove(&p.id).unwrap_or_default();
        let s = payment::status(&p.money, &plan, ctx.today);
        let o = out.entry(p.client_id).or_default();
        o.owes += s.owed;
        o.overdue += s.overdue;
        o.overdue_days = o.overdue_days.max(s.overdue_days);
    }
    Ok(out)
}

/// The rows for these clients, in this order.
fn summaries(
    tx: &Tx,
    clients: Vec<Client>,
    owing: Option<&HashMap<String, Owing>>,
) -> Result<Vec<ClientSummary>> {
    let ctx = tx.ctx()?;
    let ids: Vec<String> = clients.iter().map(|c| c.id.clone()).collect();
    let mut live: HashMap<String, Vec<Live>> = HashMap::new();
    for p in store::packages::live_balances(tx.conn, &ids, ctx.today)? {
        let balance = Balance {
            remaining: p.remaining,
            expires_on: p.expires_on,
            sold_on: p.sold_on,
            not_started: p.not_started,
            paused_until: p.paused_until,
            low_balance_at: p.low_balance_at,
            ..Balance::default()
        };
        let flags = package::flags(balance, ctx.today, ctx.thresholds);
        if flags.state == PackageState::Active {
            live.entry(p.client_id).or_default().push(Live {
                sessions: p.sessions,
                balance,
                flags,
            });
        }
    }
    let computed;
    let owing = match owing {
        Some(o) => o,
        None => {
            computed = owing_by_client(tx, ctx, Some(&ids))?;
            &computed
        }
    };
    let bookings: HashMap<String, (u32, u32)> =
        store::sessions::owed_and_booked(tx.conn, &ids, ctx.today)?
            .into_iter()
            .map(|(id, owed, booked)| (id, (owed, booked)))
            .collect();
    let with_bookings: Vec<String> = ids
        .iter()
        .filter(|id| bookings.get(*id).is_some_and(|b| b.1 > 0))
        .cloned()
        .collect();
    let beyond_clients: std::collections::HashSet<String> =
        crate::views::agenda::beyond_balance(tx, &with_bookings)?;
    let money = |m: i64| ctx.currency.minor(m).to_decimal();
    Ok(clients
        .into_iter()
        .map(|c| {
            let (owed, booked) = bookings.get(&c.id).copied().unwrap_or((0, 0));
            let packages = live.get(&c.id).map(Vec::as_slice).unwrap_or(&[]);
            let (low, expiring_soon) = package::client_flags(packages.iter().map(|p| &p.flags));
            let o = owing.get(&c.id).copied().unwrap_or_default();
            ClientSummary {
                remaining: packages.iter().map(|p| p.balance.remaining).sum(),
                total: packages.iter().map(|p| p.sessions).sum(),
                active_packages: packages.len() as u32,
                expires_on: packages.iter().filter_map(|p| p.balance.expires_on).min(),
                low,
                expiring_soon,
                owed,
                booked,
                booked_beyond: beyond_clients.contains(&c.id),
                owes: money(o.owes),
                overdue: money(o.overdue),
                overdue_days: o.overdue_days,
                id: c.id,
                name: c.name,
                email: c.email,
                phone: c.phone,
            }
        })
        .collect())
}

/// Every client a filter picks, in its order, with what the rows need.
fn filtered(
    tx: &Tx,
    filter: ClientFilter,
    needle: &str,
) -> Result<(Vec<Client>, HashMap<String, Owing>)> {
    let ctx = tx.ctx()?;
    let kind = match filter {
        ClientFilter::Owes => None,
        ClientFilter::Flagged => Some(None),
        ClientFilter::Low => Some(Some(ReasonKind::Low)),
        ClientFilter::ExpiringSoon => Some(Some(ReasonKind::ExpiringSoon)),
        ClientFilter::Expired => Some(Some(ReasonKind::ExpiredUnused)),
        ClientFilter::UsedUp => Some(Some(ReasonKind::UsedUp)),
        ClientFilter::OwedSessions => Some(Some(ReasonKind::OwedSessions)),
        ClientFilter::BookedBeyond => Some(Some(ReasonKind::BookedBeyond)),
    };
    if let Some(kind) = kind {
        // In the Needs attention order, follow-ups ignored.
        let flagged: Vec<String> = crate::views::attention::assess(tx, false)?
            .items
            .into_iter()
            .filter(|i| kind.is_none_or(|k| i.reasons.iter().any(|r| r.kind == k)))
            .map(|i| i.client_id)
            .collect();
        let mut found: HashMap<String, Client> = store::clients::of_ids(tx.conn, &flagged, needle)?
            .into_iter()
            .map(|(c, _)| (c.id.clone(), c))
            .collect();
        let clients = flagged.iter().filter_map(|id| found.remove(id)).collect();
        return Ok((clients, owing_by_client(tx, ctx, None)?));
    }
    // Money owed: the longest overdue, then the most overdue, then the most owed.
    let owing = owing_by_client(tx, ctx, None)?;
    let ids: Vec<String> = owing.keys().cloned().collect();
    let mut clients = store::clients::of_ids(tx.conn, &ids, needle)?;
    clients.sort_by(|(a, ka), (b, kb)| {
        let (oa, ob) = (owing[&a.id], owing[&b.id]);
        (ob.overdue_days, ob.overdue, ob.owes, ka, &a.id).cmp(&(
            oa.overdue_days,
            oa.overdue,
            oa.owes,
            kb,
            &b.id,
        ))
    });
    Ok((clients.into_iter().map(|(c, _)| c).collect(), owing))
}

impl Store {
    /// One page of the client list for a query.
    pub fn client_page(&self, query: &ClientQuery) -> Result<ClientPage> {
        let needle = text::search_key(&query.text);
        let limit = query.limit.min(MAX_PAGE);
        // Typed, but nothing a name can hold (emoji, symbols): no client matches.
        if needle.is_empty() && !query.text.trim().is_empty() {
            return Ok(ClientPage {
                total: 0,
                exact: true,
                offset: query.offset,
                rows: Vec::new(),
                selected_index: None,
            });
        }
        self.read(|tx| {
            if let Some(filter) = query.filter {
                // Worked out whole (every client it picks, in order) once,
                // and kept while the window scrolls through it: at 100×, a
                // filter picks thousands of clients and takes a second.
                let today = tx.ctx()?.today;
                let list = tx.remembered(format!("{filter:?} {today} {needle}"), || {
                    filtered(tx, filter, &needle)
                })?;
                let (all, owing) = &*list;
                let total = all.len() as u32;
                let selected_index = query
                    .selected
                    .as_ref()
                    .and_then(|id| all.iter().position(|c| &c.id == id))
                    .map(|i| i as u32);
                let page: Vec<Client> = all
                    .iter()
                    .skip(query.offset as usize)
                    .take(limit as usize)
                    .cloned()
                    .collect();
                return Ok(ClientPage {
                    total,
                    exact: true,
                    offset: query.offset,
                    rows: summaries(tx, page, Some(owing))?,
                    selected_index,
                });
            }
            let (clients, total, exact, selected_index) = store::clients::page(
                tx.conn,
                tx.memo,
                &needle,
                query.offset,
                limit,
                query.selected.as_deref(),
            )?;
            let rows = summaries(tx, clients, None)?;
            Ok(ClientPage {
                total,
                exact,
                offset: query.offset,
                rows,
                selected_index,
            })
        })
    }

    /// Every matching client at once, for tests and scripts; the screens ask
    /// for pages ([`Store::client_page`]).
    pub fn client_list(&self, text: &str) -> Result<Vec<ClientSummary>> {
        let mut all = Vec::new();
        loop {
            let page = self.client_page(&ClientQuery {
                text: text.into(),
                offset: all.len() as u32,
                limit: MAX_PAGE,
                selected: None,
                filter: None,
            })?;
            let n = page.rows.len();
            all.extend(page.rows);
            if n < MAX_PAGE as usize {
                return Ok(all);
            }
        }
    }
}
