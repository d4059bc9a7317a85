/*
 * cmd_vault.c - soporte vault rotate-key: the credential vault's key
 * (R11) replaced, every secret re-sealed under the new one.
 *
 * SECURITY: argv is the operator's (trusted). No secret value is ever
 * printed: the command reports how many secrets it re-sealed.
 */
#include "app/base/audit.h"
#include "app/base/db.h"
#include "app/base/desk.h"
#include "app/access/vault.h"
#include "cli/cli.h"
#include "util/log.h"
#include "util/paths.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char rotate_usage[] =
    "usage: soporte vault rotate-key [--key-file FILE]\n"
    "\n"
    "Writes a new key (FILE.new, mode 0600), re-seals every secret under it\n"
    "in one transaction, then puts it in place of FILE. Until the commit the\n"
    "old key is kept as FILE.old; if anything fails, FILE and the database\n"
    "stay as they were. FILE defaults to $SOPORTE_KEY_FILE, else\n"
    "soporte.key (installed: /var/lib/soporte/soporte.key). Restart\n"
    "'soporte serve' afterwards: it keeps its key in memory.\n";

static int
vault_rotate_key(struct cli *cli, int argc, char **argv)
{
	if (cli_wants_help(argc, argv, rotate_usage))
		return EX_OK;
	const char *key_file = getenv("SOPORTE_KEY_FILE");
	for (int i = 1; i < argc; i++) {
		const char *v = cli_arg(argc, argv, &i, "--key-file");
		if (v == NULL) {
			log_error("vault rotate-key: unknown option '%s' (try --help)",
			          argv[i]);
			return EX_USAGE;
		}
		key_file = v;
	}
	if (key_file == NULL || *key_file == '\0')
		key_file = paths_get(PATHS_KEY);
	struct desk desk = {0};
	int rc = desk_open(&desk, cli->db_url);
	if (rc != EX_OK)
		return rc;
	char err[1024];
	int64_t n = 0;
	enum vault_rc vr = vault_rotate(key_file, desk.db, ACTOR_SYSTEM_INIT,
	                                cli->now,
	                                &n, err, sizeof err);
	desk_close(&desk);
	if (vr != VAULT_OK) {
		log_error("vault rotate-key: %s", err);
		return vr == VAULT_ESTORE ? EX_TEMPFAIL
		       : vr == VAULT_EIO  ? EX_IOERR
		                          : EX_CONFIG;
	}
	printf("rotated: %lld secrets re-sealed under the new key in %s\n",
	       (long long)n, key_file);
	return EX_OK;
}

int
cmd_vault(struct cli *cli, int argc, char **argv)
{
	static const struct cli_cmd cmds[] = {
		{"rotate-key", "re-seal every secret under a new key file",
		 vault_rotate_key},
		{NULL, NULL, NULL},
	};
	return cli_dispatch(cli, "vault", cmds, argc, argv);
}
