//! Whether a package is paid: from its price, the money received and given
//! back, whether the sale was cancelled, and its instalment plan. One pure
//! function decides it; the card, the client row, the "owes" filter and the
//! Reports screen all ask it.
//!
//! Definitions (the Reports screen's help says the same):
//! - *paid*: payments received, corrections taken out;
//! - *refunded*: money given back, corrections taken out;
//! - *due after refunds*: the price less what was refunded (nothing, for a
//!   cancelled sale);
//! - *owed*: due after refunds − (paid − refunded); below zero the client is
//!   in credit (paid for a sale that was cancelled, or overpaid);
//! - without a plan the whole price is due on the sale day; with one, each
//!   instalment on its day. An amount is *overdue* from the day after it was
//!   due.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use specta::Type;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum PaymentState {
    /// Sold at a price of zero.
    Free,
    /// Nothing more is owed.
    Paid,
    /// Some received, the rest not yet due.
    PartlyPaid,
    /// Nothing received, nothing overdue yet.
    Due,
    /// An amount is past its due day.
    Overdue,
    /// More received than is due: the practice holds the client's money.
    InCredit,
    /// The sale was cancelled and no money is held.
    Cancelled,
}

/// One instalment of a plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Instalment {
    pub due_on: NaiveDate,
    pub amount: i64,
}

/// A package's money, in minor units.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Facts {
    pub price: i64,
    pub sold_on: NaiveDate,
    /// Payments received (corrections taken out).
    pub paid: i64,
    /// Money given back (corrections taken out).
    pub refunded: i64,
    /// The purchase was reversed.
    pub cancelled: bool,
}

impl Facts {
    /// The price less refunds; nothing for a cancelled sale.
    pub fn due_after_refunds(&self) -> i64 {
        if self.cancelled {
            0
        } else {
            self.price - self.refunded
        }
    }

    /// What the client still owes (below zero: in credit).
    pub fn owed(&self) -> i64 {
        self.due_after_refunds() - (self.paid - self.refunded)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Status {
    pub state: PaymentState,
    /// Below zero: the client is in credit.
    pub owed: i64,
    pub overdue: i64,
    /// Days since the oldest unpaid amount fell due (0 when nothing is overdue).
    pub overdue_days: u32,
    /// The next amount to pay and its day, when something is still owed.
    pub next_due: Option<Instalment>,
}

/// The one rule for a package's payment status on `today`.
pub fn status(f: &Facts, plan: &[Instalment], today: NaiveDate) -> Status {
    let owed = f.owed();
    let quiet = |state| Status {
        state,
        owed,
        overdue: 0,
        overdue_days: 0,
        next_due: None,
    };
    if owed < 0 {
        return quiet(PaymentState::InCredit);
    }
    if f.cancelled {
        return quiet(PaymentState::Cancelled);
    }
    if f.price == 0 {
        return quiet(PaymentState::Free);
    }
    if owed == 0 {
        return quiet(PaymentState::Paid);
    }
    let whole = [Instalment {
        due_on: f.sold_on,
        amount: f.price,
    }];
    let mut schedule: Vec<Instalment> = if plan.is_empty() {
        whole.to_vec()
    } else {
        plan.to_vec()
    };
    schedule.sort_by_key(|i| i.due_on);
    // Payments pay the instalments in date order.
    let mut covered = f.paid;
    let mut overdue = 0;
    let mut oldest: Option<NaiveDate> = None;
    let mut next_due = None;
    for i in &schedule {
        let unpaid = (i.amount - covered).max(0);
        covered = (covered - i.amount).max(0);
        if unpaid == 0 {
            continue;
        }
        if i.due_on < today {
            overdue += unpaid;
            oldest.get_or_insert(i.due_on);
        } else if next_due.is_none() {
            next_due = Some(Instalment {
                due_on: i.due_on,
                amount: unpaid,
            });
        }
    }
    let overdue = overdue.min(owed);
    let state = if overdue > 0 {
        PaymentState::Overdue
    } else if f.paid > 0 {
        PaymentState::PartlyPaid
    } else {
        PaymentState::Due
    };
    Status {
        state,
        owed,
        overdue,
        overdue_days: oldest
            .filter(|_| overdue > 0)
            .map(|d| u32::try_from((today - d).num_days()).unwrap_or(0))
            .unwrap_or(0),
        // Overdue money comes first; otherwise the next instalment.
        next_due: if overdue > 0 {
            oldest.map(|d| Instalment {
                due_on: d,
                amount: overdue,
            })
        } else {
            next_due
        },
    }
}

/// A plan of `count` instalments for `amount`, the first due on `first` and
/// one a month after that (the same day of the month, or the month's last
/// day); equal shares rounded down, the remainder on the last.
pub fn monthly_plan(amount: i64, count: u32, first: NaiveDate) -> Vec<Instalment> {
    let n = i64::from(count.max(1));
    let base = amount / n;
    (0..n)
        .map(|i| Instalment {
            due_on: first
                .checked_add_months(chrono::Months::new(u32::try_from(i).unwrap_or(0)))
                .unwrap_or(first),
            amount: if i + 1 == n {
                amount - base * (n - 1)
            } else {
                base
            },
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

    fn facts(price: i64, paid: i64, refunded: i64, cancelled: bool) -> Facts {
        Facts {
            price,
            sold_on: d("2026-11-01"),
            paid,
            refunded,
            cancelled,
        }
    }

    const TODAY: &str = "2026-11-25";

    #[rstest]
    #[case::paid_in_full(80_000, 80_000, 0, false, PaymentState::Paid, 0)]
    #[case::free(0, 0, 0, false, PaymentState::Free, 0)]
    #[case::unpaid_since_the_sale_day(80_000, 0, 0, false, PaymentState::Overdue, 80_000)]
    #[case::partly_paid_no_plan_is_overdue(80_000, 30_000, 0, false, PaymentState::Overdue, 50_000)]
    #[case::overpaid(80_000, 90_000, 0, false, PaymentState::InCredit, -10_000)]
    #[case::refund_taking_credits_back(80_000, 80_000, 16_000, false, PaymentState::Paid, 0)]
    #[case::goodwill_refund(80_000, 80_000, 10_000, false, PaymentState::Paid, 0)]
    #[case::cancelled_and_refunded(80_000, 80_000, 80_000, true, PaymentState::Cancelled, 0)]
    #[case::cancelled_not_refunded(80_000, 40_000, 0, true, PaymentState::InCredit, -40_000)]
    #[case::cancelled_unpaid(80_000, 0, 0, true, PaymentState::Cancelled, 0)]
    fn without_a_plan(
        #[case] price: i64,
        #[case] paid: i64,
        #[case] refunded: i64,
        #[case] cancelled: bool,
        #[case] state: PaymentState,
        #[case] owed: i64,
    ) {
        let s = status(&facts(price, paid, refunded, cancelled), &[], d(TODAY));
        assert_eq!((s.state, s.owed), (state, owed));
    }

    #[test]
    fn unpaid_on_the_sale_day_is_due_and_overdue_the_day_after() {
        let f = Facts {
            sold_on: d(TODAY),
            ..facts(80_000, 0, 0, false)
        };
        assert_eq!(status(&f, &[], d(TODAY)).state, PaymentState::Due);
        let next = status(&f, &[], d("2026-11-26"));
        assert_eq!(
            (next.state, next.overdue, next.overdue_days),
            (PaymentState::Overdue, 80_000, 1)
        );
    }

    fn plan() -> Vec<Instalment> {
        monthly_plan(80_000, 3, d("2026-11-01"))
    }

    #[test]
    fn a_monthly_plan_adds_up_to_the_amount() {
        let p = monthly_plan(80_000, 3, d("2026-01-31"));
        assert_eq!(
            p.iter()
                .map(|i| (i.due_on.to_string(), i.amount))
                .collect::<Vec<_>>(),
            [
                ("2026-01-31".into(), 26_666),
                ("2026-02-28".into(), 26_666),
                ("2026-03-31".into(), 26_668)
            ]
        );
    }

    #[rstest]
    // Instalments on 1 Nov, 1 Dec, 1 Jan: 26,666 / 26,666 / 26,668.
    #[case::first_paid_next_not_yet_due(26_666, "2026-11-25", PaymentState::PartlyPaid, 0, 0, Some(("2026-12-01", 26_666)))]
    #[case::the_due_day_itself_is_not_late(26_666, "2026-12-01", PaymentState::PartlyPaid, 0, 0, Some(("2026-12-01", 26_666)))]
    #[case::a_day_late(26_666, "2026-12-02", PaymentState::Overdue, 26_666, 1, Some(("2026-12-01", 26_666)))]
    #[case::partly_late(40_000, "2026-12-02", PaymentState::Overdue, 13_332, 1, Some(("2026-12-01", 13_332)))]
    #[case::nothing_paid_first_due_today(0, "2026-11-01", PaymentState::Due, 0, 0, Some(("2026-11-01", 26_666)))]
    #[case::nothing_paid_all_late(0, "2027-02-01", PaymentState::Overdue, 80_000, 92, Some(("2026-11-01", 80_000)))]
    #[case::all_paid(80_000, "2027-02-01", PaymentState::Paid, 0, 0, None)]
    fn with_a_plan(
        #[case] paid: i64,
        #[case] today: &str,
        #[case] state: PaymentState,
        #[case] overdue: i64,
        #[case] days: u32,
        #[case] next: Option<(&str, i64)>,
    ) {
        let s = status(&facts(80_000, paid, 0, false), &plan(), d(today));
        assert_eq!((s.state, s.overdue, s.overdue_days), (state, overdue, days));
        assert_eq!(
            s.next_due.map(|i| (i.due_on, i.amount)),
            next.map(|(day, a)| (d(day), a))
        );
    }

    #[test]
    fn cash_received_less_refunds_plus_owed_is_what_is_due_after_refunds() {
        for (price, paid, refunded, cancelled) in [
            (80_000, 80_000, 0, false),
            (80_000, 30_000, 0, false),
            (80_000, 80_000, 16_000, false),
            (80_000, 80_000, 80_000, true),
            (80_000, 40_000, 0, true),
            (0, 0, 0, false),
        ] {
            let f = facts(price, paid, refunded, cancelled);
            assert_eq!(paid - refunded + f.owed(), f.due_after_refunds());
        }
    }
}
