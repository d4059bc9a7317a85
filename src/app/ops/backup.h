/*
 * backup.h - `soporte backup FILE` and `soporte restore FILE`: a
 * consistent copy of a live SQLite desk, and putting one back.
 *
 * The backup is one SQLite file (store/sqlite_backup.h): the database as
 * of the instant the copy began, taken with SQLite's online backup API
 * while servers and mail gates keep writing; the attachments and uploads
 * are in it (the blob store is a table); and a table soporte_backup that
 * names the format, the time, the schema version, the program's version
 * and the fingerprint of the vault key in force (vault_fingerprint()).
 * The key itself is never in a backup: it is kept apart, on purpose
 * (docs/operations.md).
 *
 * A restore checks the file (integrity_check, the format), refuses a
 * target that holds tables unless forced, compares the key fingerprint
 * with the key file it is given and says when they differ (the secrets
 * of the backup then open only with the key it names), and copies the
 * file into the target. PostgreSQL desks are backed up with pg_dump.
 */
#ifndef SOPORTE_APP_BACKUP_H
#define SOPORTE_APP_BACKUP_H

#include "store/store.h"

#include <stddef.h>
#include <stdint.h>

#define BACKUP_FORMAT "soporte-backup 1"

enum backup_rc {
	BACKUP_OK = 0,
	BACKUP_ENGINE,     /* a PostgreSQL desk: pg_dump / pg_restore */
	BACKUP_NOFILE,     /* restore: no such backup file */
	BACKUP_BAD,        /* restore: not a sound soporte backup */
	BACKUP_NOT_EMPTY,  /* restore: the target holds tables, no force */
	BACKUP_BUSY,       /* the database stayed locked: try again */
	BACKUP_ERROR,      /* anything else (disk, permissions) */
};

struct backup_report {
	int pages, steps;          /* backup: pages copied, steps taken */
	int schema;                /* the backup's schema version */
	char created_at[32];       /* the backup's time, ISO UTC */
	char fingerprint[40];      /* the backup's key fingerprint, or "none" */
	char warning[1024];        /* a key problem to tell, or "" */
};

/* Backs up the desk on db into path; key_file names the vault key whose
 * fingerprint is recorded (a missing key file is recorded as "none", with
 * a warning). version is the program's. err gets one line on failure. */
enum backup_rc backup_make(struct store *db, const char *path,
                           const char *key_file, const char *version,
                           int64_t now, struct backup_report *rep,
                           char *err, size_t errlen);

/* Restores the backup at path into the database of url (SQLite), after
 * the checks above; force replaces a database that holds tables. */
enum backup_rc backup_restore(const char *path, const char *url,
                              const char *key_file, int force,
                              struct backup_report *rep, char *err,
                              size_t errlen);

#endif
