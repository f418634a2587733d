//! Selling a package: the offering's terms (or custom ones) are copied and
//! frozen, the purchase credits the ledger, and a payment may be recorded.

use serde::{Deserialize, Serialize};
use specta::Type;

use crate::changes::Topic;
use crate::domain::kinds::{EntryKind, PaymentKind};
use crate::domain::terms::{Terms, TermsInput};
use crate::error::{Check, Error, Result};
use crate::store::ledger::NewEntry;
use crate::store::packages::NewPackage;
use crate::store::payments::NewPayment;
use crate::store::{self, Store};
use crate::text;
use crate::views::client_record::PackageView;

/// What the Sell package sheet sends.
#[derive(Debug, Clone, Default, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct SaleInput {
    pub client_id: String,
    /// Sell from this offering (its current terms are copied); `None` sells `terms`.
    pub offering_id: Option<String>,
    pub terms: TermsInput,
    pub sold_on: String,
    /// Record a payment of the full price, dated the sale day.
    pub paid_now: bool,
    pub payment_method: String,
}

impl Store {
    pub fn sell_package(&mut self, input: &SaleInput) -> Result<PackageView> {
        self.write(|tx| {
            let ctx = tx.ctx()?;
            let mut c = Check::new();
            let sold_on = c.opt("soldOn", text::date(&input.sold_on));
            let method = c.field("paymentMethod", text::line(&input.payment_method, 100));
            let (terms, from_offering) = match &input.offering_id {
                Some(id) => {
                    let o = store::offerings::get(tx.conn, ctx.currency, id)?;
                    if o.retired {
                        c.fail("offeringId", format!("“{}” is retired and no longer sold.", o.name));
                    }
                    let terms = Terms {
                        name: o.name.clone(),
                        sessions: o.sessions,
                        price: ctx.currency.from_decimal(o.price).map_err(|m| Error::field("offeringId", m))?,
                        validity: o.validity,
                        late_cancel_hours: o.late_cancel_hours,
                        service: o.service,
                    };
                    (Some(terms), Some(o.name))
                }
                None => (c.absorb(Terms::parse(&input.terms, ctx.currency))?, None),
            };
            if let (Some(terms), Some(sold_on)) = (&terms, sold_on) {
                if let Some(expires) = terms.validity.expires_on(sold_on).filter(|e| *e < sold_on) {
                    match &from_offering {
                        Some(name) => c.fail(
                            "offeringId",
                            format!(
                                "“{name}” is valid only until {expires}, before the sale date: pick a later offering, an earlier sale date, or custom terms."
                            ),
                        ),
                        None => c.fail(
                            "validUntil",
                            "The package would expire before it is sold; pick a later date.",
                        ),
                    }
                }
            }
            let client = store::clients::get(tx.conn, &input.client_id)?;
            c.done()?;
            let (Some(terms), Some(sold_on)) = (terms, sold_on) else {
                unreachable!("a passed check has every value")
            };

            let id = tx.id("pk");
            let now = tx.now_text();
            store::packages::insert(
                tx.conn,
                &NewPackage {
                    id: &id,
                    client_id: &client.id,
                    offering_id: input.offering_id.as_deref(),
                    terms: &terms,
                    late_cancel_hours: terms.late_cancel_hours.unwrap_or(ctx.late_cancel_hours),
                    sold_on,
                    expires_on: terms.validity.expires_on(sold_on),
                },
                &now,
            )?;
            store::ledger::insert(
                tx.conn,
                &NewEntry::plain(
                    &tx.id("le"),
                    &id,
                    EntryKind::Purchase,
                    i32::try_from(terms.sessions).unwrap_or(i32::MAX),
                    sold_on,
                ),
                &now,
            )?;
            if input.paid_now && terms.price.is_positive() {
                store::payments::insert(
                    tx.conn,
                    &NewPayment {
                        id: &tx.id("pa"),
                        package_id: &id,
                        kind: PaymentKind::Payment,
                        amount: terms.price,
                        paid_on: sold_on,
                        method: &method,
                        note: "",
                    },
                    &now,
                )?;
            }
            // Sessions the client owes are settled first, oldest first.
            let mut left = terms.sessions;
            for owed in store::sessions::owed_of_client(tx.conn, &client.id)? {
                if left == 0 {
                    break;
                }
                let why = format!("settles the session owed from {}", owed.starts_on.format("%-d %b %Y"));
                store::ledger::insert(
                    tx.conn,
                    &NewEntry {
                        session_id: Some(&owed.id),
                        why: &why,
                        ..NewEntry::plain(&tx.id("le"), &id, EntryKind::Session, -1, sold_on)
                    },
                    &now,
                )?;
                store::sessions::close(tx.conn, &owed.id, owed.status, Some(&id), false, &now)?;
                left -= 1;
            }
            tx.touch(Topic::Packages);
            Ok(PackageView::new(store::packages::get(tx.conn, ctx.currency, &id)?, ctx))
        })
    }
}
