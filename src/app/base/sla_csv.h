/*
 * sla_csv.h - SLA cases from CSV (the format of ../shared/sla/vectors.csv).
 *
 * Columns are found by header name: id, created_utc, severity (1..4) and
 * pauses (optional; empty, or START/END pairs of ISO-8601 UTC instants
 * joined by ';'). Other columns are ignored. Used by `soporte sla due`
 * and the tests.
 *
 * SECURITY: the fields are untrusted; every field is checked and a bad
 * one is reported, never guessed at.
 */
#ifndef SOPORTE_APP_SLA_CSV_H
#define SOPORTE_APP_SLA_CSV_H

#include "core/sla.h"

#include <stddef.h>

#define SLA_CSV_MAX_FIELDS 64
#define SLA_CSV_ID_MAX 128

struct sla_csv_cols {
	int id, created, severity, pauses, expected; /* -1 when absent */
};

struct sla_csv_row {
	char id[SLA_CSV_ID_MAX];
	int64_t created_s;
	int severity;
	size_t npauses;
	struct sla_pause pauses[SLA_MAX_PAUSES];
	int64_t expected_s;      /* expected_due_utc when present, else -1 */
};

/* Maps the header; returns 0, or -1 with a reason when a column is missing. */
int sla_csv_header(char **fields, size_t n, struct sla_csv_cols *cols,
                   char *err, size_t errlen);

/* Parses one data row; returns 0, or -1 with a reason in err. */
int sla_csv_row(char **fields, size_t n, const struct sla_csv_cols *cols,
                struct sla_csv_row *row, char *err, size_t errlen);

#endif
