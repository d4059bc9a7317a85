/*
 * test_calendar_props.c - properties of R6 business time over 10^6 random
 * cases per run (fixed seeds, so a failure replays), and agreement with
 * the naive minute-stepping walker on a random sample.
 *
 *   between(a, add(a, s)) == s, and add's result is the earliest such T
 *   add is monotonic in t and in s
 *   sla_due: counted time to due == target, earliest, monotonic in target
 *   calendar and sla results == the naive walker's
 */
#include "../support/lima.h"

#include "core/sla.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#define CASES 1000000

static struct fixture lima;
static int64_t lo, hi;

static int
setup(void **state)
{
	(void)state;
	if (fixture_open(&lima, "America/Lima", 2017, 2035) != 0)
		return -1;
	calendar_span(lima.cal, &lo, &hi);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	fixture_close(&lima);
	return 0;
}

/* Durations: mostly up to 40 business hours, some exact window sizes. */
static int64_t
rnd_duration(uint64_t *seed)
{
	switch (rnd(seed) % 4) {
	case 0:
		return rnd_range(seed, 0, 120);
	case 1:
		return 3600 * rnd_range(seed, 0, 41);
	default:
		return rnd_range(seed, 0, 40 * 3600 + 1);
	}
}

/* Instants: any second, or on a minute/hour boundary (window edges). */
static int64_t
rnd_instant(uint64_t *seed)
{
	int64_t t = rnd_range(seed, lo, hi - 90 * 86400);
	switch (rnd(seed) % 3) {
	case 0:
		return t - t % 3600;
	case 1:
		return t - t % 60;
	default:
		return t;
	}
}

static void
test_R6_add_between_roundtrip_1M(void **state)
{
	(void)state;
	uint64_t seed = 0x5EED0001;
	for (int i = 0; i < CASES; i++) {
		int64_t a = rnd_instant(&seed), s = rnd_duration(&seed), b, back;
		assert_int_equal(calendar_add(lima.cal, a, s, &b), CAL_OK);
		assert_true(b >= a);
		assert_int_equal(calendar_between(lima.cal, a, b, &back), CAL_OK);
		if (back != s)
			fail_msg("case %d: between(a, add(a, %lld)) = %lld", i,
			         (long long)s, (long long)back);
		if (s > 0) {
			/* Earliest: the second just before b is business time. */
			assert_true(calendar_is_open(lima.cal, b - 1));
			assert_int_equal(calendar_between(lima.cal, a, b - 1, &back),
			                 CAL_OK);
			assert_int_equal(back, s - 1);
		}
	}
}

static void
test_R6_add_monotonic_1M(void **state)
{
	(void)state;
	uint64_t seed = 0x5EED0002;
	for (int i = 0; i < CASES; i++) {
		int64_t a = rnd_instant(&seed), s = rnd_duration(&seed);
		int64_t da = rnd_range(&seed, 0, 3 * 86400);
		int64_t ds = rnd_duration(&seed);
		int64_t b, b_later_t, b_more_s;
		assert_int_equal(calendar_add(lima.cal, a, s, &b), CAL_OK);
		assert_int_equal(calendar_add(lima.cal, a + da, s, &b_later_t), CAL_OK);
		assert_int_equal(calendar_add(lima.cal, a, s + ds, &b_more_s), CAL_OK);
		if (b_later_t < b || b_more_s < b)
			fail_msg("case %d: add not monotonic", i);
	}
}

static size_t
rnd_pauses(uint64_t *seed, int64_t created, struct sla_pause *p)
{
	size_t n = (size_t)(rnd(seed) % 4);
	for (size_t k = 0; k < n; k++) {
		int64_t s = created + rnd_range(seed, -2 * 86400, 10 * 86400);
		if (rnd(seed) % 2)
			s -= s % 3600;
		int64_t len = rnd(seed) % 8 == 0 ? 0 : rnd_range(seed, 1, 3 * 86400);
		p[k].start_s = s;
		p[k].end_s = s + len;
	}
	return n;
}

static const int64_t targets[4] = {6 * 3600, 8 * 3600, 24 * 3600, 36 * 3600};

static void
test_R6_sla_due_properties_1M(void **state)
{
	(void)state;
	uint64_t seed = 0x5EED0003;
	struct sla_pause p[3];
	for (int i = 0; i < CASES; i++) {
		int64_t created = rnd_instant(&seed);
		size_t n = rnd_pauses(&seed, created, p);
		int sev = (int)(rnd(&seed) % 4);
		struct sla_clock c = {created, targets[sev], p, n};
		int64_t due, used, due2;
		assert_int_equal(sla_due(lima.cal, &c, &due), SLA_OK);
		assert_true(due >= created);
		assert_int_equal(sla_elapsed(lima.cal, &c, due, &used), SLA_OK);
		if (used != c.target_s)
			fail_msg("case %d: counted time to due %lld, target %lld", i,
			         (long long)used, (long long)c.target_s);
		assert_int_equal(sla_elapsed(lima.cal, &c, due - 1, &used), SLA_OK);
		assert_int_equal(used, c.target_s - 1);
		/* Severity change to a longer target never moves due earlier. */
		if (sev < 3) {
			c.target_s = targets[sev + 1];
			assert_int_equal(sla_due(lima.cal, &c, &due2), SLA_OK);
			assert_true(due2 > due);
		}
	}
}

static void
test_R6_matches_naive_walker(void **state)
{
	(void)state;
	uint64_t seed = 0x5EED0004;
	struct sla_pause p[3];
	for (int i = 0; i < 1500; i++) {
		int64_t created = rnd_instant(&seed);
		size_t n = rnd_pauses(&seed, created, p);
		int sev = (int)(rnd(&seed) % 4);
		struct sla_clock c = {created, targets[sev], p, n};
		int64_t due;
		assert_int_equal(sla_due(lima.cal, &c, &due), SLA_OK);
		int64_t want = naive_due(&lima.naive, created, c.target_s, p, n);
		if (due != want)
			fail_msg("case %d: sla_due %lld, naive %lld", i, (long long)due,
			         (long long)want);
	}
	for (int i = 0; i < 1500; i++) {
		int64_t a = rnd_instant(&seed), b = a + rnd_range(&seed, 0, 4 * 86400);
		int64_t v;
		assert_int_equal(calendar_between(lima.cal, a, b, &v), CAL_OK);
		assert_int_equal(v, naive_between(&lima.naive, a, b));
		int64_t s = rnd_duration(&seed), t;
		assert_int_equal(calendar_add(lima.cal, a, s, &t), CAL_OK);
		assert_int_equal(t, naive_due(&lima.naive, a, s, NULL, 0));
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_R6_add_between_roundtrip_1M),
		cmocka_unit_test(test_R6_add_monotonic_1M),
		cmocka_unit_test(test_R6_sla_due_properties_1M),
		cmocka_unit_test(test_R6_matches_naive_walker),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
