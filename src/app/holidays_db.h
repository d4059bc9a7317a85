/*
 * holidays_db.h - holidays an administrator imported (table holidays).
 *
 * These add to the policy's built-in set. Importing replaces nothing: a
 * day already known keeps its name. A new day moves the deadline of
 * every open ticket whose response clock runs over it (R6): the import,
 * the new deadlines (tcmd_recompute_due, one audit event per ticket
 * moved) and the import's audit event (days, added, tickets_moved)
 * commit together.
 *
 * SECURITY: the list comes from an uploaded .ics (untrusted, already
 * parsed by holidays_ics_parse); names are bound only.
 */
#ifndef SOPORTE_APP_HOLIDAYS_DB_H
#define SOPORTE_APP_HOLIDAYS_DB_H

#include "app/audit.h"
#include "app/holidays_ics.h"
#include "core/policy.h"
#include "store/store.h"

#include <jansson.h>

/* Adds the days of l that are not there yet and recomputes the open
 * tickets' deadlines with pol's calendar plus every imported day; *added
 * and *moved say how many days and tickets. STORE_ERROR when that
 * calendar cannot be built (nothing imported). */
enum store_rc holidays_import(struct store *db, const struct policy *pol,
                              const struct holiday_list *l, struct actor who,
                              int64_t now, int *added, int *moved);
/* Appends the imported holidays of year to arr as {date, name, source}. */
enum store_rc holidays_db_json(struct store *db, int year, json_t *arr);

/* Appends every imported holiday to l (names copied). */
enum store_rc holidays_db_load(struct store *db, struct holiday_list *l);
/* A number that changes whenever holidays are imported (imports only
 * add days, so their count). */
enum store_rc holidays_db_version(struct store *db, int64_t *version);

#endif
