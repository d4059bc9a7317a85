/*
 * api_misc.c - the OpenAPI document, the policy, holidays (list, import)
 * and the business calendar.
 *
 * SECURITY: the .ics upload is untrusted: parsed by holidays_ics_parse()
 * (bounded to the calendar's years), then bound into the store.
 */
#include "app/config/holidays_db.h"
#include "app/ticket/holidays_change.h"
#include "app/config/holidays_ics.h"
#include "app/config/calendar_load.h"
#include "app/config/calendar_live.h"
#include "app/config/policy_show.h"
#include "core/policy.h"
#include "http/api.h"
#include "http/api_handlers.h"
#include "util/log.h"
#include "util/timefmt.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void
h_openapi(struct api_req *q, struct api_resp *r)
{
	(void)q;
	size_t n = strlen(api_openapi_json);
	api_resp_free(r);
	r->raw = malloc(n);
	if (r->raw == NULL) {
		api_error(r, 500, "internal", "out of memory");
		return;
	}
	memcpy(r->raw, api_openapi_json, n);
	r->raw_len = n;
	r->status = 200;
	snprintf(r->content_type, sizeof r->content_type, "application/json");
}

void
h_policy_get(struct api_req *q, struct api_resp *r)
{
	if (q->env == NULL || q->env->pol == NULL) {
		api_error(r, 503, "unavailable", "the server has no policy loaded");
		return;
	}
	json_t *o = policy_to_json(q->env->pol, 1);
	if (o == NULL) {
		api_error(r, 500, "internal", "out of memory");
		return;
	}
	api_json(r, 200, o);
}

void
h_holidays_list(struct api_req *q, struct api_resp *r)
{
	int64_t year;
	if (api_query_int(q, r, "year", CALENDAR_FIRST_YEAR, CALENDAR_LAST_YEAR, 0,
	                  &year) < 0)
		return;
	if (year == 0) {
		int64_t y;
		int m, d;
		civil_from_days(q->now / 86400, &y, &m, &d);
		year = y;
	}
	json_t *arr = json_array();
	const struct holiday_list *l = q->env ? q->env->holidays : NULL;
	for (size_t i = 0; l && i < l->n; i++) {
		int64_t y;
		int m, d;
		civil_from_days(l->v[i].day, &y, &m, &d);
		if (y != year)
			continue;
		char day[ISO_DATE_LEN];
		iso_date_format(l->v[i].day, day);
		json_array_append_new(
		    arr, json_pack("{s:s,s:s,s:s}", "date", day, "name",
		                   l->v[i].name_es ? l->v[i].name_es : "", "source",
		                   "policy"));
	}
	enum store_rc rc = holidays_db_json(q->desk->db, (int)year, arr);
	if (rc != STORE_OK) {
		json_decref(arr);
		api_fail(q, r, rc);
		return;
	}
	api_page(r, arr, NULL);
}

/* A change to the imported days counts at once: later requests get a
 * calendar with it (other servers sharing the database at their
 * scheduler's next run). The change stands even when the rebuild fails. */
static void
refresh_calendar(struct api_req *q)
{
	char err[256];
	if (q->env && q->env->live &&
	    calendar_live_refresh(q->env->live, q->desk->db, err, sizeof err) != 0)
		log_warn("api: holidays: calendar not rebuilt: %s", err);
}

void
h_holidays_import(struct api_req *q, struct api_resp *r)
{
	struct holiday_list l = {0};
	char err[256] = "";
	char *text = malloc(q->raw_len + 1);
	if (text == NULL) {
		api_error(r, 500, "internal", "out of memory");
		return;
	}
	memcpy(text, q->raw_body, q->raw_len);
	text[q->raw_len] = '\0';
	enum hlist_rc hr = holidays_ics_parse(text, CALENDAR_FIRST_YEAR,
	                                      CALENDAR_LAST_YEAR, &l, err, sizeof err);
	free(text);
	if (hr != HLIST_OK) {
		holiday_list_free(&l);
		api_error(r, 400, "invalid_calendar", "%s",
		          err[0] ? err : "not an iCalendar file");
		return;
	}
	holiday_list_sort(&l);
	if (q->env == NULL || q->env->pol == NULL) {
		holiday_list_free(&l);
		api_error(r, 503, "unavailable", "the server has no policy loaded");
		return;
	}
	int added = 0, moved = 0;
	enum store_rc rc = holidays_import(q->desk->db, q->env->pol, &l, api_actor(q),
	                                   q->now, &added, &moved);
	size_t n = l.n;
	holiday_list_free(&l);
	if (rc != STORE_OK) {
		api_fail(q, r, rc);
		return;
	}
	refresh_calendar(q);
	api_json(r, 200,
	         json_pack("{s:i,s:i,s:i}", "days", (int)n, "added", added,
	                   "tickets_moved", moved));
}

/* POST /api/holidays/remove {"date"}: an imported day goes (the
 * policy's own stay: 404), and the open tickets' deadlines with it. */
void
h_holidays_remove(struct api_req *q, struct api_resp *r)
{
	int64_t day;
	const char *date = json_string_value(json_object_get(q->body, "date"));
	if (date == NULL || iso_date_parse(date, &day) != 0) {
		api_error(r, 400, "invalid_field", "date: YYYY-MM-DD");
		return;
	}
	if (q->env == NULL || q->env->pol == NULL) {
		api_error(r, 503, "unavailable", "the server has no policy loaded");
		return;
	}
	int moved = 0;
	enum store_rc rc = holidays_remove(q->desk->db, q->env->pol, day, api_actor(q),
	                                   q->now, &moved);
	if (rc == STORE_NOTFOUND) {
		api_error(r, 404, "not_found", "%s", desk_errmsg(q->desk));
		return;
	}
	if (rc != STORE_OK) {
		api_fail(q, r, rc);
		return;
	}
	refresh_calendar(q);
	api_json(r, 200, json_pack("{s:s,s:i}", "removed", date, "tickets_moved",
	                           moved));
}

/* Looks day up in the policy's holidays, then in arr (imported ones);
 * returns its name or NULL. */
static const char *
holiday_name(const struct api_req *q, int64_t day, json_t *imported)
{
	const struct holiday_list *l = q->env ? q->env->holidays : NULL;
	for (size_t i = 0; l && i < l->n; i++)
		if (l->v[i].day == day)
			return l->v[i].name_es ? l->v[i].name_es : "";
	char iso[ISO_DATE_LEN];
	iso_date_format(day, iso);
	size_t i;
	json_t *h;
	json_array_foreach(imported, i, h) {
		if (strcmp(json_string_value(json_object_get(h, "date")), iso) == 0)
			return json_string_value(json_object_get(h, "name"));
	}
	return NULL;
}

/* GET /api/calendar?from=YYYY-MM-DD&to=YYYY-MM-DD: the business calendar
 * day by day (R6: the hours the response clock runs), at most 366 days;
 * from today (UTC date) for two weeks by default. */
void
h_calendar_get(struct api_req *q, struct api_resp *r)
{
	const char *fs = api_query_get(q, "from"), *ts = api_query_get(q, "to");
	int64_t from = q->now / 86400, to;
	if (fs && iso_date_parse(fs, &from) != 0) {
		api_error(r, 400, "invalid_parameter", "from: YYYY-MM-DD");
		return;
	}
	to = from + 13;
	if (ts && iso_date_parse(ts, &to) != 0) {
		api_error(r, 400, "invalid_parameter", "to: YYYY-MM-DD");
		return;
	}
	if (to < from || to - from > 365) {
		api_error(r, 400, "invalid_parameter",
		          "to: on or after from, at most 366 days");
		return;
	}
	if (q->env == NULL || q->env->pol == NULL) {
		api_error(r, 503, "unavailable", "the server has no policy loaded");
		return;
	}
	int64_t y1, y2;
	int m, d;
	civil_from_days(from, &y1, &m, &d);
	civil_from_days(to, &y2, &m, &d);
	json_t *imported = json_array();
	enum store_rc rc = STORE_OK;
	for (int64_t y = y1; y <= y2 && rc == STORE_OK; y++)
		rc = holidays_db_json(q->desk->db, (int)y, imported);
	if (rc != STORE_OK) {
		json_decref(imported);
		api_fail(q, r, rc);
		return;
	}
	json_t *days = json_array();
	for (int64_t day = from; day <= to; day++) {
		char iso[ISO_DATE_LEN];
		iso_date_format(day, iso);
		int wd = weekday_from_days(day);
		const char *hol = holiday_name(q, day, imported);
		const struct policy_day *pd = &q->env->pol->week[wd];
		json_t *win = json_array();
		if (hol == NULL)
			for (int w = 0; w < pd->nwindows; w++) {
				char t[48];
				snprintf(t, sizeof t, "%02d:%02d-%02d:%02d",
				         pd->windows[w].start_min / 60,
				         pd->windows[w].start_min % 60,
				         pd->windows[w].end_min / 60,
				         pd->windows[w].end_min % 60);
				json_array_append_new(win, json_string(t));
			}
		json_array_append_new(
		    days, json_pack("{s:s,s:i,s:b,s:o,s:o}", "date", iso, "weekday", wd,
		                    "business", json_array_size(win) > 0, "holiday",
		                    hol ? json_string(hol) : json_null(), "windows",
		                    win));
	}
	json_decref(imported);
	api_json(r, 200,
	         json_pack("{s:s,s:o,s:o}", "time_zone", q->env->pol->time_zone,
	                   "items", days, "next_cursor", json_null()));
}
