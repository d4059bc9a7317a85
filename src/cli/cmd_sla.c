/*
 * cmd_sla.c - `soporte sla due`: response deadlines of CSV cases (R6).
 *
 *   soporte [--policy FILE] sla due --vectors FILE.csv [--calendar FILE.ics]
 *
 * Reads cases with columns id, created_utc, severity and pauses (others
 * ignored, RFC 4180 quoting) and prints "id,due_utc" lines after a header
 * line. A bad row is reported on stderr with its line number and skipped;
 * the exit code is then EX_DATAERR.
 *
 * SECURITY: the CSV file is untrusted: its size is capped and every field
 * is checked by app/sla_csv.c.
 */
#include "cli/cli.h"

#include "app/calendar_load.h"
#include "app/sla_csv.h"
#include "core/sla.h"
#include "util/csvrec.h"
#include "util/log.h"
#include "util/timefmt.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SLA_CSV_MAX_BYTES (256u << 20)
#define SLA_CSV_MAX_RECORD 65536

/* Reads a whole file (at most SLA_CSV_MAX_BYTES) into a NUL-ended block. */
static char *
read_file(const char *path, size_t *len)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	char *data = NULL;
	size_t n = 0, cap = 0;
	if (f == NULL) {
		log_error("sla due: %s: %s", path, strerror(errno));
		return NULL;
	}
	for (;;) {
		if (cap - n < 65536) {
			if (cap > SLA_CSV_MAX_BYTES) {
				log_error("sla due: %s: bigger than %u bytes", path,
				          SLA_CSV_MAX_BYTES);
				goto fail;
			}
			size_t ncap = cap ? cap * 2 : 1 << 20;
			char *p = realloc(data, ncap + 1);
			if (p == NULL) {
				log_error("sla due: out of memory");
				goto fail;
			}
			data = p;
			cap = ncap;
		}
		size_t got = fread(data + n, 1, cap - n, f);
		n += got;
		if (got == 0)
			break;
	}
	if (ferror(f)) {
		log_error("sla due: %s: read error", path);
		goto fail;
	}
	if (f != stdin)
		fclose(f);
	if (data == NULL && (data = malloc(1)) == NULL)
		return NULL;
	data[n] = '\0';
	*len = n;
	return data;
fail:
	if (f != stdin)
		fclose(f);
	free(data);
	return NULL;
}

/* Writes a CSV field, quoted when it needs to be. */
static void
put_field(const char *s)
{
	if (strpbrk(s, ",\"\r\n") == NULL) {
		fputs(s, stdout);
		return;
	}
	putchar('"');
	for (; *s; s++) {
		if (*s == '"')
			putchar('"');
		putchar(*s);
	}
	putchar('"');
}

static const char *
csv_reason(enum csvrec_rc rc)
{
	switch (rc) {
	case CSVREC_EQUOTE: return "bad quoting";
	case CSVREC_ETOOMANY: return "too many fields";
	case CSVREC_ETOOLONG: return "record too long";
	default: return "unreadable record";
	}
}

static int
due(struct cli *cli, int argc, char **argv)
{
	static const char usage[] =
	    "usage: soporte [--policy FILE] sla due --vectors FILE.csv\n"
	    "                                       [--calendar FILE.ics]\n"
	    "Prints id,due_utc for each case of FILE.csv (columns id,\n"
	    "created_utc, severity, pauses; '-' reads stdin). --calendar takes\n"
	    "the holidays from an iCalendar file instead of the policy's set.\n";
	const char *path = NULL, *ics = NULL, *v;
	if (cli_wants_help(argc, argv, usage))
		return EX_OK;
	for (int i = 1; i < argc; i++) {
		if ((v = cli_arg(argc, argv, &i, "--vectors")) != NULL)
			path = v;
		else if ((v = cli_arg(argc, argv, &i, "--calendar")) != NULL)
			ics = v;
		else {
			log_error("sla due: unexpected '%s'", argv[i]);
			fputs(usage, stderr);
			return EX_USAGE;
		}
	}
	if (path == NULL) {
		log_error("sla due: --vectors FILE.csv is required");
		return EX_USAGE;
	}

	struct policy p;
	struct calendar *cal = NULL;
	char *text = NULL, *buf = NULL;
	struct sla_csv_row *row = NULL;
	size_t len = 0;
	int rc = cli_calendar(cli, ics, &p, &cal, NULL);
	if (rc != EX_OK)
		goto out;
	rc = EX_NOINPUT;
	if ((text = read_file(path, &len)) == NULL)
		goto out;
	rc = EX_OSERR;
	buf = malloc(SLA_CSV_MAX_RECORD);
	row = malloc(sizeof *row);
	if (buf == NULL || row == NULL)
		goto out;

	struct csvrec c;
	char *fields[SLA_CSV_MAX_FIELDS];
	struct sla_csv_cols cols;
	char err[256];
	size_t nf, line;
	enum csvrec_rc crc;
	csvrec_init(&c, text, len);
	crc = csvrec_next(&c, buf, SLA_CSV_MAX_RECORD, fields, SLA_CSV_MAX_FIELDS,
	                  &nf, &line);
	if (crc != CSVREC_OK ||
	    sla_csv_header(fields, nf, &cols, err, sizeof err) != 0) {
		log_error("%s:1: %s", path,
		          crc == CSVREC_OK ? err : crc == CSVREC_EOF ? "empty file"
		                                                     : csv_reason(crc));
		rc = EX_DATAERR;
		goto out;
	}
	int bad = 0;
	printf("id,due_utc\n");
	while ((crc = csvrec_next(&c, buf, SLA_CSV_MAX_RECORD, fields,
	                          SLA_CSV_MAX_FIELDS, &nf, &line)) != CSVREC_EOF) {
		if (crc != CSVREC_OK) {
			log_error("%s:%zu: %s; row skipped", path, line, csv_reason(crc));
			bad++;
			continue;
		}
		if (nf == 1 && fields[0][0] == '\0')
			continue; /* a blank line */
		if (sla_csv_row(fields, nf, &cols, row, err, sizeof err) != 0) {
			log_error("%s:%zu: %s; row skipped", path, line, err);
			bad++;
			continue;
		}
		struct sla_clock clk;
		int64_t due_s;
		enum sla_rc src = sla_clock_init(&clk, &p, row->severity,
		                                 row->created_s, row->pauses,
		                                 row->npauses);
		if (src == SLA_OK)
			src = sla_due(cal, &clk, &due_s);
		if (src != SLA_OK || due_s == SLA_NEVER) {
			log_error("%s:%zu: %s; row skipped", path, line,
			          src == SLA_ERANGE ? "outside the calendar's years"
			                            : "cannot compute a deadline");
			bad++;
			continue;
		}
		char iso[ISO_UTC_LEN];
		iso_utc_format(due_s, iso);
		put_field(row->id);
		printf(",%s\n", iso);
	}
	if (fflush(stdout) != 0) {
		log_error("sla due: cannot write the output");
		rc = EX_IOERR;
	} else {
		rc = bad ? EX_DATAERR : EX_OK;
	}
out:
	free(row);
	free(buf);
	free(text);
	calendar_free(cal);
	return rc;
}

int
cmd_sla(struct cli *cli, int argc, char **argv)
{
	static const struct cli_cmd sub[] = {
		{"due", "response deadlines of CSV cases (R6)", due},
		{NULL, NULL, NULL},
	};
	return cli_dispatch(cli, "sla", sub, argc, argv);
}
