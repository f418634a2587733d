-- Punchcard schema v6: money after the sale. Payments at any time, refunds
-- that may take credits back, corrections of money entered by mistake,
-- money moved to another package, instalment plans that can be replaced
-- without losing the old one, discounts, and what every credit is worth
-- (for revenue). This migration's hook computes the worth of the entries
-- already written and fills the derived tables.

-- Payments ------------------------------------------------------------------

-- A correction mirrors a payment or refund entered by mistake (same package,
-- kind and amount): no money moved, and both lines stay. `moved_from_id`: a
-- payment that is money moved from another package (the refund there).
ALTER TABLE payments ADD COLUMN reverses_id TEXT REFERENCES payments (id);
ALTER TABLE payments ADD COLUMN moved_from_id TEXT REFERENCES payments (id);
CREATE UNIQUE INDEX payments_corrected_once ON payments (reverses_id) WHERE reverses_id IS NOT NULL;
CREATE UNIQUE INDEX payments_moved_once ON payments (moved_from_id) WHERE moved_from_id IS NOT NULL;

CREATE TRIGGER payments_correction_mirrors BEFORE INSERT ON payments
WHEN NEW.reverses_id IS NOT NULL AND NOT EXISTS (
    SELECT 1 FROM payments p
    WHERE p.id = NEW.reverses_id AND p.package_id = NEW.package_id AND p.kind = NEW.kind
      AND p.amount_minor = NEW.amount_minor AND p.reverses_id IS NULL)
BEGIN
    SELECT RAISE(ABORT, 'a correction must mirror a payment of the same package');
END;

CREATE TRIGGER payments_move_from_a_refund BEFORE INSERT ON payments
WHEN NEW.moved_from_id IS NOT NULL AND NOT EXISTS (
    SELECT 1 FROM payments p
    WHERE p.id = NEW.moved_from_id AND p.kind = 'refund' AND p.package_id <> NEW.package_id
      AND p.amount_minor = NEW.amount_minor AND NEW.kind = 'payment')
BEGIN
    SELECT RAISE(ABORT, 'moved money must come from a refund of the same amount on another package');
END;

-- Discounts -----------------------------------------------------------------

-- The offering's price when the package was sold for less (or more), and why.
ALTER TABLE packages ADD COLUMN list_price_minor INTEGER
    CHECK (list_price_minor IS NULL OR list_price_minor BETWEEN 0 AND 100000000000000);
ALTER TABLE packages ADD COLUMN discount_reason TEXT NOT NULL DEFAULT ''
    CHECK (length(discount_reason) <= 500);

DROP TRIGGER packages_terms_are_frozen;
CREATE TRIGGER packages_terms_are_frozen
BEFORE UPDATE OF id, client_id, offering_id, name, sessions, price_minor, validity_kind,
                 validity_days, valid_until, late_cancel_hours, service, sold_on, expires_on,
                 renews_id, created_at, list_price_minor, discount_reason
ON packages
BEGIN
    SELECT RAISE(ABORT, 'package terms are frozen at sale');
END;

-- Instalment plans ----------------------------------------------------------

-- A plan's instalments; a new plan replaces the one in force, which is kept
-- (`replaced_at`). The plans of version 5 are carried over as they were.
CREATE TABLE plan_instalments (
    seq          INTEGER PRIMARY KEY,
    package_id   TEXT    NOT NULL REFERENCES packages (id),
    due_on       TEXT    NOT NULL CHECK (date(due_on) IS due_on),
    amount_minor INTEGER NOT NULL CHECK (amount_minor BETWEEN 1 AND 100000000000000),
    set_at       TEXT    NOT NULL,
    replaced_at  TEXT
) STRICT;
CREATE INDEX plan_instalments_in_force ON plan_instalments (package_id, due_on) WHERE replaced_at IS NULL;

INSERT INTO plan_instalments (package_id, due_on, amount_minor, set_at)
SELECT i.package_id, i.due_on, i.amount_minor, p.created_at
FROM instalments i JOIN packages p ON p.id = i.package_id
ORDER BY i.package_id, i.due_on;
DROP TABLE instalments;

CREATE TRIGGER plan_instalments_are_kept BEFORE DELETE ON plan_instalments
BEGIN
    SELECT RAISE(ABORT, 'instalment plans are never deleted: set a new plan instead');
END;

CREATE TRIGGER plan_instalments_are_only_replaced BEFORE UPDATE ON plan_instalments
WHEN OLD.replaced_at IS NOT NULL OR NEW.replaced_at IS NULL
  OR NEW.seq IS NOT OLD.seq OR NEW.package_id IS NOT OLD.package_id OR NEW.due_on IS NOT OLD.due_on
  OR NEW.amount_minor IS NOT OLD.amount_minor OR NEW.set_at IS NOT OLD.set_at
BEGIN
    SELECT RAISE(ABORT, 'an instalment plan is only ever replaced, never changed');
END;

-- What credits are worth ----------------------------------------------------

-- `valued`: how many of the credits an entry moves carry a value; `value_minor`:
-- their worth (both negative when credits leave). A refund that takes credits
-- back writes an adjustment linked to it (`refund_id`).
ALTER TABLE ledger_entries ADD COLUMN valued INTEGER NOT NULL DEFAULT 0
    CHECK (valued * delta >= 0 AND abs(valued) <= abs(delta));
ALTER TABLE ledger_entries ADD COLUMN value_minor INTEGER NOT NULL DEFAULT 0
    CHECK (value_minor * delta >= 0 AND abs(value_minor) <= 100000000000000);
ALTER TABLE ledger_entries ADD COLUMN refund_id TEXT REFERENCES payments (id)
    CHECK (refund_id IS NULL OR (kind = 'adjustment' AND delta < 0));

CREATE TRIGGER ledger_reversal_mirrors_worth BEFORE INSERT ON ledger_entries
WHEN NEW.kind = 'reversal' AND NOT EXISTS (
    SELECT 1 FROM ledger_entries e
    WHERE e.id = NEW.reverses_id AND e.valued = -NEW.valued AND e.value_minor = -NEW.value_minor)
BEGIN
    SELECT RAISE(ABORT, 'a reversal must mirror the worth of the entry it reverses');
END;

-- The balance cache grows the worth of the credits left, the money, and
-- whether the sale was cancelled (its purchase reversed). `paid_minor` stays
-- payments less refunds; `owed_minor` is what the client still owes on it,
-- below zero when in credit (see src/domain/payment.rs).
ALTER TABLE package_balances ADD COLUMN valued INTEGER NOT NULL DEFAULT 0;
ALTER TABLE package_balances ADD COLUMN value_minor INTEGER NOT NULL DEFAULT 0;
ALTER TABLE package_balances ADD COLUMN refunded_minor INTEGER NOT NULL DEFAULT 0;
ALTER TABLE package_balances ADD COLUMN cancelled INTEGER NOT NULL DEFAULT 0 CHECK (cancelled IN (0, 1));
ALTER TABLE package_balances ADD COLUMN owed_minor INTEGER NOT NULL DEFAULT 0;
CREATE INDEX package_balances_owing ON package_balances (owed_minor) WHERE owed_minor <> 0;

-- Revenue and cash by day (derived; kept by the triggers below). A reversal
-- or a correction is booked on the day of the entry it cancels, so a mistake
-- vanishes from the figures as it does from the balance.
CREATE TABLE value_by_day (
    day                TEXT    PRIMARY KEY CHECK (date(day) IS day),
    -- prices of the packages sold that day
    sold_minor         INTEGER NOT NULL DEFAULT 0,
    -- worth of the credits used, forfeited or removed by an adjustment
    earned_minor       INTEGER NOT NULL DEFAULT 0,
    earned_credits     INTEGER NOT NULL DEFAULT 0,
    expired_minor      INTEGER NOT NULL DEFAULT 0,
    expired_credits    INTEGER NOT NULL DEFAULT 0,
    -- worth of the credits a refund took back
    taken_back_minor   INTEGER NOT NULL DEFAULT 0,
    taken_back_credits INTEGER NOT NULL DEFAULT 0
) STRICT, WITHOUT ROWID;

CREATE TABLE cash_by_day (
    day            TEXT    PRIMARY KEY CHECK (date(day) IS day),
    paid_minor     INTEGER NOT NULL DEFAULT 0,
    refunded_minor INTEGER NOT NULL DEFAULT 0
) STRICT, WITHOUT ROWID;

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
    -- Revenue by day: the entry's own day, or for a reversal the day and
    -- kind of the entry it reverses.
    INSERT OR IGNORE INTO value_by_day (day)
    SELECT coalesce((SELECT r.occurred_on FROM ledger_entries r WHERE r.id = NEW.reverses_id), NEW.occurred_on);
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
      FROM (SELECT coalesce(r.kind, NEW.kind) AS kind, coalesce(r.occurred_on, NEW.occurred_on) AS day,
                   CASE WHEN r.id IS NULL THEN NEW.refund_id ELSE r.refund_id END AS refund_id,
                   coalesce(r.delta, NEW.delta) AS delta
              FROM (SELECT 1) LEFT JOIN ledger_entries r ON r.id = NEW.reverses_id) AS k
     WHERE value_by_day.day = k.day;
END;

DROP TRIGGER payments_keep_the_paid_amount;
CREATE TRIGGER payments_keep_the_paid_amount AFTER INSERT ON payments
BEGIN
    -- A correction counts against the kind it corrects.
    UPDATE package_balances
       SET paid_minor = paid_minor + CASE WHEN NEW.reverses_id IS NULL THEN 1 ELSE -1 END
                                   * CASE NEW.kind WHEN 'payment' THEN NEW.amount_minor ELSE -NEW.amount_minor END,
           refunded_minor = refunded_minor + CASE WHEN NEW.kind = 'refund'
               THEN CASE WHEN NEW.reverses_id IS NULL THEN NEW.amount_minor ELSE -NEW.amount_minor END ELSE 0 END
     WHERE package_id = NEW.package_id;
    UPDATE package_balances
       SET owed_minor = CASE WHEN cancelled THEN -paid_minor
                        ELSE (SELECT price_minor FROM packages WHERE id = NEW.package_id) - paid_minor - refunded_minor END
     WHERE package_id = NEW.package_id;
    INSERT OR IGNORE INTO cash_by_day (day)
    SELECT coalesce((SELECT r.paid_on FROM payments r WHERE r.id = NEW.reverses_id), NEW.paid_on);
    UPDATE cash_by_day
       SET paid_minor = paid_minor + CASE WHEN NEW.kind = 'payment'
               THEN CASE WHEN NEW.reverses_id IS NULL THEN NEW.amount_minor ELSE -NEW.amount_minor END ELSE 0 END,
           refunded_minor = refunded_minor + CASE WHEN NEW.kind = 'refund'
               THEN CASE WHEN NEW.reverses_id IS NULL THEN NEW.amount_minor ELSE -NEW.amount_minor END ELSE 0 END
     WHERE day = coalesce((SELECT r.paid_on FROM payments r WHERE r.id = NEW.reverses_id), NEW.paid_on);
END;

DROP TRIGGER package_balances_open_at_sale;
CREATE TRIGGER package_balances_open_at_sale AFTER INSERT ON packages
BEGIN
    INSERT INTO package_balances (package_id, owed_minor) VALUES (NEW.id, NEW.price_minor);
END;

-- The worth of the entries already written is computed by this migration's
-- hook, which briefly lifts the append-only rule to write it (and restores
-- it): the only time an entry is ever updated, in this one transaction.
DROP TRIGGER ledger_is_append_only_update;
