//! Packages: a sale to one client, with the offering's terms frozen at the
//! moment of sale. Balances are never stored: they are the ledger's sums.

use chrono::NaiveDate;
use rusqlite::{params, Connection};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use specta::Type;

use crate::error::{Error, Result};
use crate::money::Currency;
use crate::offerings::{Terms, TermsInput, Validity};
use crate::store::Store;
use crate::text::{optional, parse_date};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum PackageState {
    /// Has credits that can still be used.
    Active,
    /// Every credit is used (or otherwise gone).
    UsedUp,
    /// Past its last usable day with credits left.
    Expired,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum PaymentState {
    Paid,
    PartlyPaid,
    Unpaid,
    /// A package sold at a price of zero.
    Free,
}

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
    /// Can this package pay for a session on `on` for `service`?
    pub(crate) fn usable_on(&self, on: NaiveDate, service: &str) -> bool {
        self.remaining > 0
            && self.sold_on <= on
            && self.expires_on.is_none_or(|e| on <= e)
            && (service.is_empty() || self.service.is_empty() || self.service == service)
    }
}

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

pub(crate) struct Thresholds {
    pub today: NaiveDate,
    pub low_balance: u32,
    pub expiring_soon_days: u32,
}

impl Store {
    pub(crate) fn thresholds(&self) -> Result<Thresholds> {
        let p = self.require_practice()?;
        Ok(Thresholds {
            today: self.today()?,
            low_balance: p.low_balance_threshold,
            expiring_soon_days: p.expiring_soon_days,
        })
    }

    /// Every package of a client with its live balance, newest sale first.
    pub fn client_packages(&self, client_id: &str) -> Result<Vec<PackageView>> {
        let currency = self.currency()?;
        let t = self.thresholds()?;
        packages_where(&self.conn, "p.client_id = ?1", client_id, &currency, &t)
    }

    pub fn package(&self, id: &str) -> Result<PackageView> {
        let currency = self.currency()?;
        let t = self.thresholds()?;
        packages_where(&self.conn, "p.id = ?1", id, &currency, &t)?
            .pop()
            .ok_or_else(|| Error::NotFound("That package no longer exists.".into()))
    }

    pub fn sell_package(&mut self, input: &SaleInput) -> Result<PackageView> {
        let currency = self.currency()?;
        let practice = self.require_practice()?;
        let client = self.client(&input.client_id)?;
        let terms = match &input.offering_id {
            Some(id) => {
                let o = self.offering(id)?;
                if o.retired {
                    return Err(Error::validation(
                        "offeringId",
                        format!("“{}” is retired and no longer sold.", o.name),
                    ));
                }
                Terms {
                    name: o.name,
                    sessions: o.sessions,
                    price_minor: currency.to_minor(o.price, "price")?,
                    validity: o.validity,
                    late_cancel_hours: o.late_cancel_hours,
                    service: o.service,
                }
            }
            None => Terms::parse(&input.terms, &currency)?,
        };
        let sold_on = parse_date(&input.sold_on, "soldOn")?;
        let expires_on = terms.validity.expires_on(sold_on);
        if expires_on.is_some_and(|e| e < sold_on) {
            return Err(Error::validation(
                "validUntil",
                "The package would expire before it is sold; pick a later date.",
            ));
        }
        let method = optional(&input.payment_method, "paymentMethod", 100)?;
        let late_cancel_hours = terms
            .late_cancel_hours
            .unwrap_or(practice.late_cancel_hours);
        let (kind, days, until) = terms.validity.columns();
        let id = self.new_id("pk");
        let purchase_id = self.new_id("le");
        let payment_id = self.new_id("pa");
        self.write(|tx, now| {
            tx.execute(
                "INSERT INTO packages (id, client_id, offering_id, name, sessions, price_minor,
                     validity_kind, validity_days, valid_until, late_cancel_hours, service, sold_on,
                     expires_on, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
                params![
                    id,
                    client.id,
                    input.offering_id,
                    terms.name,
                    terms.sessions,
                    terms.price_minor,
                    kind,
                    days,
                    until,
                    late_cancel_hours,
                    terms.service,
                    sold_on,
                    expires_on,
                    now
                ],
            )?;
            tx.execute(
                "INSERT INTO ledger_entries (id, package_id, kind, delta, occurred_on, recorded_at)
                 VALUES (?1, ?2, 'purchase', ?3, ?4, ?5)",
                params![purchase_id, id, terms.sessions, sold_on, now],
            )?;
            if input.paid_now && terms.price_minor > 0 {
                tx.execute(
                    "INSERT INTO payments (id, package_id, kind, amount_minor, paid_on, method, recorded_at)
                     VALUES (?1, ?2, 'payment', ?3, ?4, ?5, ?6)",
                    params![payment_id, id, terms.price_minor, sold_on, method, now],
                )?;
            }
            Ok(())
        })?;
        self.package(&id)
    }
}

/// Packages matching a condition on `p` (bound to ?1), with balance, use and
/// payments summed in one pass.
pub(crate) fn packages_where(
    conn: &Connection,
    condition: &str,
    arg: &str,
    currency: &Currency,
    t: &Thresholds,
) -> Result<Vec<PackageView>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT p.id, p.client_id, p.offering_id, p.name, p.sessions, p.price_minor, p.sold_on,
                p.expires_on, p.validity_kind, p.validity_days, p.valid_until, p.late_cancel_hours,
                p.service,
                (SELECT coalesce(sum(e.delta), 0) FROM ledger_entries e WHERE e.package_id = p.id),
                (SELECT coalesce(-sum(e.delta), 0) FROM ledger_entries e
                   LEFT JOIN ledger_entries r ON r.id = e.reverses_id
                  WHERE e.package_id = p.id
                    AND coalesce(r.kind, e.kind) IN ('session', 'late_cancel', 'no_show')),
                (SELECT coalesce(sum(CASE a.kind WHEN 'payment' THEN a.amount_minor
                                                 ELSE -a.amount_minor END), 0)
                   FROM payments a WHERE a.package_id = p.id)
         FROM packages p WHERE {condition}
         ORDER BY p.sold_on DESC, p.created_at DESC, p.id DESC"
    ))?;
    let rows = stmt.query_map([arg], |r| {
        let sessions: u32 = r.get(4)?;
        let price_minor: i64 = r.get(5)?;
        let expires_on: Option<NaiveDate> = r.get(7)?;
        let remaining: i64 = r.get(13)?;
        let used: i64 = r.get(14)?;
        let paid_minor: i64 = r.get(15)?;
        let remaining = u32::try_from(remaining).unwrap_or(0);
        let state = if remaining == 0 {
            PackageState::UsedUp
        } else if expires_on.is_some_and(|e| e < t.today) {
            PackageState::Expired
        } else {
            PackageState::Active
        };
        let active = state == PackageState::Active;
        Ok(PackageView {
            id: r.get(0)?,
            client_id: r.get(1)?,
            offering_id: r.get(2)?,
            name: r.get(3)?,
            sessions,
            used: u32::try_from(used).unwrap_or(0),
            remaining,
            price: currency.from_minor(price_minor),
            paid: currency.from_minor(paid_minor),
            sold_on: r.get(6)?,
            expires_on,
            validity: Validity::from_columns(&r.get::<_, String>(8)?, r.get(9)?, r.get(10)?)?,
            late_cancel_hours: r.get(11)?,
            service: r.get(12)?,
            state,
            low: active && remaining <= t.low_balance,
            expiring_soon: active
                && expires_on
                    .is_some_and(|e| (e - t.today).num_days() <= i64::from(t.expiring_soon_days)),
            payment: payment_state(price_minor, paid_minor),
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub(crate) fn payment_state(price_minor: i64, paid_minor: i64) -> PaymentState {
    if price_minor == 0 {
        PaymentState::Free
    } else if paid_minor >= price_minor {
        PaymentState::Paid
    } else if paid_minor > 0 {
        PaymentState::PartlyPaid
    } else {
        PaymentState::Unpaid
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    #[rstest]
    #[case(80_000, 80_000, PaymentState::Paid)]
    #[case(80_000, 90_000, PaymentState::Paid)]
    #[case(80_000, 40_000, PaymentState::PartlyPaid)]
    #[case(80_000, 0, PaymentState::Unpaid)]
    #[case(0, 0, PaymentState::Free)]
    fn payment_states(#[case] price: i64, #[case] paid: i64, #[case] state: PaymentState) {
        assert_eq!(payment_state(price, paid), state);
    }
}
