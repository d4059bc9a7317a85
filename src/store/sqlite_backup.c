/*
 * sqlite_backup.c - the online backup of a SQLite desk and its restore
 * (see sqlite_backup.h).
 */
#include "store/sqlite_backup.h"
#include "store/fts_es.h"
#include "store/sqlite_setup.h"
#include "store/store_engine.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* fsyncs the file or folder at path; 0 or -1. */
static int
sync_path(const char *path, int dir)
{
	int fd = open(path, (dir ? O_RDONLY | O_DIRECTORY : O_RDWR) | O_CLOEXEC);
	if (fd < 0)
		return -1;
	int rc = fsync(fd);
	close(fd);
	return rc;
}

static int
sync_parent(const char *path)
{
	char *copy = strdup(path);
	if (copy == NULL)
		return -1;
	int rc = sync_path(dirname(copy), 1);
	free(copy);
	return rc;
}

/* 1 when a and b name the same existing file. */
static int
same_file(const char *a, const char *b)
{
	struct stat sa, sb;
	return a != NULL && b != NULL && stat(a, &sa) == 0 && stat(b, &sb) == 0 &&
	       sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

/* "ok", or the first problem PRAGMA integrity_check names, into out. */
static int
integrity(sqlite3 *db, char *out, size_t outlen)
{
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &st, NULL);
	if (rc != SQLITE_OK) {
		snprintf(out, outlen, "%s", sqlite3_errmsg(db));
		return rc;
	}
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		snprintf(out, outlen, "%s", (const char *)sqlite3_column_text(st, 0));
	else
		snprintf(out, outlen, "%s", sqlite3_errmsg(db));
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? SQLITE_OK : rc;
}

static int
write_meta(sqlite3 *dst, const struct backup_meta *meta, int nmeta)
{
	int rc = sqlite3_exec(dst,
	                      "PRAGMA journal_mode=DELETE;"
	                      "CREATE TABLE soporte_backup (name TEXT PRIMARY KEY,"
	                      " value TEXT NOT NULL)",
	                      NULL, NULL, NULL);
	sqlite3_stmt *st = NULL;
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(dst, "INSERT INTO soporte_backup (name, "
		                        "value) VALUES (?1, ?2)", -1, &st, NULL);
	for (int i = 0; rc == SQLITE_OK && i < nmeta; i++) {
		sqlite3_bind_text(st, 1, meta[i].name, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, meta[i].value, -1, SQLITE_STATIC);
		rc = sqlite3_step(st);
		rc = rc == SQLITE_DONE ? SQLITE_OK : rc;
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	return rc;
}

enum store_rc
store_sqlite_backup(struct store *db, const char *path,
                    const struct backup_meta *meta, int nmeta, int step_pages,
                    int *pages, int *steps)
{
	sqlite3 *src = store_sqlite_conn(db);
	if (src == NULL)
		return store_fail(db, STORE_ERROR, "backup: not a SQLite database");
	if (same_file(path, sqlite3_db_filename(src, "main")))
		return store_fail(db, STORE_ERROR, "backup: %s is the desk's own "
		                  "database: name another file", path);
	size_t n = strlen(path) + sizeof ".partial";
	char *partial = malloc(n);
	if (partial == NULL)
		return store_fail(db, STORE_ERROR, "out of memory");
	snprintf(partial, n, "%s.partial", path);
	unlink(partial);   /* a crashed run's leftover */
	int fd = open(partial, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0) {
		store_fail(db, STORE_ERROR, "backup: cannot create %s: %s", partial,
		           strerror(errno));
		free(partial);
		return STORE_ERROR;
	}
	close(fd);
	enum store_rc out = STORE_OK;
	sqlite3 *dst = NULL;
	int rc = sqlite3_open_v2(partial, &dst, SQLITE_OPEN_READWRITE, NULL);
	/* The read transaction the whole copy runs in: one instant. */
	int reading = 0;
	if (rc == SQLITE_OK) {
		rc = sqlite3_exec(src, "BEGIN; SELECT count(*) FROM sqlite_schema",
		                  NULL, NULL, NULL);
		reading = 1;
	}
	sqlite3_backup *b = NULL;
	if (rc == SQLITE_OK) {
		b = sqlite3_backup_init(dst, "main", src, "main");
		rc = b ? SQLITE_OK : sqlite3_errcode(dst);
	}
	*steps = 0;
	while (b != NULL && rc == SQLITE_OK) {
		rc = sqlite3_backup_step(b, step_pages > 0 ? step_pages : -1);
		(*steps)++;
		if ((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED) {
			sqlite3_sleep(10);
			rc = SQLITE_OK;
		}
	}
	if (b != NULL) {
		*pages = sqlite3_backup_pagecount(b);
		int fin = sqlite3_backup_finish(b);
		rc = rc == SQLITE_DONE ? fin : rc;
	}
	if (reading)
		sqlite3_exec(src, "COMMIT", NULL, NULL, NULL);
	char what[512] = "";
	if (rc != SQLITE_OK) {
		out = (rc & 0xff) == SQLITE_BUSY ? STORE_BUSY : STORE_ERROR;
		store_fail(db, out, "backup: copying into %s: %s", partial,
		           dst ? sqlite3_errmsg(dst) : sqlite3_errstr(rc));
	} else if ((rc = fts_es_register(dst)) != SQLITE_OK ||
	           (rc = write_meta(dst, meta, nmeta)) != SQLITE_OK) {
		out = STORE_ERROR;
		store_fail(db, out, "backup: writing %s: %s", partial,
		           sqlite3_errmsg(dst));
	} else if (integrity(dst, what, sizeof what) != SQLITE_OK ||
	           strcmp(what, "ok") != 0) {
		out = STORE_ERROR;
		store_fail(db, out, "backup: the copy fails integrity_check: %s",
		           what);
	}
	sqlite3_close(dst);
	if (out == STORE_OK &&
	    (sync_path(partial, 0) != 0 || rename(partial, path) != 0 ||
	     sync_parent(path) != 0))
		out = store_fail(db, STORE_ERROR, "backup: cannot put %s in place: %s",
		                 path, strerror(errno));
	if (out != STORE_OK)
		unlink(partial);
	free(partial);
	return out;
}

enum store_rc
store_sqlite_backup_check(const char *path,
                          void (*fn)(void *, const char *, const char *),
                          void *arg, char *err, size_t errlen)
{
	if (access(path, F_OK) != 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return STORE_NOTFOUND;
	}
	sqlite3 *db = NULL;
	int rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL);
	enum store_rc out = STORE_CONSTRAINT;
	char what[512] = "";
	sqlite3_stmt *st = NULL;
	if (rc != SQLITE_OK) {
		snprintf(err, errlen, "%s: cannot open: %s", path,
		         db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
	} else if (integrity(db, what, sizeof what) != SQLITE_OK) {
		snprintf(err, errlen, "%s is not a SQLite database: %s", path, what);
	} else if (strcmp(what, "ok") != 0) {
		snprintf(err, errlen, "%s fails integrity_check: %s", path, what);
	} else if (sqlite3_prepare_v2(db, "SELECT name, value FROM soporte_backup"
	                              " ORDER BY name", -1, &st, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "%s is a SQLite database but not a soporte "
		         "backup (no soporte_backup table)", path);
	} else {
		while ((rc = sqlite3_step(st)) == SQLITE_ROW)
			fn(arg, (const char *)sqlite3_column_text(st, 0),
			   (const char *)sqlite3_column_text(st, 1));
		if (rc == SQLITE_DONE)
			out = STORE_OK;
		else
			snprintf(err, errlen, "%s: %s", path, sqlite3_errmsg(db));
	}
	sqlite3_finalize(st);
	sqlite3_close(db);
	return out;
}

int
store_sqlite_has_tables(const char *url, char *err, size_t errlen)
{
	char path[4096];
	int busy_ms;
	if (sqlite_setup_url(url, path, sizeof path, &busy_ms, err, errlen) != 0)
		return -1;
	if (access(path, F_OK) != 0)
		return 0;
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL);
	if (rc == SQLITE_OK) {
		sqlite3_busy_timeout(db, busy_ms);
		rc = sqlite3_prepare_v2(db, "SELECT count(*) FROM sqlite_schema "
		                        "WHERE type = 'table'", -1, &st, NULL);
	}
	int out = -1;
	if (rc == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
		out = sqlite3_column_int(st, 0) > 0;
	else
		snprintf(err, errlen, "%s: %s", path,
		         db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
	sqlite3_finalize(st);
	sqlite3_close(db);
	return out;
}

enum store_rc
store_sqlite_restore(const char *path, const char *url, char *err,
                     size_t errlen)
{
	char target[4096];
	int busy_ms;
	if (sqlite_setup_url(url, target, sizeof target, &busy_ms, err,
	                     errlen) != 0)
		return STORE_ERROR;
	if (same_file(path, target)) {
		snprintf(err, errlen, "%s is the backup itself: restore into "
		         "another file", target);
		return STORE_ERROR;
	}
	int fd = open(target, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd >= 0)
		close(fd);
	sqlite3 *src = NULL, *dst = NULL;
	int rc = sqlite3_open_v2(path, &src, SQLITE_OPEN_READONLY, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_open_v2(target, &dst, SQLITE_OPEN_READWRITE, NULL);
	if (rc == SQLITE_OK) {
		sqlite3_busy_timeout(dst, busy_ms);
		sqlite3_backup *b = sqlite3_backup_init(dst, "main", src, "main");
		if (b == NULL) {
			rc = sqlite3_errcode(dst);
		} else {
			while ((rc = sqlite3_backup_step(b, -1)) == SQLITE_OK)
				;
			int fin = sqlite3_backup_finish(b);
			rc = rc == SQLITE_DONE ? fin : rc;
		}
	}
	/* Set up as every connection of the desk is: the search index's
	 * tokenizer registered (its tables name it) before the first
	 * statement. */
	if (rc == SQLITE_OK && (rc = fts_es_register(dst)) == SQLITE_OK)
		rc = sqlite3_exec(dst, "DROP TABLE soporte_backup", NULL, NULL, NULL);
	if (rc == SQLITE_OK) {
		char *msg = NULL;
		rc = sqlite_setup_conn(dst, busy_ms, &msg);
		sqlite3_free(msg);
	}
	if (rc != SQLITE_OK)
		snprintf(err, errlen, "restoring into %s: %s", target,
		         dst ? sqlite3_errmsg(dst)
		         : src ? sqlite3_errmsg(src) : sqlite3_errstr(rc));
	sqlite3_close(src);
	sqlite3_close(dst);
	if (rc != SQLITE_OK)
		return (rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED
		           ? STORE_BUSY : STORE_ERROR;
	return STORE_OK;
}
