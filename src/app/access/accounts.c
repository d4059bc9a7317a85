/*
 * accounts.c - user accounts (see accounts.h).
 *
 * SECURITY: request text is bound; passwords only hashed.
 */
#include "app/access/accounts.h"
#include "app/access/password_policy.h"
#include "util/text.h"
#include "util/timefmt.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#define ACCOUNT_COLUMNS                                                     \
	"id, email, name, role, client_id, contact_id, on_duty, active, "      \
	"created_at, CASE WHEN password_hash IS NULL THEN 0 ELSE 1 END"

static json_t *
account_row(struct store_rows *r)
{
	char iso[ISO_UTC_LEN];
	iso_utc_format(store_int(r, 8), iso);
	return json_pack(
	    "{s:I,s:s,s:s,s:s,s:o,s:o,s:b,s:b,s:s,s:b}", "id",
	    (json_int_t)store_int(r, 0), "email", store_text(r, 1), "name",
	    store_text(r, 2), "role", store_text(r, 3), "client_id",
	    store_isnull(r, 4) ? json_null() : json_integer(store_int(r, 4)),
	    "contact_id",
	    store_isnull(r, 5) ? json_null() : json_integer(store_int(r, 5)),
	    "on_duty", (int)store_int(r, 6), "active", (int)store_int(r, 7),
	    "created_at", iso, "can_log_in", (int)store_int(r, 9));
}

enum store_rc
account_list_json(struct store *db, int64_t after_id, int limit, json_t **out)
{
	struct store_rows *r;
	*out = NULL;
	enum store_rc rc = store_query(
	    db,
	    "SELECT " ACCOUNT_COLUMNS " FROM users WHERE id > $1 ORDER BY id LIMIT $2",
	    STORE_PARAMS(SP_I(after_id), SP_I(limit)), &r);
	if (rc != STORE_OK)
		return rc;
	json_t *arr = json_array();
	while ((rc = store_next(r)) == STORE_ROW)
		json_array_append_new(arr, account_row(r));
	store_done(r);
	if (rc != STORE_DONE) {
		json_decref(arr);
		return rc;
	}
	*out = arr;
	return STORE_OK;
}

enum store_rc
account_get_json(struct store *db, int64_t id, json_t **out)
{
	struct store_rows *r;
	*out = NULL;
	enum store_rc rc = store_query_row(
	    db, "SELECT " ACCOUNT_COLUMNS " FROM users WHERE id = $1",
	    STORE_PARAMS(SP_I(id)), &r);
	if (rc != STORE_OK)
		return rc;
	*out = account_row(r);
	store_done(r);
	return STORE_OK;
}

int
account_password_ok(const char *password)
{
	size_t n = strlen(password);
	return n >= PASSWORD_MIN && n <= PASSWORD_MAX &&
	       utf8_valid(password, n);
}

/* Sets *refusal (when asked) and fails with the message. */
static enum store_rc
refuse(struct store *db, const char **refusal, const char *code,
       const char *msg)
{
	if (refusal)
		*refusal = code;
	return store_fail(db, STORE_CONSTRAINT, "%s", msg);
}

static enum store_rc
password_refused(struct store *db, const char *password, const char *email,
                 const char *name, const char **refusal)
{
	if (!account_password_ok(password))
		return store_fail(db, STORE_CONSTRAINT,
		                  "password: %d to %d characters", PASSWORD_MIN,
		                  PASSWORD_MAX);
	const char *why = password_weakness(password, email, name);
	return why ? refuse(db, refusal, ACCOUNT_WEAK_PASSWORD, why) : STORE_OK;
}

enum store_rc
account_create(struct store *db, const struct user_new *u, struct actor who,
               int64_t now, int64_t *id, const char **refusal)
{
	if (refusal)
		*refusal = NULL;
	if (u->password) {
		enum store_rc rc = password_refused(db, u->password, u->email,
		                                    u->name, refusal);
		if (rc != STORE_OK)
			return rc;
	}
	if (!text_is_name(u->name, 200))
		return store_fail(db, STORE_CONSTRAINT, "name: empty or not text");
	enum store_rc rc = store_begin(db, 1);
	if (rc != STORE_OK)
		return rc;
	if (u->client_id > 0) {
		int64_t n = 0;
		rc = store_get_int(db, "SELECT COUNT(*) FROM clients WHERE id = $1",
		                   STORE_PARAMS(SP_I(u->client_id)), &n);
		if (rc == STORE_OK && n == 0)
			rc = store_fail(db, STORE_CONSTRAINT, "client %lld does not exist",
			                (long long)u->client_id);
	}
	/* A client account speaks as one of its own client's contacts. */
	if (rc == STORE_OK && u->contact_id > 0) {
		int64_t n = 0;
		rc = store_get_int(db,
		                   "SELECT COUNT(*) FROM contacts WHERE id = $1 AND "
		                   "client_id = $2",
		                   STORE_PARAMS(SP_I(u->contact_id),
		                                SP_I(u->client_id)),
		                   &n);
		if (rc == STORE_OK && (n == 0 || u->role != ROLE_CLIENT))
			rc = refuse(db, refusal, ACCOUNT_CONTACT_NOT_OF_CLIENT,
			            "contact_id: only a client account has a contact, "
			            "and it must be a contact of its own client");
	}
	if (rc == STORE_OK) {
		rc = user_create(db, u, now, id);
		if (rc == STORE_ERROR)   /* user_create's refusals are the user's */
			rc = STORE_CONSTRAINT;
	}
	if (rc == STORE_OK)
		rc = audit_record(db, who, 0, "user.create",
		                  json_pack("{s:I,s:s}", "id", (json_int_t)*id, "role",
		                            role_name(u->role)),
		                  now);
	if (rc == STORE_OK)
		rc = store_commit(db);
	if (rc != STORE_OK)
		store_rollback(db);
	return rc;
}

/* The account's e-mail, name and whether it is an active administrator;
 * STORE_NOTFOUND when there is no such user. */
static enum store_rc
account_facts(struct store *db, int64_t id, char *email, size_t elen,
              char *name, size_t nlen, int *active_admin)
{
	struct store_rows *r;
	enum store_rc rc = store_query(db,
	                               "SELECT email, name, role, active FROM "
	                               "users WHERE id = $1",
	                               STORE_PARAMS(SP_I(id)), &r);
	if (rc != STORE_OK)
		return rc;
	rc = store_next(r);
	if (rc == STORE_ROW) {
		snprintf(email, elen, "%s", store_text(r, 0));
		snprintf(name, nlen, "%s", store_text(r, 1));
		*active_admin = strcmp(store_text(r, 2), "admin") == 0 &&
		                store_int(r, 3) == 1;
		rc = STORE_OK;
	} else if (rc == STORE_DONE) {
		rc = store_fail(db, STORE_NOTFOUND, "no such user");
	}
	store_done(r);
	return rc;
}

enum store_rc
account_update(struct store *db, int64_t id, json_t *in, struct actor who,
               int64_t now, const char **refusal)
{
	char hash[crypto_pwhash_STRBYTES], email[256], old_name[256];
	json_t *v;
	const char *password = json_string_value(json_object_get(in, "password"));
	const char *role = json_string_value(json_object_get(in, "role"));
	const char *name = json_string_value(json_object_get(in, "name"));
	int keep_tokens = json_is_true(json_object_get(in, "keep_tokens"));
	int admin = 0;
	if (refusal)
		*refusal = NULL;
	if (password && !account_password_ok(password))
		return store_fail(db, STORE_CONSTRAINT,
		                  "password: %d to %d characters", PASSWORD_MIN,
		                  PASSWORD_MAX);
	if (role && role_parse(role) < 0)
		return store_fail(db, STORE_CONSTRAINT, "role: unknown");
	if (name && !text_is_name(name, 200))
		return store_fail(db, STORE_CONSTRAINT, "name: empty or not text");
	v = json_object_get(in, "client_id");
	int set_client = v != NULL;
	int64_t client_id = json_integer_value(v);
	v = json_object_get(in, "on_duty");
	int64_t on_duty = v ? json_is_true(v) : -1;
	v = json_object_get(in, "active");
	int64_t active = v ? json_is_true(v) : -1;

	/* Hashing takes a while: not inside the transaction. */
	if (password && password_hash(password, hash, sizeof hash) != 0)
		return store_fail(db, STORE_ERROR, "cannot hash the password");
	enum store_rc rc = store_begin(db, 1);
	if (rc == STORE_OK)
		rc = account_facts(db, id, email, sizeof email, old_name,
		                   sizeof old_name, &admin);
	if (rc == STORE_OK && password)
		rc = password_refused(db, password, email, name ? name : old_name,
		                      refusal);
	/* The desk keeps one active administrator at least. */
	if (rc == STORE_OK && admin &&
	    ((role && strcmp(role, "admin") != 0) || active == 0)) {
		int64_t others = 0;
		rc = store_get_int(db,
		                   "SELECT COUNT(*) FROM users WHERE role = 'admin' "
		                   "AND active = 1 AND id <> $1",
		                   STORE_PARAMS(SP_I(id)), &others);
		if (rc == STORE_OK && others == 0)
			rc = refuse(db, refusal, ACCOUNT_LAST_ADMIN,
			            "this is the last active administrator: make another "
			            "one first");
	}
	if (rc == STORE_OK) {
		rc = store_exec(
		    db,
		    "UPDATE users SET name = COALESCE(CAST($2 AS TEXT), name), "
		    "role = COALESCE(CAST($3 AS TEXT), role), "
		    "client_id = CASE WHEN $4 = 1 THEN CAST($5 AS BIGINT) "
		    "  ELSE client_id END, "
		    "on_duty = CASE WHEN $6 < 0 THEN on_duty ELSE $6 END, "
		    "active = CASE WHEN $7 < 0 THEN active ELSE $7 END, "
		    "password_hash = COALESCE(CAST($8 AS TEXT), password_hash) "
		    "WHERE id = $1",
		    STORE_PARAMS(SP_I(id), SP_T(name), SP_T(role), SP_I(set_client),
		                 SP_ID(client_id), SP_I(on_duty), SP_I(active),
		                 SP_T(password ? hash : NULL)));
		if (rc == STORE_CONSTRAINT)
			store_fail(db, rc, "a client account needs client_id, and only "
			                   "it has one");
	}
	if (rc == STORE_OK && set_client)
		rc = store_exec(db,
		                "UPDATE users SET contact_id = NULL WHERE id = $1 AND "
		                "contact_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "
		                "contacts c WHERE c.id = users.contact_id AND "
		                "c.client_id = users.client_id)",
		                STORE_PARAMS(SP_I(id)));
	if (rc == STORE_OK && (password || active == 0))
		rc = store_exec(db, "DELETE FROM sessions WHERE user_id = $1",
		                STORE_PARAMS(SP_I(id)));
	if (rc == STORE_OK && password && !keep_tokens)
		rc = store_exec(db,
		                "UPDATE api_tokens SET revoked_at = $2 WHERE user_id = "
		                "$1 AND revoked_at IS NULL",
		                STORE_PARAMS(SP_I(id), SP_I(now)));
	if (rc == STORE_OK) {
		json_t *fields = json_array();
		const char *k;
		json_object_foreach(in, k, v)
			json_array_append_new(fields, json_string(k));
		json_t *detail = json_pack("{s:I,s:o}", "id", (json_int_t)id,
		                           "fields", fields);
		if (password)
			json_object_set_new(detail, "tokens_revoked",
			                    json_boolean(!keep_tokens));
		rc = audit_record(db, who, 0, "user.update", detail, now);
	}
	if (rc == STORE_OK)
		rc = store_commit(db);
	if (rc != STORE_OK)
		store_rollback(db);
	sodium_memzero(hash, sizeof hash);
	return rc;
}

enum store_rc
account_id_by_email(struct store *db, const char *email, int64_t *id)
{
	char mail[256];
	snprintf(mail, sizeof mail, "%s", email);
	ascii_lower(mail);
	return store_get_int(db, "SELECT id FROM users WHERE email = $1",
	                     STORE_PARAMS(SP_T(mail)), id);
}
