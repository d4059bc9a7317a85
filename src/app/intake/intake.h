/*
 * intake.h - one incoming message, from the MTA pipe or IMAP, into the desk.
 *
 * SECURITY: the message is untrusted, byte for byte. It is stored first,
 * as it came, and only then parsed and routed; nothing in it can make the
 * desk answer (auto-replies, bounces, spam and unknown senders are never
 * answered) or reach another client's ticket (a reply is threaded only
 * when its sender is a contact of the ticket's client).
 *
 * A raw message is stored under msgid_key() (util/msgid.h): its
 * Message-ID, or a synthetic one from the bytes' hash; the light mail gate
 * (src/front) computes the same key, so the same message is stored once
 * whichever door it came through.
 *
 * intake_deliver(), for one message in hand (`soporte intake`, IMAP, the
 * gate on PostgreSQL), in ONE transaction:
 *  1. stores the raw message, keyed as above;
 *  2. routes it under a savepoint: a new ticket (with entitlement, the
 *     acknowledgment queued), a reply on its ticket, an auto-reply or
 *     bounce recorded, spam or mail not for support set aside, or a
 *     message held for review (unknown sender, unknown ticket);
 *  3. if routing fails for a reason other than a busy database (or the
 *     message cannot be parsed), what routing did is rolled back to the
 *     savepoint and the raw message is kept, marked 'failed' with the
 *     reason, for an operator.
 * One commit (one disk flush) per message. Nothing is stored unless the
 * whole transaction commits: a busy database or a crash before the commit
 * leaves nothing, and the caller's retry starts over.
 * The same Message-ID delivered again is stored once; if its first
 * delivery was stored but never routed (still 'pending', e.g. left by the
 * light gate), it is routed then.
 *
 * intake_deliver_group(), for many messages in hand (`soporte intake`):
 * each is stored and routed exactly as intake_deliver() would (same
 * order, same savepoint per message: one that fails to route is kept,
 * marked 'failed', and the others go on), but all in ONE transaction:
 * one commit, one disk flush for the group. Nothing of the group is
 * stored until that commit: a crash before it leaves none of them (a
 * retry stores each once; those committed before are duplicates). When
 * the store fails in the middle (busy, an error), the group is rolled
 * back and each message delivered again in its own transaction, so out[]
 * and res[] say for each what intake_deliver() would have. A second
 * thread computes each message's key and hash and parses it (no store
 * access) while the calling thread stores and routes the ones before it;
 * so mail_init() runs here first, and must not run at the same time in
 * another thread.
 *
 * intake_route() routes one stored 'pending' row (the light gate's raw
 * row, when no worker is running); intake_route_pending() routes every
 * pending row in arrival order, per_tx rows per transaction (the resident
 * worker in `soporte serve`, app/intake/intake_worker.h). Both route a row as of
 * its arrival (received_at), claim it first (a row another router has
 * taken is skipped: each is routed once), and mark it 'failed' as above
 * when routing fails.
 *
 * intake_deliver() returns INTAKE_STORED (the message is durably stored:
 * tell the MTA "delivered"), INTAKE_DUPLICATE (already had it: also
 * "delivered"), INTAKE_TEMPFAIL (nothing stored: the MTA must retry, exit
 * 75), or INTAKE_REFUSED (nothing stored and retrying will not help).
 * intake_route() returns INTAKE_STORED (routed or marked failed: res
 * says), INTAKE_DUPLICATE (not pending: routed already, or no such row)
 * or INTAKE_TEMPFAIL (still pending: try again).
 */
#ifndef SOPORTE_APP_INTAKE_H
#define SOPORTE_APP_INTAKE_H

#include "core/calendar.h"
#include "core/policy.h"
#include "store/store.h"
#include "util/msgid.h"

#include <stddef.h>
#include <stdint.h>

#define INTAKE_MAX_BYTES MSGID_MAX_MESSAGE

enum intake_rc {
	INTAKE_STORED,
	INTAKE_DUPLICATE,
	INTAKE_TEMPFAIL,
	INTAKE_REFUSED,
};

struct intake_result {
	int64_t raw_id;
	char disposition[24];      /* ticket, reply, review, auto_reply, ... */
	int64_t ticket_number;     /* the ticket opened or replied to, or 0 */
	char reason[200];          /* why, in one line */
};

struct intake {
	struct store *db;
	const struct policy *pol;
	const struct calendar *cal;
};

enum intake_rc intake_deliver(const struct intake *in, const char *raw,
                              size_t len, const char *envelope_to, int64_t now,
                              struct intake_result *res);

/* One message of a group: its bytes and envelope recipient (NULL: none),
 * the caller's until intake_deliver_group() returns. */
struct intake_msg {
	const char *raw;
	size_t len;
	const char *envelope_to;
};

/* The bounds callers give a group: up to INTAKE_GROUP_MAX messages, and
 * no more than INTAKE_GROUP_BYTES together unless one alone is larger. */
#define INTAKE_GROUP_MAX 32
#define INTAKE_GROUP_BYTES (16u << 20)

/* res[n] and out[n]: each message's result and intake_deliver() answer. */
void intake_deliver_group(const struct intake *in,
                          const struct intake_msg *msgs, size_t n,
                          int64_t now, struct intake_result *res,
                          enum intake_rc *out);

enum intake_rc intake_route(const struct intake *in, int64_t raw_id,
                            struct intake_result *res);

/* Routes up to max pending rows (0: all) older than raw row before (0:
 * any), oldest first; returns how many were taken. *rc: INTAKE_STORED,
 * or INTAKE_TEMPFAIL when it stopped on a busy or failing store (the
 * rest stay pending). */
int intake_route_pending(const struct intake *in, int64_t before, int max,
                         int per_tx, enum intake_rc *rc);

#endif
