/*
 * statement_pdf.c - the monthly statement as a PDF (see statement.h):
 * statement_json()'s numbers laid out with render/doc.h, in the words of
 * templates/LANG/statement.lines.
 */
#include "app/billing/statement.h"
#include "app/base/template.h"
#include "app/config/document.h"
#include "util/log.h"
#include "util/money.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The texts of one rendering: the phrase book, and every string made
 * for the document, freed together at the end. */
struct words {
	char *book;
	char **keep;
	size_t n, cap;
	int failed;
	char err[256];
};

static const char *
keep(struct words *w, char *s)
{
	if (s == NULL) {
		w->failed = 1;
		return "";
	}
	if (w->n == w->cap) {
		size_t cap = w->cap ? w->cap * 2 : 256;
		char **k = realloc(w->keep, cap * sizeof *k);
		if (k == NULL) {
			free(s);
			w->failed = 1;
			return "";
		}
		w->keep = k;
		w->cap = cap;
	}
	w->keep[w->n++] = s;
	return s;
}

static const char *
fmt(struct words *w, const char *f, ...) __attribute__((format(printf, 2, 3)));

static const char *
fmt(struct words *w, const char *f, ...)
{
	va_list ap, again;
	va_start(ap, f);
	va_copy(again, ap);
	int n = vsnprintf(NULL, 0, f, ap);
	va_end(ap);
	char *s = n >= 0 ? malloc((size_t)n + 1) : NULL;
	if (s)
		vsnprintf(s, (size_t)n + 1, f, again);
	va_end(again);
	return keep(w, s);
}

/* key's phrase with vars filled in. */
static const char *
sayv(struct words *w, const char *key, const struct tvar *v, size_t n)
{
	char *out = NULL;
	if (!w->failed &&
	    phrases_say(w->book, key, v, n, &out, w->err, sizeof w->err) != 0)
		w->failed = 1;
	return keep(w, out);
}

static const char *
say(struct words *w, const char *key)
{
	return sayv(w, key, NULL, 0);
}

static long long
jint(json_t *o, const char *k)
{
	return (long long)json_integer_value(json_object_get(o, k));
}

static const char *
jtext(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s ? s : "";
}

/* Seconds as hours with two decimals: "12.50 h". */
static const char *
hours(struct words *w, long long s)
{
	long long ch = (s >= 0 ? s * 100 + 1800 : s * 100 - 1800) / 3600;
	long long a = ch < 0 ? -ch : ch;
	return fmt(w, "%s%lld.%02lld h", ch < 0 ? "-" : "", a / 100, a % 100);
}

static const char *
money(struct words *w, long long cents)
{
	char m[MONEY_TEXT_MAX];
	money_text(cents, m);
	return fmt(w, "%s", m);
}

/* "YYYY-MM-DD" as people read it: "dd/mm/aaaa". */
static const char *
date(struct words *w, const char *iso)
{
	if (strlen(iso) != 10)
		return fmt(w, "%s", iso);
	return fmt(w, "%.2s/%.2s/%.4s", iso + 8, iso + 5, iso);
}

static const char *
range(struct words *w, const char *key, json_t *o)
{
	const struct tvar v[] = {{"from", date(w, jtext(o, "first_day"))},
	                         {"to", date(w, jtext(o, "last_day"))}};
	return sayv(w, key, v, 2);
}

/* "marzo de 2026" for "2026-03". */
static const char *
month_name(struct words *w, const char *ym)
{
	int m = atoi(ym + 5);
	char key[8];
	snprintf(key, sizeof key, "m%d", m >= 1 && m <= 12 ? m : 1);
	const struct tvar v[] = {{"name", say(w, key)},
	                         {"year", fmt(w, "%.4s", ym)}};
	return sayv(w, "month", v, 2);
}

/* Hours per week of the month, and the month to date, against the
 * hours the month's plans include. */
static void
chart(struct doc *d, struct words *w, json_t *s)
{
	json_t *weeks = json_object_get(s, "weeks");
	size_t n = json_array_size(weeks);
	if (n == 0)
		return;
	const char **labels = calloc(n, sizeof *labels);
	double *week = calloc(n, sizeof *week), *cum = calloc(n, sizeof *cum);
	if (labels && week && cum) {
		double sum = 0;
		for (size_t i = 0; i < n; i++) {
			json_t *x = json_array_get(weeks, i);
			const char *a = jtext(x, "first_day"), *b = jtext(x, "last_day");
			labels[i] = fmt(w, "%.2s/%.2s–%.2s/%.2s", a + 8, a + 5, b + 8,
			                b + 5);
			week[i] = (double)jint(x, "charged_s") / 3600.0;
			sum += week[i];
			cum[i] = sum;
		}
		long long inc = jint(json_object_get(s, "totals"), "included_s");
		const struct tvar v[] = {{"hours", hours(w, inc)}};
		const struct doc_series series[] = {
			{say(w, "chart_week"), week},
			{say(w, "chart_cumulative"), cum},
		};
		const struct doc_chart c = {
			say(w, "chart"), "h", labels, n, series, 2, inc > 0,
			(double)inc / 3600.0, inc > 0 ? sayv(w, "chart_plan", v, 1) : NULL,
		};
		doc_chart_bars(d, &c);
	} else {
		w->failed = 1;
	}
	free(labels);
	free(week);
	free(cum);
}

/* A table of n rows of ncols cells, made by row(w, item, cells). */
static void
table(struct doc *d, struct words *w, const struct doc_column *cols,
      size_t ncols, json_t *items,
      void (*row)(struct words *, json_t *, const char **),
      const char *const *footer)
{
	size_t n = json_array_size(items);
	if (n == 0)
		return;
	const char **cells = calloc(n * ncols, sizeof *cells);
	if (cells == NULL) {
		w->failed = 1;
		return;
	}
	for (size_t i = 0; i < n; i++)
		row(w, json_array_get(items, i), cells + i * ncols);
	doc_table(d, &(struct doc_table){cols, ncols, cells, n, footer});
	free(cells);
}

static void
ticket_row(struct words *w, json_t *l, const char **c)
{
	c[0] = fmt(w, "#%06lld", jint(l, "ticket_number"));
	c[1] = jtext(l, "subject");
	c[2] = hours(w, jint(l, "used_s"));
	c[3] = hours(w, jint(l, "billed_s"));
	c[4] = money(w, jint(l, "amount_cents"));
}

static void
consultant_row(struct words *w, json_t *l, const char **c)
{
	const char *name = jtext(l, "user_name");
	c[0] = name[0] ? name : jtext(l, "user_email");
	c[1] = hours(w, jint(l, "used_s"));
	c[2] = hours(w, jint(l, "billed_s"));
	c[3] = money(w, jint(l, "amount_cents"));
}

static void
event_row(struct words *w, json_t *l, const char **c)
{
	c[0] = fmt(w, "#%06lld", jint(l, "ticket_number"));
	c[1] = jtext(l, "purchase_order");
	c[2] = say(w, json_is_true(json_object_get(l, "update")) ? "kind_update"
	                                                         : "kind_event");
	c[3] = hours(w, jint(l, "used_s"));
	c[4] = hours(w, jint(l, "minimum_s"));
	c[5] = hours(w, jint(l, "billed_s"));
	c[6] = money(w, jint(l, "amount_cents"));
}

static void
apart_row(struct words *w, json_t *l, const char **c)
{
	c[0] = fmt(w, "#%06lld", jint(l, "ticket_number"));
	c[1] = jtext(l, "subject");
	c[2] = hours(w, jint(l, "used_s"));
}

static const struct policy_plan *
plan_of(const struct policy *pol, const char *key)
{
	for (int i = 0; i < pol->nplans; i++)
		if (strcmp(pol->plans[i].key, key) == 0)
			return &pol->plans[i];
	return NULL;
}

static void
contract(struct doc *d, struct words *w, const struct policy *pol,
         const char *lang, json_t *k)
{
	int month = strcmp(jtext(k, "period"), "month") == 0;
	const char *plan = jtext(k, strcmp(lang, "en") == 0 ? "plan_name_en"
	                                                    : "plan_name_es");
	const struct tvar v[] = {{"id", fmt(w, "%lld", jint(k, "contract_id"))},
	                         {"plan", plan}};
	doc_heading(d, sayv(w, "contract", v, 2));
	const char *kv[16];
	size_t n = 0;
	kv[n++] = say(w, "validity");
	kv[n++] = range(w, "range", k);
	kv[n++] = say(w, "rate");
	kv[n++] = money(w, jint(k, "hourly_rate_cents"));
	if (month) {
		static const char *const keys[] = {"included", "used", "remaining",
		                                   "overage"};
		for (size_t i = 0; i < 4; i++) {
			kv[n++] = say(w, keys[i]);
			kv[n++] = hours(w, jint(k, fmt(w, "%s_s", keys[i])));
		}
		kv[n++] = say(w, "overage_amount");
	} else {
		kv[n++] = say(w, "events");
		kv[n++] = fmt(w, "%zu", json_array_size(json_object_get(k, "events")));
		kv[n++] = say(w, "worked");
		kv[n++] = hours(w, jint(k, "used_s"));
		kv[n++] = say(w, "billed");
		kv[n++] = hours(w, jint(k, "billed_s"));
		kv[n++] = say(w, "events_amount");
	}
	kv[n++] = money(w, jint(k, "amount_cents"));
	doc_keyvalues(d, kv, n / 2);

	json_t *tickets = json_object_get(k, "tickets");
	if (json_array_size(tickets)) {
		doc_heading(d, say(w, "by_ticket"));
		const struct doc_column cols[] = {
			{say(w, "col_ticket"), 0.11, DOC_LEFT},
			{say(w, "col_subject"), 0, DOC_LEFT},
			{say(w, "col_used"), 0.12, DOC_RIGHT},
			{say(w, "col_billed"), 0.12, DOC_RIGHT},
			{say(w, "col_amount"), 0.16, DOC_RIGHT},
		};
		const char *foot[] = {say(w, "row_total"), "",
		                      hours(w, jint(k, "used_s")),
		                      hours(w, jint(k, "billed_s")),
		                      money(w, jint(k, "amount_cents"))};
		table(d, w, cols, 5, tickets, ticket_row, foot);
	}
	json_t *people = json_object_get(k, "consultants");
	if (json_array_size(people)) {
		doc_heading(d, say(w, "by_consultant"));
		const struct doc_column cols[] = {
			{say(w, "col_consultant"), 0, DOC_LEFT},
			{say(w, "col_used"), 0.14, DOC_RIGHT},
			{say(w, "col_billed"), 0.14, DOC_RIGHT},
			{say(w, "col_amount"), 0.18, DOC_RIGHT},
		};
		table(d, w, cols, 4, people, consultant_row, NULL);
	}
	json_t *events = json_object_get(k, "events");
	if (json_array_size(events)) {
		doc_heading(d, say(w, "by_event"));
		const struct policy_plan *p = plan_of(pol, jtext(k, "plan"));
		if (p) {
			const struct tvar m[] = {{"event_min", hours(w, p->event_min_s)},
			                         {"update_min", hours(w, p->update_min_s)}};
			doc_paragraph(d, sayv(w, "events_note", m, 2));
		}
		const struct doc_column cols[] = {
			{say(w, "col_ticket"), 0.11, DOC_LEFT},
			{say(w, "col_po"), 0, DOC_LEFT},
			{say(w, "col_kind"), 0.14, DOC_LEFT},
			{say(w, "col_used"), 0.1, DOC_RIGHT},
			{say(w, "col_minimum"), 0.1, DOC_RIGHT},
			{say(w, "col_billed"), 0.11, DOC_RIGHT},
			{say(w, "col_amount"), 0.14, DOC_RIGHT},
		};
		table(d, w, cols, 7, events, event_row, NULL);
	}
}

static void
not_charged(struct doc *d, struct words *w, json_t *s)
{
	static const char *const groups[] = {"warranty", "monthly_service",
	                                     "post_production", "none"};
	json_t *ap = json_object_get(s, "not_charged");
	int head = 0;
	for (size_t g = 0; g < sizeof groups / sizeof groups[0]; g++) {
		json_t *grp = json_object_get(ap, groups[g]);
		json_t *t = json_object_get(grp, "tickets");
		if (json_array_size(t) == 0)
			continue;
		if (!head++)
			doc_heading(d, say(w, "not_charged"));
		const struct doc_column cols[] = {
			{say(w, "col_ticket"), 0.11, DOC_LEFT},
			{fmt(w, "%s", say(w, groups[g])), 0, DOC_LEFT},
			{say(w, "col_used"), 0.14, DOC_RIGHT},
		};
		const char *foot[] = {say(w, "row_total"), "",
		                      hours(w, jint(grp, "used_s"))};
		table(d, w, cols, 3, t, apart_row, foot);
	}
}

int
statement_render(const struct policy *pol, json_t *s, const char *lang,
                 unsigned char **pdf, size_t *len)
{
	*pdf = NULL;
	*len = 0;
	lang = document_lang(lang);
	struct words w = {0};
	w.book = phrases_load(lang, "statement", w.err, sizeof w.err);
	if (w.book == NULL) {
		log_error("statement: %s", w.err);
		return -1;
	}
	struct doc *d = document_new(pol, lang, say(&w, "title"));
	int rc = -1;
	if (d == NULL)
		goto out;
	const char *ym = jtext(s, "month");
	const struct tvar sub[] = {{"client", jtext(s, "client_name")},
	                           {"domain", jtext(s, "client_domain")},
	                           {"month", month_name(&w, ym)}};
	doc_subtitle(d, sayv(&w, "subtitle", sub, 3));
	json_t *tot = json_object_get(s, "totals");
	json_t *weeks = json_object_get(s, "weeks");
	json_t *span = json_pack("{s:s, s:s}", "first_day",
	                         jtext(json_array_get(weeks, 0), "first_day"),
	                         "last_day",
	                         jtext(json_array_get(weeks,
	                                              json_array_size(weeks) - 1),
	                               "last_day"));
	doc_subtitle(d, range(&w, "period", span));
	json_decref(span);

	doc_heading(d, say(&w, "summary"));
	const char *kv[] = {
		say(&w, "client"), jtext(s, "client_name"),
		say(&w, "hours_logged"), hours(&w, jint(tot, "logged_s")),
		say(&w, "hours_used"), hours(&w, jint(tot, "used_s")),
		say(&w, "total"), money(&w, jint(tot, "amount_cents")),
	};
	doc_keyvalues(d, kv, 4);
	if (jint(tot, "logged_s") == 0)
		doc_paragraph(d, say(&w, "no_activity"));
	else
		chart(d, &w, s);

	size_t i;
	json_t *k;
	json_array_foreach(json_object_get(s, "contracts"), i, k)
		contract(d, &w, pol, lang, k);
	not_charged(d, &w, s);

	doc_heading(d, say(&w, "total"));
	const char *sum[] = {
		say(&w, "overage_amount"), money(&w, jint(tot, "overage_amount_cents")),
		say(&w, "events_amount"), money(&w, jint(tot, "events_amount_cents")),
		say(&w, "total"), money(&w, jint(tot, "amount_cents")),
	};
	doc_keyvalues(d, sum, 3);
	if (w.failed)
		log_error("statement: %s", w.err[0] ? w.err : "out of memory");
	else
		rc = doc_finish_pdf(d, pdf, len);
out:
	doc_free(d);
	for (size_t j = 0; j < w.n; j++)
		free(w.keep[j]);
	free(w.keep);
	free(w.book);
	return rc;
}

enum app_rc
statement_pdf(struct store *db, const struct policy *pol, const char *client,
              int64_t year, int month, const char *lang, unsigned char **pdf,
              size_t *len)
{
	json_t *s = NULL;
	enum app_rc a = statement_json(db, pol, client, year, month, &s);
	if (a == APP_OK && statement_render(pol, s, lang, pdf, len) != 0)
		a = app_of_store(store_fail(db, STORE_ERROR,
		                            "the statement could not be rendered"));
	json_decref(s);
	return a;
}
