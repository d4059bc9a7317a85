/*
 * search_sql.h - inside the ticket room only: the full-text parts of the
 * ticket list (search.c) and the query builder they add to
 * (ticket_query.c).
 */
#ifndef SOPORTE_APP_TICKET_SEARCH_SQL_H
#define SOPORTE_APP_TICKET_SEARCH_SQL_H

#include "store/store.h"
#include "util/buf.h"

#include <stdint.h>

#define SQL_QUERY_MAX_PARAMS 24

/* A query built from fixed fragments and bound values. */
struct sql_query {
	struct buf sql;
	struct store_param p[SQL_QUERY_MAX_PARAMS];
	int np;
	int overflow;
};

/* Appends frag; each '?' in it takes the next of the n values. */
void sql_add(struct sql_query *q, const char *frag, int n, ...);

/* Which documents a client may find: not internal notes, nor files
 * attached to them (a doc's kind is its two low bits; see 0010_api.sql:
 * doc = ticket_id << 32 | (source id & 0x3FFFFFFF) << 2 | kind). An
 * attachment whose id does not fit 30 bits is not found here, so it stays
 * hidden: the safe way to be wrong. */
#define SQ_VISIBLE                                                           \
	"(? = 1 OR search_fts.rowid & 3 IN (0, 1) OR (search_fts.rowid & 3 = " \
	"2 AND (SELECT m.kind FROM attachments a JOIN messages m ON "          \
	"m.id = a.message_id WHERE "                                           \
	"a.id = (search_fts.rowid >> 2) & 1073741823 AND "                     \
	"m.ticket_id = search_fts.rowid >> 32) <> 'note'))"

/* A set of ticket ids, one bit each. */
struct tset {
	unsigned char *bits;
	int64_t n;                /* ids 0 .. n-1 fit */
};

static inline int
tset_has(const struct tset *s, int64_t id)
{
	return id >= 0 && id < s->n && (s->bits[id / 8] >> (id % 8)) & 1;
}

/* SQLite: one ticket's visible documents that match ? (see
 * search_client_few()). */
#define SQ_PROBE                                                              \
	"SELECT 1 FROM search_fts WHERE search_fts MATCH ? AND "               \
	"search_fts.rowid BETWEEN t.id << 32 AND (t.id << 32) | 4294967295 "   \
	"AND " SQ_VISIBLE

/* SQLite: the FTS5 query for what a person typed into out (each word
 * the OR of the terms its stem begins, or a prefix). */
enum store_rc search_fts_query(struct store *db, const char *text,
                               struct buf *out);
/* SQLite, by deadline: the clause for query on q, or (many matches) the
 * set of matching tickets in *set. */
enum store_rc search_add_text_sqlite(struct store *db, struct sql_query *q,
                                     const char *query, int internal,
                                     struct tset *set);
/* SQLite, newest first: *few when the client has at most
 * SEARCH_CLIENT_FEW tickets below id before (probe them one by one). */
enum store_rc search_client_few(struct store *db, int64_t client_id,
                                int64_t before, int *few);
/* PostgreSQL: the clause for query on q, walking or collecting. */
enum store_rc search_add_text_pg(struct store *db, struct sql_query *q,
                                 const char *query, int internal);

#endif
