/*
 * statement.c - a client's monthly statement (see statement.h). The
 * numbers are the core's (hourbank_statement(), hourbank_ledger()); this
 * file loads the entries and names the lines.
 */
#include "app/billing/statement.h"
#include "app/billing/client_facts.h"
#include "app/billing/contracts.h"
#include "app/billing/hourbank_store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Hours with two decimals, for people; the _s keys are exact. */
static json_t *
hours(int64_t s)
{
	int64_t ch = (s >= 0 ? s * 100 + 1800 : s * 100 - 1800) / 3600;
	return json_real((double)ch / 100.0);
}

static void
set_s(json_t *o, const char *base, int64_t s)
{
	char k[64];
	snprintf(k, sizeof k, "%s_s", base);
	json_object_set_new(o, k, json_integer(s));
	snprintf(k, sizeof k, "%s_hours", base);
	json_object_set_new(o, k, hours(s));
}

static void
set_day(json_t *o, const char *key, int64_t day)
{
	char d[ISO_DATE_LEN];
	iso_date_format(day, d);
	json_object_set_new(o, key, json_string(d));
}

/* Names for ids: tickets (number, subject) and users (e-mail, name). */
struct names {
	json_t *tickets;   /* "id" -> {number, subject} */
	json_t *users;     /* "id" -> {email, name} */
};

static enum app_rc
names_load(struct store *db, int64_t client_id, struct names *n)
{
	struct store_rows *r;
	char key[24];
	n->tickets = json_object();
	n->users = json_object();
	enum store_rc rc = store_query(
	    db, "SELECT id, number, subject FROM tickets WHERE client_id = $1",
	    STORE_PARAMS(SP_I(client_id)), &r);
	if (rc != STORE_OK)
		return app_of_store(rc);
	while ((rc = store_next(r)) == STORE_ROW) {
		snprintf(key, sizeof key, "%lld", (long long)store_int(r, 0));
		json_object_set_new(n->tickets, key,
		                    json_pack("{s:I, s:s}", "number",
		                              (json_int_t)store_int(r, 1), "subject",
		                              store_text(r, 2)));
	}
	store_done(r);
	if (rc != STORE_DONE)
		return app_of_store(rc);
	rc = store_query(db, "SELECT id, email, name FROM users", STORE_NO_PARAMS,
	                 &r);
	if (rc != STORE_OK)
		return app_of_store(rc);
	while ((rc = store_next(r)) == STORE_ROW) {
		snprintf(key, sizeof key, "%lld", (long long)store_int(r, 0));
		json_object_set_new(n->users, key,
		                    json_pack("{s:s, s:s}", "email", store_text(r, 1),
		                              "name", store_text(r, 2)));
	}
	store_done(r);
	return rc == STORE_DONE ? APP_OK : app_of_store(rc);
}

static json_t *
name_of(json_t *map, int64_t id)
{
	char key[24];
	snprintf(key, sizeof key, "%lld", (long long)id);
	return json_object_get(map, key);
}

static json_t *
line_json(const struct hb_line *l, json_t *who, int ticket)
{
	json_t *o = json_object();
	if (ticket) {
		json_object_set(o, "ticket_number", json_object_get(who, "number"));
		json_object_set(o, "subject", json_object_get(who, "subject"));
	} else {
		json_object_set(o, "user_email", json_object_get(who, "email"));
		json_object_set(o, "user_name", json_object_get(who, "name"));
	}
	set_s(o, "logged", l->logged_s);
	set_s(o, "used", l->counted_s);
	set_s(o, "billed", l->billed_s);
	json_object_set_new(o, "amount_cents", json_integer(l->amount_cents));
	return o;
}

static json_t *
contract_json(const struct policy *pol, const struct hb_statement *s,
              const struct names *n)
{
	const struct policy_plan *plan = NULL;
	for (int i = 0; i < pol->nplans; i++)
		if (pol->plans[i].kind == s->plan)
			plan = &pol->plans[i];
	json_t *o = json_object();
	json_object_set_new(o, "contract_id", json_integer(s->contract_id));
	json_object_set_new(o, "plan", json_string(plan ? plan->key : "?"));
	json_object_set_new(o, "plan_name_es", json_string(plan ? plan->name_es : ""));
	json_object_set_new(o, "plan_name_en", json_string(plan ? plan->name_en : ""));
	json_object_set_new(o, "period", json_string(s->period == PLAN_PERIOD_EVENT
	                                                 ? "event" : "month"));
	set_day(o, "first_day", s->first_day);
	set_day(o, "last_day", s->last_day);
	json_object_set_new(o, "hourly_rate_cents", json_integer(s->rate_cents));
	set_s(o, "included", s->included_s);
	set_s(o, "logged", s->logged_s);
	set_s(o, "used", s->used_s);
	set_s(o, "remaining", s->remaining_s);
	set_s(o, "overage", s->overage_s);
	set_s(o, "minimum", s->minimum_s);
	set_s(o, "billed", s->billed_s);
	int month = s->period == PLAN_PERIOD_MONTH;
	json_object_set_new(o, "overage_amount_cents",
	                    json_integer(month ? s->amount_cents : 0));
	json_object_set_new(o, "events_amount_cents",
	                    json_integer(month ? 0 : s->amount_cents));
	json_object_set_new(o, "amount_cents", json_integer(s->amount_cents));
	json_object_set_new(o, "entries", json_integer(s->nentries));
	json_t *t = json_array(), *c = json_array(), *ev = json_array();
	for (int i = 0; i < s->ntickets; i++)
		json_array_append_new(t, line_json(&s->tickets[i],
		                                   name_of(n->tickets,
		                                           s->tickets[i].id), 1));
	for (int i = 0; i < s->nconsultants; i++)
		json_array_append_new(c, line_json(&s->consultants[i],
		                                   name_of(n->users,
		                                           s->consultants[i].id), 0));
	for (int i = 0; i < s->nevents; i++) {
		const struct hb_event *e = &s->events[i];
		json_t *x = json_object();
		json_object_set(x, "ticket_number",
		                json_object_get(name_of(n->tickets, e->ticket_id),
		                                "number"));
		json_object_set_new(x, "purchase_order", json_string(e->purchase_order));
		json_object_set_new(x, "update", json_boolean(e->update));
		set_s(x, "used", e->counted_s);
		set_s(x, "minimum", e->min_s);
		set_s(x, "billed", e->billed_s);
		json_object_set_new(x, "amount_cents", json_integer(e->amount_cents));
		json_array_append_new(ev, x);
	}
	json_object_set_new(o, "tickets", t);
	json_object_set_new(o, "consultants", c);
	json_object_set_new(o, "events", ev);
	json_t *m = json_object();
	set_s(m, "billed", s->minimums.billed_s);
	json_object_set_new(m, "amount_cents", json_integer(s->minimums.amount_cents));
	json_object_set_new(o, "minimums", m);
	return o;
}

/* The time charged to no contract (warranty, monthly service,
 * post-production), per ticket, through the core's ledger of each
 * ticket's entries. */
static enum app_rc
apart_json(struct store *db, const struct policy *pol,
           const struct hb_entries *es, int64_t year, int month,
           const struct names *n, json_t *out)
{
	static const enum charge apart[] = {
		CHARGE_WARRANTY, CHARGE_MONTHLY_SERVICE, CHARGE_POST_PRODUCTION,
		CHARGE_NONE,
	};
	struct hb_entry *one = malloc((size_t)(es->n ? es->n : 1) * sizeof *one);
	struct hb_ledger *l = malloc(sizeof *l);
	enum app_rc a = APP_OK;
	if (one == NULL || l == NULL) {
		a = app_of_store(store_fail(db, STORE_ERROR, "out of memory"));
		goto out;
	}
	for (size_t k = 0; k < sizeof apart / sizeof apart[0]; k++) {
		json_t *g = json_object();
		set_s(g, "logged", 0);
		set_s(g, "used", 0);
		json_object_set_new(g, "tickets", json_array());
		json_object_set_new(out, coverage_charge_name(apart[k]), g);
	}
	for (int i = 0; i < es->n; i++) {
		int64_t tid = es->e[i].ticket_id;
		int seen = 0, m = 0;
		for (int j = 0; j < i && !seen; j++)
			seen = es->e[j].ticket_id == tid;
		if (seen)
			continue;
		for (int j = i; j < es->n; j++)
			if (es->e[j].ticket_id == tid)
				one[m++] = es->e[j];
		struct hb_error err;
		if (hourbank_ledger(pol, one, m, year, month, l, &err) != HB_OK) {
			a = app_refuse(db, "time entry %lld: %s", (long long)err.entry_id,
			               hourbank_rc_text(err.rc));
			goto out;
		}
		for (int r = 0; r < l->nrows; r++) {
			const struct hb_ledger_row *row = &l->rows[r];
			json_t *g = json_object_get(out,
			                            coverage_charge_name(row->coverage));
			if (g == NULL)
				continue;
			json_t *x = json_object();
			json_t *who = name_of(n->tickets, tid);
			json_object_set(x, "ticket_number", json_object_get(who, "number"));
			json_object_set(x, "subject", json_object_get(who, "subject"));
			set_s(x, "logged", row->logged_s);
			set_s(x, "used", row->counted_s);
			json_array_append_new(json_object_get(g, "tickets"), x);
			int64_t lg = json_integer_value(json_object_get(g, "logged_s"));
			int64_t us = json_integer_value(json_object_get(g, "used_s"));
			set_s(g, "logged", lg + row->logged_s);
			set_s(g, "used", us + row->counted_s);
		}
	}
out:
	free(one);
	free(l);
	return a;
}

/* The day an entry counts on: a correction's is its corrected entry's
 * (it counts in that month), followed down the chain. */
static int64_t
entry_day(const struct hb_entries *es, const struct hb_entry *e)
{
	for (int depth = 0; e->kind == HB_CORRECTION && depth < 8; depth++) {
		const struct hb_entry *to = NULL;
		for (int i = 0; i < es->n && to == NULL; i++)
			if (es->e[i].id == e->corrects_id)
				to = &es->e[i];
		if (to == NULL)
			break;
		e = to;
	}
	return e->day;
}

/* The month's weeks (Monday to Sunday, cut at the month's ends) with the
 * time worked in each: charged to a contract (plan, per event) and in
 * all. For the statement's chart; the contracts' totals are the core's. */
static json_t *
weeks_json(const struct hb_entries *es, int64_t first, int64_t last)
{
	json_t *weeks = json_array();
	for (int64_t d = first; d <= last;) {
		int64_t end = d + 6 - weekday_from_days(d);
		end = end < last ? end : last;
		int64_t charged = 0, all = 0;
		for (int i = 0; i < es->n; i++) {
			int64_t day = entry_day(es, &es->e[i]);
			if (day < d || day > end)
				continue;
			all += es->e[i].seconds;
			if (es->e[i].coverage == CHARGE_PLAN ||
			    es->e[i].coverage == CHARGE_PER_EVENT)
				charged += es->e[i].seconds;
		}
		json_t *w = json_object();
		set_day(w, "first_day", d);
		set_day(w, "last_day", end);
		set_s(w, "charged", charged);
		set_s(w, "logged", all);
		json_array_append_new(weeks, w);
		d = end + 1;
	}
	return weeks;
}

static json_t *
ledger_json(const struct hb_ledger *l)
{
	json_t *o = json_object(), *rows = json_array();
	set_s(o, "logged", l->logged_s);
	set_s(o, "used", l->counted_s);
	for (int i = 0; i < l->nrows; i++) {
		json_t *x = json_object();
		json_object_set_new(x, "coverage",
		                    json_string(coverage_charge_name(l->rows[i].coverage)));
		json_object_set_new(x, "contract_id",
		                    l->rows[i].contract_id ? json_integer(l->rows[i].contract_id)
		                                           : json_null());
		set_s(x, "logged", l->rows[i].logged_s);
		set_s(x, "used", l->rows[i].counted_s);
		json_object_set_new(x, "entries", json_integer(l->rows[i].nentries));
		json_array_append_new(rows, x);
	}
	json_object_set_new(o, "rows", rows);
	return o;
}

enum app_rc
statement_json(struct store *db, const struct policy *pol, const char *client,
               int64_t year, int month, json_t **out)
{
	*out = NULL;
	if (month < 1 || month > 12 || year < 1 || year > 9999)
		return app_refuse(db, "which month? (--month YYYY-MM)");
	int64_t first = days_from_civil(year, month, 1);
	int64_t last = days_from_civil(year, month, days_in_month(year, month));
	char dfirst[ISO_DATE_LEN], dlast[ISO_DATE_LEN], ym[16];
	iso_date_format(first, dfirst);
	iso_date_format(last, dlast);
	snprintf(ym, sizeof ym, "%04lld-%02d", (long long)year, month);

	int64_t client_id = 0;
	struct client_facts *f = malloc(sizeof *f);
	struct hb_statement *s = malloc(sizeof *s);
	struct hb_ledger *l = malloc(sizeof *l);
	struct hb_entries es = {0};
	struct names n = {0};
	json_t *o = NULL;
	char *cname = NULL;
	enum app_rc a = APP_OK;
	if (f == NULL || s == NULL || l == NULL) {
		a = app_of_store(store_fail(db, STORE_ERROR, "out of memory"));
		goto out;
	}
	a = client_find(db, client, &client_id);
	if (a == APP_OK)
		a = app_of_store(store_get_text(db,
		                                "SELECT name FROM clients WHERE id = $1",
		                                STORE_PARAMS(SP_I(client_id)), &cname));
	if (a == APP_OK)
		a = app_of_store(client_facts_load(db, client_id, f));
	/* Every entry of the tickets with time in the month: corrections
	 * made later, and the entries they correct, come with them. */
	if (a == APP_OK)
		a = hb_entries_load(
		    db,
		    "e.ticket_id IN (SELECT e2.ticket_id FROM time_entries e2 "
		    "JOIN tickets t2 ON t2.id = e2.ticket_id WHERE t2.client_id = $1 "
		    "AND e2.work_date >= $2 AND e2.work_date <= $3)",
		    STORE_PARAMS(SP_I(client_id), SP_T(dfirst), SP_T(dlast)), &es);
	if (a == APP_OK)
		a = names_load(db, client_id, &n);
	if (a != APP_OK)
		goto out;

	o = json_object();
	json_object_set_new(o, "client_domain", json_string(client));
	json_object_set_new(o, "client_name", json_string(cname));
	json_object_set_new(o, "month", json_string(ym));
	json_object_set_new(o, "currency", json_string("PEN"));
	json_t *contracts = json_array();
	json_object_set_new(o, "contracts", contracts);
	int64_t inc = 0, used = 0, rem = 0, over = 0, billed = 0, amount = 0,
	        over_amount = 0, ev_amount = 0;
	for (int i = 0; i < f->ncontracts; i++) {
		const struct client_contract *k = &f->contracts[i];
		int64_t kl = client_contract_last_day(k);
		if (k->valid_from > last || kl < first || kl < k->valid_from)
			continue;
		struct hb_error err;
		enum hb_rc hb = hourbank_statement(pol, k, es.e, es.n, year, month, s,
		                                   &err);
		if (hb != HB_OK) {
			json_t *t = err.ticket_id ? name_of(n.tickets, err.ticket_id) : NULL;
			a = app_refuse(db, "contract %lld, %s: %s (time entry %lld, "
			               "ticket #%06lld)", (long long)k->id, ym,
			               hourbank_rc_text(hb), (long long)err.entry_id,
			               (long long)json_integer_value(
			                   json_object_get(t, "number")));
			goto out;
		}
		json_array_append_new(contracts, contract_json(pol, s, &n));
		inc += s->included_s;
		used += s->used_s;
		rem += s->remaining_s;
		over += s->overage_s;
		billed += s->billed_s;
		amount += s->amount_cents;
		if (s->period == PLAN_PERIOD_MONTH)
			over_amount += s->amount_cents;
		else
			ev_amount += s->amount_cents;
	}
	json_t *ap = json_object();
	json_object_set_new(o, "not_charged", ap);
	a = apart_json(db, pol, &es, year, month, &n, ap);
	if (a != APP_OK)
		goto out;
	struct hb_error err;
	if (hourbank_ledger(pol, es.e, es.n, year, month, l, &err) != HB_OK) {
		a = app_refuse(db, "time entry %lld: %s", (long long)err.entry_id,
		               hourbank_rc_text(err.rc));
		goto out;
	}
	json_object_set_new(o, "ledger", ledger_json(l));
	json_object_set_new(o, "weeks", weeks_json(&es, first, last));
	json_t *tot = json_object();
	set_s(tot, "included", inc);
	set_s(tot, "logged", l->logged_s);
	set_s(tot, "used", used);
	set_s(tot, "remaining", rem);
	set_s(tot, "overage", over);
	set_s(tot, "billed", billed);
	json_object_set_new(tot, "overage_amount_cents", json_integer(over_amount));
	json_object_set_new(tot, "events_amount_cents", json_integer(ev_amount));
	json_object_set_new(tot, "amount_cents", json_integer(amount));
	json_object_set(tot, "warranty_used_s",
	                json_object_get(json_object_get(ap, "warranty"), "used_s"));
	json_object_set_new(o, "totals", tot);
out:
	if (a != APP_OK) {
		json_decref(o);
		o = NULL;
	}
	*out = o;
	json_decref(n.tickets);
	json_decref(n.users);
	hb_entries_free(&es);
	free(cname);
	free(f);
	free(s);
	free(l);
	return a;
}
