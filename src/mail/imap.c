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
 *
 * Here: the connection, reading responses, sending commands, opening and
 * closing the session; next to it (imap_internal.h): the response
 * parsers (imap_parse.c) and the mailbox commands (imap_cmds.c).
 */
#include "mail/imap.h"
#include "mail/imap_internal.h"

#include <curl/curl.h>
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define IMAP_DRAIN_MAX (1024ull * 1024 * 1024)   /* larger literal: give up */

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;

static void
curl_init_once(void)
{
	curl_global_init(CURL_GLOBAL_DEFAULT);
}

enum imap_rc
imap_fail(struct imap *im, enum imap_rc rc, const char *fmt, ...)
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
		return imap_fail(im, IMAP_TEMPFAIL, "%s: no answer from the server in %d s",
		                 im->name, im->timeout_ms / 1000);
	if (n < 0)
		return imap_fail(im, IMAP_TEMPFAIL, "%s: poll: %s", im->name, strerror(errno));
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
			return imap_fail(im, IMAP_TEMPFAIL, "%s: send: %s", im->name,
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
			return imap_fail(im, IMAP_TEMPFAIL, "%s: receive: %s", im->name,
			                 curl_easy_strerror(rc));
		if (n == 0)
			return imap_fail(im, IMAP_TEMPFAIL, "%s: the server closed the connection",
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
		return imap_fail(im, IMAP_PROTO, "%s: more than %d literals in one response",
		                 im->name, IMAP_LITS);
	if (n > IMAP_DRAIN_MAX)
		return imap_fail(im, IMAP_PROTO, "%s: a literal of %llu bytes", im->name,
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
			return imap_fail(im, IMAP_TEMPFAIL, "%s: out of memory", im->name);
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
			return imap_fail(im, IMAP_PROTO, "%s: a response line over %u bytes",
			                 im->name, IMAP_LINE_MAX);
		if (b != BUF_OK)
			return imap_fail(im, IMAP_TEMPFAIL, "%s: out of memory", im->name);
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

/* ---- commands ----------------------------------------------------------- */

enum imap_rc
imap_command(struct imap *im, untagged_fn *fn, void *ctx, const char *fmt, ...)
{
	if (im->broken)
		return imap_fail(im, IMAP_TEMPFAIL, "%s: the session is broken", im->name);
	char tag[16], line[IMAP_CMD_MAX];
	snprintf(tag, sizeof tag, "S%u", ++im->tag);
	int k = snprintf(line, sizeof line, "%s ", tag);
	va_list ap;
	va_start(ap, fmt);
	int m = vsnprintf(line + k, sizeof line - (size_t)k - 2, fmt, ap);
	va_end(ap);
	if (m < 0 || (size_t)m >= sizeof line - (size_t)k - 2 ||
	    strpbrk(line, "\r\n"))
		return imap_fail(im, IMAP_CONFIG, "%s: a command that cannot be sent",
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
			if (imap_word_at(t + 2, t + n, "BYE")) {
				char why[200];
				clean_text(why, sizeof why, t, n);
				if (strncasecmp(fmt, "LOGOUT", 6) != 0)
					return imap_fail(im, IMAP_TEMPFAIL, "%s: server closing: %s",
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
			if (imap_word_at(s, end, "OK"))
				return cb;
			if (imap_word_at(s, end, "NO") || imap_word_at(s, end, "BAD"))
				return imap_fail(im, IMAP_NO, "%s: %s", im->name, why);
			return imap_fail(im, IMAP_PROTO, "%s: unexpected status: %s", im->name, why);
		}
		char why[120];
		clean_text(why, sizeof why, t, n);
		return imap_fail(im, IMAP_PROTO, "%s: unexpected response: %s", im->name, why);
	}
}

/* Quotes an operator-given mailbox name; 0 on success. Only printable
 * ASCII: other names need modified UTF-7, which the operator writes. */
int
imap_quote_mailbox(const char *name, char *out, size_t outlen)
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
	if (!imap_word_at(t, end, "* CAPABILITY "))
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
	if (imap_quote_mailbox(im->mailbox, q, sizeof q) != 0) {
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
		rc = imap_fail(im, IMAP_TEMPFAIL, "cannot start libcurl");
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
		rc = imap_fail(im, IMAP_NO, "%s: the server refused the login", im->name);
		goto out;
	}
	if (c != CURLE_OK) {
		rc = imap_fail(im, IMAP_TEMPFAIL, "%s: %s", im->name,
		               curl_err[0] ? curl_err : curl_easy_strerror(c));
		goto out;
	}
	if (curl_easy_getinfo(im->curl, CURLINFO_ACTIVESOCKET, &im->sock) != CURLE_OK ||
	    im->sock == CURL_SOCKET_BAD) {
		rc = imap_fail(im, IMAP_TEMPFAIL, "%s: no connection", im->name);
		goto out;
	}
	rc = imap_command(im, on_capability, NULL, "CAPABILITY");
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
		imap_command(im, NULL, NULL, "LOGOUT");
		im->timeout_ms = t;
	}
	if (im->curl)
		curl_easy_cleanup(im->curl);
	buf_free(&im->text);
	buf_free(&im->lit);
	free(im);
}

