/*
 * sqlite_setup.h - how soporte opens a SQLite database, in one place for
 * the store's SQLite engine and the light mail gate (src/front), which
 * writes raw messages without linking the rest of the store.
 *
 * The URL is sqlite:PATH[?busy_timeout=MS]; the connection runs in WAL
 * mode, synchronous=FULL (a commit is on disk before we say so: the mail
 * gate relies on it), foreign keys on, with the busy timeout.
 */
#ifndef SOPORTE_STORE_SQLITE_SETUP_H
#define SOPORTE_STORE_SQLITE_SETUP_H

#include <sqlite3.h>
#include <stddef.h>

#define SQLITE_SETUP_BUSY_MS 10000

/* Splits a sqlite: URL into the file path and the busy timeout. Returns
 * 0, or -1 with the reason in err. */
int sqlite_setup_url(const char *url, char *path, size_t pathlen,
                     int *busy_ms, char *err, size_t errlen);

/* Sets up an open connection; returns an SQLite result code, *msg set
 * (sqlite3_free() it) on failure. */
int sqlite_setup_conn(sqlite3 *db, int busy_ms, char **msg);

#endif
