/*
 * cli_out.h - a document or an export leaving the CLI: to --output FILE
 * or standard output, and the export formats (CSV, XLSX) of a table.
 */
#ifndef SOPORTE_CLI_OUT_H
#define SOPORTE_CLI_OUT_H

#include "app/base/export.h"

#include <stddef.h>

/* Writes len bytes to path (created 0640 by the umask, replaced whole:
 * written to PATH.tmp then renamed), or to stdout when path is NULL or
 * "-". Returns EX_OK or EX_CANTCREAT / EX_IOERR after saying why. */
int cli_write_out(const char *cmd, const char *path, const void *data,
                  size_t len);

/* The sheets as CSV (the first only) or XLSX, written by
 * cli_write_out(); format is "csv" or "xlsx". */
int cli_export(const char *cmd, const char *format, const char *path,
               const struct export_sheet *sheets, size_t n);

#endif
