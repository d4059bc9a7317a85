/*
 * ticket_jobs.c - the ticket commands' timers (see ticket_cmds.h): the
 * job rows, the SLA warnings planned from the clock, deadlines computed
 * again when the calendar changes, and what the scheduler's jobs do when
 * they fire (SLA warnings, contact-attempt reminders, auto-close).
 */
#include "app/ticket/tcmd_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Job rows: a cancelled twin at the same instant is revived, a done one
 * is left alone (it fired). */
enum store_rc
tcmd_job_insert(struct store *db, enum wf_job_kind kind, int64_t ticket_id,
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

enum store_rc
tcmd_jobs_cancel(struct store *db, int64_t ticket_id, const char *k1,
                 const char *k2)
{
	return store_exec(db,
	                  "UPDATE jobs SET state = 'cancelled' WHERE ticket_id = $1 "
	                  "AND state = 'pending' AND kind IN ($2, $3)",
	                  STORE_PARAMS(SP_I(ticket_id), SP_T(k1), SP_T(k2)));
}

enum store_rc
tcmd_plan_sla_row(const struct tcmd_env *env, const struct ticket_row *t,
                  const struct pauses *ps)
{
	enum store_rc rc = tcmd_jobs_cancel(env->db, t->id, "sla_at_risk", "sla_breach");
	if (rc != STORE_OK || t->responded || t->state == WF_CLOSED ||
	    t->state == WF_RENEWAL_REQUIRED)
		return rc;
	struct wf_job j[2];
	int n = wf_sla_jobs(env->pol, env->cal, tcmd_target(env, t, t->severity),
	                    t->created_at, ps->p, ps->n, j);
	for (int i = 0; i < n && rc == STORE_OK; i++)
		rc = tcmd_job_insert(env->db, j[i].kind, t->id, j[i].due_at, 0, env->now);
	return rc;
}

enum store_rc
tcmd_plan_sla(const struct tcmd_env *env, int64_t ticket_id)
{
	struct ticket_row t;
	struct pauses ps;
	enum store_rc rc = tcmd_load_row(env->db, "WHERE t.id = $1", ticket_id, &t);
	if (rc == STORE_OK)
		rc = tcmd_load_pauses(env->db, ticket_id, &ps);
	if (rc == STORE_OK)
		rc = tcmd_plan_sla_row(env, &t, &ps);
	return rc;
}

/* One ticket's deadline under env->cal (see tcmd_recompute_due). */
static enum store_rc
recompute_one(const struct tcmd_env *env, int64_t ticket_id, struct actor who,
              const char *reason, int *moved)
{
	struct ticket_row t;
	struct pauses ps;
	struct sla_clock c;
	int64_t due;
	enum store_rc rc = tcmd_load_row(env->db, "WHERE t.id = $1", ticket_id, &t);
	if (rc == STORE_OK)
		rc = tcmd_load_pauses(env->db, ticket_id, &ps);
	if (rc != STORE_OK || t.responded || t.state == WF_CLOSED ||
	    t.state == WF_RENEWAL_REQUIRED)
		return rc;
	/* Outside the calendar's span or under an open pause: nothing to
	 * put in the row. */
	if (sla_clock_target(&c, tcmd_target(env, &t, t.severity), t.created_at,
	                     ps.p, ps.n) != SLA_OK ||
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
		rc = tcmd_plan_sla_row(env, &t, &ps);
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

/* Mail to the assignee and/or the PM about t, and a system audit event. */
static enum store_rc
notify_staff(const struct tcmd_env *env, const struct ticket_row *t,
             const char *kind, int attempts, const char *action,
             json_t *detail)
{
	struct flow_mail_facts f;
	struct wf_decision d = {.state = t->state, .attempts = attempts};
	struct tcmd_request r0 = {0};
	tcmd_mail_facts(env, t, &r0, &d, t->severity, &f);
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
	struct ticket_row t;
	struct pauses ps;
	*outcome = "skipped";
	enum store_rc rc = tcmd_load_row(env->db, "WHERE t.id = $1", ticket_id, &t);
	if (rc == STORE_OK)
		rc = tcmd_load_pauses(env->db, ticket_id, &ps);
	if (rc != STORE_OK)
		return rc == STORE_NOTFOUND ? STORE_OK : rc;
	if (t.responded || t.state == WF_CLOSED || t.state == WF_RENEWAL_REQUIRED)
		return STORE_OK;
	struct sla_clock c;
	struct sla_status st;
	if (sla_clock_target(&c, tcmd_target(env, &t, t.severity), t.created_at,
	                     ps.p, ps.n) != SLA_OK ||
	    sla_status(env->cal, &c, env->now, env->pol->at_risk_percent, &st) !=
	        SLA_OK)
		return STORE_OK;
	if (st.paused)
		return STORE_OK; /* resuming plans the warnings again */
	bool reached = kind == WF_JOB_SLA_BREACH ? st.state == SLA_BREACHED
	                                         : st.state != SLA_ON_TRACK;
	if (!reached) {
		*outcome = "rescheduled";
		return tcmd_plan_sla_row(env, &t, &ps);
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
same_episode(const struct ticket_row *t, int64_t since)
{
	return (t->state == WF_WAITING || t->state == WF_SOLVED) &&
	       t->waiting_since == since;
}

enum store_rc
tcmd_attempt_reminder(const struct tcmd_env *env, int64_t ticket_id,
                      int64_t since, const char **outcome)
{
	struct ticket_row t;
	struct wf_ticket w;
	*outcome = "skipped";
	enum store_rc rc = tcmd_load_row(env->db, "WHERE t.id = $1", ticket_id, &t);
	if (rc != STORE_OK)
		return rc == STORE_NOTFOUND ? STORE_OK : rc;
	if (!same_episode(&t, since))
		return STORE_OK;
	rc = tcmd_load_snapshot(env->db, env->cal, &t, &w);
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
	struct ticket_row t;
	*outcome = "skipped";
	enum store_rc rc = tcmd_load_row(env->db, "WHERE t.id = $1", ticket_id, &t);
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
