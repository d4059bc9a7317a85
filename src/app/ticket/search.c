/*
 * search.c - full-text queries from typed text (see search.h).
 *
 * SECURITY: q is untrusted; every write into out is bounds-checked.
 */
#include "app/ticket/search.h"

#include <stdio.h>
#include <string.h>

/* Latin-1 supplement letters (U+00C0..U+00FF) to their base letter;
 * 0 keeps the character as it is. */
static const char latin1_base[64] = {
	'a', 'a', 'a', 'a', 'a', 'a', 0,   'c', 'e', 'e', 'e', 'e', 'i', 'i', 'i', 'i',
	0,   'n', 'o', 'o', 'o', 'o', 'o', 0,   0,   'u', 'u', 'u', 'u', 'y', 0,   0,
	'a', 'a', 'a', 'a', 'a', 'a', 0,   'c', 'e', 'e', 'e', 'e', 'i', 'i', 'i', 'i',
	0,   'n', 'o', 'o', 'o', 'o', 'o', 0,   0,   'u', 'u', 'u', 'u', 'y', 0,   'y',
};

int
search_fold(const char *in, char *out, size_t outlen)
{
	const unsigned char *s = (const unsigned char *)in;
	size_t n = 0;
	while (*s) {
		unsigned char c = *s;
		if (c < 0x80) {
			if (n + 1 >= outlen)
				return -1;
			out[n++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
			s++;
			continue;
		}
		if ((c == 0xC3) && s[1] >= 0x80 && s[1] <= 0xBF) {
			char base = latin1_base[(s[1] - 0x80) & 63];
			if (base) {
				if (n + 1 >= outlen)
					return -1;
				out[n++] = base;
				s += 2;
				continue;
			}
		}
		if (n + 1 >= outlen)
			return -1;
		out[n++] = (char)c;
		s++;
	}
	out[n] = '\0';
	return 0;
}

static int
is_word_byte(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c >= 0x80;
}

int
search_words(const char *q, char *buf, size_t buflen,
             const char *words[SEARCH_MAX_WORDS])
{
	if (buflen == 0 || search_fold(q, buf, buflen) != 0)
		return -1;
	int n = 0;
	char *s = buf;
	while (*s && n < SEARCH_MAX_WORDS) {
		while (*s && !is_word_byte((unsigned char)*s))
			s++;
		char *w = s;
		while (*s && is_word_byte((unsigned char)*s))
			s++;
		if (s == w)
			continue;
		if (*s)
			*s++ = '\0';
		words[n++] = w;
	}
	return n;
}

int
search_query(enum store_engine engine, const char *q, char *out, size_t outlen)
{
	char folded[SEARCH_QUERY_MAX];
	const char *w[SEARCH_MAX_WORDS];
	int words = search_words(q, folded, sizeof folded, w);
	if (words < 0 || outlen == 0)
		return -1;
	size_t used = 0;
	out[0] = '\0';
	for (int i = 0; i < words; i++) {
		int k = engine == STORE_SQLITE
		            ? snprintf(out + used, outlen - used, "%s\"%s\"*",
		                       i ? " " : "", w[i])
		            : snprintf(out + used, outlen - used, "%s%s:*",
		                       i ? " & " : "", w[i]);
		if (k < 0 || (size_t)k >= outlen - used)
			return -1;
		used += (size_t)k;
	}
	return words;
}
