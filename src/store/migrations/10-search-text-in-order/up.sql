-- 10: the clients in list order, with their search text in the index. A
-- search of one or two letters (too short for the trigram index) walks the
-- clients in list order testing each one's search text; the text was in the
-- table, so each client walked was one more row read from it, and a search
-- that matches few (two letters at 100×: "zo") read every client's row and
-- took a second. With the text in the index the walk reads the index alone.
-- Same name, same leading columns: every query that used it still does.
DROP INDEX clients_in_order;
CREATE INDEX clients_in_order ON clients (archived, sort_key, id, search_text);
