//! The client record: details, packages as cards with their balance and
//! flags, and the history newest first.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use specta::Type;

use crate::context::Ctx;
use crate::domain::package::{self, Balance, PackageState, PaymentState};
use crate::domain::validity::Validity;
use crate::error::Result;
use crate::store::packages::PackageRow;
use crate::store::{self, Store};
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
    pub price: Decimal,
    pub paid: Decimal,
    pub sold_on: NaiveDate,
    pub expires_on: Option<NaiveDate>,
    pub validity: Validity,
    pub late_cancel_hours: u32,
    pub service: String,
    pub state: PackageState,
    pub low: bool,
    pub expiring_soon: bool,
    pub payment: PaymentState,
}

impl PackageView {
    pub(crate) fn new(p: PackageRow, ctx: &Ctx) -> Self {
        let flags = package::flags(
            Balance {
                remaining: p.remaining,
                expires_on: p.expires_on,
            },
            ctx.today,
            ctx.thresholds,
        );
        PackageView {
            payment: package::payment_state(p.price, p.paid),
            id: p.id,
            client_id: p.client_id,
            offering_id: p.offering_id,
            name: p.name,
            sessions: p.sessions,
            used: p.used,
            remaining: p.remaining,
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
    /// Newest first.
    pub timeline: Vec<TimelineItem>,
}

impl Store {
    /// Every package of a client with its live balance, newest sale first.
    pub fn client_packages(&self, client_id: &str) -> Result<Vec<PackageView>> {
        self.read(|tx| {
            let ctx = tx.ctx()?;
            Ok(
                store::packages::of_client(tx.conn, ctx.currency, client_id)?
                    .into_iter()
                    .map(|p| PackageView::new(p, ctx))
                    .collect(),
            )
        })
    }

    pub fn package(&self, id: &str) -> Result<PackageView> {
        self.read(|tx| {
            let ctx = tx.ctx()?;
            Ok(PackageView::new(
                store::packages::get(tx.conn, ctx.currency, id)?,
                ctx,
            ))
        })
    }

    pub fn client_record(&self, client_id: &str) -> Result<ClientRecord> {
        self.read(|tx| {
            let client = store::clients::get(tx.conn, client_id)?;
            let ctx = tx.ctx()?;
            let packages = store::packages::of_client(tx.conn, ctx.currency, client_id)?
                .into_iter()
                .map(|p| PackageView::new(p, ctx))
                .collect();
            let mut timeline = crate::views::timeline::build(tx, client_id)?;
            timeline.reverse();
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
            })
        })
    }
}
