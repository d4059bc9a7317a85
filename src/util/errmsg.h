/*
 * errmsg.h - the one way a function fills its caller's error text.
 *
 * Readers and parsers that can fail take (char *err, size_t errlen) and say
 * why in one line there; errmsg_set() writes it, truncating to errlen, and
 * does nothing when errlen is 0 (the caller did not ask for a reason).
 */
#ifndef SOPORTE_UTIL_ERRMSG_H
#define SOPORTE_UTIL_ERRMSG_H

#include <stddef.h>

void errmsg_set(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
