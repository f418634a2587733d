-- 14: each ledger entry adds its worth to its day's revenue by the day's
-- key. The trigger of migration 11 joined the day to the entry it reverses
-- (if any), and SQLite's plan stepped through every day of the practice's
-- revenue, looking the reversed entry up for each: 3,594 days at 1x, about
-- 1 ms of every session logged, every undo, every sale. The day is now
-- named alone, as the row above it is inserted; what is added is the same.
DROP TRIGGER ledger_entries_keep_the_balance;
CREATE TRIGGER ledger_entries_keep_the_balance AFTER INSERT ON ledger_entries
BEGIN
    UPDATE package_balances
       SET balance = balance + NEW.delta,
           used = used + CASE
               WHEN NEW.kind IN ('session', 'late_cancel', 'no_show') THEN -NEW.delta
               WHEN NEW.kind = 'reversal' AND (SELECT r.kind FROM ledger_entries r WHERE r.id = NEW.reverses_id)
                    IN ('session', 'late_cancel', 'no_show') THEN -NEW.delta
               ELSE 0 END,
           valued = valued + NEW.valued,
           value_minor = value_minor + NEW.value_minor,
           cancelled = cancelled OR (NEW.kind = 'reversal'
               AND (SELECT r.kind FROM ledger_entries r WHERE r.id = NEW.reverses_id) = 'purchase')
     WHERE package_id = NEW.package_id;
    SELECT RAISE(ABORT, 'a package balance cannot go below zero')
     WHERE (SELECT balance FROM package_balances WHERE package_id = NEW.package_id) < 0;
    UPDATE package_balances
       SET owed_minor = CASE WHEN cancelled THEN -paid_minor
                        ELSE (SELECT price_minor FROM packages WHERE id = NEW.package_id) - paid_minor - refunded_minor END
     WHERE package_id = NEW.package_id;
    -- Revenue by day: the day the entry's worth counts (its own day, or the
    -- later day its worth arrived), or for a reversal the day and kind of
    -- the entry it reverses.
    INSERT OR IGNORE INTO value_by_day (day)
    SELECT coalesce((SELECT coalesce(r.worth_on, r.occurred_on) FROM ledger_entries r WHERE r.id = NEW.reverses_id),
                    NEW.worth_on, NEW.occurred_on);
    UPDATE value_by_day
       SET sold_minor = sold_minor + CASE WHEN k.kind = 'purchase' THEN NEW.value_minor ELSE 0 END,
           earned_minor = earned_minor - CASE WHEN k.kind IN ('session', 'late_cancel', 'no_show')
               OR (k.kind = 'adjustment' AND k.refund_id IS NULL AND k.delta < 0) THEN NEW.value_minor ELSE 0 END,
           earned_credits = earned_credits - CASE WHEN k.kind IN ('session', 'late_cancel', 'no_show')
               OR (k.kind = 'adjustment' AND k.refund_id IS NULL AND k.delta < 0) THEN NEW.valued ELSE 0 END,
           expired_minor = expired_minor - CASE WHEN k.kind = 'expiry' THEN NEW.value_minor ELSE 0 END,
           expired_credits = expired_credits - CASE WHEN k.kind = 'expiry' THEN NEW.valued ELSE 0 END,
           taken_back_minor = taken_back_minor - CASE WHEN k.refund_id IS NOT NULL THEN NEW.value_minor ELSE 0 END,
           taken_back_credits = taken_back_credits - CASE WHEN k.refund_id IS NOT NULL THEN NEW.valued ELSE 0 END
      FROM (SELECT coalesce(r.kind, NEW.kind) AS kind,
                   CASE WHEN r.id IS NULL THEN NEW.refund_id ELSE r.refund_id END AS refund_id,
                   coalesce(r.delta, NEW.delta) AS delta
              FROM (SELECT 1) LEFT JOIN ledger_entries r ON r.id = NEW.reverses_id) AS k
     WHERE value_by_day.day = coalesce(
               (SELECT coalesce(r.worth_on, r.occurred_on) FROM ledger_entries r WHERE r.id = NEW.reverses_id),
               NEW.worth_on, NEW.occurred_on);
END;
