-- 0100_search_terms.sql - SQLite: the search index's distinct terms in a
-- table of their own, so that the terms a word's stem begins are one range
-- of a B-tree (ticket_query.c). The fts5vocab table of 0060 answered the
-- same question, but FTS5 builds its rows from the index itself: seeking
-- past a term walked every instance of it (90-250 us a term for a common
-- word, most of a two-word search's cost).
--
-- Kept by triggers beside those of 0010 on the same text (soporte_terms()
-- in store/fts_es.c: the tokenizer's terms as a JSON array), so a word
-- written a moment ago is found, whichever door wrote it. Terms are only
-- added: one whose text was edited or deleted lingers and names nothing
-- in the FTS query, which then finds what it would have found without
-- it. Derived, like the FTS table: `soporte migrate` does not copy it.
--
-- PostgreSQL searches its GIN index by prefix already. What it lacked is
-- a client's tickets in id order: a client user's search for a common
-- word walks tickets newest first (ticket_query.c) and probes each one's
-- documents, and with only the primary key to walk it read past every
-- other client's newer tickets to reach the client's own (28,596 of them
-- on bench/api's PostgreSQL desk, where client 1's newest ticket is id
-- 71,453 of 100,007: 6 ms of database CPU a search, 0.4 ms with this).

@SQLITE@
CREATE TABLE search_terms (term TEXT PRIMARY KEY) WITHOUT ROWID;

CREATE TRIGGER search_terms_ticket_ins AFTER INSERT ON tickets BEGIN
  INSERT OR IGNORE INTO search_terms
  SELECT value FROM json_each(soporte_terms(NEW.subject));
END;
CREATE TRIGGER search_terms_ticket_upd AFTER UPDATE OF subject ON tickets
BEGIN
  INSERT OR IGNORE INTO search_terms
  SELECT value FROM json_each(soporte_terms(NEW.subject));
END;
CREATE TRIGGER search_terms_message_ins AFTER INSERT ON messages
WHEN NEW.ticket_id IS NOT NULL BEGIN
  INSERT OR IGNORE INTO search_terms
  SELECT value FROM json_each(soporte_terms(
    COALESCE(NEW.subject, '') || ' ' || NEW.body_text));
END;
CREATE TRIGGER search_terms_message_upd
AFTER UPDATE OF ticket_id, subject, body_text ON messages
WHEN NEW.ticket_id IS NOT NULL BEGIN
  INSERT OR IGNORE INTO search_terms
  SELECT value FROM json_each(soporte_terms(
    COALESCE(NEW.subject, '') || ' ' || NEW.body_text));
END;
CREATE TRIGGER search_terms_attachment_ins AFTER INSERT ON attachments
BEGIN
  INSERT OR IGNORE INTO search_terms
  SELECT value FROM json_each(soporte_terms(NEW.filename));
END;

-- What is indexed now: the terms of 'row' vocabulary, one per term.
DROP TABLE search_vocab;
CREATE VIRTUAL TABLE temp.search_rows USING fts5vocab(main, search_fts, 'row');
INSERT INTO search_terms (term) SELECT term FROM temp.search_rows;
DROP TABLE temp.search_rows;
@END@

@POSTGRESQL@
CREATE INDEX tickets_client_id ON tickets (client_id, id);
@END@
