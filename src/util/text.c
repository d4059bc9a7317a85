/*
 * text.c - checks on untrusted text (see text.h).
 */
#include "util/text.h"

#include <string.h>

bool
utf8_valid(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	while (i < len) {
		unsigned c = p[i];
		size_t n;
		unsigned min;
		if (c < 0x80) {
			i++;
			continue;
		} else if ((c & 0xe0) == 0xc0) {
			n = 1, min = 0x80, c &= 0x1f;
		} else if ((c & 0xf0) == 0xe0) {
			n = 2, min = 0x800, c &= 0x0f;
		} else if ((c & 0xf8) == 0xf0) {
			n = 3, min = 0x10000, c &= 0x07;
		} else {
			return false;
		}
		if (len - i <= n)
			return false;
		for (size_t k = 1; k <= n; k++) {
			if ((p[i + k] & 0xc0) != 0x80)
				return false;
			c = (c << 6) | (p[i + k] & 0x3f);
		}
		if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
			return false;
		i += n + 1;
	}
	return true;
}

bool
text_is_name(const char *s, size_t max)
{
	size_t len = strlen(s);
	if (len == 0 || len > max || !utf8_valid(s, len))
		return false;
	bool visible = false;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p < 0x20 || *p == 0x7f)
			return false;
		if (*p != ' ')
			visible = true;
	}
	return visible;
}

char *
ascii_lower(char *s)
{
	for (char *p = s; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	return s;
}

char *
email_fold_domain(char *addr)
{
	char *at = strrchr(addr, '@');
	ascii_lower(at ? at + 1 : addr + strlen(addr));
	return addr;
}

static bool
is_alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9');
}

bool
domain_valid(const char *s)
{
	size_t len = strlen(s);
	if (len == 0 || len > 253)
		return false;
	int labels = 0;
	const char *label = s;
	for (const char *p = s;; p++) {
		if (*p == '.' || *p == '\0') {
			size_t n = (size_t)(p - label);
			if (n == 0 || n > 63 || label[0] == '-' || p[-1] == '-')
				return false;
			labels++;
			if (*p == '\0')
				break;
			label = p + 1;
		} else if (!is_alnum(*p) && *p != '-') {
			return false;
		}
	}
	return labels >= 2;
}

bool
email_valid(const char *s)
{
	const char *at = strrchr(s, '@');
	if (at == NULL || at == s || at - s > 64)
		return false;
	for (const char *p = s; p < at; p++) {
		unsigned char c = (unsigned char)*p;
		if (c <= 0x20 || c >= 0x7f || strchr("\"(),:;<>@[\\]", c))
			return false;
	}
	if (s[0] == '.' || at[-1] == '.' || strstr(s, "..") != NULL)
		return false;
	return domain_valid(at + 1);
}

const char *
email_domain(const char *s)
{
	const char *at = strrchr(s, '@');
	return at ? at + 1 : "";
}

bool
url_has_password(const char *url)
{
	const char *p = strstr(url, "://");
	if (p == NULL)
		return false;
	p += 3;
	size_t authority = strcspn(p, "/?#");
	const char *at = memchr(p, '@', authority);
	return at != NULL && memchr(p, ':', (size_t)(at - p)) != NULL;
}
