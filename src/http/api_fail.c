/*
 * api_fail.c - the one failure answer of the API's handlers (see api.h):
 * the client gets a stable code, the server's log the store's detail.
 */
#include "http/api.h"
#include "app/ticket/ticket_query.h"
#include "core/workflow.h"
#include "util/log.h"

#include <inttypes.h>
#include <stdio.h>

static void
log_failure(const struct api_req *q)
{
	log_warn("api: %s %s: %s", http_method_name(q->method), q->path,
	         desk_errmsg(q->desk));
}

void
api_fail(struct api_req *q, struct api_resp *r, enum store_rc rc)
{
	if (rc == STORE_ERROR || rc == STORE_CONSTRAINT)
		log_failure(q);
	api_store_error(r, q->desk, rc);
}

void
api_app_fail(struct api_req *q, struct api_resp *r, enum app_rc rc)
{
	switch (rc) {
	case APP_OK:
		return;
	case APP_REFUSED:
		api_error(r, 409, "refused", "%s", desk_errmsg(q->desk));
		return;
	case APP_BUSY:
		api_store_error(r, q->desk, STORE_BUSY);
		return;
	case APP_FAILED:
		break;
	}
	log_failure(q);
	api_error(r, 500, "internal", "internal error");
}

void
api_refused(struct api_resp *r, int refusal, const char *message)
{
	api_error(r, 409, "refused", "%s", message);
	if (refusal != WF_OK && r->json)
		json_object_set_new(json_object_get(r->json, "error"), "reason",
		                    json_string(wf_refusal_code((enum wf_refusal)refusal)));
}

void
api_tcmd_fail(struct api_req *q, struct api_resp *r, enum tcmd_rc rc,
              const struct tcmd_result *res)
{
	switch (rc) {
	case TCMD_OK:
		return;
	case TCMD_REFUSED:
		api_refused(r, res->refusal, res->message);
		return;
	case TCMD_NOT_FOUND:
		api_error(r, 404, "not_found", "%s", res->message);
		return;
	case TCMD_TOO_LARGE:
		api_error_at(r, 413, "too_large", "attachments", "%s", res->message);
		return;
	case TCMD_CONFLICT:
		api_error(r, 412, "stale",
		          "the ticket changed since you read it; reload and retry");
		return;
	case TCMD_BUSY:
		r->retry_after_s = 2;
		api_error(r, 503, "busy", "the database is busy; retry shortly");
		return;
	case TCMD_ERROR:
		break;
	}
	log_warn("api: %s: %s", q->path, res->message);
	api_error(r, 500, "internal", "internal error");
}

void
api_ticket_answer(struct api_req *q, struct api_resp *r, unsigned status,
                  int64_t number)
{
	struct ticket_ref t;
	json_t *o;
	enum store_rc rc = ticket_get_json(q->desk->db, q->env ? q->env->cal : NULL,
	                                   q->env ? q->env->pol : NULL, q->now,
	                                   number, &t, &o);
	if (rc != STORE_OK) {
		api_fail(q, r, rc);
		return;
	}
	snprintf(r->etag, sizeof r->etag, "\"%" PRId64 "\"", t.version);
	api_json(r, status, o);
}
