/*
 * csvfile.c - CSV rows through libcsv with line numbers (see csvfile.h).
 *
 * libcsv reports fields and record ends but not lines, so the file is fed
 * to it one line at a time: when a record starts, the line being fed is
 * its line number.
 */
#include "app/base/csvfile.h"

#include <csv.h>
#include <stdlib.h>
#include <string.h>

struct csv_state {
	char *fields[CSV_MAX_FIELDS];
	int n;
	long line;        /* the line being fed */
	long start_line;  /* the line the current record began on */
	long next_start;  /* the line after the last complete record */
	int too_wide;
	int too_long;
	int stop;         /* the callback's non-zero answer */
	csv_row_fn *row;
	void *user;
};

static void
free_fields(struct csv_state *st)
{
	for (int i = 0; i < st->n; i++)
		free(st->fields[i]);
	st->n = 0;
}

static void
on_field(void *s, size_t len, void *data)
{
	struct csv_state *st = data;
	if (st->stop)
		return;
	if (st->n == 0 && !st->too_wide)
		st->start_line = st->line;
	if (st->n >= CSV_MAX_FIELDS) {
		st->too_wide = 1;
		return;
	}
	if (len > CSV_FIELD_MAX)
		st->too_long = 1;
	char *copy = malloc(len + 1);
	if (copy == NULL) {
		st->too_long = 1;
		return;
	}
	if (len)
		memcpy(copy, s, len);
	copy[len] = '\0';
	st->fields[st->n++] = copy;
}

static void
on_row(int c, void *data)
{
	(void)c;
	struct csv_state *st = data;
	st->next_start = st->line + 1;
	if (st->stop || st->too_wide || st->too_long) {
		free_fields(st);
		return;
	}
	/* libcsv skips blank lines already; a record of one empty field is a
	 * line of spaces: skip it too. */
	if (!(st->n == 1 && st->fields[0][0] == '\0'))
		st->stop = st->row(st->fields, st->n, st->start_line, st->user);
	free_fields(st);
}

int
csv_read(FILE *f, csv_row_fn *row, void *user, char *err, size_t errlen)
{
	struct csv_parser p;
	struct csv_state st = {.row = row, .user = user, .next_start = 1};
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	int rc = 0;

	if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI) != 0) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	while ((len = getline(&line, &cap, f)) > 0) {
		st.line++;
		if (st.line == 1 && len >= 3 && memcmp(line, "\xEF\xBB\xBF", 3) == 0) {
			memmove(line, line + 3, (size_t)len - 2);
			len -= 3;
		}
		if (csv_parse(&p, line, (size_t)len, on_field, on_row, &st) !=
		    (size_t)len) {
			snprintf(err, errlen, "line %ld: %s", st.line,
			         csv_strerror(csv_error(&p)));
			rc = -1;
			goto out;
		}
		if (st.too_wide || st.too_long) {
			snprintf(err, errlen, "line %ld: %s", st.start_line,
			         st.too_wide ? "too many columns"
			                     : "a field is longer than 4096 bytes");
			rc = -1;
			goto out;
		}
		if (st.stop) {
			rc = st.stop;
			goto out;
		}
	}
	if (ferror(f)) {
		snprintf(err, errlen, "line %ld: read error", st.line + 1);
		rc = -1;
		goto out;
	}
	if (csv_fini(&p, on_field, on_row, &st) != 0) {
		snprintf(err, errlen, "line %ld: %s (unterminated quoted field?)",
		         st.next_start, csv_strerror(csv_error(&p)));
		rc = -1;
		goto out;
	}
	rc = st.stop;
out:
	free_fields(&st);
	free(line);
	csv_free(&p);
	return rc;
}

int
csv_column(char **header, int n, const char *name)
{
	for (int i = 0; i < n; i++)
		if (strcmp(header[i], name) == 0)
			return i;
	return -1;
}
