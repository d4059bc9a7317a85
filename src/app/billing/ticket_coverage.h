/*
 * ticket_coverage.h - who pays for a ticket (R3, R4, R5), on the store.
 *
 * The core decides (entitle.h, coverage.h); this module loads what it
 * needs and records the answer:
 *
 *   ticket_set_cause()  the consultant names the cause (defect, misuse,
 *                       third_party_change, question) and, when mail
 *                       intake could not tell, the product; entitlement
 *                       and coverage are decided again for the day the
 *                       ticket was reported and stored on the ticket.
 *   ticket_exclude()    R5: the ticket is training, a third-party product
 *                       or business consulting. It is closed through the
 *                       ticket lifecycle (ticket_cmds.h: the close command
 *                       with reason 'excluded', so the state machine
 *                       decides, timers are cancelled and the closing
 *                       mail goes out) with the policy's reason (and, for
 *                       consulting, the offer of the consulting service)
 *                       as the text the client reads; then the category
 *                       and the charge 'excluded' are recorded, all in one
 *                       transaction with an audit event.
 *
 * ticket_work_coverage() is the rule the hour bank uses for each time
 * entry: a ticket reported inside the warranty and free under it stays
 * free however long the work takes ("eventos que surjan después del
 * periodo de garantía" are the charged ones); any other ticket is charged
 * by what holds on the day of the work (the contract valid that day).
 */
#ifndef SOPORTE_APP_TICKET_COVERAGE_H
#define SOPORTE_APP_TICKET_COVERAGE_H

#include "app/base/app_rc.h"
#include "app/base/audit.h"
#include "core/calendar.h"
#include "core/client.h"
#include "core/coverage.h"
#include "core/perevent.h"
#include "core/policy.h"
#include "store/store.h"

#include <stdbool.h>
#include <stdint.h>

struct ticket_info {
	int64_t id;
	int64_t number;
	int64_t client_id;
	int64_t contact_id;          /* 0: none */
	int64_t product_id;          /* 0: not known yet */
	int64_t purchase_order_id;   /* 0: none */
	int64_t assignee_id;         /* 0: none */
	int64_t created_at;          /* the report time (UTC) */
	bool cause_set;
	enum cause cause;
	char state[24];
	char close_reason[24];
	char subject[256];
	char client_domain[256];
};

/* Loads ticket number; APP_REFUSED "there is no ticket #000123". */
enum app_rc ticket_info_load(struct store *db, int64_t number,
                             struct ticket_info *out);

/* The civil day in the policy's time zone of instant t. */
int64_t local_day_of(const struct calendar *cal, int64_t t);

/*
 * Decides the coverage of work done on work_day for ticket t, whose cause
 * is cause (see above). Fills *ent (the entitlement it rests on) and
 * *cov; cov->contract indexes facts->contracts.
 */
void ticket_work_coverage(const struct policy *pol,
                          const struct client_facts *facts,
                          const struct ticket_info *t,
                          const struct calendar *cal, enum cause cause,
                          int64_t work_day, struct entitlement *ent,
                          struct coverage *cov);

/* Sets the cause of ticket number (and its product when product is not
 * NULL: a product name of the ticket's client) and stores the coverage
 * decided for it; *cov (may be NULL) gets it. Then the ticket is routed
 * (po_hours.h, ticket_route(): R3 renewal when not covered, R8 waiting
 * for a purchase order when per event without one), in the same
 * transaction; *route (may be NULL) gets where it went. */
enum app_rc ticket_set_cause(struct store *db, const struct policy *pol,
                             const struct calendar *cal, int64_t number,
                             enum cause cause, const char *product,
                             struct actor who, int64_t now,
                             struct coverage *cov, enum pe_route *route);

/* Closes ticket number as excluded (category: CATEGORY_TRAINING,
 * CATEGORY_THIRD_PARTY_PRODUCT or CATEGORY_BUSINESS_CONSULTING) on behalf
 * of staff_email, the client mailed the reason; *cov (may be NULL) gets
 * the texts. Refused when the ticket is already closed, the policy has no
 * such exclusion, or the lifecycle says no (a consultant who is not the
 * assignee, ...). note (may be NULL) is kept on the ticket for staff. */
enum app_rc ticket_exclude(struct store *db, const struct policy *pol,
                           const struct calendar *cal, int64_t number,
                           enum category category, const char *note,
                           const char *staff_email, int64_t now,
                           struct coverage *cov);

/* The staff account with this e-mail as an actor: APP_OK, or
 * APP_REFUSED for an unknown, inactive or client account. */
enum app_rc staff_actor(struct store *db, const char *email,
                        struct actor *out);


#endif
