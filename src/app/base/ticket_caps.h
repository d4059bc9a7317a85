/*
 * ticket_caps.h - how much one ticket may hold: the policy's [limits]
 * max_secrets_per_ticket, max_attachments_per_ticket and
 * max_notes_per_ticket, so that no ticket (nor its lists) grows without
 * bound. The commands that add such things ask here inside their own
 * transaction, before they write.
 */
#ifndef SOPORTE_APP_TICKET_CAPS_H
#define SOPORTE_APP_TICKET_CAPS_H

#include "store/store.h"

#include <stdint.h>

enum ticket_cap {
	CAP_SECRETS,   /* credentials of the ticket (or of product_id) */
	CAP_FILES,     /* attachments on its messages and uploads waiting */
	CAP_NOTES,     /* internal notes */
};

/* STORE_OK when the ticket (for CAP_SECRETS with ticket_id 0: the
 * product) holds fewer than limit (limit <= 0: no limit); when it is
 * full, *full = 1 and STORE_CONSTRAINT with a message that names the
 * limit and its policy key. Other results are the store's. */
enum store_rc ticket_cap_check(struct store *db, enum ticket_cap cap,
                               int64_t ticket_id, int64_t product_id,
                               int limit, int *full);

#endif
