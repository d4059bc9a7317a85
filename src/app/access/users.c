/*
 * users.c - accounts and password hashing (see users.h).
 */
#include "app/access/users.h"
#include "util/text.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

const char *
role_name(enum user_role r)
{
	return r < ROLE_COUNT ? wf_role_name((enum wf_role)r) : "unknown";
}

int
role_parse(const char *s)
{
	return wf_role_parse(s);
}

int
password_hash(const char *password, char *out, size_t outlen)
{
	if (outlen < crypto_pwhash_STRBYTES || sodium_init() < 0)
		return -1;
	return crypto_pwhash_str(out, password, strlen(password),
	                         crypto_pwhash_OPSLIMIT_INTERACTIVE,
	                         crypto_pwhash_MEMLIMIT_INTERACTIVE) == 0
	           ? 0
	           : -1;
}

int
password_check(const char *hash, const char *password)
{
	if (hash == NULL || *hash == '\0' || sodium_init() < 0)
		return 0;
	return crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
}

enum store_rc
user_create(struct store *db, const struct user_new *u, int64_t now,
            int64_t *id)
{
	char email[256];
	char hash[crypto_pwhash_STRBYTES];
	if (strlen(u->email) >= sizeof email)
		return store_fail(db, STORE_ERROR, "e-mail address too long");
	strcpy(email, u->email);
	ascii_lower(email);
	if (!email_valid(email))
		return store_fail(db, STORE_ERROR, "'%s' is not an e-mail address",
		                  email);
	if ((u->role == ROLE_CLIENT) != (u->client_id > 0))
		return store_fail(db, STORE_ERROR,
		                  "a client account needs its client, and only it");
	if (u->password && password_hash(u->password, hash, sizeof hash) != 0)
		return store_fail(db, STORE_ERROR, "cannot hash the password");
	enum store_rc rc = store_get_int(
	    db,
	    "INSERT INTO users (email, name, role, client_id, contact_id, "
	    "password_hash, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) "
	    "RETURNING id",
	    STORE_PARAMS(SP_T(email), SP_T(u->name), SP_T(role_name(u->role)),
	                 SP_ID(u->client_id), SP_ID(u->contact_id),
	                 SP_T(u->password ? hash : NULL), SP_I(now)),
	    id);
	sodium_memzero(hash, sizeof hash);
	return rc;
}
