/*
 * audit.c - the audit trail (see audit.h).
 */
#include "app/base/audit.h"
#include "app/base/json_rows.h"

#include <stdlib.h>

enum store_rc
audit_record(struct store *db, struct actor who, int64_t ticket_id,
             const char *action, json_t *detail, int64_t now)
{
	static const char *const kinds[] = {"system", "user", "contact"};
	char *text = detail ? json_dumps(detail, JSON_COMPACT | JSON_SORT_KEYS)
	                    : NULL;
	json_decref(detail);
	enum store_rc rc = store_exec(
	    db,
	    "INSERT INTO audit_events (at, actor_kind, actor_user_id, "
	    "actor_contact_id, ticket_id, action, detail) "
	    "VALUES ($1, $2, $3, $4, $5, $6, $7)",
	    STORE_PARAMS(SP_I(now), SP_T(kinds[who.kind]),
	                 who.kind == ACTOR_USER ? SP_ID(who.id) : SP_NULL,
	                 who.kind == ACTOR_CONTACT ? SP_ID(who.id) : SP_NULL,
	                 SP_ID(ticket_id), SP_T(action), SP_T(text ? text : "{}")));
	free(text);
	/* The live queue's event (GET /api/events), in the same
	 * transaction: every change to a ticket is worth a look. */
	if (rc == STORE_OK && ticket_id > 0)
		rc = store_exec(db,
		                "INSERT INTO live_events (at, ticket_id, action, "
		                "actor_user_id) VALUES ($1, $2, $3, $4)",
		                STORE_PARAMS(SP_I(now), SP_I(ticket_id), SP_T(action),
		                             who.kind == ACTOR_USER ? SP_ID(who.id)
		                                                    : SP_NULL));
	return rc;
}

enum store_rc
audit_list_json(struct store *db, int64_t ticket_id, int64_t before_id,
                int limit, json_t **out)
{
	struct store_rows *r;
	*out = NULL;
	enum store_rc rc = store_query(
	    db,
	    "SELECT e.id, e.at, e.actor_kind, u.name, e.actor_contact_id, "
	    "t.number, e.action, e.detail FROM audit_events e "
	    "LEFT JOIN users u ON u.id = e.actor_user_id "
	    "LEFT JOIN tickets t ON t.id = e.ticket_id "
	    "WHERE ($1 = 0 OR e.ticket_id = $1) AND ($2 = 0 OR e.id < $2) "
	    "ORDER BY e.id DESC LIMIT $3",
	    STORE_PARAMS(SP_I(ticket_id), SP_I(before_id), SP_I(limit)), &r);
	if (rc != STORE_OK)
		return rc;
	static const char *const keys[] = {
		"#id", "@at", "actor_kind", "actor", "#actor_contact_id", "#ticket",
		"action",
	};
	json_t *arr = json_array();
	while ((rc = store_next(r)) == STORE_ROW) {
		json_t *o = json_row_object(r, NULL, keys, 7);
		json_t *d = json_loads(store_text(r, 7), 0, NULL);
		json_object_set_new(o, "detail", d ? d : json_object());
		json_array_append_new(arr, o);
	}
	store_done(r);
	if (rc != STORE_DONE) {
		json_decref(arr);
		return rc;
	}
	*out = arr;
	return STORE_OK;
}
