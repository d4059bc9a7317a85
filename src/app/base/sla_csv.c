/*
 * sla_csv.c - parse SLA case rows (see sla_csv.h).
 */
#include "app/base/sla_csv.h"

#include "util/errmsg.h"
#include "util/timefmt.h"

#include <stdio.h>
#include <string.h>

int
sla_csv_header(char **fields, size_t n, struct sla_csv_cols *cols, char *err,
               size_t errlen)
{
	static const char *names[] = {"id", "created_utc", "severity", "pauses",
	                              "expected_due_utc"};
	int *slot[] = {&cols->id, &cols->created, &cols->severity, &cols->pauses,
	               &cols->expected};
	for (size_t k = 0; k < 5; k++) {
		*slot[k] = -1;
		for (size_t i = 0; i < n; i++)
			if (strcmp(fields[i], names[k]) == 0)
				*slot[k] = (int)i;
	}
	for (size_t k = 0; k < 3; k++)
		if (*slot[k] < 0) {
			errmsg_set(err, errlen, "header has no '%s' column", names[k]);
			return -1;
		}
	return 0;
}

static const char *
field(char **fields, size_t n, int col)
{
	return col >= 0 && (size_t)col < n ? fields[col] : "";
}

/* Parses "START/END;START/END..." into row->pauses. */
static int
parse_pauses(const char *s, struct sla_csv_row *row, char *err, size_t errlen)
{
	row->npauses = 0;
	while (*s != '\0') {
		char one[64];
		const char *semi = strchr(s, ';');
		size_t len = semi ? (size_t)(semi - s) : strlen(s);
		if (len >= sizeof one || len != 41 || s[20] != '/') {
			errmsg_set(err, errlen, "pause '%.*s' is not START/END",
			       (int)(len > 60 ? 60 : len), s);
			return -1;
		}
		if (row->npauses == SLA_MAX_PAUSES) {
			errmsg_set(err, errlen, "more than %d pauses", SLA_MAX_PAUSES);
			return -1;
		}
		memcpy(one, s, len);
		one[len] = '\0';
		one[20] = '\0';
		struct sla_pause *p = &row->pauses[row->npauses];
		if (iso_utc_parse(one, &p->start_s) != 0 ||
		    iso_utc_parse(one + 21, &p->end_s) != 0) {
			errmsg_set(err, errlen, "pause '%.41s': bad instant", s);
			return -1;
		}
		if (p->end_s < p->start_s) {
			errmsg_set(err, errlen, "pause '%.41s' ends before it starts", s);
			return -1;
		}
		row->npauses++;
		s += len;
		if (*s == ';') {
			s++;
			if (*s == '\0') {
				errmsg_set(err, errlen, "trailing ';' in pauses");
				return -1;
			}
		}
	}
	return 0;
}

int
sla_csv_row(char **fields, size_t n, const struct sla_csv_cols *cols,
            struct sla_csv_row *row, char *err, size_t errlen)
{
	const char *id = field(fields, n, cols->id);
	const char *created = field(fields, n, cols->created);
	const char *sev = field(fields, n, cols->severity);
	if (*id == '\0' || strlen(id) >= sizeof row->id) {
		errmsg_set(err, errlen, "id is empty or too long");
		return -1;
	}
	snprintf(row->id, sizeof row->id, "%s", id);
	if (iso_utc_parse(created, &row->created_s) != 0) {
		errmsg_set(err, errlen, "created_utc '%.40s' is not YYYY-MM-DDTHH:MM:SSZ",
		       created);
		return -1;
	}
	if (strlen(sev) != 1 || sev[0] < '1' || sev[0] > '4') {
		errmsg_set(err, errlen, "severity '%.20s' is not 1, 2, 3 or 4", sev);
		return -1;
	}
	row->severity = sev[0] - '0';
	if (parse_pauses(field(fields, n, cols->pauses), row, err, errlen) != 0)
		return -1;
	row->expected_s = -1;
	const char *exp = field(fields, n, cols->expected);
	if (cols->expected >= 0 && *exp != '\0' &&
	    iso_utc_parse(exp, &row->expected_s) != 0) {
		errmsg_set(err, errlen, "expected_due_utc '%.40s' is not an instant", exp);
		return -1;
	}
	return 0;
}
