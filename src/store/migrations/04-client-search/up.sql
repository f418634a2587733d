-- Punchcard schema v4: the client search index, built from the search text
-- that v3 filled in.

-- Substring search through trigrams, over search_text (derived; rebuilt by
-- `INSERT INTO client_search(client_search) VALUES ('rebuild')`).
CREATE VIRTUAL TABLE client_search USING fts5 (
    search_text, content = 'clients', content_rowid = 'rowid', tokenize = 'trigram'
);

CREATE TRIGGER client_search_on_insert AFTER INSERT ON clients
BEGIN
    INSERT INTO client_search (rowid, search_text) VALUES (NEW.rowid, NEW.search_text);
END;

CREATE TRIGGER client_search_on_update AFTER UPDATE OF search_text ON clients
BEGIN
    INSERT INTO client_search (client_search, rowid, search_text) VALUES ('delete', OLD.rowid, OLD.search_text);
    INSERT INTO client_search (rowid, search_text) VALUES (NEW.rowid, NEW.search_text);
END;

CREATE TRIGGER client_search_on_delete AFTER DELETE ON clients
BEGIN
    INSERT INTO client_search (client_search, rowid, search_text) VALUES ('delete', OLD.rowid, OLD.search_text);
END;

INSERT INTO client_search (client_search) VALUES ('rebuild');
