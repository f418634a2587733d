-- 07: renewals. A package's last day can be moved later by an extension
-- (with its reason), including after it expired; every extension and every
-- renewal follow-up (offered, declined, snoozed until a day) is kept, in
-- order, for the history. The package's terms stay frozen: the last day in
-- force is cached beside its balance, kept by triggers.

CREATE TABLE package_extensions (
    seq         INTEGER PRIMARY KEY,
    id          TEXT    NOT NULL UNIQUE CHECK (id GLOB 'px_?*'),
    package_id  TEXT    NOT NULL REFERENCES packages (id),
    -- the new last usable day
    expires_on  TEXT    NOT NULL CHECK (date(expires_on) IS expires_on),
    reason      TEXT    NOT NULL CHECK (length(trim(reason)) BETWEEN 1 AND 2000),
    recorded_at TEXT    NOT NULL
) STRICT;
CREATE INDEX package_extensions_by_package ON package_extensions (package_id, seq);

CREATE TRIGGER package_extensions_are_kept BEFORE DELETE ON package_extensions
BEGIN
    SELECT RAISE(ABORT, 'extensions are never deleted');
END;
CREATE TRIGGER package_extensions_are_append_only BEFORE UPDATE ON package_extensions
BEGIN
    SELECT RAISE(ABORT, 'extensions are append-only');
END;

CREATE TABLE follow_ups (
    seq         INTEGER PRIMARY KEY,
    package_id  TEXT    NOT NULL REFERENCES packages (id),
    state       TEXT    NOT NULL CHECK (state IN ('none', 'offered', 'declined', 'snoozed')),
    until       TEXT    CHECK (until IS NULL OR date(until) IS until),
    recorded_at TEXT    NOT NULL,
    CHECK ((state = 'snoozed') = (until IS NOT NULL))
) STRICT;
CREATE INDEX follow_ups_by_package ON follow_ups (package_id, seq);

CREATE TRIGGER follow_ups_are_kept BEFORE DELETE ON follow_ups
BEGIN
    SELECT RAISE(ABORT, 'follow-ups are never deleted');
END;
CREATE TRIGGER follow_ups_are_append_only BEFORE UPDATE ON follow_ups
BEGIN
    SELECT RAISE(ABORT, 'follow-ups are append-only');
END;

-- Follow-ups set before this version: carried, dated at the sale (the day
-- they were set was not kept).
INSERT INTO follow_ups (package_id, state, until, recorded_at)
SELECT id, renewal_state, renewal_snoozed_until, created_at FROM packages WHERE renewal_state <> 'none';

-- The last day in force.
ALTER TABLE package_balances ADD COLUMN expires_on TEXT CHECK (expires_on IS NULL OR date(expires_on) IS expires_on);
UPDATE package_balances SET expires_on = (SELECT p.expires_on FROM packages p WHERE p.id = package_balances.package_id);
CREATE INDEX package_balances_by_expiry ON package_balances (expires_on) WHERE balance > 0;

DROP TRIGGER package_balances_open_at_sale;
CREATE TRIGGER package_balances_open_at_sale AFTER INSERT ON packages
BEGIN
    INSERT INTO package_balances (package_id, owed_minor, expires_on) VALUES (NEW.id, NEW.price_minor, NEW.expires_on);
END;

-- Only a package with a last day can be extended, and only to a later day.
CREATE TRIGGER package_extensions_move_the_day_later BEFORE INSERT ON package_extensions
WHEN (SELECT b.expires_on FROM package_balances b WHERE b.package_id = NEW.package_id) IS NULL
  OR NEW.expires_on <= (SELECT b.expires_on FROM package_balances b WHERE b.package_id = NEW.package_id)
BEGIN
    SELECT RAISE(ABORT, 'an extension moves the last day later');
END;
CREATE TRIGGER package_extensions_keep_the_day AFTER INSERT ON package_extensions
BEGIN
    UPDATE package_balances SET expires_on = NEW.expires_on WHERE package_id = NEW.package_id;
END;

-- Credits that expired unused (live expiry entries), kept beside the balance
-- so screens need not sum them.
ALTER TABLE package_balances ADD COLUMN expired INTEGER NOT NULL DEFAULT 0 CHECK (expired >= 0);
UPDATE package_balances SET expired = (
    SELECT coalesce(-sum(x.delta), 0) FROM ledger_entries x
     WHERE x.package_id = package_balances.package_id AND x.kind = 'expiry'
       AND NOT EXISTS (SELECT 1 FROM ledger_entries r WHERE r.reverses_id = x.id));
CREATE TRIGGER ledger_entries_keep_the_expired AFTER INSERT ON ledger_entries
WHEN NEW.kind = 'expiry'
  OR (NEW.kind = 'reversal' AND (SELECT r.kind FROM ledger_entries r WHERE r.id = NEW.reverses_id) = 'expiry')
BEGIN
    UPDATE package_balances SET expired = expired - NEW.delta WHERE package_id = NEW.package_id;
END;

-- The practitioner's own words for renewal reminders (empty: Punchcard's).
ALTER TABLE practice ADD COLUMN reminder_template TEXT NOT NULL DEFAULT '' CHECK (length(reminder_template) <= 4000);
