/*
 * compose.h - outgoing messages as RFC 5322 text (GMime).
 *
 * SECURITY: every field may come from a client (a subject we quote back,
 * a Message-ID we thread to). Headers are built by GMime, which encodes
 * non-ASCII text (RFC 2047) and folds long lines; Message-IDs are checked
 * against a strict shape first, and a name or subject with CR or LF is
 * flattened to one line, so no field can add a header of its own.
 */
#ifndef SOPORTE_MAIL_COMPOSE_H
#define SOPORTE_MAIL_COMPOSE_H

#include <stddef.h>
#include <stdint.h>

/* A file the message carries (multipart/mixed, base64). */
struct outgoing_file {
	const char *filename;      /* UTF-8; encoded by GMime (RFC 2231) */
	const char *content_type;  /* "type/subtype"; else octet-stream */
	const void *data;
	size_t len;
};

struct outgoing {
	const char *from_name;     /* "Soporte PRODEQUA" */
	const char *from_addr;     /* the support address */
	const char *to_addr;
	const char *subject;
	const char *body_text;     /* UTF-8 */
	const char *message_id;    /* without <>, e.g. ack-000240.x@host */
	const char *in_reply_to;   /* with <>, or NULL */
	const char *references;    /* "<a> <b>", or NULL */
	const char *reply_to;      /* an address, or NULL: none */
	const char *auto_submitted; /* RFC 3834 Auto-Submitted value
	                               ("auto-replied", "auto-generated"), or
	                               NULL for mail a person wrote */
	int64_t date;              /* UTC seconds */
	const struct outgoing_file *files;
	size_t nfiles;
};

/* True when s is one msg-id "<left@right>" of printable ASCII, no spaces. */
int msgid_valid(const char *s);

/* Returns the message as a malloc'd NUL-terminated string (CRLF line
 * ends, as SMTP wants), or NULL when a required field is missing or not
 * valid (to_addr not an address, bad message_id). */
char *compose_message(const struct outgoing *o);

#endif
