/*
 * live_events.c - the live queue's events, read back (see live_events.h).
 */
#include "app/ticket/live_events.h"

#include <stdio.h>
#include <string.h>

enum store_rc
live_events_since(struct store *db, int64_t after, struct live_event *out,
                  int max, int *n)
{
	struct store_rows *r;
	*n = 0;
	enum store_rc rc = store_query(
	    db,
	    "SELECT e.id, e.at, t.number, t.client_id, t.assignee_id, "
	    "t.severity, e.action, t.state, e.actor_user_id FROM live_events e "
	    "JOIN tickets t ON t.id = e.ticket_id WHERE e.id > $1 "
	    "ORDER BY e.id LIMIT $2",
	    STORE_PARAMS(SP_I(after), SP_I(max)), &r);
	if (rc != STORE_OK)
		return rc;
	while (*n < max && (rc = store_next(r)) == STORE_ROW) {
		struct live_event *e = &out[(*n)++];
		e->id = store_int(r, 0);
		e->at = store_int(r, 1);
		e->number = store_int(r, 2);
		e->client_id = store_int(r, 3);
		e->assignee_id = store_int(r, 4);
		e->severity = (int)store_int(r, 5);
		snprintf(e->action, sizeof e->action, "%s", store_text(r, 6));
		snprintf(e->state, sizeof e->state, "%s", store_text(r, 7));
		e->actor_user_id = store_int(r, 8);
	}
	store_done(r);
	return rc == STORE_DONE || rc == STORE_ROW ? STORE_OK : rc;
}

enum store_rc
live_events_last(struct store *db, int64_t *id)
{
	struct store_rows *r;
	*id = 0;
	enum store_rc rc = store_query(
	    db, "SELECT COALESCE(MAX(id), 0) FROM live_events", NULL, 0, &r);
	if (rc != STORE_OK)
		return rc;
	rc = store_next(r);
	if (rc == STORE_ROW)
		*id = store_int(r, 0);
	store_done(r);
	return rc == STORE_ROW ? STORE_OK : rc;
}

enum store_rc
live_events_prune(struct store *db, int64_t before)
{
	/* The newest stays, whatever its age: on SQLite a table's ids go on
	 * from its largest, and a stream's cursor must keep meaning "after
	 * this one". */
	return store_exec(db,
	                  "DELETE FROM live_events WHERE at < $1 AND id < "
	                  "(SELECT MAX(id) FROM live_events)",
	                  STORE_PARAMS(SP_I(before)));
}

int
live_event_for_clients(const char *action)
{
	static const char *const seen[] = {
		"ticket.opened", "message.received", "ticket.replied",
		"ticket.first_response", "ticket.client_replied", "ticket.waiting",
		"ticket.resumed", "ticket.solved", "ticket.closed", "ticket.reopened",
		"ticket.severity_changed", "ticket.severity_confirmed",
		"ticket.renewal_required", "ticket.renewed", "ticket.excluded",
		"ticket.assigned", "ticket.reassigned",
	};
	for (size_t i = 0; i < sizeof seen / sizeof seen[0]; i++)
		if (strcmp(action, seen[i]) == 0)
			return 1;
	return 0;
}
