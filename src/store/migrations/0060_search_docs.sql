-- 0060_search_docs.sql - PostgreSQL's search index becomes one table of
-- documents, like SQLite's FTS5 table (0010_api.sql): one row per
-- subject, message and attachment name, under the same doc id
--   doc = ticket_id << 32 | (source_id & 0x3FFFFFFF) << 2 | kind
-- with its folded words as a stored tsvector. The expression indexes of
-- 0010 sat on three tables, so "does ticket T match?" meant parsing its
-- messages again; here it is one probe of (ticket_id, doc) reading stored
-- vectors, and a search for a common word can walk tickets newest first
-- and stop at one page (ticket_query.c), while a rare word still starts
-- from the GIN index. internal: an internal note or a file attached to
-- one (clients never find those). Kept by triggers, so messages written
-- by any door are indexed; derived, so `soporte migrate` does not copy it.
--
-- SQLite keeps its FTS5 table and gains a view of its terms, so that a
-- word typed as a prefix can be searched as the few whole terms it
-- begins (ticket_query.c: FTS5 merges a prefix's doclists up front).

@SQLITE@
CREATE VIRTUAL TABLE search_vocab USING fts5vocab(search_fts, 'instance');
@END@

@POSTGRESQL@
DROP INDEX tickets_subject_fts;
DROP INDEX messages_fts;
DROP INDEX attachments_fts;

-- Folded words without positions (only matching is asked of them).
CREATE FUNCTION soporte_words(t TEXT) RETURNS tsvector
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $w$
  SELECT strip(to_tsvector('simple', soporte_fold(t)))
$w$;

CREATE TABLE search_docs (
  ticket_id BIGINT NOT NULL,
  doc BIGINT NOT NULL,
  internal BOOLEAN NOT NULL,
  words tsvector NOT NULL,
  PRIMARY KEY (ticket_id, doc)
);
CREATE INDEX search_docs_words ON search_docs USING gin (words);

CREATE FUNCTION search_ticket_doc() RETURNS trigger
LANGUAGE plpgsql AS $t$
BEGIN
  INSERT INTO search_docs (ticket_id, doc, internal, words)
  VALUES (NEW.id, NEW.id << 32, false, soporte_words(NEW.subject))
  ON CONFLICT (ticket_id, doc) DO UPDATE SET words = EXCLUDED.words;
  RETURN NULL;
END
$t$;
CREATE TRIGGER search_ticket AFTER INSERT OR UPDATE OF subject ON tickets
FOR EACH ROW EXECUTE FUNCTION search_ticket_doc();

-- A message's own doc and its files' docs: removed with the old row,
-- added with the new one (the kind decides internal for both).
CREATE FUNCTION search_message_docs() RETURNS trigger
LANGUAGE plpgsql AS $m$
BEGIN
  IF TG_OP <> 'INSERT' AND OLD.ticket_id IS NOT NULL THEN
    DELETE FROM search_docs WHERE ticket_id = OLD.ticket_id AND (
      doc IN ((OLD.ticket_id << 32) | ((OLD.id & 1073741823) << 2) | 1,
              (OLD.ticket_id << 32) | ((OLD.id & 1073741823) << 2) | 3) OR
      doc IN (SELECT (OLD.ticket_id << 32) | ((a.id & 1073741823) << 2) | 2
              FROM attachments a WHERE a.message_id = OLD.id));
  END IF;
  IF TG_OP <> 'DELETE' AND NEW.ticket_id IS NOT NULL THEN
    INSERT INTO search_docs (ticket_id, doc, internal, words)
    VALUES (NEW.ticket_id, (NEW.ticket_id << 32) | ((NEW.id & 1073741823) << 2) |
              CASE WHEN NEW.kind = 'note' THEN 3 ELSE 1 END,
            NEW.kind = 'note',
            soporte_words(COALESCE(NEW.subject, '') || ' ' || NEW.body_text));
    INSERT INTO search_docs (ticket_id, doc, internal, words)
    SELECT NEW.ticket_id, (NEW.ticket_id << 32) | ((a.id & 1073741823) << 2) | 2,
           NEW.kind = 'note', soporte_words(a.filename)
    FROM attachments a WHERE a.message_id = NEW.id;
  END IF;
  RETURN NULL;
END
$m$;
CREATE TRIGGER search_message
AFTER INSERT OR DELETE OR UPDATE OF ticket_id, kind, subject, body_text
ON messages FOR EACH ROW EXECUTE FUNCTION search_message_docs();

CREATE FUNCTION search_attachment_doc() RETURNS trigger
LANGUAGE plpgsql AS $a$
BEGIN
  IF TG_OP = 'DELETE' THEN
    DELETE FROM search_docs s USING messages m
    WHERE m.id = OLD.message_id AND s.ticket_id = m.ticket_id AND
          s.doc = (m.ticket_id << 32) | ((OLD.id & 1073741823) << 2) | 2;
  ELSE
    INSERT INTO search_docs (ticket_id, doc, internal, words)
    SELECT m.ticket_id, (m.ticket_id << 32) | ((NEW.id & 1073741823) << 2) | 2,
           m.kind = 'note', soporte_words(NEW.filename)
    FROM messages m WHERE m.id = NEW.message_id AND m.ticket_id IS NOT NULL;
  END IF;
  RETURN NULL;
END
$a$;
CREATE TRIGGER search_attachment AFTER INSERT OR DELETE ON attachments
FOR EACH ROW EXECUTE FUNCTION search_attachment_doc();

INSERT INTO search_docs (ticket_id, doc, internal, words)
  SELECT id, id << 32, false, soporte_words(subject) FROM tickets;
INSERT INTO search_docs (ticket_id, doc, internal, words)
  SELECT ticket_id, (ticket_id << 32) | ((id & 1073741823) << 2) |
         CASE WHEN kind = 'note' THEN 3 ELSE 1 END, kind = 'note',
         soporte_words(COALESCE(subject, '') || ' ' || body_text)
  FROM messages WHERE ticket_id IS NOT NULL;
INSERT INTO search_docs (ticket_id, doc, internal, words)
  SELECT m.ticket_id, (m.ticket_id << 32) | ((a.id & 1073741823) << 2) | 2,
         m.kind = 'note', soporte_words(a.filename)
  FROM attachments a JOIN messages m ON m.id = a.message_id
  WHERE m.ticket_id IS NOT NULL;
ANALYZE search_docs;
@END@
