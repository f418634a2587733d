-- 16: each booking carries its client's sort key, so a day's bookings are
-- read from one index in the order the agenda shows them: by time, then by
-- client. With the clients' order in the clients' rows, SQLite read every
-- booking of a day's first hour, and each one's client, to keep the first
-- few (at 100x a day's first hour holds 47 bookings; the week shows 12 a
-- day). The key is the client's, copied by triggers: into each new
-- booking, and into a client's bookings when their name (so their key)
-- changes; a trigger refuses any other value.
ALTER TABLE sessions ADD COLUMN client_sort_key TEXT NOT NULL DEFAULT '';
UPDATE sessions
   SET client_sort_key = (SELECT c.sort_key FROM clients c WHERE c.id = sessions.client_id);

CREATE TRIGGER sessions_sort_as_their_client AFTER INSERT ON sessions
BEGIN
    UPDATE sessions SET client_sort_key = (SELECT c.sort_key FROM clients c WHERE c.id = NEW.client_id)
     WHERE rowid = NEW.rowid;
END;

CREATE TRIGGER clients_sort_key_to_their_sessions AFTER UPDATE OF sort_key ON clients
WHEN OLD.sort_key IS NOT NEW.sort_key
BEGIN
    UPDATE sessions SET client_sort_key = NEW.sort_key WHERE client_id = NEW.id;
END;

CREATE TRIGGER sessions_sort_key_is_their_clients BEFORE UPDATE OF client_id, client_sort_key ON sessions
WHEN NEW.client_sort_key IS NOT (SELECT c.sort_key FROM clients c WHERE c.id = NEW.client_id)
BEGIN
    SELECT RAISE(ABORT, 'a booking''s sort key is never set by hand: it is its client''s');
END;

-- A day's bookings by time (a time left out is NULL and comes first, as ''
-- did in the index this one replaces), then by client, then by id: the
-- agenda's whole order, so a day's first bookings are its first entries.
CREATE INDEX sessions_in_day_order ON sessions (starts_on, starts_time, client_sort_key, id);
DROP INDEX sessions_in_time_order;
