/*
 * api_flow.c - the ticket lifecycle routes: reply, internal note, logged
 * call, time entry, contact attempt, escalation, solve, confirm, and the
 * monthly statement.
 *
 * These call the lifecycle commands (app/ticket_cmds, hour bank
 * statements) and nothing else: the rules of R6-R9 are decided there,
 * once, for mail, CLI and API alike. Until a command is in this branch
 * its route checks everything a request can get wrong (authentication,
 * role, the ticket's organization, the body) and then answers 501.
 *
 * SECURITY: bodies arrive validated (router.c); ids are decimal.
 */
#include "app/ticket_query.h"
#include "http/api.h"
#include "http/api_handlers.h"
#include "util/log.h"

#include <stdio.h>
#include <string.h>

static int
load_ticket(struct api_req *q, struct api_resp *r, enum authz_action a,
            struct ticket_ref *t)
{
	enum store_rc rc = ticket_ref_get(q->db, q->id, t);
	if (rc != STORE_OK) {
		if (rc == STORE_ERROR)
			log_warn("api: %s: %s", q->path, store_errmsg(q->db));
		api_store_error(r, q->db, rc);
		return 0;
	}
	return api_allow(q, r, a, t->client_id, t->assignee_id);
}

static void
pending(struct api_req *q, struct api_resp *r, enum authz_action a)
{
	struct ticket_ref t;
	if (!load_ticket(q, r, a, &t))
		return;
	api_error(r, 501, "not_implemented",
	          "this lifecycle command is not available in this build yet");
}

void
h_reply(struct api_req *q, struct api_resp *r)
{
	pending(q, r, AZ_TICKET_REPLY);
}
void
h_note(struct api_req *q, struct api_resp *r)
{
	pending(q, r, AZ_TICKET_NOTE);
}
void
h_call(struct api_req *q, struct api_resp *r)
{
	pending(q, r, AZ_TICKET_NOTE);
}
void
h_time_add(struct api_req *q, struct api_resp *r)
{
	pending(q, r, AZ_TIME_WRITE);
}
void
h_attempt_add(struct api_req *q, struct api_resp *r)
{
	pending(q, r, AZ_TICKET_SOLVE);
}
void
h_escalation_add(struct api_req *q, struct api_resp *r)
{
	pending(q, r, AZ_ESCALATION_REQUEST);
}
void
h_solve(struct api_req *q, struct api_resp *r)
{
	pending(q, r, AZ_TICKET_SOLVE);
}
void
h_confirm(struct api_req *q, struct api_resp *r)
{
	pending(q, r, AZ_TICKET_CONFIRM);
}

void
h_statements(struct api_req *q, struct api_resp *r)
{
	int64_t client;
	const char *month = api_query_get(q, "month");
	int y, m;
	char tail;
	if (api_query_int(q, r, "client_id", 1, INT64_MAX, 0, &client) < 0)
		return;
	if (client == 0) {
		if (q->who.role != ROLE_CLIENT) {
			api_error(r, 400, "missing_parameter", "client_id: required");
			return;
		}
		client = q->who.client_id;
	}
	if (month == NULL || sscanf(month, "%4d-%2d%c", &y, &m, &tail) != 2 ||
	    strlen(month) != 7 || m < 1 || m > 12 || y < 2000 || y > 2100) {
		api_error(r, 400, "invalid_parameter", "month: YYYY-MM");
		return;
	}
	if (!api_allow(q, r, AZ_CONTRACT_READ, client, 0))
		return;
	api_error(r, 501, "not_implemented",
	          "statements are not available in this build yet");
}
