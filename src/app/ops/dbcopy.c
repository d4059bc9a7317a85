/*
 * dbcopy.c - copy a desk between databases and verify it (see dbcopy.h).
 *
 * The schema is read from the source's own catalog (tables, columns and
 * their types, foreign keys), so tables added by later migrations are
 * copied without a list to keep up to date. Table and column names come
 * from the catalog, never from a user, and are quoted.
 */
#include "app/ops/dbcopy.h"
#include "util/buf.h"

#include <sodium.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define MAX_TABLES 96
#define MAX_COLS 64

enum coltype { COL_INT, COL_TEXT, COL_BLOB };

struct table {
	char name[64];
	int ncols;
	char cols[MAX_COLS][64];
	enum coltype types[MAX_COLS];
	char deps[8][64];        /* tables it references */
	int ndeps;
	int done;
	int64_t rows;
	uint64_t sum[4];         /* order-free checksum: sum of row hashes */
};

static enum coltype
coltype_of(const char *declared)
{
	char t[64];
	size_t i;
	for (i = 0; declared[i] && i < sizeof t - 1; i++)
		t[i] = (char)(declared[i] >= 'A' && declared[i] <= 'Z'
		                  ? declared[i] - 'A' + 'a'
		                  : declared[i]);
	t[i] = '\0';
	if (strstr(t, "int"))
		return COL_INT;
	if (strstr(t, "blob") || strstr(t, "bytea"))
		return COL_BLOB;
	return COL_TEXT;
}

/* Lists the base tables of db into t[] (without schema_migrations and
 * the full-text indexes: SQLite's virtual tables, their shadow tables and
 * search_terms, PostgreSQL's search_docs, all kept by triggers). */
static enum store_rc
list_tables(struct store *db, struct table *t, int *n)
{
	const char *sql =
	    store_engine(db) == STORE_SQLITE
	        ? "SELECT name FROM sqlite_master WHERE type = 'table' "
	          "AND name NOT LIKE 'sqlite_%' "
	          "AND sql NOT LIKE 'CREATE VIRTUAL TABLE%' "
	          "AND name <> 'search_terms' "
	          "AND NOT EXISTS (SELECT 1 FROM sqlite_master v WHERE "
	          "v.type = 'table' AND v.sql LIKE 'CREATE VIRTUAL TABLE%' "
	          "AND sqlite_master.name LIKE v.name || '_%') ORDER BY name"
	        : "SELECT table_name FROM information_schema.tables "
	          "WHERE table_schema = current_schema() "
	          "AND table_type = 'BASE TABLE' AND table_name <> 'search_docs' "
	          "ORDER BY table_name";
	struct store_rows *r;
	enum store_rc rc = store_query(db, sql, STORE_NO_PARAMS, &r);
	if (rc != STORE_OK)
		return rc;
	*n = 0;
	while ((rc = store_next(r)) == STORE_ROW) {
		const char *name = store_text(r, 0);
		if (strcmp(name, "schema_migrations") == 0)
			continue;
		if (*n == MAX_TABLES || strlen(name) >= sizeof t->name) {
			store_done(r);
			return store_fail(db, STORE_ERROR, "too many tables to copy");
		}
		memset(&t[*n], 0, sizeof t[*n]);
		snprintf(t[*n].name, sizeof t[*n].name, "%s", name);
		(*n)++;
	}
	store_done(r);
	return rc == STORE_DONE ? STORE_OK : rc;
}

static enum store_rc
describe(struct store *db, struct table *t)
{
	int sqlite = store_engine(db) == STORE_SQLITE;
	struct store_rows *r;
	enum store_rc rc = store_query(
	    db,
	    sqlite ? "SELECT name, type FROM pragma_table_info($1) ORDER BY cid"
	           : "SELECT column_name, data_type FROM information_schema.columns "
	             "WHERE table_schema = current_schema() AND table_name = $1 "
	             "ORDER BY ordinal_position",
	    STORE_PARAMS(SP_T(t->name)), &r);
	if (rc != STORE_OK)
		return rc;
	t->ncols = 0;
	while ((rc = store_next(r)) == STORE_ROW) {
		if (t->ncols == MAX_COLS) {
			store_done(r);
			return store_fail(db, STORE_ERROR, "%s: too many columns", t->name);
		}
		snprintf(t->cols[t->ncols], sizeof t->cols[0], "%s", store_text(r, 0));
		t->types[t->ncols] = coltype_of(store_text(r, 1));
		t->ncols++;
	}
	store_done(r);
	if (rc != STORE_DONE)
		return rc;
	rc = store_query(
	    db,
	    sqlite ? "SELECT DISTINCT \"table\" FROM pragma_foreign_key_list($1)"
	           : "SELECT DISTINCT ccu.table_name FROM "
	             "information_schema.table_constraints tc JOIN "
	             "information_schema.constraint_column_usage ccu ON "
	             "ccu.constraint_name = tc.constraint_name AND "
	             "ccu.table_schema = tc.table_schema WHERE tc.constraint_type = "
	             "'FOREIGN KEY' AND tc.table_schema = current_schema() "
	             "AND tc.table_name = $1",
	    STORE_PARAMS(SP_T(t->name)), &r);
	if (rc != STORE_OK)
		return rc;
	t->ndeps = 0;
	while ((rc = store_next(r)) == STORE_ROW)
		if (t->ndeps < 8 && strcmp(store_text(r, 0), t->name) != 0)
			snprintf(t->deps[t->ndeps++], sizeof t->deps[0], "%s",
			         store_text(r, 0));
	store_done(r);
	return rc == STORE_DONE ? STORE_OK : rc;
}

/* Adds one row's hash to the table's checksum. Each value is written as
 * a type byte, its length and its bytes, so no two rows render alike. */
static void
hash_row(struct table *t, struct store_rows *r, struct buf *b)
{
	buf_reset(b);
	for (int i = 0; i < t->ncols; i++) {
		if (store_isnull(r, i)) {
			buf_append(b, "N", 1);
			continue;
		}
		char num[32];
		const void *p;
		size_t len;
		switch (t->types[i]) {
		case COL_INT:
			len = (size_t)snprintf(num, sizeof num, "%lld",
			                       (long long)store_int(r, i));
			p = num;
			break;
		case COL_BLOB:
			p = store_blob(r, i, &len);
			break;
		default:
			p = store_text(r, i);
			len = strlen(p);
			break;
		}
		buf_printf(b, "%c%zu:", "ITB"[t->types[i]], len);
		buf_append(b, p ? p : "", len);
	}
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(h, (const unsigned char *)buf_str(b), b->len);
	for (int k = 0; k < 4; k++) {
		uint64_t w = 0;
		for (int j = 0; j < 8; j++)
			w = (w << 8) | h[k * 8 + j];
		t->sum[k] += w;
	}
}

static void
select_sql(const struct table *t, struct buf *b)
{
	buf_reset(b);
	buf_puts(b, "SELECT ");
	for (int i = 0; i < t->ncols; i++)
		buf_printf(b, "%s\"%s\"", i ? ", " : "", t->cols[i]);
	buf_printf(b, " FROM \"%s\"", t->name);
}

/* Counts and checksums table t of db into *rows and sum[]. */
static enum store_rc
measure(struct store *db, struct table *t, int64_t *rows, uint64_t sum[4])
{
	struct buf sql = BUF_INIT(0), row = BUF_INIT(0);
	struct table m = *t;
	memset(m.sum, 0, sizeof m.sum);
	select_sql(t, &sql);
	struct store_rows *r;
	enum store_rc rc = store_query(db, buf_str(&sql), STORE_NO_PARAMS, &r);
	*rows = 0;
	if (rc == STORE_OK) {
		while ((rc = store_next(r)) == STORE_ROW) {
			hash_row(&m, r, &row);
			(*rows)++;
		}
		store_done(r);
		if (rc == STORE_DONE)
			rc = STORE_OK;
	}
	memcpy(sum, m.sum, sizeof m.sum);
	buf_free(&sql);
	buf_free(&row);
	return rc;
}

static enum store_rc
copy_table(struct store *src, struct store *dst, struct table *t)
{
	struct buf sel = BUF_INIT(0), ins = BUF_INIT(0), row = BUF_INIT(0);
	struct store_param p[MAX_COLS];
	select_sql(t, &sel);
	buf_printf(&ins, "INSERT INTO \"%s\" (", t->name);
	for (int i = 0; i < t->ncols; i++)
		buf_printf(&ins, "%s\"%s\"", i ? ", " : "", t->cols[i]);
	buf_puts(&ins, ") VALUES (");
	for (int i = 0; i < t->ncols; i++)
		buf_printf(&ins, "%s$%d", i ? ", " : "", i + 1);
	buf_puts(&ins, ")");

	struct store_rows *r;
	enum store_rc rc = store_query(src, buf_str(&sel), STORE_NO_PARAMS, &r);
	if (rc != STORE_OK)
		goto out;
	while ((rc = store_next(r)) == STORE_ROW) {
		for (int i = 0; i < t->ncols; i++) {
			if (store_isnull(r, i)) {
				p[i] = SP_NULL;
			} else if (t->types[i] == COL_INT) {
				p[i] = SP_I(store_int(r, i));
			} else if (t->types[i] == COL_BLOB) {
				size_t len;
				const void *b = store_blob(r, i, &len);
				p[i] = SP_B(b, len);
			} else {
				p[i] = SP_T(store_text(r, i));
			}
		}
		hash_row(t, r, &row);
		enum store_rc w = store_exec(dst, buf_str(&ins), p, t->ncols);
		if (w != STORE_OK) {
			rc = w;
			break;
		}
		t->rows++;
	}
	store_done(r);
	if (rc == STORE_DONE)
		rc = STORE_OK;
	/* PostgreSQL's identity sequences must move past the copied ids. */
	if (rc == STORE_OK && store_engine(dst) == STORE_POSTGRESQL &&
	    t->rows > 0 && strcmp(t->cols[0], "id") == 0) {
		char sql[512];
		snprintf(sql, sizeof sql,
		         "SELECT setval(pg_get_serial_sequence('\"%s\"', 'id'), "
		         "(SELECT MAX(id) FROM \"%s\")) WHERE "
		         "pg_get_serial_sequence('\"%s\"', 'id') IS NOT NULL",
		         t->name, t->name, t->name);
		rc = store_exec(dst, sql, STORE_NO_PARAMS);
	}
out:
	buf_free(&sel);
	buf_free(&ins);
	buf_free(&row);
	return rc;
}

static int
deps_done(const struct table *t, const struct table *all, int n)
{
	for (int d = 0; d < t->ndeps; d++)
		for (int i = 0; i < n; i++)
			if (strcmp(all[i].name, t->deps[d]) == 0 && !all[i].done)
				return 0;
	return 1;
}

enum store_rc
dbcopy_run(struct store *src, struct store *dst, FILE *report)
{
	if (sodium_init() < 0)
		return store_fail(dst, STORE_ERROR, "libsodium cannot start");
	struct table *t = calloc(MAX_TABLES, sizeof *t);
	int n = 0;
	enum store_rc rc = t ? STORE_OK : STORE_ERROR;
	if (rc == STORE_OK)
		rc = store_begin(src, 0);
	if (rc == STORE_OK && store_engine(src) == STORE_POSTGRESQL)
		rc = store_exec(src, "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ",
		                STORE_NO_PARAMS);
	if (rc == STORE_OK)
		rc = list_tables(src, t, &n);
	for (int i = 0; i < n && rc == STORE_OK; i++)
		rc = describe(src, &t[i]);
	if (rc != STORE_OK) {
		store_rollback(src);
		free(t);
		return rc;
	}

	rc = store_begin(dst, 1);
	int64_t existing = 0;
	if (rc == STORE_OK)
		rc = store_get_int(dst,
		                   "SELECT (SELECT COUNT(*) FROM tickets) + "
		                   "(SELECT COUNT(*) FROM clients) + "
		                   "(SELECT COUNT(*) FROM raw_messages)",
		                   STORE_NO_PARAMS, &existing);
	if (rc == STORE_OK && existing > 0)
		rc = store_fail(dst, STORE_CONSTRAINT,
		                "the target already has clients, tickets or mail; "
		                "copy only into an empty, migrated database");
	/* The rows the target's migrations put there (the ticket counter)
	 * give way to the source's. */
	if (rc == STORE_OK)
		rc = store_exec(dst, "DELETE FROM counters", STORE_NO_PARAMS);
	/* Parents before children. */
	for (int pass = 0; pass < n && rc == STORE_OK; pass++) {
		int progress = 0;
		for (int i = 0; i < n && rc == STORE_OK; i++) {
			if (t[i].done || !deps_done(&t[i], t, n))
				continue;
			rc = copy_table(src, dst, &t[i]);
			if (rc != STORE_OK) {
				char why[400];
				snprintf(why, sizeof why, "%s", store_errmsg(dst));
				store_fail(dst, rc, "copying %s: %s", t[i].name, why);
			}
			t[i].done = 1;
			progress = 1;
		}
		if (!progress)
			break;
	}
	for (int i = 0; i < n && rc == STORE_OK; i++)
		if (!t[i].done)
			rc = store_fail(dst, STORE_ERROR, "%s: circular references",
			                t[i].name);
	/* Verify: the target, read back, must match what was read. */
	for (int i = 0; i < n && rc == STORE_OK; i++) {
		int64_t rows;
		uint64_t sum[4];
		rc = measure(dst, &t[i], &rows, sum);
		if (rc != STORE_OK)
			break;
		int same = rows == t[i].rows && memcmp(sum, t[i].sum, sizeof sum) == 0;
		if (report)
			fprintf(report, "%-20s %8lld rows  checksum %016llx%016llx  %s\n",
			        t[i].name, (long long)rows, (unsigned long long)sum[0],
			        (unsigned long long)sum[1], same ? "ok" : "DIFFERENT");
		if (!same)
			rc = store_fail(dst, STORE_ERROR,
			                "%s differs after the copy (%lld rows read, %lld "
			                "written)",
			                t[i].name, (long long)t[i].rows, (long long)rows);
	}
	if (rc == STORE_OK)
		rc = store_commit(dst);
	if (rc != STORE_OK) {
		char why[512];
		snprintf(why, sizeof why, "%s", store_errmsg(dst));
		store_rollback(dst);
		store_fail(dst, rc, "%s", why);
	}
	store_rollback(src);
	free(t);
	return rc;
}
