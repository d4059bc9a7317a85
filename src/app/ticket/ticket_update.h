/*
 * ticket_update.h - the few ticket fields staff may set directly
 * (category, product, subject), under optimistic locking, in a
 * transaction of its own. Lifecycle changes are ticket_cmds.h.
 */
#ifndef SOPORTE_APP_TICKET_UPDATE_H
#define SOPORTE_APP_TICKET_UPDATE_H

#include "app/base/audit.h"
#include "app/ticket/ticket_query.h"
#include "store/store.h"

#include <jansson.h>
#include <stdint.h>

/* Staff edits: the keys "category", "product_id" (integer or null) and
 * "subject" in in (the assignee changes only through the lifecycle's
 * ASSIGN command, ticket_cmds.h). When the ticket's version is not
 * expected_version (TICKET_EDIT_STALE) or the ticket is closed
 * (TICKET_EDIT_CLOSED) nothing changes (STORE_OK returned).
 * *new_version receives the version after (or the current one). */
enum ticket_edit { TICKET_EDITED, TICKET_EDIT_STALE, TICKET_EDIT_CLOSED };
enum store_rc ticket_update(struct store *db, const struct ticket_ref *t,
                            int64_t expected_version, json_t *in,
                            struct actor who, int64_t now,
                            enum ticket_edit *outcome, int64_t *new_version);

#endif
