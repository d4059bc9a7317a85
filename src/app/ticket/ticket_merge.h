/*
 * ticket_merge.h - merging two tickets of one client, and linking
 * related ones (issue 19: what a consultant needs on the ticket).
 *
 * Merge: the newer ticket's messages (with their files) move to the
 * older one, whose number stays; the newer is closed as a duplicate
 * through the lifecycle (core/workflow.h: its timers cancelled, its
 * client told which ticket now holds the case) and remembers where it
 * went (tickets.merged_into), so mail that still names its number, or
 * answers one of its messages, reaches the survivor. Its time entries
 * stay where they were logged: what was charged does not move. One
 * transaction; both tickets get an audit event "ticket.merged".
 *
 * Links: "see also" between two tickets of the same client, shown on
 * both; adding one twice or removing a missing one changes nothing.
 *
 * Who: staff only (the lifecycle's close decides for the newer ticket:
 * a consultant merges tickets assigned to them).
 */
#ifndef SOPORTE_APP_TICKET_MERGE_H
#define SOPORTE_APP_TICKET_MERGE_H

#include "app/ticket/ticket_cmds.h"

#include <jansson.h>
#include <stdbool.h>

/* Why a merge or a link is refused (TCMD_REFUSED with res->refusal =
 * WF_OK): the API's error code is ticket_merge_code(). */
enum ticket_merge_refusal {
	MERGE_OK = 0,
	MERGE_SAME,          /* a ticket with itself */
	MERGE_OTHER_CLIENT,  /* tickets of two clients */
	MERGE_MERGED,        /* one of them was already merged away */
	MERGE_NOT_STAFF,     /* clients do not merge or link */
};

struct ticket_merge_result {
	struct tcmd_result tcmd;    /* the lifecycle's answer (TCMD_REFUSED
	                               with a workflow refusal, or with
	                               WF_OK and `why` set) */
	enum ticket_merge_refusal why;
	int64_t survivor;           /* the number that stays (merge) */
	int64_t merged;             /* the number closed (merge) */
	int moved;                  /* messages moved (merge) */
};

/* The stable code of a refusal ("merge_other_client", ...). */
const char *ticket_merge_code(enum ticket_merge_refusal why);

/* Merges tickets number a and b (either order). */
enum tcmd_rc ticket_merge(const struct tcmd_env *env, int64_t a, int64_t b,
                          const struct tcmd_who *who,
                          struct ticket_merge_result *res);

/* Links (or with remove, unlinks) tickets number a and b. */
enum tcmd_rc ticket_link(const struct tcmd_env *env, int64_t a, int64_t b,
                         bool remove, const struct tcmd_who *who,
                         struct ticket_merge_result *res);

/* The tickets linked to ticket_id, as [{number, subject, state}] by
 * number, into *out (caller owns). */
enum store_rc ticket_links_json(struct store *db, int64_t ticket_id,
                                json_t **out);

/* The ticket that holds ticket number n's thread: n itself, or the one
 * it was merged into. *id and *client_id (may be NULL) of that ticket;
 * *n becomes its number. STORE_NOTFOUND when n does not exist. */
enum store_rc ticket_survivor(struct store *db, int64_t *n, int64_t *id,
                              int64_t *client_id);

#endif
