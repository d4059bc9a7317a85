/*
 * audit.c - the audit trail (see audit.h).
 */
#include "app/base/audit.h"

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
	return rc;
}
