/*
 * fetchmail.h - one polling round of an IMAP mailbox into the desk.
 *
 * SECURITY: the server and the messages are untrusted (see mail/imap.h and
 * app/intake/intake.h); the URL and folder names are the operator's.
 *
 * fetchmail_round():
 *  1. logs in and selects the mailbox; reads its UIDVALIDITY;
 *  2. takes the last UID done from imap_state (keyed by user@host:port/
 *     mailbox); when UIDVALIDITY changed, or the mailbox is new to us, it
 *     starts over from UID 1: messages seen before come back as
 *     INTAKE_DUPLICATE (intake dedupes by Message-ID), so nothing is
 *     stored twice;
 *  3. takes the newer UIDs in runs, in order: fetches a run's messages
 *     with BODY.PEEK[] (they stay unseen), up to the group bounds of
 *     app/intake/intake.h (32 messages, 16 MiB), hands them to
 *     intake_deliver_group() (one transaction, one commit), and only after
 *     that commit, in UID order, marks each stored one (STORED or
 *     DUPLICATE) \Seen, moves it when move_to is set, and then records in
 *     imap_state the last UID so done. The UID is recorded after the
 *     marking, not in the group's transaction, on purpose: a crash
 *     between the commit and the marking leaves those UIDs to be fetched
 *     again next round, duplicates then marked, where a UID committed with
 *     the group would leave them unseen for good. So the record never
 *     passes a message not stored and marked.
 *     A message not stored (INTAKE_TEMPFAIL) stops the round there: it
 *     and the ones after it are neither marked nor recorded (those of its
 *     run that were stored come back as duplicates). A server that
 *     refuses a FETCH (NO: it may pass) stops the round after the run
 *     fetched before it is stored and marked. A message too large for
 *     intake (over 64 MiB, or refused by it for good) is left unseen in
 *     the mailbox for an operator, with a warning, and skipped; so is one
 *     expunged by someone else meanwhile.
 *
 * Returns FETCHMAIL_OK (the round went through the mailbox; see stats),
 * FETCHMAIL_TEMPFAIL (server unreachable, a dropped connection, a busy
 * database or an intake tempfail: try again later), FETCHMAIL_LOGIN (the
 * server refused the login), FETCHMAIL_CONFIG (a bad URL or folder name).
 * err gets one line for anything but FETCHMAIL_OK.
 */
#ifndef SOPORTE_APP_FETCHMAIL_H
#define SOPORTE_APP_FETCHMAIL_H

#include "app/intake/intake.h"

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

enum fetchmail_rc {
	FETCHMAIL_OK = 0,
	FETCHMAIL_TEMPFAIL,
	FETCHMAIL_LOGIN,
	FETCHMAIL_CONFIG,
};

struct fetchmail_opts {
	const char *url;            /* imap[s]://user:pass@host:port/MAILBOX */
	const char *move_to;        /* folder for stored messages, or NULL */
	const char *recipient;      /* envelope recipient to record, or NULL */
	long timeout_s;             /* per server answer */
	int64_t now;                /* the instant messages are received at */
	volatile sig_atomic_t *stop;   /* set by a signal: end after this run */
};

struct fetchmail_stats {
	int fetched;     /* messages fetched */
	int stored;      /* new to the desk */
	int duplicates;  /* already had them (same Message-ID) */
	int skipped;     /* refused or unavailable: left unseen */
	int restarted;   /* 1 when UIDVALIDITY changed and we started over */
};

enum fetchmail_rc fetchmail_round(const struct intake *in,
                                  const struct fetchmail_opts *o,
                                  struct fetchmail_stats *st, char *err,
                                  size_t errlen);

#endif
