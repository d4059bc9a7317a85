/*
 * intake.h - one incoming message, from the MTA pipe or IMAP, into the desk.
 *
 * SECURITY: the message is untrusted, byte for byte. It is stored first,
 * as it came, and only then parsed and routed; nothing in it can make the
 * desk answer (auto-replies, bounces, spam and unknown senders are never
 * answered) or reach another client's ticket (a reply is threaded only
 * when its sender is a contact of the ticket's client).
 *
 * intake_deliver():
 *  1. stores the raw message in its own transaction, keyed by Message-ID
 *     (a synthetic one from the bytes' hash when it has none): once that
 *     commits, the message is safe, whatever happens next;
 *  2. routes it in a second transaction: a new ticket (with entitlement,
 *     the acknowledgment queued), a reply on its ticket, an auto-reply or
 *     bounce recorded, spam or mail not for support set aside, or a
 *     message held for review (unknown sender, unknown ticket);
 *  3. if routing fails for a reason other than a busy database, the raw
 *     message is marked 'failed' with the reason, for an operator.
 * The same Message-ID delivered again is stored once; if its first
 * delivery never finished routing (still 'pending'), routing runs again.
 *
 * Returns INTAKE_STORED (the message is durably stored: tell the MTA
 * "delivered"), INTAKE_DUPLICATE (already had it: also "delivered"),
 * INTAKE_TEMPFAIL (nothing stored: the MTA must retry, exit 75), or
 * INTAKE_REFUSED (nothing stored and retrying will not help).
 */
#ifndef SOPORTE_APP_INTAKE_H
#define SOPORTE_APP_INTAKE_H

#include "core/calendar.h"
#include "core/policy.h"
#include "store/store.h"

#include <stddef.h>
#include <stdint.h>

#define INTAKE_MAX_BYTES (64u * 1024 * 1024)

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

#endif
