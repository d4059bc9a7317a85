/*
 * cmd_serve.c - soporte serve: run the HTTP server.
 */
#include "app/db.h"
#include "cli/cli.h"
#include "http/server.h"
#include "store/store.h"
#include "util/log.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char usage[] =
    "usage: soporte serve [--listen ADDR:PORT] [--web DIR] [--threads N]\n"
    "\n"
    "Serves the web console, the client portal, the API and /healthz.\n"
    "  --listen ADDR:PORT  where to listen (default 127.0.0.1:8080)\n"
    "  --web DIR           the static UI files (default ./web, else the\n"
    "                      installed copy)\n"
    "  --threads N         worker threads (default 4)\n"
    "Stops cleanly on SIGTERM or SIGINT.\n";

int
cmd_serve(struct cli *cli, int argc, char **argv)
{
	if (cli_wants_help(argc, argv, usage))
		return EX_OK;
	struct server_config cfg = {
		.listen = "127.0.0.1:8080",
		.db_url = cli->db_url,
		.web_dir = access("web/index.html", R_OK) == 0
		               ? "web"
		               : SOPORTE_DATADIR "/web",
		.threads = 4,
	};
	for (int i = 1; i < argc; i++) {
		const char *val = i + 1 < argc ? argv[i + 1] : NULL;
		if (strcmp(argv[i], "--listen") == 0 && val) {
			cfg.listen = val;
			i++;
		} else if (strcmp(argv[i], "--web") == 0 && val) {
			cfg.web_dir = val;
			i++;
		} else if (strcmp(argv[i], "--threads") == 0 && val) {
			cfg.threads = atoi(val);
			if (cfg.threads < 1 || cfg.threads > 64) {
				log_error("serve: --threads must be 1..64");
				return EX_USAGE;
			}
			i++;
		} else {
			log_error("serve: unknown option '%s' (try --help)", argv[i]);
			return EX_USAGE;
		}
	}
	/* Refuse to start on a database that is not ready. */
	struct store *db;
	int rc = app_db_open(cli->db_url, &db);
	if (rc != EX_OK)
		return rc;
	store_close(db);
	return server_run(&cfg);
}
