/*
 * policy_version.c - stored policy versions (see policy_version.h).
 */
#include "app/policy_version.h"
#include "app/policy_show.h"

#include <stdlib.h>

enum store_rc
policy_version_ensure(struct store *db, const struct policy *p, int64_t now,
                      int64_t *id, int *is_new)
{
	if (is_new)
		*is_new = 0;
	enum store_rc rc = store_get_int(
	    db, "SELECT id FROM policy_versions WHERE fingerprint = $1",
	    STORE_PARAMS(SP_T(p->fingerprint)), id);
	if (rc != STORE_NOTFOUND)
		return rc;
	char *source = policy_canonical(p);
	if (source == NULL)
		return STORE_ERROR;
	rc = store_get_int(db,
	                   "INSERT INTO policy_versions (version, fingerprint, "
	                   "effective_from, source, loaded_at) "
	                   "VALUES ($1, $2, $3, $4, $5) RETURNING id",
	                   STORE_PARAMS(SP_T(p->version), SP_T(p->fingerprint),
	                                SP_T(p->effective_from), SP_T(source),
	                                SP_I(now)),
	                   id);
	free(source);
	if (rc == STORE_OK && is_new)
		*is_new = 1;
	return rc;
}
