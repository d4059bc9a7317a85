/*
 * intake_worker.c - routes the light gate's pending raw messages inside
 * `soporte serve` (see intake_worker.h).
 */
#include "app/intake/intake_worker.h"
#include "app/config/calendar_live.h"
#include "app/intake/intake.h"
#include "app/base/lease.h"
#include "util/log.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

struct intake_worker {
	pthread_t tid;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int stop;
	struct store *db;
	const struct policy *pol;
	struct calendar_live *live;   /* the server's, with imported holidays */
	char holder[160];
};

static void *
worker_main(void *arg)
{
	struct intake_worker *w = arg;
	int64_t renew_at = 0;
	int mine = 0;
	pthread_mutex_lock(&w->mu);
	while (!w->stop) {
		pthread_mutex_unlock(&w->mu);
		int64_t now = (int64_t)time(NULL);
		if (now >= renew_at) {
			char seen[160];
			int64_t until;
			int was = mine;
			if (lease_take(w->db, INTAKE_LEASE_NAME, w->holder, now,
			               INTAKE_WORKER_LEASE_S, &mine, seen, sizeof seen,
			               &until) != STORE_OK)
				mine = 0;
			if (mine != was)
				log_info("intake worker: %s", mine ? "routing incoming mail"
				                                   : "another server routes mail");
			renew_at = now + (mine ? INTAKE_WORKER_RENEW_S : 1);
		}
		if (mine) {
			/* The calendar in force now, held for this batch only: an
			 * import may swap it at any time. */
			struct calendar_ref *ref = calendar_live_get(w->live);
			struct intake in = {w->db, w->pol, ref->cal};
			enum intake_rc rc;
			int n = intake_route_pending(&in, 0, 0, INTAKE_WORKER_PER_TX, &rc);
			calendar_live_put(w->live, ref);
			if (rc != INTAKE_STORED)
				log_warn("intake worker: routing stopped after %d: %s", n,
				         store_errmsg(w->db));
		}
		pthread_mutex_lock(&w->mu);
		struct timespec until;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_nsec += INTAKE_WORKER_POLL_MS * 1000000L;
		if (until.tv_nsec >= 1000000000L) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000L;
		}
		while (!w->stop &&
		       pthread_cond_timedwait(&w->cv, &w->mu, &until) == 0)
			;
	}
	pthread_mutex_unlock(&w->mu);
	return NULL;
}

int
intake_worker_start(struct store *db, const struct policy *pol,
                    struct calendar_live *live, const char *holder,
                    struct intake_worker **out)
{
	struct intake_worker *w = calloc(1, sizeof *w);
	if (w == NULL)
		return -1;
	w->db = db;
	w->pol = pol;
	w->live = live;
	snprintf(w->holder, sizeof w->holder, "%s", holder);
	pthread_mutex_init(&w->mu, NULL);
	pthread_cond_init(&w->cv, NULL);
	if (pthread_create(&w->tid, NULL, worker_main, w) != 0) {
		pthread_mutex_destroy(&w->mu);
		pthread_cond_destroy(&w->cv);
		free(w);
		return -1;
	}
	*out = w;
	return 0;
}

void
intake_worker_stop(struct intake_worker *w)
{
	if (w == NULL)
		return;
	pthread_mutex_lock(&w->mu);
	w->stop = 1;
	pthread_cond_signal(&w->cv);
	pthread_mutex_unlock(&w->mu);
	pthread_join(w->tid, NULL);
	lease_release(w->db, INTAKE_LEASE_NAME, w->holder);
	pthread_mutex_destroy(&w->mu);
	pthread_cond_destroy(&w->cv);
	free(w);
}
