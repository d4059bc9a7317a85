/*
 * errmsg.c - the one way a function fills its caller's error text.
 */
#include "util/errmsg.h"

#include <stdarg.h>
#include <stdio.h>

void
errmsg_set(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;
	if (errlen == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}
