/*
 * ticket_note.c - internal notes (see ticket_note.h).
 *
 * SECURITY: the body is bound, never interpreted.
 */
#include "app/ticket/ticket_note.h"
#include "app/ticket/uploads.h"
#include "app/base/ticket_caps.h"

enum store_rc
ticket_note_add(struct store *db, int64_t ticket_id, int64_t author_user_id,
                const char *body, const int64_t *uploads, size_t nuploads,
                int64_t expected_version, int64_t now, int limit, int *full,
                int64_t *message_id, int *stale)
{
	int64_t version = 0;
	*stale = 0;
	*full = 0;
	enum store_rc rc = store_begin(db, 1);
	if (rc != STORE_OK)
		return rc;
	rc = store_get_int(db, "SELECT version FROM tickets WHERE id = $1",
	                   STORE_PARAMS(SP_I(ticket_id)), &version);
	if (rc == STORE_OK && expected_version > 0 && version != expected_version) {
		*stale = 1;
		store_rollback(db);
		return STORE_OK;
	}
	if (rc == STORE_OK)
		rc = ticket_cap_check(db, CAP_NOTES, ticket_id, 0, limit, full);
	if (rc == STORE_OK)
		rc = store_get_int(db,
		                   "INSERT INTO messages (ticket_id, kind, author_user_id, "
		                   "body_text, created_at) VALUES ($1, 'note', $2, $3, $4) "
		                   "RETURNING id",
		                   STORE_PARAMS(SP_I(ticket_id), SP_ID(author_user_id),
		                                SP_T(body), SP_I(now)),
		                   message_id);
	if (rc == STORE_OK)
		rc = uploads_attach(db, uploads, nuploads, ticket_id, author_user_id,
		                    *message_id);
	if (rc == STORE_OK)
		rc = audit_record(db, (struct actor){ACTOR_USER, author_user_id},
		                  ticket_id, "ticket.note",
		                  json_pack("{s:I}", "message_id",
		                            (json_int_t)*message_id),
		                  now);
	if (rc == STORE_OK)
		rc = store_commit(db);
	if (rc != STORE_OK)
		store_rollback(db);
	return rc;
}
