/*
 * db.h - a store result as the exit code of a command (opening the
 * database for one: desk.h).
 */
#ifndef SOPORTE_APP_DB_H
#define SOPORTE_APP_DB_H

#include "store/store.h"

#include <stdint.h>

/* Maps a store result to a sysexits code (EX_OK for STORE_OK). */
int app_exit_code(enum store_rc rc);

#endif
