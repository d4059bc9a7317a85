/*
 * cmd_migrate.c - soporte migrate: create or upgrade the schema.
 */
#include "cli/cli.h"
#include "app/base/db.h"
#include "app/base/desk.h"
#include "app/ops/dbcopy.h"
#include "util/log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
    "usage: soporte migrate [--next-ticket-number N]\n"
    "       soporte migrate --from URL --to URL\n"
    "\n"
    "Applies every schema migration the database does not have yet, each in\n"
    "its own transaction. Safe to run twice, and while servers run.\n"
    "  --next-ticket-number N  number the next ticket N (for a desk that\n"
    "                          moves from another system); numbers never go\n"
    "                          back, so N must be above every ticket's.\n"
    "  --from URL --to URL     copy a whole desk (tickets, messages,\n"
    "                          attachments, ledger, audit, users) into an\n"
    "                          empty database, e.g. from sqlite:desk.db to\n"
    "                          postgresql://..., then verify every table's\n"
    "                          row count and checksum.\n";

/* soporte migrate --from SRC --to DST */
static int
migrate_copy(struct cli *cli, const char *from, const char *to)
{
	struct desk src = {0}, dst = {0};
	char err[512];
	int rc = desk_open(&src, from);
	if (rc != EX_OK)
		return rc;
	enum store_rc src_rc = desk_connect(&dst, to, err, sizeof err);
	if (src_rc != STORE_OK) {
		log_error("%s", err);
		desk_close(&src);
		return app_exit_code(src_rc);
	}
	src_rc = desk_migrate(&dst, cli->now, NULL);
	if (src_rc == STORE_OK)
		src_rc = dbcopy_run(src.db, dst.db, stdout);
	if (src_rc != STORE_OK) {
		log_error("migrate: copy refused, the target is unchanged: %s",
		          desk_errmsg(&dst));
		rc = app_exit_code(src_rc);
	} else {
		log_info("migrate: copied %s to %s and verified every table", from, to);
	}
	desk_close(&src);
	desk_close(&dst);
	return rc;
}

int
cmd_migrate(struct cli *cli, int argc, char **argv)
{
	if (cli_wants_help(argc, argv, usage))
		return EX_OK;
	long long next = 0;
	const char *from = NULL, *to = NULL;
	for (int i = 1; i < argc; i++) {
		char *end;
		if (strcmp(argv[i], "--from") == 0 && i + 1 < argc) {
			from = argv[++i];
		} else if (strcmp(argv[i], "--to") == 0 && i + 1 < argc) {
			to = argv[++i];
		} else if (strcmp(argv[i], "--next-ticket-number") == 0 && i + 1 < argc) {
			next = strtoll(argv[++i], &end, 10);
			if (*end != '\0' || next < 1 || next > 999999999) {
				log_error("migrate: --next-ticket-number must be 1..999999999");
				return EX_USAGE;
			}
		} else {
			log_error("migrate: unexpected argument '%s'", argv[i]);
			return EX_USAGE;
		}
	}
	if ((from == NULL) != (to == NULL)) {
		log_error("migrate: --from and --to go together");
		return EX_USAGE;
	}
	if (from)
		return migrate_copy(cli, from, to);
	struct desk desk = {0};
	char err[512];
	enum store_rc rc = desk_connect(&desk, cli->db_url, err, sizeof err);
	if (rc != STORE_OK) {
		log_error("%s", err);
		return app_exit_code(rc);
	}
	int applied = 0;
	rc = desk_migrate(&desk, cli->now, &applied);
	if (rc != STORE_OK) {
		log_error("%s", desk_errmsg(&desk));
		desk_close(&desk);
		return app_exit_code(rc);
	}
	if (next > 0) {
		int64_t last = 0;
		rc = desk_next_ticket_set(&desk, next, &last);
		if (rc == STORE_CONSTRAINT) {
			log_error("migrate: ticket #%06lld exists already; the next number "
			          "must be above it", (long long)last);
			desk_close(&desk);
			return EX_DATAERR;
		}
		if (rc != STORE_OK) {
			log_error("migrate: %s", desk_errmsg(&desk));
			desk_close(&desk);
			return app_exit_code(rc);
		}
		log_info("migrate: the next ticket is #%06lld", next);
	}
	log_info("migrate: %s schema at version %d (%d applied)",
	         desk_engine_name(&desk), desk_schema_version(&desk), applied);
	desk_close(&desk);
	return EX_OK;
}
