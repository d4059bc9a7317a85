/*
 * main.c - the soporte binary: global options and subcommand dispatch.
 *
 * SECURITY: argv and the environment are trusted (the operator's own);
 * everything a subcommand reads from files or the network is not.
 */
#include "cli/cli.h"
#include "app/config/settings.h"
#include "util/log.h"
#include "util/paths.h"
#include "util/timefmt.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

static const struct cli_cmd commands[] = {
	{"serve", "run the HTTP server (web console, API, /healthz)", cmd_serve},
	{"migrate", "create or upgrade the database schema", cmd_migrate},
	{"demo", "load demo clients, contracts and tickets", cmd_demo},
	{"policy", "check or show the support policy file", cmd_policy},
	{"import", "import clients, products or contracts from CSV", cmd_import},
	{"ticket", "tickets: list, show, and their lifecycle", cmd_ticket},
	{"scheduler", "timers: scheduler run-once | run --every S", cmd_scheduler},
	{"outbound", "the outbound mail queue: send, list", cmd_outbound},
	{"mailgate", "take one message from the MTA on stdin", cmd_mailgate},
	{"intake", "take many messages from files in one process", cmd_intake},
	{"fetchmail", "poll an IMAP mailbox: fetchmail --imap URL [--every S]",
	 cmd_fetchmail},
	{"sla", "response deadlines (R6): sla due --vectors FILE.csv", cmd_sla},
	{"calendar", "business calendar: show --from D --to D, import FILE.ics, remove DATE",
	 cmd_calendar},
	{"product", "a client's products: add, list", cmd_product},
	{"contract", "support contracts: add, list, end", cmd_contract},
	{"po", "purchase orders for per-event work: add, list, request, "
	 "override", cmd_po},
	{"time", "the hour bank: time log, time list", cmd_time},
	{"statement", "a client's monthly statement (R8)", cmd_statement},
	{"report", "reports: report sla --month YYYY-MM (R6, R7)", cmd_report},
	{"cause", "set a ticket's cause; coverage decided again (R4)", cmd_cause},
	{"exclude", "close an excluded ticket, tell the client (R5)",
	 cmd_exclude},
	{"remote", "remote sessions: schedule, start, end, list (R11)",
	 cmd_remote},
	{"user", "accounts and API tokens: user add|passwd|list|token", cmd_user},
	{"vault", "the credential vault: vault rotate-key", cmd_vault},
	{"uploads", "files uploaded and never attached: uploads prune",
	 cmd_uploads},
	{"config", "this installation's settings: config check [FILE]",
	 cmd_config},
	{"triage", "the triage of new mail (issue 17): triage eval", cmd_triage},
	{"canned", "canned replies: canned add|list|rm", cmd_canned},
	{"backup", "a consistent copy of a live SQLite desk: backup FILE",
	 cmd_backup},
	{"restore", "put a backup back: restore FILE [--force]", cmd_restore},
	{NULL, NULL, NULL},
};

static void
usage(FILE *f)
{
	fprintf(f,
	    "usage: soporte [--db URL] [--policy FILE] [--config FILE] COMMAND [ARGS]\n"
	    "\n"
	    "Global options (anywhere on the line):\n"
	    "  --db URL        database: sqlite:PATH or postgresql://...\n"
	    "                  (default $SOPORTE_DB, else sqlite:soporte.db;\n"
	    "                  installed: /var/lib/soporte/soporte.db)\n"
	    "  --policy FILE   policy file (default $SOPORTE_POLICY, else\n"
	    "                  policy/prodequa.ini; installed:\n"
	    "                  /etc/soporte/prodequa.ini)\n"
	    "  --config FILE   this installation's settings (default\n"
	    "                  $SOPORTE_CONFIG, else /etc/soporte/soporte.conf\n"
	    "                  when installed, else none: the defaults)\n"
	    "  --quiet         only warnings and errors on stderr\n"
	    "\nCommands:\n");
	for (const struct cli_cmd *c = commands; c->name; c++)
		fprintf(f, "  %-10s %s\n", c->name, c->summary);
	fprintf(f, "\nRun 'soporte COMMAND --help' for a command's options.\n");
}

int
cli_wants_help(int argc, char **argv, const char *text)
{
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			break;
		if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
			fputs(text, stdout);
			return 1;
		}
	}
	return 0;
}

int
cli_dispatch(struct cli *cli, const char *group, const struct cli_cmd *cmds,
             int argc, char **argv)
{
	if (argc < 2 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "--help") == 0) {
		FILE *f = argc < 2 ? stderr : stdout;
		fprintf(f, "usage: soporte %s SUBCOMMAND [ARGS]\n\n", group);
		for (const struct cli_cmd *c = cmds; c->name; c++)
			fprintf(f, "  %-10s %s\n", c->name, c->summary);
		return argc < 2 ? EX_USAGE : EX_OK;
	}
	for (const struct cli_cmd *c = cmds; c->name; c++)
		if (strcmp(c->name, argv[1]) == 0)
			return c->run(cli, argc - 1, argv + 1);
	log_error("unknown subcommand '%s %s' (try 'soporte %s --help')", group,
	          argv[1], group);
	return EX_USAGE;
}

/* Takes "--name VALUE" or "--name=VALUE" out of argv; returns the value. */
static const char *
take_option(int *argc, char **argv, const char *name, int *bad)
{
	size_t n = strlen(name);
	const char *val = NULL;
	for (int i = 1; i < *argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			break;
		int drop = 0;
		if (strcmp(argv[i], name) == 0) {
			if (i + 1 >= *argc) {
				log_error("%s needs a value", name);
				*bad = 1;
				return NULL;
			}
			val = argv[i + 1];
			drop = 2;
		} else if (strncmp(argv[i], name, n) == 0 && argv[i][n] == '=') {
			val = argv[i] + n + 1;
			drop = 1;
		}
		if (drop) {
			memmove(&argv[i], &argv[i + drop],
			        (size_t)(*argc - i - drop + 1) * sizeof *argv);
			*argc -= drop;
			i--;
		}
	}
	return val;
}

static int
take_flag(int *argc, char **argv, const char *name)
{
	for (int i = 1; i < *argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			break;
		if (strcmp(argv[i], name) == 0) {
			memmove(&argv[i], &argv[i + 1],
			        (size_t)(*argc - i) * sizeof *argv);
			(*argc)--;
			return 1;
		}
	}
	return 0;
}

int
main(int argc, char **argv)
{
	struct cli cli = {0};
	int bad = 0;

	/* Whatever soporte creates (logs, exports, blobs, the SQLite
	 * database and its WAL/SHM, created 0600 by the store) is no one
	 * else's to read: group read at most. */
	umask(027);

	/* The command line as given, for `serve` to start itself again on
	 * SIGHUP; kept for the process's life (reachable from here). */
	static char **given;
	given = calloc((size_t)argc + 1, sizeof *given);
	if (given == NULL)
		return EX_OSERR;
	memcpy(given, argv, (size_t)argc * sizeof *argv);
	cli.argv = given;
	cli.db_url = take_option(&argc, argv, "--db", &bad);
	cli.policy_path = take_option(&argc, argv, "--policy", &bad);
	const char *now = take_option(&argc, argv, "--now", &bad);
	const char *config = take_option(&argc, argv, "--config", &bad);
	if (take_flag(&argc, argv, "--quiet"))
		log_set_quiet(1);
	if (bad)
		return EX_USAGE;
	if (cli.policy_path == NULL)
		cli.policy_path = getenv("SOPORTE_POLICY");
	if (config == NULL)
		config = getenv("SOPORTE_CONFIG");
	if (config == NULL)
		config = paths_get(PATHS_CONFIG);   /* installed: /etc/soporte */
	cli.config_path = config != NULL && *config != '\0' ? config : NULL;
	/* The file, then the environment over it (settings.h); a mistake
	 * stops every command but the one that reports them all. */
	struct settings set;
	char err[4096];
	if (settings_load(cli.config_path, &set, err, sizeof err) == 0)
		settings_set_current(&set);
	else if (argc < 2 || strcmp(argv[1], "config") != 0) {
		fputs(err, stderr);
		return EX_CONFIG;
	}
	if (cli.db_url != NULL)
		cli_warn_url_password("--db", cli.db_url, "SOPORTE_DB_FILE");
	else if (settings_current()->db_url[0])
		cli.db_url = settings_current()->db_url;
	else
		cli.db_url = paths_get(PATHS_DB);
	if (now == NULL)
		now = getenv("SOPORTE_NOW");
	if (now != NULL && *now != '\0') {
		if (iso_utc_parse(now, &cli.now) != 0) {
			log_error("--now/SOPORTE_NOW: '%s' is not YYYY-MM-DDTHH:MM:SSZ",
			          now);
			return EX_USAGE;
		}
		cli.now_fixed = 1;
	} else {
		cli.now = (int64_t)time(NULL);
	}

	if (argc < 2) {
		usage(stderr);
		return EX_USAGE;
	}
	if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		usage(stdout);
		return EX_OK;
	}
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "version") == 0) {
		printf("soporte %s\n", SOPORTE_VERSION);
		return EX_OK;
	}
	for (const struct cli_cmd *c = commands; c->name; c++)
		if (strcmp(c->name, argv[1]) == 0)
			return c->run(&cli, argc - 1, argv + 1);
	log_error("unknown command '%s' (try 'soporte --help')", argv[1]);
	return EX_USAGE;
}
