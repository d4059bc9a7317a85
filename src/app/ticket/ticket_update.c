/*
 * ticket_update.c - staff's direct edits of a ticket's fields (see
 * ticket_update.h).
 */
#include "app/ticket/ticket_update.h"

#include <string.h>

enum store_rc
ticket_update(struct store *db, const struct ticket_ref *t,
              int64_t expected_version, json_t *in, struct actor who,
              int64_t now, enum ticket_edit *outcome, int64_t *new_version)
{
	*outcome = TICKET_EDITED;
	*new_version = t->version;
	json_t *v;
	struct store_rows *r;
	enum store_rc rc = store_begin(db, 1);
	if (rc != STORE_OK)
		return rc;
	int64_t version = 0;
	int closed = 0;
	rc = store_query(db, "SELECT version, state FROM tickets WHERE id = $1",
	                 STORE_PARAMS(SP_I(t->id)), &r);
	if (rc != STORE_OK)
		goto out;
	if ((rc = store_next(r)) == STORE_ROW) {
		version = store_int(r, 0);
		closed = strcmp(store_text(r, 1), "closed") == 0;
		rc = STORE_OK;
	} else if (rc == STORE_DONE) {
		rc = STORE_NOTFOUND;
	}
	store_done(r);
	if (rc != STORE_OK)
		goto out;
	if (version != expected_version || closed) {
		*outcome = closed ? TICKET_EDIT_CLOSED : TICKET_EDIT_STALE;
		*new_version = version;
		store_rollback(db);
		return STORE_OK;
	}
	if ((v = json_object_get(in, "product_id")) != NULL && !json_is_null(v)) {
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
	json_t *p = json_object_get(in, "product_id");
	json_t *c = json_object_get(in, "category");
	json_t *s = json_object_get(in, "subject");
	if (rc == STORE_OK)
		rc = store_exec(
		    db,
		    "UPDATE tickets SET "
		    "product_id = CASE WHEN $1 = 1 THEN CAST($2 AS BIGINT) "
		    "  ELSE product_id END, "
		    "category = COALESCE(CAST($3 AS TEXT), category), "
		    "category_confirmed_at = CASE WHEN $3 IS NULL THEN "
		    "category_confirmed_at ELSE $5 END, "
		    "subject = COALESCE(CAST($4 AS TEXT), subject), "
		    "updated_at = $5, version = version + 1 WHERE id = $6",
		    STORE_PARAMS(SP_I(p != NULL),
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
