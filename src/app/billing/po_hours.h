/*
 * po_hours.h - per-event work and its purchase orders (R8), on the store.
 *
 * "Se requiere de una orden de compra para su realización": a per-event
 * ticket is worked on a purchase order. The core decides (perevent.h);
 * this module loads and records:
 *
 *   po_hours()        what an order has paid for (its hours plus the
 *                     Project Manager's extensions) and what the entries
 *                     charged to it bill, with or without one entry more;
 *   po_on_file()      the client's oldest order with hours left: a PO on
 *                     file is enough to open work on a per-event ticket;
 *   po_override()     a Project Manager extends an order on purpose (the
 *                     hours, the reason; audited "po.override"): the only
 *                     way time beyond an order is logged on it;
 *   po_request()      the desk asks the client for an order by mail
 *                     (template po_request: the 1-hour event, the update's
 *                     3-hour minimum, the contract's hourly rate): the
 *                     ticket waits on the client, its clock paused;
 *   ticket_route()    after the cause decided the coverage (ticket_set_
 *                     cause()): not covered -> renewal required (R3, the
 *                     client and the renewals area told); per event and
 *                     no order on file -> po_request(); else nothing.
 *
 * Refusals are APP_REFUSED with the reason in store_errmsg(), changing
 * nothing.
 */
#ifndef SOPORTE_APP_PO_HOURS_H
#define SOPORTE_APP_PO_HOURS_H

#include "app/base/app_rc.h"
#include "app/base/audit.h"
#include "core/calendar.h"
#include "core/coverage.h"
#include "core/hourbank.h"
#include "core/perevent.h"
#include "core/policy.h"
#include "store/store.h"

#include <stdint.h>

struct po_use {
	int64_t paid_s;          /* the order's hours plus its extensions */
	int64_t billed_s;        /* what its entries bill (with extra, if any) */
	int64_t left_s;          /* max(0, paid - billed) */
	enum pe_po check;        /* fits, full (warn) or over */
};

/* The use of order po_id; extra (may be NULL) is one entry not recorded
 * yet, charged to it. */
enum app_rc po_hours(struct store *db, const struct policy *pol,
                     int64_t po_id, const struct hb_entry *extra,
                     struct po_use *out);

/* The client's oldest order (by issue day) with hours left: *po_id and
 * number, or *po_id 0 when it has none. */
enum app_rc po_on_file(struct store *db, const struct policy *pol,
                       int64_t client_id, int64_t *po_id,
                       char number[POLICY_KEY_MAX]);

/* A Project Manager (pm_email, role project_manager) extends an order by
 * hours_s for reason (required, UTF-8 text): order po_id when > 0, else
 * client's (a domain) order number. */
enum app_rc po_override(struct store *db, const struct policy *pol,
                        int64_t po_id, const char *client,
                        const char *number, int64_t hours_s,
                        const char *reason, const char *pm_email,
                        int64_t now, struct po_use *out);

/* Staff (staff_email, who may put the ticket on hold: its assignee, a PM
 * or an admin) ask the client of ticket number for a purchase order;
 * note (may be NULL) goes in the mail. Refused when the ticket is not
 * per-event work. */
enum app_rc po_request(struct store *db, const struct policy *pol,
                       const struct calendar *cal, int64_t number,
                       const char *note, const char *staff_email,
                       int64_t now);

/* Inside the caller's transaction: routes ticket number, whose coverage
 * was just decided as charge (contract: its per-event contract's rate,
 * 0 when none), on behalf of staff user who. *route gets the route
 * taken. */
enum app_rc ticket_route(struct store *db, const struct policy *pol,
                         const struct calendar *cal, int64_t number,
                         enum charge charge, int64_t rate_cents,
                         struct actor who, int64_t now, enum pe_route *route);

#endif
