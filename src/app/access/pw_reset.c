/*
 * pw_reset.c - one-time password reset links (see pw_reset.h).
 */
#include "app/access/pw_reset.h"
#include "app/access/accounts.h"
#include "app/access/password_policy.h"
#include "app/access/users.h"
#include "app/base/audit.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

/* The hex BLAKE2b-256 of a token, as stored. */
static void
token_hash(const char *token, char out[65])
{
	unsigned char h[32];
	crypto_generichash(h, sizeof h, (const unsigned char *)token,
	                   strlen(token), NULL, 0);
	sodium_bin2hex(out, 65, h, sizeof h);
}

enum store_rc
pw_reset_new(struct store *db, int64_t user_id, int64_t requested_by,
             int64_t now, char token[PW_RESET_TOKEN_LEN], int *made)
{
	unsigned char raw[32];
	char hash[65];
	int64_t recent = 0;
	*made = 0;
	token[0] = '\0';
	enum store_rc rc = store_get_int(db,
	                                 "SELECT COUNT(*) FROM password_resets "
	                                 "WHERE user_id = $1 AND created_at > $2",
	                                 STORE_PARAMS(SP_I(user_id),
	                                              SP_I(now - 3600)),
	                                 &recent);
	if (rc != STORE_OK || recent >= PW_RESET_PER_HOUR)
		return rc;
	if (sodium_init() < 0)
		return store_fail(db, STORE_ERROR, "libsodium did not start");
	randombytes_buf(raw, sizeof raw);
	sodium_bin2hex(token, PW_RESET_TOKEN_LEN, raw, sizeof raw);
	sodium_memzero(raw, sizeof raw);
	token_hash(token, hash);
	rc = store_exec(db,
	                "INSERT INTO password_resets (user_id, token_hash, "
	                "requested_by, created_at, expires_at) VALUES ($1, $2, "
	                "$3, $4, $5)",
	                STORE_PARAMS(SP_I(user_id), SP_T(hash), SP_ID(requested_by),
	                             SP_I(now), SP_I(now + PW_RESET_TTL_S)));
	if (rc == STORE_OK)
		/* Asked from the login page, nobody is known: the system. */
		rc = audit_record(db,
		                  requested_by > 0
		                      ? (struct actor){ACTOR_USER, requested_by}
		                      : ACTOR_SYSTEM_INIT,
		                  0, "user.password_reset_requested",
		                  json_pack("{s:I,s:b}", "id", (json_int_t)user_id,
		                            "by_admin", requested_by > 0),
		                  now);
	if (rc == STORE_OK)
		*made = 1;
	else
		sodium_memzero(token, PW_RESET_TOKEN_LEN);
	return rc;
}

static enum store_rc
refuse(struct store *db, const char **refusal, const char *code,
       const char *msg)
{
	*refusal = code;
	return store_fail(db, STORE_CONSTRAINT, "%s", msg);
}

enum store_rc
pw_reset_use(struct store *db, const char *token, const char *password,
             int64_t now, const char **refusal)
{
	char hash[65], pwhash[crypto_pwhash_STRBYTES], email[256], name[256];
	struct store_rows *r = NULL;
	int64_t user_id = 0;
	*refusal = NULL;
	if (strlen(token) != PW_RESET_TOKEN_LEN - 1)
		return refuse(db, refusal, PW_RESET_INVALID,
		              "this link is not valid: ask for a new one");
	if (!account_password_ok(password))
		return refuse(db, refusal, PW_RESET_WEAK,
		              "the password must have 10 to 256 characters");
	token_hash(token, hash);
	/* Hashing the password takes a while: not inside the transaction. */
	if (password_hash(password, pwhash, sizeof pwhash) != 0)
		return store_fail(db, STORE_ERROR, "cannot hash the password");
	enum store_rc rc = store_begin(db, 1);
	if (rc == STORE_OK) {
		rc = store_query_row(db,
		                     "SELECT u.id, u.email, u.name FROM password_resets "
		                     "p JOIN users u ON u.id = p.user_id WHERE "
		                     "p.token_hash = $1 AND p.used_at IS NULL AND "
		                     "p.expires_at > $2 AND u.active = 1",
		                     STORE_PARAMS(SP_T(hash), SP_I(now)), &r);
		if (rc == STORE_NOTFOUND)
			rc = refuse(db, refusal, PW_RESET_INVALID,
			            "this link is not valid any more (used, expired, "
			            "or the account is inactive): ask for a new one");
	}
	if (rc == STORE_OK) {
		user_id = store_int(r, 0);
		snprintf(email, sizeof email, "%s", store_text(r, 1));
		snprintf(name, sizeof name, "%s", store_text(r, 2));
		store_done(r);
		const char *why = password_weakness(password, email, name);
		if (why)
			rc = refuse(db, refusal, PW_RESET_WEAK, why);
	}
	if (rc == STORE_OK)
		rc = store_exec(db, "UPDATE users SET password_hash = $2 WHERE id = $1",
		                STORE_PARAMS(SP_I(user_id), SP_T(pwhash)));
	if (rc == STORE_OK)
		rc = store_exec(db,
		                "UPDATE password_resets SET used_at = $2 WHERE "
		                "user_id = $1 AND used_at IS NULL",
		                STORE_PARAMS(SP_I(user_id), SP_I(now)));
	if (rc == STORE_OK)
		rc = store_exec(db, "DELETE FROM sessions WHERE user_id = $1",
		                STORE_PARAMS(SP_I(user_id)));
	if (rc == STORE_OK)
		rc = audit_record(db, (struct actor){ACTOR_USER, user_id}, 0,
		                  "user.password_reset",
		                  json_pack("{s:I}", "id", (json_int_t)user_id), now);
	if (rc == STORE_OK)
		rc = store_commit(db);
	if (rc != STORE_OK)
		store_rollback(db);
	sodium_memzero(pwhash, sizeof pwhash);
	return rc;
}
