/*
 * store_pg.c - the PostgreSQL engine (libpq).
 *
 * URL: postgresql://user:pass@host:port/dbname?options (libpq's own URI
 * syntax, passed through). Statements are prepared once per connection
 * (named s1, s2, ...) and cached by their SQL text; parameters travel as
 * text, blobs as binary bytea. A lost connection, a serialization failure
 * or a deadlock is STORE_BUSY (retry); integrity violations (SQLSTATE
 * class 23) are STORE_CONSTRAINT.
 *
 * store_begin(db, 1) also takes a transaction-scoped advisory lock, so
 * "exclusive" transactions are serialized across servers as SQLite's
 * BEGIN IMMEDIATE serializes them across processes.
 */
#include "store/store_engine.h"

#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CACHE_SLOTS 256
#define MAX_PARAMS 64
#define BYTEA_OID 17
#define EXCLUSIVE_LOCK_KEY 73011001

struct pg_cached {
	char *sql;
	char name[16];
};

struct pg_store {
	struct store base;
	PGconn *conn;
	struct pg_cached cache[CACHE_SLOTS];
	int ncache;
	int nprepared;   /* names handed out, including uncached ones */
};

struct pg_rows {
	struct store_rows base;
	PGresult *res;
	int row;         /* current row, -1 before the first store_next() */
	int nrows;
	unsigned char **blobs; /* decoded bytea per column of the current row,
	                          freed by the next store_next() */
	size_t *blob_lens;
	int nfields;
};

static void
free_blobs(struct pg_rows *r)
{
	for (int i = 0; r->blobs && i < r->nfields; i++) {
		PQfreemem(r->blobs[i]);
		r->blobs[i] = NULL;
	}
}

/* Maps a failed result (or a failed connection when res is NULL). */
static enum store_rc
pg_rc(struct pg_store *s, PGresult *res, const char *what)
{
	const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	const char *msg = res ? PQresultErrorMessage(res) : PQerrorMessage(s->conn);
	enum store_rc rc = STORE_ERROR;
	if (PQstatus(s->conn) != CONNECTION_OK)
		rc = STORE_BUSY;
	else if (state && strncmp(state, "23", 2) == 0)
		rc = STORE_CONSTRAINT;
	else if (state && (strcmp(state, "40001") == 0 ||
	                   strcmp(state, "40P01") == 0 ||
	                   strcmp(state, "55P03") == 0 ||
	                   strncmp(state, "08", 2) == 0 ||
	                   strncmp(state, "57P", 3) == 0 ||
	                   strcmp(state, "53300") == 0))
		rc = STORE_BUSY;
	return store_fail(&s->base, rc, "%s: %s", what, msg ? msg : "?");
}

static enum store_rc
pg_open(const char *url, struct store **out, char *err, size_t errlen)
{
	struct pg_store *s = calloc(1, sizeof *s);
	if (s == NULL) {
		snprintf(err, errlen, "out of memory");
		return STORE_ERROR;
	}
	s->base.ops = &store_pg_ops;
	s->conn = PQconnectdb(url);
	if (PQstatus(s->conn) != CONNECTION_OK) {
		snprintf(err, errlen, "cannot connect to PostgreSQL: %s",
		         PQerrorMessage(s->conn));
		for (char *c = err; *c; c++)
			if (*c == '\n')
				*c = ' ';
		PQfinish(s->conn);
		free(s);
		/* Unreachable or refusing now: the caller may retry later. */
		return STORE_BUSY;
	}
	PGresult *res = PQexec(s->conn,
	                       "SET client_min_messages = warning;"
	                       "SET TIME ZONE 'UTC'");
	PQclear(res);
	*out = &s->base;
	return STORE_OK;
}

static void
pg_close(struct store *db)
{
	struct pg_store *s = (struct pg_store *)db;
	for (int i = 0; i < s->ncache; i++)
		free(s->cache[i].sql);
	PQfinish(s->conn);
	free(s);
}

static enum store_rc
pg_simple(struct pg_store *s, const char *sql)
{
	PGresult *res = PQexec(s->conn, sql);
	ExecStatusType st = PQresultStatus(res);
	enum store_rc rc = STORE_OK;
	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK)
		rc = pg_rc(s, res, sql);
	PQclear(res);
	return rc;
}

static enum store_rc
pg_begin(struct store *db, int exclusive)
{
	struct pg_store *s = (struct pg_store *)db;
	enum store_rc rc = pg_simple(s, "BEGIN");
	if (rc == STORE_OK && exclusive) {
		char sql[64];
		snprintf(sql, sizeof sql, "SELECT pg_advisory_xact_lock(%d)",
		         EXCLUSIVE_LOCK_KEY);
		rc = pg_simple(s, sql);
		if (rc != STORE_OK)
			PQclear(PQexec(s->conn, "ROLLBACK"));
	}
	return rc;
}

static enum store_rc
pg_commit(struct store *db)
{
	return pg_simple((struct pg_store *)db, "COMMIT");
}

static void
pg_rollback(struct store *db)
{
	struct pg_store *s = (struct pg_store *)db;
	if (PQtransactionStatus(s->conn) != PQTRANS_IDLE)
		PQclear(PQexec(s->conn, "ROLLBACK"));
}

/* Returns the name of the prepared statement for sql, preparing it on
 * first use. */
static enum store_rc
pg_prepare(struct pg_store *s, const char *sql, int np,
           const struct store_param *p, const char **name)
{
	for (int i = 0; i < s->ncache; i++) {
		if (strcmp(s->cache[i].sql, sql) == 0) {
			*name = s->cache[i].name;
			return STORE_OK;
		}
	}
	if (s->ncache >= CACHE_SLOTS) {
		*name = "";   /* the unnamed statement, replaced on each use */
	} else {
		struct pg_cached *c = &s->cache[s->ncache];
		snprintf(c->name, sizeof c->name, "s%d", ++s->nprepared);
		*name = c->name;
	}
	Oid types[MAX_PARAMS];
	for (int i = 0; i < np; i++)
		types[i] = p[i].type == SP_BLOB_T ? BYTEA_OID : 0;
	PGresult *res = PQprepare(s->conn, *name, sql, np, types);
	enum store_rc rc = STORE_OK;
	if (PQresultStatus(res) != PGRES_COMMAND_OK)
		rc = pg_rc(s, res, "prepare");
	PQclear(res);
	if (rc == STORE_OK && **name) {
		s->cache[s->ncache].sql = strdup(sql);
		if (s->cache[s->ncache].sql)
			s->ncache++;
	}
	return rc;
}

static enum store_rc
pg_query(struct store *db, const char *sql, const struct store_param *p,
         int np, struct store_rows **out)
{
	struct pg_store *s = (struct pg_store *)db;
	if (np > MAX_PARAMS)
		return store_fail(db, STORE_ERROR, "too many parameters (%d)", np);
	if (PQstatus(s->conn) != CONNECTION_OK) {
		PQreset(s->conn);
		if (PQstatus(s->conn) != CONNECTION_OK)
			return pg_rc(s, NULL, "connect");
		s->ncache = 0;   /* prepared statements died with the session */
	}
	const char *name;
	enum store_rc rc = pg_prepare(s, sql, np, p, &name);
	if (rc != STORE_OK)
		return rc;

	const char *values[MAX_PARAMS];
	int lengths[MAX_PARAMS], formats[MAX_PARAMS];
	char nums[MAX_PARAMS][24];
	for (int i = 0; i < np; i++) {
		lengths[i] = 0;
		formats[i] = 0;
		switch (p[i].type) {
		case SP_NULL_T:
			values[i] = NULL;
			break;
		case SP_INT_T:
			snprintf(nums[i], sizeof nums[i], "%lld", (long long)p[i].i);
			values[i] = nums[i];
			break;
		case SP_TEXT_T:
			values[i] = p[i].p;
			break;
		case SP_BLOB_T:
			values[i] = p[i].p ? p[i].p : "";
			lengths[i] = (int)p[i].n;
			formats[i] = 1;
			break;
		}
	}
	PGresult *res = PQexecPrepared(s->conn, name, np, values, lengths,
	                               formats, 0);
	ExecStatusType st = PQresultStatus(res);
	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
		rc = pg_rc(s, res, "query");
		PQclear(res);
		return rc;
	}
	struct pg_rows *r = calloc(1, sizeof *r);
	if (r == NULL) {
		PQclear(res);
		return store_fail(db, STORE_ERROR, "out of memory");
	}
	r->base.db = db;
	r->res = res;
	r->row = -1;
	r->nrows = PQntuples(res);
	r->nfields = PQnfields(res);
	size_t nf = (size_t)(r->nfields > 0 ? r->nfields : 1);
	r->blobs = calloc(nf, sizeof *r->blobs);
	r->blob_lens = calloc(nf, sizeof *r->blob_lens);
	if (r->blobs == NULL || r->blob_lens == NULL) {
		PQclear(res);
		free(r->blobs);
		free(r->blob_lens);
		free(r);
		return store_fail(db, STORE_ERROR, "out of memory");
	}
	*out = &r->base;
	return STORE_OK;
}

static enum store_rc
pg_next(struct store_rows *base)
{
	struct pg_rows *r = (struct pg_rows *)base;
	free_blobs(r);
	if (r->row + 1 >= r->nrows) {
		r->row = r->nrows;
		return STORE_DONE;
	}
	r->row++;
	return STORE_ROW;
}

static int
pg_isnull(struct store_rows *base, int col)
{
	struct pg_rows *r = (struct pg_rows *)base;
	return PQgetisnull(r->res, r->row, col);
}

static int64_t
pg_int(struct store_rows *base, int col)
{
	struct pg_rows *r = (struct pg_rows *)base;
	const char *v = PQgetvalue(r->res, r->row, col);
	if (v[0] == 't' && v[1] == '\0')
		return 1;   /* booleans from expressions */
	return strtoll(v, NULL, 10);
}

static const char *
pg_text(struct store_rows *base, int col)
{
	struct pg_rows *r = (struct pg_rows *)base;
	return PQgetvalue(r->res, r->row, col);
}

static const void *
pg_blob(struct store_rows *base, int col, size_t *len)
{
	struct pg_rows *r = (struct pg_rows *)base;
	*len = 0;
	if (col < 0 || col >= r->nfields)
		return NULL;
	if (r->blobs[col] == NULL)
		r->blobs[col] = PQunescapeBytea(
		    (const unsigned char *)PQgetvalue(r->res, r->row, col),
		    &r->blob_lens[col]);
	*len = r->blobs[col] ? r->blob_lens[col] : 0;
	return r->blobs[col];
}

static void
pg_done(struct store_rows *base)
{
	struct pg_rows *r = (struct pg_rows *)base;
	free_blobs(r);
	free(r->blobs);
	free(r->blob_lens);
	PQclear(r->res);
	free(r);
}

static enum store_rc
pg_script(struct store *db, const char *sql)
{
	return pg_simple((struct pg_store *)db, sql);
}

const struct store_ops store_pg_ops = {
	.name = "postgresql",
	.engine = STORE_POSTGRESQL,
	.id_type = "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY",
	.blob_type = "BYTEA",
	.open = pg_open,
	.close = pg_close,
	.begin = pg_begin,
	.commit = pg_commit,
	.rollback = pg_rollback,
	.query = pg_query,
	.next = pg_next,
	.isnull = pg_isnull,
	.col_int = pg_int,
	.col_text = pg_text,
	.col_blob = pg_blob,
	.done = pg_done,
	.script = pg_script,
};
