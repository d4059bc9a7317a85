/*
 * audit.h - the audit trail: one row per thing that happened.
 *
 * Every command records its audit event inside its own transaction, so
 * the trail and the change it describes commit or vanish together.
 * detail is a JSON object (may be NULL); it must never hold a secret.
 */
#ifndef SOPORTE_APP_AUDIT_H
#define SOPORTE_APP_AUDIT_H

#include "store/store.h"

#include <jansson.h>
#include <stdint.h>

enum actor_kind { ACTOR_SYSTEM, ACTOR_USER, ACTOR_CONTACT };

struct actor {
	enum actor_kind kind;
	int64_t id;              /* user or contact id; 0 for the system */
};

#define ACTOR_SYSTEM_INIT ((struct actor){ACTOR_SYSTEM, 0})

/* Records action on ticket_id (0: none) at now. Steals detail. An action
 * on a ticket is also a live event (live_events, ticket/live_events.h). */
enum store_rc audit_record(struct store *db, struct actor who,
                           int64_t ticket_id, const char *action,
                           json_t *detail, int64_t now);

/* The audit trail, newest first: of ticket_id when > 0, events with id
 * below before_id when > 0. */
enum store_rc audit_list_json(struct store *db, int64_t ticket_id,
                              int64_t before_id, int limit, json_t **out);

#endif
