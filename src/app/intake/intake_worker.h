/*
 * intake_worker.h - the resident intake worker of `soporte serve`.
 *
 * The light mail gate (src/front) stores each message as a 'pending' raw
 * row and exits; when this worker is alive it routes those rows instead
 * of a second, heavy process per message. The worker holds the lease
 * 'intake' (app/base/lease.h; with several servers on one database one routes
 * at a time), renews it every INTAKE_WORKER_RENEW_S seconds, and every
 * INTAKE_WORKER_POLL_MS looks for pending rows and routes them in arrival
 * order, up to INTAKE_WORKER_PER_TX per transaction (one disk flush for
 * the group: intake_route_pending()). The gate reads the lease: a lease
 * unexpired at the wall clock means "a worker will route it".
 *
 * A worker killed with the lease still running leaves the rows that
 * arrive meanwhile pending until the lease expires (INTAKE_WORKER_LEASE_S)
 * and a worker takes it over, or a gate, finding no worker, routes them.
 */
#ifndef SOPORTE_APP_INTAKE_WORKER_H
#define SOPORTE_APP_INTAKE_WORKER_H

#include "core/calendar.h"
#include "core/policy.h"
#include "store/store.h"

#define INTAKE_LEASE_NAME "intake"
#define INTAKE_WORKER_LEASE_S 15
#define INTAKE_WORKER_RENEW_S 5
#define INTAKE_WORKER_POLL_MS 50
#define INTAKE_WORKER_PER_TX 32

struct calendar_live;
struct intake_worker;

/* Starts the worker thread on db (a connection of its own), routing
 * with the server's live calendar (imported holidays count at once). */
int intake_worker_start(struct store *db, const struct policy *pol,
                        struct calendar_live *live, const char *holder,
                        struct intake_worker **out);
/* Stops it, gives the lease up, frees w (NULL is fine). */
void intake_worker_stop(struct intake_worker *w);

#endif
