/*
 * cmd_sla.c - `soporte sla due`: response deadlines of CSV cases (R6).
 *
 *   soporte [--policy FILE] sla due --vectors FILE.csv [--calendar FILE.ics]
 *
 * Reads cases with columns id, created_utc, severity and pauses (others
 * ignored, RFC 4180 quoting, through app/base/csvfile.c) and prints
 * "id,due_utc" lines after a header line. A row with a bad value is
 * reported on stderr with its line number and skipped; a file that breaks
 * the CSV structure itself (an unbalanced quote, too many columns) is
 * reported at that line and read no further, since what follows is
 * ambiguous. Either way the exit code is then EX_DATAERR.
 *
 * SECURITY: the CSV file is untrusted: csvfile.c caps fields and columns
 * and app/base/sla_csv.c checks every value.
 */
#include "cli/cli.h"

#include "app/config/calendar_load.h"
#include "app/base/csvfile.h"
#include "app/base/sla_csv.h"
#include "core/sla.h"
#include "util/log.h"
#include "util/timefmt.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

struct due_run {
	const char *path;
	const struct calendar *cal;
	const struct policy *policy;
	struct sla_csv_cols cols;
	int have_header;
	int bad;                 /* rows reported and skipped */
	struct sla_csv_row row;
};

/* csv_read() callback: the header, then one case per row. */
static int
due_row(char **fields, int n, long line, void *user)
{
	struct due_run *r = user;
	char err[256];
	if (!r->have_header) {
		if (sla_csv_header(fields, (size_t)n, &r->cols, err, sizeof err)) {
			log_error("%s:%ld: %s", r->path, line, err);
			return 1;
		}
		r->have_header = 1;
		printf("id,due_utc\n");
		return 0;
	}
	if (sla_csv_row(fields, (size_t)n, &r->cols, &r->row, err, sizeof err)) {
		log_error("%s:%ld: %s; row skipped", r->path, line, err);
		r->bad++;
		return 0;
	}
	struct sla_clock clk;
	int64_t due_s;
	enum sla_rc src = sla_clock_init(&clk, r->policy, r->row.severity,
	                                 r->row.created_s, r->row.pauses,
	                                 r->row.npauses);
	if (src == SLA_OK)
		src = sla_due(r->cal, &clk, &due_s);
	if (src != SLA_OK || due_s == SLA_NEVER) {
		log_error("%s:%ld: %s; row skipped", r->path, line,
		          src == SLA_ERANGE ? "outside the calendar's years"
		                            : "cannot compute a deadline");
		r->bad++;
		return 0;
	}
	char iso[ISO_UTC_LEN];
	iso_utc_format(due_s, iso);
	put_field(r->row.id);
	printf(",%s\n", iso);
	return 0;
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
	struct due_run *run = NULL;
	FILE *f = NULL;
	int rc = cli_calendar(cli, ics, &p, &cal, NULL);
	if (rc != EX_OK)
		goto out;
	f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	if (f == NULL) {
		log_error("sla due: %s: %s", path, strerror(errno));
		rc = EX_NOINPUT;
		goto out;
	}
	run = calloc(1, sizeof *run);
	if (run == NULL) {
		log_error("sla due: out of memory");
		rc = EX_OSERR;
		goto out;
	}
	run->path = path;
	run->cal = cal;
	run->policy = &p;
	char err[256];
	int crc = csv_read(f, due_row, run, err, sizeof err);
	if (crc < 0)
		log_error("%s: %s; the rest of the file is not read", path, err);
	else if (crc == 0 && !run->have_header)
		log_error("%s:1: empty file", path);
	if (fflush(stdout) != 0) {
		log_error("sla due: cannot write the output");
		rc = EX_IOERR;
	} else {
		rc = crc != 0 || !run->have_header || run->bad ? EX_DATAERR : EX_OK;
	}
out:
	if (f != NULL && f != stdin)
		fclose(f);
	free(run);
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
