/*
 * test_calendar_threads.c - R6 calendars are thread-safe and independent:
 * calendars of three zones, alive at once, queried from four threads at
 * the same time, give exactly the answers computed on one thread.
 */
#include "../support/lima.h"

#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#define NCAL 3
#define NTHREAD 4
#define NQ 100000

static struct fixture fx[NCAL];
static const char *const zones[NCAL] = {"America/Lima", "America/New_York",
                                        "Europe/Madrid"};
static int64_t q_t[NQ], q_s[NQ], want[NCAL][NQ];

struct job {
	int id;
	int64_t bad;
};

static void *
worker(void *arg)
{
	struct job *j = arg;
	for (int i = 0; i < NQ; i++) {
		int c = (i + j->id) % NCAL;
		int64_t got;
		if (calendar_add(fx[c].cal, q_t[i], q_s[i], &got) != CAL_OK ||
		    got != want[c][i])
			j->bad++;
	}
	return NULL;
}

static void
test_R6_calendars_shared_by_threads(void **state)
{
	(void)state;
	for (int c = 0; c < NCAL; c++)
		assert_int_equal(fixture_open(&fx[c], zones[c], 2017, 2035), 0);
	uint64_t seed = 77;
	int64_t lo = days_from_civil(2018, 1, 1) * 86400;
	int64_t hi = days_from_civil(2035, 1, 1) * 86400;
	for (int i = 0; i < NQ; i++) {
		q_t[i] = rnd_range(&seed, lo, hi);
		q_s[i] = rnd_range(&seed, 0, 40 * 3600);
		for (int c = 0; c < NCAL; c++)
			assert_int_equal(calendar_add(fx[c].cal, q_t[i], q_s[i],
			                              &want[c][i]), CAL_OK);
	}
	/* Different zones really give different answers. */
	int differ = 0;
	for (int i = 0; i < NQ; i++)
		differ += want[0][i] != want[1][i];
	assert_true(differ > NQ / 2);
	pthread_t th[NTHREAD];
	struct job jobs[NTHREAD];
	for (int k = 0; k < NTHREAD; k++) {
		jobs[k] = (struct job){k, 0};
		assert_int_equal(pthread_create(&th[k], NULL, worker, &jobs[k]), 0);
	}
	for (int k = 0; k < NTHREAD; k++) {
		assert_int_equal(pthread_join(th[k], NULL), 0);
		assert_int_equal(jobs[k].bad, 0);
	}
	for (int c = 0; c < NCAL; c++)
		fixture_close(&fx[c]);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_R6_calendars_shared_by_threads),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
