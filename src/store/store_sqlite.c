/*
 * store_sqlite.c - the SQLite engine (the embedded default).
 *
 * URL: sqlite:PATH[?busy_timeout=MS] (PATH relative to the working
 * directory, or absolute; the busy timeout defaults to 10 s).
 * The database runs in WAL mode with foreign keys on, synchronous=FULL (a
 * commit is on disk before we say so: the mail gate relies on it) and a
 * busy timeout; a write lock still held after the timeout is STORE_BUSY.
 * Statements are prepared once and kept in a small cache keyed by the SQL
 * text; our placeholders are $1, $2, ... (SQLite treats "$1" as a named
 * parameter, so they are bound by name, whatever their order in the SQL).
 * Text and blobs are copied when bound (SQLITE_TRANSIENT), as libpq copies
 * them: a caller's buffer need not outlive store_query(), only the call.
 */
#include "store/store_engine.h"
#include "store/fts_es.h"
#include "store/sqlite_setup.h"

#include <fcntl.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CACHE_SLOTS 128

struct sq_cached {
	char *sql;             /* owned copy, the key */
	sqlite3_stmt *stmt;
	int in_use;
};

struct sq_store {
	struct store base;
	sqlite3 *db;
	struct sq_cached cache[CACHE_SLOTS];
	int ncache;
	int reading;           /* in store_read_begin()'s transaction */
};

struct sq_rows {
	struct store_rows base;
	sqlite3_stmt *stmt;
	struct sq_cached *slot;  /* NULL when the statement is not cached */
	int started;
};

static enum store_rc
sq_rc(struct sq_store *s, int rc, const char *what)
{
	int prim = rc & 0xff;
	if (prim == SQLITE_BUSY || prim == SQLITE_LOCKED)
		return store_fail(&s->base, STORE_BUSY, "%s: database is busy", what);
	if (prim == SQLITE_CONSTRAINT)
		return store_fail(&s->base, STORE_CONSTRAINT, "%s: %s", what,
		                  sqlite3_errmsg(s->db));
	return store_fail(&s->base, STORE_ERROR, "%s: %s", what,
	                  sqlite3_errmsg(s->db));
}

/* SQLite counts every allocation it makes under one process-wide mutex
 * (for sqlite3_memory_used(), which nothing here reads): the server's
 * worker threads queued on it several times a request. Its documentation
 * recommends turning the count off; it can only be done before SQLite
 * starts (if something started it first, the call fails and nothing
 * changes). */
static pthread_once_t sq_config_once = PTHREAD_ONCE_INIT;

static void
sq_config(void)
{
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

static enum store_rc
sq_open(const char *url, struct store **out, char *err, size_t errlen)
{
	char path[4096];
	int busy_ms;
	pthread_once(&sq_config_once, sq_config);
	if (sqlite_setup_url(url, path, sizeof path, &busy_ms, err, errlen) != 0)
		return STORE_ERROR;
	struct sq_store *s = calloc(1, sizeof *s);
	if (s == NULL) {
		snprintf(err, errlen, "out of memory");
		return STORE_ERROR;
	}
	s->base.ops = &store_sqlite_ops;
	/* A new database file is the desk's alone (mode 0600): SQLite gives
	 * its -wal and -shm files the database file's mode. An existing file
	 * keeps the mode its owner gave it. */
	if (path[0] != ':') {
		int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
		if (fd >= 0)
			close(fd);
	}
	int rc = sqlite3_open_v2(path, &s->db,
	                         SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
	                             SQLITE_OPEN_NOMUTEX,
	                         NULL);
	if (rc != SQLITE_OK) {
		snprintf(err, errlen, "cannot open %s: %s", path,
		         s->db ? sqlite3_errmsg(s->db) : sqlite3_errstr(rc));
		sqlite3_close(s->db);
		free(s);
		return STORE_ERROR;
	}
	char *msg = NULL;
	rc = sqlite_setup_conn(s->db, busy_ms, &msg);
	/* A page cache of up to 32 MiB instead of SQLite's 2 MiB: the
	 * server keeps its connections, and one ticket's row, its number's
	 * index entry and the tables it joins were read from the file
	 * (a pread each) whenever a 2 MiB cache had let them go: ~1.3 reads
	 * per GET of one ticket on a desk of 100,000 (12 MiB of tickets).
	 * The cache fills only as pages are read, and SQLite empties it
	 * when another connection writes. */
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(s->db, "PRAGMA cache_size=-32768", NULL, NULL,
		                  &msg);
	/* Every connection of the full program may write messages, and the
	 * search index's triggers tokenize them: the tokenizer must be there
	 * before any. (The mail gate's front writes raw mail only.) */
	if (rc == SQLITE_OK && (rc = fts_es_register(s->db)) != SQLITE_OK)
		msg = sqlite3_mprintf("the Spanish search tokenizer: %s",
		                      sqlite3_errstr(rc));
	if (rc != SQLITE_OK) {
		int prim = rc & 0xff;
		snprintf(err, errlen, "cannot set up %s: %s", path,
		         msg ? msg : sqlite3_errstr(rc));
		sqlite3_free(msg);
		sqlite3_close(s->db);
		free(s);
		return prim == SQLITE_BUSY ? STORE_BUSY : STORE_ERROR;
	}
	*out = &s->base;
	return STORE_OK;
}

static void
sq_close(struct store *db)
{
	struct sq_store *s = (struct sq_store *)db;
	for (int i = 0; i < s->ncache; i++) {
		sqlite3_finalize(s->cache[i].stmt);
		free(s->cache[i].sql);
	}
	sqlite3_close(s->db);
	free(s);
}

/* Returns a prepared statement for sql: a free cached one, a newly cached
 * one, or (when the cached one is in use by an open cursor) a private one
 * that sq_done() finalizes. */
static enum store_rc
sq_prepare(struct sq_store *s, const char *sql, sqlite3_stmt **stmt,
           struct sq_cached **slot)
{
	*slot = NULL;
	for (int i = 0; i < s->ncache; i++) {
		if (strcmp(s->cache[i].sql, sql) == 0) {
			if (s->cache[i].in_use)
				break;
			s->cache[i].in_use = 1;
			*slot = &s->cache[i];
			*stmt = s->cache[i].stmt;
			return STORE_OK;
		}
	}
	int rc = sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT,
	                            stmt, NULL);
	if (rc != SQLITE_OK)
		return sq_rc(s, rc, "prepare");
	if (s->ncache < CACHE_SLOTS) {
		int in_cache = 0;
		for (int i = 0; i < s->ncache; i++)
			if (strcmp(s->cache[i].sql, sql) == 0)
				in_cache = 1;
		char *copy = in_cache ? NULL : strdup(sql);
		if (copy) {
			struct sq_cached *c = &s->cache[s->ncache++];
			c->sql = copy;
			c->stmt = *stmt;
			c->in_use = 1;
			*slot = c;
		}
	}
	return STORE_OK;
}

static enum store_rc
sq_bind(struct sq_store *s, sqlite3_stmt *stmt, const struct store_param *p,
        int np)
{
	int want = sqlite3_bind_parameter_count(stmt);
	for (int k = 1; k <= want; k++) {
		const char *name = sqlite3_bind_parameter_name(stmt, k);
		int n = name && name[0] == '$' ? atoi(name + 1) : 0;
		if (n < 1 || n > np)
			return store_fail(&s->base, STORE_ERROR,
			                  "parameter %s has no value (%d given)",
			                  name ? name : "?", np);
		const struct store_param *q = &p[n - 1];
		int rc = SQLITE_OK;
		switch (q->type) {
		case SP_NULL_T:
			rc = sqlite3_bind_null(stmt, k);
			break;
		case SP_INT_T:
			rc = sqlite3_bind_int64(stmt, k, q->i);
			break;
		case SP_TEXT_T:
			rc = sqlite3_bind_text(stmt, k, q->p, -1, SQLITE_TRANSIENT);
			break;
		case SP_BLOB_T:
			rc = sqlite3_bind_blob64(stmt, k, q->p ? q->p : "",
			                         (sqlite3_uint64)q->n, SQLITE_TRANSIENT);
			break;
		}
		if (rc != SQLITE_OK)
			return sq_rc(s, rc, "bind");
	}
	return STORE_OK;
}

static void
sq_release(sqlite3_stmt *stmt, struct sq_cached *slot)
{
	sqlite3_reset(stmt);
	sqlite3_clear_bindings(stmt);
	if (slot)
		slot->in_use = 0;
	else
		sqlite3_finalize(stmt);
}

/* Runs one statement without parameters or rows (BEGIN, COMMIT), prepared
 * once like the others. */
static enum store_rc
sq_simple(struct sq_store *s, const char *sql)
{
	sqlite3_stmt *stmt;
	struct sq_cached *slot;
	enum store_rc rc = sq_prepare(s, sql, &stmt, &slot);
	if (rc != STORE_OK)
		return rc;
	int src = sqlite3_step(stmt);
	rc = src == SQLITE_DONE ? STORE_OK : sq_rc(s, src, sql);
	sq_release(stmt, slot);
	return rc;
}

/* Ends store_read_begin()'s transaction, if it is still open. It has read
 * only, so its COMMIT gives nothing up. */
static void
sq_read_stop(struct sq_store *s)
{
	if (!s->reading)
		return;
	s->reading = 0;
	if (!sqlite3_get_autocommit(s->db) && sq_simple(s, "COMMIT") != STORE_OK)
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
}

static void
sq_read_begin(struct store *db)
{
	struct sq_store *s = (struct sq_store *)db;
	if (sqlite3_get_autocommit(s->db))   /* not inside one already */
		s->reading = sq_simple(s, "BEGIN") == STORE_OK;
}

static void
sq_read_end(struct store *db)
{
	sq_read_stop((struct sq_store *)db);
}

static enum store_rc
sq_begin(struct store *db, int exclusive)
{
	struct sq_store *s = (struct sq_store *)db;
	sq_read_stop(s);
	return sq_simple(s, exclusive ? "BEGIN IMMEDIATE" : "BEGIN");
}

static enum store_rc
sq_commit(struct store *db)
{
	struct sq_store *s = (struct sq_store *)db;
	return sq_simple(s, "COMMIT");
}

static void
sq_rollback(struct store *db)
{
	struct sq_store *s = (struct sq_store *)db;
	s->reading = 0;
	if (!sqlite3_get_autocommit(s->db))
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
}

static enum store_rc
sq_query(struct store *db, const char *sql, const struct store_param *p,
         int np, struct store_rows **out)
{
	struct sq_store *s = (struct sq_store *)db;
	struct sq_rows *r = calloc(1, sizeof *r);
	if (r == NULL)
		return store_fail(db, STORE_ERROR, "out of memory");
	r->base.db = db;
	enum store_rc rc = sq_prepare(s, sql, &r->stmt, &r->slot);
	if (rc != STORE_OK) {
		free(r);
		return rc;
	}
	/* A write runs in its own transaction, never in the reads'. */
	if (s->reading && !sqlite3_stmt_readonly(r->stmt))
		sq_read_stop(s);
	rc = sq_bind(s, r->stmt, p, np);
	if (rc != STORE_OK) {
		sq_release(r->stmt, r->slot);
		free(r);
		return rc;
	}
	*out = &r->base;
	return STORE_OK;
}

static enum store_rc
sq_next(struct store_rows *base)
{
	struct sq_rows *r = (struct sq_rows *)base;
	struct sq_store *s = (struct sq_store *)base->db;
	int rc = sqlite3_step(r->stmt);
	if (rc == SQLITE_ROW)
		return STORE_ROW;
	if (rc == SQLITE_DONE)
		return STORE_DONE;
	return sq_rc(s, rc, "query");
}

static int
sq_isnull(struct store_rows *base, int col)
{
	struct sq_rows *r = (struct sq_rows *)base;
	return sqlite3_column_type(r->stmt, col) == SQLITE_NULL;
}

static int64_t
sq_int(struct store_rows *base, int col)
{
	return sqlite3_column_int64(((struct sq_rows *)base)->stmt, col);
}

static const char *
sq_text(struct store_rows *base, int col)
{
	return (const char *)sqlite3_column_text(((struct sq_rows *)base)->stmt,
	                                         col);
}

static const void *
sq_blob(struct store_rows *base, int col, size_t *len)
{
	struct sq_rows *r = (struct sq_rows *)base;
	const void *p = sqlite3_column_blob(r->stmt, col);
	*len = (size_t)sqlite3_column_bytes(r->stmt, col);
	return p;
}

static void
sq_done(struct store_rows *base)
{
	struct sq_rows *r = (struct sq_rows *)base;
	sq_release(r->stmt, r->slot);
	free(r);
}

static enum store_rc
sq_script(struct store *db, const char *sql)
{
	struct sq_store *s = (struct sq_store *)db;
	char *msg = NULL;
	sq_read_stop(s);
	int rc = sqlite3_exec(s->db, sql, NULL, NULL, &msg);
	if (rc == SQLITE_OK)
		return STORE_OK;
	enum store_rc out = sq_rc(s, rc, "script");
	if (msg)
		store_fail(db, out, "script: %s", msg);
	sqlite3_free(msg);
	return out;
}

sqlite3 *
store_sqlite_conn(struct store *db)
{
	if (db->ops != &store_sqlite_ops)
		return NULL;
	struct sq_store *s = (struct sq_store *)db;
	sq_read_stop(s);
	return s->db;
}

const struct store_ops store_sqlite_ops = {
	.name = "sqlite",
	.engine = STORE_SQLITE,
	.id_type = "INTEGER PRIMARY KEY",
	.blob_type = "BLOB",
	.open = sq_open,
	.close = sq_close,
	.begin = sq_begin,
	.commit = sq_commit,
	.rollback = sq_rollback,
	.read_begin = sq_read_begin,
	.read_end = sq_read_end,
	.query = sq_query,
	.next = sq_next,
	.isnull = sq_isnull,
	.col_int = sq_int,
	.col_text = sq_text,
	.col_blob = sq_blob,
	.done = sq_done,
	.script = sq_script,
};
