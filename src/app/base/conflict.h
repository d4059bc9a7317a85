/*
 * conflict.h - what a write the database refused (STORE_CONSTRAINT) was
 * about, read from the engine's message (SQLite's or PostgreSQL's), so a
 * door answers a stable code and the input field at fault, never the
 * engine's text (which goes to the log).
 */
#ifndef SOPORTE_APP_CONFLICT_H
#define SOPORTE_APP_CONFLICT_H

#include <stddef.h>

enum conflict_kind {
	CONFLICT_OTHER = 0,
	CONFLICT_DUPLICATE,  /* a unique value already taken */
	CONFLICT_CHECK,      /* a value a check refused */
	CONFLICT_REFERENCE,  /* a reference to a row that does not exist */
	CONFLICT_MISSING,    /* a required value left empty */
};

/* The kind of the refusal in msg, and in field (n bytes, "" when not
 * known) the column it names: the last one of a unique key, of a check's
 * expression, of a foreign key or the column left empty. */
enum conflict_kind conflict_of(const char *msg, char *field, size_t n);

#endif
