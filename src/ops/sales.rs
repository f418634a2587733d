//! Selling a package: the offering's terms (or custom ones) are copied and
//! frozen, the purchase credits the ledger, and a payment may be recorded.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use specta::Type;

use crate::changes::Topic;
use crate::domain::kinds::{EntryKind, PaymentKind};
use crate::domain::terms::{Terms, TermsInput};
use crate::error::{Check, Error, Result};
use crate::ops::payments::{check_plan, method, InstalmentInput};
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
    /// Selling from an offering for another price (a discount): the price
    /// agreed; empty means the offering's.
    pub price: String,
    /// Why the price differs from the offering's (required when it does).
    pub discount_reason: String,
    /// Paid now when not in full (a deposit); empty means nothing.
    pub deposit: String,
    /// An instalment plan (due days and amounts adding up to the price).
    pub plan: Vec<InstalmentInput>,
    /// The client's package this sale renews (the renewal follows it).
    pub renews_id: Option<String>,
    /// With `renews_id`: move the credits still usable on it into the new
    /// package (a linked pair of entries).
    pub carry_over: bool,
    /// The practitioner confirmed a sale day that is surely unusual (ahead
    /// of today, or more than [`YEARS_BACK`] years back).
    #[serde(default)]
    pub date_confirmed: bool,
}

/// A sale dated further back than this many years asks for confirmation.
pub const YEARS_BACK: u32 = 3;

/// Why a sale day needs confirming, or `None` when it is an ordinary one.
pub fn unusual_sale_day(sold_on: NaiveDate, today: NaiveDate) -> Option<String> {
    let day = sold_on.format("%-d %b %Y");
    if sold_on > today {
        let ahead = (sold_on - today).num_days();
        Some(format!(
            "{day} is {} ahead: the package can't be used before then. Confirm the sale day to sell it anyway.",
            crate::text::plural(ahead, "day", "days")
        ))
    } else if today
        .checked_sub_months(chrono::Months::new(12 * YEARS_BACK))
        .is_some_and(|limit| sold_on < limit)
    {
        Some(format!(
            "{day} is more than {YEARS_BACK} years ago. Confirm the sale day to record it anyway."
        ))
    } else {
        None
    }
}

impl Store {
    pub fn sell_package(&mut self, input: &SaleInput) -> Result<PackageView> {
        self.write(|tx| {
            let ctx = tx.ctx()?;
            let mut c = Check::new();
            let sold_on = c.opt("soldOn", text::date(&input.sold_on));
            if let Some(why) = sold_on.and_then(|d| unusual_sale_day(d, ctx.today)) {
                if !input.date_confirmed {
                    c.fail("dateConfirmed", why);
                }
            }
            let method = c.field("paymentMethod", method(&input.payment_method));
            let mut list_price = None;
            let discount_reason = c.field("discountReason", text::line(&input.discount_reason, 500));
            let (terms, from_offering) = match &input.offering_id {
                Some(id) => {
                    let o = store::offerings::get(tx.conn, ctx.currency, id)?;
                    if o.retired {
                        c.fail("offeringId", format!("“{}” is retired and no longer sold.", o.name));
                    }
                    let offered = ctx.currency.from_decimal(o.price).map_err(|m| Error::field("offeringId", m))?;
                    let price = match input.price.trim() {
                        "" => offered,
                        t => c.field("price", ctx.currency.parse_amount(t).map(Some)).unwrap_or(offered),
                    };
                    if price != offered {
                        list_price = Some(offered);
                        if discount_reason.is_empty() {
                            c.fail("discountReason", "Say why this client pays another price: it stays with the sale.");
                        }
                    }
                    let terms = Terms {
                        name: o.name.clone(),
                        sessions: o.sessions,
                        price,
                        validity: o.validity,
                        late_cancel_hours: o.late_cancel_hours,
                        service: o.service,
                        low_balance_at: None,
                    };
                    (Some(terms), Some(o.name))
                }
                None => (c.absorb(Terms::parse(&input.terms, ctx.currency))?, None),
            };
            let deposit = match input.deposit.trim() {
                _ if input.paid_now => None,
                "" => None,
                t => c.opt("deposit", ctx.currency.parse_amount(t)).filter(|d| d.is_positive()),
            };
            if let (Some(d), Some(t)) = (deposit, &terms) {
                if d.minor() > t.price.minor() {
                    c.fail("deposit", "The deposit is more than the price.");
                }
            }
            if input.paid_now && !input.plan.is_empty() {
                c.fail("plan", "A package paid in full needs no instalment plan.");
            }
            let plan = match (&terms, sold_on) {
                (Some(t), Some(on)) if !input.plan.is_empty() && !input.paid_now => {
                    check_plan(&mut c, &input.plan, t.price, on)
                }
                _ => Vec::new(),
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
            let renews = match input.renews_id.as_deref().filter(|r| !r.is_empty()) {
                Some(id) => match store::packages::get(tx.conn, ctx.currency, id) {
                    Ok(p) if p.client_id == client.id => Some(p),
                    _ => {
                        c.fail("renewsId", "The package renewed must be one of this client's.");
                        None
                    }
                },
                None => None,
            };
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
                    list_price,
                    discount_reason: if list_price.is_some() { &discount_reason } else { "" },
                    renews_id: renews.as_ref().map(|p| p.id.as_str()),
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
            let paid = if input.paid_now { Some(terms.price) } else { deposit };
            if let Some(paid) = paid.filter(|p| p.is_positive()) {
                store::payments::insert(
                    tx.conn,
                    &NewPayment {
                        method,
                        note: if input.paid_now { "" } else { "Deposit" },
                        ..NewPayment::plain(&tx.id("pa"), &id, PaymentKind::Payment, paid, sold_on)
                    },
                    &now,
                )?;
            }
            if !plan.is_empty() {
                store::payments::replace_plan(tx.conn, &id, &plan, &now)?;
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
            if let (Some(old), true) = (&renews, input.carry_over) {
                let usable = old.expires_on.is_none_or(|e| e >= sold_on);
                let can = if usable {
                    crate::ops::ledger::available_on(tx, &old.id, old.remaining, sold_on)?
                } else {
                    0
                };
                if can > 0 {
                    crate::ops::ledger::move_credits(tx, &old.id, &id, can, sold_on, "Carried over into the renewal")?;
                }
            }
            tx.touch(Topic::Packages);
            crate::views::client_record::package_view(tx, &id)
        })
    }
}
