/*
 * cmd_demo.c - soporte demo: load the demo desk.
 */
#include "app/base/db.h"
#include "app/base/desk.h"
#include "app/ops/demo.h"
#include "cli/cli.h"
#include "util/log.h"

#include <string.h>

static const char usage[] =
    "usage: soporte demo [--if-empty]\n"
    "\n"
    "Loads a demo desk: clients of every plan, staff of every role, client\n"
    "portal accounts and tickets in several states. Every demo account's\n"
    "password is '" DEMO_PASSWORD "' (staff: admin@prodequa.example,\n"
    "dparedes@prodequa.example, ...; clients: rquispe@andinas.example.pe).\n"
    "Refuses a database that already has clients, unless --if-empty is\n"
    "given, which then does nothing and succeeds.\n";

int
cmd_demo(struct cli *cli, int argc, char **argv)
{
	if (cli_wants_help(argc, argv, usage))
		return EX_OK;
	int if_empty = 0;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--if-empty") == 0) {
			if_empty = 1;
		} else {
			log_error("demo: unknown option '%s'", argv[i]);
			return EX_USAGE;
		}
	}
	struct desk desk = {0};
	int rc = cli_open(cli, CLI_CALENDAR, &desk);
	if (rc != EX_OK)
		goto out;
	enum store_rc src = demo_load_tx(desk.db, &desk.pol, desk.cal,
	                                 cli->now);
	if (src == STORE_CONSTRAINT && if_empty) {
		log_info("demo: the database already has data; left as it is");
	} else if (src != STORE_OK) {
		log_error("demo: %s", desk_errmsg(&desk));
		rc = app_exit_code(src);
	} else {
		log_info("demo: loaded (accounts' password: %s)", DEMO_PASSWORD);
	}
out:
	desk_close(&desk);
	return rc;
}
