/*
 * sender_check.c - who may change a ticket by mail (see sender_check.h).
 */
#include "app/intake/sender_check.h"
#include "app/base/desk_key.h"
#include "app/config/settings.h"
#include "app/ticket/ticket_merge.h"
#include "mail/authres.h"
#include "mail/intent.h"
#include "mail/reply_token.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

static const enum wf_cmd by_intent[] = {
	[INTENT_NONE] = WF_CMD_CLIENT_REPLY,
	[INTENT_CONFIRM] = WF_CMD_CONFIRM,
	[INTENT_NOT_SOLVED] = WF_CMD_REOPEN,
	[INTENT_RAISE] = WF_CMD_RAISE_REQUEST,
	[INTENT_PM] = WF_CMD_PM_REQUEST,
};

enum wf_cmd
sender_intent_cmd(const char *intent)
{
	for (int i = INTENT_CONFIRM; intent && i <= INTENT_PM; i++)
		if (strcmp(reply_intent_name((enum reply_intent)i), intent) == 0)
			return by_intent[i];
	return WF_CMD_CLIENT_REPLY;
}

enum store_rc
sender_verified(struct store *db, const struct mail *m, int64_t ticket_id,
                int *verified, const char **how)
{
	*verified = 0;
	*how = "none";
	if (authres_dmarc(m, settings_current()->trusted_authserv_id) ==
	    AUTHRES_DMARC_PASS) {
		*verified = 1;
		*how = "dmarc";
		return STORE_OK;
	}
	unsigned char key[DESK_KEY_BYTES];
	enum store_rc rc = desk_key_get(db, "reply_token", 0, 0, key);
	if (rc == STORE_NOTFOUND)
		return STORE_OK;   /* no token was ever made */
	if (rc != STORE_OK)
		return rc;
	int ok = reply_token_in(m, key, ticket_id);
	/* Our mail about a ticket merged into this one carries that
	 * ticket's token (app/ticket/ticket_merge.h). */
	struct store_rows *r;
	if (!ok && (rc = store_query(db, "SELECT id FROM tickets WHERE "
	                             "merged_into = $1",
	                             STORE_PARAMS(SP_I(ticket_id)), &r)) == STORE_OK) {
		while (!ok && (rc = store_next(r)) == STORE_ROW)
			ok = reply_token_in(m, key, store_int(r, 0));
		store_done(r);
		if (rc == STORE_ROW || rc == STORE_DONE)
			rc = STORE_OK;
	}
	sodium_memzero(key, sizeof key);
	if (ok) {
		*verified = 1;
		*how = "reply_token";
	}
	return rc;
}

enum store_rc
sender_reply_effect(const struct tcmd_env *env, const struct mail *m,
                    int64_t ticket_id, int64_t number, int64_t contact,
                    int64_t message_id, char *reason, size_t reasonlen)
{
	int verified = 0;
	const char *how = "none";
	enum store_rc rc = sender_verified(env->db, m, ticket_id, &verified, &how);
	if (rc != STORE_OK)
		return rc;
	const char *phrase = NULL;
	enum reply_intent intent = reply_intent_of(m->display_text, &phrase);
	enum wf_cmd want = verified ? by_intent[intent] : WF_CMD_CLIENT_REPLY;
	enum wf_cmd applied = WF_CMD_COUNT;
	rc = tcmd_client_message(env, want, &applied, ticket_id, contact,
	                         m->display_text);
	if (rc != STORE_OK)
		return rc;
	const char *status = intent == INTENT_NONE ? NULL
	                     : !verified           ? "pending"
	                     : applied == want     ? "applied"
	                                           : "refused";
	rc = store_exec(env->db,
	                "UPDATE messages SET verified = $2, intent = $3, "
	                "intent_status = $4 WHERE id = $1",
	                STORE_PARAMS(SP_I(message_id), SP_I(verified),
	                             SP_T(intent == INTENT_NONE
	                                      ? NULL
	                                      : reply_intent_name(intent)),
	                             SP_T(status)));
	if (rc != STORE_OK || intent == INTENT_NONE)
		return rc;
	snprintf(reason, reasonlen, "reply to #%06lld: %s (\"%s\")%s%s",
	         (long long)number, reply_intent_name(intent), phrase,
	         !verified         ? ", unverified sender: left for staff"
	         : applied == want ? ", sender verified by "
	                           : ", taken as a reply; sender verified by ",
	         verified ? how : "");
	return STORE_OK;
}

enum store_rc
sender_thread_by_refs(struct store *db, const struct mail *m,
                      route_lookup_fn lookup, void *lookup_ctx,
                      uint32_t *number, int64_t *ticket_id, int64_t *client_id)
{
	uint32_t n = 0;
	int found = m->in_reply_to && lookup(lookup_ctx, m->in_reply_to, &n);
	for (size_t i = m->nreferences; !found && i > 0; i--)
		found = lookup(lookup_ctx, m->references[i - 1], &n);
	if (!found)
		return STORE_NOTFOUND;
	/* A merged ticket's message leads to the ticket holding it now. */
	int64_t num = n;
	enum store_rc rc = ticket_survivor(db, &num, ticket_id, client_id);
	if (rc == STORE_OK)
		*number = (uint32_t)num;
	return rc;
}
