/*
 * sqlite_backup.h - a consistent copy of a live SQLite desk, and back.
 *
 * A backup is one SQLite file: the desk's database as of one instant,
 * plus a table soporte_backup(name, value) with what the app wants to
 * know at restore time (format, when, the schema version, the vault
 * key's fingerprint). The blobs (attachments, uploads) live in the
 * database, so the one file holds them. It opens with the sqlite3 shell
 * as it is (journal mode DELETE: no -wal beside it).
 *
 * SECURITY: the backup's path and the target URL are the operator's
 * (trusted); a backup file's contents are checked (integrity_check, the
 * soporte_backup table) before anything is copied from it.
 */
#ifndef SOPORTE_STORE_SQLITE_BACKUP_H
#define SOPORTE_STORE_SQLITE_BACKUP_H

#include "store/store.h"

#include <stddef.h>

struct backup_meta {
	const char *name;
	const char *value;
};

/*
 * Copies the database of db (a SQLite store) into a new file at path
 * while other connections keep writing: SQLite's online backup API,
 * step_pages pages a step, all steps inside one read transaction on db.
 * The copy is the database as of the moment that transaction began; in
 * WAL mode writers are not blocked meanwhile and the backup never
 * restarts. The copy is written as PATH.partial, gets the table
 * soporte_backup with meta, passes PRAGMA integrity_check, is synced and
 * only then renamed to path (replacing an older backup there): a crash
 * never leaves half a backup under path. *pages and *steps receive the
 * page count and the steps taken. On failure the reason is in
 * store_errmsg(db) and path is untouched.
 */
enum store_rc store_sqlite_backup(struct store *db, const char *path,
                                  const struct backup_meta *meta, int nmeta,
                                  int step_pages, int *pages, int *steps);

/*
 * Checks the backup at path without writing to it: it opens as SQLite,
 * PRAGMA integrity_check answers "ok", and it has the soporte_backup
 * table, whose rows are passed to fn. STORE_NOTFOUND: no such file;
 * STORE_CONSTRAINT: not a sound soporte backup (why in err).
 */
enum store_rc store_sqlite_backup_check(const char *path,
                                        void (*fn)(void *arg, const char *name,
                                                   const char *value),
                                        void *arg, char *err, size_t errlen);

/* 1 when the SQLite database of url exists and holds a table, 0 when it
 * is missing or empty, -1 on error (err). Creates nothing. */
int store_sqlite_has_tables(const char *url, char *err, size_t errlen);

/*
 * Copies the checked backup at path into the SQLite database of url
 * (created 0600 when missing, its content replaced when not), then drops
 * soporte_backup and puts the database back in WAL mode. STORE_BUSY: the
 * target stayed locked (a server writing to it); the reason is in err.
 */
enum store_rc store_sqlite_restore(const char *path, const char *url,
                                   char *err, size_t errlen);

#endif
