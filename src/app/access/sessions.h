/*
 * sessions.h - logging in, browser sessions and API tokens.
 *
 * Everything lives in the database, so several servers sharing it agree
 * on who is logged in and on the login throttle. Session cookies and API
 * tokens are random 256-bit values shown once; the store keeps only
 * their SHA-256, so a copy of the database opens no session.
 *
 * Login throttle (throttle.h, device.h): failed logins put the account
 * under exponential back-off and count against the client's address (a
 * fixed window); while either makes it wait, attempts are refused (even
 * right ones) without checking the password. A browser that logged in
 * to the account before brings a signed device cookie: it is judged by
 * its own back-off instead, so guessing from elsewhere never locks the
 * owner out.
 *
 * SECURITY: email, password, address and tokens are untrusted request
 * text; they are only bound as parameters, hashed or compared.
 */
#ifndef SOPORTE_APP_SESSIONS_H
#define SOPORTE_APP_SESSIONS_H

#include "app/base/audit.h"
#include "app/access/authz.h"
#include "app/access/device.h"
#include "store/store.h"

#include <jansson.h>
#include <stdint.h>

#define SESSION_TTL_S (12 * 3600)
#define AUTH_TOKEN_LEN 64        /* room for a token and its NUL */

enum auth_rc {
	AUTH_OK = 0,
	AUTH_DENIED,      /* unknown account, wrong password, inactive */
	AUTH_THROTTLED,   /* too many failures: *retry_after_s says how long */
	AUTH_STORE,       /* the store failed: see the store_rc out-param */
};

struct vault;

struct login_attempt {
	const char *email, *password;
	const char *addr;           /* the client's address (behind a trusted
	                               proxy, the one it forwards) */
	const char *device;         /* the device cookie, or NULL */
	const struct vault *vault;  /* signs device cookies; NULL: none */
	int64_t now;
};

struct login_grant {
	struct principal p;         /* the account */
	char token[AUTH_TOKEN_LEN]; /* the new session's cookie value */
	char csrf[AUTH_TOKEN_LEN];
	char device[DEVICE_COOKIE_LEN]; /* a fresh device cookie ("": none) */
	int64_t retry_after_s;      /* AUTH_THROTTLED: how long to wait */
	enum store_rc src;          /* AUTH_STORE: what the store said */
};

/* Checks email/password (after the throttle), and on success opens a
 * session (g->token, g->csrf: new random values) and issues a device
 * cookie. */
enum auth_rc auth_login(struct store *db, const struct login_attempt *a,
                        struct login_grant *g);

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
/* The tokens of user_id (never their values) as a JSON array. */
enum store_rc apitoken_list_json(struct store *db, int64_t user_id,
                                 json_t **out);

/* Loads the principal of user id (active accounts only). */
enum store_rc principal_load(struct store *db, int64_t user_id,
                             struct principal *p);

#endif
