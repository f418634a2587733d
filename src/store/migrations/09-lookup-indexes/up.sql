-- 09: indexes for lookups that read a whole table. A client's history
-- listed their instalment plans by scanning every instalment in the practice
-- (only the plans in force had an index), and each pause looked up the
-- extension it made by scanning every extension. Found by the test that no
-- statement one client's screens run steps through a whole table.

CREATE INDEX plan_instalments_by_package ON plan_instalments (package_id, set_at);
CREATE INDEX package_extensions_by_pause ON package_extensions (pause_id) WHERE pause_id IS NOT NULL;
-- Today's bookings still to be closed were found by walking every client;
-- the bookings waiting, by day, answer it from the few that are.
CREATE INDEX sessions_booked_by_day ON sessions (starts_on, starts_time) WHERE status = 'scheduled';
-- The renewal rate on Reports worked out, for every package in the practice,
-- the day it ended; the packages that ended within the months asked are
-- found by their last day, or by the day of their last entry once used up.
CREATE INDEX package_balances_by_last_day ON package_balances (expires_on);
CREATE INDEX package_balances_used_up ON package_balances (last_on) WHERE balance = 0;
-- A package's entries in time order (day, time, then the order written),
-- replacing the index by day alone: drawing a session reads the entries
-- after its moment, and those of the same day but earlier were read one
-- table row at a time to be compared; now the index answers.
CREATE INDEX ledger_in_time_order ON ledger_entries (package_id, occurred_on, coalesce(occurred_time, ''), seq);
DROP INDEX ledger_by_package;
-- Needs attention read every client's newest package to find the few that
-- are low, ending or ended; packages with a small balance are found by it.
CREATE INDEX package_balances_by_balance ON package_balances (balance) WHERE balance > 0;
