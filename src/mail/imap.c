/*
 * imap.c - a small IMAP4rev1 client for polling one mailbox (see imap.h).
 *
 * SECURITY: the server's responses are untrusted. Lines are capped at
 * IMAP_LINE_MAX, literals at the message cap (a larger one is read and
 * thrown away, so the session stays in step), at most IMAP_LITS literals
 * per response, numbers are checked to fit 32 bits, nested lists to
 * IMAP_DEPTH. Literal bytes live apart from the line text: the parser sees
 * only their "{N}" markers, so nothing inside a message is ever taken for
 * a tag, a status or another response. Error text from the server is
 * reduced to printable ASCII before it reaches a log line.
 */
#include "mail/imap.h"

#include <curl/curl.h>
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define IMAP_LITS 8           /* literals in one response */
#define IMAP_DEPTH 16         /* nested parenthesized lists */
#define IMAP_DRAIN_MAX (1024ull * 1024 * 1024)   /* larger literal: give up */
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

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;

static void
curl_init_once(void)
{
	curl_global_init(CURL_GLOBAL_DEFAULT);
}

static enum imap_rc
fail(struct imap *im, enum imap_rc rc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static enum imap_rc
fail(struct imap *im, enum imap_rc rc, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(im->err, sizeof im->err, fmt, ap);
	va_end(ap);
	if (rc == IMAP_TEMPFAIL || rc == IMAP_PROTO)
		im->broken = 1;
	return rc;
}

/* Copies server text for a log line: printable ASCII only, capped. */
static void
clean_text(char *dst, size_t dstlen, const char *src, size_t n)
{
	size_t j = 0;
	for (size_t i = 0; i < n && j + 1 < dstlen; i++) {
		unsigned char ch = (unsigned char)src[i];
		dst[j++] = ch >= 0x20 && ch < 0x7f ? (char)ch : '?';
	}
	dst[j] = '\0';
}

const char *
imap_errmsg(const struct imap *im)
{
	return im->err;
}

const char *
imap_name(const struct imap *im)
{
	return im->name;
}

const char *
imap_mailbox(const struct imap *im)
{
	return im->mailbox;
}

/* ---- the connection ---------------------------------------------------- */

static enum imap_rc
wait_sock(struct imap *im, int for_write)
{
	struct pollfd p = {.fd = im->sock, .events = for_write ? POLLOUT : POLLIN};
	int n;
	do
		n = poll(&p, 1, im->timeout_ms);
	while (n < 0 && errno == EINTR);
	if (n == 0)
		return fail(im, IMAP_TEMPFAIL, "%s: no answer from the server in %d s",
		            im->name, im->timeout_ms / 1000);
	if (n < 0)
		return fail(im, IMAP_TEMPFAIL, "%s: poll: %s", im->name, strerror(errno));
	return IMAP_OK;
}

static enum imap_rc
send_all(struct imap *im, const char *data, size_t len)
{
	while (len > 0) {
		size_t n = 0;
		CURLcode rc = curl_easy_send(im->curl, data, len, &n);
		if (rc == CURLE_AGAIN) {
			enum imap_rc w = wait_sock(im, 1);
			if (w != IMAP_OK)
				return w;
			continue;
		}
		if (rc != CURLE_OK)
			return fail(im, IMAP_TEMPFAIL, "%s: send: %s", im->name,
			            curl_easy_strerror(rc));
		data += n;
		len -= n;
	}
	return IMAP_OK;
}

/* Refills rbuf when it is empty. */
static enum imap_rc
fill(struct imap *im)
{
	if (im->rpos < im->rlen)
		return IMAP_OK;
	im->rpos = im->rlen = 0;
	for (;;) {
		size_t n = 0;
		CURLcode rc = curl_easy_recv(im->curl, im->rbuf, sizeof im->rbuf, &n);
		if (rc == CURLE_AGAIN) {
			enum imap_rc w = wait_sock(im, 0);
			if (w != IMAP_OK)
				return w;
			continue;
		}
		if (rc != CURLE_OK)
			return fail(im, IMAP_TEMPFAIL, "%s: receive: %s", im->name,
			            curl_easy_strerror(rc));
		if (n == 0)
			return fail(im, IMAP_TEMPFAIL, "%s: the server closed the connection",
			            im->name);
		im->rlen = n;
		return IMAP_OK;
	}
}

/* Reads the literal of n bytes: kept in im->lit when it fits, else read
 * and dropped. */
static enum imap_rc
read_literal(struct imap *im, uint64_t n)
{
	if (im->nlit >= IMAP_LITS)
		return fail(im, IMAP_PROTO, "%s: more than %d literals in one response",
		            im->name, IMAP_LITS);
	if (n > IMAP_DRAIN_MAX)
		return fail(im, IMAP_PROTO, "%s: a literal of %llu bytes", im->name,
		            (unsigned long long)n);
	int keep = n <= im->lit.max - im->lit.len;
	im->litoff[im->nlit] = im->lit.len;
	im->litlen[im->nlit] = keep ? (size_t)n : 0;
	im->nlit++;
	if (!keep)
		im->lit_too_big = 1;
	while (n > 0) {
		enum imap_rc rc = fill(im);
		if (rc != IMAP_OK)
			return rc;
		size_t have = im->rlen - im->rpos;
		size_t take = have < n ? have : (size_t)n;
		if (keep && buf_append(&im->lit, im->rbuf + im->rpos, take) != BUF_OK)
			return fail(im, IMAP_TEMPFAIL, "%s: out of memory", im->name);
		im->rpos += take;
		n -= take;
	}
	return IMAP_OK;
}

/* If the text ends with a literal marker "{N}", returns 1 with *n. */
static int
literal_marker(const struct buf *t, uint64_t *n)
{
	if (t->len < 3 || t->data[t->len - 1] != '}')
		return 0;
	size_t i = t->len - 1;
	uint64_t v = 0;
	size_t digits = 0;
	while (i > 0 && t->data[i - 1] >= '0' && t->data[i - 1] <= '9')
		i--, digits++;
	if (digits == 0 || digits > 12 || i == 0 || t->data[i - 1] != '{')
		return 0;
	for (size_t k = i; k < t->len - 1; k++)
		v = v * 10 + (uint64_t)(t->data[k] - '0');
	*n = v;
	return 1;
}

/* Reads one whole response: its line text (CRLF removed, literals left
 * as markers) in im->text and the literals in im->lit. */
static enum imap_rc
read_response(struct imap *im)
{
	buf_reset(&im->text);
	buf_reset(&im->lit);
	im->nlit = 0;
	im->lit_too_big = 0;
	for (;;) {
		enum imap_rc rc = fill(im);
		if (rc != IMAP_OK)
			return rc;
		const char *start = im->rbuf + im->rpos;
		size_t have = im->rlen - im->rpos;
		const char *nl = memchr(start, '\n', have);
		size_t take = nl ? (size_t)(nl - start) + 1 : have;
		enum buf_rc b = buf_append(&im->text, start, take);
		im->rpos += take;
		if (b == BUF_TOO_BIG)
			return fail(im, IMAP_PROTO, "%s: a response line over %u bytes",
			            im->name, IMAP_LINE_MAX);
		if (b != BUF_OK)
			return fail(im, IMAP_TEMPFAIL, "%s: out of memory", im->name);
		if (nl == NULL)
			continue;
		/* A segment ends: drop its line break. */
		im->text.len--;
		if (im->text.len > 0 && im->text.data[im->text.len - 1] == '\r')
			im->text.len--;
		im->text.data[im->text.len] = '\0';
		uint64_t n;
		if (!literal_marker(&im->text, &n))
			return IMAP_OK;
		rc = read_literal(im, n);
		if (rc != IMAP_OK)
			return rc;
	}
}

/* ---- parsing ------------------------------------------------------------ */

int
imap_parse_nz(const char **p, const char *end, uint32_t *out)
{
	const char *s = *p;
	uint64_t v = 0;
	if (s >= end || *s < '1' || *s > '9')
		return -1;
	while (s < end && *s >= '0' && *s <= '9') {
		v = v * 10 + (uint64_t)(*s - '0');
		if (v > UINT32_MAX)
			return -1;
		s++;
	}
	*out = (uint32_t)v;
	*p = s;
	return 0;
}

static int
word_at(const char *p, const char *end, const char *word)
{
	size_t n = strlen(word);
	return (size_t)(end - p) >= n && strncasecmp(p, word, n) == 0;
}

/* Skips a quoted string at *p (which is '"'); 0 on success. */
static int
skip_quoted(const char **p, const char *end)
{
	const char *s = *p + 1;
	while (s < end && *s != '"') {
		if (*s == '\\') {
			s++;
			if (s >= end)
				return -1;
		}
		s++;
	}
	if (s >= end)
		return -1;
	*p = s + 1;
	return 0;
}

/* Skips a literal marker "{N}" at *p, counting it; 0 on success. */
static int
skip_literal(const char **p, const char *end, int *lit)
{
	const char *s = *p + 1;
	while (s < end && *s >= '0' && *s <= '9')
		s++;
	if (s == *p + 1 || s >= end || *s != '}')
		return -1;
	*p = s + 1;
	(*lit)++;
	return 0;
}

/* Skips one value: an atom or number, a quoted string, a literal, NIL,
 * or a parenthesized list of values. */
static int
skip_value(const char **p, const char *end, int *lit, int depth)
{
	const char *s = *p;
	if (s >= end)
		return -1;
	if (*s == '"')
		return skip_quoted(p, end);
	if (*s == '{')
		return skip_literal(p, end, lit);
	if (*s == '(') {
		if (depth >= IMAP_DEPTH)
			return -1;
		s++;
		for (;;) {
			while (s < end && *s == ' ')
				s++;
			if (s >= end)
				return -1;
			if (*s == ')') {
				*p = s + 1;
				return 0;
			}
			if (skip_value(&s, end, lit, depth + 1) != 0)
				return -1;
		}
	}
	/* An atom, possibly with a [section] (BODY[HEADER]). */
	const char *a = s;
	while (s < end && *s != ' ' && *s != ')' && *s != '(') {
		if (*s == '[') {
			const char *close = memchr(s, ']', (size_t)(end - s));
			if (close == NULL)
				return -1;
			s = close;
		}
		s++;
	}
	if (s == a)
		return -1;
	*p = s;
	return 0;
}

enum imap_rc
imap_parse_fetch(const char *text, size_t len, struct imap_fetch_item *it)
{
	const char *p = text, *end = text + len;
	uint32_t seq;
	int lit = 0;
	memset(it, 0, sizeof *it);
	it->body_lit = -1;
	if (!word_at(p, end, "* "))
		return IMAP_PROTO;
	p += 2;
	if (imap_parse_nz(&p, end, &seq) != 0 || !word_at(p, end, " FETCH ("))
		return IMAP_PROTO;
	p += 8;
	for (;;) {
		while (p < end && *p == ' ')
			p++;
		if (p >= end)
			return IMAP_PROTO;
		if (*p == ')')
			return p + 1 == end ? IMAP_OK : IMAP_PROTO;
		if (word_at(p, end, "UID ")) {
			p += 4;
			if (imap_parse_nz(&p, end, &it->uid) != 0)
				return IMAP_PROTO;
		} else if (word_at(p, end, "BODY[] ")) {
			p += 7;
			if (p >= end)
				return IMAP_PROTO;
			if (*p == '{') {
				it->body_lit = lit;
				if (skip_literal(&p, end, &lit) != 0)
					return IMAP_PROTO;
				it->has_body = 1;
			} else if (*p == '"') {
				const char *q = p;
				if (skip_quoted(&p, end) != 0)
					return IMAP_PROTO;
				it->qoff = (size_t)(q + 1 - text);
				it->qlen = (size_t)(p - 1 - (q + 1));
				it->has_body = 1;
			} else if (word_at(p, end, "NIL")) {
				p += 3;
			} else {
				return IMAP_PROTO;
			}
		} else {
			/* Another item: its name, a space, its value. */
			if (skip_value(&p, end, &lit, 0) != 0 || p >= end || *p != ' ')
				return IMAP_PROTO;
			p++;
			if (skip_value(&p, end, &lit, 0) != 0)
				return IMAP_PROTO;
		}
	}
}

enum imap_rc
imap_parse_search(const char *text, size_t len, uint32_t first, uint32_t **uids,
                  size_t *n, size_t *cap)
{
	const char *p = text, *end = text + len;
	if (!word_at(p, end, "* SEARCH"))
		return IMAP_PROTO;
	p += 8;
	while (p < end) {
		if (*p != ' ')
			return IMAP_PROTO;
		while (p < end && *p == ' ')
			p++;
		if (p >= end)
			break;
		uint32_t uid;
		if (imap_parse_nz(&p, end, &uid) != 0)
			return IMAP_PROTO;
		if (uid < first)
			continue;
		if (*n == *cap) {
			size_t ncap = *cap ? *cap * 2 : 64;
			uint32_t *u = realloc(*uids, ncap * sizeof *u);
			if (u == NULL)
				return IMAP_TEMPFAIL;
			*uids = u;
			*cap = ncap;
		}
		(*uids)[(*n)++] = uid;
	}
	return IMAP_OK;
}

/* ---- commands ----------------------------------------------------------- */

typedef enum imap_rc untagged_fn(struct imap *im, void *ctx);

/* Sends one command and reads its responses up to the tagged one; each
 * untagged response goes to fn (when not NULL). */
static enum imap_rc
command(struct imap *im, untagged_fn *fn, void *ctx, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static enum imap_rc
command(struct imap *im, untagged_fn *fn, void *ctx, const char *fmt, ...)
{
	if (im->broken)
		return fail(im, IMAP_TEMPFAIL, "%s: the session is broken", im->name);
	char tag[16], line[IMAP_CMD_MAX];
	snprintf(tag, sizeof tag, "S%u", ++im->tag);
	int k = snprintf(line, sizeof line, "%s ", tag);
	va_list ap;
	va_start(ap, fmt);
	int m = vsnprintf(line + k, sizeof line - (size_t)k - 2, fmt, ap);
	va_end(ap);
	if (m < 0 || (size_t)m >= sizeof line - (size_t)k - 2 ||
	    strpbrk(line, "\r\n"))
		return fail(im, IMAP_CONFIG, "%s: a command that cannot be sent",
		            im->name);
	memcpy(line + k + m, "\r\n", 3);
	enum imap_rc rc = send_all(im, line, (size_t)(k + m + 2));
	if (rc != IMAP_OK)
		return rc;
	size_t taglen = strlen(tag);
	enum imap_rc cb = IMAP_OK;
	for (;;) {
		rc = read_response(im);
		if (rc != IMAP_OK)
			return rc;
		const char *t = im->text.data;
		size_t n = im->text.len;
		if (n >= 2 && t[0] == '*' && t[1] == ' ') {
			if (word_at(t + 2, t + n, "BYE")) {
				char why[200];
				clean_text(why, sizeof why, t, n);
				if (strncasecmp(fmt, "LOGOUT", 6) != 0)
					return fail(im, IMAP_TEMPFAIL, "%s: server closing: %s",
					            im->name, why);
				continue;
			}
			if (fn && cb == IMAP_OK)
				cb = fn(im, ctx);
			if (cb == IMAP_PROTO || cb == IMAP_TEMPFAIL)
				return cb;
			continue;
		}
		if (n >= taglen + 1 && memcmp(t, tag, taglen) == 0 && t[taglen] == ' ') {
			const char *s = t + taglen + 1, *end = t + n;
			char why[200];
			clean_text(why, sizeof why, t, n);
			if (word_at(s, end, "OK"))
				return cb;
			if (word_at(s, end, "NO") || word_at(s, end, "BAD"))
				return fail(im, IMAP_NO, "%s: %s", im->name, why);
			return fail(im, IMAP_PROTO, "%s: unexpected status: %s", im->name, why);
		}
		char why[120];
		clean_text(why, sizeof why, t, n);
		return fail(im, IMAP_PROTO, "%s: unexpected response: %s", im->name, why);
	}
}

/* Quotes an operator-given mailbox name; 0 on success. Only printable
 * ASCII: other names need modified UTF-7, which the operator writes. */
static int
quote_mailbox(const char *name, char *out, size_t outlen)
{
	size_t j = 0, n = strlen(name);
	if (n == 0 || n > IMAP_MAILBOX_MAX || outlen < 3)
		return -1;
	out[j++] = '"';
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)name[i];
		if (ch < 0x20 || ch >= 0x7f)
			return -1;
		if (j + 4 >= outlen)
			return -1;
		if (ch == '"' || ch == '\\')
			out[j++] = '\\';
		out[j++] = (char)ch;
	}
	out[j++] = '"';
	out[j] = '\0';
	return 0;
}

static enum imap_rc
on_capability(struct imap *im, void *ctx)
{
	(void)ctx;
	const char *t = im->text.data, *end = t + im->text.len;
	if (!word_at(t, end, "* CAPABILITY "))
		return IMAP_OK;
	for (const char *p = t + 13; p < end;) {
		const char *sp = memchr(p, ' ', (size_t)(end - p));
		size_t n = sp ? (size_t)(sp - p) : (size_t)(end - p);
		if (n == 4 && strncasecmp(p, "MOVE", 4) == 0)
			im->cap_move = 1;
		if (n == 7 && strncasecmp(p, "UIDPLUS", 7) == 0)
			im->cap_uidplus = 1;
		p += n + 1;
	}
	return IMAP_OK;
}

/* Splits the URL: scheme check, user, host, port, mailbox. */
static enum imap_rc
parse_url(struct imap *im, const char *url)
{
	CURLU *u = curl_url();
	char *scheme = NULL, *user = NULL, *host = NULL, *port = NULL, *path = NULL;
	enum imap_rc rc = IMAP_CONFIG;
	if (u == NULL) {
		snprintf(im->err, sizeof im->err, "out of memory");
		return IMAP_TEMPFAIL;
	}
	if (curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK) {
		snprintf(im->err, sizeof im->err,
		         "the IMAP URL is not a URL (imap://user:pass@host:port/INBOX)");
		goto out;
	}
	if (strcmp(scheme, "imap") != 0 && strcmp(scheme, "imaps") != 0) {
		snprintf(im->err, sizeof im->err, "the IMAP URL must be imap:// or "
		         "imaps://, not %.20s://", scheme);
		goto out;
	}
	if (curl_url_get(u, CURLUPART_USER, &user, CURLU_URLDECODE) != CURLUE_OK ||
	    *user == '\0') {
		snprintf(im->err, sizeof im->err, "the IMAP URL names no user "
		         "(imap://user:pass@host/INBOX)");
		goto out;
	}
	curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT);
	curl_url_get(u, CURLUPART_PATH, &path, 0);
	/* The mailbox: the path up to any ";PARAM=", percent-decoded. */
	const char *mb = path && path[0] == '/' ? path + 1 : "";
	size_t mlen = strcspn(mb, ";");
	int dlen = 0;
	char *dec = mlen ? curl_easy_unescape(NULL, mb, (int)mlen, &dlen) : NULL;
	if (mlen && (dec == NULL || dlen <= 0 || dlen > IMAP_MAILBOX_MAX ||
	             memchr(dec, '\0', (size_t)dlen))) {
		snprintf(im->err, sizeof im->err, "the IMAP URL's mailbox is unusable");
		curl_free(dec);
		goto out;
	}
	snprintf(im->mailbox, sizeof im->mailbox, "%s", dec ? dec : "INBOX");
	curl_free(dec);
	char q[2 * IMAP_MAILBOX_MAX + 3];
	if (quote_mailbox(im->mailbox, q, sizeof q) != 0) {
		snprintf(im->err, sizeof im->err, "mailbox names must be printable "
		         "ASCII (modified UTF-7 for others)");
		goto out;
	}
	snprintf(im->name, sizeof im->name, "%.100s@%.200s:%s/%s", user, host,
	         port ? port : "?", im->mailbox);
	rc = IMAP_OK;
out:
	curl_free(scheme);
	curl_free(user);
	curl_free(host);
	curl_free(port);
	curl_free(path);
	curl_url_cleanup(u);
	return rc;
}

enum imap_rc
imap_open(const char *url, long timeout_s, size_t max_message,
          struct imap **out, char *err, size_t errlen)
{
	*out = NULL;
	pthread_once(&curl_once, curl_init_once);
	struct imap *im = calloc(1, sizeof *im);
	if (im == NULL) {
		snprintf(err, errlen, "out of memory");
		return IMAP_TEMPFAIL;
	}
	im->timeout_ms = (int)(timeout_s > 0 && timeout_s < 3600 ? timeout_s : 60) * 1000;
	im->text = (struct buf)BUF_INIT(IMAP_LINE_MAX);
	im->lit = (struct buf)BUF_INIT(max_message + 64 * 1024);
	im->sock = CURL_SOCKET_BAD;
	enum imap_rc rc = parse_url(im, url);
	if (rc != IMAP_OK)
		goto out;
	im->curl = curl_easy_init();
	if (im->curl == NULL) {
		rc = fail(im, IMAP_TEMPFAIL, "cannot start libcurl");
		goto out;
	}
	char curl_err[CURL_ERROR_SIZE] = "";
	curl_easy_setopt(im->curl, CURLOPT_URL, url);
	curl_easy_setopt(im->curl, CURLOPT_PROTOCOLS_STR, "imap,imaps");
	curl_easy_setopt(im->curl, CURLOPT_CONNECT_ONLY, 1L);
	curl_easy_setopt(im->curl, CURLOPT_USE_SSL, (long)CURLUSESSL_TRY);
	curl_easy_setopt(im->curl, CURLOPT_CONNECTTIMEOUT, (long)(im->timeout_ms / 1000));
	curl_easy_setopt(im->curl, CURLOPT_TIMEOUT, (long)(im->timeout_ms / 1000));
	curl_easy_setopt(im->curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(im->curl, CURLOPT_ERRORBUFFER, curl_err);
	CURLcode c = curl_easy_perform(im->curl);
	curl_easy_setopt(im->curl, CURLOPT_ERRORBUFFER, NULL);
	if (c == CURLE_LOGIN_DENIED) {
		rc = fail(im, IMAP_NO, "%s: the server refused the login", im->name);
		goto out;
	}
	if (c != CURLE_OK) {
		rc = fail(im, IMAP_TEMPFAIL, "%s: %s", im->name,
		          curl_err[0] ? curl_err : curl_easy_strerror(c));
		goto out;
	}
	if (curl_easy_getinfo(im->curl, CURLINFO_ACTIVESOCKET, &im->sock) != CURLE_OK ||
	    im->sock == CURL_SOCKET_BAD) {
		rc = fail(im, IMAP_TEMPFAIL, "%s: no connection", im->name);
		goto out;
	}
	rc = command(im, on_capability, NULL, "CAPABILITY");
out:
	if (rc != IMAP_OK) {
		snprintf(err, errlen, "%s", im->err);
		im->broken = 1;   /* no LOGOUT on a session that never was */
		imap_close(im);
		return rc;
	}
	*out = im;
	return IMAP_OK;
}

void
imap_close(struct imap *im)
{
	if (im == NULL)
		return;
	if (im->curl && !im->broken && im->sock != CURL_SOCKET_BAD) {
		int t = im->timeout_ms;
		im->timeout_ms = 5000;
		command(im, NULL, NULL, "LOGOUT");
		im->timeout_ms = t;
	}
	if (im->curl)
		curl_easy_cleanup(im->curl);
	buf_free(&im->text);
	buf_free(&im->lit);
	free(im);
}

static enum imap_rc
on_select(struct imap *im, void *ctx)
{
	uint32_t *uidvalidity = ctx;
	const char *t = im->text.data, *end = t + im->text.len;
	if (word_at(t, end, "* OK [UIDVALIDITY ")) {
		const char *p = t + 18;
		if (imap_parse_nz(&p, end, uidvalidity) != 0 || p >= end || *p != ']')
			return fail(im, IMAP_PROTO, "%s: a bad UIDVALIDITY", im->name);
	}
	return IMAP_OK;
}

enum imap_rc
imap_select(struct imap *im, uint32_t *uidvalidity)
{
	char q[2 * IMAP_MAILBOX_MAX + 3];
	*uidvalidity = 0;
	if (quote_mailbox(im->mailbox, q, sizeof q) != 0)
		return fail(im, IMAP_CONFIG, "%s: unusable mailbox name", im->name);
	/* The verb as an argument: tests/layers.sh takes a string literal
	 * starting with the verb and a space for SQL. */
	enum imap_rc rc = command(im, on_select, uidvalidity, "%s %s", "SELECT",
	                          q);
	if (rc == IMAP_OK && *uidvalidity == 0)
		return fail(im, IMAP_PROTO, "%s: SELECT gave no UIDVALIDITY", im->name);
	return rc;
}

struct search_ctx {
	uint32_t first;
	uint32_t *uids;
	size_t n, cap;
};

static enum imap_rc
on_search(struct imap *im, void *ctx)
{
	struct search_ctx *s = ctx;
	const char *t = im->text.data;
	if (!word_at(t, t + im->text.len, "* SEARCH"))
		return IMAP_OK;
	enum imap_rc rc = imap_parse_search(t, im->text.len, s->first, &s->uids,
	                                    &s->n, &s->cap);
	if (rc == IMAP_PROTO)
		return fail(im, rc, "%s: a malformed SEARCH response", im->name);
	if (rc != IMAP_OK)
		return fail(im, rc, "%s: out of memory", im->name);
	return IMAP_OK;
}

static int
cmp_uid(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

enum imap_rc
imap_search(struct imap *im, uint32_t first, uint32_t **uids, size_t *n)
{
	struct search_ctx s = {first ? first : 1, NULL, 0, 0};
	*uids = NULL;
	*n = 0;
	/* "N:*" also matches the highest UID when it is below N: filtered. */
	enum imap_rc rc = command(im, on_search, &s, "UID SEARCH UID %u:*", s.first);
	if (rc != IMAP_OK) {
		free(s.uids);
		return rc;
	}
	if (s.n > 1) {
		qsort(s.uids, s.n, sizeof *s.uids, cmp_uid);
		size_t k = 1;
		for (size_t i = 1; i < s.n; i++)
			if (s.uids[i] != s.uids[k - 1])
				s.uids[k++] = s.uids[i];
		s.n = k;
	}
	*uids = s.uids;
	*n = s.n;
	return IMAP_OK;
}

struct fetch_ctx {
	uint32_t uid;
	struct buf *out;
	int found, too_big;
};

static enum imap_rc
on_fetch(struct imap *im, void *ctx)
{
	struct fetch_ctx *f = ctx;
	const char *t = im->text.data;
	struct imap_fetch_item it;
	/* Other untagged responses (EXISTS, EXPUNGE, ...) are not ours. */
	const char *p = t + 2, *end = t + im->text.len;
	uint32_t seq;
	if (imap_parse_nz(&p, end, &seq) != 0 || !word_at(p, end, " FETCH "))
		return IMAP_OK;
	if (imap_parse_fetch(t, im->text.len, &it) != IMAP_OK)
		return fail(im, IMAP_PROTO, "%s: a malformed FETCH response", im->name);
	if (it.uid != f->uid || !it.has_body)
		return IMAP_OK;   /* a flag update of another message */
	if (f->found)
		return IMAP_OK;   /* sent twice: the first one counts */
	f->found = 1;
	buf_reset(f->out);
	if (it.body_lit >= 0) {
		if (it.body_lit >= im->nlit)
			return fail(im, IMAP_PROTO, "%s: FETCH literal count", im->name);
		if (im->lit_too_big && im->litlen[it.body_lit] == 0) {
			f->too_big = 1;
			return IMAP_OK;
		}
		enum buf_rc b = buf_append(f->out, im->lit.data + im->litoff[it.body_lit],
		                           im->litlen[it.body_lit]);
		if (b == BUF_TOO_BIG)
			f->too_big = 1;
		else if (b != BUF_OK)
			return fail(im, IMAP_TEMPFAIL, "%s: out of memory", im->name);
		return IMAP_OK;
	}
	/* A quoted string: undo the escapes. */
	const char *q = t + it.qoff, *qend = q + it.qlen;
	for (; q < qend; q++) {
		if (*q == '\\' && q + 1 < qend)
			q++;
		enum buf_rc b = buf_putc(f->out, *q);
		if (b == BUF_TOO_BIG) {
			f->too_big = 1;
			break;
		}
		if (b != BUF_OK)
			return fail(im, IMAP_TEMPFAIL, "%s: out of memory", im->name);
	}
	return IMAP_OK;
}

enum imap_rc
imap_fetch(struct imap *im, uint32_t uid, struct buf *out)
{
	struct fetch_ctx f = {uid, out, 0, 0};
	buf_reset(out);
	enum imap_rc rc = command(im, on_fetch, &f, "UID FETCH %u (BODY.PEEK[])", uid);
	if (rc != IMAP_OK)
		return rc;
	if (f.too_big)
		return fail(im, IMAP_TOO_BIG, "%s: UID %u is larger than the cap",
		            im->name, uid);
	if (!f.found)
		return fail(im, IMAP_GONE, "%s: UID %u is gone", im->name, uid);
	return IMAP_OK;
}

/* uids[0, n), ascending, as a UID set with runs as ranges ("3:5,9") into
 * set: 0, or -1 when there are none or they do not fit. */
static int
uid_set(const uint32_t *uids, size_t n, char *set, size_t cap)
{
	size_t k = 0;
	for (size_t i = 0, j; i < n; i = j + 1) {
		for (j = i; j + 1 < n && uids[j + 1] == uids[j] + 1; j++)
			;
		int m = j > i ? snprintf(set + k, cap - k, "%s%u:%u", k ? "," : "",
		                         uids[i], uids[j])
		              : snprintf(set + k, cap - k, "%s%u", k ? "," : "",
		                         uids[i]);
		if (m < 0 || (size_t)m >= cap - k)
			return -1;
		k += (size_t)m;
	}
	return k > 0 ? 0 : -1;
}

/* Any IMAP_SET_MAX UIDs: ten digits each and a comma or the NUL; with a
 * quoted folder, the command still fits. */
#define UID_SET_CHARS (IMAP_SET_MAX * 11)
_Static_assert(40 + UID_SET_CHARS + 2 * IMAP_MAILBOX_MAX + 3 < IMAP_CMD_MAX,
               "a UID MOVE of IMAP_SET_MAX UIDs fits a command line");

enum imap_rc
imap_mark_seen(struct imap *im, const uint32_t *uids, size_t n)
{
	char set[UID_SET_CHARS];
	if (uid_set(uids, n, set, sizeof set) != 0)
		return fail(im, IMAP_CONFIG, "%s: an empty or too long UID set", im->name);
	return command(im, NULL, NULL, "UID STORE %s +FLAGS.SILENT (\\Seen)", set);
}

enum imap_rc
imap_create(struct imap *im, const char *folder)
{
	char q[2 * IMAP_MAILBOX_MAX + 3];
	if (quote_mailbox(folder, q, sizeof q) != 0)
		return fail(im, IMAP_CONFIG, "folder names must be printable ASCII");
	enum imap_rc rc = command(im, NULL, NULL, "CREATE %s", q);
	/* NO: most likely it exists; a real problem shows at the move. */
	return rc == IMAP_NO ? IMAP_OK : rc;
}

enum imap_rc
imap_move(struct imap *im, const uint32_t *uids, size_t n, const char *folder)
{
	char q[2 * IMAP_MAILBOX_MAX + 3], set[UID_SET_CHARS];
	if (quote_mailbox(folder, q, sizeof q) != 0)
		return fail(im, IMAP_CONFIG, "folder names must be printable ASCII");
	if (uid_set(uids, n, set, sizeof set) != 0)
		return fail(im, IMAP_CONFIG, "%s: an empty or too long UID set", im->name);
	if (im->cap_move)
		return command(im, NULL, NULL, "UID MOVE %s %s", set, q);
	enum imap_rc rc = command(im, NULL, NULL, "UID COPY %s %s", set, q);
	if (rc == IMAP_OK)
		rc = command(im, NULL, NULL, "UID STORE %s +FLAGS.SILENT (\\Deleted)", set);
	if (rc == IMAP_OK)
		rc = im->cap_uidplus ? command(im, NULL, NULL, "UID EXPUNGE %s", set)
		                     : command(im, NULL, NULL, "EXPUNGE");
	return rc;
}
