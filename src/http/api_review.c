/*
 * api_review.c - the review queue of unknown senders (R3) and the policy
 * versions (R12).
 *
 * The review queue is staff's: to a client its routes do not exist (404,
 * authz: AZ_REVIEW). Making a held message a ticket, or dismissing it,
 * takes the right to open tickets too.
 *
 * SECURITY: path ids are decimal (router.c); bodies are validated against
 * the route's fields before these run; held mail is untrusted and only
 * returned as JSON strings.
 */
#include "app/config/policy_version.h"
#include "app/intake/review.h"
#include "http/api.h"
#include "http/api_handlers.h"
#include "util/log.h"

#include <inttypes.h>
#include <stdio.h>

void
h_review_list(struct api_req *q, struct api_resp *r)
{
	int64_t after, limit;
	json_t *items;
	if (api_query_int(q, r, "cursor", 0, INT64_MAX, 0, &after) < 0 ||
	    api_query_int(q, r, "limit", 1, API_PAGE_MAX, API_PAGE_DEFAULT, &limit) < 0)
		return;
	enum store_rc rc = review_list_json(q->desk->db, q->env ? q->env->cal : NULL,
	                                    after, (int)limit, &items);
	if (rc != STORE_OK) {
		api_fail(q, r, rc);
		return;
	}
	api_page_by_id(r, items, limit);
}

/* Maps a command's result to the response; 1 when it went through. */
static int
done(struct api_resp *r, enum tcmd_rc rc, const struct tcmd_result *res)
{
	switch (rc) {
	case TCMD_OK:
		return 1;
	case TCMD_NOT_FOUND:
		api_error(r, 404, "not_found", "%s", res->message);
		return 0;
	case TCMD_REFUSED:
	case TCMD_TOO_LARGE:   /* no files here; total for the compiler */
		api_refused(r, res->refusal, res->message);
		return 0;
	case TCMD_CONFLICT:
	case TCMD_BUSY:
		r->retry_after_s = 2;
		api_error(r, 503, "busy", "the database is busy; retry shortly");
		return 0;
	case TCMD_ERROR:
		break;
	}
	log_warn("api: review: %s", res->message);
	api_error(r, 500, "internal", "internal error");
	return 0;
}

void
h_review_ticket(struct api_req *q, struct api_resp *r)
{
	if (!api_allow(q, r, AZ_TICKET_OPEN, 0, 0))
		return;
	if (q->env == NULL || q->env->pol == NULL || q->env->cal == NULL) {
		api_error(r, 503, "unavailable", "the server has no policy loaded");
		return;
	}
	json_t *b = q->body;
	struct review_ticket req = {
		.message_id = q->id,
		.client_id = json_integer_value(json_object_get(b, "client_id")),
		.contact_id = json_integer_value(json_object_get(b, "contact_id")),
		.product_id = json_integer_value(json_object_get(b, "product_id")),
		.severity = (int)json_integer_value(json_object_get(b, "severity")),
		.who = api_actor(q),
	};
	struct tcmd_env env = {q->desk->db, q->env->pol, q->env->cal, q->now};
	struct tcmd_result res;
	if (!done(r, review_open_ticket(&env, &req, &res), &res))
		return;
	snprintf(r->location, sizeof r->location, "/api/tickets/%" PRId64,
	         res.number);
	api_json(r, 201,
	         json_pack("{s:I, s:I}", "message_id", (json_int_t)q->id, "number",
	                   (json_int_t)res.number));
}

void
h_review_dismiss(struct api_req *q, struct api_resp *r)
{
	if (!api_allow(q, r, AZ_TICKET_OPEN, 0, 0))
		return;
	struct tcmd_env env = {q->desk->db, q->env ? q->env->pol : NULL,
	                       q->env ? q->env->cal : NULL, q->now};
	struct tcmd_result res;
	const char *note = json_string_value(json_object_get(q->body, "note"));
	if (done(r, review_dismiss(&env, q->id, note, api_actor(q), &res), &res))
		api_json(r, 200,
		         json_pack("{s:I, s:s}", "message_id", (json_int_t)q->id,
		                   "outcome", "dismissed"));
}

void
h_policy_versions(struct api_req *q, struct api_resp *r)
{
	json_t *items;
	int64_t before;
	int limit;
	if (!api_page_args(q, r, &before, &limit))
		return;
	enum store_rc rc = policy_versions_json(
	    q->desk->db, q->env ? q->env->cal : NULL, q->env ? q->env->pol : NULL,
	    q->now, before, limit, &items);
	if (rc != STORE_OK) {
		api_fail(q, r, rc);
		return;
	}
	api_page_by_id(r, items, limit);
}
