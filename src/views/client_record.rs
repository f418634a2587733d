//! The client record: details, packages as cards with their balance and
//! flags, and the history newest first.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use specta::Type;

use crate::context::Ctx;
use crate::domain::package::{self, Balance, Hold, PackageState};
use crate::domain::payment::{self, Instalment, PaymentState};
use crate::domain::validity::Validity;
use crate::error::Result;
use crate::store::packages::PackageRow;
use crate::store::{self, Store, Tx};
use crate::views::agenda::{self, BookingView};
use crate::views::clients::Client;
use crate::views::timeline::TimelineItem;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct PackageView {
    pub id: String,
    pub client_id: String,
    pub offering_id: Option<String>,
    pub name: String,
    /// Sessions bought.
    pub sessions: u32,
    /// Sessions drawn (completed, late-cancelled, no-show), net of reversals.
    pub used: u32,
    /// The balance: the sum of the package's ledger entries.
    pub remaining: u32,
    /// Credits that expired unused.
    pub expired: u32,
    /// The package this one renews (the renewal chain).
    pub renews_id: Option<String>,
    pub price: Decimal,
    /// Received less refunded.
    pub paid: Decimal,
    pub refunded: Decimal,
    /// What the client is to pay in all: the price less refunds (nothing
    /// once the sale is cancelled). A plan adds up to it.
    pub due: Decimal,
    /// The offering's price, when it was sold for another, and why.
    pub list_price: Option<Decimal>,
    pub discount_reason: String,
    pub sold_on: NaiveDate,
    pub expires_on: Option<NaiveDate>,
    pub validity: Validity,
    pub late_cancel_hours: u32,
    pub service: String,
    pub state: PackageState,
    pub low: bool,
    pub expiring_soon: bool,
    /// Starts on a later day, paused today, or its clock not started.
    pub hold: Option<Hold>,
    /// Counted from first use: the day of its first session.
    pub started_on: Option<NaiveDate>,
    /// Its pauses, earliest first.
    pub pauses: Vec<PauseView>,
    pub payment: PaymentState,
    /// Still owed (below zero: the client is in credit).
    pub owed: Decimal,
    pub overdue: Decimal,
    pub overdue_days: u32,
    /// The next amount to pay (the overdue one first), while something is owed.
    pub next_due: Option<InstalmentView>,
    /// The instalment plan in force (empty: the whole price was due at the sale).
    pub plan: Vec<InstalmentView>,
}

/// A paused period: its first and last day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct PauseView {
    pub from: NaiveDate,
    pub until: NaiveDate,
}

/// An instalment, or the next amount due.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct InstalmentView {
    pub due_on: NaiveDate,
    pub amount: Decimal,
}

impl PackageView {
    pub(crate) fn new(p: PackageRow, plan: Vec<Instalment>, ctx: &Ctx) -> Self {
        let flags = package::flags(
            Balance {
                remaining: p.remaining,
                expires_on: p.expires_on,
                cancelled: p.cancelled,
                expired: p.expired,
                sold_on: p.sold_on,
                not_started: p.not_started(),
                paused_until: p.paused_until(ctx.today),
                low_balance_at: p.low_balance_at,
            },
            ctx.today,
            ctx.thresholds,
        );
        let money = payment::status(&p.money(), &plan, ctx.today);
        let c = ctx.currency;
        let view = |i: Instalment| InstalmentView {
            due_on: i.due_on,
            amount: c.minor(i.amount).to_decimal(),
        };
        PackageView {
            payment: money.state,
            owed: c.minor(money.owed).to_decimal(),
            overdue: c.minor(money.overdue).to_decimal(),
            overdue_days: money.overdue_days,
            next_due: money.next_due.map(view),
            plan: plan.into_iter().map(view).collect(),
            refunded: p.refunded.to_decimal(),
            due: if p.cancelled {
                c.zero().to_decimal()
            } else {
                p.price.minus(p.refunded).to_decimal()
            },
            list_price: p.list_price.map(|m| m.to_decimal()),
            discount_reason: p.discount_reason,
            id: p.id,
            client_id: p.client_id,
            offering_id: p.offering_id,
            name: p.name,
            sessions: p.sessions,
            used: p.used,
            remaining: p.remaining,
            expired: p.expired,
            renews_id: p.renews_id,
            price: p.price.to_decimal(),
            paid: p.paid.to_decimal(),
            sold_on: p.sold_on,
            expires_on: p.expires_on,
            validity: p.validity,
            late_cancel_hours: p.late_cancel_hours,
            service: p.service,
            state: flags.state,
            low: flags.low,
            expiring_soon: flags.expiring_soon,
            hold: flags.hold,
            started_on: p.started_on,
            pauses: p
                .pauses
                .iter()
                .map(|&(from, until)| PauseView { from, until })
                .collect(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ClientRecord {
    pub client: Client,
    /// Newest sale first.
    pub packages: Vec<PackageView>,
    /// Bookings still to happen, soonest first.
    pub bookings: Vec<BookingView>,
    /// Sessions completed with no credit, waiting for a package to settle them.
    pub owed: u32,
    /// Newest first: all of it, or the newest lines asked for.
    pub timeline: Vec<TimelineItem>,
    /// The history holds older lines than these.
    pub timeline_more: bool,
}

/// A package as the screens show it.
pub(crate) fn package_view(tx: &Tx, id: &str) -> Result<PackageView> {
    let ctx = tx.ctx()?;
    let p = store::packages::get(tx.conn, ctx.currency, id)?;
    let plan = store::payments::plan_of(tx.conn, &p.id)?;
    Ok(PackageView::new(p, plan, ctx))
}

/// A client's packages, newest sale first, with their plans (in one read).
fn packages_of(tx: &Tx, client_id: &str) -> Result<Vec<PackageView>> {
    let ctx = tx.ctx()?;
    let rows = store::packages::of_client(tx.conn, ctx.currency, client_id)?;
    let ids: Vec<String> = rows.iter().map(|p| p.id.clone()).collect();
    let mut plans = store::payments::plans_of(tx.conn, &ids)?;
    Ok(rows
        .into_iter()
        .map(|p| {
            let plan = plans.remove(&p.id).unwrap_or_default();
            PackageView::new(p, plan, ctx)
        })
        .collect())
}

impl Store {
    /// Every package of a client with its live balance, newest sale first.
    pub fn client_packages(&self, client_id: &str) -> Result<Vec<PackageView>> {
        self.read(|tx| packages_of(tx, client_id))
    }

    pub fn package(&self, id: &str) -> Result<PackageView> {
        self.read(|tx| package_view(tx, id))
    }

    /// A client's record, with their whole history.
    pub fn client_record(&self, client_id: &str) -> Result<ClientRecord> {
        self.record(client_id, None)
    }

    /// A client's record, with only the newest `lines` of their history
    /// (what the window shows first: a long history is not sent whole, nor
    /// read).
    pub fn client_record_newest(&self, client_id: &str, lines: u32) -> Result<ClientRecord> {
        self.record(client_id, Some(lines))
    }

    fn record(&self, client_id: &str, lines: Option<u32>) -> Result<ClientRecord> {
        self.read(|tx| {
            let client = store::clients::get(tx.conn, client_id)?;
            let ctx = tx.ctx()?;
            let packages = packages_of(tx, client_id)?;
            let (timeline, timeline_more) = crate::views::timeline::newest(tx, client_id, lines)?;
            let name = client.name.clone();
            let bookings = agenda::views(
                tx,
                store::sessions::booked_of_client(tx.conn, client_id, ctx.today)?
                    .into_iter()
                    .map(|s| (s, name.clone()))
                    .collect(),
            )?;
            let owed = store::sessions::owed_of_client(tx.conn, client_id)?.len() as u32;
            Ok(ClientRecord {
                client,
                packages,
                bookings,
                owed,
                timeline,
                timeline_more,
            })
        })
    }
}
