/*
 * policy_diff.c - what changed between two policy versions (see
 * policy_diff.h).
 */
#include "core/policy_diff.h"

#include <stdio.h>
#include <string.h>

static const char *const kind_names[PCH_KIND_COUNT] = {
	[PCH_SEVERITY_TARGET] = "severity_target",
	[PCH_PLAN_ADDED] = "plan_added",
	[PCH_PLAN_REMOVED] = "plan_removed",
	[PCH_PLAN_HOURS] = "plan_hours",
	[PCH_PLAN_EVENT_MIN] = "plan_event_min",
	[PCH_PLAN_UPDATE_MIN] = "plan_update_min",
	[PCH_PLAN_PO_REQUIRED] = "plan_po_required",
	[PCH_PLAN_PO_DROPPED] = "plan_po_dropped",
	[PCH_PLAN_OVERAGE_HOURLY] = "plan_overage_hourly",
	[PCH_PLAN_OVERAGE_DROPPED] = "plan_overage_dropped",
	[PCH_DAY_WINDOWS] = "day_windows",
	[PCH_CONTACT_ATTEMPTS] = "contact_attempts",
};

const char *
policy_change_kind_name(enum policy_change_kind k)
{
	return (unsigned)k < PCH_KIND_COUNT ? kind_names[k] : "unknown";
}

static struct policy_change *
add(struct policy_diff *d, enum policy_change_kind kind, int level,
    const char *name, const char *name_en, const char *key)
{
	if (d->n >= POLICY_DIFF_MAX) {
		d->dropped++;
		return NULL;
	}
	struct policy_change *c = &d->items[d->n++];
	memset(c, 0, sizeof *c);
	c->kind = kind;
	c->level = level;
	snprintf(c->name, sizeof c->name, "%s", name ? name : "");
	snprintf(c->name_en, sizeof c->name_en, "%s", name_en ? name_en : "");
	snprintf(c->key, sizeof c->key, "%s", key ? key : "");
	return c;
}

/* A change of a whole number of hours (seconds in the policy). */
static void
hours(struct policy_diff *d, enum policy_change_kind kind, int level,
      const char *name, const char *name_en, const char *key, int64_t old_s,
      int64_t new_s)
{
	if (old_s == new_s)
		return;
	struct policy_change *c = add(d, kind, level, name, name_en, key);
	if (c == NULL)
		return;
	/* Whole hours, or hours and minutes when the policy has them. */
	int64_t v[2] = {old_s, new_s};
	char *out[2] = {c->old_value, c->new_value};
	for (int i = 0; i < 2; i++)
		if (v[i] % 3600 == 0)
			snprintf(out[i], POLICY_DIFF_TEXT, "%lld", (long long)(v[i] / 3600));
		else
			snprintf(out[i], POLICY_DIFF_TEXT, "%lld:%02lld",
			         (long long)(v[i] / 3600), (long long)(v[i] % 3600 / 60));
}

static void
flag(struct policy_diff *d, bool old_on, bool new_on,
     enum policy_change_kind on, enum policy_change_kind off,
     const struct policy_plan *p)
{
	if (old_on != new_on)
		add(d, new_on ? on : off, 0, p->name_es, p->name_en, p->key);
}

static void
plans(const struct policy *a, const struct policy *b, struct policy_diff *d)
{
	for (int i = 0; i < a->nplans; i++)
		if (policy_plan_find(b, a->plans[i].key) == NULL)
			add(d, PCH_PLAN_REMOVED, 0, a->plans[i].name_es,
			    a->plans[i].name_en, a->plans[i].key);
	for (int i = 0; i < b->nplans; i++) {
		const struct policy_plan *n = &b->plans[i];
		const struct policy_plan *o = policy_plan_find(a, n->key);
		if (o == NULL) {
			add(d, PCH_PLAN_ADDED, 0, n->name_es, n->name_en, n->key);
			continue;
		}
		hours(d, PCH_PLAN_HOURS, 0, n->name_es, n->name_en, n->key,
		      o->included_s, n->included_s);
		hours(d, PCH_PLAN_EVENT_MIN, 0, n->name_es, n->name_en, n->key,
		      o->event_min_s, n->event_min_s);
		hours(d, PCH_PLAN_UPDATE_MIN, 0, n->name_es, n->name_en, n->key,
		      o->update_min_s, n->update_min_s);
		flag(d, o->purchase_order_required, n->purchase_order_required,
		     PCH_PLAN_PO_REQUIRED, PCH_PLAN_PO_DROPPED, n);
		flag(d, o->overage_billed_hourly, n->overage_billed_hourly,
		     PCH_PLAN_OVERAGE_HOURLY, PCH_PLAN_OVERAGE_DROPPED, n);
	}
}

/* "08:00-12:00, 14:00-18:00"; "" for a closed day. */
static void
windows_text(const struct policy_day *day, char out[POLICY_DIFF_TEXT])
{
	size_t len = 0;
	out[0] = '\0';
	for (int i = 0; i < day->nwindows && i < POLICY_MAX_WINDOWS; i++) {
		unsigned s = (unsigned)day->windows[i].start_min % 1441;
		unsigned e = (unsigned)day->windows[i].end_min % 1441;
		int n = snprintf(out + len, POLICY_DIFF_TEXT - len,
		                 "%s%02u:%02u-%02u:%02u", i ? ", " : "", s / 60,
		                 s % 60, e / 60, e % 60);
		if (n < 0 || (size_t)n >= POLICY_DIFF_TEXT - len)
			break;
		len += (size_t)n;
	}
}

void
policy_diff(const struct policy *a, const struct policy *b,
            struct policy_diff *d)
{
	memset(d, 0, sizeof *d);
	for (int i = 0; i < POLICY_SEVERITIES; i++)
		hours(d, PCH_SEVERITY_TARGET, i + 1, b->severity[i].name_es,
		      b->severity[i].name_en, NULL, a->severity[i].response_s,
		      b->severity[i].response_s);
	plans(a, b, d);
	for (int day = 0; day < 7; day++) {
		char o[POLICY_DIFF_TEXT], n[POLICY_DIFF_TEXT];
		windows_text(&a->week[day], o);
		windows_text(&b->week[day], n);
		if (strcmp(o, n) == 0)
			continue;
		struct policy_change *c =
		    add(d, PCH_DAY_WINDOWS, day, NULL, NULL, NULL);
		if (c) {
			memcpy(c->old_value, o, sizeof o);
			memcpy(c->new_value, n, sizeof n);
		}
	}
	if (a->contact_attempts != b->contact_attempts) {
		struct policy_change *c =
		    add(d, PCH_CONTACT_ATTEMPTS, 0, NULL, NULL, NULL);
		if (c) {
			snprintf(c->old_value, sizeof c->old_value, "%d",
			         a->contact_attempts);
			snprintf(c->new_value, sizeof c->new_value, "%d",
			         b->contact_attempts);
		}
	}
}
