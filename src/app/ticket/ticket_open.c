/*
 * ticket_open.c - opening a ticket (see ticket_open.h).
 */
#include "app/ticket/ticket_open.h"
#include "app/config/policy_version.h"
#include "app/ticket/ticket_triage.h"
#include "core/sla.h"
#include "util/timefmt.h"

#include <string.h>

enum store_rc
ticket_open(struct store *db, const struct policy *pol,
            const struct calendar *cal, const struct ticket_request *req,
            int64_t now, int64_t *ticket_id, int64_t *number)
{
	struct sla_clock clock;
	int64_t due = 0, version_id = 0, targets[POLICY_SEVERITIES];
	if (req->channel && strcmp(req->channel, "email") != 0 &&
	    (req->channel_reason == NULL || req->channel_reason[0] == '\0'))
		return store_fail(db, STORE_ERROR,
		                  "R1: a ticket is opened only by e-mail; opening it "
		                  "by %s needs the reason (e.g. the client's e-mail "
		                  "is the failing service)",
		                  req->channel);
	if (req->severity < 1 || req->severity > POLICY_SEVERITIES)
		return store_fail(db, STORE_ERROR, "severity %d has no target",
		                  req->severity);
	/* R12: the version in force on the day it was reported, whose
	 * targets its clock keeps. */
	int64_t local = req->reported_at + calendar_utc_offset(cal, req->reported_at);
	char day[ISO_DATE_LEN];
	iso_date_format((local >= 0 ? local : local - 86399) / 86400, day);
	enum store_rc rc = policy_version_in_force(db, pol, day, now, &version_id,
	                                           targets);
	if (rc != STORE_OK)
		return rc;
	if (sla_clock_target(&clock, targets[req->severity - 1], req->reported_at,
	                     NULL, 0) != SLA_OK ||
	    sla_due(cal, &clock, &due) != SLA_OK)
		return store_fail(db, STORE_ERROR,
		                  "severity %d or report time outside the calendar",
		                  req->severity);
	rc = store_get_int(db,
	                   "UPDATE counters SET value = value + 1 "
	                   "WHERE name = 'ticket' RETURNING value",
	                   STORE_NO_PARAMS, number);
	if (rc != STORE_OK)
		return rc;
	int staff = req->actor.kind == ACTOR_USER && req->actor.id > 0;
	rc = store_get_int(
	    db,
	    "INSERT INTO tickets (number, client_id, contact_id, product_id, "
	    "policy_version_id, subject, severity, category, state, assignee_id, "
	    "channel, channel_reason, created_at, response_due_at, updated_at, "
	    "severity_confirmed_at, severity_confirmed_by) VALUES ($1, $2, $3, "
	    "$4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17) "
	    "RETURNING id",
	    STORE_PARAMS(SP_I(*number), SP_ID(req->client_id), SP_ID(req->contact_id),
	                 SP_ID(req->product_id), SP_I(version_id),
	                 SP_T(req->subject), SP_I(req->severity),
	                 SP_T(req->category ? req->category : "incident"),
	                 SP_T(req->assignee_id > 0 ? "assigned" : "new"),
	                 SP_ID(req->assignee_id),
	                 SP_T(req->channel ? req->channel : "email"),
	                 SP_T(req->channel_reason), SP_I(req->reported_at),
	                 SP_I(due), SP_I(now),
	                 staff ? SP_I(now) : SP_NULL,
	                 staff ? SP_I(req->actor.id) : SP_NULL),
	    ticket_id);
	if (rc != STORE_OK)
		return rc;
	/* Issue 17: the model's proposal, whoever opens the ticket. */
	struct triage_result tri;
	if (req->triage == NULL) {
		struct triage_input in = {.subject = req->subject, .body = req->body};
		rc = ticket_triage_classify(db, pol, &in, &tri);
	}
	if (rc == STORE_OK)
		rc = ticket_triage_record(db, *ticket_id,
		                          req->triage ? req->triage : &tri);
	if (rc != STORE_OK)
		return rc;
	rc = store_exec(db,
	                "INSERT INTO messages (ticket_id, raw_id, kind, contact_id, "
	                "message_id, from_addr, subject, body_text, body_html, "
	                "body_display, in_reply_to, created_at) VALUES ($1, $2, "
	                "'in', $3, $4, $5, $6, $7, $8, $9, $10, $11)",
	                STORE_PARAMS(SP_I(*ticket_id), SP_ID(req->raw_id),
	                             SP_ID(req->contact_id), SP_T(req->message_id),
	                             SP_T(req->from_addr), SP_T(req->subject),
	                             SP_T(req->body ? req->body : ""),
	                             SP_T(req->body_html), SP_T(req->body_display),
	                             SP_T(req->in_reply_to),
	                             SP_I(req->reported_at)));
	if (rc != STORE_OK)
		return rc;
	json_t *detail = json_pack("{s:I, s:i, s:s}", "number", (json_int_t)*number,
	                           "severity", req->severity, "channel",
	                           req->channel ? req->channel : "email");
	return audit_record(db, req->actor, *ticket_id, "ticket.opened", detail,
	                    now);
}
