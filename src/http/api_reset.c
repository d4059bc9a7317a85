/*
 * api_reset.c - password reset by a mailed one-time link (issue 19):
 * the person asks from the login page (public; the answer never says
 * whether the address is an account's), an administrator asks for an
 * account, and the link's page sets the new password
 * (app/access/pw_reset.h, app/ticket/account_mail.h).
 */
#include "app/access/pw_reset.h"
#include "app/ticket/account_mail.h"
#include "http/api.h"
#include "http/api_handlers.h"

#include <string.h>

static int
have_policy(const struct api_req *q, struct api_resp *r)
{
	if (q->env && q->env->pol)
		return 1;
	api_error(r, 503, "unavailable", "the server has no policy loaded");
	return 0;
}

void
h_pw_reset_request(struct api_req *q, struct api_resp *r)
{
	if (!have_policy(q, r))
		return;
	enum store_rc rc = account_reset_by_email(
	    q->desk->db, q->env->pol,
	    json_string_value(json_object_get(q->body, "email")), q->now);
	if (rc != STORE_OK) {
		api_fail(q, r, rc);
		return;
	}
	api_json(r, 202,
	         json_pack("{s:s}", "note",
	                   "if the address is an active account's, a link to set "
	                   "a new password was mailed to it"));
}

void
h_user_pw_reset(struct api_req *q, struct api_resp *r)
{
	int sent = 0;
	if (!have_policy(q, r))
		return;
	enum store_rc rc = account_reset_by_id(q->desk->db, q->env->pol, q->id,
	                                       q->who.user_id, q->now, &sent);
	if (rc == STORE_CONSTRAINT) {
		api_error(r, 409, "inactive_account", "%s", desk_errmsg(q->desk));
		return;
	}
	if (rc != STORE_OK) {
		api_fail(q, r, rc);
		return;
	}
	if (!sent) {
		api_error(r, 429, "too_many_attempts",
		          "%d links were mailed to this account in the last hour",
		          PW_RESET_PER_HOUR);
		return;
	}
	api_json(r, 202, json_pack("{s:b}", "sent", 1));
}

void
h_pw_reset_confirm(struct api_req *q, struct api_resp *r)
{
	const char *refusal = NULL;
	enum store_rc rc = pw_reset_use(
	    q->desk->db, json_string_value(json_object_get(q->body, "token")),
	    json_string_value(json_object_get(q->body, "password")), q->now,
	    &refusal);
	if (rc == STORE_CONSTRAINT && refusal) {
		api_error_at(r, 400, refusal,
		             strcmp(refusal, PW_RESET_WEAK) == 0 ? "password"
		                                                 : "token",
		             "%s", desk_errmsg(q->desk));
		return;
	}
	if (rc != STORE_OK) {
		api_fail(q, r, rc);
		return;
	}
	api_json(r, 204, NULL);
}
