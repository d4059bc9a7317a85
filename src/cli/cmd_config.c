/*
 * cmd_config.c - soporte config check [FILE]: the installation's
 * settings (app/config/settings.h) read as every command reads them,
 * with every mistake reported by its line.
 */
#include "app/config/settings.h"
#include "cli/cli.h"
#include "util/log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
    "usage: soporte config check [FILE]\n"
    "\n"
    "Reads FILE (default: --config, $SOPORTE_CONFIG, else the installed\n"
    "/etc/soporte/soporte.conf) and the environment variables that\n"
    "override it, as every command does, and reports each error with its\n"
    "line (FILE:LINE: ...) or its variable ($NAME: ...): unknown sections\n"
    "and keys, bad URLs and ports, secret files that cannot be read.\n"
    "Exit status: 0 when all is well, 78 otherwise.\n";

static int
config_check(struct cli *cli, int argc, char **argv)
{
	if (cli_wants_help(argc, argv, usage))
		return EX_OK;
	if (argc > 2) {
		log_error("config check: one FILE at most (try --help)");
		return EX_USAGE;
	}
	const char *path = argc == 2 ? argv[1] : cli->config_path;
	struct settings s;
	char err[8192];
	if (settings_load(path, &s, err, sizeof err) != 0) {
		fputs(err, stderr);
		return EX_CONFIG;
	}
	settings_free(&s);
	size_t nenv = 0;
	const char *section, *key, *name;
	for (size_t i = 0; (name = settings_env_name(i, &section, &key)); i++) {
		const char *v = getenv(name);
		if (v && *v) {
			printf("$%s overrides [%s] %s\n", name, section, key);
			nenv++;
		}
	}
	printf("%s: ok%s\n", path ? path : "(no configuration file)",
	       nenv ? " (with the variables above)" : "");
	return EX_OK;
}

static const struct cli_cmd config_cmds[] = {
	{"check", "check the configuration file and the environment",
	 config_check},
	{NULL, NULL, NULL},
};

int
cmd_config(struct cli *cli, int argc, char **argv)
{
	return cli_dispatch(cli, "config", config_cmds, argc, argv);
}
