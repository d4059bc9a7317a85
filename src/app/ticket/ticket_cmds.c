/*
 * ticket_cmds.c - the ticket lifecycle commands (see ticket_cmds.h).
 *
 * Shape of every command: load the ticket row and what the state machine
 * needs (escalations, attempts of the waiting episode, the pending
 * auto-close), call wf_decide(), then apply the decision: pauses,
 * messages, attempts, escalations, the ticket row (version + 1, checked),
 * audit events, mails (outbound_queue) and jobs. The caller's transaction
 * makes it all-or-nothing.
 *
 * SECURITY: request text (bodies, e-mails) is untrusted: it is bound as
 * SQL parameters and inserted into plain-text mail only.
 */
#include "app/ticket/ticket_cmds.h"
#include "app/ticket/assign.h"
#include "app/ticket/flow_mail.h"
#include "app/ticket/uploads.h"
#include "core/sla.h"
#include "util/text.h"
#include "util/timefmt.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The ticket row as loaded, with the names mail needs. */
struct trow {
	int64_t id, number, client_id, contact_id, assignee_id;
	int64_t created_at, due_at, first_response_at, waiting_since;
	int64_t version, solved_at, closed_at, resolution_s, fr_business_s;
	int severity, level, reopened, responded, response_met;
	enum wf_state state;
	enum wf_close_reason close;
	char subject[400];
	char contact_email[256], contact_name[200], lang[8];
	char assignee_email[256], assignee_name[200], client_name[200];
};

struct pauses {
	struct sla_pause p[SLA_MAX_PAUSES];
	size_t n;
};

static void
copy(char *dst, size_t n, const char *src)
{
	snprintf(dst, n, "%s", src ? src : "");
}

static enum tcmd_rc
from_store(enum store_rc rc, struct store *db, struct tcmd_result *res)
{
	switch (rc) {
	case STORE_OK:
	case STORE_ROW:
	case STORE_DONE:
		return TCMD_OK;
	case STORE_BUSY:
		copy(res->message, sizeof res->message, store_errmsg(db));
		return TCMD_BUSY;
	case STORE_NOTFOUND:
		copy(res->message, sizeof res->message, store_errmsg(db));
		return TCMD_NOT_FOUND;
	default:
		copy(res->message, sizeof res->message, store_errmsg(db));
		return TCMD_ERROR;
	}
}

int
tcmd_exit_code(enum tcmd_rc rc)
{
	switch (rc) {
	case TCMD_OK:
		return 0;
	case TCMD_REFUSED:
	case TCMD_NOT_FOUND:
	case TCMD_TOO_LARGE:
		return 65;  /* EX_DATAERR */
	case TCMD_CONFLICT:
	case TCMD_BUSY:
		return 75;  /* EX_TEMPFAIL */
	case TCMD_ERROR:
		break;
	}
	return 70;      /* EX_SOFTWARE */
}

#define TROW_SELECT                                                        \
	"SELECT t.id, t.number, t.state, t.close_reason, t.severity, "         \
	"t.escalation_level, t.assignee_id, t.first_response_at, "             \
	"t.waiting_since, t.reopened, t.version, t.client_id, t.contact_id, "  \
	"t.created_at, t.response_due_at, t.subject, ct.email, ct.name, "      \
	"c.language, u.email, u.name, c.name, t.solved_at, t.closed_at, "      \
	"t.resolution_business_s, t.first_response_business_s, "               \
	"t.response_met FROM tickets t "                                       \
	"LEFT JOIN contacts ct ON ct.id = t.contact_id "                       \
	"LEFT JOIN clients c ON c.id = t.client_id "                           \
	"LEFT JOIN users u ON u.id = t.assignee_id "

static int64_t
int_or0(struct store_rows *r, int col)
{
	return store_isnull(r, col) ? 0 : store_int(r, col);
}

static enum store_rc
load_row(struct store *db, const char *where, int64_t key, struct trow *t)
{
	char sql[1024];
	snprintf(sql, sizeof sql, "%s%s", TROW_SELECT, where);
	struct store_rows *r;
	enum store_rc rc = store_query(db, sql, STORE_PARAMS(SP_I(key)), &r);
	if (rc != STORE_OK)
		return rc;
	rc = store_next(r);
	if (rc == STORE_ROW) {
		memset(t, 0, sizeof *t);
		t->id = store_int(r, 0);
		t->number = store_int(r, 1);
		int st = wf_state_parse(store_text(r, 2));
		t->state = st < 0 ? WF_NEW : (enum wf_state)st;
		int cr = store_isnull(r, 3) ? 0 : wf_close_parse(store_text(r, 3));
		t->close = cr < 0 ? WF_CLOSE_NONE : (enum wf_close_reason)cr;
		t->severity = (int)store_int(r, 4);
		t->level = (int)store_int(r, 5);
		t->assignee_id = int_or0(r, 6);
		t->responded = !store_isnull(r, 7);
		t->first_response_at = int_or0(r, 7);
		t->waiting_since = int_or0(r, 8);
		t->reopened = (int)store_int(r, 9);
		if (t->reopened && t->state == WF_IN_PROGRESS)
			t->state = WF_REOPENED;
		t->version = store_int(r, 10);
		t->client_id = int_or0(r, 11);
		t->contact_id = int_or0(r, 12);
		t->created_at = store_int(r, 13);
		t->due_at = store_int(r, 14);
		copy(t->subject, sizeof t->subject, store_text(r, 15));
		copy(t->contact_email, sizeof t->contact_email, store_text(r, 16));
		copy(t->contact_name, sizeof t->contact_name, store_text(r, 17));
		copy(t->lang, sizeof t->lang,
		     store_isnull(r, 18) ? "es" : store_text(r, 18));
		copy(t->assignee_email, sizeof t->assignee_email, store_text(r, 19));
		copy(t->assignee_name, sizeof t->assignee_name, store_text(r, 20));
		copy(t->client_name, sizeof t->client_name, store_text(r, 21));
		t->solved_at = int_or0(r, 22);
		t->closed_at = int_or0(r, 23);
		t->resolution_s = int_or0(r, 24);
		t->fr_business_s = int_or0(r, 25);
		t->response_met = store_isnull(r, 26) ? -1 : (int)store_int(r, 26);
		rc = STORE_OK;
	} else if (rc == STORE_DONE) {
		rc = STORE_NOTFOUND;
	}
	store_done(r);
	return rc;
}

static enum store_rc
load_pauses(struct store *db, int64_t ticket_id, struct pauses *ps)
{
	struct store_rows *r;
	ps->n = 0;
	enum store_rc rc = store_query(db,
	                               "SELECT start_at, end_at FROM pauses WHERE "
	                               "ticket_id = $1 ORDER BY start_at, id",
	                               STORE_PARAMS(SP_I(ticket_id)), &r);
	if (rc != STORE_OK)
		return rc;
	while ((rc = store_next(r)) == STORE_ROW && ps->n < SLA_MAX_PAUSES) {
		ps->p[ps->n].start_s = store_int(r, 0);
		ps->p[ps->n].end_s = store_isnull(r, 1) ? SLA_OPEN : store_int(r, 1);
		ps->n++;
	}
	store_done(r);
	return rc == STORE_ROW || rc == STORE_DONE ? STORE_OK : rc;
}

/* What the state machine needs beyond the row. */
static enum store_rc
load_snapshot(struct store *db, const struct calendar *cal,
              const struct trow *t, struct wf_ticket *w)
{
	memset(w, 0, sizeof *w);
	w->state = t->state;
	w->close_reason = t->close;
	w->severity = t->severity;
	w->escalation_level = t->level;
	w->assignee_id = t->assignee_id;
	w->responded = t->responded;
	w->waiting_since = t->waiting_since;
	w->last_attempt_day = -1;
	int64_t n = 0;
	enum store_rc rc = store_get_int(
	    db,
	    "SELECT COUNT(*) FROM escalations WHERE ticket_id = $1 AND kind = "
	    "'raise_priority'",
	    STORE_PARAMS(SP_I(t->id)), &n);
	if (rc != STORE_OK)
		return rc;
	w->raise_requested = n > 0;
	if (t->waiting_since > 0) {
		struct store_rows *r;
		rc = store_query(db,
		                 "SELECT COUNT(DISTINCT business_day), "
		                 "MAX(business_day) FROM contact_attempts WHERE "
		                 "ticket_id = $1 AND attempted_at >= $2",
		                 STORE_PARAMS(SP_I(t->id), SP_I(t->waiting_since)), &r);
		if (rc != STORE_OK)
			return rc;
		if (store_next(r) == STORE_ROW) {
			w->attempts = (int)store_int(r, 0);
			int64_t day;
			if (!store_isnull(r, 1) &&
			    iso_date_parse(store_text(r, 1), &day) == 0)
				w->last_attempt_day = day;
		}
		store_done(r);
	}
	int64_t at = 0;
	rc = store_get_int(db,
	                   "SELECT MIN(due_at) FROM jobs WHERE ticket_id = $1 AND "
	                   "kind = 'auto_close' AND state = 'pending'",
	                   STORE_PARAMS(SP_I(t->id)), &at);
	if (rc == STORE_OK)
		w->auto_close_at = at;
	(void)cal;
	return rc == STORE_NOTFOUND ? STORE_OK : rc;
}

/* Resolves ASSIGN's target: an active consultant. */
static enum store_rc
load_assignee(struct store *db, const char *email, int64_t *id, bool *ok,
              char *name, size_t namelen)
{
	*id = 0;
	*ok = false;
	if (email == NULL)
		return STORE_OK;
	struct store_rows *r;
	char lower[256];
	copy(lower, sizeof lower, email);
	ascii_lower(lower);
	enum store_rc rc = store_query(db,
	                               "SELECT id, role, active, name FROM users "
	                               "WHERE email = $1",
	                               STORE_PARAMS(SP_T(lower)), &r);
	if (rc != STORE_OK)
		return rc;
	if ((rc = store_next(r)) == STORE_ROW) {
		*id = store_int(r, 0);
		*ok = strcmp(store_text(r, 1), "consultant") == 0 &&
		      store_int(r, 2) == 1;
		copy(name, namelen, store_text(r, 3));
		rc = STORE_OK;
	} else if (rc == STORE_DONE) {
		rc = STORE_NOTFOUND;
	}
	store_done(r);
	return rc;
}

enum tcmd_rc
tcmd_who_lookup(struct store *db, const char *email, struct tcmd_who *out,
                char *err, size_t errlen)
{
	memset(out, 0, sizeof *out);
	copy(out->email, sizeof out->email, email);
	ascii_lower(out->email);
	struct store_rows *r;
	enum store_rc rc = store_query(
	    db,
	    "SELECT u.id, u.role, u.active, u.client_id, u.contact_id FROM users u "
	    "WHERE u.email = $1",
	    STORE_PARAMS(SP_T(out->email)), &r);
	if (rc != STORE_OK)
		goto fail;
	if ((rc = store_next(r)) == STORE_ROW) {
		const char *role = store_text(r, 1);
		out->user_id = store_int(r, 0);
		int active = (int)store_int(r, 2);
		out->client_id = int_or0(r, 3);
		out->contact_id = int_or0(r, 4);
		int known = wf_role_parse(role);
		if (known >= 0)
			out->role = (enum wf_role)known;
		store_done(r);
		if (!active) {
			snprintf(err, errlen, "the account %s is disabled", out->email);
			return TCMD_NOT_FOUND;
		}
		if (out->role == WF_ROLE_CLIENT && out->contact_id > 0)
			out->actor = (struct actor){ACTOR_CONTACT, out->contact_id};
		else
			out->actor = (struct actor){ACTOR_USER, out->user_id};
		return TCMD_OK;
	}
	store_done(r);
	if (rc != STORE_DONE)
		goto fail;
	rc = store_query(db,
	                 "SELECT id, client_id FROM contacts WHERE email = $1",
	                 STORE_PARAMS(SP_T(out->email)), &r);
	if (rc != STORE_OK)
		goto fail;
	if ((rc = store_next(r)) == STORE_ROW) {
		out->role = WF_ROLE_CLIENT;
		out->contact_id = store_int(r, 0);
		out->client_id = store_int(r, 1);
		out->actor = (struct actor){ACTOR_CONTACT, out->contact_id};
		store_done(r);
		return TCMD_OK;
	}
	store_done(r);
	if (rc != STORE_DONE)
		goto fail;
	snprintf(err, errlen, "no user or client contact has the e-mail %s",
	         out->email);
	return TCMD_NOT_FOUND;
fail:
	snprintf(err, errlen, "%s", store_errmsg(db));
	return rc == STORE_BUSY ? TCMD_BUSY : TCMD_ERROR;
}

/* Job rows: a cancelled twin at the same instant is revived, a done one
 * is left alone (it fired). */
static enum store_rc
job_insert(struct store *db, enum wf_job_kind kind, int64_t ticket_id,
           int64_t due, int64_t since, int64_t now)
{
	char payload[64];
	snprintf(payload, sizeof payload, "{\"since\":%lld}", (long long)since);
	return store_exec(db,
	                  "INSERT INTO jobs (kind, ticket_id, due_at, payload, "
	                  "created_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT "
	                  "(kind, ticket_id, due_at) DO UPDATE SET state = "
	                  "'pending', payload = excluded.payload WHERE jobs.state "
	                  "= 'cancelled'",
	                  STORE_PARAMS(SP_T(wf_job_name(kind)), SP_I(ticket_id),
	                               SP_I(due), SP_T(payload), SP_I(now)));
}

static enum store_rc
jobs_cancel(struct store *db, int64_t ticket_id, const char *k1,
            const char *k2)
{
	return store_exec(db,
	                  "UPDATE jobs SET state = 'cancelled' WHERE ticket_id = $1 "
	                  "AND state = 'pending' AND kind IN ($2, $3)",
	                  STORE_PARAMS(SP_I(ticket_id), SP_T(k1), SP_T(k2)));
}

static enum store_rc
plan_sla(const struct tcmd_env *env, const struct trow *t,
         const struct pauses *ps)
{
	enum store_rc rc = jobs_cancel(env->db, t->id, "sla_at_risk", "sla_breach");
	if (rc != STORE_OK || t->responded || t->state == WF_CLOSED ||
	    t->state == WF_RENEWAL_REQUIRED)
		return rc;
	struct wf_job j[2];
	int n = wf_sla_jobs(env->pol, env->cal, t->severity, t->created_at, ps->p,
	                    ps->n, j);
	for (int i = 0; i < n && rc == STORE_OK; i++)
		rc = job_insert(env->db, j[i].kind, t->id, j[i].due_at, 0, env->now);
	return rc;
}

enum store_rc
tcmd_plan_sla(const struct tcmd_env *env, int64_t ticket_id)
{
	struct trow t;
	struct pauses ps;
	enum store_rc rc = load_row(env->db, "WHERE t.id = $1", ticket_id, &t);
	if (rc == STORE_OK)
		rc = load_pauses(env->db, ticket_id, &ps);
	if (rc == STORE_OK)
		rc = plan_sla(env, &t, &ps);
	return rc;
}

/* One ticket's deadline under env->cal (see tcmd_recompute_due). */
static enum store_rc
recompute_one(const struct tcmd_env *env, int64_t ticket_id, struct actor who,
              const char *reason, int *moved)
{
	struct trow t;
	struct pauses ps;
	struct sla_clock c;
	int64_t due;
	enum store_rc rc = load_row(env->db, "WHERE t.id = $1", ticket_id, &t);
	if (rc == STORE_OK)
		rc = load_pauses(env->db, ticket_id, &ps);
	if (rc != STORE_OK || t.responded || t.state == WF_CLOSED ||
	    t.state == WF_RENEWAL_REQUIRED)
		return rc;
	/* Outside the calendar's span or under an open pause: nothing to
	 * put in the row. */
	if (sla_clock_init(&c, env->pol, t.severity, t.created_at, ps.p, ps.n) !=
	        SLA_OK ||
	    sla_due(env->cal, &c, &due) != SLA_OK || due == SLA_NEVER ||
	    due == t.due_at)
		return STORE_OK;
	rc = store_exec(env->db,
	                "UPDATE tickets SET response_due_at = $2, updated_at = $3, "
	                "version = version + 1 WHERE id = $1",
	                STORE_PARAMS(SP_I(t.id), SP_I(due), SP_I(env->now)));
	int64_t from = t.due_at;
	t.due_at = due;
	if (rc == STORE_OK)
		rc = plan_sla(env, &t, &ps);
	if (rc == STORE_OK)
		rc = audit_record(env->db, who, t.id, "ticket.due_recomputed",
		                  json_pack("{s:I, s:I, s:s}", "from", (json_int_t)from,
		                            "to", (json_int_t)due, "reason", reason),
		                  env->now);
	if (rc == STORE_OK)
		(*moved)++;
	return rc;
}

enum store_rc
tcmd_recompute_due(const struct tcmd_env *env, int64_t since, struct actor who,
                   const char *reason, int *moved)
{
	struct store_rows *r;
	int64_t *ids = NULL;
	size_t n = 0, cap = 0;
	*moved = 0;
	/* The ids first: each ticket is then read and written by itself. */
	enum store_rc rc = store_query(
	    env->db,
	    "SELECT id FROM tickets WHERE first_response_at IS NULL AND state "
	    "NOT IN ('closed', 'renewal_required') AND response_due_at >= $1 "
	    "ORDER BY id",
	    STORE_PARAMS(SP_I(since)), &r);
	if (rc != STORE_OK)
		return rc;
	while ((rc = store_next(r)) == STORE_ROW) {
		if (n == cap) {
			size_t ncap = cap ? cap * 2 : 64;
			int64_t *nids = realloc(ids, ncap * sizeof *nids);
			if (nids == NULL) {
				rc = store_fail(env->db, STORE_ERROR, "out of memory");
				break;
			}
			ids = nids;
			cap = ncap;
		}
		ids[n++] = store_int(r, 0);
	}
	store_done(r);
	if (rc == STORE_DONE)
		rc = STORE_OK;
	for (size_t i = 0; i < n && rc == STORE_OK; i++)
		rc = recompute_one(env, ids[i], who, reason, moved);
	free(ids);
	return rc;
}

static const char *
escalation_kind(enum wf_cmd c)
{
	switch (c) {
	case WF_CMD_RAISE_REQUEST:
		return "raise_priority";
	case WF_CMD_SEVERITY:
		return "severity_change";
	default:
		return "project_manager";
	}
}

/* The mail's fields from the ticket and the decision. */
static void
mail_facts(const struct tcmd_env *env, const struct trow *t,
           const struct tcmd_request *req, const struct wf_decision *d,
           int old_severity, struct flow_mail_facts *f)
{
	memset(f, 0, sizeof *f);
	f->pol = env->pol;
	f->cal = env->cal;
	f->number = t->number;
	f->subject = t->subject;
	f->client_name = t->client_name;
	f->contact_name = t->contact_name;
	f->assignee_name = t->assignee_name;
	f->severity = t->severity;
	f->old_severity = old_severity;
	f->due_at = t->due_at;
	f->body = req->body;
	f->wait_s = d->wait_s;
	f->attempt = d->attempts;
	f->close_reason = d->close_reason;
	f->state = d->state;
	f->actor_email = req->who.email;
	for (int i = 0; i < d->njobs; i++)
		if (d->jobs[i].kind == WF_JOB_AUTO_CLOSE)
			f->close_at = d->jobs[i].due_at;
	if (f->close_at == 0 && d->wait_s > 0)
		calendar_add(env->cal, env->now, d->wait_s, &f->close_at);
}

static const char *
recipient(const struct tcmd_env *env, const struct trow *t,
          enum wf_recipient to)
{
	switch (to) {
	case WF_TO_CLIENT:
		return t->contact_email[0] ? t->contact_email : NULL;
	case WF_TO_ASSIGNEE:
		return t->assignee_email[0] ? t->assignee_email : NULL;
	case WF_TO_PM:
		return env->pol->project_manager_address;
	case WF_TO_RENEWALS:
		return env->pol->renewals_address;
	}
	return NULL;
}

static json_t *
event_detail(const struct trow *before, const struct trow *after,
             const struct tcmd_request *req, const struct wf_decision *d)
{
	json_t *o = json_pack("{s:s, s:s}", "from",
	                      wf_state_name(before->state), "to",
	                      wf_state_name(after->state));
	json_object_set_new(o, "command", json_string(wf_cmd_name(req->cmd)));
	json_object_set_new(o, "version", json_integer(after->version));
	if (after->severity != before->severity) {
		json_object_set_new(o, "from_severity",
		                    json_integer(before->severity));
		json_object_set_new(o, "to_severity", json_integer(after->severity));
	}
	if (after->assignee_id != before->assignee_id) {
		json_object_set_new(o, "from_assignee",
		                    before->assignee_email[0]
		                        ? json_string(before->assignee_email)
		                        : json_null());
		json_object_set_new(o, "to_assignee",
		                    json_string(after->assignee_email));
	}
	if (d->close_reason != WF_CLOSE_NONE && after->state == WF_CLOSED)
		json_object_set_new(o, "close_reason",
		                    json_string(wf_close_name(d->close_reason)));
	if (d->effects & WF_FX_RECORD_ATTEMPT) {
		json_object_set_new(o, "attempt", json_integer(d->attempts));
		json_object_set_new(o, "counted", json_boolean(d->attempt_counted));
		json_object_set_new(o, "channel", json_string(req->channel));
		json_object_set_new(o, "wait_s", json_integer(d->wait_s));
	}
	if (d->effects & WF_FX_FIRST_RESPONSE) {
		json_object_set_new(o, "first_response_business_s",
		                    json_integer(after->fr_business_s));
		json_object_set_new(o, "response_met",
		                    json_boolean(after->response_met == 1));
	}
	if (d->effects & WF_FX_LEVEL_PM)
		json_object_set_new(o, "escalation_level", json_integer(1));
	return o;
}

/* Applies the decision's effects on the ticket row copy `a` and the
 * other tables. */
static enum store_rc
apply_effects(const struct tcmd_env *env, const struct tcmd_request *req,
              const struct wf_decision *d, struct trow *a,
              struct pauses *ps, int64_t new_assignee,
              const char *new_assignee_name)
{
	struct store *db = env->db;
	int64_t now = env->now;
	enum store_rc rc = STORE_OK;
	unsigned fx = d->effects;
	int old_severity = a->severity;
	a->state = d->state;
	a->close = d->close_reason;
	if (fx & WF_FX_PAUSE_END) {
		rc = store_exec(db,
		                "UPDATE pauses SET end_at = $2 WHERE ticket_id = $1 AND "
		                "end_at IS NULL",
		                STORE_PARAMS(SP_I(a->id), SP_I(now)));
		for (size_t i = 0; i < ps->n; i++)
			if (ps->p[i].end_s == SLA_OPEN)
				ps->p[i].end_s = now;
	}
	if (rc == STORE_OK && (fx & WF_FX_PAUSE_START)) {
		rc = store_exec(db,
		                "INSERT INTO pauses (ticket_id, start_at) VALUES ($1, $2)",
		                STORE_PARAMS(SP_I(a->id), SP_I(now)));
		if (ps->n < SLA_MAX_PAUSES)
			ps->p[ps->n++] = (struct sla_pause){now, SLA_OPEN};
	}
	if (fx & WF_FX_SET_ASSIGNEE) {
		a->assignee_id = new_assignee;
		copy(a->assignee_email, sizeof a->assignee_email, req->assignee_email);
		ascii_lower(a->assignee_email);
		copy(a->assignee_name, sizeof a->assignee_name, new_assignee_name);
	}
	if (fx & WF_FX_SET_SEVERITY)
		a->severity = req->severity;
	if (fx & WF_FX_LEVEL_PM)
		a->level = 1;
	struct sla_clock clock;
	if (sla_clock_init(&clock, env->pol, a->severity, a->created_at, ps->p,
	                   ps->n) != SLA_OK)
		return store_fail(db, STORE_ERROR, "severity %d has no target",
		                  a->severity);
	if ((fx & WF_FX_RECOMPUTE_DUE) || ((fx & WF_FX_PAUSE_END) && !a->responded)) {
		int64_t due;
		if (sla_due(env->cal, &clock, &due) == SLA_OK && due != SLA_NEVER)
			a->due_at = due;
	}
	if (fx & WF_FX_FIRST_RESPONSE) {
		int64_t used = 0;
		sla_elapsed(env->cal, &clock, now, &used);
		a->responded = 1;
		a->first_response_at = now;
		a->fr_business_s = used;
		a->response_met = used <= clock.target_s ? 1 : 0;
	}
	if (fx & WF_FX_SOLVED_AT) {
		int64_t used = 0;
		sla_elapsed(env->cal, &clock, now, &used);
		a->solved_at = now;
		a->resolution_s = used;
	}
	if (fx & WF_FX_CLOSED_AT)
		a->closed_at = now;
	if (fx & WF_FX_NEW_EPISODE)
		a->waiting_since = now;
	if (fx & WF_FX_END_EPISODE)
		a->waiting_since = 0;
	if (rc == STORE_OK && (fx & WF_FX_RECORD_ATTEMPT)) {
		char day[ISO_DATE_LEN];
		iso_date_format(d->attempt_day, day);
		rc = store_exec(db,
		                "INSERT INTO contact_attempts (ticket_id, user_id, "
		                "channel, outcome, wait_s, business_day, attempted_at, "
		                "counted) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
		                STORE_PARAMS(SP_I(a->id), SP_ID(req->who.user_id),
		                             SP_T(req->channel),
		                             SP_T(req->outcome ? req->outcome
		                                               : "no_answer"),
		                             SP_I(d->wait_s), SP_T(day), SP_I(now),
		                             SP_I(d->attempt_counted ? 1 : 0)));
	}
	if (rc == STORE_OK && (fx & WF_FX_RECORD_ESCALATION)) {
		rc = store_exec(
		    db,
		    "INSERT INTO escalations (ticket_id, kind, requested_by_contact_id, "
		    "requested_by_user_id, from_severity, to_severity, from_level, "
		    "to_level, note, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, "
		    "$8, $9, $10)",
		    STORE_PARAMS(SP_I(a->id), SP_T(escalation_kind(req->cmd)),
		                 SP_ID(req->who.contact_id), SP_ID(req->who.user_id),
		                 SP_I(old_severity),
		                 SP_I(a->severity), SP_I(a->level - ((fx & WF_FX_LEVEL_PM) ? 1 : 0)),
		                 SP_I(a->level), SP_T(req->body), SP_I(now)));
		/* The consultant acting on a raise request handles it. */
		if (rc == STORE_OK && req->cmd != WF_CMD_RAISE_REQUEST &&
		    req->cmd != WF_CMD_PM_REQUEST && req->who.user_id > 0)
			rc = store_exec(db,
			                "UPDATE escalations SET handled_at = $2, "
			                "handled_by = $3 WHERE ticket_id = $1 AND kind = "
			                "'raise_priority' AND handled_at IS NULL",
			                STORE_PARAMS(SP_I(a->id), SP_I(now),
			                             SP_I(req->who.user_id)));
	}
	if (rc == STORE_OK && (fx & WF_FX_CANCEL_SLA))
		rc = jobs_cancel(db, a->id, "sla_at_risk", "sla_breach");
	if (rc == STORE_OK && (fx & WF_FX_CANCEL_WAIT_JOBS))
		rc = jobs_cancel(db, a->id, "attempt_reminder", "auto_close");
	return rc;
}

static enum store_rc
write_row(struct store *db, const struct trow *before, struct trow *a,
          int64_t now)
{
	int64_t version = 0;
	enum store_rc rc = store_get_int(
	    db,
	    "UPDATE tickets SET state = $3, close_reason = $4, reopened = $5, "
	    "assignee_id = $6, severity = $7, escalation_level = $8, "
	    "waiting_since = $9, response_due_at = $10, first_response_at = $11, "
	    "first_response_business_s = $12, response_met = $13, solved_at = "
	    "$14, closed_at = $15, resolution_business_s = $16, updated_at = $17, "
	    "version = version + 1 WHERE id = $1 AND version = $2 RETURNING "
	    "version",
	    STORE_PARAMS(
	        SP_I(a->id), SP_I(before->version),
	        SP_T(wf_state_name(a->state == WF_REOPENED ? WF_IN_PROGRESS
	                                                   : a->state)),
	        SP_T(a->state == WF_CLOSED ? wf_close_name(a->close) : NULL),
	        SP_I(a->state == WF_REOPENED ? 1 : 0), SP_ID(a->assignee_id),
	        SP_I(a->severity), SP_I(a->level), SP_ID(a->waiting_since),
	        SP_I(a->due_at), a->responded ? SP_I(a->first_response_at) : SP_NULL,
	        a->responded ? SP_I(a->fr_business_s) : SP_NULL,
	        a->response_met >= 0 ? SP_I(a->response_met) : SP_NULL,
	        SP_ID(a->solved_at), SP_ID(a->closed_at),
	        a->solved_at ? SP_I(a->resolution_s) : SP_NULL, SP_I(now)),
	    &version);
	if (rc == STORE_NOTFOUND)
		return store_fail(db, STORE_BUSY,
		                  "ticket #%06lld changed meanwhile; try again",
		                  (long long)a->number);
	a->version = version;
	return rc;
}

/* Messages the command brings: the staff's words, the client's, a call. */
static enum store_rc
record_message(const struct tcmd_env *env, const struct tcmd_request *req,
               const struct wf_decision *d, const struct trow *a,
               const char *out_msgid, int64_t *row)
{
	const char *kind = NULL;
	*row = 0;
	if (req->no_message)
		return STORE_OK;
	if (d->effects & WF_FX_MESSAGE_IN)
		kind = "in";
	else if (d->effects & WF_FX_MESSAGE_CALL)
		kind = "call";
	else if (d->effects & WF_FX_MESSAGE_OUT)
		kind = "out";
	else if (req->body && req->body[0])
		kind = "note";
	if (kind == NULL)
		return STORE_OK;
	char subject[480];
	snprintf(subject, sizeof subject, "Re: [Ticket #%06lld] %s",
	         (long long)a->number, a->subject);
	bool in = strcmp(kind, "in") == 0;
	return store_get_int(
	    env->db,
	    "INSERT INTO messages (ticket_id, raw_id, kind, author_user_id, "
	    "contact_id, message_id, from_addr, subject, body_text, duration_s, "
	    "created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) "
	    "RETURNING id",
	    STORE_PARAMS(SP_I(a->id), SP_ID(req->raw_id), SP_T(kind),
	                 in ? SP_NULL : SP_ID(req->who.user_id),
	                 in ? SP_ID(req->who.contact_id) : SP_NULL,
	                 SP_T(in ? req->message_id : out_msgid),
	                 SP_T(req->who.email[0] ? req->who.email : NULL),
	                 SP_T(subject), SP_T(req->body ? req->body : ""),
	                 strcmp(kind, "call") == 0 ? SP_I(req->duration_s) : SP_NULL,
	                 SP_I(env->now)),
	    row);
}

/* The files the author uploaded become attachments of the message just
 * recorded; the client's mail (out_msgid) carries them, up to the
 * policy's size: over it, STORE_CONSTRAINT with *too_large set. */
static enum store_rc
attach_uploads(const struct tcmd_env *env, const struct tcmd_request *req,
               int64_t ticket_id, int64_t row, const char *out_msgid,
               int *too_large)
{
	size_t size = 0;
	if (req->nuploads == 0)
		return STORE_OK;
	if (row == 0)
		return store_fail(env->db, STORE_CONSTRAINT,
		                  "this command records no message to attach files to");
	enum store_rc rc = uploads_attach(env->db, req->uploads, req->nuploads,
	                                  ticket_id, req->who.user_id, row);
	if (rc == STORE_OK && out_msgid)
		rc = store_exec(env->db,
		                "UPDATE outbound_mail SET attach_message_id = $2 "
		                "WHERE message_id = $1",
		                STORE_PARAMS(SP_T(out_msgid), SP_I(row)));
	/* Measured as it will be sent: the SMTP server counts encoded bytes. */
	if (rc == STORE_OK && out_msgid)
		rc = outbound_size(env->db, env->pol, out_msgid, env->now, &size);
	if (rc == STORE_OK && (int64_t)size > env->pol->max_outbound_bytes) {
		*too_large = 1;
		rc = store_fail(env->db, STORE_CONSTRAINT,
		                "the mail to the client with these files would be "
		                "%zu bytes encoded, over the limit of %lld "
		                "(policy max_outbound_bytes): send fewer or smaller "
		                "files",
		                size, (long long)env->pol->max_outbound_bytes);
	}
	return rc;
}

enum tcmd_rc
tcmd_apply(const struct tcmd_env *env, const struct tcmd_request *req,
           struct tcmd_result *res)
{
	struct store *db = env->db;
	struct trow before, after;
	struct pauses ps;
	struct wf_ticket w;
	struct wf_decision d;
	memset(res, 0, sizeof *res);
	res->number = req->number;
	enum store_rc rc = load_row(db, "WHERE t.number = $1", req->number, &before);
	if (rc == STORE_NOTFOUND) {
		snprintf(res->message, sizeof res->message,
		         "there is no ticket #%06lld", (long long)req->number);
		return TCMD_NOT_FOUND;
	}
	if (rc == STORE_OK)
		rc = load_pauses(db, before.id, &ps);
	if (rc == STORE_OK)
		rc = load_snapshot(db, env->cal, &before, &w);
	if (rc != STORE_OK)
		return from_store(rc, db, res);
	res->ticket_id = before.id;
	res->state = before.state;
	res->version = before.version;
	if (req->expected_version > 0 && req->expected_version != before.version) {
		snprintf(res->message, sizeof res->message,
		         "ticket #%06lld is at version %lld, not %lld: reload it",
		         (long long)before.number, (long long)before.version,
		         (long long)req->expected_version);
		return TCMD_CONFLICT;
	}
	if (req->auto_close_at > 0)
		w.auto_close_at = req->auto_close_at;

	struct wf_input in = {
		.cmd = req->cmd,
		.role = req->who.role,
		.user_id = req->who.user_id,
		.now = env->now,
		.severity = req->severity,
		.reason = req->reason,
		.wait_s = req->wait_s,
		.by_email = req->channel && strcmp(req->channel, "email") == 0,
	};
	char new_name[200] = "";
	if (req->cmd == WF_CMD_ASSIGN) {
		rc = load_assignee(db, req->assignee_email, &in.assignee_id,
		                   &in.assignee_is_consultant, new_name,
		                   sizeof new_name);
		if (rc == STORE_NOTFOUND) {
			snprintf(res->message, sizeof res->message,
			         "no user has the e-mail %s", req->assignee_email);
			return TCMD_NOT_FOUND;
		}
		if (rc != STORE_OK)
			return from_store(rc, db, res);
	}
	if (req->cmd == WF_CMD_ATTEMPT &&
	    (req->channel == NULL || (strcmp(req->channel, "phone") != 0 &&
	                              strcmp(req->channel, "email") != 0))) {
		snprintf(res->message, sizeof res->message,
		         "a contact attempt is by phone or email");
		res->refusal = WF_E_STATE;
		return TCMD_REFUSED;
	}
	/* A client acts only on its own tickets. */
	if (req->who.role == WF_ROLE_CLIENT &&
	    req->who.client_id != before.client_id) {
		d = (struct wf_decision){.refusal = WF_E_FORBIDDEN};
	} else {
		wf_decide(env->pol, env->cal, &w, &in, &d);
	}
	if (d.refusal != WF_OK) {
		res->refusal = d.refusal;
		snprintf(res->message, sizeof res->message, "%s (%s) / %s",
		         wf_refusal_message(d.refusal, "es"),
		         wf_refusal_code(d.refusal),
		         wf_refusal_message(d.refusal, "en"));
		return TCMD_REFUSED;
	}

	after = before;
	rc = apply_effects(env, req, &d, &after, &ps, in.assignee_id, new_name);
	if (rc == STORE_OK)
		rc = write_row(db, &before, &after, env->now);
	if (rc != STORE_OK)
		return from_store(rc, db, res);
	res->version = after.version;
	res->state = after.state;
	res->due_at = after.due_at;
	res->attempts = d.attempts;

	/* Mail first, so the staff message carries the mail's Message-ID. */
	char out_msgid[OUTBOUND_MSGID_MAX] = "";
	struct flow_mail_facts facts;
	mail_facts(env, &after, req, &d, before.severity, &facts);
	for (int i = 0; i < d.nmails && rc == STORE_OK; i++) {
		const char *to = recipient(env, &after, d.mails[i].to);
		if (to == NULL || to[0] == '\0')
			continue;
		char msgid[OUTBOUND_MSGID_MAX];
		rc = flow_mail_queue(db, &facts, wf_mail_name(d.mails[i].kind),
		                     d.mails[i].to == WF_TO_CLIENT ? after.lang : "es",
		                     after.id, to, env->now, msgid);
		if (rc == STORE_OK && d.mails[i].to == WF_TO_CLIENT && !out_msgid[0])
			memcpy(out_msgid, msgid, sizeof msgid);
	}
	int64_t row = 0;
	int too_large = 0;
	if (rc == STORE_OK)
		rc = record_message(env, req, &d, &after, out_msgid[0] ? out_msgid : NULL,
		                    &row);
	if (rc == STORE_OK)
		rc = attach_uploads(env, req, after.id, row,
		                    out_msgid[0] ? out_msgid : NULL, &too_large);
	if (too_large) {
		from_store(rc, db, res);
		return TCMD_TOO_LARGE;
	}
	for (int i = 0; i < d.njobs && rc == STORE_OK; i++)
		rc = job_insert(db, d.jobs[i].kind, after.id, d.jobs[i].due_at,
		                after.waiting_since, env->now);
	if (rc == STORE_OK && (d.effects & WF_FX_RESCHEDULE_SLA))
		rc = plan_sla(env, &after, &ps);
	for (int i = 0; i < d.nevents && rc == STORE_OK; i++)
		rc = audit_record(db, req->who.actor, after.id, d.events[i],
		                  event_detail(&before, &after, req, &d), env->now);
	return from_store(rc, db, res);
}

/* Runs f in an exclusive transaction of its own. */
enum tcmd_rc
tcmd_run(const struct tcmd_env *env, const struct tcmd_request *req,
         struct tcmd_result *res)
{
	memset(res, 0, sizeof *res);
	enum store_rc rc = store_begin(env->db, 1);
	if (rc != STORE_OK)
		return from_store(rc, env->db, res);
	enum tcmd_rc t = tcmd_apply(env, req, res);
	if (t == TCMD_OK) {
		rc = store_commit(env->db);
		if (rc != STORE_OK)
			t = from_store(rc, env->db, res);
	}
	if (t != TCMD_OK)
		store_rollback(env->db);
	return t;
}

enum store_rc
tcmd_opened(const struct tcmd_env *env, int64_t ticket_id, unsigned flags)
{
	struct trow t;
	struct pauses ps;
	enum store_rc rc = load_row(env->db, "WHERE t.id = $1", ticket_id, &t);
	if (rc == STORE_OK)
		rc = load_pauses(env->db, ticket_id, &ps);
	if (rc != STORE_OK)
		return rc;
	if (t.assignee_id == 0 && t.state == WF_NEW) {
		int64_t uid = 0;
		int pinned = 0;
		rc = assign_pick(env->db, t.client_id, &uid, &pinned);
		if (rc == STORE_OK && uid > 0) {
			rc = store_exec(env->db,
			                "UPDATE tickets SET assignee_id = $2, state = "
			                "'assigned', version = version + 1, updated_at = $3 "
			                "WHERE id = $1",
			                STORE_PARAMS(SP_I(ticket_id), SP_I(uid),
			                             SP_I(env->now)));
			if (rc == STORE_OK)
				rc = load_row(env->db, "WHERE t.id = $1", ticket_id, &t);
			if (rc == STORE_OK)
				rc = audit_record(
				    env->db, ACTOR_SYSTEM_INIT, ticket_id, "ticket.assigned",
				    json_pack("{s:s, s:s, s:s, s:b}", "from", "new", "to",
				              "assigned", "to_assignee", t.assignee_email,
				              "pinned", pinned),
				    env->now);
			struct flow_mail_facts f;
			struct wf_decision none = {.state = WF_ASSIGNED};
			struct tcmd_request r0 = {0};
			mail_facts(env, &t, &r0, &none, t.severity, &f);
			if (rc == STORE_OK)
				rc = flow_mail_queue(env->db, &f, "assigned", "es", ticket_id,
				                     t.assignee_email, env->now, NULL);
		}
	}
	if (rc == STORE_OK && (flags & TCMD_OPENED_ACK) && t.contact_email[0]) {
		struct flow_mail_facts f;
		struct wf_decision none = {.state = t.state};
		struct tcmd_request r0 = {0};
		mail_facts(env, &t, &r0, &none, t.severity, &f);
		rc = flow_mail_queue(env->db, &f, "ack", t.lang, ticket_id,
		                     t.contact_email, env->now, NULL);
	}
	if (rc == STORE_OK)
		rc = plan_sla(env, &t, &ps);
	return rc;
}

enum tcmd_rc
tcmd_open(const struct tcmd_env *env, const struct ticket_request *req,
          struct tcmd_result *res)
{
	memset(res, 0, sizeof *res);
	int64_t id = 0, number = 0;
	enum store_rc rc = store_begin(env->db, 1);
	if (rc == STORE_OK)
		rc = ticket_open(env->db, env->pol, env->cal, req, env->now, &id,
		                 &number);
	if (rc == STORE_OK)
		rc = tcmd_opened(env, id, TCMD_OPENED_ACK);
	if (rc == STORE_OK)
		rc = store_commit(env->db);
	if (rc != STORE_OK) {
		enum tcmd_rc t = from_store(rc, env->db, res);
		store_rollback(env->db);
		/* ticket_open explains a bad request with STORE_ERROR. */
		if (t == TCMD_ERROR && rc == STORE_ERROR)
			t = TCMD_REFUSED;
		return t;
	}
	res->ticket_id = id;
	res->number = number;
	struct trow t;
	if (load_row(env->db, "WHERE t.id = $1", id, &t) == STORE_OK) {
		res->state = t.state;
		res->version = t.version;
		res->due_at = t.due_at;
	}
	return TCMD_OK;
}

/* Mail to the assignee and/or the PM about t, and a system audit event. */
static enum store_rc
notify_staff(const struct tcmd_env *env, const struct trow *t,
             const char *kind, int attempts, const char *action,
             json_t *detail)
{
	struct flow_mail_facts f;
	struct wf_decision d = {.state = t->state, .attempts = attempts};
	struct tcmd_request r0 = {0};
	mail_facts(env, t, &r0, &d, t->severity, &f);
	enum store_rc rc = STORE_OK;
	if (t->assignee_email[0])
		rc = flow_mail_queue(env->db, &f, kind, "es", t->id, t->assignee_email,
		                     env->now, NULL);
	if (rc == STORE_OK && strcmp(kind, "attempt_reminder") != 0 &&
	    env->pol->project_manager_address[0])
		rc = flow_mail_queue(env->db, &f, kind, "es", t->id,
		                     env->pol->project_manager_address, env->now,
		                     NULL);
	if (rc == STORE_OK)
		return audit_record(env->db, ACTOR_SYSTEM_INIT, t->id, action, detail,
		                    env->now);
	json_decref(detail);
	return rc;
}

enum store_rc
tcmd_sla_warning(const struct tcmd_env *env, int64_t ticket_id,
                 enum wf_job_kind kind, const char **outcome)
{
	struct trow t;
	struct pauses ps;
	*outcome = "skipped";
	enum store_rc rc = load_row(env->db, "WHERE t.id = $1", ticket_id, &t);
	if (rc == STORE_OK)
		rc = load_pauses(env->db, ticket_id, &ps);
	if (rc != STORE_OK)
		return rc == STORE_NOTFOUND ? STORE_OK : rc;
	if (t.responded || t.state == WF_CLOSED || t.state == WF_RENEWAL_REQUIRED)
		return STORE_OK;
	struct sla_clock c;
	struct sla_status st;
	if (sla_clock_init(&c, env->pol, t.severity, t.created_at, ps.p, ps.n) !=
	        SLA_OK ||
	    sla_status(env->cal, &c, env->now, env->pol->at_risk_percent, &st) !=
	        SLA_OK)
		return STORE_OK;
	if (st.paused)
		return STORE_OK; /* resuming plans the warnings again */
	bool reached = kind == WF_JOB_SLA_BREACH ? st.state == SLA_BREACHED
	                                         : st.state != SLA_ON_TRACK;
	if (!reached) {
		*outcome = "rescheduled";
		return plan_sla(env, &t, &ps);
	}
	*outcome = "notified";
	bool breach = kind == WF_JOB_SLA_BREACH;
	return notify_staff(env, &t, breach ? "sla_breach" : "sla_at_risk", 0,
	                    breach ? "sla.breached" : "sla.at_risk",
	                    json_pack("{s:I, s:I}", "used_s", (json_int_t)st.used_s,
	                              "due_at", (json_int_t)st.due_s));
}

/* True when the ticket still waits in episode `since`. */
static bool
same_episode(const struct trow *t, int64_t since)
{
	return (t->state == WF_WAITING || t->state == WF_SOLVED) &&
	       t->waiting_since == since;
}

enum store_rc
tcmd_attempt_reminder(const struct tcmd_env *env, int64_t ticket_id,
                      int64_t since, const char **outcome)
{
	struct trow t;
	struct wf_ticket w;
	*outcome = "skipped";
	enum store_rc rc = load_row(env->db, "WHERE t.id = $1", ticket_id, &t);
	if (rc != STORE_OK)
		return rc == STORE_NOTFOUND ? STORE_OK : rc;
	if (!same_episode(&t, since))
		return STORE_OK;
	rc = load_snapshot(env->db, env->cal, &t, &w);
	if (rc != STORE_OK || w.attempts >= env->pol->contact_attempts)
		return rc;
	*outcome = "notified";
	return notify_staff(env, &t, "attempt_reminder", w.attempts,
	                    "contact.reminder",
	                    json_pack("{s:i}", "attempts", w.attempts));
}

enum store_rc
tcmd_auto_close(const struct tcmd_env *env, int64_t ticket_id, int64_t since,
                int64_t due_at, const char **outcome)
{
	struct trow t;
	*outcome = "skipped";
	enum store_rc rc = load_row(env->db, "WHERE t.id = $1", ticket_id, &t);
	if (rc != STORE_OK)
		return rc == STORE_NOTFOUND ? STORE_OK : rc;
	if (!same_episode(&t, since))
		return STORE_OK;
	struct tcmd_request req = {
		.cmd = WF_CMD_AUTO_CLOSE,
		.number = t.number,
		.who = TCMD_WHO_SYSTEM,
		.auto_close_at = due_at,
	};
	struct tcmd_result res;
	switch (tcmd_apply(env, &req, &res)) {
	case TCMD_OK:
		*outcome = "closed";
		return STORE_OK;
	case TCMD_REFUSED:
		return STORE_OK;
	case TCMD_BUSY:
		return STORE_BUSY;
	default:
		return store_fail(env->db, STORE_ERROR, "auto-close #%06lld: %s",
		                  (long long)t.number, res.message);
	}
}

static json_t *
iso_or_null(int64_t t)
{
	if (t <= 0)
		return json_null();
	char iso[ISO_UTC_LEN];
	iso_utc_format(t, iso);
	return json_string(iso);
}

/* Appends the rows of sql (one $1 = ticket id) as arrays of columns. */
static enum store_rc
rows_json(struct store *db, const char *sql, int64_t id, int ncols,
          const char *const *names, json_t *arr)
{
	struct store_rows *r;
	enum store_rc rc = store_query(db, sql, STORE_PARAMS(SP_I(id)), &r);
	if (rc != STORE_OK)
		return rc;
	while ((rc = store_next(r)) == STORE_ROW) {
		json_t *o = json_object();
		for (int i = 0; i < ncols; i++) {
			json_t *v;
			if (store_isnull(r, i))
				v = json_null();
			else if (names[i][0] == '#')
				v = json_integer(store_int(r, i));
			else if (names[i][0] == '@')
				v = iso_or_null(store_int(r, i));
			else
				v = json_string(store_text(r, i));
			json_object_set_new(o, names[i] + (names[i][0] == '#' ||
			                                   names[i][0] == '@'),
			                    v);
		}
		json_array_append_new(arr, o);
	}
	store_done(r);
	return rc == STORE_DONE ? STORE_OK : rc;
}

enum store_rc
tcmd_status_json(const struct tcmd_env *env, int64_t n, json_t **out)
{
	struct trow t;
	struct wf_ticket w;
	*out = NULL;
	enum store_rc rc = load_row(env->db, "WHERE t.number = $1", n, &t);
	if (rc == STORE_OK)
		rc = load_snapshot(env->db, env->cal, &t, &w);
	if (rc != STORE_OK)
		return rc;
	json_t *o = json_object();
	json_object_set_new(o, "number", json_integer(t.number));
	json_object_set_new(o, "state", json_string(wf_state_name(t.state)));
	json_object_set_new(o, "close_reason",
	                    t.state == WF_CLOSED && wf_close_name(t.close)
	                        ? json_string(wf_close_name(t.close))
	                        : json_null());
	json_object_set_new(o, "severity", json_integer(t.severity));
	json_object_set_new(o, "escalation_level", json_integer(t.level));
	json_object_set_new(o, "assignee", t.assignee_email[0]
	                                       ? json_string(t.assignee_email)
	                                       : json_null());
	json_object_set_new(o, "created_at", iso_or_null(t.created_at));
	json_object_set_new(o, "response_due_at", iso_or_null(t.due_at));
	json_object_set_new(o, "first_response_at",
	                    t.responded ? iso_or_null(t.first_response_at)
	                                : json_null());
	json_object_set_new(o, "first_response_business_s",
	                    t.responded ? json_integer(t.fr_business_s)
	                                : json_null());
	json_object_set_new(o, "response_met",
	                    t.response_met < 0 ? json_null()
	                                       : json_boolean(t.response_met));
	json_object_set_new(o, "solved_at", iso_or_null(t.solved_at));
	json_object_set_new(o, "resolution_business_s",
	                    t.solved_at ? json_integer(t.resolution_s)
	                                : json_null());
	json_object_set_new(o, "closed_at", iso_or_null(t.closed_at));
	json_object_set_new(o, "waiting_since", iso_or_null(t.waiting_since));
	json_object_set_new(o, "attempts", json_integer(w.attempts));
	json_object_set_new(o, "raise_requested", json_boolean(w.raise_requested));
	json_object_set_new(o, "version", json_integer(t.version));
	static const char *const pause_cols[] = {"@start_at", "@end_at"};
	static const char *const job_cols[] = {"#id", "kind", "@due_at", "state",
	                                       "outcome", "fired_by"};
	static const char *const audit_cols[] = {"@at", "actor_kind", "action",
	                                         "detail"};
	static const char *const mail_cols[] = {"kind", "to_addr", "subject",
	                                        "state"};
	json_t *pauses = json_array(), *jobs = json_array(),
	       *audit = json_array(), *mails = json_array();
	json_object_set_new(o, "pauses", pauses);
	json_object_set_new(o, "jobs", jobs);
	json_object_set_new(o, "audit", audit);
	json_object_set_new(o, "mails", mails);
	rc = rows_json(env->db,
	               "SELECT start_at, end_at FROM pauses WHERE ticket_id = $1 "
	               "ORDER BY start_at, id",
	               t.id, 2, pause_cols, pauses);
	if (rc == STORE_OK)
		rc = rows_json(env->db,
		               "SELECT id, kind, due_at, state, outcome, fired_by FROM "
		               "jobs WHERE ticket_id = $1 ORDER BY due_at, id",
		               t.id, 6, job_cols, jobs);
	if (rc == STORE_OK)
		rc = rows_json(env->db,
		               "SELECT at, actor_kind, action, detail FROM "
		               "audit_events WHERE ticket_id = $1 ORDER BY id",
		               t.id, 4, audit_cols, audit);
	if (rc == STORE_OK)
		rc = rows_json(env->db,
		               "SELECT kind, to_addr, subject, state FROM outbound_mail "
		               "WHERE ticket_id = $1 ORDER BY id",
		               t.id, 4, mail_cols, mails);
	if (rc != STORE_OK) {
		json_decref(o);
		return rc;
	}
	*out = o;
	return STORE_OK;
}

enum store_rc
tcmd_client_message(const struct tcmd_env *env, enum wf_cmd cmd,
                    enum wf_cmd *applied, int64_t ticket_id, int64_t contact_id)
{
	struct trow t;
	enum store_rc rc = load_row(env->db, "WHERE t.id = $1", ticket_id, &t);
	if (rc != STORE_OK)
		return rc;
	struct tcmd_request req = {
		.cmd = cmd,
		.number = t.number,
		.who = {WF_ROLE_CLIENT, {ACTOR_CONTACT, contact_id}, 0, contact_id,
		        t.client_id, ""},
		.no_message = 1,
	};
	struct tcmd_result res;
	for (;;) {
		enum tcmd_rc r = tcmd_apply(env, &req, &res);
		if (r == TCMD_REFUSED && req.cmd != WF_CMD_CLIENT_REPLY) {
			req.cmd = WF_CMD_CLIENT_REPLY;   /* still an answer (R9) */
			continue;
		}
		if (applied)
			*applied = r == TCMD_OK ? req.cmd : WF_CMD_COUNT;
		switch (r) {
		case TCMD_OK:
		case TCMD_REFUSED:
			return STORE_OK;
		case TCMD_BUSY:
			return STORE_BUSY;
		default:
			return store_fail(env->db, STORE_ERROR, "%s", res.message);
		}
	}
}
