/*
 * text.h - checks and small transforms on untrusted text (pure).
 *
 * Every function takes NUL-terminated input and never reads past it.
 */
#ifndef SOPORTE_UTIL_TEXT_H
#define SOPORTE_UTIL_TEXT_H

#include <stdbool.h>
#include <stddef.h>

/* True when s is well-formed UTF-8 (no overlongs, no surrogates). */
bool utf8_valid(const char *s, size_t len);
/* True when s is valid UTF-8 with no control characters, not empty after
 * trimming, and at most max bytes: a name a person could have typed. */
bool text_is_name(const char *s, size_t max);
/* Lowercases ASCII letters in place; returns s. */
char *ascii_lower(char *s);
/* Lowercases the domain of an address (after the last '@') in place and
 * leaves the local part as written: RFC 5321 local parts are
 * case-sensitive, domains are not (issue 15). Returns addr. */
char *email_fold_domain(char *addr);
/* True for a DNS domain: letters, digits, '-' labels (not at the label's
 * ends), at least two labels, 253 bytes at most. ASCII only. */
bool domain_valid(const char *s);
/* True for an addr-spec we accept from people: local@domain, a local part
 * of 1..64 printable ASCII characters without spaces, quotes, commas,
 * brackets or '@', and a valid domain. */
bool email_valid(const char *s);
/* The domain part of an address (after the last '@'), or "". */
const char *email_domain(const char *s);
/* True when url carries a password ("scheme://user:pass@host..."). */
bool url_has_password(const char *url);

#endif
