/*
 * lease.h - named leases (leases table: name, holder, expires_at): which
 * of several servers on one database runs a resident task (the scheduler,
 * the intake worker).
 *
 * A holder takes a lease that is free or expired, renews its own, and
 * gives it up at exit; a holder that dies keeps it until it expires, then
 * another takes it over.
 */
#ifndef SOPORTE_APP_LEASE_H
#define SOPORTE_APP_LEASE_H

#include "store/store.h"

#include <stdint.h>

/* Takes or renews lease name for holder until now + len_s, in a
 * transaction of its own. STORE_OK with *mine (1: holder has it; 0:
 * seen, which holds seen_len bytes, has it), *expires_at the lease's
 * end; or the store's error. */
enum store_rc lease_take(struct store *db, const char *name,
                         const char *holder, int64_t now, int64_t len_s,
                         int *mine, char *seen, size_t seen_len,
                         int64_t *expires_at);

/* Gives the lease up (expires it now) if holder has it. */
void lease_release(struct store *db, const char *name, const char *holder);

#endif
