-- 11: the day an entry's worth counts, when later than the day it happened.
-- Credits are valued as a pool, so a session logged back to a day before
-- credits moved in from another package (a transfer) took a share of worth
-- that the package did not hold on that day, and the Reports counted it
-- earned before it was sold: the practice could hold less than nothing on a
-- past day. Such an entry keeps its day (the balance, the history) and its
-- worth counts from the day the latest of those credits arrived. NULL, as in
-- every entry written before, means its own day. Nothing is rewritten.
ALTER TABLE ledger_entries ADD COLUMN worth_on TEXT
    CHECK (worth_on IS NULL OR (date(worth_on) IS worth_on AND worth_on > occurred_on));

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
      FROM (SELECT coalesce(r.kind, NEW.kind) AS kind, coalesce(r.worth_on, r.occurred_on, NEW.worth_on, NEW.occurred_on) AS day,
                   CASE WHEN r.id IS NULL THEN NEW.refund_id ELSE r.refund_id END AS refund_id,
                   coalesce(r.delta, NEW.delta) AS delta
              FROM (SELECT 1) LEFT JOIN ledger_entries r ON r.id = NEW.reverses_id) AS k
     WHERE value_by_day.day = k.day;
END;
