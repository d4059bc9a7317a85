/*
 * sender_check.h - who may change a ticket by mail (R2), and threading
 * that survives renumbering.
 *
 * A reply from a contact of the ticket's client always threads in (a
 * plain follow-up adds text and resumes a ticket waiting on the client,
 * as any answer does: R9). What its words ask - confirm, not solved,
 * raise the priority, the Project Manager (mail/intent.h) - changes the
 * ticket only when its sender is authenticated:
 *  (a) the desk's own MTA reported DMARC pass for the From domain in the
 *      topmost Authentication-Results carrying the authserv-id the
 *      operator trusts ([mail] trusted_authserv_id, app/config/
 *      settings.h; mail/authres.h says which header counts), or
 *  (b) In-Reply-To or References carry the reply token of this ticket
 *      (mail/reply_token.h), which only the desk's own mail carries.
 * Otherwise the message is stored with verified = 0, its intent and
 * intent_status 'pending': staff see it as unverified and a consultant
 * may apply it (app/intake/intent_apply.h).
 *
 * SECURITY: the mail is untrusted; a From header proves nothing by
 * itself. The contact check (From is a contact of the ticket's client)
 * is the caller's and comes first.
 */
#ifndef SOPORTE_APP_SENDER_CHECK_H
#define SOPORTE_APP_SENDER_CHECK_H

#include "app/ticket/ticket_cmds.h"
#include "mail/parse.h"
#include "mail/route.h"
#include "store/store.h"

#include <stddef.h>
#include <stdint.h>

/* Whether m's sender is authenticated for ticket_id; *how (static) says
 * by what: "dmarc", "reply_token", or "none". */
enum store_rc sender_verified(struct store *db, const struct mail *m,
                              int64_t ticket_id, int *verified,
                              const char **how);

/*
 * After reply m from contact was recorded as message row message_id on
 * ticket_id (number): runs what it may run (what it asks when its sender
 * is authenticated, else a plain client reply: tcmd_client_message()),
 * records verified, intent and intent_status on the message, and writes
 * a one-line account into reason.
 */
enum store_rc sender_reply_effect(const struct tcmd_env *env,
                                  const struct mail *m, int64_t ticket_id,
                                  int64_t number, int64_t contact,
                                  int64_t message_id, char *reason,
                                  size_t reasonlen);

/*
 * A reply whose subject tag or acknowledgment id names a ticket this
 * desk does not have (renumbered, imported): the ticket of the newest id
 * in In-Reply-To, then References newest to oldest, that lookup knows
 * (a Message-ID the desk stored). STORE_OK with *number, *ticket_id and
 * *client_id, STORE_NOTFOUND when none.
 */
enum store_rc sender_thread_by_refs(struct store *db, const struct mail *m,
                                    route_lookup_fn lookup, void *lookup_ctx,
                                    uint32_t *number, int64_t *ticket_id,
                                    int64_t *client_id);

/* The lifecycle command a reply's intent asks for (WF_CMD_CLIENT_REPLY
 * for none); intent is a reply_intent_name() or NULL. */
enum wf_cmd sender_intent_cmd(const char *intent);

#endif
