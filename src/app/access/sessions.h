/*
 * sessions.h - logging in, browser sessions and API tokens.
 *
 * Everything lives in the database, so several servers sharing it agree
 * on who is logged in and on the login throttle. Session cookies and API
 * tokens are random 256-bit values shown once; the store keeps only
 * their SHA-256, so a copy of the database opens no session.
 *
 * Login throttle: more than AUTH_MAX_USER_FAILURES failed logins for one
 * account, or AUTH_MAX_ADDR_FAILURES from one address, within
 * AUTH_WINDOW_S refuse further attempts (even right ones) until the
 * window has passed; the password is not even checked meanwhile.
 *
 * SECURITY: email, password, address and tokens are untrusted request
 * text; they are only bound as parameters, hashed or compared.
 */
#ifndef SOPORTE_APP_SESSIONS_H
#define SOPORTE_APP_SESSIONS_H

#include "app/base/audit.h"
#include "app/access/authz.h"
#include "store/store.h"

#include <jansson.h>
#include <stdint.h>

#define AUTH_WINDOW_S (15 * 60)
#define AUTH_MAX_USER_FAILURES 5
#define AUTH_MAX_ADDR_FAILURES 30
#define SESSION_TTL_S (12 * 3600)
#define AUTH_TOKEN_LEN 64        /* room for a token and its NUL */

enum auth_rc {
	AUTH_OK = 0,
	AUTH_DENIED,      /* unknown account, wrong password, inactive */
	AUTH_THROTTLED,   /* too many failures: *retry_after_s says how long */
	AUTH_STORE,       /* the store failed: see the store_rc out-param */
};

/* Checks email/password (after the throttle), and on success opens a
 * session: token and csrf receive new random values (AUTH_TOKEN_LEN
 * bytes each), *p the account. addr is the peer address. */
enum auth_rc auth_login(struct store *db, const char *email,
                        const char *password, const char *addr, int64_t now,
                        struct principal *p, char token[AUTH_TOKEN_LEN],
                        char csrf[AUTH_TOKEN_LEN], int64_t *retry_after_s,
                        enum store_rc *src);

/* The session of a cookie value: STORE_OK with *p and csrf filled,
 * STORE_NOTFOUND when unknown, expired or the account is inactive. */
enum store_rc session_lookup(struct store *db, const char *token, int64_t now,
                             struct principal *p, char csrf[AUTH_TOKEN_LEN]);
/* Ends the session (no error when it was already gone). */
enum store_rc session_end(struct store *db, const char *token, int64_t now,
                          int64_t user_id);

/* Creates an API token for user_id: *token receives it (shown once). */
enum store_rc apitoken_create(struct store *db, int64_t user_id,
                              const char *name, unsigned scopes, int64_t now,
                              struct actor who, char token[AUTH_TOKEN_LEN],
                              int64_t *id);
/* The principal of a bearer token; STORE_NOTFOUND when unknown, revoked
 * or its account inactive. */
enum store_rc apitoken_lookup(struct store *db, const char *token,
                              struct principal *p);
/* Revokes token id (of user_id when user_id > 0); STORE_NOTFOUND when
 * there is no such live token. */
enum store_rc apitoken_revoke(struct store *db, int64_t id, int64_t user_id,
                              int64_t now, struct actor who);
/* The tokens of user_id (never their values) as a JSON array, in id
 * order: those after after_id, up to limit. */
enum store_rc apitoken_list_json(struct store *db, int64_t user_id,
                                 int64_t after_id, int limit, json_t **out);

/* Loads the principal of user id (active accounts only). */
enum store_rc principal_load(struct store *db, int64_t user_id,
                             struct principal *p);

#endif
