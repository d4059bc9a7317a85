/*
 * test_duration.c - R8 time entries as consultants type them
 * (util/duration.c): "90m", "1h30m", "21h", corrections "-30m".
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "util/duration.h"

#include <stdio.h>
#include <string.h>

static void
R8_duration_parse_table(void **state)
{
	(void)state;
	static const struct {
		const char *name, *in;
		int sign;
		enum duration_rc want;
		int64_t seconds;
	} rows[] = {
		{"minutes", "90m", 0, DURATION_OK, 5400},
		{"hours and minutes", "1h30m", 0, DURATION_OK, 5400},
		{"hours", "21h", 0, DURATION_OK, 75600},
		{"space between parts", "1h 15m", 0, DURATION_OK, 4500},
		{"seconds", "45s", 0, DURATION_OK, 45},
		{"all units", "1h2m3s", 0, DURATION_OK, 3723},
		{"one minute", "1m", 0, DURATION_OK, 60},
		{"leading zeros", "01h05m", 0, DURATION_OK, 3900},
		{"negative correction", "-30m", 1, DURATION_OK, -1800},
		{"positive correction", "+13m", 1, DURATION_OK, 780},
		{"sign not allowed", "-30m", 0, DURATION_SIGN, 0},
		{"no unit", "90", 0, DURATION_SYNTAX, 0},
		{"units out of order", "30m1h", 0, DURATION_SYNTAX, 0},
		{"unit twice", "1h1h", 0, DURATION_SYNTAX, 0},
		{"unknown unit", "2d", 0, DURATION_SYNTAX, 0},
		{"empty", "", 0, DURATION_SYNTAX, 0},
		{"sign alone", "-", 1, DURATION_SYNTAX, 0},
		{"decimal", "1.5h", 0, DURATION_SYNTAX, 0},
		{"leading space", " 1h", 0, DURATION_SYNTAX, 0},
		{"zero", "0m", 0, DURATION_ZERO, 0},
		{"zero parts", "0h0m", 0, DURATION_ZERO, 0},
		{"1000 h is the cap", "1000h", 0, DURATION_OK, 3600000},
		{"over the cap", "1001h", 0, DURATION_RANGE, 0},
		{"huge number", "99999999999999999999m", 0, DURATION_RANGE, 0},
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		int64_t s = 0;
		enum duration_rc rc = duration_parse(rows[i].in, rows[i].sign, &s);
		if (rc != rows[i].want || (rc == DURATION_OK && s != rows[i].seconds))
			fail_msg("%s: '%s' -> rc %d, %lld s; want rc %d, %lld s",
			         rows[i].name, rows[i].in, rc, (long long)s, rows[i].want,
			         (long long)rows[i].seconds);
	}
}

static void
R8_duration_format_table(void **state)
{
	(void)state;
	static const struct {
		int64_t s;
		const char *want;
	} rows[] = {
		{5400, "1h30m"}, {3600, "1h"}, {60, "1m"}, {-1800, "-30m"},
		{45, "0h00m45s"}, {75600, "21h"}, {0, "0m"},
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		char out[DURATION_TEXT_MAX];
		duration_format(rows[i].s, out);
		if (strcmp(out, rows[i].want) != 0)
			fail_msg("%lld s -> '%s', want '%s'", (long long)rows[i].s, out,
			         rows[i].want);
		int64_t back = 0;
		if (rows[i].s != 0 &&
		    (duration_parse(out, 1, &back) != DURATION_OK || back != rows[i].s))
			fail_msg("'%s' does not parse back to %lld", out,
			         (long long)rows[i].s);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(R8_duration_parse_table),
		cmocka_unit_test(R8_duration_format_table),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
