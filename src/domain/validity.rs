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
    /// Expires N days after the first session drawn from it (the last usable
    /// day is that day + N); until then it has no last day ("not started").
    FirstUse { days: u32 },
}

impl Validity {
    /// The last usable day for a package sold on `sold_on`, as frozen at
    /// sale; `None` never expires, or (counted from first use) has no day yet.
    pub fn expires_on(self, sold_on: NaiveDate) -> Option<NaiveDate> {
        match self {
            Validity::None | Validity::FirstUse { .. } => None,
            Validity::Days { days } => sold_on.checked_add_days(chrono::Days::new(days.into())),
            Validity::Until { date } => Some(date),
        }
    }

    /// The last usable day once the first session was drawn on `started_on`
    /// (a package counted from first use); `None` for the others.
    pub fn expires_from_start(self, started_on: NaiveDate) -> Option<NaiveDate> {
        match self {
            Validity::FirstUse { days } => {
                started_on.checked_add_days(chrono::Days::new(days.into()))
            }
            _ => None,
        }
    }

    /// Whether its clock starts at the first session.
    pub fn from_first_use(self) -> bool {
        matches!(self, Validity::FirstUse { .. })
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
    #[case::no_day_until_the_first_session(Validity::FirstUse { days: 90 }, None)]
    fn expiry_from_validity(#[case] v: Validity, #[case] expected: Option<&str>) {
        assert_eq!(v.expires_on(d("2026-11-25")), expected.map(d));
    }

    #[rstest]
    #[case::first_session_on_the_sale_day("2026-11-25", 30, "2026-12-25")]
    #[case::a_month_later("2026-12-25", 30, "2027-01-24")]
    #[case::across_a_leap_day("2028-02-28", 1, "2028-02-29")]
    fn first_use_clocks_start_at_the_first_session(
        #[case] started: &str,
        #[case] days: u32,
        #[case] last: &str,
    ) {
        let v = Validity::FirstUse { days };
        assert_eq!(v.expires_from_start(d(started)), Some(d(last)));
        assert!(v.from_first_use());
        assert_eq!(Validity::Days { days }.expires_from_start(d(started)), None);
    }

    #[test]
    fn leap_day_sales_count_days_exactly() {
        assert_eq!(
            Validity::Days { days: 365 }.expires_on(d("2024-02-29")),
            Some(d("2025-02-28"))
        );
    }
}
