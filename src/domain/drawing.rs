//! The drawing rule: which package pays for a session.

use chrono::NaiveDate;

/// What the rule needs to know of a package.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub id: String,
    pub sold_on: NaiveDate,
    pub expires_on: Option<NaiveDate>,
    pub remaining: u32,
    pub service: String,
}

impl Candidate {
    /// Can this package pay for a session on `on` for `service`? A package
    /// with no service covers any; a session with no service draws from any.
    pub fn usable_on(&self, on: NaiveDate, service: &str) -> bool {
        self.remaining > 0
            && self.sold_on <= on
            && self.expires_on.is_none_or(|e| on <= e)
            && (service.is_empty() || self.service.is_empty() || self.service == service)
    }
}

/// Among the packages usable on `on` for `service`: the one expiring soonest
/// (never-expiring last), then the oldest sale.
pub fn pick<'a>(packages: &'a [Candidate], on: NaiveDate, service: &str) -> Option<&'a Candidate> {
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

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn pkg(
        id: &str,
        sold: &str,
        expires: Option<&str>,
        remaining: u32,
        service: &str,
    ) -> Candidate {
        Candidate {
            id: id.into(),
            sold_on: d(sold),
            expires_on: expires.map(d),
            remaining,
            service: service.into(),
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
        #[case] packages: Vec<Candidate>,
        #[case] on: &str,
        #[case] service: &str,
        #[case] expected: Option<&str>,
    ) {
        assert_eq!(
            pick(&packages, d(on), service).map(|p| p.id.as_str()),
            expected
        );
    }
}
