/*
 * events.h - GET /api/events: the live queue as Server-Sent Events
 * (issue 19; docs/api.md "Live events").
 *
 * The source is the database (live_events, written by audit_record() in
 * the transaction of each change), so every server on one database sends
 * the same events. One hub thread per server reads what is new with one
 * query for all its streams (every EVENTS_POLL_MS), keeps for each
 * stream the events its user may read (a client's user: their own
 * organization's tickets, and not staff business such as internal
 * notes), and wakes the stream's connection.
 *
 * A stream never holds a worker thread: its response comes from a
 * callback that hands out what is queued and otherwise suspends the
 * connection until the hub resumes it (libmicrohttpd's suspend/resume).
 * Each stream gets a comment line every EVENTS_HEARTBEAT_S (proxies keep
 * it, and a closed peer is noticed), ends after EVENTS_LIFETIME_S (the
 * browser reconnects with Last-Event-ID and is authenticated again), and
 * there are at most EVENTS_PER_SESSION per session and EVENTS_MAX in all.
 */
#ifndef SOPORTE_HTTP_EVENTS_H
#define SOPORTE_HTTP_EVENTS_H

#include "http/api.h"

#include <microhttpd.h>

#define EVENTS_POLL_MS 250
#define EVENTS_HEARTBEAT_S 15
#define EVENTS_LIFETIME_S 600
#define EVENTS_PER_SESSION 4
#define EVENTS_MAX 256
#define EVENTS_REPLAY_MAX 500   /* events a resumed stream may catch up */
#define EVENTS_KEEP_S 86400     /* events older than this are deleted, */
#define EVENTS_PRUNE_EVERY_S 600 /* this often, by the hub with streams */

/* Starts the hub (its own database connection to db_url). 0 or -1. */
int events_start(const char *db_url);
/* Ends every stream, wakes the suspended ones and stops the hub: call
 * before MHD_stop_daemon(). */
void events_stop(void);
/* Frees what is left of the streams: after MHD_stop_daemon(). */
void events_free(void);
/* The response of a stream that h_events() admitted (r->stream_after),
 * for connection c; NULL when the caps are reached (*full set) or out of
 * memory. */
struct MHD_Response *events_response(struct MHD_Connection *c,
                                     const struct api_req *q,
                                     const struct api_resp *r, int *full);

#endif
