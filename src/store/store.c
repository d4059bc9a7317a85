/*
 * store.c - picks the engine from the database URL and forwards calls.
 */
#include "store/store_engine.h"
#include "util/buf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum store_rc
store_fail(struct store *db, enum store_rc rc, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(db->err, sizeof db->err, fmt, ap);
	va_end(ap);
	/* One line: engines' messages may hold newlines. */
	for (char *c = db->err; *c; c++)
		if (*c == '\n' || *c == '\r')
			*c = ' ';
	return rc;
}

enum store_rc
store_open(const char *url, struct store **out, char *err, size_t errlen)
{
	const struct store_ops *ops = NULL;
	*out = NULL;
	if (strncmp(url, "sqlite:", 7) == 0)
		ops = &store_sqlite_ops;
	else if (strncmp(url, "postgresql://", 13) == 0 ||
	         strncmp(url, "postgres://", 11) == 0)
		ops = &store_pg_ops;
	if (ops == NULL) {
		snprintf(err, errlen,
		         "database URL '%s' is neither sqlite:PATH nor postgresql://...",
		         url);
		return STORE_ERROR;
	}
	return ops->open(url, out, err, errlen);
}

void
store_close(struct store *db)
{
	if (db)
		db->ops->close(db);
}

enum store_engine
store_engine(const struct store *db)
{
	return db->ops->engine;
}

const char *
store_engine_name(const struct store *db)
{
	return db->ops->name;
}

const char *
store_errmsg(const struct store *db)
{
	return db->err;
}

enum store_rc
store_begin(struct store *db, int exclusive)
{
	return db->ops->begin(db, exclusive);
}

enum store_rc
store_commit(struct store *db)
{
	return db->ops->commit(db);
}

void
store_rollback(struct store *db)
{
	db->ops->rollback(db);
}

void
store_read_begin(struct store *db)
{
	if (db->ops->read_begin)
		db->ops->read_begin(db);
}

void
store_read_end(struct store *db)
{
	if (db->ops->read_end)
		db->ops->read_end(db);
}

enum store_rc
store_query(struct store *db, const char *sql, const struct store_param *p,
            int np, struct store_rows **out)
{
	return db->ops->query(db, sql, p, np, out);
}

enum store_rc
store_next(struct store_rows *r)
{
	return r->db->ops->next(r);
}

int
store_isnull(struct store_rows *r, int col)
{
	return r->db->ops->isnull(r, col);
}

int64_t
store_int(struct store_rows *r, int col)
{
	return r->db->ops->col_int(r, col);
}

const char *
store_text(struct store_rows *r, int col)
{
	const char *s = r->db->ops->col_text(r, col);
	return s ? s : "";
}

const void *
store_blob(struct store_rows *r, int col, size_t *len)
{
	return r->db->ops->col_blob(r, col, len);
}

void
store_done(struct store_rows *r)
{
	if (r)
		r->db->ops->done(r);
}

enum store_rc
store_exec(struct store *db, const char *sql, const struct store_param *p,
           int np)
{
	struct store_rows *r;
	enum store_rc rc = store_query(db, sql, p, np, &r);
	if (rc != STORE_OK)
		return rc;
	while ((rc = store_next(r)) == STORE_ROW)
		;
	store_done(r);
	return rc == STORE_DONE ? STORE_OK : rc;
}

enum store_rc
store_query_row(struct store *db, const char *sql, const struct store_param *p,
                int np, struct store_rows **out)
{
	struct store_rows *r;
	*out = NULL;
	enum store_rc rc = store_query(db, sql, p, np, &r);
	if (rc != STORE_OK)
		return rc;
	rc = store_next(r);
	if (rc == STORE_ROW) {
		*out = r;
		return STORE_OK;
	}
	store_done(r);
	return rc == STORE_DONE ? STORE_NOTFOUND : rc;
}

enum store_rc
store_get_int(struct store *db, const char *sql, const struct store_param *p,
              int np, int64_t *out)
{
	struct store_rows *r;
	enum store_rc rc = store_query_row(db, sql, p, np, &r);
	if (rc != STORE_OK)
		return rc;
	*out = store_int(r, 0);
	/* Drain so that write statements with RETURNING complete. */
	while (store_next(r) == STORE_ROW)
		;
	store_done(r);
	return STORE_OK;
}

enum store_rc
store_get_text(struct store *db, const char *sql, const struct store_param *p,
               int np, char **out)
{
	struct store_rows *r;
	*out = NULL;
	enum store_rc rc = store_query_row(db, sql, p, np, &r);
	if (rc != STORE_OK)
		return rc;
	*out = strdup(store_text(r, 0));
	rc = *out ? STORE_OK : store_fail(db, STORE_ERROR, "out of memory");
	while (store_next(r) == STORE_ROW)
		;
	store_done(r);
	return rc;
}

/* Expands @ID@ and @BLOB@ for the engine, and keeps the text between
 * "@SQLITE@" (or "@POSTGRESQL@") and "@END@" only on that engine (for
 * what has no common spelling: full-text indexes); returns a malloc'd
 * string. */
static char *
expand_macros(const struct store_ops *ops, const char *sql)
{
	struct buf b = BUF_INIT(0);
	const char *s = sql;
	int skip = 0;
	while (*s) {
		if (strncmp(s, "@SQLITE@", 8) == 0) {
			skip = ops->engine != STORE_SQLITE;
			s += 8;
		} else if (strncmp(s, "@POSTGRESQL@", 12) == 0) {
			skip = ops->engine != STORE_POSTGRESQL;
			s += 12;
		} else if (strncmp(s, "@END@", 5) == 0) {
			skip = 0;
			s += 5;
		} else if (skip) {
			s++;
		} else if (strncmp(s, "@ID@", 4) == 0) {
			buf_puts(&b, ops->id_type);
			s += 4;
		} else if (strncmp(s, "@BLOB@", 6) == 0) {
			buf_puts(&b, ops->blob_type);
			s += 6;
		} else {
			buf_putc(&b, *s++);
		}
	}
	return buf_steal(&b);
}

enum store_rc
store_script(struct store *db, const char *sql)
{
	char *x = expand_macros(db->ops, sql);
	if (x == NULL)
		return store_fail(db, STORE_ERROR, "out of memory");
	enum store_rc rc = db->ops->script(db, x);
	free(x);
	return rc;
}
