/*
 * api_flow.c - the ticket lifecycle routes: reply, internal note, logged
 * call, wait, contact attempt, escalation, solve, confirm, reopen, close,
 * time entries and the monthly statement.
 *
 * These call the lifecycle commands (app/ticket_cmds: tcmd_run) and the
 * hour bank (app/billing: time_log, statement_json) and nothing
 * else: the rules of R6-R9 are decided there, once, for mail, CLI and
 * API alike. Internal notes, which change nothing of the lifecycle, are
 * app/ticket_note. An If-Match header, when given, must name the
 * ticket's current version (412 otherwise, nothing changed).
 *
 * Results: the command applied: 200/201 with the ticket (ETag); refused
 * by the state machine or a check: 409 "refused" with its reason (Spanish
 * then English); stale: 412; busy: 503.
 *
 * SECURITY: bodies arrive validated (router.c); ids are decimal; who acts
 * is the authenticated principal, never a field of the body.
 */
#include "app/billing/directory.h"
#include "app/billing/statement.h"
#include "app/billing/hourbank_store.h"
#include "app/ticket/ticket_cmds.h"
#include "app/ticket/ticket_note.h"
#include "app/ticket/ticket_query.h"
#include "app/ticket/uploads.h"
#include "core/coverage.h"
#include "http/api.h"
#include "http/api_handlers.h"

#include <stdio.h>
#include <string.h>

static int
load_ticket(struct api_req *q, struct api_resp *r, enum authz_action a,
            struct ticket_ref *t)
{
	enum store_rc rc = ticket_ref_get(q->desk->db, q->id, t);
	if (rc != STORE_OK) {
		api_fail(q, r, rc);
		return 0;
	}
	return api_allow(q, r, a, t->client_id, t->assignee_id);
}

/* Runs cmd on ticket q->id for the principal; fills r. */
static void
run(struct api_req *q, struct api_resp *r, enum authz_action a,
    struct tcmd_request *req, unsigned ok_status)
{
	struct ticket_ref t;
	char err[256];
	if (!load_ticket(q, r, a, &t))
		return;
	if (!api_if_match(q, r, 0, &req->expected_version))
		return;
	if (q->env == NULL || q->env->pol == NULL || q->env->cal == NULL) {
		api_error(r, 503, "unavailable", "the server has no policy loaded");
		return;
	}
	struct tcmd_env env = {q->desk->db, q->env->pol, q->env->cal, q->now};
	enum tcmd_rc rc = tcmd_who_lookup(q->desk->db, q->who.email, &req->who, err,
	                                  sizeof err);
	if (rc != TCMD_OK) {
		api_error(r, rc == TCMD_BUSY ? 503 : 403, rc == TCMD_BUSY ? "busy"
		                                                         : "forbidden",
		          "%s", err);
		return;
	}
	req->number = t.number;
	struct tcmd_result res;
	memset(&res, 0, sizeof res);
	rc = tcmd_run(&env, req, &res);
	if (rc == TCMD_OK)
		api_ticket_answer(q, r, ok_status, t.number);
	else
		api_tcmd_fail(q, r, rc, &res);
}

static const char *
body_text(const struct api_req *q, const char *key)
{
	return json_string_value(json_object_get(q->body, key));
}

/* The "attachments" of the body (upload ids, validated by the router:
 * positive integers, at most UPLOADS_PER_MESSAGE) into ids; their count. */
static size_t
body_uploads(const struct api_req *q, int64_t ids[UPLOADS_PER_MESSAGE])
{
	json_t *arr = json_object_get(q->body, "attachments"), *v;
	size_t i, n = 0;
	json_array_foreach(arr, i, v) {
		if (n < UPLOADS_PER_MESSAGE)
			ids[n++] = json_integer_value(v);
	}
	return n;
}

void
h_reply(struct api_req *q, struct api_resp *r)
{
	int64_t ids[UPLOADS_PER_MESSAGE];
	struct tcmd_request req = {
		.cmd = q->who.role == ROLE_CLIENT ? WF_CMD_CLIENT_REPLY : WF_CMD_REPLY,
		.body = body_text(q, "body"),
		.uploads = ids,
		.nuploads = body_uploads(q, ids),
	};
	run(q, r, AZ_TICKET_REPLY, &req, 201);
}

void
h_call(struct api_req *q, struct api_resp *r)
{
	struct tcmd_request req = {
		.cmd = WF_CMD_CALL,
		.body = body_text(q, "body"),
		.duration_s = json_integer_value(json_object_get(q->body, "duration_s")),
	};
	run(q, r, AZ_TICKET_NOTE, &req, 201);
}

void
h_wait(struct api_req *q, struct api_resp *r)
{
	struct tcmd_request req = {.cmd = WF_CMD_WAIT, .body = body_text(q, "body")};
	run(q, r, AZ_TICKET_SOLVE, &req, 200);
}

void
h_attempt_add(struct api_req *q, struct api_resp *r)
{
	struct tcmd_request req = {
		.cmd = WF_CMD_ATTEMPT,
		.channel = body_text(q, "channel"),
		.outcome = body_text(q, "outcome"),
		.wait_s = json_integer_value(json_object_get(q->body, "wait_s")),
		.body = body_text(q, "note"),
	};
	run(q, r, AZ_TICKET_SOLVE, &req, 201);
}

void
h_escalation_add(struct api_req *q, struct api_resp *r)
{
	const char *kind = body_text(q, "kind");
	json_t *sev = json_object_get(q->body, "to_severity");
	struct tcmd_request req = {.body = body_text(q, "note")};
	int client = q->who.role == ROLE_CLIENT;
	if (strcmp(kind, "raise_priority") == 0 && client) {
		req.cmd = WF_CMD_RAISE_REQUEST;
	} else if (strcmp(kind, "project_manager") == 0) {
		req.cmd = client ? WF_CMD_PM_REQUEST : WF_CMD_ESCALATE_PM;
	} else if (authz_decide(&q->who, AZ_ESCALATION_HANDLE, NULL) !=
	           AUTHZ_ALLOW) {
		api_error(r, 403, "forbidden",
		          "clients ask for a higher priority (raise_priority) or the "
		          "Project Manager; staff change the severity");
		return;
	} else {
		if (sev == NULL) {
			api_error(r, 400, "missing_field",
			          "to_severity: required to change the severity");
			return;
		}
		req.cmd = WF_CMD_SEVERITY;
		req.severity = (int)json_integer_value(sev);
	}
	run(q, r, AZ_ESCALATION_REQUEST, &req, 201);
}

/* R6: the consultant confirms the preliminary severity (or sets
 * another: "severity"). */
void
h_severity_confirm(struct api_req *q, struct api_resp *r)
{
	struct tcmd_request req = {
		.cmd = WF_CMD_CONFIRM_SEVERITY,
		.severity = (int)json_integer_value(json_object_get(q->body,
		                                                    "severity")),
		.body = body_text(q, "note"),
	};
	run(q, r, AZ_ESCALATION_HANDLE, &req, 200);
}

void
h_assign(struct api_req *q, struct api_resp *r)
{
	struct tcmd_request req = {
		.cmd = WF_CMD_ASSIGN,
		.assignee_id = json_integer_value(json_object_get(q->body,
		                                                  "assignee_id")),
	};
	run(q, r, AZ_TICKET_UPDATE, &req, 200);
}

void
h_solve(struct api_req *q, struct api_resp *r)
{
	struct tcmd_request req = {.cmd = WF_CMD_SOLVE, .body = body_text(q, "note")};
	run(q, r, AZ_TICKET_SOLVE, &req, 200);
}

void
h_confirm(struct api_req *q, struct api_resp *r)
{
	struct tcmd_request req = {.cmd = WF_CMD_CONFIRM,
	                           .body = body_text(q, "note")};
	run(q, r, AZ_TICKET_CONFIRM, &req, 200);
}

void
h_reopen(struct api_req *q, struct api_resp *r)
{
	struct tcmd_request req = {.cmd = WF_CMD_REOPEN, .body = body_text(q, "note")};
	run(q, r, AZ_TICKET_REPLY, &req, 200);
}

void
h_close(struct api_req *q, struct api_resp *r)
{
	struct tcmd_request req = {
		.cmd = WF_CMD_CLOSE,
		.reason = (enum wf_close_reason)wf_close_parse(body_text(q, "reason")),
		.body = body_text(q, "body"),
	};
	run(q, r, AZ_TICKET_SOLVE, &req, 200);
}

void
h_note(struct api_req *q, struct api_resp *r)
{
	struct ticket_ref t;
	int64_t want, id, ids[UPLOADS_PER_MESSAGE];
	int stale, full;
	if (!load_ticket(q, r, AZ_TICKET_NOTE, &t) ||
	    !api_if_match(q, r, 0, &want))
		return;
	enum store_rc rc = ticket_note_add(q->desk->db, t.id, q->who.user_id,
	                                   body_text(q, "body"), ids,
	                                   body_uploads(q, ids), want, q->now,
	                                   API_POLICY_LIMIT(q, max_notes_per_ticket),
	                                   &full, &id, &stale);
	if (full) {
		api_error(r, 409, "limit_reached", "%s", desk_errmsg(q->desk));
		return;
	}
	if (rc != STORE_OK) {
		api_fail(q, r, rc);
		return;
	}
	if (stale) {
		api_error(r, 412, "stale",
		          "the ticket changed since you read it; reload and retry");
		return;
	}
	api_json(r, 201, json_pack("{s:I,s:s}", "id", (json_int_t)id, "kind",
	                           "note"));
}

void
h_time_add(struct api_req *q, struct api_resp *r)
{
	struct ticket_ref t;
	if (!load_ticket(q, r, AZ_TIME_WRITE, &t))
		return;
	if (q->env == NULL || q->env->pol == NULL || q->env->cal == NULL) {
		api_error(r, 503, "unavailable", "the server has no policy loaded");
		return;
	}
	enum hb_kind kind = HB_WORK;
	const char *k = body_text(q, "kind");
	if (k && hb_kind_parse(k, &kind) != 0) {
		api_error(r, 400, "invalid_value", "kind: not a kind of time entry");
		return;
	}
	json_t *corr = json_object_get(q->body, "corrects_id");
	struct time_request tr = {
		.ticket_number = t.number,
		.seconds = json_integer_value(json_object_get(q->body, "seconds")),
		.work_date = body_text(q, "work_date"),
		.note = body_text(q, "note"),
		.user_email = q->who.email,
		.kind = corr ? HB_CORRECTION : kind,
		.po_number = body_text(q, "purchase_order"),
		.corrects_id = json_integer_value(corr),
	};
	struct time_logged out;
	memset(&out, 0, sizeof out);
	enum app_rc rc = time_log(q->desk->db, q->env->pol, q->env->cal, &tr, q->now,
	                          &out);
	if (rc != APP_OK) {
		api_app_fail(q, r, rc);
		return;
	}
	json_t *o = json_pack("{s:I,s:s,s:o,s:s,s:o}", "id", (json_int_t)out.id,
	                      "coverage", coverage_charge_name(out.coverage),
	                      "contract_id",
	                      out.contract_id ? json_integer(out.contract_id)
	                                      : json_null(),
	                      "work_date", out.work_date, "purchase_order",
	                      out.purchase_order[0]
	                          ? json_string(out.purchase_order)
	                          : json_null());
	/* R8: what is left on the order; 0 left is the warning. */
	if (out.po_paid_s > 0)
		json_object_set_new(o, "purchase_order_left_s",
		                    json_integer(out.po_left_s));
	api_json(r, 201, o);
}

void
h_statements(struct api_req *q, struct api_resp *r)
{
	int64_t client, year;
	int month;
	const char *m = api_query_get(q, "month");
	if (api_query_int(q, r, "client_id", 1, INT64_MAX, 0, &client) < 0)
		return;
	if (client == 0) {
		client = authz_client_scope(&q->who);
		if (client <= 0) {
			api_error(r, 400, "missing_parameter", "client_id: required");
			return;
		}
	}
	if (m == NULL || iso_month_parse(m, &year, &month) != 0 ||
	    year < 2000 || year > 2100) {
		api_error(r, 400, "invalid_parameter", "month: YYYY-MM");
		return;
	}
	json_t *c;
	int64_t owner = 0;
	enum store_rc src = dir_get(q->desk->db, DIR_CLIENT, client, &c, &owner);
	if (src != STORE_OK) {
		api_fail(q, r, src);
		return;
	}
	if (!api_allow(q, r, AZ_CONTRACT_READ, owner, 0)) {
		json_decref(c);
		return;
	}
	if (q->env == NULL || q->env->pol == NULL) {
		json_decref(c);
		api_error(r, 503, "unavailable", "the server has no policy loaded");
		return;
	}
	json_t *out = NULL;
	enum app_rc rc = statement_json(q->desk->db, q->env->pol,
	                                json_string_value(json_object_get(c, "domain")),
	                                year, month, &out);
	json_decref(c);
	if (rc != APP_OK) {
		api_app_fail(q, r, rc);
		return;
	}
	api_json(r, 200, out);
}
