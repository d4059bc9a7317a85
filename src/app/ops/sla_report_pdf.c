/*
 * sla_report_pdf.c - the SLA report as a PDF document (see
 * sla_report.h): the figures of its JSON, the words of
 * templates/LANG/sla_report.lines, the layout of src/render.
 */
#include "app/ops/sla_report.h"
#include "app/base/template.h"
#include "app/config/branding.h"
#include "render/doc.h"
#include "util/buf.h"
#include "util/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Strings the document's blocks borrow until it is finished. */
struct pool {
	char **s;
	size_t n;
	int bad;
};

static const char *
keep(struct pool *p, char *s)
{
	char **m = s ? realloc(p->s, (p->n + 1) * sizeof *m) : NULL;
	if (m == NULL) {
		free(s);
		p->bad = 1;
		return "";
	}
	p->s = m;
	p->s[p->n++] = s;
	return s;
}

static const char *
fmt(struct pool *p, const char *f, ...) __attribute__((format(printf, 2, 3)));
static const char *
fmt(struct pool *p, const char *f, ...)
{
	va_list ap;
	va_start(ap, f);
	struct buf b = BUF_INIT(4096);
	enum buf_rc rc = buf_vprintf(&b, f, ap);
	va_end(ap);
	if (rc != BUF_OK || b.data == NULL) {
		buf_free(&b);
		return keep(p, rc == BUF_OK ? strdup("") : NULL);
	}
	return keep(p, buf_steal(&b));
}

struct words {
	const char *lang;
	struct pool *p;
};

/* The phrase of key in the report's phrase book (the key itself, and a
 * note in the log, when the book lacks it). */
static const char *
w(struct words *W, const char *key)
{
	static const struct tvar pages[] = {{"page", "{{page}}"},
	                                    {"pages", "{{pages}}"}};
	char *out = NULL, err[256];
	if (template_phrase(W->lang, "sla_report", key, pages, 2, &out, err,
	                    sizeof err) != 0) {
		log_warn("sla report: %s", err);
		return key;
	}
	return keep(W->p, out);
}

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
hm(struct pool *p, json_t *v)
{
	if (!json_is_integer(v))
		return "—";
	long long s = json_integer_value(v), m = (s + 30) / 60;
	return fmt(p, "%lld:%02lld h", m / 60, m % 60);
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
summary(struct doc *d, struct words *W, json_t *rep)
{
	struct pool *p = W->p;
	json_t *t = json_object_get(rep, "totals");
	const char *kv[] = {
		w(W, "tickets"), fmt(p, "%lld", jint(t, "tickets")),
		w(W, "met"), fmt(p, "%lld", jint(t, "met")),
		w(W, "breached"), fmt(p, "%lld", jint(t, "breached")),
		w(W, "pending"), fmt(p, "%lld", jint(t, "pending")),
		w(W, "no_clock"), fmt(p, "%lld", jint(t, "no_clock")),
		w(W, "median"), hm(p, json_object_get(t, "median_first_response_s")),
		w(W, "p90"), hm(p, json_object_get(t, "p90_first_response_s")),
	};
	doc_heading(d, w(W, "summary"));
	doc_keyvalues(d, kv, sizeof kv / sizeof kv[0] / 2);
}

static void
severities(struct doc *d, struct words *W, const struct policy *pol,
           json_t *rep)
{
	struct pool *p = W->p;
	const char *labels[POLICY_SEVERITIES];
	double met[POLICY_SEVERITIES], br[POLICY_SEVERITIES],
	    pe[POLICY_SEVERITIES];
	const char *cells[(POLICY_SEVERITIES + 1) * 8];
	size_t n = 0, i;
	json_t *s;
	json_array_foreach(json_object_get(rep, "severities"), i, s) {
		if (i >= POLICY_SEVERITIES)
			break;
		labels[i] = fmt(p, "%lld %s", jint(s, "severity"),
		                sev_name(pol, W->lang, (int)jint(s, "severity")));
		met[i] = (double)jint(s, "met");
		br[i] = (double)jint(s, "breached");
		pe[i] = (double)jint(s, "pending");
		const char *row[] = {
			labels[i], hm(p, json_object_get(s, "target_s")),
			fmt(p, "%lld", jint(s, "tickets")), fmt(p, "%lld", jint(s, "met")),
			fmt(p, "%lld", jint(s, "breached")),
			fmt(p, "%lld", jint(s, "pending")),
			hm(p, json_object_get(s, "median_first_response_s")),
			hm(p, json_object_get(s, "p90_first_response_s")),
		};
		memcpy(&cells[n * 8], row, sizeof row);
		n++;
	}
	json_t *t = json_object_get(rep, "totals");
	const char *foot[] = {
		"Total", "", fmt(p, "%lld", jint(t, "tickets")),
		fmt(p, "%lld", jint(t, "met")), fmt(p, "%lld", jint(t, "breached")),
		fmt(p, "%lld", jint(t, "pending")),
		hm(p, json_object_get(t, "median_first_response_s")),
		hm(p, json_object_get(t, "p90_first_response_s")),
	};
	const struct doc_series series[] = {
		{w(W, "met"), met}, {w(W, "breached"), br}, {w(W, "pending"), pe},
	};
	const struct doc_chart ch = {"", "", labels, n, series, 3, 0, 0, NULL};
	const struct doc_column cols[] = {
		{w(W, "severity"), 0.2, DOC_LEFT}, {w(W, "target"), 0, DOC_RIGHT},
		{w(W, "tickets"), 0, DOC_RIGHT}, {w(W, "met"), 0, DOC_RIGHT},
		{w(W, "breached"), 0, DOC_RIGHT}, {w(W, "pending"), 0, DOC_RIGHT},
		{"P50", 0, DOC_RIGHT}, {"P90", 0, DOC_RIGHT},
	};
	const struct doc_table tb = {cols, 8, cells, n, foot};
	doc_heading(d, w(W, "by_severity"));
	doc_chart_stacked(d, &ch);
	doc_table(d, &tb);
}

static void
breaches(struct doc *d, struct words *W, json_t *rep)
{
	struct pool *p = W->p;
	json_t *list = json_object_get(rep, "breaches"), *b;
	size_t n = json_array_size(list), i;
	doc_heading(d, w(W, "breaches"));
	if (n == 0) {
		doc_paragraph(d, w(W, "none"));
		return;
	}
	const char **cells = calloc(n * 7, sizeof *cells);
	if (cells == NULL) {
		p->bad = 1;
		return;
	}
	json_array_foreach(list, i, b) {
		const char *fr = jstr(b, "first_response_at_local");
		const char *row[] = {
			fmt(p, "#%06lld", jint(b, "ticket_number")),
			jstr(b, "client_domain"), fmt(p, "%lld", jint(b, "severity")),
			jstr(b, "response_due_at_local"), *fr ? fr : "—",
			hm(p, json_object_get(b, "late_by_s")),
			w(W, fmt(p, "cause_%s", jstr(b, "cause"))),
		};
		memcpy(&cells[i * 7], row, sizeof row);
	}
	const struct doc_column cols[] = {
		{w(W, "ticket"), 0.09, DOC_LEFT}, {w(W, "client"), 0.19, DOC_LEFT},
		{w(W, "sev_short"), 0.06, DOC_RIGHT}, {w(W, "due"), 0.18, DOC_LEFT},
		{w(W, "first_response"), 0.18, DOC_LEFT},
		{w(W, "late_by"), 0.1, DOC_RIGHT}, {w(W, "cause"), 0, DOC_LEFT},
	};
	const struct doc_table tb = {cols, 7, cells, n, NULL};
	doc_table(d, &tb);
	free(cells);
}

/* A table of hours by who (client or consultant) with a bar chart. */
static void
hours_of(struct doc *d, struct words *W, json_t *list, const char *title,
         const char *who_head, const char *key)
{
	struct pool *p = W->p;
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
			cells[i * 2 + 1] = hm(p, json_object_get(h, "logged_s"));
			v[i] = (double)jint(h, "logged_s") / 3600.0;
		}
		const struct doc_series s = {w(W, "hours_col"), v};
		const struct doc_chart ch = {title, "h", labels, n, &s, 1, 0, 0, NULL};
		const struct doc_column cols[] = {{who_head, 0.7, DOC_LEFT},
		                                  {w(W, "hours_col"), 0, DOC_RIGHT}};
		const struct doc_table tb = {cols, 2, cells, n, NULL};
		doc_chart_bars(d, &ch);
		doc_table(d, &tb);
	} else {
		p->bad = 1;
	}
	free(cells);
	free(labels);
	free(v);
}

static void
waits_hours_escalations(struct doc *d, struct words *W, json_t *rep)
{
	struct pool *p = W->p;
	json_t *wt = json_object_get(rep, "waits");
	const char *kv[] = {
		w(W, "waits_count"), fmt(p, "%lld", jint(wt, "waits")),
		w(W, "waits_tickets"), fmt(p, "%lld", jint(wt, "tickets")),
		w(W, "waits_hours"), hm(p, json_object_get(wt, "business_s")),
	};
	doc_heading(d, w(W, "waits"));
	doc_keyvalues(d, kv, 3);
	doc_heading(d, w(W, "hours"));
	hours_of(d, W, json_object_get(rep, "hours_by_client"),
	         w(W, "hours_by_client"), w(W, "client"), "client_domain");
	hours_of(d, W, json_object_get(rep, "hours_by_consultant"),
	         w(W, "hours_by_consultant"), w(W, "consultant"), "user_email");
	json_t *e = json_object_get(rep, "escalations");
	const char *ekv[] = {
		w(W, "esc_total"), fmt(p, "%lld", jint(e, "total")),
		w(W, "esc_raise_priority"), fmt(p, "%lld", jint(e, "raise_priority")),
		w(W, "esc_project_manager"),
		fmt(p, "%lld", jint(e, "project_manager")),
		w(W, "esc_severity_change"),
		fmt(p, "%lld", jint(e, "severity_change")),
	};
	doc_heading(d, w(W, "escalations"));
	doc_keyvalues(d, ekv, 4);
}

int
sla_report_pdf(const struct policy *pol, json_t *rep, const char *lang,
               unsigned char **pdf, size_t *len)
{
	struct pool p = {0};
	struct words W = {lang && strcmp(lang, "en") == 0 ? "en" : "es", &p};
	struct branding b;
	branding_get(pol, &b);
	const struct doc_brand brand = {b.company, NULL, NULL, b.phone};
	const char *month = jstr(rep, "month");
	int m = atoi(month + (strlen(month) > 5 ? 5 : 0));
	char mkey[16], year[8];
	snprintf(mkey, sizeof mkey, "month%d", m);
	snprintf(year, sizeof year, "%.4s", month);
	const char *mname = w(&W, mkey);
	json_t *c = json_object_get(rep, "client");
	const char *who = json_is_object(c) ? fmt(&p, "%s (%s)", jstr(c, "name"),
	                                          jstr(c, "domain"))
	                                    : w(&W, "all_clients");
	struct doc *d = doc_new(&brand, W.lang, w(&W, "title"), w(&W, "pages"));
	int rc = -1;
	if (d) {
		const struct tvar per[] = {{"month", mname}, {"year", year}};
		char *period = NULL, err[256];
		char *ptext = NULL;
		if (template_phrase(W.lang, "sla_report", "period", per, 2, &period,
		                    err, sizeof err) == 0)
			ptext = period;
		doc_subtitle(d, fmt(&p, "%s · %s", ptext ? ptext : month, who));
		free(period);
		summary(d, &W, rep);
		severities(d, &W, pol, rep);
		breaches(d, &W, rep);
		waits_hours_escalations(d, &W, rep);
		rc = p.bad ? -1 : doc_finish_pdf(d, pdf, len);
		doc_free(d);
	}
	for (size_t i = 0; i < p.n; i++)
		free(p.s[i]);
	free(p.s);
	return rc;
}
