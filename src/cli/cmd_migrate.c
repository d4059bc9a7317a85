/*
 * cmd_migrate.c - soporte migrate: create or upgrade the schema.
 */
#include "cli/cli.h"
#include "store/migrate.h"
#include "store/store.h"
#include "app/db.h"
#include "util/log.h"

#include <stdio.h>

static const char usage[] =
    "usage: soporte migrate [--db URL]\n"
    "\n"
    "Applies every schema migration the database does not have yet, each in\n"
    "its own transaction. Safe to run twice, and while servers run.\n";

int
cmd_migrate(struct cli *cli, int argc, char **argv)
{
	if (cli_wants_help(argc, argv, usage))
		return EX_OK;
	if (argc > 1) {
		log_error("migrate: unexpected argument '%s'", argv[1]);
		return EX_USAGE;
	}
	struct store *db;
	char err[512];
	enum store_rc rc = store_open(cli->db_url, &db, err, sizeof err);
	if (rc != STORE_OK) {
		log_error("%s", err);
		return app_exit_code(rc);
	}
	int applied = 0;
	rc = store_migrate(db, cli->now, &applied);
	if (rc != STORE_OK) {
		log_error("%s", store_errmsg(db));
		store_close(db);
		return app_exit_code(rc);
	}
	log_info("migrate: %s schema at version %d (%d applied)",
	         store_engine_name(db), store_schema_version(db), applied);
	store_close(db);
	return EX_OK;
}
