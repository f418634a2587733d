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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Balance {
    pub remaining: u32,
    pub expires_on: Option<NaiveDate>,
    pub cancelled: bool,
    /// Credits that expired unused (taken by an expiry entry).
    pub expired: u32,
    pub sold_on: NaiveDate,
    /// Counted from first use, and no session drawn yet.
    pub not_started: bool,
    /// The last day of the pause covering the day asked about.
    pub paused_until: Option<NaiveDate>,
    /// Its offering's own low-balance mark (`None`: the practice's).
    pub low_balance_at: Option<u32>,
}

/// Why a package with credits can't be drawn from today, or has no clock yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum Hold {
    /// Sold with a later sale day: usable from that day.
    StartsOn { day: NaiveDate },
    /// Paused through this day.
    Paused { until: NaiveDate },
    /// Counted from first use and not used yet: its clock starts at the first session.
    NotStarted,
}

/// A package's state and flags on a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct Flags {
    pub state: PackageState,
    pub low: bool,
    pub expiring_soon: bool,
    /// An active package not drawn from today (starts later, paused), or
    /// one whose clock has not started.
    pub hold: Option<Hold>,
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
    let hold = match () {
        _ if !active => None,
        _ if b.sold_on > today => Some(Hold::StartsOn { day: b.sold_on }),
        _ if b.paused_until.is_some() => b.paused_until.map(|until| Hold::Paused { until }),
        _ if b.not_started => Some(Hold::NotStarted),
        _ => None,
    };
    // A package not yet usable, or paused, is nothing to act on today.
    let waiting = matches!(hold, Some(Hold::StartsOn { .. } | Hold::Paused { .. }));
    Flags {
        state,
        low: active && !waiting && b.remaining <= b.low_balance_at.unwrap_or(t.low_balance),
        expiring_soon: active
            && !waiting
            && b.expires_on
                .is_some_and(|e| (e - today).num_days() <= i64::from(t.expiring_soon_days)),
        hold,
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
                ..Balance::default()
            },
            d("2026-11-25"),
            T,
        );
        assert_eq!((f.state, f.low, f.expiring_soon), (state, low, soon));
    }

    #[rstest]
    #[case::sold_for_tomorrow(Balance { sold_on: d("2026-11-26"), remaining: 2, ..Balance::default() },
        Some(Hold::StartsOn { day: d("2026-11-26") }), false)]
    #[case::sold_today_is_usable(Balance { sold_on: d("2026-11-25"), remaining: 2, ..Balance::default() }, None, true)]
    #[case::paused_is_not_low(Balance { paused_until: Some(d("2026-11-30")), remaining: 1, ..Balance::default() },
        Some(Hold::Paused { until: d("2026-11-30") }), false)]
    #[case::not_started_can_be_low(Balance { not_started: true, remaining: 1, ..Balance::default() },
        Some(Hold::NotStarted), true)]
    #[case::the_offering_mark_counts(Balance { low_balance_at: Some(4), remaining: 4, ..Balance::default() }, None, true)]
    #[case::above_the_offering_mark(Balance { low_balance_at: Some(0), remaining: 1, ..Balance::default() }, None, false)]
    fn holds_and_marks(#[case] b: Balance, #[case] hold: Option<Hold>, #[case] low: bool) {
        let f = flags(b, d("2026-11-25"), T);
        assert_eq!((f.state, f.hold, f.low), (PackageState::Active, hold, low));
    }

    #[test]
    fn a_paused_package_is_not_expiring_soon_and_an_expired_one_has_no_hold() {
        let paused = Balance {
            remaining: 3,
            expires_on: Some(d("2026-11-30")),
            paused_until: Some(d("2026-11-28")),
            ..Balance::default()
        };
        assert!(!flags(paused, d("2026-11-25"), T).expiring_soon);
        let expired = Balance {
            expires_on: Some(d("2026-11-01")),
            ..paused
        };
        let f = flags(expired, d("2026-11-25"), T);
        assert_eq!((f.state, f.hold), (PackageState::Expired, None));
    }

    #[test]
    fn a_client_is_low_when_any_package_is() {
        let low = flags(
            Balance {
                remaining: 2,
                ..Balance::default()
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
                ..Balance::default()
            },
            d("2026-11-25"),
            T,
        );
        assert_eq!(client_flags([&plenty]), (false, false));
    }
}
