/*
 * accounts.c - user accounts (see accounts.h).
 *
 * SECURITY: request text is bound; passwords only hashed.
 */
#include "app/access/accounts.h"
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

enum store_rc
account_create(struct store *db, const struct user_new *u, struct actor who,
               int64_t now, int64_t *id)
{
	if (u->password && !account_password_ok(u->password))
		return store_fail(db, STORE_CONSTRAINT,
		                  "password: %d to %d characters", PASSWORD_MIN,
		                  PASSWORD_MAX);
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

enum store_rc
account_update(struct store *db, int64_t id, json_t *in, struct actor who,
               int64_t now)
{
	char hash[crypto_pwhash_STRBYTES];
	json_t *v;
	const char *password = json_string_value(json_object_get(in, "password"));
	const char *role = json_string_value(json_object_get(in, "role"));
	const char *name = json_string_value(json_object_get(in, "name"));
	if (password && !account_password_ok(password))
		return store_fail(db, STORE_CONSTRAINT,
		                  "password: %d to %d characters", PASSWORD_MIN,
		                  PASSWORD_MAX);
	if (role && role_parse(role) < 0)
		return store_fail(db, STORE_CONSTRAINT, "role: unknown");
	if (name && !text_is_name(name, 200))
		return store_fail(db, STORE_CONSTRAINT, "name: empty or not text");
	if (password && password_hash(password, hash, sizeof hash) != 0)
		return store_fail(db, STORE_ERROR, "cannot hash the password");
	v = json_object_get(in, "client_id");
	int set_client = v != NULL;
	int64_t client_id = json_integer_value(v);
	v = json_object_get(in, "on_duty");
	int64_t on_duty = v ? json_is_true(v) : -1;
	v = json_object_get(in, "active");
	int64_t active = v ? json_is_true(v) : -1;

	enum store_rc rc = store_begin(db, 1);
	if (rc != STORE_OK)
		goto out;
	int64_t n = 0;
	rc = store_get_int(db, "SELECT COUNT(*) FROM users WHERE id = $1",
	                   STORE_PARAMS(SP_I(id)), &n);
	if (rc == STORE_OK && n == 0)
		rc = store_fail(db, STORE_NOTFOUND, "no such user");
	if (rc == STORE_OK)
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
		store_fail(db, rc,
		           "a client account needs client_id, and only it has one");
	if (rc == STORE_OK && (password || active == 0))
		rc = store_exec(db, "DELETE FROM sessions WHERE user_id = $1",
		                STORE_PARAMS(SP_I(id)));
	if (rc == STORE_OK) {
		json_t *fields = json_array();
		const char *k;
		json_object_foreach(in, k, v)
			json_array_append_new(fields, json_string(k));
		rc = audit_record(db, who, 0, "user.update",
		                  json_pack("{s:I,s:o}", "id", (json_int_t)id, "fields",
		                            fields),
		                  now);
	}
	if (rc == STORE_OK)
		rc = store_commit(db);
	if (rc != STORE_OK)
		store_rollback(db);
out:
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
