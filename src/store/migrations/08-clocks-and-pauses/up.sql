-- 08: a package's clock can start at its first session instead of at the
-- sale; a package can be paused for a period (its last day moves by the
-- paused days, and nothing is drawn from it meanwhile); an offering can set
-- its own low-balance mark.

-- "N days after first use": validity_kind 'days', counted from the first
-- session drawn instead of the sale. Such a package has no last day at sale
-- (expires_on stays NULL in its frozen terms).
ALTER TABLE offerings ADD COLUMN validity_from TEXT NOT NULL DEFAULT 'sale'
    CHECK (validity_from IN ('sale', 'first_use') AND (validity_from = 'sale' OR validity_kind = 'days'));
ALTER TABLE packages ADD COLUMN validity_from TEXT NOT NULL DEFAULT 'sale'
    CHECK (validity_from IN ('sale', 'first_use')
           AND (validity_from = 'sale' OR (validity_kind = 'days' AND expires_on IS NULL)));

-- A package with this many credits left or fewer is low (NULL: the practice's mark).
ALTER TABLE offerings ADD COLUMN low_balance_at INTEGER
    CHECK (low_balance_at IS NULL OR low_balance_at BETWEEN 0 AND 1000);

DROP TRIGGER packages_terms_are_frozen;
CREATE TRIGGER packages_terms_are_frozen
BEFORE UPDATE OF id, client_id, offering_id, name, sessions, price_minor, validity_kind,
                 validity_days, valid_until, late_cancel_hours, service, sold_on, expires_on,
                 renews_id, created_at, list_price_minor, discount_reason, validity_from
ON packages
BEGIN
    SELECT RAISE(ABORT, 'package terms are frozen at sale');
END;

-- The day of the first session drawn (net of undone ones), for packages
-- counted from first use; NULL: not started. Kept by the trigger below.
ALTER TABLE package_balances ADD COLUMN started_on TEXT
    CHECK (started_on IS NULL OR date(started_on) IS started_on);

-- Pauses: append-only, never overlapping. The core moves the last day by
-- the paused days with an extension row linked to the pause.
CREATE TABLE package_pauses (
    seq         INTEGER PRIMARY KEY,
    id          TEXT    NOT NULL UNIQUE CHECK (id GLOB 'pp_?*'),
    package_id  TEXT    NOT NULL REFERENCES packages (id),
    from_on     TEXT    NOT NULL CHECK (date(from_on) IS from_on),
    until_on    TEXT    NOT NULL CHECK (date(until_on) IS until_on AND until_on >= from_on),
    reason      TEXT    NOT NULL CHECK (length(trim(reason)) BETWEEN 1 AND 2000),
    recorded_at TEXT    NOT NULL
) STRICT;
CREATE INDEX package_pauses_by_package ON package_pauses (package_id, from_on);

CREATE TRIGGER package_pauses_are_kept BEFORE DELETE ON package_pauses
BEGIN
    SELECT RAISE(ABORT, 'pauses are never deleted');
END;
CREATE TRIGGER package_pauses_are_append_only BEFORE UPDATE ON package_pauses
BEGIN
    SELECT RAISE(ABORT, 'pauses are append-only');
END;
CREATE TRIGGER package_pauses_never_overlap BEFORE INSERT ON package_pauses
WHEN EXISTS (SELECT 1 FROM package_pauses q WHERE q.package_id = NEW.package_id
               AND q.from_on <= NEW.until_on AND NEW.from_on <= q.until_on)
BEGIN
    SELECT RAISE(ABORT, 'pauses of a package never overlap');
END;

ALTER TABLE package_extensions ADD COLUMN pause_id TEXT REFERENCES package_pauses (id);

-- The clock of a package counted from first use: started by its first
-- session, and moved when that session is undone or an earlier one is
-- logged, until an extension or a pause fixes the last day.
CREATE TRIGGER ledger_entries_start_the_clock AFTER INSERT ON ledger_entries
WHEN NEW.kind IN ('session', 'late_cancel', 'no_show', 'reversal')
 AND (SELECT p.validity_from FROM packages p WHERE p.id = NEW.package_id) = 'first_use'
BEGIN
    UPDATE package_balances SET started_on = (
        SELECT min(e.occurred_on) FROM ledger_entries e
         WHERE e.package_id = NEW.package_id AND e.kind IN ('session', 'late_cancel', 'no_show')
           AND NOT EXISTS (SELECT 1 FROM ledger_entries r WHERE r.reverses_id = e.id))
     WHERE package_id = NEW.package_id;
    UPDATE package_balances SET expires_on = (
        SELECT date(b.started_on, '+' || p.validity_days || ' days')
          FROM package_balances b JOIN packages p ON p.id = b.package_id
         WHERE b.package_id = NEW.package_id)
     WHERE package_id = NEW.package_id
       AND NOT EXISTS (SELECT 1 FROM package_extensions x WHERE x.package_id = NEW.package_id);
END;

-- Kept for the Needs-attention list, so it reads only the clients who may
-- need attention instead of working out every client's newest package and
-- last day of use: each client's newest sale not cancelled, and the day of
-- each package's last ledger entry.
ALTER TABLE clients ADD COLUMN latest_package_id TEXT REFERENCES packages (id);
UPDATE clients SET latest_package_id = (
    SELECT p.id FROM packages p LEFT JOIN package_balances b ON b.package_id = p.id
     WHERE p.client_id = clients.id AND NOT coalesce(b.cancelled, 0)
     ORDER BY p.sold_on DESC, p.rowid DESC LIMIT 1);
CREATE TRIGGER packages_keep_the_latest AFTER INSERT ON packages
BEGIN
    UPDATE clients SET latest_package_id = (
        SELECT p.id FROM packages p LEFT JOIN package_balances b ON b.package_id = p.id
         WHERE p.client_id = NEW.client_id AND NOT coalesce(b.cancelled, 0)
         ORDER BY p.sold_on DESC, p.rowid DESC LIMIT 1)
     WHERE id = NEW.client_id;
END;
CREATE TRIGGER package_balances_keep_the_latest AFTER UPDATE OF cancelled ON package_balances
WHEN NEW.cancelled IS NOT OLD.cancelled
BEGIN
    UPDATE clients SET latest_package_id = (
        SELECT p.id FROM packages p LEFT JOIN package_balances b ON b.package_id = p.id
         WHERE p.client_id = (SELECT q.client_id FROM packages q WHERE q.id = NEW.package_id)
           AND NOT coalesce(b.cancelled, 0)
         ORDER BY p.sold_on DESC, p.rowid DESC LIMIT 1)
     WHERE id = (SELECT q.client_id FROM packages q WHERE q.id = NEW.package_id);
END;

ALTER TABLE package_balances ADD COLUMN last_on TEXT CHECK (last_on IS NULL OR date(last_on) IS last_on);
UPDATE package_balances SET last_on = (
    SELECT max(e.occurred_on) FROM ledger_entries e WHERE e.package_id = package_balances.package_id);
CREATE TRIGGER ledger_entries_keep_the_last_day AFTER INSERT ON ledger_entries
BEGIN
    UPDATE package_balances SET last_on = NEW.occurred_on
     WHERE package_id = NEW.package_id AND (last_on IS NULL OR last_on < NEW.occurred_on);
END;
