/*
 * imap_internal.h - inside src/mail only: what the IMAP client's files
 * (imap.c, imap_parse.c, imap_cmds.c) share: the session and the way a
 * command is sent and answered.
 */
#ifndef SOPORTE_MAIL_IMAP_INTERNAL_H
#define SOPORTE_MAIL_IMAP_INTERNAL_H

#include "mail/imap.h"

#include <curl/curl.h>
#include <stddef.h>

#define IMAP_LITS 8           /* literals in one response */
#define IMAP_CMD_MAX 1024

struct imap {
	CURL *curl;
	curl_socket_t sock;
	int timeout_ms;
	unsigned tag;
	int cap_move, cap_uidplus;
	int broken;               /* a protocol error or a dropped connection */
	char mailbox[IMAP_MAILBOX_MAX + 1];
	char name[512];
	char err[256];

	char rbuf[16384];         /* bytes received, not yet consumed */
	size_t rpos, rlen;

	/* The response being read: text with literal markers, and the
	 * literals' bytes. */
	struct buf text;
	struct buf lit;
	size_t litoff[IMAP_LITS], litlen[IMAP_LITS];
	int nlit;
	int lit_too_big;          /* a literal was over the cap (drained) */
};

enum imap_rc imap_fail(struct imap *im, enum imap_rc rc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

typedef enum imap_rc untagged_fn(struct imap *im, void *ctx);

/* Sends one command and reads its responses up to the tagged one; each
 * untagged response goes to fn (when not NULL). */
enum imap_rc imap_command(struct imap *im, untagged_fn *fn, void *ctx,
                          const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* Quotes an operator-given mailbox name; 0 on success. Only printable
 * ASCII: other names need modified UTF-7, which the operator writes. */
int imap_quote_mailbox(const char *name, char *out, size_t outlen);

/* imap_parse.c: whether the text at p begins with word (any case). */
int imap_word_at(const char *p, const char *end, const char *word);

#endif
