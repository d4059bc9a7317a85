/*
 * api_filter.c - the queue's filters of a request, shared by the list
 * (GET /api/tickets) and its export (GET /api/exports/tickets): state,
 * severity, client, assignee, SLA, escalated, words, sort, page.
 */
#include "app/ticket/ticket_query.h"
#include "http/api.h"
#include "http/api_handlers.h"

#include <stdint.h>
#include <string.h>

/* The queue's filters of a request (the list and its export): 1 with *fp
 * filled, 0 with a 400 in r, -1 when nothing can match (a client asking
 * for another client's tickets). */
int
api_ticket_filter(struct api_req *q, struct api_resp *r, struct ticket_query *fp)
{
	struct ticket_query f = {
		.limit = API_PAGE_DEFAULT,
		.now = q->now,
		.include_internal =
		    authz_decide(&q->who, AZ_INTERNAL_READ, NULL) == AUTHZ_ALLOW,
		.at_risk_percent = q->env && q->env->pol ? q->env->pol->at_risk_percent
		                                         : 75,
		.pol = q->env ? q->env->pol : NULL,
	};
	int64_t v;
	const char *s;
	if ((s = api_query_get(q, "state")) != NULL) {
		if (ticket_state_valid(s) != 0) {
			api_error(r, 400, "invalid_parameter",
			          "state: open, or a state name (new, assigned, ...)");
			return 0;
		}
		f.state = s;
	}
	if (api_query_int(q, r, "severity", 1, 4, 0, &v) < 0)
		return 0;
	f.severity = (int)v;
	if (api_query_int(q, r, "client_id", 1, INT64_MAX, 0, &f.client_id) < 0)
		return 0;
	if ((s = api_query_get(q, "assignee")) != NULL) {
		if (strcmp(s, "me") == 0)
			f.assignee_id = q->who.user_id;
		else if (strcmp(s, "none") == 0)
			f.assignee_id = -1;
		else if (api_query_int(q, r, "assignee", 1, INT64_MAX, 0,
		                       &f.assignee_id) < 0)
			return 0;
	}
	if ((s = api_query_get(q, "sla")) != NULL) {
		int x = sla_status_parse(s);
		if (x < 0) {
			api_error(r, 400, "invalid_parameter",
			          "sla: pending, at_risk, breached or met");
			return 0;
		}
		f.sla = (enum sla_filter)x;
	}
	if ((s = api_query_get(q, "escalated")) != NULL) {
		if (strcmp(s, "true") != 0 && strcmp(s, "false") != 0) {
			api_error(r, 400, "invalid_parameter", "escalated: true or false");
			return 0;
		}
		f.escalated = strcmp(s, "true") == 0;
	}
	/* A search lists newest first unless asked otherwise: it needs no
	 * sort of every match (ticket_query.c), and people who search mostly
	 * look for something recent. */
	if ((s = api_query_get(q, "q")) != NULL) {
		f.text = s;
		f.sort = SORT_NUMBER;
	}
	if ((s = api_query_get(q, "sort")) != NULL) {
		if (strcmp(s, "deadline") == 0)
			f.sort = SORT_DEADLINE;
		else if (strcmp(s, "number") == 0)
			f.sort = SORT_NUMBER;
		else {
			api_error(r, 400, "invalid_parameter", "sort: deadline or number");
			return 0;
		}
	}
	f.cursor = api_query_get(q, "cursor");
	if (api_query_int(q, r, "limit", 1, API_PAGE_MAX, API_PAGE_DEFAULT, &v) < 0)
		return 0;
	f.limit = (int)v;
	int64_t scope = authz_client_scope(&q->who);
	if (scope != 0) {
		if (scope < 0 || (f.client_id && f.client_id != scope))
			return -1;        /* nothing of theirs can match */
		f.client_id = scope;
	}
	*fp = f;
	return 1;
}

