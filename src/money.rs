//! Money: integer minor units with their currency ([`Money`]), checked
//! arithmetic, and `Decimal` only at the edges: what people type, what crosses
//! IPC and what is written to CSV. The number of minor digits comes from the
//! ISO 4217 table, so "800" in JPY and "800.00" in EUR are both exact.

use rust_decimal::Decimal;

use crate::text::Checked;

/// The largest amount accepted, in major units. Far beyond any session
/// package, and it keeps every minor-unit sum of a practice well inside i64.
pub const MAX_MAJOR: i64 = 1_000_000_000;

/// A validated ISO 4217 currency with its minor-unit exponent (0 to 4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Currency {
    code: [u8; 3],
    exponent: u8,
}

impl Currency {
    pub fn parse(code: &str) -> Checked<Self> {
        let code = code.trim().to_ascii_uppercase();
        let currency = iso_currency::Currency::from_code(&code).ok_or_else(|| {
            format!("“{code}” is not an ISO 4217 currency code (for example EUR, USD, GBP).")
        })?;
        let exponent = currency
            .exponent()
            .ok_or_else(|| format!("{code} is not a currency that prices can be written in."))?;
        let bytes = code.as_bytes();
        Ok(Currency {
            code: [bytes[0], bytes[1], bytes[2]],
            exponent: u8::try_from(exponent).unwrap_or(2).min(4),
        })
    }

    /// From the practice row (already validated when it was written).
    pub(crate) fn from_stored(code: &str, exponent: u32) -> Self {
        let b = code.as_bytes();
        Currency {
            code: [
                *b.first().unwrap_or(&b'X'),
                *b.get(1).unwrap_or(&b'X'),
                *b.get(2).unwrap_or(&b'X'),
            ],
            exponent: u8::try_from(exponent).unwrap_or(2).min(4),
        }
    }

    pub fn code(&self) -> &str {
        std::str::from_utf8(&self.code).unwrap_or("XXX")
    }

    pub fn exponent(&self) -> u32 {
        u32::from(self.exponent)
    }

    fn scale(&self) -> i64 {
        10i64.pow(self.exponent())
    }

    /// The most that can be written in this currency, in minor units.
    pub fn max_minor(&self) -> i64 {
        MAX_MAJOR * self.scale()
    }

    pub fn zero(self) -> Money {
        Money {
            minor: 0,
            currency: self,
        }
    }

    pub fn minor(self, minor: i64) -> Money {
        Money {
            minor,
            currency: self,
        }
    }

    /// What a person typed, as they type it: `1200`, `1,200.50`, `1200.5`,
    /// `$1,200`, `12,50`, `1 200`, `1.200,50`. Refuses what is negative,
    /// ambiguous, more precise than the currency, or too large.
    pub fn parse_amount(self, text: &str) -> Checked<Money> {
        let decimal = parse_decimal(text, self)?;
        self.from_decimal(decimal)
    }

    /// An exact decimal in this currency; too many decimals or too large is refused.
    pub fn from_decimal(self, amount: Decimal) -> Checked<Money> {
        let amount = amount.normalize();
        if amount.is_sign_negative() && !amount.is_zero() {
            return Err("The amount can't be negative.".into());
        }
        if amount.scale() > self.exponent() {
            return Err(match self.exponent {
                0 => format!(
                    "{} has no decimal places: enter a whole amount.",
                    self.code()
                ),
                n => format!("{} allows at most {n} decimal places.", self.code()),
            });
        }
        let too_large = || {
            format!(
                "That amount is too large: the most Punchcard accepts is {}.",
                crate::text::grouped(MAX_MAJOR)
            )
        };
        if amount > Decimal::from(MAX_MAJOR) {
            return Err(too_large());
        }
        let scaled = amount
            .checked_mul(Decimal::from(self.scale()))
            .ok_or_else(too_large)?;
        let minor = i64::try_from(scaled).map_err(|_| too_large())?;
        Ok(self.minor(minor))
    }
}

/// Reads an amount the way people write it, then leaves exactness to
/// [`Currency::from_decimal`]. The rule for `.` and `,`: when both appear,
/// the last one is the decimal point and the other groups thousands; when one
/// appears once, it is the decimal point unless exactly three digits follow
/// (see below); when one appears more than once, it groups thousands.
fn parse_decimal(text: &str, currency: Currency) -> Checked<Decimal> {
    const EXAMPLE: &str = "Enter an amount like 800, 800.50 or 1,200.";
    let mut t: String = text
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '\u{202F}' | '\u{00A0}' | '\''))
        .collect();
    if t.is_empty() {
        return Err(EXAMPLE.into());
    }
    // A currency code or symbol before or after the number.
    let code = currency.code().to_owned();
    for affix in [code.as_str(), &code.to_ascii_lowercase()] {
        t = t
            .trim_start_matches(affix)
            .trim_end_matches(affix)
            .to_owned();
    }
    let symbols = [
        '$', '€', '£', '¥', '₹', '₩', '₽', '₺', '₪', '฿', '₫', '₱', '₦', '₴', '¢',
    ];
    t = t
        .trim_start_matches(|c| symbols.contains(&c))
        .trim_end_matches(|c| symbols.contains(&c))
        .to_owned();
    if t.starts_with('-') || t.ends_with('-') || t.starts_with('(') {
        return Err("The amount can't be negative.".into());
    }
    let t = t.trim_start_matches('+');
    if t.is_empty()
        || !t
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == ',')
    {
        return Err(EXAMPLE.into());
    }
    let dots = t.matches('.').count();
    let commas = t.matches(',').count();
    let (grouping, decimal): (Option<char>, Option<char>) = match (dots, commas) {
        (0, 0) => (None, None),
        (_, 0) | (0, _) => {
            let sep = if dots > 0 { '.' } else { ',' };
            let count = dots + commas;
            let after = t.rsplit(sep).next().unwrap_or("");
            if count > 1 {
                (Some(sep), None)
            } else if after.len() == 3 {
                // "1,200" groups thousands; "1.234" is a decimal only in a
                // currency with three decimals; anything else could be read
                // both ways, so it is refused rather than guessed.
                match (sep, currency.exponent()) {
                    ('.', 3) => (None, Some(sep)),
                    (',', e) if e != 3 => (Some(sep), None),
                    _ => {
                        return Err(format!(
                            "“{}” could mean {} or {}: write it without a thousands separator, or with {} decimal places.",
                            text.trim(),
                            t.replace(sep, ""),
                            t.replace(sep, "."),
                            currency.exponent()
                        ))
                    }
                }
            } else {
                (None, Some(sep))
            }
        }
        _ => {
            let last_dot = t.rfind('.').unwrap_or(0);
            let last_comma = t.rfind(',').unwrap_or(0);
            if last_dot > last_comma {
                if dots > 1 {
                    return Err(EXAMPLE.into());
                }
                (Some(','), Some('.'))
            } else {
                if commas > 1 {
                    return Err(EXAMPLE.into());
                }
                (Some('.'), Some(','))
            }
        }
    };
    let (whole, frac) = match decimal {
        Some(d) => {
            let (w, f) = t.rsplit_once(d).unwrap_or((t, ""));
            if f.is_empty() {
                return Err(EXAMPLE.into());
            }
            (w, Some(f))
        }
        None => (t, None),
    };
    let whole_digits = match grouping {
        Some(g) => {
            let groups: Vec<&str> = whole.split(g).collect();
            let ok = !groups[0].is_empty()
                && groups[0].len() <= 3
                && groups[1..].iter().all(|x| x.len() == 3);
            if !ok {
                return Err(format!(
                    "“{text}” doesn't group its thousands in threes. {EXAMPLE}"
                ));
            }
            groups.concat()
        }
        None => whole.to_owned(),
    };
    if whole_digits.is_empty() || !whole_digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(EXAMPLE.into());
    }
    let normal = match frac {
        Some(f) => format!("{whole_digits}.{f}"),
        None => whole_digits,
    };
    // More digits than a Decimal holds is surely more than the maximum.
    normal.parse::<Decimal>().map_err(|_| {
        format!(
            "That amount is too large: the most Punchcard accepts is {}.",
            crate::text::grouped(MAX_MAJOR)
        )
    })
}

impl std::ops::Neg for Money {
    type Output = Money;

    fn neg(self) -> Money {
        self.currency.minor(-self.minor)
    }
}

/// An amount of money in minor units of its currency.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Money {
    minor: i64,
    currency: Currency,
}

impl Money {
    pub fn minor(self) -> i64 {
        self.minor
    }

    pub fn currency(self) -> Currency {
        self.currency
    }

    pub fn is_zero(self) -> bool {
        self.minor == 0
    }

    pub fn is_positive(self) -> bool {
        self.minor > 0
    }

    pub fn is_negative(self) -> bool {
        self.minor < 0
    }

    /// The exact decimal, e.g. `800.00` in EUR, `800` in JPY.
    pub fn to_decimal(self) -> Decimal {
        Decimal::new(self.minor, self.currency.exponent())
    }

    pub fn checked_add(self, other: Money) -> Option<Money> {
        debug_assert_eq!(self.currency, other.currency);
        self.minor
            .checked_add(other.minor)
            .map(|m| self.currency.minor(m))
    }

    pub fn checked_sub(self, other: Money) -> Option<Money> {
        debug_assert_eq!(self.currency, other.currency);
        self.minor
            .checked_sub(other.minor)
            .map(|m| self.currency.minor(m))
    }

    /// Saturating sum: practice totals stay far inside i64 (see [`MAX_MAJOR`]).
    pub fn plus(self, other: Money) -> Money {
        self.currency.minor(self.minor.saturating_add(other.minor))
    }

    pub fn minus(self, other: Money) -> Money {
        self.currency.minor(self.minor.saturating_sub(other.minor))
    }

    pub fn max(self, other: Money) -> Money {
        if other.minor > self.minor {
            other
        } else {
            self
        }
    }

    pub fn min(self, other: Money) -> Money {
        if other.minor < self.minor {
            other
        } else {
            self
        }
    }

    /// The `i`-th (0-based) of `n` exact shares: equal shares rounded down,
    /// with the remainder on the last one, so the shares always sum to the whole.
    pub fn share(self, i: u32, n: u32) -> Money {
        if n == 0 {
            return self.currency.zero();
        }
        let base = self.minor / i64::from(n);
        let remainder = self.minor - base * i64::from(n);
        let extra = if i + 1 == n { remainder } else { 0 };
        self.currency.minor(base + extra)
    }

    /// The value of the first `k` of `n` shares: what `k` sessions of an
    /// `n`-session package are worth, exactly as [`Money::share`] splits it.
    pub fn shares(self, k: u32, n: u32) -> Money {
        if n == 0 || k == 0 {
            return self.currency.zero();
        }
        let k = k.min(n);
        let base = self.minor / i64::from(n);
        let remainder = self.minor - base * i64::from(n);
        let extra = if k == n { remainder } else { 0 };
        self.currency.minor(base * i64::from(k) + extra)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    fn cur(code: &str) -> Currency {
        Currency::parse(code).unwrap()
    }

    #[rstest]
    #[case("EUR", "800", "800.00")]
    #[case("EUR", "800.5", "800.50")]
    #[case("EUR", "800,50", "800.50")]
    #[case("EUR", "12,50", "12.50")]
    #[case("EUR", " 0 ", "0.00")]
    #[case("EUR", "1200.00", "1200.00")]
    #[case("EUR", "1,200.50", "1200.50")]
    #[case("EUR", "1.200,50", "1200.50")]
    #[case("EUR", "1,200", "1200.00")]
    #[case("EUR", "1 200", "1200.00")]
    #[case("EUR", "1\u{202F}200,00", "1200.00")]
    #[case("EUR", "1,234,567.89", "1234567.89")]
    #[case("EUR", "€ 80", "80.00")]
    #[case("EUR", "80 €", "80.00")]
    #[case("EUR", "EUR 80", "80.00")]
    #[case("USD", "$1,200", "1200.00")]
    #[case("JPY", "¥12,000", "12000")]
    #[case("JPY", "800", "800")]
    #[case("BHD", "1.234", "1.234")]
    #[case("BHD", "12,5", "12.500")]
    #[case("EUR", "1000000000", "1000000000.00")]
    fn parses_amounts(#[case] code: &str, #[case] input: &str, #[case] expected: &str) {
        assert_eq!(
            cur(code)
                .parse_amount(input)
                .unwrap()
                .to_decimal()
                .to_string(),
            expected
        );
    }

    #[rstest]
    #[case("EUR", "", "Enter an amount")]
    #[case("EUR", "-5", "can't be negative")]
    #[case("EUR", "(5)", "can't be negative")]
    #[case("EUR", "12.345", "could mean 12345 or 12.345")]
    #[case("EUR", "1.200", "could mean 1200 or 1.200")]
    #[case("EUR", "12.3456", "at most 2 decimal places")]
    #[case("EUR", "1,2345", "at most 2 decimal places")]
    #[case("EUR", "abc", "Enter an amount")]
    #[case("EUR", "1e5", "Enter an amount")]
    #[case("EUR", "1,20,0", "in threes")]
    #[case("EUR", "1.2.3", "in threes")]
    #[case("EUR", "12.", "Enter an amount")]
    #[case("EUR", "1.200.50,5,5", "Enter an amount")]
    #[case(
        "EUR",
        "99999999999",
        "too large: the most Punchcard accepts is 1,000,000,000"
    )]
    #[case("EUR", "9999999999999999", "too large")]
    #[case("EUR", "99999999999999999999999999999999999", "too large")]
    #[case("JPY", "1.5", "no decimal places")]
    #[case("BHD", "1,234", "could mean")]
    #[case("BHD", "1.2345", "at most 3 decimal places")]
    fn refuses_bad_amounts(#[case] code: &str, #[case] input: &str, #[case] message: &str) {
        let err = cur(code).parse_amount(input).unwrap_err();
        assert!(err.contains(message), "{input}: {err}");
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
        let c = cur(code);
        let m = c.parse_amount(amount).unwrap();
        assert_eq!(m.minor(), minor);
        assert_eq!(c.minor(minor).to_decimal(), m.to_decimal());
    }

    #[test]
    fn unknown_currency_is_refused() {
        assert!(Currency::parse("XYZ").is_err());
        assert_eq!(cur("eur").code(), "EUR");
    }

    #[rstest]
    #[case(80_000, 10)]
    #[case(10_000, 3)]
    #[case(1, 7)]
    #[case(0, 5)]
    #[case(99_999, 1)]
    fn shares_sum_to_the_whole(#[case] minor: i64, #[case] n: u32) {
        let m = cur("EUR").minor(minor);
        let sum: i64 = (0..n).map(|i| m.share(i, n).minor()).sum();
        assert_eq!(sum, minor);
        assert_eq!(m.shares(n, n).minor(), minor);
        for k in 0..=n {
            let by_parts: i64 = (0..k).map(|i| m.share(i, n).minor()).sum();
            assert_eq!(m.shares(k, n).minor(), by_parts);
        }
    }

    #[test]
    fn arithmetic_is_checked() {
        let c = cur("EUR");
        assert!(c.minor(i64::MAX).checked_add(c.minor(1)).is_none());
        assert_eq!(c.minor(5).checked_sub(c.minor(7)).unwrap().minor(), -2);
    }
}
