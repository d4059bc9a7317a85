/*
 * intent_apply.c - staff apply an unverified mail's intent (see
 * intent_apply.h).
 */
#include "app/intake/intent_apply.h"
#include "app/base/audit.h"
#include "app/intake/sender_check.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum store_rc
intent_message_ticket(struct store *db, int64_t message_id, int64_t *number,
                      int64_t *client_id, int64_t *assignee_id)
{
	struct store_rows *r;
	enum store_rc rc = store_query_row(
	    db,
	    "SELECT t.number, t.client_id, t.assignee_id FROM messages m JOIN "
	    "tickets t ON t.id = m.ticket_id WHERE m.id = $1 AND m.kind = 'in'",
	    STORE_PARAMS(SP_I(message_id)), &r);
	if (rc != STORE_OK)
		return rc;
	*number = store_int(r, 0);
	*client_id = store_int(r, 1);
	*assignee_id = store_isnull(r, 2) ? 0 : store_int(r, 2);
	store_done(r);
	return STORE_OK;
}

/* The pending intent of message_id and who wrote it, inside the open
 * transaction: STORE_OK, STORE_NOTFOUND (no incoming message on a
 * ticket), STORE_CONSTRAINT (nothing pending on it). */
static enum store_rc
pending(struct store *db, int64_t message_id, int64_t *number,
        int64_t *contact, char intent[32])
{
	struct store_rows *r;
	enum store_rc rc = store_query_row(
	    db,
	    "SELECT t.number, m.contact_id, m.intent, m.intent_status FROM "
	    "messages m JOIN tickets t ON t.id = m.ticket_id WHERE m.id = $1 AND "
	    "m.kind = 'in'",
	    STORE_PARAMS(SP_I(message_id)), &r);
	if (rc != STORE_OK)
		return rc;
	*number = store_int(r, 0);
	*contact = store_isnull(r, 1) ? 0 : store_int(r, 1);
	snprintf(intent, 32, "%s", store_isnull(r, 2) ? "" : store_text(r, 2));
	rc = !store_isnull(r, 3) && strcmp(store_text(r, 3), "pending") == 0
	         ? STORE_OK
	         : STORE_CONSTRAINT;
	store_done(r);
	return rc;
}

static enum tcmd_rc
fail(const struct tcmd_env *env, enum tcmd_rc t)
{
	store_rollback(env->db);
	return t;
}

enum tcmd_rc
intent_apply(const struct tcmd_env *env, int64_t message_id,
             const struct tcmd_who *who, struct tcmd_result *res)
{
	memset(res, 0, sizeof *res);
	if (who->role != WF_ROLE_CONSULTANT && who->role != WF_ROLE_PM &&
	    who->role != WF_ROLE_ADMIN) {
		res->refusal = WF_E_FORBIDDEN;
		snprintf(res->message, sizeof res->message,
		         "only staff apply what a client's mail asked");
		return TCMD_REFUSED;
	}
	struct store *db = env->db;
	enum store_rc rc = store_begin(db, 1);
	int64_t number = 0, contact = 0;
	char intent[32] = "";
	if (rc == STORE_OK)
		rc = pending(db, message_id, &number, &contact, intent);
	if (rc != STORE_OK) {
		enum tcmd_rc t = rc == STORE_NOTFOUND ? TCMD_NOT_FOUND
		                 : rc == STORE_CONSTRAINT ? TCMD_REFUSED
		                 : rc == STORE_BUSY       ? TCMD_BUSY
		                                          : TCMD_ERROR;
		snprintf(res->message, sizeof res->message, "%s",
		         rc == STORE_NOTFOUND ? "no incoming message on a ticket has "
		                                "this id"
		         : rc == STORE_CONSTRAINT ? "this message asks for nothing "
		                                    "that waits for staff"
		                                  : store_errmsg(db));
		return fail(env, t);
	}
	struct tcmd_request req = {
		.cmd = sender_intent_cmd(intent),
		.number = number,
		.who = *who,
		.no_message = 1,
	};
	enum tcmd_rc t = tcmd_apply(env, &req, res);
	if (t != TCMD_OK)
		return fail(env, t);
	rc = store_exec(db,
	                "UPDATE messages SET intent_status = 'applied' WHERE id = $1",
	                STORE_PARAMS(SP_I(message_id)));
	if (rc == STORE_OK)
		rc = audit_record(db, who->actor, res->ticket_id,
		                  "message.intent_applied",
		                  json_pack("{s:I, s:s, s:I}", "message_id",
		                            (json_int_t)message_id, "intent", intent,
		                            "contact_id", (json_int_t)contact),
		                  env->now);
	if (rc == STORE_OK)
		rc = store_commit(db);
	if (rc == STORE_OK)
		return TCMD_OK;
	snprintf(res->message, sizeof res->message, "%s", store_errmsg(db));
	return fail(env, rc == STORE_BUSY ? TCMD_BUSY : TCMD_ERROR);
}
