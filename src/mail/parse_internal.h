/*
 * parse_internal.h - inside src/mail only: what the parser's files
 * (parse.c, parse_walk.c, parse_dsn.c, parse_headers.c) share: the walk's
 * state and the helpers each calls in another.
 */
#ifndef SOPORTE_MAIL_PARSE_INTERNAL_H
#define SOPORTE_MAIL_PARSE_INTERNAL_H

#include "mail/parse.h"
#include "util/buf.h"

#include <gmime/gmime.h>
#include <stddef.h>

struct acc {
	struct buf plain;
	struct buf html;
	struct buf fwd; /* text of a forwarded message/rfc822 */
};

#define ACC_INIT(lim)                                                   \
	{ BUF_INIT((lim)->max_text_bytes), BUF_INIT((lim)->max_text_bytes), \
	  BUF_INIT((lim)->max_text_bytes) }

struct walk {
	struct mail *m;
	struct mail_limits lim;
	GMimeParserOptions *opts;
	unsigned leaves;
	size_t kept; /* attachment bytes kept so far */
	size_t partcap;
	struct mail_dsn_rcpt dsn; /* the delivery-status block being read */
	int nomem;
};

/* parse.c */
/* A clean UTF-8 copy of s (NULL stays NULL). Returns -1 out of memory. */
int parse_dup_clean(char **dst, const char *s);
void parse_lowercase(char *s);
/* Strips surrounding spaces and one pair of <> in place. */
char *parse_strip_angles(char *s);
void parse_addr_list_free(struct mail_addr_list *l);

/* parse_walk.c */
void parse_acc_free(struct acc *a);
void parse_walk_object(struct walk *w, GMimeObject *obj, unsigned depth,
                       struct acc *acc, int collect);

/* parse_dsn.c */
/*
 * Parses "Name: value" fields (with folded continuation lines) from text,
 * calling fn for each. Used for message/delivery-status blocks and
 * text/rfc822-headers, which GMime leaves as opaque parts. A blank line
 * ends a block: fn gets name NULL.
 */
typedef void (*field_fn)(struct walk *w, const char *name, size_t nlen,
                         char *value);
void parse_fields(struct walk *w, const char *s, size_t len, field_fn fn);
void parse_dsn_field(struct walk *w, const char *name, size_t nlen,
                     char *value);
void parse_orig_field(struct walk *w, const char *name, size_t nlen,
                      char *value);
void parse_dsn_rcpt_free(struct mail_dsn_rcpt *r);

/* parse_headers.c */
const char *parse_detect_auto(struct mail *m);
/* Identity and threading headers of the top-level message. */
int parse_read_envelope(struct walk *w, GMimeMessage *msg, const char *raw,
                        size_t len);

#endif
