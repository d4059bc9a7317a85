/*
 * imap_parse.c - the IMAP response parsers (see imap.h): numbers, FETCH
 * items and SEARCH results, over a response's text with its literals
 * standing apart as "{N}" markers.
 *
 * SECURITY: the text is the server's, untrusted: numbers are checked to
 * fit 32 bits, nested lists are bounded by IMAP_DEPTH.
 */
#include "mail/imap_internal.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define IMAP_DEPTH 16         /* nested parenthesized lists */

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

int
imap_word_at(const char *p, const char *end, const char *word)
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
	if (!imap_word_at(p, end, "* "))
		return IMAP_PROTO;
	p += 2;
	if (imap_parse_nz(&p, end, &seq) != 0 || !imap_word_at(p, end, " FETCH ("))
		return IMAP_PROTO;
	p += 8;
	for (;;) {
		while (p < end && *p == ' ')
			p++;
		if (p >= end)
			return IMAP_PROTO;
		if (*p == ')')
			return p + 1 == end ? IMAP_OK : IMAP_PROTO;
		if (imap_word_at(p, end, "UID ")) {
			p += 4;
			if (imap_parse_nz(&p, end, &it->uid) != 0)
				return IMAP_PROTO;
		} else if (imap_word_at(p, end, "BODY[] ")) {
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
			} else if (imap_word_at(p, end, "NIL")) {
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
	if (!imap_word_at(p, end, "* SEARCH"))
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
