/*
 * test_holidays.c - Peru's feriados from our rules, Easter, iCalendar import.
 *
 * The generated set must equal ../shared/calendars/peru-holidays.csv and
 * .ics date for date (2024-2030), hold 12/14/15/16 feriados a year as the
 * laws came in (2017-2035), and the .ics importer must expand yearly
 * recurrences, multi-day events, RDATE and EXDATE.
 */
#include "app/base/csvfile.h"
#include "app/config/holidays_ics.h"
#include "core/holiday.h"
#include "util/timefmt.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

static struct holiday gen[512];

static size_t
generate(int y0, int y1)
{
	size_t n = holiday_expand(&holidays_pe, y0, y1, gen, 512);
	assert_true(n <= 512);
	return n;
}

struct csv_check {
	size_t n, i;
	int header;
};

static int
csv_row(char **fields, int nf, long line, void *user)
{
	struct csv_check *c = user;
	assert_true(nf >= 3);
	if (!c->header) {
		c->header = 1;
		assert_string_equal(fields[0], "date");
		return 0;
	}
	int64_t day;
	assert_int_equal(iso_date_parse(fields[0], &day), 0);
	if (c->i >= c->n)
		fail_msg("line %ld: %s not generated", line, fields[0]);
	if (gen[c->i].day != day) {
		char g[ISO_DATE_LEN];
		iso_date_format(gen[c->i].day, g);
		fail_msg("line %ld: csv %s, generated %s", line, fields[0], g);
	}
	assert_string_equal(gen[c->i].name_es, fields[1]);
	assert_string_equal(gen[c->i].name_en, fields[2]);
	c->i++;
	return 0;
}

static void
test_R6_peru_matches_shared_csv(void **state)
{
	(void)state;
	struct csv_check c = {generate(2024, 2030), 0, 0};
	char err[256];
	FILE *f = fopen(SOPORTE_SHARED "/calendars/peru-holidays.csv", "rb");
	assert_non_null(f);
	if (csv_read(f, csv_row, &c, err, sizeof err) != 0)
		fail_msg("peru-holidays.csv: %s", err);
	fclose(f);
	assert_int_equal(c.i, 112);
	assert_int_equal(c.n, 112);
}

static void
test_R6_peru_matches_shared_ics(void **state)
{
	(void)state;
	struct holiday_list l = {0};
	char err[256];
	assert_int_equal(holidays_ics_load(SOPORTE_SHARED
	                                   "/calendars/peru-holidays.ics",
	                                   2024, 2030, &l, err, sizeof err),
	                 HLIST_OK);
	size_t n = generate(2024, 2030);
	assert_int_equal(l.n, n);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(l.v[i].day, gen[i].day);
		assert_string_equal(l.v[i].name_es, gen[i].name_es);
	}
	holiday_list_free(&l);
}

static void
test_R6_peru_laws_by_year(void **state)
{
	(void)state;
	static const struct {
		int year, count;
	} want[] = {
		{2017, 12}, {2018, 12}, {2019, 12}, {2020, 12}, {2021, 12},
		{2022, 14}, /* + 6 Aug (Ley 31530), 9 Dec (Ley 31381) */
		{2023, 15}, /* + 23 Jul (Ley 31822) */
		{2024, 16}, /* + 7 Jun (Ley 31788) */
		{2030, 16}, {2035, 16},
	};
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		size_t n = generate(want[i].year, want[i].year);
		assert_int_equal(n, (size_t)want[i].count);
		for (size_t k = 1; k < n; k++)
			assert_true(gen[k - 1].day < gen[k].day);
	}
	/* 7 Jun 2023 was not yet a feriado; 23 Jul 2023 was. */
	size_t n = generate(2023, 2023);
	for (size_t k = 0; k < n; k++)
		assert_true(gen[k].day != days_from_civil(2023, 6, 7));
	assert_int_equal(generate(2017, 2035),
	                 5 * 12 + 14 + 15 + 12 * 16);
}

static void
test_R6_easter_dates(void **state)
{
	(void)state;
	static const char *const easter[] = {
		"2017-04-16", "2018-04-01", "2019-04-21", "2020-04-12",
		"2021-04-04", "2022-04-17", "2023-04-09", "2024-03-31",
		"2025-04-20", "2026-04-05", "2027-03-28", "2028-04-16",
		"2029-04-01", "2030-04-21", "2031-04-13", "2032-03-28",
		"2033-04-17", "2034-04-09", "2035-03-25",
	};
	for (int i = 0; i < 19; i++) {
		int64_t d;
		assert_int_equal(iso_date_parse(easter[i], &d), 0);
		assert_int_equal(holiday_easter(2017 + i), d);
		/* Jueves and Viernes Santo are the Thursday and Friday before. */
		size_t n = generate(2017 + i, 2017 + i);
		int seen = 0;
		for (size_t k = 0; k < n; k++)
			if (gen[k].day == d - 3 || gen[k].day == d - 2)
				seen++;
		assert_int_equal(seen, 2);
		assert_int_equal(weekday_from_days(d - 3), 3);
	}
}

static const char ics_text[] =
	"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n"
	/* Yearly from 2020, except 2027. */
	"BEGIN:VEVENT\r\nUID:a@t\r\nDTSTAMP:20260101T000000Z\r\n"
	"DTSTART;VALUE=DATE:20200315\r\nDTEND;VALUE=DATE:20200316\r\n"
	"RRULE:FREQ=YEARLY\r\nEXDATE;VALUE=DATE:20270315\r\n"
	"SUMMARY:Día de la empresa\r\nEND:VEVENT\r\n"
	/* Two days, plus an extra start date (two days again). */
	"BEGIN:VEVENT\r\nUID:b@t\r\nDTSTAMP:20260101T000000Z\r\n"
	"DTSTART;VALUE=DATE:20261224\r\nDTEND;VALUE=DATE:20261226\r\n"
	"RDATE;VALUE=DATE:20261231\r\nSUMMARY:Cierre\r\nEND:VEVENT\r\n"
	/* Yearly with a count, on the last Monday of May. */
	"BEGIN:VEVENT\r\nUID:c@t\r\nDTSTAMP:20260101T000000Z\r\n"
	"DTSTART;VALUE=DATE:20250526\r\n"
	"RRULE:FREQ=YEARLY;BYMONTH=5;BYDAY=-1MO;COUNT=3\r\n"
	"SUMMARY:Memorial\r\nEND:VEVENT\r\n"
	"END:VCALENDAR\r\n";

static void
test_R6_ics_recurrences(void **state)
{
	(void)state;
	struct holiday_list l = {0};
	char err[256];
	assert_int_equal(holidays_ics_parse(ics_text, 2025, 2028, &l, err,
	                                    sizeof err), HLIST_OK);
	static const char *const want[] = {
		"2025-03-15", "2025-05-26", "2026-03-15", "2026-05-25",
		"2026-12-24", "2026-12-25", "2026-12-31", "2027-01-01",
		"2027-05-31",
		"2028-03-15",
	};
	assert_int_equal(l.n, sizeof want / sizeof want[0]);
	for (size_t i = 0; i < l.n; i++) {
		char d[ISO_DATE_LEN];
		iso_date_format(l.v[i].day, d);
		assert_string_equal(d, want[i]);
	}
	assert_string_equal(l.v[0].name_es, "Día de la empresa");
	holiday_list_free(&l);
}

static void
test_R6_ics_rejects_garbage(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"",
		"hello world\r\n",
		("BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nSUMMARY:x\r\nEND:VEVENT\r\n"
		 "END:VCALENDAR\r\n"),
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct holiday_list l = {0};
		char err[256];
		assert_int_equal(holidays_ics_parse(bad[i], 2025, 2026, &l, err,
		                                    sizeof err), HLIST_EFORMAT);
		holiday_list_free(&l);
	}
	struct holiday_list l = {0};
	char err[256];
	assert_int_equal(holidays_ics_load("/nonexistent.ics", 2025, 2026, &l,
	                                   err, sizeof err), HLIST_EIO);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_R6_peru_matches_shared_csv),
		cmocka_unit_test(test_R6_peru_matches_shared_ics),
		cmocka_unit_test(test_R6_peru_laws_by_year),
		cmocka_unit_test(test_R6_easter_dates),
		cmocka_unit_test(test_R6_ics_recurrences),
		cmocka_unit_test(test_R6_ics_rejects_garbage),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
