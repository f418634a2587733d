//! Bookings: when a session starts (in the practice's time zone, across
//! midnight and daylight-saving changes), whether a cancellation is late, what
//! may happen to a booking in each state, and how the credits left cover the
//! sessions booked ahead.

use chrono::{DateTime, Duration, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use specta::Type;

use crate::domain::drawing::{self, Candidate};
use crate::domain::kinds::SessionStatus;

/// The instant a session starts: its local date and time in the practice's
/// zone. A time that happens twice (clocks going back) is the first of the
/// two; a time that never happens (clocks going forward) is the first minute
/// after the gap.
pub fn start_instant(date: NaiveDate, time: NaiveTime, zone: Tz) -> DateTime<Utc> {
    let local = NaiveDateTime::new(date, time);
    match zone.from_local_datetime(&local) {
        LocalResult::Single(t) => t.with_timezone(&Utc),
        LocalResult::Ambiguous(first, _) => first.with_timezone(&Utc),
        LocalResult::None => {
            // Walk forward a minute at a time to the end of the gap (at most
            // a few hours anywhere on Earth).
            (1..=24 * 60)
                .find_map(|m| {
                    zone.from_local_datetime(&(local + Duration::minutes(m)))
                        .earliest()
                })
                .map(|t| t.with_timezone(&Utc))
                .unwrap_or_else(|| Utc.from_utc_datetime(&local))
        }
    }
}

/// Is cancelling at `now` late for a session that starts at `start`, with a
/// late-cancel window of `hours`? Late means inside the window: less than
/// `hours` before the start (exactly `hours` before is still in time), or
/// after the session has started.
pub fn is_late_cancel(now: DateTime<Utc>, start: DateTime<Utc>, hours: u32) -> bool {
    now > start - Duration::hours(i64::from(hours))
}

/// What can be done to a booking.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum BookingAction {
    Complete,
    NoShow,
    Cancel,
    Reschedule,
}

/// Why `action` can't be done to a booking in `status`, if it can't. Only a
/// booking still scheduled can be completed, cancelled, rescheduled or marked
/// a no-show; what happened to it since is corrected by reversing its line.
pub fn refuse(status: SessionStatus, action: BookingAction) -> Option<&'static str> {
    match status {
        SessionStatus::Scheduled => None,
        SessionStatus::Completed => Some(match action {
            BookingAction::Complete => "That session is already completed.",
            _ => "That session is already completed: to undo it, reverse its line in the history.",
        }),
        SessionStatus::Cancelled => Some("That booking was cancelled; book the session again instead."),
        SessionStatus::LateCancelled | SessionStatus::NoShow => Some(
            "That booking is already closed (late cancel or no-show); to undo it, reverse or waive its line in the history.",
        ),
    }
}

/// A booking ahead, as the projection sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Booked {
    pub session_id: String,
    pub on: NaiveDate,
    /// The package chosen when it was booked, if one was.
    pub planned: Option<String>,
    pub service: String,
}

/// How the credits left cover one booking ahead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Covered {
    pub session_id: String,
    /// The package it will draw from, if any credit is left for it.
    pub package: Option<String>,
    /// That package's credits left after it.
    pub left_after: u32,
}

impl Covered {
    /// Booked beyond balance: no credit is left for this booking.
    pub fn beyond(&self) -> bool {
        self.package.is_none()
    }
}

/// Walks the bookings ahead in time order, each drawing (on paper) from its
/// planned package while it can, else by the drawing rule: which package each
/// will use, what will be left, and which are booked beyond the balance.
pub fn project(packages: &[Candidate], bookings: &[Booked]) -> Vec<Covered> {
    let mut left: Vec<Candidate> = packages.to_vec();
    bookings
        .iter()
        .map(|b| {
            let planned = b.planned.as_ref().and_then(|id| {
                left.iter()
                    .position(|p| &p.id == id && p.usable_on(b.on, &b.service))
            });
            let chosen = planned.or_else(|| {
                drawing::pick(&left, b.on, &b.service)
                    .and_then(|p| left.iter().position(|x| x.id == p.id))
            });
            match chosen {
                Some(i) => {
                    left[i].remaining -= 1;
                    Covered {
                        session_id: b.session_id.clone(),
                        package: Some(left[i].id.clone()),
                        left_after: left[i].remaining,
                    }
                }
                None => Covered {
                    session_id: b.session_id.clone(),
                    package: None,
                    left_after: 0,
                },
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn t(s: &str) -> NaiveTime {
        NaiveTime::parse_from_str(s, "%H:%M").unwrap()
    }

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[rstest]
    #[case::lisbon_winter("2026-11-25", "09:00", "Europe/Lisbon", "2026-11-25T09:00:00Z")]
    #[case::lisbon_summer("2026-07-01", "09:00", "Europe/Lisbon", "2026-07-01T08:00:00Z")]
    #[case::auckland_is_the_day_before_in_utc(
        "2026-11-25",
        "08:00",
        "Pacific/Auckland",
        "2026-11-24T19:00:00Z"
    )]
    #[case::new_york_clocks_go_forward_02_30_does_not_exist(
        "2026-03-08",
        "02:30",
        "America/New_York",
        "2026-03-08T07:00:00Z"
    )]
    #[case::new_york_clocks_go_back_01_30_happens_twice(
        "2026-11-01",
        "01:30",
        "America/New_York",
        "2026-11-01T05:30:00Z"
    )]
    fn sessions_start_in_the_practice_zone(
        #[case] date: &str,
        #[case] time: &str,
        #[case] zone: &str,
        #[case] expected: &str,
    ) {
        assert_eq!(
            start_instant(d(date), t(time), zone.parse().unwrap()),
            utc(expected)
        );
    }

    #[rstest]
    #[case::two_days_before("2026-11-23T09:00:00Z", 24, false)]
    #[case::exactly_at_the_edge_is_in_time("2026-11-24T09:00:00Z", 24, false)]
    #[case::a_second_inside("2026-11-24T09:00:01Z", 24, true)]
    #[case::an_hour_before("2026-11-25T08:00:00Z", 24, true)]
    #[case::after_it_started("2026-11-25T09:30:00Z", 24, true)]
    #[case::no_window_an_hour_before("2026-11-25T08:00:00Z", 0, false)]
    #[case::no_window_after_it_started("2026-11-25T09:00:01Z", 0, true)]
    fn the_late_cancel_window(#[case] now: &str, #[case] hours: u32, #[case] late: bool) {
        let start = utc("2026-11-25T09:00:00Z");
        assert_eq!(is_late_cancel(utc(now), start, hours), late);
    }

    #[test]
    fn the_window_crosses_midnight_and_a_dst_change_in_real_hours() {
        let zone: Tz = "Europe/Lisbon".parse().unwrap();
        // Clocks go back at 02:00 on 25 Oct 2026: 24 h before 09:00 on the
        // 25th is 10:00 local on the 24th, not 09:00.
        let start = start_instant(d("2026-10-25"), t("09:00"), zone);
        let local = |date: &str, time: &str| start_instant(d(date), t(time), zone);
        assert!(!is_late_cancel(local("2026-10-24", "09:30"), start, 24));
        assert!(!is_late_cancel(local("2026-10-24", "10:00"), start, 24));
        assert!(is_late_cancel(local("2026-10-24", "10:01"), start, 24));
        // Across midnight: a 07:00 session, cancelled at 23:30 the night before.
        let early = start_instant(d("2026-11-25"), t("07:00"), zone);
        assert!(is_late_cancel(local("2026-11-24", "23:30"), early, 12));
        assert!(!is_late_cancel(local("2026-11-24", "18:59"), early, 12));
    }

    #[rstest]
    #[case(SessionStatus::Scheduled, BookingAction::Complete, None)]
    #[case(SessionStatus::Scheduled, BookingAction::Cancel, None)]
    #[case(
        SessionStatus::Completed,
        BookingAction::Complete,
        Some("already completed")
    )]
    #[case(
        SessionStatus::Completed,
        BookingAction::Cancel,
        Some("reverse its line")
    )]
    #[case(
        SessionStatus::Cancelled,
        BookingAction::Reschedule,
        Some("book the session again")
    )]
    #[case(SessionStatus::NoShow, BookingAction::Complete, Some("already closed"))]
    #[case(
        SessionStatus::LateCancelled,
        BookingAction::NoShow,
        Some("already closed")
    )]
    fn what_can_happen_to_a_booking(
        #[case] status: SessionStatus,
        #[case] action: BookingAction,
        #[case] refused: Option<&str>,
    ) {
        match (refuse(status, action), refused) {
            (None, None) => {}
            (Some(got), Some(want)) => assert!(got.contains(want), "{got}"),
            (got, want) => panic!("{got:?} vs {want:?}"),
        }
    }

    fn pkg(id: &str, expires: Option<&str>, remaining: u32, service: &str) -> Candidate {
        Candidate {
            id: id.into(),
            sold_on: d("2026-11-01"),
            expires_on: expires.map(d),
            remaining,
            service: service.into(),
            paused: Vec::new(),
            renews_id: None,
        }
    }

    fn booked(id: &str, on: &str, planned: Option<&str>, service: &str) -> Booked {
        Booked {
            session_id: id.into(),
            on: d(on),
            planned: planned.map(Into::into),
            service: service.into(),
        }
    }

    #[test]
    fn bookings_ahead_draw_on_paper_and_the_ones_beyond_the_balance_show() {
        let packages = [
            pkg("ten", Some("2026-12-31"), 2, ""),
            pkg("massage", None, 1, "Massage"),
        ];
        let covered = project(
            &packages,
            &[
                booked("a", "2026-11-26", None, ""),
                booked("b", "2026-11-27", None, "Massage"),
                booked("c", "2026-11-28", None, ""),
                booked("d", "2026-11-29", None, ""),
                booked("e", "2027-01-05", None, "Massage"),
            ],
        );
        let summary: Vec<(&str, Option<&str>, u32)> = covered
            .iter()
            .map(|c| (c.session_id.as_str(), c.package.as_deref(), c.left_after))
            .collect();
        assert_eq!(
            summary,
            [
                ("a", Some("ten"), 1),
                // A massage may draw from the general pack, which expires
                // sooner, so the rule takes it first...
                ("b", Some("ten"), 0),
                // ...a session with no service may draw from any pack...
                ("c", Some("massage"), 0),
                ("d", None, 0),
                // ...so January's massage finds no credit left.
                ("e", None, 0),
            ]
        );
        assert!(covered[3].beyond() && covered[4].beyond() && !covered[0].beyond());
    }

    #[test]
    fn a_planned_package_is_kept_while_it_can_pay() {
        let packages = [
            pkg("soon", Some("2026-12-01"), 1, ""),
            pkg("later", None, 5, ""),
        ];
        let covered = project(
            &packages,
            &[
                booked("a", "2026-11-26", Some("later"), ""),
                booked("b", "2026-11-27", Some("soon"), ""),
                booked("c", "2026-11-28", Some("soon"), ""),
            ],
        );
        let picked: Vec<Option<&str>> = covered.iter().map(|c| c.package.as_deref()).collect();
        assert_eq!(picked, [Some("later"), Some("soon"), Some("later")]);
    }
}
