/*
 * policy_json.c - a stored policy version read back (see policy_json.h).
 */
#include "app/config/policy_json.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

static void
text(json_t *o, const char *key, char *out, size_t n)
{
	const char *s = json_string_value(json_object_get(o, key));
	snprintf(out, n, "%s", s ? s : "");
}

static int64_t
hours_s(json_t *o, const char *key)
{
	return (int64_t)json_integer_value(json_object_get(o, key)) * 3600;
}

/* "08:00-12:00" into a window; -1 when it is not one. */
static int
window_parse(const char *s, struct policy_window *w)
{
	unsigned sh, sm, eh, em;
	char end;
	if (s == NULL ||
	    sscanf(s, "%2u:%2u-%2u:%2u%c", &sh, &sm, &eh, &em, &end) != 4)
		return -1;
	w->start_min = (int)(sh * 60 + sm);
	w->end_min = (int)(eh * 60 + em);
	return 0;
}

static int
week(json_t *sc, struct policy *p)
{
	static const char *const keys[7] = {"mon", "tue", "wed", "thu",
	                                    "fri", "sat", "sun"};
	for (int d = 0; d < 7; d++) {
		json_t *a = json_object_get(sc, keys[d]), *w;
		size_t i;
		if (!json_is_array(a))
			return -1;
		json_array_foreach(a, i, w) {
			if (i >= POLICY_MAX_WINDOWS ||
			    window_parse(json_string_value(w),
			                 &p->week[d].windows[i]) != 0)
				return -1;
			p->week[d].nwindows = (int)i + 1;
		}
	}
	return 0;
}

static int
plans(json_t *a, struct policy *p)
{
	size_t i;
	json_t *o;
	if (!json_is_array(a))
		return -1;
	json_array_foreach(a, i, o) {
		if (i >= POLICY_MAX_PLANS)
			return -1;
		struct policy_plan *x = &p->plans[i];
		text(o, "key", x->key, sizeof x->key);
		int kind = plan_kind_parse(x->key);
		if (kind < 0)
			return -1;
		x->kind = (enum plan_kind)kind;
		text(o, "name_es", x->name_es, sizeof x->name_es);
		text(o, "name_en", x->name_en, sizeof x->name_en);
		const char *period = json_string_value(json_object_get(o, "period"));
		x->period = period && strcmp(period, "event") == 0 ? PLAN_PERIOD_EVENT
		                                                   : PLAN_PERIOD_MONTH;
		x->included_s = hours_s(o, "included_hours");
		x->event_min_s = hours_s(o, "event_min_hours");
		x->update_min_s = hours_s(o, "update_min_hours");
		x->purchase_order_required =
		    json_is_true(json_object_get(o, "purchase_order_required"));
		const char *over = json_string_value(json_object_get(o, "overage"));
		x->overage_billed_hourly = over && strcmp(over, "hourly") == 0;
		x->phone_advice = json_is_true(json_object_get(o, "phone_advice"));
		x->email_follow_up =
		    json_is_true(json_object_get(o, "email_follow_up"));
		p->nplans = (int)i + 1;
	}
	return 0;
}

int
policy_from_canonical(const char *src, struct policy *p)
{
	memset(p, 0, sizeof *p);
	json_t *j = src ? json_loads(src, 0, NULL) : NULL;
	json_t *sv = json_object_get(j, "severities"), *o;
	int rc = json_is_object(j) && json_is_array(sv) &&
	                 json_array_size(sv) == POLICY_SEVERITIES
	             ? 0
	             : -1;
	if (rc == 0) {
		text(j, "name", p->name, sizeof p->name);
		text(j, "version", p->version, sizeof p->version);
		text(j, "effective_from", p->effective_from, sizeof p->effective_from);
		text(j, "language", p->language, sizeof p->language);
		p->at_risk_percent =
		    (int)json_integer_value(json_object_get(j, "at_risk_percent"));
		size_t i;
		json_array_foreach(sv, i, o) {
			struct policy_severity *s = &p->severity[i];
			text(o, "name_es", s->name_es, sizeof s->name_es);
			text(o, "name_en", s->name_en, sizeof s->name_en);
			s->response_s = hours_s(o, "response_hours");
			s->response_or_more =
			    json_is_true(json_object_get(o, "response_or_more"));
		}
		p->contact_attempts = (int)json_integer_value(json_object_get(
		    json_object_get(j, "closure"), "contact_attempts"));
		rc = week(json_object_get(j, "schedule"), p);
	}
	if (rc == 0)
		rc = plans(json_object_get(j, "plans"), p);
	json_decref(j);
	return rc;
}
