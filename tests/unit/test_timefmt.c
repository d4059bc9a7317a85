/*
 * test_timefmt.c - instants and dates as the API writes them: UTC ISO-8601
 * against libc's gmtime_r over ten millennia, and Lima's "dd/mm/aaaa
 * HH:MM" against the UTC text of the shifted instant.
 */
#include "../support/lima.h"

#include "app/base/localtime.h"
#include "util/timefmt.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

/* Years 0001-9999 (gmtime_r's year 0 is -1 BC): 0001-01-01T00:00:00Z. */
#define FIRST_S (-62135596800LL)
#define LAST_S (253402300799LL)   /* 9999-12-31T23:59:59Z */

static void
test_iso_utc_matches_gmtime(void **state)
{
	(void)state;
	/* A step prime to 86400 and 60, so every field takes many values. */
	for (int64_t t = FIRST_S; t <= LAST_S; t += 7919LL * 3607) {
		time_t tt = (time_t)t;
		struct tm tm;
		char want[96], got[ISO_UTC_LEN], day[ISO_DATE_LEN];
		assert_non_null(gmtime_r(&tt, &tm));
		strftime(want, sizeof want, "%Y-%m-%dT%H:%M:%SZ", &tm);
		if (tm.tm_year + 1900 < 1000)   /* strftime does not pad %Y */
			snprintf(want, sizeof want, "%04d-%02d-%02dT%02d:%02d:%02dZ",
			         tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
			         tm.tm_hour, tm.tm_min, tm.tm_sec);
		iso_utc_format(t, got);
		assert_string_equal(got, want);
		int64_t back;
		assert_int_equal(iso_utc_parse(got, &back), 0);
		assert_int_equal(back, t);
		iso_date_format(t >= 0 ? t / 86400 : -((-t + 86399) / 86400), day);
		want[10] = '\0';
		assert_string_equal(day, want);
	}
}

static void
test_iso_out_of_range(void **state)
{
	(void)state;
	static const struct {
		const char *name;
		int64_t t;
		const char *want;
	} rows[] = {
		{"epoch", 0, "1970-01-01T00:00:00Z"},
		{"a second before", -1, "1969-12-31T23:59:59Z"},
		{"last second of 9999", LAST_S, "9999-12-31T23:59:59Z"},
		{"year 10000: date zeroed", LAST_S + 1, "0000-00-00T00:00:00Z"},
		{"before year 0: date zeroed", -62167219201LL, "0000-00-00T23:59:59Z"},
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		char got[ISO_UTC_LEN], day[ISO_DATE_LEN];
		iso_utc_format(rows[i].t, got);
		if (strcmp(got, rows[i].want) != 0)
			fail_msg("%s: got %s, want %s", rows[i].name, got, rows[i].want);
		iso_date_format(rows[i].t >= 0 ? rows[i].t / 86400
		                               : -((-rows[i].t + 86399) / 86400),
		                day);
		assert_memory_equal(day, rows[i].want, 10);
	}
}

/* Lima's local text is the UTC text of t shifted by the zone's offset,
 * rearranged, across the fixture's span. */
static void
test_local_time_format(void **state)
{
	(void)state;
	struct fixture lima;
	assert_int_equal(fixture_open(&lima, "America/Lima", 2017, 2035), 0);
	int64_t from = 1483228800;   /* 2017-01-01 */
	int64_t to = 2082758399;     /* 2035-12-31 */
	for (int64_t t = from; t <= to; t += 7919LL * 61) {
		char got[LOCAL_TIME_LEN], u[ISO_UTC_LEN], want[LOCAL_TIME_LEN];
		local_time_format(lima.cal, t, got);
		iso_utc_format(t + calendar_utc_offset(lima.cal, t), u);
		snprintf(want, sizeof want, "%.2s/%.2s/%.4s %.5s", u + 8, u + 5, u,
		         u + 11);
		assert_string_equal(got, want);
	}
	char got[LOCAL_TIME_LEN];
	local_time_format(lima.cal, 1764096600, got);   /* 2025-11-25T18:50Z */
	assert_string_equal(got, "25/11/2025 13:50");
	fixture_close(&lima);
}

static void
test_iso_month(void **state)
{
	(void)state;
	int64_t y = 0;
	int m = 0;
	assert_int_equal(iso_month_parse("2026-12", &y, &m), 0);
	assert_int_equal(y, 2026);
	assert_int_equal(m, 12);
	assert_int_equal(iso_month_parse("2026-13", &y, &m), -1);
	assert_int_equal(iso_month_parse("2026-1", &y, &m), -1);
	assert_int_equal(iso_month_parse("2026-01-01", &y, &m), -1);
	assert_int_equal(iso_month_parse("", &y, &m), -1);
	assert_int_equal(iso_month_parse(NULL, &y, &m), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_iso_utc_matches_gmtime),
		cmocka_unit_test(test_iso_out_of_range),
		cmocka_unit_test(test_local_time_format),
		cmocka_unit_test(test_iso_month),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
