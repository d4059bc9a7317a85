/*
 * live_events.h - the live queue's events, read back (issue 19).
 *
 * audit_record() writes one row per change to a ticket (live_events, in
 * the transaction of the change); the server's event hub reads them here
 * in id order with one query for all its streams, and each stream keeps
 * those its user may see (GET /api/events, docs/api.md).
 */
#ifndef SOPORTE_APP_LIVE_EVENTS_H
#define SOPORTE_APP_LIVE_EVENTS_H

#include "store/store.h"

#include <stdint.h>

struct live_event {
	int64_t id;
	int64_t at;
	int64_t number;          /* the ticket's */
	int64_t client_id;
	int64_t assignee_id;     /* 0: nobody */
	int64_t actor_user_id;   /* who changed it; 0: the system, a mail */
	int severity;
	char action[48];         /* the audit action: ticket.opened, ... */
	char state[32];          /* the ticket's state now */
};

/* Up to max events with id > after, oldest first, into out; *n says how
 * many. */
enum store_rc live_events_since(struct store *db, int64_t after,
                                struct live_event *out, int max, int *n);
/* The newest event's id (0 when none): where a new stream starts. */
enum store_rc live_events_last(struct store *db, int64_t *id);
/* Deletes the events older than before but the newest (streams resume
 * at most 500 back, and a browser reconnects within seconds). */
enum store_rc live_events_prune(struct store *db, int64_t before);
/* 1 when a client's user may see this kind of event on their own ticket
 * (not internal notes, causes, entitlement and other staff business). */
int live_event_for_clients(const char *action);

#endif
