//! Package terms as a practitioner writes them (an offering, or a custom
//! sale), checked all at once.

use serde::{Deserialize, Serialize};
use specta::Type;

use crate::domain::validity::Validity;
use crate::error::{Check, Result};
use crate::money::{Currency, Money};
use crate::text;

/// Terms as typed in a form: the offering editor and custom sales.
#[derive(Debug, Clone, Default, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct TermsInput {
    pub name: String,
    pub sessions: String,
    pub price: String,
    /// "none", "days" (after the sale), "firstUse" (after the first
    /// session) or "until"
    pub validity_kind: String,
    pub validity_days: String,
    pub valid_until: String,
    /// Hours before a session inside which a cancellation forfeits it; empty
    /// means the practice's default.
    pub late_cancel_hours: String,
    pub service: String,
    /// Offerings only: credits left at which its packages count as low;
    /// empty means the practice's mark.
    #[serde(default)]
    pub low_balance_at: String,
}

impl TermsInput {
    /// Terms in code: handy for tests and the sample practice.
    pub fn new(name: &str, sessions: u32, price: &str, validity: Validity) -> Self {
        let (kind, days, until) = match validity {
            Validity::None => ("none", String::new(), String::new()),
            Validity::Days { days } => ("days", days.to_string(), String::new()),
            Validity::Until { date } => ("until", String::new(), date.to_string()),
            Validity::FirstUse { days } => ("firstUse", days.to_string(), String::new()),
        };
        TermsInput {
            name: name.into(),
            sessions: sessions.to_string(),
            price: price.into(),
            validity_kind: kind.into(),
            validity_days: days,
            valid_until: until,
            late_cancel_hours: String::new(),
            service: String::new(),
            low_balance_at: String::new(),
        }
    }
}

pub const MAX_SESSIONS: u32 = 1000;
pub const MAX_VALIDITY_DAYS: u32 = 3660;
pub const MAX_LATE_CANCEL_HOURS: u32 = 720;

/// Checked terms, in the practice's currency.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Terms {
    pub name: String,
    pub sessions: u32,
    pub price: Money,
    pub validity: Validity,
    /// `None`: the practice's default applies at sale.
    pub late_cancel_hours: Option<u32>,
    pub service: String,
    /// Offerings only: its own low-balance mark.
    pub low_balance_at: Option<u32>,
}

impl Terms {
    pub fn parse(input: &TermsInput, currency: Currency) -> Result<Terms> {
        let mut c = Check::new();
        let name = c.field(
            "name",
            text::required(&input.name, "Give the package a name.", 200),
        );
        let sessions = c.field("sessions", text::count(&input.sessions, 1, MAX_SESSIONS));
        let price = c.opt("price", currency.parse_amount(&input.price));
        let validity = match input.validity_kind.as_str() {
            "none" | "" => Validity::None,
            "days" => Validity::Days {
                days: c.field(
                    "validityDays",
                    text::count(&input.validity_days, 1, MAX_VALIDITY_DAYS),
                ),
            },
            "firstUse" => Validity::FirstUse {
                days: c.field(
                    "validityDays",
                    text::count(&input.validity_days, 1, MAX_VALIDITY_DAYS),
                ),
            },
            "until" => Validity::Until {
                date: c.field("validUntil", text::date(&input.valid_until)),
            },
            other => {
                c.fail("validityKind", format!("Unknown validity “{other}”."));
                Validity::None
            }
        };
        let late_cancel_hours = match input.late_cancel_hours.trim() {
            "" => None,
            t => c.opt("lateCancelHours", text::count(t, 0, MAX_LATE_CANCEL_HOURS)),
        };
        let service = c.field("service", text::line(&input.service, 100));
        let low_balance_at = match input.low_balance_at.trim() {
            "" => None,
            t => c.opt("lowBalanceAt", text::count(t, 0, MAX_SESSIONS)),
        };
        c.done()?;
        Ok(Terms {
            name,
            sessions,
            price: price.unwrap_or(currency.zero()),
            validity,
            late_cancel_hours,
            service,
            low_balance_at,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    fn eur() -> Currency {
        Currency::parse("EUR").unwrap()
    }

    #[rstest]
    #[case(TermsInput { sessions: "0".into(), ..TermsInput::new("Ten", 10, "800", Validity::None) }, "sessions")]
    #[case(TermsInput { sessions: "ten".into(), ..TermsInput::new("Ten", 10, "800", Validity::None) }, "sessions")]
    #[case(TermsInput::new(" ", 10, "800", Validity::None), "name")]
    #[case(TermsInput::new("Ten", 10, "8.001", Validity::None), "price")]
    #[case(TermsInput { validity_kind: "days".into(), validity_days: "0".into(), ..TermsInput::new("Ten", 10, "800", Validity::None) }, "validityDays")]
    #[case(TermsInput { validity_kind: "until".into(), valid_until: "31/12/2026".into(), ..TermsInput::new("Ten", 10, "800", Validity::None) }, "validUntil")]
    #[case(TermsInput { late_cancel_hours: "999".into(), ..TermsInput::new("Ten", 10, "800", Validity::None) }, "lateCancelHours")]
    #[case(TermsInput { validity_kind: "firstUse".into(), validity_days: "".into(), ..TermsInput::new("Ten", 10, "800", Validity::None) }, "validityDays")]
    #[case(TermsInput { low_balance_at: "two".into(), ..TermsInput::new("Ten", 10, "800", Validity::None) }, "lowBalanceAt")]
    fn bad_terms_name_their_field(#[case] input: TermsInput, #[case] field: &str) {
        assert_eq!(Terms::parse(&input, eur()).unwrap_err().fields(), [field]);
    }

    #[test]
    fn every_bad_field_is_reported_at_once() {
        let input = TermsInput {
            name: " ".into(),
            sessions: "0".into(),
            price: "abc".into(),
            ..TermsInput::default()
        };
        assert_eq!(
            Terms::parse(&input, eur()).unwrap_err().fields(),
            ["name", "sessions", "price"]
        );
    }

    #[test]
    fn a_huge_price_says_what_the_maximum_is() {
        let e = Terms::parse(
            &TermsInput::new("Ten", 10, "9999999999999999", Validity::None),
            eur(),
        )
        .unwrap_err();
        assert_eq!(e.fields(), ["price"]);
        assert!(e.to_string().contains("too large"), "{e}");
        assert!(e.to_string().contains("1,000,000,000"), "{e}");
    }
}
