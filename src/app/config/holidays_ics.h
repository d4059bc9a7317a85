/*
 * holidays_ics.h - holidays from RFC 5545 iCalendar files (libical).
 *
 * Every VEVENT is a holiday on its DTSTART date (all-day events: every
 * date up to DTEND, exclusive; timed events: the date of DTSTART as
 * written, which is the local date for floating and Lima times), repeated
 * by its RRULE (e.g. FREQ=YEARLY) and RDATEs, minus its EXDATEs, within
 * the years asked for. Names come from SUMMARY.
 *
 * SECURITY: the file is untrusted text; its size is capped, recurrence
 * expansion is bounded, and libical does the parsing.
 */
#ifndef SOPORTE_APP_HOLIDAYS_ICS_H
#define SOPORTE_APP_HOLIDAYS_ICS_H

#include "core/holiday.h"

#include <stddef.h>

enum hlist_rc {
	HLIST_OK = 0,
	HLIST_EIO,       /* cannot read the file */
	HLIST_EFORMAT,   /* not an iCalendar file, or an event without a date */
	HLIST_ENOMEM,
};

/* A growable list of holidays that owns its name strings. */
struct holiday_list {
	struct holiday *v;
	size_t n, cap;
	char **names;        /* owned copies, freed with the list */
	size_t nnames, capnames;
};

/* Appends one holiday (name copied; NULL allowed); 0 or -1 (no memory). */
int holiday_list_add(struct holiday_list *l, int64_t day, const char *name_es,
                     const char *name_en);
/* Sorts by day and drops repeated days (keeping the first name). */
void holiday_list_sort(struct holiday_list *l);
void holiday_list_free(struct holiday_list *l);

/*
 * Adds the holidays of years [first_year, last_year] in the iCalendar
 * file at path to *l. Returns HLIST_OK or an error with a reason in err.
 */
enum hlist_rc holidays_ics_load(const char *path, int first_year,
                                int last_year, struct holiday_list *l,
                                char *err, size_t errlen);
/* The same from text in memory. */
enum hlist_rc holidays_ics_parse(const char *text, int first_year,
                                 int last_year, struct holiday_list *l,
                                 char *err, size_t errlen);

#endif
