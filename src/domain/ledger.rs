//! Rules of the credit ledger that need no database: how a package's history
//! replays, how many credits can be taken at a given moment, when an entry may
//! be reversed, and where its reversal takes effect.
//!
//! The replay is the corrected history: an entry that was reversed, and its
//! reversal, change nothing (the mistake "never happened"), so the balance
//! after every line is what it truly was, and it is never negative however
//! the entries were recorded or backdated: every write is checked against it.

use chrono::NaiveDate;

/// The corrected balance after each line, in time order: `(delta, void)`
/// where `void` marks an entry that was reversed, or a reversal.
pub fn replay(lines: impl IntoIterator<Item = (i32, bool)>) -> Vec<i64> {
    let mut balance = 0i64;
    lines
        .into_iter()
        .map(|(delta, void)| {
            if !void {
                balance += i64::from(delta);
            }
            balance
        })
        .collect()
}

/// How many credits can be taken at a moment in a package's history, given
/// its balance now and the live (not void) deltas recorded after that moment,
/// in order: taking them must leave the balance then, and every balance after
/// it, at zero or more.
pub fn available_at(balance_now: i64, later: &[i32]) -> u32 {
    let mut running = balance_now - later.iter().map(|d| i64::from(*d)).sum::<i64>();
    let mut lowest = running;
    for d in later {
        running += i64::from(*d);
        lowest = lowest.min(running);
    }
    u32::try_from(lowest.max(0)).unwrap_or(0)
}

/// An entry as the reversal rule sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reversible {
    pub delta: i32,
    pub is_reversal: bool,
    pub already_reversed: bool,
    pub occurred_on: NaiveDate,
    pub occurred_time: Option<String>,
}

/// Why an entry can't be reversed, in plain words. Taking back a credit
/// needs that many credits free from its moment on (`headroom`: what
/// [`available_at`] says just after it); taking back a debit never hurts.
pub fn refuse_reversal(e: &Reversible, headroom: u32) -> Option<&'static str> {
    if e.is_reversal {
        Some("A reversal can't itself be reversed; record the event again instead.")
    } else if e.already_reversed {
        Some("That line was already reversed.")
    } else if e.delta > 0 && i64::from(headroom) < i64::from(e.delta) {
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
    #[case::a_session(entry(-1, false, false), 0, None)]
    #[case::a_reversal(entry(1, true, false), 9, Some("itself be reversed"))]
    #[case::twice(entry(-1, false, true), 9, Some("already reversed"))]
    #[case::a_purchase_with_credits_drawn(entry(10, false, false), 9, Some("reverse those first"))]
    #[case::a_purchase_untouched(entry(10, false, false), 10, None)]
    fn reversal_rule(#[case] e: Reversible, #[case] headroom: u32, #[case] refused: Option<&str>) {
        let got = refuse_reversal(&e, headroom);
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

    #[test]
    fn a_reversed_entry_and_its_reversal_change_nothing_in_the_replay() {
        // Buy 1, a session logged and reversed, then a session logged earlier
        // (backdated): never below zero.
        assert_eq!(
            replay([(1, false), (-1, false), (-1, true), (1, true)]),
            [1, 0, 0, 0]
        );
        assert_eq!(
            replay([(5, true), (-1, true), (1, true), (-5, true)]),
            [0, 0, 0, 0]
        );
    }

    #[rstest]
    #[case::nothing_later(3, &[], 3)]
    #[case::a_later_session_takes_one(3, &[-1], 3)]
    #[case::the_credit_is_already_spoken_for(0, &[-1], 0)]
    #[case::a_later_top_up_does_not_help_the_session_before_it(1, &[-1, 1], 0)]
    #[case::backdated_before_a_top_up(1, &[1], 0)]
    #[case::bought_then_used_up_later(0, &[5, -5], 0)]
    #[case::free_in_between(2, &[-1, 2, -1], 1)]
    fn credits_available_at_a_moment(
        #[case] now: i64,
        #[case] later: &[i32],
        #[case] available: u32,
    ) {
        assert_eq!(available_at(now, later), available);
    }
}
