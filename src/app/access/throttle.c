/*
 * throttle.c - the login throttle's counters (see throttle.h).
 *
 * SECURITY: keys hold request text (an e-mail, an address); they are
 * only bound as parameters.
 */
#include "app/access/throttle.h"

/* The delay after the failures-th failure of a back-off key. */
static int64_t
backoff_s(int64_t failures)
{
	if (failures < THROTTLE_FREE)
		return 0;
	int64_t d = THROTTLE_BASE_S;
	for (int64_t i = THROTTLE_FREE; i < failures && d < THROTTLE_MAX_S; i++)
		d *= 2;
	return d < THROTTLE_MAX_S ? d : THROTTLE_MAX_S;
}

enum store_rc
throttle_wait(struct store *db, const char *key, enum throttle_kind kind,
              int64_t now, int64_t *wait)
{
	struct store_rows *r;
	*wait = 0;
	enum store_rc rc = store_query_row(
	    db, "SELECT failures, first_at, last_at FROM login_throttle "
	        "WHERE key = $1",
	    STORE_PARAMS(SP_T(key)), &r);
	if (rc == STORE_NOTFOUND)
		return STORE_OK;   /* no failures: no wait */
	if (rc != STORE_OK)
		return rc;
	int64_t n = store_int(r, 0), first = store_int(r, 1),
	        last = store_int(r, 2), until = 0;
	store_done(r);
	if (kind == THROTTLE_WINDOW && n >= THROTTLE_ADDR_MAX)
		until = first + THROTTLE_WINDOW_S;
	else if (kind == THROTTLE_BACKOFF && now - last < THROTTLE_FORGET_S)
		until = last + backoff_s(n);
	*wait = until > now ? until - now : 0;
	return STORE_OK;
}

enum store_rc
throttle_fail(struct store *db, const char *key, enum throttle_kind kind,
              int64_t now)
{
	/* A window starts again once it is over; a back-off key once a day
	 * went by without failures. */
	static const char *const sql[] = {
	    [THROTTLE_BACKOFF] =
	        "INSERT INTO login_throttle (key, failures, first_at, last_at) "
	        "VALUES ($1, 1, $2, $2) ON CONFLICT (key) DO UPDATE SET "
	        "failures = CASE WHEN login_throttle.last_at <= $3 THEN 1 "
	        "ELSE login_throttle.failures + 1 END, "
	        "first_at = CASE WHEN login_throttle.last_at <= $3 THEN $2 "
	        "ELSE login_throttle.first_at END, last_at = $2",
	    [THROTTLE_WINDOW] =
	        "INSERT INTO login_throttle (key, failures, first_at, last_at) "
	        "VALUES ($1, 1, $2, $2) ON CONFLICT (key) DO UPDATE SET "
	        "failures = CASE WHEN login_throttle.first_at <= $3 THEN 1 "
	        "ELSE login_throttle.failures + 1 END, "
	        "first_at = CASE WHEN login_throttle.first_at <= $3 THEN $2 "
	        "ELSE login_throttle.first_at END, last_at = $2",
	};
	int64_t reset = now - (kind == THROTTLE_WINDOW ? THROTTLE_WINDOW_S
	                                               : THROTTLE_FORGET_S);
	enum store_rc rc = store_exec(
	    db, "DELETE FROM login_throttle WHERE last_at <= $1",
	    STORE_PARAMS(SP_I(now - THROTTLE_FORGET_S)));
	if (rc == STORE_OK)
		rc = store_exec(db, sql[kind],
		                STORE_PARAMS(SP_T(key), SP_I(now), SP_I(reset)));
	return rc;
}

enum store_rc
throttle_clear(struct store *db, const char *key)
{
	return store_exec(db, "DELETE FROM login_throttle WHERE key = $1",
	                  STORE_PARAMS(SP_T(key)));
}
