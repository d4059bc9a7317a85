/*
 * sla_report_pdf.c - the SLA report as a PDF document (see
 * sla_report.h): the figures of its JSON, the words of
 * templates/LANG/sla_report.lines, the layout of src/render.
 */
#include "app/ops/sla_report.h"
#include "app/base/docwords.h"
#include "app/config/document.h"
#include "render/doc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static long long
jint(json_t *o, const char *k)
{
	return (long long)json_integer_value(json_object_get(o, k));
}

static const char *
jstr(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s ? s : "";
}

/* Business seconds as hours and minutes, "1:30 h"; "—" for none. */
static const char *
hm(struct docwords *W, json_t *v)
{
	if (!json_is_integer(v))
		return "—";
	long long s = json_integer_value(v), m = (s + 30) / 60;
	return dw_fmt(W, "%lld:%02lld h", m / 60, m % 60);
}

static const char *
sev_name(const struct policy *pol, const char *lang, int sev)
{
	if (sev < 1 || sev > POLICY_SEVERITIES)
		return "";
	const struct policy_severity *s = &pol->severity[sev - 1];
	return strcmp(lang, "en") == 0 ? s->name_en : s->name_es;
}

static void
summary(struct doc *d, struct docwords *W, json_t *rep)
{
		json_t *t = json_object_get(rep, "totals");
	const char *kv[] = {
		dw_word(W, "tickets"), dw_fmt(W, "%lld", jint(t, "tickets")),
		dw_word(W, "met"), dw_fmt(W, "%lld", jint(t, "met")),
		dw_word(W, "breached"), dw_fmt(W, "%lld", jint(t, "breached")),
		dw_word(W, "pending"), dw_fmt(W, "%lld", jint(t, "pending")),
		dw_word(W, "no_clock"), dw_fmt(W, "%lld", jint(t, "no_clock")),
		dw_word(W, "median"), hm(W, json_object_get(t, "median_first_response_s")),
		dw_word(W, "p90"), hm(W, json_object_get(t, "p90_first_response_s")),
	};
	doc_heading(d, dw_word(W, "summary"));
	doc_keyvalues(d, kv, sizeof kv / sizeof kv[0] / 2);
}

static void
severities(struct doc *d, struct docwords *W, const struct policy *pol,
           json_t *rep)
{
		const char *labels[POLICY_SEVERITIES];
	double met[POLICY_SEVERITIES], br[POLICY_SEVERITIES],
	    pe[POLICY_SEVERITIES];
	const char *cells[(POLICY_SEVERITIES + 1) * 8];
	size_t n = 0, i;
	json_t *s;
	json_array_foreach(json_object_get(rep, "severities"), i, s) {
		if (i >= POLICY_SEVERITIES)
			break;
		labels[i] = dw_fmt(W, "%lld %s", jint(s, "severity"),
		                sev_name(pol, W->lang, (int)jint(s, "severity")));
		met[i] = (double)jint(s, "met");
		br[i] = (double)jint(s, "breached");
		pe[i] = (double)jint(s, "pending");
		const char *row[] = {
			labels[i], hm(W, json_object_get(s, "target_s")),
			dw_fmt(W, "%lld", jint(s, "tickets")), dw_fmt(W, "%lld", jint(s, "met")),
			dw_fmt(W, "%lld", jint(s, "breached")),
			dw_fmt(W, "%lld", jint(s, "pending")),
			hm(W, json_object_get(s, "median_first_response_s")),
			hm(W, json_object_get(s, "p90_first_response_s")),
		};
		memcpy(&cells[n * 8], row, sizeof row);
		n++;
	}
	json_t *t = json_object_get(rep, "totals");
	const char *foot[] = {
		"Total", "", dw_fmt(W, "%lld", jint(t, "tickets")),
		dw_fmt(W, "%lld", jint(t, "met")), dw_fmt(W, "%lld", jint(t, "breached")),
		dw_fmt(W, "%lld", jint(t, "pending")),
		hm(W, json_object_get(t, "median_first_response_s")),
		hm(W, json_object_get(t, "p90_first_response_s")),
	};
	const struct doc_series series[] = {
		{dw_word(W, "met"), met}, {dw_word(W, "breached"), br}, {dw_word(W, "pending"), pe},
	};
	const struct doc_chart ch = {"", "", labels, n, series, 3, 0, 0, NULL};
	const struct doc_column cols[] = {
		{dw_word(W, "severity"), 0.2, DOC_LEFT}, {dw_word(W, "target"), 0, DOC_RIGHT},
		{dw_word(W, "tickets"), 0, DOC_RIGHT}, {dw_word(W, "met"), 0, DOC_RIGHT},
		{dw_word(W, "breached"), 0, DOC_RIGHT}, {dw_word(W, "pending"), 0, DOC_RIGHT},
		{"P50", 0, DOC_RIGHT}, {"P90", 0, DOC_RIGHT},
	};
	const struct doc_table tb = {cols, 8, cells, n, foot};
	doc_heading(d, dw_word(W, "by_severity"));
	doc_chart_stacked(d, &ch);
	doc_table(d, &tb);
}

static void
breaches(struct doc *d, struct docwords *W, json_t *rep)
{
		json_t *list = json_object_get(rep, "breaches"), *b;
	size_t n = json_array_size(list), i;
	doc_heading(d, dw_word(W, "breaches"));
	if (n == 0) {
		doc_paragraph(d, dw_word(W, "none"));
		return;
	}
	const char **cells = calloc(n * 7, sizeof *cells);
	if (cells == NULL) {
		W->bad = 1;
		return;
	}
	json_array_foreach(list, i, b) {
		const char *fr = jstr(b, "first_response_at_local");
		const char *row[] = {
			dw_fmt(W, "#%06lld", jint(b, "ticket_number")),
			jstr(b, "client_domain"), dw_fmt(W, "%lld", jint(b, "severity")),
			jstr(b, "response_due_at_local"), *fr ? fr : "—",
			hm(W, json_object_get(b, "late_by_s")),
			dw_word(W, dw_fmt(W, "cause_%s", jstr(b, "cause"))),
		};
		memcpy(&cells[i * 7], row, sizeof row);
	}
	const struct doc_column cols[] = {
		{dw_word(W, "ticket"), 0.09, DOC_LEFT}, {dw_word(W, "client"), 0.19, DOC_LEFT},
		{dw_word(W, "sev_short"), 0.06, DOC_RIGHT}, {dw_word(W, "due"), 0.18, DOC_LEFT},
		{dw_word(W, "first_response"), 0.18, DOC_LEFT},
		{dw_word(W, "late_by"), 0.1, DOC_RIGHT}, {dw_word(W, "cause"), 0, DOC_LEFT},
	};
	const struct doc_table tb = {cols, 7, cells, n, NULL};
	doc_table(d, &tb);
	free(cells);
}

/* A table of hours by who (client or consultant) with a bar chart. */
static void
hours_of(struct doc *d, struct docwords *W, json_t *list, const char *title,
         const char *who_head, const char *key)
{
		size_t n = json_array_size(list), i;
	if (n == 0)
		return;
	const char **cells = calloc(n * 2, sizeof *cells);
	const char **labels = calloc(n, sizeof *labels);
	double *v = calloc(n, sizeof *v);
	json_t *h;
	if (cells && labels && v) {
		json_array_foreach(list, i, h) {
			labels[i] = cells[i * 2] = jstr(h, key);
			cells[i * 2 + 1] = hm(W, json_object_get(h, "logged_s"));
			v[i] = (double)jint(h, "logged_s") / 3600.0;
		}
		const struct doc_series s = {dw_word(W, "hours_col"), v};
		const struct doc_chart ch = {title, "h", labels, n, &s, 1, 0, 0, NULL};
		const struct doc_column cols[] = {{who_head, 0.7, DOC_LEFT},
		                                  {dw_word(W, "hours_col"), 0, DOC_RIGHT}};
		const struct doc_table tb = {cols, 2, cells, n, NULL};
		doc_chart_bars(d, &ch);
		doc_table(d, &tb);
	} else {
		W->bad = 1;
	}
	free(cells);
	free(labels);
	free(v);
}

static void
waits_hours_escalations(struct doc *d, struct docwords *W, json_t *rep)
{
		json_t *wt = json_object_get(rep, "waits");
	const char *kv[] = {
		dw_word(W, "waits_count"), dw_fmt(W, "%lld", jint(wt, "waits")),
		dw_word(W, "waits_tickets"), dw_fmt(W, "%lld", jint(wt, "tickets")),
		dw_word(W, "waits_hours"), hm(W, json_object_get(wt, "business_s")),
	};
	doc_heading(d, dw_word(W, "waits"));
	doc_keyvalues(d, kv, 3);
	doc_heading(d, dw_word(W, "hours"));
	hours_of(d, W, json_object_get(rep, "hours_by_client"),
	         dw_word(W, "hours_by_client"), dw_word(W, "client"), "client_domain");
	hours_of(d, W, json_object_get(rep, "hours_by_consultant"),
	         dw_word(W, "hours_by_consultant"), dw_word(W, "consultant"), "user_email");
	json_t *e = json_object_get(rep, "escalations");
	const char *ekv[] = {
		dw_word(W, "esc_total"), dw_fmt(W, "%lld", jint(e, "total")),
		dw_word(W, "esc_raise_priority"), dw_fmt(W, "%lld", jint(e, "raise_priority")),
		dw_word(W, "esc_project_manager"),
		dw_fmt(W, "%lld", jint(e, "project_manager")),
		dw_word(W, "esc_severity_change"),
		dw_fmt(W, "%lld", jint(e, "severity_change")),
	};
	doc_heading(d, dw_word(W, "escalations"));
	doc_keyvalues(d, ekv, 4);
}

int
sla_report_pdf(const struct policy *pol, json_t *rep, const char *lang,
               unsigned char **pdf, size_t *len)
{
	struct docwords W = {lang && strcmp(lang, "en") == 0 ? "en" : "es",
	                     "sla_report", NULL, 0, 0};
	const char *month = jstr(rep, "month");
	char mkey[16], year[8];
	snprintf(mkey, sizeof mkey, "month%d",
	         atoi(month + (strlen(month) > 5 ? 5 : 0)));
	snprintf(year, sizeof year, "%.4s", month);
	const struct tvar per[] = {{"month", dw_word(&W, mkey)}, {"year", year}};
	json_t *c = json_object_get(rep, "client");
	const char *who = json_is_object(c)
	                      ? dw_fmt(&W, "%s (%s)", jstr(c, "name"),
	                               jstr(c, "domain"))
	                      : dw_word(&W, "all_clients");
	struct doc *d = document_new(pol, W.lang, dw_word(&W, "title"));
	int rc = -1;
	if (d) {
		doc_subtitle(d, dw_fmt(&W, "%s · %s",
		                       dw_phrase(&W, "period", per, 2), who));
		summary(d, &W, rep);
		severities(d, &W, pol, rep);
		breaches(d, &W, rep);
		waits_hours_escalations(d, &W, rep);
		rc = W.bad ? -1 : doc_finish_pdf(d, pdf, len);
		doc_free(d);
	}
	docwords_free(&W);
	return rc;
}
