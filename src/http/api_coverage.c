/*
 * api_coverage.c - who pays for a ticket, through the API as through the
 * CLI (soporte cause, soporte exclude): the same app commands
 * (app/billing/ticket_coverage.h), so the same rules decide.
 *
 *   PATCH /api/tickets/{n} {"cause": ...}   (h_ticket_cause, called by
 *       h_tickets_update) names the cause and decides coverage again (R4).
 *   POST /api/tickets/{n}/exclude {"kind": ...}   closes the ticket as out
 *       of coverage with the policy's text to the client (R5).
 *   POST /api/tickets/{n}/recheck   decides again whether a ticket waiting
 *       for renewal is entitled (R3; soporte ticket recheck): it goes on
 *       when it is, 409 with why when not (app/billing/ticket_entitle.h).
 *   POST /api/tickets/{n}/purchase-order-request {"note"?}   asks the
 *       client of a per-event ticket for a purchase order (R8, soporte po
 *       request); the ticket waits on the client.
 *   POST /api/purchase-orders/{id}/override {"hours_s", "reason"}   the
 *       Project Manager extends an order (R8, soporte po override).
 *
 * Refusals come from the app's own words (409 "refused"); store detail
 * goes to the log only (api_app_fail).
 */
#include "app/billing/po_hours.h"
#include "app/billing/ticket_coverage.h"
#include "app/billing/ticket_entitle.h"
#include "app/ticket/ticket_query.h"
#include "http/api.h"
#include "http/api_handlers.h"
#include "util/log.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

/* Loads ticket q->id and checks action on it; 1 when allowed. */
static int
allowed(struct api_req *q, struct api_resp *r, enum authz_action a,
        struct ticket_ref *t)
{
	enum store_rc rc = ticket_ref_get(q->desk->db, q->id, t);
	if (rc != STORE_OK) {
		api_fail(q, r, rc);
		return 0;
	}
	if (!api_allow(q, r, a, t->client_id, t->assignee_id))
		return 0;
	if (q->env == NULL || q->env->pol == NULL || q->env->cal == NULL) {
		api_error(r, 503, "unavailable", "the server has no policy loaded");
		return 0;
	}
	return 1;
}

void
h_ticket_cause(struct api_req *q, struct api_resp *r)
{
	struct ticket_ref t;
	int64_t want;
	enum cause cause;
	if (json_object_size(q->body) != 1) {
		api_error(r, 400, "cause_alone",
		          "cause: send it alone (coverage is decided again in its "
		          "own change)");
		return;
	}
	/* The route's field list admits only the cause words. */
	if (coverage_cause_parse(json_string_value(json_object_get(q->body,
	                                                           "cause")),
	                         &cause) != 0) {
		api_error(r, 400, "invalid_value", "cause: not one of the allowed "
		          "values");
		return;
	}
	if (!api_if_match(q, r, 1, &want) ||
	    !allowed(q, r, AZ_TICKET_UPDATE, &t))
		return;
	if (want != t.version) {
		snprintf(r->etag, sizeof r->etag, "\"%" PRId64 "\"", t.version);
		api_error(r, 412, "stale",
		          "the ticket changed since you read it (now version %lld); "
		          "reload and retry", (long long)t.version);
		return;
	}
	enum app_rc a = ticket_set_cause(q->desk->db, q->env->pol, q->env->cal,
	                                 t.number, cause, NULL, api_actor(q),
	                                 q->now, NULL, NULL);
	if (a != APP_OK) {
		api_app_fail(q, r, a);
		return;
	}
	api_ticket_answer(q, r, 200, t.number);
}

void
h_exclude(struct api_req *q, struct api_resp *r)
{
	static const struct {
		const char *name;
		enum category cat;
	} kinds[] = {
		{"training", CATEGORY_TRAINING},
		{"third_party", CATEGORY_THIRD_PARTY_PRODUCT},
		{"consulting", CATEGORY_BUSINESS_CONSULTING},
	};
	struct ticket_ref t;
	const char *kind = json_string_value(json_object_get(q->body, "kind"));
	const char *note = json_string_value(json_object_get(q->body, "note"));
	size_t k = 0;
	while (k < sizeof kinds / sizeof kinds[0] &&
	       (kind == NULL || strcmp(kinds[k].name, kind) != 0))
		k++;
	if (k == sizeof kinds / sizeof kinds[0]) {
		api_error(r, 400, "invalid_value", "kind: not one of the allowed "
		          "values");
		return;
	}
	if (!allowed(q, r, AZ_TICKET_SOLVE, &t))
		return;
	enum app_rc a = ticket_exclude(q->desk->db, q->env->pol, q->env->cal,
	                               t.number, kinds[k].cat, note, q->who.email,
	                               q->now, NULL);
	if (a != APP_OK) {
		api_app_fail(q, r, a);
		return;
	}
	api_ticket_answer(q, r, 200, t.number);
}

void
h_po_request(struct api_req *q, struct api_resp *r)
{
	struct ticket_ref t;
	const char *note = json_string_value(json_object_get(q->body, "note"));
	if (!allowed(q, r, AZ_TICKET_SOLVE, &t))
		return;
	enum app_rc a = po_request(q->desk->db, q->env->pol, q->env->cal,
	                           t.number, note, q->who.email, q->now);
	if (a != APP_OK) {
		api_app_fail(q, r, a);
		return;
	}
	api_ticket_answer(q, r, 200, t.number);
}

void
h_po_override(struct api_req *q, struct api_resp *r)
{
	if (q->env == NULL || q->env->pol == NULL) {
		api_error(r, 503, "unavailable", "the server has no policy loaded");
		return;
	}
	if (!api_allow(q, r, AZ_PO_OVERRIDE, 0, 0))
		return;
	struct po_use u;
	enum app_rc a = po_override(
	    q->desk->db, q->env->pol, q->id, NULL, NULL,
	    json_integer_value(json_object_get(q->body, "hours_s")),
	    json_string_value(json_object_get(q->body, "reason")), q->who.email,
	    q->now, &u);
	if (a != APP_OK) {
		api_app_fail(q, r, a);
		return;
	}
	api_json(r, 200, json_pack("{s:I, s:I, s:I, s:I}", "id", (json_int_t)q->id,
	                           "paid_s", (json_int_t)u.paid_s, "billed_s",
	                           (json_int_t)u.billed_s, "left_s",
	                           (json_int_t)u.left_s));
}

void
h_recheck(struct api_req *q, struct api_resp *r)
{
	struct ticket_ref t;
	if (!allowed(q, r, AZ_CONTRACT_WRITE, &t))
		return;
	struct tcmd_env env = {q->desk->db, q->env->pol, q->env->cal, q->now};
	struct tcmd_who who;
	struct tcmd_result res;
	char err[256];
	enum tcmd_rc rc = tcmd_who_lookup(q->desk->db, q->who.email, &who, err,
	                                  sizeof err);
	if (rc == TCMD_OK)
		rc = ticket_recheck(&env, t.number, &who, &res);
	else
		snprintf(res.message, sizeof res.message, "%s", err);
	switch (rc) {
	case TCMD_OK:
		api_ticket_answer(q, r, 200, t.number);
		return;
	case TCMD_REFUSED:
		api_refused(r, res.refusal, res.message);
		return;
	case TCMD_BUSY:
		r->retry_after_s = 2;
		api_error(r, 503, "busy", "the database is busy; retry shortly");
		return;
	default:
		log_warn("api: recheck: %s", res.message);
		api_error(r, 500, "internal", "internal error");
		return;
	}
}
