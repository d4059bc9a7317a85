/*
 * cmd_contract_doc.c - soporte contract show ID: the contract document
 * (issue 18; R12) as JSON or PDF, generated from the contract and the
 * policy in force (app/billing/contract_doc.c).
 */
#include "app/base/desk.h"
#include "app/billing/contract_doc.h"
#include "cli/cli.h"
#include "cli/cli_opts.h"
#include "cli/cli_out.h"
#include "util/log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char show_usage[] =
    "usage: soporte contract show ID [--format json|pdf] [--output FILE]\n"
    "                                [--lang es|en]\n"
    "\n"
    "The contract document: client, plan and its terms, validity\n"
    "(dd/mm/aaaa), products covered, hourly rate, the response times of the\n"
    "policy version in force and its business hours, the exclusions and\n"
    "the channels. pdf is in Spanish unless --lang en.\n";

int
contract_show_cmd(struct cli *cli, int argc, char **argv)
{
	static const char cmd[] = "contract show";
	if (cli_wants_help(argc, argv, show_usage))
		return EX_OK;
	const char *format = "json", *output = NULL, *lang = "es", *pos[1];
	const struct cli_opt opts[] = {
		{"--format", &format}, {"--output", &output}, {"--lang", &lang},
		{NULL, NULL},
	};
	int npos;
	int rc = cli_opts_parse(cmd, argc, argv, opts, pos, 1, &npos);
	if (rc != EX_OK)
		return rc;
	char *end = NULL;
	long long id = npos ? strtoll(pos[0], &end, 10) : 0;
	if (npos != 1 || *end != '\0' || id <= 0) {
		log_error("%s: which contract? (a contract id; soporte contract list)",
		          cmd);
		return EX_USAGE;
	}
	int pdf = strcmp(format, "pdf") == 0;
	if (!pdf && strcmp(format, "json") != 0) {
		log_error("%s: --format is json or pdf", cmd);
		return EX_USAGE;
	}
	if (strcmp(lang, "es") != 0 && strcmp(lang, "en") != 0) {
		log_error("%s: --lang is es or en", cmd);
		return EX_USAGE;
	}
	struct desk desk = {0};
	rc = cli_open(cli, CLI_CALENDAR, &desk);
	if (rc != EX_OK)
		return rc;
	json_t *doc = NULL;
	int64_t client = 0;
	enum app_rc a = contract_doc_json(desk.db, &desk.pol, desk.cal, id,
	                                  cli->now, &doc, &client);
	if (a != APP_OK) {
		log_error("%s: %s", cmd, desk_errmsg(&desk));
		rc = app_rc_exit(a);
	} else if (pdf) {
		unsigned char *bytes = NULL;
		size_t len = 0;
		if (contract_doc_pdf(&desk.pol, doc, lang, &bytes, &len) == 0) {
			rc = cli_write_out(cmd, output, bytes, len);
		} else {
			log_error("%s: the PDF could not be made", cmd);
			rc = EX_SOFTWARE;
		}
		free(bytes);
	} else if (output) {
		char *text = json_dumps(doc, JSON_INDENT(2) | JSON_SORT_KEYS);
		rc = text ? cli_write_out(cmd, output, text, strlen(text))
		          : EX_SOFTWARE;
		free(text);
	} else {
		cli_print_json(doc);
	}
	json_decref(doc);
	desk_close(&desk);
	return rc;
}
