-- 13: how many bookings each day holds, and how many of them are still to
-- close, kept by triggers as each booking is written. Today and the week show
-- both for every day they list; counted from the indexes, that read every
-- booking of the days shown (14 days of about 1,200 bookings at 100×), and
-- grew with the practice. The sessions stay the truth: `punchcard check`
-- counts them again and compares. Sessions are never deleted
-- (sessions_are_kept), so a new booking, a change of day and a change of
-- status are all that move a count. A day whose bookings all moved away
-- keeps its row, at zero.
CREATE TABLE sessions_per_day (
    day       TEXT    PRIMARY KEY CHECK (date(day) IS day),
    sessions  INTEGER NOT NULL DEFAULT 0 CHECK (sessions >= 0),
    -- still to close: status 'scheduled'
    scheduled INTEGER NOT NULL DEFAULT 0 CHECK (scheduled BETWEEN 0 AND sessions)
) STRICT, WITHOUT ROWID;

-- Filled from two indexes alone, never from the sessions' rows: counted
-- together, each booking's row is read for its status, and at 100× (5 million
-- bookings) that first open took minutes with nothing on screen.
INSERT INTO sessions_per_day (day, sessions)
SELECT starts_on, count(*) FROM sessions GROUP BY starts_on;  -- sessions_in_time_order

UPDATE sessions_per_day SET scheduled = booked.n
  FROM (SELECT starts_on, count(*) AS n FROM sessions
         WHERE status = 'scheduled' GROUP BY starts_on) AS booked  -- sessions_booked_by_day
 WHERE sessions_per_day.day = booked.starts_on;

CREATE TRIGGER sessions_per_day_on_insert AFTER INSERT ON sessions
BEGIN
    INSERT OR IGNORE INTO sessions_per_day (day) VALUES (NEW.starts_on);
    UPDATE sessions_per_day
       SET sessions = sessions + 1, scheduled = scheduled + (NEW.status = 'scheduled')
     WHERE day = NEW.starts_on;
END;

CREATE TRIGGER sessions_per_day_on_change AFTER UPDATE OF starts_on, status ON sessions
WHEN OLD.starts_on IS NOT NEW.starts_on OR (OLD.status = 'scheduled') IS NOT (NEW.status = 'scheduled')
BEGIN
    UPDATE sessions_per_day
       SET sessions = sessions - 1, scheduled = scheduled - (OLD.status = 'scheduled')
     WHERE day = OLD.starts_on;
    INSERT OR IGNORE INTO sessions_per_day (day) VALUES (NEW.starts_on);
    UPDATE sessions_per_day
       SET sessions = sessions + 1, scheduled = scheduled + (NEW.status = 'scheduled')
     WHERE day = NEW.starts_on;
END;
