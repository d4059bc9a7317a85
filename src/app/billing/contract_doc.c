/*
 * contract_doc.c - the contract document (see contract_doc.h).
 */
#include "app/billing/contract_doc.h"
#include "app/base/docwords.h"
#include "app/base/json_rows.h"
#include "app/base/localtime.h"
#include "app/config/branding.h"
#include "app/config/document.h"
#include "app/config/policy_version.h"
#include "core/calendar.h"
#include "render/doc.h"
#include "util/money.h"
#include "util/timefmt.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct policy_plan *
plan_of(const struct policy *pol, const char *key)
{
	for (int i = 0; i < pol->nplans; i++)
		if (strcmp(pol->plans[i].key, key) == 0)
			return &pol->plans[i];
	return NULL;
}

static json_t *
plan_json(const struct policy_plan *p)
{
	return json_pack(
	    "{s:s, s:s, s:s, s:I, s:b, s:I, s:I, s:b}", "key", p->key, "name_es",
	    p->name_es, "name_en", p->name_en, "included_s",
	    (json_int_t)(p->period == PLAN_PERIOD_MONTH ? p->included_s : 0),
	    "purchase_order_required", p->purchase_order_required, "event_min_s",
	    (json_int_t)p->event_min_s, "update_min_s", (json_int_t)p->update_min_s,
	    "overage_billed_hourly", p->overage_billed_hourly);
}

/* The policy's side: response times of the version in force, business
 * hours, exclusions, channels. */
static enum store_rc
policy_part(struct store *db, const struct policy *pol,
            const struct calendar *cal, int64_t now, json_t *o)
{
	char today[ISO_DATE_LEN];
	iso_date_format((now + calendar_utc_offset(cal, now)) / 86400, today);
	int64_t vid = 0, targets[POLICY_SEVERITIES];
	enum store_rc rc =
	    policy_version_in_force(db, pol, today, now, &vid, targets);
	if (rc != STORE_OK)
		return rc;
	static const char *const vkeys[] = {"#id", "version", "effective_from"};
	json_t *v = NULL;
	rc = json_rows(db, NULL,
	               "SELECT id, version, effective_from FROM policy_versions "
	               "WHERE id = $1",
	               STORE_PARAMS(SP_I(vid)), vkeys, 3, &v);
	if (rc != STORE_OK)
		return rc;
	json_t *ver = json_incref(json_array_get(v, 0));
	json_decref(v);
	if (ver == NULL)
		ver = json_pack("{s:s, s:s}", "version", pol->version,
		                "effective_from", pol->effective_from);
	json_object_set_new(o, "policy_version", ver);
	json_t *sev = json_array();
	for (int i = 0; i < POLICY_SEVERITIES; i++) {
		const struct policy_severity *s = &pol->severity[i];
		json_array_append_new(
		    sev, json_pack("{s:i, s:s, s:s, s:I, s:b}", "severity", i + 1,
		                   "name_es", s->name_es, "name_en", s->name_en,
		                   "response_s", (json_int_t)targets[i], "or_more",
		                   s->response_or_more));
	}
	json_object_set_new(o, "response_times", sev);
	json_t *week = json_array();
	for (int d = 0; d < 7; d++) {
		json_t *wins = json_array();
		for (int k = 0; k < pol->week[d].nwindows; k++) {
			const struct policy_window *w = &pol->week[d].windows[k];
			json_array_append_new(
			    wins, json_sprintf("%02d:%02d-%02d:%02d", w->start_min / 60,
			                       w->start_min % 60, w->end_min / 60,
			                       w->end_min % 60));
		}
		json_array_append_new(week, wins);
	}
	json_object_set_new(o, "business_hours", week);
	json_object_set_new(o, "time_zone", json_string(pol->time_zone));
	json_object_set_new(o, "holidays", json_boolean(pol->holidays[0] != '\0'));
	json_t *ex = json_array();
	for (int i = 0; i < pol->nexclusions; i++) {
		const struct policy_exclusion *e = &pol->exclusions[i];
		json_array_append_new(
		    ex, json_pack("{s:s, s:s, s:s, s:s, s:s}", "key", e->key,
		                  "reason_es", e->reason_es, "reason_en", e->reason_en,
		                  "offer_es", e->offer_es, "offer_en", e->offer_en));
	}
	json_object_set_new(o, "exclusions", ex);
	json_object_set_new(
	    o, "channels",
	    json_pack("{s:s, s:s, s:b, s:s}", "email", pol->support_address,
	              "phone", pol->phone, "phone_requires_email",
	              pol->phone_requires_email, "project_manager",
	              pol->project_manager));
	return STORE_OK;
}

enum app_rc
contract_doc_json(struct store *db, const struct policy *pol,
                  const struct calendar *cal, int64_t id, int64_t now,
                  json_t **out, int64_t *client_id)
{
	static const char *const keys[] = {
		"#id", "#client_id", "client_domain", "client_name", "plan",
		"valid_from", "valid_to", "ended_on", "#hourly_rate_cents",
	};
	*out = NULL;
	json_t *rows = NULL, *products = NULL;
	enum store_rc rc = json_rows(
	    db, NULL,
	    "SELECT k.id, c.id, c.domain, c.name, k.plan, k.valid_from, "
	    "k.valid_to, k.ended_on, k.hourly_rate_cents FROM contracts k "
	    "JOIN clients c ON c.id = k.client_id WHERE k.id = $1",
	    STORE_PARAMS(SP_I(id)), keys, 9, &rows);
	if (rc != STORE_OK)
		return app_of_store(rc);
	json_t *o = json_incref(json_array_get(rows, 0));
	json_decref(rows);
	if (o == NULL)
		return app_refuse(db, "no contract has the id %lld", (long long)id);
	static const char *const pkeys[] = {"name", "type", "delivered_on"};
	rc = json_rows(db, NULL,
	               "SELECT p.name, p.type, p.delivered_on FROM "
	               "contract_products cp JOIN products p ON p.id = "
	               "cp.product_id WHERE cp.contract_id = $1 ORDER BY p.name",
	               STORE_PARAMS(SP_I(id)), pkeys, 3, &products);
	if (rc == STORE_OK) {
		json_object_set_new(o, "products", products);
		const struct policy_plan *plan =
		    plan_of(pol, json_string_value(json_object_get(o, "plan")));
		if (plan)
			json_object_set_new(o, "plan_terms", plan_json(plan));
		rc = policy_part(db, pol, cal, now, o);
	}
	if (rc != STORE_OK) {
		json_decref(o);
		return app_of_store(rc);
	}
	*client_id = json_integer_value(json_object_get(o, "client_id"));
	*out = o;
	return APP_OK;
}

/* ---- the PDF ---------------------------------------------------------- */

static const char *
jstr(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s ? s : "";
}

static const char *
dmy(struct docwords *W, const char *iso)
{
	char d[LOCAL_DATE_LEN];
	local_date_dmy(iso, d);
	return dw_fmt(W, "%s", d);
}

static const char *
hours(struct docwords *W, json_int_t s)
{
	return s % 3600 ? dw_fmt(W, "%lld h %02lld min", (long long)s / 3600,
	                         (long long)(s % 3600) / 60)
	                : dw_fmt(W, "%lld h", (long long)s / 3600);
}

static const char *
lang_text(json_t *o, const char *base, const char *lang)
{
	char k[48];
	snprintf(k, sizeof k, "%s_%s", base, lang);
	return jstr(o, k);
}

static void
plan_block(struct doc *d, struct docwords *W, json_t *c)
{
	json_t *t = json_object_get(c, "plan_terms");
	char money[MONEY_TEXT_MAX];
	money_text(json_integer_value(json_object_get(c, "hourly_rate_cents")),
	           money);
	const char *kv[16];
	size_t n = 0;
	kv[n++] = dw_word(W, "plan_name");
	kv[n++] = t ? lang_text(t, "name", W->lang) : jstr(c, "plan");
	kv[n++] = dw_word(W, "rate");
	kv[n++] = dw_fmt(W, "%s", money);
	json_int_t inc = json_integer_value(json_object_get(t, "included_s"));
	if (inc > 0) {
		kv[n++] = dw_word(W, "included");
		kv[n++] = hours(W, inc);
	}
	if (json_is_true(json_object_get(t, "purchase_order_required"))) {
		kv[n++] = dw_word(W, "event_min");
		kv[n++] = hours(W, json_integer_value(json_object_get(t, "event_min_s")));
		kv[n++] = dw_word(W, "update_min");
		kv[n++] =
		    hours(W, json_integer_value(json_object_get(t, "update_min_s")));
	}
	doc_heading(d, dw_word(W, "plan"));
	doc_keyvalues(d, kv, n / 2);
	if (json_is_true(json_object_get(t, "purchase_order_required")))
		doc_paragraph(d, dw_word(W, "per_event"));
	if (json_is_true(json_object_get(t, "overage_billed_hourly")) && inc > 0)
		doc_paragraph(d, dw_word(W, "overage"));
	const char *vk[6];
	size_t m = 0;
	vk[m++] = dw_word(W, "valid_from");
	vk[m++] = dmy(W, jstr(c, "valid_from"));
	vk[m++] = dw_word(W, "valid_to");
	vk[m++] = dmy(W, jstr(c, "valid_to"));
	if (*jstr(c, "ended_on")) {
		vk[m++] = dw_word(W, "ended_on");
		vk[m++] = dmy(W, jstr(c, "ended_on"));
	}
	doc_heading(d, dw_word(W, "validity"));
	doc_keyvalues(d, vk, m / 2);
}

static void
products_block(struct doc *d, struct docwords *W, json_t *c)
{
	json_t *list = json_object_get(c, "products"), *p;
	size_t n = json_array_size(list), i;
	doc_heading(d, dw_word(W, "products"));
	if (n == 0) {
		doc_paragraph(d, dw_word(W, "none"));
		return;
	}
	const char **cells = calloc(n, sizeof *cells);
	if (cells == NULL) {
		W->bad = 1;
		return;
	}
	json_array_foreach(list, i, p)
		cells[i] = jstr(p, "name");
	const struct doc_column col = {dw_word(W, "product"), 0, DOC_LEFT};
	const struct doc_table t = {&col, 1, cells, n, NULL};
	doc_table(d, &t);
	free(cells);
}

static void
response_block(struct doc *d, struct docwords *W, json_t *c)
{
	json_t *v = json_object_get(c, "policy_version"), *s;
	const struct tvar vv[] = {{"n", jstr(v, "version")},
	                          {"day", dmy(W, jstr(v, "effective_from"))}};
	const char *cells[POLICY_SEVERITIES * 2];
	size_t n = 0, i;
	json_array_foreach(json_object_get(c, "response_times"), i, s) {
		if (n >= POLICY_SEVERITIES)
			break;
		json_int_t r = json_integer_value(json_object_get(s, "response_s"));
		cells[n * 2] = dw_fmt(
		    W, "%lld %s", (long long)json_integer_value(json_object_get(s, "severity")),
		    lang_text(s, "name", W->lang));
		cells[n * 2 + 1] =
		    json_is_true(json_object_get(s, "or_more"))
		        ? dw_fmt(W, "%s %s", hours(W, r), dw_word(W, "or_more"))
		        : hours(W, r);
		n++;
	}
	const struct doc_column cols[] = {{dw_word(W, "severity"), 0.5, DOC_LEFT},
	                                  {dw_word(W, "response_time"), 0,
	                                   DOC_RIGHT}};
	const struct doc_table t = {cols, 2, cells, n, NULL};
	doc_heading(d, dw_word(W, "response"));
	doc_paragraph(d, dw_phrase(W, "policy_version", vv, 2));
	doc_paragraph(d, dw_word(W, "response_note"));
	doc_table(d, &t);
	const char *days[14];
	json_t *week = json_object_get(c, "business_hours"), *wins, *x;
	for (size_t dd = 0; dd < 7; dd++) {
		wins = json_array_get(week, dd);
		const char *txt = json_array_size(wins) ? "" : dw_word(W, "closed");
		json_array_foreach(wins, i, x)
			txt = dw_fmt(W, "%s%s%s", txt, i ? ", " : "", json_string_value(x));
		days[dd * 2] = dw_word(W, dw_fmt(W, "day%zu", dd));
		days[dd * 2 + 1] = txt;
	}
	doc_heading(d, dw_word(W, "schedule"));
	doc_keyvalues(d, days, 7);
	if (json_is_true(json_object_get(c, "holidays")))
		doc_paragraph(d, dw_word(W, "holidays"));
}

static void
terms_block(struct doc *d, struct docwords *W, json_t *c)
{
	json_t *e;
	size_t i;
	doc_heading(d, dw_word(W, "exclusions"));
	json_array_foreach(json_object_get(c, "exclusions"), i, e) {
		const char *offer = lang_text(e, "offer", W->lang);
		doc_paragraph(d, *offer ? dw_fmt(W, "• %s %s",
		                                 lang_text(e, "reason", W->lang), offer)
		                        : dw_fmt(W, "• %s",
		                                 lang_text(e, "reason", W->lang)));
	}
	json_t *ch = json_object_get(c, "channels");
	const char *kv[] = {
		dw_word(W, "channel_email"), jstr(ch, "email"),
		dw_word(W, "channel_phone"),
		json_is_true(json_object_get(ch, "phone_requires_email"))
		    ? dw_fmt(W, "%s (%s)", jstr(ch, "phone"),
		             dw_word(W, "phone_after_email"))
		    : jstr(ch, "phone"),
	};
	doc_heading(d, dw_word(W, "channels"));
	doc_keyvalues(d, kv, 2);
	doc_paragraph(d, dw_word(W, "escalation"));
}

int
contract_doc_pdf(const struct policy *pol, json_t *c, const char *lang,
                 unsigned char **pdf, size_t *len)
{
	struct docwords W = {lang && strcmp(lang, "en") == 0 ? "en" : "es",
	                     "contract", NULL, 0, 0};
	struct branding b;
	branding_get(pol, &b);
	struct doc *d = document_new(pol, W.lang, dw_word(&W, "title"));
	int rc = -1;
	if (d) {
		char n[24];
		snprintf(n, sizeof n, "%lld",
		         (long long)json_integer_value(json_object_get(c, "id")));
		const struct tvar nv[] = {{"n", n}};
		doc_subtitle(d, dw_fmt(&W, "%s · %s (%s)",
		                       dw_phrase(&W, "number", nv, 1),
		                       jstr(c, "client_name"), jstr(c, "client_domain")));
		const char *parties[] = {
			dw_word(&W, "provider"), b.company, dw_word(&W, "client"),
			dw_fmt(&W, "%s (%s)", jstr(c, "client_name"),
			       jstr(c, "client_domain")),
		};
		doc_heading(d, dw_word(&W, "parties"));
		doc_keyvalues(d, parties, 2);
		plan_block(d, &W, c);
		products_block(d, &W, c);
		response_block(d, &W, c);
		terms_block(d, &W, c);
		rc = W.bad ? -1 : doc_finish_pdf(d, pdf, len);
		doc_free(d);
	}
	docwords_free(&W);
	return rc;
}
