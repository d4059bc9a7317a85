/*
 * sla_report_out.c - the SLA report's tables for CSV and XLSX (see
 * sla_report.h): the same numbers as its JSON.
 */
#include "app/ops/sla_report.h"

#include <stdio.h>
#include <string.h>

static const struct export_col summary_cols[] = {
	{"severity", EXPORT_TEXT},
	{"target_s", EXPORT_HOURS},
	{"tickets", EXPORT_INT},
	{"met", EXPORT_INT},
	{"breached", EXPORT_INT},
	{"pending", EXPORT_INT},
	{"no_clock", EXPORT_INT},
	{"responded", EXPORT_INT},
	{"median_first_response_s", EXPORT_HOURS},
	{"p90_first_response_s", EXPORT_HOURS},
};
static const struct export_col breach_cols[] = {
	{"ticket_number", EXPORT_INT},
	{"subject", EXPORT_TEXT},
	{"client_domain", EXPORT_TEXT},
	{"severity", EXPORT_INT},
	{"assignee_email", EXPORT_TEXT},
	{"created_at_local", EXPORT_TEXT},
	{"response_due_at_local", EXPORT_TEXT},
	{"first_response_at_local", EXPORT_TEXT},
	{"target_s", EXPORT_HOURS},
	{"late_by_s", EXPORT_HOURS},
	{"cause", EXPORT_TEXT},
};
static const struct export_col client_cols[] = {
	{"client_domain", EXPORT_TEXT},
	{"client_name", EXPORT_TEXT},
	{"logged_s", EXPORT_HOURS},
};
static const struct export_col user_cols[] = {
	{"user_email", EXPORT_TEXT},
	{"user_name", EXPORT_TEXT},
	{"logged_s", EXPORT_HOURS},
};
static const struct export_col escalation_cols[] = {
	{"ticket_number", EXPORT_INT},
	{"kind", EXPORT_TEXT},
	{"from_severity", EXPORT_INT},
	{"to_severity", EXPORT_INT},
	{"from_level", EXPORT_INT},
	{"to_level", EXPORT_INT},
	{"created_at_local", EXPORT_TEXT},
};
const struct export_col sla_report_flat_cols[4] = {
	{"section", EXPORT_TEXT},
	{"key", EXPORT_TEXT},
	{"metric", EXPORT_TEXT},
	{"value", EXPORT_TEXT},
};

#define N(a) (sizeof a / sizeof a[0])

void
sla_report_sheets(json_t *report, struct export_sheet *sh, size_t *n)
{
	json_t *summary = json_deep_copy(json_object_get(report, "severities"));
	json_array_append(summary, json_object_get(report, "totals"));
	json_t *esc = json_object_get(json_object_get(report, "escalations"),
	                              "items");
	sh[0] = (struct export_sheet){"summary", summary_cols, N(summary_cols),
	                              summary};
	sh[1] = (struct export_sheet){
	    "breaches", breach_cols, N(breach_cols),
	    json_incref(json_object_get(report, "breaches"))};
	sh[2] = (struct export_sheet){
	    "hours_by_client", client_cols, N(client_cols),
	    json_incref(json_object_get(report, "hours_by_client"))};
	sh[3] = (struct export_sheet){
	    "hours_by_consultant", user_cols, N(user_cols),
	    json_incref(json_object_get(report, "hours_by_consultant"))};
	sh[4] = (struct export_sheet){"escalations", escalation_cols,
	                              N(escalation_cols), json_incref(esc)};
	*n = SLA_REPORT_SHEETS;
	for (size_t i = 0; i < *n; i++)
		if (sh[i].rows == NULL)
			sh[i].rows = json_array();
}

void
sla_report_sheets_free(struct export_sheet *sheets, size_t n)
{
	for (size_t i = 0; i < n; i++)
		json_decref(sheets[i].rows);
}

static void
flat_add(json_t *out, const char *section, json_t *key, const char *metric,
         json_t *value)
{
	json_t *k = json_is_integer(key)
	                ? json_sprintf("%lld", (long long)json_integer_value(key))
	                : json_incref(key);
	json_array_append_new(out, json_pack("{s:s, s:o, s:s, s:O}", "section",
	                                     section, "key", k ? k : json_string(""),
	                                     "metric", metric, "value",
	                                     value ? value : json_null()));
}

/* Every member of each row of rows except key_name, as metric rows. */
static void
flat_rows(json_t *out, const char *section, json_t *rows, const char *key_name)
{
	size_t i;
	json_t *row, *v;
	const char *m;
	json_array_foreach(rows, i, row) {
		json_t *key = json_object_get(row, key_name);
		json_object_foreach(row, m, v)
			if (strcmp(m, key_name) != 0)
				flat_add(out, section, key, m, v);
	}
}

json_t *
sla_report_flat(json_t *report)
{
	json_t *out = json_array();
	static const char *const head[] = {"month", "first_day", "last_day",
	                                   "as_of", "time_zone"};
	for (size_t i = 0; i < N(head); i++)
		flat_add(out, "report", NULL, head[i],
		         json_object_get(report, head[i]));
	json_t *c = json_object_get(report, "client");
	if (json_is_object(c))
		flat_add(out, "report", NULL, "client_domain",
		         json_object_get(c, "domain"));
	flat_rows(out, "severity", json_object_get(report, "severities"),
	          "severity");
	json_t *tot = json_array();
	json_array_append(tot, json_object_get(report, "totals"));
	flat_rows(out, "severity", tot, "severity");
	json_decref(tot);
	flat_rows(out, "breach", json_object_get(report, "breaches"),
	          "ticket_number");
	json_t *w = json_object_get(report, "waits"), *v;
	const char *m;
	json_object_foreach(w, m, v)
		flat_add(out, "waits", NULL, m, v);
	flat_rows(out, "hours_by_client",
	          json_object_get(report, "hours_by_client"), "client_domain");
	flat_rows(out, "hours_by_consultant",
	          json_object_get(report, "hours_by_consultant"), "user_email");
	json_t *e = json_object_get(report, "escalations");
	json_object_foreach(e, m, v)
		if (strcmp(m, "items") != 0)
			flat_add(out, "escalations", NULL, m, v);
	flat_rows(out, "escalation", json_object_get(e, "items"),
	          "ticket_number");
	return out;
}
