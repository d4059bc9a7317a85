/*
 * ticket_update.h - the few ticket fields staff may set directly
 * (assignee, category, product, subject), under optimistic locking, in a
 * transaction of its own. Lifecycle changes are ticket_cmds.h.
 */
#ifndef SOPORTE_APP_TICKET_UPDATE_H
#define SOPORTE_APP_TICKET_UPDATE_H

#include "app/base/audit.h"
#include "app/ticket/ticket_query.h"
#include "store/store.h"

#include <jansson.h>
#include <stdint.h>

/* Staff edits: the keys "assignee_id" (integer or null), "category",
 * "product_id" (integer or null), "subject" in in. When the ticket's
 * version is not expected_version nothing changes and *stale is set
 * (STORE_OK returned). *new_version receives the version after. */
enum store_rc ticket_update(struct store *db, const struct ticket_ref *t,
                            int64_t expected_version, json_t *in,
                            struct actor who, int64_t now, int *stale,
                            int64_t *new_version);

#endif
