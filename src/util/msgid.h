/*
 * msgid.h - the key a raw message is stored under: its Message-ID, or a
 * synthetic id from its bytes.
 *
 * SECURITY: the message is untrusted; the scan reads only its header,
 * bounds every copy, and yields printable ASCII only.
 *
 * One function, used by every door (the light mail gate, `soporte intake`,
 * IMAP), so the same message always gets the same key and is stored once
 * (raw_messages.message_id is UNIQUE). It needs only libc and libsodium
 * (SHA-256), so the light `soporte` front binary links it without GMime.
 *
 * msgid_key() finds the Message-ID header (unfolding continuation lines;
 * of several, the last, as GMime does), drops comments and white space around it and one pair of <>,
 * and returns what is left when it is 1..MSGID_MAX-1 printable ASCII
 * bytes without space. For the Message-IDs real mail carries this is what
 * GMime's parse gives too (tests/unit/test_msgid.c checks every corpus
 * message). Otherwise (no header, empty, 8-bit bytes, too long) the key
 * is the synthetic id mail_parse() gives such a message:
 * "synthetic.<32 hex>@soporte.invalid", the SHA-256 of the message without
 * its trace fields (Received, Return-Path, Delivered-To, X-Original-To)
 * and without CRs, so a second delivery of the same message (one more
 * Received line, CRLF from another hop) gets the same id.
 */
#ifndef SOPORTE_UTIL_MSGID_H
#define SOPORTE_UTIL_MSGID_H

#include "util/buf.h"

#include <stddef.h>

#define MSGID_MAX 320
/* The largest message any door takes (a bigger one is refused for good). */
#define MSGID_MAX_MESSAGE (64u * 1024 * 1024)

/* Writes the key into out; returns 1 when it is synthetic, else 0. */
int msgid_key(const char *raw, size_t len, char out[MSGID_MAX]);

/* The synthetic id alone (mail_parse() uses it for a message whose
 * Message-ID header is missing or empty). */
void msgid_synthetic(const char *raw, size_t len, char out[MSGID_MAX]);

/* Reads the message an MTA pipes to a gate, all of standard input up to
 * MSGID_MAX_MESSAGE, into b (BUF_INIT(MSGID_MAX_MESSAGE)). Returns 0, or
 * the gate's exit status after logging why: 65 (EX_DATAERR) when larger,
 * 75 (EX_TEMPFAIL) when it cannot be read. */
int msgid_read_stdin(struct buf *b);

#endif
