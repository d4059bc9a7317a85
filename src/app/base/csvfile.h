/*
 * csvfile.h - reading CSV files row by row (RFC 4180, via libcsv).
 *
 * SECURITY: the file is untrusted. Fields are capped (CSV_FIELD_MAX bytes,
 * CSV_MAX_FIELDS per row); a row that breaks a cap or the quoting rules
 * stops the read with its line number.
 *
 * csv_read() calls row() once per record with its fields as NUL-terminated
 * strings and the line the record starts on (1-based). row() returns 0 to
 * go on or non-zero to stop (that value is returned). csv_read() returns 0
 * at the end of the file, the callback's value, or -1 with a message in
 * err ("line N: ...") on a malformed file or an I/O error.
 */
#ifndef SOPORTE_APP_CSVFILE_H
#define SOPORTE_APP_CSVFILE_H

#include <stddef.h>
#include <stdio.h>

#define CSV_FIELD_MAX 4096
#define CSV_MAX_FIELDS 64

typedef int csv_row_fn(char **fields, int nfields, long line, void *user);

int csv_read(FILE *f, csv_row_fn *row, void *user, char *err, size_t errlen);

/* Finds a column by its header name; returns its index or -1. */
int csv_column(char **header, int n, const char *name);

#endif
