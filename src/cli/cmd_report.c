/*
 * cmd_report.c - soporte report sla: the month's SLA report for the
 * Project Manager (issue 18; R6, R7). The figures are the app's
 * (app/ops/sla_report.c); this file parses and writes.
 */
#include "app/base/desk.h"
#include "app/billing/contracts.h"
#include "app/ops/sla_report.h"
#include "cli/cli.h"
#include "cli/cli_opts.h"
#include "cli/cli_out.h"
#include "util/log.h"
#include "util/timefmt.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char sla_usage[] =
    "usage: soporte report sla --month YYYY-MM [--client DOMAIN]\n"
    "                          [--format json|csv|xlsx|pdf] [--output FILE]\n"
    "                          [--lang es|en]\n"
    "\n"
    "The month's SLA report (policy time zone; tickets reported in the\n"
    "month): tickets by severity, response target met / breached / pending\n"
    "in business hours (R6), median and p90 first response, the breaches\n"
    "with their cause, waits on the client, hours by client and consultant,\n"
    "escalations (R7). json (default) and csv print to standard output\n"
    "unless --output. pdf: the document for the client meeting, with its\n"
    "charts, in Spanish (--lang en: English).\n";

static int
report_sla(struct cli *cli, int argc, char **argv)
{
	static const char cmd[] = "report sla";
	if (cli_wants_help(argc, argv, sla_usage))
		return EX_OK;
	const char *client = NULL, *month = NULL, *format = "json", *output = NULL;
	const char *lang = "es";
	const struct cli_opt opts[] = {
		{"--client", &client}, {"--month", &month}, {"--format", &format},
		{"--output", &output}, {"--lang", &lang}, {NULL, NULL},
	};
	int npos;
	int rc = cli_opts_parse(cmd, argc, argv, opts, NULL, 0, &npos);
	if (rc != EX_OK)
		return rc;
	if (cli_need(cmd, "--month", month))
		return EX_USAGE;
	struct sla_report_req req = {.now = cli->now};
	if (iso_month_parse(month, &req.year, &req.month) != 0) {
		log_error("%s: --month '%s' is not YYYY-MM", cmd, month);
		return EX_USAGE;
	}
	if (strcmp(format, "json") != 0 && strcmp(format, "csv") != 0 &&
	    strcmp(format, "xlsx") != 0 && strcmp(format, "pdf") != 0) {
		log_error("%s: --format is json, csv, xlsx or pdf", cmd);
		return EX_USAGE;
	}
	if (strcmp(lang, "es") != 0 && strcmp(lang, "en") != 0) {
		log_error("%s: --lang is es or en", cmd);
		return EX_USAGE;
	}
	struct desk desk = {0};
	rc = cli_open(cli, CLI_DEADLINES, &desk);
	if (rc != EX_OK)
		return rc;
	json_t *rep = NULL;
	enum app_rc a = client ? client_find(desk.db, client, &req.client_id)
	                       : APP_OK;
	if (a == APP_OK)
		a = sla_report_json(desk.db, &desk.pol, desk.cal, &req, &rep);
	if (a != APP_OK) {
		log_error("%s: %s", cmd, desk_errmsg(&desk));
		rc = app_rc_exit(a);
	} else if (strcmp(format, "json") == 0 && output == NULL) {
		cli_print_json(rep);
	} else if (strcmp(format, "json") == 0) {
		char *text = json_dumps(rep, JSON_INDENT(2) | JSON_SORT_KEYS);
		rc = text ? cli_write_out(cmd, output, text, strlen(text))
		          : EX_SOFTWARE;
		free(text);
	} else if (strcmp(format, "pdf") == 0) {
		unsigned char *pdf = NULL;
		size_t len = 0;
		rc = sla_report_pdf(&desk.pol, rep, lang, &pdf, &len) == 0
		         ? cli_write_out(cmd, output, pdf, len)
		         : EX_SOFTWARE;
		if (rc == EX_SOFTWARE)
			log_error("%s: the PDF could not be made", cmd);
		free(pdf);
	} else if (strcmp(format, "csv") == 0) {
		struct export_sheet flat = {"report", sla_report_flat_cols, 4,
		                            sla_report_flat(rep)};
		rc = cli_export(cmd, format, output, &flat, 1);
		json_decref(flat.rows);
	} else {
		struct export_sheet sh[SLA_REPORT_SHEETS];
		size_t n;
		sla_report_sheets(rep, sh, &n);
		rc = cli_export(cmd, format, output, sh, n);
		sla_report_sheets_free(sh, n);
	}
	json_decref(rep);
	desk_close(&desk);
	return rc;
}

int
cmd_report(struct cli *cli, int argc, char **argv)
{
	static const struct cli_cmd cmds[] = {
		{"sla", "the month's SLA report (R6, R7)", report_sla},
		{NULL, NULL, NULL},
	};
	return cli_dispatch(cli, "report", cmds, argc, argv);
}
