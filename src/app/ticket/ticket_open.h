/*
 * ticket_open.h - opening a ticket (R1, R2, R6): the one place it happens.
 *
 * ticket_open() takes the next ticket number, computes the response
 * deadline from the report time in business time, records the policy
 * version the ticket runs under, the first message and the audit event.
 * A severity given by staff (req->actor a user) is confirmed at opening;
 * one proposed from a client's mail stays preliminary until a consultant
 * confirms it (R6, ticket_cmds.h: WF_CMD_CONFIRM_SEVERITY). Every ticket
 * keeps the triage model's proposal and the model's version (issue 17).
 * It runs inside the caller's transaction (begin before, commit after) so
 * that whatever brought the ticket (a stored mail, a phone call logged
 * because mail is down) commits with it or not at all.
 *
 * Returns STORE_OK with *number set; STORE_CONSTRAINT when a reference
 * does not exist; STORE_ERROR for a bad request (see store_errmsg()).
 */
#ifndef SOPORTE_APP_TICKET_OPEN_H
#define SOPORTE_APP_TICKET_OPEN_H

#include "app/base/audit.h"
#include "core/calendar.h"
#include "core/policy.h"
#include "core/triage.h"
#include "store/store.h"

#include <stdint.h>

struct ticket_request {
	int64_t client_id;
	int64_t contact_id;          /* 0: none */
	int64_t product_id;          /* 0: not known yet */
	int64_t assignee_id;         /* 0: unassigned (state new) */
	const char *subject;
	const char *body;            /* the first message's text */
	const char *body_html;       /* its HTML, sanitized; NULL: none */
	const char *body_display;    /* its text trimmed for display; NULL */
	const char *in_reply_to;     /* its In-Reply-To; NULL: none */
	const char *from_addr;       /* who reported it */
	const char *message_id;      /* of the first message, may be NULL */
	int64_t raw_id;              /* the stored raw mail, 0: none */
	int severity;                /* 1..4 */
	/* The triage model's proposal kept on the ticket (R6, issue 17:
	 * ticket_triage.h); NULL: ticket_open asks the desk's model from the
	 * subject and body (staff openings, whose severity stands). */
	const struct triage_result *triage;
	const char *category;        /* incident, question, ... */
	const char *channel;         /* email | phone | other */
	const char *channel_reason;  /* required when channel is not email */
	int64_t reported_at;         /* the clock's start (UTC) */
	struct actor actor;
};

enum store_rc ticket_open(struct store *db, const struct policy *pol,
                          const struct calendar *cal,
                          const struct ticket_request *req, int64_t now,
                          int64_t *ticket_id, int64_t *number);

#endif
