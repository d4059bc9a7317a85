/*
 * naive_walker.h - the obviously-correct reference for business time.
 *
 * Shared by the property tests and bench/sla (header only, static
 * functions). It knows nothing of the calendar index: it asks "is this
 * instant business time?" from the rules themselves (local time from the
 * zone's offset table, weekday, holiday list, windows) and steps the clock
 * forward a minute at a time, or a second at a time near any pause edge,
 * zone change or the last minute of the target. Exact, and slow on
 * purpose.
 */
#ifndef SOPORTE_TESTS_NAIVE_WALKER_H
#define SOPORTE_TESTS_NAIVE_WALKER_H

#include "core/calendar.h"
#include "core/sla.h"
#include "core/tzoff.h"
#include "util/timefmt.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

struct naive_cal {
	const struct cal_window *week[7];
	int nwindows[7];
	const struct tzoff *tz;
	const int64_t *holidays;       /* sorted local day numbers */
	size_t nholidays;
	const struct cal_exception *exceptions;
	size_t nexceptions;
};

static int
naive_cmp_day(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

static inline bool
naive_is_open(const struct naive_cal *nc, int64_t t)
{
	int64_t local = t + tzoff_at(nc->tz, t);
	int64_t day = (local >= 0 ? local : local - 86399) / 86400;
	int64_t sod = local - day * 86400;
	bool closed = bsearch(&day, nc->holidays, nc->nholidays,
	                      sizeof *nc->holidays, naive_cmp_day) != NULL;
	for (size_t i = 0; i < nc->nexceptions; i++) {
		const struct cal_exception *e = &nc->exceptions[i];
		if (e->day != day)
			continue;
		if (e->kind == CAL_EXC_CLOSED)
			closed = true;
		else if (sod >= e->window.start_min * 60 &&
		         sod < e->window.end_min * 60)
			return true;
	}
	if (closed)
		return false;
	int wd = weekday_from_days(day);
	for (int w = 0; w < nc->nwindows[wd]; w++)
		if (sod >= nc->week[wd][w].start_min * 60 &&
		    sod < nc->week[wd][w].end_min * 60)
			return true;
	return false;
}

static inline bool
naive_paused(const struct sla_pause *p, size_t n, int64_t t)
{
	for (size_t i = 0; i < n; i++)
		if (p[i].start_s <= t && t < p[i].end_s)
			return true;
	return false;
}

/* 60 when [t, t + 60) holds no pause edge and no zone change, else 1. */
static inline int64_t
naive_step(const struct naive_cal *nc, const struct sla_pause *p, size_t n,
           int64_t t)
{
	if (t % 60 != 0)
		return 1;
	for (size_t i = 0; i < n; i++)
		if ((p[i].start_s > t && p[i].start_s < t + 60) ||
		    (p[i].end_s > t && p[i].end_s < t + 60))
			return 1;
	ptrdiff_t k = tzoff_find(nc->tz, t);
	if ((size_t)(k + 1) < nc->tz->n && nc->tz->at_s[k + 1] < t + 60)
		return 1;
	return 60;
}

/*
 * The earliest T >= created with target counted (open, unpaused) seconds
 * in [created, T).
 */
static inline int64_t
naive_due(const struct naive_cal *nc, int64_t created, int64_t target,
          const struct sla_pause *p, size_t n)
{
	int64_t t = created, left = target;
	while (left > 0) {
		int64_t step = naive_step(nc, p, n, t);
		if (step > left)
			step = 1;
		if (naive_is_open(nc, t) && !naive_paused(p, n, t))
			left -= step;
		t += step;
	}
	return t;
}

/* Business seconds in [a, b), a <= b. */
static inline int64_t
naive_between(const struct naive_cal *nc, int64_t a, int64_t b)
{
	int64_t t = a, sum = 0;
	while (t < b) {
		int64_t step = naive_step(nc, NULL, 0, t);
		if (t + step > b)
			step = 1;
		if (naive_is_open(nc, t))
			sum += step;
		t += step;
	}
	return sum;
}

#endif
