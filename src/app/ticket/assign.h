/*
 * assign.h - who gets a new ticket.
 *
 * A client pinned to a consultant (table client_pins) gets that
 * consultant while they are active and on duty. Otherwise the ticket
 * goes to the active, on-duty consultant with the least open work
 * (tickets assigned to them that are not closed nor waiting for a
 * renewal); ties go round robin: the tied consultant after the one who
 * got the last tie (by user id, wrapping), remembered in the counter row
 * 'assign_rr'. Runs inside the caller's transaction.
 */
#ifndef SOPORTE_APP_ASSIGN_H
#define SOPORTE_APP_ASSIGN_H

#include "store/store.h"

#include <stdint.h>

/* *user_id gets the consultant, or 0 when nobody is on duty; *pinned is
 * set to 1 when the pin decided. Returns the store's result. */
enum store_rc assign_pick(struct store *db, int64_t client_id,
                          int64_t *user_id, int *pinned);

#endif
