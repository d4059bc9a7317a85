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
 * Next to it, sharing tcmd_internal.h: ticket_load.c (the row, pauses,
 * snapshot, who acts), ticket_jobs.c (timers: SLA warnings, reminders,
 * auto-close, deadlines recomputed) and ticket_status.c (the status view).
 *
 * SECURITY: request text (bodies, e-mails) is untrusted: it is bound as
 * SQL parameters and inserted into plain-text mail only.
 */
#include "app/ticket/ticket_cmds.h"
#include "app/ticket/tcmd_internal.h"
#include "app/ticket/assign.h"
#include "app/ticket/flow_mail.h"
#include "app/ticket/uploads.h"
#include "core/sla.h"
#include "util/text.h"
#include "util/timefmt.h"

#include <stdio.h>
#include <string.h>

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

static const char *
escalation_kind(enum wf_cmd c)
{
	switch (c) {
	case WF_CMD_RAISE_REQUEST:
		return "raise_priority";
	case WF_CMD_SEVERITY:
	case WF_CMD_CONFIRM_SEVERITY:
		return "severity_change";
	default:
		return "project_manager";
	}
}

/* The mail's fields from the ticket and the decision. */
void
tcmd_mail_facts(const struct tcmd_env *env, const struct ticket_row *t,
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
	f->target_s = tcmd_target(env, t, t->severity);
	f->body = req->body;
	f->rate_cents = req->rate_cents;
	f->wait_s = d->wait_s;
	f->attempt = d->attempts;
	f->close_reason = d->close_reason;
	f->state = d->state;
	f->actor_email = req->who.email;
	f->close_at = d->close_at;   /* the auto-close's due instant (R9) */
	f->merged_into = req->merged_into;
}

static const char *
recipient(const struct tcmd_env *env, const struct ticket_row *before,
          const struct ticket_row *t, enum wf_recipient to)
{
	switch (to) {
	case WF_TO_PREVIOUS_ASSIGNEE:
		return before->assignee_email[0] ? before->assignee_email : NULL;
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
event_detail(const struct ticket_row *before, const struct ticket_row *after,
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
		json_object_set_new(o, "by", json_string(req->who.email));
	}
	if (d->close_reason != WF_CLOSE_NONE && after->state == WF_CLOSED)
		json_object_set_new(o, "close_reason",
		                    json_string(wf_close_name(d->close_reason)));
	if (d->effects & WF_FX_RECORD_ATTEMPT) {
		json_object_set_new(o, "attempt", json_integer(d->attempts));
		json_object_set_new(o, "counted", json_boolean(d->attempt_counted));
		json_object_set_new(o, "channel", json_string(req->channel));
		json_object_set_new(o, "wait_s", json_integer(d->wait_s));
		json_object_set_new(o, "close_at", json_integer(d->close_at));
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
              const struct wf_decision *d, struct ticket_row *a,
              struct pauses *ps, int64_t new_assignee,
              const char *new_assignee_name, const char *new_assignee_email)
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
		copy(a->assignee_email, sizeof a->assignee_email,
		     new_assignee_email);
		copy(a->assignee_name, sizeof a->assignee_name, new_assignee_name);
	}
	if (fx & WF_FX_SET_SEVERITY)
		a->severity = req->severity;
	if (rc == STORE_OK && (fx & WF_FX_CONFIRM_SEVERITY))
		rc = store_exec(db,
		                "UPDATE tickets SET severity_confirmed_at = $2, "
		                "severity_confirmed_by = $3 WHERE id = $1",
		                STORE_PARAMS(SP_I(a->id), SP_I(now),
		                             SP_ID(req->who.user_id)));
	if (fx & WF_FX_LEVEL_PM)
		a->level = 1;
	struct sla_clock clock;
	if (sla_clock_target(&clock, tcmd_target(env, a, a->severity),
	                     a->created_at, ps->p, ps->n) != SLA_OK)
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
	if (rc == STORE_OK && (fx & WF_FX_FLAG_CLIENT_REPLY))
		rc = store_exec(db,
		                "UPDATE tickets SET client_replied_at = $2 WHERE id = $1",
		                STORE_PARAMS(SP_I(a->id), SP_I(now)));
	if (rc == STORE_OK && (fx & WF_FX_CLEAR_CLIENT_REPLY))
		rc = store_exec(db,
		                "UPDATE tickets SET client_replied_at = NULL "
		                "WHERE id = $1",
		                STORE_PARAMS(SP_I(a->id)));
	if (rc == STORE_OK && (fx & WF_FX_CANCEL_SLA))
		rc = tcmd_jobs_cancel(db, a->id, "sla_at_risk", "sla_breach");
	if (rc == STORE_OK && (fx & WF_FX_CANCEL_WAIT_JOBS))
		rc = tcmd_jobs_cancel(db, a->id, "attempt_reminder", "auto_close");
	return rc;
}

static enum store_rc
write_row(struct store *db, const struct ticket_row *before,
          struct ticket_row *a, int64_t now)
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
               const struct wf_decision *d, const struct ticket_row *a,
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
	struct ticket_row before, after;
	struct pauses ps;
	struct wf_ticket w;
	struct wf_decision d;
	memset(res, 0, sizeof *res);
	res->number = req->number;
	enum store_rc rc = tcmd_load_row(db, "WHERE t.number = $1", req->number, &before);
	if (rc == STORE_NOTFOUND) {
		snprintf(res->message, sizeof res->message,
		         "there is no ticket #%06lld", (long long)req->number);
		return TCMD_NOT_FOUND;
	}
	if (rc == STORE_OK)
		rc = tcmd_load_pauses(db, before.id, &ps);
	if (rc == STORE_OK)
		rc = tcmd_load_snapshot(db, env->cal, &before, &w);
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
		.for_po = req->for_po != 0,
	};
	char new_name[200] = "", new_email[256] = "";
	if (req->cmd == WF_CMD_ASSIGN) {
		rc = tcmd_load_assignee(db, req, &in.assignee_id,
		                        &in.assignee_is_consultant, new_name,
		                        sizeof new_name, new_email, sizeof new_email);
		if (rc == STORE_NOTFOUND) {
			if (req->assignee_email)
				snprintf(res->message, sizeof res->message,
				         "no user has the e-mail %s", req->assignee_email);
			else
				snprintf(res->message, sizeof res->message,
				         "no user has the id %lld",
				         (long long)req->assignee_id);
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
		/* One language (the API's and the CLI's, English); the
		 * refusal's code goes with it, and the console says it in the
		 * user's language. */
		snprintf(res->message, sizeof res->message, "%s",
		         wf_refusal_message(d.refusal, "en"));
		return TCMD_REFUSED;
	}

	after = before;
	rc = apply_effects(env, req, &d, &after, &ps, in.assignee_id, new_name,
	                   new_email);
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
	tcmd_mail_facts(env, &after, req, &d, before.severity, &facts);
	for (int i = 0; i < d.nmails && rc == STORE_OK; i++) {
		if (d.mails[i].kind == WF_MAIL_RENEWAL_NOTICE) {
			/* The renewals area: its address and every account. */
			rc = tcmd_opening_notices(env, &after);
			continue;
		}
		const char *to = recipient(env, &before, &after, d.mails[i].to);
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
		rc = tcmd_job_insert(db, d.jobs[i].kind, after.id, d.jobs[i].due_at,
		                     after.waiting_since, env->now);
	if (rc == STORE_OK && (d.effects & WF_FX_RESCHEDULE_SLA))
		rc = tcmd_plan_sla_row(env, &after, &ps);
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
	return tcmd_opened_told(env, ticket_id, flags, NULL, NULL);
}

enum store_rc
tcmd_opened_told(const struct tcmd_env *env, int64_t ticket_id,
                 unsigned flags, const char *why_es, const char *why_en)
{
	struct ticket_row t;
	struct pauses ps;
	enum store_rc rc = tcmd_load_row(env->db, "WHERE t.id = $1", ticket_id, &t);
	if (rc == STORE_OK)
		rc = tcmd_load_pauses(env->db, ticket_id, &ps);
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
				rc = tcmd_load_row(env->db, "WHERE t.id = $1", ticket_id, &t);
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
			tcmd_mail_facts(env, &t, &r0, &none, t.severity, &f);
			if (rc == STORE_OK)
				rc = flow_mail_queue(env->db, &f, "assigned", "es", ticket_id,
				                     t.assignee_email, env->now, NULL);
		}
	}
	if (rc == STORE_OK && (flags & TCMD_OPENED_ACK) && t.contact_email[0]) {
		struct flow_mail_facts f;
		struct wf_decision none = {.state = t.state};
		struct tcmd_request r0 = {0};
		tcmd_mail_facts(env, &t, &r0, &none, t.severity, &f);
		/* R3: a ticket without entitlement tells the client why and
		 * that it went to renewals, as mail intake does; R6: a
		 * severity staff gave is firm, one proposed is not. */
		int renewal = t.state == WF_RENEWAL_REQUIRED;
		if (renewal)
			f.reason = strcmp(t.lang, "en") == 0 && why_en ? why_en : why_es;
		else if (t.severity_confirmed)
			f.template_name = "ack_confirmed";
		rc = flow_mail_queue(env->db, &f, renewal ? "renewal" : "ack", t.lang,
		                     ticket_id, t.contact_email, env->now, NULL);
	}
	if (rc == STORE_OK)
		rc = tcmd_opening_notices(env, &t);
	if (rc == STORE_OK)
		rc = tcmd_plan_sla_row(env, &t, &ps);
	return rc;
}

enum store_rc
tcmd_client_message(const struct tcmd_env *env, enum wf_cmd cmd,
                    enum wf_cmd *applied, int64_t ticket_id, int64_t contact_id,
                    const char *body)
{
	struct ticket_row t;
	enum store_rc rc = tcmd_load_row(env->db, "WHERE t.id = $1", ticket_id, &t);
	if (rc != STORE_OK)
		return rc;
	struct tcmd_request req = {
		.cmd = cmd,
		.number = t.number,
		.who = {WF_ROLE_CLIENT, {ACTOR_CONTACT, contact_id}, 0, contact_id,
		        t.client_id, ""},
		.body = body,
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
