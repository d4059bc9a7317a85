/*
 * blob.c - see blob.h.
 */
#include "app/base/blob.h"

#include <stdint.h>

enum store_rc
blob_put(struct store *db, const char *sha256, const void *data, size_t len)
{
	return store_exec(db,
	                  "INSERT INTO blobs (sha256, size, bytes) VALUES ($1, $2, "
	                  "$3) ON CONFLICT (sha256) DO NOTHING",
	                  STORE_PARAMS(SP_T(sha256), SP_I((int64_t)len),
	                               SP_B(data, len)));
}
