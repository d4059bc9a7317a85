/*
 * buf.c - growable byte buffer with a size cap (see buf.h).
 */
#include "util/buf.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static size_t
buf_limit(const struct buf *b)
{
	return b->max ? b->max : SIZE_MAX / 2;
}

static enum buf_rc
buf_grow(struct buf *b, size_t need)
{
	if (need > buf_limit(b))
		return BUF_TOO_BIG;
	if (need + 1 <= b->cap)
		return BUF_OK;
	size_t ncap = b->cap ? b->cap : 64;
	while (ncap < need + 1)
		ncap *= 2;
	char *p = realloc(b->data, ncap);
	if (p == NULL)
		return BUF_NOMEM;
	b->data = p;
	b->cap = ncap;
	return BUF_OK;
}

enum buf_rc
buf_append(struct buf *b, const void *p, size_t n)
{
	if (n > buf_limit(b) - b->len)
		return BUF_TOO_BIG;
	enum buf_rc rc = buf_grow(b, b->len + n);
	if (rc != BUF_OK)
		return rc;
	if (n)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
	return BUF_OK;
}

enum buf_rc
buf_puts(struct buf *b, const char *s)
{
	return buf_append(b, s, strlen(s));
}

enum buf_rc
buf_putc(struct buf *b, char c)
{
	return buf_append(b, &c, 1);
}

enum buf_rc
buf_vprintf(struct buf *b, const char *fmt, va_list ap)
{
	va_list aq;
	va_copy(aq, ap);
	int n = vsnprintf(NULL, 0, fmt, aq);
	va_end(aq);
	if (n < 0)
		return BUF_NOMEM;
	if ((size_t)n > buf_limit(b) - b->len)
		return BUF_TOO_BIG;
	enum buf_rc rc = buf_grow(b, b->len + (size_t)n);
	if (rc != BUF_OK)
		return rc;
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
	return BUF_OK;
}

enum buf_rc
buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	enum buf_rc rc = buf_vprintf(b, fmt, ap);
	va_end(ap);
	return rc;
}

const char *
buf_str(const struct buf *b)
{
	return b->data ? b->data : "";
}

void
buf_reset(struct buf *b)
{
	b->len = 0;
	if (b->data)
		b->data[0] = '\0';
}

char *
buf_steal(struct buf *b)
{
	char *p = b->data;
	if (p == NULL)
		p = calloc(1, 1);
	b->data = NULL;
	b->len = b->cap = 0;
	return p;
}

void
buf_free(struct buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

enum buf_rc
buf_read_fd(struct buf *b, int fd)
{
	char chunk[65536];
	ssize_t n;
	while ((n = read(fd, chunk, sizeof chunk)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return BUF_NOMEM;
		enum buf_rc rc = buf_append(b, chunk, (size_t)n);
		if (rc != BUF_OK)
			return rc;
	}
	return BUF_OK;
}
