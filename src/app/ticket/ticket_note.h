/*
 * ticket_note.h - internal notes: staff words on a ticket that the client
 * never sees (not in the portal, not in mail, not in a client's search).
 *
 * A note changes nothing of the ticket's lifecycle (no state, no clock,
 * no mail), so it is not a workflow command; it is a message of kind
 * 'note' and an audit event, in one transaction. With expected_version
 * > 0 the note is refused as stale (nothing written) when the ticket's
 * version differs, like every write the API guards with If-Match.
 *
 * SECURITY: the body is untrusted staff text, bound only.
 */
#ifndef SOPORTE_APP_TICKET_NOTE_H
#define SOPORTE_APP_TICKET_NOTE_H

#include "app/base/audit.h"
#include "store/store.h"

#include <stddef.h>
#include <stdint.h>

/* STORE_OK with *message_id, or *stale set (STORE_OK, nothing written);
 * STORE_NOTFOUND when there is no such ticket, or when uploads[0..n)
 * are not files the author uploaded to it (app/ticket/uploads.h), which become
 * the note's attachments. */
enum store_rc ticket_note_add(struct store *db, int64_t ticket_id,
                              int64_t author_user_id, const char *body,
                              const int64_t *uploads, size_t nuploads,
                              int64_t expected_version, int64_t now,
                              int64_t *message_id, int *stale);

#endif
