//! Rules of the credit ledger that need no database: when an entry may be
//! reversed, and where its reversal takes effect.

use chrono::NaiveDate;

/// An entry as the reversal rule sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reversible {
    pub delta: i32,
    pub is_reversal: bool,
    pub already_reversed: bool,
    pub occurred_on: NaiveDate,
    pub occurred_time: Option<String>,
}

/// Why an entry can't be reversed, in plain words.
pub fn refuse_reversal(e: &Reversible, package_balance: i64) -> Option<&'static str> {
    if e.is_reversal {
        Some("A reversal can't itself be reversed; record the event again instead.")
    } else if e.already_reversed {
        Some("That line was already reversed.")
    } else if package_balance - i64::from(e.delta) < 0 {
        Some("Sessions were already drawn from this package; reverse those first.")
    } else {
        None
    }
}

/// When a reversal takes effect. Taking back a debit (a session) takes effect
/// where the debit was, so a replay shows the balance as it truly was; taking
/// back a credit (a purchase) takes effect after everything already on the
/// package (`latest`), so a replay never dips below zero.
/// (`latest` is asked only for a credit.)
pub fn reversal_takes_effect<E>(
    e: &Reversible,
    latest: impl FnOnce() -> Result<(NaiveDate, Option<String>), E>,
) -> Result<(NaiveDate, Option<String>), E> {
    if e.delta > 0 {
        latest()
    } else {
        Ok((e.occurred_on, e.occurred_time.clone()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    fn entry(delta: i32, is_reversal: bool, already_reversed: bool) -> Reversible {
        Reversible {
            delta,
            is_reversal,
            already_reversed,
            occurred_on: "2026-11-03".parse().unwrap(),
            occurred_time: Some("09:30".into()),
        }
    }

    #[rstest]
    #[case::a_session(entry(-1, false, false), 9, None)]
    #[case::a_reversal(entry(1, true, false), 9, Some("itself be reversed"))]
    #[case::twice(entry(-1, false, true), 9, Some("already reversed"))]
    #[case::a_purchase_with_credits_drawn(entry(10, false, false), 9, Some("reverse those first"))]
    #[case::a_purchase_untouched(entry(10, false, false), 10, None)]
    fn reversal_rule(#[case] e: Reversible, #[case] balance: i64, #[case] refused: Option<&str>) {
        let got = refuse_reversal(&e, balance);
        match refused {
            None => assert_eq!(got, None),
            Some(text) => assert!(got.unwrap().contains(text)),
        }
    }

    #[test]
    fn a_debit_is_reversed_in_place_and_a_credit_at_the_end() {
        let latest = ("2026-11-20".parse().unwrap(), Some("18:00".to_owned()));
        let session = entry(-1, false, false);
        let never = || -> Result<_, ()> { panic!("a debit needs no latest entry") };
        assert_eq!(
            reversal_takes_effect(&session, never),
            Ok((session.occurred_on, session.occurred_time.clone()))
        );
        assert_eq!(
            reversal_takes_effect(&entry(10, false, false), || Ok::<_, ()>(latest.clone())),
            Ok(latest)
        );
    }
}
