//! What every operation needs to know about the practice — its currency, time
//! zone, today and thresholds — loaded once per operation, inside its
//! transaction, instead of re-read by each helper.

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;

use crate::domain::package::Thresholds;
use crate::money::Currency;

#[derive(Debug, Clone)]
pub struct Ctx {
    pub currency: Currency,
    pub zone: Tz,
    pub now: DateTime<Utc>,
    /// Today in the practice's time zone.
    pub today: NaiveDate,
    pub thresholds: Thresholds,
    /// The practice's default late-cancel window, in hours.
    pub late_cancel_hours: u32,
}

/// The practice's settings as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    pub name: String,
    pub currency: String,
    pub currency_exponent: u32,
    pub time_zone: String,
    pub low_balance_threshold: u32,
    pub expiring_soon_days: u32,
    pub late_cancel_hours: u32,
}

impl Ctx {
    pub fn new(settings: &Settings, now: DateTime<Utc>) -> Ctx {
        // The zone was checked when it was written; an unknown one (a file
        // edited by hand) falls back to UTC rather than refusing to work.
        let zone: Tz = settings.time_zone.parse().unwrap_or(Tz::UTC);
        Ctx {
            currency: Currency::from_stored(&settings.currency, settings.currency_exponent),
            zone,
            now,
            today: now.with_timezone(&zone).date_naive(),
            thresholds: Thresholds {
                low_balance: settings.low_balance_threshold,
                expiring_soon_days: settings.expiring_soon_days,
            },
            late_cancel_hours: settings.late_cancel_hours,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn today_is_the_practice_zone_day() {
        let s = Settings {
            name: "x".into(),
            currency: "EUR".into(),
            currency_exponent: 2,
            time_zone: "Pacific/Auckland".into(),
            low_balance_threshold: 2,
            expiring_soon_days: 14,
            late_cancel_hours: 24,
        };
        // 20:00 UTC on the 25th is already the 26th in Auckland.
        let ctx = Ctx::new(&s, Utc.with_ymd_and_hms(2026, 11, 25, 20, 0, 0).unwrap());
        assert_eq!(ctx.today.to_string(), "2026-11-26");
        assert_eq!(ctx.currency.code(), "EUR");
    }
}
