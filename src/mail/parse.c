/*
 * parse.c - raw message -> struct mail with GMime 3 (see parse.h).
 *
 * GMime does the RFC 5322 / MIME work (header unfolding, RFC 2047 and
 * 2231 decoding, transfer encodings, address lists, dates); this file
 * walks its tree once and copies everything into plain malloc'd fields,
 * then drops the GMime objects. Text is converted to UTF-8 here (text.h),
 * HTML is converted and sanitized by html.h.
 *
 * SECURITY: raw is untrusted. GMime is given a private copy of it; the
 * walk is bounded by max_depth and max_parts (a hostile message can nest
 * or repeat parts without end), kept bytes by max_attachment_bytes and
 * max_message_bytes, and every string copied out goes through
 * text_utf8_clean() so the rest of soporte only ever sees valid UTF-8.
 */
#include "mail/parse.h"

#include <ctype.h>
#include <gmime/gmime.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "mail/html.h"
#include "mail/text.h"
#include "util/buf.h"
#include "util/msgid.h"
#include "util/sha256.h"

static int mail_inited;

void
mail_init(void)
{
	if (mail_inited)
		return;
	g_mime_init();
	if (sodium_init() < 0) {
		/* crypto_hash_sha256 needs no init; carry on. */
	}
	mail_inited = 1;
}

void
mail_shutdown(void)
{
	if (!mail_inited)
		return;
	g_mime_shutdown();
	mail_inited = 0;
}

void
mail_limits_default(struct mail_limits *lim)
{
	lim->max_message_bytes = 4u << 20;
	lim->max_attachment_bytes = 2u << 20;
	lim->max_text_bytes = 1u << 20;
	lim->max_parts = 200;
	lim->max_depth = 20;
	lim->max_headers = 500;
	lim->max_refs = 100;
}

static void
limits_fill(struct mail_limits *dst, const struct mail_limits *src)
{
	mail_limits_default(dst);
	if (src == NULL)
		return;
	if (src->max_message_bytes)
		dst->max_message_bytes = src->max_message_bytes;
	if (src->max_attachment_bytes)
		dst->max_attachment_bytes = src->max_attachment_bytes;
	if (src->max_text_bytes)
		dst->max_text_bytes = src->max_text_bytes;
	if (src->max_parts)
		dst->max_parts = src->max_parts;
	if (src->max_depth)
		dst->max_depth = src->max_depth;
	if (src->max_headers)
		dst->max_headers = src->max_headers;
	if (src->max_refs)
		dst->max_refs = src->max_refs;
}

const char *
mail_rc_str(enum mail_rc rc)
{
	switch (rc) {
	case MAIL_OK: return "ok";
	case MAIL_ERR_NOMEM: return "out of memory";
	case MAIL_ERR_PARSE: return "not a mail message";
	case MAIL_ERR_ARG: return "bad arguments";
	}
	return "unknown";
}

const char *
mail_flag_name(unsigned flag)
{
	switch (flag) {
	case MAIL_F_SYNTH_MSGID: return "synthetic_message_id";
	case MAIL_F_NO_DATE: return "no_date";
	case MAIL_F_OVERSIZE: return "oversize";
	case MAIL_F_LONG_LINES: return "long_lines";
	case MAIL_F_CRLF: return "crlf";
	case MAIL_F_NO_MIME: return "no_mime";
	case MAIL_F_TEXT_FROM_HTML: return "text_from_html";
	case MAIL_F_TEXT_FROM_FORWARD: return "text_from_forward";
	case MAIL_F_CHARSET_GUESSED: return "charset_guessed";
	case MAIL_F_AUTO_REPLY: return "auto_reply";
	case MAIL_F_BOUNCE: return "bounce";
	case MAIL_F_BULK: return "bulk";
	case MAIL_F_TRUNCATED: return "truncated";
	case MAIL_F_ATTACH_SKIPPED: return "attachment_skipped";
	case MAIL_F_8BIT_HEADERS: return "8bit_headers";
	}
	return NULL;
}

/* ---- small helpers ---- */

/* A clean UTF-8 copy of s (NULL stays NULL). Returns -1 out of memory. */
static int
dup_clean(char **dst, const char *s)
{
	*dst = NULL;
	if (s == NULL)
		return 0;
	*dst = text_utf8_clean(s, strlen(s));
	return *dst ? 0 : -1;
}

static void
lowercase(char *s)
{
	for (; s && *s; s++)
		*s = (char)tolower((unsigned char)*s);
}

/* Strips surrounding spaces and one pair of <> in place. */
static char *
strip_angles(char *s)
{
	while (*s == ' ' || *s == '\t' || *s == '<')
		s++;
	size_t n = strlen(s);
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '>'))
		s[--n] = '\0';
	return s;
}

/* ---- raw scanning: line endings, long lines, 8-bit headers ---- */

/*
 * One pass over the raw bytes: sets CRLF, LONG_LINES and 8BIT_HEADERS.
 * (The synthetic Message-ID is util/msgid.h's, shared with the mail gate.)
 */
static void
scan_raw(const char *raw, size_t len, unsigned *flags)
{
	int in_header = 1, first_eol = 1;
	size_t i = 0;
	while (i < len) {
		const char *nl = memchr(raw + i, '\n', len - i);
		size_t end = nl ? (size_t)(nl - raw) : len;
		size_t linelen = end - i;
		size_t next = nl ? end + 1 : len;
		if (linelen > 0 && raw[end - 1] == '\r')
			linelen--;
		if (nl && first_eol) {
			if (end > i && raw[end - 1] == '\r')
				*flags |= MAIL_F_CRLF;
			first_eol = 0;
		}
		if (linelen > 998)
			*flags |= MAIL_F_LONG_LINES;
		if (in_header) {
			if (linelen == 0) {
				in_header = 0;
			} else {
				for (size_t k = i; k < i + linelen; k++)
					if ((unsigned char)raw[k] >= 0x80) {
						*flags |= MAIL_F_8BIT_HEADERS;
						break;
					}
			}
		}
		i = next;
	}
}

/* ---- the walk ---- */

struct acc {
	struct buf plain;
	struct buf html;
	struct buf fwd; /* text of a forwarded message/rfc822 */
};

#define ACC_INIT(lim)                                                   \
	{ BUF_INIT((lim)->max_text_bytes), BUF_INIT((lim)->max_text_bytes), \
	  BUF_INIT((lim)->max_text_bytes) }

static void
acc_free(struct acc *a)
{
	buf_free(&a->plain);
	buf_free(&a->html);
	buf_free(&a->fwd);
}

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
	if (dup_clean(&p->filename, filename) || dup_clean(&p->content_type, ctype) ||
	    dup_clean(&p->content_id, cid))
		w->nomem = 1;
	lowercase(p->content_type);
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

static char *
header_value_dup(const char *start, const char *end)
{
	while (start < end && isspace((unsigned char)*start))
		start++;
	while (end > start && isspace((unsigned char)end[-1]))
		end--;
	return text_utf8_clean(start, (size_t)(end - start));
}

/*
 * Parses "Name: value" fields (with folded continuation lines) from text,
 * calling fn for each. Used for message/delivery-status blocks and
 * text/rfc822-headers, which GMime leaves as opaque parts. A blank line
 * ends a block: fn gets name NULL.
 */
typedef void (*field_fn)(struct walk *w, const char *name, size_t nlen,
                         char *value);

static void
parse_fields(struct walk *w, const char *s, size_t len, field_fn fn)
{
	size_t i = 0;
	int in_block = 0;
	while (i < len) {
		const char *nl = memchr(s + i, '\n', len - i);
		size_t end = nl ? (size_t)(nl - s) : len;
		size_t ll = end - i;
		if (ll > 0 && s[end - 1] == '\r')
			ll--;
		if (ll == 0) {
			if (in_block)
				fn(w, NULL, 0, NULL);
			in_block = 0;
			i = nl ? end + 1 : len;
			continue;
		}
		const char *colon = memchr(s + i, ':', ll);
		if (colon == NULL || s[i] == ' ' || s[i] == '\t') {
			i = nl ? end + 1 : len;
			continue;
		}
		/* The value runs over continuation lines. */
		size_t vend = end;
		size_t j = nl ? end + 1 : len;
		while (j < len && (s[j] == ' ' || s[j] == '\t')) {
			const char *nl2 = memchr(s + j, '\n', len - j);
			vend = nl2 ? (size_t)(nl2 - s) : len;
			j = nl2 ? vend + 1 : len;
		}
		struct buf v = BUF_INIT(0);
		int space = 0;
		for (const char *p = colon + 1; p < s + vend; p++) {
			char c = *p;
			if (c == '\r')
				continue;
			/* Unfold: a line break and the indent after it are one space. */
			if (c == '\n' || c == '\t' || c == ' ') {
				if (space)
					continue;
				space = 1;
				c = ' ';
			} else {
				space = 0;
			}
			if (buf_putc(&v, c) != BUF_OK) {
				w->nomem = 1;
				break;
			}
		}
		char *val = header_value_dup(v.data ? v.data : "",
		                             (v.data ? v.data : "") + v.len);
		buf_free(&v);
		if (val == NULL) {
			w->nomem = 1;
			return;
		}
		in_block = 1;
		fn(w, s + i, (size_t)(colon - (s + i)), val);
		i = j;
	}
	if (in_block)
		fn(w, NULL, 0, NULL);
}

static int
name_is(const char *name, size_t nlen, const char *want)
{
	return strlen(want) == nlen && strncasecmp(name, want, nlen) == 0;
}

/* "rfc822; a@b" -> "a@b" (lowercased), in place. */
static char *
after_type(char *v)
{
	char *semi = strchr(v, ';');
	char *s = semi ? semi + 1 : v;
	s = strip_angles(s);
	memmove(v, s, strlen(s) + 1);
	lowercase(v);
	return v;
}

static void
dsn_rcpt_free(struct mail_dsn_rcpt *r)
{
	free(r->final_recipient);
	free(r->action);
	free(r->status);
	free(r->diagnostic);
	memset(r, 0, sizeof *r);
}

/*
 * message/delivery-status: blocks of fields; the first block is about the
 * message, each later block with a Final-Recipient about one recipient.
 * Fields gather in w->dsn until the block ends (name NULL). A block
 * without Final-Recipient after a recipient's block completes that
 * recipient (some MTAs leave a blank line inside the block).
 */
static void
dsn_field(struct walk *w, const char *name, size_t nlen, char *value)
{
	struct mail_bounce *b = &w->m->bounce;
	struct mail_dsn_rcpt *r = &w->dsn;
	if (name == NULL) {
		if (r->final_recipient == NULL && b->n > 0) {
			/* A stray blank line split a recipient's block: the fields
			 * after it still belong to that recipient. */
			struct mail_dsn_rcpt *last = &b->rcpt[b->n - 1];
			char **from[] = {&r->action, &r->status, &r->diagnostic};
			char **to[] = {&last->action, &last->status, &last->diagnostic};
			for (size_t k = 0; k < 3; k++)
				if (*to[k] == NULL) {
					*to[k] = *from[k];
					*from[k] = NULL;
				}
		}
		if (r->final_recipient == NULL || b->n >= 100) {
			dsn_rcpt_free(r);
			return;
		}
		struct mail_dsn_rcpt *nr = realloc(b->rcpt, (b->n + 1) * sizeof *nr);
		if (nr == NULL) {
			w->nomem = 1;
			dsn_rcpt_free(r);
			return;
		}
		b->rcpt = nr;
		b->rcpt[b->n++] = *r;
		memset(r, 0, sizeof *r);
		return;
	}
	char **slot = NULL;
	if (name_is(name, nlen, "Final-Recipient")) {
		slot = &r->final_recipient;
		after_type(value);
	} else if (name_is(name, nlen, "Action")) {
		slot = &r->action;
		lowercase(value);
	} else if (name_is(name, nlen, "Status")) {
		slot = &r->status;
	} else if (name_is(name, nlen, "Diagnostic-Code")) {
		slot = &r->diagnostic;
	}
	if (slot && *slot == NULL)
		*slot = value;
	else
		free(value);
}

static void
orig_field(struct walk *w, const char *name, size_t nlen, char *value)
{
	struct mail_bounce *b = &w->m->bounce;
	if (name == NULL)
		return;
	char **slot = NULL;
	if (name_is(name, nlen, "Message-ID")) {
		char *s = strip_angles(value);
		memmove(value, s, strlen(s) + 1);
		slot = &b->orig_message_id;
	} else if (name_is(name, nlen, "Subject")) {
		char *d = g_mime_utils_header_decode_text(w->opts, value);
		free(value);
		value = d ? text_utf8_clean(d, strlen(d)) : NULL;
		g_free(d);
		if (value == NULL)
			return;
		slot = &b->orig_subject;
	} else if (name_is(name, nlen, "X-Ticket")) {
		slot = &b->orig_x_ticket;
	}
	if (slot && *slot == NULL)
		*slot = value;
	else
		free(value);
}

static int
ct_is(GMimeContentType *ct, const char *type, const char *subtype)
{
	return ct && g_mime_content_type_is_type(ct, type, subtype);
}

static void walk_object(struct walk *w, GMimeObject *obj, unsigned depth,
                        struct acc *acc, int collect);

static void
walk_text_of(struct walk *w, GMimeObject *obj, unsigned depth,
             struct buf *out)
{
	struct acc sub = ACC_INIT(&w->lim);
	walk_object(w, obj, depth, &sub, 0);
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
	acc_free(&sub);
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
		if (b->orig_message_id == NULL && id && dup_clean(&b->orig_message_id, id))
			w->nomem = 1;
		const char *subj = g_mime_message_get_subject(inner);
		if (b->orig_subject == NULL && subj && dup_clean(&b->orig_subject, subj))
			w->nomem = 1;
		const char *xt = g_mime_object_get_header(GMIME_OBJECT(inner), "X-Ticket");
		if (b->orig_x_ticket == NULL && xt && dup_clean(&b->orig_x_ticket, xt))
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
		parse_fields(w, (const char *)bytes, n, dsn_field);
		free(bytes);
		return;
	}
	if (ct_is(ct, "text", "rfc822-headers")) {
		parse_fields(w, (const char *)bytes, n, orig_field);
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
		walk_object(w, child, depth + 1, &tmp, collect);
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
			acc_free(&tmp);
		}
	}
	/* The last alternative is the richest: its HTML is the display. */
	if (best_html)
		acc_put(w, &acc->html, best_html);
	for (int i = 0; i < nsubs; i++)
		acc_free(&subs[i]);
}

static void
walk_object(struct walk *w, GMimeObject *obj, unsigned depth,
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
			walk_object(w, g_mime_multipart_get_part(mp, i), depth + 1,
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

/* ---- headers ---- */

static int
addr_push(struct mail_addr_list *l, const char *addr, const char *name)
{
	if (l->n >= 200)
		return 0;
	struct mail_addr *nv = realloc(l->v, (l->n + 1) * sizeof *nv);
	if (nv == NULL)
		return -1;
	l->v = nv;
	struct mail_addr *a = &l->v[l->n];
	a->name = NULL;
	a->addr = text_utf8_clean(addr ? addr : "", addr ? strlen(addr) : 0);
	if (a->addr == NULL)
		return -1;
	lowercase(a->addr);
	if (name && *name && dup_clean(&a->name, name)) {
		free(a->addr);
		return -1;
	}
	l->n++;
	return 0;
}

static int
addr_list_add(struct mail_addr_list *out, InternetAddressList *l, int depth)
{
	if (l == NULL || depth > 4)
		return 0;
	int n = internet_address_list_length(l);
	for (int i = 0; i < n; i++) {
		InternetAddress *ia = internet_address_list_get_address(l, i);
		if (INTERNET_ADDRESS_IS_MAILBOX(ia)) {
			InternetAddressMailbox *mb = INTERNET_ADDRESS_MAILBOX(ia);
			if (addr_push(out, internet_address_mailbox_get_addr(mb),
			              internet_address_get_name(ia)))
				return -1;
		} else if (INTERNET_ADDRESS_IS_GROUP(ia)) {
			if (addr_list_add(out,
			                  internet_address_group_get_members(
			                          INTERNET_ADDRESS_GROUP(ia)),
			                  depth + 1))
				return -1;
		}
	}
	return 0;
}

/* Every header called name, parsed as address lists, into out. */
static int
addr_headers(struct walk *w, GMimeObject *obj, const char *name,
             struct mail_addr_list *out)
{
	GMimeHeaderList *hl = g_mime_object_get_header_list(obj);
	int count = g_mime_header_list_get_count(hl);
	for (int i = 0; i < count; i++) {
		GMimeHeader *h = g_mime_header_list_get_header_at(hl, i);
		if (strcasecmp(g_mime_header_get_name(h), name) != 0)
			continue;
		const char *v = g_mime_header_get_value(h);
		if (v == NULL)
			continue;
		InternetAddressList *l = internet_address_list_parse(w->opts, v);
		int rc = addr_list_add(out, l, 0);
		if (l)
			g_object_unref(l);
		if (rc)
			return -1;
	}
	return 0;
}

/*
 * Appends the headers of obj to m->headers (at most max_headers in all).
 * GMime files the Content-* headers of a message under its top MIME part,
 * so the caller runs this on both to get every top-level header.
 */
static int
copy_headers(struct walk *w, GMimeObject *obj)
{
	struct mail *m = w->m;
	if (obj == NULL)
		return 0;
	GMimeHeaderList *hl = g_mime_object_get_header_list(obj);
	int count = hl ? g_mime_header_list_get_count(hl) : 0;
	for (int i = 0; i < count; i++) {
		if (m->nheaders >= w->lim.max_headers) {
			m->flags |= MAIL_F_TRUNCATED;
			break;
		}
		GMimeHeader *h = g_mime_header_list_get_header_at(hl, i);
		const char *v = g_mime_header_get_value(h);
		struct mail_header *nh =
			realloc(m->headers, (m->nheaders + 1) * sizeof *nh);
		if (nh == NULL)
			return -1;
		m->headers = nh;
		struct mail_header *mh = &m->headers[m->nheaders];
		if (dup_clean(&mh->name, g_mime_header_get_name(h)))
			return -1;
		if (dup_clean(&mh->value, v ? v : "")) {
			free(mh->name);
			return -1;
		}
		const char *raw = g_mime_header_get_raw_value(h);
		mh->raw = strdup(raw ? raw : "");
		if (mh->raw == NULL) {
			free(mh->name);
			free(mh->value);
			return -1;
		}
		/* Unfolding leaves no CR/LF in GMime values; tabs become spaces
		 * so a value is always one clean line. */
		for (char *p = mh->value; *p; p++)
			if (*p == '\t' || *p == '\r' || *p == '\n')
				*p = ' ';
		m->nheaders++;
	}
	return 0;
}

const char *
mail_header_get(const struct mail *m, const char *name)
{
	for (size_t i = 0; m && i < m->nheaders; i++)
		if (strcasecmp(m->headers[i].name, name) == 0)
			return m->headers[i].value;
	return NULL;
}

static int
refs_list(struct walk *w, const char *text, char ***out, size_t *nout,
          size_t max)
{
	*out = NULL;
	*nout = 0;
	if (text == NULL)
		return 0;
	GMimeReferences *refs = g_mime_references_parse(w->opts, text);
	if (refs == NULL)
		return 0;
	int n = g_mime_references_length(refs);
	size_t take = n > 0 ? (size_t)n : 0;
	size_t skip = 0;
	if (take > max) {
		/* Keep the first (the thread root) and the newest ones. */
		skip = take - max;
		w->m->flags |= MAIL_F_TRUNCATED;
		take = max;
	}
	int rc = 0;
	if (take) {
		*out = calloc(take, sizeof **out);
		if (*out == NULL)
			rc = -1;
	}
	for (size_t i = 0; i < take && rc == 0; i++) {
		size_t idx = (i == 0 || skip == 0) ? i : i + skip;
		const char *id = g_mime_references_get_message_id(refs, (int)idx);
		if (dup_clean(&(*out)[*nout], id ? id : ""))
			rc = -1;
		else
			(*nout)++;
	}
	g_mime_references_free(refs);
	return rc;
}

/* ---- auto-reply signals ---- */

static const char *
detect_auto(struct mail *m)
{
	int prec_auto = 0;
	const char *v = mail_header_get(m, "Precedence");
	if (v) {
		struct buf f = BUF_INIT(256);
		text_fold(v, &f);
		const char *p = buf_str(&f);
		while (*p == ' ')
			p++;
		prec_auto = strncmp(p, "auto_reply", 10) == 0 ||
		            strncmp(p, "auto-reply", 10) == 0;
		if (strncmp(p, "bulk", 4) == 0 || strncmp(p, "junk", 4) == 0 ||
		    strncmp(p, "list", 4) == 0)
			m->flags |= MAIL_F_BULK;
		buf_free(&f);
	}
	v = mail_header_get(m, "Auto-Submitted");
	if (v) {
		while (*v == ' ')
			v++;
		if (strncasecmp(v, "no", 2) != 0 ||
		    (v[2] && v[2] != ' ' && v[2] != ';' && v[2] != '('))
			return "Auto-Submitted header";
	}
	v = mail_header_get(m, "X-Autoreply");
	if (v && strncasecmp(v, "no", 2) != 0)
		return "X-Autoreply header";
	v = mail_header_get(m, "X-Autorespond");
	if (v && strncasecmp(v, "no", 2) != 0)
		return "X-Autorespond header";
	if (prec_auto)
		return "Precedence: auto_reply";
	if (mail_header_get(m, "X-Auto-Response-Suppress"))
		return "X-Auto-Response-Suppress header";
	/* Subjects auto-responders write, in Spanish and English. Only as a
	 * prefix: "vacaciones" inside a real request must not match. */
	static const char *const subj[] = {
		"respuesta automatica", "respuesta automatica:",
		"fuera de la oficina", "fuera de oficina", "ausencia:",
		"ausente:", "vacaciones:", "de vacaciones", "automatic reply",
		"auto reply", "auto-reply", "autoreply",
		"out of office", "out of the office", "vacation:",
		"away from the office", "ooo:", NULL};
	struct buf f = BUF_INIT(4096);
	text_fold(m->subject ? m->subject : "", &f);
	const char *s = buf_str(&f);
	while (*s == ' ' || *s == '\t')
		s++;
	const char *why = NULL;
	for (size_t i = 0; subj[i] && !why; i++)
		if (strncmp(s, subj[i], strlen(subj[i])) == 0)
			why = "auto-reply subject";
	buf_free(&f);
	return why;
}

/* ---- the entry point ---- */

static void
addr_list_free(struct mail_addr_list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->v[i].addr);
		free(l->v[i].name);
	}
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

void
mail_free(struct mail *m)
{
	if (m == NULL)
		return;
	free(m->message_id);
	free(m->from.addr);
	free(m->from.name);
	addr_list_free(&m->to);
	addr_list_free(&m->cc);
	addr_list_free(&m->delivered_to);
	addr_list_free(&m->x_original_to);
	addr_list_free(&m->reply_to);
	free(m->subject);
	free(m->in_reply_to);
	for (size_t i = 0; i < m->nreferences; i++)
		free(m->references[i]);
	free(m->references);
	free(m->text);
	free(m->display_text);
	free(m->html);
	for (size_t i = 0; i < m->nparts; i++) {
		free(m->parts[i].filename);
		free(m->parts[i].content_type);
		free(m->parts[i].content_id);
		free(m->parts[i].data);
	}
	free(m->parts);
	for (size_t i = 0; i < m->nheaders; i++) {
		free(m->headers[i].name);
		free(m->headers[i].value);
		free(m->headers[i].raw);
	}
	free(m->headers);
	for (size_t i = 0; i < m->bounce.n; i++) {
		free(m->bounce.rcpt[i].final_recipient);
		free(m->bounce.rcpt[i].action);
		free(m->bounce.rcpt[i].status);
		free(m->bounce.rcpt[i].diagnostic);
	}
	free(m->bounce.rcpt);
	free(m->bounce.orig_message_id);
	free(m->bounce.orig_subject);
	free(m->bounce.orig_x_ticket);
	free(m);
}

/* Identity and threading headers of the top-level message. */
static int
read_envelope(struct walk *w, GMimeMessage *msg, const char *raw, size_t len)
{
	struct mail *m = w->m;
	GMimeObject *obj = GMIME_OBJECT(msg);
	if (copy_headers(w, obj) ||
	    copy_headers(w, g_mime_message_get_mime_part(msg)))
		return -1;

	const char *id = g_mime_message_get_message_id(msg);
	if (id && *id) {
		if (dup_clean(&m->message_id, id))
			return -1;
	} else {
		char buf[MSGID_MAX];
		msgid_synthetic(raw, len, buf);
		m->message_id = strdup(buf);
		if (m->message_id == NULL)
			return -1;
		m->flags |= MAIL_F_SYNTH_MSGID;
	}

	struct mail_addr_list from = {NULL, 0};
	if (addr_list_add(&from, g_mime_message_get_from(msg), 0)) {
		addr_list_free(&from);
		return -1;
	}
	if (from.n > 0) {
		m->from = from.v[0];
		from.v[0].addr = NULL;
		from.v[0].name = NULL;
	}
	addr_list_free(&from);
	if (m->from.addr == NULL && (m->from.addr = strdup("")) == NULL)
		return -1;

	if (addr_list_add(&m->to, g_mime_message_get_to(msg), 0) ||
	    addr_list_add(&m->cc, g_mime_message_get_cc(msg), 0) ||
	    addr_list_add(&m->reply_to, g_mime_message_get_reply_to(msg), 0) ||
	    addr_headers(w, obj, "Delivered-To", &m->delivered_to) ||
	    addr_headers(w, obj, "X-Original-To", &m->x_original_to))
		return -1;

	const char *subj = g_mime_message_get_subject(msg);
	if (dup_clean(&m->subject, subj ? subj : ""))
		return -1;
	for (char *p = m->subject; *p; p++)
		if (*p == '\t' || *p == '\n' || *p == '\r')
			*p = ' ';

	GDateTime *d = g_mime_message_get_date(msg);
	if (d && mail_header_get(m, "Date")) {
		m->date = g_date_time_to_unix(d);
	} else {
		m->date = 0;
		m->flags |= MAIL_F_NO_DATE;
	}

	char **irt = NULL;
	size_t nirt = 0;
	if (refs_list(w, g_mime_object_get_header(obj, "In-Reply-To"), &irt,
	              &nirt, 1))
		return -1;
	if (nirt > 0) {
		m->in_reply_to = irt[0];
		for (size_t i = 1; i < nirt; i++)
			free(irt[i]);
	}
	free(irt);
	if (refs_list(w, g_mime_object_get_header(obj, "References"),
	              &m->references, &m->nreferences, w->lim.max_refs))
		return -1;
	return 0;
}

static int
finish_text(struct walk *w, struct acc *acc)
{
	struct mail *m = w->m;
	struct buf t = BUF_INIT(w->lim.max_text_bytes);
	enum buf_rc rc = BUF_OK;
	if (!text_is_blank(acc->plain.data)) {
		rc = buf_puts(&t, acc->plain.data);
	} else if (!text_is_blank(acc->html.data)) {
		rc = html_to_text(acc->html.data, acc->html.len, &t);
		m->flags |= MAIL_F_TEXT_FROM_HTML;
	} else if (!text_is_blank(acc->fwd.data)) {
		rc = buf_puts(&t, acc->fwd.data);
		m->flags |= MAIL_F_TEXT_FROM_FORWARD;
	}
	if (rc == BUF_TOO_BIG)
		m->flags |= MAIL_F_TRUNCATED;
	else if (rc != BUF_OK) {
		buf_free(&t);
		return -1;
	}
	/* html_to_text may stop mid-character at the cap. */
	m->text = text_utf8_clean(t.data ? t.data : "", t.len);
	buf_free(&t);
	if (m->text == NULL)
		return -1;
	m->display_text = text_display(m->text);
	if (m->display_text == NULL)
		return -1;
	if (!text_is_blank(acc->html.data)) {
		struct buf h = BUF_INIT(w->lim.max_text_bytes * 2);
		rc = html_sanitize(acc->html.data, acc->html.len, &h);
		if (rc == BUF_NOMEM) {
			buf_free(&h);
			return -1;
		}
		if (rc == BUF_TOO_BIG) {
			/* A cut-off sanitized fragment could be unbalanced. */
			m->flags |= MAIL_F_TRUNCATED;
			buf_free(&h);
		} else {
			/* Leading and trailing whitespace carries nothing. */
			const char *hs = h.data ? h.data : "";
			size_t hl = h.len;
			while (hl > 0 && isspace((unsigned char)*hs)) {
				hs++;
				hl--;
			}
			while (hl > 0 && isspace((unsigned char)hs[hl - 1]))
				hl--;
			m->html = text_utf8_clean(hs, hl);
			buf_free(&h);
			if (m->html == NULL)
				return -1;
		}
	}
	return 0;
}

enum mail_rc
mail_parse(const char *raw, size_t len, const struct mail_limits *lim,
           struct mail **out)
{
	if (out == NULL)
		return MAIL_ERR_ARG;
	*out = NULL;
	if (raw == NULL || !mail_inited)
		return MAIL_ERR_ARG;
	if (len == 0)
		return MAIL_ERR_PARSE;

	struct walk w;
	memset(&w, 0, sizeof w);
	limits_fill(&w.lim, lim);
	w.m = calloc(1, sizeof *w.m);
	if (w.m == NULL)
		return MAIL_ERR_NOMEM;
	struct mail *m = w.m;
	m->raw_size = len;
	if (len > w.lim.max_message_bytes)
		m->flags |= MAIL_F_OVERSIZE;
	scan_raw(raw, len, &m->flags);

	enum mail_rc rc = MAIL_OK;
	GMimeStream *stream = g_mime_stream_mem_new_with_buffer(raw, len);
	GMimeParser *parser = g_mime_parser_new_with_stream(stream);
	g_mime_parser_set_format(parser, GMIME_FORMAT_MESSAGE);
	w.opts = g_mime_parser_options_new();
	const char *fallback[] = {"UTF-8", "windows-1252", NULL};
	g_mime_parser_options_set_fallback_charsets(w.opts, fallback);
	GMimeMessage *msg = g_mime_parser_construct_message(parser, w.opts);
	struct acc acc = ACC_INIT(&w.lim);
	if (msg == NULL) {
		rc = MAIL_ERR_PARSE;
		goto out;
	}
	if (read_envelope(&w, msg, raw, len)) {
		rc = MAIL_ERR_NOMEM;
		goto out;
	}
	if (m->nheaders == 0) {
		rc = MAIL_ERR_PARSE;
		goto out;
	}
	if (!mail_header_get(m, "MIME-Version") &&
	    !mail_header_get(m, "Content-Type"))
		m->flags |= MAIL_F_NO_MIME;

	walk_object(&w, g_mime_message_get_mime_part(msg), 0, &acc, 1);
	if (w.nomem || finish_text(&w, &acc)) {
		rc = MAIL_ERR_NOMEM;
		goto out;
	}
	m->auto_reason = detect_auto(m);
	if (m->auto_reason)
		m->flags |= MAIL_F_AUTO_REPLY;

out:
	acc_free(&acc);
	dsn_rcpt_free(&w.dsn);
	if (msg)
		g_object_unref(msg);
	g_object_unref(parser);
	g_object_unref(stream);
	g_mime_parser_options_free(w.opts);
	if (rc != MAIL_OK) {
		mail_free(m);
		return rc;
	}
	*out = m;
	return MAIL_OK;
}
