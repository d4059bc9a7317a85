/*
 * tzoff.h - a time zone as a plain table of UTC offsets (pure).
 *
 * The shell reads a zone from the system tz database (src/app/config/tzfile.c)
 * and hands the core this table: from at_s[i] (a UTC instant) on, the
 * local time is UTC + off_s[i]; before at_s[0] it is UTC + off0_s. The
 * table holds every change inside the span it was built for, so the core
 * never needs the tz database, the TZ variable or libc's zone state, and
 * any number of zones can be used at once from any thread.
 *
 * Ownership: tzoff_copy() and the loader allocate at_s/off_s; the owner
 * frees them with tzoff_free(). A zero-initialised table is valid (UTC).
 */
#ifndef SOPORTE_CORE_TZOFF_H
#define SOPORTE_CORE_TZOFF_H

#include <stddef.h>
#include <stdint.h>

#define TZOFF_NAME_MAX 64

struct tzoff {
	char name[TZOFF_NAME_MAX]; /* IANA name, for messages and display */
	int32_t off0_s;            /* offset before the first change */
	size_t n;                  /* number of changes */
	int64_t *at_s;             /* UTC instants of the changes, ascending */
	int32_t *off_s;            /* offset in force from at_s[i] on */
};

/* Returns the UTC offset in seconds in force at UTC instant t. */
int32_t tzoff_at(const struct tzoff *tz, int64_t t);
/* Returns the index of the last change at or before t, or -1 if none. */
ptrdiff_t tzoff_find(const struct tzoff *tz, int64_t t);
/* Deep-copies src into dst; returns 0, or -1 when out of memory. */
int tzoff_copy(struct tzoff *dst, const struct tzoff *src);
/* Frees the arrays and leaves an empty (UTC) table. */
void tzoff_free(struct tzoff *tz);

#endif
