/*
 * db.h - opening the store for a command, with clear errors.
 *
 * app_db_open() opens the database named by url and checks that its
 * schema is current (or migrates it when migrate is set). It prints one
 * clear line on failure and returns the sysexits code to exit with:
 * EX_TEMPFAIL when the database is busy or unreachable (retry later),
 * EX_UNAVAILABLE / EX_CONFIG otherwise.
 */
#ifndef SOPORTE_APP_DB_H
#define SOPORTE_APP_DB_H

#include "store/store.h"

#include <stdint.h>

int app_db_open(const char *url, struct store **out);
/* Maps a store result to a sysexits code (EX_OK for STORE_OK). */
int app_exit_code(enum store_rc rc);

#endif
