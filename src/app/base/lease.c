/*
 * lease.c - named leases (see lease.h).
 */
#include "app/base/lease.h"
#include "util/log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum store_rc
lease_take(struct store *db, const char *name, const char *holder,
           int64_t now, int64_t len_s, int *mine, char *seen, size_t seen_len,
           int64_t *expires_at)
{
	char *h = NULL;
	enum store_rc rc = store_begin(db, 1);
	if (rc == STORE_OK)
		rc = store_exec(
		    db,
		    "INSERT INTO leases (name, holder, expires_at) VALUES ($1, $2, $3) "
		    "ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, "
		    "expires_at = excluded.expires_at WHERE leases.holder = "
		    "excluded.holder OR leases.expires_at <= $4",
		    STORE_PARAMS(SP_T(name), SP_T(holder), SP_I(now + len_s),
		                 SP_I(now)));
	if (rc == STORE_OK)
		rc = store_get_text(db, "SELECT holder FROM leases WHERE name = $1",
		                    STORE_PARAMS(SP_T(name)), &h);
	if (rc == STORE_OK)
		rc = store_get_int(db, "SELECT expires_at FROM leases WHERE name = $1",
		                   STORE_PARAMS(SP_T(name)), expires_at);
	if (rc == STORE_OK)
		rc = store_commit(db);
	if (rc != STORE_OK) {
		store_rollback(db);
		free(h);
		return rc;
	}
	snprintf(seen, seen_len, "%s", h);
	*mine = strcmp(h, holder) == 0;
	free(h);
	return STORE_OK;
}

void
lease_release(struct store *db, const char *name, const char *holder)
{
	if (store_exec(db,
	               "UPDATE leases SET expires_at = 0 WHERE name = $1 AND "
	               "holder = $2",
	               STORE_PARAMS(SP_T(name), SP_T(holder))) != STORE_OK)
		log_warn("cannot release the lease '%s': %s", name,
		         store_errmsg(db));
}
