/*
 * ticket_query.h - tickets and what hangs off them, read for the API.
 *
 * The filtered, keyset-paginated ticket list (state, severity, client,
 * assignee, SLA status, full text; sorted by response deadline or by
 * number; its full-text parts are search.c), one ticket, its messages,
 * attachments, time entries, contact attempts and escalations. The audit
 * trail is listed by app/base/audit.h, the few ticket fields staff may set
 * directly by ticket_update.h; lifecycle changes (reply, wait, solve,
 * escalate, ...) are the commands of ticket_cmds.
 *
 * Internal notes (and their attachments) are left out unless
 * include_internal is set: clients never see them, nor find tickets by
 * their words.
 *
 * SECURITY: filter values come from requests (untrusted): they are
 * bound; the SQL is assembled only from fixed fragments; the text query
 * goes through search_query().
 */
#ifndef SOPORTE_APP_TICKET_QUERY_H
#define SOPORTE_APP_TICKET_QUERY_H

#include "app/base/audit.h"
#include "store/store.h"

#include <jansson.h>
#include <stdint.h>

struct calendar;
struct policy;

enum sla_filter { SLAF_ANY, SLAF_PENDING, SLAF_AT_RISK, SLAF_BREACHED, SLAF_MET };
enum ticket_sort { SORT_DEADLINE, SORT_NUMBER };

#define TICKET_CURSOR_LEN 48

struct ticket_query {
	const char *state;        /* NULL: any; "open": not closed; or a state */
	int severity;             /* 0: any */
	int64_t client_id;        /* 0: any */
	int64_t assignee_id;      /* 0: any, -1: unassigned */
	enum sla_filter sla;
	int escalated;            /* 1: only escalated tickets (R7) */
	const char *text;         /* NULL: no full-text filter */
	enum ticket_sort sort;
	const char *cursor;       /* NULL: first page; else from the last page */
	int limit;                /* 1..200 */
	int include_internal;     /* search internal notes too */
	int at_risk_percent;      /* of the response time used: "at risk" */
	int64_t now;
	const struct policy *pol; /* NULL: items without their "sla" object */
};

/* Parses "open", a state name or NULL; returns 0 or -1 (unknown). */
int ticket_state_valid(const char *s);
/* Parses "pending" | "at_risk" | "breached" | "met"; -1 when unknown. */
int sla_status_parse(const char *s);

/* A page of tickets in *items (JSON array); next receives the cursor of
 * the next page ("" when this is the last). STORE_CONSTRAINT for a
 * malformed cursor (message says so). */
enum store_rc ticket_query_list(struct store *db, const struct calendar *cal,
                                const struct ticket_query *q, json_t **items,
                                char next[TICKET_CURSOR_LEN]);

struct ticket_ref {
	int64_t id, number, client_id, assignee_id, version;
	char state[24];
};
/* STORE_NOTFOUND when there is no ticket number. */
enum store_rc ticket_ref_get(struct store *db, int64_t number,
                             struct ticket_ref *t);
/* Ticket number as JSON (no messages), with its "sla" object at now and
 * its "pauses" when pol is given (see ticket_view.h). With t, also what
 * ticket_ref_get() gives, from the same row (a caller authorizes with it
 * before sending the JSON: one query instead of two). */
enum store_rc ticket_get_json(struct store *db, const struct calendar *cal,
                              const struct policy *pol, int64_t now,
                              int64_t number, struct ticket_ref *t,
                              json_t **out);

/* Messages of ticket_id after message id after_id, up to limit. */
enum store_rc ticket_messages_json(struct store *db, const struct calendar *cal,
                                   int64_t ticket_id, int include_internal,
                                   int64_t after_id, int limit, json_t **out);
/* Lists of a ticket in id order: those after id after_id, up to limit. */
enum store_rc ticket_attachments_json(struct store *db, int64_t ticket_id,
                                      int include_internal, int64_t after_id,
                                      int limit, json_t **out);

enum ticket_child { CHILD_TIME_ENTRIES, CHILD_CONTACT_ATTEMPTS, CHILD_ESCALATIONS };
enum store_rc ticket_children_json(struct store *db, const struct calendar *cal,
                                   enum ticket_child which, int64_t ticket_id,
                                   int64_t after_id, int limit, json_t **out);

struct attachment_ref {
	int64_t id, ticket_id, client_id;
	int internal;              /* on an internal note */
	char filename[256];
	char content_type[128];
	int stored;                /* bytes kept in the blob store */
};
/* The attachment's facts; STORE_NOTFOUND when unknown or not on a
 * ticket. */
enum store_rc attachment_ref_get(struct store *db, int64_t id,
                                 struct attachment_ref *a);
/* Its bytes (malloc'd, caller frees); STORE_NOTFOUND when not kept. */
enum store_rc attachment_bytes(struct store *db, int64_t id, void **bytes,
                               size_t *len);

/* Gauges for /metrics. */
struct desk_gauges {
	int64_t open_tickets, at_risk, breached, unassigned;
	int64_t mail_queued, mail_failed, jobs_pending, review_queue;
};
enum store_rc desk_gauges_get(struct store *db, int64_t now,
                              int at_risk_percent, struct desk_gauges *g);

#endif
