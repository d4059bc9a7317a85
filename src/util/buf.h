/*
 * buf.h - a growable byte buffer with a size cap.
 *
 * One buffer type for everything that grows from untrusted input (HTTP
 * bodies, mail, JSON, CSV fields): every buffer has a cap, and appending
 * past it fails with BUF_TOO_BIG instead of growing without bound. The
 * data is always NUL-terminated (the NUL is not counted in len), so text
 * can be used as a C string. The caller owns the buffer and frees it with
 * buf_free(); buf_steal() hands the heap block over instead.
 */
#ifndef SOPORTE_UTIL_BUF_H
#define SOPORTE_UTIL_BUF_H

#include <stdarg.h>
#include <stddef.h>

enum buf_rc { BUF_OK = 0, BUF_NOMEM, BUF_TOO_BIG };

struct buf {
	char *data;   /* NULL until the first append */
	size_t len;   /* bytes used, not counting the trailing NUL */
	size_t cap;   /* bytes allocated */
	size_t max;   /* the most len may grow to; 0 means SIZE_MAX/2 */
};

#define BUF_INIT(maxbytes) { NULL, 0, 0, (maxbytes) }

enum buf_rc buf_append(struct buf *b, const void *p, size_t n);
enum buf_rc buf_puts(struct buf *b, const char *s);
enum buf_rc buf_putc(struct buf *b, char c);
enum buf_rc buf_printf(struct buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
enum buf_rc buf_vprintf(struct buf *b, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));
/* Returns the text ("" when empty); valid until the next append or free. */
const char *buf_str(const struct buf *b);
void buf_reset(struct buf *b);
/* Returns the heap block (caller frees) and empties the buffer. */
char *buf_steal(struct buf *b);
void buf_free(struct buf *b);
/* Appends everything readable from fd up to its end. Returns BUF_OK,
 * BUF_TOO_BIG past the cap, or BUF_NOMEM (also for a read error). */
enum buf_rc buf_read_fd(struct buf *b, int fd);

#endif
