/*
 * ticket_view.c - tickets as JSON (see ticket_view.h).
 */
#include "app/ticket/ticket_view.h"
#include "app/base/json_rows.h"
#include "app/base/localtime.h"
#include "app/ticket/ticket_query.h"
#include "app/ticket/ticket_merge.h"
#include "core/calendar.h"
#include "core/sla.h"
#include "util/timefmt.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* Sets o's key to v (keys are ASCII literals of the code: see
 * json_put()). */
static void
put(json_t *o, const char *key, json_t *v)
{
	json_put(o, key, v);
}

/* The reasons column (a JSON array of text) as an array; [] when empty
 * or unreadable. */
static json_t *
reasons_json(struct store_rows *r, int col)
{
	json_t *a = NULL;
	if (!store_isnull(r, col))
		a = json_loads(store_text(r, col), 0, NULL);
	if (!json_is_array(a)) {
		json_decref(a);
		a = json_array();
	}
	return a;
}

/* Issue 17: "triage", the proposal of the model (null: none, a ticket
 * from before triage), and the R6 keys it replaced: suggested_severity
 * and severity_words (its reasons in one line). */
static void
triage_put(json_t *o, struct store_rows *r)
{
	json_t *reasons = reasons_json(r, 35);
	char words[600] = "";
	size_t i;
	json_t *v;
	json_array_foreach(reasons, i, v)
		snprintf(words + strlen(words), sizeof words - strlen(words),
		         "%s%s", i ? ", " : "", json_string_value(v));
	put(o, "suggested_severity",
	    store_isnull(r, 34) ? json_null() : json_integer(store_int(r, 34)));
	json_t *w = words[0] ? json_string(words) : NULL;  /* NULL: cut UTF-8 */
	put(o, "severity_words", w ? w : json_null());
	if (store_isnull(r, 34)) {
		json_decref(reasons);
		put(o, "triage", json_null());
		return;
	}
	json_t *t = json_object();
	put(t, "severity", json_integer(store_int(r, 34)));
	put(t, "category", json_text_or_null(r, 41));
	json_t *c = json_object();
	put(c, "severity", store_isnull(r, 42) ? json_null()
	                   : json_real((double)store_int(r, 42) / 1000.0));
	put(c, "category", store_isnull(r, 43) ? json_null()
	                   : json_real((double)store_int(r, 43) / 1000.0));
	put(t, "confidence", c);
	put(t, "reasons", reasons);
	put(t, "model_version", json_text_or_null(r, 44));
	put(t, "flagged", json_boolean(store_int(r, 45)));
	put(o, "triage", t);
}

json_t *
ticket_row_json(struct store_rows *r, const struct calendar *cal)
{
	char number[16];
	snprintf(number, sizeof number, "#%06lld", (long long)store_int(r, 1));
	json_t *o = json_object();
	put(o, "number", json_integer(store_int(r, 1)));
	put(o, "display_number", json_string(number));
	/* A ticket the client reopened is stored in_progress with the
	 * reopened flag (the 0001 schema predates the state): show it. */
	put(o, "state",
	    json_string(strcmp(store_text(r, 2), "in_progress") == 0 &&
	                        store_int(r, 24)
	                    ? "reopened"
	                    : store_text(r, 2)));
	put(o, "severity", json_integer(store_int(r, 3)));
	put(o, "subject", json_string(store_text(r, 4)));
	put(o, "client_domain", json_text_or_null(r, 5));
	put(o, "client_name", json_text_or_null(r, 6));
	put(o, "assignee", json_text_or_null(r, 7));
	json_set_time(o, cal, "created_at", r, 8);
	json_set_time(o, cal, "response_due_at", r, 9);
	json_set_time(o, cal, "first_response_at", r, 10);
	put(o, "close_reason", json_text_or_null(r, 11));
	put(o, "category", json_string(store_text(r, 12)));
	put(o, "coverage", json_text_or_null(r, 13));
	put(o, "entitlement", json_text_or_null(r, 14));
	put(o, "escalation_level", json_integer(store_int(r, 15)));
	put(o, "contact_email", json_text_or_null(r, 16));
	put(o, "product", json_text_or_null(r, 17));
	json_set_time(o, cal, "updated_at", r, 18);
	put(o, "version", json_integer(store_int(r, 19)));
	put(o, "entitlement_reason", json_text_or_null(r, 20));
	put(o, "response_met",
	    store_isnull(r, 21) ? json_null() : json_boolean(store_int(r, 21)));
	json_set_time(o, cal, "closed_at", r, 22);
	put(o, "channel", json_string(store_text(r, 23)));
	put(o, "client_id",
	    store_isnull(r, 25) ? json_null() : json_integer(store_int(r, 25)));
	put(o, "assignee_id",
	    store_isnull(r, 26) ? json_null() : json_integer(store_int(r, 26)));
	json_set_time(o, cal, "waiting_since", r, 27);
	json_set_time(o, cal, "solved_at", r, 28);
	put(o, "first_response_business_s",
	    store_isnull(r, 29) ? json_null() : json_integer(store_int(r, 29)));
	/* R9: the client answered the solution without confirming or
	 * reopening: staff read it, and may reopen the ticket. */
	json_set_time(o, cal, "client_replied_at", r, 31);
	/* R7: the client asked to raise the priority, or it reached the
	 * Project Manager: the chip, the filter, the manager's list. */
	put(o, "raise_requested", json_boolean(store_int(r, 32)));
	put(o, "escalated",
	    json_boolean(store_int(r, 32) || store_int(r, 15) > 0));
	/* R6: preliminary until a consultant confirms it; the proposal and
	 * the reasons behind it (issue 17: "triage"). */
	put(o, "severity_confirmed", json_boolean(!store_isnull(r, 33)));
	json_set_time(o, cal, "severity_confirmed_at", r, 33);
	put(o, "category_confirmed", json_boolean(!store_isnull(r, 46)));
	triage_put(o, r);
	/* Who pays (R4, R5): the cause staff named and the charge decided. */
	put(o, "cause", json_text_or_null(r, 37));
	put(o, "charge", json_text_or_null(r, 38));
	/* Contact attempts are made by phone (R9): the number at hand. */
	put(o, "contact_phone", json_text_or_null(r, 39));
	/* Merged into another ticket: the number holding its thread now. */
	put(o, "merged_into",
	    store_isnull(r, 40) ? json_null() : json_integer(store_int(r, 40)));
	return o;
}

/* The ticket's pauses into ps (at most SLA_MAX_PAUSES; the core refuses
 * more) and, when arr is not NULL, as JSON objects appended to it. */
static enum store_rc
load_pauses(const struct ticket_clock *k, int64_t ticket_id,
            struct sla_pause *ps, size_t *n, json_t *arr)
{
	struct store_rows *r;
	*n = 0;
	enum store_rc rc = store_query(k->db,
	                               "SELECT start_at, end_at FROM pauses WHERE "
	                               "ticket_id = $1 ORDER BY start_at, id",
	                               STORE_PARAMS(SP_I(ticket_id)), &r);
	if (rc != STORE_OK)
		return rc;
	while ((rc = store_next(r)) == STORE_ROW) {
		int64_t end = store_isnull(r, 1) ? SLA_OPEN : store_int(r, 1);
		if (*n < SLA_MAX_PAUSES)
			ps[(*n)++] = (struct sla_pause){store_int(r, 0), end};
		if (arr) {
			json_t *p = json_object();
			json_set_time(p, k->cal, "start_at", r, 0);
			json_set_time(p, k->cal, "end_at", r, 1);
			json_array_append_new(arr, p);
		}
	}
	store_done(r);
	return rc == STORE_DONE ? STORE_OK : rc;
}

static const char *
sla_state_name(enum sla_state s)
{
	return s == SLA_BREACHED ? "breached" : s == SLA_AT_RISK ? "at_risk" : "ok";
}

enum store_rc
ticket_clock_add(json_t *o, struct store_rows *r, const struct ticket_clock *k,
                 int pauses_too)
{
	struct sla_pause ps[SLA_MAX_PAUSES];
	size_t np = 0;
	if (k->pol == NULL || k->cal == NULL)
		return STORE_OK;
	const char *state = store_text(r, 2);
	int waiting = strcmp(state, "waiting_on_client") == 0;
	int responded = !store_isnull(r, 10);
	int has_pauses = (int)store_int(r, 30);
	if (has_pauses && (pauses_too || !responded)) {
		json_t *arr = pauses_too ? json_array() : NULL;
		if (arr)
			put(o, "pauses", arr);
		enum store_rc rc = load_pauses(k, store_int(r, 0), ps, &np, arr);
		if (rc != STORE_OK)
			return rc;
	} else if (pauses_too) {
		put(o, "pauses", json_array());
	}
	struct sla_clock c;
	struct sla_status st;
	int64_t as_of = k->now;
	if (!responded && strcmp(state, "closed") == 0 && !store_isnull(r, 22) &&
	    store_int(r, 22) < as_of)
		as_of = store_int(r, 22);
	/* Out of the calendar's span or a severity the policy lacks: no
	 * clock to show, rather than a wrong one. */
	int64_t target = store_isnull(r, 36)
	                     ? policy_response_s(k->pol, (int)store_int(r, 3))
	                     : store_int(r, 36);
	if (sla_clock_target(&c, target, store_int(r, 8), ps, np) != SLA_OK ||
	    (!responded && sla_status(k->cal, &c, as_of, k->pol->at_risk_percent,
	                              &st) != SLA_OK)) {
		put(o, "sla", json_null());
		return STORE_OK;
	}
	json_t *s = json_object();
	const char *status;
	int running = 0;
	if (responded) {
		/* Decided at the first response: what it took, kept then. */
		int64_t used = store_isnull(r, 29) ? 0 : store_int(r, 29);
		int met = store_isnull(r, 21) ? used <= c.target_s : store_int(r, 21) != 0;
		st.used_s = used;
		st.remaining_s = c.target_s - used;
		st.due_s = store_int(r, 9);
		status = waiting ? "paused" : met ? "met" : "breached";
	} else if (st.paused || waiting) {
		status = "paused";
	} else {
		status = sla_state_name(st.state);
		running = as_of == k->now && calendar_is_open(k->cal, k->now);
	}
	put(s, "status", json_string(status));
	put(s, "target_s", json_integer(c.target_s));
	put(s, "used_business_s", json_integer(st.used_s));
	put(s, "remaining_business_s", json_integer(st.remaining_s));
	if (st.due_s == SLA_NEVER)
		put(s, "due_at", json_null());
	else
		json_set_instant(s, k->cal, "due_at", st.due_s);
	put(s, "running", json_boolean(running));
	json_set_instant(s, NULL, "as_of", as_of);
	put(o, "sla", s);
	return STORE_OK;
}

enum store_rc
ticket_list_json(struct store *db, const struct calendar *cal,
                 const struct ticket_filter *f, json_t **out)
{
	struct store_rows *r;
	*out = NULL;
	enum store_rc rc = store_query(
	    db,
	    "SELECT " TICKET_COLUMNS TICKET_FROM
	    "WHERE ($1 = '' OR t.state = $1) AND ($2 = '' OR c.domain = $2) "
	    "AND ($3 = 0 OR t.severity = $3) "
	    "ORDER BY CASE WHEN t.state = 'closed' THEN 1 ELSE 0 END, "
	    "t.response_due_at, t.number LIMIT $4",
	    STORE_PARAMS(SP_T(f->state ? f->state : ""),
	                 SP_T(f->client ? f->client : ""), SP_I(f->severity),
	                 SP_I(f->limit > 0 ? f->limit : 1000)),
	    &r);
	if (rc != STORE_OK)
		return rc;
	json_t *arr = json_array();
	while ((rc = store_next(r)) == STORE_ROW)
		json_array_append_new(arr, ticket_row_json(r, cal));
	store_done(r);
	if (rc != STORE_DONE) {
		json_decref(arr);
		return rc;
	}
	*out = arr;
	return STORE_OK;
}

enum store_rc
ticket_show_json(struct store *db, const struct calendar *cal, int64_t number,
                 json_t **out)
{
	struct store_rows *r;
	*out = NULL;
	enum store_rc rc = store_query_row(db,
	                                   "SELECT " TICKET_COLUMNS TICKET_FROM
	                                   "WHERE t.number = $1",
	                                   STORE_PARAMS(SP_I(number)), &r);
	if (rc != STORE_OK)
		return rc;
	int64_t id = store_int(r, 0);
	json_t *t = ticket_row_json(r, cal);
	store_done(r);
	/* The same rendering as the API's, internal notes included: the CLI
	 * is for staff. Every message: the CLI shows the whole thread. */
	json_t *msgs = NULL;
	rc = ticket_messages_json(db, cal, id, 1, 0, INT32_MAX, &msgs);
	if (rc != STORE_OK) {
		json_decref(t);
		return rc;
	}
	put(t, "messages", msgs);
	json_t *links = NULL;
	rc = ticket_links_json(db, id, &links);
	if (rc != STORE_OK) {
		json_decref(t);
		return rc;
	}
	put(t, "links", links);
	*out = t;
	return STORE_OK;
}
