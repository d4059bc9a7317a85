/*
 * test_calendar_dst.c - R6 business time in DST zones agrees with the tz
 * database around every offset change 2020-2030 (and 2036-2045, where the
 * TZif footer rule takes over).
 *
 * The reference is glibc's localtime_r under setenv("TZ") - allowed here,
 * in a single-threaded test, never in src/. Transitions are found
 * independently by scanning with localtime_r and bisecting to the second;
 * they must equal the table src/app/config/tzfile.c read, and the calendar's
 * open/closed answer around each must match the local wall clock.
 */
#include "app/config/tzfile.h"
#include "core/calendar.h"
#include "util/timefmt.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

static const char *const zones[] = {
	"America/New_York", "Europe/Madrid", "America/Lima",
	"Australia/Sydney", "America/Santiago", "Asia/Kolkata",
	"America/Havana",
};

/* Windows every day; some straddle the usual 01:00-03:00 changes and
 * the midnight changes of Santiago and Havana. */
static const struct cal_window windows[] = {
	{0, 20}, {30, 90}, {105, 195}, {8 * 60, 12 * 60}, {23 * 60, 1440},
};
#define NWIN (sizeof windows / sizeof windows[0])

static void
use_zone(const char *zone)
{
	char tz[80];
	snprintf(tz, sizeof tz, ":%s", zone);
	setenv("TZ", tz, 1);
	tzset();
}

static long
ref_offset(int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;
	assert_non_null(localtime_r(&tt, &tm));
	return tm.tm_gmtoff;
}

static bool
ref_open(int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;
	assert_non_null(localtime_r(&tt, &tm));
	int sod = tm.tm_hour * 3600 + tm.tm_min * 60 + tm.tm_sec;
	for (size_t i = 0; i < NWIN; i++)
		if (sod >= windows[i].start_min * 60 && sod < windows[i].end_min * 60)
			return true;
	return false;
}

/* Reference changes in [a, b): hourly scan, then bisection. */
static size_t
ref_transitions(int64_t a, int64_t b, int64_t *out, size_t max)
{
	size_t n = 0;
	long prev = ref_offset(a);
	for (int64_t t = a + 3600; t < b; t += 3600) {
		long cur = ref_offset(t);
		if (cur == prev)
			continue;
		int64_t lo = t - 3600, hi = t; /* offset(lo) = prev, offset(hi) != */
		while (hi - lo > 1) {
			int64_t mid = lo + (hi - lo) / 2;
			if (ref_offset(mid) == prev)
				lo = mid;
			else
				hi = mid;
		}
		assert_true(n < max);
		out[n++] = hi;
		prev = cur;
	}
	return n;
}

static void
check_zone(const char *zone, int y0, int y1)
{
	static int64_t ref[256];
	struct tzoff tz;
	char err[256];
	assert_int_equal(tzfile_load(zone, y1 + 1, &tz, err, sizeof err),
	                 TZFILE_OK);
	use_zone(zone);
	int64_t a = days_from_civil(y0, 1, 1) * 86400;
	int64_t b = days_from_civil(y1 + 1, 1, 1) * 86400;
	size_t n = ref_transitions(a, b, ref, 256);

	/* The table holds exactly these changes, with the same offsets. */
	size_t k = 0;
	for (size_t i = 0; i < tz.n; i++) {
		if (tz.at_s[i] < a || tz.at_s[i] >= b)
			continue;
		if (k >= n || tz.at_s[i] != ref[k])
			fail_msg("%s: table change at %lld, reference %lld", zone,
			         (long long)tz.at_s[i], k < n ? (long long)ref[k] : -1LL);
		k++;
	}
	assert_int_equal(k, n);

	struct cal_spec spec = {.tz = &tz, .first_year = y0, .last_year = y1};
	for (int d = 0; d < 7; d++) {
		spec.week[d] = windows;
		spec.nwindows[d] = NWIN;
	}
	struct calendar *cal;
	assert_int_equal(calendar_new(&spec, &cal), CAL_OK);
	for (size_t i = 0; i < n; i++) {
		int64_t T = ref[i];
		assert_int_equal(tzoff_at(&tz, T - 1), ref_offset(T - 1));
		assert_int_equal(tzoff_at(&tz, T), ref_offset(T));
		assert_int_equal(calendar_utc_offset(cal, T), ref_offset(T));
		int64_t from = T - 6 * 3600, to = T + 6 * 3600, sum = 0;
		if (from < a || to > b)
			continue;
		for (int64_t t = from; t < to; t += 60) {
			bool want = ref_open(t);
			if (calendar_is_open(cal, t) != want)
				fail_msg("%s: is_open(%lld) != %d near change %lld", zone,
				         (long long)t, want, (long long)T);
			/* Also a second inside the minute, and its last second. */
			assert_int_equal(calendar_is_open(cal, t + 37), ref_open(t + 37));
			assert_int_equal(calendar_is_open(cal, t + 59), ref_open(t + 59));
			sum += want ? 60 : 0;
		}
		int64_t v;
		assert_int_equal(calendar_between(cal, from, to, &v), CAL_OK);
		if (v != sum)
			fail_msg("%s: between around %lld = %lld, reference %lld", zone,
			         (long long)T, (long long)v, (long long)sum);
		/* And add() lands where the reference count runs out. */
		if (sum > 0) {
			int64_t got, acc = 0, want = from;
			assert_int_equal(calendar_add(cal, from, sum, &got), CAL_OK);
			for (int64_t t = from; acc < sum; t += 60)
				if (ref_open(t)) {
					acc += 60;
					want = t + 60;
				}
			assert_int_equal(got, want);
		}
	}
	print_message("%s %d-%d: %zu changes agree\n", zone, y0, y1, n);
	calendar_free(cal);
	tzoff_free(&tz);
}

static void
test_R6_dst_zones_2020_2030(void **state)
{
	(void)state;
	for (size_t z = 0; z < sizeof zones / sizeof zones[0]; z++)
		check_zone(zones[z], 2020, 2030);
}

static void
test_R6_dst_footer_rule_2036_2045(void **state)
{
	(void)state;
	check_zone("America/New_York", 2036, 2045);
	check_zone("Europe/Madrid", 2036, 2045);
	check_zone("Australia/Sydney", 2036, 2045);
}

/* A footer-only ("slim") TZif: the rule alone must give NY's changes. */
static void
test_R6_tzif_footer_only(void **state)
{
	(void)state;
	static const char footer[] = "\nEST5EDT,M3.2.0,M11.1.0\n";
	unsigned char f[2 * 44 + 2 * 10 + sizeof footer];
	size_t o = 0;
	for (int part = 0; part < 2; part++) {
		unsigned char h[44] = "TZif2";
		h[20 + 4 * 4 + 3] = 1;   /* typecnt */
		h[20 + 5 * 4 + 3] = 4;   /* charcnt */
		memcpy(f + o, h, 44);
		o += 44;
		static const unsigned char type_est[10] = {
			0xff, 0xff, 0xb9, 0xb0, 0, 0, 'E', 'S', 'T', 0};
		memcpy(f + o, type_est, 10);
		o += 10;
	}
	memcpy(f + o, footer, sizeof footer - 1);
	o += sizeof footer - 1;
	struct tzoff slim, fat;
	char err[256];
	assert_int_equal(tzfile_parse(f, o, 2030, &slim, err, sizeof err),
	                 TZFILE_OK);
	assert_int_equal(tzfile_load("America/New_York", 2030, &fat, err,
	                             sizeof err), TZFILE_OK);
	int64_t a = days_from_civil(2007, 1, 1) * 86400;
	size_t i = 0, j = 0;
	while (i < slim.n && slim.at_s[i] < a)
		i++;
	while (j < fat.n && fat.at_s[j] < a)
		j++;
	int64_t b = days_from_civil(2031, 1, 1) * 86400;
	size_t ni = i, nj = j;
	while (ni < slim.n && slim.at_s[ni] < b)
		ni++;
	while (nj < fat.n && fat.at_s[nj] < b)
		nj++;
	assert_int_equal(ni - i, 48);  /* 24 years x 2 changes */
	assert_int_equal(nj - j, 48);
	for (; i < ni; i++, j++) {
		assert_int_equal(slim.at_s[i], fat.at_s[j]);
		assert_int_equal(slim.off_s[i], fat.off_s[j]);
	}
	tzoff_free(&slim);
	tzoff_free(&fat);
}

/* Every prefix and many corruptions of a real file: errors, no crashes. */
static void
test_R6_tzif_untrusted_bytes(void **state)
{
	(void)state;
	FILE *fp = fopen(TZFILE_DIR "/Europe/Madrid", "rb");
	assert_non_null(fp);
	static unsigned char data[65536], copy[65536];
	size_t len = fread(data, 1, sizeof data, fp);
	fclose(fp);
	char err[256];
	struct tzoff tz;
	for (size_t n = 0; n < len; n++) {
		if (tzfile_parse(data, n, 2030, &tz, err, sizeof err) == TZFILE_OK)
			tzoff_free(&tz);
	}
	uint64_t seed = 12345;
	for (int k = 0; k < 20000; k++) {
		memcpy(copy, data, len);
		for (int m = 0; m < 4; m++) {
			seed = seed * 6364136223846793005u + 1442695040888963407u;
			copy[(seed >> 33) % len] = (unsigned char)(seed >> 20);
		}
		if (tzfile_parse(copy, len, 2030, &tz, err, sizeof err) == TZFILE_OK)
			tzoff_free(&tz);
	}
	assert_int_equal(tzfile_load("../etc/passwd", 2030, &tz, err, sizeof err),
	                 TZFILE_ENAME);
	assert_int_equal(tzfile_load("/etc/passwd", 2030, &tz, err, sizeof err),
	                 TZFILE_ENAME);
	assert_int_equal(tzfile_load("No/Such_Zone", 2030, &tz, err, sizeof err),
	                 TZFILE_ENOENT);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_R6_dst_zones_2020_2030),
		cmocka_unit_test(test_R6_dst_footer_rule_2036_2045),
		cmocka_unit_test(test_R6_tzif_footer_only),
		cmocka_unit_test(test_R6_tzif_untrusted_bytes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
