/*
 * policy_version.c - stored policy versions (see policy_version.h).
 */
#include "app/config/policy_version.h"
#include "app/config/policy_show.h"
#include "app/base/json_rows.h"
#include "app/base/localtime.h"
#include "core/calendar.h"
#include "util/timefmt.h"

#include <string.h>

#include <stdlib.h>

enum store_rc
policy_version_ensure(struct store *db, const struct policy *p, int64_t now,
                      int64_t *id, int *is_new)
{
	if (is_new)
		*is_new = 0;
	int64_t t[POLICY_SEVERITIES];
	for (int i = 0; i < POLICY_SEVERITIES; i++)
		t[i] = policy_response_s(p, i + 1);
	enum store_rc rc = store_get_int(
	    db, "SELECT id FROM policy_versions WHERE fingerprint = $1",
	    STORE_PARAMS(SP_T(p->fingerprint)), id);
	if (rc == STORE_OK)
		/* A version recorded before versions kept their targets. */
		return store_exec(db,
		                  "UPDATE policy_versions SET response_s1 = $2, "
		                  "response_s2 = $3, response_s3 = $4, response_s4 = "
		                  "$5 WHERE id = $1 AND response_s1 IS NULL",
		                  STORE_PARAMS(SP_I(*id), SP_I(t[0]), SP_I(t[1]),
		                               SP_I(t[2]), SP_I(t[3])));
	if (rc != STORE_NOTFOUND)
		return rc;
	char *source = policy_canonical(p);
	if (source == NULL)
		return STORE_ERROR;
	rc = store_get_int(db,
	                   "INSERT INTO policy_versions (version, fingerprint, "
	                   "effective_from, source, loaded_at, response_s1, "
	                   "response_s2, response_s3, response_s4) "
	                   "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) "
	                   "RETURNING id",
	                   STORE_PARAMS(SP_T(p->version), SP_T(p->fingerprint),
	                                SP_T(p->effective_from), SP_T(source),
	                                SP_I(now), SP_I(t[0]), SP_I(t[1]),
	                                SP_I(t[2]), SP_I(t[3])),
	                   id);
	free(source);
	if (rc == STORE_OK && is_new)
		*is_new = 1;
	return rc;
}

enum store_rc
policy_version_in_force(struct store *db, const struct policy *p,
                        const char *day, int64_t now, int64_t *id,
                        int64_t targets[POLICY_SEVERITIES])
{
	int64_t running = 0;
	enum store_rc rc = policy_version_ensure(db, p, now, &running, NULL);
	if (rc != STORE_OK)
		return rc;
	for (int i = 0; i < POLICY_SEVERITIES; i++)
		targets[i] = policy_response_s(p, i + 1);
	*id = running;
	struct store_rows *r;
	rc = store_query_row(
	    db,
	    "SELECT id, response_s1, response_s2, response_s3, response_s4 "
	    "FROM policy_versions WHERE effective_from <= $1 ORDER BY "
	    "effective_from DESC, CASE WHEN id = $2 THEN 0 ELSE 1 END, id DESC "
	    "LIMIT 1",
	    STORE_PARAMS(SP_T(day), SP_I(running)), &r);
	/* None in force yet (the desk's only versions start later): the
	 * policy it runs. */
	if (rc == STORE_NOTFOUND)
		return STORE_OK;
	if (rc != STORE_OK)
		return rc;
	*id = store_int(r, 0);
	for (int i = 0; i < POLICY_SEVERITIES; i++)
		if (!store_isnull(r, 1 + i))
			targets[i] = store_int(r, 1 + i);
	store_done(r);
	return STORE_OK;
}

enum store_rc
policy_ticket_target(struct store *db, const struct policy *p,
                     int64_t ticket_id, int severity, int64_t *target_s)
{
	*target_s = policy_response_s(p, severity);
	struct store_rows *r;
	enum store_rc rc = store_query_row(
	    db,
	    "SELECT v.response_s1, v.response_s2, v.response_s3, v.response_s4 "
	    "FROM tickets t JOIN policy_versions v ON v.id = t.policy_version_id "
	    "WHERE t.id = $1",
	    STORE_PARAMS(SP_I(ticket_id)), &r);
	if (rc == STORE_NOTFOUND)
		return STORE_OK;
	if (rc != STORE_OK)
		return rc;
	if (severity >= 1 && severity <= POLICY_SEVERITIES &&
	    !store_isnull(r, severity - 1))
		*target_s = store_int(r, severity - 1);
	store_done(r);
	return STORE_OK;
}

/* The id of the version in force on day, read only (no version is
 * recorded): as policy_version_in_force(); 0 when none is stored. */
static enum store_rc
in_force_id(struct store *db, const struct policy *running, const char *day,
            int64_t *id)
{
	const char *fp = running ? running->fingerprint : "";
	*id = 0;
	enum store_rc rc = store_get_int(
	    db,
	    "SELECT id FROM policy_versions WHERE effective_from <= $1 ORDER BY "
	    "effective_from DESC, CASE WHEN fingerprint = $2 THEN 0 ELSE 1 END, "
	    "id DESC LIMIT 1",
	    STORE_PARAMS(SP_T(day), SP_T(fp)), id);
	if (rc == STORE_NOTFOUND)
		rc = store_get_int(db,
		                   "SELECT id FROM policy_versions WHERE fingerprint "
		                   "= $1",
		                   STORE_PARAMS(SP_T(fp)), id);
	return rc == STORE_NOTFOUND ? STORE_OK : rc;
}

enum store_rc
policy_versions_json(struct store *db, const struct calendar *cal,
                     const struct policy *running, int64_t now,
                     int64_t before_id, int limit, json_t **out)
{
	struct store_rows *r;
	*out = NULL;
	char day[ISO_DATE_LEN];
	int64_t local = now + (cal ? calendar_utc_offset(cal, now) : 0);
	iso_date_format((local >= 0 ? local : local - 86399) / 86400, day);
	int64_t current = 0;
	enum store_rc rc = in_force_id(db, running, day, &current);
	if (rc != STORE_OK)
		return rc;
	rc = store_query(
	    db,
	    "SELECT v.id, v.version, v.effective_from, v.fingerprint, "
	    "v.loaded_at, v.notified_at, (SELECT COUNT(*) FROM tickets t WHERE "
	    "t.policy_version_id = v.id), v.response_s1, v.response_s2, "
	    "v.response_s3, v.response_s4 FROM policy_versions v "
	    "WHERE $1 = 0 OR v.id < $1 ORDER BY v.id DESC LIMIT $2",
	    STORE_PARAMS(SP_I(before_id), SP_I(limit)), &r);
	if (rc != STORE_OK)
		return rc;
	static const char *const keys[] = {
		"#id", "version", "effective_from", "fingerprint", "@loaded_at",
		"@notified_at", "#tickets",
	};
	json_t *arr = json_array();
	while ((rc = store_next(r)) == STORE_ROW) {
		json_t *v = json_row_object(r, cal, keys, 7);
		char from[LOCAL_DATE_LEN];
		local_date_dmy(store_text(r, 2), from);
		json_put(v, "effective_from_local", json_string(from));
		json_t *targets = json_array();
		for (int i = 0; i < POLICY_SEVERITIES; i++)
			json_array_append_new(targets,
			                      store_isnull(r, 7 + i)
			                          ? json_null()
			                          : json_integer(store_int(r, 7 + i)));
		json_put(v, "response_targets_s", targets);
		json_put(v, "in_force", json_boolean(store_int(r, 0) == current));
		json_put(v, "running",
		         json_boolean(running && strcmp(running->fingerprint,
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
