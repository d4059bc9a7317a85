/*
 * sessions.c - logins, sessions and API tokens (see sessions.h).
 *
 * SECURITY: request text (email, password, address, cookie and bearer
 * values) is untrusted; it is bound as parameters or hashed, never logged.
 */
#include "app/access/sessions.h"
#include "app/access/throttle.h"
#include "app/base/audit.h"
#include "app/base/json_rows.h"
#include "util/netaddr.h"
#include "util/text.h"
#include "util/sha256.h"

#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

/* 32 random bytes as unpadded base64url (43 characters). */
static void
random_token(const char *prefix, char out[AUTH_TOKEN_LEN])
{
	unsigned char raw[32];
	randombytes_buf(raw, sizeof raw);
	size_t n = strlen(prefix);
	memcpy(out, prefix, n);
	sodium_bin2base64(out + n, AUTH_TOKEN_LEN - n, raw, sizeof raw,
	                  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(raw, sizeof raw);
}

/* SHA-256 of a token as 64 hex digits. */
static void
token_hash(const char *token, char hex[65])
{
	sha256_hex(token, strlen(token), hex);
}

/* A hash to check against when the account does not exist, so a wrong
 * e-mail costs as long as a wrong password. */
static char dummy_hash[crypto_pwhash_STRBYTES];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;

static void
dummy_init(void)
{
	if (password_hash("not the password of anyone", dummy_hash,
	                  sizeof dummy_hash) != 0)
		dummy_hash[0] = '\0';
}

static const char user_columns[] =
    "u.id, u.role, u.client_id, u.contact_id, u.name, u.email";

static void
principal_from_row(struct store_rows *r, struct principal *p)
{
	memset(p, 0, sizeof *p);
	p->user_id = store_int(r, 0);
	int role = role_parse(store_text(r, 1));
	p->role = role < 0 ? ROLE_CLIENT : (enum user_role)role;
	p->client_id = store_isnull(r, 2) ? 0 : store_int(r, 2);
	p->contact_id = store_isnull(r, 3) ? 0 : store_int(r, 3);
	snprintf(p->name, sizeof p->name, "%s", store_text(r, 4));
	snprintf(p->email, sizeof p->email, "%s", store_text(r, 5));
	p->scopes = SCOPE_ALL;
	if (role < 0)
		p->user_id = 0;   /* an unknown role never logs in */
}

enum store_rc
principal_load(struct store *db, int64_t user_id, struct principal *p)
{
	struct store_rows *r;
	char sql[256];
	snprintf(sql, sizeof sql,
	         "SELECT %s FROM users u WHERE u.id = $1 AND u.active = 1",
	         user_columns);
	enum store_rc rc =
	    store_query_row(db, sql, STORE_PARAMS(SP_I(user_id)), &r);
	if (rc != STORE_OK)
		return rc;
	principal_from_row(r, p);
	store_done(r);
	return p->user_id > 0 ? STORE_OK : STORE_NOTFOUND;
}

/* The throttle's keys of an attempt: the account's (by e-mail, known or
 * not, so a refusal says nothing of whether it exists) and the client
 * address's (IPv6 per /64). */
static void
throttle_keys(const struct login_attempt *a, char *mail, size_t maillen,
              char ukey[300], char akey[80])
{
	snprintf(mail, maillen, "%s", a->email ? a->email : "");
	ascii_lower(mail);
	snprintf(ukey, 300, "user:%s", mail);
	struct net_addr addr;
	char k[NETADDR_TEXT_MAX + 4] = "-";
	if (a->addr && net_addr_parse(a->addr, strlen(a->addr), &addr) == 0)
		net_addr_throttle_key(&addr, k);
	snprintf(akey, 80, "addr:%s", k);
}

/* The account of an e-mail: *p and *hash (malloc'd), or *hash NULL. */
static enum store_rc
login_account(struct store *db, const char *mail, struct principal *p,
              char **hash)
{
	struct store_rows *r;
	*hash = NULL;
	enum store_rc rc = store_query_row(
	    db,
	    "SELECT u.id, u.role, u.client_id, u.contact_id, u.name, "
	    "u.email, u.password_hash FROM users u "
	    "WHERE u.email = $1 AND u.active = 1",
	    STORE_PARAMS(SP_T(mail)), &r);
	if (rc == STORE_NOTFOUND)
		return STORE_OK;   /* no such account: no hash */
	if (rc != STORE_OK)
		return rc;
	principal_from_row(r, p);
	if (p->user_id > 0)
		*hash = strdup(store_text(r, 6));
	store_done(r);
	return STORE_OK;
}

enum auth_rc
auth_login(struct store *db, const struct login_attempt *a,
           struct login_grant *g)
{
	char mail[256], ukey[300], akey[80], dkey[80], hex[65];
	char *hash = NULL;
	enum auth_rc out = AUTH_DENIED;
	int64_t issued = 0, wait = 0, await = 0, now = a->now;

	memset(g, 0, sizeof *g);
	if (sodium_init() < 0) {
		g->src = STORE_ERROR;
		return AUTH_STORE;
	}
	pthread_once(&dummy_once, dummy_init);
	throttle_keys(a, mail, sizeof mail, ukey, akey);
	enum store_rc rc = login_account(db, mail, &g->p, &hash);
	if (rc != STORE_OK)
		goto out;
	/* A browser this account logged in from before answers for its own
	 * guesses only: the account's back-off and the address's window
	 * (a guesser elsewhere, a shared office address) do not hold it. */
	int known = hash && a->vault &&
	            device_cookie_check(a->vault, a->device, g->p.user_id, now,
	                                &issued);
	snprintf(dkey, sizeof dkey, "device:%lld:%lld", (long long)g->p.user_id,
	         (long long)issued);
	if (known) {
		rc = throttle_wait(db, dkey, THROTTLE_BACKOFF, now, &wait);
	} else {
		rc = throttle_wait(db, ukey, THROTTLE_BACKOFF, now, &wait);
		if (rc == STORE_OK)
			rc = throttle_wait(db, akey, THROTTLE_WINDOW, now, &await);
		if (await > wait)
			wait = await;
	}
	if (rc != STORE_OK)
		goto out;
	if (wait > 0) {
		g->retry_after_s = wait;
		out = AUTH_THROTTLED;
		goto out;
	}

	if (!password_check(hash ? hash : dummy_hash, a->password ? a->password : "") ||
	    hash == NULL) {
		rc = throttle_fail(db, known ? dkey : ukey, THROTTLE_BACKOFF, now);
		if (rc == STORE_OK)
			rc = throttle_fail(db, akey, THROTTLE_WINDOW, now);
		out = AUTH_DENIED;
		goto out;
	}

	random_token("", g->token);
	random_token("", g->csrf);
	token_hash(g->token, hex);
	rc = store_exec(db, "DELETE FROM sessions WHERE expires_at <= $1",
	                STORE_PARAMS(SP_I(now)));
	if (rc == STORE_OK)
		rc = store_exec(db,
		                "INSERT INTO sessions (token_hash, user_id, csrf_token, "
		                "created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
		                STORE_PARAMS(SP_T(hex), SP_I(g->p.user_id), SP_T(g->csrf),
		                             SP_I(now), SP_I(now + SESSION_TTL_S)));
	if (rc == STORE_OK)
		rc = throttle_clear(db, ukey);
	if (rc == STORE_OK && known)
		rc = throttle_clear(db, dkey);
	if (rc == STORE_OK)
		rc = audit_record(db, (struct actor){ACTOR_USER, g->p.user_id}, 0,
		                  "session.login",
		                  json_pack("{s:s,s:b}", "via", "password",
		                            "known_browser", known),
		                  now);
	if (rc == STORE_OK && a->vault &&
	    device_cookie_make(a->vault, g->p.user_id, now, g->device) != 0)
		g->device[0] = '\0';
	if (rc == STORE_OK)
		out = AUTH_OK;
out:
	if (hash) {
		sodium_memzero(hash, strlen(hash));
		free(hash);
	}
	if (rc != STORE_OK) {
		g->src = rc;
		out = AUTH_STORE;
	}
	if (out != AUTH_OK) {
		int64_t retry = g->retry_after_s;
		enum store_rc src = g->src;
		sodium_memzero(g, sizeof *g);
		g->retry_after_s = retry;
		g->src = src;
	}
	return out;
}

enum store_rc
session_lookup(struct store *db, const char *token, int64_t now,
               struct principal *p, char csrf[AUTH_TOKEN_LEN])
{
	char hex[65];
	struct store_rows *r;
	if (strlen(token) >= AUTH_TOKEN_LEN)
		return STORE_NOTFOUND;
	token_hash(token, hex);
	enum store_rc rc = store_query_row(
	    db,
	    "SELECT u.id, u.role, u.client_id, u.contact_id, u.name, u.email, "
	    "s.csrf_token "
	    "FROM sessions s JOIN users u ON u.id = s.user_id "
	    "WHERE s.token_hash = $1 AND s.expires_at > $2 AND u.active = 1",
	    STORE_PARAMS(SP_T(hex), SP_I(now)), &r);
	if (rc != STORE_OK)
		return rc;
	principal_from_row(r, p);
	snprintf(csrf, AUTH_TOKEN_LEN, "%s", store_text(r, 6));
	store_done(r);
	return p->user_id > 0 ? STORE_OK : STORE_NOTFOUND;
}

enum store_rc
session_end(struct store *db, const char *token, int64_t now, int64_t user_id)
{
	char hex[65];
	token_hash(token, hex);
	enum store_rc rc = store_exec(db, "DELETE FROM sessions WHERE token_hash = $1",
	                              STORE_PARAMS(SP_T(hex)));
	if (rc == STORE_OK && user_id > 0)
		rc = audit_record(db, (struct actor){ACTOR_USER, user_id}, 0,
		                  "session.logout", NULL, now);
	return rc;
}

enum store_rc
apitoken_create(struct store *db, int64_t user_id, const char *name,
                unsigned scopes, int64_t now, struct actor who,
                char token[AUTH_TOKEN_LEN], int64_t *id)
{
	char hex[65], sc[32];
	if (sodium_init() < 0)
		return store_fail(db, STORE_ERROR, "libsodium failed to start");
	if (!text_is_name(name, 100))
		return store_fail(db, STORE_ERROR, "the token needs a name");
	authz_scopes_format(scopes, sc, sizeof sc);
	if (sc[0] == '\0')
		return store_fail(db, STORE_ERROR, "the token needs a scope");
	random_token("sop_", token);
	token_hash(token, hex);
	enum store_rc rc = store_begin(db, 1);
	if (rc != STORE_OK)
		return rc;
	int64_t active = 0;
	rc = store_get_int(db, "SELECT COUNT(*) FROM users WHERE id = $1",
	                   STORE_PARAMS(SP_I(user_id)), &active);
	if (rc == STORE_OK && active == 0)
		rc = store_fail(db, STORE_NOTFOUND, "no such user");
	if (rc == STORE_OK)
		rc = store_get_int(db,
		                   "INSERT INTO api_tokens (user_id, name, token_hash, "
		                   "scopes, created_at) VALUES ($1, $2, $3, $4, $5) "
		                   "RETURNING id",
		                   STORE_PARAMS(SP_I(user_id), SP_T(name), SP_T(hex),
		                                SP_T(sc), SP_I(now)),
		                   id);
	if (rc == STORE_OK)
		rc = audit_record(db, who, 0, "token.create",
		                  json_pack("{s:I,s:I,s:s}", "token_id", (json_int_t)*id,
		                            "user_id", (json_int_t)user_id, "scopes", sc),
		                  now);
	if (rc == STORE_OK)
		rc = store_commit(db);
	if (rc != STORE_OK) {
		store_rollback(db);
		sodium_memzero(token, AUTH_TOKEN_LEN);
	}
	return rc;
}

enum store_rc
apitoken_lookup(struct store *db, const char *token, struct principal *p)
{
	char hex[65];
	struct store_rows *r;
	if (strncmp(token, "sop_", 4) != 0 || strlen(token) >= AUTH_TOKEN_LEN)
		return STORE_NOTFOUND;
	token_hash(token, hex);
	enum store_rc rc = store_query_row(
	    db,
	    "SELECT u.id, u.role, u.client_id, u.contact_id, u.name, u.email, "
	    "t.scopes "
	    "FROM api_tokens t JOIN users u ON u.id = t.user_id "
	    "WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND u.active = 1",
	    STORE_PARAMS(SP_T(hex)), &r);
	if (rc != STORE_OK)
		return rc;
	unsigned scopes = 0;
	principal_from_row(r, p);
	if (authz_scopes_parse(store_text(r, 6), &scopes) != 0)
		scopes = 0;
	p->scopes = scopes;
	p->via_token = 1;
	store_done(r);
	return p->user_id > 0 && scopes ? STORE_OK : STORE_NOTFOUND;
}

enum store_rc
apitoken_revoke(struct store *db, int64_t id, int64_t user_id, int64_t now,
                struct actor who)
{
	enum store_rc rc = store_begin(db, 1);
	if (rc != STORE_OK)
		return rc;
	int64_t n = 0;
	rc = store_get_int(db,
	                   "SELECT COUNT(*) FROM api_tokens WHERE id = $1 AND "
	                   "revoked_at IS NULL AND ($2 = 0 OR user_id = $2)",
	                   STORE_PARAMS(SP_I(id), SP_I(user_id)), &n);
	if (rc == STORE_OK && n == 0)
		rc = store_fail(db, STORE_NOTFOUND, "no such token");
	if (rc == STORE_OK)
		rc = store_exec(db, "UPDATE api_tokens SET revoked_at = $2 WHERE id = $1",
		                STORE_PARAMS(SP_I(id), SP_I(now)));
	if (rc == STORE_OK)
		rc = audit_record(db, who, 0, "token.revoke",
		                  json_pack("{s:I}", "token_id", (json_int_t)id), now);
	if (rc == STORE_OK)
		rc = store_commit(db);
	if (rc != STORE_OK)
		store_rollback(db);
	return rc;
}

enum store_rc
apitoken_list_json(struct store *db, int64_t user_id, json_t **out)
{
	static const char *const keys[] = {"#id", "name", "scopes",
	                                   "#created_at_s", "?revoked"};
	return json_rows(db, NULL,
	                 "SELECT id, name, scopes, created_at, CASE WHEN "
	                 "revoked_at IS NULL THEN 0 ELSE 1 END FROM api_tokens "
	                 "WHERE user_id = $1 ORDER BY id",
	                 STORE_PARAMS(SP_I(user_id)), keys, 5, out);
}
