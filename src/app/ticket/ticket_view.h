/*
 * ticket_view.h - tickets as JSON, for the CLI and the API alike.
 *
 * The JSON keys are the API's: times are ISO-8601 UTC ("...Z") and, where
 * a person reads them, also Lima-local "dd/mm/aaaa HH:MM" (_local keys)
 * when a calendar is given. The caller owns the returned json_t.
 */
#ifndef SOPORTE_APP_TICKET_VIEW_H
#define SOPORTE_APP_TICKET_VIEW_H

#include "app/base/json_rows.h"
#include "store/store.h"

#include <jansson.h>
#include <stdint.h>

struct calendar;

/* The columns and joins of one ticket row, for queries that list tickets
 * the same way (the API's filtered list). */
#define TICKET_COLUMNS                                                     \
	"t.id, t.number, t.state, t.severity, t.subject, c.domain, c.name, "   \
	"u.name, t.created_at, t.response_due_at, t.first_response_at, "       \
	"t.close_reason, t.category, t.coverage, t.entitlement, "              \
	"t.escalation_level, ct.email, p.name, t.updated_at, t.version, "      \
	"t.entitlement_reason, t.response_met, t.closed_at, t.channel, "       \
	"t.reopened, t.client_id, t.assignee_id, t.waiting_since, "           \
	"t.solved_at, t.first_response_business_s, "                         \
	"CASE WHEN EXISTS (SELECT 1 FROM pauses x WHERE x.ticket_id = t.id) " \
	"THEN 1 ELSE 0 END, t.client_replied_at, " TICKET_RAISED ", "         \
	"t.severity_confirmed_at, "                                           \
	"t.triage_severity, t.triage_reasons, "                               \
	"(SELECT CASE t.severity WHEN 1 THEN v.response_s1 WHEN 2 THEN "       \
	"v.response_s2 WHEN 3 THEN v.response_s3 ELSE v.response_s4 END "      \
	"FROM policy_versions v WHERE v.id = t.policy_version_id), "          \
	"t.cause, t.charge, ct.phone, "                                        \
	"(SELECT s.number FROM tickets s WHERE s.id = t.merged_into), "       \
	"t.triage_category, t.triage_severity_confidence, "                   \
	"t.triage_category_confidence, t.triage_model_version, "             \
	"t.triage_flagged, t.category_confirmed_at "

/* 1 when the client asked to raise the priority (R7): with the Project
 * Manager's level, what makes a ticket "escalated". */
#define TICKET_RAISED                                                      \
	"CASE WHEN EXISTS (SELECT 1 FROM escalations x WHERE x.ticket_id = "   \
	"t.id AND x.kind = 'raise_priority') THEN 1 ELSE 0 END"

/* What TICKET_COLUMNS reads besides tickets t (a query may join t to
 * something first). */
#define TICKET_JOINS                                                       \
	"LEFT JOIN clients c ON c.id = t.client_id "                           \
	"LEFT JOIN users u ON u.id = t.assignee_id "                           \
	"LEFT JOIN contacts ct ON ct.id = t.contact_id "                       \
	"LEFT JOIN products p ON p.id = t.product_id "

#define TICKET_FROM "FROM tickets t " TICKET_JOINS

/* One row selected with TICKET_COLUMNS as a JSON object (caller owns). */
json_t *ticket_row_json(struct store_rows *r, const struct calendar *cal);

/*
 * The response clock (R6) of a ticket as the API shows it: the "sla"
 * object, computed with the pure core (sla_status over the ticket's
 * pauses and the business calendar) at `now`:
 *   status       ok | at_risk | breached | met | paused
 *   target_s     the severity's response time, business seconds, in
 *                the policy version the ticket was opened under (R12)
 *   used_business_s, remaining_business_s (negative once overdue)
 *   due_at(_local)  the deadline (null while an open pause holds it)
 *   running      the clock counts right now: no response yet, not
 *                closed, not paused, inside business hours
 *   as_of        the instant the numbers are for
 * After the first response the numbers are the response's (stored when
 * it happened); while the ticket waits on the client the status is
 * "paused". A closed ticket never answered shows the clock at its close.
 */
struct ticket_clock {
	struct store *db;           /* for the ticket's pauses */
	const struct calendar *cal;
	const struct policy *pol;   /* NULL: no "sla" object */
	int64_t now;
};

/* Adds "sla" to ticket o, read from its row r (TICKET_COLUMNS); with
 * pauses_too also "pauses" (the waiting episodes, for the timeline).
 * Pauses are loaded only when the row says there are some and they
 * matter. Adds nothing without a policy and a calendar. Returns STORE_OK
 * or the store's error. */
enum store_rc ticket_clock_add(json_t *o, struct store_rows *r,
                               const struct ticket_clock *k, int pauses_too);

struct ticket_filter {
	const char *state;      /* NULL: any */
	const char *client;     /* domain, NULL: any */
	int severity;           /* 0: any */
	int limit;              /* 0: 1000 */
};

/* The tickets matching f, sorted by response deadline, as a JSON array in
 * *out. Returns STORE_OK or the store's error. */
enum store_rc ticket_list_json(struct store *db, const struct calendar *cal,
                               const struct ticket_filter *f, json_t **out);
/* Ticket number n with its messages and attachments in *out; STORE_NOTFOUND
 * when there is no such ticket. */
enum store_rc ticket_show_json(struct store *db, const struct calendar *cal,
                               int64_t number, json_t **out);

#endif
