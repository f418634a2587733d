//! What a package's numbers mean: its state and every flag a screen shows
//! (low, expiring soon, …), and whether it is paid. One pure function decides
//! each, and every view (card, client row, lists) asks it.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use specta::Type;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum PackageState {
    /// Has credits that can still be used.
    Active,
    /// Every credit is used (or otherwise gone).
    UsedUp,
    /// Past its last usable day with credits left.
    Expired,
    /// The sale was cancelled (its purchase reversed).
    Cancelled,
}

/// The practice's thresholds for the flags.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Thresholds {
    /// A package with this many sessions left or fewer is low.
    pub low_balance: u32,
    /// A package whose last usable day is this many days away or fewer is expiring soon.
    pub expiring_soon_days: u32,
}

/// The plain facts the flags are decided from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Balance {
    pub remaining: u32,
    pub expires_on: Option<NaiveDate>,
    pub cancelled: bool,
    /// Credits that expired unused (taken by an expiry entry).
    pub expired: u32,
}

/// A package's state and flags on a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct Flags {
    pub state: PackageState,
    pub low: bool,
    pub expiring_soon: bool,
}

/// The one rule for a package's state and flags.
pub fn flags(b: Balance, today: NaiveDate, t: Thresholds) -> Flags {
    let state = if b.cancelled {
        PackageState::Cancelled
    } else if b.remaining == 0 && b.expired == 0 {
        PackageState::UsedUp
    } else if b.expires_on.is_some_and(|e| e < today) {
        PackageState::Expired
    } else if b.remaining == 0 {
        PackageState::UsedUp
    } else {
        PackageState::Active
    };
    let active = state == PackageState::Active;
    Flags {
        state,
        low: active && b.remaining <= t.low_balance,
        expiring_soon: active
            && b.expires_on
                .is_some_and(|e| (e - today).num_days() <= i64::from(t.expiring_soon_days)),
    }
}

/// A client's flags: a client is flagged when any of its packages is.
pub fn client_flags<'a>(packages: impl IntoIterator<Item = &'a Flags>) -> (bool, bool) {
    packages.into_iter().fold((false, false), |(low, soon), f| {
        (low || f.low, soon || f.expiring_soon)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    const T: Thresholds = Thresholds {
        low_balance: 2,
        expiring_soon_days: 14,
    };

    #[rstest]
    #[case::plenty(5, None, PackageState::Active, false, false)]
    #[case::one_above_low(3, None, PackageState::Active, false, false)]
    #[case::exactly_at_low(2, None, PackageState::Active, true, false)]
    #[case::below_low(1, None, PackageState::Active, true, false)]
    #[case::used_up_is_not_low(0, None, PackageState::UsedUp, false, false)]
    #[case::expires_in_15_days(5, Some("2026-12-10"), PackageState::Active, false, false)]
    #[case::expires_in_14_days(5, Some("2026-12-09"), PackageState::Active, false, true)]
    #[case::expires_today(5, Some("2026-11-25"), PackageState::Active, false, true)]
    #[case::expired_yesterday(5, Some("2026-11-24"), PackageState::Expired, false, false)]
    #[case::expired_and_low_is_only_expired(
        1,
        Some("2026-11-24"),
        PackageState::Expired,
        false,
        false
    )]
    #[case::used_up_and_expired_is_used_up(
        0,
        Some("2026-11-01"),
        PackageState::UsedUp,
        false,
        false
    )]
    fn flags_at_their_boundaries(
        #[case] remaining: u32,
        #[case] expires: Option<&str>,
        #[case] state: PackageState,
        #[case] low: bool,
        #[case] soon: bool,
    ) {
        let f = flags(
            Balance {
                remaining,
                expires_on: expires.map(d),
                cancelled: false,
                expired: 0,
            },
            d("2026-11-25"),
            T,
        );
        assert_eq!((f.state, f.low, f.expiring_soon), (state, low, soon));
    }

    #[test]
    fn a_client_is_low_when_any_package_is() {
        let low = flags(
            Balance {
                remaining: 2,
                expires_on: None,
                cancelled: false,
                expired: 0,
            },
            d("2026-11-25"),
            T,
        );
        assert!(low.low);
        // Two packages at 2 left each: 4 in all, but each is low, so the client is.
        assert_eq!(client_flags([&low, &low]), (true, false));
        let plenty = flags(
            Balance {
                remaining: 9,
                expires_on: None,
                cancelled: false,
                expired: 0,
            },
            d("2026-11-25"),
            T,
        );
        assert_eq!(client_flags([&plenty]), (false, false));
    }
}
