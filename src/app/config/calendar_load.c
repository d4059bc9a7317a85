/*
 * calendar_load.c - policy + tz database + holidays -> calendar.
 */
#include "app/config/calendar_load.h"

#include "app/config/tzfile.h"
#include "core/holiday.h"
#include "util/errmsg.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Adds the policy's holidays (or the override file's) for [y0, y1]. */
static enum calload_rc
gather_holidays(const struct policy *p, const struct calendar_load_opts *o,
                int y0, int y1, struct holiday_list *l, char *err,
                size_t errlen)
{
	const char *ics = o->ics_path;
	if (ics == NULL && p->holidays[0] != '\0') {
		const struct holiday_set *set = holiday_set_find(p->holidays);
		if (set == NULL) {
			errmsg_set(err, errlen, "unknown holiday set '%s'", p->holidays);
			return CALLOAD_EHOLIDAYS;
		}
		size_t need = holiday_expand(set, y0, y1, NULL, 0);
		struct holiday *tmp = malloc((need ? need : 1) * sizeof *tmp);
		if (tmp == NULL)
			return CALLOAD_ENOMEM;
		holiday_expand(set, y0, y1, tmp, need);
		for (size_t i = 0; i < need; i++)
			if (holiday_list_add(l, tmp[i].day, tmp[i].name_es,
			                     tmp[i].name_en) != 0) {
				free(tmp);
				return CALLOAD_ENOMEM;
			}
		free(tmp);
	}
	if (ics == NULL && p->holidays_ics[0] != '\0')
		ics = p->holidays_ics;
	if (ics != NULL) {
		enum hlist_rc rc = holidays_ics_load(ics, y0, y1, l, err, errlen);
		if (rc == HLIST_ENOMEM)
			return CALLOAD_ENOMEM;
		if (rc != HLIST_OK)
			return CALLOAD_EHOLIDAYS;
	}
	holiday_list_sort(l);
	return CALLOAD_OK;
}

enum calload_rc
calendar_load(const struct policy *p, const struct calendar_load_opts *opts,
              struct calendar **out, struct holiday_list *holidays, char *err,
              size_t errlen)
{
	struct calendar_load_opts o = opts ? *opts : (struct calendar_load_opts){0};
	struct holiday_list own = {0};
	struct holiday_list *l = holidays ? holidays : &own;
	struct tzoff tz = {0};
	struct cal_window week[7][POLICY_MAX_WINDOWS];
	struct cal_spec spec = {0};
	int64_t *days = NULL;
	enum calload_rc rc;

	*out = NULL;
	if (o.first_year == 0)
		o.first_year = CALENDAR_FIRST_YEAR;
	if (o.last_year == 0)
		o.last_year = CALENDAR_LAST_YEAR;
	const char *zone = p->time_zone[0] ? p->time_zone : "UTC";
	if (tzfile_load(zone, o.last_year + 1, &tz, err, errlen) != TZFILE_OK)
		return CALLOAD_EZONE;
	/* A day each side: instants near the span's edges look at them. */
	rc = gather_holidays(p, &o, o.first_year - 1, o.last_year + 1, l, err,
	                     errlen);
	if (rc != CALLOAD_OK)
		goto out;
	rc = CALLOAD_ENOMEM;
	size_t nextra = o.extra ? o.extra->n : 0;
	days = malloc((l->n + nextra ? l->n + nextra : 1) * sizeof *days);
	if (days == NULL)
		goto out;
	for (size_t i = 0; i < l->n; i++)
		days[i] = l->v[i].day;
	/* calendar_new() takes days in any order, repeated or not. */
	for (size_t i = 0; i < nextra; i++)
		days[l->n + i] = o.extra->v[i].day;
	for (int d = 0; d < 7; d++) {
		int nw = p->week[d].nwindows;
		if (nw < 0 || nw > POLICY_MAX_WINDOWS) {
			errmsg_set(err, errlen, "weekday %d: %d windows", d + 1, nw);
			rc = CALLOAD_EPOLICY;
			goto out;
		}
		for (int w = 0; w < nw; w++) {
			week[d][w].start_min = p->week[d].windows[w].start_min;
			week[d][w].end_min = p->week[d].windows[w].end_min;
		}
		spec.week[d] = week[d];
		spec.nwindows[d] = nw;
	}
	spec.tz = &tz;
	spec.holidays = days;
	spec.nholidays = l->n + nextra;
	spec.first_year = o.first_year;
	spec.last_year = o.last_year;
	switch (calendar_new(&spec, out)) {
	case CAL_OK:
		rc = CALLOAD_OK;
		break;
	case CAL_ENOMEM:
		rc = CALLOAD_ENOMEM;
		break;
	default:
		errmsg_set(err, errlen, "the policy's business hours are not valid "
		       "windows (start < end, within 00:00-24:00)");
		rc = CALLOAD_EPOLICY;
		break;
	}
out:
	if (rc == CALLOAD_ENOMEM)
		errmsg_set(err, errlen, "out of memory");
	free(days);
	tzoff_free(&tz);
	holiday_list_free(&own);
	return rc;
}
