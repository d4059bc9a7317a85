/*
 * ticket_update.c - staff's direct edits of a ticket's fields (see
 * ticket_update.h).
 */
#include "app/ticket/ticket_update.h"

enum store_rc
ticket_update(struct store *db, const struct ticket_ref *t,
              int64_t expected_version, json_t *in, struct actor who,
              int64_t now, int *stale, int64_t *new_version)
{
	*stale = 0;
	*new_version = t->version;
	json_t *v;
	enum store_rc rc = store_begin(db, 1);
	if (rc != STORE_OK)
		return rc;
	int64_t version = 0;
	rc = store_get_int(db, "SELECT version FROM tickets WHERE id = $1",
	                   STORE_PARAMS(SP_I(t->id)), &version);
	if (rc != STORE_OK)
		goto out;
	if (version != expected_version) {
		*stale = 1;
		*new_version = version;
		store_rollback(db);
		return STORE_OK;
	}
	if ((v = json_object_get(in, "assignee_id")) != NULL && !json_is_null(v)) {
		int64_t n = 0;
		rc = store_get_int(db,
		                   "SELECT COUNT(*) FROM users WHERE id = $1 AND active = 1 "
		                   "AND role IN ('consultant', 'project_manager')",
		                   STORE_PARAMS(SP_I(json_integer_value(v))), &n);
		if (rc == STORE_OK && n == 0)
			rc = store_fail(db, STORE_CONSTRAINT,
			                "assignee_id: no active consultant %lld",
			                (long long)json_integer_value(v));
	}
	if (rc == STORE_OK && (v = json_object_get(in, "product_id")) != NULL &&
	    !json_is_null(v)) {
		int64_t n = 0;
		rc = store_get_int(db,
		                   "SELECT COUNT(*) FROM products WHERE id = $1 AND "
		                   "client_id = $2",
		                   STORE_PARAMS(SP_I(json_integer_value(v)),
		                                SP_I(t->client_id)),
		                   &n);
		if (rc == STORE_OK && n == 0)
			rc = store_fail(db, STORE_CONSTRAINT,
			                "product_id: not a product of the ticket's client");
	}
	json_t *a = json_object_get(in, "assignee_id");
	json_t *p = json_object_get(in, "product_id");
	json_t *c = json_object_get(in, "category");
	json_t *s = json_object_get(in, "subject");
	if (rc == STORE_OK)
		rc = store_exec(
		    db,
		    "UPDATE tickets SET "
		    "assignee_id = CASE WHEN $1 = 1 THEN CAST($2 AS BIGINT) "
		    "  ELSE assignee_id END, "
		    "state = CASE WHEN $1 = 1 AND CAST($2 AS BIGINT) IS NOT NULL AND "
		    "  state = 'new' THEN 'assigned' ELSE state END, "
		    "product_id = CASE WHEN $3 = 1 THEN CAST($4 AS BIGINT) "
		    "  ELSE product_id END, "
		    "category = COALESCE(CAST($5 AS TEXT), category), "
		    "subject = COALESCE(CAST($6 AS TEXT), subject), "
		    "updated_at = $7, version = version + 1 WHERE id = $8",
		    STORE_PARAMS(SP_I(a != NULL),
		                 a ? SP_ID(json_integer_value(a)) : SP_NULL,
		                 SP_I(p != NULL),
		                 p ? SP_ID(json_integer_value(p)) : SP_NULL,
		                 SP_T(json_string_value(c)), SP_T(json_string_value(s)),
		                 SP_I(now), SP_I(t->id)));
	if (rc == STORE_OK) {
		json_t *detail = json_object();
		const char *k;
		json_object_foreach(in, k, v)
			json_object_set(detail, k, v);
		rc = audit_record(db, who, t->id, "ticket.update", detail, now);
	}
	if (rc == STORE_OK)
		rc = store_commit(db);
	if (rc == STORE_OK)
		*new_version = version + 1;
out:
	if (rc != STORE_OK)
		store_rollback(db);
	return rc;
}
