/*
 * ticket_load.c - what the ticket commands read before deciding (see
 * tcmd_internal.h): the ticket row, its pauses, the state machine's
 * snapshot, an assignee by e-mail; and who acts (tcmd_who_lookup).
 */
#include "app/ticket/tcmd_internal.h"
#include "util/text.h"
#include "util/timefmt.h"

#include <stdio.h>
#include <string.h>

#define TROW_SELECT                                                        \
	"SELECT t.id, t.number, t.state, t.close_reason, t.severity, "         \
	"t.escalation_level, t.assignee_id, t.first_response_at, "             \
	"t.waiting_since, t.reopened, t.version, t.client_id, t.contact_id, "  \
	"t.created_at, t.response_due_at, t.subject, ct.email, ct.name, "      \
	"c.language, u.email, u.name, c.name, t.solved_at, t.closed_at, "      \
	"t.resolution_business_s, t.first_response_business_s, "               \
	"t.response_met, t.severity_confirmed_at, pv.response_s1, "            \
	"pv.response_s2, pv.response_s3, pv.response_s4 FROM tickets t "       \
	"LEFT JOIN policy_versions pv ON pv.id = t.policy_version_id "         \
	"LEFT JOIN contacts ct ON ct.id = t.contact_id "                       \
	"LEFT JOIN clients c ON c.id = t.client_id "                           \
	"LEFT JOIN users u ON u.id = t.assignee_id "

static int64_t
int_or0(struct store_rows *r, int col)
{
	return store_isnull(r, col) ? 0 : store_int(r, col);
}

enum store_rc
tcmd_load_row(struct store *db, const char *where, int64_t key,
              struct ticket_row *t)
{
	char sql[1024];
	snprintf(sql, sizeof sql, "%s%s", TROW_SELECT, where);
	struct store_rows *r;
	enum store_rc rc =
	    store_query_row(db, sql, STORE_PARAMS(SP_I(key)), &r);
	if (rc != STORE_OK)
		return rc;
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
	t->severity_confirmed = !store_isnull(r, 27);
	for (int i = 0; i < POLICY_SEVERITIES; i++)
		t->targets[i] = store_isnull(r, 28 + i) ? -1 : store_int(r, 28 + i);
	store_done(r);
	return STORE_OK;
}

int64_t
tcmd_target(const struct tcmd_env *env, const struct ticket_row *t,
            int severity)
{
	if (severity < 1 || severity > POLICY_SEVERITIES)
		return -1;
	return t->targets[severity - 1] >= 0 ? t->targets[severity - 1]
	                                     : policy_response_s(env->pol, severity);
}

enum store_rc
tcmd_load_pauses(struct store *db, int64_t ticket_id, struct pauses *ps)
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
enum store_rc
tcmd_load_snapshot(struct store *db, const struct calendar *cal,
                   const struct ticket_row *t, struct wf_ticket *w)
{
	memset(w, 0, sizeof *w);
	w->state = t->state;
	w->close_reason = t->close;
	w->severity = t->severity;
	w->escalation_level = t->level;
	w->assignee_id = t->assignee_id;
	w->responded = t->responded;
	w->severity_confirmed = t->severity_confirmed;
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
		rc = store_query_row(
		    db,
		    "SELECT COUNT(DISTINCT business_day), MAX(business_day) FROM "
		    "contact_attempts WHERE ticket_id = $1 AND attempted_at >= $2",
		    STORE_PARAMS(SP_I(t->id), SP_I(t->waiting_since)), &r);
		if (rc != STORE_OK && rc != STORE_NOTFOUND)
			return rc;
		if (rc == STORE_OK) {
			w->attempts = (int)store_int(r, 0);
			int64_t day;
			if (!store_isnull(r, 1) &&
			    iso_date_parse(store_text(r, 1), &day) == 0)
				w->last_attempt_day = day;
			store_done(r);
		}
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

/* Resolves ASSIGN's target (by e-mail, else by user id): an active
 * consultant; its name and e-mail go to the ticket row. */
enum store_rc
tcmd_load_assignee(struct store *db, const struct tcmd_request *req,
                   int64_t *id, bool *ok, char *name, size_t namelen,
                   char *email, size_t emaillen)
{
	*id = 0;
	*ok = false;
	if (req->assignee_email == NULL && req->assignee_id <= 0)
		return STORE_OK;
	struct store_rows *r;
	char lower[256] = "";
	if (req->assignee_email) {
		copy(lower, sizeof lower, req->assignee_email);
		ascii_lower(lower);
	}
	enum store_rc rc = store_query_row(db,
	                                   "SELECT id, role, active, name, email "
	                                   "FROM users WHERE email = $1 OR "
	                                   "($1 = '' AND id = $2)",
	                                   STORE_PARAMS(SP_T(lower),
	                                                SP_I(req->assignee_id)),
	                                   &r);
	if (rc != STORE_OK)
		return rc;
	*id = store_int(r, 0);
	*ok = strcmp(store_text(r, 1), "consultant") == 0 && store_int(r, 2) == 1;
	copy(name, namelen, store_text(r, 3));
	copy(email, emaillen, store_text(r, 4));
	store_done(r);
	return STORE_OK;
}

enum tcmd_rc
tcmd_who_lookup(struct store *db, const char *email, struct tcmd_who *out,
                char *err, size_t errlen)
{
	memset(out, 0, sizeof *out);
	copy(out->email, sizeof out->email, email);
	ascii_lower(out->email);
	struct store_rows *r;
	enum store_rc rc = store_query_row(
	    db,
	    "SELECT u.id, u.role, u.active, u.client_id, u.contact_id FROM users u "
	    "WHERE u.email = $1",
	    STORE_PARAMS(SP_T(out->email)), &r);
	if (rc != STORE_OK && rc != STORE_NOTFOUND)
		goto fail;
	if (rc == STORE_OK) {
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
	/* A contact's address keeps its local part as written (issue 15). */
	copy(out->email, sizeof out->email, email);
	email_fold_domain(out->email);
	rc = store_query_row(db,
	                     "SELECT id, client_id FROM contacts WHERE email = $1",
	                     STORE_PARAMS(SP_T(out->email)), &r);
	if (rc == STORE_OK) {
		out->role = WF_ROLE_CLIENT;
		out->contact_id = store_int(r, 0);
		out->client_id = store_int(r, 1);
		out->actor = (struct actor){ACTOR_CONTACT, out->contact_id};
		store_done(r);
		return TCMD_OK;
	}
	if (rc != STORE_NOTFOUND)
		goto fail;
	snprintf(err, errlen, "no user or client contact has the e-mail %s",
	         out->email);
	return TCMD_NOT_FOUND;
fail:
	snprintf(err, errlen, "%s", store_errmsg(db));
	return rc == STORE_BUSY ? TCMD_BUSY : TCMD_ERROR;
}
