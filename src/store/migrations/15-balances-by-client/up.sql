-- 15: each package's balance row names the package's client (frozen at
-- sale, as the package's terms are), so a client's packages that may still
-- pay for a session, or on which money is owed, are found through an index
-- of their own. The client list, the agenda and Needs attention read those
-- of the clients they show; through the packages' index they read every
-- package of each client's years and kept a few (at 100x, a week's clients:
-- 1,105 packages read, 276 kept).
ALTER TABLE package_balances ADD COLUMN client_id TEXT REFERENCES clients (id);
UPDATE package_balances
   SET client_id = (SELECT p.client_id FROM packages p WHERE p.id = package_balances.package_id);

DROP TRIGGER package_balances_open_at_sale;
CREATE TRIGGER package_balances_open_at_sale AFTER INSERT ON packages
BEGIN
    INSERT INTO package_balances (package_id, client_id, owed_minor, expires_on)
    VALUES (NEW.id, NEW.client_id, NEW.price_minor, NEW.expires_on);
END;

CREATE TRIGGER package_balances_keep_their_client BEFORE UPDATE OF client_id ON package_balances
BEGIN
    SELECT RAISE(ABORT, 'a package''s client is frozen at sale');
END;

-- With credits left, or with credits an expiry took (a day before it can
-- still use them): what may pay for a session.
CREATE INDEX package_balances_paying ON package_balances (client_id) WHERE balance > 0 OR expired > 0;
CREATE INDEX package_balances_owing_by_client ON package_balances (client_id) WHERE owed_minor <> 0;
