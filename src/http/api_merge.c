/*
 * api_merge.c - the routes of a consultant's ticket housekeeping: merge
 * two tickets of one client, link related ones, and act on many tickets
 * of the queue at once (assign, close).
 *
 * They call app/ticket/ticket_merge.h and the lifecycle (tcmd_run) and
 * nothing else. A bulk request runs one command per ticket, each in its
 * own transaction, and answers 200 with one result per ticket: what
 * worked stays done when another ticket is refused.
 *
 * SECURITY: who acts is the authenticated principal; every ticket named
 * is authorized on its own (its client, its assignee).
 */
#include "app/ticket/ticket_merge.h"
#include "app/ticket/ticket_query.h"
#include "core/workflow.h"
#include "http/api.h"
#include "http/api_handlers.h"
#include "util/log.h"

#include <stdio.h>
#include <string.h>

/* The lifecycle's environment and who acts; 0 when r is written. */
static int
acting(struct api_req *q, struct api_resp *r, struct tcmd_env *env,
       struct tcmd_who *who)
{
	char err[256];
	if (q->env == NULL || q->env->pol == NULL || q->env->cal == NULL) {
		api_error(r, 503, "unavailable", "the server has no policy loaded");
		return 0;
	}
	*env = (struct tcmd_env){q->desk->db, q->env->pol, q->env->cal, q->now};
	enum tcmd_rc rc = tcmd_who_lookup(q->desk->db, q->who.email, who, err,
	                                  sizeof err);
	if (rc != TCMD_OK) {
		api_error(r, rc == TCMD_BUSY ? 503 : 403,
		          rc == TCMD_BUSY ? "busy" : "forbidden", "%s", err);
		return 0;
	}
	return 1;
}

/* Ticket number n exists and the principal may do a to it; else r is
 * written (404, 403). */
static int
allowed(struct api_req *q, struct api_resp *r, enum authz_action a, int64_t n)
{
	struct ticket_ref t;
	enum store_rc rc = ticket_ref_get(q->desk->db, n, &t);
	if (rc != STORE_OK) {
		api_fail(q, r, rc);
		return 0;
	}
	return api_allow(q, r, a, t.client_id, t.assignee_id);
}

static void
answer(struct api_req *q, struct api_resp *r, enum tcmd_rc rc,
       const struct ticket_merge_result *res, int64_t number)
{
	if (rc == TCMD_OK)
		api_ticket_answer(q, r, 200, number);
	else if (rc == TCMD_REFUSED && res->why != MERGE_OK)
		api_error(r, res->why == MERGE_NOT_STAFF ? 403 : 409,
		          ticket_merge_code(res->why), "%s", res->tcmd.message);
	else
		api_tcmd_fail(q, r, rc, &res->tcmd);
}

static int64_t
body_number(const struct api_req *q, const char *key)
{
	return json_integer_value(json_object_get(q->body, key));
}

void
h_ticket_merge(struct api_req *q, struct api_resp *r)
{
	int64_t other = body_number(q, "other");
	struct tcmd_env env;
	struct tcmd_who who;
	struct ticket_merge_result res;
	if (!allowed(q, r, AZ_TICKET_SOLVE, q->id) ||
	    !allowed(q, r, AZ_TICKET_SOLVE, other) || !acting(q, r, &env, &who))
		return;
	enum tcmd_rc rc = ticket_merge(&env, q->id, other, &who, &res);
	answer(q, r, rc, &res, res.survivor ? res.survivor : q->id);
}

static void
link_tickets(struct api_req *q, struct api_resp *r, bool remove)
{
	int64_t other = body_number(q, "number");
	struct tcmd_env env;
	struct tcmd_who who;
	struct ticket_merge_result res;
	if (!allowed(q, r, AZ_TICKET_UPDATE, q->id) ||
	    !allowed(q, r, AZ_TICKET_READ, other) || !acting(q, r, &env, &who))
		return;
	enum tcmd_rc rc = ticket_link(&env, q->id, other, remove, &who, &res);
	answer(q, r, rc, &res, q->id);
}

void
h_ticket_link(struct api_req *q, struct api_resp *r)
{
	link_tickets(q, r, false);
}

void
h_ticket_unlink(struct api_req *q, struct api_resp *r)
{
	link_tickets(q, r, true);
}

/* One ticket of a bulk request: its result object. */
static json_t *
bulk_one(struct api_req *q, const struct tcmd_env *env,
         const struct tcmd_who *who, int64_t n, struct tcmd_request *req,
         enum authz_action a)
{
	struct ticket_ref t;
	struct tcmd_result res;
	const char *code = NULL, *reason = NULL;
	char msg[sizeof res.message] = "";
	enum store_rc src = ticket_ref_get(q->desk->db, n, &t);
	struct authz_object obj = {t.client_id, t.assignee_id};
	if (src == STORE_NOTFOUND ||
	    (src == STORE_OK &&
	     authz_decide(&q->who, AZ_TICKET_READ, &obj) != AUTHZ_ALLOW)) {
		code = "not_found";
		snprintf(msg, sizeof msg, "there is no ticket #%06lld", (long long)n);
	} else if (src != STORE_OK) {
		code = "busy";
		snprintf(msg, sizeof msg, "the database is busy; retry shortly");
	} else if (authz_decide(&q->who, a, &obj) != AUTHZ_ALLOW) {
		code = "forbidden";
		snprintf(msg, sizeof msg, "you may not change ticket #%06lld",
		         (long long)n);
	} else {
		req->number = n;
		req->who = *who;
		switch (tcmd_run(env, req, &res)) {
		case TCMD_OK:
			break;
		case TCMD_REFUSED:
			code = "refused";
			reason = wf_refusal_code(res.refusal);
			snprintf(msg, sizeof msg, "%s", res.message);
			break;
		case TCMD_NOT_FOUND:
			code = "not_found";
			snprintf(msg, sizeof msg, "%s", res.message);
			break;
		case TCMD_BUSY:
			code = "busy";
			snprintf(msg, sizeof msg, "the database is busy; retry shortly");
			break;
		default:
			log_warn("api: bulk #%lld: %s", (long long)n, res.message);
			code = "internal";
			snprintf(msg, sizeof msg, "internal error");
		}
	}
	if (code == NULL)
		return json_pack("{s:I, s:b}", "number", (json_int_t)n, "ok", 1);
	/* As the API's errors: a code, the workflow's reason when it refused
	 * (the console says both in the user's words), a message. */
	return json_pack("{s:I, s:b, s:{s:s, s:s*, s:s}}", "number", (json_int_t)n,
	                 "ok", 0, "error", "code", code, "reason", reason,
	                 "message", msg);
}

void
h_tickets_bulk(struct api_req *q, struct api_resp *r)
{
	const char *action = json_string_value(json_object_get(q->body, "action"));
	struct tcmd_env env;
	struct tcmd_who who;
	struct tcmd_request req = {0};
	enum authz_action a = AZ_TICKET_UPDATE;
	if (strcmp(action, "assign") == 0) {
		req.cmd = WF_CMD_ASSIGN;
		req.assignee_id = body_number(q, "assignee_id");
		if (req.assignee_id <= 0) {
			api_error_at(r, 400, "missing_field", "assignee_id",
			             "assignee_id: required to assign");
			return;
		}
	} else {
		const char *body = json_string_value(json_object_get(q->body, "body"));
		const char *why = json_string_value(json_object_get(q->body, "reason"));
		if (body == NULL || why == NULL) {
			api_error_at(r, 400, "missing_field", why ? "body" : "reason",
			             "reason and body: required to close");
			return;
		}
		req.cmd = WF_CMD_CLOSE;
		req.reason = (enum wf_close_reason)wf_close_parse(why);
		req.body = body;
		a = AZ_TICKET_SOLVE;
	}
	if (!acting(q, r, &env, &who))
		return;
	json_t *numbers = json_object_get(q->body, "numbers"), *v;
	json_t *results = json_array();
	size_t i;
	json_array_foreach(numbers, i, v) {
		json_array_append_new(results,
		                      bulk_one(q, &env, &who, json_integer_value(v),
		                               &req, a));
	}
	api_json(r, 200, json_pack("{s:o}", "results", results));
}
