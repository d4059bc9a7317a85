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
 *
 * Here: the entry point, limits, small helpers and the raw scan; next to
 * it (parse_internal.h): the MIME walk (parse_walk.c), delivery-status
 * blocks (parse_dsn.c) and the headers (parse_headers.c).
 */
#include "mail/parse.h"
#include "mail/parse_internal.h"

#include <ctype.h>
#include <gmime/gmime.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "mail/html.h"
#include "mail/text.h"
#include "util/buf.h"

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
int
parse_dup_clean(char **dst, const char *s)
{
	*dst = NULL;
	if (s == NULL)
		return 0;
	*dst = text_utf8_clean(s, strlen(s));
	return *dst ? 0 : -1;
}

void
parse_lowercase(char *s)
{
	for (; s && *s; s++)
		*s = (char)tolower((unsigned char)*s);
}

/* Strips surrounding spaces and one pair of <> in place. */
char *
parse_strip_angles(char *s)
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

/* ---- the entry point ---- */

void
parse_addr_list_free(struct mail_addr_list *l)
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
	parse_addr_list_free(&m->to);
	parse_addr_list_free(&m->cc);
	parse_addr_list_free(&m->delivered_to);
	parse_addr_list_free(&m->x_original_to);
	parse_addr_list_free(&m->reply_to);
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
	if (parse_read_envelope(&w, msg, raw, len)) {
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

	parse_walk_object(&w, g_mime_message_get_mime_part(msg), 0, &acc, 1);
	if (w.nomem || finish_text(&w, &acc)) {
		rc = MAIL_ERR_NOMEM;
		goto out;
	}
	m->auto_reason = parse_detect_auto(m);
	if (m->auto_reason)
		m->flags |= MAIL_F_AUTO_REPLY;

out:
	parse_acc_free(&acc);
	parse_dsn_rcpt_free(&w.dsn);
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
