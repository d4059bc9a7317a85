/*
 * holidays_change.h - an administrator imports or removes holidays.
 *
 * Imported days add to the policy's built-in set (app/config/holidays_db.h
 * stores them). A day that comes or goes moves the deadline of every open
 * ticket whose response clock runs over it (R6): the change, the new
 * deadlines (tcmd_recompute_due, one audit event per ticket moved) and the
 * change's audit event (holidays.import: days, added, tickets_moved;
 * holidays.remove: date, tickets_moved) commit together.
 *
 * SECURITY: the list comes from an uploaded .ics (untrusted, already
 * parsed by holidays_ics_parse); names are bound only.
 */
#ifndef SOPORTE_APP_HOLIDAYS_CHANGE_H
#define SOPORTE_APP_HOLIDAYS_CHANGE_H

#include "app/base/audit.h"
#include "app/config/holidays_ics.h"
#include "core/policy.h"
#include "store/store.h"

/* Adds the days of l that are not there yet and recomputes the open
 * tickets' deadlines with pol's calendar plus every imported day; *added
 * and *moved say how many days and tickets. STORE_ERROR when that
 * calendar cannot be built (nothing imported). */
enum store_rc holidays_import(struct store *db, const struct policy *pol,
                              const struct holiday_list *l, struct actor who,
                              int64_t now, int *added, int *moved);
/* Removes the imported holiday `day` (days since the epoch) and
 * recomputes the open tickets' deadlines as holidays_import does;
 * STORE_NOTFOUND when day is not an imported holiday. */
enum store_rc holidays_remove(struct store *db, const struct policy *pol,
                              int64_t day, struct actor who, int64_t now,
                              int *moved);
#endif
