/*
 * user_prefs.h - what a user chose for the console, kept with the user
 * so it follows them to any device (issue 19): the language.
 */
#ifndef SOPORTE_APP_USER_PREFS_H
#define SOPORTE_APP_USER_PREFS_H

#include "store/store.h"

#include <stdint.h>

/* The user's language ("es", "en") into lang, "" when never chosen. */
enum store_rc user_language_get(struct store *db, int64_t user_id,
                                char lang[3]);
/* Keeps lang ("es" or "en": the caller checked it) for the user. */
enum store_rc user_language_set(struct store *db, int64_t user_id,
                                const char *lang);

#endif
