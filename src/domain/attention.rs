//! Which clients need the practitioner's attention, why, in plain words, and
//! how urgently: the one place that turns the package and payment flags into
//! a follow-up list. Pure: the view gathers the facts, this decides.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use specta::Type;

use crate::domain::package::{self, Balance, PackageState, Thresholds};

/// How long after a package runs out or expires its client stays on the
/// list (unless a newer package, a decline or a snooze takes them off).
pub const FOLLOW_UP_DAYS: i64 = 60;

/// The practitioner's follow-up on a package's renewal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum FollowUp {
    #[default]
    None,
    /// Renewal offered; waiting for the client.
    Offered,
    /// The client said no: no more renewal reminders for this package.
    Declined,
    /// Off the list until a day.
    Snoozed,
}

/// Why a client is on the list, most urgent kinds first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum ReasonKind {
    PaymentOverdue,
    OwedSessions,
    BookedBeyond,
    ExpiredUnused,
    UsedUp,
    ExpiringSoon,
    Low,
}

/// One reason, with the number that makes it urgent (days overdue, days to
/// expiry, credits left…).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reason {
    pub kind: ReasonKind,
    pub text: String,
}

/// A client's latest package (the one a renewal follows), as the rules see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Latest {
    pub name: String,
    pub balance: Balance,
    /// The day it ran out (its last draw) or expired, when it has.
    pub ended_on: Option<NaiveDate>,
    pub follow_up: FollowUp,
    pub snoozed_until: Option<NaiveDate>,
}

/// Everything about one client the rules need.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Facts {
    /// The package to renew: the newest sale that is not cancelled.
    pub latest: Option<Latest>,
    /// Other packages still usable (a renewal bought early, say).
    pub other_active_credits: u32,
    pub overdue_minor: i64,
    pub overdue_days: u32,
    pub owed_sessions: u32,
    pub booked_beyond: bool,
}

use crate::text::plural;

/// The reasons a client needs attention on `today`, most urgent first
/// (empty: nothing to do). Renewal reasons are silenced by a decline, by a
/// snooze until a later day, and by credits on a newer package; money and
/// sessions owed never are.
pub fn reasons(f: &Facts, today: NaiveDate, t: Thresholds) -> Vec<Reason> {
    let mut out = Vec::new();
    if f.overdue_minor > 0 {
        out.push(Reason {
            // The amount goes beside it, for the screen to write in the
            // practice's currency and the user's locale.
            kind: ReasonKind::PaymentOverdue,
            text: format!(
                "overdue for {}",
                plural(i64::from(f.overdue_days), "day", "days")
            ),
        });
    }
    if f.owed_sessions > 0 {
        out.push(Reason {
            kind: ReasonKind::OwedSessions,
            text: format!(
                "owes {} with no credit",
                plural(i64::from(f.owed_sessions), "session", "sessions")
            ),
        });
    }
    if f.booked_beyond {
        out.push(Reason {
            kind: ReasonKind::BookedBeyond,
            text: "booked beyond the credits left".into(),
        });
    }
    if let Some(l) = &f.latest {
        let quiet = l.follow_up == FollowUp::Declined
            || (l.follow_up == FollowUp::Snoozed && l.snoozed_until.is_some_and(|d| d > today))
            || f.other_active_credits > 0;
        if !quiet {
            if let Some(r) = renewal_reason(l, today, t) {
                out.push(r);
            }
        }
    }
    out.sort_by_key(|r| r.kind);
    out
}

fn renewal_reason(l: &Latest, today: NaiveDate, t: Thresholds) -> Option<Reason> {
    let flags = package::flags(l.balance, today, t);
    let recent = |d: Option<NaiveDate>| d.is_some_and(|d| (today - d).num_days() <= FOLLOW_UP_DAYS);
    match flags.state {
        PackageState::Expired if recent(l.ended_on) => Some(Reason {
            kind: ReasonKind::ExpiredUnused,
            text: match (l.balance.remaining + l.balance.expired, l.ended_on) {
                (n, Some(on)) => format!(
                    "{} expired on {} with {} unused",
                    l.name,
                    on.format("%-d %b"),
                    plural(i64::from(n), "credit", "credits")
                ),
                (n, None) => format!(
                    "{} expired with {} unused",
                    l.name,
                    plural(i64::from(n), "credit", "credits")
                ),
            },
        }),
        PackageState::UsedUp if recent(l.ended_on) => Some(Reason {
            kind: ReasonKind::UsedUp,
            text: format!("{} is used up, no newer package", l.name),
        }),
        PackageState::Active if flags.expiring_soon => {
            let days = l.balance.expires_on.map_or(0, |e| (e - today).num_days());
            Some(Reason {
                kind: ReasonKind::ExpiringSoon,
                text: match days {
                    0 => format!(
                        "{} expires today, {} left",
                        l.name,
                        plural(i64::from(l.balance.remaining), "credit", "credits")
                    ),
                    d => format!(
                        "{} expires in {}, {} left",
                        l.name,
                        plural(d, "day", "days"),
                        plural(i64::from(l.balance.remaining), "credit", "credits")
                    ),
                },
            })
        }
        PackageState::Active if flags.low => Some(Reason {
            kind: ReasonKind::Low,
            text: format!(
                "{} left on {}",
                plural(i64::from(l.balance.remaining), "credit", "credits"),
                l.name
            ),
        }),
        _ => None,
    }
}

/// Orders two clients' reasons: the most urgent first reason wins; within a
/// kind, the larger number (days overdue) or the sooner day comes first.
pub fn urgency(reasons: &[Reason]) -> u8 {
    reasons.first().map_or(u8::MAX, |r| r.kind as u8)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    const T: Thresholds = Thresholds {
        low_balance: 2,
        expiring_soon_days: 14,
    };

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn latest(remaining: u32, expires: Option<&str>, expired: u32, ended: Option<&str>) -> Latest {
        Latest {
            name: "Ten".into(),
            balance: Balance {
                remaining,
                expires_on: expires.map(d),
                expired,
                ..Balance::default()
            },
            ended_on: ended.map(d),
            follow_up: FollowUp::None,
            snoozed_until: None,
        }
    }

    fn kinds(f: &Facts, today: &str) -> Vec<ReasonKind> {
        reasons(f, d(today), T)
            .into_iter()
            .map(|r| r.kind)
            .collect()
    }

    #[rstest]
    // Low at the threshold, not above it.
    #[case(latest(2, None, 0, None), "2026-11-25", vec![ReasonKind::Low])]
    #[case(latest(3, None, 0, None), "2026-11-25", vec![])]
    // Expiring soon: 14 days away is soon, 15 is not; the last day itself is.
    #[case(latest(5, Some("2026-12-09"), 0, None), "2026-11-25", vec![ReasonKind::ExpiringSoon])]
    #[case(latest(5, Some("2026-12-10"), 0, None), "2026-11-25", vec![])]
    #[case(latest(5, Some("2026-11-25"), 0, None), "2026-11-25", vec![ReasonKind::ExpiringSoon])]
    // The day after the last day: expired with credits unused.
    #[case(latest(0, Some("2026-11-24"), 5, Some("2026-11-25")), "2026-11-25", vec![ReasonKind::ExpiredUnused])]
    #[case(latest(5, Some("2026-11-24"), 0, Some("2026-11-25")), "2026-11-25", vec![ReasonKind::ExpiredUnused])]
    // Leap day: valid through 29 Feb, expired on 1 March.
    #[case(latest(0, Some("2028-02-29"), 2, Some("2028-03-01")), "2028-03-01", vec![ReasonKind::ExpiredUnused])]
    #[case(latest(2, Some("2028-02-29"), 0, None), "2028-02-29", vec![ReasonKind::ExpiringSoon])]
    // Used up recently, and long ago (no longer on the list).
    #[case(latest(0, None, 0, Some("2026-11-01")), "2026-11-25", vec![ReasonKind::UsedUp])]
    #[case(latest(0, None, 0, Some("2026-09-01")), "2026-11-25", vec![])]
    fn renewal_flags_at_their_boundaries(
        #[case] l: Latest,
        #[case] today: &str,
        #[case] expected: Vec<ReasonKind>,
    ) {
        let f = Facts {
            latest: Some(l),
            ..Facts::default()
        };
        assert_eq!(kinds(&f, today), expected);
    }

    #[test]
    fn a_decline_a_snooze_or_a_newer_package_silences_renewal_but_not_money() {
        let mut f = Facts {
            latest: Some(latest(1, None, 0, None)),
            overdue_minor: 5000,
            overdue_days: 3,
            ..Facts::default()
        };
        assert_eq!(
            kinds(&f, "2026-11-25"),
            [ReasonKind::PaymentOverdue, ReasonKind::Low]
        );
        let l = f.latest.as_mut().unwrap();
        l.follow_up = FollowUp::Snoozed;
        l.snoozed_until = Some(d("2026-12-01"));
        assert_eq!(kinds(&f, "2026-11-25"), [ReasonKind::PaymentOverdue]);
        // The snooze ends on its day.
        assert_eq!(
            kinds(&f, "2026-12-01"),
            [ReasonKind::PaymentOverdue, ReasonKind::Low]
        );
        let l = f.latest.as_mut().unwrap();
        l.follow_up = FollowUp::Offered;
        l.snoozed_until = None;
        f.other_active_credits = 10;
        assert_eq!(kinds(&f, "2026-11-25"), [ReasonKind::PaymentOverdue]);
        f.other_active_credits = 0;
        f.latest.as_mut().unwrap().follow_up = FollowUp::Declined;
        assert_eq!(kinds(&f, "2026-11-25"), [ReasonKind::PaymentOverdue]);
        assert_eq!(
            reasons(&f, d("2026-11-25"), T)[0].text,
            "overdue for 3 days"
        );
    }

    #[test]
    fn most_urgent_first() {
        let f = Facts {
            latest: Some(latest(1, Some("2026-11-30"), 0, None)),
            owed_sessions: 2,
            booked_beyond: true,
            ..Facts::default()
        };
        assert_eq!(
            kinds(&f, "2026-11-25"),
            [
                ReasonKind::OwedSessions,
                ReasonKind::BookedBeyond,
                ReasonKind::ExpiringSoon
            ]
        );
        assert!(urgency(&reasons(&f, d("2026-11-25"), T)) < urgency(&[]));
    }
}
