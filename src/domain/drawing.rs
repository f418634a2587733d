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
    /// Paused periods (first and last day): nothing is drawn then.
    pub paused: Vec<(NaiveDate, NaiveDate)>,
    /// The package this one renews: a renewal queues behind it.
    pub renews_id: Option<String>,
}

impl Candidate {
    /// Can this package pay for a session on `on` for `service`? A package
    /// with no service covers any; a session with no service draws from any.
    pub fn usable_on(&self, on: NaiveDate, service: &str) -> bool {
        self.remaining > 0
            && self.sold_on <= on
            && self.expires_on.is_none_or(|e| on <= e)
            && !self
                .paused
                .iter()
                .any(|(from, until)| *from <= on && on <= *until)
            && (service.is_empty() || self.service.is_empty() || self.service == service)
    }
}

/// Among the packages usable on `on` for `service` (a renewal waits while
/// the package it renews can still pay): the one expiring soonest
/// (never-expiring last), then the oldest sale.
pub fn pick<'a>(packages: &'a [Candidate], on: NaiveDate, service: &str) -> Option<&'a Candidate> {
    pick_and_say_why(packages, on, service).map(|(p, _)| p)
}

/// As [`pick`], with the reason in plain words, as the history shows it
/// ("expires soonest (31 Dec 2026) of 2 usable packages").
pub fn pick_and_say_why<'a>(
    packages: &'a [Candidate],
    on: NaiveDate,
    service: &str,
) -> Option<(&'a Candidate, String)> {
    let mut usable: Vec<&Candidate> = packages
        .iter()
        .filter(|p| p.usable_on(on, service))
        .collect();
    let renewed: Vec<String> = usable.iter().map(|p| p.id.clone()).collect();
    usable.retain(|p| p.renews_id.as_ref().is_none_or(|r| !renewed.contains(r)));
    let chosen = *usable.iter().min_by_key(|p| {
        (
            p.expires_on.is_none(),
            p.expires_on,
            p.sold_on,
            p.id.as_str(),
        )
    })?;
    let matched = if !service.is_empty() && chosen.service == service {
        format!(", for {service}")
    } else {
        String::new()
    };
    let why = if usable.len() == 1 {
        format!("the only package with credit then{matched}")
    } else {
        let soonest_alone = chosen.expires_on.is_some()
            && usable
                .iter()
                .filter(|p| p.expires_on == chosen.expires_on)
                .count()
                == 1;
        match chosen.expires_on {
            Some(e) if soonest_alone => format!(
                "expires soonest ({}) of {} usable packages{matched}",
                e.format("%-d %b %Y"),
                usable.len()
            ),
            _ => format!("the oldest of {} usable packages{matched}", usable.len()),
        }
    };
    Some((chosen, why))
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
            paused: Vec::new(),
            renews_id: None,
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
    #[case::a_renewal_queues_behind_the_package_it_renews(
        vec![pkg("old", "2026-01-01", Some("2027-03-01"), 1, ""),
             Candidate { renews_id: Some("old".into()), ..pkg("new", "2026-11-01", Some("2027-01-01"), 5, "") }],
        "2026-11-25", "", Some("old"))]
    #[case::and_pays_once_it_is_empty(
        vec![pkg("old", "2026-01-01", Some("2027-03-01"), 0, ""),
             Candidate { renews_id: Some("old".into()), ..pkg("new", "2026-11-01", Some("2027-01-01"), 5, "") }],
        "2026-11-25", "", Some("new"))]
    #[case::not_while_paused(
        vec![Candidate { paused: vec![(d("2026-11-20"), d("2026-11-25"))], ..pkg("a", "2026-01-01", Some("2026-12-31"), 3, "") },
             pkg("b", "2026-02-01", None, 3, "")],
        "2026-11-25", "", Some("b"))]
    #[case::again_the_day_after_a_pause(
        vec![Candidate { paused: vec![(d("2026-11-20"), d("2026-11-24"))], ..pkg("a", "2026-01-01", Some("2026-12-31"), 3, "") }],
        "2026-11-25", "", Some("a"))]
    #[case::paused_from_that_day(
        vec![Candidate { paused: vec![(d("2026-11-25"), d("2026-12-24"))], ..pkg("a", "2026-01-01", Some("2026-12-31"), 3, "") }],
        "2026-11-25", "", None)]
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

    #[rstest]
    #[case::alone(vec![pkg("a", "2026-01-01", None, 3, "")], "", "the only package with credit then")]
    #[case::soonest(
        vec![pkg("a", "2026-01-01", Some("2026-12-31"), 3, ""), pkg("b", "2026-02-01", Some("2026-12-01"), 3, "")],
        "", "expires soonest (1 Dec 2026) of 2 usable packages")]
    #[case::oldest(
        vec![pkg("new", "2026-06-01", None, 3, ""), pkg("old", "2026-01-01", None, 3, "")],
        "", "the oldest of 2 usable packages")]
    #[case::for_the_service(
        vec![pkg("m", "2026-01-01", None, 3, "Massage"), pkg("x", "2026-01-01", None, 0, "")],
        "Massage", "the only package with credit then, for Massage")]
    fn the_rule_says_why(
        #[case] packages: Vec<Candidate>,
        #[case] service: &str,
        #[case] why: &str,
    ) {
        assert_eq!(
            pick_and_say_why(&packages, d("2026-11-25"), service)
                .unwrap()
                .1,
            why
        );
    }
}
