/*
 * cmd_import.c - soporte import clients|products|contracts FILE.csv
 */
#include "app/base/db.h"
#include "app/base/desk.h"
#include "app/billing/import.h"
#include "cli/cli.h"
#include "util/log.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static const char usage[] =
    "usage: soporte import clients|products|contracts FILE.csv\n"
    "\n"
    "Imports a CSV file with a header row, all or nothing: a bad row is\n"
    "reported with its line and column and nothing is written.\n"
    "  clients    company,domain,contact_name,contact_email[,billing]\n"
    "             (billing: yes when the contact gets the monthly statement)\n"
    "  products   client_domain,product_type,name,delivered_on,warranty_months\n"
    "             [,post_production_until]\n"
    "  contracts  client_domain,plan,valid_from,valid_to,products[,hourly_rate]\n"
    "             plan: per_event|basic|enterprise; products: names joined by ';'\n"
    "Use '-' as FILE to read standard input.\n";

int
cmd_import(struct cli *cli, int argc, char **argv)
{
	if (cli_wants_help(argc, argv, usage))
		return EX_OK;
	if (argc != 3) {
		log_error("import: need a kind and a file (try 'soporte import --help')");
		return EX_USAGE;
	}
	enum import_kind kind;
	if (strcmp(argv[1], "clients") == 0)
		kind = IMPORT_CLIENTS;
	else if (strcmp(argv[1], "products") == 0)
		kind = IMPORT_PRODUCTS;
	else if (strcmp(argv[1], "contracts") == 0)
		kind = IMPORT_CONTRACTS;
	else {
		log_error("import: '%s' is not clients, products or contracts", argv[1]);
		return EX_USAGE;
	}
	const char *path = argv[2];

	struct desk desk = {0};
	int rc = cli_load_policy(cli, &desk.pol);
	if (rc != EX_OK)
		return rc;
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
	if (f == NULL) {
		log_error("import: %s: %s", path, strerror(errno));
		return EX_NOINPUT;
	}
	rc = desk_open(&desk, cli->db_url);
	if (rc != EX_OK) {
		if (f != stdin)
			fclose(f);
		return rc;
	}
	struct import_result res;
	rc = app_import(desk.db, &desk.pol, kind, f, cli->now, &res);
	if (f != stdin)
		fclose(f);
	if (rc == EX_DATAERR) {
		int shown = res.nerrors < IMPORT_MAX_ERRORS ? res.nerrors
		                                            : IMPORT_MAX_ERRORS;
		for (int i = 0; i < shown; i++)
			fprintf(stderr, "%s: %s\n", path, res.errors[i]);
		if (res.nerrors > shown)
			fprintf(stderr, "%s: ... and %d more errors\n", path,
			        res.nerrors - shown);
		log_error("import: %s refused, nothing was written (%d error%s)", path,
		          res.nerrors, res.nerrors == 1 ? "" : "s");
	} else if (rc != EX_OK) {
		char said[200];
		log_error("import: %s: %s; nothing was written", path,
		          desk_said(&desk, said, sizeof said));
	} else {
		log_info("import: %s: %d rows, %d created, %d already there", path,
		         res.rows, res.created, res.unchanged);
	}
	desk_close(&desk);
	return rc;
}
