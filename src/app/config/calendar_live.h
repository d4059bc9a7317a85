/*
 * calendar_live.h - the business calendar a server shares between its
 * threads, rebuilt when holidays are imported.
 *
 * Request threads and the scheduler read the calendar all the time; an
 * import (POST /api/holidays/import, on this server or another sharing
 * the database) must move the deadlines they compute without a restart
 * (DESIGN.md R6: the response clock runs only in business hours, so a
 * new holiday moves every deadline across it). A reader takes a
 * reference to the calendar in force for one request or one scheduler
 * run (calendar_live_get/put); a refresh builds the new calendar aside
 * and swaps it in under the lock; the old one is freed when its last
 * reader lets go. No reader ever sees a calendar being built or freed.
 */
#ifndef SOPORTE_APP_CALENDAR_LIVE_H
#define SOPORTE_APP_CALENDAR_LIVE_H

#include "core/calendar.h"
#include "core/policy.h"
#include "store/store.h"

#include <stddef.h>
#include <stdint.h>

struct calendar_live;

/* One calendar and its readers; only cal is for the caller. */
struct calendar_ref {
	struct calendar *cal;
	int64_t version;          /* holidays_db_version() it was built at */
	int readers;              /* + 1 while it is the one in force */
};

/* Starts with cal (taken over; built from pol without imports). The
 * policy must outlive the returned object. NULL when out of memory. */
struct calendar_live *calendar_live_new(const struct policy *pol,
                                        struct calendar *cal);
/* The calendar in force, referenced until calendar_live_put(). */
struct calendar_ref *calendar_live_get(struct calendar_live *lc);
void calendar_live_put(struct calendar_live *lc, struct calendar_ref *ref);
/* Rebuilds from the policy and the holidays imported into db when they
 * changed since the calendar in force was built. Returns 0 (also when
 * nothing changed), or -1 with err (the calendar in force stays). */
int calendar_live_refresh(struct calendar_live *lc, struct store *db,
                          char *err, size_t errlen);
/* Builds pol's calendar with the holidays imported into db into *out;
 * *version receives holidays_db_version() as read first. 0, or -1 with
 * err. For processes that build their calendar once (the mail gate). */
int calendar_load_imported(const struct policy *pol, struct store *db,
                           struct calendar **out, int64_t *version,
                           char *err, size_t errlen);
/* Frees everything; no reader may hold a reference. */
void calendar_live_free(struct calendar_live *lc);

#endif
