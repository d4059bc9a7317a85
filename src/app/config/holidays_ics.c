/*
 * holidays_ics.c - iCalendar holidays through libical (see holidays_ics.h).
 *
 * SECURITY: untrusted file; at most ICS_MAX_BYTES are read and at most
 * ICS_MAX_OCCURRENCES recurrences are expanded per event.
 */
#include "app/config/holidays_ics.h"

#include "util/errmsg.h"
#include "util/timefmt.h"

#include <libical/ical.h>

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ICS_MAX_BYTES (8 << 20)
#define ICS_MAX_OCCURRENCES 100000
#define ICS_MAX_DAYS 366          /* longest all-day event we accept */

static char *
dupstr(const char *s)
{
	size_t n = strlen(s) + 1;
	char *d = malloc(n);
	if (d)
		memcpy(d, s, n);
	return d;
}

static const char *
own(struct holiday_list *l, const char *s)
{
	if (s == NULL)
		return NULL;
	if (l->nnames > 0 && strcmp(l->names[l->nnames - 1], s) == 0)
		return l->names[l->nnames - 1];
	if (l->nnames == l->capnames) {
		size_t cap = l->capnames ? l->capnames * 2 : 32;
		char **p = realloc(l->names, cap * sizeof *p);
		if (p == NULL)
			return NULL;
		l->names = p;
		l->capnames = cap;
	}
	char *d = dupstr(s);
	if (d != NULL)
		l->names[l->nnames++] = d;
	return d;
}

int
holiday_list_add(struct holiday_list *l, int64_t day, const char *name_es,
                 const char *name_en)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 64;
		struct holiday *p = realloc(l->v, cap * sizeof *p);
		if (p == NULL)
			return -1;
		l->v = p;
		l->cap = cap;
	}
	const char *es = own(l, name_es);
	const char *en = name_en == name_es ? es : own(l, name_en);
	if ((name_es && !es) || (name_en && !en))
		return -1;
	l->v[l->n].day = day;
	l->v[l->n].name_es = es;
	l->v[l->n].name_en = en;
	l->n++;
	return 0;
}

static int
cmp_day(const void *a, const void *b)
{
	const struct holiday *x = a, *y = b;
	return (x->day > y->day) - (x->day < y->day);
}

void
holiday_list_sort(struct holiday_list *l)
{
	if (l->n < 2)
		return;
	/* Stable enough: equal days keep one entry, whichever sorted first. */
	qsort(l->v, l->n, sizeof *l->v, cmp_day);
	size_t k = 1;
	for (size_t i = 1; i < l->n; i++)
		if (l->v[i].day != l->v[k - 1].day)
			l->v[k++] = l->v[i];
	l->n = k;
}

void
holiday_list_free(struct holiday_list *l)
{
	for (size_t i = 0; i < l->nnames; i++)
		free(l->names[i]);
	free(l->names);
	free(l->v);
	memset(l, 0, sizeof *l);
}

static int64_t
day_of(struct icaltimetype t)
{
	return days_from_civil(t.year, t.month, t.day);
}

static bool
excluded(icalcomponent *ev, int64_t day)
{
	for (icalproperty *p = icalcomponent_get_first_property(ev,
	                                                        ICAL_EXDATE_PROPERTY);
	     p != NULL;
	     p = icalcomponent_get_next_property(ev, ICAL_EXDATE_PROPERTY))
		if (day_of(icalproperty_get_exdate(p)) == day)
			return true;
	return false;
}

/* Adds the ndays dates from `day` that lie in [lo, hi]. */
static int
add_days(struct holiday_list *l, icalcomponent *ev, int64_t day, int ndays,
         int64_t lo, int64_t hi, const char *name)
{
	if (excluded(ev, day))
		return 0;
	for (int i = 0; i < ndays; i++)
		if (day + i >= lo && day + i <= hi &&
		    holiday_list_add(l, day + i, name, name) != 0)
			return -1;
	return 0;
}

static enum hlist_rc
one_event(icalcomponent *ev, int64_t lo, int64_t hi, int last_year,
          struct holiday_list *l, char *err, size_t errlen)
{
	struct icaltimetype start = icalcomponent_get_dtstart(ev);
	/* libical reads 20261340 as a date: the calendar's day must exist. */
	if (icaltime_is_null_time(start) || !icaltime_is_valid_time(start) ||
	    start.month < 1 || start.month > 12 || start.day < 1 ||
	    start.day > icaltime_days_in_month(start.month, start.year)) {
		const char *uid = icalcomponent_get_uid(ev);
		errmsg_set(err, errlen, "an event%s%.80s has no valid start date",
		           uid ? " " : "", uid ? uid : "");
		return HLIST_EFORMAT;
	}
	int ndays = 1;
	if (start.is_date) {
		struct icaltimetype end = icalcomponent_get_dtend(ev);
		if (!icaltime_is_null_time(end) && end.is_date) {
			int64_t d = day_of(end) - day_of(start);
			ndays = d < 1 ? 1 : d > ICS_MAX_DAYS ? ICS_MAX_DAYS : (int)d;
		}
	}
	const char *name = icalcomponent_get_summary(ev);
	icalproperty *rp = icalcomponent_get_first_property(ev, ICAL_RRULE_PROPERTY);
	if (rp == NULL) {
		if (add_days(l, ev, day_of(start), ndays, lo, hi, name) != 0)
			return HLIST_ENOMEM;
	} else {
		struct icalrecurrencetype rule = icalproperty_get_rrule(rp);
		icalrecur_iterator *it = icalrecur_iterator_new(rule, start);
		if (it == NULL) {
			errmsg_set(err, errlen, "event '%.80s': its repeat rule cannot be "
			           "read", name ? name : "");
			return HLIST_EFORMAT;
		}
		struct icaltimetype t;
		for (int k = 0; k < ICS_MAX_OCCURRENCES; k++) {
			t = icalrecur_iterator_next(it);
			if (icaltime_is_null_time(t) || t.year > last_year)
				break;
			if (add_days(l, ev, day_of(t), ndays, lo, hi, name) != 0) {
				icalrecur_iterator_free(it);
				return HLIST_ENOMEM;
			}
		}
		icalrecur_iterator_free(it);
	}
	for (icalproperty *p = icalcomponent_get_first_property(ev,
	                                                        ICAL_RDATE_PROPERTY);
	     p != NULL;
	     p = icalcomponent_get_next_property(ev, ICAL_RDATE_PROPERTY)) {
		struct icaldatetimeperiodtype dp = icalproperty_get_rdate(p);
		if (!icaltime_is_null_time(dp.time) &&
		    add_days(l, ev, day_of(dp.time), ndays, lo, hi, name) != 0)
			return HLIST_ENOMEM;
	}
	return HLIST_OK;
}

enum hlist_rc
holidays_ics_parse(const char *text, int first_year, int last_year,
                   struct holiday_list *l, char *err, size_t errlen)
{
	icalcomponent *root = icalparser_parse_string(text);
	enum hlist_rc rc = HLIST_OK;
	if (root == NULL || icalcomponent_isa(root) != ICAL_VCALENDAR_COMPONENT) {
		errmsg_set(err, errlen, "the file is not an iCalendar calendar");
		if (root)
			icalcomponent_free(root);
		return HLIST_EFORMAT;
	}
	int64_t lo = days_from_civil(first_year, 1, 1);
	int64_t hi = days_from_civil(last_year, 12, 31);
	for (icalcomponent *ev = icalcomponent_get_first_component(root,
	                                                      ICAL_VEVENT_COMPONENT);
	     ev != NULL && rc == HLIST_OK;
	     ev = icalcomponent_get_next_component(root, ICAL_VEVENT_COMPONENT))
		rc = one_event(ev, lo, hi, last_year, l, err, errlen);
	icalcomponent_free(root);
	if (rc == HLIST_OK)
		holiday_list_sort(l);
	return rc;
}

enum hlist_rc
holidays_ics_load(const char *path, int first_year, int last_year,
                  struct holiday_list *l, char *err, size_t errlen)
{
	FILE *f = fopen(path, "rb");
	if (f == NULL) {
		errmsg_set(err, errlen, "%s: %s", path, strerror(errno));
		return HLIST_EIO;
	}
	enum hlist_rc rc = HLIST_ENOMEM;
	char *text = malloc(ICS_MAX_BYTES + 1);
	if (text == NULL)
		goto out;
	size_t n = fread(text, 1, ICS_MAX_BYTES + 1, f);
	if (ferror(f) || n > ICS_MAX_BYTES) {
		errmsg_set(err, errlen, "%s: %s", path,
		       ferror(f) ? "read error" : "file too big");
		rc = HLIST_EIO;
		goto out;
	}
	text[n] = '\0';
	rc = holidays_ics_parse(text, first_year, last_year, l, err, errlen);
	if (rc != HLIST_OK && rc != HLIST_ENOMEM) {
		char inner[256];
		snprintf(inner, sizeof inner, "%s", err);
		errmsg_set(err, errlen, "%s: %s", path, inner);
	}
out:
	free(text);
	fclose(f);
	return rc;
}
