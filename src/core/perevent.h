/*
 * perevent.h - R8 per event: where a ticket goes when nobody pays yet, and
 * how many hours a purchase order has paid for.
 *
 * Policy text, section 2: "Por evento: ... pagará por cada evento de 1
 * hora ... Se requiere de una orden de compra para su realización. El
 * tiempo mínimo de una actualización tiene una duración de 3 horas."
 *
 *  - perevent_route(): once the coverage of a ticket is decided (the
 *    cause is known), a ticket not covered goes to "renewal required"
 *    (R3: the renewals area, the client told), a per-event ticket without
 *    a purchase order on file waits for one (the client is asked for it
 *    by mail, the clock paused), any other is worked.
 *  - perevent_po_billed(): what the entries charged to one purchase order
 *    bill, the way the per-event statement bills them (hourbank.h): each
 *    ticket is one event, at least event_min (1 h), or update_min (3 h)
 *    when any entry is an update; each entry, net of its corrections,
 *    rounded to the policy's step.
 *  - perevent_po_check(): a purchase order pays for its hours (plus what
 *    a Project Manager added on purpose, audited): the entry that would
 *    bill beyond them is refused (PE_PO_OVER), the one that uses the
 *    last of them is a warning (PE_PO_FULL).
 * Pure: no I/O, no clock.
 */
#ifndef SOPORTE_CORE_PEREVENT_H
#define SOPORTE_CORE_PEREVENT_H

#include "core/coverage.h"
#include "core/hourbank.h"
#include "core/policy.h"

#include <stdbool.h>
#include <stdint.h>

enum pe_route {
	PE_WORK,          /* covered: work goes on */
	PE_WAIT_PO,       /* per event, no purchase order on file: ask one */
	PE_RENEWAL,       /* not covered: renewal required (R3) */
};

/* Where a ticket whose coverage is charge goes; po_on_file: the client
 * has a purchase order with hours left, or the ticket has one. */
enum pe_route perevent_route(enum charge charge, bool po_on_file);
/* "work", "wait_purchase_order", "renewal_required". */
const char *perevent_route_name(enum pe_route r);

/*
 * Seconds billed by the entries of one purchase order (entries of other
 * orders must not be passed; corrections name the entry they correct,
 * which must be among them). Returns the seconds, or -1 when an entry is
 * not valid (a correction of an entry not given).
 */
int64_t perevent_po_billed(const struct policy *p,
                           const struct hb_entry *entries, int n);

enum pe_po {
	PE_PO_FITS,       /* hours left after it */
	PE_PO_FULL,       /* it uses the last of the order's hours: warn */
	PE_PO_OVER,       /* beyond the order: a new order or a PM override */
};

/* billed_after: what the order bills with the new entry; paid_s: its
 * hours plus the overrides. */
enum pe_po perevent_po_check(int64_t billed_after, int64_t paid_s);

#endif
