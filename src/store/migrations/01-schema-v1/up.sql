-- Punchcard schema v1.
-- Money is INTEGER minor units of the practice currency; calendar days are
-- 'YYYY-MM-DD'; instants are UTC RFC 3339; ids are TEXT with a type prefix.
-- The database refuses what the rules refuse: CHECK constraints, foreign keys,
-- and triggers that keep the ledger, the payments and the history append-only.

CREATE TABLE practice (
    id                    INTEGER PRIMARY KEY CHECK (id = 1),
    name                  TEXT    NOT NULL CHECK (length(trim(name)) BETWEEN 1 AND 200),
    currency              TEXT    NOT NULL CHECK (currency GLOB '[A-Z][A-Z][A-Z]'),
    currency_exponent     INTEGER NOT NULL CHECK (currency_exponent BETWEEN 0 AND 4),
    time_zone             TEXT    NOT NULL CHECK (length(time_zone) > 0),
    low_balance_threshold INTEGER NOT NULL DEFAULT 2  CHECK (low_balance_threshold BETWEEN 0 AND 1000),
    expiring_soon_days    INTEGER NOT NULL DEFAULT 14 CHECK (expiring_soon_days BETWEEN 0 AND 366),
    late_cancel_hours     INTEGER NOT NULL DEFAULT 24 CHECK (late_cancel_hours BETWEEN 0 AND 720),
    created_at            TEXT    NOT NULL,
    updated_at            TEXT    NOT NULL
) STRICT;

CREATE TABLE clients (
    id         TEXT    PRIMARY KEY CHECK (id GLOB 'cl_?*'),
    name       TEXT    NOT NULL CHECK (length(trim(name)) BETWEEN 1 AND 200),
    -- lower-cased with all white space removed: the duplicate-name check
    name_key   TEXT    NOT NULL CHECK (length(name_key) > 0),
    email      TEXT    NOT NULL DEFAULT '' CHECK (length(email) <= 320),
    phone      TEXT    NOT NULL DEFAULT '' CHECK (length(phone) <= 64),
    notes      TEXT    NOT NULL DEFAULT '' CHECK (length(notes) <= 20000),
    archived   INTEGER NOT NULL DEFAULT 0 CHECK (archived IN (0, 1)),
    created_at TEXT    NOT NULL,
    updated_at TEXT    NOT NULL
) STRICT;
CREATE INDEX clients_by_name_key ON clients (name_key);
CREATE INDEX clients_by_email ON clients (lower(email)) WHERE email <> '';

-- A package template. Editing it never touches packages already sold: a sale
-- copies its terms.
CREATE TABLE offerings (
    id                TEXT    PRIMARY KEY CHECK (id GLOB 'of_?*'),
    name              TEXT    NOT NULL CHECK (length(trim(name)) BETWEEN 1 AND 200),
    sessions          INTEGER NOT NULL CHECK (sessions BETWEEN 1 AND 1000),
    price_minor       INTEGER NOT NULL CHECK (price_minor BETWEEN 0 AND 100000000000000),
    validity_kind     TEXT    NOT NULL CHECK (validity_kind IN ('none', 'days', 'until')),
    validity_days     INTEGER CHECK (validity_days BETWEEN 1 AND 3660),
    valid_until       TEXT    CHECK (valid_until IS NULL OR date(valid_until) IS valid_until),
    -- NULL: the practice's default late-cancel window applies at sale
    late_cancel_hours INTEGER CHECK (late_cancel_hours BETWEEN 0 AND 720),
    service           TEXT    NOT NULL DEFAULT '' CHECK (length(service) <= 100),
    retired           INTEGER NOT NULL DEFAULT 0 CHECK (retired IN (0, 1)),
    created_at        TEXT    NOT NULL,
    updated_at        TEXT    NOT NULL,
    CHECK ((validity_kind = 'none'  AND validity_days IS NULL     AND valid_until IS NULL)
        OR (validity_kind = 'days'  AND validity_days IS NOT NULL AND valid_until IS NULL)
        OR (validity_kind = 'until' AND validity_days IS NULL     AND valid_until IS NOT NULL))
) STRICT;

-- A sale to one client. The terms are copied at the moment of sale and frozen;
-- only the practitioner's renewal follow-up changes afterwards.
CREATE TABLE packages (
    id                    TEXT    PRIMARY KEY CHECK (id GLOB 'pk_?*'),
    client_id             TEXT    NOT NULL REFERENCES clients (id),
    offering_id           TEXT    REFERENCES offerings (id),
    name                  TEXT    NOT NULL CHECK (length(trim(name)) BETWEEN 1 AND 200),
    sessions              INTEGER NOT NULL CHECK (sessions BETWEEN 1 AND 1000),
    price_minor           INTEGER NOT NULL CHECK (price_minor BETWEEN 0 AND 100000000000000),
    validity_kind         TEXT    NOT NULL CHECK (validity_kind IN ('none', 'days', 'until')),
    validity_days         INTEGER CHECK (validity_days BETWEEN 1 AND 3660),
    valid_until           TEXT    CHECK (valid_until IS NULL OR date(valid_until) IS valid_until),
    late_cancel_hours     INTEGER NOT NULL CHECK (late_cancel_hours BETWEEN 0 AND 720),
    service               TEXT    NOT NULL DEFAULT '' CHECK (length(service) <= 100),
    sold_on               TEXT    NOT NULL CHECK (date(sold_on) IS sold_on),
    -- derived from the validity at sale and frozen with it; NULL never expires
    expires_on            TEXT    CHECK (expires_on IS NULL OR (date(expires_on) IS expires_on AND expires_on >= sold_on)),
    renews_id             TEXT    REFERENCES packages (id),
    renewal_state         TEXT    NOT NULL DEFAULT 'none'
                                  CHECK (renewal_state IN ('none', 'offered', 'declined', 'snoozed')),
    renewal_snoozed_until TEXT    CHECK (renewal_snoozed_until IS NULL OR date(renewal_snoozed_until) IS renewal_snoozed_until),
    created_at            TEXT    NOT NULL,
    CHECK ((validity_kind = 'none'  AND validity_days IS NULL     AND valid_until IS NULL)
        OR (validity_kind = 'days'  AND validity_days IS NOT NULL AND valid_until IS NULL)
        OR (validity_kind = 'until' AND validity_days IS NULL     AND valid_until IS NOT NULL)),
    CHECK ((renewal_state = 'snoozed') = (renewal_snoozed_until IS NOT NULL)),
    CHECK (renews_id IS NOT id)
) STRICT;
CREATE INDEX packages_by_client ON packages (client_id, sold_on);
CREATE INDEX packages_by_renews ON packages (renews_id) WHERE renews_id IS NOT NULL;

CREATE TRIGGER packages_terms_are_frozen
BEFORE UPDATE OF id, client_id, offering_id, name, sessions, price_minor, validity_kind,
                 validity_days, valid_until, late_cancel_hours, service, sold_on, expires_on,
                 renews_id, created_at
ON packages
BEGIN
    SELECT RAISE(ABORT, 'package terms are frozen at sale');
END;

CREATE TRIGGER packages_are_kept BEFORE DELETE ON packages
BEGIN
    SELECT RAISE(ABORT, 'packages are never deleted; reverse the purchase instead');
END;

-- A booking. Status and time may change; every change is kept in
-- session_history by the triggers below, so a reschedule keeps its record.
CREATE TABLE sessions (
    id               TEXT    PRIMARY KEY CHECK (id GLOB 'se_?*'),
    client_id        TEXT    NOT NULL REFERENCES clients (id),
    package_id       TEXT    REFERENCES packages (id),
    starts_on        TEXT    NOT NULL CHECK (date(starts_on) IS starts_on),
    -- local wall-clock time in the practice's zone, 'HH:MM'; NULL when not given
    starts_time      TEXT    CHECK (starts_time IS NULL OR time(starts_time) IS starts_time || ':00'),
    duration_minutes INTEGER NOT NULL DEFAULT 60 CHECK (duration_minutes BETWEEN 1 AND 1440),
    status           TEXT    NOT NULL
                             CHECK (status IN ('scheduled', 'completed', 'cancelled', 'late_cancelled', 'no_show')),
    -- logged without credit: stays flagged until a package covers it
    owed             INTEGER NOT NULL DEFAULT 0 CHECK (owed IN (0, 1)),
    service          TEXT    NOT NULL DEFAULT '' CHECK (length(service) <= 100),
    notes            TEXT    NOT NULL DEFAULT '' CHECK (length(notes) <= 20000),
    created_at       TEXT    NOT NULL,
    updated_at       TEXT    NOT NULL,
    CHECK (owed = 0 OR package_id IS NULL)
) STRICT;
CREATE INDEX sessions_by_client ON sessions (client_id, starts_on);
CREATE INDEX sessions_by_day ON sessions (starts_on);
CREATE INDEX sessions_by_package ON sessions (package_id) WHERE package_id IS NOT NULL;

CREATE TABLE session_history (
    seq         INTEGER PRIMARY KEY,
    session_id  TEXT    NOT NULL REFERENCES sessions (id),
    status      TEXT    NOT NULL,
    starts_on   TEXT    NOT NULL,
    starts_time TEXT,
    recorded_at TEXT    NOT NULL
) STRICT;
CREATE INDEX session_history_by_session ON session_history (session_id, seq);

CREATE TRIGGER sessions_history_on_insert AFTER INSERT ON sessions
BEGIN
    INSERT INTO session_history (session_id, status, starts_on, starts_time, recorded_at)
    VALUES (NEW.id, NEW.status, NEW.starts_on, NEW.starts_time, NEW.updated_at);
END;

CREATE TRIGGER sessions_history_on_change AFTER UPDATE OF status, starts_on, starts_time ON sessions
WHEN OLD.status IS NOT NEW.status OR OLD.starts_on IS NOT NEW.starts_on OR OLD.starts_time IS NOT NEW.starts_time
BEGIN
    INSERT INTO session_history (session_id, status, starts_on, starts_time, recorded_at)
    VALUES (NEW.id, NEW.status, NEW.starts_on, NEW.starts_time, NEW.updated_at);
END;

CREATE TRIGGER sessions_are_kept BEFORE DELETE ON sessions
BEGIN
    SELECT RAISE(ABORT, 'sessions are never deleted; cancel them instead');
END;

CREATE TRIGGER session_history_is_append_only_update BEFORE UPDATE ON session_history
BEGIN
    SELECT RAISE(ABORT, 'session history is append-only');
END;

CREATE TRIGGER session_history_is_append_only_delete BEFORE DELETE ON session_history
BEGIN
    SELECT RAISE(ABORT, 'session history is append-only');
END;

-- The credit ledger: the only source of a package's balance (the sum of its
-- deltas). Entries are never updated or deleted; a mistake is corrected by a
-- reversal that mirrors the entry it reverses.
CREATE TABLE ledger_entries (
    seq                 INTEGER PRIMARY KEY,
    id                  TEXT    NOT NULL UNIQUE CHECK (id GLOB 'le_?*'),
    package_id          TEXT    NOT NULL REFERENCES packages (id),
    kind                TEXT    NOT NULL CHECK (kind IN ('purchase', 'session', 'late_cancel', 'no_show',
                                                         'adjustment', 'transfer_in', 'transfer_out',
                                                         'expiry', 'reversal')),
    delta               INTEGER NOT NULL CHECK (delta <> 0 AND delta BETWEEN -1000 AND 1000),
    occurred_on         TEXT    NOT NULL CHECK (date(occurred_on) IS occurred_on),
    occurred_time       TEXT    CHECK (occurred_time IS NULL OR time(occurred_time) IS occurred_time || ':00'),
    session_id          TEXT    REFERENCES sessions (id),
    reverses_id         TEXT    UNIQUE REFERENCES ledger_entries (id),
    transfer_package_id TEXT    REFERENCES packages (id),
    note                TEXT    NOT NULL DEFAULT '' CHECK (length(note) <= 2000),
    recorded_at         TEXT    NOT NULL,
    CHECK ((kind = 'reversal') = (reverses_id IS NOT NULL)),
    CHECK ((kind IN ('transfer_in', 'transfer_out')) = (transfer_package_id IS NOT NULL)),
    CHECK (kind NOT IN ('purchase', 'transfer_in') OR delta > 0),
    CHECK (kind NOT IN ('session', 'late_cancel', 'no_show', 'transfer_out', 'expiry') OR delta < 0),
    CHECK (kind NOT IN ('session', 'late_cancel', 'no_show') OR (delta = -1 AND session_id IS NOT NULL)),
    CHECK (kind <> 'adjustment' OR length(trim(note)) > 0)
) STRICT;
CREATE INDEX ledger_by_package ON ledger_entries (package_id, occurred_on);
CREATE INDEX ledger_by_session ON ledger_entries (session_id) WHERE session_id IS NOT NULL;
CREATE UNIQUE INDEX ledger_one_purchase_per_package ON ledger_entries (package_id) WHERE kind = 'purchase';

CREATE TRIGGER ledger_is_append_only_update BEFORE UPDATE ON ledger_entries
BEGIN
    SELECT RAISE(ABORT, 'ledger entries are append-only');
END;

CREATE TRIGGER ledger_is_append_only_delete BEFORE DELETE ON ledger_entries
BEGIN
    SELECT RAISE(ABORT, 'ledger entries are append-only');
END;

CREATE TRIGGER ledger_reversal_mirrors BEFORE INSERT ON ledger_entries
WHEN NEW.kind = 'reversal' AND NOT EXISTS (
    SELECT 1 FROM ledger_entries e
    WHERE e.id = NEW.reverses_id AND e.package_id = NEW.package_id
      AND e.delta = -NEW.delta AND e.kind <> 'reversal')
BEGIN
    SELECT RAISE(ABORT, 'a reversal must mirror an entry of the same package');
END;

CREATE TRIGGER ledger_balance_never_negative AFTER INSERT ON ledger_entries
WHEN (SELECT sum(delta) FROM ledger_entries WHERE package_id = NEW.package_id) < 0
BEGIN
    SELECT RAISE(ABORT, 'a package balance cannot go below zero');
END;

-- Money received against a package; refunds are their own rows.
CREATE TABLE payments (
    seq          INTEGER PRIMARY KEY,
    id           TEXT    NOT NULL UNIQUE CHECK (id GLOB 'pa_?*'),
    package_id   TEXT    NOT NULL REFERENCES packages (id),
    kind         TEXT    NOT NULL CHECK (kind IN ('payment', 'refund')),
    amount_minor INTEGER NOT NULL CHECK (amount_minor BETWEEN 1 AND 100000000000000),
    paid_on      TEXT    NOT NULL CHECK (date(paid_on) IS paid_on),
    method       TEXT    NOT NULL DEFAULT '' CHECK (length(method) <= 100),
    note         TEXT    NOT NULL DEFAULT '' CHECK (length(note) <= 2000),
    recorded_at  TEXT    NOT NULL
) STRICT;
CREATE INDEX payments_by_package ON payments (package_id, paid_on);

CREATE TRIGGER payments_are_append_only_update BEFORE UPDATE ON payments
BEGIN
    SELECT RAISE(ABORT, 'payments are append-only; record a refund instead');
END;

CREATE TRIGGER payments_are_append_only_delete BEFORE DELETE ON payments
BEGIN
    SELECT RAISE(ABORT, 'payments are append-only; record a refund instead');
END;

-- An optional instalment schedule: what is due, and when.
CREATE TABLE instalments (
    package_id   TEXT    NOT NULL REFERENCES packages (id),
    due_on       TEXT    NOT NULL CHECK (date(due_on) IS due_on),
    amount_minor INTEGER NOT NULL CHECK (amount_minor BETWEEN 1 AND 100000000000000),
    PRIMARY KEY (package_id, due_on)
) STRICT, WITHOUT ROWID;
