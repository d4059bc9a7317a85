/*
 * app_rc.h - what a command of src/app answers, whatever door called it.
 *
 * A command returns an enum app_rc; when it is not APP_OK the reason is
 * one line in store_errmsg(db) (set with app_refuse() or by the store), so
 * the CLI prints it, the API puts it in its error body, and both map the
 * code with app_rc_exit() / their own table. A refused request changed
 * nothing: commands check everything before they write, and write inside
 * one transaction that is rolled back on any failure.
 */
#ifndef SOPORTE_APP_APP_RC_H
#define SOPORTE_APP_APP_RC_H

#include "store/store.h"

enum app_rc {
	APP_OK = 0,
	APP_REFUSED,    /* the request is wrong (unknown client, overlap, ...) */
	APP_BUSY,       /* the database is busy: retry later */
	APP_FAILED,     /* anything else (a database error, out of memory) */
};

/* Sets the one-line reason on db and returns APP_REFUSED. */
enum app_rc app_refuse(struct store *db, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Maps a store result: STORE_OK -> APP_OK, STORE_BUSY -> APP_BUSY,
 * anything else -> APP_FAILED (store_errmsg() already says why). */
enum app_rc app_of_store(enum store_rc rc);
/* The sysexits code for a result: 0, 65 (EX_DATAERR), 75 (EX_TEMPFAIL),
 * 70 (EX_SOFTWARE). */
int app_rc_exit(enum app_rc rc);

/* Ends the transaction a command began: commits when rc is APP_OK (a
 * failing commit becomes the result), else rolls back. Returns the
 * result. */
enum app_rc app_finish(struct store *db, enum app_rc rc);

#endif
