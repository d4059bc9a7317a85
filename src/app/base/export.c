/*
 * export.c - CSV and XLSX from row objects (see export.h).
 */
#include "app/base/export.h"
#include "util/buf.h"
#include "util/log.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

/* A text a spreadsheet would take for a formula. */
static int
formula_like(const char *s)
{
	return *s && strchr("=+-@\t\r", *s) != NULL;
}

static enum buf_rc
csv_text(struct buf *b, const char *s)
{
	const char *lead = formula_like(s) ? "'" : "";
	if (strpbrk(s, ",\"\r\n") == NULL && !*lead)
		return buf_puts(b, s);
	enum buf_rc rc = buf_putc(b, '"');
	if (rc == BUF_OK)
		rc = buf_puts(b, lead);
	for (; rc == BUF_OK && *s; s++) {
		if (*s == '"')
			rc = buf_putc(b, '"');
		if (rc == BUF_OK)
			rc = buf_putc(b, *s);
	}
	return rc == BUF_OK ? buf_putc(b, '"') : rc;
}

static enum buf_rc
csv_value(struct buf *b, json_t *v)
{
	if (json_is_integer(v))
		return buf_printf(b, "%lld", (long long)json_integer_value(v));
	if (json_is_real(v))
		return buf_printf(b, "%.2f", json_real_value(v));
	if (json_is_string(v))
		return csv_text(b, json_string_value(v));
	if (json_is_boolean(v))
		return buf_puts(b, json_is_true(v) ? "true" : "false");
	return BUF_OK;                   /* null or absent: an empty cell */
}

int
export_csv(const struct export_sheet *s, char **out, size_t *len)
{
	struct buf b = BUF_INIT(EXPORT_MAX_BYTES);
	enum buf_rc rc = BUF_OK;
	for (size_t c = 0; rc == BUF_OK && c < s->ncols; c++) {
		if (c)
			rc = buf_putc(&b, ',');
		if (rc == BUF_OK)
			rc = buf_puts(&b, s->cols[c].key);
	}
	if (rc == BUF_OK)
		rc = buf_puts(&b, "\r\n");
	size_t i;
	json_t *row;
	json_array_foreach(s->rows, i, row) {
		for (size_t c = 0; rc == BUF_OK && c < s->ncols; c++) {
			if (c)
				rc = buf_putc(&b, ',');
			if (rc == BUF_OK)
				rc = csv_value(&b, json_object_get(row, s->cols[c].key));
		}
		if (rc == BUF_OK)
			rc = buf_puts(&b, "\r\n");
		if (rc != BUF_OK)
			break;
	}
	if (rc != BUF_OK) {
		buf_free(&b);
		return -1;
	}
	*len = b.len;
	*out = buf_steal(&b);
	return 0;
}

/* "first_response_business_s" -> "first_response_business_hours",
 * "seconds" -> "hours", "amount_cents" -> "amount_soles". */
static void
head_of(const struct export_col *c, char *out, size_t n)
{
	size_t k = strlen(c->key);
	if (c->kind == EXPORT_HOURS && k > 2 && strcmp(c->key + k - 2, "_s") == 0)
		snprintf(out, n, "%.*s_hours", (int)(k - 2), c->key);
	else if (c->kind == EXPORT_HOURS && strcmp(c->key, "seconds") == 0)
		snprintf(out, n, "hours");
	else if (c->kind == EXPORT_MONEY && k > 6 &&
	         strcmp(c->key + k - 6, "_cents") == 0)
		snprintf(out, n, "%.*s_soles", (int)(k - 6), c->key);
	else
		snprintf(out, n, "%s", c->key);
}

struct formats {
	lxw_format *head, *hours, *money;
};

static lxw_error
sheet_write(lxw_worksheet *ws, const struct export_sheet *s,
            const struct formats *f)
{
	lxw_error e = LXW_NO_ERROR;
	char head[128];
	for (size_t c = 0; e == LXW_NO_ERROR && c < s->ncols; c++) {
		head_of(&s->cols[c], head, sizeof head);
		e = worksheet_write_string(ws, 0, (lxw_col_t)c, head, f->head);
		if (e == LXW_NO_ERROR)
			e = worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c,
			                         s->cols[c].kind == EXPORT_TEXT ? 24 : 14,
			                         NULL);
	}
	size_t i;
	json_t *row;
	json_array_foreach(s->rows, i, row) {
		if (i + 1 >= LXW_ROW_MAX)
			return LXW_ERROR_WORKSHEET_INDEX_OUT_OF_RANGE;
		lxw_row_t r = (lxw_row_t)(i + 1);
		for (size_t c = 0; e == LXW_NO_ERROR && c < s->ncols; c++) {
			json_t *v = json_object_get(row, s->cols[c].key);
			lxw_col_t col = (lxw_col_t)c;
			double num = json_is_number(v) ? json_number_value(v) : 0;
			if (json_is_string(v))
				e = worksheet_write_string(ws, r, col, json_string_value(v),
				                           NULL);
			else if (json_is_boolean(v))
				e = worksheet_write_boolean(ws, r, col, json_is_true(v),
				                            NULL);
			else if (!json_is_number(v))
				continue;
			else if (s->cols[c].kind == EXPORT_HOURS)
				e = worksheet_write_number(ws, r, col, num / 3600.0,
				                           f->hours);
			else if (s->cols[c].kind == EXPORT_MONEY)
				e = worksheet_write_number(ws, r, col, num / 100.0,
				                           f->money);
			else
				e = worksheet_write_number(ws, r, col, num, NULL);
		}
		if (e != LXW_NO_ERROR)
			break;
	}
	return e;
}

static int
read_all(const char *path, char **out, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	struct buf b = BUF_INIT(EXPORT_MAX_BYTES);
	enum buf_rc rc = buf_read_fd(&b, fd);
	close(fd);
	if (rc != BUF_OK) {
		buf_free(&b);
		return -1;
	}
	*len = b.len;
	*out = buf_steal(&b);
	return 0;
}

int
export_xlsx(const struct export_sheet *sheets, size_t n, char **out,
            size_t *len)
{
	const char *dir = getenv("TMPDIR");
	char path[4096];
	snprintf(path, sizeof path, "%s/soporte-xlsx-XXXXXX",
	         dir && *dir ? dir : "/tmp");
	int fd = mkstemp(path);
	if (fd < 0) {
		log_error("export: cannot create a temporary file in %s: %s",
		          dir && *dir ? dir : "/tmp", strerror(errno));
		return -1;
	}
	close(fd);
	lxw_workbook *wb = workbook_new(path);
	if (wb == NULL) {
		log_error("export: cannot start the workbook %s", path);
		unlink(path);
		return -1;
	}
	struct formats f = {workbook_add_format(wb), workbook_add_format(wb),
	                    workbook_add_format(wb)};
	format_set_bold(f.head);
	format_set_num_format(f.hours, "0.00");
	format_set_num_format(f.money, "\"S/ \"#,##0.00");
	lxw_error e = LXW_NO_ERROR;
	for (size_t i = 0; e == LXW_NO_ERROR && i < n; i++) {
		lxw_worksheet *ws = workbook_add_worksheet(wb, sheets[i].name);
		e = ws ? sheet_write(ws, &sheets[i], &f) : LXW_ERROR_MEMORY_MALLOC_FAILED;
		if (ws && e == LXW_NO_ERROR)
			worksheet_freeze_panes(ws, 1, 0);
	}
	lxw_error ce = workbook_close(wb);   /* writes the file, frees wb */
	if (e == LXW_NO_ERROR)
		e = ce;
	int rc = -1;
	if (e != LXW_NO_ERROR)
		log_error("export: the workbook failed: %s", lxw_strerror(e));
	else if ((rc = read_all(path, out, len)) != 0)
		log_error("export: cannot read the workbook back: %s",
		          strerror(errno));
	unlink(path);
	return rc;
}
