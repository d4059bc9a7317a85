/*
 * test_store.c - the store interface on SQLite, and on PostgreSQL when the
 * test command started a cluster (SOPORTE_TEST_PG): the same assertions
 * run against both engines.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "store/migrate.h"
#include "store/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char sqlite_url[256];
static char pg_url[512];

/* Opens a migrated, empty database of the engine under test. */
static struct store *
open_db(const char *url)
{
	struct store *db = NULL;
	char err[256];
	enum store_rc rc = store_open(url, &db, err, sizeof err);
	if (rc != STORE_OK)
		fail_msg("open %s: %s", url, err);
	assert_int_equal(store_migrate(db, 1700000000, NULL), STORE_OK);
	return db;
}

static void
check_migrate_twice(const char *url)
{
	struct store *db = open_db(url);
	int applied = -1;
	assert_int_equal(store_migrate(db, 1700000000, &applied), STORE_OK);
	assert_int_equal(applied, 0);
	assert_int_equal(store_schema_version(db),
	                 migrations[migrations_count - 1].number);
	store_close(db);
}

static void
check_params_and_types(const char *url)
{
	struct store *db = open_db(url);
	int64_t id = 0;
	/* $2 before $1 in the text: bound by number, not by position. */
	assert_int_equal(
	    store_get_int(db,
	                  "INSERT INTO clients (domain, name, created_at) "
	                  "VALUES ($2, $1, $3) RETURNING id",
	                  STORE_PARAMS(SP_T("Clínica Ñandú"), SP_T("nandu.pe"),
	                               SP_I(1700000000)),
	                  &id),
	    STORE_OK);
	assert_true(id > 0);
	struct store_rows *r;
	assert_int_equal(store_query(db,
	                             "SELECT name, domain, created_at, "
	                             "monthly_service FROM clients WHERE id = $1",
	                             STORE_PARAMS(SP_I(id)), &r),
	                 STORE_OK);
	assert_int_equal(store_next(r), STORE_ROW);
	assert_string_equal(store_text(r, 0), "Clínica Ñandú");
	assert_string_equal(store_text(r, 1), "nandu.pe");
	assert_int_equal(store_int(r, 2), 1700000000);
	assert_int_equal(store_int(r, 3), 0);
	assert_int_equal(store_next(r), STORE_DONE);
	store_done(r);

	/* One row, or "not found" with nothing to close. */
	assert_int_equal(store_query_row(db,
	                                 "SELECT name FROM clients WHERE id = $1",
	                                 STORE_PARAMS(SP_I(id)), &r),
	                 STORE_OK);
	assert_string_equal(store_text(r, 0), "Clínica Ñandú");
	store_done(r);
	assert_int_equal(store_query_row(db,
	                                 "SELECT name FROM clients WHERE id = $1",
	                                 STORE_PARAMS(SP_I(id + 1000)), &r),
	                 STORE_NOTFOUND);
	assert_null(r);
	assert_int_equal(store_query_row(db, "SELECT nope FROM clients",
	                                 STORE_NO_PARAMS, &r),
	                 STORE_ERROR);
	assert_null(r);

	/* SQL text in a parameter is data, never SQL. */
	const char *evil = "x'); DROP TABLE clients; --";
	assert_int_equal(store_exec(db,
	                            "INSERT INTO clients (domain, name, created_at) "
	                            "VALUES ($1, $1, 0)",
	                            STORE_PARAMS(SP_T(evil))),
	                 STORE_OK);
	int64_t n = 0;
	assert_int_equal(store_get_int(db, "SELECT COUNT(*) FROM clients",
	                               STORE_NO_PARAMS, &n),
	                 STORE_OK);
	assert_int_equal(n, 2);

	/* Blobs with NUL bytes come back intact. */
	static const unsigned char bytes[] = {0, 1, 2, 0xff, 0, 'a'};
	assert_int_equal(store_exec(db,
	                            "INSERT INTO blobs (sha256, size, bytes) "
	                            "VALUES ('h', 6, $1)",
	                            STORE_PARAMS(SP_B(bytes, sizeof bytes))),
	                 STORE_OK);
	assert_int_equal(store_query(db, "SELECT bytes FROM blobs WHERE sha256 = 'h'",
	                             STORE_NO_PARAMS, &r),
	                 STORE_OK);
	assert_int_equal(store_next(r), STORE_ROW);
	size_t len = 0;
	const void *p = store_blob(r, 0, &len);
	assert_int_equal(len, sizeof bytes);
	assert_memory_equal(p, bytes, sizeof bytes);
	store_done(r);

	/* Two blobs of one row stay valid together. */
	assert_int_equal(store_query(db,
	                             "SELECT bytes, sha256, bytes FROM blobs "
	                             "WHERE sha256 = 'h'",
	                             STORE_NO_PARAMS, &r),
	                 STORE_OK);
	assert_int_equal(store_next(r), STORE_ROW);
	size_t l1 = 0, l2 = 0;
	const void *b1 = store_blob(r, 0, &l1);
	const void *b2 = store_blob(r, 2, &l2);
	assert_int_equal(l1, sizeof bytes);
	assert_int_equal(l2, sizeof bytes);
	assert_memory_equal(b1, bytes, sizeof bytes);
	assert_memory_equal(b2, bytes, sizeof bytes);
	store_done(r);

	/* NULLs */
	assert_int_equal(store_query(db,
	                             "SELECT phone FROM contacts WHERE id = $1 "
	                             "UNION ALL SELECT NULL",
	                             STORE_PARAMS(SP_I(1)), &r),
	                 STORE_OK);
	assert_int_equal(store_next(r), STORE_ROW);
	assert_true(store_isnull(r, 0));
	assert_string_equal(store_text(r, 0), "");
	store_done(r);
	store_close(db);
}

static void
check_constraints_and_rollback(const char *url)
{
	struct store *db = open_db(url);
	assert_int_equal(store_exec(db,
	                            "INSERT INTO clients (domain, name, created_at) "
	                            "VALUES ('a.pe', 'A', 0)",
	                            STORE_NO_PARAMS),
	                 STORE_OK);
	/* Unique violation */
	assert_int_equal(store_exec(db,
	                            "INSERT INTO clients (domain, name, created_at) "
	                            "VALUES ('a.pe', 'B', 0)",
	                            STORE_NO_PARAMS),
	                 STORE_CONSTRAINT);
	/* Foreign key violation */
	assert_int_equal(store_exec(db,
	                            "INSERT INTO contacts (client_id, name, email, "
	                            "created_at) VALUES (999, 'x', 'x@y.pe', 0)",
	                            STORE_NO_PARAMS),
	                 STORE_CONSTRAINT);
	/* Check violation */
	assert_int_equal(store_exec(db,
	                            "INSERT INTO contracts (client_id, plan, "
	                            "valid_from, valid_to, created_at) VALUES "
	                            "(1, 'gold', '2026-01-01', '2026-12-31', 0)",
	                            STORE_NO_PARAMS),
	                 STORE_CONSTRAINT);
	/* Rolled back work leaves nothing behind. */
	assert_int_equal(store_begin(db, 1), STORE_OK);
	assert_int_equal(store_exec(db,
	                            "INSERT INTO clients (domain, name, created_at) "
	                            "VALUES ('b.pe', 'B', 0)",
	                            STORE_NO_PARAMS),
	                 STORE_OK);
	store_rollback(db);
	int64_t n = -1;
	assert_int_equal(store_get_int(db,
	                               "SELECT COUNT(*) FROM clients WHERE domain = 'b.pe'",
	                               STORE_NO_PARAMS, &n),
	                 STORE_OK);
	assert_int_equal(n, 0);
	assert_int_equal(store_get_int(db,
	                               "SELECT id FROM clients WHERE domain = 'zz'",
	                               STORE_NO_PARAMS, &n),
	                 STORE_NOTFOUND);
	/* Ticket numbers come from a counter bumped in the transaction. */
	int64_t a = 0, b = 0;
	const char *bump = "UPDATE counters SET value = value + 1 "
	                   "WHERE name = 'ticket' RETURNING value";
	assert_int_equal(store_get_int(db, bump, STORE_NO_PARAMS, &a), STORE_OK);
	assert_int_equal(store_get_int(db, bump, STORE_NO_PARAMS, &b), STORE_OK);
	assert_int_equal(b, a + 1);
	store_close(db);
}

/* A nested query on the same SQL while a cursor is open still works. */
static void
check_nested_cursors(const char *url)
{
	struct store *db = open_db(url);
	const char *sql = "SELECT name FROM counters WHERE value >= $1";
	struct store_rows *r1, *r2;
	assert_int_equal(store_query(db, sql, STORE_PARAMS(SP_I(0)), &r1), STORE_OK);
	assert_int_equal(store_query(db, sql, STORE_PARAMS(SP_I(0)), &r2), STORE_OK);
	assert_int_equal(store_next(r1), STORE_ROW);
	assert_int_equal(store_next(r2), STORE_ROW);
	assert_string_equal(store_text(r1, 0), "ticket");
	assert_string_equal(store_text(r2, 0), "ticket");
	store_done(r2);
	store_done(r1);
	store_close(db);
}

static int64_t
count_clients(struct store *db)
{
	int64_t n = -1;
	assert_int_equal(store_get_int(db, "SELECT COUNT(*) FROM clients",
	                               STORE_NO_PARAMS, &n),
	                 STORE_OK);
	return n;
}

/* store_read_begin() groups reads only: a write in the group, or a
 * transaction begun in it, is committed on its own at once, and after
 * store_read_end() another connection's writes are seen. */
static void
check_read_group(const char *url)
{
	struct store *a = open_db(url), *b = open_db(url);
	store_read_begin(a);
	assert_int_equal(count_clients(a), 0);
	assert_int_equal(store_exec(a,
	                            "INSERT INTO clients (domain, name, created_at) "
	                            "VALUES ('a.pe', 'A', 0)",
	                            STORE_NO_PARAMS),
	                 STORE_OK);
	assert_int_equal(count_clients(b), 1);
	assert_int_equal(count_clients(a), 1);
	assert_int_equal(store_begin(a, 1), STORE_OK);
	assert_int_equal(store_exec(a,
	                            "INSERT INTO clients (domain, name, created_at) "
	                            "VALUES ('b.pe', 'B', 0)",
	                            STORE_NO_PARAMS),
	                 STORE_OK);
	assert_int_equal(store_commit(a), STORE_OK);
	assert_int_equal(count_clients(b), 2);
	store_read_end(a);

	store_read_begin(a);
	assert_int_equal(count_clients(a), 2);
	store_read_end(a);
	assert_int_equal(store_exec(b,
	                            "INSERT INTO clients (domain, name, created_at) "
	                            "VALUES ('c.pe', 'C', 0)",
	                            STORE_NO_PARAMS),
	                 STORE_OK);
	assert_int_equal(count_clients(a), 3);
	store_close(a);
	store_close(b);
}

static void
test_bad_urls(void **state)
{
	(void)state;
	struct store *db;
	char err[256];
	assert_int_equal(store_open("mysql://x", &db, err, sizeof err), STORE_ERROR);
	assert_non_null(strstr(err, "neither sqlite:PATH nor postgresql://"));
	assert_int_equal(store_open("sqlite:", &db, err, sizeof err), STORE_ERROR);
	assert_int_equal(store_open("sqlite:/nonexistent/dir/x.db", &db, err,
	                            sizeof err),
	                 STORE_ERROR);
	/* Nothing listens on port 1: unreachable is "retry later". */
	assert_int_equal(store_open("postgresql://u@127.0.0.1:1/x?connect_timeout=2",
	                            &db, err, sizeof err),
	                 STORE_BUSY);
}

/* A write lock held by another connection is STORE_BUSY, not an error. */
static void
test_sqlite_busy(void **state)
{
	(void)state;
	char url[300];
	snprintf(url, sizeof url, "%s?busy_timeout=50", sqlite_url);
	struct store *a = open_db(url), *b = open_db(url);
	assert_int_equal(store_begin(a, 1), STORE_OK);
	assert_int_equal(store_begin(b, 1), STORE_BUSY);
	assert_non_null(strstr(store_errmsg(b), "busy"));
	store_rollback(a);
	assert_int_equal(store_begin(b, 1), STORE_OK);
	store_rollback(b);
	store_close(a);
	store_close(b);
}

/* Each engine test gets a fresh database. */
static int
fresh_sqlite(void **state)
{
	(void)state;
	static int n;
	snprintf(sqlite_url, sizeof sqlite_url, "sqlite:/tmp/soporte-test-store-%d-%d.db",
	         (int)getpid(), ++n);
	return 0;
}

static int
drop_sqlite(void **state)
{
	(void)state;
	const char *path = sqlite_url + 7;
	char p[300];
	unlink(path);
	snprintf(p, sizeof p, "%s-wal", path);
	unlink(p);
	snprintf(p, sizeof p, "%s-shm", path);
	unlink(p);
	return 0;
}

static int
fresh_pg(void **state)
{
	(void)state;
	const char *base = getenv("SOPORTE_TEST_PG");
	if (base == NULL || *base == '\0')
		return 0;
	static int n;
	char name[64], admin[512], err[256];
	snprintf(name, sizeof name, "unit_store_%d_%d", (int)getpid(), ++n);
	snprintf(admin, sizeof admin, "%s/postgres", base);
	struct store *db;
	if (store_open(admin, &db, err, sizeof err) != STORE_OK)
		return -1;
	char sql[128];
	snprintf(sql, sizeof sql, "CREATE DATABASE %s", name);
	int rc = store_script(db, sql) == STORE_OK ? 0 : -1;
	store_close(db);
	snprintf(pg_url, sizeof pg_url, "%s/%s", base, name);
	return rc;
}

#define BOTH_ENGINES(fn)                                          \
	static void test_sqlite_##fn(void **s) { (void)s; fn(sqlite_url); } \
	static void test_pg_##fn(void **s)                            \
	{                                                             \
		(void)s;                                                  \
		if (getenv("SOPORTE_TEST_PG") == NULL)                    \
			skip();                                               \
		fn(pg_url);                                               \
	}

BOTH_ENGINES(check_migrate_twice)
BOTH_ENGINES(check_params_and_types)
BOTH_ENGINES(check_constraints_and_rollback)
BOTH_ENGINES(check_nested_cursors)
BOTH_ENGINES(check_read_group)

#define PAIR(fn)                                                         \
	cmocka_unit_test_setup_teardown(test_sqlite_##fn, fresh_sqlite,      \
	                                drop_sqlite),                        \
	    cmocka_unit_test_setup(test_pg_##fn, fresh_pg)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		PAIR(check_migrate_twice),
		PAIR(check_params_and_types),
		PAIR(check_constraints_and_rollback),
		PAIR(check_nested_cursors),
		PAIR(check_read_group),
		cmocka_unit_test(test_bad_urls),
		cmocka_unit_test_setup_teardown(test_sqlite_busy, fresh_sqlite,
		                                drop_sqlite),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
