-- Punchcard schema v2: append-only and frozen rows can't be replaced.
-- `INSERT OR REPLACE` (and `REPLACE`) deletes the row it conflicts with
-- without firing a DELETE trigger, so it could rewrite a purchase, a payment
-- or a frozen price. An insert whose key already exists is refused here,
-- before SQLite resolves the conflict.

CREATE TRIGGER ledger_entries_are_never_replaced BEFORE INSERT ON ledger_entries
WHEN EXISTS (SELECT 1 FROM ledger_entries WHERE id = NEW.id OR seq = NEW.seq)
BEGIN
    SELECT RAISE(ABORT, 'ledger entries are append-only: an entry with that id already exists');
END;

CREATE TRIGGER payments_are_never_replaced BEFORE INSERT ON payments
WHEN EXISTS (SELECT 1 FROM payments WHERE id = NEW.id OR seq = NEW.seq)
BEGIN
    SELECT RAISE(ABORT, 'payments are append-only: a payment with that id already exists');
END;

CREATE TRIGGER packages_are_never_replaced BEFORE INSERT ON packages
WHEN EXISTS (SELECT 1 FROM packages WHERE id = NEW.id)
BEGIN
    SELECT RAISE(ABORT, 'package terms are frozen at sale: a package with that id already exists');
END;

CREATE TRIGGER sessions_are_never_replaced BEFORE INSERT ON sessions
WHEN EXISTS (SELECT 1 FROM sessions WHERE id = NEW.id)
BEGIN
    SELECT RAISE(ABORT, 'sessions are never deleted: a session with that id already exists');
END;

CREATE TRIGGER session_history_is_never_replaced BEFORE INSERT ON session_history
WHEN EXISTS (SELECT 1 FROM session_history WHERE seq = NEW.seq)
BEGIN
    SELECT RAISE(ABORT, 'session history is append-only');
END;
