/*
 * csvrec.h - split RFC 4180 CSV text into records (pure, no I/O).
 *
 * The caller holds the whole text in memory and asks for one record at a
 * time; quoted fields may hold commas, doubled quotes and line breaks.
 * Lines may end in LF or CRLF. Field text is copied, unquoted and
 * NUL-terminated, into the caller's buffer; fields[] point into it.
 *
 * SECURITY: meant for untrusted files; every copy is bounded by the
 * caller's buffer and field array, and a malformed record is skipped to
 * its end so the caller can report it by line and carry on.
 */
#ifndef SOPORTE_UTIL_CSVREC_H
#define SOPORTE_UTIL_CSVREC_H

#include <stddef.h>

enum csvrec_rc {
	CSVREC_OK = 0,
	CSVREC_EOF,       /* no more records */
	CSVREC_EQUOTE,    /* a stray or unterminated quote */
	CSVREC_ETOOMANY,  /* more fields than the caller's array */
	CSVREC_ETOOLONG,  /* the record does not fit the caller's buffer */
};

struct csvrec {
	const char *p, *end;  /* what is left of the text */
	size_t line;          /* line number where the next record starts (1-based) */
};

/* Starts reading text[0..len). */
void csvrec_init(struct csvrec *c, const char *text, size_t len);

/*
 * Reads the next record. On CSVREC_OK, *nfields fields are in fields[],
 * and *line is the record's first line. Errors also set *line; the
 * reader has moved past the bad record. An empty line is a record with
 * one empty field.
 */
enum csvrec_rc csvrec_next(struct csvrec *c, char *buf, size_t bufsize,
                           char **fields, size_t maxfields, size_t *nfields,
                           size_t *line);

#endif
