/*
 * calendar_load.h - build a policy's business calendar (shell side).
 *
 * Gathers what the pure calendar needs from the outside world: the zone
 * from the tz database (tzfile.c), the built-in holiday set the policy
 * names (core/holiday.h), holidays from iCalendar files (holidays_ics.c),
 * then calls calendar_new(). Used by the CLI, the server and the tests.
 */
#ifndef SOPORTE_APP_CALENDAR_LOAD_H
#define SOPORTE_APP_CALENDAR_LOAD_H

#include "app/config/holidays_ics.h"
#include "core/calendar.h"
#include "core/policy.h"

#include <stddef.h>

/* The span a calendar covers unless asked otherwise (UTC years). */
#define CALENDAR_FIRST_YEAR 2015
#define CALENDAR_LAST_YEAR 2045

enum calload_rc {
	CALLOAD_OK = 0,
	CALLOAD_EZONE,      /* the zone cannot be loaded */
	CALLOAD_EHOLIDAYS,  /* unknown holiday set or unreadable .ics */
	CALLOAD_EPOLICY,    /* windows the calendar rejects */
	CALLOAD_ENOMEM,
};

struct calendar_load_opts {
	int first_year, last_year; /* 0: the defaults above */
	const char *ics_path;      /* non-NULL: holidays from this file only,
	                              instead of the policy's set and file */
	const struct holiday_list *extra; /* more closed days (imported ones,
	                              app/config/holidays_db.h): in the calendar, but
	                              not appended to *holidays */
};

/*
 * Builds the calendar of policy p into *out (free with calendar_free());
 * when holidays is non-NULL, the holidays used are appended to it (the
 * caller frees it with holiday_list_free()). On error writes a reason.
 */
enum calload_rc calendar_load(const struct policy *p,
                              const struct calendar_load_opts *opts,
                              struct calendar **out,
                              struct holiday_list *holidays, char *err,
                              size_t errlen);

#endif
