//! Which automatic snapshots to keep: one a day for the last 14 days that
//! have one, and the first of each month for the last 12 months.

use std::collections::BTreeSet;

use chrono::{Datelike, NaiveDate};

pub const DAILY: usize = 14;
pub const MONTHLY: usize = 12;

/// The snapshot days to keep, of those that exist.
pub fn keep(days: &[NaiveDate]) -> BTreeSet<NaiveDate> {
    let all: BTreeSet<NaiveDate> = days.iter().copied().collect();
    let mut keep: BTreeSet<NaiveDate> = all.iter().rev().take(DAILY).copied().collect();
    let mut months: Vec<(i32, u32)> = all.iter().map(|d| (d.year(), d.month())).collect();
    months.dedup();
    for (y, m) in months.iter().rev().take(MONTHLY) {
        if let Some(first) = all.iter().find(|d| d.year() == *y && d.month() == *m) {
            keep.insert(*first);
        }
    }
    keep
}

#[cfg(test)]
mod tests {
    use super::*;

    fn days(from: &str, n: u64) -> Vec<NaiveDate> {
        let start: NaiveDate = from.parse().unwrap();
        (0..n).map(|i| start + chrono::Days::new(i)).collect()
    }

    #[test]
    fn a_fortnight_is_kept_whole() {
        let d = days("2026-11-12", 14);
        assert_eq!(keep(&d).len(), 14);
    }

    #[test]
    fn two_years_of_daily_snapshots_keep_14_days_and_12_months() {
        let d = days("2024-11-26", 730);
        let kept = keep(&d);
        let last: NaiveDate = "2026-11-25".parse().unwrap();
        // The last 14 days...
        for i in 0..14 {
            assert!(kept.contains(&(last - chrono::Days::new(i))));
        }
        // ...and the first of each of the last 12 months (one is already among the 14).
        for m in ["2025-12-01", "2026-01-01", "2026-06-01", "2026-11-01"] {
            assert!(kept.contains(&m.parse().unwrap()), "{m}");
        }
        assert!(!kept.contains(&"2025-11-01".parse().unwrap()));
        assert!(!kept.contains(&"2026-10-15".parse().unwrap()));
        assert_eq!(kept.len(), 14 + 12);
    }

    #[test]
    fn gaps_do_not_lose_the_latest_snapshots() {
        let d: Vec<NaiveDate> = ["2026-01-03", "2026-05-20", "2026-11-25"]
            .iter()
            .map(|s| s.parse().unwrap())
            .collect();
        assert_eq!(keep(&d).len(), 3);
    }
}
