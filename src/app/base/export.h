/*
 * export.h - tables as CSV and XLSX files (issue 18: exports).
 *
 * An export is one or more sheets; a sheet is a list of columns (the
 * key each row object holds, and how its value is shown) over a JSON
 * array of row objects, the same objects the API answers. So the CSV,
 * the spreadsheet and the JSON tell the same numbers from one query.
 *
 * CSV (RFC 4180, CRLF, one sheet): the header is the columns' keys and
 * the values are the API's, exact: seconds and cents as integers. A text
 * cell a spreadsheet would read as a formula (=, +, -, @, tab, CR first)
 * is written with a leading apostrophe.
 *
 * XLSX (Debian's libxlsxwriter): one worksheet per sheet, a bold header
 * row, numbers as numbers; EXPORT_HOURS columns show seconds as hours
 * (two decimals, the header says "_hours" for "_s", "hours" for
 * "seconds") and EXPORT_MONEY
 * cents as soles ("S/ #,##0.00", "_soles" for "_cents"). Text is always
 * written as text, never as a formula.
 */
#ifndef SOPORTE_APP_EXPORT_H
#define SOPORTE_APP_EXPORT_H

#include <jansson.h>
#include <stddef.h>

enum export_kind {
	EXPORT_TEXT,     /* strings, booleans ("true"/"false") */
	EXPORT_INT,      /* integers */
	EXPORT_HOURS,    /* seconds: hours in the spreadsheet */
	EXPORT_MONEY,    /* cents: soles in the spreadsheet */
};

struct export_col {
	const char *key;
	enum export_kind kind;
};

struct export_sheet {
	const char *name;              /* the worksheet's tab (<= 31 chars) */
	const struct export_col *cols;
	size_t ncols;
	json_t *rows;                  /* array of objects (borrowed) */
};

#define EXPORT_MAX_BYTES (64u * 1024 * 1024)

/* The sheet as CSV text in *out (malloc'd, *len bytes). 0, or -1 out of
 * memory or past EXPORT_MAX_BYTES. */
int export_csv(const struct export_sheet *s, char **out, size_t *len);

/* The sheets as one XLSX workbook in *out (malloc'd, *len bytes). 0, or
 * -1 when the workbook cannot be written (the reason logged). */
int export_xlsx(const struct export_sheet *sheets, size_t n, char **out,
                size_t *len);

/* The MIME types the doors answer with. */
#define EXPORT_CSV_TYPE "text/csv; charset=utf-8"
#define EXPORT_XLSX_TYPE \
	"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

#endif
