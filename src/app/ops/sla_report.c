/*
 * sla_report.c - the month's SLA report (see sla_report.h): one query
 * per figure, the clock's judgement from the SLA engine.
 */
#include "app/ops/sla_report.h"
#include "app/base/json_rows.h"
#include "core/sla.h"
#include "util/timefmt.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SEVS POLICY_SEVERITIES

/* The UTC instant of local midnight starting civil day `day`. */
static int64_t
local_midnight(const struct calendar *cal, int64_t day)
{
	int64_t t = day * 86400;
	t -= calendar_utc_offset(cal, t);
	return day * 86400 - calendar_utc_offset(cal, t);
}

struct sev_acc {
	int64_t tickets, met, breached, pending, no_clock;
	int64_t *fr;              /* first responses, business seconds */
	size_t nfr;
};

static int
cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

/* Nearest rank: the value at rank ceil(p * n / 100), or null. */
static json_t *
rank(const int64_t *v, size_t n, int p)
{
	if (n == 0)
		return json_null();
	size_t r = ((size_t)p * n + 99) / 100;
	return json_integer(v[r ? r - 1 : 0]);
}

static json_t *
sev_json(struct sev_acc *a, int severity, int64_t target_s)
{
	if (a->nfr > 1)   /* none yet: no array (qsort wants one) */
		qsort(a->fr, a->nfr, sizeof *a->fr, cmp_i64);
	json_t *o = json_object();
	if (severity)
		json_put(o, "severity", json_integer(severity));
	else
		json_put(o, "severity", json_string("all"));
	json_put(o, "target_s", target_s >= 0 ? json_integer(target_s)
	                                      : json_null());
	json_put(o, "tickets", json_integer(a->tickets));
	json_put(o, "met", json_integer(a->met));
	json_put(o, "breached", json_integer(a->breached));
	json_put(o, "pending", json_integer(a->pending));
	json_put(o, "no_clock", json_integer(a->no_clock));
	json_put(o, "responded", json_integer((json_int_t)a->nfr));
	json_put(o, "median_first_response_s", rank(a->fr, a->nfr, 50));
	json_put(o, "p90_first_response_s", rank(a->fr, a->nfr, 90));
	return o;
}

static int
push_fr(struct sev_acc *a, int64_t v)
{
	int64_t *n = realloc(a->fr, (a->nfr + 1) * sizeof *n);
	if (n == NULL)
		return -1;
	a->fr = n;
	a->fr[a->nfr++] = v;
	return 0;
}

/* The ticket's pauses as the SLA engine takes them. */
static enum store_rc
pauses_of(struct store *db, int64_t ticket, struct sla_pause *p, size_t *n)
{
	struct store_rows *r;
	*n = 0;
	enum store_rc rc = store_query(
	    db, "SELECT start_at, end_at FROM pauses WHERE ticket_id = $1 "
	        "ORDER BY start_at, id",
	    STORE_PARAMS(SP_I(ticket)), &r);
	if (rc != STORE_OK)
		return rc;
	while ((rc = store_next(r)) == STORE_ROW && *n < SLA_MAX_PAUSES) {
		p[*n].start_s = store_int(r, 0);
		p[*n].end_s = store_isnull(r, 1) ? SLA_OPEN : store_int(r, 1);
		(*n)++;
	}
	store_done(r);
	return rc == STORE_ROW || rc == STORE_DONE ? STORE_OK : rc;
}

/* Was the severity raised (R7) when the deadline it gives had passed? */
static enum store_rc
raised_late(struct store *db, int64_t ticket, int64_t due, int *yes)
{
	int64_t n = 0;
	enum store_rc rc = store_get_int(
	    db, "SELECT COUNT(*) FROM escalations WHERE ticket_id = $1 AND "
	        "kind = 'severity_change' AND to_severity < from_severity AND "
	        "created_at >= $2",
	    STORE_PARAMS(SP_I(ticket), SP_I(due)), &n);
	*yes = n > 0;
	return rc;
}

struct ctx {
	struct store *db;
	const struct policy *pol;
	const struct calendar *cal;
	const struct sla_report_req *req;
	int64_t from, to;          /* the month: [from, to) UTC */
	json_t *out;
};

#define TICKET_COLS                                                         \
	"t.id, t.number, t.subject, t.severity, t.state, t.created_at, "       \
	"t.response_due_at, t.first_response_at, t.first_response_business_s, " \
	"t.response_met, t.assignee_id, c.domain, u.email, pv.response_s1, "   \
	"pv.response_s2, pv.response_s3, pv.response_s4"

/* One ticket of the month as the query gives it. */
struct trow {
	int64_t id, number, created, due, fr_at, fr_s;
	int sev, met, responded, assigned, no_clock;
	int64_t target;            /* its policy version's, else the desk's */
	char subject[301], domain[254], assignee[255];
};

static void
trow_read(struct store_rows *r, const struct policy *pol, struct trow *t)
{
	memset(t, 0, sizeof *t);
	t->id = store_int(r, 0);
	t->number = store_int(r, 1);
	snprintf(t->subject, sizeof t->subject, "%s", store_text(r, 2));
	t->sev = (int)store_int(r, 3);
	const char *state = store_text(r, 4);
	t->created = store_int(r, 5);
	t->due = store_int(r, 6);
	t->responded = !store_isnull(r, 7);
	t->fr_at = t->responded ? store_int(r, 7) : 0;
	t->fr_s = store_isnull(r, 8) ? 0 : store_int(r, 8);
	t->met = store_isnull(r, 9) ? -1 : (int)store_int(r, 9);
	t->assigned = !store_isnull(r, 10);
	if (!store_isnull(r, 11))
		snprintf(t->domain, sizeof t->domain, "%s", store_text(r, 11));
	if (!store_isnull(r, 12))
		snprintf(t->assignee, sizeof t->assignee, "%s", store_text(r, 12));
	t->no_clock = !t->responded && (strcmp(state, "closed") == 0 ||
	                                strcmp(state, "renewal_required") == 0);
	int col = 13 + t->sev - 1;
	t->target = store_isnull(r, col) ? policy_response_s(pol, t->sev)
	                                 : store_int(r, col);
}

static json_t *
text_or_null(const char *s)
{
	return *s ? json_string(s) : json_null();
}

/* Counts a ticket in its severity's figure and in the total's. */
#define COUNT(f) (acc->f++, all->f++)

/* Judges one ticket; adds a breach to the list when it is one. */
static enum store_rc
ticket_judge(struct ctx *x, const struct trow *t, struct sev_acc *acc,
             struct sev_acc *all, json_t *breaches)
{
	int breached = 0;
	int64_t late = 0;
	const char *cause;
	enum store_rc rc;
	COUNT(tickets);
	if (t->no_clock) {
		COUNT(no_clock);
		return STORE_OK;
	}
	if (t->responded) {
		if (push_fr(acc, t->fr_s) || push_fr(all, t->fr_s))
			return store_fail(x->db, STORE_ERROR, "out of memory");
		breached = t->met == 0;
		late = t->fr_s - t->target;
		cause = "late_response";
	} else {
		struct sla_pause p[SLA_MAX_PAUSES];
		size_t np;
		struct sla_clock clk;
		struct sla_status st;
		rc = pauses_of(x->db, t->id, p, &np);
		if (rc != STORE_OK)
			return rc;
		if (sla_clock_target(&clk, t->target, t->created, p, np) != SLA_OK ||
		    sla_status(x->cal, &clk, x->req->now, x->pol->at_risk_percent,
		               &st) != SLA_OK)
			return store_fail(x->db, STORE_ERROR,
			                  "ticket #%06lld: no clock in the calendar",
			                  (long long)t->number);
		breached = st.state == SLA_BREACHED;
		late = -st.remaining_s;
		cause = t->assigned ? "unanswered" : "unassigned";
	}
	if (!breached) {
		if (t->responded)
			COUNT(met);
		else
			COUNT(pending);
		return STORE_OK;
	}
	COUNT(breached);
	int raised = 0;
	if (strcmp(cause, "unassigned") != 0 &&
	    (rc = raised_late(x->db, t->id, t->due, &raised)) != STORE_OK)
		return rc;
	json_t *b = json_object();
	json_put(b, "ticket_number", json_integer(t->number));
	json_put(b, "subject", json_string(t->subject));
	json_put(b, "client_domain", text_or_null(t->domain));
	json_put(b, "severity", json_integer(t->sev));
	json_put(b, "assignee_email", text_or_null(t->assignee));
	json_set_instant(b, x->cal, "created_at", t->created);
	json_set_instant(b, x->cal, "response_due_at", t->due);
	if (t->responded)
		json_set_instant(b, x->cal, "first_response_at", t->fr_at);
	else
		json_put(b, "first_response_at", json_null());
	json_put(b, "target_s", json_integer(t->target));
	json_put(b, "late_by_s", json_integer(late > 0 ? late : 0));
	json_put(b, "cause", json_string(raised ? "severity_raised" : cause));
	json_array_append_new(breaches, b);
	return STORE_OK;
}

static enum store_rc
tickets_load(struct ctx *x, struct trow **rows, size_t *n)
{
	struct store_rows *r;
	*rows = NULL;
	*n = 0;
	enum store_rc rc = store_query(
	    x->db,
	    "SELECT " TICKET_COLS " FROM tickets t "
	    "LEFT JOIN clients c ON c.id = t.client_id "
	    "LEFT JOIN users u ON u.id = t.assignee_id "
	    "LEFT JOIN policy_versions pv ON pv.id = t.policy_version_id "
	    "WHERE t.created_at >= $1 AND t.created_at < $2 AND "
	    "(CAST($3 AS BIGINT) = 0 OR t.client_id = $3) ORDER BY t.number",
	    STORE_PARAMS(SP_I(x->from), SP_I(x->to), SP_I(x->req->client_id)), &r);
	if (rc != STORE_OK)
		return rc;
	while ((rc = store_next(r)) == STORE_ROW) {
		int sev = (int)store_int(r, 3);
		if (sev < 1 || sev > SEVS)
			continue;
		struct trow *m = realloc(*rows, (*n + 1) * sizeof *m);
		if (m == NULL) {
			rc = store_fail(x->db, STORE_ERROR, "out of memory");
			break;
		}
		*rows = m;
		trow_read(r, x->pol, &m[(*n)++]);
	}
	store_done(r);
	return rc == STORE_DONE ? STORE_OK : rc;
}

static enum store_rc
tickets_part(struct ctx *x)
{
	struct sev_acc acc[SEVS + 1];
	memset(acc, 0, sizeof acc);
	json_t *breaches = json_array();
	json_put(x->out, "breaches", breaches);
	struct trow *rows;
	size_t n;
	/* All rows first: judging a ticket runs queries of its own. */
	enum store_rc rc = tickets_load(x, &rows, &n);
	for (size_t i = 0; rc == STORE_OK && i < n; i++)
		rc = ticket_judge(x, &rows[i], &acc[rows[i].sev], &acc[0], breaches);
	free(rows);
	if (rc == STORE_OK) {
		json_t *sevs = json_array();
		for (int s = 1; s <= SEVS; s++)
			json_array_append_new(
			    sevs, sev_json(&acc[s], s, policy_response_s(x->pol, s)));
		json_put(x->out, "severities", sevs);
		json_put(x->out, "totals", sev_json(&acc[0], 0, -1));
	}
	for (int s = 0; s <= SEVS; s++)
		free(acc[s].fr);
	return rc;
}

/* The month's tickets' waits on the client (R6 pauses, R9): how many,
 * on how many tickets, their business seconds inside the month. */
static enum store_rc
waits_part(struct ctx *x)
{
	struct store_rows *r;
	enum store_rc rc = store_query(
	    x->db,
	    "SELECT p.ticket_id, p.start_at, p.end_at FROM pauses p "
	    "JOIN tickets t ON t.id = p.ticket_id "
	    "WHERE t.created_at >= $1 AND t.created_at < $2 AND "
	    "(CAST($3 AS BIGINT) = 0 OR t.client_id = $3) "
	    "ORDER BY p.ticket_id, p.start_at",
	    STORE_PARAMS(SP_I(x->from), SP_I(x->to), SP_I(x->req->client_id)), &r);
	if (rc != STORE_OK)
		return rc;
	int64_t waits = 0, tickets = 0, last = 0, business = 0;
	int64_t stop = x->req->now < x->to ? x->req->now : x->to;
	while ((rc = store_next(r)) == STORE_ROW) {
		int64_t id = store_int(r, 0), a = store_int(r, 1);
		int64_t b = store_isnull(r, 2) ? stop : store_int(r, 2), s = 0;
		waits++;
		if (id != last)
			tickets++;
		last = id;
		if (a < x->from)
			a = x->from;
		if (b > stop)
			b = stop;
		if (b > a && calendar_between(x->cal, a, b, &s) == CAL_OK)
			business += s;
	}
	store_done(r);
	if (rc != STORE_DONE)
		return rc;
	json_put(x->out, "waits",
	         json_pack("{s:I, s:I, s:I}", "waits", (json_int_t)waits,
	                   "tickets", (json_int_t)tickets, "business_s",
	                   (json_int_t)business));
	return STORE_OK;
}

/* Hours logged in the month (work dates), by client and by consultant. */
static enum store_rc
hours_part(struct ctx *x, const char *first, const char *last)
{
	static const char *const by_client[] = {"client_domain", "client_name",
	                                        "#logged_s"};
	static const char *const by_user[] = {"user_email", "user_name",
	                                      "#logged_s"};
	json_t *a = NULL, *b = NULL;
	enum store_rc rc = json_rows(
	    x->db, NULL,
	    "SELECT c.domain, c.name, SUM(e.seconds) FROM time_entries e "
	    "JOIN tickets t ON t.id = e.ticket_id "
	    "JOIN clients c ON c.id = t.client_id "
	    "WHERE e.work_date >= $1 AND e.work_date <= $2 AND "
	    "(CAST($3 AS BIGINT) = 0 OR t.client_id = $3) "
	    "GROUP BY c.domain, c.name ORDER BY c.domain",
	    STORE_PARAMS(SP_T(first), SP_T(last), SP_I(x->req->client_id)),
	    by_client, 3, &a);
	if (rc == STORE_OK)
		rc = json_rows(
		    x->db, NULL,
		    "SELECT u.email, u.name, SUM(e.seconds) FROM time_entries e "
		    "JOIN tickets t ON t.id = e.ticket_id "
		    "JOIN users u ON u.id = e.user_id "
		    "WHERE e.work_date >= $1 AND e.work_date <= $2 AND "
		    "(CAST($3 AS BIGINT) = 0 OR t.client_id = $3) "
		    "GROUP BY u.email, u.name ORDER BY u.email",
		    STORE_PARAMS(SP_T(first), SP_T(last), SP_I(x->req->client_id)),
		    by_user, 3, &b);
	json_put(x->out, "hours_by_client", a ? a : json_array());
	json_put(x->out, "hours_by_consultant", b ? b : json_array());
	return rc;
}

/* Escalations asked in the month (R7), by kind and listed. */
static enum store_rc
escalations_part(struct ctx *x)
{
	struct store_rows *r;
	enum store_rc rc = store_query(
	    x->db,
	    "SELECT t.number, e.kind, e.from_severity, e.to_severity, "
	    "e.from_level, e.to_level, e.created_at FROM escalations e "
	    "JOIN tickets t ON t.id = e.ticket_id "
	    "WHERE e.created_at >= $1 AND e.created_at < $2 AND "
	    "(CAST($3 AS BIGINT) = 0 OR t.client_id = $3) "
	    "ORDER BY e.created_at, e.id",
	    STORE_PARAMS(SP_I(x->from), SP_I(x->to), SP_I(x->req->client_id)), &r);
	if (rc != STORE_OK)
		return rc;
	json_t *items = json_array();
	json_int_t raise = 0, pm = 0, sev = 0;
	while ((rc = store_next(r)) == STORE_ROW) {
		const char *kind = store_text(r, 1);
		json_t *o = json_object();
		json_put(o, "ticket_number", json_integer(store_int(r, 0)));
		json_put(o, "kind", json_string(kind));
		static const char *const keys[] = {"from_severity", "to_severity",
		                                   "from_level", "to_level"};
		for (int k = 0; k < 4; k++)
			json_put(o, keys[k], store_isnull(r, 2 + k)
			                         ? json_null()
			                         : json_integer(store_int(r, 2 + k)));
		json_set_instant(o, x->cal, "created_at", store_int(r, 6));
		json_array_append_new(items, o);
		if (strcmp(kind, "raise_priority") == 0)
			raise++;
		else if (strcmp(kind, "project_manager") == 0)
			pm++;
		else
			sev++;
	}
	store_done(r);
	json_put(x->out, "escalations",
	         json_pack("{s:I, s:I, s:I, s:I, s:o}", "total",
	                   (json_int_t)json_array_size(items), "raise_priority",
	                   raise, "project_manager", pm, "severity_change", sev,
	                   "items", items));
	return rc == STORE_DONE ? STORE_OK : rc;
}

static enum store_rc
client_part(struct ctx *x)
{
	if (x->req->client_id == 0) {
		json_put(x->out, "client", json_null());
		return STORE_OK;
	}
	static const char *const keys[] = {"#id", "domain", "name"};
	json_t *rows = NULL;
	enum store_rc rc = json_rows(
	    x->db, NULL, "SELECT id, domain, name FROM clients WHERE id = $1",
	    STORE_PARAMS(SP_I(x->req->client_id)), keys, 3, &rows);
	if (rc == STORE_OK && json_array_size(rows) == 0)
		rc = store_fail(x->db, STORE_NOTFOUND, "no client has the id %lld",
		                (long long)x->req->client_id);
	if (rc == STORE_OK)
		json_put(x->out, "client", json_incref(json_array_get(rows, 0)));
	json_decref(rows);
	return rc;
}

enum app_rc
sla_report_json(struct store *db, const struct policy *pol,
                const struct calendar *cal, const struct sla_report_req *req,
                json_t **out)
{
	*out = NULL;
	if (req->month < 1 || req->month > 12 || req->year < 1970 ||
	    req->year > 9999)
		return app_refuse(db, "the month is not YYYY-MM");
	int64_t d0 = days_from_civil(req->year, req->month, 1);
	int64_t d1 = d0 + days_in_month(req->year, req->month);
	struct ctx x = {db, pol, cal, req, local_midnight(cal, d0),
	                local_midnight(cal, d1), json_object()};
	int64_t lo, hi;
	calendar_span(cal, &lo, &hi);
	if (x.from < lo || x.to > hi) {
		json_decref(x.out);
		return app_refuse(db, "the month is outside the calendar's years");
	}
	char first[ISO_DATE_LEN], last[ISO_DATE_LEN], month[8];
	iso_date_format(d0, first);
	iso_date_format(d1 - 1, last);
	snprintf(month, sizeof month, "%04lld-%02d", (long long)req->year,
	         req->month);
	json_put(x.out, "month", json_string(month));
	json_put(x.out, "first_day", json_string(first));
	json_put(x.out, "last_day", json_string(last));
	json_set_instant(x.out, cal, "as_of", req->now);
	json_put(x.out, "time_zone", json_string(calendar_zone(cal)));
	store_read_begin(db);
	enum store_rc rc = client_part(&x);
	if (rc == STORE_OK)
		rc = tickets_part(&x);
	if (rc == STORE_OK)
		rc = waits_part(&x);
	if (rc == STORE_OK)
		rc = hours_part(&x, first, last);
	if (rc == STORE_OK)
		rc = escalations_part(&x);
	store_read_end(db);
	if (rc == STORE_NOTFOUND) {
		json_decref(x.out);
		return app_refuse(db, "%s", store_errmsg(db));
	}
	if (rc != STORE_OK) {
		json_decref(x.out);
		return app_of_store(rc);
	}
	*out = x.out;
	return APP_OK;
}
