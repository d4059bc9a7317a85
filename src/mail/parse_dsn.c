/*
 * parse_dsn.c - the "Name: value" blocks GMime leaves opaque
 * (message/delivery-status, text/rfc822-headers), read into the bounce
 * (see parse_internal.h).
 *
 * SECURITY: the blocks are untrusted; every value is copied as clean
 * UTF-8.
 */
#include "mail/parse_internal.h"
#include "mail/text.h"
#include "util/text.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static char *
header_value_dup(const char *start, const char *end)
{
	while (start < end && isspace((unsigned char)*start))
		start++;
	while (end > start && isspace((unsigned char)end[-1]))
		end--;
	return text_utf8_clean(start, (size_t)(end - start));
}


void
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

/* "rfc822; a@b" -> "a@b" (its domain lowercased), in place. */
static char *
after_type(char *v)
{
	char *semi = strchr(v, ';');
	char *s = semi ? semi + 1 : v;
	s = parse_strip_angles(s);
	memmove(v, s, strlen(s) + 1);
	return email_fold_domain(v);
}

void
parse_dsn_rcpt_free(struct mail_dsn_rcpt *r)
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
void
parse_dsn_field(struct walk *w, const char *name, size_t nlen, char *value)
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
			parse_dsn_rcpt_free(r);
			return;
		}
		struct mail_dsn_rcpt *nr = realloc(b->rcpt, (b->n + 1) * sizeof *nr);
		if (nr == NULL) {
			w->nomem = 1;
			parse_dsn_rcpt_free(r);
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
		parse_lowercase(value);
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

void
parse_orig_field(struct walk *w, const char *name, size_t nlen, char *value)
{
	struct mail_bounce *b = &w->m->bounce;
	if (name == NULL)
		return;
	char **slot = NULL;
	if (name_is(name, nlen, "Message-ID")) {
		char *s = parse_strip_angles(value);
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
