/*
 * holiday.h - public holidays generated from rules (pure).
 *
 * A holiday set is a table of rules: a fixed date (day and month) or a
 * day relative to Easter Sunday, each in force from one year to another
 * (the law that created or removed it). holiday_expand() turns a set
 * into the dated holidays of a span of years; the project ships its own
 * sets (holidays_pe.c) instead of data files, so they are reviewed and
 * tested like code.
 */
#ifndef SOPORTE_CORE_HOLIDAY_H
#define SOPORTE_CORE_HOLIDAY_H

#include <stddef.h>
#include <stdint.h>

enum holiday_kind {
	HOLIDAY_FIXED,   /* month/day every year */
	HOLIDAY_EASTER,  /* Easter Sunday + offset_days (Gregorian) */
};

struct holiday_rule {
	enum holiday_kind kind;
	int month, day;          /* HOLIDAY_FIXED */
	int offset_days;         /* HOLIDAY_EASTER: -3 Jueves Santo, -2 Viernes */
	int from_year;           /* first year observed (0: always) */
	int to_year;             /* last year observed (0: still in force) */
	const char *name_es;
	const char *name_en;
	const char *basis;       /* the law behind it */
};

struct holiday_set {
	const char *key;         /* "peru", as named in the policy file */
	const char *name;
	const struct holiday_rule *rules;
	size_t nrules;
};

struct holiday {
	int64_t day;             /* local civil day number */
	const char *name_es;     /* static strings of the rule, or the loader's */
	const char *name_en;
};

/* The day number of Easter Sunday of a Gregorian year (Meeus/Jones/Butcher). */
int64_t holiday_easter(int year);

/* Returns the built-in set with this key, or NULL. */
const struct holiday_set *holiday_set_find(const char *key);

/*
 * Writes the holidays of years [first, last] into out (at most max),
 * sorted by day; returns how many there are in all (which may exceed
 * max: call again with a bigger array).
 */
size_t holiday_expand(const struct holiday_set *set, int first, int last,
                      struct holiday *out, size_t max);

/* The built-in sets. */
extern const struct holiday_set holidays_pe;

#endif
