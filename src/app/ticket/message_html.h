/*
 * message_html.h - a message's mail HTML as a document of its own, for
 * the API to serve into the UI's sandboxed frame.
 *
 * body_html was sanitized at intake (mail/html.c: an allow-list that
 * keeps only cid: image sources); here its inline images (src="cid:...")
 * become data: URLs of the message's own stored attachments, so the frame
 * needs no request of its own: its CSP can forbid every load but data:
 * images. A cid: naming nothing of ours (or an image too big to inline,
 * or not PNG/JPEG/GIF/WebP) becomes an empty image.
 *
 * SECURITY: the HTML is untrusted even sanitized; nothing here makes it
 * safer than the sanitizer did, and the server still sends it with a
 * sandboxing CSP. Content ids and types come from mail: they are only
 * compared, and the type written is one of four fixed strings.
 */
#ifndef SOPORTE_APP_MESSAGE_HTML_H
#define SOPORTE_APP_MESSAGE_HTML_H

#include "store/store.h"
#include "util/buf.h"

#include <stdint.h>

#define MESSAGE_HTML_MAX (8 * 1024 * 1024)   /* the document, images in */
#define MESSAGE_HTML_IMAGE_MAX (2 * 1024 * 1024) /* one inlined image */

struct message_ref {
	int64_t id;
	int64_t ticket_id;        /* 0: held in the review queue */
	int64_t client_id;        /* the ticket's organization, 0 when none */
	int internal;             /* an internal note */
	int has_html;
};

/* The message's facts; STORE_NOTFOUND when there is no message id. */
enum store_rc message_ref_get(struct store *db, int64_t id,
                              struct message_ref *m);

/* The HTML document of message id (which has body_html) appended to out
 * (capped at MESSAGE_HTML_MAX: STORE_ERROR past it). */
enum store_rc message_html_doc(struct store *db, int64_t id, struct buf *out);

#endif
