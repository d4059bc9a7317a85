/*
 * api_fail.c - the one failure answer of the API's handlers (see api.h):
 * the client gets a stable code, the server's log the store's detail.
 */
#include "http/api.h"
#include "core/workflow.h"
#include "util/log.h"

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
