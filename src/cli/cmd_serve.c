/*
 * cmd_serve.c - soporte serve: run the HTTP server.
 */
#include "app/db.h"
#include "app/holidays_ics.h"
#include "app/vault.h"
#include "cli/cli.h"
#include "core/calendar.h"
#include "core/policy.h"
#include "http/api.h"
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
    "  --key-file FILE     the credential vault's key (default\n"
    "                      $SOPORTE_KEY_FILE, else soporte.key); created\n"
    "                      with mode 0600 when missing\n"
    "  --user NAME         when started as root: become NAME after binding\n"
    "  --no-access-log     no JSON line per request on stderr\n"
    "  --insecure-cookies  cookies without Secure (plain-HTTP test setups)\n"
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
		.access_log = 1,
	};
	const char *key_file = getenv("SOPORTE_KEY_FILE");
	int secure = 1;
	for (int i = 1; i < argc; i++) {
		const char *val = i + 1 < argc ? argv[i + 1] : NULL;
		if (strcmp(argv[i], "--listen") == 0 && val) {
			cfg.listen = val;
			i++;
		} else if (strcmp(argv[i], "--web") == 0 && val) {
			cfg.web_dir = val;
			i++;
		} else if (strcmp(argv[i], "--key-file") == 0 && val) {
			key_file = val;
			i++;
		} else if (strcmp(argv[i], "--user") == 0 && val) {
			cfg.run_as = val;
			i++;
		} else if (strcmp(argv[i], "--no-access-log") == 0) {
			cfg.access_log = 0;
		} else if (strcmp(argv[i], "--insecure-cookies") == 0) {
			secure = 0;
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

	/* The policy and its calendar (deadlines, local times), and the
	 * vault's key: all read before binding, while still privileged. */
	struct policy pol;
	struct calendar *cal = NULL;
	struct holiday_list holidays = {0};
	rc = cli_calendar(cli, NULL, &pol, &cal, &holidays);
	if (rc != EX_OK)
		return rc;
	struct vault vault;
	char err[512];
	if (key_file == NULL || *key_file == '\0')
		key_file = "soporte.key";
	if (vault_open(key_file, &vault, err, sizeof err) != VAULT_OK) {
		log_error("serve: %s", err);
		calendar_free(cal);
		holiday_list_free(&holidays);
		return EX_CONFIG;
	}
	struct api_env env = {
		.pol = &pol,
		.cal = cal,
		.vault = &vault,
		.holidays = &holidays,
		.cookie_secure = secure,
	};
	cfg.env = &env;
	cfg.at_risk_percent = pol.at_risk_percent;
	rc = server_run(&cfg);
	vault_close(&vault);
	calendar_free(cal);
	holiday_list_free(&holidays);
	return rc;
}
