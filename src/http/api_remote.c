/*
 * api_remote.c - remote sessions (R11) over HTTP, the same app commands
 * as the CLI (soporte remote; app/billing/remote_sessions.h):
 *
 *   GET  /api/tickets/{n}/remote-sessions            the ticket's sessions
 *   POST /api/tickets/{n}/remote-sessions {"at", "minutes"}   schedules
 *        one and mails the client (201, the session)
 *   POST /api/remote-sessions/{id}/start             logs its start
 *   POST /api/remote-sessions/{id}/end               logs its end and its
 *        time to the hour bank
 *
 * The ticket decides who may: staff working on it (AZ_TICKET_SOLVE) act,
 * whoever may read it lists. Refusals are the app's words (409).
 */
#include "app/billing/remote_sessions.h"
#include "app/ticket/ticket_query.h"
#include "http/api.h"
#include "http/api_handlers.h"
#include "util/timefmt.h"

#include <string.h>

/* Ticket number's access for action a; 1 when allowed. */
static int
allowed(struct api_req *q, struct api_resp *r, int64_t number,
        enum authz_action a)
{
	struct ticket_ref t;
	enum store_rc rc = ticket_ref_get(q->desk->db, number, &t);
	if (rc != STORE_OK) {
		api_fail(q, r, rc);
		return 0;
	}
	if (!api_allow(q, r, a, t.client_id, t.assignee_id))
		return 0;
	if (q->env == NULL || q->env->pol == NULL || q->env->cal == NULL) {
		api_error(r, 503, "unavailable", "the server has no policy loaded");
		return 0;
	}
	return 1;
}

/* Session id as the list shows it, with status. */
static void
answer(struct api_req *q, struct api_resp *r, int64_t number, int64_t id,
       unsigned status)
{
	json_t *all = NULL, *s;
	size_t i;
	enum app_rc a = remote_list_json(q->desk->db, number, &all);
	if (a != APP_OK) {
		api_app_fail(q, r, a);
		return;
	}
	json_array_foreach(all, i, s) {
		if (json_integer_value(json_object_get(s, "id")) == id) {
			api_json(r, status, json_incref(s));
			break;
		}
	}
	json_decref(all);
	if (r->status == 0)
		api_error(r, 404, "not_found", "no such remote session");
}

void
h_remote_list(struct api_req *q, struct api_resp *r)
{
	json_t *all = NULL;
	if (!allowed(q, r, q->id, AZ_TICKET_READ))
		return;
	enum app_rc a = remote_list_json(q->desk->db, q->id, &all);
	if (a != APP_OK) {
		api_app_fail(q, r, a);
		return;
	}
	api_page(r, all, NULL);
}

void
h_remote_add(struct api_req *q, struct api_resp *r)
{
	const char *at = json_string_value(json_object_get(q->body, "at"));
	json_t *min = json_object_get(q->body, "minutes");
	int64_t when, id = 0;
	if (at == NULL || iso_utc_parse(at, &when) != 0) {
		api_error(r, 400, "invalid_value", "at: an instant "
		          "YYYY-MM-DDTHH:MM:SSZ");
		return;
	}
	if (!allowed(q, r, q->id, AZ_TICKET_SOLVE))
		return;
	enum app_rc a = remote_schedule(
	    q->desk->db, q->env->pol, q->env->cal, q->id, q->who.email, when,
	    min ? json_integer_value(min) * 60 : 3600, q->now, &id);
	if (a != APP_OK) {
		api_app_fail(q, r, a);
		return;
	}
	answer(q, r, q->id, id, 201);
}

static void
start_or_end(struct api_req *q, struct api_resp *r, int end)
{
	int64_t number, entry;
	enum app_rc a = remote_ticket(q->desk->db, q->id, &number);
	if (a != APP_OK) {
		api_error(r, 404, "not_found", "no such remote session");
		return;
	}
	if (!allowed(q, r, number, AZ_TICKET_SOLVE))
		return;
	a = end ? remote_end(q->desk->db, q->env->pol, q->env->cal, q->id,
	                     q->who.email, q->now, &entry)
	        : remote_start(q->desk->db, q->id, q->who.email, q->now);
	if (a != APP_OK) {
		api_app_fail(q, r, a);
		return;
	}
	answer(q, r, number, q->id, 200);
}

void
h_remote_start(struct api_req *q, struct api_resp *r)
{
	start_or_end(q, r, 0);
}

void
h_remote_end(struct api_req *q, struct api_resp *r)
{
	start_or_end(q, r, 1);
}
