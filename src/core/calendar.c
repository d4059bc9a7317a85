/*
 * calendar.c - the business-time index (see calendar.h).
 *
 * Build: for every local date of the span (plus one day each side) take
 * its windows, turn each local window into UTC intervals against the
 * zone's offset table, then sort, merge and clip them to the span. The
 * index is three arrays over the n merged intervals, start/end (UTC) and
 * cum[i] = business seconds before interval i (cum[n] = the total), plus
 * first[u] = the first interval ending after the start of UTC day u.
 *
 * count(t), the business seconds in [lo, t), is then first[] plus a step
 * or two (a day holds a few intervals): O(1). Its inverse is a search on
 * cum[]: galloping from a known interval (add() starts where t is, and
 * deadlines are days away, so a handful of probes), else binary.
 * Everything is integer seconds; nothing here reads a clock or a file.
 */
#include "core/calendar.h"

#include "util/timefmt.h"

#include <stdlib.h>
#include <string.h>

#define DAY_S 86400
/* |UTC offset| never reaches this; bounds the zone segments we consult. */
#define MAX_OFFSET_S (26 * 3600)

enum { DAY_HOLIDAY = 1, DAY_CLOSED = 2 };

struct calendar {
	int64_t lo, hi;       /* span served, [lo, hi) UTC, whole UTC days */
	size_t n;             /* open intervals */
	int64_t *start;       /* n UTC starts, ascending */
	int64_t *end;         /* n UTC ends; end[i] <= start[i + 1] */
	int64_t *cum;         /* n + 1 prefix sums of (end - start) */
	uint32_t *first;      /* ndays + 1: first i with end[i] > lo + u * DAY */
	size_t ndays;
	int64_t day0;         /* local day number of flags[0] */
	size_t nflags;
	uint8_t *flags;       /* DAY_HOLIDAY | DAY_CLOSED per local day */
	struct tzoff tz;      /* own copy */
};

struct ivec {
	int64_t (*v)[2];
	size_t n, cap;
};

static int
ivec_push(struct ivec *iv, int64_t s, int64_t e)
{
	if (iv->n == iv->cap) {
		size_t cap = iv->cap ? iv->cap * 2 : 1024;
		void *p = realloc(iv->v, cap * sizeof *iv->v);
		if (p == NULL)
			return -1;
		iv->v = p;
		iv->cap = cap;
	}
	iv->v[iv->n][0] = s;
	iv->v[iv->n][1] = e;
	iv->n++;
	return 0;
}

static int
cmp_interval(const void *a, const void *b)
{
	const int64_t *x = a, *y = b;
	if (x[0] != y[0])
		return x[0] < y[0] ? -1 : 1;
	return (x[1] > y[1]) - (x[1] < y[1]);
}

static int
cmp_exc_day(const void *a, const void *b)
{
	const struct cal_exception *x = a, *y = b;
	return (x->day > y->day) - (x->day < y->day);
}

static bool
window_ok(const struct cal_window *w)
{
	return w->start_min >= 0 && w->start_min < w->end_min &&
	       w->end_min <= 1440;
}

/*
 * Appends the UTC instants whose local time lies in [ls, le) (local
 * seconds since the epoch) to iv: one interval per zone segment met.
 */
static int
local_to_utc(const struct tzoff *tz, int64_t ls, int64_t le, struct ivec *iv)
{
	ptrdiff_t k = tzoff_find(tz, ls - MAX_OFFSET_S);
	for (;; k++) {
		int64_t seg_lo = k < 0 ? INT64_MIN : tz->at_s[k];
		int64_t seg_hi = (size_t)(k + 1) < tz->n ? tz->at_s[k + 1] : INT64_MAX;
		int32_t off = k < 0 ? tz->off0_s : tz->off_s[k];
		if (seg_lo >= le + MAX_OFFSET_S)
			break;
		int64_t s = ls - off, e = le - off;
		if (s < seg_lo)
			s = seg_lo;
		if (e > seg_hi)
			e = seg_hi;
		if (s < e && ivec_push(iv, s, e) != 0)
			return -1;
		if (seg_hi == INT64_MAX)
			break;
	}
	return 0;
}

/* Fills cal->flags from the holidays and closed exceptions. */
static void
mark_days(struct calendar *cal, const struct cal_spec *spec)
{
	for (size_t i = 0; i < spec->nholidays; i++) {
		int64_t d = spec->holidays[i] - cal->day0;
		if (d >= 0 && (size_t)d < cal->nflags)
			cal->flags[d] |= DAY_HOLIDAY;
	}
	for (size_t i = 0; i < spec->nexceptions; i++) {
		int64_t d = spec->exceptions[i].day - cal->day0;
		if (spec->exceptions[i].kind == CAL_EXC_CLOSED && d >= 0 &&
		    (size_t)d < cal->nflags)
			cal->flags[d] |= DAY_CLOSED;
	}
}

/* Generates the raw UTC intervals of every local day into iv. */
static enum cal_rc
gen_intervals(struct calendar *cal, const struct cal_spec *spec,
              const struct cal_exception *opens, size_t nopens,
              struct ivec *iv)
{
	size_t oi = 0;
	for (size_t di = 0; di < cal->nflags; di++) {
		int64_t day = cal->day0 + (int64_t)di;
		int64_t base = day * DAY_S;
		if (cal->flags[di] == 0) {
			int wd = weekday_from_days(day);
			for (int w = 0; w < spec->nwindows[wd]; w++) {
				const struct cal_window *win = &spec->week[wd][w];
				if (local_to_utc(&cal->tz, base + win->start_min * 60,
				                 base + win->end_min * 60, iv) != 0)
					return CAL_ENOMEM;
			}
		}
		while (oi < nopens && opens[oi].day < day)
			oi++;
		for (; oi < nopens && opens[oi].day == day; oi++) {
			const struct cal_window *win = &opens[oi].window;
			if (local_to_utc(&cal->tz, base + win->start_min * 60,
			                 base + win->end_min * 60, iv) != 0)
				return CAL_ENOMEM;
		}
	}
	return CAL_OK;
}

/* Sorts (when needed), merges touching intervals and clips to the span. */
static void
normalize(struct calendar *cal, struct ivec *iv)
{
	bool sorted = true;
	for (size_t i = 1; i < iv->n && sorted; i++)
		if (cmp_interval(iv->v[i - 1], iv->v[i]) > 0)
			sorted = false;
	if (!sorted)
		qsort(iv->v, iv->n, sizeof *iv->v, cmp_interval);
	size_t m = 0;
	for (size_t i = 0; i < iv->n; i++) {
		int64_t s = iv->v[i][0], e = iv->v[i][1];
		if (s < cal->lo)
			s = cal->lo;
		if (e > cal->hi)
			e = cal->hi;
		if (s >= e)
			continue;
		if (m > 0 && s <= iv->v[m - 1][1]) {
			if (e > iv->v[m - 1][1])
				iv->v[m - 1][1] = e;
			continue;
		}
		iv->v[m][0] = s;
		iv->v[m][1] = e;
		m++;
	}
	iv->n = m;
}

static enum cal_rc
build_index(struct calendar *cal, const struct ivec *iv)
{
	cal->n = iv->n;
	cal->ndays = (size_t)((cal->hi - cal->lo) / DAY_S);
	cal->start = malloc((iv->n + 1) * sizeof *cal->start);
	cal->end = malloc((iv->n + 1) * sizeof *cal->end);
	cal->cum = malloc((iv->n + 1) * sizeof *cal->cum);
	cal->first = malloc((cal->ndays + 1) * sizeof *cal->first);
	if (!cal->start || !cal->end || !cal->cum || !cal->first)
		return CAL_ENOMEM;
	int64_t sum = 0;
	for (size_t i = 0; i < iv->n; i++) {
		cal->start[i] = iv->v[i][0];
		cal->end[i] = iv->v[i][1];
		cal->cum[i] = sum;
		sum += iv->v[i][1] - iv->v[i][0];
	}
	cal->cum[iv->n] = sum;
	size_t i = 0;
	for (size_t u = 0; u <= cal->ndays; u++) {
		int64_t t = cal->lo + (int64_t)u * DAY_S;
		while (i < iv->n && cal->end[i] <= t)
			i++;
		cal->first[u] = (uint32_t)i;
	}
	return CAL_OK;
}

enum cal_rc
calendar_new(const struct cal_spec *spec, struct calendar **out)
{
	enum cal_rc rc = CAL_EINVAL;
	struct ivec iv = {0};
	struct cal_exception *opens = NULL;
	size_t nopens = 0;
	struct calendar *cal = NULL;

	*out = NULL;
	if (spec->first_year > spec->last_year || spec->first_year < 1 ||
	    spec->last_year > 9998 || spec->last_year - spec->first_year >= 400)
		goto out;
	for (int d = 0; d < 7; d++) {
		if (spec->nwindows[d] < 0 ||
		    (spec->nwindows[d] > 0 && spec->week[d] == NULL))
			goto out;
		for (int w = 0; w < spec->nwindows[d]; w++)
			if (!window_ok(&spec->week[d][w]))
				goto out;
	}
	for (size_t i = 0; i < spec->nexceptions; i++)
		if (spec->exceptions[i].kind == CAL_EXC_OPEN) {
			if (!window_ok(&spec->exceptions[i].window))
				goto out;
			nopens++;
		} else if (spec->exceptions[i].kind != CAL_EXC_CLOSED) {
			goto out;
		}

	rc = CAL_ENOMEM;
	cal = calloc(1, sizeof *cal);
	if (cal == NULL)
		goto out;
	if (spec->tz != NULL && tzoff_copy(&cal->tz, spec->tz) != 0)
		goto out;
	if (spec->tz == NULL)
		strcpy(cal->tz.name, "UTC");
	cal->lo = days_from_civil(spec->first_year, 1, 1) * DAY_S;
	cal->hi = days_from_civil(spec->last_year + 1, 1, 1) * DAY_S;
	cal->day0 = cal->lo / DAY_S - 1;
	cal->nflags = (size_t)((cal->hi - cal->lo) / DAY_S) + 2;
	cal->flags = calloc(cal->nflags, 1);
	if (nopens > 0)
		opens = malloc(nopens * sizeof *opens);
	if (cal->flags == NULL || (nopens > 0 && opens == NULL))
		goto out;
	nopens = 0;
	for (size_t i = 0; i < spec->nexceptions; i++)
		if (spec->exceptions[i].kind == CAL_EXC_OPEN)
			opens[nopens++] = spec->exceptions[i];
	if (nopens > 1)
		qsort(opens, nopens, sizeof *opens, cmp_exc_day);

	mark_days(cal, spec);
	rc = gen_intervals(cal, spec, opens, nopens, &iv);
	if (rc != CAL_OK)
		goto out;
	normalize(cal, &iv);
	rc = build_index(cal, &iv);
out:
	free(iv.v);
	free(opens);
	if (rc != CAL_OK)
		calendar_free(cal);
	else
		*out = cal;
	return rc;
}

void
calendar_free(struct calendar *cal)
{
	if (cal == NULL)
		return;
	free(cal->start);
	free(cal->end);
	free(cal->cum);
	free(cal->first);
	free(cal->flags);
	tzoff_free(&cal->tz);
	free(cal);
}

void
calendar_span(const struct calendar *cal, int64_t *lo, int64_t *hi)
{
	*lo = cal->lo;
	*hi = cal->hi;
}

/* The first interval with end > t, for lo <= t <= hi (n when none). */
static size_t
locate(const struct calendar *cal, int64_t t)
{
	size_t i = cal->first[(t - cal->lo) / DAY_S];
	while (i < cal->n && cal->end[i] <= t)
		i++;
	return i;
}

/* Business seconds in [lo, t) given i = locate(t). */
static int64_t
count_at(const struct calendar *cal, size_t i, int64_t t)
{
	if (i < cal->n && cal->start[i] <= t)
		return cal->cum[i] + (t - cal->start[i]);
	return cal->cum[i];
}

/*
 * The earliest instant where the count reaches x, 0 < x <= cum[n],
 * searching from interval i on (the answer is known to be >= i).
 */
static int64_t
instant_from(const struct calendar *cal, size_t i, int64_t x)
{
	const int64_t *cum = cal->cum;
	size_t lo = i, hi = cal->n - 1, step = 1;
	/* Gallop: find a bracket [lo, hi] holding the smallest j with
	 * cum[j + 1] >= x. */
	for (;;) {
		size_t probe = lo + step - 1;
		if (probe >= cal->n - 1)
			break;
		if (cum[probe + 1] >= x) {
			hi = probe;
			break;
		}
		lo = probe + 1;
		step *= 2;
	}
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (cum[mid + 1] >= x)
			hi = mid;
		else
			lo = mid + 1;
	}
	return cal->start[lo] + (x - cum[lo]);
}

static bool
in_span(const struct calendar *cal, int64_t t)
{
	return t >= cal->lo && t <= cal->hi;
}

bool
calendar_is_open(const struct calendar *cal, int64_t t)
{
	if (t < cal->lo || t >= cal->hi)
		return false;
	size_t i = locate(cal, t);
	return i < cal->n && cal->start[i] <= t;
}

enum cal_rc
calendar_next_open(const struct calendar *cal, int64_t t, int64_t *out)
{
	if (!in_span(cal, t))
		return CAL_ERANGE;
	size_t i = locate(cal, t);
	if (i >= cal->n)
		return CAL_ERANGE;
	*out = cal->start[i] > t ? cal->start[i] : t;
	return CAL_OK;
}

enum cal_rc
calendar_count(const struct calendar *cal, int64_t t, int64_t *out)
{
	if (!in_span(cal, t))
		return CAL_ERANGE;
	*out = count_at(cal, locate(cal, t), t);
	return CAL_OK;
}

enum cal_rc
calendar_instant(const struct calendar *cal, int64_t x, int64_t *out)
{
	if (x < 0 || x > cal->cum[cal->n])
		return CAL_ERANGE;
	*out = x == 0 ? cal->lo : instant_from(cal, 0, x);
	return CAL_OK;
}

enum cal_rc
calendar_add(const struct calendar *cal, int64_t t, int64_t s, int64_t *out)
{
	if (s < 0)
		return CAL_EINVAL;
	if (!in_span(cal, t))
		return CAL_ERANGE;
	if (s == 0) {
		*out = t;
		return CAL_OK;
	}
	size_t i = locate(cal, t);
	int64_t c = count_at(cal, i, t);
	if (s > cal->cum[cal->n] - c)
		return CAL_ERANGE;
	*out = instant_from(cal, i, c + s);
	return CAL_OK;
}

enum cal_rc
calendar_between(const struct calendar *cal, int64_t a, int64_t b,
                 int64_t *out)
{
	if (!in_span(cal, a) || !in_span(cal, b))
		return CAL_ERANGE;
	*out = count_at(cal, locate(cal, b), b) - count_at(cal, locate(cal, a), a);
	return CAL_OK;
}

int32_t
calendar_utc_offset(const struct calendar *cal, int64_t t)
{
	return tzoff_at(&cal->tz, t);
}

const char *
calendar_zone(const struct calendar *cal)
{
	return cal->tz.name[0] ? cal->tz.name : "UTC";
}

bool
calendar_is_holiday(const struct calendar *cal, int64_t day)
{
	int64_t d = day - cal->day0;
	return d >= 0 && (size_t)d < cal->nflags &&
	       (cal->flags[d] & DAY_HOLIDAY) != 0;
}

int
calendar_each_open(const struct calendar *cal, int64_t from, int64_t to,
                   int (*fn)(int64_t start, int64_t end, void *arg), void *arg)
{
	if (from < cal->lo)
		from = cal->lo;
	if (to > cal->hi)
		to = cal->hi;
	if (from >= to)
		return 0;
	for (size_t i = locate(cal, from); i < cal->n && cal->start[i] < to; i++) {
		int64_t s = cal->start[i] > from ? cal->start[i] : from;
		int64_t e = cal->end[i] < to ? cal->end[i] : to;
		int r = fn(s, e, arg);
		if (r != 0)
			return r;
	}
	return 0;
}
