/*
 * intent_apply.h - staff apply what an unverified mail asked (R2, R7, R9).
 *
 * Mail whose sender was not authenticated (app/intake/sender_check.h) is
 * stored on its ticket with verified = 0 and, when its words asked for
 * something (confirm, not solved, raise the priority, the Project
 * Manager), that intent with intent_status 'pending'. A consultant who
 * checked with the client (a call, the portal) applies it: the intent's
 * lifecycle command runs as that consultant (the state machine decides
 * whether it is allowed now), the message is marked 'applied', and
 * "message.intent_applied" is audited with the consultant as actor, the
 * message, the intent and the contact who wrote it. One transaction.
 *
 * SECURITY: who acts is the caller's authenticated staff member (the API
 * principal, the CLI's --as); only consultants, Project Managers and
 * admins may apply (TCMD_REFUSED, WF_E_FORBIDDEN otherwise). The message
 * id is the caller's: a message on no ticket, outgoing, or with nothing
 * pending is refused, never guessed at.
 */
#ifndef SOPORTE_APP_INTENT_APPLY_H
#define SOPORTE_APP_INTENT_APPLY_H

#include "app/ticket/ticket_cmds.h"
#include "store/store.h"

#include <stdint.h>

/* The ticket incoming message message_id is on, for the door's
 * authorization: STORE_OK with *number, *client_id and *assignee_id (0:
 * none), STORE_NOTFOUND. */
enum store_rc intent_message_ticket(struct store *db, int64_t message_id,
                                    int64_t *number, int64_t *client_id,
                                    int64_t *assignee_id);

/* Applies the pending intent of message_id as who. TCMD_OK (res: the
 * ticket after it), TCMD_NOT_FOUND, TCMD_REFUSED (res->message says
 * why: nothing pending, or the state machine's refusal), TCMD_BUSY,
 * TCMD_ERROR. */
enum tcmd_rc intent_apply(const struct tcmd_env *env, int64_t message_id,
                          const struct tcmd_who *who, struct tcmd_result *res);

#endif
