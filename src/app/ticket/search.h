/*
 * search.h - turning what a person typed into a full-text query.
 *
 * The text is cut into words (letters and digits; everything else
 * separates), each folded (lowercase, Spanish accents removed, as the
 * index folds them) and matched as a prefix; all words must match. The
 * result is bound as one parameter, so no user text becomes query syntax
 * of either engine:
 *   SQLite FTS5:  "facturacion"* "error"*
 *   PostgreSQL:   facturacion:* & error:*
 *
 * SECURITY: q is untrusted (valid UTF-8 checked by the caller); output is
 * bounded by outlen and only ever holds folded word characters plus the
 * fixed syntax above.
 */
#ifndef SOPORTE_APP_SEARCH_H
#define SOPORTE_APP_SEARCH_H

#include "store/store.h"

#include <stddef.h>

#define SEARCH_MAX_WORDS 8
#define SEARCH_QUERY_MAX 512

/* Cuts q into its folded words, at most SEARCH_MAX_WORDS: words[i]
 * point into buf (the folded text, cut). Returns how many, or -1 when
 * the folded text does not fit buflen. */
int search_words(const char *q, char *buf, size_t buflen,
                 const char *words[SEARCH_MAX_WORDS]);
/* Writes the query for engine into out. Returns the number of words (0:
 * nothing to search for), or -1 when the text is too long for out. */
int search_query(enum store_engine engine, const char *q, char *out,
                 size_t outlen);
/* Folds UTF-8 text: ASCII lowercased, accented Latin letters to their
 * base letter, any other character kept. Returns 0, or -1 when out is
 * too small. */
int search_fold(const char *in, char *out, size_t outlen);

/* A search that is a ticket number ("240", "#000240", "#240"): 1 and
 * *number, else 0. */
int search_ticket_number(const char *q, int64_t *number);

#define SEARCH_CLIENTS_MAX 16
/* The clients a search names (issue 19): every word of q (at least one of
 * three letters or more) begins a word of the client's name or domain,
 * accents and case aside ("andinas", "santa rosa", "huallaga.example").
 * Up to max ids into ids, *n how many. */
enum store_rc search_clients(struct store *db, const char *q, int64_t *ids,
                             int max, int *n);

#endif
