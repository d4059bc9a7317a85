/*
 * scheduler.c - timed work as rows (see scheduler.h).
 *
 * The claim is the fence: a job is marked done only while this holder's
 * lease is unexpired, in the same transaction as its effect. A scheduler
 * that lost its lease (stalled past expiry) cannot fire anything: its
 * claims find no row.
 */
#include "app/ops/scheduler.h"
#include "app/config/calendar_live.h"
#include "app/base/lease.h"
#include "app/billing/statement_send.h"
#include "app/ticket/staff_notice.h"
#include "app/ticket/uploads.h"
#include "util/log.h"

#include <jansson.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define BATCH 64
#define MAX_ROUNDS 100000

static int64_t
lease_len(const struct sched_opts *o)
{
	return o->lease_s > 0 ? o->lease_s : SCHED_DEFAULT_LEASE_S;
}

enum sched_rc
sched_lease_take(const struct tcmd_env *env, const struct sched_opts *o,
                 struct sched_stats *stats)
{
	int mine = 0;
	enum store_rc rc = lease_take(env->db, SCHED_LEASE_NAME, o->holder,
	                              env->now, lease_len(o), &mine, stats->holder,
	                              sizeof stats->holder,
	                              &stats->lease_expires_at);
	if (rc != STORE_OK)
		return rc == STORE_BUSY ? SCHED_BUSY : SCHED_ERROR;
	return mine ? SCHED_OK : SCHED_NOT_LEADER;
}

void
sched_lease_release(const struct tcmd_env *env, const char *holder)
{
	lease_release(env->db, SCHED_LEASE_NAME, holder);
}

struct job {
	int64_t id, ticket_id, due_at, since;
	int kind;
};

static int64_t
payload_since(const char *payload)
{
	json_t *o = json_loads(payload, 0, NULL);
	int64_t since = (int64_t)json_integer_value(json_object_get(o, "since"));
	json_decref(o);
	return since;
}

/* The effect of one claimed job; *outcome gets a static word. */
static enum store_rc
job_effect(const struct tcmd_env *env, const struct sched_opts *o,
           const struct job *j, const char **outcome)
{
	switch (j->kind) {
	case WF_JOB_SLA_AT_RISK:
	case WF_JOB_SLA_BREACH:
		return tcmd_sla_warning(env, j->ticket_id, (enum wf_job_kind)j->kind,
		                        outcome);
	case WF_JOB_ATTEMPT_REMINDER:
		return tcmd_attempt_reminder(env, j->ticket_id, j->since, outcome);
	case WF_JOB_AUTO_CLOSE:
		return tcmd_auto_close(env, j->ticket_id, j->since, j->due_at, outcome);
	case WF_JOB_OUTBOUND_RETRY:
		if (o->outbound == NULL) {
			*outcome = "no_hook";
			return STORE_OK;
		}
		if (o->outbound(env, o->outbound_arg) != 0)
			return store_fail(env->db, STORE_ERROR, "outbound hook failed");
		*outcome = "sent";
		return STORE_OK;
	default:
		*outcome = "unknown_kind";
		return STORE_OK;
	}
}

/* Fires one job in a transaction of its own. Returns STORE_OK (fired or
 * skipped, see stats), STORE_NOTFOUND (someone else had it, or the lease
 * is gone), STORE_BUSY, or the error after counting the failure. */
static enum store_rc
fire(const struct tcmd_env *env, const struct sched_opts *o,
     const struct job *j, struct sched_stats *stats)
{
	struct store *db = env->db;
	int64_t claimed = 0;
	const char *outcome = "skipped";
	enum store_rc rc = store_begin(db, 1);
	if (rc == STORE_OK)
		rc = store_get_int(
		    db,
		    "UPDATE jobs SET state = 'done', done_at = $2, fired_by = $3 "
		    "WHERE id = $1 AND state = 'pending' AND EXISTS (SELECT 1 FROM "
		    "leases WHERE name = $4 AND holder = $3 AND expires_at > $2) "
		    "RETURNING id",
		    STORE_PARAMS(SP_I(j->id), SP_I(env->now), SP_T(o->holder),
		                 SP_T(SCHED_LEASE_NAME)),
		    &claimed);
	if (rc == STORE_OK)
		rc = job_effect(env, o, j, &outcome);
	if (rc == STORE_OK)
		rc = store_exec(db, "UPDATE jobs SET outcome = $2 WHERE id = $1",
		                STORE_PARAMS(SP_I(j->id), SP_T(outcome)));
	if (rc == STORE_OK)
		rc = store_commit(db);
	if (rc == STORE_OK) {
		if (strcmp(outcome, "skipped") == 0)
			stats->skipped++;
		else
			stats->fired++;
		return STORE_OK;
	}
	char why[256];
	snprintf(why, sizeof why, "%s", store_errmsg(db));
	store_rollback(db);
	if (rc == STORE_NOTFOUND || rc == STORE_BUSY)
		return rc;
	stats->failed++;
	log_warn("scheduler: job %lld (%s) failed: %s", (long long)j->id,
	         wf_job_name((enum wf_job_kind)j->kind), why);
	if (store_exec(db,
	               "UPDATE jobs SET attempts = attempts + 1, outcome = $2, "
	               "state = CASE WHEN attempts + 1 >= $3 THEN 'cancelled' "
	               "ELSE state END WHERE id = $1",
	               STORE_PARAMS(SP_I(j->id), SP_T(why),
	                            SP_I(SCHED_MAX_FAILURES))) != STORE_OK)
		log_warn("scheduler: cannot count the failure: %s", store_errmsg(db));
	return STORE_ERROR;
}

enum sched_rc
sched_run_once(const struct tcmd_env *env, const struct sched_opts *o,
               struct sched_stats *stats)
{
	memset(stats, 0, sizeof *stats);
	enum sched_rc src = sched_lease_take(env, o, stats);
	if (src != SCHED_OK)
		return src;
	int total = 0;
	/* Jobs that failed this run are not retried in it: skip past them. */
	int64_t failed_ids[BATCH];
	int nfailed = 0;
	for (int round = 0; round < MAX_ROUNDS; round++) {
		struct job batch[BATCH];
		int n = 0;
		struct store_rows *r;
		enum store_rc rc = store_query(
		    env->db,
		    "SELECT id, kind, ticket_id, due_at, payload FROM jobs WHERE "
		    "state = 'pending' AND due_at <= $1 ORDER BY due_at, id LIMIT $2",
		    STORE_PARAMS(SP_I(env->now), SP_I(BATCH + nfailed)), &r);
		if (rc != STORE_OK)
			return rc == STORE_BUSY ? SCHED_BUSY : SCHED_ERROR;
		while ((rc = store_next(r)) == STORE_ROW && n < BATCH) {
			int64_t id = store_int(r, 0);
			int skip = 0;
			for (int i = 0; i < nfailed; i++)
				skip |= failed_ids[i] == id;
			if (skip)
				continue;
			batch[n].id = id;
			batch[n].kind = wf_job_parse(store_text(r, 1));
			batch[n].ticket_id = store_isnull(r, 2) ? 0 : store_int(r, 2);
			batch[n].due_at = store_int(r, 3);
			batch[n].since = payload_since(store_text(r, 4));
			n++;
		}
		store_done(r);
		if (n == 0)
			break;
		for (int i = 0; i < n; i++) {
			if (o->max_jobs > 0 && total >= o->max_jobs)
				goto out;
			rc = fire(env, o, &batch[i], stats);
			total++;
			if (rc == STORE_BUSY)
				return SCHED_BUSY;
			if (rc == STORE_ERROR && nfailed < BATCH)
				failed_ids[nfailed++] = batch[i].id;
			if (rc == STORE_NOTFOUND) {
				/* Lost the lease (or another holder fired it). */
				struct sched_stats s2 = {0};
				if (sched_lease_take(env, o, &s2) != SCHED_OK) {
					snprintf(stats->holder, sizeof stats->holder, "%s",
					         s2.holder);
					return SCHED_NOT_LEADER;
				}
			}
		}
	}
	/* Staff digests of the windows that ended, before the sending. */
	if (staff_notice_flush(env->db, env->pol, SCHED_LEASE_NAME, o->holder,
	                       env->now, &stats->digests) != STORE_OK)
		log_warn("scheduler: staff digests not sent: %s; next run",
		         store_errmsg(env->db));
	/* The month's statements, from its first business day: each once. */
	struct statements_run sr;
	if (env->cal && statements_monthly_run(env->db, env->pol, env->cal,
	                                       o->holder, env->now, &sr) != APP_OK)
		log_warn("scheduler: statements not sent: %s; next run",
		         store_errmsg(env->db));
	else if (env->cal)
		stats->statements = sr.clients;
	if (o->outbound && o->outbound(env, o->outbound_arg) != 0)
		log_warn("scheduler: outbound sending failed; retried next run");
out:
	/* Housekeeping, by the lease holder only: one server does it. */
	if (env->pol && env->pol->upload_keep_s > 0 &&
	    uploads_prune(env->db, env->now - env->pol->upload_keep_s, env->now,
	                  &stats->uploads_pruned, NULL) != STORE_OK)
		log_warn("scheduler: uploads not pruned: %s; next run",
		         store_errmsg(env->db));
	if (!o->keep_lease)
		sched_lease_release(env, o->holder);
	return SCHED_OK;
}

struct sched_thread {
	pthread_t tid;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int stop;
	int every_s;
	struct tcmd_env env;
	struct sched_opts opts;
	char holder[128];
};

static void *
thread_main(void *arg)
{
	struct sched_thread *t = arg;
	pthread_mutex_lock(&t->mu);
	while (!t->stop) {
		pthread_mutex_unlock(&t->mu);
		struct tcmd_env env = t->env;
		struct calendar_ref *ref = NULL;
		env.now = (int64_t)time(NULL);
		if (t->opts.live) {
			/* Holidays another server imported count from here on. */
			char err[256];
			if (calendar_live_refresh(t->opts.live, env.db, err,
			                          sizeof err) != 0)
				log_warn("scheduler: calendar not rebuilt: %s", err);
			ref = calendar_live_get(t->opts.live);
			env.cal = ref->cal;
		}
		struct sched_stats st;
		enum sched_rc rc = sched_run_once(&env, &t->opts, &st);
		if (rc == SCHED_ERROR)
			log_warn("scheduler: run failed: %s", store_errmsg(env.db));
		if (ref)
			calendar_live_put(t->opts.live, ref);
		pthread_mutex_lock(&t->mu);
		struct timespec until;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += t->every_s;
		while (!t->stop &&
		       pthread_cond_timedwait(&t->cv, &t->mu, &until) == 0)
			;
	}
	pthread_mutex_unlock(&t->mu);
	return NULL;
}

int
sched_thread_start(struct store *db, const struct policy *pol,
                   const struct calendar *cal, const struct sched_opts *o,
                   int every_s, struct sched_thread **out)
{
	struct sched_thread *t = calloc(1, sizeof *t);
	if (t == NULL)
		return -1;
	t->env = (struct tcmd_env){db, pol, cal, 0};
	t->opts = *o;
	snprintf(t->holder, sizeof t->holder, "%s", o->holder);
	t->opts.holder = t->holder;
	t->opts.keep_lease = 1;
	if (t->opts.lease_s <= 0)
		t->opts.lease_s = (int64_t)every_s * 3 > SCHED_DEFAULT_LEASE_S
		                      ? (int64_t)every_s * 3
		                      : SCHED_DEFAULT_LEASE_S;
	t->every_s = every_s > 0 ? every_s : 30;
	pthread_mutex_init(&t->mu, NULL);
	pthread_cond_init(&t->cv, NULL);
	if (pthread_create(&t->tid, NULL, thread_main, t) != 0) {
		pthread_mutex_destroy(&t->mu);
		pthread_cond_destroy(&t->cv);
		free(t);
		return -1;
	}
	*out = t;
	return 0;
}

void
sched_thread_stop(struct sched_thread *t)
{
	if (t == NULL)
		return;
	pthread_mutex_lock(&t->mu);
	t->stop = 1;
	pthread_cond_signal(&t->cv);
	pthread_mutex_unlock(&t->mu);
	pthread_join(t->tid, NULL);
	sched_lease_release(&t->env, t->holder);
	pthread_mutex_destroy(&t->mu);
	pthread_cond_destroy(&t->cv);
	free(t);
}
