-- Punchcard schema v5: bookings that draw from packages.

-- Why a ledger line drew from the package it did, in plain words (the
-- drawing rule: "expires soonest (31 Dec 2026) of 2 usable packages"), or
-- what it settles.
ALTER TABLE ledger_entries ADD COLUMN why TEXT NOT NULL DEFAULT '' CHECK (length(why) <= 500);

-- The bookings ahead of a client, and what a client owes, without reading
-- every session they ever had.
CREATE INDEX sessions_booked_by_client ON sessions (client_id, starts_on, starts_time) WHERE status = 'scheduled';
CREATE INDEX sessions_owed_by_client ON sessions (client_id, starts_on) WHERE owed = 1;
