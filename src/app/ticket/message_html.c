/*
 * message_html.c - a message's mail HTML as a document (see
 * message_html.h).
 *
 * The sanitizer writes every kept attribute as name="value" with the
 * value escaped (no raw '"' inside), and escapes text the same way, so
 * ` src="` starts an image source and the next '"' ends it.
 */
#include "app/ticket/message_html.h"
#include "app/ticket/ticket_query.h"

#include <ctype.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define INLINE_MAX 64   /* inline images considered per message */

struct inline_img {
	int64_t id;
	char cid[256];
	const char *type;       /* one of the fixed image types, or NULL */
};

enum store_rc
message_ref_get(struct store *db, int64_t id, struct message_ref *m)
{
	struct store_rows *r;
	memset(m, 0, sizeof *m);
	enum store_rc rc = store_query_row(
	    db,
	    "SELECT m.id, m.ticket_id, t.client_id, m.kind, CASE WHEN "
	    "m.body_html IS NULL THEN 0 ELSE 1 END FROM messages m LEFT JOIN "
	    "tickets t ON t.id = m.ticket_id WHERE m.id = $1",
	    STORE_PARAMS(SP_I(id)), &r);
	if (rc != STORE_OK)
		return rc;
	m->id = store_int(r, 0);
	m->ticket_id = store_isnull(r, 1) ? 0 : store_int(r, 1);
	m->client_id = store_isnull(r, 2) ? 0 : store_int(r, 2);
	m->internal = strcmp(store_text(r, 3), "note") == 0;
	m->has_html = (int)store_int(r, 4);
	store_done(r);
	return STORE_OK;
}

/* The image types a browser shows and we inline; NULL for others. */
static const char *
image_type(const char *ct)
{
	static const char *const ok[] = {"image/png", "image/jpeg", "image/gif",
	                                 "image/webp"};
	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
		if (strncasecmp(ct, ok[i], strlen(ok[i])) == 0 &&
		    (ct[strlen(ok[i])] == '\0' || ct[strlen(ok[i])] == ';'))
			return ok[i];
	return NULL;
}

static enum store_rc
load_inline(struct store *db, int64_t id, struct inline_img *imgs, size_t *n)
{
	struct store_rows *r;
	*n = 0;
	enum store_rc rc = store_query(
	    db,
	    "SELECT id, content_id, content_type FROM attachments WHERE "
	    "message_id = $1 AND content_id IS NOT NULL AND sha256 IS NOT NULL "
	    "AND size <= $2 ORDER BY id",
	    STORE_PARAMS(SP_I(id), SP_I(MESSAGE_HTML_IMAGE_MAX)), &r);
	if (rc != STORE_OK)
		return rc;
	while ((rc = store_next(r)) == STORE_ROW && *n < INLINE_MAX) {
		const char *type = image_type(store_text(r, 2));
		if (type == NULL || strlen(store_text(r, 1)) >= sizeof imgs->cid)
			continue;
		struct inline_img *im = &imgs[(*n)++];
		im->id = store_int(r, 0);
		im->type = type;
		snprintf(im->cid, sizeof im->cid, "%s", store_text(r, 1));
	}
	store_done(r);
	return rc == STORE_ROW || rc == STORE_DONE ? STORE_OK : rc;
}

/* The content id of an escaped src value when it is a cid: URL (entities
 * and %XX decoded, whitespace ignored as browsers do); 0 otherwise. */
static int
cid_of(const char *v, size_t len, char *out, size_t outlen)
{
	static const struct { const char *ent; char c; } ents[] = {
		{"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'},
		{"&#39;", '\''},
	};
	char dec[300];
	size_t n = 0;
	for (size_t i = 0; i < len && n < sizeof dec - 1;) {
		size_t k = 0;
		for (; k < sizeof ents / sizeof ents[0]; k++) {
			size_t el = strlen(ents[k].ent);
			if (i + el <= len && memcmp(v + i, ents[k].ent, el) == 0) {
				dec[n++] = ents[k].c;
				i += el;
				break;
			}
		}
		if (k == sizeof ents / sizeof ents[0]) {
			unsigned char c = (unsigned char)v[i++];
			if (c > 0x20 && c != 0x7f)
				dec[n++] = (char)c;
		}
	}
	dec[n] = '\0';
	if (strncasecmp(dec, "cid:", 4) != 0)
		return 0;
	size_t o = 0;
	for (const char *p = dec + 4; *p && o < outlen - 1; p++) {
		if (p[0] == '%' && isxdigit((unsigned char)p[1]) &&
		    isxdigit((unsigned char)p[2])) {
			char hex[3] = {p[1], p[2], '\0'};
			out[o++] = (char)strtol(hex, NULL, 16);
			p += 2;
		} else {
			out[o++] = *p;
		}
	}
	out[o] = '\0';
	return 1;
}

/* Appends the data: URL of attachment im. */
static enum store_rc
put_data_url(struct store *db, const struct inline_img *im, struct buf *out)
{
	void *bytes;
	size_t len;
	enum store_rc rc = attachment_bytes(db, im->id, &bytes, &len);
	if (rc != STORE_OK)
		return rc;
	size_t b64len = sodium_base64_ENCODED_LEN(len, sodium_base64_VARIANT_ORIGINAL);
	char *b64 = malloc(b64len);
	if (b64 == NULL) {
		free(bytes);
		return store_fail(db, STORE_ERROR, "out of memory");
	}
	sodium_bin2base64(b64, b64len, bytes, len, sodium_base64_VARIANT_ORIGINAL);
	free(bytes);
	enum buf_rc b = buf_printf(out, "data:%s;base64,", im->type);
	if (b == BUF_OK)
		b = buf_puts(out, b64);
	free(b64);
	return b == BUF_OK ? STORE_OK
	                   : store_fail(db, STORE_ERROR, "the message is too big to show");
}

enum store_rc
message_html_doc(struct store *db, int64_t id, struct buf *out)
{
	struct inline_img imgs[INLINE_MAX];
	size_t nimgs = 0;
	char *html = NULL;
	enum store_rc rc = store_get_text(db,
	                                  "SELECT body_html FROM messages WHERE "
	                                  "id = $1 AND body_html IS NOT NULL",
	                                  STORE_PARAMS(SP_I(id)), &html);
	if (rc == STORE_OK)
		rc = load_inline(db, id, imgs, &nimgs);
	if (rc != STORE_OK)
		goto out;
	out->max = MESSAGE_HTML_MAX;
	enum buf_rc b = buf_puts(out, "<!doctype html><html><head><meta charset=\"utf-8\">"
	                              "<meta name=\"referrer\" content=\"no-referrer\">"
	                              "</head><body>\n");
	const char *p = html;
	static const char attr[] = " src=\"";
	while (b == BUF_OK && rc == STORE_OK) {
		const char *s = strstr(p, attr);
		const char *end = s ? strchr(s + sizeof attr - 1, '"') : NULL;
		if (end == NULL) {
			b = buf_puts(out, p);
			break;
		}
		const char *v = s + sizeof attr - 1;
		b = buf_append(out, p, (size_t)(v - p));
		char cid[256];
		const struct inline_img *im = NULL;
		if (cid_of(v, (size_t)(end - v), cid, sizeof cid))
			for (size_t i = 0; i < nimgs && im == NULL; i++)
				if (strcmp(imgs[i].cid, cid) == 0)
					im = &imgs[i];
		if (b == BUF_OK && im)
			rc = put_data_url(db, im, out);
		else if (b == BUF_OK)
			b = buf_puts(out, "data:,");
		p = end;
	}
	if (b == BUF_OK && rc == STORE_OK)
		b = buf_puts(out, "\n</body></html>\n");
	if (rc == STORE_OK && b != BUF_OK)
		rc = store_fail(db, STORE_ERROR, "the message is too big to show");
out:
	free(html);
	return rc;
}
