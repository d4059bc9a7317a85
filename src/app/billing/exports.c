/*
 * exports.c - the queue, time entries and statements as sheets (see
 * exports.h).
 */
#include "app/billing/exports.h"

#include <stdio.h>

#define N(a) (sizeof a / sizeof a[0])

static const struct export_col queue_cols[] = {
	{"number", EXPORT_INT},
	{"subject", EXPORT_TEXT},
	{"client_domain", EXPORT_TEXT},
	{"client_name", EXPORT_TEXT},
	{"state", EXPORT_TEXT},
	{"severity", EXPORT_INT},
	{"severity_confirmed", EXPORT_TEXT},
	{"assignee", EXPORT_TEXT},
	{"product", EXPORT_TEXT},
	{"coverage", EXPORT_TEXT},
	{"created_at_local", EXPORT_TEXT},
	{"response_due_at_local", EXPORT_TEXT},
	{"first_response_at_local", EXPORT_TEXT},
	{"first_response_business_s", EXPORT_HOURS},
	{"response_met", EXPORT_TEXT},
	{"escalation_level", EXPORT_INT},
	{"closed_at_local", EXPORT_TEXT},
	{"close_reason", EXPORT_TEXT},
};

static const struct export_col time_cols[] = {
	{"id", EXPORT_INT},
	{"ticket_number", EXPORT_INT},
	{"user_email", EXPORT_TEXT},
	{"work_date", EXPORT_TEXT},
	{"seconds", EXPORT_HOURS},
	{"kind", EXPORT_TEXT},
	{"coverage", EXPORT_TEXT},
	{"contract_id", EXPORT_INT},
	{"purchase_order", EXPORT_TEXT},
	{"corrects_id", EXPORT_INT},
	{"note", EXPORT_TEXT},
};

static const struct export_col statement_cols[] = {
	{"contract_id", EXPORT_INT},
	{"plan", EXPORT_TEXT},
	{"line", EXPORT_TEXT},
	{"key", EXPORT_TEXT},
	{"label", EXPORT_TEXT},
	{"included_s", EXPORT_HOURS},
	{"logged_s", EXPORT_HOURS},
	{"used_s", EXPORT_HOURS},
	{"remaining_s", EXPORT_HOURS},
	{"overage_s", EXPORT_HOURS},
	{"billed_s", EXPORT_HOURS},
	{"amount_cents", EXPORT_MONEY},
};

struct export_sheet
export_queue_sheet(json_t *items)
{
	return (struct export_sheet){"tickets", queue_cols, N(queue_cols), items};
}

struct export_sheet
export_time_sheet(json_t *entries)
{
	return (struct export_sheet){"time_entries", time_cols, N(time_cols),
	                             entries};
}

/* One line: the figures of o under the line's names. */
static void
line(json_t *rows, json_t *contract, const char *plan, const char *kind,
     json_t *key, json_t *label, json_t *o)
{
	json_t *row = json_pack("{s:O?, s:s, s:s, s:O?, s:O?}", "contract_id",
	                        contract, "plan", plan, "line", kind, "key", key,
	                        "label", label);
	if (row == NULL)
		return;
	for (size_t c = 5; c < N(statement_cols); c++) {
		json_t *v = json_object_get(o, statement_cols[c].key);
		if (json_is_integer(v))
			json_object_set(row, statement_cols[c].key, v);
	}
	json_array_append_new(rows, row);
}

static void
ticket_lines(json_t *rows, json_t *cid, const char *plan, const char *kind,
             json_t *list, const char *key, const char *label)
{
	size_t i;
	json_t *l;
	json_array_foreach(list, i, l) {
		json_t *k = json_object_get(l, key);
		json_t *ks = json_is_integer(k)
		                 ? json_sprintf("%lld", (long long)json_integer_value(k))
		                 : json_incref(k);
		line(rows, cid, plan, kind, ks, json_object_get(l, label), l);
		json_decref(ks);
	}
}

struct export_sheet
export_statement_sheet(json_t *s)
{
	json_t *rows = json_array(), *k, *grp;
	size_t i;
	json_array_foreach(json_object_get(s, "contracts"), i, k) {
		json_t *cid = json_object_get(k, "contract_id");
		const char *plan = json_string_value(json_object_get(k, "plan"));
		plan = plan ? plan : "";
		line(rows, cid, plan, "contract", NULL,
		     json_object_get(k, "plan_name_es"), k);
		ticket_lines(rows, cid, plan, "ticket", json_object_get(k, "tickets"),
		             "ticket_number", "subject");
		ticket_lines(rows, cid, plan, "consultant",
		             json_object_get(k, "consultants"), "user_email",
		             "user_name");
		ticket_lines(rows, cid, plan, "event", json_object_get(k, "events"),
		             "ticket_number", "purchase_order");
		line(rows, cid, plan, "minimums", NULL, NULL,
		     json_object_get(k, "minimums"));
	}
	const char *g;
	json_object_foreach(json_object_get(s, "not_charged"), g, grp)
		ticket_lines(rows, NULL, g, "not_charged",
		             json_object_get(grp, "tickets"), "ticket_number",
		             "subject");
	line(rows, NULL, "", "total", NULL, NULL, json_object_get(s, "totals"));
	return (struct export_sheet){"statement", statement_cols,
	                             N(statement_cols), rows};
}
