/*
 * sqlite_setup.c - opening a SQLite connection the soporte way (see
 * sqlite_setup.h). Needs only SQLite and libc.
 */
#include "store/sqlite_setup.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int
sqlite_setup_url(const char *url, char *path, size_t pathlen, int *busy_ms,
                 char *err, size_t errlen)
{
	*busy_ms = SQLITE_SETUP_BUSY_MS;
	snprintf(path, pathlen, "%s", url + strlen("sqlite:"));
	char *q = strchr(path, '?');
	if (q) {
		*q++ = '\0';
		if (strncmp(q, "busy_timeout=", 13) != 0 || atoi(q + 13) < 0) {
			snprintf(err, errlen, "database URL '%s': the only option is "
			         "?busy_timeout=MS", url);
			return -1;
		}
		*busy_ms = atoi(q + 13);
	}
	if (*path == '\0') {
		snprintf(err, errlen, "database URL '%s' has no file name", url);
		return -1;
	}
	return 0;
}

int
sqlite_setup_conn(sqlite3 *db, int busy_ms, char **msg)
{
	sqlite3_extended_result_codes(db, 1);
	sqlite3_busy_timeout(db, busy_ms);
	/* Short-lived processes (the mail gate: one per message) would
	 * otherwise create the WAL file at open and delete it at close. The
	 * file stays (it is synced at each commit either way: nothing is
	 * less durable). The last connection to close still checkpoints it
	 * (a few pages: what that process wrote) and empties it
	 * (journal_size_limit below): a WAL left full would be read whole by
	 * the next process to open the database alone (SQLite rebuilds its
	 * index from the file and copies it all again at the next
	 * checkpoint), so it grew without end and every start cost more
	 * (docs/performance.md, "Mail intake"). */
	int persist = 1;
	sqlite3_file_control(db, "main", SQLITE_FCNTL_PERSIST_WAL, &persist);
	static const char *const pragmas =
	    "PRAGMA journal_mode=WAL;"
	    "PRAGMA synchronous=FULL;"
	    "PRAGMA foreign_keys=ON;"
	    "PRAGMA temp_store=MEMORY;"
	    "PRAGMA journal_size_limit=16777216;"
	    /* Deleted rows (a credential's ciphertext) are overwritten, not
	     * left in free pages. */
	    "PRAGMA secure_delete=ON;";
	int rc;
	*msg = NULL;
	/* Switching a new file to WAL takes an exclusive lock without going
	 * through the busy handler: two processes creating the database at
	 * once retry here for up to the busy timeout. */
	for (int waited = 0;; waited += 10) {
		rc = sqlite3_exec(db, pragmas, NULL, NULL, msg);
		if ((rc & 0xff) != SQLITE_BUSY || waited >= busy_ms)
			break;
		sqlite3_free(*msg);
		*msg = NULL;
		sqlite3_sleep(10);
	}
	return rc;
}
