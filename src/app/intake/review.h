/*
 * review.h - the review queue (R3): mail from unknown senders, held with
 * ticket_id NULL and a review_reason, never auto-answered. Staff list
 * it, make a message a client's new ticket (the held message becomes
 * the ticket's first message; the clock starts when it arrived: it was a
 * report to the support address all along; its entitlement is decided
 * as for any mail, app/billing/ticket_entitle.h), or dismiss it. Both leave
 * the queue for good and are audited with who and why.
 *
 * SECURITY: held messages are untrusted mail; they are shown to staff
 * only (the API answers 404 to clients). Request values are bound.
 */
#ifndef SOPORTE_APP_REVIEW_H
#define SOPORTE_APP_REVIEW_H

#include "app/base/audit.h"
#include "app/ticket/ticket_cmds.h"
#include "store/store.h"

#include <jansson.h>
#include <stdint.h>

struct calendar;

/* The messages waiting for review, oldest first, from after_id on, as a
 * JSON array (id, from, subject, body_text, review_reason, created_at,
 * has_html, attachments). */
enum store_rc review_list_json(struct store *db, const struct calendar *cal,
                               int64_t after_id, int limit, json_t **out);

struct review_ticket {
	int64_t message_id;
	int64_t client_id;
	int64_t contact_id;      /* 0: none (no acknowledgment mail then) */
	int64_t product_id;      /* 0: not known yet */
	int severity;            /* 1..4 */
	struct actor who;
};

/* Opens a ticket for req->client_id from the held message, in one
 * transaction. TCMD_NOT_FOUND when the message is not waiting for review;
 * TCMD_REFUSED (message in res) for a contact or product of another
 * client. */
enum tcmd_rc review_open_ticket(const struct tcmd_env *env,
                                const struct review_ticket *req,
                                struct tcmd_result *res);

/* Dismisses the held message with an optional note, audited.
 * TCMD_NOT_FOUND when it is not waiting for review. */
enum tcmd_rc review_dismiss(const struct tcmd_env *env, int64_t message_id,
                            const char *note, struct actor who,
                            struct tcmd_result *res);

#endif
