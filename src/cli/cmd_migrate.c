/*
 * cmd_migrate.c - soporte migrate: create or upgrade the schema.
 */
#include "cli/cli.h"
#include "store/migrate.h"
#include "store/store.h"
#include "app/base/db.h"
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
	struct store *src = NULL, *dst = NULL;
	char err[512];
	int rc = app_db_open(from, &src);
	if (rc != EX_OK)
		return rc;
	enum store_rc src_rc = store_open(to, &dst, err, sizeof err);
	if (src_rc != STORE_OK) {
		log_error("%s", err);
		store_close(src);
		return app_exit_code(src_rc);
	}
	src_rc = store_migrate(dst, cli->now, NULL);
	if (src_rc == STORE_OK)
		src_rc = dbcopy_run(src, dst, stdout);
	if (src_rc != STORE_OK) {
		log_error("migrate: copy refused, the target is unchanged: %s",
		          store_errmsg(dst));
		rc = app_exit_code(src_rc);
	} else {
		log_info("migrate: copied %s to %s and verified every table", from, to);
	}
	store_close(src);
	store_close(dst);
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
	if (next > 0) {
		int64_t last = 0;
		rc = store_get_int(db, "SELECT value FROM counters WHERE name = 'ticket'",
		                   STORE_NO_PARAMS, &last);
		if (rc == STORE_OK && next - 1 < last) {
			log_error("migrate: ticket #%06lld exists already; the next number "
			          "must be above it", (long long)last);
			store_close(db);
			return EX_DATAERR;
		}
		if (rc == STORE_OK)
			rc = store_exec(db, "UPDATE counters SET value = $1 "
			                    "WHERE name = 'ticket'",
			                STORE_PARAMS(SP_I(next - 1)));
		if (rc != STORE_OK) {
			log_error("migrate: %s", store_errmsg(db));
			store_close(db);
			return app_exit_code(rc);
		}
		log_info("migrate: the next ticket is #%06lld", next);
	}
	log_info("migrate: %s schema at version %d (%d applied)",
	         store_engine_name(db), store_schema_version(db), applied);
	store_close(db);
	return EX_OK;
}
