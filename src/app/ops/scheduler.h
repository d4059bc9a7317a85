/*
 * scheduler.h - timed work as rows: SLA warnings, contact-attempt
 * reminders, auto-close after the third attempt, outbound retries.
 *
 * Jobs are rows of the jobs table (kind, ticket, due_at, state), written
 * by the commands in the same transaction as the change that needs them
 * (app/ticket/ticket_cmds.c, ticket_jobs.c). sched_run_once() fires every
 * pending job whose due time has come, oldest first:
 *   - each job in its own exclusive transaction that first claims the row
 *     (pending -> done, only while this scheduler holds the lease), then
 *     does the job's effect: the effect and "done" commit together, so a
 *     job fires exactly once even when the process dies mid-way (the
 *     transaction rolls back and the job is still pending);
 *   - jobs due while no scheduler ran are caught up in due order;
 *   - a job whose premise no longer holds (the client answered, the
 *     deadline moved) is marked done with outcome "skipped" or
 *     "rescheduled".
 * With several servers on one database only the holder of the lease row
 * 'scheduler' (leases table: holder, expires_at) fires jobs; a holder
 * renews it on every run, another takes it over once it has expired.
 *
 * Each run also mails the staff digests whose window ended
 * (app/ticket/staff_notice.h), fenced by the same lease, and from the
 * first business day of a month each client's statement of the month
 * before (app/billing/statement_send.h: once per client and month).
 *
 * The HTTP server starts it as a thread with sched_thread_start().
 */
#ifndef SOPORTE_APP_SCHEDULER_H
#define SOPORTE_APP_SCHEDULER_H

#include "app/ticket/ticket_cmds.h"

#include <stdint.h>

struct calendar_live;

#define SCHED_LEASE_NAME "scheduler"
#define SCHED_DEFAULT_LEASE_S 60
#define SCHED_MAX_FAILURES 5   /* a job failing this often is cancelled */

enum sched_rc {
	SCHED_OK = 0,
	SCHED_NOT_LEADER,   /* another scheduler holds an unexpired lease */
	SCHED_BUSY,         /* the store is busy: try later */
	SCHED_ERROR,
};

/* Called for outbound_retry jobs and once per run (may be NULL): sends
 * what the outbound queue has due. Returns 0, or -1 to retry the job. */
typedef int sched_outbound_fn(const struct tcmd_env *env, void *arg);

struct sched_opts {
	const char *holder;          /* this server's name (host:pid) */
	int64_t lease_s;             /* 0: SCHED_DEFAULT_LEASE_S */
	int max_jobs;                /* per run, 0: no limit */
	int keep_lease;              /* 1: do not release at the end of a run */
	sched_outbound_fn *outbound; /* may be NULL */
	void *outbound_arg;
	struct calendar_live *live;  /* sched_thread: refreshed before each
	                                run, which uses the calendar in force
	                                (NULL: always the cal given) */
};

struct sched_stats {
	int fired;       /* jobs whose effect ran */
	int skipped;     /* premise gone: done without effect */
	int failed;      /* rolled back, retried later */
	int uploads_pruned; /* uploads never attached, removed (uploads.h) */
	int digests;     /* staff digests queued (staff_notice.h) */
	int statements;  /* monthly statements queued (statement_send.h) */
	char holder[128];/* the lease holder seen */
	int64_t lease_expires_at;
};

/* Takes or renews the lease at env->now; SCHED_NOT_LEADER when another
 * holder's lease has not expired (stats->holder names it). */
enum sched_rc sched_lease_take(const struct tcmd_env *env,
                               const struct sched_opts *o,
                               struct sched_stats *stats);
/* Gives the lease up (expires it now) if this holder has it. */
void sched_lease_release(const struct tcmd_env *env, const char *holder);

/* Takes the lease, fires everything due at env->now, removes the uploads
 * older than the policy's upload_keep_hours that nothing attached,
 * releases the lease unless o->keep_lease. */
enum sched_rc sched_run_once(const struct tcmd_env *env,
                             const struct sched_opts *o,
                             struct sched_stats *stats);

/* A scheduler thread for the server: every every_s seconds it opens
 * nothing new, it uses db (a connection of its own, not shared with
 * other threads) and runs sched_run_once() at the wall clock. */
struct sched_thread;
int sched_thread_start(struct store *db, const struct policy *pol,
                       const struct calendar *cal, const struct sched_opts *o,
                       int every_s, struct sched_thread **out);
/* Stops the thread, releases the lease and frees t (NULL is fine). */
void sched_thread_stop(struct sched_thread *t);

#endif
