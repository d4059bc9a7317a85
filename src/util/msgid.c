/*
 * msgid.c - the stored key of a raw message (see msgid.h).
 */
#include "util/msgid.h"
#include "util/log.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sysexits.h>
#include <unistd.h>

/* The line at raw[i]: its length without the LF and a CR before it, and
 * where the next one starts. */
static size_t
line_at(const char *raw, size_t len, size_t i, size_t *next)
{
	const char *nl = memchr(raw + i, '\n', len - i);
	size_t end = nl ? (size_t)(nl - raw) : len;
	*next = nl ? end + 1 : len;
	size_t n = end - i;
	if (n > 0 && raw[end - 1] == '\r')
		n--;
	return n;
}

static int
is_trace_field(const char *line, size_t len)
{
	static const char *const trace[] = {"received:", "return-path:",
	                                    "delivered-to:", "x-original-to:",
	                                    NULL};
	for (size_t i = 0; trace[i]; i++) {
		size_t tl = strlen(trace[i]);
		if (len >= tl && strncasecmp(line, trace[i], tl) == 0)
			return 1;
	}
	return 0;
}

static void
hash_no_cr(crypto_hash_sha256_state *st, const char *p, size_t n)
{
	size_t s = 0;
	for (size_t i = 0; i < n; i++) {
		if (p[i] == '\r') {
			if (i > s)
				crypto_hash_sha256_update(st, (const unsigned char *)p + s,
				                          i - s);
			s = i + 1;
		}
	}
	if (n > s)
		crypto_hash_sha256_update(st, (const unsigned char *)p + s, n - s);
}

void
msgid_synthetic(const char *raw, size_t len, char out[MSGID_MAX])
{
	crypto_hash_sha256_state st;
	crypto_hash_sha256_init(&st);
	int skipping = 0;
	size_t i = 0, next;
	while (i < len) {
		size_t n = line_at(raw, len, i, &next);
		if (n == 0) {
			/* The blank line and the whole body, at once. */
			hash_no_cr(&st, raw + i, len - i);
			break;
		}
		if (raw[i] != ' ' && raw[i] != '\t')
			skipping = is_trace_field(raw + i, n);
		if (!skipping)
			hash_no_cr(&st, raw + i, next - i);
		i = next;
	}
	unsigned char h[crypto_hash_sha256_BYTES];
	char hex[crypto_hash_sha256_BYTES * 2 + 1];
	crypto_hash_sha256_final(&st, h);
	sodium_bin2hex(hex, sizeof hex, h, sizeof h);
	snprintf(out, MSGID_MAX, "synthetic.%.32s@soporte.invalid", hex);
}

/* Skips white space and (nested, escaped) comments. */
static const char *
skip_cfws(const char *p, const char *end)
{
	int depth = 0;
	while (p < end) {
		if (*p == '(') {
			depth++;
		} else if (*p == ')' && depth > 0) {
			depth--;
		} else if (*p == '\\' && depth > 0 && p + 1 < end) {
			p++;
		} else if (depth == 0 && *p != ' ' && *p != '\t') {
			break;
		}
		p++;
	}
	return p;
}

/* The id in an unfolded Message-ID value; 1 when it is a usable key. */
static int
parse_value(const char *v, size_t n, char out[MSGID_MAX])
{
	const char *p = v, *end = v + n;
	p = skip_cfws(p, end);
	int angle = p < end && *p == '<';
	if (angle)
		p = skip_cfws(p + 1, end);
	const char *s = p;
	while (p < end && *p != '>' &&
	       (angle || (*p != ' ' && *p != '\t' && *p != '(')))
		p++;
	while (p > s && (p[-1] == ' ' || p[-1] == '\t'))
		p--;
	size_t len = (size_t)(p - s);
	if (len == 0 || len >= MSGID_MAX)
		return 0;
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)s[i] <= 0x20 || (unsigned char)s[i] >= 0x7f)
			return 0;
	memcpy(out, s, len);
	out[len] = '\0';
	return 1;
}

int
msgid_key(const char *raw, size_t len, char out[MSGID_MAX])
{
	static const char name[] = "message-id";
	char val[2 * MSGID_MAX];
	size_t i = 0, next;
	int ok = 0;
	while (i < len) {
		size_t n = line_at(raw, len, i, &next);
		if (n == 0)
			break;   /* end of the header */
		const char *line = raw + i;
		size_t k = sizeof name - 1;
		if (n > k && strncasecmp(line, name, k) == 0) {
			while (k < n && (line[k] == ' ' || line[k] == '\t'))
				k++;
			if (k < n && line[k] == ':') {
				/* Unfold: the value and its continuation lines,
				 * line breaks removed, up to what an id can use. */
				size_t vl = 0;
				for (size_t p = k + 1;; ) {
					for (; p < n && vl < sizeof val; p++)
						val[vl++] = line[p];
					i = next;
					if (i >= len || (raw[i] != ' ' && raw[i] != '\t'))
						break;
					n = line_at(raw, len, i, &next);
					line = raw + i;
					p = 0;
				}
				/* The last one counts, as in GMime. */
				ok = vl < sizeof val && parse_value(val, vl, out);
				continue;
			}
		}
		i = next;
	}
	if (ok)
		return 0;
	msgid_synthetic(raw, len, out);
	return 1;
}

int
msgid_read_stdin(struct buf *b)
{
	enum buf_rc r = buf_read_fd(b, STDIN_FILENO);
	if (r == BUF_OK)
		return 0;
	log_error(r == BUF_TOO_BIG ? "mailgate: message larger than 64 MiB, refused"
	                           : "mailgate: cannot read the message");
	return r == BUF_TOO_BIG ? EX_DATAERR : EX_TEMPFAIL;
}
