/*
 * holidays_db.h - holidays an administrator imported (table holidays).
 *
 * These add to the policy's built-in set. Importing replaces nothing: a
 * day already known keeps its name; an imported day (not the policy's
 * own) can be removed: app/ticket/holidays_change.h does both, since
 * a day that comes or goes moves open tickets' deadlines (R6).
 */
#ifndef SOPORTE_APP_HOLIDAYS_DB_H
#define SOPORTE_APP_HOLIDAYS_DB_H

#include "app/config/holidays_ics.h"
#include "store/store.h"

#include <jansson.h>

/* Appends the imported holidays of year to arr as {date, name, source}. */
enum store_rc holidays_db_json(struct store *db, int year, json_t *arr);

/* Appends every imported holiday to l (names copied). */
enum store_rc holidays_db_load(struct store *db, struct holiday_list *l);
/* A number that grows whenever the imported holidays change (a counter
 * bumped by triggers, migration 0150). */
enum store_rc holidays_db_version(struct store *db, int64_t *version);

#endif
