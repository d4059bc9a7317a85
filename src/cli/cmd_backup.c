/*
 * cmd_backup.c - soporte backup FILE, soporte restore FILE: a consistent
 * copy of a live SQLite desk and putting it back (app/ops/backup.h).
 *
 * SECURITY: argv is the operator's (trusted). The vault key never goes
 * into a backup; only its fingerprint is printed.
 */
#include "app/base/desk.h"
#include "app/ops/backup.h"
#include "cli/cli.h"
#include "util/log.h"
#include "util/paths.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char backup_usage[] =
    "usage: soporte backup FILE [--key-file KEY]\n"
    "\n"
    "Copies the SQLite desk of --db into FILE while servers and mail gates\n"
    "keep writing (SQLite's online backup API): the database as of the\n"
    "moment the copy began, with every attachment, in one SQLite file that\n"
    "also records the schema version and the fingerprint of the vault key\n"
    "KEY (default $SOPORTE_KEY_FILE, else soporte.key; installed:\n"
    "/var/lib/soporte/soporte.key). The key itself is not in the backup:\n"
    "keep a copy of it apart. FILE is written beside as FILE.partial and\n"
    "renamed when complete and checked (integrity_check); an older FILE is\n"
    "replaced. A PostgreSQL desk is backed up with pg_dump -Fc.\n";

static const char restore_usage[] =
    "usage: soporte restore FILE [--key-file KEY] [--force]\n"
    "\n"
    "Checks the backup FILE (integrity_check, its format) and copies it\n"
    "into the SQLite database of --db. A database that already holds a desk\n"
    "is replaced only with --force (stop its servers first). When KEY\n"
    "(default as for backup) is not the key the backup was made under, it\n"
    "says so: the backup's secrets open only with that key. Then run\n"
    "'soporte migrate' when this soporte is newer than the backup.\n";

/* FILE, --key-file and --force from argv; returns EX_OK or EX_USAGE. */
static int
args(const char *cmd, int argc, char **argv, int may_force,
     const char **file, const char **key_file, int *force)
{
	*file = NULL;
	*force = 0;
	*key_file = getenv("SOPORTE_KEY_FILE");
	for (int i = 1; i < argc; i++) {
		const char *v = cli_arg(argc, argv, &i, "--key-file");
		if (v != NULL)
			*key_file = v;
		else if (may_force && strcmp(argv[i], "--force") == 0)
			*force = 1;
		else if (argv[i][0] != '-' && *file == NULL)
			*file = argv[i];
		else {
			log_error("%s: unexpected argument '%s' (try --help)", cmd,
			          argv[i]);
			return EX_USAGE;
		}
	}
	if (*file == NULL) {
		log_error("%s: which file? (try --help)", cmd);
		return EX_USAGE;
	}
	if (*key_file == NULL || **key_file == '\0')
		*key_file = paths_get(PATHS_KEY);
	return EX_OK;
}

static int
exit_code(enum backup_rc rc)
{
	switch (rc) {
	case BACKUP_OK: return EX_OK;
	case BACKUP_ENGINE: return EX_USAGE;
	case BACKUP_NOFILE: return EX_NOINPUT;
	case BACKUP_BAD: return EX_DATAERR;
	case BACKUP_NOT_EMPTY: return EX_CANTCREAT;
	case BACKUP_BUSY: return EX_TEMPFAIL;
	case BACKUP_ERROR: break;
	}
	return EX_IOERR;
}

int
cmd_backup(struct cli *cli, int argc, char **argv)
{
	if (cli_wants_help(argc, argv, backup_usage))
		return EX_OK;
	const char *file, *key_file;
	int force, rc = args("backup", argc, argv, 0, &file, &key_file, &force);
	if (rc != EX_OK)
		return rc;
	struct desk desk = {0};
	if ((rc = cli_open(cli, CLI_DB, &desk)) != EX_OK)
		return rc;
	struct backup_report rep;
	char err[1024];
	enum backup_rc br = backup_make(desk.db, file, key_file, SOPORTE_VERSION,
	                                cli->now, &rep, err, sizeof err);
	desk_close(&desk);
	if (br != BACKUP_OK) {
		log_error("backup: %s", err);
		return exit_code(br);
	}
	if (rep.warning[0])
		log_warn("backup: %s", rep.warning);
	printf("backup: %s written (%d pages in %d steps, schema %d, as of %s, "
	       "vault key fingerprint %s)\n",
	       file, rep.pages, rep.steps, rep.schema, rep.created_at,
	       rep.fingerprint);
	return EX_OK;
}

int
cmd_restore(struct cli *cli, int argc, char **argv)
{
	if (cli_wants_help(argc, argv, restore_usage))
		return EX_OK;
	const char *file, *key_file;
	int force, rc = args("restore", argc, argv, 1, &file, &key_file, &force);
	if (rc != EX_OK)
		return rc;
	struct backup_report rep;
	char err[1024];
	enum backup_rc br = backup_restore(file, cli->db_url, key_file, force,
	                                   &rep, err, sizeof err);
	if (br != BACKUP_OK) {
		log_error("restore: %s", err);
		return exit_code(br);
	}
	if (rep.warning[0])
		log_warn("restore: %s", rep.warning);
	printf("restore: %s restored into %s (schema %d, as of %s)\n", file,
	       cli->db_url, rep.schema, rep.created_at);
	return EX_OK;
}
