//! Money: `Decimal` in Rust, integer minor units in SQLite, a decimal string over
//! IPC and in CSV. The number of minor digits comes from the ISO 4217 table, so
//! "800" in JPY and "800.00" in EUR are both exact.

use rust_decimal::Decimal;

use crate::error::{Error, Result};

/// The largest amount we accept, in major units. Far beyond any session package,
/// and it keeps every minor-unit sum well inside i64.
const MAX_MAJOR: i64 = 1_000_000_000;

/// A validated ISO 4217 currency with its minor-unit exponent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Currency {
    pub code: String,
    pub exponent: u32,
}

impl Currency {
    pub fn parse(code: &str) -> Result<Self> {
        let code = code.trim().to_ascii_uppercase();
        let currency = iso_currency::Currency::from_code(&code).ok_or_else(|| {
            Error::validation(
                "currency",
                format!("“{code}” is not an ISO 4217 currency code (for example EUR, USD, GBP)."),
            )
        })?;
        let exponent = currency.exponent().ok_or_else(|| {
            Error::validation(
                "currency",
                format!("{code} is not a currency that prices can be written in."),
            )
        })?;
        Ok(Currency {
            code,
            exponent: u32::from(exponent),
        })
    }

    /// Exact conversion to minor units; refuses more decimals than the currency has.
    pub fn to_minor(&self, amount: Decimal, field: &'static str) -> Result<i64> {
        let amount = amount.normalize();
        if amount.is_sign_negative() {
            return Err(Error::validation(field, "The amount cannot be negative."));
        }
        if amount.scale() > self.exponent {
            return Err(Error::validation(
                field,
                match self.exponent {
                    0 => format!("{} has no decimal places.", self.code),
                    n => format!("{} allows at most {n} decimal places.", self.code),
                },
            ));
        }
        if amount > Decimal::from(MAX_MAJOR) {
            return Err(Error::validation(field, "That amount is too large."));
        }
        let scaled = amount * Decimal::from(10i64.pow(self.exponent));
        i64::try_from(scaled).map_err(|_| Error::validation(field, "That amount is too large."))
    }

    pub fn from_minor(&self, minor: i64) -> Decimal {
        Decimal::new(minor, self.exponent)
    }

    /// Parses what a person typed ("800", "800.5", "800,50") into an exact amount.
    pub fn parse_amount(&self, text: &str, field: &'static str) -> Result<Decimal> {
        let text = text.trim();
        if text.is_empty() {
            return Err(Error::validation(
                field,
                "Enter an amount, like 800 or 800.00.",
            ));
        }
        // A single comma is a decimal comma (many locales type it); grouping
        // separators are not accepted because "1,200" would be ambiguous.
        let normalized = if !text.contains('.') && text.matches(',').count() == 1 {
            text.replace(',', ".")
        } else {
            text.to_owned()
        };
        let well_formed = {
            let mut parts = normalized.splitn(2, '.');
            let whole = parts.next().unwrap_or("");
            let frac = parts.next();
            !whole.is_empty()
                && whole.bytes().all(|b| b.is_ascii_digit())
                && frac.is_none_or(|f| !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()))
        };
        if !well_formed {
            return Err(Error::validation(
                field,
                "Enter an amount in digits with an optional decimal point, like 800 or 800.50.",
            ));
        }
        let amount: Decimal = normalized
            .parse()
            .map_err(|_| Error::validation(field, "That amount is too large."))?;
        let minor = self.to_minor(amount, field)?;
        Ok(self.from_minor(minor))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    fn eur() -> Currency {
        Currency::parse("eur").unwrap()
    }

    #[rstest]
    #[case("800", "800.00")]
    #[case("800.5", "800.50")]
    #[case("800,50", "800.50")]
    #[case(" 0 ", "0.00")]
    #[case("1200.00", "1200.00")]
    fn parses_amounts(#[case] input: &str, #[case] expected: &str) {
        assert_eq!(
            eur().parse_amount(input, "price").unwrap().to_string(),
            expected
        );
    }

    #[rstest]
    #[case("", "Enter an amount")]
    #[case("-5", "digits")]
    #[case("1,200.00", "digits")]
    #[case("12.345", "at most 2 decimal places")]
    #[case("abc", "digits")]
    #[case("1e5", "digits")]
    #[case("99999999999", "too large")]
    fn refuses_bad_amounts(#[case] input: &str, #[case] message: &str) {
        let err = eur().parse_amount(input, "price").unwrap_err();
        assert_eq!(err.field(), Some("price"));
        assert!(err.to_string().contains(message), "{input}: {err}");
    }

    #[rstest]
    #[case("JPY", "800", 800)]
    #[case("EUR", "800", 80_000)]
    #[case("BHD", "1.234", 1_234)]
    fn minor_units_follow_the_currency(
        #[case] code: &str,
        #[case] amount: &str,
        #[case] minor: i64,
    ) {
        let c = Currency::parse(code).unwrap();
        let d = c.parse_amount(amount, "price").unwrap();
        assert_eq!(c.to_minor(d, "price").unwrap(), minor);
        assert_eq!(c.from_minor(minor), d);
    }

    #[test]
    fn jpy_has_no_decimals() {
        let c = Currency::parse("JPY").unwrap();
        assert!(c.parse_amount("1.5", "price").is_err());
    }

    #[test]
    fn unknown_currency_is_refused() {
        assert_eq!(
            Currency::parse("XYZ").unwrap_err().field(),
            Some("currency")
        );
    }
}
