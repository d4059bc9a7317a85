/*
 * policy_version.c - stored policy versions (see policy_version.h).
 */
#include "app/config/policy_version.h"
#include "app/config/policy_show.h"
#include "app/base/json_rows.h"

#include <string.h>

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

enum store_rc
policy_versions_json(struct store *db, const struct calendar *cal,
                     const struct policy *in_force, json_t **out)
{
	struct store_rows *r;
	*out = NULL;
	enum store_rc rc = store_query(
	    db,
	    "SELECT v.id, v.version, v.effective_from, v.fingerprint, "
	    "v.loaded_at, v.notified_at, (SELECT COUNT(*) FROM tickets t WHERE "
	    "t.policy_version_id = v.id) FROM policy_versions v ORDER BY v.id DESC",
	    STORE_NO_PARAMS, &r);
	if (rc != STORE_OK)
		return rc;
	static const char *const keys[] = {
		"#id", "version", "effective_from", "fingerprint", "@loaded_at",
		"@notified_at", "#tickets",
	};
	json_t *arr = json_array();
	while ((rc = store_next(r)) == STORE_ROW) {
		json_t *v = json_row_object(r, cal, keys, 7);
		json_object_set_new(v, "in_force",
		                    json_boolean(in_force &&
		                                 strcmp(in_force->fingerprint,
		                                        store_text(r, 3)) == 0));
		json_array_append_new(arr, v);
	}
	store_done(r);
	if (rc != STORE_DONE) {
		json_decref(arr);
		return rc;
	}
	*out = arr;
	return STORE_OK;
}
