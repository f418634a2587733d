//! How long a package's credits can be used, and the day it expires.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use specta::Type;

/// Frozen at sale with the rest of the terms.
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
    /// The last usable day for a package sold on `sold_on`; `None` never expires.
    pub fn expires_on(self, sold_on: NaiveDate) -> Option<NaiveDate> {
        match self {
            Validity::None => None,
            Validity::Days { days } => sold_on.checked_add_days(chrono::Days::new(days.into())),
            Validity::Until { date } => Some(date),
        }
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
    #[case(Validity::Days { days: 1 }, Some("2026-11-26"))]
    #[case(Validity::Until { date: d("2026-12-31") }, Some("2026-12-31"))]
    fn expiry_from_validity(#[case] v: Validity, #[case] expected: Option<&str>) {
        assert_eq!(v.expires_on(d("2026-11-25")), expected.map(d));
    }

    #[test]
    fn leap_day_sales_count_days_exactly() {
        assert_eq!(
            Validity::Days { days: 365 }.expires_on(d("2024-02-29")),
            Some(d("2025-02-28"))
        );
    }
}
