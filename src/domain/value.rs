//! What credits are worth, for revenue. A package's price is spread over the
//! credits it was sold with: each is worth the price divided by the number
//! of sessions, rounded down, and the last one carries the remainder, so a
//! package always sums to its price, exactly. Credits added by an adjustment
//! are free; credits moved from another package bring their worth with them.
//!
//! Every ledger entry records how many credits *with a value* it moves
//! (`valued`) and their worth (`value`, in minor units), decided when it is
//! written from the package's pool of credits left. Sums of those two
//! columns are then the revenue figures, with no replay: earned (used,
//! forfeited or removed), expired, taken back by a refund, and still prepaid
//! (deferred).

use crate::domain::kinds::EntryKind;

/// The credits left on a package, as far as their worth goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Pool {
    /// Credits left that carry a value.
    pub valued: i64,
    /// What those credits are worth together (minor units).
    pub value: i64,
    /// Credits left that carry none (added by an adjustment).
    pub free: i64,
    /// What one of the package's own credits is worth: price / sessions, rounded down.
    pub unit: i64,
}

/// The credits an entry moves, and their worth. Negative when they leave.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Worth {
    pub valued: i64,
    pub value: i64,
}

/// Which credits leave first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Order {
    /// Paid-for credits first: sessions, forfeits, transfers, refunds, expiry.
    ValuedFirst,
    /// Free credits first: a credit removed by an adjustment is most often a
    /// bonus taken back.
    FreeFirst,
}

impl Pool {
    /// A new package's pool: `sessions` credits worth `price` together.
    pub fn sold(sessions: i64, price: i64) -> Pool {
        Pool {
            valued: sessions,
            value: price,
            free: 0,
            unit: if sessions > 0 { price / sessions } else { 0 },
        }
    }

    /// What taking `k` credits moves (negative), without changing the pool.
    pub fn take(&self, k: i64, order: Order) -> Worth {
        let k = k.max(0);
        let valued = match order {
            Order::ValuedFirst => k.min(self.valued),
            Order::FreeFirst => (k - self.free).clamp(0, self.valued),
        };
        let value = if valued == 0 {
            0
        } else if valued >= self.valued {
            // The last credits carry whatever is left: the remainder.
            self.value
        } else {
            (self.unit * valued).min(self.value)
        };
        Worth {
            valued: -valued,
            value: -value,
        }
    }

    /// Whether moving `delta` credits worth `w` leaves a pool that makes
    /// sense: nothing below zero, and no worth left without a paid-for
    /// credit to carry it. (A reversal mirrors its entry's worth, which the
    /// pool may no longer hold once credits came and went since.)
    pub fn keeps(&self, delta: i64, w: Worth) -> bool {
        let valued = self.valued + w.valued;
        let value = self.value + w.value;
        let free = self.free + delta - w.valued;
        valued >= 0 && value >= 0 && free >= 0 && (valued > 0 || value == 0)
    }

    /// The pool after an entry moved `delta` credits worth `w`.
    pub fn apply(&mut self, delta: i64, w: Worth) {
        self.valued += w.valued;
        self.value += w.value;
        self.free += delta - w.valued;
    }
}

/// What a new (non-reversal, non-incoming-transfer) entry of `kind` moving
/// `delta` credits is worth, given the package's pool before it. A purchase
/// brings the price; a credit added by an adjustment is free.
pub fn worth(kind: EntryKind, delta: i64, pool: &Pool, price: i64) -> Worth {
    match kind {
        EntryKind::Purchase => Worth {
            valued: delta,
            value: price,
        },
        _ if delta > 0 => Worth::default(),
        EntryKind::Adjustment => pool.take(-delta, Order::FreeFirst),
        _ => pool.take(-delta, Order::ValuedFirst),
    }
}

/// A reversal's worth: the mirror of the entry it reverses.
pub fn mirror(w: Worth) -> Worth {
    Worth {
        valued: -w.valued,
        value: -w.value,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    #[rstest]
    // Cancelling a sale as it was sold: nothing left.
    #[case(Pool::sold(1, 1), -1, Worth { valued: -1, value: -1 }, true)]
    // A 1-credit sale that received a worthless credit and lost its own to
    // an adjustment: mirroring the sale would leave worth below zero.
    #[case(Pool { valued: 1, value: 0, free: 0, unit: 1 }, -1, Worth { valued: -1, value: -1 }, false)]
    // Worth left with no paid-for credit to carry it.
    #[case(Pool { valued: 2, value: 60, free: 0, unit: 50 }, -2, Worth { valued: -2, value: -50 }, false)]
    // Free credits stay free.
    #[case(Pool { valued: 3, value: 30, free: 1, unit: 10 }, -3, Worth { valued: -3, value: -30 }, true)]
    #[case(Pool { valued: 0, value: 0, free: 1, unit: 10 }, -2, Worth::default(), false)]
    fn a_reversal_keeps_the_pool_sane(
        #[case] pool: Pool,
        #[case] delta: i64,
        #[case] w: Worth,
        #[case] ok: bool,
    ) {
        assert_eq!(pool.keeps(delta, w), ok);
    }

    /// Draws `n` sessions one by one and returns each one's worth.
    fn draws(mut pool: Pool, n: usize) -> Vec<i64> {
        (0..n)
            .map(|_| {
                let w = worth(EntryKind::Session, -1, &pool, 0);
                pool.apply(-1, w);
                -w.value
            })
            .collect()
    }

    #[rstest]
    #[case::even(80_000, 10, vec![8_000; 10])]
    #[case::remainder_on_the_last(10_000, 3, vec![3_333, 3_333, 3_334])]
    #[case::big_remainder(101, 3, vec![33, 33, 35])]
    #[case::one_session(4_550, 1, vec![4_550])]
    #[case::free_package(0, 5, vec![0; 5])]
    #[case::less_than_a_cent_each(2, 3, vec![0, 0, 2])]
    #[case::zero_decimals_yen(10_000, 7, vec![1_428, 1_428, 1_428, 1_428, 1_428, 1_428, 1_432])]
    fn each_session_earns_its_share_and_the_last_the_remainder(
        #[case] price: i64,
        #[case] sessions: i64,
        #[case] expected: Vec<i64>,
    ) {
        let got = draws(Pool::sold(sessions, price), sessions as usize);
        assert_eq!(got, expected);
        assert_eq!(got.iter().sum::<i64>(), price);
    }

    #[test]
    fn bonus_credits_are_free_and_drawn_after_the_paid_ones() {
        let mut pool = Pool::sold(2, 200);
        let bonus = worth(EntryKind::Adjustment, 1, &pool, 0);
        assert_eq!(bonus, Worth::default());
        pool.apply(1, bonus);
        assert_eq!(draws(pool, 3), [100, 100, 0]);
    }

    #[test]
    fn a_credit_removed_by_an_adjustment_is_a_free_one_first() {
        let mut pool = Pool::sold(2, 200);
        pool.apply(1, Worth::default());
        let removed = worth(EntryKind::Adjustment, -2, &pool, 0);
        assert_eq!(
            removed,
            Worth {
                valued: -1,
                value: -100
            }
        );
    }

    #[test]
    fn a_reversed_draw_gives_its_worth_back_and_the_sum_stays_the_price() {
        let mut pool = Pool::sold(3, 101);
        let mut earned = 0;
        let mut last = Worth::default();
        for _ in 0..3 {
            last = worth(EntryKind::Session, -1, &pool, 0);
            pool.apply(-1, last);
            earned -= last.value;
        }
        // The last draw (worth 35) is reversed, then drawn again.
        pool.apply(1, mirror(last));
        earned -= mirror(last).value;
        let again = worth(EntryKind::Session, -1, &pool, 0);
        assert_eq!(again.value, -35);
        pool.apply(-1, again);
        earned -= again.value;
        assert_eq!(earned, 101);
        assert_eq!(
            pool,
            Pool {
                valued: 0,
                value: 0,
                free: 0,
                unit: 33
            }
        );
    }

    #[test]
    fn moved_credits_carry_their_worth_and_the_receiver_sums_exactly() {
        let mut a = Pool::sold(10, 80_000);
        let out = worth(EntryKind::TransferOut, -2, &a, 0);
        a.apply(-2, out);
        assert_eq!(
            out,
            Worth {
                valued: -2,
                value: -16_000
            }
        );
        let mut b = Pool::sold(3, 100);
        b.apply(2, mirror(out));
        let got = draws(b, 5);
        assert_eq!(got.iter().sum::<i64>(), 16_100);
    }

    #[test]
    fn expiry_takes_whatever_is_left() {
        let mut pool = Pool::sold(3, 100);
        pool.apply(-1, worth(EntryKind::Session, -1, &pool, 0));
        let expiry = worth(EntryKind::Expiry, -2, &pool, 0);
        assert_eq!(
            expiry,
            Worth {
                valued: -2,
                value: -67
            }
        );
    }
}
