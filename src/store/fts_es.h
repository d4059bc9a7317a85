/*
 * fts_es.h - the "soporte_es" FTS5 tokenizer: Spanish words, folded and
 * stemmed, for SQLite's full-text index.
 *
 * unicode61 splits the text into words, lowercases them and removes the
 * diacritics (remove_diacritics 2); each word is then reduced to its
 * stem with Snowball's Spanish stemmer (libstemmer), so "impresoras",
 * "impresora" and "Impresóra" are one term, as are "imprime" and
 * "imprimir". PostgreSQL does the same with unaccent followed by the
 * Spanish Snowball stemmer (migration 0090), so both engines find the
 * same tickets. Stop words are kept: in a help desk "no" matters
 * ("no funciona").
 *
 * Queries go through the same tokenizer, prefix terms included: the
 * search "impresoras*" looks for words that start with the stem
 * "impresor", as PostgreSQL's "impresoras:*" does.
 */
#ifndef SOPORTE_STORE_FTS_ES_H
#define SOPORTE_STORE_FTS_ES_H

#include <sqlite3.h>

/* Registers the tokenizer on one connection, and two SQL functions:
 * soporte_term(text), the first term the tokenizer makes of text, as the
 * index holds it ("Facturaciones" -> "factur"), or NULL when it has no
 * word; soporte_terms(text), all of them as a JSON array
 * ('["factur","caid"]', '[]' when none). Returns an SQLite code. */
int fts_es_register(sqlite3 *db);

#endif
