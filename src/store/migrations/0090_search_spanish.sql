-- 0090_search_spanish.sql - search in Spanish: words are folded (case,
-- accents) and reduced to their stems with Snowball's Spanish stemmer, so
-- "impresoras" finds "impresora" and "imprimir" finds "no imprime".
-- SQLite: the FTS5 table uses the soporte_es tokenizer (store/fts_es.c:
-- unicode61 without diacritics, then libstemmer's Spanish stemmer).
-- PostgreSQL: a copy of the 'spanish' configuration whose words go
-- through unaccent and then the same Snowball stemmer. Both keep stop
-- words: in a help desk "no" matters ("no funciona"). The two engines
-- give the same stems (the same Snowball algorithm), so they find the
-- same tickets. The index is rebuilt from the tickets, messages and
-- attachment names it is derived from.

@SQLITE@
-- The FTS5 table keeps its text: it moves to a table with the new
-- tokenizer as it is (same doc ids), and the triggers of 0010 keep
-- writing to it by name.
CREATE TEMP TABLE search_fts_text AS SELECT rowid AS doc, body FROM search_fts;
DROP TABLE search_fts;
CREATE VIRTUAL TABLE search_fts USING fts5(body, tokenize = 'soporte_es');
INSERT INTO search_fts (rowid, body) SELECT doc, body FROM search_fts_text;
DROP TABLE search_fts_text;
@END@

@POSTGRESQL@
-- unaccent is a trusted extension (PostgreSQL 13+): the desk's database
-- owner may create it without being a superuser.
CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE TEXT SEARCH DICTIONARY soporte_es_stem (
  TEMPLATE = snowball, LANGUAGE = spanish);
CREATE TEXT SEARCH CONFIGURATION soporte_es (COPY = spanish);
ALTER TEXT SEARCH CONFIGURATION soporte_es
  ALTER MAPPING FOR asciiword, asciihword, hword_asciipart, word, hword,
                    hword_part
  WITH unaccent, soporte_es_stem;

CREATE OR REPLACE FUNCTION soporte_words(t TEXT) RETURNS tsvector
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $w$
  SELECT strip(to_tsvector('soporte_es', t))
$w$;

UPDATE search_docs s SET words = soporte_words(t.subject)
  FROM tickets t WHERE s.doc = t.id << 32;
UPDATE search_docs s
  SET words = soporte_words(COALESCE(m.subject, '') || ' ' || m.body_text)
  FROM messages m
  WHERE s.ticket_id = m.ticket_id AND s.doc & 3 IN (1, 3) AND
        s.doc = (m.ticket_id << 32) | ((m.id & 1073741823) << 2) | (s.doc & 3);
UPDATE search_docs s SET words = soporte_words(a.filename)
  FROM attachments a JOIN messages m ON m.id = a.message_id
  WHERE s.ticket_id = m.ticket_id AND s.doc & 3 = 2 AND
        s.doc = (m.ticket_id << 32) | ((a.id & 1073741823) << 2) | 2;
ANALYZE search_docs;
@END@
