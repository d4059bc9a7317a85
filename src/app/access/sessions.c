/*
 * sessions.c - logins, sessions and API tokens (see sessions.h).
 *
 * SECURITY: request text (email, password, address, cookie and bearer
 * values) is untrusted; it is bound as parameters or hashed, never logged.
 */
#include "app/access/sessions.h"
#include "app/base/audit.h"
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
	enum store_rc rc = store_query(db, sql, STORE_PARAMS(SP_I(user_id)), &r);
	if (rc != STORE_OK)
		return rc;
	rc = store_next(r);
	if (rc == STORE_ROW)
		principal_from_row(r, p);
	store_done(r);
	if (rc == STORE_ROW)
		return p->user_id > 0 ? STORE_OK : STORE_NOTFOUND;
	return rc == STORE_DONE ? STORE_NOTFOUND : rc;
}

static enum store_rc
failures_since(struct store *db, const char *key, int64_t since, int64_t *n,
               int64_t *oldest)
{
	struct store_rows *r;
	enum store_rc rc = store_query(
	    db,
	    "SELECT COUNT(*), COALESCE(MIN(at), 0) FROM login_failures "
	    "WHERE key = $1 AND at > $2",
	    STORE_PARAMS(SP_T(key), SP_I(since)), &r);
	if (rc != STORE_OK)
		return rc;
	rc = store_next(r);
	if (rc == STORE_ROW) {
		*n = store_int(r, 0);
		*oldest = store_int(r, 1);
		rc = STORE_OK;
	} else if (rc == STORE_DONE) {
		*n = 0;
		rc = STORE_OK;
	}
	store_done(r);
	return rc;
}

static enum store_rc
failure_record(struct store *db, const char *key, int64_t now)
{
	enum store_rc rc = store_exec(
	    db, "DELETE FROM login_failures WHERE key = $1 AND at <= $2",
	    STORE_PARAMS(SP_T(key), SP_I(now - AUTH_WINDOW_S)));
	if (rc == STORE_OK)
		rc = store_exec(db,
		                "INSERT INTO login_failures (key, at) VALUES ($1, $2)",
		                STORE_PARAMS(SP_T(key), SP_I(now)));
	return rc;
}

enum auth_rc
auth_login(struct store *db, const char *email, const char *password,
           const char *addr, int64_t now, struct principal *p,
           char token[AUTH_TOKEN_LEN], char csrf[AUTH_TOKEN_LEN],
           int64_t *retry_after_s, enum store_rc *src)
{
	char mail[256], ukey[300], akey[128], hex[65];
	char *hash = NULL;
	enum auth_rc out = AUTH_DENIED;
	enum store_rc rc = STORE_OK;
	int64_t nuser = 0, naddr = 0, ouser = 0, oaddr = 0;

	*retry_after_s = 0;
	*src = STORE_OK;
	memset(p, 0, sizeof *p);
	if (sodium_init() < 0) {
		*src = STORE_ERROR;
		return AUTH_STORE;
	}
	pthread_once(&dummy_once, dummy_init);
	snprintf(mail, sizeof mail, "%s", email);
	ascii_lower(mail);
	snprintf(ukey, sizeof ukey, "user:%s", mail);
	snprintf(akey, sizeof akey, "addr:%s", addr ? addr : "-");

	rc = failures_since(db, ukey, now - AUTH_WINDOW_S, &nuser, &ouser);
	if (rc == STORE_OK)
		rc = failures_since(db, akey, now - AUTH_WINDOW_S, &naddr, &oaddr);
	if (rc != STORE_OK)
		goto out;
	if (nuser >= AUTH_MAX_USER_FAILURES || naddr >= AUTH_MAX_ADDR_FAILURES) {
		int64_t oldest = nuser >= AUTH_MAX_USER_FAILURES ? ouser : oaddr;
		*retry_after_s = oldest + AUTH_WINDOW_S - now;
		if (*retry_after_s < 1)
			*retry_after_s = 1;
		out = AUTH_THROTTLED;
		goto out;
	}

	struct store_rows *r;
	rc = store_query(db,
	                 "SELECT u.id, u.role, u.client_id, u.contact_id, u.name, "
	                 "u.email, u.password_hash FROM users u "
	                 "WHERE u.email = $1 AND u.active = 1",
	                 STORE_PARAMS(SP_T(mail)), &r);
	if (rc != STORE_OK)
		goto out;
	rc = store_next(r);
	if (rc == STORE_ROW) {
		principal_from_row(r, p);
		hash = strdup(store_text(r, 6));
	}
	store_done(r);
	if (rc != STORE_ROW && rc != STORE_DONE)
		goto out;
	rc = STORE_OK;
	int ok = password_check(hash ? hash : dummy_hash, password);
	if (hash == NULL || !ok || p->user_id <= 0) {
		memset(p, 0, sizeof *p);
		rc = failure_record(db, ukey, now);
		if (rc == STORE_OK)
			rc = failure_record(db, akey, now);
		out = AUTH_DENIED;
		goto out;
	}

	random_token("", token);
	random_token("", csrf);
	token_hash(token, hex);
	rc = store_exec(db, "DELETE FROM sessions WHERE expires_at <= $1",
	                STORE_PARAMS(SP_I(now)));
	if (rc == STORE_OK)
		rc = store_exec(db,
		                "INSERT INTO sessions (token_hash, user_id, csrf_token, "
		                "created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
		                STORE_PARAMS(SP_T(hex), SP_I(p->user_id), SP_T(csrf),
		                             SP_I(now), SP_I(now + SESSION_TTL_S)));
	if (rc == STORE_OK)
		rc = store_exec(db, "DELETE FROM login_failures WHERE key = $1",
		                STORE_PARAMS(SP_T(ukey)));
	if (rc == STORE_OK)
		rc = audit_record(db, (struct actor){ACTOR_USER, p->user_id}, 0,
		                  "session.login", json_pack("{s:s}", "via", "password"),
		                  now);
	if (rc == STORE_OK)
		out = AUTH_OK;
out:
	if (hash) {
		sodium_memzero(hash, strlen(hash));
		free(hash);
	}
	if (rc != STORE_OK) {
		*src = rc;
		out = AUTH_STORE;
		memset(p, 0, sizeof *p);
	}
	if (out != AUTH_OK) {
		sodium_memzero(token, AUTH_TOKEN_LEN);
		sodium_memzero(csrf, AUTH_TOKEN_LEN);
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
	enum store_rc rc = store_query(
	    db,
	    "SELECT u.id, u.role, u.client_id, u.contact_id, u.name, u.email, "
	    "s.csrf_token "
	    "FROM sessions s JOIN users u ON u.id = s.user_id "
	    "WHERE s.token_hash = $1 AND s.expires_at > $2 AND u.active = 1",
	    STORE_PARAMS(SP_T(hex), SP_I(now)), &r);
	if (rc != STORE_OK)
		return rc;
	rc = store_next(r);
	if (rc == STORE_ROW) {
		principal_from_row(r, p);
		snprintf(csrf, AUTH_TOKEN_LEN, "%s", store_text(r, 6));
	}
	store_done(r);
	if (rc == STORE_ROW)
		return p->user_id > 0 ? STORE_OK : STORE_NOTFOUND;
	return rc == STORE_DONE ? STORE_NOTFOUND : rc;
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
	enum store_rc rc = store_query(
	    db,
	    "SELECT u.id, u.role, u.client_id, u.contact_id, u.name, u.email, "
	    "t.scopes "
	    "FROM api_tokens t JOIN users u ON u.id = t.user_id "
	    "WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND u.active = 1",
	    STORE_PARAMS(SP_T(hex)), &r);
	if (rc != STORE_OK)
		return rc;
	rc = store_next(r);
	unsigned scopes = 0;
	if (rc == STORE_ROW) {
		principal_from_row(r, p);
		if (authz_scopes_parse(store_text(r, 6), &scopes) != 0)
			scopes = 0;
		p->scopes = scopes;
		p->via_token = 1;
	}
	store_done(r);
	if (rc == STORE_ROW)
		return p->user_id > 0 && scopes ? STORE_OK : STORE_NOTFOUND;
	return rc == STORE_DONE ? STORE_NOTFOUND : rc;
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
apitoken_list_json(struct store *db, int64_t user_id, int64_t after_id,
                   int limit, json_t **out)
{
	struct store_rows *r;
	*out = NULL;
	enum store_rc rc = store_query(
	    db,
	    "SELECT id, name, scopes, created_at, revoked_at FROM api_tokens "
	    "WHERE user_id = $1 AND id > $2 ORDER BY id LIMIT $3",
	    STORE_PARAMS(SP_I(user_id), SP_I(after_id), SP_I(limit)), &r);
	if (rc != STORE_OK)
		return rc;
	json_t *arr = json_array();
	while ((rc = store_next(r)) == STORE_ROW)
		json_array_append_new(
		    arr, json_pack("{s:I,s:s,s:s,s:I,s:o}", "id",
		                   (json_int_t)store_int(r, 0), "name", store_text(r, 1),
		                   "scopes", store_text(r, 2), "created_at_s",
		                   (json_int_t)store_int(r, 3), "revoked",
		                   json_boolean(!store_isnull(r, 4))));
	store_done(r);
	if (rc != STORE_DONE) {
		json_decref(arr);
		return rc;
	}
	*out = arr;
	return STORE_OK;
}
