/*
 * authres.c - Authentication-Results, parsed strictly (see authres.h).
 */
#include "mail/authres.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#define MAX_VALUE (64u * 1024)
#define MAX_COMMENT_DEPTH 8

struct lex {
	const char *p;
	int bad;
};

static int
is_wsp(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* RFC 2045 token characters: printable ASCII but SPACE and tspecials. */
static int
is_token(char c)
{
	unsigned char u = (unsigned char)c;
	return u > 32 && u < 127 && strchr("()<>@,;:\\\"/[]?=", c) == NULL;
}

static int
is_keyword(char c)
{
	return isalnum((unsigned char)c) || c == '-' || c == '_';
}

/* Skips white space and (nested) comments. */
static void
cfws(struct lex *x)
{
	for (;;) {
		while (is_wsp(*x->p))
			x->p++;
		if (*x->p != '(')
			return;
		int depth = 0;
		do {
			char c = *x->p++;
			if (c == '\0') {
				x->bad = 1;
				x->p--;
				return;
			}
			if (c == '\\') {
				if (*x->p == '\0') {
					x->bad = 1;
					return;
				}
				x->p++;
			} else if (c == '(') {
				if (++depth > MAX_COMMENT_DEPTH) {
					x->bad = 1;
					return;
				}
			} else if (c == ')') {
				depth--;
			}
		} while (depth > 0);
	}
}

/* Appends c to out[cap] at *n, lowercased when asked; a value too long
 * for out is not well-formed. */
static void
put(struct lex *x, char *out, size_t cap, size_t *n, char c, int lower)
{
	if (*n + 1 >= cap) {
		x->bad = 1;
		return;
	}
	out[(*n)++] = lower ? (char)tolower((unsigned char)c) : c;
	out[*n] = '\0';
}

/* A quoted-string at x->p (the opening quote), its content appended. */
static void
quoted(struct lex *x, char *out, size_t cap, size_t *n, int lower)
{
	x->p++;
	for (;;) {
		char c = *x->p++;
		if (c == '\0') {
			x->bad = 1;
			x->p--;
			return;
		}
		if (c == '"')
			return;
		if (c == '\\') {
			c = *x->p++;
			if (c == '\0') {
				x->bad = 1;
				x->p--;
				return;
			}
		}
		if (c == '\r' || c == '\n')
			continue;   /* folding inside the string */
		put(x, out, cap, n, c, lower);
	}
}

/* A keyword (method, result, ptype, property): 1 or more characters. */
static int
keyword(struct lex *x, char *out, size_t cap)
{
	size_t n = 0;
	out[0] = '\0';
	while (is_keyword(*x->p) && !x->bad)
		put(x, out, cap, &n, *x->p++, 1);
	return n > 0 && !x->bad;
}

/* A value: token or quoted-string. */
static int
value(struct lex *x, char *out, size_t cap, int lower)
{
	size_t n = 0;
	out[0] = '\0';
	if (*x->p == '"') {
		quoted(x, out, cap, &n, lower);
		return !x->bad;
	}
	while (is_token(*x->p) && !x->bad)
		put(x, out, cap, &n, *x->p++, lower);
	return n > 0 && !x->bad;
}

/* A property value: a value, or [local-part] "@" domain (the local part
 * a token, dotted atoms or a quoted string). Also taken as written by
 * real MTAs though outside the grammar: '/' in a DKIM header.b prefix
 * (Gmail), ':' and brackets in an IP address. */
static int
pvalue_char(char c)
{
	return is_token(c) || c == '@' || c == '/' || c == ':' || c == '[' ||
	       c == ']';
}

static int
pvalue(struct lex *x, char *out, size_t cap)
{
	size_t n = 0;
	out[0] = '\0';
	if (*x->p == '"')
		quoted(x, out, cap, &n, 1);
	while (pvalue_char(*x->p) && !x->bad)
		put(x, out, cap, &n, *x->p++, 1);
	return n > 0 && !x->bad;
}

static int
expect(struct lex *x, char c)
{
	cfws(x);
	if (x->bad || *x->p != c)
		return 0;
	x->p++;
	cfws(x);
	return !x->bad;
}

/* One resinfo, after its ";". */
static int
resinfo(struct lex *x, struct authres_result *r)
{
	char word[64], val[512];
	memset(r, 0, sizeof *r);
	cfws(x);
	if (!keyword(x, r->method, sizeof r->method))
		return 0;
	cfws(x);
	if (*x->p == '/') {   /* method-version */
		x->p++;
		cfws(x);
		if (!isdigit((unsigned char)*x->p))
			return 0;
		while (isdigit((unsigned char)*x->p))
			x->p++;
	}
	if (!expect(x, '=') || !keyword(x, r->result, sizeof r->result))
		return 0;
	int props = 0;
	for (;;) {
		const char *before = x->p;
		cfws(x);
		if (x->bad)
			return 0;
		if (*x->p == ';' || *x->p == '\0')
			return 1;
		if (x->p == before)
			return 0;   /* items are separated by CFWS */
		if (!keyword(x, word, sizeof word))
			return 0;
		cfws(x);
		if (*x->p == '=' && strcmp(word, "reason") == 0 && !props) {
			if (!expect(x, '=') || !value(x, val, sizeof val, 0))
				return 0;
			props = 1;   /* the reason comes before any property */
			continue;
		}
		char prop[64];
		if (!expect(x, '.') || !keyword(x, prop, sizeof prop) ||
		    !expect(x, '=') || !pvalue(x, val, sizeof val))
			return 0;
		props = 1;
		if (strcmp(word, "header") == 0 && strcmp(prop, "from") == 0) {
			const char *at = strrchr(val, '@');
			const char *dom = at ? at + 1 : val;
			size_t n = strlen(dom);
			if (n >= sizeof r->header_from)
				return 0;   /* no domain is that long */
			memcpy(r->header_from, dom, n + 1);
		}
	}
}

int
authres_parse(const char *v, struct authres *out)
{
	memset(out, 0, sizeof *out);
	if (v == NULL || strlen(v) > MAX_VALUE)
		return -1;
	struct lex x = {v, 0};
	size_t n = 0;
	cfws(&x);
	if (*x.p == '"')
		quoted(&x, out->authserv_id, sizeof out->authserv_id, &n, 0);
	else
		while (is_token(*x.p) && !x.bad)
			put(&x, out->authserv_id, sizeof out->authserv_id, &n, *x.p++, 0);
	if (x.bad || n == 0)
		return -1;
	cfws(&x);
	if (isdigit((unsigned char)*x.p)) {   /* authres-version */
		while (isdigit((unsigned char)*x.p))
			x.p++;
		cfws(&x);
	}
	if (x.bad || *x.p != ';')
		return -1;
	/* "; none": no method was applied. */
	struct lex none = {x.p + 1, 0};
	cfws(&none);
	if (strncasecmp(none.p, "none", 4) == 0) {
		none.p += 4;
		cfws(&none);
		if (!none.bad && *none.p == '\0')
			return 0;
	}
	while (*x.p == ';') {
		x.p++;
		if (out->n == AUTHRES_MAX_RESULTS ||
		    !resinfo(&x, &out->r[out->n]))
			return -1;
		out->n++;
	}
	cfws(&x);
	return x.bad || *x.p != '\0' ? -1 : 0;
}

/* The domain of an address, or NULL. */
static const char *
domain_of(const char *addr)
{
	const char *at = addr ? strrchr(addr, '@') : NULL;
	return at && at[1] ? at + 1 : NULL;
}

enum authres_dmarc
authres_dmarc(const struct mail *m, const char *authserv_id)
{
	if (authserv_id == NULL || *authserv_id == '\0')
		return AUTHRES_DMARC_NONE;
	const char *from = domain_of(m->from.addr);
	int nfrom = 0;
	for (size_t i = 0; i < m->nheaders; i++)
		nfrom += strcasecmp(m->headers[i].name, "From") == 0;
	if (from == NULL || nfrom != 1)
		return AUTHRES_DMARC_NONE;
	int ours_seen = 0;
	for (size_t i = 0; i < m->nheaders; i++) {
		const struct mail_header *h = &m->headers[i];
		if (strcasecmp(h->name, "Received") == 0) {
			if (ours_seen)
				break;
			continue;
		}
		if (strcasecmp(h->name, "Authentication-Results") != 0)
			continue;
		struct authres ar;
		if (authres_parse(h->raw, &ar) != 0 ||
		    strcasecmp(ar.authserv_id, authserv_id) != 0)
			continue;
		ours_seen = 1;
		int pass = 0, other = 0, any = 0;
		for (size_t j = 0; j < ar.n; j++) {
			if (strcmp(ar.r[j].method, "dmarc") != 0)
				continue;
			any = 1;
			if (strcasecmp(ar.r[j].header_from, from) != 0)
				continue;
			if (strcmp(ar.r[j].result, "pass") == 0)
				pass = 1;
			else
				other = 1;
		}
		if (any)
			return pass && !other ? AUTHRES_DMARC_PASS : AUTHRES_DMARC_FAIL;
	}
	return AUTHRES_DMARC_NONE;
}

const char *
authres_dmarc_name(enum authres_dmarc d)
{
	switch (d) {
	case AUTHRES_DMARC_PASS:
		return "pass";
	case AUTHRES_DMARC_FAIL:
		return "fail";
	case AUTHRES_DMARC_NONE:
		break;
	}
	return "none";
}
