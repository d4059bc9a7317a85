/*
 * fetchmail.h - one polling round of an IMAP mailbox into the desk.
 *
 * SECURITY: the server and the messages are untrusted (see mail/imap.h and
 * app/intake.h); the URL and folder names are the operator's.
 *
 * fetchmail_round():
 *  1. logs in and selects the mailbox; reads its UIDVALIDITY;
 *  2. takes the last UID done from imap_state (keyed by user@host:port/
 *     mailbox); when UIDVALIDITY changed, or the mailbox is new to us, it
 *     starts over from UID 1: messages seen before come back as
 *     INTAKE_DUPLICATE (intake dedupes by Message-ID), so nothing is
 *     stored twice;
 *  3. for each newer UID, in order: fetches it with BODY.PEEK[] (the
 *     message stays unseen), hands it to intake_deliver(), and only once
 *     it is stored (STORED or DUPLICATE) marks it \Seen, moves it when
 *     move_to is set, and records the UID in imap_state. A crash at any
 *     point leaves the UID to be fetched again next round, a duplicate.
 *     INTAKE_TEMPFAIL stops the round (nothing marked, nothing recorded),
 *     and so does a server that refuses the FETCH (NO: it may pass). A
 *     message too large for intake (over 64 MiB, or refused by it for
 *     good) is left unseen in the mailbox for an operator, with a
 *     warning, and skipped; so is one expunged by someone else meanwhile.
 *
 * Returns FETCHMAIL_OK (the round went through the mailbox; see stats),
 * FETCHMAIL_TEMPFAIL (server unreachable, a dropped connection, a busy
 * database or an intake tempfail: try again later), FETCHMAIL_LOGIN (the
 * server refused the login), FETCHMAIL_CONFIG (a bad URL or folder name).
 * err gets one line for anything but FETCHMAIL_OK.
 */
#ifndef SOPORTE_APP_FETCHMAIL_H
#define SOPORTE_APP_FETCHMAIL_H

#include "app/intake.h"

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
	volatile sig_atomic_t *stop;   /* set by a signal: end after this message */
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
