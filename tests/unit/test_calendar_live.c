/*
 * test_calendar_live.c - the server's shared calendar (app/calendar_live):
 * holidays imported into the database count after a refresh (DESIGN.md
 * R6: business time excludes national holidays), readers keep the
 * calendar they took while refreshes swap new ones in, and nothing is
 * freed under a reader (run under ASan in the sanitizer build).
 */
#include "app/config/calendar_live.h"
#include "app/config/calendar_load.h"
#include "app/config/policy_file.h"
#include "store/migrate.h"

#include <pthread.h>
#include <stdatomic.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

/* Monday 05/10/2026 10:00 Lima = 15:00Z; Tuesday 06/10 too, a day on. */
#define MON_10 1791212400
#define TUE_10 (MON_10 + 86400)

static struct policy pol;
static struct store *db;
static char dir[64], url[128];

static int
setup(void **state)
{
	(void)state;
	struct policy_diag diag;
	char err[256];
	if (policy_load(SOPORTE_SRC "/policy/prodequa.ini", &pol, &diag) !=
	    POLICY_LOAD_OK)
		return -1;
	snprintf(dir, sizeof dir, "/tmp/soporte-callive.XXXXXX");
	if (mkdtemp(dir) == NULL)
		return -1;
	snprintf(url, sizeof url, "sqlite:%s/t.db", dir);
	if (store_open(url, &db, err, sizeof err) != STORE_OK ||
	    store_migrate(db, MON_10, NULL) != STORE_OK)
		return -1;
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	char path[128];
	store_close(db);
	static const char *const files[] = {"t.db", "t.db-wal", "t.db-shm"};
	for (size_t i = 0; i < 3; i++) {
		snprintf(path, sizeof path, "%s/%s", dir, files[i]);
		unlink(path);
	}
	rmdir(dir);
	return 0;
}

static struct calendar_live *
live_new(void)
{
	struct calendar *cal;
	char err[256];
	assert_int_equal(calendar_load(&pol, NULL, &cal, NULL, err, sizeof err),
	                 CALLOAD_OK);
	struct calendar_live *lc = calendar_live_new(&pol, cal);
	assert_non_null(lc);
	assert_int_equal(calendar_live_refresh(lc, db, err, sizeof err), 0);
	return lc;
}

static int
open_at(struct calendar_live *lc, int64_t t)
{
	struct calendar_ref *ref = calendar_live_get(lc);
	int open = calendar_is_open(ref->cal, t);
	calendar_live_put(lc, ref);
	return open;
}

static void
import_day(const char *day)
{
	assert_int_equal(store_exec(db,
	                            "INSERT INTO holidays (day, name, source) "
	                            "VALUES ($1, 'Feriado de prueba', 'import')",
	                            STORE_PARAMS(SP_T(day))),
	                 STORE_OK);
}

static void
test_import_counts_after_refresh(void **state)
{
	(void)state;
	char err[256];
	struct calendar_live *lc = live_new();
	assert_true(open_at(lc, MON_10));
	/* A reader holding the calendar in force keeps it across a swap. */
	struct calendar_ref *held = calendar_live_get(lc);
	import_day("2026-10-05");
	assert_true(open_at(lc, MON_10));     /* not until the refresh */
	assert_int_equal(calendar_live_refresh(lc, db, err, sizeof err), 0);
	assert_false(open_at(lc, MON_10));    /* R6: no holidays */
	assert_true(open_at(lc, TUE_10));
	assert_true(calendar_is_open(held->cal, MON_10));
	calendar_live_put(lc, held);
	/* Nothing new: the calendar in force stays. */
	struct calendar_ref *a = calendar_live_get(lc);
	assert_int_equal(calendar_live_refresh(lc, db, err, sizeof err), 0);
	struct calendar_ref *b = calendar_live_get(lc);
	assert_ptr_equal(a, b);
	calendar_live_put(lc, a);
	calendar_live_put(lc, b);
	calendar_live_free(lc);
}

struct reader {
	struct calendar_live *lc;
	atomic_int *stop;
	long reads;
};

static void *
read_loop(void *arg)
{
	struct reader *r = arg;
	while (!*r->stop) {
		struct calendar_ref *ref = calendar_live_get(r->lc);
		int64_t due;
		/* Use the calendar while refreshes swap others in. */
		if (calendar_add(ref->cal, MON_10, 4 * 3600, &due) == CAL_OK &&
		    due > MON_10)
			r->reads++;
		calendar_live_put(r->lc, ref);
	}
	return NULL;
}

static void
test_readers_during_refreshes(void **state)
{
	(void)state;
	char err[256], day[16];
	struct calendar_live *lc = live_new();
	atomic_int stop = 0;
	struct reader rd[4];
	pthread_t tid[4];
	for (int i = 0; i < 4; i++) {
		rd[i] = (struct reader){lc, &stop, 0};
		assert_int_equal(pthread_create(&tid[i], NULL, read_loop, &rd[i]), 0);
	}
	/* Each refresh follows an import, so each one swaps. */
	for (int i = 0; i < 12; i++) {
		snprintf(day, sizeof day, "2027-01-%02d", i + 4);
		import_day(day);
		assert_int_equal(calendar_live_refresh(lc, db, err, sizeof err), 0);
	}
	stop = 1;
	long total = 0;
	for (int i = 0; i < 4; i++) {
		pthread_join(tid[i], NULL);
		total += rd[i].reads;
	}
	assert_true(total > 0);
	/* 2027-01-04 .. 2027-01-15 are closed now: Monday 04/01 10:00 Lima. */
	assert_false(open_at(lc, 1799074800));
	calendar_live_free(lc);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_import_counts_after_refresh),
		cmocka_unit_test(test_readers_during_refreshes),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
