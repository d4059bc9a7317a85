/*
 * test_calendar.c - rule R6 business time: the edge rules, exceptions,
 * several windows a day, DST days, span errors and the index's build time.
 */
#include "../support/lima.h"

#include "util/timefmt.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

static struct fixture lima;

static int
setup(void **state)
{
	(void)state;
	return fixture_open(&lima, "America/Lima", 2017, 2035);
}

static int
teardown(void **state)
{
	(void)state;
	fixture_close(&lima);
	return 0;
}

/* "YYYY-MM-DD HH:MM:SS" Lima (UTC-5) -> instant. */
static int64_t
L(const char *s)
{
	int64_t day;
	char date[11];
	memcpy(date, s, 10);
	date[10] = '\0';
	assert_int_equal(iso_date_parse(date, &day), 0);
	int h = atoi(s + 11), m = atoi(s + 14), sec = atoi(s + 17);
	return day * 86400 + h * 3600 + m * 60 + sec + 5 * 3600;
}

static void
test_R6_add_edge_rules(void **state)
{
	(void)state;
	static const struct {
		const char *name, *t;
		int64_t s;
		const char *want;
	} rows[] = {
		{"lunch gap starts at 14:00", "2026-03-02 12:30:00", 3600,
		 "2026-03-02 15:00:00"},
		{"1 s after lunch", "2026-03-02 12:30:00", 1, "2026-03-02 14:00:01"},
		{"ends exactly at 18:00", "2026-03-02 14:00:00", 4 * 3600,
		 "2026-03-02 18:00:00"},
		{"ends exactly at 12:00", "2026-03-02 08:00:00", 4 * 3600,
		 "2026-03-02 12:00:00"},
		{"8 h from 08:00 is 18:00", "2026-03-02 08:00:00", 8 * 3600,
		 "2026-03-02 18:00:00"},
		{"one more second is next morning", "2026-03-02 08:00:00",
		 8 * 3600 + 1, "2026-03-03 08:00:01"},
		{"holiday starts next business day", "2026-04-02 10:00:00", 3600,
		 "2026-04-06 09:00:00"},
		{"Fiestas Patrias", "2026-07-28 09:00:00", 1, "2026-07-30 08:00:01"},
		{"weekend", "2026-03-07 10:00:00", 60, "2026-03-09 08:01:00"},
		{"at 18:00 exactly", "2026-03-02 18:00:00", 1, "2026-03-03 08:00:01"},
		{"17:59:30 gets 30 s", "2026-03-02 17:59:30", 60,
		 "2026-03-03 08:00:30"},
		{"zero from a closed time is that time", "2026-03-02 12:30:00", 0,
		 "2026-03-02 12:30:00"},
		{"year end", "2025-12-31 17:00:00", 2 * 3600, "2026-01-02 09:00:00"},
		{"Sunday 23:30 Lima", "2026-03-08 23:30:00", 3600,
		 "2026-03-09 09:00:00"},
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		int64_t got, back;
		assert_int_equal(calendar_add(lima.cal, L(rows[i].t), rows[i].s, &got),
		                 CAL_OK);
		if (got != L(rows[i].want)) {
			char g[ISO_UTC_LEN];
			iso_utc_format(got - 5 * 3600, g);
			fail_msg("%s: got %s (Lima), want %s", rows[i].name, g,
			         rows[i].want);
		}
		assert_int_equal(calendar_between(lima.cal, L(rows[i].t), got, &back),
		                 CAL_OK);
		assert_int_equal(back, rows[i].s);
	}
}

static void
test_R6_next_open_and_is_open(void **state)
{
	(void)state;
	static const struct {
		const char *t, *next;
		bool open;
	} rows[] = {
		{"2026-03-02 07:59:59", "2026-03-02 08:00:00", false},
		{"2026-03-02 08:00:00", "2026-03-02 08:00:00", true},
		{"2026-03-02 11:59:59", "2026-03-02 11:59:59", true},
		{"2026-03-02 12:00:00", "2026-03-02 14:00:00", false},
		{"2026-03-02 12:30:00", "2026-03-02 14:00:00", false},
		{"2026-03-02 18:00:00", "2026-03-03 08:00:00", false},
		{"2026-04-01 18:00:00", "2026-04-06 08:00:00", false},
		{"2026-04-02 10:00:00", "2026-04-06 08:00:00", false},
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		int64_t got;
		assert_int_equal(calendar_next_open(lima.cal, L(rows[i].t), &got),
		                 CAL_OK);
		assert_int_equal(got, L(rows[i].next));
		assert_int_equal(calendar_is_open(lima.cal, L(rows[i].t)),
		                 rows[i].open);
	}
}

static void
test_R6_between_signs_and_days(void **state)
{
	(void)state;
	int64_t v;
	/* A full week with no holiday: 5 days x 8 h. */
	assert_int_equal(calendar_between(lima.cal, L("2026-03-02 00:00:00"),
	                                  L("2026-03-09 00:00:00"), &v), CAL_OK);
	assert_int_equal(v, 5 * 8 * 3600);
	/* Easter week 2026 loses Thursday and Friday. */
	assert_int_equal(calendar_between(lima.cal, L("2026-03-30 00:00:00"),
	                                  L("2026-04-06 00:00:00"), &v), CAL_OK);
	assert_int_equal(v, 3 * 8 * 3600);
	assert_int_equal(calendar_between(lima.cal, L("2026-03-09 00:00:00"),
	                                  L("2026-03-02 00:00:00"), &v), CAL_OK);
	assert_int_equal(v, -5 * 8 * 3600);
	/* A year: business days x 8 h (2026: 261 weekdays, 12 on weekdays
	 * are feriados -> 249; checked by counting with the naive walker). */
	int64_t a = L("2026-01-01 00:00:00"), b = L("2027-01-01 00:00:00");
	assert_int_equal(calendar_between(lima.cal, a, b, &v), CAL_OK);
	assert_int_equal(v, naive_between(&lima.naive, a, b));
}

static void
test_R6_span_errors(void **state)
{
	(void)state;
	int64_t lo, hi, v;
	calendar_span(lima.cal, &lo, &hi);
	assert_int_equal(lo, days_from_civil(2017, 1, 1) * 86400);
	assert_int_equal(hi, days_from_civil(2036, 1, 1) * 86400);
	assert_int_equal(calendar_add(lima.cal, lo - 1, 1, &v), CAL_ERANGE);
	assert_int_equal(calendar_add(lima.cal, hi + 1, 0, &v), CAL_ERANGE);
	assert_int_equal(calendar_add(lima.cal, hi - 86400 * 3, 100 * 3600, &v),
	                 CAL_ERANGE);
	assert_int_equal(calendar_add(lima.cal, lo, INT64_MAX, &v), CAL_ERANGE);
	assert_int_equal(calendar_add(lima.cal, lo, -1, &v), CAL_EINVAL);
	assert_int_equal(calendar_between(lima.cal, lo - 1, hi, &v), CAL_ERANGE);
	assert_int_equal(calendar_next_open(lima.cal, hi - 3600, &v), CAL_ERANGE);
	assert_false(calendar_is_open(lima.cal, hi + 13 * 3600));
	/* Bad specs. */
	struct calendar *c;
	struct cal_spec s = lima.spec;
	struct cal_window bad = {600, 600};
	s.week[0] = &bad;
	s.nwindows[0] = 1;
	assert_int_equal(calendar_new(&s, &c), CAL_EINVAL);
	bad = (struct cal_window){0, 1441};
	assert_int_equal(calendar_new(&s, &c), CAL_EINVAL);
	s = lima.spec;
	s.first_year = 2030;
	s.last_year = 2020;
	assert_int_equal(calendar_new(&s, &c), CAL_EINVAL);
}

static void
test_R6_exceptions_and_many_windows(void **state)
{
	(void)state;
	/* Three windows on Mondays, a closed Tuesday, Saturday extra hours,
	 * extra hours on a holiday, an extra window overlapping a regular one. */
	struct cal_window mon[3] = {{7 * 60, 9 * 60}, {10 * 60, 11 * 60},
	                            {20 * 60, 24 * 60}};
	struct cal_exception exc[] = {
		{days_from_civil(2026, 3, 3), CAL_EXC_CLOSED, {0, 0}},
		{days_from_civil(2026, 3, 7), CAL_EXC_OPEN, {9 * 60, 13 * 60}},
		{days_from_civil(2026, 4, 2), CAL_EXC_OPEN, {10 * 60, 11 * 60}},
		{days_from_civil(2026, 3, 4), CAL_EXC_OPEN, {11 * 60, 15 * 60}},
	};
	struct cal_spec s = lima.spec;
	s.week[0] = mon;
	s.nwindows[0] = 3;
	s.exceptions = exc;
	s.nexceptions = 4;
	struct calendar *c;
	assert_int_equal(calendar_new(&s, &c), CAL_OK);
	struct naive_cal nc = lima.naive;
	nc.week[0] = mon;
	nc.nwindows[0] = 3;
	nc.exceptions = exc;
	nc.nexceptions = 4;
	static const struct {
		const char *a, *b;
		int64_t want_s;
	} rows[] = {
		{"2026-03-02 00:00:00", "2026-03-03 00:00:00", 7 * 3600}, /* Mon */
		{"2026-03-03 00:00:00", "2026-03-04 00:00:00", 0},        /* closed */
		{"2026-03-04 00:00:00", "2026-03-05 00:00:00", 10 * 3600}, /* 08-18 */
		{"2026-03-07 00:00:00", "2026-03-08 00:00:00", 4 * 3600}, /* Sat */
		{"2026-04-02 00:00:00", "2026-04-03 00:00:00", 3600},     /* feriado */
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		int64_t v;
		assert_int_equal(calendar_between(c, L(rows[i].a), L(rows[i].b), &v),
		                 CAL_OK);
		assert_int_equal(v, rows[i].want_s);
		assert_int_equal(v, naive_between(&nc, L(rows[i].a), L(rows[i].b)));
	}
	/* Monday 20:00-24:00 runs into Tuesday's local midnight. */
	int64_t v;
	assert_int_equal(calendar_add(c, L("2026-03-09 23:00:00"), 3600, &v),
	                 CAL_OK);
	assert_int_equal(v, L("2026-03-10 00:00:00"));
	assert_int_equal(calendar_add(c, L("2026-03-09 23:00:00"), 3601, &v),
	                 CAL_OK);
	assert_int_equal(v, L("2026-03-10 08:00:01"));
	assert_true(calendar_is_holiday(c, days_from_civil(2026, 4, 2)));
	assert_false(calendar_is_holiday(c, days_from_civil(2026, 4, 1)));
	calendar_free(c);
}

/* A day of a DST zone with one window 00:00-24:00 every day. */
static void
dst_day(const char *zone, int y, int m, int d, int64_t want_s,
        const struct cal_window *w)
{
	struct tzoff tz;
	char err[256];
	assert_int_equal(tzfile_load(zone, 2031, &tz, err, sizeof err), TZFILE_OK);
	struct cal_spec s = {.tz = &tz, .first_year = 2020, .last_year = 2030};
	for (int i = 0; i < 7; i++) {
		s.week[i] = w;
		s.nwindows[i] = 1;
	}
	struct calendar *c;
	assert_int_equal(calendar_new(&s, &c), CAL_OK);
	int64_t day = days_from_civil(y, m, d);
	/* Local midnights: offsets at noon of each day are safe here. */
	int64_t a = day * 86400 - tzoff_at(&tz, day * 86400 - 12 * 3600);
	int64_t b = (day + 1) * 86400 - tzoff_at(&tz, (day + 1) * 86400 + 12 * 3600);
	int64_t v;
	assert_int_equal(calendar_between(c, a, b, &v), CAL_OK);
	if (v != want_s)
		fail_msg("%s %d-%02d-%02d: %lld s of business time, want %lld",
		         zone, y, m, d, (long long)v, (long long)want_s);
	calendar_free(c);
	tzoff_free(&tz);
}

static void
test_R6_dst_days(void **state)
{
	(void)state;
	static const struct cal_window all = {0, 1440}, night = {60, 240};
	dst_day("America/New_York", 2026, 3, 8, 23 * 3600, &all);
	dst_day("America/New_York", 2026, 11, 1, 25 * 3600, &all);
	dst_day("America/New_York", 2026, 3, 9, 24 * 3600, &all);
	dst_day("Europe/Madrid", 2026, 3, 29, 23 * 3600, &all);
	dst_day("Europe/Madrid", 2026, 10, 25, 25 * 3600, &all);
	/* 01:00-04:00 local: NY skips 02:00-03:00 in March, repeats 01:00-02:00
	 * in November; Madrid skips 02:00-03:00, repeats 02:00-03:00. */
	dst_day("America/New_York", 2026, 3, 8, 2 * 3600, &night);
	dst_day("America/New_York", 2026, 11, 1, 4 * 3600, &night);
	dst_day("Europe/Madrid", 2026, 3, 29, 2 * 3600, &night);
	dst_day("Europe/Madrid", 2026, 10, 25, 4 * 3600, &night);
	dst_day("America/Lima", 2026, 3, 8, 3 * 3600, &night);
}

static void
test_R6_index_cold_start(void **state)
{
	(void)state;
	struct timespec t0, t1;
	struct calendar *c;
	struct cal_spec s = lima.spec;
	s.first_year = 2016;
	s.last_year = 2035;   /* 20 years */
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(calendar_new(&s, &c), CAL_OK);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 +
	            (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
	print_message("calendar_new, 20 years of Lima: %.3f ms\n", ms);
	/* Generous for sanitizer and Debug builds; bench/sla reports it too. */
	assert_true(ms < 200.0);
	calendar_free(c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_R6_add_edge_rules),
		cmocka_unit_test(test_R6_next_open_and_is_open),
		cmocka_unit_test(test_R6_between_signs_and_days),
		cmocka_unit_test(test_R6_span_errors),
		cmocka_unit_test(test_R6_exceptions_and_many_windows),
		cmocka_unit_test(test_R6_dst_days),
		cmocka_unit_test(test_R6_index_cold_start),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
