/*
 * store.h - the engine-neutral database interface.
 *
 * A database is named by a URL: "sqlite:PATH" (the embedded default) or
 * "postgresql://..." / "postgres://...". store_open() picks the engine
 * from the URL; everything above this header is the same for both.
 *
 * SQL is written once, portable between SQLite 3.40 and PostgreSQL 15,
 * with numbered parameters $1, $2, ... that are always bound, never
 * spliced: user text never becomes SQL. Statements are prepared once per
 * connection and cached by their text. PostgreSQL infers a parameter's
 * type from where it stands; where it cannot (a bare $n in a CASE branch
 * or a select list) write CAST($n AS BIGINT) / CAST($n AS TEXT), which
 * SQLite accepts too.
 *
 * Results: every call returns an enum store_rc. STORE_BUSY means "try
 * again later" (a locked or unreachable database): HTTP answers 503 and
 * the mail gate exits 75 so the MTA retries. STORE_CONSTRAINT is a
 * unique/foreign-key/check violation the caller may turn into a clear
 * user error. STORE_ERROR is anything else; store_errmsg() says what.
 *
 * Typical use:
 *	struct store_rows *r;
 *	if (store_query(db, "SELECT id, name FROM clients WHERE domain = $1",
 *	                STORE_PARAMS(SP_T(domain)), &r) != STORE_OK) ...
 *	while (store_next(r) == STORE_ROW)
 *		printf("%lld %s\n", store_int(r, 0), store_text(r, 1));
 *	store_done(r);
 */
#ifndef SOPORTE_STORE_H
#define SOPORTE_STORE_H

#include <stddef.h>
#include <stdint.h>

enum store_rc {
	STORE_OK = 0,
	STORE_ROW,        /* store_next(): a row is ready */
	STORE_DONE,       /* store_next(): no more rows */
	STORE_BUSY,       /* transient: retry later (503 / EX_TEMPFAIL) */
	STORE_CONSTRAINT, /* unique, foreign key or check violated */
	STORE_NOTFOUND,   /* a lookup found no row */
	STORE_ERROR,      /* anything else; see store_errmsg() */
};

enum store_engine { STORE_SQLITE, STORE_POSTGRESQL };

enum store_ptype { SP_NULL_T, SP_INT_T, SP_TEXT_T, SP_BLOB_T };

struct store_param {
	enum store_ptype type;
	int64_t i;
	const void *p;   /* text (NUL-terminated) or blob bytes */
	size_t n;        /* blob length */
};

/* Parameter constructors (inline functions so arrays and expressions
 * are taken as they are). */
static inline struct store_param
SP_I(int64_t x)
{
	return (struct store_param){SP_INT_T, x, NULL, 0};
}
/* Text; a NULL pointer binds SQL NULL. */
static inline struct store_param
SP_T(const char *x)
{
	return (struct store_param){x ? SP_TEXT_T : SP_NULL_T, 0, x, 0};
}
static inline struct store_param
SP_B(const void *p, size_t n)
{
	return (struct store_param){SP_BLOB_T, 0, p, n};
}
/* An integer that is SQL NULL when not positive (optional references). */
static inline struct store_param
SP_ID(int64_t x)
{
	return (struct store_param){x > 0 ? SP_INT_T : SP_NULL_T, x, NULL, 0};
}
#define SP_NULL ((struct store_param){SP_NULL_T, 0, NULL, 0})

/* STORE_PARAMS(a, b, c) -> the array and its count, for the calls below. */
#define STORE_PARAMS(...)                                          \
	(const struct store_param[]){__VA_ARGS__},                     \
	    (int)(sizeof((const struct store_param[]){__VA_ARGS__}) / \
	          sizeof(struct store_param))
#define STORE_NO_PARAMS NULL, 0

struct store;
struct store_rows;

/* Opens the database named by url. On failure returns STORE_BUSY (cannot
 * reach it now) or STORE_ERROR, with the reason in err. */
enum store_rc store_open(const char *url, struct store **out, char *err,
                         size_t errlen);
void store_close(struct store *db);
enum store_engine store_engine(const struct store *db);
/* The last error of this connection, one line, never NULL. */
const char *store_errmsg(const struct store *db);
/* Sets the connection's error message (commands use it to explain a
 * refusal in the same place as a database error); returns rc. */
enum store_rc store_fail(struct store *db, enum store_rc rc, const char *fmt,
                         ...) __attribute__((format(printf, 3, 4)));
/* "sqlite" or "postgresql" */
const char *store_engine_name(const struct store *db);

/* Transactions. store_begin(db, 1) takes the database's write lock at
 * once (SQLite BEGIN IMMEDIATE; on PostgreSQL an advisory lock that
 * serializes such transactions). Rollback never fails the caller. */
enum store_rc store_begin(struct store *db, int exclusive);
enum store_rc store_commit(struct store *db);
void store_rollback(struct store *db);

/* Groups the reads that follow, until store_read_end(), where that is
 * cheap: the API's GET requests. On SQLite it is one read transaction, so
 * the database's locks are taken once rather than once per statement (a
 * request's reads then also see one state of the database). A statement
 * that writes, or store_begin(), ends it first: writes keep their own
 * transactions. On PostgreSQL both do nothing (each statement reads on
 * its own, as without them: a BEGIN and a COMMIT would be two more round
 * trips). Neither fails the caller: when the transaction cannot start,
 * the reads run one by one as without it. */
void store_read_begin(struct store *db);
void store_read_end(struct store *db);

/* Runs one statement and discards any rows. */
enum store_rc store_exec(struct store *db, const char *sql,
                         const struct store_param *p, int np);
/* Runs one statement; *out iterates its rows; always store_done() it.
 * The parameters' text and bytes are copied: they need to live only for
 * the call, not while the rows are read. */
enum store_rc store_query(struct store *db, const char *sql,
                          const struct store_param *p, int np,
                          struct store_rows **out);
enum store_rc store_next(struct store_rows *r);
int store_isnull(struct store_rows *r, int col);
int64_t store_int(struct store_rows *r, int col);
/* Text of a column ("" for NULL); valid until the next store_next(). */
const char *store_text(struct store_rows *r, int col);
/* Bytes of a column; valid until the next store_next() (each column's
 * bytes stay valid together, so several blobs of a row can be used). */
const void *store_blob(struct store_rows *r, int col, size_t *len);
void store_done(struct store_rows *r);

/* Runs a query expected to return one row: STORE_OK with *out on that
 * row (read it, then store_done() it), or STORE_NOTFOUND when there is
 * no row, or the error; on anything but STORE_OK *out is NULL and there
 * is nothing to store_done(). Rows past the first are not read. */
enum store_rc store_query_row(struct store *db, const char *sql,
                              const struct store_param *p, int np,
                              struct store_rows **out);
/* Runs a query expected to return one integer (first column of the first
 * row): STORE_OK with *out set, or STORE_NOTFOUND when there is no row. */
enum store_rc store_get_int(struct store *db, const char *sql,
                            const struct store_param *p, int np,
                            int64_t *out);
/* Same for text: *out is a malloc'd copy the caller frees. */
enum store_rc store_get_text(struct store *db, const char *sql,
                             const struct store_param *p, int np, char **out);

/* Runs a script of several statements (migrations). The macros @ID@
 * (an auto-numbered primary key) and @BLOB@ (bytes) are expanded for the
 * engine first. */
enum store_rc store_script(struct store *db, const char *sql);

#endif
