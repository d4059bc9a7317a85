/*
 * calendar.h - business time: open windows, a time zone, holidays (pure).
 *
 * A calendar answers "how much business time lies between two instants"
 * and "when has this much business time passed", exactly to the second,
 * for rule R6 (response deadlines) and the reports.
 *
 * Business time is the set of UTC instants whose local wall time (in the
 * calendar's zone) on their local date falls in one of that date's open
 * windows. A date's windows are the weekly windows of its weekday, none on
 * a holiday or a closed exception, plus any extra open hours given for the
 * date. Windows are half-open [start, end) in local minutes (0..1440).
 * Local times skipped by a DST change are simply not there; local times
 * repeated by one count twice, because they are real elapsed time.
 *
 * calendar_new() turns that description into an index over a span of
 * years: the sorted, disjoint UTC open intervals with the business seconds
 * before each (a prefix sum), and a per-UTC-day pointer into them. Then
 * calendar_between() is O(1) and calendar_add() is O(log n) in the
 * distance travelled; no call walks the clock. The calendar is read only
 * after calendar_new(), so one calendar may be shared by threads, and
 * calendars are independent of each other (no TZ variable, no libc zone).
 *
 * Instants are int64 UTC seconds. Days are civil day numbers (util/
 * timefmt.h), of the LOCAL date for holidays and exceptions.
 *
 * Edge rules (the SLA vectors pin them):
 * - calendar_add(t, s) is the earliest T >= t with s business seconds in
 *   [t, T): arriving at 12:30 counts from 14:00; a deadline that lands on
 *   a window's end is that end (18:00), not the next morning; arriving on a
 *   holiday counts from the next business day's first window.
 * - calendar_between(a, b) is the business seconds in [a, b), negative
 *   when b < a.
 */
#ifndef SOPORTE_CORE_CALENDAR_H
#define SOPORTE_CORE_CALENDAR_H

#include "core/tzoff.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum cal_rc {
	CAL_OK = 0,
	CAL_ERANGE,   /* an instant or result outside the calendar's span */
	CAL_EINVAL,   /* a malformed spec or argument (negative duration, ...) */
	CAL_ENOMEM,   /* out of memory while building the index */
};

/* One open window, [start_min, end_min) local minutes, 0 <= start < end <= 1440. */
struct cal_window {
	int start_min;
	int end_min;
};

enum cal_exception_kind {
	CAL_EXC_CLOSED,  /* a one-off closed day: no weekly windows that date */
	CAL_EXC_OPEN,    /* extra open hours on a date (even a holiday) */
};

struct cal_exception {
	int64_t day;                  /* local civil day number */
	enum cal_exception_kind kind;
	struct cal_window window;     /* CAL_EXC_OPEN only */
};

/* What calendar_new() reads; the calendar copies what it keeps. */
struct cal_spec {
	const struct cal_window *week[7]; /* 0 = Monday ... 6 = Sunday */
	int nwindows[7];
	const struct tzoff *tz;           /* NULL means UTC */
	const int64_t *holidays;          /* local day numbers, any order */
	size_t nholidays;
	const struct cal_exception *exceptions;
	size_t nexceptions;
	int first_year;                   /* span served, UTC years inclusive */
	int last_year;
};

struct calendar;

/*
 * Builds the index for the spec. Returns CAL_OK and a calendar the caller
 * frees with calendar_free(); CAL_EINVAL for a bad window or span (at most
 * 400 years); CAL_ENOMEM. Holidays and exceptions outside the span are
 * ignored; give the days just before and after it too, they are consulted
 * for instants whose local date lies across a span edge.
 */
enum cal_rc calendar_new(const struct cal_spec *spec, struct calendar **out);
void calendar_free(struct calendar *cal);

/* The span served: [*lo, *hi) UTC. */
void calendar_span(const struct calendar *cal, int64_t *lo, int64_t *hi);

/* True when t is business time (false outside the span). */
bool calendar_is_open(const struct calendar *cal, int64_t t);

/*
 * The earliest business instant >= t in *out. CAL_ERANGE when t is outside
 * the span or no business time follows inside it.
 */
enum cal_rc calendar_next_open(const struct calendar *cal, int64_t t,
                               int64_t *out);

/*
 * The earliest T >= t with exactly s business seconds in [t, T), in *out.
 * CAL_EINVAL when s < 0; CAL_ERANGE when t or T is outside the span.
 */
enum cal_rc calendar_add(const struct calendar *cal, int64_t t, int64_t s,
                         int64_t *out);

/* Business seconds in [a, b) in *out (negative when b < a); CAL_ERANGE. */
enum cal_rc calendar_between(const struct calendar *cal, int64_t a, int64_t b,
                             int64_t *out);

/*
 * Low-level form used by the SLA engine: the business seconds before t
 * since the start of the span (a non-decreasing function), and its
 * inverse, the earliest instant where that count reaches x. Both return
 * CAL_ERANGE outside the span.
 */
enum cal_rc calendar_count(const struct calendar *cal, int64_t t, int64_t *out);
enum cal_rc calendar_instant(const struct calendar *cal, int64_t x,
                             int64_t *out);

/* The UTC offset at t (seconds east of UTC), from the calendar's zone. */
int32_t calendar_utc_offset(const struct calendar *cal, int64_t t);
/* The calendar's zone name ("UTC" when none). */
const char *calendar_zone(const struct calendar *cal);

/* True when local day number `day` is a holiday of the calendar. */
bool calendar_is_holiday(const struct calendar *cal, int64_t day);

/*
 * Walks the open intervals that meet [from, to): calls fn(start, end, arg)
 * with each one clipped to [from, to), in order; stops when fn returns
 * non-zero and returns that value, else 0.
 */
int calendar_each_open(const struct calendar *cal, int64_t from, int64_t to,
                       int (*fn)(int64_t start, int64_t end, void *arg),
                       void *arg);

#endif
