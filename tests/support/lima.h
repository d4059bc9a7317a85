/*
 * lima.h - test fixture: the policy's calendar (America/Lima, Mon-Fri
 * 08:00-12:00 and 14:00-18:00, Peru's feriados) built from its parts,
 * with the matching naive_cal for reference checks. Header only.
 */
#ifndef SOPORTE_TESTS_LIMA_H
#define SOPORTE_TESTS_LIMA_H

#include "app/config/tzfile.h"
#include "core/calendar.h"
#include "core/holiday.h"
#include "naive_walker.h"

#include <stdio.h>
#include <string.h>
#include <stdlib.h>

struct fixture {
	struct tzoff tz;
	struct cal_window windows[2];
	int64_t holidays[1024];
	size_t nholidays;
	struct cal_spec spec;
	struct naive_cal naive;
	struct calendar *cal;
};

/* Builds the fixture for `zone` and UTC years [y0, y1]; 0 or -1. */
static inline int
fixture_open(struct fixture *f, const char *zone, int y0, int y1)
{
	static struct holiday tmp[1024];
	char err[256];
	memset(f, 0, sizeof *f);
	if (tzfile_load(zone, y1 + 1, &f->tz, err, sizeof err) != TZFILE_OK) {
		fprintf(stderr, "%s\n", err);
		return -1;
	}
	f->windows[0] = (struct cal_window){8 * 60, 12 * 60};
	f->windows[1] = (struct cal_window){14 * 60, 18 * 60};
	size_t n = holiday_expand(&holidays_pe, y0 - 1, y1 + 1, tmp, 1024);
	if (n > 1024)
		return -1;
	for (size_t i = 0; i < n; i++)
		f->holidays[i] = tmp[i].day;
	f->nholidays = n;
	for (int d = 0; d < 5; d++) {
		f->spec.week[d] = f->windows;
		f->spec.nwindows[d] = 2;
	}
	f->spec.tz = &f->tz;
	f->spec.holidays = f->holidays;
	f->spec.nholidays = n;
	f->spec.first_year = y0;
	f->spec.last_year = y1;
	for (int d = 0; d < 7; d++) {
		f->naive.week[d] = f->spec.week[d];
		f->naive.nwindows[d] = f->spec.nwindows[d];
	}
	f->naive.tz = &f->tz;
	f->naive.holidays = f->holidays;
	f->naive.nholidays = n;
	return calendar_new(&f->spec, &f->cal) == CAL_OK ? 0 : -1;
}

static inline void
fixture_close(struct fixture *f)
{
	calendar_free(f->cal);
	tzoff_free(&f->tz);
}

/* A small, fast, seedable generator (splitmix64). */
static inline uint64_t
rnd(uint64_t *s)
{
	uint64_t z = (*s += 0x9E3779B97F4A7C15u);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
	return z ^ (z >> 31);
}

static inline int64_t
rnd_range(uint64_t *s, int64_t lo, int64_t hi)
{
	return lo + (int64_t)(rnd(s) % (uint64_t)(hi - lo));
}

#endif
