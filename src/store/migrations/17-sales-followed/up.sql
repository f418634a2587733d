-- 17: each package's balance row carries its sale day (frozen at sale, as
-- its client is) and the day its client next bought: the sale day of the
-- first sale not cancelled that follows it in the client's order of sales
-- (by sale day, then as recorded), or that renews it, whichever was sold
-- first. The renewal rate on the Reports screen reads them from the balance
-- rows alone: a package that ended is renewed when that day is within 30
-- days of its end. Through every package, its balance row and its client's
-- other sales, Reports since 2010 spent 6 of its 10 ms at 1x on the rate.
-- Derived: kept by the triggers below, never written by the app, checked
-- by `punchcard check`.
ALTER TABLE package_balances ADD COLUMN sold_on TEXT CHECK (sold_on IS NULL OR date(sold_on) IS sold_on);
ALTER TABLE package_balances ADD COLUMN followed_on TEXT
    CHECK (followed_on IS NULL OR date(followed_on) IS followed_on);
UPDATE package_balances
   SET sold_on = (SELECT p.sold_on FROM packages p WHERE p.id = package_balances.package_id);
-- The next sale of every package, by its definition: what the triggers
-- below keep in `followed_on`, and what `punchcard check` compares it with.
CREATE VIEW package_next_sales (package_id, followed_on) AS
SELECT p.id,
       (SELECT min(q.sold_on)
          FROM packages q JOIN package_balances qb ON qb.package_id = q.id
         WHERE q.client_id = p.client_id AND q.id <> p.id AND NOT qb.cancelled
           AND ((q.sold_on, q.rowid) > (p.sold_on, p.rowid) OR q.renews_id = p.id))
  FROM packages p;
UPDATE package_balances
   SET followed_on = (SELECT n.followed_on FROM package_next_sales n WHERE n.package_id = package_balances.package_id);

DROP TRIGGER package_balances_open_at_sale;
CREATE TRIGGER package_balances_open_at_sale AFTER INSERT ON packages
BEGIN
    INSERT INTO package_balances (package_id, client_id, sold_on, owed_minor, expires_on)
    VALUES (NEW.id, NEW.client_id, NEW.sold_on, NEW.price_minor, NEW.expires_on);
END;

CREATE TRIGGER package_balances_keep_their_sale_day BEFORE UPDATE OF sold_on ON package_balances
BEGIN
    SELECT RAISE(ABORT, 'a package''s sale day is frozen at sale');
END;

-- A new sale: its own next sale (one recorded later with an earlier day
-- follows it), and it follows each of the client's sales before it and the
-- one it renews, unless one sold no later already did.
CREATE TRIGGER package_balances_follow_a_sale AFTER INSERT ON package_balances
BEGIN
    UPDATE package_balances
       SET followed_on = (SELECT n.followed_on FROM package_next_sales n WHERE n.package_id = NEW.package_id)
     WHERE package_id = NEW.package_id;
    UPDATE package_balances
       SET followed_on = NEW.sold_on
     WHERE package_id IN (
           SELECT q.id FROM packages n JOIN packages q ON q.client_id = n.client_id
            WHERE n.id = NEW.package_id AND q.id <> n.id
              AND ((q.sold_on, q.rowid) < (n.sold_on, n.rowid) OR q.id = n.renews_id))
       AND NOT NEW.cancelled
       AND (followed_on IS NULL OR followed_on > NEW.sold_on);
END;

-- A sale cancelled follows nothing: its client's sales are worked out again.
CREATE TRIGGER package_balances_unfollow_a_cancelled_sale AFTER UPDATE OF cancelled ON package_balances
WHEN NEW.cancelled IS NOT OLD.cancelled
BEGIN
    UPDATE package_balances
       SET followed_on = (SELECT n.followed_on FROM package_next_sales n WHERE n.package_id = package_balances.package_id)
     WHERE package_id IN (SELECT q.id FROM packages q WHERE q.client_id = NEW.client_id);
END;
