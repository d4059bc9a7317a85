/*
 * api_intent.c - POST /api/messages/{id}/apply-intent: a consultant
 * applies what a client's unverified mail asked (R2; the command is
 * app/intake/intent_apply.h's, as the CLI's).
 *
 * Results: 200 with the ticket after it; 404 no incoming message on a
 * ticket the principal may see; 409 "refused" (nothing pending on the
 * message, or the state machine's reason); 503 busy.
 *
 * SECURITY: who acts is the authenticated principal; the message's
 * ticket is authorized as the ticket's own routes are (AZ_TICKET_SOLVE
 * with its client and assignee), before anything is done.
 */
#include "app/intake/intent_apply.h"
#include "app/ticket/ticket_query.h"
#include "http/api.h"
#include "http/api_handlers.h"
#include "util/log.h"

#include <stdio.h>

void
h_apply_intent(struct api_req *q, struct api_resp *r)
{
	int64_t number = 0, client = 0, assignee = 0;
	enum store_rc rc = intent_message_ticket(q->desk->db, q->id, &number,
	                                         &client, &assignee);
	if (rc == STORE_NOTFOUND) {
		api_error(r, 404, "not_found", "no incoming message on a ticket "
		                               "has this id");
		return;
	}
	if (rc != STORE_OK) {
		api_fail(q, r, rc);
		return;
	}
	if (!api_allow(q, r, AZ_TICKET_SOLVE, client, assignee))
		return;
	if (q->env == NULL || q->env->pol == NULL || q->env->cal == NULL) {
		api_error(r, 503, "unavailable", "the server has no policy loaded");
		return;
	}
	struct tcmd_env env = {q->desk->db, q->env->pol, q->env->cal,
	                       q->now};
	struct tcmd_who who;
	char err[256];
	enum tcmd_rc t = tcmd_who_lookup(q->desk->db, q->who.email, &who, err,
	                                 sizeof err);
	struct tcmd_result res;
	if (t == TCMD_OK)
		t = intent_apply(&env, q->id, &who, &res);
	else
		snprintf(res.message, sizeof res.message, "%s", err);
	switch (t) {
	case TCMD_OK:
		api_ticket_answer(q, r, 200, number);
		return;
	case TCMD_REFUSED:
		api_refused(r, res.refusal, res.message);
		return;
	case TCMD_NOT_FOUND:
		api_error(r, 404, "not_found", "no incoming message on a ticket "
		                               "has this id");
		return;
	case TCMD_BUSY:
		r->retry_after_s = 2;
		api_error(r, 503, "busy", "the database is busy; retry shortly");
		return;
	default:
		break;
	}
	log_warn("api: %s: %s", q->path, res.message);
	api_error(r, 500, "internal", "internal error");
}
