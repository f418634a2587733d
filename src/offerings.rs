//! Offerings: package templates ("10 sessions for 800"). A sale copies the
//! terms, so editing or retiring an offering never changes what was sold.

use chrono::NaiveDate;
use rusqlite::{params, Row};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use specta::Type;

use crate::error::{Error, Result};
use crate::money::Currency;
use crate::store::{found, Store};
use crate::text::{optional, parse_count, parse_date, required};

/// How long a package's credits can be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum Validity {
    /// Never expires.
    None,
    /// Expires N days after the sale date (the last usable day is sale + N).
    Days { days: u32 },
    /// Usable up to and including a fixed date.
    Until { date: NaiveDate },
}

impl Validity {
    pub fn expires_on(self, sold_on: NaiveDate) -> Option<NaiveDate> {
        match self {
            Validity::None => None,
            Validity::Days { days } => sold_on.checked_add_days(chrono::Days::new(days.into())),
            Validity::Until { date } => Some(date),
        }
    }

    pub(crate) fn columns(self) -> (&'static str, Option<u32>, Option<String>) {
        match self {
            Validity::None => ("none", None, None),
            Validity::Days { days } => ("days", Some(days), None),
            Validity::Until { date } => ("until", None, Some(date.to_string())),
        }
    }

    pub(crate) fn from_columns(
        kind: &str,
        days: Option<u32>,
        until: Option<NaiveDate>,
    ) -> rusqlite::Result<Self> {
        match (kind, days, until) {
            ("days", Some(days), _) => Ok(Validity::Days { days }),
            ("until", _, Some(date)) => Ok(Validity::Until { date }),
            _ => Ok(Validity::None),
        }
    }
}

/// Package terms as typed in a form: the offering editor and custom sales.
#[derive(Debug, Clone, Default, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct TermsInput {
    pub name: String,
    pub sessions: String,
    pub price: String,
    /// "none", "days" or "until"
    pub validity_kind: String,
    pub validity_days: String,
    pub valid_until: String,
    /// Hours before a session inside which a cancellation forfeits it; empty
    /// means the practice's default.
    pub late_cancel_hours: String,
    pub service: String,
}

impl TermsInput {
    /// Terms in code: handy for tests and the sample practice.
    pub fn new(name: &str, sessions: u32, price: &str, validity: Validity) -> Self {
        let (kind, days, until) = validity.columns();
        TermsInput {
            name: name.into(),
            sessions: sessions.to_string(),
            price: price.into(),
            validity_kind: kind.into(),
            validity_days: days.map(|d| d.to_string()).unwrap_or_default(),
            valid_until: until.unwrap_or_default(),
            late_cancel_hours: String::new(),
            service: String::new(),
        }
    }
}

/// Checked terms, in the practice's currency.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Terms {
    pub name: String,
    pub sessions: u32,
    pub price_minor: i64,
    pub validity: Validity,
    pub late_cancel_hours: Option<u32>,
    pub service: String,
}

impl Terms {
    pub(crate) fn parse(input: &TermsInput, currency: &Currency) -> Result<Terms> {
        let name = required(&input.name, "name", "Give the package a name.", 200)?;
        let sessions = parse_count(&input.sessions, "sessions", 1, 1000)?;
        let price = currency.parse_amount(&input.price, "price")?;
        let validity = match input.validity_kind.as_str() {
            "none" | "" => Validity::None,
            "days" => Validity::Days {
                days: parse_count(&input.validity_days, "validityDays", 1, 3660)?,
            },
            "until" => Validity::Until {
                date: parse_date(&input.valid_until, "validUntil")?,
            },
            other => {
                return Err(Error::validation(
                    "validityKind",
                    format!("Unknown validity “{other}”."),
                ))
            }
        };
        let late_cancel_hours = match input.late_cancel_hours.trim() {
            "" => None,
            text => Some(parse_count(text, "lateCancelHours", 0, 720)?),
        };
        Ok(Terms {
            name,
            sessions,
            price_minor: currency.to_minor(price, "price")?,
            validity,
            late_cancel_hours,
            service: optional(&input.service, "service", 100)?,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct Offering {
    pub id: String,
    pub name: String,
    pub sessions: u32,
    pub price: Decimal,
    pub validity: Validity,
    pub late_cancel_hours: Option<u32>,
    pub service: String,
    pub retired: bool,
}

const OFFERING_COLUMNS: &str = "id, name, sessions, price_minor, validity_kind, validity_days,
     valid_until, late_cancel_hours, service, retired";

fn offering_from_row(currency: &Currency) -> impl Fn(&Row<'_>) -> rusqlite::Result<Offering> + '_ {
    move |r| {
        Ok(Offering {
            id: r.get(0)?,
            name: r.get(1)?,
            sessions: r.get(2)?,
            price: currency.from_minor(r.get(3)?),
            validity: Validity::from_columns(&r.get::<_, String>(4)?, r.get(5)?, r.get(6)?)?,
            late_cancel_hours: r.get(7)?,
            service: r.get(8)?,
            retired: r.get(9)?,
        })
    }
}

impl Store {
    pub fn offerings(&self, include_retired: bool) -> Result<Vec<Offering>> {
        let currency = self.currency()?;
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {OFFERING_COLUMNS} FROM offerings WHERE retired = 0 OR ?1
             ORDER BY retired, name COLLATE NOCASE"
        ))?;
        let rows = stmt.query_map([include_retired], offering_from_row(&currency))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn offering(&self, id: &str) -> Result<Offering> {
        let currency = self.currency()?;
        found(
            self.conn.query_row(
                &format!("SELECT {OFFERING_COLUMNS} FROM offerings WHERE id = ?1"),
                [id],
                offering_from_row(&currency),
            ),
            "offering",
        )
    }

    pub fn create_offering(&mut self, input: &TermsInput) -> Result<Offering> {
        let t = Terms::parse(input, &self.currency()?)?;
        let id = self.new_id("of");
        let (kind, days, until) = t.validity.columns();
        self.write(|tx, now| {
            tx.execute(
                "INSERT INTO offerings (id, name, sessions, price_minor, validity_kind, validity_days,
                     valid_until, late_cancel_hours, service, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10)",
                params![
                    id,
                    t.name,
                    t.sessions,
                    t.price_minor,
                    kind,
                    days,
                    until,
                    t.late_cancel_hours,
                    t.service,
                    now
                ],
            )?;
            Ok(())
        })?;
        self.offering(&id)
    }

    pub fn update_offering(&mut self, id: &str, input: &TermsInput) -> Result<Offering> {
        let t = Terms::parse(input, &self.currency()?)?;
        let (kind, days, until) = t.validity.columns();
        self.write(|tx, now| {
            let n = tx.execute(
                "UPDATE offerings SET name = ?2, sessions = ?3, price_minor = ?4, validity_kind = ?5,
                     validity_days = ?6, valid_until = ?7, late_cancel_hours = ?8, service = ?9,
                     updated_at = ?10 WHERE id = ?1",
                params![
                    id,
                    t.name,
                    t.sessions,
                    t.price_minor,
                    kind,
                    days,
                    until,
                    t.late_cancel_hours,
                    t.service,
                    now
                ],
            )?;
            if n == 0 {
                return Err(Error::NotFound("That offering no longer exists.".into()));
            }
            Ok(())
        })?;
        self.offering(id)
    }

    /// Retired offerings stay on record (packages link to them) but are not
    /// offered for new sales.
    pub fn set_offering_retired(&mut self, id: &str, retired: bool) -> Result<Offering> {
        self.write(|tx, now| {
            let n = tx.execute(
                "UPDATE offerings SET retired = ?2, updated_at = ?3 WHERE id = ?1",
                params![id, retired, now],
            )?;
            if n == 0 {
                return Err(Error::NotFound("That offering no longer exists.".into()));
            }
            Ok(())
        })?;
        self.offering(id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[rstest]
    #[case(Validity::None, None)]
    #[case(Validity::Days { days: 90 }, Some("2027-02-23"))]
    #[case(Validity::Until { date: d("2026-12-31") }, Some("2026-12-31"))]
    fn expiry_from_validity(#[case] v: Validity, #[case] expected: Option<&str>) {
        assert_eq!(v.expires_on(d("2026-11-25")), expected.map(d));
    }

    #[rstest]
    #[case(TermsInput { sessions: "0".into(), ..TermsInput::new("Ten", 10, "800", Validity::None) }, "sessions")]
    #[case(TermsInput { sessions: "ten".into(), ..TermsInput::new("Ten", 10, "800", Validity::None) }, "sessions")]
    #[case(TermsInput::new(" ", 10, "800", Validity::None), "name")]
    #[case(TermsInput::new("Ten", 10, "8.001", Validity::None), "price")]
    #[case(TermsInput { validity_kind: "days".into(), validity_days: "0".into(), ..TermsInput::new("Ten", 10, "800", Validity::None) }, "validityDays")]
    #[case(TermsInput { validity_kind: "until".into(), valid_until: "31/12/2026".into(), ..TermsInput::new("Ten", 10, "800", Validity::None) }, "validUntil")]
    fn bad_terms_name_their_field(#[case] input: TermsInput, #[case] field: &str) {
        let eur = Currency::parse("EUR").unwrap();
        assert_eq!(Terms::parse(&input, &eur).unwrap_err().field(), Some(field));
    }
}
