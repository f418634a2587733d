//! Sessions: logging what happened, and drawing the credit for it by the
//! drawing rule (matching service, soonest expiry first, then oldest sale).

use chrono::NaiveDate;
use rusqlite::params;
use serde::{Deserialize, Serialize};
use specta::Type;

use crate::error::{Error, Result};
use crate::packages::PackageView;
use crate::store::Store;
use crate::text::{optional, parse_date, parse_time};

/// What the Log session sheet sends.
#[derive(Debug, Clone, Default, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct LogSessionInput {
    pub client_id: String,
    /// `YYYY-MM-DD`, in the practice's time zone.
    pub date: String,
    /// `HH:MM` or empty.
    pub time: String,
    pub note: String,
    /// Optional service label; empty draws from any package.
    pub service: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct LoggedSession {
    pub session_id: String,
    /// The ledger entry that drew the credit: what Undo reverses.
    pub entry_id: String,
    pub package_id: String,
    pub package_name: String,
    pub remaining: u32,
}

/// The drawing rule: among the packages usable on `on` for `service`, the one
/// expiring soonest (never-expiring last), then the oldest sale.
pub fn pick_package<'a>(
    packages: &'a [PackageView],
    on: NaiveDate,
    service: &str,
) -> Option<&'a PackageView> {
    packages
        .iter()
        .filter(|p| p.usable_on(on, service))
        .min_by_key(|p| {
            (
                p.expires_on.is_none(),
                p.expires_on,
                p.sold_on,
                p.id.as_str(),
            )
        })
}

impl Store {
    pub fn log_session(&mut self, input: &LogSessionInput) -> Result<LoggedSession> {
        let client = self.client(&input.client_id)?;
        let date = parse_date(&input.date, "date")?;
        let time = parse_time(&input.time, "time")?;
        let note = optional(&input.note, "note", 2000)?;
        let service = optional(&input.service, "service", 100)?;
        if date > self.today()? {
            return Err(Error::validation(
                "date",
                "A completed session can't be in the future.",
            ));
        }
        let packages = self.client_packages(&client.id)?;
        let package = pick_package(&packages, date, &service).ok_or_else(|| {
            let first = client
                .name
                .split_whitespace()
                .next()
                .unwrap_or(&client.name);
            Error::Conflict(if packages.is_empty() {
                format!("{first} has no package yet. Sell a package first, then log the session.")
            } else {
                format!(
                    "{first} has no sessions left to use on {date}: every package is used up, \
                     expired or not yet sold then. Sell a new package first."
                )
            })
        })?;
        let session_id = self.new_id("se");
        let entry_id = self.new_id("le");
        let package_id = package.id.clone();
        self.write(|tx, now| {
            tx.execute(
                "INSERT INTO sessions (id, client_id, package_id, starts_on, starts_time, status,
                     service, notes, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, 'completed', ?6, ?7, ?8, ?8)",
                params![session_id, client.id, package_id, date, time, service, note, now],
            )?;
            tx.execute(
                "INSERT INTO ledger_entries (id, package_id, kind, delta, occurred_on, occurred_time,
                     session_id, note, recorded_at)
                 VALUES (?1, ?2, 'session', -1, ?3, ?4, ?5, ?6, ?7)",
                params![entry_id, package_id, date, time, session_id, note, now],
            )?;
            Ok(())
        })?;
        let after = self.package(&package_id)?;
        Ok(LoggedSession {
            session_id,
            entry_id,
            package_id,
            package_name: after.name,
            remaining: after.remaining,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::offerings::Validity;
    use crate::packages::{PackageState, PaymentState};
    use rstest::rstest;
    use rust_decimal::Decimal;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn pkg(
        id: &str,
        sold: &str,
        expires: Option<&str>,
        remaining: u32,
        service: &str,
    ) -> PackageView {
        PackageView {
            id: id.into(),
            client_id: "cl_1".into(),
            offering_id: None,
            name: id.into(),
            sessions: 10,
            used: 10 - remaining.min(10),
            remaining,
            price: Decimal::ZERO,
            paid: Decimal::ZERO,
            sold_on: d(sold),
            expires_on: expires.map(d),
            validity: Validity::None,
            late_cancel_hours: 24,
            service: service.into(),
            state: PackageState::Active,
            low: false,
            expiring_soon: false,
            payment: PaymentState::Free,
        }
    }

    #[rstest]
    #[case::soonest_expiry_first(
        vec![pkg("a", "2026-01-01", Some("2026-12-31"), 3, ""), pkg("b", "2026-02-01", Some("2026-12-01"), 3, "")],
        "2026-11-25", "", Some("b"))]
    #[case::never_expiring_comes_last(
        vec![pkg("a", "2026-01-01", None, 3, ""), pkg("b", "2026-06-01", Some("2027-06-01"), 3, "")],
        "2026-11-25", "", Some("b"))]
    #[case::then_oldest_sale(
        vec![pkg("new", "2026-06-01", None, 3, ""), pkg("old", "2026-01-01", None, 3, "")],
        "2026-11-25", "", Some("old"))]
    #[case::skips_used_up(
        vec![pkg("a", "2026-01-01", Some("2026-12-01"), 0, ""), pkg("b", "2026-02-01", None, 1, "")],
        "2026-11-25", "", Some("b"))]
    #[case::skips_expired_on_that_day(
        vec![pkg("a", "2026-01-01", Some("2026-11-24"), 5, "")],
        "2026-11-25", "", None)]
    #[case::expiry_day_is_still_usable(
        vec![pkg("a", "2026-01-01", Some("2026-11-25"), 5, "")],
        "2026-11-25", "", Some("a"))]
    #[case::not_before_the_sale(
        vec![pkg("a", "2026-11-26", None, 5, "")],
        "2026-11-25", "", None)]
    #[case::matches_service(
        vec![pkg("massage", "2026-01-01", Some("2026-12-01"), 5, "Massage"), pkg("pt", "2026-02-01", None, 5, "Training")],
        "2026-11-25", "Training", Some("pt"))]
    #[case::general_package_covers_any_service(
        vec![pkg("general", "2026-01-01", None, 5, "")],
        "2026-11-25", "Training", Some("general"))]
    #[case::nothing_at_all(vec![], "2026-11-25", "", None)]
    fn drawing_rule(
        #[case] packages: Vec<PackageView>,
        #[case] on: &str,
        #[case] service: &str,
        #[case] expected: Option<&str>,
    ) {
        assert_eq!(
            pick_package(&packages, d(on), service).map(|p| p.id.as_str()),
            expected
        );
    }
}
