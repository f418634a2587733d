-- Punchcard schema v3: instant at any size (the balance cache and the list's keys).
--
-- Derived, not facts: package_balances is a cache of the ledger and the
-- payments, written only by the triggers below, in the same transaction as
-- the entry that changes it; it can be rebuilt from the facts at any time
-- (`punchcard check` compares it with the sums). The ledger stays the truth.
CREATE TABLE package_balances (
    package_id TEXT    PRIMARY KEY REFERENCES packages (id),
    -- the sum of the package's ledger entries
    balance    INTEGER NOT NULL DEFAULT 0,
    -- sessions drawn (completed, late-cancelled, no-show), net of reversals
    used       INTEGER NOT NULL DEFAULT 0,
    -- payments minus refunds, in minor units
    paid_minor INTEGER NOT NULL DEFAULT 0
) STRICT, WITHOUT ROWID;

INSERT INTO package_balances (package_id, balance, used, paid_minor)
SELECT p.id,
       (SELECT coalesce(sum(e.delta), 0) FROM ledger_entries e WHERE e.package_id = p.id),
       (SELECT coalesce(-sum(e.delta), 0) FROM ledger_entries e
          LEFT JOIN ledger_entries r ON r.id = e.reverses_id
         WHERE e.package_id = p.id AND coalesce(r.kind, e.kind) IN ('session', 'late_cancel', 'no_show')),
       (SELECT coalesce(sum(CASE a.kind WHEN 'payment' THEN a.amount_minor ELSE -a.amount_minor END), 0)
          FROM payments a WHERE a.package_id = p.id)
FROM packages p;

CREATE TRIGGER package_balances_open_at_sale AFTER INSERT ON packages
BEGIN
    INSERT INTO package_balances (package_id) VALUES (NEW.id);
END;

-- Replaces the check that summed a package's whole ledger on every insert
-- (slower as the history grew): the cached balance is checked instead.
DROP TRIGGER ledger_balance_never_negative;

CREATE TRIGGER ledger_entries_keep_the_balance AFTER INSERT ON ledger_entries
BEGIN
    UPDATE package_balances
       SET balance = balance + NEW.delta,
           used = used + CASE
               WHEN NEW.kind IN ('session', 'late_cancel', 'no_show') THEN -NEW.delta
               WHEN NEW.kind = 'reversal' AND (SELECT r.kind FROM ledger_entries r WHERE r.id = NEW.reverses_id)
                    IN ('session', 'late_cancel', 'no_show') THEN -NEW.delta
               ELSE 0 END
     WHERE package_id = NEW.package_id;
    SELECT RAISE(ABORT, 'a package balance cannot go below zero')
     WHERE (SELECT balance FROM package_balances WHERE package_id = NEW.package_id) < 0;
END;

CREATE TRIGGER payments_keep_the_paid_amount AFTER INSERT ON payments
BEGIN
    UPDATE package_balances
       SET paid_minor = paid_minor + CASE NEW.kind WHEN 'payment' THEN NEW.amount_minor ELSE -NEW.amount_minor END
     WHERE package_id = NEW.package_id;
END;

CREATE TRIGGER package_balances_are_kept BEFORE DELETE ON package_balances
BEGIN
    SELECT RAISE(ABORT, 'package balances are derived from the ledger and never deleted');
END;

-- The client list: sorted and searched without reading every client.
-- sort_key and search_text are written by the app from the name, email and
-- phone (folded: case, accents and punctuation ignored; numbers in numeric
-- order); this migration's hook fills them for existing clients.
ALTER TABLE clients ADD COLUMN sort_key TEXT NOT NULL DEFAULT '';
ALTER TABLE clients ADD COLUMN search_text TEXT NOT NULL DEFAULT '';
CREATE INDEX clients_in_order ON clients (archived, sort_key, id);

-- Derived: how many clients are not archived (the list's total without
-- counting a hundred thousand rows), kept by the triggers below.
CREATE TABLE client_counts (
    id     INTEGER PRIMARY KEY CHECK (id = 1),
    active INTEGER NOT NULL CHECK (active >= 0)
) STRICT;
INSERT INTO client_counts (id, active) SELECT 1, count(*) FROM clients WHERE archived = 0;

CREATE TRIGGER client_counts_on_insert AFTER INSERT ON clients
BEGIN
    UPDATE client_counts SET active = active + (NEW.archived = 0) WHERE id = 1;
END;

CREATE TRIGGER client_counts_on_archive AFTER UPDATE OF archived ON clients
BEGIN
    UPDATE client_counts SET active = active + (NEW.archived = 0) - (OLD.archived = 0) WHERE id = 1;
END;

CREATE TRIGGER client_counts_on_delete AFTER DELETE ON clients
BEGIN
    UPDATE client_counts SET active = active - (OLD.archived = 0) WHERE id = 1;
END;
