/*
 * parse_walk.c - the walk over GMime's tree (see parse_internal.h): text
 * bodies gathered, parts and attachments kept within the limits,
 * forwarded messages, multipart/alternative.
 *
 * SECURITY: the tree is untrusted: the walk is bounded by max_depth and
 * max_parts, kept bytes by max_attachment_bytes and max_message_bytes.
 */
#include "mail/parse_internal.h"
#include "mail/html.h"
#include "mail/text.h"
#include "util/sha256.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

void
parse_acc_free(struct acc *a)
{
	buf_free(&a->plain);
	buf_free(&a->html);
	buf_free(&a->fwd);
}

/* Appends text to a text buffer, marking truncation when the cap hits. */
static void
acc_put(struct walk *w, struct buf *b, const char *s)
{
	if (s == NULL || *s == '\0')
		return;
	enum buf_rc rc = BUF_OK;
	if (b->len > 0)
		rc = buf_putc(b, '\n');
	if (rc == BUF_OK)
		rc = buf_puts(b, s);
	if (rc == BUF_TOO_BIG) {
		/* Keep what fits, on a UTF-8 boundary. */
		size_t room = b->max > b->len ? b->max - b->len : 0;
		size_t n = strlen(s);
		if (n > room)
			n = room;
		while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
			n--;
		buf_append(b, s, n);
		w->m->flags |= MAIL_F_TRUNCATED;
	} else if (rc != BUF_OK) {
		w->nomem = 1;
	}
}

/* Decoded content of a leaf part, malloc'd (never NULL unless out of
 * memory; *len 0 for no content). */
static unsigned char *
part_bytes(GMimePart *part, size_t *len)
{
	*len = 0;
	GMimeDataWrapper *dw = g_mime_part_get_content(part);
	GMimeStream *ms = g_mime_stream_mem_new();
	if (dw)
		g_mime_data_wrapper_write_to_stream(dw, ms);
	GByteArray *arr = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(ms));
	size_t n = arr ? arr->len : 0;
	unsigned char *p = malloc(n + 1);
	if (p) {
		if (n)
			memcpy(p, arr->data, n);
		p[n] = 0;
		*len = n;
	}
	g_object_unref(ms);
	return p;
}

static char *
object_bytes(GMimeObject *obj, size_t *len)
{
	*len = 0;
	GMimeStream *ms = g_mime_stream_mem_new();
	g_mime_object_write_to_stream(obj, NULL, ms);
	GByteArray *arr = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(ms));
	size_t n = arr ? arr->len : 0;
	char *p = malloc(n + 1);
	if (p) {
		if (n)
			memcpy(p, arr->data, n);
		p[n] = 0;
		*len = n;
	}
	g_object_unref(ms);
	return p;
}

static struct mail_part *
part_new(struct walk *w)
{
	struct mail *m = w->m;
	if (m->nparts == w->partcap) {
		size_t ncap = w->partcap ? w->partcap * 2 : 4;
		struct mail_part *np = realloc(m->parts, ncap * sizeof *np);
		if (np == NULL) {
			w->nomem = 1;
			return NULL;
		}
		m->parts = np;
		w->partcap = ncap;
	}
	struct mail_part *p = &m->parts[m->nparts++];
	memset(p, 0, sizeof *p);
	return p;
}

/* Records bytes as a part; takes ownership of data. */
static void
part_add(struct walk *w, enum mail_part_kind kind, const char *filename,
         const char *ctype, const char *cid, unsigned char *data, size_t n)
{
	struct mail_part *p = part_new(w);
	if (p == NULL) {
		free(data);
		return;
	}
	p->kind = kind;
	if (parse_dup_clean(&p->filename, filename) || parse_dup_clean(&p->content_type, ctype) ||
	    parse_dup_clean(&p->content_id, cid))
		w->nomem = 1;
	parse_lowercase(p->content_type);
	p->size = n;
	sha256_hex(data, n, p->sha256);
	/* Keep the body only within both caps: one attachment, and the
	 * whole message's worth of kept bytes. */
	if (n > w->lim.max_attachment_bytes ||
	    w->kept + n > w->lim.max_message_bytes) {
		p->skipped = 1;
		w->m->flags |= MAIL_F_ATTACH_SKIPPED;
		free(data);
	} else {
		p->data = data;
		w->kept += n;
	}
}

static int
ct_is(GMimeContentType *ct, const char *type, const char *subtype)
{
	return ct && g_mime_content_type_is_type(ct, type, subtype);
}

static void
walk_text_of(struct walk *w, GMimeObject *obj, unsigned depth,
             struct buf *out)
{
	struct acc sub = ACC_INIT(&w->lim);
	parse_walk_object(w, obj, depth, &sub, 0);
	if (!text_is_blank(sub.plain.data)) {
		acc_put(w, out, sub.plain.data);
	} else if (!text_is_blank(sub.html.data)) {
		struct buf t = BUF_INIT(w->lim.max_text_bytes);
		if (html_to_text(sub.html.data, sub.html.len, &t) == BUF_NOMEM)
			w->nomem = 1;
		acc_put(w, out, t.data);
		buf_free(&t);
	} else {
		acc_put(w, out, sub.fwd.data);
	}
	parse_acc_free(&sub);
}

static void
walk_message_part(struct walk *w, GMimeMessagePart *mp, unsigned depth,
                  struct acc *acc, int collect)
{
	GMimeMessage *inner = g_mime_message_part_get_message(mp);
	GMimeObject *obj = GMIME_OBJECT(mp);
	if (inner == NULL)
		return;
	if (w->m->flags & MAIL_F_BOUNCE) {
		struct mail_bounce *b = &w->m->bounce;
		const char *id = g_mime_message_get_message_id(inner);
		if (b->orig_message_id == NULL && id && parse_dup_clean(&b->orig_message_id, id))
			w->nomem = 1;
		const char *subj = g_mime_message_get_subject(inner);
		if (b->orig_subject == NULL && subj && parse_dup_clean(&b->orig_subject, subj))
			w->nomem = 1;
		const char *xt = g_mime_object_get_header(GMIME_OBJECT(inner), "X-Ticket");
		if (b->orig_x_ticket == NULL && xt && parse_dup_clean(&b->orig_x_ticket, xt))
			w->nomem = 1;
	}
	if (collect) {
		size_t n;
		char *bytes = object_bytes(GMIME_OBJECT(inner), &n);
		if (bytes == NULL) {
			w->nomem = 1;
			return;
		}
		const char *fname = g_mime_object_get_content_disposition_parameter(
			obj, "filename");
		part_add(w, MAIL_PART_MESSAGE, fname, "message/rfc822", NULL,
		         (unsigned char *)bytes, n);
	}
	GMimeObject *body = g_mime_message_get_mime_part(inner);
	if (body && acc->fwd.len == 0)
		walk_text_of(w, body, depth + 1, &acc->fwd);
}

static void
walk_leaf(struct walk *w, GMimePart *part, struct acc *acc, int collect)
{
	GMimeObject *obj = GMIME_OBJECT(part);
	GMimeContentType *ct = g_mime_object_get_content_type(obj);
	if (++w->leaves > w->lim.max_parts) {
		w->m->flags |= MAIL_F_TRUNCATED;
		return;
	}
	size_t n;
	unsigned char *bytes = part_bytes(part, &n);
	if (bytes == NULL) {
		w->nomem = 1;
		return;
	}
	if (ct_is(ct, "message", "delivery-status") ||
	    ct_is(ct, "message", "global-delivery-status")) {
		w->m->flags |= MAIL_F_BOUNCE;
		parse_fields(w, (const char *)bytes, n, parse_dsn_field);
		free(bytes);
		return;
	}
	if (ct_is(ct, "text", "rfc822-headers")) {
		parse_fields(w, (const char *)bytes, n, parse_orig_field);
		free(bytes);
		return;
	}
	const char *disp = g_mime_object_get_disposition(obj);
	const char *fname = g_mime_part_get_filename(part);
	int attach = disp && strcasecmp(disp, "attachment") == 0;
	if (!attach && fname && !(disp && strcasecmp(disp, "inline") == 0))
		attach = 1;
	int is_plain = ct_is(ct, "text", "plain");
	int is_html = ct_is(ct, "text", "html");
	if ((is_plain || is_html) && !attach) {
		int guessed = 0;
		const char *cs = g_mime_object_get_content_type_parameter(obj,
		                                                          "charset");
		char *t = text_to_utf8((const char *)bytes, n, cs, &guessed);
		free(bytes);
		if (t == NULL) {
			w->nomem = 1;
			return;
		}
		if (guessed)
			w->m->flags |= MAIL_F_CHARSET_GUESSED;
		acc_put(w, is_plain ? &acc->plain : &acc->html, t);
		free(t);
		return;
	}
	if (!collect) {
		free(bytes);
		return;
	}
	char *mt = ct ? g_mime_content_type_get_mime_type(ct) : NULL;
	const char *cid = g_mime_object_get_content_id(obj);
	enum mail_part_kind kind = MAIL_PART_ATTACHMENT;
	if (!attach && (cid || (disp && strcasecmp(disp, "inline") == 0)))
		kind = MAIL_PART_INLINE;
	part_add(w, kind, fname, mt ? mt : "application/octet-stream", cid,
	         bytes, n);
	g_free(mt);
}

static void
walk_alternative(struct walk *w, GMimeMultipart *mp, unsigned depth,
                 struct acc *acc, int collect)
{
	int count = g_mime_multipart_get_count(mp);
	int plain_done = 0;
	const char *best_html = NULL;
	struct acc subs[8];
	int nsubs = 0;
	for (int i = 0; i < count && !w->nomem; i++) {
		GMimeObject *child = g_mime_multipart_get_part(mp, i);
		struct acc tmp = ACC_INIT(&w->lim);
		parse_walk_object(w, child, depth + 1, &tmp, collect);
		if (!plain_done && !text_is_blank(tmp.plain.data)) {
			acc_put(w, &acc->plain, tmp.plain.data);
			plain_done = 1;
		}
		if (acc->fwd.len == 0 && tmp.fwd.len)
			acc_put(w, &acc->fwd, tmp.fwd.data);
		if (nsubs < 8) {
			subs[nsubs++] = tmp;
			if (!text_is_blank(tmp.html.data))
				best_html = subs[nsubs - 1].html.data;
		} else {
			parse_acc_free(&tmp);
		}
	}
	/* The last alternative is the richest: its HTML is the display. */
	if (best_html)
		acc_put(w, &acc->html, best_html);
	for (int i = 0; i < nsubs; i++)
		parse_acc_free(&subs[i]);
}

void
parse_walk_object(struct walk *w, GMimeObject *obj, unsigned depth,
                  struct acc *acc, int collect)
{
	if (obj == NULL || w->nomem)
		return;
	if (depth > w->lim.max_depth) {
		w->m->flags |= MAIL_F_TRUNCATED;
		return;
	}
	if (GMIME_IS_MULTIPART(obj)) {
		GMimeMultipart *mp = GMIME_MULTIPART(obj);
		GMimeContentType *ct = g_mime_object_get_content_type(obj);
		if (ct_is(ct, "multipart", "report")) {
			const char *rt = g_mime_content_type_get_parameter(
				ct, "report-type");
			if (rt && strcasecmp(rt, "delivery-status") == 0)
				w->m->flags |= MAIL_F_BOUNCE;
		}
		if (ct_is(ct, "multipart", "alternative")) {
			walk_alternative(w, mp, depth, acc, collect);
			return;
		}
		int count = g_mime_multipart_get_count(mp);
		for (int i = 0; i < count && !w->nomem; i++)
			parse_walk_object(w, g_mime_multipart_get_part(mp, i), depth + 1,
			                  acc, collect);
		return;
	}
	if (GMIME_IS_MESSAGE_PART(obj)) {
		if (++w->leaves > w->lim.max_parts) {
			w->m->flags |= MAIL_F_TRUNCATED;
			return;
		}
		walk_message_part(w, GMIME_MESSAGE_PART(obj), depth, acc, collect);
		return;
	}
	if (GMIME_IS_PART(obj))
		walk_leaf(w, GMIME_PART(obj), acc, collect);
}
