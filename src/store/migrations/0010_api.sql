-- 0010_api.sql - what the HTTP API needs: indexes for its queues and
-- lookups, and the full-text search over subjects, messages and
-- attachment names (accent- and case-insensitive, for Spanish).
--
-- (SQLite gives << >> & | one precedence, left to right: hence the
-- parentheses below.)
-- SQLite: an FTS5 table kept by triggers (unicode61, diacritics removed).
-- Its rowid (a "doc") says where the text comes from, so triggers find a
-- row without a scan and a search needs no lookups to know the ticket:
--   doc = ticket_id << 32 | (source_id & 0x3FFFFFFF) << 2 | kind
-- kind 0: the ticket's subject (source_id 0); 1: a message; 2: an
-- attachment's file name; 3: an internal note (hidden from clients).
-- So ticket_id = doc >> 32, and one ticket's docs are one rowid range.
-- PostgreSQL: GIN expression indexes over the folded text (lowercase,
-- accents removed by soporte_fold, no extension needed), 'simple' config.

CREATE INDEX tickets_assignee_due ON tickets(assignee_id, response_due_at, number);
CREATE INDEX tickets_due ON tickets(response_due_at, number);
CREATE INDEX tickets_client_due ON tickets(client_id, response_due_at, number);
CREATE INDEX sessions_user ON sessions(user_id);
CREATE INDEX api_tokens_user ON api_tokens(user_id);
CREATE INDEX secrets_ticket ON secrets(ticket_id);
CREATE INDEX secrets_product ON secrets(product_id);
CREATE INDEX time_entries_ticket_id ON time_entries(ticket_id, id);
CREATE INDEX escalations_ticket_id ON escalations(ticket_id, id);
CREATE INDEX contact_attempts_ticket_id ON contact_attempts(ticket_id, id);

@SQLITE@
CREATE VIRTUAL TABLE search_fts USING fts5(
  body, tokenize = 'unicode61 remove_diacritics 2');

CREATE TRIGGER search_ticket_ins AFTER INSERT ON tickets BEGIN
  INSERT INTO search_fts (rowid, body) VALUES ((NEW.id << 32), NEW.subject);
END;
CREATE TRIGGER search_ticket_upd AFTER UPDATE OF subject ON tickets BEGIN
  DELETE FROM search_fts WHERE rowid = OLD.id << 32;
  INSERT INTO search_fts (rowid, body) VALUES ((NEW.id << 32), NEW.subject);
END;

CREATE TRIGGER search_message_ins AFTER INSERT ON messages
WHEN NEW.ticket_id IS NOT NULL BEGIN
  INSERT INTO search_fts (rowid, body)
  VALUES ((NEW.ticket_id << 32) | ((NEW.id & 1073741823) << 2) |
          CASE WHEN NEW.kind = 'note' THEN 3 ELSE 1 END,
          COALESCE(NEW.subject, '') || ' ' || NEW.body_text);
  INSERT INTO search_fts (rowid, body)
  SELECT (NEW.ticket_id << 32) | ((a.id & 1073741823) << 2) | 2, a.filename
  FROM attachments a WHERE a.message_id = NEW.id;
END;
CREATE TRIGGER search_message_upd
AFTER UPDATE OF ticket_id, kind, subject, body_text ON messages BEGIN
  DELETE FROM search_fts WHERE OLD.ticket_id IS NOT NULL AND rowid IN
    ((OLD.ticket_id << 32) | ((OLD.id & 1073741823) << 2) | 1,
     (OLD.ticket_id << 32) | ((OLD.id & 1073741823) << 2) | 3);
  DELETE FROM search_fts WHERE OLD.ticket_id IS NOT NULL AND rowid IN
    (SELECT (OLD.ticket_id << 32) | ((a.id & 1073741823) << 2) | 2
     FROM attachments a WHERE a.message_id = OLD.id);
  INSERT INTO search_fts (rowid, body)
  SELECT (NEW.ticket_id << 32) | ((NEW.id & 1073741823) << 2) |
         CASE WHEN NEW.kind = 'note' THEN 3 ELSE 1 END,
         COALESCE(NEW.subject, '') || ' ' || NEW.body_text
  WHERE NEW.ticket_id IS NOT NULL;
  INSERT INTO search_fts (rowid, body)
  SELECT (NEW.ticket_id << 32) | ((a.id & 1073741823) << 2) | 2, a.filename
  FROM attachments a WHERE a.message_id = NEW.id AND NEW.ticket_id IS NOT NULL;
END;
CREATE TRIGGER search_message_del AFTER DELETE ON messages
WHEN OLD.ticket_id IS NOT NULL BEGIN
  DELETE FROM search_fts WHERE rowid IN
    ((OLD.ticket_id << 32) | ((OLD.id & 1073741823) << 2) | 1,
     (OLD.ticket_id << 32) | ((OLD.id & 1073741823) << 2) | 3);
END;

CREATE TRIGGER search_attachment_ins AFTER INSERT ON attachments BEGIN
  INSERT INTO search_fts (rowid, body)
  SELECT (m.ticket_id << 32) | ((NEW.id & 1073741823) << 2) | 2, NEW.filename
  FROM messages m WHERE m.id = NEW.message_id AND m.ticket_id IS NOT NULL;
END;
CREATE TRIGGER search_attachment_del AFTER DELETE ON attachments BEGIN
  DELETE FROM search_fts WHERE rowid IN
    (SELECT (m.ticket_id << 32) | ((OLD.id & 1073741823) << 2) | 2
     FROM messages m WHERE m.id = OLD.message_id AND m.ticket_id IS NOT NULL);
END;

INSERT INTO search_fts (rowid, body) SELECT id << 32, subject FROM tickets;
INSERT INTO search_fts (rowid, body)
  SELECT (ticket_id << 32) | ((id & 1073741823) << 2) |
         CASE WHEN kind = 'note' THEN 3 ELSE 1 END,
         COALESCE(subject, '') || ' ' || body_text
  FROM messages WHERE ticket_id IS NOT NULL;
INSERT INTO search_fts (rowid, body)
  SELECT (m.ticket_id << 32) | ((a.id & 1073741823) << 2) | 2, a.filename
  FROM attachments a JOIN messages m ON m.id = a.message_id
  WHERE m.ticket_id IS NOT NULL;
@END@

@POSTGRESQL@
CREATE FUNCTION soporte_fold(t TEXT) RETURNS TEXT
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $fold$
  SELECT translate(lower(t),
    'ÁÀÂÄÃÉÈÊËÍÌÎÏÓÒÔÖÕÚÙÛÜÑÇáàâäãéèêëíìîïóòôöõúùûüñç',
    'aaaaaeeeeiiiiooooouuuuncaaaaaeeeeiiiiooooouuuunc')
$fold$;
CREATE INDEX tickets_subject_fts ON tickets
  USING gin (to_tsvector('simple', soporte_fold(subject)));
CREATE INDEX messages_fts ON messages
  USING gin (to_tsvector('simple',
    soporte_fold(COALESCE(subject, '') || ' ' || body_text)));
CREATE INDEX attachments_fts ON attachments
  USING gin (to_tsvector('simple', soporte_fold(filename)));
@END@
