/*
 * password_policy.c - common and personal passwords (see
 * password_policy.h).
 */
#include "app/access/password_policy.h"

#include <ctype.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

/* data/common-passwords.txt, embedded by CMake (cmake/embed_text.cmake):
 * lowercase, one a line, '#' lines are comments. */
extern const char password_common_list[];

#define WORD_MIN 4  /* shorter parts of a name or e-mail are not checked */

/* Is s[0..n) a line of the list? */
static int
is_common(const char *s, size_t n)
{
	if (n == 0)
		return 0;
	for (const char *p = password_common_list; *p;) {
		const char *end = strchr(p, '\n');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		if (len == n && *p != '#' && memcmp(p, s, n) == 0)
			return 1;
		if (end == NULL)
			break;
		p = end + 1;
	}
	return 0;
}

/* Digits, punctuation and spaces: what people add to a common password. */
static int
is_filler(unsigned char c)
{
	return c < 0x80 && !isalpha(c);
}

/* Does lower (lowercase) contain a word of text (split at anything not
 * a letter or digit) of at least WORD_MIN bytes? */
static int
contains_word_of(const char *lower, const char *text)
{
	char word[256];
	size_t n = 0;
	for (const unsigned char *p = (const unsigned char *)text;; p++) {
		if (*p && (*p >= 0x80 || isalnum(*p)) && n + 1 < sizeof word) {
			word[n++] = (char)tolower(*p);
			continue;
		}
		word[n] = '\0';
		if (n >= WORD_MIN && strstr(lower, word) != NULL)
			return 1;
		n = 0;
		if (*p == '\0')
			return 0;
	}
}

const char *
password_weakness(const char *password, const char *email, const char *name)
{
	size_t n = strlen(password);
	char *lower = malloc(n + 1);
	if (lower == NULL)
		return "the password could not be checked; try again";
	for (size_t i = 0; i <= n; i++)
		lower[i] = (char)tolower((unsigned char)password[i]);
	size_t a = 0, b = n;
	while (a < b && is_filler((unsigned char)lower[a]))
		a++;
	while (b > a && is_filler((unsigned char)lower[b - 1]))
		b--;
	const char *why = NULL;
	if (is_common(lower, n))
		why = "this is one of the most common passwords; choose another";
	else if ((a > 0 || b < n) && is_common(lower + a, b - a))
		why = "this is a common password with digits or symbols added; "
		      "choose another";
	else if (email && contains_word_of(lower, email))
		why = "the password contains your e-mail address; choose another";
	else if (name && contains_word_of(lower, name))
		why = "the password contains your name; choose another";
	sodium_memzero(lower, n + 1);
	free(lower);
	return why;
}
