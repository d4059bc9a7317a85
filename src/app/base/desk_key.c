/*
 * desk_key.c - the desk's secret keys (see desk_key.h).
 */
#include "app/base/desk_key.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

static enum store_rc
read_key(struct store *db, const char *name, unsigned char key[DESK_KEY_BYTES])
{
	char *hex = NULL;
	enum store_rc rc = store_get_text(
	    db, "SELECT key_hex FROM desk_keys WHERE name = $1",
	    STORE_PARAMS(SP_T(name)), &hex);
	if (rc != STORE_OK)
		return rc;
	size_t len = 0;
	int ok = hex && sodium_hex2bin(key, DESK_KEY_BYTES, hex, strlen(hex), NULL,
	                               &len, NULL) == 0 &&
	         len == DESK_KEY_BYTES;
	if (hex)
		sodium_memzero(hex, strlen(hex));
	free(hex);
	return ok ? STORE_OK
	          : store_fail(db, STORE_ERROR, "desk key %s is not %d bytes",
	                       name, DESK_KEY_BYTES);
}

enum store_rc
desk_key_get(struct store *db, const char *name, int create, int64_t now,
             unsigned char key[DESK_KEY_BYTES])
{
	enum store_rc rc = read_key(db, name, key);
	if (rc != STORE_NOTFOUND || !create)
		return rc;
	if (sodium_init() < 0)
		return store_fail(db, STORE_ERROR, "libsodium cannot start");
	unsigned char fresh[DESK_KEY_BYTES];
	char hex[2 * DESK_KEY_BYTES + 1];
	randombytes_buf(fresh, sizeof fresh);
	sodium_bin2hex(hex, sizeof hex, fresh, sizeof fresh);
	sodium_memzero(fresh, sizeof fresh);
	rc = store_exec(db,
	                "INSERT INTO desk_keys (name, key_hex, created_at) VALUES "
	                "($1, $2, $3) ON CONFLICT (name) DO NOTHING",
	                STORE_PARAMS(SP_T(name), SP_T(hex), SP_I(now)));
	sodium_memzero(hex, sizeof hex);
	return rc == STORE_OK ? read_key(db, name, key) : rc;
}
