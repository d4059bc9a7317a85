/*
 * backup.c - the desk's backup and restore (see backup.h).
 */
#include "app/ops/backup.h"
#include "app/access/vault.h"
#include "store/migrate.h"
#include "store/sqlite_backup.h"
#include "util/timefmt.h"

#include <stdio.h>
#include <string.h>

/* Pages a backup step copies: 4 MiB of 4 KiB pages. */
#define BACKUP_STEP_PAGES 1024

static enum backup_rc
from_store(enum store_rc rc)
{
	return rc == STORE_OK     ? BACKUP_OK
	       : rc == STORE_BUSY ? BACKUP_BUSY
	                          : BACKUP_ERROR;
}

enum backup_rc
backup_make(struct store *db, const char *path, const char *key_file,
            const char *version, int64_t now, struct backup_report *rep,
            char *err, size_t errlen)
{
	memset(rep, 0, sizeof *rep);
	if (store_engine(db) != STORE_SQLITE) {
		snprintf(err, errlen, "this desk is on PostgreSQL: back it up with "
		         "pg_dump -Fc (docs/operations.md, \"Backups\")");
		return BACKUP_ENGINE;
	}
	char why[512];
	if (vault_fingerprint(key_file, rep->fingerprint, why, sizeof why) !=
	    VAULT_OK) {
		snprintf(rep->fingerprint, sizeof rep->fingerprint, "none");
		snprintf(rep->warning, sizeof rep->warning,
		         "no vault key fingerprint recorded (%s): give the key "
		         "file with --key-file", why);
	}
	iso_utc_format(now, rep->created_at);
	rep->schema = store_schema_version(db);
	char schema[16];
	snprintf(schema, sizeof schema, "%d", rep->schema);
	const struct backup_meta meta[] = {
	    {"format", BACKUP_FORMAT},
	    {"created_at", rep->created_at},
	    {"schema_version", schema},
	    {"soporte_version", version},
	    {"key_fingerprint", rep->fingerprint},
	};
	enum store_rc rc = store_sqlite_backup(
	    db, path, meta, (int)(sizeof meta / sizeof meta[0]),
	    BACKUP_STEP_PAGES, &rep->pages, &rep->steps);
	if (rc != STORE_OK)
		snprintf(err, errlen, "%s", store_errmsg(db));
	return from_store(rc);
}

struct seen {
	struct backup_report *rep;
	int format_ok;
};

static void
take_meta(void *arg, const char *name, const char *value)
{
	struct seen *s = arg;
	if (strcmp(name, "format") == 0)
		s->format_ok = strcmp(value, BACKUP_FORMAT) == 0;
	else if (strcmp(name, "created_at") == 0)
		snprintf(s->rep->created_at, sizeof s->rep->created_at, "%s", value);
	else if (strcmp(name, "key_fingerprint") == 0)
		snprintf(s->rep->fingerprint, sizeof s->rep->fingerprint, "%s",
		         value);
	else if (strcmp(name, "schema_version") == 0)
		sscanf(value, "%d", &s->rep->schema);
}

/* Says in rep->warning when the key file is not the backup's key. */
static void
compare_key(const char *key_file, struct backup_report *rep)
{
	char fp[VAULT_FP_HEX], why[512];
	if (strcmp(rep->fingerprint, "none") == 0) {
		snprintf(rep->warning, sizeof rep->warning,
		         "the backup names no vault key: its secrets open only with "
		         "the key that was in force when it was made");
	} else if (vault_fingerprint(key_file, fp, why, sizeof why) != VAULT_OK) {
		snprintf(rep->warning, sizeof rep->warning,
		         "cannot read the vault key (%s): the backup's secrets open "
		         "only with the key of fingerprint %s",
		         why, rep->fingerprint);
	} else if (strcmp(fp, rep->fingerprint) != 0) {
		snprintf(rep->warning, sizeof rep->warning,
		         "the vault key %s (fingerprint %s) is not the backup's "
		         "(fingerprint %s): its secrets will not open with it; put "
		         "that key in place, or give it with --key-file",
		         key_file, fp, rep->fingerprint);
	}
}

enum backup_rc
backup_restore(const char *path, const char *url, const char *key_file,
               int force, struct backup_report *rep, char *err, size_t errlen)
{
	memset(rep, 0, sizeof *rep);
	if (strncmp(url, "sqlite:", 7) != 0) {
		snprintf(err, errlen, "the target is not a SQLite database: a "
		         "PostgreSQL desk is restored with pg_restore "
		         "(docs/operations.md, \"Backups\")");
		return BACKUP_ENGINE;
	}
	struct seen seen = {rep, 0};
	enum store_rc rc = store_sqlite_backup_check(path, take_meta, &seen, err,
	                                             errlen);
	if (rc == STORE_NOTFOUND)
		return BACKUP_NOFILE;
	if (rc != STORE_OK)
		return BACKUP_BAD;
	if (!seen.format_ok) {
		snprintf(err, errlen, "%s is not a backup this soporte can "
		         "restore (format is not \"%s\")", path, BACKUP_FORMAT);
		return BACKUP_BAD;
	}
	int has = store_sqlite_has_tables(url, err, errlen);
	if (has < 0)
		return BACKUP_ERROR;
	if (has && !force) {
		snprintf(err, errlen, "%s already holds a desk: restore into a new "
		         "file, or add --force to replace it (stop its servers "
		         "first)", url + 7);
		return BACKUP_NOT_EMPTY;
	}
	compare_key(key_file, rep);
	return from_store(store_sqlite_restore(path, url, err, errlen));
}
