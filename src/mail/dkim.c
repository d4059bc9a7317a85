/*
 * dkim.c - DKIM signing with libopendkim (see dkim.h).
 */
#include "mail/dkim.h"
#include "util/buf.h"

#include <dkim.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define KEY_MAX (64 * 1024)
#define SIGNATURE_NAME "DKIM-Signature"

struct dkim_key {
	DKIM_LIB *lib;
	unsigned char *pem;
	char domain[254], selector[64];
};

/* What we sign, and what we oversign (dkim.h). */
static const char *sign_headers[] = {
	"from", "reply-to", "to", "subject", "date", "message-id", "in-reply-to",
	"references", "auto-submitted", "mime-version", "content-type",
	"content-transfer-encoding", NULL,
};
static const char *oversign_headers[] = {"from", "reply-to", "to", "subject",
                                         NULL};

static int
read_key(const char *path, unsigned char **out, char *err, size_t errlen)
{
	FILE *f = fopen(path, "rb");
	if (f == NULL) {
		snprintf(err, errlen, "%s cannot be read: %s", path, strerror(errno));
		return -1;
	}
	unsigned char *pem = malloc(KEY_MAX + 1);
	size_t n = pem ? fread(pem, 1, KEY_MAX + 1, f) : 0;
	int bad = ferror(f);
	fclose(f);
	if (pem == NULL || bad || n == 0 || n > KEY_MAX) {
		snprintf(err, errlen, "%s cannot be read: %s", path,
		         pem == NULL ? "out of memory"
		         : bad       ? "read error"
		         : n == 0    ? "the file is empty"
		                     : "the file is too large for a key");
		free(pem);
		return -1;
	}
	pem[n] = '\0';
	*out = pem;
	return 0;
}

static int
label_ok(const char *s, size_t max)
{
	size_t n = s ? strlen(s) : 0;
	if (n == 0 || n >= max)
		return 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_'))
			return 0;
	}
	return 1;
}

struct dkim_key *
dkim_key_load(const char *domain, const char *selector, const char *key_file,
              char *err, size_t errlen)
{
	struct dkim_key *k = calloc(1, sizeof *k);
	if (k == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	if (!label_ok(domain, sizeof k->domain) ||
	    !label_ok(selector, sizeof k->selector)) {
		snprintf(err, errlen, "the signing domain and selector must be DNS "
		         "names (letters, digits, '-', '.', '_')");
		free(k);
		return NULL;
	}
	snprintf(k->domain, sizeof k->domain, "%s", domain);
	snprintf(k->selector, sizeof k->selector, "%s", selector);
	if (read_key(key_file, &k->pem, err, errlen) != 0) {
		free(k);
		return NULL;
	}
	k->lib = dkim_init(NULL, NULL);
	if (k->lib == NULL) {
		snprintf(err, errlen, "libopendkim cannot start");
		dkim_key_free(k);
		return NULL;
	}
	if (dkim_options(k->lib, DKIM_OP_SETOPT, DKIM_OPTS_OVERSIGNHDRS,
	                 oversign_headers, sizeof(char **)) !=
	    DKIM_STAT_OK) {
		snprintf(err, errlen, "libopendkim refuses the oversigned headers");
		dkim_key_free(k);
		return NULL;
	}
	/* A trial signature: a file that is not a private key fails here. */
	static const char probe[] = "From: probe@invalid\r\nSubject: probe\r\n"
	                            "\r\nprobe\r\n";
	char why[200];
	char *signed_probe = dkim_sign_message(k, probe, sizeof probe - 1, why,
	                                       sizeof why);
	if (signed_probe == NULL) {
		snprintf(err, errlen, "%s is not a usable RSA private key (PEM): %s",
		         key_file, why);
		dkim_key_free(k);
		return NULL;
	}
	free(signed_probe);
	return k;
}

void
dkim_key_free(struct dkim_key *k)
{
	if (k == NULL)
		return;
	if (k->lib)
		dkim_close(k->lib);
	if (k->pem) {
		explicit_bzero(k->pem, strlen((char *)k->pem));
		free(k->pem);
	}
	free(k);
}

int
dkim_key_aligned(const struct dkim_key *k, const char *from_domain)
{
	size_t n = strlen(from_domain), d = strlen(k->domain);
	return n >= d && strcasecmp(from_domain + n - d, k->domain) == 0 &&
	       (n == d || from_domain[n - d - 1] == '.');
}

/* Feeds the header block [p, end) to d, one field (with its folded
 * continuation lines, without the final CRLF) at a time. */
static DKIM_STAT
feed_headers(DKIM *d, const char *p, const char *end)
{
	while (p < end) {
		const char *e = p;
		for (;;) {
			const char *nl = memchr(e, '\n', (size_t)(end - e));
			e = nl ? nl + 1 : end;
			if (e >= end || (*e != ' ' && *e != '\t'))
				break;
		}
		size_t n = (size_t)(e - p);
		while (n > 0 && (p[n - 1] == '\n' || p[n - 1] == '\r'))
			n--;
		if (n > 0) {
			DKIM_STAT st = dkim_header(d, (u_char *)p, n);
			if (st != DKIM_STAT_OK)
				return st;
		}
		p = e;
	}
	return DKIM_STAT_OK;
}

/* The signature header value with its folds as CRLF + tab. */
static void
put_folded(struct buf *b, const unsigned char *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (v[i] == '\r')
			continue;
		if (v[i] == '\n')
			buf_puts(b, "\r\n");
		else
			buf_putc(b, (char)v[i]);
	}
}

char *
dkim_sign_message(const struct dkim_key *k, const char *msg, size_t len,
                  char *err, size_t errlen)
{
	const char *sep = NULL;
	for (size_t i = 0; i + 3 < len && !sep; i++)
		if (memcmp(msg + i, "\r\n\r\n", 4) == 0)
			sep = msg + i;
	if (sep == NULL) {
		snprintf(err, errlen, "the message has no header/body separator");
		return NULL;
	}
	DKIM_STAT st = DKIM_STAT_OK;
	DKIM *d = dkim_sign(k->lib, (const unsigned char *)"soporte", NULL,
	                    k->pem, (const unsigned char *)k->selector,
	                    (const unsigned char *)k->domain, DKIM_CANON_RELAXED,
	                    DKIM_CANON_RELAXED, DKIM_SIGN_RSASHA256, -1, &st);
	if (d == NULL) {
		snprintf(err, errlen, "cannot start a signature: %s",
		         dkim_getresultstr(st));
		return NULL;
	}
	st = dkim_signhdrs(d, sign_headers);
	if (st == DKIM_STAT_OK)
		st = feed_headers(d, msg, sep + 2);
	if (st == DKIM_STAT_OK)
		st = dkim_eoh(d);
	if (st == DKIM_STAT_OK)
		st = dkim_body(d, (u_char *)(sep + 4), len - (size_t)(sep + 4 - msg));
	_Bool testkey = 0;
	if (st == DKIM_STAT_OK)
		st = dkim_eom(d, &testkey);
	unsigned char *sig = NULL;
	size_t siglen = 0;
	if (st == DKIM_STAT_OK)
		st = dkim_getsighdr_d(d, strlen(SIGNATURE_NAME ": "), &sig, &siglen);
	char *out = NULL;
	if (st == DKIM_STAT_OK) {
		struct buf b = BUF_INIT(0);
		buf_puts(&b, SIGNATURE_NAME ": ");
		put_folded(&b, sig, siglen);
		buf_puts(&b, "\r\n");
		if (buf_append(&b, msg, len) == BUF_OK)
			out = buf_steal(&b);
		else
			snprintf(err, errlen, "out of memory");
		buf_free(&b);
	} else {
		const char *why = dkim_geterror(d);
		snprintf(err, errlen, "%s%s%s", dkim_getresultstr(st),
		         why && *why ? ": " : "", why && *why ? why : "");
	}
	dkim_free(d);
	return out;
}
